// CallScope: one Winsock-shaped call in progress, from its number to its record.
//
// A rule opens a scope first: it numbers the call, asks the process's faults about it, and on
// the way out records the call in the process's log (a ring of call_log_capacity) and, when the
// call failed, sets the thread's last error and keeps the record as the thread's last failure.
// The rules then say only how the call ends: Fail (with the reason, in words), FailInjected or
// Succeed.
#ifndef PORTRES_FAKE_CALL_SCOPE_H
#define PORTRES_FAKE_CALL_SCOPE_H

#include <portres/call_log.h>
#include <portres/winsock.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "fault_set.h"
#include "processes.h"

namespace portres::detail {

// Sets a log entry to LoggedCall{}: every field's default is zero bits but the call's, which
// CallScope sets. In chunks of 64 bytes, which GCC stores with vector moves: the whole entry at
// once it zeroes with rep stos, whose start-up cost was a tenth of a WSAIoctl.
inline void Clear(LoggedCall& entry) {
  constexpr std::size_t kChunk = 64;
  auto* bytes = reinterpret_cast<unsigned char*>(&entry);
  for (std::size_t offset = 0; offset < sizeof entry; offset += kChunk) {
    std::memset(bytes + offset, 0, std::min(kChunk, sizeof entry - offset));
  }
}

class CallScope {
 public:
  // The call is written into its log slot as it goes (or into the process's scratch entry when
  // the log keeps nothing), so that a call that succeeds has nothing left to copy at its end.
  CallScope(Process& process, std::size_t log_capacity, Api api, SOCKET s, DWORD code,
            bool overlapped)
      : process_(process),
        entry_(log_capacity != 0 ? NextSlot(process, log_capacity) : process.scratch),
        record_(entry_.fields) {
    Clear(entry_);
    record_.call.index = process.call_count++;
    record_.call.api = api;
    record_.call.socket = s;
    record_.call.code = code;
    record_.call.overlapped = overlapped;
    if (!process.faults.empty()) fault_ = process.faults.Take(record_.call);
    // FakeProcessOptions::require_wsastartup: Winsock answers WSANOTINITIALISED to every call
    // but WSAStartup while the process has no WSAStartup of its own
    // ([ms:winsock/nf-winsock-wsastartup]).
    not_initialised_ =
        process.require_startup && process.startup_count == 0 && api != Api::kWSAStartup;
  }
  // Most calls succeed: theirs is already in the log.
  ~CallScope() {
    if (record_.error != 0) RecordFailure();
  }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

  // The error of a fault that hit the call, unless the fault makes it pend.
  // Also WSANOTINITIALISED before WSAStartup, when the process requires it (not a fault: the
  // record does not say injected).
  std::optional<int> InjectedError() const {
    if (fault_ && !fault_->pend) return fault_->error;
    if (not_initialised_) return WSANOTINITIALISED;
    return std::nullopt;
  }
  bool InjectedPend() const { return fault_ && fault_->pend; }
  // A provider call: its error goes to *error instead of the thread's last error.
  void ReportErrorTo(int* error) { error_out_ = error; }

  // Copies the reservation arguments of a WSAIoctl into the record when the buffer holds them,
  // and says so (CallRecord::arguments_read): a null or short buffer leaves zeros that must not
  // read as a wildcard acquire or a release of token 0.
  void RecordIoctlInput(DWORD code, const void* in, DWORD in_size) {
    if (in == nullptr) return;
    if (code == SIO_ACQUIRE_PORT_RESERVATION && in_size >= sizeof(INET_PORT_RANGE)) {
      INET_PORT_RANGE range{};
      std::memcpy(&range, in, sizeof range);
      record_.first_port = ntohs(range.StartPort);
      record_.port_count = range.NumberOfPorts;
      record_.arguments_read = true;
    } else if ((code == SIO_RELEASE_PORT_RESERVATION || code == SIO_ASSOCIATE_PORT_RESERVATION) &&
               in_size >= sizeof(INET_PORT_RESERVATION_TOKEN)) {
      std::memcpy(&record_.token, in, sizeof record_.token);
      record_.arguments_read = true;
    }
  }

  // Each returns `result`, what the call returns. `reason` is built by the caller only on the
  // failing branch, so a successful call pays nothing for it; a literal is kept as a pointer.
  int Fail(int error, std::string reason, int result = SOCKET_ERROR) {
    record_.result = result;
    record_.error = error;
    reason_ = std::move(reason);
    entry_.fixed_reason = nullptr;
    return result;
  }
  int Fail(int error, const char* reason, int result = SOCKET_ERROR) {
    record_.result = result;
    record_.error = error;
    reason_.clear();
    entry_.fixed_reason = reason;
    return result;
  }
  int FailInjected(int error, int result = SOCKET_ERROR) {
    record_.injected = fault_.has_value();
    return Fail(error, InjectedPend() ? "Fault::Pend() left the call pending" : "an injected Fault",
                result);
  }
  int Succeed(int result = 0) {
    record_.result = result;
    return result;
  }
  CallFields& record() { return record_; }
  // Where a rule shared with pending calls (HostState::Execute) leaves its refusal's reason.
  std::string& reason() { return reason_; }

 private:
  // The log's slot for the call: a new one until the ring is full, then the oldest, whose built
  // reason, if it had one, goes with it.
  static LoggedCall& NextSlot(Process& process, std::size_t log_capacity) {
    std::vector<LoggedCall>& log = process.log;
    if (log.size() < log_capacity) return log.emplace_back();
    LoggedCall& oldest = log[process.log_next];
    if (++process.log_next == log_capacity) process.log_next = 0;
    if (oldest.fields.error != 0 && oldest.fixed_reason == nullptr) {
      process.reasons.erase(oldest.fields.call.index);
    }
    return oldest;
  }

  // Sets the error, keeps a built reason beside the log (a literal is pointed to), and keeps
  // the call as the thread's last failure. Out of line (call_log.cpp), so that the destructor
  // stays small enough to inline into every rule.
  void RecordFailure();

  Process& process_;
  LoggedCall& entry_;   // the call's log slot, or Process::scratch
  CallFields& record_;  // entry_.fields
  bool not_initialised_ = false;
  std::optional<FaultSet::Hit> fault_;
  int* error_out_ = nullptr;
  std::string reason_;  // a built reason; empty when it is a literal (entry_.fixed_reason)
};

}  // namespace portres::detail

#endif  // PORTRES_FAKE_CALL_SCOPE_H
