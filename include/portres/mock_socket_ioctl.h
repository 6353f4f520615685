// <portres/mock_socket_ioctl.h>: a GoogleMock mock of ISocketIoctl that behaves like Windows
// (it delegates to a FakeSocketIoctl) until a test says otherwise.
//
//   testing::NiceMock<portres::MockSocketIoctl> api;  // every call goes to api.fake()
//   EXPECT_CALL(api, WSAIoctl(_, SIO_RELEASE_PORT_RESERVATION, _, _, _, _, _, _, _))
//       .WillOnce(api.FailWith(WSAENETDOWN));
//   UnderTest(api);  // acquire and close reach the fake; the release fails like Winsock
//   EXPECT_THAT(api.fake().Reservations(), testing::IsEmpty());
//
// This is gMock's "delegating calls to a fake" recipe, built in and on from construction. An
// EXPECT_CALL or ON_CALL takes precedence for the calls it matches, whenever it was written;
// the other calls of that method, and every call of a method no test mentions, go to the fake
// (a method nobody set an expectation on does not even enter gMock, so the mock costs about
// what the fake does). DelegateToFake() is kept for older tests: it changes nothing on a
// delegating mock. A test that wants gMock's canned answers only (every call returns 0,
// nullptr or FALSE unless an action says otherwise) asks for them:
//
//   testing::NiceMock<portres::MockSocketIoctl> api(portres::kCannedOnly);
//
// FailWith(error) fails the call exactly as Windows would: it hands the call to the fake with
// a one-shot Fault::Error(error) for that very call, so the call returns what that method
// returns on failure (SOCKET_ERROR, INVALID_SOCKET, FALSE), sets the thread's last error
// (WSAGetLastError, delegated, answers it), changes nothing, and shows in fake().CallLog() as
// injected. Pend() does the same with Fault::Pend() for an overlapped WSAIoctl.
//
// "That very call" holds with threads too: the one-shot fault is restricted to the thread the
// action runs on (Fault::OnThisThread), which is the thread that makes the call, so another
// thread's call reaching the fake in between, even an identical one, neither takes the fault
// nor moves it; and the fault ends with the call, whether it hit it or not.
//
// Failures speak Winsock: gMock names IOCTL codes and the errors set (<portres/mock_values.h>),
// a call that reaches gMock carries a trace naming it ("WSAIoctl(s=0x100,
// SIO_RELEASE_PORT_RESERVATION, token 0x2a)"), and an expectation left unsatisfied is reported
// with the calls the fake saw.
#ifndef PORTRES_MOCK_SOCKET_IOCTL_H
#define PORTRES_MOCK_SOCKET_IOCTL_H

#include <gmock/gmock.h>
#include <portres/caller_location.h>
#include <portres/fake_host.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/fault.h>
#include <portres/gmock_export.h>
#include <portres/mock_values.h>
#include <portres/socket_ioctl.h>
#include <portres/winsock.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

namespace portres {

namespace detail {

// Which fake method a mocked signature stands for, so that an action converted to
// testing::Action<F> knows which call to make. Signatures that no ISocketIoctl method has
// (or methods that cannot fail) are left undefined: using FailWith on them does not compile.
template <typename F>
struct FakeMethod;

template <>
struct FakeMethod<SOCKET(int, int, int)> {
  static constexpr Api kApi = Api::kSocket;
  static SOCKET Forward(ISocketIoctl& api, int af, int type, int protocol) {
    return api.socket(af, type, protocol);
  }
  static portres::Call AsCall(int, int, int) { return {0, kApi, INVALID_SOCKET, 0, false}; }
};

template <>
struct FakeMethod<int(SOCKET)> {
  static constexpr Api kApi = Api::kCloseSocket;
  static int Forward(ISocketIoctl& api, SOCKET s) { return api.closesocket(s); }
  static portres::Call AsCall(SOCKET s) { return {0, kApi, s, 0, false}; }
};

// bind and connect share a signature, as getsockname and getpeername do: the mock says which
// of the two gMock is running on this thread (MockedMethodScope), so that an action forwards
// the call it stands for.
inline Api& MockedMethodSlot() {
  static thread_local Api api = Api::kSocket;
  return api;
}

// Marks, for as long as it lives, the call gMock runs on this thread as `api`'s.
class MockedMethodScope {
 public:
  explicit MockedMethodScope(Api api) : previous_(MockedMethodSlot()) { MockedMethodSlot() = api; }
  ~MockedMethodScope() { MockedMethodSlot() = previous_; }
  MockedMethodScope(const MockedMethodScope&) = delete;
  MockedMethodScope& operator=(const MockedMethodScope&) = delete;

