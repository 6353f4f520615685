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
#   PORTRES_ARGS         package mode: configure, build and install portres from
#                        PORTRES_SOURCE_DIR with these arguments ('|'-separated) instead of
#                        installing PARENT_BINARY_DIR
#   EXPECT_GMOCK         package mode: ON if portres::gmock must have been installed
#   EXPECT_ERROR         a regex: the sample's configure must fail with a message matching it
#   PORTRES_GENERATOR    with PORTRES_ARGS: the generator of that portres build (default GENERATOR)
#   CONFIGS              configurations ('|'-separated): portres is built and installed in each
#                        (PORTRES_ARGS), and the sample built, linked and tested against each
#   EXPECT_SHARED        package mode: ON if the prefix must hold portres as shared libraries
#                        (ELF), each exporting its public API and nothing of the fake's
#                        internals; the sample must link them. NM: the nm that reads them
#   CPACK_CONFIG         package mode: make the Debian package with this CPackConfig.cmake of
#                        PARENT_BINARY_DIR, unpack it (dpkg-deb -x) into WORK_DIR/root and use
#                        WORK_DIR/root/usr as the installed tree
cmake_minimum_required(VERSION 3.25)

foreach(required MODE PROJECT_DIR PORTRES_SOURCE_DIR WORK_DIR GENERATOR CTEST_COMMAND)
  if(NOT DEFINED ${required} OR "${${required}}" STREQUAL "")
    message(FATAL_ERROR "consumer_test.cmake: -D${required}=... is required")
  endif()
endforeach()

include("${CMAKE_CURRENT_LIST_DIR}/run_step.cmake")

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# Single-config builds without CMAKE_BUILD_TYPE have no configuration to name.
if(NOT CONFIG AND NOT CONFIGS)
  set(CONFIG Release)
endif()

