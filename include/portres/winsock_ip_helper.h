// <portres/winsock_ip_helper.h>: the real persistent-reservation functions, Windows only
// (target portres::winsock).
//
//   portres::WinsockIpHelper iphlpapi;
//   ULONG64 token = 0;
//   ULONG error = iphlpapi.CreatePersistentTcpPortReservation(htons(5000), 20, &token);
//
// Each call goes to the iphlpapi function of the same name with its arguments unchanged and
// returns its Win32 error code. Creating and deleting persistent reservations needs an elevated
// administrator on Windows (ERROR_ACCESS_DENIED otherwise).
//
// The functions are found with GetProcAddress on first use, not imported: where iphlpapi.dll
// does not export one (Wine 8, ReactOS [ref:wine]), its call returns ERROR_NOT_SUPPORTED and
// changes nothing, so the same program runs there and can say so. MissingIpHelperFunction()
// (<portres/winsock_environment.h>) tells beforehand.
#ifndef PORTRES_WINSOCK_IP_HELPER_H
#define PORTRES_WINSOCK_IP_HELPER_H

#if !defined(_WIN32)
#error "<portres/winsock_ip_helper.h> is the Windows backend; elsewhere use portres::fake"
#endif

#include <portres/ip_helper.h>
#include <portres/winsock_export.h>

namespace portres {

// Stateless: iphlpapi needs no initialisation and the exports are resolved once per process,
// so objects may be created, copied and used from any thread freely.
class PORTRES_WINSOCK_API WinsockIpHelper final : public IIpHelper {
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
