// <portres/mock_values.h>: the IOCTL codes and error codes MockSocketIoctl and MockIpHelper
// hand to gMock, so that its failure text names them as the SDK does.
//
// gMock prints a DWORD or an int as a number ("Function call: WSAIoctl(264, 2550136932, ...)",
// "Expected arg #1: is equal to 2550136933"), and a printer for DWORD would reach every DWORD
// of every test. So the mocks' gMock halves take WSAIoctl's dwIoControlCode as a
// MockedIoctlCode, WSASetLastError's iError and WSAGetLastError's result as a MockedWsaError,
// and the iphlpapi results as a MockedWin32Error: thin types that convert to and from the
// Winsock type and print "SIO_ACQUIRE_PORT_RESERVATION (0x98000064)", "WSAEINVAL (10022)",
// "ERROR_ACCESS_DENIED (5)". The mocks still override ISocketIoctl and IIpHelper with their
// exact signatures, and forward to their gMock halves.
//
// An override cannot change a type, and a method of the same name with other parameters hides
// the interface's (Clang's -Woverloaded-virtual), so those gMock methods have other C++ names
// (MockedWSAIoctl, MockedWSAGetLastError, ...) and keep gMock's name: failure text and
// EXPECT_CALL(mock, WSAIoctl(...)) read as before.
//
// Tests keep writing what they wrote: a raw code (SIO_RELEASE_PORT_RESERVATION, WSAEINVAL),
// `_`, Eq(...), IsIoctlCode(...), a `testing::Matcher<DWORD>` or `<int>`, actions taking a DWORD
// or an int, Return(WSAEINVAL). testing::Matcher<MockedIoctlCode> (and the other two) accept
// each of them and describe themselves with the known codes named: "is equal to
// SIO_RELEASE_PORT_RESERVATION (0x98000065)".
#ifndef PORTRES_MOCK_VALUES_H
#define PORTRES_MOCK_VALUES_H

#include <gmock/gmock.h>
#include <portres/gmock_export.h>
#include <portres/winsock.h>

#include <cstddef>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>

namespace portres {
namespace detail {

// "SIO_ACQUIRE_PORT_RESERVATION (0x98000064)"; "0x12345678" for a code portres does not know.
PORTRES_GMOCK_API std::string DescribeMockedIoctlCode(unsigned long long code);
// `text` with each decimal number that is a known IOCTL code replaced by its description.
PORTRES_GMOCK_API std::string NameIoctlCodes(const std::string& text);
// "WSAEINVAL (10022)"; the number alone for a code portres does not know.
PORTRES_GMOCK_API std::string DescribeMockedWsaError(long long code);
// "ERROR_ACCESS_DENIED (5)", "NO_ERROR (0)"; the number alone for a code portres does not know.
PORTRES_GMOCK_API std::string DescribeMockedWin32Error(unsigned long long code);
// `text` with each decimal number that is a known Winsock error replaced by its description.
PORTRES_GMOCK_API std::string NameWsaErrors(const std::string& text);

struct IoctlCodeKind {
  using Value = DWORD;
  static std::string Describe(Value code) { return DescribeMockedIoctlCode(code); }
  static std::string NameNumbers(const std::string& text) { return NameIoctlCodes(text); }
};
struct WsaErrorKind {
  using Value = int;
  static std::string Describe(Value code) { return DescribeMockedWsaError(code); }
  static std::string NameNumbers(const std::string& text) { return NameWsaErrors(text); }
};
struct Win32ErrorKind {
  using Value = ULONG;
  static std::string Describe(Value code) { return DescribeMockedWin32Error(code); }
  // Only ever a result, which no matcher describes.
  static std::string NameNumbers(const std::string& text) { return text; }
};

// A `Kind::Value` that gMock prints by name. It converts both ways, so that whatever a test
// hands gMock (values, matchers, actions) works as with the Winsock type.
template <typename Kind>
class Named {
 public:
  using Value = typename Kind::Value;
  constexpr Named() noexcept = default;
  constexpr Named(Value value) noexcept : value_(value) {}  // NOLINT(google-explicit-constructor)
  constexpr operator Value() const noexcept {
    return value_;
  }  // NOLINT(google-explicit-constructor)

  // GoogleTest's printer, found by argument-dependent lookup.
  friend void PrintTo(Named named, std::ostream* os) { *os << Kind::Describe(named.value_); }

 private:
  Value value_ = 0;
};

// A matcher of the Winsock type, matching a Named value and describing itself with the
// known codes named.
template <typename Kind>
class NamedMatcher {
 public:
  using is_gtest_matcher = void;
  using Value = typename Kind::Value;
  explicit NamedMatcher(testing::Matcher<Value> inner) : inner_(std::move(inner)) {}

  bool MatchAndExplain(const Named<Kind>& actual, testing::MatchResultListener* listener) const {
    return inner_.MatchAndExplain(static_cast<Value>(actual), listener);
  }
  void DescribeTo(std::ostream* os) const {
    std::ostringstream text;
    inner_.DescribeTo(&text);
    *os << Kind::NameNumbers(text.str());
  }
  void DescribeNegationTo(std::ostream* os) const {
    std::ostringstream text;
    inner_.DescribeNegationTo(&text);
    *os << Kind::NameNumbers(text.str());
  }

