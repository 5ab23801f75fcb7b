# Every assignment form the reader knows, with references between them.
BASE = relay
PROJECT := $(BASE)
PROJECT_VERSION ::= 1.0.0
export PROJECT_MOD = $(BASE)_app
override LOCAL_DEPS ?= crypto
DEPS = cowboy \
	jsx
DEPS += ${EXTRA}
EXTRA = gun
dep_cowboy = git https://example.org/cowboy.git master
dep_cowboy_commit = 0123456789abcdef
dep_jsx = hex 3.1.0 jsx
dep_gun = ln ../gun
TEST_DEPS = meck
dep_meck = hg https://example.org/meck 0.9
URL = http://example.org/\#anchor # a comment
define long_text
PROJECT = not_this
endef
all:
	@echo $(PROJECT)
-include erlang.mk
