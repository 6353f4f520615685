// The rest of the Winsock surface on the fake, where the contract suite cannot reach: the
// process option for WSAStartup, the overlapped attribute under pend_overlapped_calls and
// faults, connections outside the host, backlogs, shared ports, the call log, and the choices
// the documentation leaves open (AssumedErrors).
#include <portres/describe.h>
#include <portres/documented_errors.h>

#include <string>

#include "fake_test.h"

namespace portres::testing_fake {
namespace {

sockaddr_in Endpoint(std::uint32_t address, std::uint16_t port) {
  sockaddr_in endpoint{};
  endpoint.sin_family = AF_INET;
  endpoint.sin_port = htons(port);
  endpoint.sin_addr.s_addr = htonl(address);
  return endpoint;
}

int Connect(ISocketIoctl& api, SOCKET s, const sockaddr_in& to) {
  return ErrorOf(api, api.connect(s, reinterpret_cast<const sockaddr*>(&to), sizeof to));
}

int SetInt(ISocketIoctl& api, SOCKET s, int level, int option, int value) {
  return ErrorOf(
      api, api.setsockopt(s, level, option, reinterpret_cast<const char*>(&value), sizeof value));
}

// A TCP socket listening on `port` with `backlog`.
SOCKET Listening(ISocketIoctl& api, std::uint16_t port, int backlog = 4) {
  const SOCKET s = OpenTcp(api);
  EXPECT_EQ(Bind(api, s, port), 0);
  EXPECT_EQ(ErrorOf(api, api.listen(s, backlog)), 0);
  return s;
}

constexpr std::uint32_t kRemote = 0xC0000201;  // 192.0.2.1, a documentation address

class Surface : public FakeTest {};

// ---- WSAStartup -------------------------------------------------------------------------------
TEST(WinsockStartup, RequireWsaStartup_CallsBeforeItFailWithWsanotinitialised) {
  FakeProcessOptions strict;
  strict.require_wsastartup = true;
  FakeSocketIoctl api(std::make_shared<FakeHost>(), strict);
  EXPECT_EQ(api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), INVALID_SOCKET);
  EXPECT_EQ(api.WSAGetLastError(), WSANOTINITIALISED);
  EXPECT_FALSE(api.CallLog().back().injected);  // Winsock's answer, not a fault
  WSADATA data{};
  ASSERT_EQ(api.WSAStartup(MAKEWORD(2, 2), &data), 0);
  const SOCKET s = OpenTcp(api);
  EXPECT_NE(s, INVALID_SOCKET);
  ASSERT_EQ(api.WSACleanup(), 0);
  // The last WSACleanup closed it, and the process is uninitialised again.
  EXPECT_TRUE(api.Sockets().empty());
  EXPECT_EQ(ErrorOf(api, api.bind(s, nullptr, 0)), WSANOTINITIALISED);
}

TEST(WinsockStartup, ByDefault_CallsWorkWithoutIt) {
  FakeSocketIoctl api;
  EXPECT_NE(OpenTcp(api), INVALID_SOCKET);
}

TEST(WinsockStartup, RefusedStartup_CountsNothing) {
  FakeSocketIoctl api;
  WSADATA data{};
  EXPECT_EQ(api.WSAStartup(MAKEWORD(0, 1), &data), WSAVERNOTSUPPORTED);
  EXPECT_EQ(data.wVersion, 0);  // nothing written
  EXPECT_EQ(api.WSACleanup(), SOCKET_ERROR);
  EXPECT_EQ(api.WSAGetLastError(), WSANOTINITIALISED);
}

TEST(WinsockStartup, InjectedFault_IsReturnedAsTheResult) {
  FakeSocketIoctl api;
  api.Inject(Fault::Error(WSASYSNOTREADY).OnNextCall());
  WSADATA data{};
  EXPECT_EQ(api.WSAStartup(MAKEWORD(2, 2), &data), WSASYSNOTREADY);
  EXPECT_TRUE(api.CallLog().back().injected);
}

// ---- The overlapped attribute -----------------------------------------------------------------
TEST(OverlappedAttribute, WithoutIt_PendOverlappedCallsNeverPends) {
  FakeProcessOptions pending;
  pending.pend_overlapped_calls = true;
  FakeSocketIoctl api(std::make_shared<FakeHost>(), pending);
  const SOCKET plain = api.WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, 0);
  WSAOVERLAPPED overlapped{};
  const Acquired acquired = Acquire(api, plain, 0, 4, &overlapped);
  EXPECT_EQ(acquired.error, 0);
  EXPECT_EQ(acquired.bytes_returned, sizeof(INET_PORT_RESERVATION_INSTANCE));
  EXPECT_TRUE(api.PendingCalls().empty());
  EXPECT_FALSE(api.CallLog().back().call.overlapped);
  EXPECT_FALSE(api.Sockets().at(0).overlapped);
}

