// The fault sweep: what it plans, what each run checks, what it forgives, and how it reports.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <portres/documented_errors.h>
#include <portres/fake_ip_helper.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/fault_sweep.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using portres::Api;
using portres::CallRecord;
using portres::DocumentedErrors;
using portres::FakeSocketIoctl;
using portres::ISocketIoctl;
using portres::PlanFaultSweep;
using portres::RunFaultSweep;
using portres::RunScenario;
using portres::SweepEffect;
using portres::SweepInjection;
using portres::SweepOptions;
using portres::SweepResult;
using portres::SweepRun;

bool HasSubstring(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---- Small scenarios ----------------------------------------------------------------------------

SOCKET OpenUdp(ISocketIoctl& api) { return api.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP); }

int Acquire(ISocketIoctl& api, SOCKET s, INET_PORT_RESERVATION_INSTANCE* instance,
            LPWSAOVERLAPPED overlapped = nullptr) {
  INET_PORT_RANGE range{};
  range.NumberOfPorts = 4;  // wildcard
  DWORD bytes = 0;
  return api.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, instance,
                      sizeof *instance, &bytes, overlapped, nullptr);
}

int Release(ISocketIoctl& api, SOCKET s, ULONG64 token) {
  INET_PORT_RESERVATION_TOKEN input{};
  input.Token = token;
  DWORD bytes = 0;
  return api.WSAIoctl(s, SIO_RELEASE_PORT_RESERVATION, &input, sizeof input, nullptr, 0, &bytes,
                      nullptr, nullptr);
}

// socket, acquire, release, closesocket; cleans up on every path.
void AcquireAndRelease(ISocketIoctl& api) {
  const SOCKET s = OpenUdp(api);
  if (s == INVALID_SOCKET) return;
  INET_PORT_RESERVATION_INSTANCE instance{};
  if (Acquire(api, s, &instance) == 0) Release(api, s, instance.Token.Token);
  api.closesocket(s);
}

// The same, but it returns without closing the socket when the release fails.
void LeaksWhenReleaseFails(ISocketIoctl& api) {
  const SOCKET s = OpenUdp(api);
  if (s == INVALID_SOCKET) return;
  INET_PORT_RESERVATION_INSTANCE instance{};
  if (Acquire(api, s, &instance) == 0 && Release(api, s, instance.Token.Token) != 0) return;
  api.closesocket(s);
}

// An overlapped acquire that waits with WSAGetOverlappedResult, as event-based code does.
void OverlappedAcquire(ISocketIoctl& api) {
  const SOCKET s = OpenUdp(api);
  if (s == INVALID_SOCKET) return;
  WSAOVERLAPPED overlapped{};
  overlapped.hEvent = api.WSACreateEvent();
  INET_PORT_RESERVATION_INSTANCE instance{};
  bool acquired = Acquire(api, s, &instance, &overlapped) == 0;
  if (!acquired && api.WSAGetLastError() == WSA_IO_PENDING) {
    DWORD transferred = 0;
    DWORD flags = 0;
    acquired = api.WSAGetOverlappedResult(s, &overlapped, &transferred, TRUE, &flags) == TRUE;
  }
  if (acquired) Release(api, s, instance.Token.Token);
  api.closesocket(s);
  api.WSACloseEvent(overlapped.hEvent);
}

// Treats WSA_IO_PENDING as a failure and walks away: the call stays pending, the socket open.
void AbandonsPendingAcquire(ISocketIoctl& api) {
  const SOCKET s = OpenUdp(api);
  if (s == INVALID_SOCKET) return;
  WSAOVERLAPPED overlapped{};
  INET_PORT_RESERVATION_INSTANCE instance{};
  if (Acquire(api, s, &instance, &overlapped) != 0) {
    if (api.WSAGetLastError() == WSA_IO_PENDING) return;
  } else {
    Release(api, s, instance.Token.Token);
  }
  api.closesocket(s);
}

const SweepRun* FindRun(const SweepResult& result, std::uint64_t call, int error) {
  for (const SweepRun& run : result.failures) {
    if (run.injection.call_index == call && run.injection.error == error) return &run;
  }
  return nullptr;
}

