// The fake's calls through portres::MockSocketIoctl (GoogleMock, delegating to the fake): what a
// test pays for being able to EXPECT_CALL on top of the fake's behaviour. Built only once
// <portres/mock_socket_ioctl.h> exists.
#if __has_include(<portres/mock_socket_ioctl.h>)
#include <benchmark/benchmark.h>
#include <gmock/gmock.h>
#include <portres/mock_socket_ioctl.h>

#include "bench_util.h"

namespace portres::bench {
namespace {

// As BM_Fake_AcquireRelease/live:10000, every call going through the mock, which delegates to
// its fake from construction. With `expect_on_wsaioctl`, an EXPECT_CALL on WSAIoctl that matches
// none of these calls: every WSAIoctl enters gMock, which tries the test's expectation and takes
// the catch-all (what every call cost before methods nobody expects skipped gMock).
void MockAcquireRelease(benchmark::State& state, bool expect_on_wsaioctl) {
  using ::testing::_;
  ::testing::NiceMock<MockSocketIoctl> api;
  if (expect_on_wsaioctl) {
    EXPECT_CALL(api, WSAIoctl(_, DWORD{SIO_ASSOCIATE_PORT_RESERVATION}, _, _, _, _, _, _, _))
        .Times(::testing::AnyNumber());
  }
  const SOCKET s = api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (!Populate(api.fake(), s, 10000, kTargetPort)) {
    state.SkipWithError("could not populate the host");
    return;
  }
  for (auto _ : state) {
    const ULONG64 token = Acquire(api, s, kTargetPort, 1);
    benchmark::DoNotOptimize(token);
    if (!Release(api, s, token)) state.SkipWithError("release failed");
  }
  api.closesocket(s);
}

void BM_Mock_AcquireRelease(benchmark::State& state) { MockAcquireRelease(state, false); }
BENCHMARK(BM_Mock_AcquireRelease);

void BM_Mock_AcquireRelease_ExpectCallOnWSAIoctl(benchmark::State& state) {
  MockAcquireRelease(state, true);
}
BENCHMARK(BM_Mock_AcquireRelease_ExpectCallOnWSAIoctl);

}  // namespace
}  // namespace portres::bench
#endif  // __has_include(<portres/mock_socket_ioctl.h>)
