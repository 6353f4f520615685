// <portres/leak_check.h>: fail the test when the code under test leaves a reservation
// unreleased or a socket open.
//
//   portres::FakeSocketIoctl fake;
//   portres::LeakCheck leak_check(fake);  // after the fake: it is checked before the fake goes
//   UnderTest(fake);
//   // at the end of the scope, if anything created since the guard is still there:
//   //   leaked: TCP 5000..5019 token 0x2a (runtime, socket 0x104); socket 0x104 (TCP) never
//   //   closed
//
// or, at any point, over everything the process holds:
//
//   EXPECT_TRUE(portres::HasNoLeaks(fake));
//
// A runtime reservation lives as long as the socket that acquired it, unless the process
// releases it first (reference section 0, [ACQ]/[REL]); a leaked one keeps its ports from
// every other program for as long as the socket stays open, which for a leaked socket is
// until the process exits. Only what this process (this FakeSocketIoctl)
// created after the guard counts: reservations and sockets that were there before, or that
// other processes of a shared host hold, are not the code's to release.
#ifndef PORTRES_LEAK_CHECK_H
#define PORTRES_LEAK_CHECK_H

#include <gtest/gtest.h>
#include <portres/caller_location.h>
#include <portres/fake_host.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/winsock.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace portres {

// What a process still holds that it should have let go.
struct Leaks {
  std::vector<ReservationInfo> reservations;  // runtime reservations never released
  std::vector<SocketInfo> sockets;            // sockets never closed
  // True when nothing leaked.
  bool empty() const noexcept { return reservations.empty() && sockets.empty(); }
};

// Everything `fake`'s process holds now: on a fake the scenario had to itself, its leaks.
Leaks LeaksOf(const FakeSocketIoctl& fake);
// "leaked: TCP 5000..5019 token 0x2a (runtime, socket 0x104); socket 0x108 (UDP) never
// closed", or "no leaks".
std::string DescribeLeaks(const Leaks& leaks);
// Success when `fake`'s process holds no reservation and no socket; else the leaks.
testing::AssertionResult HasNoLeaks(const FakeSocketIoctl& fake);

// A scope guard: fails the test when the process still holds, at the end of the scope, a
// reservation or socket it created within it.
class LeakCheck {
 public:
  // Remembers what `fake`'s process holds now; those are not leaks.
  explicit LeakCheck(const FakeSocketIoctl& fake, const char* file = PORTRES_CALLER_FILE,
                     int line = PORTRES_CALLER_LINE);
  // Adds a non-fatal failure, at the line that created the guard, listing the leaks.
  ~LeakCheck();
  LeakCheck(const LeakCheck&) = delete;
  LeakCheck& operator=(const LeakCheck&) = delete;

  // What the process created since the guard and still holds.
  Leaks Find() const;

 private:
  // The host and pid rather than the FakeSocketIoctl: safe even if the fake dies first (then
  // its process has ended, and everything it held with it).
  std::shared_ptr<FakeHost> host_;
  std::uint32_t pid_;
  std::vector<ULONG64> tokens_before_;
  std::vector<SOCKET> sockets_before_;
  const char* file_;
  int line_;
};

}  // namespace portres

#endif  // PORTRES_LEAK_CHECK_H
