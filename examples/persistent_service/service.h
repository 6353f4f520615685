// A service that owns a fixed block of TCP ports across restarts: its installer reserves the
// block persistently (iphlpapi, needs elevation), and each run looks the reservation up and
// binds its listening socket from it (SIO_ASSOCIATE_PORT_RESERVATION, then bind to port 0).
//
// The token of a persistent reservation may change at every restart of Windows, so a run looks
// it up again instead of keeping the one the installer saw.
#ifndef PORTRES_EXAMPLES_PERSISTENT_SERVICE_H
#define PORTRES_EXAMPLES_PERSISTENT_SERVICE_H

#include <portres/ip_helper.h>
#include <portres/port_reservation.h>
#include <portres/socket_ioctl.h>

#include <cstdint>
#include <system_error>

namespace example {

// Reserves `block` (TCP) persistently. Installing twice is not an error.
std::error_code InstallService(portres::IIpHelper& ip_helper, portres::PortBlock block);
// Deletes the persistent reservation. Uninstalling what is not installed is not an error.
std::error_code UninstallService(portres::IIpHelper& ip_helper, portres::PortBlock block);

struct RunningService {
  portres::UniqueSocket socket;  // bound, ready to listen
  std::uint16_t port = 0;        // host byte order, inside the block
};

// Starts one instance: looks the reservation's current token up, opens a TCP socket, associates
// it with the reservation and binds it to the next free port of the block.
std::error_code StartService(portres::ISocketIoctl& api, portres::IIpHelper& ip_helper,
                             portres::PortBlock block, RunningService& service);

}  // namespace example

#endif  // PORTRES_EXAMPLES_PERSISTENT_SERVICE_H
