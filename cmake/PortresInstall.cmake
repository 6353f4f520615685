# Install rules and the config-file package: `find_package(portres CONFIG REQUIRED)`.
#
# Each library has an export file of its own, so that the package config can load exactly the
# components a consumer asks for and look up only their dependencies:
#   portres-targets.cmake          portres::portres  (always)
#   portres-fake-targets.cmake     portres::fake     (needs Threads)
#   portres-sweep-targets.cmake    portres::sweep    (needs Threads, as the fake)
#   portres-gmock-targets.cmake    portres::gmock    (needs GTest; only when asked for)
#   portres-seam-targets.cmake     portres::seam, portres::seam_headers (needs Threads)
#   portres-winsock-targets.cmake  portres::winsock  (Windows only)
#   portres-catch2-targets.cmake   portres::catch2   (needs Catch2; only when asked for)
#   portres-doctest-targets.cmake  portres::doctest  (needs doctest; only when asked for)
# cmake/portresConfig.cmake.in says which component loads when.
include(CMakePackageConfigHelpers)

set(PORTRES_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/portres"
    CACHE STRING "Where the portres package config files are installed (relative to the prefix)")
mark_as_advanced(PORTRES_INSTALL_CMAKEDIR)

# <portres/version.h> is written by hand; refuse to configure a tree where it disagrees with
# project(VERSION), since the header, the package version file and CHANGELOG.md must agree.
file(STRINGS "${PROJECT_SOURCE_DIR}/include/portres/version.h" _portres_version_lines
     REGEX "^#define PORTRES_VERSION_(MAJOR|MINOR|PATCH|STRING) ")
set(_portres_header_version "")
foreach(_part MAJOR MINOR PATCH)
  string(REGEX MATCH "#define PORTRES_VERSION_${_part} ([0-9]+)" _ "${_portres_version_lines}")
  list(APPEND _portres_header_version "${CMAKE_MATCH_1}")
endforeach()
string(REGEX MATCH "#define PORTRES_VERSION_STRING \"([^\"]*)\"" _ "${_portres_version_lines}")
string(JOIN "." _portres_header_version ${_portres_header_version})
if(NOT _portres_header_version STREQUAL PROJECT_VERSION
   OR NOT CMAKE_MATCH_1 STREQUAL PROJECT_VERSION)
  message(FATAL_ERROR
    "include/portres/version.h says ${_portres_header_version} (\"${CMAKE_MATCH_1}\") but "
    "project(portres VERSION) says ${PROJECT_VERSION}: update the header and CHANGELOG.md")
endif()

