// <portres/mock_ip_helper.h>: a GoogleMock mock of IIpHelper that behaves like Windows (it
// delegates to a FakeIpHelper) until a test says otherwise, as MockSocketIoctl does for Winsock.
//
//   auto host = std::make_shared<portres::FakeHost>();
//   testing::NiceMock<portres::MockIpHelper> helper(host);  // every call goes to helper.fake()
//   EXPECT_CALL(helper, DeletePersistentTcpPortReservation(htons(5000), 20))
//       .WillOnce(helper.FailWith(ERROR_ACCESS_DENIED));
//
// Delegation, precedence, kCannedOnly (every call returns NO_ERROR without touching *Token) and
// FailWith work as <portres/mock_socket_ioctl.h> tells; FailWith(code) returns `code`.
#ifndef PORTRES_MOCK_IP_HELPER_H
#define PORTRES_MOCK_IP_HELPER_H

#include <gmock/gmock.h>
#include <portres/fake_host.h>
#include <portres/fake_ip_helper.h>
#include <portres/fault.h>
#include <portres/gmock_export.h>
#include <portres/ip_helper.h>
#include <portres/mock_socket_ioctl.h>
#include <portres/mock_values.h>
#include <portres/winsock.h>

#include <atomic>
#include <memory>
#include <utility>

namespace portres {
namespace detail {

// gMock's half of MockIpHelper. Its results print by name, under the C++ names Mocked<name>
// (<portres/mock_values.h> tells why); MockIpHelper's overrides forward to them.
class MockedIpHelper : public IIpHelper {
 public:
  PORTRES_DETAIL_RENAMED_MOCK_METHOD(MockedWin32Error, CreatePersistentTcpPortReservation,
                                     create_tcp_)
  PORTRES_DETAIL_RENAMED_MOCK_METHOD(MockedWin32Error, CreatePersistentUdpPortReservation,
                                     create_udp_)
  PORTRES_DETAIL_RENAMED_MOCK_METHOD(MockedWin32Error, DeletePersistentTcpPortReservation,
                                     delete_tcp_)
  PORTRES_DETAIL_RENAMED_MOCK_METHOD(MockedWin32Error, DeletePersistentUdpPortReservation,
                                     delete_udp_)
  PORTRES_DETAIL_RENAMED_MOCK_METHOD(MockedWin32Error, LookupPersistentTcpPortReservation,
                                     lookup_tcp_)
  PORTRES_DETAIL_RENAMED_MOCK_METHOD(MockedWin32Error, LookupPersistentUdpPortReservation,
                                     lookup_udp_)

 private:
  using WithToken = RenamedMocker<MockedWin32Error(USHORT, USHORT, PULONG64)>;
  using WithoutToken = RenamedMocker<MockedWin32Error(USHORT, USHORT)>;
  WithToken create_tcp_{"CreatePersistentTcpPortReservation"};
  WithToken create_udp_{"CreatePersistentUdpPortReservation"};
  WithoutToken delete_tcp_{"DeletePersistentTcpPortReservation"};
  WithoutToken delete_udp_{"DeletePersistentUdpPortReservation"};
  WithToken lookup_tcp_{"LookupPersistentTcpPortReservation"};
  WithToken lookup_udp_{"LookupPersistentUdpPortReservation"};
};

// The iphlpapi call the calling thread is making through a MockIpHelper's gMock half: four of
// the six functions share a signature, so an action learns which one it stands for here.
PORTRES_GMOCK_API Api IpHelperCallInFlight() noexcept;
// Marks the calling thread's iphlpapi call in flight for as long as it lives.
class PORTRES_GMOCK_API IpHelperCallScope {
 public:
  explicit IpHelperCallScope(Api api) noexcept;
  ~IpHelperCallScope();
  IpHelperCallScope(const IpHelperCallScope&) = delete;
  IpHelperCallScope& operator=(const IpHelperCallScope&) = delete;

 private:
  Api previous_;
};

// The call `api` on the fake, with the arguments the mock received.
PORTRES_GMOCK_API ULONG ForwardIpHelperCall(FakeIpHelper& fake, Api api, USHORT StartPort,
                                            USHORT NumberOfPorts, PULONG64 Token = nullptr);

// The action behind MockIpHelper::FailWith: a one-shot fault for this very call, then the call.
class IpHelperFailWith {
 public:
  IpHelperFailWith(FakeIpHelper& fake, ULONG error) : fake_(&fake), error_(error) {}

  template <typename R, typename... Args>
  operator testing::Action<R(Args...)>() const {  // NOLINT(google-explicit-constructor)
    FakeIpHelper* fake = fake_;
    const ULONG error = error_;
    return [fake, error](Args... args) -> R {
      Call call;
      call.api = IpHelperCallInFlight();
      auto answered = std::make_shared<std::atomic<bool>>(false);
      fake->Inject(OneShotFault(Fault::Error(static_cast<int>(error)), call, answered));
      struct MarkAnswered {
        std::atomic<bool>& answered;
        ~MarkAnswered() { answered.store(true); }
      } mark{*answered};
      return ForwardIpHelperCall(*fake, call.api, args...);
    };
  }

