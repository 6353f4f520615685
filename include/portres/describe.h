// <portres/describe.h>: the Winsock vocabulary as one line of text, the way the documentation
// writes it ("TCP 5000..5019 token 0x2a", "SIO_RELEASE_PORT_RESERVATION", "WSAEINVAL (10022)").
//
// The GoogleTest printers (<portres/gtest_printers.h>), the matchers, the leak check and the
// call-log trace all print through these functions, so a value reads the same everywhere:
//
//   portres::Describe(fake.Reservations()[0]);
//       // "TCP 5000..5019 token 0x2a (runtime, socket 0x104, pid 1000)"
//   portres::Describe(fake.CallLog().back());
//       // "#3 WSAIoctl(s=0x104, SIO_RELEASE_PORT_RESERVATION, token 0x2a) -> SOCKET_ERROR,
//       //  WSAEINVAL (10022) [injected]"
#ifndef PORTRES_DESCRIBE_H
#define PORTRES_DESCRIBE_H

#include <portres/call_log.h>
#include <portres/fake_export.h>
#include <portres/fake_host.h>
#include <portres/fault.h>
#include <portres/winsock.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace portres {

// Ports in host byte order: "5000..5019". A block that runs past 65535 says so.
PORTRES_FAKE_API std::string DescribePorts(std::uint32_t first_port, std::uint32_t port_count);
// "token 0x2a"; INVALID_PORT_RESERVATION_TOKEN is named.
PORTRES_FAKE_API std::string DescribeToken(ULONG64 token);
// "0x104"; INVALID_SOCKET is named.
PORTRES_FAKE_API std::string DescribeSocketHandle(SOCKET s);
// "SIO_ACQUIRE_PORT_RESERVATION", or the code in hex when portres does not know its name.
PORTRES_FAKE_API std::string DescribeIoctl(DWORD code);
// "UDP", "TCP/IPv6", "SOCK_RAW", "AF_UNIX": what kind of socket an (af, type, protocol) makes.
PORTRES_FAKE_API std::string DescribeSocketKind(int af, int type, int protocol);

// A port that arrives byte-swapped (a missing htons) reads as another port: 5000 as 34835.
// True when the swap of `read_as` is the rounder number of the two in decimal (34835 -> 5000),
// the sign of a port a person wrote and forgot to convert.
PORTRES_FAKE_API bool LooksByteSwapped(std::uint16_t read_as);
// 5000 <-> 34835: what htons or ntohs does on a little-endian machine.
PORTRES_FAKE_API std::uint16_t ByteSwap(std::uint16_t port);
// "StartPort 0x8813 reads as 34835; did you forget htons? (5000 swapped)".
PORTRES_FAKE_API std::string DescribeByteSwap(const char* field, std::uint16_t read_as);

// An INET_PORT_RANGE as passed to SIO_ACQUIRE_PORT_RESERVATION (StartPort in network byte
// order): "5000..5019 (20 ports)", or "any 20 ports" for a wildcard (StartPort == 0).
PORTRES_FAKE_API std::string Describe(const INET_PORT_RANGE& range);
// "5000..5019 token 0x2a".
PORTRES_FAKE_API std::string Describe(const INET_PORT_RESERVATION_INSTANCE& instance);
// "token 0x2a".
PORTRES_FAKE_API std::string Describe(const INET_PORT_RESERVATION_TOKEN& token);

// "TCP 5000..5019 token 0x2a (runtime, socket 0x104, pid 1000)"; a persistent reservation:
// "TCP 5000..5019 token 0x2a (persistent)".
PORTRES_FAKE_API std::string Describe(const ReservationInfo& reservation);
// "socket 0x108 (UDP, port 5003, token 0x2a, pid 1000)": port when bound, token when
// associated.
PORTRES_FAKE_API std::string Describe(const SocketInfo& socket);
// "#3 WSAIoctl(s=0x104, SIO_RELEASE_PORT_RESERVATION, token 0x2a) -> SOCKET_ERROR,
// WSAEINVAL (10022) [injected]". A reservation IOCTL whose input buffer was null or too short
// (CallRecord::arguments_read false) shows "range not read" or "token not read" instead of
// zeros: "#2 WSAIoctl(s=0x104, SIO_RELEASE_PORT_RESERVATION, token not read) -> SOCKET_ERROR,
// WSAEFAULT (10014)". A refusal of the fake adds its reason after the error ("WSAEINVAL (10022):
// cbOutBuffer 8 < sizeof(INET_PORT_RESERVATION_INSTANCE) 16"), and a port that looks
// byte-swapped adds " -- " and DescribeByteSwap's text.
PORTRES_FAKE_API std::string Describe(const CallRecord& record);
// "#3 WSAIoctl(s=0x104, SIO_RELEASE_PORT_RESERVATION)": a call as a fault predicate sees it.
PORTRES_FAKE_API std::string Describe(const Call& call);
// "Fault::Error(WSAENETDOWN (10050))" or "Fault::Pend()".
PORTRES_FAKE_API std::string Describe(const Fault& fault);
PORTRES_FAKE_API std::string Describe(ReservationKind kind);  // "runtime", "persistent"

// The most recent `max_calls` records, one per line, oldest first, each line indented by two
// spaces; a first line says how many earlier calls are left out.
PORTRES_FAKE_API std::string DescribeCallLog(const std::vector<CallRecord>& log,
                                             std::size_t max_calls = 32);

}  // namespace portres

#endif  // PORTRES_DESCRIBE_H
