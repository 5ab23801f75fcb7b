# Where every component of the repository finds its dependencies.
dep_dockyard = git https://example.org/dockyard.git 1.2.0
dep_harbor_core = ln ../harbor_core
dep_harbor_web = ln ../harbor_web