// ---- DocumentedErrors ---------------------------------------------------------------------------

TEST(DocumentedErrors, Release_IsTheReleasePageTable) {
  const portres::ErrorList errors = DocumentedErrors(Api::kWSAIoctl, SIO_RELEASE_PORT_RESERVATION);
  EXPECT_EQ(std::vector<int>(errors.begin(), errors.end()),
            (std::vector<int>{WSA_OPERATION_ABORTED, WSAEFAULT, WSAEINPROGRESS, WSAEINTR, WSAEINVAL,
                              WSAENETDOWN, WSAENOTSOCK, WSAEOPNOTSUPP}));
}

TEST(DocumentedErrors, Associate_AddsWsaeaccesToTheAcquireTable) {
  const portres::ErrorList acquire = DocumentedErrors(Api::kWSAIoctl, SIO_ACQUIRE_PORT_RESERVATION);
  const portres::ErrorList associate =
      DocumentedErrors(Api::kWSAIoctl, SIO_ASSOCIATE_PORT_RESERVATION);
  EXPECT_FALSE(acquire.contains(WSAEACCES));
  EXPECT_TRUE(associate.contains(WSAEACCES));
  EXPECT_EQ(associate.size(), acquire.size() + 1);
  for (int error : acquire) EXPECT_TRUE(associate.contains(error)) << error;
}

TEST(DocumentedErrors, Acquire_ListsNeitherAddrInUseNorNoBufs) {
  const portres::ErrorList acquire = DocumentedErrors(Api::kWSAIoctl, SIO_ACQUIRE_PORT_RESERVATION);
  EXPECT_FALSE(acquire.contains(WSAEADDRINUSE));  // observed on Windows, not documented
  EXPECT_FALSE(acquire.contains(WSAENOBUFS));
}

TEST(DocumentedErrors, OtherIoctl_IsTheGenericWsaioctlTable) {
  const portres::ErrorList other = DocumentedErrors(Api::kWSAIoctl, 0x12345678);
  EXPECT_TRUE(other.contains(WSAEWOULDBLOCK));
  EXPECT_TRUE(other.contains(WSAENOPROTOOPT));
}

TEST(DocumentedErrors, CloseSocket_IsTheClosesocketPageTable) {
  const portres::ErrorList errors = DocumentedErrors(Api::kCloseSocket);
  EXPECT_EQ(std::vector<int>(errors.begin(), errors.end()),
            (std::vector<int>{WSANOTINITIALISED, WSAENETDOWN, WSAENOTSOCK, WSAEINPROGRESS, WSAEINTR,
                              WSAEWOULDBLOCK}));
}

TEST(DocumentedErrors, NoList_IncludesWsaIoPending) {
  const Api apis[] = {Api::kSocket,      Api::kCloseSocket, Api::kBind,
                      Api::kGetSockName, Api::kWSAIoctl,    Api::kWSAGetOverlappedResult};
  const DWORD codes[] = {0, SIO_ACQUIRE_PORT_RESERVATION, SIO_RELEASE_PORT_RESERVATION,
                         SIO_ASSOCIATE_PORT_RESERVATION};
  for (Api api : apis) {
    for (DWORD code : codes) {
      EXPECT_FALSE(DocumentedErrors(api, code).contains(WSA_IO_PENDING));
      EXPECT_FALSE(DocumentedErrors(api, code).empty());
    }
  }
  EXPECT_TRUE(portres::DocumentsPending(Api::kWSAIoctl));
  EXPECT_FALSE(portres::DocumentsPending(Api::kBind));
}

// ---- The plan -----------------------------------------------------------------------------------

std::vector<CallRecord> RecordedCalls(void (*scenario)(ISocketIoctl&)) {
  FakeSocketIoctl fake;
  scenario(fake);
  return fake.CallLog();
}

