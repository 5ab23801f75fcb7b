# otpmap for erlang.mk projects.
#
# Copy this file next to your Makefile and include it after erlang.mk:
#
#     include erlang.mk
#     include otpmap.mk
#
# then `make otpmap-lint` fails like `otpmap lint` does (exit 1 on findings
# at or above --fail-on), and `make otpmap-tree`, `otpmap-deps` and
# `otpmap-scan` print the maps. Settings (on the command line or before the
# include):
#
#     OTPMAP            the binary (default: otpmap on PATH)
#     OTPMAP_OPTS       options for every command, e.g. --max-file-size 16M
#     OTPMAP_LINT_OPTS  options for lint only, e.g. --format github
#
# Fetched dependencies (erlang.mk's DEPS_DIR) are read too once `make deps`
# has fetched them, so that calls into them are followed.

OTPMAP ?= otpmap
OTPMAP_OPTS ?=
OTPMAP_LINT_OPTS ?=
OTPMAP_DEPS_DIR = $(if $(DEPS_DIR),$(DEPS_DIR),$(CURDIR)/deps)
OTPMAP_INCLUDE_DEPS = $(if $(wildcard $(OTPMAP_DEPS_DIR)/*),--include-deps)

.PHONY: otpmap-scan otpmap-deps otpmap-tree otpmap-lint

otpmap-scan otpmap-deps otpmap-tree:
	$(OTPMAP) $(patsubst otpmap-%,%,$@) $(OTPMAP_INCLUDE_DEPS) $(OTPMAP_OPTS) $(CURDIR)

otpmap-lint:
	$(OTPMAP) lint $(OTPMAP_INCLUDE_DEPS) $(OTPMAP_OPTS) $(OTPMAP_LINT_OPTS) $(CURDIR)

help::
	@printf "%s\n" "" "otpmap targets:" \
		"  otpmap-lint   Lint start-up hazards (fails on findings)" \
		"  otpmap-tree   Print the supervision trees" \
		"  otpmap-deps   Print the application graph and boot order" \
		"  otpmap-scan   Print the applications, dependencies and releases"
