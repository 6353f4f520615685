// The fault sweep's engine: one run of a scenario on a fresh fake, the plan of injections, and
// the sweep. Reports are written in fault_sweep_report.cpp, the GoogleTest glue in
// testing/fault_sweep_gtest.cpp (portres::gmock).
#include <portres/documented_errors.h>
#include <portres/fault_sweep.h>
#include <portres/socket_ioctl.h>

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

namespace portres {
namespace {

std::shared_ptr<FakeSocketIoctl> DefaultFake() {
  FakeHostOptions options;
  options.call_log_capacity = kSweepCallLogCapacity;
  return std::make_shared<FakeSocketIoctl>(options);
}

bool IsPendEffect(SweepEffect effect) {
  return effect == SweepEffect::kPendThenComplete || effect == SweepEffect::kPendThenAbort;
}

// What the scenario calls: the fake, plus the end of a pending effect. When the injected call
// has been left pending, the next Winsock call the scenario makes first completes it (normally,
// or with WSA_OPERATION_ABORTED), as if the system had finished it in the meantime.
class SweepSocketIoctl final : public ForwardingSocketIoctl {
 public:
  SweepSocketIoctl(FakeSocketIoctl& fake, const SweepInjection& injection)
      : ForwardingSocketIoctl(fake),
        fake_(fake),
        injection_(injection),
        watching_(IsPendEffect(injection.effect)) {}

  // The scenario has returned: nothing is settled behind its back any more.
  void StopWatching() noexcept {
    watching_ = false;
    pended_ = nullptr;
  }

  SOCKET socket(int af, int type, int protocol) override {
    Settle();
    return ForwardingSocketIoctl::socket(af, type, protocol);
  }
  int closesocket(SOCKET s) override {
    Settle();
    return ForwardingSocketIoctl::closesocket(s);
  }
  int bind(SOCKET s, const sockaddr* name, int namelen) override {
    Settle();
    return ForwardingSocketIoctl::bind(s, name, namelen);
  }
  int getsockname(SOCKET s, sockaddr* name, int* namelen) override {
    Settle();
    return ForwardingSocketIoctl::getsockname(s, name, namelen);
  }
  int WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
               LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
               LPWSAOVERLAPPED lpOverlapped,
               LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) override {
    Settle();
    const bool may_be_hit = watching_ && lpOverlapped != nullptr;
    const std::uint64_t index = may_be_hit ? fake_.CallCount() : 0;
    const int result = ForwardingSocketIoctl::WSAIoctl(s, dwIoControlCode, lpvInBuffer, cbInBuffer,
                                                       lpvOutBuffer, cbOutBuffer, lpcbBytesReturned,
                                                       lpOverlapped, lpCompletionRoutine);
    if (may_be_hit && index == injection_.call_index && result == SOCKET_ERROR &&
        fake_.WSAGetLastError() == WSA_IO_PENDING) {
      pended_ = lpOverlapped;
    }
    return result;
  }
  BOOL WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                              BOOL fWait, LPDWORD lpdwFlags) override {
    Settle();
    return ForwardingSocketIoctl::WSAGetOverlappedResult(s, lpOverlapped, lpcbTransfer, fWait,
                                                         lpdwFlags);
  }
  // The rest of the surface settles too: a client may connect or listen while a call pends.
  int WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData) override {
    Settle();
    return ForwardingSocketIoctl::WSAStartup(wVersionRequested, lpWSAData);
  }
  int WSACleanup() override {
    Settle();
    return ForwardingSocketIoctl::WSACleanup();
  }
  SOCKET WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g,
                    DWORD dwFlags) override {
    Settle();
    return ForwardingSocketIoctl::WSASocketW(af, type, protocol, lpProtocolInfo, g, dwFlags);
  }
  SOCKET WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA lpProtocolInfo, GROUP g,
                    DWORD dwFlags) override {
    Settle();
    return ForwardingSocketIoctl::WSASocketA(af, type, protocol, lpProtocolInfo, g, dwFlags);
  }
  int setsockopt(SOCKET s, int level, int optname, const char* optval, int optlen) override {
    Settle();
    return ForwardingSocketIoctl::setsockopt(s, level, optname, optval, optlen);
  }
  int getsockopt(SOCKET s, int level, int optname, char* optval, int* optlen) override {
    Settle();
    return ForwardingSocketIoctl::getsockopt(s, level, optname, optval, optlen);
  }
  int connect(SOCKET s, const sockaddr* name, int namelen) override {
    Settle();
    return ForwardingSocketIoctl::connect(s, name, namelen);
  }
  int listen(SOCKET s, int backlog) override {
    Settle();
    return ForwardingSocketIoctl::listen(s, backlog);
  }
  SOCKET accept(SOCKET s, sockaddr* addr, int* addrlen) override {
    Settle();
    return ForwardingSocketIoctl::accept(s, addr, addrlen);
  }
  int getpeername(SOCKET s, sockaddr* name, int* namelen) override {
    Settle();
    return ForwardingSocketIoctl::getpeername(s, name, namelen);
  }
  int ioctlsocket(SOCKET s, long cmd, u_long* argp) override {
    Settle();
    return ForwardingSocketIoctl::ioctlsocket(s, cmd, argp);
  }

 private:
  void Settle() {
    if (pended_ == nullptr) return;
    LPWSAOVERLAPPED overlapped = std::exchange(pended_, nullptr);
    // False when the scenario already ended it (closesocket aborts it): nothing to do then.
    if (injection_.effect == SweepEffect::kPendThenAbort) {
      fake_.CompletePending(overlapped, WSA_OPERATION_ABORTED);
    } else {
      fake_.CompletePending(overlapped);
    }
  }

  FakeSocketIoctl& fake_;
  SweepInjection injection_;
  bool watching_;
  LPWSAOVERLAPPED pended_ = nullptr;
};

