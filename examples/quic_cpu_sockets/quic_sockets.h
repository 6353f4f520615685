// A QUIC server's sockets, as MsQuic opens them on Windows [ref:clients]: one overlapped UDP
// socket per processor on one port, dual-stack (IPV6_V6ONLY cleared), each pinned to its
// processor with SIO_CPU_AFFINITY before bind. Socket 0 reserves the port; every socket, socket
// 0 included, is associated with that one token and bound to the port; getsockname on socket 0
// checks it. Any failure closes every socket. The reservation is never released: it ends with
// socket 0.
#ifndef PORTRES_EXAMPLES_QUIC_SOCKETS_H
#define PORTRES_EXAMPLES_QUIC_SOCKETS_H

#include <portres/socket_ioctl.h>

#include <cstdint>
#include <vector>

namespace example {

struct QuicSockets {
  std::vector<SOCKET> sockets;  // one per processor, or empty on failure
  int error = 0;                // 0, or the Winsock error of the first call that failed
  std::uint16_t port = 0;       // what getsockname reported on socket 0
};

// Opens `processors` sockets on UDP `port` (host byte order, not 0).
QuicSockets OpenQuicServerSockets(portres::ISocketIoctl& api, std::uint16_t port,
                                  unsigned short processors);

// Closes them (socket 0 last would not matter: closing socket 0 ends the reservation).
void CloseQuicSockets(portres::ISocketIoctl& api, QuicSockets& sockets);

}  // namespace example

#endif  // PORTRES_EXAMPLES_QUIC_SOCKETS_H