TEST(PlanFaultSweep, ByDefault_InjectsEveryDocumentedErrorAtEveryCall) {
  const std::vector<CallRecord> calls = RecordedCalls(AcquireAndRelease);
  ASSERT_EQ(calls.size(), 4u);
  const std::vector<SweepInjection> plan = PlanFaultSweep(calls);
  std::size_t expected = 0;
  for (const CallRecord& record : calls) {
    expected += DocumentedErrors(record.call.api, record.call.code).size();
  }
  EXPECT_EQ(plan.size(), expected);
  EXPECT_TRUE(std::all_of(plan.begin(), plan.end(), [](const SweepInjection& injection) {
    return injection.effect == SweepEffect::kError;
  }));
  EXPECT_EQ(plan.front().api, Api::kSocket);
  EXPECT_EQ(plan.back().api, Api::kCloseSocket);
}

TEST(PlanFaultSweep, OnlyErrors_InjectsThoseAtEverySweptCall) {
  const std::vector<SweepInjection> plan = PlanFaultSweep(
      RecordedCalls(AcquireAndRelease), SweepOptions().OnlyErrors({WSAENETDOWN, WSAEADDRINUSE}));
  EXPECT_EQ(plan.size(), 8u);
}

TEST(PlanFaultSweep, OnlyCalls_SweepsOneIoctl) {
  const std::vector<SweepInjection> plan =
      PlanFaultSweep(RecordedCalls(AcquireAndRelease),
                     SweepOptions().OnlyCalls(Api::kWSAIoctl, SIO_RELEASE_PORT_RESERVATION));
  ASSERT_EQ(plan.size(), DocumentedErrors(Api::kWSAIoctl, SIO_RELEASE_PORT_RESERVATION).size());
  EXPECT_EQ(plan.front().call_index, 2u);
}

TEST(PlanFaultSweep, NeverInjectsWsaIoPendingAsAnError) {
  const std::vector<SweepInjection> plan =
      PlanFaultSweep(RecordedCalls(AcquireAndRelease), SweepOptions().OnlyErrors({WSA_IO_PENDING}));
  EXPECT_TRUE(plan.empty());
}

TEST(PlanFaultSweep, PendEffects_OnlyForOverlappedIoctls) {
  const std::vector<SweepInjection> synchronous =
      PlanFaultSweep(RecordedCalls(AcquireAndRelease), SweepOptions().WithPendEffects());
  EXPECT_TRUE(std::none_of(synchronous.begin(), synchronous.end(), [](const SweepInjection& i) {
    return i.effect != SweepEffect::kError;
  }));

  const std::vector<SweepInjection> overlapped =
      PlanFaultSweep(RecordedCalls(OverlappedAcquire), SweepOptions().WithPendEffects());
  std::vector<SweepEffect> pends;
  for (const SweepInjection& injection : overlapped) {
    if (injection.effect != SweepEffect::kError) pends.push_back(injection.effect);
  }
  EXPECT_EQ(pends, (std::vector<SweepEffect>{SweepEffect::kPendThenComplete,
                                             SweepEffect::kPendThenAbort}));
}

// ---- Runs and leaks -----------------------------------------------------------------------------

TEST(FaultSweep, CleanScenario_PassesEveryRun) {
  const SweepResult result = RunFaultSweep(AcquireAndRelease);
  EXPECT_TRUE(result.ok()) << result.Report();
  EXPECT_EQ(result.runs, 1 + result.plan.size());
  EXPECT_EQ(result.recorded_calls.size(), 4u);
}

TEST(FaultSweep, LeakOnReleaseFailure_ReportsTheSocketAndTheReservationItHolds) {
  const SweepResult result = RunFaultSweep(LeaksWhenReleaseFails);
  ASSERT_EQ(result.failures.size(),
            DocumentedErrors(Api::kWSAIoctl, SIO_RELEASE_PORT_RESERVATION).size());
  const SweepRun* run = FindRun(result, 2, WSAENETDOWN);
  ASSERT_NE(run, nullptr);
  ASSERT_EQ(run->leaked_sockets.size(), 1u);
  ASSERT_EQ(run->leaked_reservations.size(), 1u);
  EXPECT_EQ(run->leaked_reservations[0].owner_socket, run->leaked_sockets[0].handle);
  EXPECT_EQ(run->leaked_reservations[0].port_count, 4);
  const std::string report = run->Report();
  EXPECT_TRUE(HasSubstring(
      report, "call 2 WSAIoctl(SIO_RELEASE_PORT_RESERVATION) failing with WSAENETDOWN (10050)"))
      << report;
  EXPECT_TRUE(HasSubstring(report, "leaked reservation UDP 49152..49155 token 0x")) << report;
  EXPECT_EQ(run->call_log.size(), 3u);
}

