// FakeHostOptions: the choices the documentation leaves open, each changeable by a test.
#include <ostream>
#include <string>

#include "fake_test.h"

namespace portres::testing_fake {
namespace {

FakeHostOptions DynamicRange(std::uint16_t first, std::uint16_t last) {
  FakeHostOptions options;
  options.dynamic_first_port = first;
  options.dynamic_last_port = last;
  return options;
}

TEST(DynamicRange, Default_IsTheWindowsRange) {
  const FakeHostOptions options;
  EXPECT_EQ(options.dynamic_first_port, 49152);
  EXPECT_EQ(options.dynamic_last_port, 65535);
}

TEST(DynamicRange, WildcardAcquire_DrawsFromTheConfiguredRange) {
  FakeSocketIoctl api(DynamicRange(10000, 10099));
  const Acquired acquired = Acquire(api, OpenTcp(api), 0, 10);
  ASSERT_EQ(acquired.error, 0);
  EXPECT_GE(acquired.first_port(), 10000);
  EXPECT_LE(acquired.first_port() + 9, 10099);
}

TEST(DynamicRange, EphemeralBind_DrawsFromTheConfiguredRange) {
  FakeSocketIoctl api(DynamicRange(10000, 10099));
  const SOCKET s = OpenTcp(api);
  ASSERT_EQ(Bind(api, s, 0), 0);
  EXPECT_EQ(LocalPort(api, s), 10000);
}

TEST(DynamicRange, WildcardLargerThanAnyFreeRun_FailsWithWsaenobufs_Assumed) {
  // [ref:open-4] (AssumedErrors::acquire_no_room).
  FakeSocketIoctl api(DynamicRange(10000, 10009));
  EXPECT_EQ(Acquire(api, OpenTcp(api), 0, 11).error, WSAENOBUFS);
  EXPECT_EQ(Acquire(api, OpenTcp(api), 0, 10).error, 0);
  EXPECT_EQ(Acquire(api, OpenTcp(api), 0, 1).error, WSAENOBUFS);
}

TEST(DynamicRange, EphemeralBindWithEveryPortTaken_FailsWithWsaenobufs) {
  // [ref:bind] WSAENOBUFS: not enough ephemeral ports.
  FakeSocketIoctl api(DynamicRange(10000, 10001));
  ASSERT_EQ(Bind(api, OpenTcp(api), 0), 0);
  ASSERT_EQ(Bind(api, OpenTcp(api), 0), 0);
  EXPECT_EQ(Bind(api, OpenTcp(api), 0), WSAENOBUFS);
}

TEST(DynamicRange, SpecificAcquireOutsideTheRange_Succeeds) {
  FakeSocketIoctl api(DynamicRange(10000, 10099));
  EXPECT_EQ(Acquire(api, OpenTcp(api), 2000, 5).error, 0);
}

// Runtime reservations across protocols ([ref:observed]: reports disagree).
FakeHostOptions SpanProtocols(bool span) {
  FakeHostOptions options;
  options.runtime_reservations_span_protocols = span;
  return options;
}

TEST(SpanProtocols, Default_IsOff_Assumed) {
  // [ref:observed]: exclusions are per protocol; no source shows runtime blocks spanning.
  EXPECT_FALSE(FakeHostOptions().runtime_reservations_span_protocols);
}

TEST(SpanProtocols, Default_AcquireOfTheSamePortsInTheOtherProtocolSucceeds_Assumed) {
  FakeSocketIoctl api;
  ASSERT_EQ(Acquire(api, OpenTcp(api), 50000, 4).error, 0);
  EXPECT_EQ(Acquire(api, OpenUdp(api), 50000, 4).error, 0);
}

TEST(SpanProtocols, On_AcquireOfTheSamePortsInTheOtherProtocolFails) {
  FakeSocketIoctl api(SpanProtocols(true));
  ASSERT_EQ(Acquire(api, OpenTcp(api), 50000, 4).error, 0);
  EXPECT_EQ(Acquire(api, OpenUdp(api), 50002, 1).error, WSAEADDRINUSE);
}

TEST(SpanProtocols, Off_AcquireOfTheSamePortsInTheOtherProtocolSucceeds) {
  FakeSocketIoctl api(SpanProtocols(false));
  ASSERT_EQ(Acquire(api, OpenTcp(api), 50000, 4).error, 0);
  EXPECT_EQ(Acquire(api, OpenUdp(api), 50000, 4).error, 0);
}

TEST(SpanProtocols, On_EphemeralBindOfTheOtherProtocolAvoidsTheBlock) {
  FakeSocketIoctl api(SpanProtocols(true));
  const Acquired acquired = Acquire(api, OpenTcp(api), 0, 8);
  ASSERT_EQ(acquired.error, 0);
  const SOCKET udp = OpenUdp(api);
  ASSERT_EQ(Bind(api, udp, 0), 0);
  EXPECT_GE(LocalPort(api, udp), acquired.first_port() + 8);
}

TEST(SpanProtocols, Off_EphemeralBindOfTheOtherProtocolMayUseTheBlock) {
  FakeSocketIoctl api(SpanProtocols(false));
  const Acquired acquired = Acquire(api, OpenTcp(api), 0, 8);
  ASSERT_EQ(acquired.error, 0);
  const SOCKET udp = OpenUdp(api);
  ASSERT_EQ(Bind(api, udp, 0), 0);
  EXPECT_EQ(LocalPort(api, udp), acquired.first_port());
}

TEST(SpanProtocols, On_ExplicitBindOfTheOtherProtocolIntoAForeignBlockSucceeds) {
  // With the option on, explicit binds are still refused only for the reserving protocol.
  auto host = std::make_shared<FakeHost>(SpanProtocols(true));
  FakeSocketIoctl owner(host);
  FakeSocketIoctl other(host);
  ASSERT_EQ(Acquire(owner, OpenTcp(owner), 50000, 4).error, 0);
  EXPECT_EQ(Bind(other, OpenUdp(other), 50001), 0);
  EXPECT_EQ(Bind(other, OpenTcp(other), 50001), WSAEACCES);
}

TEST(SpanProtocols, On_PersistentCreateOfTheOtherProtocolOverARuntimeBlockFails_Assumed) {
  // [ref:open-14], with the span option: the runtime block keeps both out.
  auto host = std::make_shared<FakeHost>(SpanProtocols(true));
  FakeSocketIoctl api(host);
  FakeIpHelper helper(host);
  ASSERT_EQ(Acquire(api, OpenTcp(api), 50000, 4).error, 0);
  ULONG64 token = 0;
  EXPECT_EQ(helper.CreatePersistentUdpPortReservation(htons(50000), 4, &token),
            static_cast<ULONG>(ERROR_SHARING_VIOLATION));
}

TEST(SpanProtocols, PersistentBlocks_NeverSpanProtocols) {
  // [ref:iphlpapi-create]: persistent blocks conflict only within one protocol, whatever the
  // option.
  auto host = std::make_shared<FakeHost>(SpanProtocols(true));
  FakeSocketIoctl api(host);
  FakeIpHelper helper(host);
  ULONG64 token = 0;
  ASSERT_EQ(helper.CreatePersistentTcpPortReservation(htons(50000), 4, &token),
            static_cast<ULONG>(NO_ERROR));
  EXPECT_EQ(Acquire(api, OpenUdp(api), 50000, 4).error, 0);
}

TEST(SpanProtocols, On_AcquireOverAPortBoundInTheOtherProtocolSucceeds_Assumed) {
  // The span option keeps later claims of the other protocol out of a runtime block; it does
  // not refuse a block over what the other protocol already holds (bound ports, persistent
  // blocks: PersistentBlocks_NeverSpanProtocols).
  FakeSocketIoctl api(SpanProtocols(true));
  ASSERT_EQ(Bind(api, OpenUdp(api), 50001), 0);
  EXPECT_EQ(Acquire(api, OpenTcp(api), 50000, 4).error, 0);
}

// Every AssumedErrors field is changeable: a test sets a different code and sees it.
struct AssumedCase {
  const char* name;
  int AssumedErrors::*field;
  // Provokes the situation on `api` (a fresh host, plus a second process `other`) and returns
  // the error the call left.
  // A plain function, so that the table below is a constant: built before main(), it can
  // neither allocate nor throw.
  int (*provoke)(FakeSocketIoctl& api, FakeSocketIoctl& other);
};

// GoogleTest prints a parameter in the names ctest lists; bytes of pointers would differ per run.
void PrintTo(const AssumedCase& c, std::ostream* os) { *os << c.name; }

constexpr AssumedCase kAssumedCases[] = {
    {"acquire_zero_ports", &AssumedErrors::acquire_zero_ports,
     [](FakeSocketIoctl& api, FakeSocketIoctl&) {
       return Acquire(api, OpenTcp(api), 5000, 0).error;
     }},
    {"acquire_past_last_port", &AssumedErrors::acquire_past_last_port,
     [](FakeSocketIoctl& api, FakeSocketIoctl&) {
       return Acquire(api, OpenTcp(api), 65535, 2).error;
     }},
    {"acquire_overlap", &AssumedErrors::acquire_overlap,
     [](FakeSocketIoctl& api, FakeSocketIoctl&) {
       const SOCKET s = OpenTcp(api);
       Acquire(api, s, 5000, 2);
       return Acquire(api, s, 5001, 1).error;
     }},
    {"acquire_no_room", &AssumedErrors::acquire_no_room,
     [](FakeSocketIoctl& api, FakeSocketIoctl&) {
       return Acquire(api, OpenTcp(api), 0, 65535).error;
     }},
    {"unknown_token", &AssumedErrors::unknown_token,
     [](FakeSocketIoctl& api, FakeSocketIoctl&) { return Release(api, OpenTcp(api), 42); }},
    {"associate_wrong_protocol", &AssumedErrors::associate_wrong_protocol,
     [](FakeSocketIoctl& api, FakeSocketIoctl&) {
       const Acquired acquired = Acquire(api, OpenTcp(api), 0, 1);
       return Associate(api, OpenUdp(api), acquired.token());
     }},
    {"associate_foreign_runtime", &AssumedErrors::associate_foreign_runtime,
     [](FakeSocketIoctl& api, FakeSocketIoctl& other) {
       const Acquired acquired = Acquire(api, OpenTcp(api), 0, 1);
       return Associate(other, OpenTcp(other), acquired.token());
     }},
    {"associate_after_bind", &AssumedErrors::associate_after_bind,
     [](FakeSocketIoctl& api, FakeSocketIoctl&) {
       const Acquired acquired = Acquire(api, OpenTcp(api), 0, 1);
       const SOCKET s = OpenTcp(api);
       Bind(api, s, 0);
       return Associate(api, s, acquired.token());
     }},
    {"bind_reservation_full", &AssumedErrors::bind_reservation_full,
     [](FakeSocketIoctl& api, FakeSocketIoctl&) {
       const Acquired acquired = Acquire(api, OpenTcp(api), 0, 1);
       const SOCKET a = OpenTcp(api);
       const SOCKET b = OpenTcp(api);
       Associate(api, a, acquired.token());
       Associate(api, b, acquired.token());
       Bind(api, a, 0);
       return Bind(api, b, 0);
     }},
    {"bind_reservation_gone", &AssumedErrors::bind_reservation_gone,
     [](FakeSocketIoctl& api, FakeSocketIoctl&) {
       const SOCKET holder = OpenTcp(api);
       const Acquired acquired = Acquire(api, holder, 0, 1);
       const SOCKET s = OpenTcp(api);
       Associate(api, s, acquired.token());
       api.closesocket(holder);
       return Bind(api, s, 0);
     }},
    {"bind_foreign_runtime_block", &AssumedErrors::bind_foreign_runtime_block,
     [](FakeSocketIoctl& api, FakeSocketIoctl& other) {
       Acquire(api, OpenTcp(api), 5000, 2);
       return Bind(other, OpenTcp(other), 5001);
     }},
};

class AssumedErrorCodes : public ::testing::TestWithParam<AssumedCase> {};

TEST_P(AssumedErrorCodes, Default_IsTheDocumentedAssumption) {
  auto host = std::make_shared<FakeHost>();
  FakeSocketIoctl api(host);
  FakeSocketIoctl other(host);
  EXPECT_EQ(GetParam().provoke(api, other), AssumedErrors().*GetParam().field);
}

TEST_P(AssumedErrorCodes, ChangedCode_IsWhatTheCallFailsWith) {
  FakeHostOptions options;
  constexpr int kChanged = 10999;  // no real code: it can only come from the option
  options.assumed.*GetParam().field = kChanged;
  auto host = std::make_shared<FakeHost>(options);
  FakeSocketIoctl api(host);
  FakeSocketIoctl other(host);
  EXPECT_EQ(GetParam().provoke(api, other), kChanged);
}

INSTANTIATE_TEST_SUITE_P(EveryField, AssumedErrorCodes, ::testing::ValuesIn(kAssumedCases),
                         [](const ::testing::TestParamInfo<AssumedCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(AssumedErrorDefaults, AreTheDocumentedChoices) {
  const AssumedErrors assumed;
  EXPECT_EQ(assumed.acquire_zero_ports, WSAEINVAL);
  EXPECT_EQ(assumed.acquire_past_last_port, WSAEINVAL);
  EXPECT_EQ(assumed.acquire_overlap, WSAEADDRINUSE);
  EXPECT_EQ(assumed.acquire_no_room, WSAENOBUFS);
  EXPECT_EQ(assumed.unknown_token, WSAEINVAL);
  EXPECT_EQ(assumed.associate_wrong_protocol, WSAEINVAL);
  EXPECT_EQ(assumed.associate_foreign_runtime, WSAEACCES);
  EXPECT_EQ(assumed.associate_after_bind, WSAEINVAL);
  EXPECT_EQ(assumed.bind_reservation_full, WSAENOBUFS);
  EXPECT_EQ(assumed.bind_reservation_gone, WSAEINVAL);
  EXPECT_EQ(assumed.bind_foreign_runtime_block, WSAEACCES);
}

// Tokens and reboots.
TEST(PersistentTokensOnReboot, ByDefault_Change) {
  auto host = std::make_shared<FakeHost>();
  FakeIpHelper helper(host);
  ULONG64 before = 0;
  ASSERT_EQ(helper.CreatePersistentUdpPortReservation(htons(5000), 3, &before),
            static_cast<ULONG>(NO_ERROR));
  host->Reboot();
  ULONG64 after = 0;
  ASSERT_EQ(helper.LookupPersistentUdpPortReservation(htons(5000), 3, &after),
            static_cast<ULONG>(NO_ERROR));
  EXPECT_NE(after, before);
}

TEST(PersistentTokensOnReboot, WithOptionOff_AreKept) {
  FakeHostOptions options;
  options.persistent_tokens_change_on_reboot = false;
  auto host = std::make_shared<FakeHost>(options);
  FakeIpHelper helper(host);
  FakeSocketIoctl api(host);
  ULONG64 before = 0;
  ASSERT_EQ(helper.CreatePersistentUdpPortReservation(htons(5000), 3, &before),
            static_cast<ULONG>(NO_ERROR));
  host->Reboot();
  ULONG64 after = 0;
  ASSERT_EQ(helper.LookupPersistentUdpPortReservation(htons(5000), 3, &after),
            static_cast<ULONG>(NO_ERROR));
  EXPECT_EQ(after, before);
  EXPECT_EQ(Associate(api, OpenUdp(api), before), 0);
}

// Which tokens a host with `seed` issues for the same three acquires.
std::vector<ULONG64> TokensFor(std::uint64_t seed) {
  FakeHostOptions options;
  options.seed = seed;
  FakeSocketIoctl api(options);
  const SOCKET s = OpenTcp(api);
  std::vector<ULONG64> tokens;
  tokens.reserve(3);
  for (int i = 0; i < 3; ++i) tokens.push_back(Acquire(api, s, 0, 1).token());
  return tokens;
}

TEST(Seed, SameSeed_IssuesTheSameTokens) { EXPECT_EQ(TokensFor(1), TokensFor(1)); }

TEST(Seed, DifferentSeeds_IssueDifferentTokens) { EXPECT_NE(TokensFor(1), TokensFor(2)); }

}  // namespace
}  // namespace portres::testing_fake
