// <portres/catch2_printers.h>: Catch2 prints portres's values the way the documentation writes
// them, not as "{?}".
//
//   CHECK(fake.Sockets() == std::vector<portres::SocketInfo>{});
//   // with expansion:
//   //   { socket 0x100 (UDP, pid 1000) } == {  }
//
// Catch::StringMaker specialisations for ReservationInfo, SocketInfo, CallRecord, Call, Api, the
// fault sweep's SweepInjection and Leaks, and std::error_code (the typed layer's Winsock and
// Win32 codes: "winsock: WSAEINVAL (10022): ..."). Include it in every test file that compares
// these values: Catch2 picks a StringMaker per translation unit. Target portres::catch2; works
// with Catch2 v3 and with v2 (Debian 12 ships 2.13).
#ifndef PORTRES_CATCH2_PRINTERS_H
#define PORTRES_CATCH2_PRINTERS_H

#if __has_include(<catch2/catch_tostring.hpp>)
#include <catch2/catch_tostring.hpp>  // Catch2 v3
#else
#include <catch2/catch.hpp>  // Catch2 v2: one header
#endif
#include <portres/call_log.h>
#include <portres/describe.h>
#include <portres/fake_host.h>
#include <portres/fault.h>
#include <portres/fault_sweep.h>
#include <portres/leaks.h>

#include <string>
#include <system_error>

namespace Catch {

// "TCP 5000..5019 token 0x2a (runtime, socket 0x104, pid 1000)".
template <>
struct StringMaker<portres::ReservationInfo> {
  static std::string convert(const portres::ReservationInfo& reservation) {
    return portres::Describe(reservation);
  }
};
// "socket 0x108 (UDP, port 5003, token 0x2a, pid 1000)".
template <>
struct StringMaker<portres::SocketInfo> {
  static std::string convert(const portres::SocketInfo& socket) {
    return portres::Describe(socket);
  }
};
// "#3 WSAIoctl(s=0x104, SIO_RELEASE_PORT_RESERVATION, token 0x2a) -> SOCKET_ERROR, ...".
template <>
struct StringMaker<portres::CallRecord> {
  static std::string convert(const portres::CallRecord& record) {
    return portres::Describe(record);
  }
};
// The call a fault or a sweep names, as describe.h writes it.
template <>
struct StringMaker<portres::Call> {
  static std::string convert(const portres::Call& call) { return portres::Describe(call); }
};
// "WSAIoctl", "bind": the method's name.
template <>
struct StringMaker<portres::Api> {
  static std::string convert(portres::Api api) { return std::string(portres::ApiName(api)); }
};
// "call 3 WSAIoctl(SIO_RELEASE_PORT_RESERVATION) failing with WSAENETDOWN (10050)".
template <>
struct StringMaker<portres::SweepInjection> {
  static std::string convert(const portres::SweepInjection& injection) {
    return portres::DescribeInjection(injection);
  }
};
// One line per leak, in the sweep's words; "no leaks" when there are none.
template <>
struct StringMaker<portres::Leaks> {
  static std::string convert(const portres::Leaks& leaks) { return portres::DescribeLeaks(leaks); }
};
// "winsock: WSAEINVAL (10022): invalid argument". Every category, so that a comparison of
// codes reads the same whichever side is portres's.
template <>
struct StringMaker<std::error_code> {
  static std::string convert(const std::error_code& code) {
    return std::string(code.category().name()) + ": " + code.message();
  }
};

}  // namespace Catch

#endif  // PORTRES_CATCH2_PRINTERS_H
