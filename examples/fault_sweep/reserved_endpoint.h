// The function the cookbook (docs/cookbook.md) ports and tests: a UDP socket bound inside a
// block of ports reserved for it.
#ifndef PORTRES_EXAMPLES_RESERVED_ENDPOINT_H
#define PORTRES_EXAMPLES_RESERVED_ENDPOINT_H

#include <portres/socket_ioctl.h>

namespace example {

// `bound` took its port from the block that `owner` reserved; closing `owner` ends the block.
struct ReservedEndpoint {
  SOCKET owner = INVALID_SOCKET;
  SOCKET bound = INVALID_SOCKET;
  ULONG64 token = 0;
  USHORT port = 0;  // host byte order
};

// Reserves `count` UDP ports and binds a socket to one of them. Returns 0, or the Winsock error
// of the call that failed; on failure nothing is left reserved and no socket open.
int OpenReservedEndpoint(portres::ISocketIoctl& api, USHORT count, ReservedEndpoint* endpoint);

// Releases the block and closes both sockets.
void CloseReservedEndpoint(portres::ISocketIoctl& api, const ReservedEndpoint& endpoint);

}  // namespace example

#endif  // PORTRES_EXAMPLES_RESERVED_ENDPOINT_H
