# run(<step> <command>...): runs a step of a consumer test, printed with the test's MODE, and
# stops the test when it fails.
function(run step)
  string(REPLACE ";" " " _printed "${ARGN}")
  message(STATUS "[${MODE}] ${step}: ${_printed}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "[${MODE}] ${step} failed (${result})")
  endif()
endfunction()
