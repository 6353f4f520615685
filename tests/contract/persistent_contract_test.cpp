// Persistent reservations through iphlpapi [ref:iphlpapi-create] [ref:iphlpapi-delete]
// [ref:iphlpapi-lookup], their use from sockets [ref:associate], and how they meet runtime
// reservations and bind(). Each test deletes what it creates, so a run on a real host leaves it as
// it was.
#include "contract_test.h"

namespace portres::contract {
namespace {

ULONG Create(IIpHelper& helper, Transport transport, std::uint16_t first, std::uint16_t count,
             ULONG64* token) {
  return transport == Transport::kTcp
             ? helper.CreatePersistentTcpPortReservation(htons(first), count, token)
             : helper.CreatePersistentUdpPortReservation(htons(first), count, token);
}
ULONG Delete(IIpHelper& helper, Transport transport, std::uint16_t first, std::uint16_t count) {
  return transport == Transport::kTcp
             ? helper.DeletePersistentTcpPortReservation(htons(first), count)
             : helper.DeletePersistentUdpPortReservation(htons(first), count);
}
ULONG Lookup(IIpHelper& helper, Transport transport, std::uint16_t first, std::uint16_t count,
             ULONG64* token) {
  return transport == Transport::kTcp
             ? helper.LookupPersistentTcpPortReservation(htons(first), count, token)
             : helper.LookupPersistentUdpPortReservation(htons(first), count, token);
}

constexpr Win32Code kNoError = Win32(NO_ERROR);
constexpr Transport kBoth[] = {Transport::kTcp, Transport::kUdp};
const char* Name(Transport transport) { return transport == Transport::kTcp ? "TCP" : "UDP"; }

TEST_P(PersistentContract, Create_ThenLookup_ReturnsTheSameToken) {
  IIpHelper& helper = *backend().IpHelper();
  for (const Transport transport : kBoth) {
    SCOPED_TRACE(Name(transport));
    const std::uint16_t first = FreeBlock(4, transport);
    ULONG64 created = 0;
    ASSERT_EQ(Win32(Create(helper, transport, first, 4, &created)), kNoError);
    PersistentBlockGuard guard(helper, transport, first, 4);
    EXPECT_NE(created, INVALID_PORT_RESERVATION_TOKEN);
    ULONG64 looked_up = 0;
    EXPECT_EQ(Win32(Lookup(helper, transport, first, 4, &looked_up)), kNoError);
    EXPECT_EQ(looked_up, created);
  }
}

TEST_P(PersistentContract, Delete_ThenLookup_FailsWithErrorNotFound) {
  IIpHelper& helper = *backend().IpHelper();
  for (const Transport transport : kBoth) {
    SCOPED_TRACE(Name(transport));
    const std::uint16_t first = FreeBlock(2, transport);
    ULONG64 token = 0;
    ASSERT_EQ(Win32(Create(helper, transport, first, 2, &token)), kNoError);
    EXPECT_EQ(Win32(Delete(helper, transport, first, 2)), kNoError);
    EXPECT_EQ(Win32(Lookup(helper, transport, first, 2, &token)), Win32(ERROR_NOT_FOUND));
    EXPECT_EQ(Win32(Delete(helper, transport, first, 2)), Win32(ERROR_NOT_FOUND));
  }
}

TEST_P(PersistentContract, Create_WithZeroStartPortOrZeroCount_FailsWithErrorInvalidParameter) {
  // [ref:iphlpapi-create]: StartPort == 0 or NumberOfPorts == 0.
  IIpHelper& helper = *backend().IpHelper();
  for (const Transport transport : kBoth) {
    SCOPED_TRACE(Name(transport));
    ULONG64 token = 0;
    EXPECT_EQ(Win32(Create(helper, transport, 0, 4, &token)), Win32(ERROR_INVALID_PARAMETER));
    EXPECT_EQ(Win32(Create(helper, transport, 50000, 0, &token)), Win32(ERROR_INVALID_PARAMETER));
  }
}

TEST_P(PersistentContract, Create_BlockPastPort65535_FailsWithErrorInvalidParameter) {
  // [ref:iphlpapi-create]: the block would go past the highest allocatable port.
  IIpHelper& helper = *backend().IpHelper();
  for (const Transport transport : kBoth) {
    SCOPED_TRACE(Name(transport));
    ULONG64 token = 0;
    EXPECT_EQ(Win32(Create(helper, transport, 65530, 10, &token)), Win32(ERROR_INVALID_PARAMETER));
  }
}

TEST_P(PersistentContract, DeleteAndLookup_WithZeroStartPortOrZeroCount_FailWithInvalidParameter) {
  // [ref:iphlpapi-delete] [ref:iphlpapi-lookup]: either value 0.
  IIpHelper& helper = *backend().IpHelper();
  for (const Transport transport : kBoth) {
    SCOPED_TRACE(Name(transport));
    ULONG64 token = 0;
    EXPECT_EQ(Win32(Delete(helper, transport, 0, 4)), Win32(ERROR_INVALID_PARAMETER));
    EXPECT_EQ(Win32(Delete(helper, transport, 50000, 0)), Win32(ERROR_INVALID_PARAMETER));
    EXPECT_EQ(Win32(Lookup(helper, transport, 0, 4, &token)), Win32(ERROR_INVALID_PARAMETER));
    EXPECT_EQ(Win32(Lookup(helper, transport, 50000, 0, &token)), Win32(ERROR_INVALID_PARAMETER));
  }
}

TEST_P(PersistentContract, DeleteAndLookup_OfASubRange_FailWithErrorNotFound) {
  // [ref:iphlpapi-lookup]: StartPort and NumberOfPorts must match creation; [ref:open-13].
  IIpHelper& helper = *backend().IpHelper();
  const std::uint16_t first = FreeBlock(4);
  ULONG64 token = 0;
  ASSERT_EQ(Win32(Create(helper, Transport::kTcp, first, 4, &token)), kNoError);
  PersistentBlockGuard guard(helper, Transport::kTcp, first, 4);
  EXPECT_EQ(Win32(Lookup(helper, Transport::kTcp, first, 3, &token)), Win32(ERROR_NOT_FOUND));
  EXPECT_EQ(Win32(Lookup(helper, Transport::kTcp, first + 1, 3, &token)), Win32(ERROR_NOT_FOUND));
  EXPECT_EQ(Win32(Delete(helper, Transport::kTcp, first, 3)), Win32(ERROR_NOT_FOUND));
  EXPECT_EQ(Win32(Lookup(helper, Transport::kUdp, first, 4, &token)), Win32(ERROR_NOT_FOUND))
      << "a TCP block is not a UDP block";
}

TEST_P(PersistentContract, Create_OverlappingPersistentBlock_FailsWithErrorSharingViolation) {
  // [ref:iphlpapi-create]: equals or overlaps a persistent reservation of the same protocol.
  IIpHelper& helper = *backend().IpHelper();
  const std::uint16_t first = FreeBlock(8);
  ULONG64 token = 0;
  ASSERT_EQ(Win32(Create(helper, Transport::kTcp, first + 2, 4, &token)), kNoError);
  PersistentBlockGuard guard(helper, Transport::kTcp, first + 2, 4);
  EXPECT_EQ(Win32(Create(helper, Transport::kTcp, first + 2, 4, &token)),
            Win32(ERROR_SHARING_VIOLATION));
  EXPECT_EQ(Win32(Create(helper, Transport::kTcp, first, 3, &token)),
            Win32(ERROR_SHARING_VIOLATION));
  EXPECT_EQ(Win32(Create(helper, Transport::kTcp, first + 5, 3, &token)),
            Win32(ERROR_SHARING_VIOLATION));
}

TEST_P(PersistentContract, Create_TcpAndUdpBlocksOnTheSamePorts_BothSucceed) {
  // [ref:iphlpapi-create]: the overlap rule is per protocol.
  IIpHelper& helper = *backend().IpHelper();
  const std::uint16_t first = FreeBlock(4);
  ULONG64 tcp_token = 0;
  ULONG64 udp_token = 0;
  ASSERT_EQ(Win32(Create(helper, Transport::kTcp, first, 4, &tcp_token)), kNoError);
  PersistentBlockGuard tcp_guard(helper, Transport::kTcp, first, 4);
  ASSERT_EQ(Win32(Create(helper, Transport::kUdp, first, 4, &udp_token)), kNoError);
  PersistentBlockGuard udp_guard(helper, Transport::kUdp, first, 4);
  EXPECT_NE(tcp_token, udp_token);
}

TEST_P(PersistentContract, Create_OverPortBoundBySocket_FailsWithErrorSharingViolation) {
  // [ref:iphlpapi-create]: a port in the block is already in use.
  IIpHelper& helper = *backend().IpHelper();
  const std::uint16_t first = FreeBlock(4);
  TestSocket bound = Tcp();
  ASSERT_EQ(Bind(bound.handle(), first + 2), kWsaSuccess);
  ULONG64 token = 0;
  const ULONG result = Create(helper, Transport::kTcp, first, 4, &token);
  if (result == NO_ERROR) Delete(helper, Transport::kTcp, first, 4);
  EXPECT_EQ(Win32(result), Win32(ERROR_SHARING_VIOLATION));
}

TEST_P(PersistentContract, Create_OverLiveRuntimeBlock_FailsWithErrorSharingViolation_Observed) {
  // [ref:field-answers] MicrosoftDocs/sql-docs#8145: Create over WinNAT's runtime blocks fails
  // with ERROR_SHARING_VIOLATION ([ref:open-14] in the docs).
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  IIpHelper& helper = *backend().IpHelper();
  const std::uint16_t first = FreeBlock(4);
  TestSocket holder = Tcp();
  ASSERT_EQ(Acquire(holder.handle(), first, 4).error, kWsaSuccess);
  ULONG64 token = 0;
  const ULONG result = Create(helper, Transport::kTcp, first + 1, 2, &token);
  if (result == NO_ERROR) Delete(helper, Transport::kTcp, first + 1, 2);
  EXPECT_EQ(Win32(result), Win32(ERROR_SHARING_VIOLATION));
}

TEST_P(PersistentContract, Acquire_OverPersistentBlock_FailsWithWsaeaddrinuse_Observed) {
  // [ref:observed] (microsoft/msquic#2891: acquire inside an administered exclusion gives 10048).
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  IIpHelper& helper = *backend().IpHelper();
  const std::uint16_t first = FreeBlock(4);
  ULONG64 token = 0;
  ASSERT_EQ(Win32(Create(helper, Transport::kTcp, first, 4, &token)), kNoError);
  PersistentBlockGuard guard(helper, Transport::kTcp, first, 4);
  TestSocket s = Tcp();
  EXPECT_EQ(Acquire(s.handle(), first + 3, 2).error, Wsa(WSAEADDRINUSE));
}

TEST_P(PersistentContract, Release_OfPersistentToken_FailsWithWsaeinval_Assumed) {
  // [ref:release]: persistent blocks go with Delete*, not this IOCTL; [ref:open-5]
  // (AssumedErrors::unknown_token).
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  IIpHelper& helper = *backend().IpHelper();
  const std::uint16_t first = FreeBlock(2);
  ULONG64 token = 0;
  ASSERT_EQ(Win32(Create(helper, Transport::kTcp, first, 2, &token)), kNoError);
  PersistentBlockGuard guard(helper, Transport::kTcp, first, 2);
  TestSocket s = Tcp();
  EXPECT_EQ(Release(s.handle(), token), Wsa(WSAEINVAL));
  ULONG64 still = 0;
  EXPECT_EQ(Win32(Lookup(helper, Transport::kTcp, first, 2, &still)), kNoError);
}

TEST_P(PersistentContract, Associate_PersistentToken_ThenBindPortZero_TakesPortFromBlock) {
  // [ref:iphlpapi-create] sample: socket, associate, bind(port 0), getsockname.
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  IIpHelper& helper = *backend().IpHelper();
  const std::uint16_t first = FreeBlock(4, Transport::kUdp);
  ULONG64 token = 0;
  ASSERT_EQ(Win32(Create(helper, Transport::kUdp, first, 4, &token)), kNoError);
  PersistentBlockGuard guard(helper, Transport::kUdp, first, 4);
  TestSocket s = Udp();
  ASSERT_EQ(Associate(s.handle(), token), kWsaSuccess);
  ASSERT_EQ(Bind(s.handle(), 0), kWsaSuccess);
  const std::uint16_t port = LocalPort(s.handle());
  EXPECT_GE(port, first);
  EXPECT_LT(port, first + 4);
}

TEST_P(PersistentContract, Associate_PersistentToken_FromAnotherElevatedProcess_Succeeds) {
  // [ref:iphlpapi-create]: anyone able to get persistent reservations can use anyone else's.
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  PORTRES_SKIP_UNLESS(backend(), Feature::kSecondProcess);
  IIpHelper& helper = *backend().IpHelper();
  auto other = backend().OtherProcess();
  const std::uint16_t first = FreeBlock(2);
  ULONG64 token = 0;
  ASSERT_EQ(Win32(Create(helper, Transport::kTcp, first, 2, &token)), kNoError);
  PersistentBlockGuard guard(helper, Transport::kTcp, first, 2);
  TestSocket theirs = Tcp(*other);
  ASSERT_EQ(Associate(*other, theirs.handle(), token), kWsaSuccess);
  ASSERT_EQ(Bind(*other, theirs.handle(), 0), kWsaSuccess);
  const std::uint16_t port = LocalPort(*other, theirs.handle());
  EXPECT_GE(port, first);
  EXPECT_LT(port, first + 2);
}

TEST_P(PersistentContract, Associate_PersistentToken_Unelevated_FailsWithWsaeacces) {
  // [ref:associate]: WSAEACCES for a persistent reservation without admin and elevation.
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  PORTRES_SKIP_UNLESS(backend(), Feature::kUnelevatedProcess);
  IIpHelper& helper = *backend().IpHelper();
  auto unelevated = backend().UnelevatedProcess();
  const std::uint16_t first = FreeBlock(2);
  ULONG64 token = 0;
  ASSERT_EQ(Win32(Create(helper, Transport::kTcp, first, 2, &token)), kNoError);
  PersistentBlockGuard guard(helper, Transport::kTcp, first, 2);
  TestSocket s = Tcp(*unelevated);
  EXPECT_EQ(Associate(*unelevated, s.handle(), token), Wsa(WSAEACCES));
}

TEST_P(PersistentContract, Bind_ExplicitPortInsidePersistentBlock_Succeeds_Observed) {
  // [ref:observed]: a persistent block keeps only the system's own picks out
  // (docker/for-win #3171 workaround; microsoft/msquic#2891 "plain bind works").
  IIpHelper& helper = *backend().IpHelper();
  const std::uint16_t first = FreeBlock(2);
  ULONG64 token = 0;
  ASSERT_EQ(Win32(Create(helper, Transport::kTcp, first, 2, &token)), kNoError);
  PersistentBlockGuard guard(helper, Transport::kTcp, first, 2);
  TestSocket s = Tcp();
  ASSERT_EQ(Bind(s.handle(), first + 1), kWsaSuccess);
  EXPECT_EQ(LocalPort(s.handle()), first + 1);
}

TEST_P(PersistentContract, Bind_PortZero_NeverHandsOutPersistentlyReservedPort_Observed) {
  // [ref:observed]: ephemeral binds stay out of persistent blocks.
  IIpHelper& helper = *backend().IpHelper();
  const std::uint16_t first = FreeBlock(32);
  ULONG64 token = 0;
  ASSERT_EQ(Win32(Create(helper, Transport::kTcp, first, 32, &token)), kNoError);
  PersistentBlockGuard guard(helper, Transport::kTcp, first, 32);
  for (int i = 0; i < 8; ++i) {
    TestSocket s = Tcp();
    ASSERT_EQ(Bind(s.handle(), 0), kWsaSuccess);
    const std::uint16_t port = LocalPort(s.handle());
    EXPECT_FALSE(port >= first && port < first + 32) << "bind(0) handed out " << port;
  }
}

TEST_P(PersistentContract, CreateAndDelete_Unelevated_FailWithErrorAccessDenied) {
  // [ref:iphlpapi-create] [ref:iphlpapi-delete]: caller is not an admin or not elevated.
  PORTRES_SKIP_UNLESS(backend(), Feature::kUnelevatedProcess);
  IIpHelper& helper = *backend().IpHelper();
  auto unelevated = backend().UnelevatedIpHelper();
  ASSERT_NE(unelevated, nullptr);
  const std::uint16_t first = FreeBlock(2);
  ULONG64 token = 0;
  for (const Transport transport : kBoth) {
    SCOPED_TRACE(Name(transport));
    const ULONG created = Create(*unelevated, transport, first, 2, &token);
    if (created == NO_ERROR) Delete(helper, transport, first, 2);
    EXPECT_EQ(Win32(created), Win32(ERROR_ACCESS_DENIED));
  }
  ASSERT_EQ(Win32(Create(helper, Transport::kTcp, first, 2, &token)), kNoError);
  PersistentBlockGuard guard(helper, Transport::kTcp, first, 2);
  EXPECT_EQ(Win32(Delete(*unelevated, Transport::kTcp, first, 2)), Win32(ERROR_ACCESS_DENIED));
  EXPECT_EQ(Win32(Lookup(helper, Transport::kTcp, first, 2, &token)), kNoError)
      << "the refused delete removed the block";
}

TEST_P(PersistentContract, Lookup_Unelevated_Succeeds_Observed) {
  // [ref:field-answers] microsoft/msquic#5798: Lookup needs no elevation ([ref:iphlpapi-lookup]
  // states none).
  PORTRES_SKIP_UNLESS(backend(), Feature::kUnelevatedProcess);
  IIpHelper& helper = *backend().IpHelper();
  auto unelevated = backend().UnelevatedIpHelper();
  ASSERT_NE(unelevated, nullptr);
  const std::uint16_t first = FreeBlock(2);
  ULONG64 created = 0;
  ASSERT_EQ(Win32(Create(helper, Transport::kTcp, first, 2, &created)), kNoError);
  PersistentBlockGuard guard(helper, Transport::kTcp, first, 2);
  ULONG64 looked_up = 0;
  EXPECT_EQ(Win32(Lookup(*unelevated, Transport::kTcp, first, 2, &looked_up)), kNoError);
  EXPECT_EQ(looked_up, created);
}

TEST_P(PersistentContract, Reboot_KeepsPersistentBlocksWithNewTokens) {
  // [ref:iphlpapi-create] [ref:associate]: persistent reservations survive restarts; the token may
  // change at each one (the fake always changes it:
  // FakeHostOptions::persistent_tokens_change_on_reboot).
  PORTRES_SKIP_UNLESS(backend(), Feature::kReboot);
  IIpHelper& helper = *backend().IpHelper();
  const std::uint16_t first = FreeBlock(2);
  ULONG64 before = 0;
  ASSERT_EQ(Win32(Create(helper, Transport::kTcp, first, 2, &before)), kNoError);
  PersistentBlockGuard guard(helper, Transport::kTcp, first, 2);
  backend().Reboot();
  ULONG64 after = 0;
  ASSERT_EQ(Win32(Lookup(helper, Transport::kTcp, first, 2, &after)), kNoError);
  EXPECT_NE(after, before);
  EXPECT_NE(after, INVALID_PORT_RESERVATION_TOKEN);
  TestSocket s = Tcp();
  EXPECT_NE(Associate(s.handle(), before), kWsaSuccess) << "the old token still works";
  TestSocket t = Tcp();
  EXPECT_EQ(Associate(t.handle(), after), kWsaSuccess);
}

}  // namespace
}  // namespace portres::contract
