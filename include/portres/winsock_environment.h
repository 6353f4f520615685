// <portres/winsock_environment.h>: what the real backend can do in this process, Windows only
// (target portres::winsock). Tests of code that runs on the real backend use these to skip,
// with a reason, what the machine cannot serve:
//
//   if (const char* wine = portres::WineVersion())
//     GTEST_SKIP() << "Wine " << wine << " does not implement port reservations";
//   if (!portres::IsElevated()) GTEST_SKIP() << "persistent reservations need an administrator";
#ifndef PORTRES_WINSOCK_ENVIRONMENT_H
#define PORTRES_WINSOCK_ENVIRONMENT_H

#if !defined(_WIN32)
#error "<portres/winsock_environment.h> is about the Windows backend; it has no meaning elsewhere"
#endif

namespace portres {

// Wine's version ("8.0") when this process runs under Wine, else nullptr. Wine is recognised by
// the `wine_get_version` export of its ntdll.dll, which Windows' ntdll does not have. Wine
// answers the three port-reservation IOCTLs with WSAEOPNOTSUPP and does not implement the six
// iphlpapi persistent-reservation functions [ref:wine].
const char* WineVersion() noexcept;

// True when the process token is elevated (TokenElevation), as an administrator's is after
// UAC consent or on a CI runner. Creating and deleting persistent reservations needs it.
bool IsElevated() noexcept;

}  // namespace portres

#endif  // PORTRES_WINSOCK_ENVIRONMENT_H
