// <portres/version.h>: which portres release this is.
//
//   #if PORTRES_VERSION >= PORTRES_MAKE_VERSION(0, 2, 0)
//   ... use something 0.2 added ...
//   #endif
//
// The numbers follow semantic versioning as docs/versioning.md promises it. They are written
// here by hand and checked against project(VERSION) in the top-level CMakeLists.txt at
// configure time (cmake/PortresInstall.cmake), so the header, the package version file and the
// CHANGELOG cannot disagree in a release.
#ifndef PORTRES_VERSION_H
#define PORTRES_VERSION_H

// Incremented for changes that break code or tests written against the previous release.
#define PORTRES_VERSION_MAJOR 0
// Incremented for additions, and for fake behaviour that follows Windows more faithfully.
#define PORTRES_VERSION_MINOR 1
// Incremented for fixes that change no documented behaviour.
#define PORTRES_VERSION_PATCH 0
// As in the package version and CHANGELOG.md.
#define PORTRES_VERSION_STRING "0.1.0"

// One number that orders releases, for preprocessor conditions:
// MAJOR * 1000000 + MINOR * 1000 + PATCH.
#define PORTRES_MAKE_VERSION(major, minor, patch) ((major)*1000000 + (minor)*1000 + (patch))
// This release as PORTRES_MAKE_VERSION computes it.
#define PORTRES_VERSION \
  PORTRES_MAKE_VERSION(PORTRES_VERSION_MAJOR, PORTRES_VERSION_MINOR, PORTRES_VERSION_PATCH)

#endif  // PORTRES_VERSION_H