TEST(OverlappedAttribute, WithIt_PendOverlappedCallsPends) {
  FakeProcessOptions pending;
  pending.pend_overlapped_calls = true;
  FakeSocketIoctl api(std::make_shared<FakeHost>(), pending);
  const SOCKET s =
      api.WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED);
  WSAOVERLAPPED overlapped{};
  EXPECT_EQ(Acquire(api, s, 0, 4, &overlapped).error, WSA_IO_PENDING);
  EXPECT_EQ(api.PendingCalls().size(), 1u);
}

TEST(OverlappedAttribute, WithoutIt_APendFaultIsNotUsedUp) {
  FakeSocketIoctl api;
  const SOCKET plain = api.WSASocketA(AF_INET, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, 0);
  const SOCKET overlapped_socket = OpenUdp(api);  // socket() sockets have the attribute
  api.Inject(Fault::Pend().When(IsIoctl(SIO_ACQUIRE_PORT_RESERVATION)).Times(1));
  WSAOVERLAPPED first{};
  EXPECT_EQ(Acquire(api, plain, 0, 1, &first).error, 0);
  WSAOVERLAPPED second{};
  EXPECT_EQ(Acquire(api, overlapped_socket, 0, 1, &second).error, WSA_IO_PENDING);
}

// ---- connect ----------------------------------------------------------------------------------
TEST_F(Surface, Connect_TcpOutsideTheHost_Succeeds) {
  const SOCKET s = OpenTcp(api());
  EXPECT_EQ(Connect(api(), s, Endpoint(kRemote, 443)), 0);
  EXPECT_NE(LocalPort(api(), s), 0);
}

TEST_F(Surface, Connect_AFault_MakesItFailAndChangesNothing) {
  const SOCKET s = OpenTcp(api());
  api().Inject(Fault::Error(WSAETIMEDOUT).When(IsApi(Api::kConnect)));
  const HostSnapshot before = Snapshot(host());
  EXPECT_EQ(Connect(api(), s, Endpoint(kRemote, 443)), WSAETIMEDOUT);
  EXPECT_TRUE(Snapshot(host()) == before);
}

TEST_F(Surface, Connect_Refused_LeavesTheSocketUnbound_Assumed) {
  // Windows may keep the implicit bind of a refused connect; the fake refuses before binding,
  // so that a refusal changes nothing.
  const SOCKET s = OpenTcp(api());
  EXPECT_EQ(Connect(api(), s, Endpoint(INADDR_LOOPBACK, 7)), WSAECONNREFUSED);
  EXPECT_FALSE(api().Sockets().at(0).bound);
}

TEST_F(Surface, Connect_FullBacklog_FailsWithWsaeconnrefused) {
  // The listen page: a connection that finds the queue full is refused.
  Listening(api(), 7000, 1);
  const SOCKET first = OpenTcp(api());
  const SOCKET second = OpenTcp(api());
  EXPECT_EQ(Connect(api(), first, Endpoint(INADDR_LOOPBACK, 7000)), 0);
  EXPECT_EQ(Connect(api(), second, Endpoint(INADDR_LOOPBACK, 7000)), WSAECONNREFUSED);
}

TEST_F(Surface, Listen_Again_KeepsTheBacklog) {
  const SOCKET listener = Listening(api(), 7000, 1);
  ASSERT_EQ(ErrorOf(api(), api().listen(listener, 10)), 0);
  EXPECT_EQ(Connect(api(), OpenTcp(api()), Endpoint(INADDR_LOOPBACK, 7000)), 0);
  EXPECT_EQ(Connect(api(), OpenTcp(api()), Endpoint(INADDR_LOOPBACK, 7000)), WSAECONNREFUSED);
}

TEST_F(Surface, Connect_AnotherProcessListens_ConnectsAcrossProcesses) {
  FakeSocketIoctl server(shared_host());
  const SOCKET listener = Listening(server, 7000);
  const SOCKET client = OpenTcp(api());
  ASSERT_EQ(Connect(api(), client, Endpoint(INADDR_LOOPBACK, 7000)), 0);
  sockaddr_in peer{};
  int length = sizeof peer;
  const SOCKET accepted = server.accept(listener, reinterpret_cast<sockaddr*>(&peer), &length);
  ASSERT_NE(accepted, INVALID_SOCKET);
  EXPECT_EQ(ntohs(peer.sin_port), LocalPort(api(), client));
  EXPECT_EQ(server.Sockets().size(), 2u);  // the accepted socket is the server's
}