TEST(FaultSweep, ScenarioThatAlwaysLeaks_FailsTheRecordingRunFirst) {
  const SweepResult result = RunFaultSweep([](ISocketIoctl& api) { OpenUdp(api); });
  ASSERT_FALSE(result.failures.empty());
  EXPECT_EQ(result.failures[0].injection.effect, SweepEffect::kNone);
  EXPECT_TRUE(HasSubstring(result.failures[0].Report(), "Under fault: no fault"))
      << result.Report();
}

TEST(FaultSweep, FailedClosesocket_IsForgivenByDefault_AndReportedWhenStrict) {
  SweepOptions options;
  options.OnlyCalls(Api::kCloseSocket);
  EXPECT_TRUE(RunFaultSweep(AcquireAndRelease, options).ok());

  options.forgive_failed_closesocket = false;
  const SweepResult strict = RunFaultSweep(AcquireAndRelease, options);
  EXPECT_EQ(strict.failures.size(), DocumentedErrors(Api::kCloseSocket).size());
}

TEST(FaultSweep, SocketsTheScenarioReturns_AreClosedByTheSweepAndNotLeaks) {
  EXPECT_TRUE(RunFaultSweep([](ISocketIoctl& api) { return OpenUdp(api); }).ok());
  EXPECT_TRUE(RunFaultSweep([](ISocketIoctl& api) {
                return std::vector<SOCKET>{OpenUdp(api), OpenUdp(api)};
              }).ok());
}

TEST(FaultSweep, CleanupHook_RunsWithFaultsClearedAndItsCallsAreNotSwept) {
  SOCKET kept = INVALID_SOCKET;
  SweepOptions options;
  options.WithCleanup([&kept](ISocketIoctl& api, FakeSocketIoctl&) {
    if (kept != INVALID_SOCKET) {
      EXPECT_EQ(api.closesocket(kept), 0);
    }
    kept = INVALID_SOCKET;
  });
  const SweepResult result =
      RunFaultSweep([&kept](ISocketIoctl& api) { kept = OpenUdp(api); }, options);
  EXPECT_TRUE(result.ok()) << result.Report();
  EXPECT_EQ(result.recorded_calls.size(), 1u);  // socket() only: closesocket was cleanup's
}

TEST(FaultSweep, UserChecks_AcceptBoolOrTextAndSeeTheRun) {
  SweepOptions options;
  options.AddCheck([](FakeSocketIoctl& fake) { return fake.CallCount() > 0; })
      .AddCheck([](FakeSocketIoctl&, const SweepInjection& run) {
        return run.effect == SweepEffect::kError && run.error == WSAEINTR
                   ? std::string("interrupted at call ") + std::to_string(run.call_index)
                   : std::string();
      });
  const SweepResult result = RunFaultSweep(AcquireAndRelease, options);
  // Every call documents WSAEINTR except socket(): acquire, release and closesocket.
  ASSERT_EQ(result.failures.size(), 3u) << result.Report();
  EXPECT_TRUE(HasSubstring(result.failures[0].Report(), "interrupted at call 1"));
}

TEST(FaultSweep, NondeterministicScenario_IsReportedAsSuch) {
  int runs = 0;
  const SweepResult result = RunFaultSweep(
      [&runs](ISocketIoctl& api) {
        if (runs++ == 0) AcquireAndRelease(api);  // the recording run makes 4 calls; then none
      },
      SweepOptions().OnlyErrors({WSAENETDOWN}));
  ASSERT_EQ(result.failures.size(), 4u);
  EXPECT_TRUE(HasSubstring(result.failures[0].Report(), "is the scenario deterministic?"))
      << result.Report();
}

TEST(FaultSweep, ScenarioThatThrows_IsReported) {
  const SweepResult result = RunFaultSweep([](ISocketIoctl&) { throw std::runtime_error("boom"); });
  ASSERT_EQ(result.failures.size(), 1u);
  EXPECT_TRUE(HasSubstring(result.failures[0].Report(), "the scenario threw: boom"));
}

