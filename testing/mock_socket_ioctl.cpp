// MockSocketIoctl's out-of-line members: gMock's cookbook advises defining a mock's
// constructor and destructor in a .cpp, which keeps the tests that use it quick to compile.
#include <portres/describe.h>
#include <portres/mock_socket_ioctl.h>

#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <atomic>
#include <memory>
#include <utility>

namespace portres {
namespace detail {

Fault OneShotFault(Fault fault, const Call& call,
                   std::shared_ptr<const std::atomic<bool>> answered) {
  // Restricted to this thread, the fault's predicate is asked about this thread's calls only;
  // the first of them after the injection is the forwarded call (nothing else runs on this
  // thread in between). The check of method, socket and code is a safeguard; `answered` makes a
  // fault that some earlier fault kept from its call inert instead of hitting a later one.
  fault.OnThisThread().OnNextCall().When(
      [expected = call, answered = std::move(answered)](const Call& actual) {
        return !answered->load() && actual.api == expected.api &&
               actual.socket == expected.socket && actual.code == expected.code;
      });
  return fault;
}

Fault ErrorFaultAt(int wsa_error, const char* file, int line) {
  try {
    return Fault::Error(wsa_error, file, line);
  } catch (const std::invalid_argument& misuse) {
    if (::testing::UnitTest::GetInstance()->current_test_info() == nullptr) throw;
    // As ASSERT_* fails: report at the test's line, then leave the test body with the exception
    // GoogleTest knows was reported already.
    const ::testing::TestPartResult failure(::testing::TestPartResult::kFatalFailure, file, line,
                                            misuse.what());
    ::testing::internal::AssertHelper(failure.type(), file, line, misuse.what()) =
        ::testing::Message();
    throw ::testing::AssertionException(failure);
  }
}

std::string DescribeMockedCall(const char* method, SOCKET s, DWORD code, const void* in,
                               DWORD in_size) {
  std::string text = "the call in flight: " + std::string(method) + "(";
  if (s != INVALID_SOCKET) text += "s=" + DescribeSocketHandle(s);
  if (std::string_view(method) == "WSAIoctl") {
    text += ", " + DescribeIoctl(code);
    if (in == nullptr) {
      text += ", lpvInBuffer null";
    } else if (code == SIO_ACQUIRE_PORT_RESERVATION && in_size >= sizeof(INET_PORT_RANGE)) {
      INET_PORT_RANGE range;
      std::memcpy(&range, in, sizeof range);
      text += ", " + Describe(range);
    } else if ((code == SIO_RELEASE_PORT_RESERVATION || code == SIO_ASSOCIATE_PORT_RESERVATION) &&
               in_size >= sizeof(INET_PORT_RESERVATION_TOKEN)) {
      INET_PORT_RESERVATION_TOKEN token;
      std::memcpy(&token, in, sizeof token);
      text += ", " + Describe(token);
    } else {
      text += ", cbInBuffer " + std::to_string(in_size);
    }
  }
  return text + ")";
}

}  // namespace detail

MockSocketIoctl::MockSocketIoctl() : routing_(false) {}
MockSocketIoctl::MockSocketIoctl(CannedOnly) : routing_(true) {}
MockSocketIoctl::MockSocketIoctl(const FakeHostOptions& host_options)
    : fake_(host_options), routing_(false) {}
MockSocketIoctl::MockSocketIoctl(std::shared_ptr<FakeHost> host, const FakeProcessOptions& options)
    : fake_(std::move(host), options), routing_(false) {}

MockSocketIoctl::~MockSocketIoctl() {
  if (routing_.expected() == 0) return;
  // gMock would verify the expectations after this destructor, saying only "never called" of
  // one that no call matched; verified here, the failure comes with the calls the fake saw.
  const std::vector<CallRecord> log = fake_.CallLog();
  if (log.empty()) {
    ::testing::Mock::VerifyAndClearExpectations(this);
    return;
  }
  ::testing::ScopedTrace trace(__FILE__, __LINE__,
                               "the calls that reached the fake:\n" + DescribeCallLog(log));
  ::testing::Mock::VerifyAndClearExpectations(this);
}

void MockSocketIoctl::Delegate(Method method, bool catch_all) {
  using ::testing::AnyNumber;
  using ::testing::Invoke;
  Base& m = *this;  // gMock's own entry points: they leave the routing alone
  FakeSocketIoctl* fake = &fake_;
  // One line per method: the fake's answer as the default, and the catch-all.
#define PORTRES_DELEGATE_(method_name, name)                              \
  case method_name:                                                       \
    ON_CALL(m, name).WillByDefault(Invoke(fake, &FakeSocketIoctl::name)); \
    if (catch_all) EXPECT_CALL(m, name).Times(AnyNumber());               \
    break
  switch (method) {
    PORTRES_DELEGATE_(kSocket, socket);
    PORTRES_DELEGATE_(kCloseSocket, closesocket);
    PORTRES_DELEGATE_(kBind, bind);
    PORTRES_DELEGATE_(kGetSockName, getsockname);
    PORTRES_DELEGATE_(kWSAIoctl, WSAIoctl);
    PORTRES_DELEGATE_(kWSAGetOverlappedResult, WSAGetOverlappedResult);
    PORTRES_DELEGATE_(kWSAGetLastError, WSAGetLastError);
    PORTRES_DELEGATE_(kWSASetLastError, WSASetLastError);
    PORTRES_DELEGATE_(kWSACreateEvent, WSACreateEvent);
    PORTRES_DELEGATE_(kWSACloseEvent, WSACloseEvent);
    PORTRES_DELEGATE_(kWSASetEvent, WSASetEvent);
    PORTRES_DELEGATE_(kWSAResetEvent, WSAResetEvent);
    PORTRES_DELEGATE_(kWSAStartup, WSAStartup);
    PORTRES_DELEGATE_(kWSACleanup, WSACleanup);
    PORTRES_DELEGATE_(kWSASocketW, WSASocketW);
    PORTRES_DELEGATE_(kWSASocketA, WSASocketA);
    PORTRES_DELEGATE_(kSetSockOpt, setsockopt);
    PORTRES_DELEGATE_(kGetSockOpt, getsockopt);
    PORTRES_DELEGATE_(kConnect, connect);
    PORTRES_DELEGATE_(kListen, listen);
    PORTRES_DELEGATE_(kAccept, accept);
    PORTRES_DELEGATE_(kGetPeerName, getpeername);
    PORTRES_DELEGATE_(kIoctlSocket, ioctlsocket);
    case kMethodCount:
      break;
  }
#undef PORTRES_DELEGATE_
}

MockSocketIoctl& MockSocketIoctl::DelegateToFake() {
  routing_.StopCanning(kMethodCount, [this](unsigned method, bool catch_all) {
    Delegate(static_cast<Method>(method), catch_all);
  });
  return *this;
}

}  // namespace portres
