// Degraded platforms as host options: the reservation IOCTLs unsupported (as under Wine), the
// iphlpapi functions absent; and seeded, scattered wildcard placement.
#include <gtest/gtest.h>

#include <cstddef>
#include <set>
#include <vector>

#include "fake_test.h"

namespace portres::testing_fake {
namespace {

FakeHostOptions WithoutReservationIoctls() {
  FakeHostOptions options;
  options.reservation_ioctls_unsupported = true;
  return options;
}

class NoReservationIoctls : public FakeTest {
 protected:
  NoReservationIoctls() : FakeTest(WithoutReservationIoctls()) {}
};

TEST_F(NoReservationIoctls, SynchronousCalls_FailWithWsaeopnotsupp_AndNoBytes) {
  const SOCKET s = OpenTcp(api());
  const Acquired acquired = Acquire(api(), s, 0, 10);
  EXPECT_EQ(acquired.error, WSAEOPNOTSUPP);
  EXPECT_EQ(acquired.bytes_returned, 0U);
  EXPECT_EQ(Acquire(api(), s, 5000, 10).error, WSAEOPNOTSUPP);
  EXPECT_EQ(Release(api(), s, 42), WSAEOPNOTSUPP);
  EXPECT_EQ(Associate(api(), s, 42), WSAEOPNOTSUPP);
  EXPECT_EQ(host().ReservationCount(), 0U);
}

TEST_F(NoReservationIoctls, OverlappedCalls_PendThenFailWithWsaeopnotsupp) {
  const SOCKET s = OpenTcp(api());
  WSAOVERLAPPED overlapped{};
  overlapped.hEvent = api().WSACreateEvent();
  EXPECT_EQ(Acquire(api(), s, 0, 10, &overlapped).error, WSA_IO_PENDING);
  EXPECT_TRUE(api().IsEventSignaled(overlapped.hEvent));  // completed at once
  EXPECT_TRUE(api().PendingCalls().empty());
  DWORD bytes = 99;
  DWORD flags = 0;
  EXPECT_EQ(api().WSAGetOverlappedResult(s, &overlapped, &bytes, FALSE, &flags), FALSE);
  EXPECT_EQ(api().WSAGetLastError(), WSAEOPNOTSUPP);
  EXPECT_EQ(bytes, 0U);
  EXPECT_EQ(host().ReservationCount(), 0U);
}

DWORD routine_error = 0;
void CALLBACK Routine(DWORD error, DWORD, LPWSAOVERLAPPED, DWORD) { routine_error = error; }

TEST_F(NoReservationIoctls, OverlappedCalls_RunTheirRoutineWithTheError) {
  const SOCKET s = OpenTcp(api());
  WSAOVERLAPPED overlapped{};
  routine_error = 0;
  EXPECT_EQ(Acquire(api(), s, 0, 10, &overlapped, Routine).error, WSA_IO_PENDING);
  EXPECT_EQ(routine_error, static_cast<DWORD>(WSAEOPNOTSUPP));
}

TEST_F(NoReservationIoctls, EverythingElse_StillWorks) {
  const SOCKET s = OpenTcp(api());
  EXPECT_EQ(Bind(api(), s, 5000), 0);
  EXPECT_EQ(LocalPort(api(), s), 5000);
  ULONG64 token = 0;
  EXPECT_EQ(ip_helper().CreatePersistentTcpPortReservation(htons(6000), 10, &token),
            static_cast<ULONG>(NO_ERROR));
}

FakeHostOptions WithoutIphlpapi() {
  FakeHostOptions options;
  options.iphlpapi_absent = true;
  return options;
}

class NoIphlpapi : public FakeTest {
 protected:
  NoIphlpapi() : FakeTest(WithoutIphlpapi()) {}
};

TEST_F(NoIphlpapi, EveryPersistentFunction_AnswersErrorNotSupported) {
  ULONG64 token = 0;
  const ULONG not_supported = ERROR_NOT_SUPPORTED;
  EXPECT_EQ(ip_helper().CreatePersistentTcpPortReservation(htons(6000), 10, &token), not_supported);
  EXPECT_EQ(ip_helper().CreatePersistentUdpPortReservation(htons(6000), 10, &token), not_supported);
  EXPECT_EQ(ip_helper().LookupPersistentTcpPortReservation(htons(6000), 10, &token), not_supported);
  EXPECT_EQ(ip_helper().LookupPersistentUdpPortReservation(htons(6000), 10, &token), not_supported);
  EXPECT_EQ(ip_helper().DeletePersistentTcpPortReservation(htons(6000), 10), not_supported);
  EXPECT_EQ(ip_helper().DeletePersistentUdpPortReservation(htons(6000), 10), not_supported);
  EXPECT_EQ(host().ReservationCount(), 0U);
  // Winsock's reservations are untouched.
  EXPECT_EQ(Acquire(api(), OpenTcp(api()), 0, 10).error, 0);
}

// ---- Scattered wildcard placement ------------------------------------------------------------
std::vector<int> WildcardStarts(std::uint64_t seed, bool scatter, int count) {
  FakeHostOptions options;
  options.seed = seed;
  options.scatter_wildcard_acquires = scatter;
  auto host = std::make_shared<FakeHost>(options);
  FakeSocketIoctl api(host);
  const SOCKET s = OpenTcp(api);
  std::vector<int> starts;
  starts.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) starts.push_back(Acquire(api, s, 0, 10).first_port());
  return starts;
}

TEST(ScatteredWildcards, Default_StaysTheLowestBestFit) {
  EXPECT_EQ(WildcardStarts(1, false, 3), (std::vector<int>{49152, 49162, 49172}));
}

TEST(ScatteredWildcards, On_GrantsSeededScatteredBlocksInTheRange) {
  const std::vector<int> starts = WildcardStarts(1, true, 20);
  EXPECT_EQ(starts, WildcardStarts(1, true, 20));
  EXPECT_NE(starts, WildcardStarts(2, true, 20));
  std::set<int> distinct(starts.begin(), starts.end());
  EXPECT_EQ(distinct.size(), starts.size());
  EXPECT_NE(starts[0], 49152);
  int contiguous = 0;
  for (std::size_t i = 1; i < starts.size(); ++i) contiguous += starts[i] == starts[i - 1] + 10;
  EXPECT_LT(contiguous, 3);
  for (const int start : starts) {
    EXPECT_GE(start, 49152);
    EXPECT_LE(start + 9, 65535);
  }
}

TEST(ScatteredWildcards, On_StillFillsACrowdedRange) {
  FakeHostOptions options;
  options.scatter_wildcard_acquires = true;
  options.dynamic_first_port = 60000;
  options.dynamic_last_port = 60099;
  auto host = std::make_shared<FakeHost>(options);
  FakeSocketIoctl api(host);
  const SOCKET s = OpenTcp(api);
  int granted = 0;
  while (Acquire(api, s, 0, 1).error == 0) ++granted;
  EXPECT_EQ(granted, 100);
  EXPECT_EQ(Acquire(api, s, 0, 1).error, WSAENOBUFS);
}

}  // namespace
}  // namespace portres::testing_fake