TEST(FaultSweep, Factory_PresetReservationsAreNotTheScenarios) {
  SweepOptions options;
  options.WithFake([] {
    auto host = std::make_shared<portres::FakeHost>();
    portres::FakeIpHelper installer(host);
    ULONG64 token = 0;
    installer.CreatePersistentUdpPortReservation(htons(5000), 10, &token);
    return std::make_shared<FakeSocketIoctl>(host);
  });
  EXPECT_TRUE(RunFaultSweep(AcquireAndRelease, options).ok());
}

TEST(FaultSweep, ScenarioTakingTheFake_SeesTheRunsFake) {
  int sockets_seen = 0;
  const SweepResult result = RunFaultSweep(
      [&sockets_seen](ISocketIoctl& api, FakeSocketIoctl& fake) {
        const SOCKET s = OpenUdp(api);
        if (s == INVALID_SOCKET) return;
        sockets_seen += static_cast<int>(fake.Sockets().size());
        api.closesocket(s);
      },
      SweepOptions().OnlyErrors({WSAENETDOWN}));
  EXPECT_TRUE(result.ok()) << result.Report();
  EXPECT_EQ(sockets_seen, 2);  // the recording run and the closesocket run opened one each
}

// ---- Pending effects ----------------------------------------------------------------------------

TEST(FaultSweep, PendEffects_OverlappedAcquireThatWaits_IsClean) {
  SweepOptions options;
  options.WithPendEffects().AddCheck([](FakeSocketIoctl& fake, const SweepInjection& run) {
    if (run.effect != SweepEffect::kPendThenAbort) return std::string();
    for (const CallRecord& record : fake.CallLog()) {
      if (record.call.api == Api::kWSAGetOverlappedResult) {
        return record.error == WSA_OPERATION_ABORTED
                   ? std::string()
                   : std::string("the wait did not report WSA_OPERATION_ABORTED");
      }
    }
    return std::string("the scenario never waited");
  });
  const SweepResult result = RunFaultSweep(OverlappedAcquire, options);
  EXPECT_TRUE(result.ok()) << result.Report();
  EXPECT_EQ(std::count_if(result.plan.begin(), result.plan.end(),
                          [](const SweepInjection& i) { return i.effect != SweepEffect::kError; }),
            2);
}

TEST(FaultSweep, PendThenComplete_EndsBeforeTheScenariosNextCall) {
  bool signaled_before_next_call = true;
  bool completed_at_next_call = false;
  SweepInjection injection;
  injection.effect = SweepEffect::kPendThenComplete;
  injection.call_index = 1;  // the acquire
  injection.api = Api::kWSAIoctl;
  injection.code = SIO_ACQUIRE_PORT_RESERVATION;
  const SweepRun run = RunScenario(
      [&](ISocketIoctl& api, FakeSocketIoctl& fake) {
        const SOCKET s = OpenUdp(api);
        WSAOVERLAPPED overlapped{};
        overlapped.hEvent = api.WSACreateEvent();
        INET_PORT_RESERVATION_INSTANCE instance{};
        Acquire(api, s, &instance, &overlapped);
        signaled_before_next_call = fake.IsEventSignaled(overlapped.hEvent);
        DWORD transferred = 0;
        DWORD flags = 0;
        completed_at_next_call =
            api.WSAGetOverlappedResult(s, &overlapped, &transferred, FALSE, &flags) == TRUE;
        api.closesocket(s);
        api.WSACloseEvent(overlapped.hEvent);
      },
      injection);
  EXPECT_TRUE(run.ok()) << run.Report();
  EXPECT_FALSE(signaled_before_next_call);
  EXPECT_TRUE(completed_at_next_call);
}

TEST(FaultSweep, ScenarioReturningWithACallPending_IsReported) {
  const SweepResult result =
      RunFaultSweep(AbandonsPendingAcquire, SweepOptions().OnlyErrors({}).WithPendEffects());
  ASSERT_EQ(result.failures.size(), 2u) << result.Report();
  const SweepRun& run = result.failures[0];
  EXPECT_EQ(run.pending_calls_left, 1u);
  EXPECT_EQ(run.leaked_sockets.size(), 1u);
  EXPECT_TRUE(HasSubstring(run.Report(), "pending, then completing")) << run.Report();
  EXPECT_TRUE(HasSubstring(run.Report(), "still pending")) << run.Report();
}

