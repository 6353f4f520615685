# pkg-config files, one per installed library, for builds that are not CMake (Meson, Make,
# Autotools): `pkg-config --cflags --libs portres-fake`. Each file finds its prefix from where
# it lies (${pcfiledir}), so an installed tree can be moved or unpacked anywhere.
#
# portres_install_pkgconfig(<target> <module> <description> [REQUIRES <module>...]
#                           [LIBS_PRIVATE <flag>...] [CFLAGS <flag>...])
# <module>.pc for <target>: Libs names the library as built for the configuration installed
# (a Debug postfix included), Requires the modules it builds on, Libs.private what a static
# link needs besides, Cflags -I${includedir} and CFLAGS.
function(portres_install_pkgconfig target module description)
  cmake_parse_arguments(PARSE_ARGV 3 _arg "" "" "REQUIRES;LIBS_PRIVATE;CFLAGS")
  set(_pcdir "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
  file(RELATIVE_PATH _to_prefix "/${_pcdir}" "/")
  string(REGEX REPLACE "/$" "" _to_prefix "${_to_prefix}")
  string(JOIN ", " _requires ${_arg_REQUIRES})
  string(JOIN " " _libs_private ${_arg_LIBS_PRIVATE})
  string(JOIN " " _cflags "-I\${includedir}" ${_arg_CFLAGS})
  set(_content "prefix=\${pcfiledir}/${_to_prefix}
includedir=\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}
libdir=\${prefix}/${CMAKE_INSTALL_LIBDIR}

Name: ${module}
Description: ${description}
Version: ${PROJECT_VERSION}
Requires: ${_requires}
Cflags: ${_cflags}
Libs: -L\${libdir} -l$<TARGET_FILE_BASE_NAME:${target}>
Libs.private: ${_libs_private}
")
  file(GENERATE OUTPUT "${PROJECT_BINARY_DIR}/pkgconfig/$<CONFIG>/${module}.pc"
       CONTENT "${_content}")
  install(FILES "${PROJECT_BINARY_DIR}/pkgconfig/$<CONFIG>/${module}.pc"
          DESTINATION "${_pcdir}" COMPONENT portres_development)
endfunction()
