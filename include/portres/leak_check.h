// <portres/leak_check.h>: fail the test when the code under test leaves a reservation
// unreleased or a socket open.
//
//   portres::FakeSocketIoctl fake;
//   portres::LeakCheck leak_check(fake);  // after the fake: it is checked before the fake goes
//   UnderTest(fake);
//   // at the end of the scope, if anything created since the guard is still there, in the
//   // fault sweep's words:
//   //   leaked socket 0x104 (TCP, pid 1000)
//   //   leaked reservation TCP 5000..5019 token 0x2a (runtime, socket 0x104, pid 1000)
//
// or, at any point, over everything the process holds:
//
//   EXPECT_TRUE(portres::HasNoLeaks(fake));
//
// Both take what the test holds: a FakeSocketIoctl or a MockSocketIoctl (its fake), and for
// persistent reservations a FakeIpHelper or a MockIpHelper (a persistent reservation created
// since the guard and not deleted is a leak: it outlives the process, and reboots).
//
// A runtime reservation lives as long as the socket that acquired it, unless the process
// releases it first ([ref:ioctl-common], [ref:acquire]/[ref:release]); a leaked one keeps its ports
// from every other program for as long as the socket stays open, which for a leaked socket is until
// the process exits. Only what this process (this FakeSocketIoctl) created after the guard counts:
// reservations and sockets that were there before, or that other processes of a shared host hold,
// are not the code's to release.
#ifndef PORTRES_LEAK_CHECK_H
#define PORTRES_LEAK_CHECK_H

#include <gtest/gtest.h>
#include <portres/caller_location.h>
#include <portres/fake_host.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/gmock_export.h>
#include <portres/leaks.h>
#include <portres/winsock.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace portres {

class FakeIpHelper;
class MockIpHelper;
class MockSocketIoctl;

// Leaks, LeaksOf(const FakeSocketIoctl&) and DescribeLeaks: <portres/leaks.h>.
// What a mock's fake still holds.
PORTRES_GMOCK_API Leaks LeaksOf(const MockSocketIoctl& mock);
// Every persistent reservation on the helper's host.
PORTRES_GMOCK_API Leaks LeaksOf(const FakeIpHelper& helper);
// Success when `fake`'s process holds no reservation and no socket; else the leaks.
PORTRES_GMOCK_API testing::AssertionResult HasNoLeaks(const FakeSocketIoctl& fake);
// HasNoLeaks of the mock's fake.
PORTRES_GMOCK_API testing::AssertionResult HasNoLeaks(const MockSocketIoctl& mock);
// Success when the helper's host holds no persistent reservation; else those it holds.
PORTRES_GMOCK_API testing::AssertionResult HasNoLeaks(const FakeIpHelper& helper);
// HasNoLeaks of the mock's fake.
PORTRES_GMOCK_API testing::AssertionResult HasNoLeaks(const MockIpHelper& mock);

// A scope guard: fails the test when the process still holds, at the end of the scope, a
// reservation or socket it created within it.
class PORTRES_GMOCK_API LeakCheck {
 public:
  // Remembers what `fake`'s process holds now; those are not leaks.
  explicit LeakCheck(const FakeSocketIoctl& fake, const char* file = PORTRES_CALLER_FILE,
                     int line = PORTRES_CALLER_LINE);
  // The same, for the mock's fake.
  explicit LeakCheck(const MockSocketIoctl& mock, const char* file = PORTRES_CALLER_FILE,
                     int line = PORTRES_CALLER_LINE);
  // Persistent reservations: those on the helper's host now are not leaks; those created
  // later and not deleted by the end of the scope are.
  explicit LeakCheck(const FakeIpHelper& helper, const char* file = PORTRES_CALLER_FILE,
                     int line = PORTRES_CALLER_LINE);
  // The same, for the mock's fake.
  explicit LeakCheck(const MockIpHelper& mock, const char* file = PORTRES_CALLER_FILE,
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
  std::uint32_t pid_;  // 0: a guard over the host's persistent reservations
  std::vector<ULONG64> tokens_before_;
  std::vector<SOCKET> sockets_before_;
  const char* file_;
  int line_;
};

}  // namespace portres

#endif  // PORTRES_LEAK_CHECK_H