// ---- Names and the GoogleTest assertion ---------------------------------------------------------

TEST(InjectionTestName, NamesTheCallTheIoctlAndTheError) {
  SweepInjection injection;
  EXPECT_EQ(portres::InjectionTestName(injection), "NoFault");
  injection.effect = SweepEffect::kError;
  injection.call_index = 3;
  injection.api = Api::kWSAIoctl;
  injection.code = SIO_RELEASE_PORT_RESERVATION;
  injection.error = WSAENETDOWN;
  EXPECT_EQ(portres::InjectionTestName(injection),
            "call3_WSAIoctl_SIO_RELEASE_PORT_RESERVATION_WSAENETDOWN");
  EXPECT_EQ(portres::DescribeInjection(injection),
            "call 3 WSAIoctl(SIO_RELEASE_PORT_RESERVATION) failing with WSAENETDOWN (10050)");
  injection.effect = SweepEffect::kPendThenAbort;
  EXPECT_EQ(portres::InjectionTestName(injection),
            "call3_WSAIoctl_SIO_RELEASE_PORT_RESERVATION_PendThenAbort");
  injection.effect = SweepEffect::kError;
  injection.api = Api::kBind;
  injection.error = 12345;
  EXPECT_EQ(portres::InjectionTestName(injection), "call3_bind_error12345");
}

TEST(ExpectNoLeaksUnderFaults, AddsOneFailurePerFinding) {
  EXPECT_NONFATAL_FAILURE(
      EXPECT_NO_LEAKS_UNDER_FAULTS(LeaksWhenReleaseFails, SweepOptions().OnlyErrors({WSAEINVAL})),
      "call 2 WSAIoctl(SIO_RELEASE_PORT_RESERVATION) failing with WSAEINVAL (10022)");
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter capture(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    EXPECT_NO_LEAKS_UNDER_FAULTS(LeaksWhenReleaseFails);
  }
  // Every release error leaks the same socket: one failure, listing the eight errors.
  ASSERT_EQ(failures.size(), 1);
  const std::string message = failures.GetTestPartResult(0).message();
  EXPECT_TRUE(HasSubstring(message,
                           "call 2 WSAIoctl(SIO_RELEASE_PORT_RESERVATION) failing with "
                           "any of 8 errors: WSA_OPERATION_ABORTED (995), WSAEFAULT"))
      << message;
  EXPECT_TRUE(HasSubstring(message, "call log of the first of these runs")) << message;
  EXPECT_TRUE(HasSubstring(failures.GetTestPartResult(0).file_name(), "fault_sweep_test.cpp"));
}

// Opens a socket it never closes and returns nothing: every run, the recording run first, leaks.
void ForgetsItsSocket(ISocketIoctl& api) {
  const SOCKET s = OpenUdp(api);
  INET_PORT_RESERVATION_INSTANCE instance{};
  if (s != INVALID_SOCKET && Acquire(api, s, &instance) == 0) Release(api, s, instance.Token.Token);
}

TEST(SweepReport, RecordingRunThatLeaks_SaysFixThisFirst_AndHintsAtReturningTheSocket) {
  const SweepResult result = portres::RunFaultSweep(ForgetsItsSocket);
  ASSERT_FALSE(result.ok());
  const std::vector<std::string> entries = result.ReportEntries();
  ASSERT_FALSE(entries.empty());
  EXPECT_TRUE(HasSubstring(entries[0], "Under no fault (the recording run)")) << entries[0];
  EXPECT_TRUE(HasSubstring(entries[0], "Fix this first")) << entries[0];
  EXPECT_TRUE(HasSubstring(entries[0],
                           "return them (a SOCKET or std::vector<SOCKET>) or close "
                           "them in SweepOptions::WithCleanup"))
      << entries[0];
  // The runs that leak only what the recording run leaks are not repeated.
  for (std::size_t i = 1; i < entries.size(); ++i) {
    EXPECT_FALSE(HasSubstring(entries[i], "Under no fault")) << entries[i];
  }
  EXPECT_LT(entries.size(), result.failures.size());
}

