# portres_set_warnings(<target>): the warnings portres's own code is held to. They apply to
# portres's targets only (PRIVATE), never to consumers; -Werror only with
# PORTRES_WARNINGS_AS_ERRORS, which the dev and CI presets turn on.
function(portres_set_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 /permissive-)
    if(PORTRES_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE /WX)
    endif()
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
    if(PORTRES_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()
