#include "contract_test.h"

#include <portres/winsock_error.h>

#include <cstring>
#include <utility>

namespace portres::contract {

void PrintTo(WsaCode code, std::ostream* os) {
  if (code.value == 0) {
    *os << "success (0)";
  } else {
    *os << DescribeError(code.value);
  }
}

void PrintTo(Win32Code code, std::ostream* os) { *os << DescribeWin32Error(code.value); }

namespace {

WsaCode ErrorOf(ISocketIoctl& process, int result) {
  return result == SOCKET_ERROR ? Wsa(process.WSAGetLastError()) : kWsaSuccess;
}

}  // namespace

// ---- TestSocket ---------------------------------------------------------------------------
TestSocket::TestSocket(ISocketIoctl& api, int af, int type, int protocol) : api_(&api) {
  handle_ = api.socket(af, type, protocol);
  if (handle_ == INVALID_SOCKET) open_error_ = Wsa(api.WSAGetLastError());
}

TestSocket::~TestSocket() {
  if (handle_ != INVALID_SOCKET) api_->closesocket(handle_);
}

TestSocket::TestSocket(TestSocket&& other) noexcept
    : api_(other.api_),
      handle_(std::exchange(other.handle_, INVALID_SOCKET)),
      open_error_(other.open_error_) {}

WsaCode TestSocket::Close() {
  const WsaCode error = ErrorOf(*api_, api_->closesocket(handle_));
  if (error == kWsaSuccess) handle_ = INVALID_SOCKET;
  return error;
}

// ---- ContractTest -------------------------------------------------------------------------
void ContractTest::SetUp() {
  backend_ = GetParam().make();
  ASSERT_NE(backend_, nullptr) << "the backend factory made no backend";
}

void ContractTest::TearDown() { backend_.reset(); }

TestSocket ContractTest::Tcp(ISocketIoctl& process, int af) {
  TestSocket s(process, af, SOCK_STREAM, IPPROTO_TCP);
  EXPECT_TRUE(s.is_open()) << "socket(TCP) failed: " << testing::PrintToString(s.open_error());
  return s;
}

TestSocket ContractTest::Udp(ISocketIoctl& process, int af) {
  TestSocket s(process, af, SOCK_DGRAM, IPPROTO_UDP);
  EXPECT_TRUE(s.is_open()) << "socket(UDP) failed: " << testing::PrintToString(s.open_error());
  return s;
}

Acquired ContractTest::Acquire(ISocketIoctl& process, SOCKET s, std::uint16_t first_port,
                               std::uint16_t count) {
  INET_PORT_RANGE range{};
  range.StartPort = htons(first_port);
  range.NumberOfPorts = count;
  Acquired acquired;
  acquired.error =
      ErrorOf(process, process.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range,
                                        &acquired.instance, sizeof acquired.instance,
                                        &acquired.bytes_returned, nullptr, nullptr));
  return acquired;
}

WsaCode ContractTest::Release(ISocketIoctl& process, SOCKET s, ULONG64 token) {
  INET_PORT_RESERVATION_TOKEN in{};
  in.Token = token;
  DWORD bytes = 0;
  return Ioctl(process, s, SIO_RELEASE_PORT_RESERVATION, &in, sizeof in, nullptr, 0, &bytes);
}

WsaCode ContractTest::Associate(ISocketIoctl& process, SOCKET s, ULONG64 token) {
  INET_PORT_RESERVATION_TOKEN in{};
  in.Token = token;
  DWORD bytes = 0;
  return Ioctl(process, s, SIO_ASSOCIATE_PORT_RESERVATION, &in, sizeof in, nullptr, 0, &bytes);
}

WsaCode ContractTest::Ioctl(ISocketIoctl& process, SOCKET s, DWORD code, LPVOID in, DWORD in_size,
                            LPVOID out, DWORD out_size, LPDWORD bytes_returned) {
  return ErrorOf(process, process.WSAIoctl(s, code, in, in_size, out, out_size, bytes_returned,
                                           nullptr, nullptr));
}

WsaCode ContractTest::Bind(ISocketIoctl& process, SOCKET s, std::uint16_t port, int af) {
  if (af == AF_INET6) {
    sockaddr_in6 address{};
    address.sin6_family = AF_INET6;
    address.sin6_port = htons(port);
    address.sin6_addr = in6addr_any;
    return ErrorOf(process, process.bind(s, reinterpret_cast<const sockaddr*>(&address),
                                         static_cast<int>(sizeof address)));
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  return ErrorOf(process, process.bind(s, reinterpret_cast<const sockaddr*>(&address),
                                       static_cast<int>(sizeof address)));
}

std::uint16_t ContractTest::LocalPort(ISocketIoctl& process, SOCKET s) {
  sockaddr_in6 address{};  // large enough for either family; the port sits at the same offset
  int length = static_cast<int>(sizeof address);
  if (process.getsockname(s, reinterpret_cast<sockaddr*>(&address), &length) == SOCKET_ERROR) {
    return 0;
  }
  return ntohs(address.sin6_port);
}

std::uint16_t ContractTest::FreeBlock(std::uint16_t count, Transport transport) {
  TestSocket probe = Open(transport);
  const Acquired acquired = Acquire(probe.handle(), 0, count);
  EXPECT_EQ(acquired.error, kWsaSuccess) << "no free block of " << count << " ports";
  if (acquired.error != kWsaSuccess) return 0;
  EXPECT_EQ(Release(probe.handle(), acquired.token()), kWsaSuccess);
  return acquired.first_port();
}

std::uint16_t ContractTest::FreePort(Transport transport) {
  TestSocket probe = Open(transport);
  EXPECT_EQ(Bind(probe.handle(), 0), kWsaSuccess) << "bind(port 0) found no free port";
  const std::uint16_t port = LocalPort(probe.handle());
  EXPECT_NE(port, 0) << "getsockname reported no port";
  return port;
}

// ---- PersistentBlockGuard -----------------------------------------------------------------
PersistentBlockGuard::~PersistentBlockGuard() {
  if (transport_ == Transport::kTcp) {
    helper_->DeletePersistentTcpPortReservation(htons(first_port_), count_);
  } else {
    helper_->DeletePersistentUdpPortReservation(htons(first_port_), count_);
  }
}

}  // namespace portres::contract
