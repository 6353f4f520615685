// <portres/fault_sweep.h>: run a scenario once per (call, documented error) pair and report
// every run that leaves a socket or a reservation behind.
//
//   void ProbePort(portres::ISocketIoctl& api);   // the code under test
//
//   TEST(ProbePort, ReleasesEverythingOnEveryErrorPath) {
//     EXPECT_NO_LEAKS_UNDER_FAULTS(ProbePort);     // one failure per leaking (call, error) run
//   }
//
// The sweep runs the scenario once on a fresh FakeSocketIoctl to record its calls, then once
// more for each recorded call and each error Microsoft documents for it (DocumentedErrors), on
// a fresh fake each time, with that one error injected at that call (Fault::Error(e).OnCall(i)).
// After each run it checks that the sockets and reservations the scenario created are gone, that
// no overlapped call is still pending, and whatever the options add. A failing run is reported
// with the call (index, Api, IOCTL), the error ("WSAENETDOWN (10050)"), what leaked (sockets,
// reservations with ranges and tokens) and the call log of that run.
//
// The scenario must be deterministic: the same calls in the same order on the same fresh fake
// (the fake is seeded, so tokens, ports and handles repeat from run to run).
//
// Each (call, error) pair can also be its own GoogleTest test (RegisterFaultSweep), named like
// ProbePort.call3_WSAIoctl_SIO_ASSOCIATE_PORT_RESERVATION_WSAENETDOWN.
//
// Without GoogleTest (portres::sweep alone), check the result yourself:
//
//   const portres::SweepResult result = portres::RunFaultSweep(ProbePort);
//   CHECK(result.ok());  // Catch2, doctest...; result.Report() says what failed
#ifndef PORTRES_FAULT_SWEEP_H
#define PORTRES_FAULT_SWEEP_H

#include <portres/call_log.h>
#include <portres/fake_host.h>
#include <portres/fake_ip_helper.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/fault.h>
#include <portres/sweep_export.h>
// ExpectSweepClean and RegisterFaultSweep, at the end, are portres::gmock's; without that
// library they are declared and never defined, so their macro may stay empty.
#if __has_include(<portres/gmock_export.h>)
#include <portres/gmock_export.h>
#endif
#ifndef PORTRES_GMOCK_API
#define PORTRES_GMOCK_API
#endif
#include <portres/ip_helper.h>
#include <portres/socket_ioctl.h>
#include <portres/winsock.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace portres {

// ---- What one run injects -------------------------------------------------------------------

// What a sweep run does to the call it hits.
enum class SweepEffect : unsigned char {
  kNone,              // nothing: the recording run
  kError,             // the call fails with `error` and changes nothing
  kPendThenComplete,  // the overlapped call answers WSA_IO_PENDING, then completes normally
  kPendThenAbort,     // the overlapped call answers WSA_IO_PENDING, then ends with
                      // WSA_OPERATION_ABORTED (as when the I/O manager cancels it)
};

// The pending effects end just before the scenario's next Winsock call (socket, closesocket,
// bind, getsockname, WSAIoctl, WSAGetOverlappedResult, connect, setsockopt...: any call but the
// last-error and event ones) on the ISocketIoctl the sweep hands it:
// as far as the scenario can tell, the system finished the call while it was doing something
// else. Its event is signalled and its completion routine runs at that moment.
struct SweepInjection {
  // What the run does to the call.
  SweepEffect effect = SweepEffect::kNone;
  std::uint64_t call_index = 0;  // Call::index of the call hit
  // The method of the call hit.
  Api api = Api::kSocket;
  DWORD code = 0;  // the IOCTL code when api is kWSAIoctl
  int error = 0;   // kError only
};

// "call 3 WSAIoctl(SIO_RELEASE_PORT_RESERVATION) failing with WSAENETDOWN (10050)",
// "call 1 WSAIoctl(SIO_ACQUIRE_PORT_RESERVATION) pending, then aborted", "no fault".
PORTRES_SWEEP_API std::string DescribeInjection(const SweepInjection& injection);
// A GoogleTest-safe name: "call3_WSAIoctl_SIO_RELEASE_PORT_RESERVATION_WSAENETDOWN",
// "call1_WSAIoctl_SIO_ACQUIRE_PORT_RESERVATION_PendThenAbort", "NoFault".
PORTRES_SWEEP_API std::string InjectionTestName(const SweepInjection& injection);

// ---- The scenario -----------------------------------------------------------------------------

