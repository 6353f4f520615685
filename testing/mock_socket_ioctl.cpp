// MockSocketIoctl's out-of-line members: gMock's cookbook advises defining a mock's
// constructor and destructor in a .cpp, which keeps the tests that use it quick to compile.
#include <portres/mock_socket_ioctl.h>

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

}  // namespace detail

MockSocketIoctl::MockSocketIoctl() = default;
MockSocketIoctl::MockSocketIoctl(const FakeHostOptions& host_options) : fake_(host_options) {}
MockSocketIoctl::MockSocketIoctl(std::shared_ptr<FakeHost> host, const FakeProcessOptions& options)
    : fake_(std::move(host), options) {}
MockSocketIoctl::~MockSocketIoctl() = default;

MockSocketIoctl& MockSocketIoctl::DelegateToFake() {
  FakeSocketIoctl* fake = &fake_;
  ON_CALL(*this, socket).WillByDefault([fake](int af, int type, int protocol) {
    return fake->socket(af, type, protocol);
  });
  ON_CALL(*this, closesocket).WillByDefault([fake](SOCKET s) { return fake->closesocket(s); });
  ON_CALL(*this, bind).WillByDefault([fake](SOCKET s, const sockaddr* name, int namelen) {
    return fake->bind(s, name, namelen);
  });
  ON_CALL(*this, getsockname).WillByDefault([fake](SOCKET s, sockaddr* name, int* namelen) {
    return fake->getsockname(s, name, namelen);
  });
  ON_CALL(*this, WSAIoctl)
      .WillByDefault([fake](SOCKET s, DWORD code, LPVOID in, DWORD in_size, LPVOID out,
                            DWORD out_size, LPDWORD bytes, LPWSAOVERLAPPED overlapped,
                            LPWSAOVERLAPPED_COMPLETION_ROUTINE routine) {
        return fake->WSAIoctl(s, code, in, in_size, out, out_size, bytes, overlapped, routine);
      });
  ON_CALL(*this, WSAGetOverlappedResult)
      .WillByDefault(
          [fake](SOCKET s, LPWSAOVERLAPPED overlapped, LPDWORD transfer, BOOL wait, LPDWORD flags) {
            return fake->WSAGetOverlappedResult(s, overlapped, transfer, wait, flags);
          });
  ON_CALL(*this, WSAGetLastError).WillByDefault([fake] { return fake->WSAGetLastError(); });
  ON_CALL(*this, WSASetLastError).WillByDefault([fake](int error) {
    fake->WSASetLastError(error);
  });
  ON_CALL(*this, WSACreateEvent).WillByDefault([fake] { return fake->WSACreateEvent(); });
  ON_CALL(*this, WSACloseEvent).WillByDefault([fake](WSAEVENT event) {
    return fake->WSACloseEvent(event);
  });
  ON_CALL(*this, WSASetEvent).WillByDefault([fake](WSAEVENT event) {
    return fake->WSASetEvent(event);
  });
  ON_CALL(*this, WSAResetEvent).WillByDefault([fake](WSAEVENT event) {
    return fake->WSAResetEvent(event);
  });
  // A catch-all expectation per method, older than any the test writes afterwards: gMock
  // matches the newest expectation first, so the test's EXPECT_CALLs win, and every call they
  // do not match takes the delegating default instead of failing as unexpected (which gMock
  // does, even in a NiceMock, to the other calls of a method that has an EXPECT_CALL).
  using ::testing::AnyNumber;
  EXPECT_CALL(*this, socket).Times(AnyNumber());
  EXPECT_CALL(*this, closesocket).Times(AnyNumber());
  EXPECT_CALL(*this, bind).Times(AnyNumber());
  EXPECT_CALL(*this, getsockname).Times(AnyNumber());
  EXPECT_CALL(*this, WSAIoctl).Times(AnyNumber());
  EXPECT_CALL(*this, WSAGetOverlappedResult).Times(AnyNumber());
  EXPECT_CALL(*this, WSAGetLastError).Times(AnyNumber());
  EXPECT_CALL(*this, WSASetLastError).Times(AnyNumber());
  EXPECT_CALL(*this, WSACreateEvent).Times(AnyNumber());
  EXPECT_CALL(*this, WSACloseEvent).Times(AnyNumber());
  EXPECT_CALL(*this, WSASetEvent).Times(AnyNumber());
  EXPECT_CALL(*this, WSAResetEvent).Times(AnyNumber());
  return *this;
}

}  // namespace portres
