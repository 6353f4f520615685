// <portres/matchers.h>: gMock matchers for reservations, calls, buffers and error codes, named
// as sentences and describing themselves in the documentation's words.
//
//   EXPECT_THAT(fake.Reservations(),
//               ElementsAre(AllOf(ReservationOf(Protocol::kTcp, 5000, 20), IsRuntime())));
//   EXPECT_CALL(mock, WSAIoctl(_, IsIoctlCode(SIO_RELEASE_PORT_RESERVATION),
//                              ReleasesToken(token), _, _, _, _, _, _));
//   EXPECT_THAT(api.WSAGetLastError(), IsWsaError(WSAEINVAL));
//   EXPECT_TRUE(LastErrorIs(api, WSAEINVAL));
//   EXPECT_THAT(fake.CallLog(), Contains(AllOf(IsIoctlCall(SIO_RELEASE_PORT_RESERVATION),
//                                              FailedWith(WSAENETDOWN))));
//
// A failure reads "Expected: is WSAEINVAL (10022) / Actual: 10050, which is WSAENETDOWN
// (10050)", or "points to an INET_PORT_RANGE of 5000..5019 (20 ports) / Actual: 0x7ffd...,
// which points to 6000..6019 (20 ports)": names and ranges, never bytes.
//
// The buffer matchers (ReleasesToken, AcquiresBlock, AcquiresAnyBlock) read the buffer when
// gMock matches the call, that is while the call is being made.
#ifndef PORTRES_MATCHERS_H
#define PORTRES_MATCHERS_H

#include <gmock/gmock.h>
#include <portres/call_log.h>
#include <portres/describe.h>
#include <portres/fake_host.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/fault.h>
#include <portres/gmock_export.h>
#include <portres/gtest_printers.h>
#include <portres/socket_ioctl.h>
#include <portres/winsock.h>
#include <portres/winsock_error.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <ostream>
#include <system_error>

namespace portres {
namespace detail {

// "; set by #3 WSAIoctl(...) -> SOCKET_ERROR, WSAEINVAL (10022): <the fake's reason>" when the
// calling thread's last failure on `fake` set `error`; "" otherwise.
PORTRES_GMOCK_API std::string ExplainLastFailure(const FakeSocketIoctl& fake, int error);

// ---- Error codes and IOCTL codes ---------------------------------------------------------
class WsaErrorMatcher {
 public:
  using is_gtest_matcher = void;
  explicit WsaErrorMatcher(int code, const FakeSocketIoctl* fake = nullptr)
      : code_(code), fake_(fake) {}

  bool MatchAndExplain(int actual, testing::MatchResultListener* listener) const {
    *listener << "which is " << DescribeError(actual);
    if (fake_ != nullptr && actual != code_) *listener << ExplainLastFailure(*fake_, actual);
    return actual == code_;
  }
  // The typed layer's std::error_code: the code of the Winsock category.
  bool MatchAndExplain(const std::error_code& actual,
                       testing::MatchResultListener* listener) const {
    *listener << "which is " << actual.category().name() << ":" << actual.value() << " ("
              << actual.message() << ")";
    return actual.category() == winsock_category() && actual.value() == code_;
  }
  void DescribeTo(std::ostream* os) const { *os << "is " << DescribeError(code_); }
  void DescribeNegationTo(std::ostream* os) const { *os << "is not " << DescribeError(code_); }

 private:
  int code_;
  const FakeSocketIoctl* fake_;
};

class IoctlCodeMatcher {
 public:
  using is_gtest_matcher = void;
  explicit IoctlCodeMatcher(DWORD code) : code_(code) {}

  bool MatchAndExplain(DWORD actual, testing::MatchResultListener* listener) const {
    *listener << "which is " << DescribeIoctl(actual);
    return actual == code_;
  }
  void DescribeTo(std::ostream* os) const { *os << "is " << DescribeIoctl(code_); }
  void DescribeNegationTo(std::ostream* os) const { *os << "is not " << DescribeIoctl(code_); }

 private:
  DWORD code_;
};

// ---- WSAIoctl input buffers --------------------------------------------------------------
class TokenBufferMatcher {
 public:
  using is_gtest_matcher = void;
  explicit TokenBufferMatcher(ULONG64 token) : token_(token) {}

