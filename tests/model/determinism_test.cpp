// Determinism: FakeHostOptions::seed fixes everything a run leaves to chance. Two hosts with
// the same seed, given the same calls, issue the same tokens, grant the same wildcard blocks,
// and inject the same probabilistic faults, so their call logs are identical; another seed
// gives other tokens.
#include <gtest/gtest.h>
#include <portres/call_log.h>
#include <portres/fake_host.h>
#include <portres/fake_ip_helper.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/fault.h>

#include <cstdint>
#include <memory>
#include <random>
#include <vector>

namespace {

using portres::CallRecord;
using portres::FakeHost;
using portres::FakeHostOptions;
using portres::FakeIpHelper;
using portres::FakeSocketIoctl;
using portres::Fault;

// What one run leaves behind.
struct RunTrace {
  std::vector<CallRecord> logs[2];
  std::vector<ULONG64> tokens;  // every token handed out, in order
  std::vector<std::uint16_t> wildcard_starts;
  std::size_t injected = 0;
};

// The same calls every time: the call sequence comes from a fixed generator, never from the
// host's seed.
RunTrace RunScript(std::uint64_t host_seed) {
  FakeHostOptions options;
  options.seed = host_seed;
  options.call_log_capacity = 1 << 16;
  auto host = std::make_shared<FakeHost>(options);
  FakeSocketIoctl a(host), b(host);
  FakeIpHelper helper(host);
  FakeSocketIoctl* processes[] = {&a, &b};
  for (FakeSocketIoctl* p : processes) {
    p->Inject(Fault::Error(WSAENETDOWN).WithProbability(0.2));
  }
  std::mt19937 script(12345);
  RunTrace trace;
  std::vector<SOCKET> sockets[2];
  for (int step = 0; step < 3000; ++step) {
    const int which = static_cast<int>(script() % 2);
    FakeSocketIoctl& api = *processes[which];
    const unsigned roll = script() % 100;
    if (roll < 15 || sockets[which].empty()) {
      const SOCKET s = api.socket(AF_INET, script() % 2 ? SOCK_STREAM : SOCK_DGRAM, 0);
      if (s != INVALID_SOCKET) sockets[which].push_back(s);
    } else if (roll < 60) {
      const SOCKET s = sockets[which][script() % sockets[which].size()];
      const bool wildcard = script() % 2 == 0;
      INET_PORT_RANGE range{htons(static_cast<USHORT>(wildcard ? 0 : 5000 + script() % 200)),
                            static_cast<USHORT>(1 + script() % 8)};
      INET_PORT_RESERVATION_INSTANCE instance{};
      DWORD bytes = 0;
      if (api.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                       sizeof instance, &bytes, nullptr, nullptr) == 0) {
        trace.tokens.push_back(instance.Token.Token);
        if (wildcard) trace.wildcard_starts.push_back(ntohs(instance.Reservation.StartPort));
      }
    } else if (roll < 75 && !trace.tokens.empty()) {
      const SOCKET s = sockets[which][script() % sockets[which].size()];
      ULONG64 token = trace.tokens[script() % trace.tokens.size()];
      DWORD bytes = 0;
      api.WSAIoctl(s, SIO_RELEASE_PORT_RESERVATION, &token, sizeof token, nullptr, 0, &bytes,
                   nullptr, nullptr);
    } else if (roll < 85) {
      const std::size_t index = script() % sockets[which].size();
      if (api.closesocket(sockets[which][index]) == 0) {
        sockets[which].erase(sockets[which].begin() + static_cast<std::ptrdiff_t>(index));
      }
    } else if (roll < 98) {
      ULONG64 token = 0;
      if (helper.CreatePersistentTcpPortReservation(
              htons(static_cast<USHORT>(7000 + script() % 500)),
              static_cast<USHORT>(1 + script() % 4), &token) == NO_ERROR) {
        trace.tokens.push_back(token);
      }
    } else {
      host->Reboot();
      sockets[0].clear();
      sockets[1].clear();
      for (const auto& r : host->Reservations()) trace.tokens.push_back(r.token);
    }
  }
  for (int p = 0; p < 2; ++p) {
    trace.logs[p] = processes[p]->CallLog();
    for (const CallRecord& record : trace.logs[p]) trace.injected += record.injected ? 1 : 0;
  }
  return trace;
}

bool SameRecord(const CallRecord& x, const CallRecord& y) {
  return x.call.index == y.call.index && x.call.api == y.call.api &&
         x.call.socket == y.call.socket && x.call.code == y.call.code &&
         x.call.overlapped == y.call.overlapped && x.result == y.result && x.error == y.error &&
         x.injected == y.injected && x.first_port == y.first_port && x.port_count == y.port_count &&
         x.granted_port == y.granted_port && x.token == y.token && x.bound_port == y.bound_port &&
         x.reason == y.reason;
}

TEST(Determinism, SameSeed_GivesIdenticalCallLogsTokensAndWildcardBlocks) {
  const RunTrace first = RunScript(42);
  const RunTrace second = RunScript(42);
  ASSERT_GT(first.tokens.size(), 100u);
  ASSERT_GT(first.wildcard_starts.size(), 20u);
  ASSERT_GT(first.injected, 100u);  // the probabilistic fault did hit
  EXPECT_EQ(first.tokens, second.tokens);
  EXPECT_EQ(first.wildcard_starts, second.wildcard_starts);
  EXPECT_EQ(first.injected, second.injected);
  for (int p = 0; p < 2; ++p) {
    ASSERT_EQ(first.logs[p].size(), second.logs[p].size());
    for (std::size_t i = 0; i < first.logs[p].size(); ++i) {
      ASSERT_TRUE(SameRecord(first.logs[p][i], second.logs[p][i]))
          << "process " << p << ", call " << i;
    }
  }
}

TEST(Determinism, DifferentSeed_GivesDifferentTokensAndFaults) {
  const RunTrace first = RunScript(42);
  const RunTrace other = RunScript(43);
  ASSERT_FALSE(first.tokens.empty());
  ASSERT_FALSE(other.tokens.empty());
  EXPECT_NE(first.tokens.front(), other.tokens.front());
  // The faults hit other calls, so the runs part ways.
  bool logs_differ = first.logs[0].size() != other.logs[0].size();
  for (std::size_t i = 0; !logs_differ && i < first.logs[0].size(); ++i) {
    logs_differ = first.logs[0][i].injected != other.logs[0][i].injected;
  }
  EXPECT_TRUE(logs_differ);
}

TEST(Determinism, WildcardBlocks_DoNotDependOnTheSeed) {
  // Best fit is a rule, not a draw: only tokens and faults are seeded.
  for (std::uint64_t seed : {1u, 2u, 99u}) {
    FakeHostOptions options;
    options.seed = seed;
    FakeSocketIoctl api(options);
    const SOCKET s = api.socket(AF_INET, SOCK_STREAM, 0);
    INET_PORT_RANGE range{0, 10};
    INET_PORT_RESERVATION_INSTANCE instance{};
    DWORD bytes = 0;
    ASSERT_EQ(0, api.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                              sizeof instance, &bytes, nullptr, nullptr));
    EXPECT_EQ(ntohs(instance.Reservation.StartPort), options.dynamic_first_port);
  }
}

}  // namespace
