# The docs work as pasted: every C++ block of README.md and docs/*.md compiles, and every shell
# block marked runnable runs.
#
#   cmake -DPORTRES_SOURCE_DIR=<checkout> -DCXX=<compiler> -DINCLUDE_DIRS=<dir|dir|...>
#         -DWORK_DIR=<scratch> [-DRUN_DIR=<dir>] -P doc_snippets.cmake
#
# A ```cpp or ```c++ block compiles alone by default, with the includes it shows (the include
# directories are portres's and GoogleTest's, as a project linking portres::gmock has them).
# An HTML comment on the line before the fence says otherwise:
#   <!-- snippet: continues -->          the block goes on from the blocks before it on the page
#                                        (a tutorial's next step); the chain compiles as one file
#   <!-- snippet: fragment, <reason> --> not compiled; the reason is printed
#   <!-- snippet: run -->                (before a ```sh block) run with `sh -e` in RUN_DIR; it
#                                        fails on a non-zero status and on a ctest filter that
#                                        selects no test ("Total Tests: 0")
# Errors point at the Markdown file and line (#line). Runnable blocks are skipped, with the
# reason, when RUN_DIR is not given (the build is not the dev preset's).
cmake_minimum_required(VERSION 3.25)

foreach(var PORTRES_SOURCE_DIR CXX WORK_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "doc_snippets.cmake needs -D${var}=...")
  endif()
endforeach()
set(root "${PORTRES_SOURCE_DIR}")
# portres's headers are checked as the snippets' own code; GoogleTest's are a system's.
string(REPLACE "|" ";" include_dirs "${INCLUDE_DIRS}")
list(REMOVE_DUPLICATES include_dirs)
set(include_flags "-I${root}/include")
foreach(dir IN LISTS include_dirs)
  # The compiler's own directories stay where it has them (-isystem /usr/include would break
  # libstdc++'s #include_next).
  if(dir AND NOT dir STREQUAL "${root}/include" AND NOT dir MATCHES "^/usr(/local)?/include/?$")
    list(APPEND include_flags -isystem "${dir}")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

string(ASCII 1 semi)
string(ASCII 2 open_bracket)
string(ASCII 3 close_bracket)

set(failures "")
set(notes "")
set(compiled_units 0)
set(compiled_blocks 0)
set(ran_blocks 0)

# Compiles one unit (a block, or a chain of blocks) as a translation unit of its own.
function(compile_unit name text)
  set(file "${WORK_DIR}/${name}.cpp")
  file(WRITE "${file}" "${text}")
  execute_process(
    COMMAND "${CXX}" -std=c++17 -fsyntax-only -Wall -Wextra -Wpedantic -Werror ${include_flags}
            -x c++ "${file}"
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    set(failures "${failures}${name} does not compile as shown (${file}):\n${output}\n"
        PARENT_SCOPE)
  endif()
endfunction()

# Compiles the chain built so far, if any.
macro(flush_unit)
  if(NOT unit STREQUAL "")
    compile_unit("${page_id}_${unit_start}" "${unit}")
    math(EXPR compiled_units "${compiled_units} + 1")
  endif()
endmacro()

function(run_block name text)
  if(NOT RUN_DIR)
    set(notes "${notes}  ${name}: not run (runnable blocks run in the dev preset's build)\n"
        PARENT_SCOPE)
    return()
  endif()
  execute_process(COMMAND sh -e -c "${text}" WORKING_DIRECTORY "${RUN_DIR}"
                  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    set(failures "${failures}${name} fails (status ${result}):\n${text}${output}\n" PARENT_SCOPE)
  elseif(output MATCHES "Total Tests: 0")
    set(failures "${failures}${name}: a ctest filter selects no test:\n${text}${output}\n"
        PARENT_SCOPE)
  endif()
  math(EXPR count "${ran_blocks} + 1")
  set(ran_blocks ${count} PARENT_SCOPE)
endfunction()

file(GLOB pages RELATIVE "${root}" "${root}/README.md" "${root}/docs/*.md")
foreach(page IN LISTS pages)
  file(READ "${root}/${page}" text)
  string(REPLACE ";" "${semi}" text "${text}")
  string(REPLACE "[" "${open_bracket}" text "${text}")
  string(REPLACE "]" "${close_bracket}" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  string(MAKE_C_IDENTIFIER "${page}" page_id)

  set(line_number 0)
  set(previous "")
  set(in_block "")      # cpp, sh or other while inside a fence
  set(marker "")
  set(unit "")          # the chain being built
  set(unit_start 0)
  set(block "")
  foreach(line IN LISTS lines)
    math(EXPR line_number "${line_number} + 1")
    string(REPLACE "${semi}" ";" line "${line}")
    string(REPLACE "${open_bracket}" "[" line "${line}")
    string(REPLACE "${close_bracket}" "]" line "${line}")
    if(in_block STREQUAL "")
      if(line MATCHES "^```(cpp|c\\+\\+)[ ]*$")
        set(in_block cpp)
      elseif(line MATCHES "^```(sh|bash)[ ]*$")
        set(in_block sh)
      elseif(line MATCHES "^```")
        set(in_block other)
      endif()
      if(NOT in_block STREQUAL "")
        set(marker "")
        if(previous MATCHES "^<!-- snippet: ([^>]*) -->[ ]*$")
          set(marker "${CMAKE_MATCH_1}")
        endif()
        set(block_start ${line_number})
        math(EXPR first_line "${line_number} + 1")
        set(block "")
        if(in_block STREQUAL "cpp")
          set(block "#line ${first_line} \"${root}/${page}\"\n")
        endif()
      endif()
    elseif(line MATCHES "^```[ ]*$")
      set(name "${page}:${block_start}")
      if(in_block STREQUAL "cpp")
        if(marker MATCHES "^fragment")
          string(APPEND notes "  ${name}: not compiled (${marker})\n")
        elseif(marker STREQUAL "continues" AND NOT unit STREQUAL "")
          string(APPEND unit "${block}")
          math(EXPR compiled_blocks "${compiled_blocks} + 1")
        elseif(marker STREQUAL "continues")
          string(APPEND failures "${name}: marked `continues` but no block comes before it\n")
        elseif(NOT marker STREQUAL "")
          string(APPEND failures "${name}: unknown snippet marker `${marker}`\n")
        else()
          flush_unit()
          set(unit "${block}")
          set(unit_start ${block_start})
          math(EXPR compiled_blocks "${compiled_blocks} + 1")
        endif()
      elseif(in_block STREQUAL "sh" AND marker STREQUAL "run")
        run_block("${name}" "${block}")
      elseif(NOT marker STREQUAL "")
        string(APPEND failures "${name}: snippet marker `${marker}` on a block it does not apply to\n")
      endif()
      set(in_block "")
    else()
      string(APPEND block "${line}\n")
    endif()
    set(previous "${line}")
  endforeach()
  if(NOT in_block STREQUAL "")
    string(APPEND failures "${page}:${block_start}: the block is never closed\n")
  endif()
  flush_unit()
endforeach()

if(notes)
  message(STATUS "doc snippets not checked, and why:\n${notes}")
endif()
if(failures)
  message(FATAL_ERROR "doc snippets:\n${failures}")
endif()
message(STATUS "doc snippets: ${compiled_blocks} C++ blocks compiled as ${compiled_units} files, "
               "${ran_blocks} shell blocks run")
