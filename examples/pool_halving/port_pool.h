// A private pool of ports, as demikernel's Windows runtime reserves it [ref:clients]: a plain TCP
// socket, then wildcard acquires of `block` ports until the pool holds what it wants; any error
// halves the block, and the search gives up after five halvings or once a one-port block fails.
// No associate, no bind: the ports are the pool's to hand out. Cleanup is closesocket and
// WSACleanup, no release.
#ifndef PORTRES_EXAMPLES_PORT_POOL_H
#define PORTRES_EXAMPLES_PORT_POOL_H

#include <portres/socket_ioctl.h>

#include <cstdint>
#include <vector>

namespace example {

struct PortBlock {
  std::uint16_t first = 0;  // host byte order
  std::uint16_t count = 0;
};

struct PortPool {
  SOCKET socket = INVALID_SOCKET;  // holds the reservations; INVALID_SOCKET if none was opened
  std::vector<PortBlock> blocks;
  std::uint32_t ports = 0;  // how many ports the blocks hold
  int error = 0;            // 0 when the pool is full, else the error that ended the search
  bool started = false;     // WSAStartup succeeded: ClosePortPool balances it
};

// WSAStartup, then reserves `wanted` ports in blocks of at most `block` ports.
PortPool ReservePortPool(portres::ISocketIoctl& api, std::uint32_t wanted, std::uint16_t block);

// closesocket and WSACleanup: the reservations end with the socket.
void ClosePortPool(portres::ISocketIoctl& api, PortPool& pool);

}  // namespace example

#endif  // PORTRES_EXAMPLES_PORT_POOL_H
