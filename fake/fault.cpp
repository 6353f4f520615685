#include <portres/fault.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "fault_set.h"
#include "host_state.h"

namespace portres {

// Emitted here for the DLL's export table (see FakeHost::kSystemPid in fake_host.cpp).
constexpr std::uint64_t Fault::kUnlimited;

std::string_view ApiName(Api api) noexcept {
  switch (api) {
    case Api::kSocket:
      return "socket";
    case Api::kCloseSocket:
      return "closesocket";
    case Api::kBind:
      return "bind";
    case Api::kGetSockName:
      return "getsockname";
    case Api::kWSAIoctl:
      return "WSAIoctl";
    case Api::kWSAGetOverlappedResult:
      return "WSAGetOverlappedResult";
    case Api::kCreatePersistentTcpPortReservation:
      return "CreatePersistentTcpPortReservation";
    case Api::kCreatePersistentUdpPortReservation:
      return "CreatePersistentUdpPortReservation";
    case Api::kDeletePersistentTcpPortReservation:
      return "DeletePersistentTcpPortReservation";
    case Api::kDeletePersistentUdpPortReservation:
      return "DeletePersistentUdpPortReservation";
    case Api::kLookupPersistentTcpPortReservation:
      return "LookupPersistentTcpPortReservation";
    case Api::kLookupPersistentUdpPortReservation:
      return "LookupPersistentUdpPortReservation";
    case Api::kWSPIoctl:
      return "WSPIoctl";
    case Api::kWSAStartup:
      return "WSAStartup";
    case Api::kWSACleanup:
      return "WSACleanup";
    case Api::kWSASocketW:
      return "WSASocketW";
    case Api::kWSASocketA:
      return "WSASocketA";
    case Api::kSetSockOpt:
      return "setsockopt";
    case Api::kGetSockOpt:
      return "getsockopt";
    case Api::kConnect:
      return "connect";
    case Api::kListen:
      return "listen";
    case Api::kAccept:
      return "accept";
    case Api::kGetPeerName:
      return "getpeername";
    case Api::kIoctlSocket:
      return "ioctlsocket";
  }
  return "?";
}

CallPredicate IsApi(Api api) {
  return [api](const Call& call) { return call.api == api; };
}

CallPredicate IsIoctl(DWORD code) {
  return [code](const Call& call) {
    return (call.api == Api::kWSAIoctl || call.api == Api::kWSPIoctl) && call.code == code;
  };
}

CallPredicate OnSocket(SOCKET s) {
  return [s](const Call& call) { return call.socket == s; };
}

// A Winsock call that fails returns SOCKET_ERROR (INVALID_SOCKET, FALSE) and leaves a positive
// code for WSAGetLastError: the WSA* codes from WSABASEERR (10000) up, or system codes such as
// WSA_INVALID_HANDLE (6). 0 is NO_ERROR, what a successful call leaves; a negative code is no
// Winsock error at all, and -1 is the SOCKET_ERROR a test meant to say the call returns. A fault
// with either would make the fake answer what no Windows call does, so it is refused here,
// before it can reach a process, with the value and the way to say what the test likely meant.
Fault Fault::Error(int wsa_error, const char* file, int line) {
  const std::string where = std::string(file) + ":" + std::to_string(line) + ": ";
  if (wsa_error == 0) {
    throw std::invalid_argument(
        where +
        "portres::Fault::Error(0): 0 is NO_ERROR, so the call would return SOCKET_ERROR with no "
        "error, which no Winsock call does; pass the error WSAGetLastError() should return "
        "(e.g. WSAENETDOWN), inject nothing to let the call succeed, or use Fault::Pend() to "
        "leave it pending");
  }
  if (wsa_error < 0) {
    std::string message = where + "portres::Fault::Error(" + std::to_string(wsa_error) + "): ";
    if (wsa_error == SOCKET_ERROR) {
      message += "-1 is SOCKET_ERROR, what a failed call returns, not its error; ";
    } else {
      message += "Winsock error codes are positive; ";
    }
    message += "pass the error WSAGetLastError() should return (e.g. WSAENETDOWN)";
    throw std::invalid_argument(message);
  }
  return Fault(wsa_error, false);
}
Fault Fault::Pend() { return Fault(0, true); }

Fault Fault::Before(std::function<void()> action, const char* file, int line) {
  if (!action) {
    throw std::invalid_argument(std::string(file) + ":" + std::to_string(line) +
                                ": portres::Fault::Before: the action is empty; pass the code "
                                "to run just before the calls the fault hits");
  }
  Fault fault(0, false);
  fault.action_ = std::move(action);
  return fault;
}

Fault& Fault::OnNextCall() {
  trigger_ = Trigger::kNext;
  remaining_ = 1;
  explicit_trigger_ = true;
  return *this;
}

Fault& Fault::OnCall(std::uint64_t index) {
  trigger_ = Trigger::kIndex;
  index_ = index;
  remaining_ = 1;
  explicit_trigger_ = true;
  return *this;
}

Fault& Fault::When(CallPredicate pred) {
  predicate_ = std::move(pred);
  if (!explicit_trigger_) {
    trigger_ = Trigger::kEvery;
    if (!explicit_times_) remaining_ = kUnlimited;
  }
  return *this;
}

Fault& Fault::WithProbability(double p) {
  trigger_ = Trigger::kProbability;
  probability_ = p;
  if (!explicit_times_) remaining_ = kUnlimited;
  explicit_trigger_ = true;
  return *this;
}

Fault& Fault::Times(std::uint64_t n) {
  remaining_ = n;
  explicit_times_ = true;
  return *this;
}

Fault& Fault::OnThisThread() {
  thread_ = std::this_thread::get_id();
  return *this;
}

std::optional<FaultSet::Hit> FaultSet::Take(const Call& call) {
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    Fault& fault = *it;
    if (fault.action_) continue;
    if (fault.pend_ && !call.overlapped) continue;
    if (!Hits(fault, call)) continue;
    Hit hit{fault.error_, fault.pend_};
    if (fault.remaining_ != Fault::kUnlimited && --fault.remaining_ == 0) faults_.erase(it);
    return hit;
  }
  return std::nullopt;
}

