// <portres/doctest_printers.h>: doctest prints portres's values the way the documentation
// writes them, not as "{?}".
//
//   CHECK(fake.Sockets()[0] == fake.Sockets()[1]);
//   // values: CHECK( socket 0x100 (UDP, pid 1000) == socket 0x104 (TCP, pid 1000) )
//
// doctest::StringMaker specialisations for ReservationInfo, SocketInfo, CallRecord, Call, the
// fault sweep's SweepInjection and Leaks, and std::error_code (the typed layer's Winsock and
// Win32 codes: "winsock: WSAEINVAL (10022): ..."), and toString for Api. Include it in every
// test file that compares these values: doctest picks a printer per translation unit. Target
// portres::doctest (doctest 2.4 or later).
#ifndef PORTRES_DOCTEST_PRINTERS_H
#define PORTRES_DOCTEST_PRINTERS_H

#include <doctest/doctest.h>
#include <portres/call_log.h>
#include <portres/describe.h>
#include <portres/fake_host.h>
#include <portres/fault.h>
#include <portres/fault_sweep.h>
#include <portres/leaks.h>

#include <string>
#include <system_error>

namespace portres::detail {
// doctest's own String, from the text portres writes (it holds no NUL).
inline doctest::String ToDoctestString(const std::string& text) {
  return doctest::String(text.c_str());
}
}  // namespace portres::detail

namespace portres {
// doctest prints an enum by its number whatever its StringMaker says, and calls toString through
// argument-dependent lookup: this overload names the call instead ("WSAIoctl").
inline doctest::String toString(Api api) {
  return detail::ToDoctestString(std::string(ApiName(api)));
}
}  // namespace portres

namespace doctest {

// "TCP 5000..5019 token 0x2a (runtime, socket 0x104, pid 1000)".
template <>
struct StringMaker<portres::ReservationInfo> {
  static String convert(const portres::ReservationInfo& reservation) {
    return portres::detail::ToDoctestString(portres::Describe(reservation));
  }
};
// "socket 0x108 (UDP, port 5003, token 0x2a, pid 1000)".
template <>
struct StringMaker<portres::SocketInfo> {
  static String convert(const portres::SocketInfo& socket) {
    return portres::detail::ToDoctestString(portres::Describe(socket));
  }
};
// "#3 WSAIoctl(s=0x104, SIO_RELEASE_PORT_RESERVATION, token 0x2a) -> SOCKET_ERROR, ...".
template <>
struct StringMaker<portres::CallRecord> {
  static String convert(const portres::CallRecord& record) {
    return portres::detail::ToDoctestString(portres::Describe(record));
  }
};
// The call a fault or a sweep names, as describe.h writes it.
template <>
struct StringMaker<portres::Call> {
  static String convert(const portres::Call& call) {
    return portres::detail::ToDoctestString(portres::Describe(call));
  }
};
// "call 3 WSAIoctl(SIO_RELEASE_PORT_RESERVATION) failing with WSAENETDOWN (10050)".
template <>
struct StringMaker<portres::SweepInjection> {
  static String convert(const portres::SweepInjection& injection) {
    return portres::detail::ToDoctestString(portres::DescribeInjection(injection));
  }
};
// One line per leak, in the sweep's words; "no leaks" when there are none.
template <>
struct StringMaker<portres::Leaks> {
  static String convert(const portres::Leaks& leaks) {
    return portres::detail::ToDoctestString(portres::DescribeLeaks(leaks));
  }
};
// "winsock: WSAEINVAL (10022): invalid argument". Every category, so that a comparison of
// codes reads the same whichever side is portres's.
template <>
struct StringMaker<std::error_code> {
  static String convert(const std::error_code& code) {
    return portres::detail::ToDoctestString(std::string(code.category().name()) + ": " +
                                            code.message());
  }
};

}  // namespace doctest

#endif  // PORTRES_DOCTEST_PRINTERS_H
