// What the calls left behind, read back: the call log (a ring, oldest first), the call count and
// the per-thread last error and last failure. Recording happens in CallScope (call_scope.h), a
// failure's here.
#include "call_scope.h"
#include "host_state.h"

#include <algorithm>
#include <string>
#include <thread>
#include <utility>

namespace portres::detail {

void CallScope::RecordFailure() {
  int& error = error_out_ != nullptr ? *error_out_  // a provider call: never the last error
                                     : process_.last_error[std::this_thread::get_id()];
  error = record_.error;
  const bool built_reason = entry_.fixed_reason == nullptr && !reason_.empty();
  if (built_reason && &entry_ != &process_.scratch) {
    process_.reasons[record_.call.index] = reason_;
  }
  FailedCall& last = process_.last_failure[std::this_thread::get_id()];
  last.call = entry_;
  if (built_reason) {
    last.reason = std::move(reason_);
  } else {
    last.reason.clear();
  }
}

std::vector<CallRecord> HostState::CallLog(std::uint32_t pid) {
  std::lock_guard<std::mutex> lock(mutex_);
  const Process& process = ProcessOf(pid);
  std::vector<CallRecord> log;
  log.reserve(process.log.size());
  auto restore = [&process, &log](const LoggedCall& entry) {
    std::string reason;
    if (entry.fields.error != 0 && entry.fixed_reason == nullptr) {
      auto it = process.reasons.find(entry.fields.call.index);
      if (it != process.reasons.end()) reason = it->second;
    }
    log.push_back(ToRecord(entry, std::move(reason)));
  };
  const auto next = process.log.begin() + static_cast<std::ptrdiff_t>(process.log_next);
  std::for_each(next, process.log.end(), restore);
  std::for_each(process.log.begin(), next, restore);
  return log;
}

std::uint64_t HostState::CallCount(std::uint32_t pid) {
  std::lock_guard<std::mutex> lock(mutex_);
  return ProcessOf(pid).call_count;
}

std::optional<CallRecord> HostState::LastFailure(std::uint32_t pid) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto& failures = ProcessOf(pid).last_failure;
  auto it = failures.find(std::this_thread::get_id());
  if (it == failures.end()) return std::nullopt;
  return ToRecord(it->second.call, it->second.reason);
}

int HostState::LastError(std::uint32_t pid) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& errors = ProcessOf(pid).last_error;
  auto it = errors.find(std::this_thread::get_id());
  return it == errors.end() ? 0 : it->second;
}

void HostState::SetLastError(std::uint32_t pid, int error) {
  std::lock_guard<std::mutex> lock(mutex_);
  ProcessOf(pid).last_error[std::this_thread::get_id()] = error;
}

}  // namespace portres::detail
