// `patrolVersion`, this build's version (`patrol --version`, `patrold --version`), is generated
// before every build by Plugins/PatrolVersionPlugin from scripts/version: `git describe --tags
// --dirty`, or PATROL_VERSION for a build from a tarball.