 private:
  testing::Matcher<Value> inner_;
};

// A matcher gMock built for the Named type (Eq(x), Lt(x), AllOf(...) convert that way), seen as
// a matcher of the Winsock type.
template <typename Kind>
class FromNamedInterface {
 public:
  using is_gtest_matcher = void;
  using Value = typename Kind::Value;
  explicit FromNamedInterface(const testing::MatcherInterface<const Named<Kind>&>* impl)
      : impl_(impl) {}

  bool MatchAndExplain(const Value& actual, testing::MatchResultListener* listener) const {
    return impl_->MatchAndExplain(Named<Kind>(actual), listener);
  }
  void DescribeTo(std::ostream* os) const { impl_->DescribeTo(os); }
  void DescribeNegationTo(std::ostream* os) const { impl_->DescribeNegationTo(os); }

 private:
  std::shared_ptr<const testing::MatcherInterface<const Named<Kind>&>> impl_;
};

}  // namespace detail

// WSAIoctl's dwIoControlCode as MockSocketIoctl hands it to gMock.
using MockedIoctlCode = detail::Named<detail::IoctlCodeKind>;
// A Winsock error as MockSocketIoctl hands it to gMock (WSASetLastError, WSAGetLastError).
using MockedWsaError = detail::Named<detail::WsaErrorKind>;
// An iphlpapi result as MockIpHelper hands it to gMock.
using MockedWin32Error = detail::Named<detail::Win32ErrorKind>;

namespace detail {

// What MOCK_METHOD expands to (as testing::MockFunction spells it), for a gMock method whose
// C++ name differs from the one gMock prints and EXPECT_CALL names.
template <typename F>
class RenamedMocker;

template <typename R, typename... Args>
class RenamedMocker<R(Args...)> {
 public:
  explicit RenamedMocker(const char* name) noexcept : name_(name) {}

  R Call(const void* owner, Args... args) {
    mocker_.SetOwnerAndName(owner, name_);
    return mocker_.Invoke(std::forward<Args>(args)...);
  }
  // EXPECT_CALL(mock, name(matchers...)).
  testing::MockSpec<R(Args...)> Spec(const void* owner, testing::Matcher<Args>... matchers) {
    mocker_.RegisterOwner(owner);
    return mocker_.With(std::move(matchers)...);
  }
  // EXPECT_CALL(mock, name): any arguments.
  testing::MockSpec<R(Args...)> Spec(const void* owner, const testing::internal::WithoutMatchers&,
                                     std::nullptr_t) {
    return Spec(owner, testing::A<Args>()...);
  }

 private:
  const char* name_;
  testing::FunctionMocker<R(Args...)> mocker_;
};

}  // namespace detail

}  // namespace portres

// Inside a mock's gMock half: Mocked<name>(args...), which the mock's override calls, and the
// gmock_<name>(matchers...) that EXPECT_CALL(mock, name(...)) expands to, both on `mocker`, a
// RenamedMocker named `name`.
#define PORTRES_DETAIL_RENAMED_MOCK_METHOD(Result, name, mocker)   \
  template <typename... Args>                                      \
  Result Mocked##name(Args... args) {                              \
    return mocker.Call(this, args...);                             \
  }                                                                \
  template <typename... Matchers>                                  \
  auto gmock_##name(Matchers&&... matchers) {                      \
    return mocker.Spec(this, std::forward<Matchers>(matchers)...); \
  }

namespace testing {

// A matcher of a Named value accepts what a matcher of the Winsock type accepts.
template <typename Kind>
class Matcher<portres::detail::Named<Kind>>
    : public internal::MatcherBase<portres::detail::Named<Kind>> {
  using Named = portres::detail::Named<Kind>;
  using Value = typename Kind::Value;
  using Base = internal::MatcherBase<Named>;
  using Wrapped = portres::detail::NamedMatcher<Kind>;

 public:
  Matcher() = default;
  explicit Matcher(const MatcherInterface<const Named&>* impl)
      : Base(Wrapped(Matcher<Value>(portres::detail::FromNamedInterface<Kind>(impl)))) {}
  // Constrained to matchers, so it never stands in for the copy and move constructors.
  template <typename M, typename = typename std::remove_reference<M>::type::is_gtest_matcher>
  Matcher(M&& m)  // NOLINT(google-explicit-constructor,bugprone-forwarding-reference-overload)
      : Base(Wrapped(Matcher<Value>(std::forward<M>(m)))) {}
  // EXPECT_CALL(mock, WSAIoctl(_, SIO_RELEASE_PORT_RESERVATION, ...)): equal to the code.
  Matcher(Value value)  // NOLINT(google-explicit-constructor)
      : Base(Wrapped(Matcher<Value>(value))) {}
  Matcher(Named value)  // NOLINT(google-explicit-constructor)
      : Base(Wrapped(Matcher<Value>(static_cast<Value>(value)))) {}
  Matcher(const Matcher<Value>& m)  // NOLINT(google-explicit-constructor)
      : Base(Wrapped(m)) {}
};

}  // namespace testing

#endif  // PORTRES_MOCK_VALUES_H
