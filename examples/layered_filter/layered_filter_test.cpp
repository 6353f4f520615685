// The C filter of layered_filter.c with the fake as the provider below it: ws2_32's part (the
// table handed to the filter, the thread id, lpErrno) is played by the test.
#include "layered_filter.h"

#include <portres/describe.h>
#include <portres/documented_errors.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/fault_sweep.h>
#include <portres/winsock_error.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace {

using portres::Api;
using portres::FakeSocketIoctl;
using portres::Fault;

constexpr USHORT kRefusedFirst = 5000;
constexpr USHORT kRefusedLast = 5099;

// The filter over `fake`: the table an application's calls would reach.
WSPPROC_TABLE FilterOver(FakeSocketIoctl& fake) {
  const WSPPROC_TABLE next = portres::FakeProcTable(fake);
  WSPPROC_TABLE own{};
  int error = 0;
  EXPECT_EQ(LayeredFilterStartup(&next, kRefusedFirst, kRefusedLast, &own, &error), 0);
  return own;
}

struct Answer {
  int result = 0;
  int error = 0;
  DWORD bytes = 0;
  INET_PORT_RESERVATION_INSTANCE instance{};
};

Answer AcquireThrough(const WSPPROC_TABLE& table, SOCKET s, USHORT first, USHORT count,
                      LPWSATHREADID thread = nullptr) {
  INET_PORT_RANGE range{htons(first), count};
  Answer answer;
  answer.result = table.lpWSPIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range,
                                   &answer.instance, sizeof answer.instance, &answer.bytes, nullptr,
                                   nullptr, thread, &answer.error);
  return answer;
}

int TokenThrough(const WSPPROC_TABLE& table, SOCKET s, DWORD code, ULONG64 token) {
  INET_PORT_RESERVATION_TOKEN in{token};
  DWORD bytes = 0;
  int error = 0;
  const int result = table.lpWSPIoctl(s, code, &in, sizeof in, nullptr, 0, &bytes, nullptr, nullptr,
                                      nullptr, &error);
  return result == 0 ? 0 : error;
}

SOCKET OpenThrough(const WSPPROC_TABLE& table, int type, int protocol, int* error) {
  return table.lpWSPSocket(AF_INET, type, protocol, nullptr, 0, 0, error);
}

std::size_t ProviderIoctlsSeen(const FakeSocketIoctl& fake) {
  const std::vector<portres::CallRecord> log = fake.CallLog();
  return static_cast<std::size_t>(std::count_if(
      log.begin(), log.end(), [](const auto& r) { return r.call.api == Api::kWSPIoctl; }));
}

TEST(LayeredFilter, Startup_RefusesNullTablesAndAnEmptyRange) {
  FakeSocketIoctl fake;
  const WSPPROC_TABLE next = portres::FakeProcTable(fake);
  WSPPROC_TABLE own{};
  int error = 0;
  EXPECT_EQ(LayeredFilterStartup(nullptr, 1, 2, &own, &error), SOCKET_ERROR);
  EXPECT_EQ(error, WSAEFAULT);
  EXPECT_EQ(LayeredFilterStartup(&next, 2, 1, &own, &error), SOCKET_ERROR);
  EXPECT_EQ(error, WSAEINVAL);
}

TEST(LayeredFilter, AcquireInsideTheRange_IsRefusedAndNeverReachesTheProvider) {
  FakeSocketIoctl fake;
  const WSPPROC_TABLE filter = FilterOver(fake);
  int error = 0;
  const SOCKET s = OpenThrough(filter, SOCK_STREAM, IPPROTO_TCP, &error);
  ASSERT_NE(s, INVALID_SOCKET);
  for (USHORT first : {USHORT{5000}, USHORT{5050}, USHORT{4990}, USHORT{5099}}) {
    const Answer answer = AcquireThrough(filter, s, first, 20);
    EXPECT_EQ(answer.result, SOCKET_ERROR) << first;
    EXPECT_EQ(answer.error, WSAEACCES) << first;
  }
  EXPECT_TRUE(fake.Reservations().empty());
  EXPECT_EQ(ProviderIoctlsSeen(fake), 0u);
  EXPECT_EQ(fake.WSAGetLastError(), 0) << "providers never set the thread's last error";
}

