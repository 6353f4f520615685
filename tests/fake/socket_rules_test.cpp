// socket()'s argument rules as Windows applies them [ref:socket-rules]: what an argument of 0
// picks, which error wins when several are wrong, and that only an elevated process opens a
// raw socket. The contract suite checks the same triples on every backend
// (SocketTypeContract.Socket_ArgumentTriples_AnswerAsWindowsDoes_Observed); these check what
// only the fake shows: the resolved family, type and protocol, and the rights.
#include "fake_test.h"

namespace portres::testing_fake {
namespace {

class SocketRules : public FakeTest {
 protected:
  // The socket as the host holds it (the only one open).
  SocketInfo Only() {
    const std::vector<SocketInfo> sockets = host().Sockets();
    EXPECT_EQ(sockets.size(), 1u);
    return sockets.empty() ? SocketInfo{} : sockets.front();
  }
};

TEST_F(SocketRules, TypeAndProtocolZero_OpenATcpSocket_Observed) {
  const SOCKET s = api().socket(AF_INET, 0, 0);
  ASSERT_NE(s, INVALID_SOCKET);
  EXPECT_EQ(Only().type, SOCK_STREAM);
  EXPECT_EQ(Only().protocol, IPPROTO_TCP);
  ASSERT_EQ(Acquire(api(), s, 50000, 1).error, 0);
  EXPECT_EQ(host().Reservations().front().protocol, Protocol::kTcp);
}

TEST_F(SocketRules, TypeZero_IsPickedByTheProtocol_Observed) {
  ASSERT_NE(api().socket(AF_INET, 0, IPPROTO_UDP), INVALID_SOCKET);
  EXPECT_EQ(Only().type, SOCK_DGRAM);
  EXPECT_EQ(Only().protocol, IPPROTO_UDP);
}

TEST_F(SocketRules, ProtocolZero_IsPickedByTheType_Observed) {
  ASSERT_NE(api().socket(AF_INET6, SOCK_DGRAM, 0), INVALID_SOCKET);
  EXPECT_EQ(Only().protocol, IPPROTO_UDP);
}

TEST_F(SocketRules, AfUnspecWithAProtocol_OpensAnAfInetSocket_Observed) {
  const SOCKET s = api().socket(AF_UNSPEC, 0, IPPROTO_TCP);
  ASSERT_NE(s, INVALID_SOCKET);
  EXPECT_EQ(Only().af, AF_INET);
  EXPECT_EQ(Bind(api(), s, 50000), 0) << "it takes an AF_INET address";
}

TEST_F(SocketRules, AfUnspecWithProtocolZero_FailsWithWsaeinvalWhateverTheType_Observed) {
  const int types[] = {0, SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, 12345};
  for (const int type : types) {
    SCOPED_TRACE(type);
    EXPECT_EQ(api().socket(AF_UNSPEC, type, 0), INVALID_SOCKET);
    EXPECT_EQ(api().WSAGetLastError(), WSAEINVAL);
  }
  EXPECT_EQ(host().SocketCount(), 0u);
}

TEST_F(SocketRules, UnknownFamilyAndType_TheTypeWins_Observed) {
  EXPECT_EQ(api().socket(12345, 12345, 0), INVALID_SOCKET);
  EXPECT_EQ(api().WSAGetLastError(), WSAESOCKTNOSUPPORT);
  EXPECT_EQ(api().socket(12345, SOCK_STREAM, 0), INVALID_SOCKET);
  EXPECT_EQ(api().WSAGetLastError(), WSAEAFNOSUPPORT);
}

TEST_F(SocketRules, UnknownProtocol_FailsWithWsaeprotonosupport_Observed) {
  const int types[] = {0, SOCK_STREAM, SOCK_DGRAM};
  for (const int type : types) {
    SCOPED_TRACE(type);
    EXPECT_EQ(api().socket(AF_INET, type, 12345), INVALID_SOCKET);
    EXPECT_EQ(api().WSAGetLastError(), WSAEPROTONOSUPPORT);
  }
}

TEST_F(SocketRules, Success_SetsTheLastErrorToZero_Observed) {
  api().WSASetLastError(WSAEINTR);
  ASSERT_NE(api().socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), INVALID_SOCKET);
  EXPECT_EQ(api().WSAGetLastError(), 0);
}

TEST_F(SocketRules, RawSocket_Unelevated_FailsWithWsaeacces_Observed) {
  FakeProcessOptions unelevated;
  unelevated.elevated = false;
  FakeSocketIoctl guest(shared_host(), unelevated);
  EXPECT_EQ(guest.socket(AF_INET, SOCK_RAW, IPPROTO_RAW), INVALID_SOCKET);
  EXPECT_EQ(guest.WSAGetLastError(), WSAEACCES);
  EXPECT_EQ(host().SocketCount(), 0u);
}

TEST_F(SocketRules, RawSocket_Elevated_Opens_Observed) {
  ASSERT_TRUE(FakeProcessOptions().elevated) << "processes are elevated by default";
  EXPECT_NE(api().socket(AF_INET, SOCK_RAW, IPPROTO_RAW), INVALID_SOCKET);
}

TEST_F(SocketRules, RawSocketWithBadArguments_Unelevated_FailsWithTheArgumentError_Assumed) {
  // Arguments are checked before rights: a bad triple says what is wrong with it.
  FakeProcessOptions unelevated;
  unelevated.elevated = false;
  FakeSocketIoctl guest(shared_host(), unelevated);
  EXPECT_EQ(guest.socket(12345, SOCK_RAW, IPPROTO_RAW), INVALID_SOCKET);
  EXPECT_EQ(guest.WSAGetLastError(), WSAEAFNOSUPPORT);
}

// Microsoft's diagnostic for reservation exhaustion [ref:clients], as it is written: a type-0,
// protocol-0 socket and ten wildcard acquires of 64 ports, counting successes. It has no
// WSAStartup to call here: the fake needs none.
TEST_F(SocketRules, MicrosoftDiagnosticPattern_GrantsTenDisjointTcpBlocksOf64Ports) {
  const SOCKET s = api().socket(AF_INET, 0, 0);
  ASSERT_NE(s, INVALID_SOCKET);
  int granted = 0;
  for (int i = 0; i < 10; ++i) {
    if (Acquire(api(), s, 0, 64).error == 0) ++granted;
  }
  EXPECT_EQ(granted, 10);
  const std::vector<ReservationInfo> blocks = host().Reservations();
  ASSERT_EQ(blocks.size(), 10u);
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    EXPECT_EQ(blocks[i].protocol, Protocol::kTcp);
    EXPECT_EQ(blocks[i].port_count, 64);
    if (i > 0) {
      EXPECT_GE(blocks[i].first_port, blocks[i - 1].first_port + 64);
    }
  }
}

}  // namespace
}  // namespace portres::testing_fake
