// WSASocketW and WSASocketA [ref:clients] (MsQuic opens its sockets with WSASocketW and
// WSA_FLAG_OVERLAPPED): the same argument rules as socket() [ref:socket-rules], a protocol
// description that may be null or supply the triple, and the overlapped attribute
// [ref:connect-listen].
#include "contract_test.h"
#include "surface_helpers.h"

namespace portres::contract {
namespace {

constexpr int kFromProtocolInfo = -1;  // FROM_PROTOCOL_INFO

// A socket WSASocketW opened, closed at the end of the test.
class WideSocket {
 public:
  WideSocket(ISocketIoctl& api, int af, int type, int protocol, DWORD flags,
             LPWSAPROTOCOL_INFOW info = nullptr)
      : api_(api), handle_(api.WSASocketW(af, type, protocol, info, 0, flags)) {
    if (handle_ == INVALID_SOCKET) error_ = Wsa(api.WSAGetLastError());
  }
  ~WideSocket() {
    if (handle_ != INVALID_SOCKET) api_.closesocket(handle_);
  }
  WideSocket(const WideSocket&) = delete;
  WideSocket& operator=(const WideSocket&) = delete;
  SOCKET handle() const { return handle_; }
  WsaCode error() const { return error_; }

 private:
  ISocketIoctl& api_;
  SOCKET handle_;
  WsaCode error_;
};

WSAPROTOCOL_INFOW ProtocolInfoOf(ISocketIoctl& api, SOCKET s) {
  WSAPROTOCOL_INFOW info{};
  int length = static_cast<int>(sizeof info);
  EXPECT_EQ(ResultOf(api, api.getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW,
                                         reinterpret_cast<char*>(&info), &length)),
            kWsaSuccess);
  return info;
}

TEST_P(WSASocketContract, WSASocketW_OverlappedUdp6_OpensASocketThatBinds) {
  WideSocket s(api(), AF_INET6, SOCK_DGRAM, IPPROTO_UDP, WSA_FLAG_OVERLAPPED);
  ASSERT_NE(s.handle(), INVALID_SOCKET) << testing::PrintToString(s.error());
  EXPECT_EQ(Bind(s.handle(), 0, AF_INET6), kWsaSuccess);
  EXPECT_NE(LocalPort(s.handle()), 0);
}

TEST_P(WSASocketContract, WSASocketA_WithoutFlags_OpensASocket) {
  const SOCKET s = api().WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, 0);
  ASSERT_NE(s, INVALID_SOCKET) << testing::PrintToString(Wsa(api().WSAGetLastError()));
  EXPECT_EQ(GetInt(api(), s, SOL_SOCKET, SO_TYPE), SOCK_STREAM);
  EXPECT_EQ(ResultOf(api(), api().closesocket(s)), kWsaSuccess);
}

TEST_P(WSASocketContract, WSASocketW_ReportsItsTripleInSoProtocolInfoW) {
  WideSocket s(api(), AF_INET6, SOCK_DGRAM, IPPROTO_UDP, WSA_FLAG_OVERLAPPED);
  ASSERT_NE(s.handle(), INVALID_SOCKET);
  const WSAPROTOCOL_INFOW info = ProtocolInfoOf(api(), s.handle());
  EXPECT_EQ(info.iAddressFamily, AF_INET6);
  EXPECT_EQ(info.iSocketType, SOCK_DGRAM);
  EXPECT_EQ(info.iProtocol, IPPROTO_UDP);
}

TEST_P(WSASocketContract, WSASocketW_FromProtocolInfo_TakesTheTripleFromIt) {
  TestSocket tcp = Tcp();
  WSAPROTOCOL_INFOW info = ProtocolInfoOf(api(), tcp.handle());
  WideSocket s(api(), kFromProtocolInfo, kFromProtocolInfo, kFromProtocolInfo, WSA_FLAG_OVERLAPPED,
               &info);
  ASSERT_NE(s.handle(), INVALID_SOCKET) << testing::PrintToString(s.error());
  EXPECT_EQ(GetInt(api(), s.handle(), SOL_SOCKET, SO_TYPE), SOCK_STREAM);
}

TEST_P(WSASocketContract, WSASocketW_UnknownFamily_FailsWithWsaeafnosupport) {
  // [ref:socket-rules]: the same rules as socket().
  WideSocket s(api(), 12345, SOCK_STREAM, IPPROTO_TCP, WSA_FLAG_OVERLAPPED);
  EXPECT_EQ(s.handle(), INVALID_SOCKET);
  EXPECT_EQ(s.error(), Wsa(WSAEAFNOSUPPORT));
}

TEST_P(WSASocketContract, WSASocketW_MismatchedTypeAndProtocol_FailsWithWsaeprotonosupport) {
  WideSocket s(api(), AF_INET, SOCK_STREAM, IPPROTO_UDP, WSA_FLAG_OVERLAPPED);
  EXPECT_EQ(s.handle(), INVALID_SOCKET);
  EXPECT_EQ(s.error(), Wsa(WSAEPROTONOSUPPORT));
}

TEST_P(WSASocketContract, WSASocketW_NonZeroGroup_IsIgnored_Assumed) {
  // Groups are reserved; Wine 8.0 opens the socket, and so does the fake.
  const SOCKET s = api().WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0x1234, 0);
  EXPECT_NE(s, INVALID_SOCKET);
  if (s != INVALID_SOCKET) api().closesocket(s);
}

TEST_P(WSASocketContract, WithoutOverlappedFlag_OverlappedAcquireCompletesAtOnce) {
  // [ref:connect-listen]: on a socket without the overlapped attribute WSAIoctl ignores
  // lpOverlapped, so the call completes before it returns and fills lpcbBytesReturned.
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  WideSocket s(api(), AF_INET, SOCK_STREAM, IPPROTO_TCP, 0);
  ASSERT_NE(s.handle(), INVALID_SOCKET);
  INET_PORT_RANGE range{0, 2};
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  WSAOVERLAPPED overlapped{};
  EXPECT_EQ(api().WSAIoctl(s.handle(), SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range,
                           &instance, sizeof instance, &bytes, &overlapped, nullptr),
            0);
  EXPECT_EQ(bytes, sizeof instance);
  EXPECT_EQ(instance.Reservation.NumberOfPorts, 2);
}

}  // namespace
}  // namespace portres::contract
