# The fidelity ledger checks itself: docs/fidelity.md against the tests and docs/reference.md.
#
#   cmake -DPORTRES_SOURCE_DIR=<checkout> [-DLEDGER=<fidelity.md>] -P fidelity_ledger.cmake
#
# Fails, listing every finding, when
#   - a row names a test that no source defines (TEST, TEST_F, TEST_P, TYPED_TEST, TYPED_TEST_P;
#     `Suite.*` needs the suite, `Instance/Suite.Name/*` is Suite.Name);
#   - a test of tests/contract or tests/fake whose name ends in _Assumed or _Observed has no row;
#   - a row's source is none of: a link into docs/reference.md whose anchor exists, a public URL
#     or issue (owner/repo#N), `assumed: ...`, `fake control`, `open`; or still carries a
#     citation that only resolved outside the repository (a [TAG], "section N", "issue N");
#   - a `[ref:anchor]` in a source file, or a `reference.md#anchor` link in the docs, names an
#     anchor that docs/reference.md lacks.
# CMake only (no Python): every machine that builds portres can run it.
cmake_minimum_required(VERSION 3.25)

if(NOT PORTRES_SOURCE_DIR)
  message(FATAL_ERROR "usage: cmake -DPORTRES_SOURCE_DIR=<checkout> -P fidelity_ledger.cmake")
endif()
set(root "${PORTRES_SOURCE_DIR}")
if(NOT LEDGER)
  set(LEDGER "${root}/docs/fidelity.md")
endif()

set(findings "")
macro(finding text)
  string(APPEND findings "  ${text}\n")
endmacro()

