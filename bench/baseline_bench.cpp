// Baselines measured in the same run as the fake: the floor of an ordered structure,
// the cost of a hand-written gMock canned call, and the kernel's ephemeral bind.
#include <benchmark/benchmark.h>
#include <gmock/gmock.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/socket_ioctl.h>
#include <portres/winsock.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <map>

#include "bench_util.h"

namespace portres::bench {
namespace {

// std::map insert+erase at the same size as the fake's live reservations: the floor for any
// ordered structure that allocates a node per entry. The payload is the size of the fake's
// block record, and the key pattern is the one bench_util.h's Populate uses.
struct Payload {
  std::uint64_t words[4];
};

void BM_StdMap_InsertErase(benchmark::State& state) {
  std::map<std::uint32_t, Payload> map;
  std::uint32_t key = 1;
  for (std::int64_t i = 0; i < state.range(0); ++i, ++key) {
    if (key == kTargetPort) ++key;
    map.emplace(key, Payload{});
  }
  for (auto _ : state) {
    auto it = map.emplace(kTargetPort, Payload{}).first;
    benchmark::DoNotOptimize(it);
    map.erase(it);
  }
}
BENCHMARK(BM_StdMap_InsertErase)
    ->ArgName("size")
    ->Arg(0)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(60000)
    ->Arg(kFragmentedLive);

// A hand-written gMock of the one call the baselines make, as a test would write it instead of
// using the fake; the calls it does not mock go to a fake.
class HandMock : public ForwardingSocketIoctl {
 public:
  explicit HandMock(ISocketIoctl& target) : ForwardingSocketIoctl(target) {}
  MOCK_METHOD(int, WSAIoctl,
              (SOCKET, DWORD, LPVOID, DWORD, LPVOID, DWORD, LPDWORD, LPWSAOVERLAPPED,
               LPWSAOVERLAPPED_COMPLETION_ROUTINE),
              (override));
};

constexpr SOCKET kMockSocket = 0x100;

// One canned call: ON_CALL(...).WillByDefault(Return(0)), the cheapest thing gMock does.
void BM_GMock_OnCallReturn(benchmark::State& state) {
  using ::testing::_;
  using ::testing::Return;
  FakeSocketIoctl fake;
  ::testing::NiceMock<HandMock> mock(fake);
  ON_CALL(mock, WSAIoctl(_, _, _, _, _, _, _, _, _)).WillByDefault(Return(0));
  ISocketIoctl& api = mock;
  for (auto _ : state) benchmark::DoNotOptimize(Acquire(api, kMockSocket, kTargetPort, 1));
}
BENCHMARK(BM_GMock_OnCallReturn);

// One call matched by an EXPECT_CALL with matchers on every argument.
void BM_GMock_ExpectCallMatchers(benchmark::State& state) {
  using ::testing::Eq;
  using ::testing::Ge;
  using ::testing::IsNull;
  using ::testing::NotNull;
  using ::testing::Return;
  FakeSocketIoctl fake;
  HandMock mock(fake);
  EXPECT_CALL(mock, WSAIoctl(Eq(kMockSocket), Eq(DWORD{SIO_ACQUIRE_PORT_RESERVATION}), NotNull(),
                             Eq(DWORD{sizeof(INET_PORT_RANGE)}), NotNull(),
                             Ge(DWORD{sizeof(INET_PORT_RESERVATION_INSTANCE)}), NotNull(), IsNull(),
                             IsNull()))
      .WillRepeatedly(Return(0));
  ISocketIoctl& api = mock;
  for (auto _ : state) benchmark::DoNotOptimize(Acquire(api, kMockSocket, kTargetPort, 1));
}
BENCHMARK(BM_GMock_ExpectCallMatchers);

// The kernel: socket() + bind(127.0.0.1:0) + close(), reserving one ephemeral port for real.
void BM_Kernel_SocketBindClose(benchmark::State& state) {
  sockaddr_in loopback{};
  loopback.sin_family = AF_INET;
  loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  loopback.sin_port = 0;
  for (auto _ : state) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (fd < 0 || ::bind(fd, reinterpret_cast<const sockaddr*>(&loopback), sizeof loopback) != 0) {
      state.SkipWithError("socket/bind on 127.0.0.1 failed");
      if (fd >= 0) ::close(fd);
      break;
    }
    ::close(fd);
  }
}
BENCHMARK(BM_Kernel_SocketBindClose);

}  // namespace
}  // namespace portres::bench
