// <portres/winsock_environment.h>: what the real backend can do in this process, Windows only
// (target portres::winsock). Tests of code that runs on the real backend use these to skip,
// with a reason, what the machine cannot serve. They ask the machine itself, never a version
// number, so that a Wine or Windows that gains a function is used as soon as it has it:
//
//   if (const char* missing = portres::MissingIpHelperFunction())
//     GTEST_SKIP() << "iphlpapi.dll does not export " << missing;
//   if (portres::ProbeRuntimeReservations() != 0)
//     GTEST_SKIP() << "SIO_ACQUIRE_PORT_RESERVATION is not implemented here";
//   if (!portres::IsElevated()) GTEST_SKIP() << "persistent reservations need an administrator";
#ifndef PORTRES_WINSOCK_ENVIRONMENT_H
#define PORTRES_WINSOCK_ENVIRONMENT_H

#if !defined(_WIN32)
#error "<portres/winsock_environment.h> is about the Windows backend; it has no meaning elsewhere"
#endif

#include <portres/winsock_export.h>

namespace portres {

// Wine's version ("8.0") when this process runs under Wine, else nullptr. Wine is recognised by
// the `wine_get_version` export of its ntdll.dll, which Windows' ntdll does not have. For
// messages and reports: what the machine can do is asked with the two functions below [ref:wine].
PORTRES_WINSOCK_API const char* WineVersion() noexcept;

// nullptr when iphlpapi.dll exports all six persistent-reservation functions
// (Create/Delete/LookupPersistent{Tcp,Udp}PortReservation), else the name of the first one it
// lacks. Wine 8 and ReactOS export none of them; WinsockIpHelper then answers
// ERROR_NOT_SUPPORTED for the missing ones instead of calling them.
PORTRES_WINSOCK_API const char* MissingIpHelperFunction() noexcept;

// What this machine answers to a synchronous SIO_ACQUIRE_PORT_RESERVATION for one port of its
// choice on a TCP socket of the probe's own: 0 when it grants one (the socket is then closed,
// which ends the reservation), else the Winsock error: WSAEOPNOTSUPP where the port-reservation
// IOCTLs are not implemented (Wine 8), or what socket() or WSAStartup failed with.
PORTRES_WINSOCK_API int ProbeRuntimeReservations() noexcept;

// True when the process token is elevated (TokenElevation), as an administrator's is after
// UAC consent or on a CI runner. Creating and deleting persistent reservations needs it.
PORTRES_WINSOCK_API bool IsElevated() noexcept;

}  // namespace portres

#endif  // PORTRES_WINSOCK_ENVIRONMENT_H
