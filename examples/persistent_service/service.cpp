#include "service.h"

#include <portres/winsock_error.h>

namespace example {

std::error_code InstallService(portres::IIpHelper& ip_helper, portres::PortBlock block) {
  ULONG64 token = 0;
  const USHORT start = htons(block.first_port);  // iphlpapi takes network byte order
  if (ip_helper.LookupPersistentTcpPortReservation(start, block.port_count, &token) == NO_ERROR) {
    return {};
  }
  const ULONG result =
      ip_helper.CreatePersistentTcpPortReservation(start, block.port_count, &token);
  return result == NO_ERROR ? std::error_code() : portres::make_win32_error(result);
}

std::error_code UninstallService(portres::IIpHelper& ip_helper, portres::PortBlock block) {
  const ULONG result =
      ip_helper.DeletePersistentTcpPortReservation(htons(block.first_port), block.port_count);
  if (result == NO_ERROR || result == ERROR_NOT_FOUND) return {};
  return portres::make_win32_error(result);
}

std::error_code StartService(portres::ISocketIoctl& api, portres::IIpHelper& ip_helper,
                             portres::PortBlock block, RunningService& service) {
  ULONG64 token = 0;
  const ULONG lookup = ip_helper.LookupPersistentTcpPortReservation(htons(block.first_port),
                                                                    block.port_count, &token);
  if (lookup != NO_ERROR) return portres::make_win32_error(lookup);

  std::error_code ec;
  portres::UniqueSocket socket = portres::OpenSocket(api, AF_INET, SOCK_STREAM, IPPROTO_TCP, ec);
  if (ec) return ec;
  if ((ec = portres::AssociatePortReservation(api, socket.get(), token))) return ec;
  std::uint16_t port = 0;
  if ((ec = portres::BindToPort(api, socket.get(), AF_INET, 0, port))) return ec;
  service.socket = std::move(socket);
  service.port = port;
  return {};
}

}  // namespace example
