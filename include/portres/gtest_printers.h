// <portres/gtest_printers.h>: GoogleTest prints Winsock values the way the documentation
// writes them, not as bytes.
//
//   EXPECT_THAT(fake.Reservations(), testing::IsEmpty());
//   // Actual: { TCP 5000..5019 token 0x2a (runtime, socket 0x104, pid 1000) }
//
// The text comes from <portres/describe.h>. Include this header (or <portres/matchers.h>,
// which does) in every test file that prints these values: GoogleTest picks a printer per
// translation unit.
//
// INET_PORT_RANGE, INET_PORT_RESERVATION_TOKEN and INET_PORT_RESERVATION_INSTANCE are global
// typedefs of C structs (on Windows the SDK's own), so argument-dependent lookup looks for
// their PrintTo in the global namespace only: those overloads live here. The portres types
// (ReservationInfo, CallRecord, Api, ...) declare theirs next to the types, in the fake's
// headers, so they print the same in every test whether or not it includes this header.
#ifndef PORTRES_GTEST_PRINTERS_H
#define PORTRES_GTEST_PRINTERS_H

#include <portres/call_log.h>
#include <portres/describe.h>
#include <portres/fake_host.h>
#include <portres/fault.h>
#include <portres/winsock.h>

#include <ostream>

// "5000..5019 (20 ports)", "any 20 ports". INET_PORT_RESERVATION is the same type.
inline void PrintTo(const INET_PORT_RANGE& range, std::ostream* os) {
  *os << portres::Describe(range);
}
// "token 0x2a".
inline void PrintTo(const INET_PORT_RESERVATION_TOKEN& token, std::ostream* os) {
  *os << portres::Describe(token);
}
// "5000..5019 token 0x2a".
inline void PrintTo(const INET_PORT_RESERVATION_INSTANCE& instance, std::ostream* os) {
  *os << portres::Describe(instance);
}

#endif  // PORTRES_GTEST_PRINTERS_H