 private:
  FakeIpHelper* fake_;
  ULONG error_;
};

}  // namespace detail

// The entry points EXPECT_CALL(mock, method...) and ON_CALL(mock, method...) expand to.
#define PORTRES_MOCK_ENTRY_(method, index)                                              \
  template <typename... Matchers>                                                       \
  auto gmock_##method(Matchers&&... matchers)                                           \
      ->decltype(std::declval<detail::MockedIpHelper&>().gmock_##method(                \
          std::forward<Matchers>(matchers)...)) {                                       \
    Expect(index);                                                                      \
    return detail::MockedIpHelper::gmock_##method(std::forward<Matchers>(matchers)...); \
  }

// How a routed method reads: gMock (marking the call in flight) when a test set an expectation
// on it, else the fake.
#define PORTRES_MOCK_ROUTE_(method, index, ...)                                  \
  return Mocked(index) ? (detail::IpHelperCallScope(Api::k##method),             \
                          static_cast<ULONG>(Base::Mocked##method(__VA_ARGS__))) \
                       : fake_.method(__VA_ARGS__)

// A GoogleMock mock of every IIpHelper method, with a FakeIpHelper behind it that answers every
// call no expectation takes.
class PORTRES_GMOCK_API MockIpHelper : public detail::MockedIpHelper {
 public:
  // A view on `host`, delegating to a FakeIpHelper with `options`.
  explicit MockIpHelper(std::shared_ptr<FakeHost> host,
                        const FakeIpHelperOptions& options = FakeIpHelperOptions());
  // A view on `host` whose calls return gMock's defaults; DelegateToFake() turns delegation on.
  MockIpHelper(std::shared_ptr<FakeHost> host, CannedOnly);
  ~MockIpHelper() override;
  MockIpHelper(const MockIpHelper&) = delete;
  MockIpHelper& operator=(const MockIpHelper&) = delete;

  ULONG CreatePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override {
    PORTRES_MOCK_ROUTE_(CreatePersistentTcpPortReservation, 0, StartPort, NumberOfPorts, Token);
  }
  ULONG CreatePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override {
    PORTRES_MOCK_ROUTE_(CreatePersistentUdpPortReservation, 1, StartPort, NumberOfPorts, Token);
  }
  ULONG DeletePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts) override {
    PORTRES_MOCK_ROUTE_(DeletePersistentTcpPortReservation, 2, StartPort, NumberOfPorts);
  }
  ULONG DeletePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts) override {
    PORTRES_MOCK_ROUTE_(DeletePersistentUdpPortReservation, 3, StartPort, NumberOfPorts);
  }
  ULONG LookupPersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override {
    PORTRES_MOCK_ROUTE_(LookupPersistentTcpPortReservation, 4, StartPort, NumberOfPorts, Token);
  }
  ULONG LookupPersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override {
    PORTRES_MOCK_ROUTE_(LookupPersistentUdpPortReservation, 5, StartPort, NumberOfPorts, Token);
  }

  PORTRES_MOCK_ENTRY_(CreatePersistentTcpPortReservation, 0)
  PORTRES_MOCK_ENTRY_(CreatePersistentUdpPortReservation, 1)
  PORTRES_MOCK_ENTRY_(DeletePersistentTcpPortReservation, 2)
  PORTRES_MOCK_ENTRY_(DeletePersistentUdpPortReservation, 3)
  PORTRES_MOCK_ENTRY_(LookupPersistentTcpPortReservation, 4)
  PORTRES_MOCK_ENTRY_(LookupPersistentUdpPortReservation, 5)

  // As MockSocketIoctl::DelegateToFake.
  MockIpHelper& DelegateToFake();

  // The fake behind the mock: its host, faults and call log.
  FakeIpHelper& fake() noexcept { return fake_; }
  const FakeIpHelper& fake() const noexcept { return fake_; }

  // An action that fails the call with the Win32 code `error` through the fake. A misuse
  // (NO_ERROR) is reported here, at the test's line, as MockSocketIoctl::FailWith reports it.
  detail::IpHelperFailWith FailWith(ULONG error, const char* file = PORTRES_CALLER_FILE,
                                    int line = PORTRES_CALLER_LINE) {
    detail::ErrorFaultAt(static_cast<int>(error), file, line);
    return detail::IpHelperFailWith(fake_, error);
  }

 private:
  using Base = detail::MockedIpHelper;
  static constexpr unsigned kMethodCount = 6;

  bool Mocked(unsigned method) const noexcept { return routing_.Mocked(method); }
  void Expect(unsigned method) {
    if (routing_.Expect(method)) Delegate(method, true);
  }
  void Delegate(unsigned method, bool catch_all);

  FakeIpHelper fake_;
  detail::MockRouting routing_;
};

#undef PORTRES_MOCK_ROUTE_
#undef PORTRES_MOCK_ENTRY_

}  // namespace portres

#endif  // PORTRES_MOCK_IP_HELPER_H