template <typename T>
bool Contains(const std::vector<T>& values, const T& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// Sockets whose last closesocket failed with an injected error: the scenario closed them.
std::vector<SOCKET> SocketsClosedUnderFault(const std::vector<CallRecord>& log) {
  std::vector<SOCKET> sockets;
  for (const CallRecord& record : log) {
    if (record.call.api != Api::kCloseSocket) continue;
    auto it = std::find(sockets.begin(), sockets.end(), record.call.socket);
    if (record.injected && record.error != 0) {
      if (it == sockets.end()) sockets.push_back(record.call.socket);
    } else if (it != sockets.end()) {
      sockets.erase(it);
    }
  }
  return sockets;
}

// Checks that the fault of `run` hit the call it was aimed at. A miss means the scenario made
// different calls than in the recording run: it is not deterministic, and the run proves nothing.
void CheckFaultHit(const std::vector<CallRecord>& log, SweepRun& run) {
  const SweepInjection& injection = run.injection;
  if (injection.effect == SweepEffect::kNone) return;
  auto it = std::find_if(log.begin(), log.end(), [&](const CallRecord& record) {
    return record.call.index == injection.call_index;
  });
  if (it == log.end()) {
    const std::uint64_t calls =
        IsIpHelperApi(injection.api) ? run.scenario_ip_helper_calls : run.scenario_calls;
    if (injection.call_index >= calls) {
      run.problems.push_back("the scenario made only " + std::to_string(calls) +
                             " calls, so call " + std::to_string(injection.call_index) +
                             " never came: is the scenario deterministic?");
    }
    return;  // not in the log (capacity): nothing more to say
  }
  const CallRecord& hit = *it;
  if (hit.call.api != injection.api || hit.call.code != injection.code) {
    run.problems.push_back("call " + std::to_string(injection.call_index) +
                           " was not the recorded call in this run: is the scenario "
                           "deterministic?");
  } else if (!hit.injected) {
    run.problems.push_back("the fault aimed at call " + std::to_string(injection.call_index) +
                           " did not hit it" +
                           (IsPendEffect(injection.effect) ? " (a call that is not overlapped "
                                                             "cannot pend)"
                                                           : ""));
  }
}

SweepRun RunOnce(const Scenario& scenario, const SweepInjection& injection,
                 const SweepOptions& options, bool keep_log) {
  SweepRun run;
  run.injection = injection;
  std::shared_ptr<FakeSocketIoctl> fake = options.make_fake ? options.make_fake() : DefaultFake();
  if (!fake) {
    run.problems.push_back("SweepOptions::make_fake returned no fake");
    return run;
  }

  // What was there before the scenario ran is not its to clean up.
  std::vector<SOCKET> sockets_before;
  for (const SocketInfo& socket : fake->host().Sockets()) sockets_before.push_back(socket.handle);
  std::vector<ULONG64> tokens_before;
  for (const ReservationInfo& reservation : fake->host().Reservations()) {
    tokens_before.push_back(reservation.token);
  }
  const std::uint64_t calls_before = fake->CallCount();

  // iphlpapi calls go to a view of their own, fresh for the run, with its own numbering.
  FakeIpHelper helper(fake->shared_host());
  const bool at_ip_helper = IsIpHelperApi(injection.api);

  SweepInjection aimed = injection;
  if (!at_ip_helper) aimed.call_index += calls_before;  // indices count from the first call
  switch (injection.effect) {
    case SweepEffect::kNone:
      break;
    case SweepEffect::kError:
      if (at_ip_helper) {
        helper.Inject(Fault::Error(injection.error).OnCall(aimed.call_index));
      } else {
        fake->Inject(Fault::Error(injection.error).OnCall(aimed.call_index));
      }
      break;
    case SweepEffect::kPendThenComplete:
    case SweepEffect::kPendThenAbort:
      fake->Inject(Fault::Pend().OnCall(aimed.call_index));
      break;
  }

  SweepSocketIoctl api(*fake, aimed);
  std::vector<SOCKET> returned;
  try {
    returned = scenario(api, *fake, helper);
  } catch (const std::exception& e) {
    run.problems.push_back(std::string("the scenario threw: ") + e.what());
  } catch (...) {
    run.problems.push_back("the scenario threw an exception not derived from std::exception");
  }
  api.StopWatching();
  fake->ClearFaults();
  helper.ClearFaults();
  run.scenario_calls = fake->CallCount() - calls_before;
  run.scenario_ip_helper_calls = helper.CallCount();

  run.pending_calls_left = fake->PendingCalls().size();
  if (run.pending_calls_left == 0) {
    for (SOCKET s : returned) fake->closesocket(s);
    if (options.cleanup) options.cleanup(api, *fake);
  } else {
    // Closing the sockets would complete those calls into WSAOVERLAPPEDs that may be gone with
    // the scenario's stack; destroying the fake drops them without a word.
    run.problems.push_back(
        "the scenario returned with " + std::to_string(run.pending_calls_left) +
        " overlapped call(s) still pending (their WSAOVERLAPPED must stay valid until they "
        "complete: WSAIoctl page, Remarks); returned sockets and cleanup were skipped");
  }

  std::vector<CallRecord> log = fake->CallLog();
  if (calls_before != 0) {
    // Renumber from the scenario's first call, as the plan counts.
    log.erase(std::remove_if(log.begin(), log.end(),
                             [&](const CallRecord& r) { return r.call.index < calls_before; }),
              log.end());
    for (CallRecord& record : log) record.call.index -= calls_before;
  }
  std::vector<CallRecord> ip_helper_log = helper.CallLog();
  CheckFaultHit(at_ip_helper ? ip_helper_log : log, run);

  const std::vector<SOCKET> forgiven =
      options.forgive_failed_closesocket ? SocketsClosedUnderFault(log) : std::vector<SOCKET>();
  for (const SocketInfo& socket : fake->host().Sockets()) {
    if (!Contains(sockets_before, socket.handle) && !Contains(forgiven, socket.handle)) {
      run.leaked_sockets.push_back(socket);
    }
  }
  for (const ReservationInfo& reservation : fake->host().Reservations()) {
    if (Contains(tokens_before, reservation.token)) continue;
    if (reservation.kind == ReservationKind::kRuntime &&
        Contains(forgiven, reservation.owner_socket)) {
      continue;  // it ends with the socket Windows kept open
    }
    run.leaked_reservations.push_back(reservation);
  }

  for (const SweepCheck& check : options.checks) {
    std::string failure = check(*fake, injection);
    if (!failure.empty()) run.problems.push_back(std::move(failure));
  }

  if (keep_log || !run.ok()) {
    run.call_log = std::move(log);
    run.ip_helper_call_log = std::move(ip_helper_log);
  }
  return run;
}

}  // namespace

