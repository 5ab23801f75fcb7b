PROJECT = beacon
PROJECT_DESCRIPTION = Presence beacons: devices announce themselves over UDP
PROJECT_VERSION = 0.7.2
PROJECT_MOD = beacon_app
PROJECT_ENV = [{udp_port, 0}, {sweep_interval, 30000}, {ttl, 90000}]
PROJECT_REGISTERED = beacon_sup beacon_registry beacon_udp beacon_sweeper

# Runtime dependencies.
DEPS = cowlib ranch
LOCAL_DEPS = crypto ssl

dep_ranch = git https://github.com/ninenines/ranch 2.1.0
dep_cowlib = hex 2.12.1

# Build and test only.
BUILD_DEPS = elvis_mk
DEP_PLUGINS = elvis_mk
TEST_DEPS = meck \
	proper

dep_elvis_mk = git https://github.com/inaka/elvis.mk.git 1.0.0
dep_meck = hex 0.9.2

ERLC_OPTS += +warn_missing_spec
TEST_ERLC_OPTS += +'{parse_transform, eunit_autoexport}'

include erlang.mk