# The parent's toolchain, for every configure below (the sample's, and portres's own).
set(toolchain_args "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}"
    # Nothing may be downloaded, and nothing found outside what this test sets up. (The same
    # arguments go to every mode; a mode that has no use for one does not warn about it.)
    --no-warn-unused-cli
    -DFETCHCONTENT_FULLY_DISCONNECTED=ON
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(GENERATOR_PLATFORM)
  list(APPEND toolchain_args -A "${GENERATOR_PLATFORM}")
endif()
if(GENERATOR_TOOLSET)
  list(APPEND toolchain_args -T "${GENERATOR_TOOLSET}")
endif()
if(MAKE_PROGRAM)
  list(APPEND toolchain_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(CXX_COMPILER)
  list(APPEND toolchain_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
if(CONFIG)
  list(APPEND toolchain_args "-DCMAKE_BUILD_TYPE=${CONFIG}")
endif()

set(configs "${CONFIG}")
if(CONFIGS)
  string(REPLACE "|" ";" configs "${CONFIGS}")
endif()
if(NOT PORTRES_GENERATOR)
  set(PORTRES_GENERATOR "${GENERATOR}")
endif()

set(configure_args -S "${PROJECT_DIR}" -G "${GENERATOR}" ${toolchain_args}
    "-DPORTRES_CONSUMER_MODE=${MODE}" "-DPORTRES_SOURCE_DIR=${PORTRES_SOURCE_DIR}")
if(EXTRA_ARGS)
  string(REPLACE "|" ";" _extra "${EXTRA_ARGS}")
  list(APPEND configure_args ${_extra})
endif()

if(MODE STREQUAL "package")
  if(NOT PARENT_BINARY_DIR)
    message(FATAL_ERROR "package mode needs -DPARENT_BINARY_DIR")
  endif()
  set(_portres_build "${PARENT_BINARY_DIR}")
  if(DEFINED PORTRES_ARGS)
    set(_portres_build "${WORK_DIR}/portres")
    string(REPLACE "|" ";" _portres_args "${PORTRES_ARGS}")
    run("portres configure" "${CMAKE_COMMAND}" -S "${PORTRES_SOURCE_DIR}" -B "${_portres_build}"
        -G "${PORTRES_GENERATOR}" ${toolchain_args} ${_portres_args})
    foreach(_config IN LISTS configs)
      run("portres build ${_config}" "${CMAKE_COMMAND}" --build "${_portres_build}"
          --config "${_config}")
    endforeach()
  endif()
  set(_prefix "${WORK_DIR}/prefix")
  if(CPACK_CONFIG)
    get_filename_component(_cpack "${CMAKE_COMMAND}" DIRECTORY)
    run(package "${_cpack}/cpack" --config "${CPACK_CONFIG}" -B "${WORK_DIR}/package")
    file(GLOB _debs "${WORK_DIR}/package/*.deb")
    if(NOT _debs)
      message(FATAL_ERROR "[${MODE}] cpack made no .deb in ${WORK_DIR}/package")
    endif()
    execute_process(COMMAND dpkg-deb --field ${_debs} Package Architecture
                    OUTPUT_VARIABLE _fields COMMAND_ERROR_IS_FATAL ANY)
    execute_process(COMMAND dpkg --print-architecture OUTPUT_VARIABLE _arch
                    OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
    message(STATUS "[${MODE}] ${_debs}:\n${_fields}")
    if(NOT _fields MATCHES "Package: libportres-dev" OR NOT _fields MATCHES "Architecture: ${_arch}")
      message(FATAL_ERROR "[${MODE}] expected Package: libportres-dev, Architecture: ${_arch}")
    endif()
    run(unpack dpkg-deb -x ${_debs} "${WORK_DIR}/root")
    set(_prefix "${WORK_DIR}/root/usr")
    foreach(_expected include/portres/fake_host.h lib/pkgconfig/portres-fake.pc
                      lib/cmake/portres/portresConfig.cmake share/doc/portres/README.md)
      if(NOT EXISTS "${_prefix}/${_expected}")
        message(FATAL_ERROR "[${MODE}] the package has no /usr/${_expected}")
      endif()
    endforeach()
  else()
    foreach(_config IN LISTS configs)
      run("install ${_config}" "${CMAKE_COMMAND}" --install "${_portres_build}"
          --prefix "${_prefix}" --config "${_config}")
    endforeach()
  endif()
  list(APPEND configure_args "-DCMAKE_PREFIX_PATH=${_prefix}")
  if(EXPECT_SHARED)
    # The symbols of the installed libraries: the public API, with the fake's host model hidden.
    file(GLOB _shared "${_prefix}/lib*/libportres_fake*.so")
    if(NOT _shared)
      message(FATAL_ERROR "[${MODE}] no libportres_fake*.so was installed in ${_prefix}")
    endif()
    execute_process(COMMAND "${NM}" -D -C --defined-only ${_shared}
                    OUTPUT_VARIABLE _symbols COMMAND_ERROR_IS_FATAL ANY)
    if(NOT _symbols MATCHES "portres::FakeHost::FakeHost")
      message(FATAL_ERROR "[${MODE}] ${_shared} does not export portres::FakeHost")
    endif()
    if(_symbols MATCHES "portres::detail::HostState")
      message(FATAL_ERROR "[${MODE}] ${_shared} exports the fake's internals (detail::HostState)")
    endif()
    # The seam's archive is static on purpose: its definitions must be linked into the program
    # to take the place of the Winsock functions (docs/testing-code-you-cannot-change.md).
    file(GLOB _static "${_prefix}/lib*/libportres*.a")
    list(FILTER _static EXCLUDE REGEX "/libportres_seamd?\\.a$")
    if(_static)
      message(FATAL_ERROR "[${MODE}] static libraries were installed too: ${_static}")
    endif()
  endif()
  file(GLOB_RECURSE _gmock_export "${_prefix}/*/portres-gmock-targets.cmake")
  if(EXPECT_GMOCK AND NOT _gmock_export)
    message(FATAL_ERROR "[${MODE}] portres::gmock was not installed (portres-gmock-targets.cmake)")
  endif()
  if(GMOCK AND NOT _gmock_export AND NOT DEFINED EXPECT_ERROR)
    message(STATUS "[${MODE}] portres::gmock was not installed; its sample is left out")
    set(GMOCK OFF)
  endif()
endif()

list(APPEND configure_args "-DPORTRES_CONSUMER_GMOCK=${GMOCK}")
if(DEFINED EXPECT_ERROR)
  message(STATUS "[${MODE}] configure, expecting an error matching: ${EXPECT_ERROR}")
  execute_process(COMMAND "${CMAKE_COMMAND}" ${configure_args}
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  message("${output}")
  # CMake wraps long messages: match against the text with its line breaks and indents folded.
  string(REGEX REPLACE "[ \t\r\n]+" " " _folded "${output}")
  if(result EQUAL 0)
    message(FATAL_ERROR "[${MODE}] the configure succeeded; expected an error")
  elseif(NOT _folded MATCHES "${EXPECT_ERROR}")
    message(FATAL_ERROR "[${MODE}] the configure failed, but not with: ${EXPECT_ERROR}")
  endif()
  message(STATUS "[${MODE}] failed as expected")
  return()
endif()
foreach(_config IN LISTS configs)
  set(_build "${WORK_DIR}/build")
  set(_config_args "")
  if(_config)
    list(APPEND _config_args --config "${_config}")
  endif()
  if(CONFIGS)
    set(_build "${WORK_DIR}/build-${_config}")
    list(APPEND configure_args "-DCMAKE_BUILD_TYPE=${_config}")
  endif()
  run("configure ${_config}" "${CMAKE_COMMAND}" -B "${_build}" ${configure_args})
  run("build ${_config}" "${CMAKE_COMMAND}" --build "${_build}" ${_config_args})
  if(CONFIGS)
    # Each configuration links the installed library built in that configuration (Debug ones
    # carry the postfix d).
    set(_library libportres_fake.a)
    if(_config STREQUAL "Debug")
      set(_library libportres_faked.a)
    endif()
    file(READ "${_build}/build.ninja" _ninja)
    if(NOT _ninja MATCHES "/${_library}")
      message(FATAL_ERROR "[${MODE}] the ${_config} sample does not link ${_library}")
    endif()
  endif()
  if(EXPECT_SHARED)
    # Linked by the build tree's RPATH, which ctest's runs below rely on.
    file(READ "${_build}/build.ninja" _ninja)
    if(NOT _ninja MATCHES "-Wl,-rpath,[^ ]*prefix/lib" OR NOT _ninja MATCHES "/libportres_fake[d]?[.]so")
      message(FATAL_ERROR "[${MODE}] the sample does not link the installed libportres_fake*.so")
    endif()
  endif()
  if(NOT DEFINED RUN_TESTS OR RUN_TESTS)
    set(ctest_config)
    if(_config)
      set(ctest_config -C "${_config}")
    endif()
    run("test ${_config}" "${CTEST_COMMAND}" --test-dir "${_build}" ${ctest_config}
        --output-on-failure --no-tests=error)
  endif()
endforeach()