 private:
  Api previous_;
};

template <>
struct FakeMethod<int(SOCKET, const sockaddr*, int)> {
  static int Forward(ISocketIoctl& api, SOCKET s, const sockaddr* name, int namelen) {
    if (MockedMethodSlot() == Api::kConnect) return api.connect(s, name, namelen);
    return api.bind(s, name, namelen);
  }
  static portres::Call AsCall(SOCKET s, const sockaddr*, int) {
    const Api api = MockedMethodSlot() == Api::kConnect ? Api::kConnect : Api::kBind;
    return {0, api, s, 0, false};
  }
};

template <>
struct FakeMethod<int(SOCKET, sockaddr*, int*)> {
  static int Forward(ISocketIoctl& api, SOCKET s, sockaddr* name, int* namelen) {
    if (MockedMethodSlot() == Api::kGetPeerName) return api.getpeername(s, name, namelen);
    return api.getsockname(s, name, namelen);
  }
  static portres::Call AsCall(SOCKET s, sockaddr*, int*) {
    const Api api = MockedMethodSlot() == Api::kGetPeerName ? Api::kGetPeerName : Api::kGetSockName;
    return {0, api, s, 0, false};
  }
};

template <>
struct FakeMethod<int(WORD, LPWSADATA)> {
  static int Forward(ISocketIoctl& api, WORD version, LPWSADATA data) {
    return api.WSAStartup(version, data);
  }
  static portres::Call AsCall(WORD, LPWSADATA) {
    return {0, Api::kWSAStartup, INVALID_SOCKET, 0, false};
  }
};

template <>
struct FakeMethod<int()> {  // WSACleanup: the one int() method that can fail
  static int Forward(ISocketIoctl& api) { return api.WSACleanup(); }
  static portres::Call AsCall() { return {0, Api::kWSACleanup, INVALID_SOCKET, 0, false}; }
};

template <>
struct FakeMethod<SOCKET(int, int, int, LPWSAPROTOCOL_INFOW, GROUP, DWORD)> {
  static SOCKET Forward(ISocketIoctl& api, int af, int type, int protocol, LPWSAPROTOCOL_INFOW info,
                        GROUP g, DWORD flags) {
    return api.WSASocketW(af, type, protocol, info, g, flags);
  }
  static portres::Call AsCall(int, int, int, LPWSAPROTOCOL_INFOW, GROUP, DWORD) {
    return {0, Api::kWSASocketW, INVALID_SOCKET, 0, false};
  }
};

template <>
struct FakeMethod<SOCKET(int, int, int, LPWSAPROTOCOL_INFOA, GROUP, DWORD)> {
  static SOCKET Forward(ISocketIoctl& api, int af, int type, int protocol, LPWSAPROTOCOL_INFOA info,
                        GROUP g, DWORD flags) {
    return api.WSASocketA(af, type, protocol, info, g, flags);
  }
  static portres::Call AsCall(int, int, int, LPWSAPROTOCOL_INFOA, GROUP, DWORD) {
    return {0, Api::kWSASocketA, INVALID_SOCKET, 0, false};
  }
};

template <>
struct FakeMethod<int(SOCKET, int, int, const char*, int)> {
  static int Forward(ISocketIoctl& api, SOCKET s, int level, int name, const char* value,
                     int length) {
    return api.setsockopt(s, level, name, value, length);
  }
  static portres::Call AsCall(SOCKET s, int, int name, const char*, int) {
    return {0, Api::kSetSockOpt, s, static_cast<DWORD>(name), false};
  }
};

template <>
struct FakeMethod<int(SOCKET, int, int, char*, int*)> {
  static int Forward(ISocketIoctl& api, SOCKET s, int level, int name, char* value, int* length) {
    return api.getsockopt(s, level, name, value, length);
  }
  static portres::Call AsCall(SOCKET s, int, int name, char*, int*) {
    return {0, Api::kGetSockOpt, s, static_cast<DWORD>(name), false};
  }
};

template <>
struct FakeMethod<int(SOCKET, int)> {
  static int Forward(ISocketIoctl& api, SOCKET s, int backlog) { return api.listen(s, backlog); }
  static portres::Call AsCall(SOCKET s, int) { return {0, Api::kListen, s, 0, false}; }
};

template <>
struct FakeMethod<SOCKET(SOCKET, sockaddr*, int*)> {
  static SOCKET Forward(ISocketIoctl& api, SOCKET s, sockaddr* addr, int* length) {
    return api.accept(s, addr, length);
  }
  static portres::Call AsCall(SOCKET s, sockaddr*, int*) { return {0, Api::kAccept, s, 0, false}; }
};

template <>
struct FakeMethod<int(SOCKET, long, u_long*)> {
  static int Forward(ISocketIoctl& api, SOCKET s, long cmd, u_long* argp) {
    return api.ioctlsocket(s, cmd, argp);
  }
  static portres::Call AsCall(SOCKET s, long cmd, u_long*) {
    return {0, Api::kIoctlSocket, s, static_cast<DWORD>(cmd), false};
  }
};

template <>
struct FakeMethod<int(SOCKET, DWORD, LPVOID, DWORD, LPVOID, DWORD, LPDWORD, LPWSAOVERLAPPED,
                      LPWSAOVERLAPPED_COMPLETION_ROUTINE)> {
  static constexpr Api kApi = Api::kWSAIoctl;
  static int Forward(ISocketIoctl& api, SOCKET s, DWORD code, LPVOID in, DWORD in_size, LPVOID out,
                     DWORD out_size, LPDWORD bytes, LPWSAOVERLAPPED overlapped,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE routine) {
    return api.WSAIoctl(s, code, in, in_size, out, out_size, bytes, overlapped, routine);
  }
  static portres::Call AsCall(SOCKET s, DWORD code, LPVOID, DWORD, LPVOID, DWORD, LPDWORD,
                              LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE) {
    return {0, kApi, s, code, overlapped != nullptr};
  }
};

// The gMock half's WSAIoctl, whose code prints by name (<portres/mock_values.h>).
template <>
struct FakeMethod<int(SOCKET, MockedIoctlCode, LPVOID, DWORD, LPVOID, DWORD, LPDWORD,
                      LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE)>
    : FakeMethod<int(SOCKET, DWORD, LPVOID, DWORD, LPVOID, DWORD, LPDWORD, LPWSAOVERLAPPED,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE)> {};

template <>
struct FakeMethod<BOOL(SOCKET, LPWSAOVERLAPPED, LPDWORD, BOOL, LPDWORD)> {
  static constexpr Api kApi = Api::kWSAGetOverlappedResult;
  static BOOL Forward(ISocketIoctl& api, SOCKET s, LPWSAOVERLAPPED overlapped, LPDWORD transfer,
                      BOOL wait, LPDWORD flags) {
    return api.WSAGetOverlappedResult(s, overlapped, transfer, wait, flags);
  }
  static portres::Call AsCall(SOCKET s, LPWSAOVERLAPPED, LPDWORD, BOOL, LPDWORD) {
    return {0, kApi, s, 0, false};
  }
};

// The one-shot fault behind FailWith and Pend ("that very call", top of this file): this
// thread's next call, checked to be this one (same method, socket, code), and nothing once
// `answered` is true, even when a fault injected earlier took the call first.
PORTRES_GMOCK_API Fault OneShotFault(Fault fault, const Call& call,
                                     std::shared_ptr<const std::atomic<bool>> answered);

// The action behind FailWith() and Pend(). `forward_to`, when given, stands in front of the
// fake: the tests use one to make another thread's call arrive in between.
class InjectAndForward {
 public:
  InjectAndForward(FakeSocketIoctl& fake, Fault fault, ISocketIoctl* forward_to = nullptr)
      : fake_(&fake),
        forward_to_(forward_to != nullptr ? forward_to : &fake),
        fault_(std::move(fault)) {}