TEST(SweepReport, ScenarioThatReturnsItsSockets_GetsNoHint) {
  const SweepResult result = portres::RunFaultSweep([](ISocketIoctl& api) {
    OpenUdp(api);  // leaked: not the one returned
    return OpenUdp(api);
  });
  ASSERT_FALSE(result.ok());
  EXPECT_FALSE(result.recording_leaks_unreturned_sockets);
  EXPECT_FALSE(HasSubstring(result.Report(), "WithCleanup")) << result.Report();
}

// Creates a persistent reservation and binds a socket in it; deletes it on every path but one.
std::vector<SOCKET> PersistentEndpoint(ISocketIoctl& api, portres::IIpHelper& helper) {
  ULONG64 token = 0;
  if (helper.CreatePersistentUdpPortReservation(htons(6000), 4, &token) != NO_ERROR) return {};
  const SOCKET s = OpenUdp(api);
  if (s == INVALID_SOCKET) {
    helper.DeletePersistentUdpPortReservation(htons(6000), 4);
    return {};
  }
  DWORD bytes = 0;
  if (api.WSAIoctl(s, SIO_ASSOCIATE_PORT_RESERVATION, &token, sizeof token, nullptr, 0, &bytes,
                   nullptr, nullptr) != 0) {
    api.closesocket(s);
    return {};  // forgets the persistent reservation
  }
  api.closesocket(s);
  helper.DeletePersistentUdpPortReservation(htons(6000), 4);
  return {};
}

TEST(FaultSweep, ScenarioTakingBothInterfaces_SweepsIphlpapiToo_AndCountsPersistentLeaks) {
  const SweepResult result = portres::RunFaultSweep(PersistentEndpoint);
  // Create's three errors, socket's, associate's, closesocket's, Delete's three (twice reached).
  bool swept_create = false;
  for (const SweepInjection& injection : result.plan) {
    swept_create |= injection.api == Api::kCreatePersistentUdpPortReservation;
  }
  EXPECT_TRUE(swept_create);
  ASSERT_FALSE(result.ok());
  const std::string report = result.Report();
  EXPECT_TRUE(HasSubstring(report,
                           "WSAIoctl(SIO_ASSOCIATE_PORT_RESERVATION) failing with any of "
                           "9 errors"))
      << report;
  EXPECT_TRUE(HasSubstring(report, "leaked reservation UDP 6000..6003 token 0x")) << report;
  EXPECT_TRUE(HasSubstring(report, "(persistent)")) << report;
  EXPECT_TRUE(HasSubstring(report, "iphlpapi calls:")) << report;
  EXPECT_TRUE(HasSubstring(report, "#0 CreatePersistentUdpPortReservation(6000..6003) -> NO_ERROR"))
      << report;
  // A failed Delete leaves the reservation too, and names the Win32 code.
  EXPECT_TRUE(HasSubstring(report,
                           "DeletePersistentUdpPortReservation failing with any of 3 "
                           "errors: ERROR_ACCESS_DENIED (5)"))
      << report;
}

TEST(FaultSweep, IphlpapiInjection_IsNamedWithWin32Codes) {
  SweepInjection injection;
  injection.effect = SweepEffect::kError;
  injection.call_index = 0;
  injection.api = Api::kCreatePersistentTcpPortReservation;
  injection.error = ERROR_SHARING_VIOLATION;
  EXPECT_EQ(portres::DescribeInjection(injection),
            "call 0 CreatePersistentTcpPortReservation failing with ERROR_SHARING_VIOLATION (32)");
  EXPECT_EQ(portres::InjectionTestName(injection),
            "call0_CreatePersistentTcpPortReservation_ERROR_SHARING_VIOLATION");
}

TEST(ExpectNoLeaksUnderFaults, CleanScenario_AddsNoFailure) {
  const SweepResult result = EXPECT_NO_LEAKS_UNDER_FAULTS(AcquireAndRelease);
  EXPECT_TRUE(result.ok());
}

}  // namespace