// The code under test, as any callable of one of these forms:
//   R f(ISocketIoctl& api)                        the usual form: the user's function itself
//   R f(ISocketIoctl& api, FakeSocketIoctl& fake) when it also wants the fake (introspection,
//                                                 CompletePending, a second process on its host)
//   R f(FakeSocketIoctl& fake)                    calls the fake directly (the pending effects
//                                                 then end only when it calls through `api`,
//                                                 which it cannot: avoid with pend effects)
//   R f(ISocketIoctl& api, IIpHelper& helper)     also makes persistent reservations: the sweep
//   R f(IIpHelper& helper)                        injects the iphlpapi pages' errors there too
//                                                 (a FakeIpHelper on the run's host)
// R is void, or what the scenario hands back to its caller: a SOCKET, or a std::vector<SOCKET>,
// that the scenario legitimately leaves open (INVALID_SOCKET means "nothing"). The sweep closes
// those itself after the run, so they are not leaks; anything else the scenario leaves is. Any
// other R is ignored.
class Scenario {
 public:
  // Every form above, adapted: it returns the sockets the scenario leaves open on purpose.
  using Body = std::function<std::vector<SOCKET>(ISocketIoctl& api, FakeSocketIoctl& fake,
                                                 IIpHelper& helper)>;

  // Adapts a callable of one of the forms above.
  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Scenario>>>
  Scenario(F f)  // NOLINT(google-explicit-constructor): any callable converts
      : body_(Adapt(std::move(f))), returns_sockets_(ReturnsSockets<F>()) {}

  // Runs the scenario; returns the sockets it leaves open on purpose.
  std::vector<SOCKET> operator()(ISocketIoctl& api, FakeSocketIoctl& fake,
                                 IIpHelper& helper) const {
    return body_(api, fake, helper);
  }
  // Runs the scenario with a FakeIpHelper of its own on the fake's host.
  std::vector<SOCKET> operator()(ISocketIoctl& api, FakeSocketIoctl& fake) const {
    FakeIpHelper helper(fake.shared_host());
    return body_(api, fake, helper);
  }
  // Whether the scenario hands back the sockets it keeps (a SOCKET or std::vector<SOCKET>);
  // when it does not, every socket it leaves open is a leak.
  bool returns_sockets() const noexcept { return returns_sockets_; }

 private:
  static std::vector<SOCKET> Returned(SOCKET s) {
    if (s == INVALID_SOCKET) return {};
    return {s};
  }
  static std::vector<SOCKET> Returned(std::vector<SOCKET> sockets) { return sockets; }
  template <typename T>
  static std::vector<SOCKET> Returned(const T&) {
    return {};
  }

  template <typename F, typename... Args>
  static std::vector<SOCKET> Invoke(F& f, Args&... args) {
    if constexpr (std::is_void_v<std::invoke_result_t<F&, Args&...>>) {
      f(args...);
      return {};
    } else {
      return Returned(f(args...));
    }
  }

  template <typename F>
  static Body Adapt(F f) {
    return [f = std::move(f)](ISocketIoctl& api, FakeSocketIoctl& fake, IIpHelper& helper) mutable {
      if constexpr (std::is_invocable_v<F&, ISocketIoctl&, FakeSocketIoctl&>) {
        return Invoke(f, api, fake);
      } else if constexpr (std::is_invocable_v<F&, ISocketIoctl&, IIpHelper&>) {
        return Invoke(f, api, helper);
      } else if constexpr (std::is_invocable_v<F&, ISocketIoctl&>) {
        return Invoke(f, api);
      } else if constexpr (std::is_invocable_v<F&, IIpHelper&>) {
        return Invoke(f, helper);
      } else {
        static_assert(std::is_invocable_v<F&, FakeSocketIoctl&>,
                      "a scenario takes (ISocketIoctl&), (ISocketIoctl&, FakeSocketIoctl&), "
                      "(ISocketIoctl&, IIpHelper&), (IIpHelper&) or (FakeSocketIoctl&)");
        return Invoke(f, fake);
      }
    };
  }

  template <typename R>
  static constexpr bool IsSocketsResult() {
    return std::is_same_v<std::decay_t<R>, SOCKET> ||
           std::is_same_v<std::decay_t<R>, std::vector<SOCKET>>;
  }
  template <typename F>
  static constexpr bool ReturnsSockets() {
    if constexpr (std::is_invocable_v<F&, ISocketIoctl&, FakeSocketIoctl&>) {
      return IsSocketsResult<std::invoke_result_t<F&, ISocketIoctl&, FakeSocketIoctl&>>();
    } else if constexpr (std::is_invocable_v<F&, ISocketIoctl&, IIpHelper&>) {
      return IsSocketsResult<std::invoke_result_t<F&, ISocketIoctl&, IIpHelper&>>();
    } else if constexpr (std::is_invocable_v<F&, ISocketIoctl&>) {
      return IsSocketsResult<std::invoke_result_t<F&, ISocketIoctl&>>();
    } else if constexpr (std::is_invocable_v<F&, IIpHelper&>) {
      return IsSocketsResult<std::invoke_result_t<F&, IIpHelper&>>();
    } else if constexpr (std::is_invocable_v<F&, FakeSocketIoctl&>) {
      return IsSocketsResult<std::invoke_result_t<F&, FakeSocketIoctl&>>();
    } else {
      return false;
    }
  }

