// <portres/caller_location.h>: the file and line of a function's caller, as default arguments,
// so that a scope guard reports a failure at the line that created it (C++17 has no
// std::source_location). GCC, Clang and MSVC 16.6+ have the builtins; elsewhere the failure
// is reported in portres's header instead.
#ifndef PORTRES_CALLER_LOCATION_H
#define PORTRES_CALLER_LOCATION_H

#if defined(__GNUC__) || defined(__clang__) || (defined(_MSC_VER) && _MSC_VER >= 1926)
// The calling function's file, as a default argument.
#define PORTRES_CALLER_FILE __builtin_FILE()
// The calling function's line, as a default argument.
#define PORTRES_CALLER_LINE __builtin_LINE()
#else
// This header's file, where the compiler has no builtin for the caller's.
#define PORTRES_CALLER_FILE __FILE__
// This header's line, where the compiler has no builtin for the caller's.
#define PORTRES_CALLER_LINE __LINE__
#endif

#endif  // PORTRES_CALLER_LOCATION_H
