# portres_export_header(<target> <MACRO> <header>): the export macro of one library, for
# BUILD_SHARED_LIBS=ON. Generates <portres/<header>> (GenerateExportHeader) into the build tree
# and adds it to the target's FILE_SET HEADERS, so that it is installed with the library and
# compiled alone by the header verification. The library's symbols are hidden unless its public
# API carries <MACRO>: on Linux the macro is visibility("default"), on Windows dllexport while
# building the DLL and dllimport for its users. A static library's header defines the macro
# empty, so that a static build asks nothing of its consumers (no definition to pass along).
include(GenerateExportHeader)

function(portres_export_header target macro header)
  set(_dir "${PROJECT_BINARY_DIR}/include")
  string(REGEX REPLACE "_API$" "" _base "${macro}")
  generate_export_header(${target}
    BASE_NAME ${_base}
    EXPORT_MACRO_NAME ${macro}
    EXPORT_FILE_NAME "${_dir}/portres/${header}")
  set_target_properties(${target} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    # While the major version is 0 a minor release may break the ABI (docs/versioning.md).
    VERSION ${PROJECT_VERSION}
    SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
  # An installed shared library finds the portres libraries it needs beside itself, in any
  # prefix: the consumer's RUNPATH names only the libraries the consumer links directly.
  if(NOT WIN32 AND NOT APPLE)
    set_target_properties(${target} PROPERTIES INSTALL_RPATH "$ORIGIN")
  endif()
  target_sources(${target} PUBLIC FILE_SET HEADERS BASE_DIRS "${_dir}" FILES
    "${_dir}/portres/${header}")
endfunction()
