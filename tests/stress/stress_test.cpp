// Many threads and simulated processes on one host, acquiring, associating, binding, releasing
// and closing at random for a bounded number of iterations (no sleeps, no timing), with the
// host's invariants (tests/support/invariants.h) checked on live snapshots during the run and
// in full once every thread has joined. Built to run clean under ThreadSanitizer.
#include <gtest/gtest.h>
#include <portres/fake_host.h>
#include <portres/fake_ip_helper.h>
#include <portres/fake_socket_ioctl.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "invariants.h"

namespace {

using portres::FakeHost;
using portres::FakeHostOptions;
using portres::FakeIpHelper;
using portres::FakeProcessOptions;
using portres::FakeSocketIoctl;
using portres::ReservationKind;

constexpr int kProcesses = 4;  // process 3 leaves overlapped calls pending
constexpr int kThreadsPerProcess = 2;
constexpr int kThreads = kProcesses * kThreadsPerProcess;
constexpr int kIterations = 3000;  // per thread
constexpr int kSharedTokens = 64;

// Tokens threads publish for each other: most of what others try with them must fail.
class TokenBoard {
 public:
  void Publish(std::size_t slot, ULONG64 token) { slots_[slot % kSharedTokens].store(token); }
  ULONG64 Pick(std::size_t slot) const { return slots_[slot % kSharedTokens].load(); }

 private:
  std::array<std::atomic<ULONG64>, kSharedTokens> slots_{};
};

// Completion routines run on the calling thread, outside the fake's lock.
std::atomic<std::uint64_t> completions_run{0};
void CountCompletion(DWORD, DWORD, LPWSAOVERLAPPED, DWORD) { completions_run.fetch_add(1); }

// What one thread saw go wrong; empty when nothing did.
struct ThreadReport {
  std::string failure;
  std::uint64_t calls = 0;  // Api calls this thread made (for the per-process count)
  std::uint64_t successes = 0;
};

class StressTest : public ::testing::Test {
 protected:
  void RunStress(const FakeHostOptions& options) {
    host_ = std::make_shared<FakeHost>(options);
    helper_ = std::make_unique<FakeIpHelper>(host_);
    for (int p = 0; p < kProcesses; ++p) {
      FakeProcessOptions process_options;
      process_options.pend_overlapped_calls = p == kProcesses - 1;
      processes_[p] = std::make_unique<FakeSocketIoctl>(host_, process_options);
    }
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    std::vector<ThreadReport> reports(kThreads);
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([this, t, &reports] {
        WaitForEveryone();
        Work(t, reports[t]);
      });
    }
    std::string watcher_failure;
    std::thread watcher([this, &options, &watcher_failure] {
      WaitForEveryone();
      Watch(options, watcher_failure);
    });
    for (auto& thread : threads) thread.join();
    watcher.join();

    EXPECT_EQ(watcher_failure, "");
    std::uint64_t successes = 0;
    for (int t = 0; t < kThreads; ++t) {
      EXPECT_EQ(reports[t].failure, "") << "thread " << t;
      successes += reports[t].successes;
    }
    EXPECT_GT(successes, std::uint64_t{kIterations});  // the threads did get work done
    EXPECT_GT(completions_run.load(), 0u);             // and the pending process's routines ran
    // Every call was counted once: no lost update between threads of one process.
    for (int p = 0; p < kProcesses; ++p) {
      std::uint64_t calls = 0;
      for (int t = 0; t < kThreadsPerProcess; ++t)
        calls += reports[p * kThreadsPerProcess + t].calls;
      EXPECT_EQ(processes_[p]->CallCount(), calls) << "process " << p;
    }
    EXPECT_EQ(portres::test_support::CheckHostInvariants(*host_), "");

    // Every process exits: what is left is persistent.
    for (auto& process : processes_) process.reset();
    EXPECT_EQ(host_->SocketCount(), 0u);
    for (const auto& r : host_->Reservations()) {
      EXPECT_EQ(r.kind, ReservationKind::kPersistent) << portres::test_support::Describe(r);
    }
  }

 private:
  // A start line (spinning, not sleeping), so that the threads really run at the same time.
  void WaitForEveryone() {
    started_.fetch_add(1);
    while (started_.load() < kThreads + 1) std::this_thread::yield();
  }

