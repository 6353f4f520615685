// A connecting socket bound to a reserved low port, as the NFS client's bindresvport does it on
// Windows [ref:clients]: each try reserves one port of 600..1023 on the connecting socket itself
// and associates the socket with it; connect() then binds the socket implicitly from the
// reservation. Only WSAEADDRINUSE moves on to the next port; the reservation is never released
// (it ends with the connection).
#ifndef PORTRES_EXAMPLES_RESERVED_CONNECT_H
#define PORTRES_EXAMPLES_RESERVED_CONNECT_H

#include <portres/socket_ioctl.h>

#include <cstdint>

namespace example {

struct ReservedConnection {
  SOCKET socket = INVALID_SOCKET;  // connected, or INVALID_SOCKET (and closed) on failure
  int error = 0;                   // 0, or the Winsock error that ended the attempt
  std::uint16_t local_port = 0;    // the reserved port the connection comes from
};

// The client's process-wide counter: where the next search starts, 600..1023.
struct ReservedPortCounter {
  std::uint16_t next = 600;
};

// Connects a new TCP socket to `server` from the first reservable port of 600..1023, starting at
// counter.next; the caller closes the socket.
ReservedConnection ConnectFromReservedPort(portres::ISocketIoctl& api, const sockaddr_in& server,
                                           ReservedPortCounter& counter);

}  // namespace example

#endif  // PORTRES_EXAMPLES_RESERVED_CONNECT_H