// ---- accept and shared ports ------------------------------------------------------------------
TEST_F(Surface, AcceptedSocket_KeepsTheListenersPortUntilItCloses) {
  const SOCKET listener = Listening(api(), 7000);
  const SOCKET client = OpenTcp(api());
  ASSERT_EQ(Connect(api(), client, Endpoint(INADDR_LOOPBACK, 7000)), 0);
  const SOCKET accepted = api().accept(listener, nullptr, nullptr);
  ASSERT_NE(accepted, INVALID_SOCKET);
  ASSERT_EQ(api().closesocket(listener), 0);
  const SOCKET other = OpenTcp(api());
  EXPECT_EQ(Bind(api(), other, 7000), WSAEADDRINUSE);
  ASSERT_EQ(api().closesocket(accepted), 0);
  EXPECT_EQ(Bind(api(), other, 7000), 0);
}

TEST_F(Surface, Accept_RefusedCall_ChangesNothing) {
  const SOCKET listener = Listening(api(), 7000);
  ASSERT_EQ(Connect(api(), OpenTcp(api()), Endpoint(INADDR_LOOPBACK, 7000)), 0);
  sockaddr_in peer{};
  int short_length = 4;
  const HostSnapshot before = Snapshot(host());
  EXPECT_EQ(api().accept(listener, reinterpret_cast<sockaddr*>(&peer), &short_length),
            INVALID_SOCKET);
  EXPECT_TRUE(Snapshot(host()) == before);
  EXPECT_NE(api().accept(listener, nullptr, nullptr), INVALID_SOCKET);  // still waiting
}

TEST_F(Surface, SharedPort_StaysBoundUntilItsLastSocketCloses) {
  const SOCKET a = OpenUdp(api());
  const SOCKET b = OpenUdp(api());
  ASSERT_EQ(SetInt(api(), a, SOL_SOCKET, SO_REUSEADDR, TRUE), 0);
  ASSERT_EQ(SetInt(api(), b, SOL_SOCKET, SO_REUSEADDR, TRUE), 0);
  ASSERT_EQ(Bind(api(), a, 7000), 0);
  ASSERT_EQ(Bind(api(), b, 7000), 0);
  ASSERT_EQ(api().closesocket(a), 0);
  const SOCKET c = OpenUdp(api());
  EXPECT_EQ(Bind(api(), c, 7000), WSAEADDRINUSE);  // b still holds it
  ASSERT_EQ(api().closesocket(b), 0);
  EXPECT_EQ(Bind(api(), c, 7000), 0);
}

TEST_F(Surface, SharedPort_IsFreeAfterAReboot) {
  const SOCKET a = OpenUdp(api());
  const SOCKET b = OpenUdp(api());
  ASSERT_EQ(SetInt(api(), a, SOL_SOCKET, SO_REUSEADDR, TRUE), 0);
  ASSERT_EQ(SetInt(api(), b, SOL_SOCKET, SO_REUSEADDR, TRUE), 0);
  ASSERT_EQ(Bind(api(), a, 7000), 0);
  ASSERT_EQ(Bind(api(), b, 7000), 0);
  host().Reboot();
  const SOCKET c = OpenUdp(api());
  ASSERT_EQ(Bind(api(), c, 7000), 0);
  ASSERT_EQ(api().closesocket(c), 0);
  const SOCKET d = OpenUdp(api());
  EXPECT_EQ(Bind(api(), d, 7000), 0);  // the port was freed, not kept by a stale share count
}

// ---- SIO_CPU_AFFINITY -------------------------------------------------------------------------
int SetProcessor(ISocketIoctl& api, SOCKET s, USHORT processor) {
  DWORD bytes = 0;
  return ErrorOf(api, api.WSAIoctl(s, SIO_CPU_AFFINITY, &processor, sizeof processor, nullptr, 0,
                                   &bytes, nullptr, nullptr));
}

TEST_F(Surface, CpuAffinity_ProcessorTheHostLacks_FailsWithWsaeinval_Assumed) {
  const SOCKET s = OpenUdp(api());
  EXPECT_EQ(SetProcessor(api(), s, host().options().processor_count), WSAEINVAL);
  EXPECT_EQ(SetProcessor(api(), s, 0), 0);
}

