// <portres/leaks.h>: what a process of the fake still holds, in the words the fault sweep and
// the leak check (<portres/leak_check.h>) report it in. No test framework needed.
//
//   portres::FakeSocketIoctl fake;
//   UnderTest(fake);
//   const portres::Leaks leaks = portres::LeaksOf(fake);
//   if (!leaks.empty()) std::cerr << portres::DescribeLeaks(leaks);
//   //   leaked socket 0x104 (TCP, pid 1000)
//   //   leaked reservation TCP 5000..5019 token 0x2a (runtime, socket 0x104, pid 1000)
#ifndef PORTRES_LEAKS_H
#define PORTRES_LEAKS_H

#include <portres/fake_host.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/sweep_export.h>

#include <string>
#include <string_view>
#include <vector>

namespace portres {

// What a process still holds that it should have let go.
struct Leaks {
  std::vector<ReservationInfo> reservations;  // reservations never released (or deleted)
  std::vector<SocketInfo> sockets;            // sockets never closed
  // True when nothing leaked.
  bool empty() const noexcept { return reservations.empty() && sockets.empty(); }
};

// Everything `fake`'s process holds now: on a fake the scenario had to itself, its leaks.
PORTRES_SWEEP_API Leaks LeaksOf(const FakeSocketIoctl& fake);
// One line per leak, each starting with `indent`, sockets first, in the fault sweep's words:
// "leaked socket 0x108 (UDP, pid 1000)\n" "leaked reservation TCP 5000..5019 token 0x2a
// (runtime, socket 0x104, pid 1000)\n"; "no leaks" when there are none.
PORTRES_SWEEP_API std::string DescribeLeaks(const Leaks& leaks, std::string_view indent = "");

}  // namespace portres

#endif  // PORTRES_LEAKS_H