TEST(LayeredFilter, AcquireOutsideTheRange_AndEveryOtherCall_AreForwarded) {
  FakeSocketIoctl fake;
  const WSPPROC_TABLE filter = FilterOver(fake);
  const WSPPROC_TABLE next = portres::FakeProcTable(fake);
  EXPECT_EQ(filter.lpWSPSocket, next.lpWSPSocket);
  EXPECT_EQ(filter.lpWSPBind, next.lpWSPBind);
  EXPECT_NE(filter.lpWSPIoctl, next.lpWSPIoctl);

  int error = 0;
  const SOCKET owner = OpenThrough(filter, SOCK_DGRAM, IPPROTO_UDP, &error);
  const SOCKET user = OpenThrough(filter, SOCK_DGRAM, IPPROTO_UDP, &error);
  const Answer acquired = AcquireThrough(filter, owner, 5100, 10);  // just past the range
  ASSERT_EQ(acquired.result, 0) << portres::DescribeError(acquired.error);
  EXPECT_EQ(acquired.bytes, sizeof acquired.instance);
  EXPECT_EQ(
      TokenThrough(filter, user, SIO_ASSOCIATE_PORT_RESERVATION, acquired.instance.Token.Token), 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  ASSERT_EQ(
      filter.lpWSPBind(user, reinterpret_cast<const sockaddr*>(&address), sizeof address, &error),
      0);
  EXPECT_EQ(fake.Sockets().back().port, 5100);
  EXPECT_EQ(
      TokenThrough(filter, owner, SIO_RELEASE_PORT_RESERVATION, acquired.instance.Token.Token), 0);
  EXPECT_TRUE(fake.Reservations().empty());
  EXPECT_EQ(ProviderIoctlsSeen(fake), 3u);
}

TEST(LayeredFilter, WildcardGrantedInsideTheRange_IsReleasedAndRefused) {
  portres::FakeHostOptions options;
  options.dynamic_first_port = kRefusedFirst;  // the system can only choose refused ports
  options.dynamic_last_port = kRefusedLast + 100;
  FakeSocketIoctl fake(options);
  const WSPPROC_TABLE filter = FilterOver(fake);
  int error = 0;
  const SOCKET s = OpenThrough(filter, SOCK_STREAM, IPPROTO_TCP, &error);
  const Answer answer = AcquireThrough(filter, s, 0, 10);
  EXPECT_EQ(answer.result, SOCKET_ERROR);
  EXPECT_EQ(answer.error, WSAEACCES);
  EXPECT_EQ(answer.bytes, 0u);
  EXPECT_TRUE(fake.Reservations().empty()) << "the filter gave the block back";
  const std::vector<portres::CallRecord> log = fake.CallLog();
  ASSERT_GE(log.size(), 2u);
  EXPECT_EQ(log.back().call.code, static_cast<DWORD>(SIO_RELEASE_PORT_RESERVATION));
}

TEST(LayeredFilter, ErrorsOfTheProviderBelow_ReachTheCallerUnchanged) {
  FakeSocketIoctl fake;
  const WSPPROC_TABLE filter = FilterOver(fake);
  int error = 0;
  const SOCKET s = OpenThrough(filter, SOCK_STREAM, IPPROTO_TCP, &error);
  for (int code : portres::DocumentedErrors(Api::kWSPIoctl, SIO_ACQUIRE_PORT_RESERVATION)) {
    fake.Inject(Fault::Error(code).OnNextCall());
    const Answer answer = AcquireThrough(filter, s, 6000, 1);
    EXPECT_EQ(answer.result, SOCKET_ERROR);
    EXPECT_EQ(answer.error, code) << portres::DescribeError(code);
  }
  EXPECT_EQ(TokenThrough(filter, 0x9999, SIO_RELEASE_PORT_RESERVATION, 1), WSAENOTSOCK);
  EXPECT_TRUE(fake.Reservations().empty());
  EXPECT_EQ(fake.WSAGetLastError(), 0);
}

TEST(LayeredFilter, OverlappedCall_ForwardsTheThreadIdSoTheRoutineReachesTheCaller) {
  FakeSocketIoctl fake;
  const WSPPROC_TABLE filter = FilterOver(fake);
  int error = 0;
  const SOCKET s = OpenThrough(filter, SOCK_STREAM, IPPROTO_TCP, &error);
  static int completions = 0;
  completions = 0;
  WSATHREADID thread = fake.ProviderThreadId();
  WSAOVERLAPPED overlapped{};
  INET_PORT_RANGE range{htons(6000), 5};
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  fake.Inject(Fault::Pend());
  ASSERT_EQ(filter.lpWSPIoctl(
                s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance, sizeof instance,
                &bytes, &overlapped, [](DWORD, DWORD, LPWSAOVERLAPPED, DWORD) { ++completions; },
                &thread, &error),
            SOCKET_ERROR);
  EXPECT_EQ(error, WSA_IO_PENDING);
  ASSERT_TRUE(fake.CompletePending(&overlapped));
  EXPECT_EQ(completions, 0) << "queued, not run, until the thread waits";
  EXPECT_EQ(fake.RunProviderApcs(), 1u);
  EXPECT_EQ(completions, 1);
  EXPECT_EQ(fake.Reservations().size(), 1u);
}

// ---- The fault sweep over the filter's forwarding paths -----------------------------------------

// An application of the filter: acquires a block outside the range for one socket, lets a
// second socket bind from it, tries a wildcard acquire (which the system places inside the
// range, so the filter releases it), and cleans up on every failure. What the filter answered
// at each step is kept for the checks.
std::vector<int>& FilterAnswers() {
  static std::vector<int> answers;
  return answers;
}

void ReserveThroughTheFilter(FakeSocketIoctl& fake) {
  FilterAnswers().clear();
  const WSPPROC_TABLE filter = FilterOver(fake);
  WSATHREADID thread = fake.ProviderThreadId();
  int error = 0;
  auto failed = [&](bool failure) {
    if (failure) FilterAnswers().push_back(error);
    return failure;
  };
  auto close = [&](SOCKET s) { failed(filter.lpWSPCloseSocket(s, &error) == SOCKET_ERROR); };

  const SOCKET owner = OpenThrough(filter, SOCK_STREAM, IPPROTO_TCP, &error);
  if (failed(owner == INVALID_SOCKET)) return;
  const Answer wildcard = AcquireThrough(filter, owner, 0, 10, &thread);
  error = wildcard.error;
  failed(wildcard.result == SOCKET_ERROR);
  const Answer block = AcquireThrough(filter, owner, 6000, 10, &thread);
  error = block.error;
  if (failed(block.result == SOCKET_ERROR)) return close(owner);

  const SOCKET user = OpenThrough(filter, SOCK_STREAM, IPPROTO_TCP, &error);
  if (!failed(user == INVALID_SOCKET)) {
    INET_PORT_RESERVATION_TOKEN token = block.instance.Token;
    DWORD bytes = 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    int length = sizeof address;
    if (!failed(filter.lpWSPIoctl(user, SIO_ASSOCIATE_PORT_RESERVATION, &token, sizeof token,
                                  nullptr, 0, &bytes, nullptr, nullptr, &thread,
                                  &error) == SOCKET_ERROR) &&
        !failed(filter.lpWSPBind(user, reinterpret_cast<const sockaddr*>(&address), sizeof address,
                                 &error) == SOCKET_ERROR)) {
      failed(filter.lpWSPGetSockName(user, reinterpret_cast<sockaddr*>(&address), &length,
                                     &error) == SOCKET_ERROR);
    }
    close(user);
  }
  error = TokenThrough(filter, owner, SIO_RELEASE_PORT_RESERVATION, block.instance.Token.Token);
  failed(error != 0);
  close(owner);
}

portres::SweepOptions FilterSweepOptions() {
  portres::SweepOptions options;
  options.WithFake([] {
    portres::FakeHostOptions host;
    host.dynamic_first_port = kRefusedFirst;
    host.dynamic_last_port = kRefusedLast + 100;
    host.call_log_capacity = portres::kSweepCallLogCapacity;
    return std::make_shared<FakeSocketIoctl>(host);
  });
  // The injected error reached the application through the filter, unchanged; only the
  // filter's own release of a refused wildcard block ends in WSAEACCES instead (the caller
  // holds no token to release).
  options.AddCheck([](FakeSocketIoctl& fake, const portres::SweepInjection& run) -> std::string {
    if (fake.WSAGetLastError() != 0) return "a provider entry set the thread's last error";
    if (run.effect != portres::SweepEffect::kError) return "";
    const std::vector<int>& seen = FilterAnswers();
    const bool passed_on = std::find(seen.begin(), seen.end(), run.error) != seen.end();
    const bool filter_release = run.api == Api::kWSPIoctl &&
                                run.code == SIO_RELEASE_PORT_RESERVATION &&
                                std::find(seen.begin(), seen.end(), WSAEACCES) != seen.end();
    if (passed_on || filter_release) return "";
    return "the filter did not pass " + portres::DescribeError(run.error) + " on";
  });
  return options;
}

TEST(LayeredFilterSweep, EveryDocumentedErrorOfEveryForwardedCall_LeaksNothingAndIsPassedOn) {
  const portres::SweepResult result = EXPECT_NO_LEAKS_UNDER_FAULTS(
      [](FakeSocketIoctl& fake) { ReserveThroughTheFilter(fake); }, FilterSweepOptions());
  // socket, two acquires (the wildcard one with the filter's release), socket, associate,
  // bind, getsockname, closesocket, release, closesocket.
  EXPECT_EQ(result.recorded_calls.size(), 11u);
  EXPECT_GT(result.runs, 60u);
  const auto wsp = std::count_if(result.recorded_calls.begin(), result.recorded_calls.end(),
                                 [](const auto& r) { return r.call.api == Api::kWSPIoctl; });
  EXPECT_EQ(wsp, 5);
}

}  // namespace