# portres_install_component(<targets> <export-file-stem>): install a library, its public headers
# (its FILE_SET HEADERS) and its export set. A component's headers are installed with it only,
# so that no installed header needs a library that is not there.
function(portres_install_component target stem)
  install(TARGETS ${target} EXPORT ${stem}
    ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT portres_development
    LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT portres_runtime
            NAMELINK_COMPONENT portres_development
    RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT portres_runtime
    OBJECTS DESTINATION "${CMAKE_INSTALL_LIBDIR}/portres-objects"
            COMPONENT portres_development
    FILE_SET HEADERS DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" COMPONENT portres_development)
  install(EXPORT ${stem}
    NAMESPACE portres::
    FILE ${stem}.cmake
    DESTINATION "${PORTRES_INSTALL_CMAKEDIR}"
    COMPONENT portres_development)
endfunction()

set(PORTRES_INSTALLED_COMPONENTS "")
portres_install_component(portres portres-targets)
if(TARGET portres_fake)
  portres_install_component(portres_fake portres-fake-targets)
  list(APPEND PORTRES_INSTALLED_COMPONENTS fake)
endif()
if(TARGET portres_sweep)
  portres_install_component(portres_sweep portres-sweep-targets)
  list(APPEND PORTRES_INSTALLED_COMPONENTS sweep)
endif()
if(TARGET portres_seam)
  portres_install_component("portres_seam;portres_seam_headers" portres-seam-targets)
  list(APPEND PORTRES_INSTALLED_COMPONENTS seam)
  install(TARGETS portres_seam_archive ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
          COMPONENT portres_development)
  if(NOT WIN32)
    # The SDK's header names, for Windows code built elsewhere; on Windows the SDK's own serve.
    file(GLOB _portres_sdk_headers "${PROJECT_SOURCE_DIR}/seam/include/*.h")
    install(FILES ${_portres_sdk_headers}
            DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/portres/sdk" COMPONENT portres_development)
  endif()
endif()
if(TARGET portres_winsock)
  portres_install_component(portres_winsock portres-winsock-targets)
  list(APPEND PORTRES_INSTALLED_COMPONENTS winsock)
endif()
# The printers for Catch2 and doctest (frameworks/), when their framework is an installed
# package: one a parent project built is not installed with portres.
foreach(_framework IN ITEMS catch2 doctest)
  set(_imported OFF)
  if(_framework STREQUAL "catch2" AND TARGET Catch2::Catch2)
    get_target_property(_imported Catch2::Catch2 IMPORTED)
  elseif(_framework STREQUAL "doctest" AND TARGET doctest::doctest)
    get_target_property(_imported doctest::doctest IMPORTED)
  endif()
  if(TARGET portres_${_framework} AND _imported)
    portres_install_component(portres_${_framework} portres-${_framework}-targets)
    list(APPEND PORTRES_INSTALLED_COMPONENTS ${_framework})
  endif()
endforeach()

# portres::gmock links GoogleMock, so it is installed only when GoogleMock is itself an installed
# package (cmake/PortresGoogleTest.cmake); one built here from sources is not installed with
# portres, and a consumer could not resolve it.
set(_portres_install_gmock OFF)
if(TARGET portres_gmock AND PORTRES_GOOGLETEST_IS_PACKAGE)
  set(_portres_install_gmock ON)
elseif(TARGET portres_gmock)
  message(STATUS "portres: not installing portres::gmock (GoogleMock was built from "
                 "${PORTRES_GOOGLETEST_SOURCE_DIR}, not found as a package)")
endif()
if(_portres_install_gmock)
  portres_install_component(portres_gmock portres-gmock-targets)
  list(APPEND PORTRES_INSTALLED_COMPONENTS gmock)
endif()

# pkg-config files (cmake/PortresPkgConfig.cmake), one per installed library.
include(PortresPkgConfig)
set(_portres_win_libs "")
if(WIN32)
  set(_portres_win_libs -lws2_32)
endif()
portres_install_pkgconfig(portres portres
  "Windows port reservations: the Winsock vocabulary, ISocketIoctl and IIpHelper"
  LIBS_PRIVATE ${_portres_win_libs})
if(TARGET portres_fake)
  portres_install_pkgconfig(portres_fake portres-fake "portres: the in-memory Windows host"
    REQUIRES portres LIBS_PRIVATE -pthread)
endif()
if(TARGET portres_sweep)
  portres_install_pkgconfig(portres_sweep portres-sweep
    "portres: the fault sweep's engine and leak reports, for any test framework"
    REQUIRES portres-fake)
endif()
if(_portres_install_gmock)
  portres_install_pkgconfig(portres_gmock portres-gmock
    "portres: GoogleMock mock, matchers, printers, leak checks and fault sweeps"
    REQUIRES portres-sweep gmock)
endif()
if(TARGET portres_seam)
  set(_portres_sdk_cflags "")
  if(NOT WIN32)
    set(_portres_sdk_cflags "-I\${includedir}/portres/sdk")
  endif()
  portres_install_pkgconfig(portres_seam_archive portres-seam
    "portres: unchanged Windows code calling the Winsock and iphlpapi globals, on the fake"
    REQUIRES portres-fake CFLAGS ${_portres_sdk_cflags})
endif()
if(TARGET portres_winsock)
  portres_install_pkgconfig(portres_winsock portres-winsock
    "portres: the real backend over ws2_32 and iphlpapi (Windows)"
    REQUIRES portres LIBS_PRIVATE -lws2_32 -liphlpapi -ladvapi32)
endif()

# Every public header belongs to exactly one library's FILE_SET HEADERS (its CMakeLists.txt), is
# installed with it, and is compiled alone by the header verification (dev preset). A header in
# include/portres that no file set names would be silently left out of the package: refuse it.
# Checked where portres::gmock is built (off Windows portres::winsock is not, and its headers,
# winsock_{socket_ioctl,ip_helper,environment}.h, are claimed by none; nor are the printers of a
# test framework that was not found, {catch2,doctest}_printers.h).
set(_portres_claimed "")
foreach(_target IN ITEMS portres portres_fake portres_sweep portres_gmock portres_seam
                         portres_winsock portres_catch2 portres_doctest)
  if(TARGET ${_target})
    get_target_property(_set ${_target} HEADER_SET)
    get_target_property(_dir ${_target} SOURCE_DIR)
    foreach(_header IN LISTS _set)
      get_filename_component(_header "${_header}" ABSOLUTE BASE_DIR "${_dir}")
      list(APPEND _portres_claimed "${_header}")
    endforeach()
  endif()
endforeach()
file(GLOB _portres_headers "${PROJECT_SOURCE_DIR}/include/portres/*.h")
foreach(_header IN LISTS _portres_headers)
  get_filename_component(_name "${_header}" NAME)
  if(TARGET portres_gmock AND NOT _header IN_LIST _portres_claimed
     AND (WIN32 OR NOT _name MATCHES "^winsock_(socket_ioctl|ip_helper|environment)\\.h$")
     AND NOT (_name MATCHES "^(catch2|doctest)_printers\\.h$"))
    message(FATAL_ERROR "include/portres/${_name} is in no library's FILE_SET HEADERS: add it "
                        "to the target_sources(... FILE_SET HEADERS) list of its library")
  endif()
endforeach()

configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/portresConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/portresConfig.cmake"
  INSTALL_DESTINATION "${PORTRES_INSTALL_CMAKEDIR}"
  NO_SET_AND_CHECK_MACRO)

# Semantic versioning (docs/versioning.md): a 1.x request accepts any later 1.y. While the
# major version is 0, a minor release may break, so 0.1 accepts 0.1.z only.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(_portres_compatibility SameMinorVersion)
else()
  set(_portres_compatibility SameMajorVersion)
endif()
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/portresConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY ${_portres_compatibility})

install(FILES
  "${PROJECT_BINARY_DIR}/portresConfig.cmake"
  "${PROJECT_BINARY_DIR}/portresConfigVersion.cmake"
  DESTINATION "${PORTRES_INSTALL_CMAKEDIR}"
  COMPONENT portres_development)

# The docs: the README, the changelog and the pages of docs/.
file(GLOB _portres_doc_pages CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/docs/*.md")
install(FILES "${PROJECT_SOURCE_DIR}/README.md" "${PROJECT_SOURCE_DIR}/CHANGELOG.md"
              ${_portres_doc_pages}
  DESTINATION "${CMAKE_INSTALL_DOCDIR}"
  COMPONENT portres_development)