  bool MatchAndExplain(const void* buffer, testing::MatchResultListener* listener) const {
    if (buffer == nullptr) {
      *listener << "which is null";
      return false;
    }
    INET_PORT_RESERVATION_TOKEN actual;
    std::memcpy(&actual, buffer, sizeof actual);
    *listener << "which points to " << Describe(actual);
    return actual.Token == token_;
  }
  void DescribeTo(std::ostream* os) const {
    *os << "points to an INET_PORT_RESERVATION_TOKEN of " << DescribeToken(token_);
  }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "does not point to an INET_PORT_RESERVATION_TOKEN of " << DescribeToken(token_);
  }

 private:
  ULONG64 token_;
};

class RangeBufferMatcher {
 public:
  using is_gtest_matcher = void;
  explicit RangeBufferMatcher(INET_PORT_RANGE range) : range_(range) {}

  bool MatchAndExplain(const void* buffer, testing::MatchResultListener* listener) const {
    if (buffer == nullptr) {
      *listener << "which is null";
      return false;
    }
    INET_PORT_RANGE actual;
    std::memcpy(&actual, buffer, sizeof actual);
    *listener << "which points to " << Describe(actual);
    // The buffer holds the expected port in host byte order.
    const std::uint16_t read_as = ntohs(actual.StartPort);
    if (range_.StartPort != 0 && actual.StartPort != range_.StartPort &&
        ByteSwap(read_as) == ntohs(range_.StartPort)) {
      *listener << "; " << DescribeByteSwap("StartPort", read_as);
    }
    return actual.StartPort == range_.StartPort && actual.NumberOfPorts == range_.NumberOfPorts;
  }
  void DescribeTo(std::ostream* os) const {
    *os << "points to an INET_PORT_RANGE of " << Describe(range_);
  }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "does not point to an INET_PORT_RANGE of " << Describe(range_);
  }

 private:
  INET_PORT_RANGE range_;
};

// ---- Reservations ------------------------------------------------------------------------
class ReservationOfMatcher {
 public:
  using is_gtest_matcher = void;
  ReservationOfMatcher(std::optional<Protocol> protocol, std::uint16_t first_port,
                       std::uint16_t port_count)
      : protocol_(protocol), first_port_(first_port), port_count_(port_count) {}

  bool MatchAndExplain(const ReservationInfo& actual,
                       testing::MatchResultListener* listener) const {
    *listener << "which is a " << ProtocolName(actual.protocol) << " reservation of "
              << DescribePorts(actual.first_port, actual.port_count) << SwapHint(actual.first_port);
    return (!protocol_ || *protocol_ == actual.protocol) && actual.first_port == first_port_ &&
           actual.port_count == port_count_;
  }
  bool MatchAndExplain(const INET_PORT_RESERVATION_INSTANCE& actual,
                       testing::MatchResultListener* listener) const {
    const std::uint16_t first = ntohs(actual.Reservation.StartPort);
    *listener << "which is a reservation of "
              << DescribePorts(first, actual.Reservation.NumberOfPorts) << SwapHint(first);
    return first == first_port_ && actual.Reservation.NumberOfPorts == port_count_;
  }
  void DescribeTo(std::ostream* os) const { *os << "is " << What(); }
  void DescribeNegationTo(std::ostream* os) const { *os << "is not " << What(); }

 private:
  // A block granted at the byte swap of the expected start: the request missed htons.
  std::string SwapHint(std::uint16_t actual_first) const {
    if (actual_first == first_port_ || ByteSwap(actual_first) != first_port_) return "";
    return "; " + DescribeByteSwap("StartPort", actual_first);
  }
  std::string What() const {
    std::string what = "a ";
    if (protocol_) what += std::string(ProtocolName(*protocol_)) + " ";
    return what + "reservation of " + DescribePorts(first_port_, port_count_);
  }

  std::optional<Protocol> protocol_;
  std::uint16_t first_port_;
  std::uint16_t port_count_;
};

class HasTokenMatcher {
 public:
  using is_gtest_matcher = void;
  explicit HasTokenMatcher(ULONG64 token) : token_(token) {}

