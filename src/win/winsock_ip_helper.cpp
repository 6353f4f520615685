#include <portres/winsock_ip_helper.h>

#include "iphlpapi_exports.h"

namespace portres {
namespace {

// Not one of the codes the six pages list; the one compatibility shims answer for these
// functions, and what a caller that handles "not here" already knows [ref:wine].
constexpr ULONG kNotExported = ERROR_NOT_SUPPORTED;

ULONG Call(detail::IphlpapiExports::WithToken function, USHORT StartPort, USHORT NumberOfPorts,
           PULONG64 Token) {
  return function == nullptr ? kNotExported : function(StartPort, NumberOfPorts, Token);
}

ULONG Call(detail::IphlpapiExports::WithoutToken function, USHORT StartPort, USHORT NumberOfPorts) {
  return function == nullptr ? kNotExported : function(StartPort, NumberOfPorts);
}

}  // namespace

ULONG WinsockIpHelper::CreatePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                          PULONG64 Token) {
  return Call(detail::Iphlpapi().create_tcp, StartPort, NumberOfPorts, Token);
}

ULONG WinsockIpHelper::CreatePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                          PULONG64 Token) {
  return Call(detail::Iphlpapi().create_udp, StartPort, NumberOfPorts, Token);
}

ULONG WinsockIpHelper::DeletePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts) {
  return Call(detail::Iphlpapi().delete_tcp, StartPort, NumberOfPorts);
}

ULONG WinsockIpHelper::DeletePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts) {
  return Call(detail::Iphlpapi().delete_udp, StartPort, NumberOfPorts);
}

ULONG WinsockIpHelper::LookupPersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                          PULONG64 Token) {
  return Call(detail::Iphlpapi().lookup_tcp, StartPort, NumberOfPorts, Token);
}

ULONG WinsockIpHelper::LookupPersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                                          PULONG64 Token) {
  return Call(detail::Iphlpapi().lookup_udp, StartPort, NumberOfPorts, Token);
}

}  // namespace portres
