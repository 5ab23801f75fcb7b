# The plugins shipped with a release.
HARBOR_PLUGINS := harbor_web