  bool MatchAndExplain(const ReservationInfo& actual, testing::MatchResultListener* l) const {
    return Match(actual.token, l);
  }
  bool MatchAndExplain(const INET_PORT_RESERVATION_INSTANCE& actual,
                       testing::MatchResultListener* l) const {
    return Match(actual.Token.Token, l);
  }
  bool MatchAndExplain(const INET_PORT_RESERVATION_TOKEN& actual,
                       testing::MatchResultListener* l) const {
    return Match(actual.Token, l);
  }
  // A socket's associated token; a call's token (passed to release/associate, got by acquire).
  bool MatchAndExplain(const SocketInfo& actual, testing::MatchResultListener* l) const {
    return Match(actual.associated_token, l);
  }
  // A release or associate whose input buffer was null or too short passed no token, not
  // token 0: it matches no HasToken, HasToken(0) included.
  bool MatchAndExplain(const CallRecord& actual, testing::MatchResultListener* l) const {
    const Call& call = actual.call;
    const bool passes_token =
        call.api == Api::kWSAIoctl &&
        (call.code == SIO_RELEASE_PORT_RESERVATION || call.code == SIO_ASSOCIATE_PORT_RESERVATION);
    if (passes_token && !actual.arguments_read) {
      *l << "whose token was not read (its input buffer was null or too short)";
      return false;
    }
    return Match(actual.token, l);
  }
  void DescribeTo(std::ostream* os) const { *os << "has " << DescribeToken(token_); }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "does not have " << DescribeToken(token_);
  }

 private:
  bool Match(ULONG64 actual, testing::MatchResultListener* listener) const {
    *listener << "which has " << DescribeToken(actual);
    return actual == token_;
  }
  ULONG64 token_;
};

class KindMatcher {
 public:
  using is_gtest_matcher = void;
  explicit KindMatcher(ReservationKind kind) : kind_(kind) {}

  bool MatchAndExplain(const ReservationInfo& actual,
                       testing::MatchResultListener* listener) const {
    *listener << "which is " << Describe(actual.kind);
    return actual.kind == kind_;
  }
  void DescribeTo(std::ostream* os) const { *os << "is a " << Describe(kind_) << " reservation"; }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "is not a " << Describe(kind_) << " reservation";
  }

 private:
  ReservationKind kind_;
};

class OwnerSocketMatcher {
 public:
  using is_gtest_matcher = void;
  explicit OwnerSocketMatcher(SOCKET s) : socket_(s) {}

  bool MatchAndExplain(const ReservationInfo& actual,
                       testing::MatchResultListener* listener) const {
    *listener << "which is owned by socket " << DescribeSocketHandle(actual.owner_socket);
    return actual.owner_socket == socket_;
  }
  void DescribeTo(std::ostream* os) const {
    *os << "is owned by socket " << DescribeSocketHandle(socket_);
  }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "is not owned by socket " << DescribeSocketHandle(socket_);
  }

 private:
  SOCKET socket_;
};

// ---- Call-log records --------------------------------------------------------------------
class CallToMatcher {
 public:
  using is_gtest_matcher = void;
  CallToMatcher(Api api, std::optional<DWORD> code) : api_(api), code_(code) {}

  bool MatchAndExplain(const CallRecord& actual, testing::MatchResultListener* listener) const {
    *listener << "which is a call to " << ApiName(actual.call.api);
    if (actual.call.api == Api::kWSAIoctl) *listener << " with " << DescribeIoctl(actual.call.code);
    return actual.call.api == api_ && (!code_ || actual.call.code == *code_);
  }
  void DescribeTo(std::ostream* os) const { *os << "is " << What(); }
  void DescribeNegationTo(std::ostream* os) const { *os << "is not " << What(); }

 private:
  std::string What() const {
    std::string what = "a call to " + std::string(ApiName(api_));
    if (code_) what += " with " + DescribeIoctl(*code_);
    return what;
  }
  Api api_;
  std::optional<DWORD> code_;
};

class CallErrorMatcher {
 public:
  using is_gtest_matcher = void;
  explicit CallErrorMatcher(int error) : error_(error) {}

  bool MatchAndExplain(const CallRecord& actual, testing::MatchResultListener* listener) const {
    if (actual.error == 0) {
      *listener << "which succeeded";
    } else {
      *listener << "which failed with " << DescribeError(actual.error);
      if (!actual.reason.empty() && !actual.injected) *listener << ": " << actual.reason;
    }
    return actual.error == error_;
  }
  void DescribeTo(std::ostream* os) const { *os << What(); }
  void DescribeNegationTo(std::ostream* os) const { *os << "did not " << What(); }

 private:
  std::string What() const {
    return error_ == 0 ? "succeeded" : "failed with " + DescribeError(error_);
  }
  int error_;
};

class InjectedMatcher {
 public:
  using is_gtest_matcher = void;

  bool MatchAndExplain(const CallRecord& actual, testing::MatchResultListener* listener) const {
    *listener << (actual.injected ? "which was injected" : "which was not injected");
    return actual.injected;
  }
  void DescribeTo(std::ostream* os) const { *os << "was hit by an injected fault"; }
  void DescribeNegationTo(std::ostream* os) const { *os << "was not hit by an injected fault"; }
};

}  // namespace detail

