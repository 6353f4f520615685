#include <portres/winsock_ip_helper.h>

// After <portres/winsock.h> (through the header above): iphlpapi.h needs winsock2.h first.
#include <iphlpapi.h>

namespace portres {

ULONG WinsockIpHelper::CreatePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                          PULONG64 Token) {
  return ::CreatePersistentTcpPortReservation(StartPort, NumberOfPorts, Token);
}

ULONG WinsockIpHelper::CreatePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                          PULONG64 Token) {
  return ::CreatePersistentUdpPortReservation(StartPort, NumberOfPorts, Token);
}

ULONG WinsockIpHelper::DeletePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts) {
  return ::DeletePersistentTcpPortReservation(StartPort, NumberOfPorts);
}

ULONG WinsockIpHelper::DeletePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts) {
  return ::DeletePersistentUdpPortReservation(StartPort, NumberOfPorts);
}

ULONG WinsockIpHelper::LookupPersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                          PULONG64 Token) {
  return ::LookupPersistentTcpPortReservation(StartPort, NumberOfPorts, Token);
}

ULONG WinsockIpHelper::LookupPersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                          PULONG64 Token) {
  return ::LookupPersistentUdpPortReservation(StartPort, NumberOfPorts, Token);
}

}  // namespace portres