// ---- Options ----------------------------------------------------------------------------------
SweepOptions& SweepOptions::OnlyErrors(std::vector<int> errors) {
  errors_for = [errors = std::move(errors)](const Call&) { return errors; };
  return *this;
}

SweepOptions& SweepOptions::OnlyCalls(Api api, DWORD ioctl_code) {
  sweep_call = [api, ioctl_code](const Call& call) {
    return call.api == api && (ioctl_code == 0 || call.code == ioctl_code);
  };
  return *this;
}

SweepOptions& SweepOptions::WithPendEffects() {
  pend_then_complete = true;
  pend_then_abort = true;
  return *this;
}

SweepOptions& SweepOptions::WithFake(std::function<std::shared_ptr<FakeSocketIoctl>()> factory) {
  make_fake = std::move(factory);
  return *this;
}

SweepOptions& SweepOptions::WithCleanup(std::function<void(ISocketIoctl&, FakeSocketIoctl&)> hook) {
  cleanup = std::move(hook);
  return *this;
}

// ---- The sweep --------------------------------------------------------------------------------
std::vector<SweepInjection> PlanFaultSweep(const std::vector<CallRecord>& recorded_calls,
                                           const SweepOptions& options) {
  std::vector<SweepInjection> plan;
  for (const CallRecord& record : recorded_calls) {
    const Call& call = record.call;
    if (options.sweep_call && !options.sweep_call(call)) continue;
    SweepInjection injection;
    injection.call_index = call.index;
    injection.api = call.api;
    injection.code = call.code;
    injection.effect = SweepEffect::kError;
    auto add_errors = [&](const auto& errors) {
      for (int error : errors) {
        if (error == WSA_IO_PENDING) continue;  // a pending call is an effect, not an error
        injection.error = error;
        plan.push_back(injection);
      }
    };
    if (options.errors_for) {
      add_errors(options.errors_for(call));
    } else {
      add_errors(DocumentedErrors(call.api, call.code));
    }
    if (call.overlapped && call.api == Api::kWSAIoctl) {
      injection.error = 0;
      if (options.pend_then_complete) {
        injection.effect = SweepEffect::kPendThenComplete;
        plan.push_back(injection);
      }
      if (options.pend_then_abort) {
        injection.effect = SweepEffect::kPendThenAbort;
        plan.push_back(injection);
      }
    }
  }
  return plan;
}