  Body body_;
  bool returns_sockets_ = false;
};

// ---- Options ---------------------------------------------------------------------------------

// A check run after every run (after the leak check's cleanup), on the run's fake: returns an
// empty string when all is well, else what went wrong. MakeSweepCheck adapts callables that take
// (FakeSocketIoctl&) or (FakeSocketIoctl&, const SweepInjection&) and return bool (true: fine)
// or std::string.
using SweepCheck = std::function<std::string(FakeSocketIoctl& fake, const SweepInjection& run)>;

// Adapts a check of one of the forms above to a SweepCheck.
template <typename F>
SweepCheck MakeSweepCheck(F f) {
  return [f = std::move(f)](FakeSocketIoctl& fake, const SweepInjection& run) mutable {
    auto call = [&]() {
      if constexpr (std::is_invocable_v<F&, FakeSocketIoctl&, const SweepInjection&>) {
        return f(fake, run);
      } else {
        return f(fake);
      }
    };
    using R = decltype(call());
    if constexpr (std::is_same_v<R, bool>) {
      return call() ? std::string() : std::string("the check returned false");
    } else {
      return std::string(call());
    }
  };
}

// How a sweep runs: the fake each run gets, which calls and errors it sweeps, and the checks
// after each run. Defaults sweep every call with every documented error.
struct PORTRES_SWEEP_API SweepOptions {
  // Makes the fresh fake of each run. Default: a FakeSocketIoctl on a host of its own with a
  // call log long enough for the whole run (kSweepCallLogCapacity). A factory may preset a host
  // (persistent reservations, other processes) or change options; it must return a fake on a
  // host nothing else touches, so that runs do not see each other, and should keep
  // FakeHostOptions::call_log_capacity at least as large as the scenario's number of calls.
  // Keep other process views alive with the aliasing constructor of std::shared_ptr.
  std::function<std::shared_ptr<FakeSocketIoctl>()> make_fake;

  // Which recorded calls to sweep. Default: every one.
  std::function<bool(const Call& call)> sweep_call;
  // Which errors to inject at a call. Default: DocumentedErrors(call.api, call.code).
  std::function<std::vector<int>(const Call& call)> errors_for;
  // Also run each overlapped WSAIoctl call pending, then completed normally.
  bool pend_then_complete = false;
  // Also run each overlapped WSAIoctl call pending, then aborted (WSA_OPERATION_ABORTED).
  bool pend_then_abort = false;

  // Checks run after every run, in order; see SweepCheck.
  std::vector<SweepCheck> checks;
  // Runs after the scenario (faults cleared) and before the leak check: releases what the
  // scenario keeps on purpose (a socket stored in a captured variable, say). Its calls appear in
  // the run's log after the scenario's and are never swept.
  std::function<void(ISocketIoctl& api, FakeSocketIoctl& fake)> cleanup;
  // A socket whose last closesocket failed with the injected error is not a leak: the scenario
  // did close it, and Windows kept it (the closesocket page: the handle "is still valid").
  // False makes the sweep demand that the scenario retry or otherwise deal with it.
  bool forgive_failed_closesocket = true;

  // Fluent set-up.
  template <typename F>
  SweepOptions& AddCheck(F f) {
    checks.push_back(MakeSweepCheck(std::move(f)));
    return *this;
  }
  // Inject exactly these errors at every swept call, documented there or not.
  SweepOptions& OnlyErrors(std::vector<int> errors);
  // Sweep only the calls of this Api (and, for kWSAIoctl with a code, this IOCTL).
  SweepOptions& OnlyCalls(Api api, DWORD ioctl_code = 0);
  SweepOptions& WithPendEffects();  // both pend_then_complete and pend_then_abort
  // Sets make_fake.
  SweepOptions& WithFake(std::function<std::shared_ptr<FakeSocketIoctl>()> factory);
  // Sets cleanup.
  SweepOptions& WithCleanup(std::function<void(ISocketIoctl&, FakeSocketIoctl&)> hook);
};

// The call log capacity of the default fake.
inline constexpr std::size_t kSweepCallLogCapacity = 4096;

// ---- Results ---------------------------------------------------------------------------------

