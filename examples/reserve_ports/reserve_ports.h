// The program of Microsoft's SIO_ACQUIRE/SIO_RELEASE_PORT_RESERVATION pages, ported to
// portres: every Winsock call goes through an ISocketIoctl, so the same function runs on the
// real Windows backend and on the in-memory fake.
#ifndef PORTRES_EXAMPLES_RESERVE_PORTS_H
#define PORTRES_EXAMPLES_RESERVE_PORTS_H

#include <portres/socket_ioctl.h>

#include <ostream>

namespace example {

struct ReservePortsArgs {
  int address_family = AF_INET;
  int type = SOCK_DGRAM;
  int protocol = IPPROTO_UDP;
  int start_port = 0;  // host byte order; 0 lets the system choose
  int port_count = 0;
};

// Opens a socket of the given kind, acquires a runtime reservation for the block, reports it,
// releases it and closes the socket. Returns the process exit code: 0 when every step worked.
int ReservePorts(portres::ISocketIoctl& api, const ReservePortsArgs& args, std::ostream& out);

}  // namespace example

#endif  // PORTRES_EXAMPLES_RESERVE_PORTS_H
