# Runs Doxygen on the configured Doxyfile and enforces portres's documentation rule:
#
#   every file, namespace, class, struct, enum, free function and macro of the public headers
#   has a comment; a member of a class may go without one when its name, with its class's
#   comment, says it all (Doxygen still lists it, with its signature).
#
# Doxygen cannot judge "says it all", so the rule is enforced as: Doxygen writes its warnings
# to a log (WARN_LOGFILE); the only warnings accepted are "Member ... of class|struct|union ...
# is not documented"; any other warning (an undocumented class or free function, a malformed
# comment, a broken link) fails, and is printed.
#
#   cmake -DDOXYGEN=<doxygen> -DDOXYFILE=<Doxyfile> -DLOG=<warnings log> -P run-doxygen.cmake
cmake_minimum_required(VERSION 3.25)

file(REMOVE "${LOG}")
execute_process(COMMAND "${DOXYGEN}" "${DOXYFILE}" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "doxygen failed (${result})")
endif()
if(NOT EXISTS "${LOG}")
  return()
endif()
file(STRINGS "${LOG}" warnings)
set(failures "")
set(members 0)
foreach(warning IN LISTS warnings)
  if(warning MATCHES "warning: Member .* of (class|struct|union) .* is not documented\\.$")
    math(EXPR members "${members} + 1")
  elseif(NOT warning STREQUAL "")
    string(APPEND failures "${warning}\n")
  endif()
endforeach()
if(failures)
  message(FATAL_ERROR "the API reference breaks the documentation rule (docs/run-doxygen.cmake):\n"
                      "${failures}")
endif()
