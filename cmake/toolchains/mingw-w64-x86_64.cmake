# Cross build for 64-bit Windows with Debian's MinGW-w64 (g++-mingw-w64-x86-64), tests run
# under Wine:
#
#   cmake --preset mingw-wine        (or: cmake -S . -B build -DCMAKE_TOOLCHAIN_FILE=<this file>)
#
# - The -posix compilers: their libstdc++ has std::thread and std::mutex (the -win32 ones lack
#   them with GCC 12), which the fake and GoogleTest use.
# - -static: libgcc, libstdc++ and winpthread are linked in, so every .exe runs as it is under
#   Wine or on Windows, with no DLL next to it and no WINEPATH (not with BUILD_SHARED_LIBS=ON:
#   see below).
# - CMAKE_CROSSCOMPILING_EMULATOR is wine-run (next to this file), which runs an .exe under
#   64-bit Wine in a prefix of its own, created on first use; ctest and gtest_discover_tests
#   go through it.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(_portres_mingw x86_64-w64-mingw32)
find_program(CMAKE_C_COMPILER NAMES ${_portres_mingw}-gcc-posix ${_portres_mingw}-gcc REQUIRED)
find_program(CMAKE_CXX_COMPILER NAMES ${_portres_mingw}-g++-posix ${_portres_mingw}-g++ REQUIRED)
find_program(CMAKE_RC_COMPILER NAMES ${_portres_mingw}-windres)

set(CMAKE_FIND_ROOT_PATH /usr/${_portres_mingw})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# BUILD_SHARED_LIBS=ON: the DLLs and the programs share one C++ runtime, MinGW's own DLLs
# (with a static copy in each module, std::generic_category() and the like would differ from
# one module to the next); wine-run finds them through WINEPATH.
set(_portres_wine_dll_dirs "")
if(BUILD_SHARED_LIBS)
  foreach(_dll libstdc++-6.dll libwinpthread-1.dll)
    execute_process(COMMAND "${CMAKE_CXX_COMPILER}" -print-file-name=${_dll}
                    OUTPUT_VARIABLE _path OUTPUT_STRIP_TRAILING_WHITESPACE)
    get_filename_component(_path "${_path}" DIRECTORY)
    get_filename_component(_path "${_path}" REALPATH)
    list(APPEND _portres_wine_dll_dirs --dll-dir "${_path}")
  endforeach()
else()
  set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
endif()

# The Wine prefix lives in the build tree, so a build directory is self-contained and deleting
# it resets Wine too. PORTRES_WINEPREFIX overrides (e.g. ~/.wine to share one prefix).
set(PORTRES_WINEPREFIX "${CMAKE_BINARY_DIR}/wineprefix" CACHE PATH
    "Wine prefix that wine-run uses to run the Windows test executables")
set(CMAKE_CROSSCOMPILING_EMULATOR "${CMAKE_CURRENT_LIST_DIR}/wine-run" ${_portres_wine_dll_dirs}
    "${PORTRES_WINEPREFIX}")
