# docs/getting-started.md's table of targets and headers agrees with the libraries' file sets.
#
#   cmake -DPORTRES_SOURCE_DIR=<checkout> "-DHEADER_SETS=portres:a.h|b.h;fake:c.h" -P header_table.cmake
#
# Every public header is listed exactly once, under the target whose FILE_SET HEADERS names it
# (the build passes the sets: tests/docs/CMakeLists.txt). The real backend's headers are in no
# set off Windows, where that library is not built; they go with portres::winsock. So do the
# printers of a test framework that was not found, with portres::catch2 or portres::doctest.
cmake_minimum_required(VERSION 3.25)

if(NOT PORTRES_SOURCE_DIR OR NOT HEADER_SETS)
  message(FATAL_ERROR
          "usage: cmake -DPORTRES_SOURCE_DIR=<checkout> -DHEADER_SETS=<sets> -P header_table.cmake")
endif()
set(root "${PORTRES_SOURCE_DIR}")

file(GLOB headers RELATIVE "${root}/include/portres" "${root}/include/portres/*.h")
foreach(header IN LISTS headers)
  string(REGEX REPLACE "\\.h$" "" stem "${header}")
  if(stem MATCHES "^winsock_(socket_ioctl|ip_helper|environment)$")
    set(target_${stem} winsock)
  elseif(stem MATCHES "^(catch2|doctest)_printers$")
    set(target_${stem} ${CMAKE_MATCH_1})
  endif()
endforeach()
foreach(set IN LISTS HEADER_SETS)
  string(REGEX MATCH "^([a-z0-9_]+):(.*)$" _ "${set}")
  set(target "${CMAKE_MATCH_1}")
  string(REPLACE "|" ";" files "${CMAKE_MATCH_2}")
  foreach(file IN LISTS files)
    get_filename_component(name "${file}" NAME_WE)
    set(target_${name} ${target})
  endforeach()
endforeach()

# The table.
file(STRINGS "${root}/docs/getting-started.md" rows REGEX "^\\| `portres::[a-z0-9]+` \\|")
set(findings "")
set(listed "")
foreach(row IN LISTS rows)
  string(REGEX MATCH "^\\| `portres::([a-z0-9]+)`" _ "${row}")
  set(target ${CMAKE_MATCH_1})
  string(REGEX MATCHALL "portres/[a-z0-9_]+\\.h" named "${row}")
  foreach(name IN LISTS named)
    string(REGEX REPLACE "^portres/|\\.h$" "" stem "${name}")
    if(stem IN_LIST listed)
      string(APPEND findings "  ${name} is listed twice\n")
    endif()
    list(APPEND listed ${stem})
    if(NOT DEFINED target_${stem})
      string(APPEND findings "  ${name} is listed under portres::${target} but does not exist\n")
    elseif(NOT target_${stem} STREQUAL target)
      string(APPEND findings "  ${name} is listed under portres::${target}; it belongs to "
                             "portres::${target_${stem}}\n")
    endif()
  endforeach()
endforeach()
foreach(header IN LISTS headers)
  string(REGEX REPLACE "\\.h$" "" stem "${header}")
  if(NOT stem IN_LIST listed)
    string(APPEND findings "  portres/${header} (portres::${target_${stem}}) is missing\n")
  endif()
endforeach()
if(findings)
  message(FATAL_ERROR "docs/getting-started.md's table of targets and headers:\n${findings}")
endif()
list(LENGTH headers count)
message(STATUS "docs/getting-started.md lists all ${count} public headers under their targets")
