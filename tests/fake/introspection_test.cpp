// What a test can read back: live reservations, open sockets, and the call log.
#include <gmock/gmock.h>
#include <portres/describe.h>

#include "fake_test.h"

namespace portres::testing_fake {
namespace {

class Introspection : public FakeTest {};

TEST_F(Introspection, Reservations_DescribeEachLiveBlock) {
  const SOCKET s = OpenUdp(api());
  const Acquired acquired = Acquire(api(), s, 50000, 3);
  ASSERT_EQ(acquired.error, 0);
  ULONG64 persistent = 0;
  ASSERT_EQ(ip_helper().CreatePersistentTcpPortReservation(htons(6000), 2, &persistent),
            static_cast<ULONG>(NO_ERROR));

  const std::vector<ReservationInfo> all = host().Reservations();
  ASSERT_EQ(all.size(), 2u);
  // Sorted by (protocol, first port): TCP first.
  EXPECT_EQ(all[0].protocol, Protocol::kTcp);
  EXPECT_EQ(all[0].kind, ReservationKind::kPersistent);
  EXPECT_EQ(all[0].first_port, 6000);
  EXPECT_EQ(all[0].port_count, 2);
  EXPECT_EQ(all[0].token, persistent);
  EXPECT_EQ(all[0].owner_socket, INVALID_SOCKET);
  EXPECT_EQ(all[0].owner_pid, 0u);
  EXPECT_EQ(all[1].protocol, Protocol::kUdp);
  EXPECT_EQ(all[1].kind, ReservationKind::kRuntime);
  EXPECT_EQ(all[1].first_port, 50000);
  EXPECT_EQ(all[1].port_count, 3);
  EXPECT_EQ(all[1].token, acquired.token());
  EXPECT_EQ(all[1].owner_socket, s);
  EXPECT_EQ(all[1].owner_pid, api().pid());
  EXPECT_EQ(host().ReservationCount(), 2u);
}

TEST_F(Introspection, ProcessReservations_ListOnlyItsRuntimeBlocks) {
  FakeSocketIoctl other(shared_host());
  ASSERT_EQ(Acquire(api(), OpenTcp(api()), 50000, 1).error, 0);
  ASSERT_EQ(Acquire(other, OpenTcp(other), 50001, 1).error, 0);
  ULONG64 token = 0;
  ASSERT_EQ(ip_helper().CreatePersistentTcpPortReservation(htons(6000), 2, &token),
            static_cast<ULONG>(NO_ERROR));
  ASSERT_EQ(api().Reservations().size(), 1u);
  EXPECT_EQ(api().Reservations()[0].first_port, 50000);
  ASSERT_EQ(other.Reservations().size(), 1u);
  EXPECT_EQ(other.Reservations()[0].first_port, 50001);
}

TEST_F(Introspection, Sockets_DescribeEachOpenSocket) {
  const SOCKET tcp = OpenTcp(api());
  const SOCKET udp6 = OpenUdp(api(), AF_INET6);
  const Acquired acquired = Acquire(api(), tcp, 0, 2);
  ASSERT_EQ(acquired.error, 0);
  ASSERT_EQ(Associate(api(), tcp, acquired.token()), 0);
  ASSERT_EQ(Bind(api(), tcp, 0), 0);

  const std::vector<SocketInfo> sockets = host().Sockets();
  ASSERT_EQ(sockets.size(), 2u);
  EXPECT_EQ(sockets[0].handle, tcp);
  EXPECT_EQ(sockets[0].pid, api().pid());
  EXPECT_EQ(sockets[0].af, AF_INET);
  EXPECT_EQ(sockets[0].type, SOCK_STREAM);
  EXPECT_EQ(sockets[0].protocol, IPPROTO_TCP);
  EXPECT_TRUE(sockets[0].bound);
  EXPECT_EQ(sockets[0].port, acquired.first_port());
  EXPECT_EQ(sockets[0].associated_token, acquired.token());
  EXPECT_EQ(sockets[1].handle, udp6);
  EXPECT_EQ(sockets[1].af, AF_INET6);
  EXPECT_FALSE(sockets[1].bound);
  EXPECT_EQ(sockets[1].associated_token, INVALID_PORT_RESERVATION_TOKEN);
  EXPECT_EQ(host().SocketCount(), 2u);
  EXPECT_EQ(api().Sockets().size(), 2u);
}

TEST_F(Introspection, SocketHandles_AreNeverReused) {
  const SOCKET first = OpenTcp(api());
  ASSERT_EQ(api().closesocket(first), 0);
  const SOCKET second = OpenTcp(api());
  EXPECT_NE(first, second);
  EXPECT_EQ(api().closesocket(first), SOCKET_ERROR);
  EXPECT_EQ(api().WSAGetLastError(), WSAENOTSOCK);
}

TEST_F(Introspection, CallLog_RecordsEachCallWithItsArgumentsAndResult) {
  const SOCKET s = OpenTcp(api());
  const Acquired acquired = Acquire(api(), s, 50000, 4);
  ASSERT_EQ(Acquire(api(), s, 50000, 1).error, WSAEADDRINUSE);
  ASSERT_EQ(Associate(api(), s, acquired.token()), 0);
  ASSERT_EQ(Bind(api(), s, 0), 0);
  ASSERT_EQ(Release(api(), s, acquired.token()), 0);
  ASSERT_EQ(api().closesocket(s), 0);

  const std::vector<CallRecord> log = api().CallLog();
  ASSERT_EQ(log.size(), 7u);
  EXPECT_EQ(api().CallCount(), 7u);
  for (std::size_t i = 0; i < log.size(); ++i) EXPECT_EQ(log[i].call.index, i);
  EXPECT_EQ(log[0].call.api, Api::kSocket);
  EXPECT_EQ(log[0].call.socket, s);
  EXPECT_EQ(log[1].call.api, Api::kWSAIoctl);
  EXPECT_EQ(log[1].call.code, static_cast<DWORD>(SIO_ACQUIRE_PORT_RESERVATION));
  EXPECT_TRUE(log[1].arguments_read);
  EXPECT_EQ(log[1].first_port, 50000);
  EXPECT_EQ(log[1].port_count, 4);
  EXPECT_EQ(log[1].granted_port, 50000);
  EXPECT_EQ(log[1].token, acquired.token());
  EXPECT_EQ(log[1].result, 0);
  EXPECT_EQ(log[2].result, SOCKET_ERROR);
  EXPECT_EQ(log[2].error, WSAEADDRINUSE);
  EXPECT_FALSE(log[2].injected);
  EXPECT_EQ(log[3].call.code, static_cast<DWORD>(SIO_ASSOCIATE_PORT_RESERVATION));
  EXPECT_TRUE(log[3].arguments_read);
  EXPECT_EQ(log[3].token, acquired.token());
  EXPECT_EQ(log[4].call.api, Api::kBind);
  EXPECT_EQ(log[4].bound_port, 50000);
  EXPECT_EQ(log[5].call.code, static_cast<DWORD>(SIO_RELEASE_PORT_RESERVATION));
  EXPECT_TRUE(log[5].arguments_read);
  EXPECT_EQ(log[5].token, acquired.token());
  EXPECT_EQ(log[6].call.api, Api::kCloseSocket);
}

TEST_F(Introspection, CallLog_WildcardAcquire_RecordsFirstPort0AsRead) {
  const SOCKET s = OpenTcp(api());
  ASSERT_EQ(Acquire(api(), s, 0, 3).error, 0);
  const CallRecord record = api().CallLog().back();
  EXPECT_TRUE(record.arguments_read);
  EXPECT_EQ(record.first_port, 0);
  EXPECT_EQ(record.port_count, 3);
  EXPECT_THAT(Describe(record), ::testing::HasSubstr("SIO_ACQUIRE_PORT_RESERVATION, any 3 ports)"));
}

TEST_F(Introspection, CallLog_ReleaseOfToken0_RecordsTheTokenAsRead) {
  const SOCKET s = OpenTcp(api());
  ASSERT_EQ(Release(api(), s, 0), WSAEINVAL);
  const CallRecord record = api().CallLog().back();
  EXPECT_TRUE(record.arguments_read);
  EXPECT_EQ(record.token, 0u);
  EXPECT_THAT(Describe(record),
              ::testing::HasSubstr(
                  "SIO_RELEASE_PORT_RESERVATION, INVALID_PORT_RESERVATION_TOKEN) -> SOCKET_ERROR"));
}

// A null or short input buffer leaves the record's arguments at 0; arguments_read says they
// were never read, and the printer says so instead of showing a wildcard or token 0.
class CallLogOfUnreadInput : public Introspection {
 protected:
  // The record of a WSAIoctl(code) with input `in` of `in_size` bytes on a fresh TCP socket.
  CallRecord RecordOf(DWORD code, void* in, DWORD in_size) {
    const SOCKET s = OpenTcp(api());
    INET_PORT_RESERVATION_INSTANCE out{};
    const DWORD out_size = code == SIO_ACQUIRE_PORT_RESERVATION ? sizeof out : 0;
    DWORD bytes = 0;
    EXPECT_EQ(api().WSAIoctl(s, code, in, in_size, &out, out_size, &bytes, nullptr, nullptr),
              SOCKET_ERROR);
    return api().CallLog().back();
  }
};

TEST_F(CallLogOfUnreadInput, AcquireWithNullInput_IsRecordedAndPrintedAsNotRead) {
  const CallRecord record =
      RecordOf(SIO_ACQUIRE_PORT_RESERVATION, nullptr, sizeof(INET_PORT_RANGE));
  EXPECT_EQ(record.error, WSAEFAULT);
  EXPECT_FALSE(record.arguments_read);
  EXPECT_EQ(record.first_port, 0);
  EXPECT_EQ(record.port_count, 0);
  EXPECT_THAT(Describe(record),
              ::testing::HasSubstr("SIO_ACQUIRE_PORT_RESERVATION, range not read) -> "));
}

TEST_F(CallLogOfUnreadInput, AcquireWithShortInput_IsRecordedAndPrintedAsNotRead) {
  INET_PORT_RANGE range{htons(5000), 20};
  const CallRecord record = RecordOf(SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range - 1);
  EXPECT_EQ(record.error, WSAEINVAL);
  EXPECT_FALSE(record.arguments_read);
  EXPECT_EQ(record.first_port, 0);
  EXPECT_THAT(Describe(record),
              ::testing::HasSubstr("SIO_ACQUIRE_PORT_RESERVATION, range not read) -> "));
}

TEST_F(CallLogOfUnreadInput, ReleaseWithNullInput_IsRecordedAndPrintedAsNotRead) {
  const CallRecord record =
      RecordOf(SIO_RELEASE_PORT_RESERVATION, nullptr, sizeof(INET_PORT_RESERVATION_TOKEN));
  EXPECT_EQ(record.error, WSAEFAULT);
  EXPECT_FALSE(record.arguments_read);
  EXPECT_EQ(record.token, 0u);
  EXPECT_THAT(Describe(record),
              ::testing::HasSubstr("SIO_RELEASE_PORT_RESERVATION, token not read) -> "));
}

TEST_F(CallLogOfUnreadInput, AssociateWithShortInput_IsRecordedAndPrintedAsNotRead) {
  INET_PORT_RESERVATION_TOKEN token{0x2a};
  const CallRecord record = RecordOf(SIO_ASSOCIATE_PORT_RESERVATION, &token, sizeof token - 1);
  EXPECT_EQ(record.error, WSAEINVAL);
  EXPECT_FALSE(record.arguments_read);
  EXPECT_EQ(record.token, 0u);
  EXPECT_THAT(Describe(record),
              ::testing::HasSubstr("SIO_ASSOCIATE_PORT_RESERVATION, token not read) -> "));
}

TEST_F(Introspection, CallLog_CallsWithoutReservationArguments_AreNotMarkedRead) {
  const SOCKET s = OpenTcp(api());
  ASSERT_EQ(Bind(api(), s, 0), 0);
  for (const CallRecord& record : api().CallLog()) EXPECT_FALSE(record.arguments_read);
}

TEST_F(Introspection, CallLog_MarksOverlappedCalls) {
  const SOCKET s = OpenTcp(api());
  WSAOVERLAPPED overlapped{};
  ASSERT_EQ(Acquire(api(), s, 0, 1, &overlapped).error, 0);
  DWORD bytes = 0;
  DWORD flags = 0;
  ASSERT_EQ(api().WSAGetOverlappedResult(s, &overlapped, &bytes, FALSE, &flags), TRUE);
  const std::vector<CallRecord> log = api().CallLog();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_TRUE(log[1].call.overlapped);
  EXPECT_EQ(log[2].call.api, Api::kWSAGetOverlappedResult);
  EXPECT_EQ(log[2].result, TRUE);
}

TEST(CallLogCapacity, KeepsOnlyTheMostRecentCallsOldestFirst) {
  FakeHostOptions options;
  options.call_log_capacity = 3;
  FakeSocketIoctl api(options);
  for (int i = 0; i < 5; ++i) OpenTcp(api);
  const std::vector<CallRecord> log = api.CallLog();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].call.index, 2u);
  EXPECT_EQ(log[1].call.index, 3u);
  EXPECT_EQ(log[2].call.index, 4u);
  EXPECT_EQ(api.CallCount(), 5u);
}