# Reads a file as a list of lines. `;`, `[` and `]` would split or glue list elements, so they
# travel as control characters and come back with restore_line().
string(ASCII 1 semi)
string(ASCII 2 open_bracket)
string(ASCII 3 close_bracket)
function(read_lines path out)
  file(READ "${path}" text)
  string(REPLACE ";" "${semi}" text "${text}")
  string(REPLACE "[" "${open_bracket}" text "${text}")
  string(REPLACE "]" "${close_bracket}" text "${text}")
  string(REPLACE "\n" ";" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()
macro(restore_line var)
  string(REPLACE "${semi}" ";" ${var} "${${var}}")
  string(REPLACE "${open_bracket}" "[" ${var} "${${var}}")
  string(REPLACE "${close_bracket}" "]" ${var} "${${var}}")
endmacro()

# The anchors of docs/reference.md.
file(READ "${root}/docs/reference.md" reference)
string(REGEX MATCHALL "<a id=\"[a-z0-9-]+\"></a>" anchor_tags "${reference}")
set(anchors "")
foreach(tag IN LISTS anchor_tags)
  string(REGEX REPLACE "<a id=\"([a-z0-9-]+)\"></a>" "\\1" anchor "${tag}")
  list(APPEND anchors "${anchor}")
endforeach()

# Every test the sources define, as Suite.Name, and the suites.
file(GLOB_RECURSE test_sources LIST_DIRECTORIES false
     "${root}/tests/*.cpp" "${root}/tests/*.h" "${root}/examples/*.cpp"
     "${root}/testing/*.cpp" "${root}/fuzz/*.cpp")
set(tests "")
set(suites "")
set(needs_row "")
set(ws "[ \t\r\n]*")
foreach(source IN LISTS test_sources)
  file(READ "${source}" text)
  string(REGEX MATCHALL
         "(^|[^A-Za-z0-9_])(TEST|TEST_F|TEST_P|TYPED_TEST|TYPED_TEST_P)\\(${ws}[A-Za-z0-9_]+${ws},${ws}[A-Za-z0-9_]+"
         defs "${text}")
  foreach(def IN LISTS defs)
    string(REGEX REPLACE ".*\\(${ws}([A-Za-z0-9_]+)${ws},${ws}([A-Za-z0-9_]+)$" "\\1.\\2" name
                         "${def}")
    string(REGEX REPLACE "\\..*" "" suite "${name}")
    list(APPEND tests "${name}")
    list(APPEND suites "${suite}")
    if(source MATCHES "/tests/(contract|fake)/" AND name MATCHES "_(Assumed|Observed)$")
      list(APPEND needs_row "${name}")
    endif()
  endforeach()
endforeach()
list(REMOVE_DUPLICATES suites)

# The rows.
read_lines("${LEDGER}" lines)
set(named "")
set(row_count 0)
set(line_number 0)
foreach(line IN LISTS lines)
  math(EXPR line_number "${line_number} + 1")
  restore_line(line)
  if(NOT line MATCHES "^\\|" OR line MATCHES "^\\|[- |]*$" OR line MATCHES "^\\| behaviour \\|")
    continue()
  endif()
  if(NOT line MATCHES "^\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|[ ]*$")
    finding("fidelity.md:${line_number}: not a row of four cells: ${line}")
    continue()
  endif()
  math(EXPR row_count "${row_count} + 1")
  string(STRIP "${CMAKE_MATCH_2}" source_cell)
  string(STRIP "${CMAKE_MATCH_3}" test_cell)
  set(where "fidelity.md:${line_number}")

  # Source.
  set(valid FALSE)
  string(REGEX MATCHALL "reference\\.md#[a-z0-9-]+" links "${source_cell}")
  foreach(link IN LISTS links)
    string(REPLACE "reference.md#" "" anchor "${link}")
    if(anchor IN_LIST anchors)
      set(valid TRUE)
    else()
      finding("${where}: source links to reference.md#${anchor}, which docs/reference.md lacks")
    endif()
  endforeach()
  if(source_cell MATCHES "https://[^ ]+|[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+#[0-9]+"
     OR source_cell MATCHES "^(assumed: |fake control|open)")
    set(valid TRUE)
  endif()
  if(source_cell MATCHES "\\[[A-Z][A-Z][A-Z]?[A-Z]?\\]|[Ss]ection [0-9]|[Ii]ssue [0-9]|item [0-9]|port-reservations|field-evidence|shared/")
    finding("${where}: source cites what only resolves outside the repository: ${source_cell}")
  elseif(NOT valid)
    finding("${where}: source is no reference.md anchor, public URL or issue, `assumed: ...`, `fake control` or `open`: ${source_cell}")
  endif()

  # Tests.
  string(REGEX MATCHALL "([A-Za-z0-9_]+/)?[A-Z][A-Za-z0-9_]*\\.[A-Za-z0-9_*]+" names "${test_cell}")
  if(NOT names)
    if(NOT (source_cell MATCHES "^open" AND test_cell STREQUAL "—"))
      finding("${where}: names no test (only an `open` row may say —)")
    endif()
  endif()
  foreach(name IN LISTS names)
    string(REGEX REPLACE "^[A-Za-z0-9_]+/" "" name "${name}")
    string(REGEX REPLACE "\\..*" "" suite "${name}")
    if(name MATCHES "\\.\\*$")
      if(NOT suite IN_LIST suites)
        finding("${where}: no test suite ${suite} (named as ${name})")
      endif()
    elseif(NOT name IN_LIST tests)
      finding("${where}: no test ${name}")
    else()
      list(APPEND named "${name}")
    endif()
  endforeach()
endforeach()

foreach(name IN LISTS needs_row)
  if(NOT name IN_LIST named)
    finding("fidelity.md: no row names ${name} (an _Assumed or _Observed test needs one)")
  endif()
endforeach()

# [ref:anchor] in the sources, reference.md#anchor in the docs.
file(GLOB_RECURSE cited LIST_DIRECTORIES false
     "${root}/include/*.h" "${root}/src/*.cpp" "${root}/src/*.h" "${root}/fake/*.cpp"
     "${root}/fake/*.h" "${root}/testing/*.cpp" "${root}/testing/*.h" "${root}/tests/*.cpp"
     "${root}/tests/*.h" "${root}/examples/*.cpp" "${root}/examples/*.h" "${root}/bench/*.cpp"
     "${root}/bench/*.h" "${root}/fuzz/*.cpp" "${root}/fuzz/*.h" "${root}/docs/*.md"
     "${root}/examples/*CMakeLists.txt" "${root}/tests/*CMakeLists.txt" "${root}/src/*CMakeLists.txt"
     "${root}/README.md" "${root}/CHANGELOG.md")
foreach(file IN LISTS cited)
  file(READ "${file}" text)
  string(REPLACE ";" "," text "${text}")
  string(REGEX MATCHALL "\\[ref:[a-z0-9-]+\\]|reference\\.md#[a-z0-9-]+" refs "${text}")
  file(RELATIVE_PATH relative "${root}" "${file}")
  foreach(ref IN LISTS refs)
    string(REGEX REPLACE "^\\[ref:|\\]$|^reference\\.md#" "" anchor "${ref}")
    # reference.md's opening paragraph writes the notation itself, `[ref:anchor]`.
    if(NOT anchor IN_LIST anchors AND NOT anchor STREQUAL "anchor")
      finding("${relative}: ${ref} names an anchor docs/reference.md lacks")
    endif()
  endforeach()
endforeach()

list(LENGTH anchors anchor_count)
list(LENGTH tests test_count)
list(LENGTH needs_row needs_row_count)
if(findings)
  message(FATAL_ERROR "fidelity ledger: ${row_count} rows, findings:\n${findings}")
endif()
message(STATUS "fidelity ledger: ${row_count} rows agree with ${test_count} tests "
               "(${needs_row_count} _Assumed/_Observed, each with a row) and ${anchor_count} "
               "reference anchors")
