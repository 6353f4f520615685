# The Debian package libportres-dev, made by CPack from the install rules:
#   cmake --build <build> && cpack --config <build>/CPackConfig.cmake
# It holds the headers, the static libraries, the CMake package config, the pkg-config files
# and the docs, under /usr. Static libraries are machine code, so the package is built for the
# architecture it is made on (dpkg --print-architecture), not "all".
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME libportres-dev)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "Headers, static libraries, CMake and pkg-config files of portres: the Winsock port\n"
    "reservation vocabulary and interfaces, an in-memory fake of a Windows host, and a\n"
    "GoogleMock mock with fault sweeps and leak checks.")
set(CPACK_PACKAGE_CONTACT "portres maintainers <portres@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
# portres::gmock (and portres-gmock.pc) need GoogleTest's own development package.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libgmock-dev (>= 1.12), libgtest-dev (>= 1.12)")
# Only the development files: the static libraries leave nothing for a runtime package.
set(CPACK_COMPONENTS_ALL portres_development)
set(CPACK_DEB_COMPONENT_INSTALL OFF)
set(CPACK_SOURCE_IGNORE_FILES "/build/;/\\\\.git/")
include(CPack)
