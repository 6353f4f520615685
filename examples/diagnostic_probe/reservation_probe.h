// Microsoft's port-reservation diagnostic for Kubernetes nodes, as its script makes the calls
// [ref:clients]: WSAStartup, a socket(AF_INET, 0, 0) (a TCP socket on Windows
// [ref:socket-rules]), then ten synchronous wildcard acquires of 64 ports, counting the ones that
// succeed. The IOCTL code is written as the script writes it, a decimal number. The script then
// ends its process; this port closes the socket and calls WSACleanup instead, which ends the
// reservations the same way.
#ifndef PORTRES_EXAMPLES_RESERVATION_PROBE_H
#define PORTRES_EXAMPLES_RESERVATION_PROBE_H

#include <portres/socket_ioctl.h>

namespace example {

struct ProbeCounts {
  int startup_error = 0;  // what WSAStartup returned
  int socket_error = 0;   // why socket() failed, 0 if it did not
  int succeeded = 0;      // how many of the ten acquires succeeded
  int last_error = 0;     // the error of the last acquire that failed
};

ProbeCounts RunReservationProbe(portres::ISocketIoctl& api);

}  // namespace example

#endif  // PORTRES_EXAMPLES_RESERVATION_PROBE_H