TEST_F(Surface, CpuAffinity_SocketsOfTwoProcesses_DoNotShareAPort) {
  FakeSocketIoctl other(shared_host());
  const SOCKET mine = OpenUdp(api());
  const SOCKET theirs = OpenUdp(other);
  ASSERT_EQ(SetProcessor(api(), mine, 0), 0);
  ASSERT_EQ(SetProcessor(other, theirs, 1), 0);
  ASSERT_EQ(Bind(api(), mine, 7000), 0);
  EXPECT_EQ(Bind(other, theirs, 7000), WSAEADDRINUSE);
}

// ---- Options the documentation leaves open ----------------------------------------------------
TEST_F(Surface, Ipv6V6OnlyOnAnIpv4Socket_FailsWithWsaenoprotoopt_Assumed) {
  EXPECT_EQ(SetInt(api(), OpenUdp(api()), IPPROTO_IPV6, IPV6_V6ONLY, FALSE), WSAENOPROTOOPT);
}

TEST_F(Surface, TcpNoDelayOnAUdpSocket_FailsWithWsaenoprotoopt_Assumed) {
  EXPECT_EQ(SetInt(api(), OpenUdp(api()), IPPROTO_TCP, TCP_NODELAY, TRUE), WSAENOPROTOOPT);
}

TEST_F(Surface, SettingSoType_FailsWithWsaenoprotoopt_Assumed) {
  EXPECT_EQ(SetInt(api(), OpenTcp(api()), SOL_SOCKET, SO_TYPE, SOCK_DGRAM), WSAENOPROTOOPT);
}

TEST_F(Surface, ConnectOnARawSocket_FailsWithWsaeopnotsupp_Assumed) {
  const SOCKET raw = api().socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
  ASSERT_NE(raw, INVALID_SOCKET);
  EXPECT_EQ(Connect(api(), raw, Endpoint(INADDR_LOOPBACK, 7)), WSAEOPNOTSUPP);
}

TEST_F(Surface, AssumedErrors_CanBeChanged) {
  FakeHostOptions options;
  options.assumed.accept_nothing_waiting = WSAEWOULDBLOCK;
  FakeSocketIoctl api(options);
  const SOCKET listener = Listening(api, 7000);
  EXPECT_EQ(api.accept(listener, nullptr, nullptr), INVALID_SOCKET);
  EXPECT_EQ(api.WSAGetLastError(), WSAEWOULDBLOCK);
}

// ---- The call log and the error tables -------------------------------------------------------
TEST_F(Surface, CallLog_RecordsTheArgumentsReadably) {
  const SOCKET s =
      api().WSASocketW(AF_INET6, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, WSA_FLAG_OVERLAPPED);
  SetInt(api(), s, IPPROTO_IPV6, IPV6_V6ONLY, FALSE);
  SetProcessor(api(), s, 3);
  Connect(api(), OpenTcp(api()), Endpoint(kRemote, 443));
  const std::vector<CallRecord> log = api().CallLog();
  ASSERT_EQ(log.size(), 5u);
  EXPECT_EQ(Describe(log[0]), "#0 WSASocketW(UDP/IPv6, flags 0x1) -> " + DescribeSocketHandle(s));
  EXPECT_EQ(Describe(log[1]),
            "#1 setsockopt(s=" + DescribeSocketHandle(s) + ", IPPROTO_IPV6, IPV6_V6ONLY, 0) -> 0");
  EXPECT_EQ(Describe(log[2]),
            "#2 WSAIoctl(s=" + DescribeSocketHandle(s) + ", SIO_CPU_AFFINITY, processor 3) -> 0");
  EXPECT_NE(Describe(log[4]).find("connect(s="), std::string::npos);
  EXPECT_NE(Describe(log[4]).find("port 443) -> 0, local port "), std::string::npos)
      << Describe(log[4]);
}

TEST(SurfaceErrorTables, EveryNewCall_HasADocumentedErrorTable) {
  for (const Api api : {Api::kWSAStartup, Api::kWSACleanup, Api::kWSASocketW, Api::kWSASocketA,
                        Api::kSetSockOpt, Api::kGetSockOpt, Api::kConnect, Api::kListen,
                        Api::kAccept, Api::kGetPeerName, Api::kIoctlSocket}) {
    SCOPED_TRACE(std::string(ApiName(api)));
    EXPECT_FALSE(DocumentedErrors(api).empty());
    EXPECT_FALSE(DocumentedErrors(api).contains(WSA_IO_PENDING));
  }
  EXPECT_TRUE(DocumentedErrors(Api::kConnect).contains(WSAECONNREFUSED));
  EXPECT_TRUE(DocumentedErrors(Api::kAccept).contains(WSAEWOULDBLOCK));
}

}  // namespace
}  // namespace portres::testing_fake