std::vector<std::function<void()>> FaultSet::TakeActions(const Call& call) {
  std::vector<std::function<void()>> actions;
  for (auto it = faults_.begin(); it != faults_.end();) {
    Fault& fault = *it;
    if (!fault.action_ || !Hits(fault, call)) {
      ++it;
      continue;
    }
    actions.push_back(fault.action_);
    if (fault.remaining_ != Fault::kUnlimited && --fault.remaining_ == 0) {
      it = faults_.erase(it);
    } else {
      ++it;
    }
  }
  return actions;
}

bool FaultSet::Hits(Fault& fault, const Call& call) {
  if (fault.remaining_ == 0) return false;
  // Take runs on the thread making the call (under the host's lock), so this is the caller's.
  if (fault.thread_ != std::thread::id() && fault.thread_ != std::this_thread::get_id()) {
    return false;
  }
  if (fault.predicate_ && !fault.predicate_(call)) return false;
  switch (fault.trigger_) {
    case Fault::Trigger::kNext:
    case Fault::Trigger::kEvery:
      return true;
    case Fault::Trigger::kIndex:
      return call.index == fault.index_;
    case Fault::Trigger::kProbability:
      return NextUniform() < fault.probability_;
  }
  return false;
}

// splitmix64: small, fast, and the same sequence on every platform.
double FaultSet::NextUniform() {
  std::uint64_t z = (rng_state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * (1.0 / 9007199254740992.0);
}

// ---- Before faults, run by the host ------------------------------------------------------------
namespace detail {
namespace {
// Calls made from inside an action hit no Before fault: an action that makes the call it is
// injected before would otherwise run itself without end.
thread_local int running_actions = 0;
}  // namespace

void HostState::RunBeforeActions(std::uint32_t pid, Api api, SOCKET s, DWORD code,
                                 bool overlapped) {
  if (!has_before_faults_.load(std::memory_order_relaxed) || running_actions > 0) return;
  std::vector<std::function<void()>> actions;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Process& process = ProcessOf(pid);
    if (process.faults.empty()) return;
    Call call;
    call.index = process.call_count;  // the index the call is about to take
    call.api = api;
    call.socket = s;
    call.code = code;
    call.overlapped = overlapped;
    actions = process.faults.TakeActions(call);
  }
  // Each fault that hits the call runs once before it, in the order they were injected.
  struct Running {
    Running() { ++running_actions; }
    ~Running() { --running_actions; }
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;
  } running;
  for (const auto& action : actions) action();
}

}  // namespace detail
}  // namespace portres
