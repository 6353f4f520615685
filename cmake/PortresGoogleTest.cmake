# GoogleTest and GoogleMock: the installed packages (libgtest-dev, libgmock-dev) when they fit
# the toolchain, else built from sources: Debian's `googletest` package (/usr/src/googletest),
# which is what the MinGW cross build uses, or a checkout named by the environment variable
# PORTRES_GOOGLETEST_SOURCE_DIR (the MSVC CI job). Nothing is downloaded at build time.
if(DEFINED ENV{PORTRES_GOOGLETEST_SOURCE_DIR})
  set(_portres_googletest_default "$ENV{PORTRES_GOOGLETEST_SOURCE_DIR}")
else()
  set(_portres_googletest_default "/usr/src/googletest")
endif()
set(PORTRES_GOOGLETEST_SOURCE_DIR "${_portres_googletest_default}" CACHE PATH
    "GoogleTest sources to build when no installed package fits the toolchain")

# Debian's libgtest-dev is built for the host: a cross build must not pick it up.
if(NOT CMAKE_CROSSCOMPILING)
  find_package(GTest CONFIG QUIET)
  if(NOT TARGET GTest::gmock)
    find_package(GTest QUIET)
  endif()
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

# Test executables that run through CMAKE_CROSSCOMPILING_EMULATOR (Wine, for the MinGW build):
# they are listed when ctest starts (PRE_TEST) rather than right after linking, so that a build
# never needs the emulator, and the listing gets PORTRES_GTEST_DISCOVERY_TIMEOUT seconds rather
# than GoogleTest.cmake's default of 5, because a cold Wine start (wineserver, and the first
# `wineboot -i` of a new prefix) takes from a few seconds to tens of seconds. CMake has no
# variable for that default, so gtest_discover_tests is wrapped here (the original stays
# reachable as _gtest_discover_tests, CMake's rule for a redefined command); every suite's own
# `gtest_discover_tests(...)` call stays as it is, with the larger of its timeout and ours.
get_property(_portres_wrapped GLOBAL PROPERTY PORTRES_GTEST_DISCOVER_TESTS_WRAPPED)
if(CMAKE_CROSSCOMPILING AND CMAKE_CROSSCOMPILING_EMULATOR AND NOT _portres_wrapped)
  set_property(GLOBAL PROPERTY PORTRES_GTEST_DISCOVER_TESTS_WRAPPED TRUE)
  set(CMAKE_GTEST_DISCOVER_TESTS_DISCOVERY_MODE PRE_TEST)
  set(PORTRES_GTEST_DISCOVERY_TIMEOUT 300 CACHE STRING
      "Seconds gtest_discover_tests allows a test executable under the emulator to list its tests")
  function(gtest_discover_tests TARGET)
    cmake_parse_arguments(PARSE_ARGV 1 _portres "" "DISCOVERY_TIMEOUT" "")
    set(timeout ${PORTRES_GTEST_DISCOVERY_TIMEOUT})
    if(DEFINED _portres_DISCOVERY_TIMEOUT AND _portres_DISCOVERY_TIMEOUT GREATER timeout)
      set(timeout ${_portres_DISCOVERY_TIMEOUT})
    endif()
    # A keyword given twice takes its last value, so this one wins.
    _gtest_discover_tests(${TARGET} ${ARGN} DISCOVERY_TIMEOUT ${timeout})
  endfunction()
endif()