// One run: what it injected and what it found. ok() when nothing was found.
struct PORTRES_SWEEP_API SweepRun {
  // What the run injected.
  SweepInjection injection;
  std::vector<SocketInfo> leaked_sockets;            // opened during the run, still open
  std::vector<ReservationInfo> leaked_reservations;  // live, not there before the run
  std::size_t pending_calls_left = 0;                // overlapped calls still pending at return
  std::vector<std::string> problems;                 // failed checks, a fault that missed, ...
  std::vector<CallRecord> call_log;                  // the whole run; kept for failed runs only
  std::uint64_t scenario_calls = 0;                  // calls made before the scenario returned
  // The run's iphlpapi calls (its FakeIpHelper's log, numbered apart); failed runs only.
  std::vector<CallRecord> ip_helper_call_log;
  std::uint64_t scenario_ip_helper_calls = 0;  // iphlpapi calls made before the scenario returned

  // Whether the run found nothing: no leak, no call left pending, no problem.
  bool ok() const noexcept {
    return leaked_sockets.empty() && leaked_reservations.empty() && pending_calls_left == 0 &&
           problems.empty();
  }
  // The readable report: injection, leaks, problems, call log.
  std::string Report() const;
  // What the run found (leaks, calls left pending, problems), without the injection or the log:
  // runs that found the same at the same call are one entry of SweepResult's report.
  std::string Findings() const;
};

// A whole sweep: the recorded calls, the plan, and the runs that failed.
struct PORTRES_SWEEP_API SweepResult {
  std::vector<CallRecord> recorded_calls;  // the recording run's calls
  std::vector<SweepInjection> plan;        // every injection run, in order
  std::size_t runs = 0;                    // runs made, the recording run included
  std::vector<SweepRun> failures;          // failing runs, the recording run first if it failed

  // The recording run hands back no sockets (a void scenario, say) yet leaves some open.
  bool recording_leaks_unreturned_sockets = false;

  // Whether every run passed.
  bool ok() const noexcept { return failures.empty(); }
  // One entry per finding: runs that fail with the same findings at the same call are one
  // entry listing their errors, with the first run's log only. When the recording run fails,
  // its entry comes first and says to fix it first; the runs that find nothing more are left
  // out (counted in it).
  std::vector<std::string> ReportEntries() const;
  // "fault sweep: 80 runs over 10 calls, 3 failed" and every entry of ReportEntries().
  std::string Report() const;
};

// The injections a sweep makes for a recorded run, in call order.
PORTRES_SWEEP_API std::vector<SweepInjection> PlanFaultSweep(
    const std::vector<CallRecord>& recorded_calls, const SweepOptions& options = SweepOptions());
// One run on a fresh fake with `injection` (SweepEffect::kNone: the recording run).
PORTRES_SWEEP_API SweepRun RunScenario(const Scenario& scenario, const SweepInjection& injection,
                                       const SweepOptions& options = SweepOptions());
// The recording run, then every injection of the plan.
PORTRES_SWEEP_API SweepResult RunFaultSweep(const Scenario& scenario,
                                            const SweepOptions& options = SweepOptions());

// ---- GoogleTest --------------------------------------------------------------------------------
// Defined by portres::gmock (link it for these); everything above is portres::sweep's, which
// needs no test framework (examples/catch2_sweep, examples/doctest_sweep).

// Runs the sweep and adds one non-fatal GoogleTest failure per failing run (its Report()), at
// file:line when given. Returns the result for further assertions.
PORTRES_GMOCK_API SweepResult ExpectSweepClean(const Scenario& scenario,
                                               const SweepOptions& options = SweepOptions(),
                                               const char* file = nullptr, int line = 0);

// Registers one test per run of the sweep (the recording run as "NoFault", then one per
// injection, named by InjectionTestName) in `suite`, with GoogleTest's dynamic registration.
// Call it from main() before RUN_ALL_TESTS(), or from a static initializer. It makes the
// recording run now, to know the calls. Returns the number of tests registered.
PORTRES_GMOCK_API std::size_t RegisterFaultSweep(const std::string& suite, const Scenario& scenario,
                                                 const SweepOptions& options = SweepOptions(),
                                                 const char* file = nullptr, int line = 0);

namespace detail {
// Carries the assertion's location into ExpectSweepClean.
struct SweepAssertion {
  const char* file;
  int line;
  SweepResult Expect(const Scenario& scenario, const SweepOptions& options = SweepOptions()) const {
    return ExpectSweepClean(scenario, options, file, line);
  }
};
}  // namespace detail

}  // namespace portres

// EXPECT_NO_LEAKS_UNDER_FAULTS(scenario) or EXPECT_NO_LEAKS_UNDER_FAULTS(scenario, options):
// ExpectSweepClean with the caller's file and line.
#define EXPECT_NO_LEAKS_UNDER_FAULTS(...) \
  (::portres::detail::SweepAssertion{__FILE__, __LINE__}.Expect(__VA_ARGS__))

#endif  // PORTRES_FAULT_SWEEP_H