  template <typename R, typename... Args>
  operator testing::Action<R(Args...)>() const {  // NOLINT(google-explicit-constructor)
    using Method = FakeMethod<R(Args...)>;
    FakeSocketIoctl* fake = fake_;
    ISocketIoctl* forward_to = forward_to_;
    Fault fault = fault_;
    return [fake, forward_to, fault](Args... args) -> R {
      const Call call = Method::AsCall(args...);
      // A call that cannot pend runs at once (as Fault::Pend says): nothing to inject.
      if (fault.pends() && !call.overlapped) return Method::Forward(*forward_to, args...);
      auto answered = std::make_shared<std::atomic<bool>>(false);
      fake->Inject(OneShotFault(fault, call, answered));
      struct MarkAnswered {
        std::atomic<bool>& answered;
        ~MarkAnswered() { answered.store(true); }
      } mark{*answered};
      return Method::Forward(*forward_to, args...);
    };
  }

 private:
  FakeSocketIoctl* fake_;
  ISocketIoctl* forward_to_;
  Fault fault_;
};

// Fault::Error(wsa_error) for a test at file:line. Inside a GoogleTest test a misuse
// (Fault::Error(0)) becomes a fatal failure at that line, rather than an exception GoogleTest
// reports at "unknown file"; elsewhere it throws as Fault::Error does.
PORTRES_GMOCK_API Fault ErrorFaultAt(int wsa_error, const char* file, int line);

}  // namespace detail

// The action behind MockSocketIoctl::FailWith, for a mock of one's own that delegates to
// `fake`: the call goes to `fake` and fails there with `wsa_error`, as Winsock fails it.
inline detail::InjectAndForward FailWith(FakeSocketIoctl& fake, int wsa_error,
                                         const char* file = PORTRES_CALLER_FILE,
                                         int line = PORTRES_CALLER_LINE) {
  return detail::InjectAndForward(fake, detail::ErrorFaultAt(wsa_error, file, line));
}

// Asks a mock for gMock's canned answers only: MockSocketIoctl(kCannedOnly).
struct CannedOnly {
  explicit constexpr CannedOnly() = default;
};
// The tag to pass: `MockSocketIoctl mock(portres::kCannedOnly);`.
inline constexpr CannedOnly kCannedOnly{};

namespace detail {

// gMock's half of MockSocketIoctl: the calls that a test set an expectation on come here. The
// IOCTL code and the last error are <portres/mock_values.h>'s types, which gMock prints by name,
// in three methods named Mocked<name> in C++ (an override cannot change their types, and a
// non-override would hide the interface's); MockSocketIoctl's overrides forward to them.
class MockedSocketIoctl : public ISocketIoctl {
 public:
  MOCK_METHOD(SOCKET, socket, (int af, int type, int protocol), (override));
  MOCK_METHOD(int, closesocket, (SOCKET s), (override));
  MOCK_METHOD(int, bind, (SOCKET s, const sockaddr* name, int namelen), (override));
  MOCK_METHOD(int, getsockname, (SOCKET s, sockaddr* name, int* namelen), (override));
  MOCK_METHOD(BOOL, WSAGetOverlappedResult,
              (SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer, BOOL fWait,
               LPDWORD lpdwFlags),
              (override));
  MOCK_METHOD(WSAEVENT, WSACreateEvent, (), (override));
  MOCK_METHOD(BOOL, WSACloseEvent, (WSAEVENT hEvent), (override));
  MOCK_METHOD(BOOL, WSASetEvent, (WSAEVENT hEvent), (override));
  MOCK_METHOD(BOOL, WSAResetEvent, (WSAEVENT hEvent), (override));
  MOCK_METHOD(int, WSAStartup, (WORD wVersionRequested, LPWSADATA lpWSAData), (override));
  MOCK_METHOD(int, WSACleanup, (), (override));
  MOCK_METHOD(SOCKET, WSASocketW,
              (int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g,
               DWORD dwFlags),
              (override));
  MOCK_METHOD(SOCKET, WSASocketA,
              (int af, int type, int protocol, LPWSAPROTOCOL_INFOA lpProtocolInfo, GROUP g,
               DWORD dwFlags),
              (override));
  MOCK_METHOD(int, setsockopt, (SOCKET s, int level, int optname, const char* optval, int optlen),
              (override));
  MOCK_METHOD(int, getsockopt, (SOCKET s, int level, int optname, char* optval, int* optlen),
              (override));
  MOCK_METHOD(int, connect, (SOCKET s, const sockaddr* name, int namelen), (override));
  MOCK_METHOD(int, listen, (SOCKET s, int backlog), (override));
  MOCK_METHOD(SOCKET, accept, (SOCKET s, sockaddr* addr, int* addrlen), (override));
  MOCK_METHOD(int, getpeername, (SOCKET s, sockaddr* name, int* namelen), (override));
  MOCK_METHOD(int, ioctlsocket, (SOCKET s, long cmd, u_long* argp), (override));

