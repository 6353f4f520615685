// A realistic port-reservation client, twice: once right, once with the kind of error-path bug a
// fault sweep exists to find.
//
// ProbeReservedPort reserves a wildcard block of UDP ports on one socket, opens a second socket,
// associates it with the block, binds it (port 0: the system picks a port of the block), asks
// getsockname which port it got, then releases the block and closes both sockets: nine Winsock
// calls on the happy path, in the order the acquire page's "Flow" gives ([ref:acquire]).
#ifndef PORTRES_EXAMPLES_RESERVED_PORT_PROBE_H
#define PORTRES_EXAMPLES_RESERVED_PORT_PROBE_H

#include <portres/socket_ioctl.h>

#include <cstdint>

namespace example {

struct ProbeResult {
  int error = 0;                  // 0, or the Winsock error of the first call that failed
  std::uint16_t block_first = 0;  // the block the system chose (host byte order)
  std::uint16_t block_count = 0;
  std::uint16_t bound_port = 0;  // the port bind took from it
};

// Correct: every error path releases what it acquired and closes what it opened.
ProbeResult ProbeReservedPort(portres::ISocketIoctl& api, std::uint16_t port_count);

// Buggy on purpose (for the fault sweep example): when SIO_ASSOCIATE_PORT_RESERVATION fails it
// forgets to close the second socket, and when getsockname fails it returns at once, leaving
// both sockets open and the block reserved.
ProbeResult ProbeReservedPortLeaky(portres::ISocketIoctl& api, std::uint16_t port_count);

}  // namespace example

#endif  // PORTRES_EXAMPLES_RESERVED_PORT_PROBE_H