SweepRun RunScenario(const Scenario& scenario, const SweepInjection& injection,
                     const SweepOptions& options) {
  return RunOnce(scenario, injection, options, false);
}

SweepResult RunFaultSweep(const Scenario& scenario, const SweepOptions& options) {
  SweepResult result;
  SweepRun recording = RunOnce(scenario, SweepInjection(), options, true);
  for (const CallRecord& record : recording.call_log) {
    if (record.call.index < recording.scenario_calls) result.recorded_calls.push_back(record);
  }
  const std::size_t winsock_calls = result.recorded_calls.size();
  for (const CallRecord& record : recording.ip_helper_call_log) {
    if (record.call.index < recording.scenario_ip_helper_calls) {
      result.recorded_calls.push_back(record);
    }
  }
  result.recording_leaks_unreturned_sockets =
      !scenario.returns_sockets() && !recording.leaked_sockets.empty();
  if (winsock_calls < recording.scenario_calls) {
    recording.problems.push_back(
        "the call log kept only " + std::to_string(winsock_calls) + " of the " +
        std::to_string(recording.scenario_calls) +
        " calls; the earlier ones cannot be swept (raise FakeHostOptions::call_log_capacity)");
  }
  result.runs = 1;
  if (!recording.ok()) result.failures.push_back(std::move(recording));

  result.plan = PlanFaultSweep(result.recorded_calls, options);
  for (const SweepInjection& injection : result.plan) {
    SweepRun run = RunOnce(scenario, injection, options, false);
    ++result.runs;
    if (!run.ok()) result.failures.push_back(std::move(run));
  }
  return result;
}

}  // namespace portres
