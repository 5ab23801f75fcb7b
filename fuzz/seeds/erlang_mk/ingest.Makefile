PROJECT = ingest
PROJECT_DESCRIPTION = Bulk CSV ingestion for the data team
PROJECT_VERSION = 1.0.4
PROJECT_MOD = ingest_app

DEPS = jsone
LOCAL_DEPS = inets
dep_jsone = hex 1.8.1

include erlang.mk
