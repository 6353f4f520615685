// <portres/winsock_ip_helper.h>: the real persistent-reservation functions, Windows only
// (target portres::winsock).
//
//   portres::WinsockIpHelper iphlpapi;
//   ULONG64 token = 0;
//   ULONG error = iphlpapi.CreatePersistentTcpPortReservation(htons(5000), 20, &token);
//
// Each call goes to the iphlpapi function of the same name with its arguments unchanged and
// returns its Win32 error code. Creating and deleting persistent reservations needs an elevated
// administrator on Windows (ERROR_ACCESS_DENIED otherwise). Wine does not implement these
// functions [ref:wine]: code that may run under Wine checks for it first.
#ifndef PORTRES_WINSOCK_IP_HELPER_H
#define PORTRES_WINSOCK_IP_HELPER_H

#if !defined(_WIN32)
#error "<portres/winsock_ip_helper.h> is the Windows backend; elsewhere use portres::fake"
#endif

#include <portres/ip_helper.h>

namespace portres {

// Stateless: iphlpapi needs no initialisation, so objects may be created, copied and used
// from any thread freely.
class WinsockIpHelper final : public IIpHelper {
 public:
  WinsockIpHelper() = default;
  WinsockIpHelper(const WinsockIpHelper&) = default;
  WinsockIpHelper& operator=(const WinsockIpHelper&) = default;
  ~WinsockIpHelper() override = default;

  ULONG CreatePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override;
  ULONG CreatePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override;
  ULONG DeletePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts) override;
  ULONG DeletePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts) override;
  ULONG LookupPersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override;
  ULONG LookupPersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override;
};

}  // namespace portres

#endif  // PORTRES_WINSOCK_IP_HELPER_H
