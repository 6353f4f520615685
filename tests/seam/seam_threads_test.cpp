// portres::ScopedSeam across threads (LABELS concurrency: the ThreadSanitizer leg runs these):
// one seam reaches every thread's calls; seams installed and ended by several threads at once
// keep the stack whole.
#include "windows_code.h"

#include <gtest/gtest.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/seam.h>

#include <atomic>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace {

using portres::FakeSocketIoctl;
using portres::ScopedSeam;

TEST(ScopedSeamThreads, ReachesEveryThread) {
  FakeSocketIoctl fake;
  const ScopedSeam seam(fake);
  constexpr std::size_t kThreads = 4;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (std::size_t i = 0; i < kThreads; ++i) {
    threads.emplace_back([] {
      const SOCKET s = wc_socket(SOCK_DGRAM);
      if (s != INVALID_SOCKET) wc_close(s);
      wc_socket(SOCK_STREAM);
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(fake.host().SocketCount(), kThreads);  // each thread's stream socket
}

// Two threads installing and ending seams while both call through whichever is on top: every
// api outlives the threads, so each call reaches a live fake and the stack stays whole.
TEST(ScopedSeamThreads, TwoThreadsInstallingSeams_AreRaceFree) {
  FakeSocketIoctl base_fake;
  const ScopedSeam base(base_fake);
  FakeSocketIoctl fakes[2];
  std::atomic<int> wrong{0};
  auto worker = [&](FakeSocketIoctl& mine) {
    for (int i = 0; i < 300; ++i) {
      const ScopedSeam seam(mine);
      if (wc_ioctl_on_nothing() != SOCKET_ERROR) ++wrong;
      {
        const ScopedSeam nested(mine);
        if (wc_ioctl_on_nothing() != SOCKET_ERROR) ++wrong;
      }
    }
  };
  std::thread first(worker, std::ref(fakes[0]));
  std::thread second(worker, std::ref(fakes[1]));
  first.join();
  second.join();
  EXPECT_EQ(wrong.load(), 0);
  ASSERT_NE(wc_socket(SOCK_DGRAM), INVALID_SOCKET);  // the base seam is on top again
  EXPECT_EQ(base_fake.host().SocketCount(), 1u);
}

}  // namespace