TEST(CallLogCapacity, ZeroKeepsNothingButCountsCalls) {
  FakeHostOptions options;
  options.call_log_capacity = 0;
  FakeSocketIoctl api(options);
  OpenTcp(api);
  EXPECT_TRUE(api.CallLog().empty());
  EXPECT_EQ(api.CallCount(), 1u);
}

TEST(ApiNames, AreTheWinsockNames) {
  EXPECT_EQ(ApiName(Api::kSocket), "socket");
  EXPECT_EQ(ApiName(Api::kCloseSocket), "closesocket");
  EXPECT_EQ(ApiName(Api::kBind), "bind");
  EXPECT_EQ(ApiName(Api::kGetSockName), "getsockname");
  EXPECT_EQ(ApiName(Api::kWSAIoctl), "WSAIoctl");
  EXPECT_EQ(ApiName(Api::kWSAGetOverlappedResult), "WSAGetOverlappedResult");
  EXPECT_EQ(ProtocolName(Protocol::kTcp), "TCP");
  EXPECT_EQ(ProtocolName(Protocol::kUdp), "UDP");
}

TEST(InfoEquality, SnapshotsCompareFieldByField) {
  FakeSocketIoctl fake;
  const SOCKET s = OpenTcp(fake);
  ASSERT_EQ(Acquire(fake, s, 5000, 20).error, 0);
  EXPECT_EQ(fake.Reservations(), fake.host().Reservations());
  EXPECT_EQ(fake.Sockets(), fake.host().Sockets());
  ReservationInfo changed = fake.Reservations().at(0);
  changed.owner_pid += 4;
  EXPECT_NE(changed, fake.Reservations().at(0));
  SocketInfo other = fake.Sockets().at(0);
  other.associated_token = 42;
  EXPECT_NE(other, fake.Sockets().at(0));
}

}  // namespace
}  // namespace portres::testing_fake
