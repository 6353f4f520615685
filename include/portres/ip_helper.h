// <portres/ip_helper.h>: the six iphlpapi functions for persistent port reservations, as an
// interface. Each method has the name and signature of the iphlpapi function it mirrors and
// returns its Win32 error code (NO_ERROR on success). StartPort is in network byte order, as
// in iphlpapi. Porting code means writing `helper.CreatePersistentTcpPortReservation(` where it
// wrote `::CreatePersistentTcpPortReservation(`.
#ifndef PORTRES_IP_HELPER_H
#define PORTRES_IP_HELPER_H

#include <portres/winsock.h>

namespace portres {

class IIpHelper {
 public:
  virtual ~IIpHelper() = default;

  virtual ULONG CreatePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                   PULONG64 Token) = 0;
  virtual ULONG CreatePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                   PULONG64 Token) = 0;
  virtual ULONG DeletePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts) = 0;
  virtual ULONG DeletePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts) = 0;
  virtual ULONG LookupPersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                   PULONG64 Token) = 0;
  virtual ULONG LookupPersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                   PULONG64 Token) = 0;

 protected:
  IIpHelper() = default;
  IIpHelper(const IIpHelper&) = default;
  IIpHelper& operator=(const IIpHelper&) = default;
};

}  // namespace portres

#endif  // PORTRES_IP_HELPER_H
