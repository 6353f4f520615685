# Install rules and the config-file package: `find_package(portres CONFIG REQUIRED)`.
#
# Each library has an export file of its own, so that the package config can load exactly the
# components a consumer asks for and look up only their dependencies:
#   portres-targets.cmake          portres::portres  (always)
#   portres-fake-targets.cmake     portres::fake     (needs Threads)
#   portres-gmock-targets.cmake    portres::gmock    (needs GTest; only when asked for)
#   portres-winsock-targets.cmake  portres::winsock  (Windows only)
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

# portres_install_component(<target> <export-file-stem>): install a library and its export set.
function(portres_install_component target stem)
  install(TARGETS ${target} EXPORT ${stem}
    ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT portres_development
    LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT portres_runtime
            NAMELINK_COMPONENT portres_development
    RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT portres_runtime)
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
if(TARGET portres_winsock)
  portres_install_component(portres_winsock portres-winsock-targets)
  list(APPEND PORTRES_INSTALLED_COMPONENTS winsock)
endif()

# portres::gmock links GoogleMock. It can be installed only when GoogleMock is itself an
# installed package (GTest::gmock imported); a GoogleMock built here from sources is not
# installed with portres, so a consumer could not resolve it.
set(_portres_install_gmock OFF)
if(TARGET portres_gmock AND TARGET GTest::gmock)
  get_target_property(_portres_gmock_aliased GTest::gmock ALIASED_TARGET)
  if(_portres_gmock_aliased)
    get_target_property(_portres_gmock_imported ${_portres_gmock_aliased} IMPORTED)
  else()
    get_target_property(_portres_gmock_imported GTest::gmock IMPORTED)
  endif()
  if(_portres_gmock_imported)
    set(_portres_install_gmock ON)
  else()
    message(STATUS "portres: not installing portres::gmock (GoogleMock was built from "
                   "${PORTRES_GOOGLETEST_SOURCE_DIR}, not found as a package)")
  endif()
endif()
if(_portres_install_gmock)
  portres_install_component(portres_gmock portres-gmock-targets)
  list(APPEND PORTRES_INSTALLED_COMPONENTS gmock)
endif()

# Headers, by component: a header goes with portres::gmock (or portres::winsock) when its name
# is that of a source file in testing/ (or src/win/), when it includes GoogleTest or GoogleMock
# (gmock), or when it includes a header that goes with one of them. Every other header goes
# with portres::portres and portres::fake. A component's headers are installed with it only,
# so that no installed header needs a library that is not there.
file(GLOB _portres_headers RELATIVE "${PROJECT_SOURCE_DIR}/include/portres"
     "${PROJECT_SOURCE_DIR}/include/portres/*.h")
set(_portres_headers_gmock "")
set(_portres_headers_winsock "")
foreach(_component_dir IN ITEMS "gmock:testing" "winsock:src/win")
  string(REPLACE ":" ";" _component_dir "${_component_dir}")
  list(GET _component_dir 0 _component)
  list(GET _component_dir 1 _dir)
  file(GLOB _sources RELATIVE "${PROJECT_SOURCE_DIR}/${_dir}" "${PROJECT_SOURCE_DIR}/${_dir}/*.cpp")
  foreach(_source IN LISTS _sources)
    string(REGEX REPLACE "\\.cpp$" ".h" _header "${_source}")
    if(_header IN_LIST _portres_headers)
      list(APPEND _portres_headers_${_component} "${_header}")
    endif()
  endforeach()
endforeach()
set(_portres_header_includes "")
foreach(_header IN LISTS _portres_headers)
  file(STRINGS "${PROJECT_SOURCE_DIR}/include/portres/${_header}" _includes
       REGEX "^#include <(portres|gtest|gmock)/")
  string(REGEX REPLACE "#include <([^>]*)>" "\\1" _includes "${_includes}")
  set(_portres_includes_of_${_header} ${_includes})
  if(_includes MATCHES "(^|;)(gtest|gmock)/" AND NOT _header IN_LIST _portres_headers_gmock)
    list(APPEND _portres_headers_gmock "${_header}")
  endif()
endforeach()
# Whatever includes a component's header goes with that component, until nothing moves.
set(_portres_moved TRUE)
while(_portres_moved)
  set(_portres_moved FALSE)
  foreach(_header IN LISTS _portres_headers)
    if(_header IN_LIST _portres_headers_gmock OR _header IN_LIST _portres_headers_winsock)
      continue()
    endif()
    foreach(_component IN ITEMS gmock winsock)
      foreach(_included IN LISTS _portres_includes_of_${_header})
        string(REGEX REPLACE "^portres/" "" _included "${_included}")
        if(_included IN_LIST _portres_headers_${_component}
           AND NOT _header IN_LIST _portres_headers_${_component})
          list(APPEND _portres_headers_${_component} "${_header}")
          set(_portres_moved TRUE)
        endif()
      endforeach()
    endforeach()
  endforeach()
endwhile()

set(_portres_headers_install ${_portres_headers})
if(NOT _portres_install_gmock)
  list(REMOVE_ITEM _portres_headers_install ${_portres_headers_gmock})
endif()
if(NOT TARGET portres_winsock)
  list(REMOVE_ITEM _portres_headers_install ${_portres_headers_winsock})
endif()
list(TRANSFORM _portres_headers_install PREPEND "${PROJECT_SOURCE_DIR}/include/portres/")
install(FILES ${_portres_headers_install}
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/portres"
  COMPONENT portres_development)

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

install(FILES "${PROJECT_SOURCE_DIR}/CHANGELOG.md"
  DESTINATION "${CMAKE_INSTALL_DOCDIR}"
  COMPONENT portres_development
  OPTIONAL)
