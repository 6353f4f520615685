// The fixture every contract suite derives from, and the small vocabulary its tests share.
//
// Tests are written once, against ISocketIoctl and IIpHelper, and run on every backend
// (fake_backend.cpp, winsock_backend.cpp). They never assume fixed ports where the real OS may
// use them: FreeBlock() finds a block that is free right now by asking the backend itself.
//
// Naming: a test whose name ends in _Assumed pins a choice the documentation leaves open
// ([ref:open-questions]; the code comes from portres::AssumedErrors or FakeHostOptions); one
// ending in _Observed pins a field report ([ref:observed]). A failure of either on
// Windows means the fake's assumption is wrong, not that Windows is.
#ifndef PORTRES_TESTS_CONTRACT_CONTRACT_TEST_H
#define PORTRES_TESTS_CONTRACT_CONTRACT_TEST_H

#include <portres/ip_helper.h>
#include <portres/socket_ioctl.h>
#include <portres/winsock.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <ostream>
#include <vector>

#include "backend.h"

namespace portres::contract {

// A WSAGetLastError() value (0: the call succeeded), printed by its SDK name on failure.
struct WsaCode {
  int value = 0;
  friend bool operator==(WsaCode a, WsaCode b) { return a.value == b.value; }
  friend bool operator!=(WsaCode a, WsaCode b) { return a.value != b.value; }
};
void PrintTo(WsaCode code, std::ostream* os);
constexpr WsaCode Wsa(int value) { return WsaCode{value}; }
constexpr WsaCode kWsaSuccess{0};

// A Win32 code returned by the iphlpapi functions, printed by its SDK name.
struct Win32Code {
  unsigned long value = 0;
  friend bool operator==(Win32Code a, Win32Code b) { return a.value == b.value; }
  friend bool operator!=(Win32Code a, Win32Code b) { return a.value != b.value; }
};
void PrintTo(Win32Code code, std::ostream* os);
constexpr Win32Code Win32(unsigned long value) { return Win32Code{value}; }

// The transport a socket or reservation uses.
enum class Transport { kTcp, kUdp };

// An open socket that closes itself. Declare it after the process it belongs to, so that it
// closes first.
class TestSocket {
 public:
  TestSocket(ISocketIoctl& api, int af, int type, int protocol);
  ~TestSocket();
  TestSocket(TestSocket&& other) noexcept;
  TestSocket& operator=(TestSocket&&) = delete;
  TestSocket(const TestSocket&) = delete;
  TestSocket& operator=(const TestSocket&) = delete;

  SOCKET handle() const noexcept { return handle_; }
  bool is_open() const noexcept { return handle_ != INVALID_SOCKET; }
  // Why socket() failed; kWsaSuccess when it is open.
  WsaCode open_error() const noexcept { return open_error_; }
  // closesocket(); the error it left.
  WsaCode Close();

 private:
  ISocketIoctl* api_;
  SOCKET handle_ = INVALID_SOCKET;
  WsaCode open_error_;
};

// The outcome of SIO_ACQUIRE_PORT_RESERVATION.
struct Acquired {
  WsaCode error;
  DWORD bytes_returned = 0;
  INET_PORT_RESERVATION_INSTANCE instance{};

  std::uint16_t first_port() const { return ntohs(instance.Reservation.StartPort); }
  std::uint16_t port_count() const { return instance.Reservation.NumberOfPorts; }
  ULONG64 token() const { return instance.Token.Token; }
};

// Contract tests derive a fixture per area from this and use TEST_P.
class ContractTest : public testing::TestWithParam<BackendFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Backend& backend() { return *backend_; }
  ISocketIoctl& api() { return backend_->Api(); }

  // Sockets of the process under test (or of `process`). A socket that cannot be opened is
  // reported as a test failure; the handle then answers WSAENOTSOCK.
  TestSocket Tcp(int af = AF_INET) { return Tcp(api(), af); }
  TestSocket Udp(int af = AF_INET) { return Udp(api(), af); }
  TestSocket Tcp(ISocketIoctl& process, int af = AF_INET);
  TestSocket Udp(ISocketIoctl& process, int af = AF_INET);
  TestSocket Open(Transport transport, int af = AF_INET) {
    return transport == Transport::kTcp ? Tcp(af) : Udp(af);
  }

  // The three IOCTLs with well-formed buffers, synchronous. `first_port` in host byte order.
  Acquired Acquire(SOCKET s, std::uint16_t first_port, std::uint16_t count) {
    return Acquire(api(), s, first_port, count);
  }
  static Acquired Acquire(ISocketIoctl& process, SOCKET s, std::uint16_t first_port,
                          std::uint16_t count);
  WsaCode Release(SOCKET s, ULONG64 token) { return Release(api(), s, token); }
  static WsaCode Release(ISocketIoctl& process, SOCKET s, ULONG64 token);
  WsaCode Associate(SOCKET s, ULONG64 token) { return Associate(api(), s, token); }
  static WsaCode Associate(ISocketIoctl& process, SOCKET s, ULONG64 token);
  // A raw WSAIoctl on a reservation code; the error it left.
  static WsaCode Ioctl(ISocketIoctl& process, SOCKET s, DWORD code, LPVOID in, DWORD in_size,
                       LPVOID out, DWORD out_size, LPDWORD bytes_returned);

