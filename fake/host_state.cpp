// The frame around the rules: construction, processes, the lookups every rule makes, and the
// test controls that drive pending calls and faults.
#include "host_state.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace portres::detail {
namespace {

// Port 0 is no port: StartPort 0 asks for a wildcard [ref:structures] and bind(port 0) for an
// ephemeral port, so a dynamic range given as starting at 0 starts at 1 (else a wildcard acquire
// could be granted a block at 0 and a socket bound to port 0).
FakeHostOptions WithoutPortZero(FakeHostOptions options) {
  if (options.dynamic_first_port == 0) options.dynamic_first_port = 1;
  return options;
}

}  // namespace

void RunCompletions(const Completions& completions) {
  for (const Completion& c : completions) c.routine(c.error, c.bytes, c.overlapped, 0);
}

HostState::HostState(const FakeHostOptions& options)
    : options_(WithoutPortZero(options)),
      ports_(options_.dynamic_first_port, options_.dynamic_last_port,
             options_.runtime_reservations_span_protocols),
      tokens_(options_.seed) {}

std::uint32_t HostState::AddProcess(bool elevated, bool pend_overlapped) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::uint32_t pid = next_pid_;
  next_pid_ += 4;  // Windows process ids are multiples of four
  processes_.emplace(
      std::piecewise_construct, std::forward_as_tuple(pid),
      std::forward_as_tuple(pid, elevated, pend_overlapped, Mix(options_.seed ^ pid)));
  // Room for a short test's calls at once, rather than growing the log call by call.
  processes_.at(pid).log.reserve(std::min<std::size_t>(options_.call_log_capacity, 16));
  return pid;
}

void HostState::RemoveProcess(std::uint32_t pid) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  process.pending.clear();  // nobody is left to be told
  Completions ignored;
  while (!process.sockets.empty()) CloseSocketLocked(process, process.sockets.back(), ignored);
  processes_.erase(pid);
}

SocketState* HostState::FindSocket(const Process& process, SOCKET s) {
  auto it = sockets_.find(s);
  if (it == sockets_.end() || it->second.pid != process.pid) return nullptr;
  return &it->second;
}

void HostState::Inject(std::uint32_t pid, Fault fault) {
  std::lock_guard<std::mutex> lock(mutex_);
  ProcessOf(pid).faults.Add(std::move(fault));
}

void HostState::ClearFaults(std::uint32_t pid) {
  std::lock_guard<std::mutex> lock(mutex_);
  ProcessOf(pid).faults.Clear();
}

std::vector<LPWSAOVERLAPPED> HostState::PendingCalls(std::uint32_t pid) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<LPWSAOVERLAPPED> result;
  for (const PendingCall& pending : ProcessOf(pid).pending) result.push_back(pending.overlapped);
  return result;
}

bool HostState::CompletePending(std::uint32_t pid, LPWSAOVERLAPPED overlapped,
                                std::optional<int> error, Completions& completions) {
  std::lock_guard<std::mutex> lock(mutex_);
  return CompletePendingLocked(ProcessOf(pid), overlapped, error, completions);
}

std::size_t HostState::CompleteAllPending(std::uint32_t pid, Completions& completions) {
  std::vector<LPWSAOVERLAPPED> pending = PendingCalls(pid);
  for (LPWSAOVERLAPPED overlapped : pending) {
    CompletePending(pid, overlapped, std::nullopt, completions);
  }
  return pending.size();
}

}  // namespace portres::detail
