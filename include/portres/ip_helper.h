// <portres/ip_helper.h>: the six iphlpapi functions for persistent port reservations, as an
// interface. Each method has the name and signature of the iphlpapi function it mirrors and
// returns its Win32 error code (NO_ERROR on success). StartPort is in network byte order, as
// in iphlpapi. Porting code means writing `helper.CreatePersistentTcpPortReservation(` where it
// wrote `::CreatePersistentTcpPortReservation(`.
#ifndef PORTRES_IP_HELPER_H
#define PORTRES_IP_HELPER_H

#include <portres/winsock.h>

namespace portres {

// iphlpapi's persistent port reservations. Implementations: FakeIpHelper (on a FakeHost) and,
// on Windows, WinsockIpHelper (iphlpapi itself).
class IIpHelper {
 public:
  virtual ~IIpHelper() = default;

  // Reserves NumberOfPorts TCP ports from StartPort in the persistent store (it survives
  // reboots) and writes its token to *Token. ERROR_ACCESS_DENIED unless elevated;
  // ERROR_INVALID_PARAMETER for a zero or out-of-range block; ERROR_SHARING_VIOLATION when a
  // port is in use or the block overlaps a persistent reservation.
  virtual ULONG CreatePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                   PULONG64 Token) = 0;
  // CreatePersistentTcpPortReservation for UDP ports.
  virtual ULONG CreatePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                   PULONG64 Token) = 0;
  // Deletes the persistent TCP reservation created with exactly this block. ERROR_ACCESS_DENIED
  // unless elevated; ERROR_INVALID_PARAMETER for a zero value; ERROR_NOT_FOUND for no such block.
  virtual ULONG DeletePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts) = 0;
  // DeletePersistentTcpPortReservation for UDP ports.
  virtual ULONG DeletePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts) = 0;
  // Writes the current token of the persistent TCP reservation created with exactly this block
  // to *Token (a token may change at every restart). ERROR_INVALID_PARAMETER for a zero value;
  // ERROR_NOT_FOUND for no such block.
  virtual ULONG LookupPersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                   PULONG64 Token) = 0;
  // LookupPersistentTcpPortReservation for UDP ports.
  virtual ULONG LookupPersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                   PULONG64 Token) = 0;

 protected:
  // Only implementations are constructed, copied and assigned; the interface alone is not,
  // so that an IIpHelper& is never sliced.
  IIpHelper() = default;
  // Copies the interface part of an implementation (see the default constructor).
  IIpHelper(const IIpHelper&) = default;
  // Assigns the interface part of an implementation (see the default constructor).
  IIpHelper& operator=(const IIpHelper&) = default;
};

}  // namespace portres

#endif  // PORTRES_IP_HELPER_H