  // bind() to the wildcard address and `port` (host byte order; 0: any); the error it left.
  WsaCode Bind(SOCKET s, std::uint16_t port, int af = AF_INET) { return Bind(api(), s, port, af); }
  static WsaCode Bind(ISocketIoctl& process, SOCKET s, std::uint16_t port, int af = AF_INET);
  // getsockname()'s port (host byte order), or 0 when it fails.
  std::uint16_t LocalPort(SOCKET s) { return LocalPort(api(), s); }
  static std::uint16_t LocalPort(ISocketIoctl& process, SOCKET s);

  // The first port of `count` consecutive ports that are free right now on this backend: a
  // wildcard block acquired and released on a socket of its own. 0 (and a test failure) if
  // the backend grants none.
  std::uint16_t FreeBlock(std::uint16_t count, Transport transport = Transport::kTcp);
  // A port that is free right now, found without reservations (for backends that have
  // none): the port bind(port 0) hands a socket of its own, which is then closed.
  std::uint16_t FreePort(Transport transport = Transport::kTcp);

 private:
  std::unique_ptr<Backend> backend_;
};

// The fixture of a suite whose every test needs `kFeature`: each test is skipped before it starts,
// with the backend's reason, as PORTRES_SKIP_UNLESS would at its first line. A test that needs
// more keeps its own PORTRES_SKIP_UNLESS for the rest.
template <Feature kFeature>
class ContractTestRequiring : public ContractTest {
 protected:
  void SetUp() override {
    ContractTest::SetUp();
    if (HasFatalFailure()) return;
    PORTRES_SKIP_UNLESS(backend(), kFeature);
  }
};

// Deletes a persistent reservation when it goes out of scope, so a test run leaves a real
// host as it found it.
class PersistentBlockGuard {
 public:
  PersistentBlockGuard(IIpHelper& helper, Transport transport, std::uint16_t first_port,
                       std::uint16_t count)
      : helper_(&helper), transport_(transport), first_port_(first_port), count_(count) {}
  ~PersistentBlockGuard();
  PersistentBlockGuard(const PersistentBlockGuard&) = delete;
  PersistentBlockGuard& operator=(const PersistentBlockGuard&) = delete;

 private:
  IIpHelper* helper_;
  Transport transport_;
  std::uint16_t first_port_;
  std::uint16_t count_;
};

// The areas of the contract. Each backend's executable instantiates all of them with
// PORTRES_INSTANTIATE_CONTRACT_SUITES, so no backend can leave one out unseen.
class AcquireContract : public ContractTestRequiring<Feature::kRuntimeReservations> {};
class ReleaseContract : public ContractTestRequiring<Feature::kRuntimeReservations> {};
class SocketTypeContract : public ContractTest {};
class LifetimeContract : public ContractTest {};
class BindContract : public ContractTest {};
class AssociationContract : public ContractTestRequiring<Feature::kRuntimeReservations> {};
class PersistentContract : public ContractTestRequiring<Feature::kPersistentReservations> {};
class OverlappedContract : public ContractTestRequiring<Feature::kOverlapped> {};
// The Winsock calls around the IOCTLs that real clients make ([ref:clients]).
class StartupContract : public ContractTest {};
class WSASocketContract : public ContractTest {};
class SockOptContract : public ContractTest {};
class ConnectContract : public ContractTest {};
class ListenContract : public ContractTest {};
class CpuAffinityContract : public ContractTestRequiring<Feature::kCpuAffinity> {};
class IoctlSocketContract : public ContractTest {};

}  // namespace portres::contract

// Instantiates every contract suite for the factories `generator` yields (a gtest generator,
// e.g. testing::ValuesIn(Backends())).
#define PORTRES_INSTANTIATE_CONTRACT_SUITES(generator)                             \
  INSTANTIATE_TEST_SUITE_P(Contract, AcquireContract, generator, BackendName);     \
  INSTANTIATE_TEST_SUITE_P(Contract, ReleaseContract, generator, BackendName);     \
  INSTANTIATE_TEST_SUITE_P(Contract, SocketTypeContract, generator, BackendName);  \
  INSTANTIATE_TEST_SUITE_P(Contract, LifetimeContract, generator, BackendName);    \
  INSTANTIATE_TEST_SUITE_P(Contract, BindContract, generator, BackendName);        \
  INSTANTIATE_TEST_SUITE_P(Contract, AssociationContract, generator, BackendName); \
  INSTANTIATE_TEST_SUITE_P(Contract, PersistentContract, generator, BackendName);  \
  INSTANTIATE_TEST_SUITE_P(Contract, OverlappedContract, generator, BackendName);  \
  INSTANTIATE_TEST_SUITE_P(Contract, StartupContract, generator, BackendName);     \
  INSTANTIATE_TEST_SUITE_P(Contract, WSASocketContract, generator, BackendName);   \
  INSTANTIATE_TEST_SUITE_P(Contract, SockOptContract, generator, BackendName);     \
  INSTANTIATE_TEST_SUITE_P(Contract, ConnectContract, generator, BackendName);     \
  INSTANTIATE_TEST_SUITE_P(Contract, ListenContract, generator, BackendName);      \
  INSTANTIATE_TEST_SUITE_P(Contract, CpuAffinityContract, generator, BackendName); \
  INSTANTIATE_TEST_SUITE_P(Contract, IoctlSocketContract, generator, BackendName)

#endif  // PORTRES_TESTS_CONTRACT_CONTRACT_TEST_H