  // Under other C++ names than the interface's (see <portres/mock_values.h>).
  PORTRES_DETAIL_RENAMED_MOCK_METHOD(int, WSAIoctl, ioctl_)
  PORTRES_DETAIL_RENAMED_MOCK_METHOD(MockedWsaError, WSAGetLastError, get_last_error_)
  PORTRES_DETAIL_RENAMED_MOCK_METHOD(void, WSASetLastError, set_last_error_)

 private:
  RenamedMocker<int(SOCKET, MockedIoctlCode, LPVOID, DWORD, LPVOID, DWORD, LPDWORD, LPWSAOVERLAPPED,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE)>
      ioctl_{"WSAIoctl"};
  RenamedMocker<MockedWsaError()> get_last_error_{"WSAGetLastError"};
  RenamedMocker<void(MockedWsaError)> set_last_error_{"WSASetLastError"};
};

// The calls of a method a test set no expectation on skip gMock: one bit per method says which
// methods enter it. EXPECT_CALL and ON_CALL reach a method through gmock_<method>(), so the
// mock's own gmock_<method>() sets the bit (and, the first time, lays the delegating defaults
// underneath) before handing the specification to gMock's.
class MockRouting {
 public:
  explicit MockRouting(bool canned) noexcept : canned_(canned), mocked_(canned ? ~0u : 0u) {}
  bool Mocked(unsigned method) const noexcept {
    return (mocked_.load(std::memory_order_acquire) & (1u << method)) != 0;
  }
  // The first expectation on `method`: true when the delegating defaults go under it now.
  bool Expect(unsigned method) noexcept {
    const bool first = (expected_ & (1u << method)) == 0;
    expected_ |= 1u << method;
    mocked_.fetch_or(1u << method, std::memory_order_acq_rel);
    return first && !canned_;
  }
  bool canned() const noexcept { return canned_; }
  std::uint32_t expected() const noexcept { return expected_; }
  // Canned to delegating: `delegate(method, catch_all)` lays the defaults under each of the
  // `count` methods (the catch-all only under those without an expectation, which must stay
  // the newest), and only the methods with expectations enter gMock from now on. Idempotent.
  template <typename Delegate>
  void StopCanning(unsigned count, Delegate delegate) {
    if (!canned_) return;
    for (unsigned method = 0; method < count; ++method) {
      delegate(method, (expected_ & (1u << method)) == 0);
    }
    canned_ = false;
    mocked_.store(expected_, std::memory_order_release);
  }

