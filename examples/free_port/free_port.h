// "Find a free port": the helper field reports keep meeting on Windows machines with Hyper-V,
// WSL or Docker ([ref:real-machines]), and the form that survives them.
//
// FindFreePortByProbing is the common one: walk ports upward, bind a probe to each, treat
// WSAEADDRINUSE as "taken, try the next", close the probe and return the port. It fails two
// ways on such machines: an excluded port answers WSAEACCES, which it takes for a fatal error;
// and the port it returns is free only until the caller binds it, by which time another
// process (or the system's restarted NAT service) may hold it.
//
// OpenOnFreePort binds the socket the caller will use, not a probe, and skips ports that are
// excluded as well as ports in use, so the port it returns is held by the caller already.
#ifndef PORTRES_EXAMPLES_FREE_PORT_H
#define PORTRES_EXAMPLES_FREE_PORT_H

#include <portres/socket_ioctl.h>

#include <cstdint>

namespace example {

// A port found, or the Winsock error that stopped the search (0: found).
struct FoundPort {
  int error = 0;
  std::uint16_t port = 0;
};

// The fragile helper: the first port of first..last a TCP probe can bind, probe closed.
FoundPort FindFreePortByProbing(portres::ISocketIoctl& api, std::uint16_t first,
                                std::uint16_t last);

// A socket bound to a free port, or the error that stopped the search (0: bound).
struct OpenedPort {
  int error = 0;
  SOCKET socket = INVALID_SOCKET;  // the caller's, bound; the caller closes it
  std::uint16_t port = 0;
};

// The robust helper: a TCP socket bound to the first port of first..last that is neither in
// use (WSAEADDRINUSE) nor excluded by a reservation (WSAEACCES). WSAEADDRNOTAVAIL when every
// port of the range is taken.
OpenedPort OpenOnFreePort(portres::ISocketIoctl& api, std::uint16_t first, std::uint16_t last);

}  // namespace example

#endif  // PORTRES_EXAMPLES_FREE_PORT_H
