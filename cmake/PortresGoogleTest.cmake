# GoogleTest and GoogleMock: the installed packages (libgtest-dev, libgmock-dev) when they fit
# the toolchain, else built from sources: Debian's `googletest` package (/usr/src/googletest),
# which is what the MinGW cross build uses, or a checkout named by the environment variable
# PORTRES_GOOGLETEST_SOURCE_DIR (the MSVC CI job). Nothing is downloaded at build time.
# A parent project's own GoogleTest (GTest::gmock already a target) is used as it is.
# Unless PORTRES_GOOGLETEST_REQUIRED (the tests, the benchmarks, PORTRES_GMOCK=ON), only a
# package or the parent's targets are used, and finding none is not an error.
if(DEFINED ENV{PORTRES_GOOGLETEST_SOURCE_DIR})
  set(_portres_googletest_default "$ENV{PORTRES_GOOGLETEST_SOURCE_DIR}")
else()
  set(_portres_googletest_default "/usr/src/googletest")
endif()
set(PORTRES_GOOGLETEST_SOURCE_DIR "${_portres_googletest_default}" CACHE PATH
    "GoogleTest sources to build when no installed package fits the toolchain")

# Debian's libgtest-dev is built for the host: a cross build must not pick it up.
if(NOT CMAKE_CROSSCOMPILING AND NOT TARGET GTest::gmock)
  find_package(GTest CONFIG QUIET)
  if(NOT TARGET GTest::gmock)
    find_package(GTest QUIET)
  endif()
endif()

# PORTRES_GOOGLETEST_IS_PACKAGE: GTest::gmock is an imported target (a package, found here or by
# the parent), which an installed portres::gmock can name.
set(PORTRES_GOOGLETEST_IS_PACKAGE OFF)
if(TARGET GTest::gmock)
  get_target_property(_portres_gmock_target GTest::gmock ALIASED_TARGET)
  if(NOT _portres_gmock_target)
    set(_portres_gmock_target GTest::gmock)
  endif()
  get_target_property(PORTRES_GOOGLETEST_IS_PACKAGE ${_portres_gmock_target} IMPORTED)
endif()

if(NOT TARGET GTest::gmock AND NOT PORTRES_GOOGLETEST_REQUIRED)
  message(STATUS "portres: GoogleTest/GoogleMock not found as a package: portres::gmock is "
                 "not built (install libgmock-dev, or set PORTRES_GMOCK=ON to build GoogleTest "
                 "from ${PORTRES_GOOGLETEST_SOURCE_DIR})")
  return()
endif()

if(NOT TARGET GTest::gmock)
  if(NOT EXISTS "${PORTRES_GOOGLETEST_SOURCE_DIR}/CMakeLists.txt")
    message(FATAL_ERROR
      "portres needs GoogleMock: install libgmock-dev, or the googletest sources "
      "(apt-get install googletest) and set PORTRES_GOOGLETEST_SOURCE_DIR")
  endif()
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  # MSVC: link the CRT as a DLL (/MD), as portres's own targets do by default.
  set(gtest_force_shared_crt ON CACHE BOOL "" FORCE)
  add_subdirectory("${PORTRES_GOOGLETEST_SOURCE_DIR}" "${CMAKE_BINARY_DIR}/_googletest"
                   EXCLUDE_FROM_ALL SYSTEM)
  foreach(_lib gtest gtest_main gmock gmock_main)
    if(NOT TARGET GTest::${_lib})
      add_library(GTest::${_lib} ALIAS ${_lib})
    endif()
  endforeach()
endif()
include(GoogleTest)

# Test executables that run through CMAKE_CROSSCOMPILING_EMULATOR (Wine, for the MinGW build)
# are registered as one ctest test per executable instead of one per GoogleTest test: a Wine
# start costs about a second, the tests inside it milliseconds, so 750 starts would turn a
# one-minute leg into twenty. A failing run prints GoogleTest's own per-test report (the test
# presets show output on failure). Listing the tests would also need the emulator at build or
# test time. So gtest_discover_tests is wrapped here (CMake keeps the original reachable as
# _gtest_discover_tests) and every suite's own call stays as it is; its EXTRA_ARGS and
# PROPERTIES (LABELS) carry over to the one test.
get_property(_portres_wrapped GLOBAL PROPERTY PORTRES_GTEST_DISCOVER_TESTS_WRAPPED)
if(CMAKE_CROSSCOMPILING AND CMAKE_CROSSCOMPILING_EMULATOR AND NOT _portres_wrapped)
  set_property(GLOBAL PROPERTY PORTRES_GTEST_DISCOVER_TESTS_WRAPPED TRUE)
  function(gtest_discover_tests TARGET)
    cmake_parse_arguments(PARSE_ARGV 1 _portres "NO_PRETTY_TYPES;NO_PRETTY_VALUES"
      "TEST_PREFIX;TEST_SUFFIX;WORKING_DIRECTORY;TEST_LIST;DISCOVERY_TIMEOUT;XML_OUTPUT_DIR;DISCOVERY_MODE"
      "EXTRA_ARGS;PROPERTIES;TEST_FILTER")
    add_test(NAME ${TARGET} COMMAND ${TARGET} ${_portres_EXTRA_ARGS})
    if(_portres_PROPERTIES)
      set_tests_properties(${TARGET} PROPERTIES ${_portres_PROPERTIES})
    endif()
  endfunction()
endif()
