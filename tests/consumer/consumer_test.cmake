# Builds and tests tests/consumer/project one way; run by ctest as
#   cmake -DMODE=<package|subdirectory|fetchcontent> -DWORK_DIR=<dir> ... -P consumer_test.cmake
# Inputs (all -D):
#   MODE, PROJECT_DIR (the sample), PORTRES_SOURCE_DIR, WORK_DIR (wiped at start), CTEST_COMMAND
#   PARENT_BINARY_DIR    package mode: the portres build to `cmake --install` into WORK_DIR/prefix
#   CONFIG               the configuration ctest runs (multi-config generators)
#   GENERATOR, GENERATOR_PLATFORM, GENERATOR_TOOLSET, MAKE_PROGRAM, CXX_COMPILER,
#   CXX_FLAGS, EXE_LINKER_FLAGS   the parent's toolchain, passed through to the sub-build
#   GMOCK                ON to build the portres::gmock sample too
#   RUN_TESTS            OFF to configure and build only
#   EXTRA_ARGS           more configure arguments, separated by '|'
cmake_minimum_required(VERSION 3.25)

foreach(required MODE PROJECT_DIR PORTRES_SOURCE_DIR WORK_DIR GENERATOR CTEST_COMMAND)
  if(NOT DEFINED ${required} OR "${${required}}" STREQUAL "")
    message(FATAL_ERROR "consumer_test.cmake: -D${required}=... is required")
  endif()
endforeach()

function(run step)
  string(REPLACE ";" " " _printed "${ARGN}")
  message(STATUS "[${MODE}] ${step}: ${_printed}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "[${MODE}] ${step} failed (${result})")
  endif()
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

set(config_args)
if(CONFIG)
  set(config_args --config "${CONFIG}")
endif()

set(configure_args
  -S "${PROJECT_DIR}" -B "${WORK_DIR}/build" -G "${GENERATOR}"
  "-DPORTRES_CONSUMER_MODE=${MODE}"
  "-DPORTRES_SOURCE_DIR=${PORTRES_SOURCE_DIR}"
  "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
  "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}"
  # Nothing may be downloaded, and nothing found outside what this test sets up. (The same
  # arguments go to every mode; a mode that has no use for one does not warn about it.)
  --no-warn-unused-cli
  -DFETCHCONTENT_FULLY_DISCONNECTED=ON
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(GENERATOR_PLATFORM)
  list(APPEND configure_args -A "${GENERATOR_PLATFORM}")
endif()
if(GENERATOR_TOOLSET)
  list(APPEND configure_args -T "${GENERATOR_TOOLSET}")
endif()
if(MAKE_PROGRAM)
  list(APPEND configure_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(CXX_COMPILER)
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
if(CONFIG)
  list(APPEND configure_args "-DCMAKE_BUILD_TYPE=${CONFIG}")
endif()
if(EXTRA_ARGS)
  string(REPLACE "|" ";" _extra "${EXTRA_ARGS}")
  list(APPEND configure_args ${_extra})
endif()

if(MODE STREQUAL "package")
  if(NOT PARENT_BINARY_DIR)
    message(FATAL_ERROR "package mode needs -DPARENT_BINARY_DIR")
  endif()
  run(install "${CMAKE_COMMAND}" --install "${PARENT_BINARY_DIR}" --prefix "${WORK_DIR}/prefix"
      ${config_args})
  list(APPEND configure_args "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix")
  file(GLOB_RECURSE _gmock_export "${WORK_DIR}/prefix/*/portres-gmock-targets.cmake")
  if(GMOCK AND NOT _gmock_export)
    message(STATUS "[${MODE}] portres::gmock was not installed; its sample is left out")
    set(GMOCK OFF)
  endif()
endif()

list(APPEND configure_args "-DPORTRES_CONSUMER_GMOCK=${GMOCK}")
run(configure "${CMAKE_COMMAND}" ${configure_args})
run(build "${CMAKE_COMMAND}" --build "${WORK_DIR}/build" ${config_args})
if(NOT DEFINED RUN_TESTS OR RUN_TESTS)
  set(ctest_config)
  if(CONFIG)
    set(ctest_config -C "${CONFIG}")
  endif()
  run(test "${CTEST_COMMAND}" --test-dir "${WORK_DIR}/build" ${ctest_config}
      --output-on-failure --no-tests=error)
endif()
