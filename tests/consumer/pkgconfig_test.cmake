# Builds the sample's sources (project/) against an installed portres without CMake; run by
# ctest as
#   cmake -DMODE=<compiler|meson> -DWORK_DIR=<dir> -DPREFIX=<installed tree> ... -P pkgconfig_test.cmake
# Inputs (all -D):
#   MODE          compiler: `c++ ... $(pkg-config --cflags --libs ...)`, as a Makefile would;
#                 meson: the project in meson/, `meson setup`, `meson compile`, `meson test`
#   SOURCE_DIR    tests/consumer
#   WORK_DIR      wiped at start
#   PREFIX        the installed tree (the prefix given to cmake --install, or an unpacked package)
#   INSTALL_FROM  a portres build to `cmake --install` into PREFIX first (optional)
#   CXX_COMPILER  the compiler (compiler mode)
#   GMOCK         ON to build the portres-gmock sample too
#   C_COMPILER    the C compiler (compiler mode, off Windows: the portres-seam sample in C)
#   DOCTEST       ON to build the doctest sample too, on portres-sweep (compiler mode; doctest
#                 is one header, found where the compiler looks)
cmake_minimum_required(VERSION 3.25)

include("${CMAKE_CURRENT_LIST_DIR}/run_step.cmake")

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
if(INSTALL_FROM)
  run(install "${CMAKE_COMMAND}" --install "${INSTALL_FROM}" --prefix "${PREFIX}")
endif()

file(GLOB_RECURSE _pc_files "${PREFIX}/*/pkgconfig/portres.pc")
if(NOT _pc_files)
  message(FATAL_ERROR "[${MODE}] no pkgconfig/portres.pc under ${PREFIX}")
endif()
list(GET _pc_files 0 _pc_file)
get_filename_component(_pc_dir "${_pc_file}" DIRECTORY)
# Only the installed tree and the system's own modules (gmock, gtest) are found.
set(ENV{PKG_CONFIG_PATH} "${_pc_dir}")
find_program(PKG_CONFIG pkg-config REQUIRED)

if(GMOCK AND NOT EXISTS "${_pc_dir}/portres-gmock.pc")
  message(FATAL_ERROR "[${MODE}] portres-gmock.pc was not installed in ${_pc_dir}")
endif()

if(MODE STREQUAL "compiler")
  set(_programs consumer_reserve_ports:reserve_ports.cpp:portres-fake)
  if(GMOCK)
    list(APPEND _programs "consumer_mock_test:mock_test.cpp:portres-gmock gmock_main")
  endif()
  if(DOCTEST)
    list(APPEND _programs "consumer_doctest_test:doctest_test.cpp:portres-sweep")
  endif()
  foreach(_program IN LISTS _programs)
    string(REPLACE ":" ";" _program "${_program}")
    list(GET _program 0 _name)
    list(GET _program 1 _source)
    list(GET _program 2 _modules)
    separate_arguments(_modules UNIX_COMMAND "${_modules}")
    execute_process(COMMAND "${PKG_CONFIG}" --cflags --libs ${_modules}
      OUTPUT_VARIABLE _flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
      message(FATAL_ERROR "[${MODE}] pkg-config --cflags --libs ${_modules} failed")
    endif()
    separate_arguments(_flags UNIX_COMMAND "${_flags}")
    run("compile ${_name}" "${CXX_COMPILER}" -std=c++17 -Wall -Wextra -Wpedantic -Werror
        "${SOURCE_DIR}/project/${_source}" ${_flags} -o "${WORK_DIR}/${_name}")
    # A program linked by a plain command has no RUNPATH: shared libraries in a prefix the
    # dynamic linker does not search are found through LD_LIBRARY_PATH.
    run("run ${_name}" "${CMAKE_COMMAND}" -E env "LD_LIBRARY_PATH=${PREFIX}/lib"
        "${WORK_DIR}/${_name}")
  endforeach()
  # Windows code in C, compiled as C against the SDK names portres-seam.pc points at, linked by
  # the C++ compiler (the seam is C++ inside), with the seam's archive after the program's code.
  if(C_COMPILER)
    execute_process(COMMAND "${PKG_CONFIG}" --cflags portres-seam
      OUTPUT_VARIABLE _cflags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE result)
    execute_process(COMMAND "${PKG_CONFIG}" --libs --static portres-seam
      OUTPUT_VARIABLE _libs OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE result_libs)
    if(NOT result EQUAL 0 OR NOT result_libs EQUAL 0)
      message(FATAL_ERROR "[${MODE}] pkg-config portres-seam failed")
    endif()
    separate_arguments(_cflags UNIX_COMMAND "${_cflags}")
    separate_arguments(_libs UNIX_COMMAND "${_libs}")
    run("compile consumer_seam_test" "${C_COMPILER}" -std=c11 -Wall -Wextra -Wpedantic -Werror
        -c "${SOURCE_DIR}/project/seam_test.c" ${_cflags} -o "${WORK_DIR}/seam_test.o")
    run("link consumer_seam_test" "${CXX_COMPILER}" "${WORK_DIR}/seam_test.o" ${_libs}
        -o "${WORK_DIR}/consumer_seam_test")
    run("run consumer_seam_test" "${WORK_DIR}/consumer_seam_test")
  endif()
elseif(MODE STREQUAL "meson")
  find_program(MESON meson REQUIRED)
  file(COPY "${SOURCE_DIR}/meson/meson.build" "${SOURCE_DIR}/meson/meson_options.txt"
            "${SOURCE_DIR}/project/reserve_ports.cpp" "${SOURCE_DIR}/project/mock_test.cpp"
       DESTINATION "${WORK_DIR}/src")
  set(_feature disabled)
  if(GMOCK)
    set(_feature enabled)
  endif()
  run(setup "${MESON}" setup "${WORK_DIR}/build" "${WORK_DIR}/src" -Dgmock=${_feature})
  run(compile "${MESON}" compile -C "${WORK_DIR}/build")
  run(test "${MESON}" test -C "${WORK_DIR}/build" --print-errorlogs)
else()
  message(FATAL_ERROR "pkgconfig_test.cmake: unknown MODE '${MODE}'")
endif()
