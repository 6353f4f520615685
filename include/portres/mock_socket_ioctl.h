// <portres/mock_socket_ioctl.h>: a GoogleMock mock of ISocketIoctl that behaves like Windows
// (it delegates to a FakeSocketIoctl) until a test says otherwise.
//
//   testing::NiceMock<portres::MockSocketIoctl> api;
//   api.DelegateToFake();  // every call goes to api.fake() unless an EXPECT_CALL says else
//   EXPECT_CALL(api, WSAIoctl(_, SIO_RELEASE_PORT_RESERVATION, _, _, _, _, _, _, _))
//       .WillOnce(api.FailWith(WSAENETDOWN));
//   UnderTest(api);  // acquire and close reach the fake; the release fails like Winsock
//   EXPECT_THAT(api.fake().Reservations(), testing::IsEmpty());
//
// This is gMock's "delegating calls to a fake" recipe, built in. DelegateToFake() also expects
// every method any number of times, so the calls a test does not mention (the acquire above,
// although WSAIoctl has an EXPECT_CALL) go to the fake instead of failing as unexpected; the
// test's own EXPECT_CALLs, written later, take precedence. NiceMock keeps gMock quiet.
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
#ifndef PORTRES_MOCK_SOCKET_IOCTL_H
#define PORTRES_MOCK_SOCKET_IOCTL_H

#include <gmock/gmock.h>
#include <portres/fake_host.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/fault.h>
#include <portres/socket_ioctl.h>
#include <portres/winsock.h>

#include <atomic>
#include <memory>
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

template <>
struct FakeMethod<int(SOCKET, const sockaddr*, int)> {
  static constexpr Api kApi = Api::kBind;
  static int Forward(ISocketIoctl& api, SOCKET s, const sockaddr* name, int namelen) {
    return api.bind(s, name, namelen);
  }
  static portres::Call AsCall(SOCKET s, const sockaddr*, int) { return {0, kApi, s, 0, false}; }
};

template <>
struct FakeMethod<int(SOCKET, sockaddr*, int*)> {
  static constexpr Api kApi = Api::kGetSockName;
  static int Forward(ISocketIoctl& api, SOCKET s, sockaddr* name, int* namelen) {
    return api.getsockname(s, name, namelen);
  }
  static portres::Call AsCall(SOCKET s, sockaddr*, int*) { return {0, kApi, s, 0, false}; }
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

// The fault that makes the fake fail (or pend) exactly the call an action forwards, and no
// other. The action and the call it forwards run on one thread, so the fault is restricted to
// that thread (Fault::OnThisThread) and hits its next call, checked to be this one (same method,
// socket, code): a call another thread makes in between, even the very same call, passes it by.
// Once `answered` is true (the forwarded call returned) it hits nothing more, so it never
// outlives its call, even when a fault injected earlier took that call first.
Fault OneShotFault(Fault fault, const Call& call,
                   std::shared_ptr<const std::atomic<bool>> answered);

// The action behind FailWith() and Pend(): inject a one-shot fault for this call, then forward
// the call to the fake (or to `forward_to`, an ISocketIoctl in front of the fake: the tests use
// one to make another thread's call arrive in between).
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

}  // namespace detail

// The action behind MockSocketIoctl::FailWith, for a mock of one's own that delegates to
// `fake`: the call goes to `fake` and fails there with `wsa_error`, as Winsock fails it.
inline detail::InjectAndForward FailWith(FakeSocketIoctl& fake, int wsa_error) {
  return detail::InjectAndForward(fake, Fault::Error(wsa_error));
}

// A GoogleMock mock of every ISocketIoctl method, with a FakeSocketIoctl behind it.
class MockSocketIoctl : public ISocketIoctl {
 public:
  // A process on a host of its own (as FakeSocketIoctl's constructors).
  MockSocketIoctl();
  // A process on a host of its own, with these host options.
  explicit MockSocketIoctl(const FakeHostOptions& host_options);
  // A process on a shared host, next to other FakeSocketIoctl or MockSocketIoctl processes.
  explicit MockSocketIoctl(std::shared_ptr<FakeHost> host,
                           const FakeProcessOptions& options = FakeProcessOptions());
  ~MockSocketIoctl() override;
  MockSocketIoctl(const MockSocketIoctl&) = delete;
  MockSocketIoctl& operator=(const MockSocketIoctl&) = delete;

  // Winsock's socket().
  MOCK_METHOD(SOCKET, socket, (int af, int type, int protocol), (override));
  // Winsock's closesocket().
  MOCK_METHOD(int, closesocket, (SOCKET s), (override));
  // Winsock's bind().
  MOCK_METHOD(int, bind, (SOCKET s, const sockaddr* name, int namelen), (override));
  // Winsock's getsockname().
  MOCK_METHOD(int, getsockname, (SOCKET s, sockaddr* name, int* namelen), (override));
  // Winsock's WSAIoctl(), all nine parameters.
  MOCK_METHOD(int, WSAIoctl,
              (SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
               LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
               LPWSAOVERLAPPED lpOverlapped,
               LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine),
              (override));
  // Winsock's WSAGetOverlappedResult().
  MOCK_METHOD(BOOL, WSAGetOverlappedResult,
              (SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer, BOOL fWait,
               LPDWORD lpdwFlags),
              (override));
  // Winsock's WSAGetLastError(): the calling thread's last error.
  MOCK_METHOD(int, WSAGetLastError, (), (override));
  // Winsock's WSASetLastError().
  MOCK_METHOD(void, WSASetLastError, (int iError), (override));
  // Winsock's WSACreateEvent().
  MOCK_METHOD(WSAEVENT, WSACreateEvent, (), (override));
  // Winsock's WSACloseEvent().
  MOCK_METHOD(BOOL, WSACloseEvent, (WSAEVENT hEvent), (override));
  // Winsock's WSASetEvent().
  MOCK_METHOD(BOOL, WSASetEvent, (WSAEVENT hEvent), (override));
  // Winsock's WSAResetEvent().
  MOCK_METHOD(BOOL, WSAResetEvent, (WSAEVENT hEvent), (override));

  // Every method's default action becomes "ask the fake" (ON_CALL ... WillByDefault). An
  // EXPECT_CALL without an action of its own also asks the fake.
  MockSocketIoctl& DelegateToFake();

  // The fake behind the mock: its host, faults, pending calls, call log and introspection.
  FakeSocketIoctl& fake() noexcept { return fake_; }
  // The fake behind the mock, read-only.
  const FakeSocketIoctl& fake() const noexcept { return fake_; }

  // An action that fails the call like Winsock with `wsa_error`, through the fake (see the top
  // of this file). Usable with any method that can fail: socket, closesocket, bind,
  // getsockname, WSAIoctl, WSAGetOverlappedResult.
  detail::InjectAndForward FailWith(int wsa_error) {
    return detail::InjectAndForward(fake_, Fault::Error(wsa_error));
  }
  // An action that leaves an overlapped WSAIoctl pending (WSA_IO_PENDING) until the test
  // completes it with fake().CompletePending(); a call without lpOverlapped runs at once.
  detail::InjectAndForward Pend() { return detail::InjectAndForward(fake_, Fault::Pend()); }

 private:
  FakeSocketIoctl fake_;
};

}  // namespace portres

#endif  // PORTRES_MOCK_SOCKET_IOCTL_H
