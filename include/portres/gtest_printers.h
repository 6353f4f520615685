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
// their PrintTo in the global namespace only: those overloads live there. The portres types'
// overloads live in namespace portres, next to the types.
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

namespace portres {

// "TCP 5000..5019 token 0x2a (runtime, socket 0x104, pid 1000)".
inline void PrintTo(const ReservationInfo& reservation, std::ostream* os) {
  *os << Describe(reservation);
}
// "socket 0x108 (UDP, port 5003, pid 1000)".
inline void PrintTo(const SocketInfo& socket, std::ostream* os) { *os << Describe(socket); }
// "#3 WSAIoctl(s=0x104, SIO_RELEASE_PORT_RESERVATION, token 0x2a) -> SOCKET_ERROR, ...".
inline void PrintTo(const CallRecord& record, std::ostream* os) { *os << Describe(record); }
// "#3 WSAIoctl(s=0x104, SIO_RELEASE_PORT_RESERVATION)".
inline void PrintTo(const Call& call, std::ostream* os) { *os << Describe(call); }
// "Fault::Error(WSAENETDOWN (10050))", "Fault::Pend()".
inline void PrintTo(const Fault& fault, std::ostream* os) { *os << Describe(fault); }
// "TCP", "UDP".
inline void PrintTo(Protocol protocol, std::ostream* os) { *os << ProtocolName(protocol); }
// The Winsock name: "WSAIoctl", "closesocket".
inline void PrintTo(Api api, std::ostream* os) { *os << ApiName(api); }
// "runtime", "persistent".
inline void PrintTo(ReservationKind kind, std::ostream* os) { *os << Describe(kind); }

}  // namespace portres

#endif  // PORTRES_GTEST_PRINTERS_H
