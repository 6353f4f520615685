# GoogleTest and GoogleMock: the installed packages (libgtest-dev, libgmock-dev) when they fit
# the toolchain, else built from Debian's `googletest` sources (/usr/src/googletest), which is
# what a cross build for Windows needs. Nothing is downloaded.
set(PORTRES_GOOGLETEST_SOURCE_DIR "/usr/src/googletest" CACHE PATH
    "GoogleTest sources to build when no installed package fits the toolchain")

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