 private:
  bool canned_;
  std::uint32_t expected_ = 0;  // written by the test's thread only, as gMock requires
  std::atomic<std::uint32_t> mocked_;
};

// Keeps a description of the call in flight in GoogleTest's trace, so that a failure gMock
// reports during it names the call in Winsock's words.
PORTRES_GMOCK_API std::string DescribeMockedCall(const char* method, SOCKET s, DWORD code = 0,
                                                 const void* in = nullptr, DWORD in_size = 0);

template <typename F>
auto Traced(const std::string& call, F&& f) {
  ::testing::ScopedTrace trace(__FILE__, __LINE__, call);
  return f();
}

}  // namespace detail

// The entry points EXPECT_CALL(mock, method...) and ON_CALL(mock, method...) expand to.
#define PORTRES_MOCK_ENTRY_(method, index)                                                 \
  template <typename... Matchers>                                                          \
  auto gmock_##method(Matchers&&... matchers)                                              \
      ->decltype(std::declval<detail::MockedSocketIoctl&>().gmock_##method(                \
          std::forward<Matchers>(matchers)...)) {                                          \
    Expect(index);                                                                         \
    return detail::MockedSocketIoctl::gmock_##method(std::forward<Matchers>(matchers)...); \
  }

// A GoogleMock mock of every ISocketIoctl method, with a FakeSocketIoctl behind it that answers
// every call no expectation takes.
class PORTRES_GMOCK_API MockSocketIoctl : public detail::MockedSocketIoctl {
 public:
  // A process on a host of its own (as FakeSocketIoctl's constructors).
  MockSocketIoctl();
  // A mock whose calls return gMock's defaults; DelegateToFake() turns delegation on.
  explicit MockSocketIoctl(CannedOnly);
  // A process on a host of its own, with these host options.
  explicit MockSocketIoctl(const FakeHostOptions& host_options);
  // A process on a shared host, next to other FakeSocketIoctl or MockSocketIoctl processes.
  explicit MockSocketIoctl(std::shared_ptr<FakeHost> host,
                           const FakeProcessOptions& options = FakeProcessOptions());
  ~MockSocketIoctl() override;
  MockSocketIoctl(const MockSocketIoctl&) = delete;
  MockSocketIoctl& operator=(const MockSocketIoctl&) = delete;