  // One worker: random calls on its own process, checking each answer on the spot.
  void Work(int thread, ThreadReport& report) {
    const int process_index = thread / kThreadsPerProcess;
    FakeSocketIoctl& api = *processes_[process_index];
    std::mt19937 rng(static_cast<unsigned>(1000 + thread));
    std::vector<SOCKET> sockets;
    std::vector<ULONG64> tokens;
    const std::uint32_t dynamic_first = host_->options().dynamic_first_port;
    auto fail = [&](const std::string& what) {
      if (report.failure.empty()) report.failure = what;
    };
    // A failed call left this thread's own error, one the call can give.
    auto check_error = [&](const char* call, std::initializer_list<int> allowed) {
      const int error = api.WSAGetLastError();
      if (std::find(allowed.begin(), allowed.end(), error) == allowed.end()) {
        fail(std::string(call) + " failed with " + std::to_string(error));
      }
    };
    for (int i = 0; i < kIterations && report.failure.empty(); ++i) {
      const unsigned roll = rng() % 100;
      if (roll < 12 || sockets.empty()) {
        const SOCKET s = api.socket(rng() % 3 == 0 ? AF_INET6 : AF_INET,
                                    rng() % 2 ? SOCK_STREAM : SOCK_DGRAM, 0);
        ++report.calls;
        if (s == INVALID_SOCKET) {
          fail("socket() failed");
        } else {
          sockets.push_back(s);
          ++report.successes;
        }
        continue;
      }
      const SOCKET s = sockets[rng() % sockets.size()];
      if (roll < 40) {
        // Acquire: wildcard or a specific block in a window every thread fights over.
        const bool wildcard = rng() % 2 == 0;
        INET_PORT_RANGE range{
            htons(static_cast<USHORT>(wildcard ? 0 : dynamic_first + rng() % 200)),
            static_cast<USHORT>(1 + rng() % 6)};
        INET_PORT_RESERVATION_INSTANCE instance{};
        DWORD bytes = 0;
        WSAOVERLAPPED overlapped{};
        const bool pend = process_index == kProcesses - 1;
        int result = api.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                                  sizeof instance, &bytes, pend ? &overlapped : nullptr,
                                  pend ? &CountCompletion : nullptr);
        ++report.calls;
        if (pend && result == SOCKET_ERROR && api.WSAGetLastError() == WSA_IO_PENDING) {
          // Waiting completes the call (the fake finishes it while the caller blocks).
          DWORD flags = 0;
          result = api.WSAGetOverlappedResult(s, &overlapped, &bytes, TRUE, &flags) == TRUE
                       ? 0
                       : SOCKET_ERROR;
          ++report.calls;
        }
        if (result == 0) {
          ++report.successes;
          if (bytes != sizeof instance) fail("acquire returned " + std::to_string(bytes));
          if (instance.Token.Token == INVALID_PORT_RESERVATION_TOKEN) fail("token 0");
          tokens.push_back(instance.Token.Token);
          board_.Publish(rng(), instance.Token.Token);
        } else {
          check_error("acquire", {WSAEADDRINUSE, WSAENOBUFS, WSAENOTSOCK, WSAEINVAL});
        }
      } else if (roll < 55) {
        // Associate with one of ours, or with anyone's (another process's must fail).
        ULONG64 token =
            !tokens.empty() && rng() % 3 != 0 ? tokens[rng() % tokens.size()] : board_.Pick(rng());
        DWORD bytes = 0;
        const int result = api.WSAIoctl(s, SIO_ASSOCIATE_PORT_RESERVATION, &token, sizeof token,
                                        nullptr, 0, &bytes, nullptr, nullptr);
        ++report.calls;
        if (result == 0) {
          ++report.successes;
        } else {
          check_error("associate", {WSAEINVAL, WSAEACCES, WSAENOTSOCK});
        }
      } else if (roll < 72) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = rng() % 2 ? 0 : htons(static_cast<USHORT>(dynamic_first + rng() % 200));
        sockaddr_in6 address6{};
        address6.sin6_family = AF_INET6;
        address6.sin6_port = address.sin_port;
        // The fake answers WSAEAFNOSUPPORT when the family is not the socket's: try both.
        const bool v6 = rng() % 3 == 0;
        const int result =
            v6 ? api.bind(s, reinterpret_cast<const sockaddr*>(&address6), sizeof address6)
               : api.bind(s, reinterpret_cast<const sockaddr*>(&address), sizeof address);
        ++report.calls;
        if (result == 0) {
          ++report.successes;
          sockaddr_in6 name{};
          int namelen = sizeof name;
          ++report.calls;
          if (api.getsockname(s, reinterpret_cast<sockaddr*>(&name), &namelen) != 0) {
            // Another thread of this process may have closed it, or a reboot ended it.
            check_error("getsockname", {WSAENOTSOCK, WSAEINVAL});
          } else if (name.sin6_port == 0) {
            fail("bound to port 0");
          }
        } else {
          check_error("bind", {WSAEADDRINUSE, WSAEACCES, WSAENOBUFS, WSAEINVAL, WSAENOTSOCK,
                               WSAEAFNOSUPPORT, WSAEFAULT});
        }
      } else if (roll < 85) {
        ULONG64 token =
            !tokens.empty() && rng() % 4 != 0 ? tokens[rng() % tokens.size()] : board_.Pick(rng());
        DWORD bytes = 0;
        const int result = api.WSAIoctl(s, SIO_RELEASE_PORT_RESERVATION, &token, sizeof token,
                                        nullptr, 0, &bytes, nullptr, nullptr);
        ++report.calls;
        if (result == 0) {
          ++report.successes;
          tokens.erase(std::remove(tokens.begin(), tokens.end(), token), tokens.end());
        } else {
          check_error("release", {WSAEINVAL, WSAENOTSOCK});
        }
      } else if (roll < 95) {
        const int result = api.closesocket(s);
        ++report.calls;
        sockets.erase(std::find(sockets.begin(), sockets.end(), s));
        if (result == 0) {
          ++report.successes;
        } else {
          check_error("closesocket", {WSAENOTSOCK});  // only after a reboot
        }
      } else {
        // Persistent reservations: any thread, the host's iphlpapi.
        const USHORT start = htons(static_cast<USHORT>(dynamic_first + 100 + rng() % 100));
        const USHORT count = static_cast<USHORT>(1 + rng() % 3);
        ULONG64 token = 0;
        const ULONG result = rng() % 2
                                 ? helper_->CreatePersistentUdpPortReservation(start, count, &token)
                                 : helper_->DeletePersistentUdpPortReservation(start, count);
        if (result == NO_ERROR) ++report.successes;
        if (result != NO_ERROR && result != ERROR_SHARING_VIOLATION && result != ERROR_NOT_FOUND) {
          fail("persistent call answered " + std::to_string(result));
        }
      }
    }
  }

  // Watches live snapshots (each taken under the host's lock in one call) and reboots the host
  // a few times, on its own schedule of iterations, not of time.
  void Watch(const FakeHostOptions& options, std::string& failure) {
    for (int i = 0; i < 400 && failure.empty(); ++i) {
      failure = portres::test_support::CheckReservationInvariants(host_->Reservations(), options);
      if (reboots_ && i % 100 == 99) host_->Reboot();
    }
  }

 protected:
  bool reboots_ = false;

 private:
  std::shared_ptr<FakeHost> host_;
  std::unique_ptr<FakeIpHelper> helper_;
  std::unique_ptr<FakeSocketIoctl> processes_[kProcesses];
  TokenBoard board_;
  std::atomic<int> started_{0};
};

TEST_F(StressTest, ManyThreadsAndProcesses_KeepTheHostConsistent) {
  FakeHostOptions options;
  options.dynamic_first_port = 60000;  // small enough that wildcards and binds collide
  options.dynamic_last_port = 60511;
  RunStress(options);
}

TEST_F(StressTest, ManyThreadsAndProcesses_PerProtocolReservations_KeepTheHostConsistent) {
  FakeHostOptions options;
  options.runtime_reservations_span_protocols = false;
  RunStress(options);
}

TEST_F(StressTest, RebootsDuringTheRun_KeepTheHostConsistent) {
  reboots_ = true;
  FakeHostOptions options;
  options.dynamic_first_port = 60000;
  options.dynamic_last_port = 60127;
  RunStress(options);
}

}  // namespace
