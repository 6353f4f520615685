#include "reserve_ports.h"

#include <portres/winsock_error.h>

namespace example {

int ReservePorts(portres::ISocketIoctl& api, const ReservePortsArgs& args, std::ostream& out) {
  if (args.start_port < 0 || args.start_port > 65535) {
    out << "start port must be 0 (any) or 1..65535\n";
    return 1;
  }
  if (args.port_count < 0 || args.port_count > 65535) {
    out << "port count must be 0..65535\n";
    return 1;
  }

  const SOCKET s = api.socket(args.address_family, args.type, args.protocol);
  if (s == INVALID_SOCKET) {
    out << "socket failed: " << portres::DescribeError(api.WSAGetLastError()) << "\n";
    return 1;
  }
  out << "socket opened\n";

  INET_PORT_RANGE range{};
  range.StartPort = htons(static_cast<USHORT>(args.start_port));  // network byte order
  range.NumberOfPorts = static_cast<USHORT>(args.port_count);
  INET_PORT_RESERVATION_INSTANCE reservation{};
  DWORD bytes = 0;
  int exit_code = 0;
  if (api.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &reservation,
                   sizeof reservation, &bytes, nullptr, nullptr) == SOCKET_ERROR) {
    out << "SIO_ACQUIRE_PORT_RESERVATION failed: " << portres::DescribeError(api.WSAGetLastError())
        << "\n";
    exit_code = 1;
  } else {
    const unsigned first = ntohs(reservation.Reservation.StartPort);
    const unsigned count = reservation.Reservation.NumberOfPorts;
    out << "SIO_ACQUIRE_PORT_RESERVATION succeeded (" << bytes << " bytes): ports " << first << ".."
        << first + count - 1 << ", token 0x" << std::hex << reservation.Token.Token << std::dec
        << "\n";
    // The reservation belongs to the process; the token is all the release needs.
    if (api.WSAIoctl(s, SIO_RELEASE_PORT_RESERVATION, &reservation.Token, sizeof reservation.Token,
                     nullptr, 0, &bytes, nullptr, nullptr) == SOCKET_ERROR) {
      out << "SIO_RELEASE_PORT_RESERVATION failed: "
          << portres::DescribeError(api.WSAGetLastError()) << "\n";
      exit_code = 1;
    } else {
      out << "SIO_RELEASE_PORT_RESERVATION succeeded\n";
    }
  }

  if (api.closesocket(s) == SOCKET_ERROR) {
    out << "closesocket failed: " << portres::DescribeError(api.WSAGetLastError()) << "\n";
    exit_code = 1;
  }
  return exit_code;
}

}  // namespace example