  // One line per method: gMock when a test set an expectation on it, else the fake.
  SOCKET socket(int af, int type, int protocol) override {
    return Mocked(kSocket) ? detail::Traced(detail::DescribeMockedCall("socket", INVALID_SOCKET),
                                            [&] { return Base::socket(af, type, protocol); })
                           : fake_.socket(af, type, protocol);
  }
  int closesocket(SOCKET s) override {
    return Mocked(kCloseSocket) ? detail::Traced(detail::DescribeMockedCall("closesocket", s),
                                                 [&] { return Base::closesocket(s); })
                                : fake_.closesocket(s);
  }
  int bind(SOCKET s, const sockaddr* name, int namelen) override {
    return Mocked(kBind) ? detail::Traced(detail::DescribeMockedCall("bind", s),
                                          [&] { return Base::bind(s, name, namelen); })
                         : fake_.bind(s, name, namelen);
  }
  int getsockname(SOCKET s, sockaddr* name, int* namelen) override {
    return Mocked(kGetSockName)
               ? detail::Traced(detail::DescribeMockedCall("getsockname", s),
                                [&] { return Base::getsockname(s, name, namelen); })
               : fake_.getsockname(s, name, namelen);
  }
  int WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
               LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
               LPWSAOVERLAPPED lpOverlapped,
               LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) override {
    return Mocked(kWSAIoctl)
               ? detail::Traced(detail::DescribeMockedCall("WSAIoctl", s, dwIoControlCode,
                                                           lpvInBuffer, cbInBuffer),
                                [&] {
                                  return Base::MockedWSAIoctl(s, dwIoControlCode, lpvInBuffer,
                                                              cbInBuffer, lpvOutBuffer, cbOutBuffer,
                                                              lpcbBytesReturned, lpOverlapped,
                                                              lpCompletionRoutine);
                                })
               : fake_.WSAIoctl(s, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer,
                                cbOutBuffer, lpcbBytesReturned, lpOverlapped, lpCompletionRoutine);
  }
  BOOL WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                              BOOL fWait, LPDWORD lpdwFlags) override {
    return Mocked(kWSAGetOverlappedResult)
               ? detail::Traced(detail::DescribeMockedCall("WSAGetOverlappedResult", s),
                                [&] {
                                  return Base::WSAGetOverlappedResult(s, lpOverlapped, lpcbTransfer,
                                                                      fWait, lpdwFlags);
                                })
               : fake_.WSAGetOverlappedResult(s, lpOverlapped, lpcbTransfer, fWait, lpdwFlags);
  }
  int WSAGetLastError() override {
    return Mocked(kWSAGetLastError) ? static_cast<int>(Base::MockedWSAGetLastError())
                                    : fake_.WSAGetLastError();
  }
  void WSASetLastError(int iError) override {
    Mocked(kWSASetLastError) ? Base::MockedWSASetLastError(iError) : fake_.WSASetLastError(iError);
  }
  WSAEVENT WSACreateEvent() override {
    return Mocked(kWSACreateEvent) ? Base::WSACreateEvent() : fake_.WSACreateEvent();
  }
  BOOL WSACloseEvent(WSAEVENT hEvent) override {
    return Mocked(kWSACloseEvent) ? Base::WSACloseEvent(hEvent) : fake_.WSACloseEvent(hEvent);
  }
  BOOL WSASetEvent(WSAEVENT hEvent) override {
    return Mocked(kWSASetEvent) ? Base::WSASetEvent(hEvent) : fake_.WSASetEvent(hEvent);
  }
  BOOL WSAResetEvent(WSAEVENT hEvent) override {
    return Mocked(kWSAResetEvent) ? Base::WSAResetEvent(hEvent) : fake_.WSAResetEvent(hEvent);
  }

  // The rest of the surface, the same way. connect and getpeername mark their calls, whose
  // signatures bind and getsockname share (see FakeMethod).
  int WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData) override {
    return Mocked(kWSAStartup) ? Base::WSAStartup(wVersionRequested, lpWSAData)
                               : fake_.WSAStartup(wVersionRequested, lpWSAData);
  }
  int WSACleanup() override {
    return Mocked(kWSACleanup) ? Base::WSACleanup() : fake_.WSACleanup();
  }
  SOCKET WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g,
                    DWORD dwFlags) override {
    return Mocked(kWSASocketW)
               ? detail::Traced(detail::DescribeMockedCall("WSASocketW", INVALID_SOCKET),
                                [&] {
                                  return Base::WSASocketW(af, type, protocol, lpProtocolInfo, g,
                                                          dwFlags);
                                })
               : fake_.WSASocketW(af, type, protocol, lpProtocolInfo, g, dwFlags);
  }
  SOCKET WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA lpProtocolInfo, GROUP g,
                    DWORD dwFlags) override {
    return Mocked(kWSASocketA)
               ? detail::Traced(detail::DescribeMockedCall("WSASocketA", INVALID_SOCKET),
                                [&] {
                                  return Base::WSASocketA(af, type, protocol, lpProtocolInfo, g,
                                                          dwFlags);
                                })
               : fake_.WSASocketA(af, type, protocol, lpProtocolInfo, g, dwFlags);
  }
  int setsockopt(SOCKET s, int level, int optname, const char* optval, int optlen) override {
    return Mocked(kSetSockOpt)
               ? detail::Traced(detail::DescribeMockedCall("setsockopt", s),
                                [&] { return Base::setsockopt(s, level, optname, optval, optlen); })
               : fake_.setsockopt(s, level, optname, optval, optlen);
  }
  int getsockopt(SOCKET s, int level, int optname, char* optval, int* optlen) override {
    return Mocked(kGetSockOpt)
               ? detail::Traced(detail::DescribeMockedCall("getsockopt", s),
                                [&] { return Base::getsockopt(s, level, optname, optval, optlen); })
               : fake_.getsockopt(s, level, optname, optval, optlen);
  }
  int connect(SOCKET s, const sockaddr* name, int namelen) override {
    if (!Mocked(kConnect)) return fake_.connect(s, name, namelen);
    const detail::MockedMethodScope marked(Api::kConnect);
    return detail::Traced(detail::DescribeMockedCall("connect", s),
                          [&] { return Base::connect(s, name, namelen); });
  }
  int listen(SOCKET s, int backlog) override {
    return Mocked(kListen) ? detail::Traced(detail::DescribeMockedCall("listen", s),
                                            [&] { return Base::listen(s, backlog); })
                           : fake_.listen(s, backlog);
  }
  SOCKET accept(SOCKET s, sockaddr* addr, int* addrlen) override {
    return Mocked(kAccept) ? detail::Traced(detail::DescribeMockedCall("accept", s),
                                            [&] { return Base::accept(s, addr, addrlen); })
                           : fake_.accept(s, addr, addrlen);
  }
  int getpeername(SOCKET s, sockaddr* name, int* namelen) override {
    if (!Mocked(kGetPeerName)) return fake_.getpeername(s, name, namelen);
    const detail::MockedMethodScope marked(Api::kGetPeerName);
    return detail::Traced(detail::DescribeMockedCall("getpeername", s),
                          [&] { return Base::getpeername(s, name, namelen); });
  }
  int ioctlsocket(SOCKET s, long cmd, u_long* argp) override {
    return Mocked(kIoctlSocket) ? detail::Traced(detail::DescribeMockedCall("ioctlsocket", s),
                                                 [&] { return Base::ioctlsocket(s, cmd, argp); })
                                : fake_.ioctlsocket(s, cmd, argp);
  }

  PORTRES_MOCK_ENTRY_(socket, kSocket)
  PORTRES_MOCK_ENTRY_(closesocket, kCloseSocket)
  PORTRES_MOCK_ENTRY_(bind, kBind)
  PORTRES_MOCK_ENTRY_(getsockname, kGetSockName)
  PORTRES_MOCK_ENTRY_(WSAIoctl, kWSAIoctl)
  PORTRES_MOCK_ENTRY_(WSAGetOverlappedResult, kWSAGetOverlappedResult)
  PORTRES_MOCK_ENTRY_(WSAGetLastError, kWSAGetLastError)
  PORTRES_MOCK_ENTRY_(WSASetLastError, kWSASetLastError)
  PORTRES_MOCK_ENTRY_(WSACreateEvent, kWSACreateEvent)
  PORTRES_MOCK_ENTRY_(WSACloseEvent, kWSACloseEvent)
  PORTRES_MOCK_ENTRY_(WSASetEvent, kWSASetEvent)
  PORTRES_MOCK_ENTRY_(WSAResetEvent, kWSAResetEvent)
  PORTRES_MOCK_ENTRY_(WSAStartup, kWSAStartup)
  PORTRES_MOCK_ENTRY_(WSACleanup, kWSACleanup)
  PORTRES_MOCK_ENTRY_(WSASocketW, kWSASocketW)
  PORTRES_MOCK_ENTRY_(WSASocketA, kWSASocketA)
  PORTRES_MOCK_ENTRY_(setsockopt, kSetSockOpt)
  PORTRES_MOCK_ENTRY_(getsockopt, kGetSockOpt)
  PORTRES_MOCK_ENTRY_(connect, kConnect)
  PORTRES_MOCK_ENTRY_(listen, kListen)
  PORTRES_MOCK_ENTRY_(accept, kAccept)
  PORTRES_MOCK_ENTRY_(getpeername, kGetPeerName)
  PORTRES_MOCK_ENTRY_(ioctlsocket, kIoctlSocket)

  // A delegating mock: nothing to do (it delegates from construction). A kCannedOnly mock
  // delegates from now on; an EXPECT_CALL written before still takes precedence for the calls
  // it matches (the other calls of its method then are unexpected, as gMock has them).
  // Idempotent.
  MockSocketIoctl& DelegateToFake();

  // The fake behind the mock: its host, faults, pending calls, call log and introspection.
  FakeSocketIoctl& fake() noexcept { return fake_; }
  const FakeSocketIoctl& fake() const noexcept { return fake_; }

  // An action that fails the call like Winsock with `wsa_error`, through the fake (the top of
  // this file tells how). Usable with any method that can fail (detail::FakeMethod lists them);
  // a misuse (0, SOCKET_ERROR) is a fatal failure at the test's line.
  detail::InjectAndForward FailWith(int wsa_error, const char* file = PORTRES_CALLER_FILE,
                                    int line = PORTRES_CALLER_LINE) {
    return detail::InjectAndForward(fake_, detail::ErrorFaultAt(wsa_error, file, line));
  }
  // An action that leaves an overlapped WSAIoctl pending (WSA_IO_PENDING) until the test
  // completes it with fake().CompletePending(); a call without lpOverlapped runs at once.
  detail::InjectAndForward Pend() { return detail::InjectAndForward(fake_, Fault::Pend()); }

 private:
  using Base = detail::MockedSocketIoctl;
  enum Method : unsigned {
    kSocket,
    kCloseSocket,
    kBind,
    kGetSockName,
    kWSAIoctl,
    kWSAGetOverlappedResult,
    kWSAGetLastError,
    kWSASetLastError,
    kWSACreateEvent,
    kWSACloseEvent,
    kWSASetEvent,
    kWSAResetEvent,
    kWSAStartup,
    kWSACleanup,
    kWSASocketW,
    kWSASocketA,
    kSetSockOpt,
    kGetSockOpt,
    kConnect,
    kListen,
    kAccept,
    kGetPeerName,
    kIoctlSocket,
    kMethodCount,
  };

  bool Mocked(Method method) const noexcept { return routing_.Mocked(method); }
  void Expect(Method method) {
    if (routing_.Expect(method)) Delegate(method, true);
  }
  // Lays the delegating default (ON_CALL) under `method`, and a catch-all expectation older
  // than any of the test's, so that the calls the test's expectations do not match go to the
  // fake instead of failing as unexpected.
  void Delegate(Method method, bool catch_all);

  FakeSocketIoctl fake_;
  detail::MockRouting routing_;
};

#undef PORTRES_MOCK_ENTRY_

}  // namespace portres

#endif  // PORTRES_MOCK_SOCKET_IOCTL_H