// Error codes: an int from WSAGetLastError(), or the typed layer's std::error_code.
inline detail::WsaErrorMatcher IsWsaError(int code) { return detail::WsaErrorMatcher(code); }
// The same, for an error that came from `fake` (or a mock delegating to it): a mismatch also
// shows the fake's last failed call on this thread and why it failed
// (FakeSocketIoctl::LastFailure). An int alone cannot say where it came from.
inline detail::WsaErrorMatcher IsWsaError(int code, const FakeSocketIoctl& fake) {
  return detail::WsaErrorMatcher(code, &fake);
}
// The calling thread's last error on `api`: "last error is WSAENETDOWN (10050), not
// WSAEINVAL (10022)". For EXPECT_TRUE / ASSERT_TRUE. When `api` is a FakeSocketIoctl or a
// MockSocketIoctl, a failure also shows the call that set the error and the fake's reason.
PORTRES_GMOCK_API testing::AssertionResult LastErrorIs(ISocketIoctl& api, int code);

// WSAIoctl's dwIoControlCode.
inline detail::IoctlCodeMatcher IsIoctlCode(DWORD code) { return detail::IoctlCodeMatcher(code); }

// WSAIoctl's lpvInBuffer: an INET_PORT_RESERVATION_TOKEN holding `token` (what
// SIO_RELEASE_PORT_RESERVATION and SIO_ASSOCIATE_PORT_RESERVATION take).
inline detail::TokenBufferMatcher ReleasesToken(ULONG64 token) {
  return detail::TokenBufferMatcher(token);
}
// WSAIoctl's lpvInBuffer for SIO_ACQUIRE_PORT_RESERVATION: an INET_PORT_RANGE asking for
// first_port..first_port+port_count-1 (host byte order here; the buffer holds network order).
inline detail::RangeBufferMatcher AcquiresBlock(std::uint16_t first_port,
                                                std::uint16_t port_count) {
  return detail::RangeBufferMatcher(INET_PORT_RANGE{htons(first_port), port_count});
}
// ... or asking for any block of `port_count` ports (StartPort == 0).
inline detail::RangeBufferMatcher AcquiresAnyBlock(std::uint16_t port_count) {
  return detail::RangeBufferMatcher(INET_PORT_RANGE{0, port_count});
}

// Reservations: a ReservationInfo (fake.Reservations()) or, without the protocol, also an
// INET_PORT_RESERVATION_INSTANCE (SIO_ACQUIRE_PORT_RESERVATION's output).
inline detail::ReservationOfMatcher ReservationOf(Protocol protocol, std::uint16_t first_port,
                                                  std::uint16_t port_count) {
  return detail::ReservationOfMatcher(protocol, first_port, port_count);
}
// The same without the protocol: a ReservationInfo of either, or an instance.
inline detail::ReservationOfMatcher ReservationOf(std::uint16_t first_port,
                                                  std::uint16_t port_count) {
  return detail::ReservationOfMatcher(std::nullopt, first_port, port_count);
}
// A reservation, instance, token, socket (its associated token) or call record with `token`
// (a release or associate whose input buffer was not read has none: CallRecord::arguments_read).
inline detail::HasTokenMatcher HasToken(ULONG64 token) { return detail::HasTokenMatcher(token); }
// A runtime reservation (SIO_ACQUIRE_PORT_RESERVATION's kind).
inline detail::KindMatcher IsRuntime() { return detail::KindMatcher(ReservationKind::kRuntime); }
// A persistent reservation (CreatePersistent*PortReservation's kind).
inline detail::KindMatcher IsPersistent() {
  return detail::KindMatcher(ReservationKind::kPersistent);
}
// A reservation acquired on socket `s`.
inline detail::OwnerSocketMatcher OwnedBySocket(SOCKET s) { return detail::OwnerSocketMatcher(s); }

// Call-log records (fake.CallLog()): a call to `api`.
inline detail::CallToMatcher IsCallTo(Api api) { return detail::CallToMatcher(api, std::nullopt); }
// A WSAIoctl call with `code`.
inline detail::CallToMatcher IsIoctlCall(DWORD code) {
  return detail::CallToMatcher(Api::kWSAIoctl, code);
}
// A call that failed with `error` (set the last error to it).
inline detail::CallErrorMatcher FailedWith(int error) { return detail::CallErrorMatcher(error); }
// A call that succeeded (its last error is 0).
inline detail::CallErrorMatcher Succeeded() { return detail::CallErrorMatcher(0); }
// A call whose failure (or pending state) came from a Fault.
inline detail::InjectedMatcher WasInjected() { return detail::InjectedMatcher(); }

}  // namespace portres

#endif  // PORTRES_MATCHERS_H
