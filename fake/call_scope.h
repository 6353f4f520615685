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

class CallScope {
 public:
  CallScope(Process& process, std::size_t log_capacity, Api api, SOCKET s, DWORD code,
            bool overlapped)
      : process_(process), log_capacity_(log_capacity) {
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
  // Most calls succeed: theirs is the short path, a copy of plain words into the ring.
  ~CallScope() {
    if (record_.error != 0) {
      RecordFailure();
    } else if (log_capacity_ != 0) {
      NextSlot() = ToLogged(record_, nullptr);
    }
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
    record_.reason = std::move(reason);
    fixed_reason_ = nullptr;
    return result;
  }
  int Fail(int error, const char* reason, int result = SOCKET_ERROR) {
    record_.result = result;
    record_.error = error;
    record_.reason.clear();
    fixed_reason_ = reason;
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
  CallRecord& record() { return record_; }

 private:
  // The log's slot for this call: a new one until the ring is full, then the oldest, whose built
  // reason, if it had one, goes with it.
  LoggedCall& NextSlot() {
    std::vector<LoggedCall>& log = process_.log;
    if (log.size() < log_capacity_) return log.emplace_back();
    LoggedCall& oldest = log[process_.log_next];
    if (++process_.log_next == log_capacity_) process_.log_next = 0;
    if (oldest.error != 0 && oldest.fixed_reason == nullptr) {
      process_.reasons.erase(oldest.call.index);
    }
    return oldest;
  }

  // Sets the error, logs the call with its reason kept beside the log (a built one; a literal is
  // pointed to), and keeps it as the thread's last failure. Out of line (call_log.cpp), so that
  // the destructor stays small enough to inline into every rule.
  void RecordFailure();

  Process& process_;
  std::size_t log_capacity_;
  CallRecord record_;
  bool not_initialised_ = false;
  std::optional<FaultSet::Hit> fault_;
  int* error_out_ = nullptr;
  const char* fixed_reason_ = nullptr;  // the reason, when it is a literal
};

}  // namespace portres::detail

#endif  // PORTRES_FAKE_CALL_SCOPE_H
