// FakeSocketIoctl::WSPIoctl, the provider entry of the seed page ([ref:wspioctl], [ref:release]):
// WSAIoctl's answers, errors only through lpErrno, completion routines queued to the thread
// lpThreadId names; and FakeProcTable, the fake as the provider below provider code.
#include <portres/describe.h>
#include <portres/documented_errors.h>
#include <portres/winsock_error.h>
#include <portres/winsock_spi.h>

#include <gmock/gmock.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "fake_test.h"

namespace portres::testing_fake {
namespace {

// A last error no call in these tests sets: a provider call must leave it as it was.
constexpr int kUntouched = 4242;

struct Answer {
  int result = 0;
  int error = 0;  // *lpErrno, or -1 when the call did not write it
  DWORD bytes = 0;
};

Answer Wsp(FakeSocketIoctl& fake, SOCKET s, DWORD code, void* in, DWORD in_size, void* out,
           DWORD out_size, LPWSAOVERLAPPED overlapped = nullptr,
           LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = nullptr, LPWSATHREADID thread = nullptr) {
  Answer answer;
  answer.error = -1;
  answer.result = fake.WSPIoctl(s, code, in, in_size, out, out_size, &answer.bytes, overlapped,
                                routine, thread, &answer.error);
  return answer;
}

Answer WspAcquire(FakeSocketIoctl& fake, SOCKET s, std::uint16_t first, std::uint16_t count,
                  INET_PORT_RESERVATION_INSTANCE* out, LPWSAOVERLAPPED overlapped = nullptr,
                  LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = nullptr,
                  LPWSATHREADID thread = nullptr) {
  INET_PORT_RANGE range{htons(first), count};
  return Wsp(fake, s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, out, sizeof *out,
             overlapped, routine, thread);
}

Answer WspToken(FakeSocketIoctl& fake, SOCKET s, DWORD code, ULONG64 token) {
  INET_PORT_RESERVATION_TOKEN in{token};
  return Wsp(fake, s, code, &in, sizeof in, nullptr, 0);
}

// What completion routines saw, for the tests that run them.
struct RoutineRun {
  DWORD error;
  DWORD bytes;
  LPWSAOVERLAPPED overlapped;
  std::thread::id thread;
};
std::vector<RoutineRun>& Runs() {
  static std::vector<RoutineRun> runs;
  return runs;
}
void CALLBACK Record(DWORD error, DWORD bytes, LPWSAOVERLAPPED overlapped, DWORD /*flags*/) {
  Runs().push_back({error, bytes, overlapped, std::this_thread::get_id()});
}

class WspIoctl : public FakeTest {
 protected:
  WspIoctl() {
    Runs().clear();
    api().WSASetLastError(kUntouched);
  }
  // A provider call failed with `error` the SPI way: SOCKET_ERROR, *lpErrno, last error alone.
  void ExpectFailed(const Answer& answer, int error) {
    EXPECT_EQ(answer.result, SOCKET_ERROR);
    EXPECT_EQ(answer.error, error) << DescribeError(answer.error);
    EXPECT_EQ(api().WSAGetLastError(), kUntouched) << "a provider never sets the last error";
  }
};

// ---- The three IOCTLs, as WSAIoctl answers them -----------------------------------------------

TEST_F(WspIoctl, Acquire_ReservesTheBlockAndLeavesLpErrnoAndTheLastErrorAlone) {
  const SOCKET s = OpenTcp(api());
  INET_PORT_RESERVATION_INSTANCE instance{};
  const Answer answer = WspAcquire(api(), s, 5000, 20, &instance);
  EXPECT_EQ(answer.result, 0);
  EXPECT_EQ(answer.error, -1) << "success writes nothing to *lpErrno";
  EXPECT_EQ(answer.bytes, sizeof instance);
  EXPECT_EQ(ntohs(instance.Reservation.StartPort), 5000);
  EXPECT_EQ(instance.Reservation.NumberOfPorts, 20);
  ASSERT_EQ(host().Reservations().size(), 1u);
  EXPECT_EQ(host().Reservations()[0].token, instance.Token.Token);
  EXPECT_EQ(api().WSAGetLastError(), kUntouched);
}

TEST_F(WspIoctl, AssociateThenRelease_AnswerAsWSAIoctlDoes) {
  const SOCKET owner = OpenUdp(api());
  const SOCKET user = OpenUdp(api());
  INET_PORT_RESERVATION_INSTANCE instance{};
  ASSERT_EQ(WspAcquire(api(), owner, 6000, 4, &instance).result, 0);
  EXPECT_EQ(WspToken(api(), user, SIO_ASSOCIATE_PORT_RESERVATION, instance.Token.Token).result, 0);
  EXPECT_EQ(Bind(api(), user, 0), 0);
  EXPECT_EQ(LocalPort(api(), user), 6000);
  EXPECT_EQ(WspToken(api(), owner, SIO_RELEASE_PORT_RESERVATION, instance.Token.Token).result, 0);
  EXPECT_TRUE(host().Reservations().empty());
  // Released twice: the same assumed answer as WSAIoctl's.
  ExpectFailed(WspToken(api(), owner, SIO_RELEASE_PORT_RESERVATION, instance.Token.Token),
               FakeHostOptions().assumed.unknown_token);
}

TEST_F(WspIoctl, Overlap_FailsWithWSAIoctlsAnswerThroughLpErrno_Observed) {
  const SOCKET s = OpenTcp(api());
  INET_PORT_RESERVATION_INSTANCE instance{};
  ASSERT_EQ(WspAcquire(api(), s, 5000, 20, &instance).result, 0);
  const HostSnapshot before = Snapshot(host());
  ExpectFailed(WspAcquire(api(), s, 5010, 20, &instance), WSAEADDRINUSE);
  EXPECT_TRUE(Snapshot(host()) == before);
}

// ---- The seed page's error table, row by row ------------------------------------------------

TEST_F(WspIoctl, ErrorTable_WsaIoPending_AnOverlappedCallStartsAndCompletesLater) {
  const SOCKET s = OpenTcp(api());
  api().Inject(Fault::Pend());
  WSAOVERLAPPED overlapped{};
  INET_PORT_RESERVATION_INSTANCE* out = LastingOutputBuffer();
  const Answer answer = WspAcquire(api(), s, 5000, 2, out, &overlapped);
  ExpectFailed(answer, WSA_IO_PENDING);
  EXPECT_TRUE(host().Reservations().empty());
  ASSERT_TRUE(api().CompletePending(&overlapped));
  EXPECT_EQ(host().Reservations().size(), 1u);
  EXPECT_EQ(overlapped.InternalHigh, sizeof *out);
}

TEST_F(WspIoctl, ErrorTable_WsaOperationAborted_ClosingTheSocketAbortsThePendingCall) {
  const SOCKET s = OpenTcp(api());
  api().Inject(Fault::Pend());
  WSAOVERLAPPED overlapped{};
  WSATHREADID thread = api().ProviderThreadId();
  ExpectFailed(WspAcquire(api(), s, 5000, 2, LastingOutputBuffer(), &overlapped, Record, &thread),
               WSA_IO_PENDING);
  ASSERT_EQ(api().closesocket(s), 0);
  EXPECT_EQ(overlapped.Internal, static_cast<ULONG_PTR>(WSA_OPERATION_ABORTED));
  ASSERT_EQ(api().RunProviderApcs(), 1u);
  ASSERT_EQ(Runs().size(), 1u);
  EXPECT_EQ(Runs()[0].error, static_cast<DWORD>(WSA_OPERATION_ABORTED));
  EXPECT_TRUE(host().Reservations().empty());
}

TEST_F(WspIoctl, ErrorTable_Wsaefault_ABadPointerArgument) {
  const SOCKET s = OpenTcp(api());
  const HostSnapshot before = Snapshot(host());
  ExpectFailed(Wsp(api(), s, SIO_RELEASE_PORT_RESERVATION, nullptr, 8, nullptr, 0), WSAEFAULT);
  INET_PORT_RANGE range{htons(5000), 1};
  ExpectFailed(Wsp(api(), s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, nullptr, 16),
               WSAEFAULT);
  EXPECT_TRUE(Snapshot(host()) == before);
}

TEST_F(WspIoctl, ErrorTable_Wsaeinval_AnInputTheCommandCannotAccept) {
  const SOCKET s = OpenTcp(api());
  const HostSnapshot before = Snapshot(host());
  ULONG64 token = 1;
  ExpectFailed(Wsp(api(), s, SIO_RELEASE_PORT_RESERVATION, &token, 4, nullptr, 0), WSAEINVAL);
  ExpectFailed(Wsp(api(), s, SIO_RELEASE_PORT_RESERVATION, &token, sizeof token, &token, 8),
               WSAEINVAL);  // cbOutBuffer must be 0 [ref:release]
  EXPECT_TRUE(Snapshot(host()) == before);
}

TEST_F(WspIoctl, ErrorTable_Wsaenotsock_NotASocket) {
  ExpectFailed(WspToken(api(), 0x7777, SIO_RELEASE_PORT_RESERVATION, 1), WSAENOTSOCK);
  const SOCKET s = OpenTcp(api());
  ASSERT_EQ(api().closesocket(s), 0);
  ExpectFailed(WspToken(api(), s, SIO_RELEASE_PORT_RESERVATION, 1), WSAENOTSOCK);
}

TEST_F(WspIoctl, ErrorTable_Wsaeopnotsupp_NotTcpOrUdp_OrAnUnsupportedCode) {
  const SOCKET raw = api().socket(AF_INET, SOCK_RAW, 0);
  ASSERT_NE(raw, INVALID_SOCKET);
  ExpectFailed(WspToken(api(), raw, SIO_RELEASE_PORT_RESERVATION, 1), WSAEOPNOTSUPP);
  const SOCKET tcp = OpenTcp(api());
  ExpectFailed(WspToken(api(), tcp, _WSAIOW(IOC_VENDOR, 99), 1), WSAEOPNOTSUPP);
}

// WSAEINPROGRESS, WSAEINTR and WSAENETDOWN have no cause in the fake (no callbacks, no
// WSACancelBlockingCall, no network): a fault produces each, as on every documented code.
TEST_F(WspIoctl, ErrorTable_EveryDocumentedCode_CanBeInjectedAndChangesNothing) {
  const SOCKET s = OpenTcp(api());
  INET_PORT_RESERVATION_INSTANCE held{};
  ASSERT_EQ(WspAcquire(api(), s, 7000, 2, &held).result, 0);
  const HostSnapshot before = Snapshot(host());
  for (DWORD code : {SIO_ACQUIRE_PORT_RESERVATION, SIO_RELEASE_PORT_RESERVATION,
                     SIO_ASSOCIATE_PORT_RESERVATION}) {
    for (int error : DocumentedErrors(Api::kWSPIoctl, code)) {
      SCOPED_TRACE(DescribeIoctl(code) + " " + DescribeError(error));
      api().Inject(Fault::Error(error).When(IsIoctl(code)));
      INET_PORT_RESERVATION_INSTANCE out{};
      ExpectFailed(code == SIO_ACQUIRE_PORT_RESERVATION
                       ? WspAcquire(api(), s, 0, 1, &out)
                       : WspToken(api(), s, code, held.Token.Token),
                   error);
      api().ClearFaults();
      EXPECT_TRUE(Snapshot(host()) == before);
    }
  }
  for (int error : {WSAEINPROGRESS, WSAEINTR, WSAENETDOWN}) {
    EXPECT_TRUE(DocumentedErrors(Api::kWSPIoctl, SIO_RELEASE_PORT_RESERVATION).contains(error));
  }
}

TEST(WspDocumentedErrors, AreWSAIoctlsTables_AndIncludePending) {
  const DWORD codes[] = {SIO_ACQUIRE_PORT_RESERVATION, SIO_RELEASE_PORT_RESERVATION,
                         SIO_ASSOCIATE_PORT_RESERVATION, 0x1234};
  for (DWORD code : codes) {
    const ErrorList wsp = DocumentedErrors(Api::kWSPIoctl, code);
    const ErrorList wsa = DocumentedErrors(Api::kWSAIoctl, code);
    EXPECT_EQ(std::vector<int>(wsp.begin(), wsp.end()), std::vector<int>(wsa.begin(), wsa.end()));
  }
  EXPECT_TRUE(DocumentsPending(Api::kWSPIoctl));
}

// ---- lpErrno and lpThreadId missing -----------------------------------------------------------

TEST_F(WspIoctl, NullLpErrno_IsRefusedBeforeTheCallIsCounted_Assumed) {
  const SOCKET s = OpenTcp(api());
  const std::uint64_t calls = api().CallCount();
  INET_PORT_RANGE range{htons(5000), 1};
  INET_PORT_RESERVATION_INSTANCE out{};
  DWORD bytes = 0;
  EXPECT_EQ(api().WSPIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &out, sizeof out,
                           &bytes, nullptr, nullptr, nullptr, nullptr),
            SOCKET_ERROR);
  EXPECT_TRUE(host().Reservations().empty());
  EXPECT_EQ(api().CallCount(), calls);
  EXPECT_EQ(api().WSAGetLastError(), kUntouched);
}

TEST_F(WspIoctl, NullLpThreadId_WithACompletionRoutine_FailsWithWsaefault_Assumed) {
  const SOCKET s = OpenTcp(api());
  WSAOVERLAPPED overlapped{};
  const HostSnapshot before = Snapshot(host());
  ExpectFailed(WspAcquire(api(), s, 5000, 1, LastingOutputBuffer(), &overlapped, Record, nullptr),
               FakeHostOptions().assumed.wsp_missing_thread_id);
  EXPECT_TRUE(Snapshot(host()) == before);
  EXPECT_EQ(api().QueuedProviderApcs(), 0u);
}

TEST(WspIoctlOptions, NullLpThreadId_AnswerIsAnAssumedErrorsField) {
  FakeHostOptions options;
  options.assumed.wsp_missing_thread_id = WSAEINVAL;
  FakeSocketIoctl fake(options);
  const SOCKET s = OpenTcp(fake);
  WSAOVERLAPPED overlapped{};
  EXPECT_EQ(WspAcquire(fake, s, 5000, 1, LastingOutputBuffer(), &overlapped, Record, nullptr).error,
            WSAEINVAL);
}

TEST_F(WspIoctl, NullLpThreadId_WithoutARoutine_IsNotNeeded) {
  const SOCKET s = OpenTcp(api());
  WSAOVERLAPPED overlapped{};
  overlapped.hEvent = api().WSACreateEvent();
  const Answer answer = WspAcquire(api(), s, 5000, 1, LastingOutputBuffer(), &overlapped);
  EXPECT_EQ(answer.result, 0);
  EXPECT_TRUE(api().IsEventSignaled(overlapped.hEvent));
}

// ---- Completion routines go to the thread lpThreadId names ------------------------------------

TEST_F(WspIoctl, Routine_IsQueuedAndRunsOnlyInTheNamedThreadsAlertableWait) {
  const SOCKET s = OpenTcp(api());
  WSAOVERLAPPED overlapped{};
  WSATHREADID self = api().ProviderThreadId();
  const Answer answer =
      WspAcquire(api(), s, 5000, 3, LastingOutputBuffer(), &overlapped, Record, &self);
  EXPECT_EQ(answer.result, 0);
  EXPECT_TRUE(Runs().empty()) << "a provider queues the routine; it does not run it";
  EXPECT_EQ(api().QueuedProviderApcs(), 1u);

  std::size_t run_elsewhere = 99;
  std::thread other([&] { run_elsewhere = api().RunProviderApcs(); });
  other.join();
  EXPECT_EQ(run_elsewhere, 0u) << "another thread's wait does not run it";

  EXPECT_EQ(api().RunProviderApcs(), 1u);
  ASSERT_EQ(Runs().size(), 1u);
  EXPECT_EQ(Runs()[0].error, 0u);
  EXPECT_EQ(Runs()[0].bytes, sizeof(INET_PORT_RESERVATION_INSTANCE));
  EXPECT_EQ(Runs()[0].overlapped, &overlapped);
  EXPECT_EQ(Runs()[0].thread, std::this_thread::get_id());
  EXPECT_EQ(api().RunProviderApcs(), 0u) << "each routine runs once";
}

TEST_F(WspIoctl, Routine_GoesToTheThreadNamed_NotToTheCaller_AndTheIdIsCopied) {
  const SOCKET s = OpenTcp(api());
  // A waiter thread that gets its id, then waits (alertably) once it is told the call is done.
  std::mutex mutex;
  std::condition_variable cv;
  int stage = 0;
  WSATHREADID waiter_thread{};
  std::thread::id waiter_id;
  std::size_t ran = 0;
  std::thread waiter([&] {
    std::unique_lock<std::mutex> lock(mutex);
    waiter_thread = api().ProviderThreadId();
    waiter_id = std::this_thread::get_id();
    stage = 1;
    cv.notify_all();
    cv.wait(lock, [&] { return stage == 2; });
    lock.unlock();
    ran = api().RunProviderApcs();
  });
  {
    std::unique_lock<std::mutex> lock(mutex);
    cv.wait(lock, [&] { return stage == 1; });
  }
  auto named = std::make_unique<WSATHREADID>();
  *named = waiter_thread;
  api().Inject(Fault::Pend());
  WSAOVERLAPPED overlapped{};
  ExpectFailed(
      WspAcquire(api(), s, 5000, 1, LastingOutputBuffer(), &overlapped, Record, named.get()),
      WSA_IO_PENDING);
  named.reset();  // the provider keeps a copy, not the pointer [ref:wspioctl]
  EXPECT_TRUE(api().CompletePending(&overlapped));  // no ASSERT: the waiter must be joined
  EXPECT_EQ(api().RunProviderApcs(), 0u) << "the caller's thread is not the one named";
  {
    std::lock_guard<std::mutex> lock(mutex);
    stage = 2;
  }
  cv.notify_all();
  waiter.join();
  EXPECT_EQ(ran, 1u);
  ASSERT_EQ(Runs().size(), 1u);
  EXPECT_EQ(Runs()[0].thread, waiter_id);
}

TEST_F(WspIoctl, ProviderThreadId_IsStablePerThreadAndDistinctAcrossThreadsAndFakes) {
  const WSATHREADID a = api().ProviderThreadId();
  const WSATHREADID again = api().ProviderThreadId();
  EXPECT_EQ(a.ThreadHandle, again.ThreadHandle);
  WSATHREADID other{};
  std::thread([&] { other = api().ProviderThreadId(); }).join();
  EXPECT_NE(a.ThreadHandle, other.ThreadHandle);
  FakeSocketIoctl second;
  EXPECT_NE(second.ProviderThreadId().ThreadHandle, a.ThreadHandle);
}

// ---- The call log, printers and faults --------------------------------------------------------

TEST_F(WspIoctl, CallLog_RecordsTheCallAsWSPIoctl_AndPrintsItSo) {
  const SOCKET s = OpenTcp(api());
  INET_PORT_RESERVATION_INSTANCE out{};
  ASSERT_EQ(WspAcquire(api(), s, 5000, 2, &out).result, 0);
  ExpectFailed(WspToken(api(), s, SIO_RELEASE_PORT_RESERVATION, 12345), WSAEINVAL);
  const std::vector<CallRecord> log = api().CallLog();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[1].call.api, Api::kWSPIoctl);
  EXPECT_EQ(log[1].call.code, static_cast<DWORD>(SIO_ACQUIRE_PORT_RESERVATION));
  EXPECT_EQ(log[1].first_port, 5000);
  EXPECT_EQ(log[2].error, WSAEINVAL) << "the log keeps the error the provider reported";
  EXPECT_EQ(ApiName(Api::kWSPIoctl), "WSPIoctl");
  EXPECT_THAT(Describe(log[1]), ::testing::HasSubstr("WSPIoctl(s="));
  EXPECT_THAT(Describe(log[1]), ::testing::HasSubstr("SIO_ACQUIRE_PORT_RESERVATION"));
  EXPECT_THAT(Describe(log[2]), ::testing::HasSubstr("WSAEINVAL"));
  EXPECT_EQ(::testing::PrintToString(Api::kWSPIoctl), "WSPIoctl");
}

TEST_F(WspIoctl, Faults_IsIoctlHitsBothEntries_IsApiTellsThemApart) {
  const SOCKET s = OpenTcp(api());
  api().Inject(Fault::Error(WSAENETDOWN).When(IsApi(Api::kWSPIoctl)));
  EXPECT_EQ(Release(api(), s, 1), FakeHostOptions().assumed.unknown_token)
      << "a WSPIoctl fault does not hit WSAIoctl";
  api().WSASetLastError(kUntouched);
  ExpectFailed(WspToken(api(), s, SIO_RELEASE_PORT_RESERVATION, 1), WSAENETDOWN);
  api().ClearFaults();
  api().WSASetLastError(kUntouched);
  api().Inject(Fault::Error(WSAEINTR).When(IsIoctl(SIO_RELEASE_PORT_RESERVATION)));
  ExpectFailed(WspToken(api(), s, SIO_RELEASE_PORT_RESERVATION, 1), WSAEINTR);
  EXPECT_TRUE(api().CallLog().back().injected);
}

// ---- FakeProcTable ----------------------------------------------------------------------------

TEST_F(WspIoctl, ProcTable_ModelledEntriesReachTheFake_ErrorsThroughLpErrno) {
  const WSPPROC_TABLE table = FakeProcTable(api());
  int error = -1;
  const SOCKET s = table.lpWSPSocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, 0, &error);
  ASSERT_NE(s, INVALID_SOCKET);
  EXPECT_EQ(error, -1);
  EXPECT_EQ(table.lpWSPSocket(AF_INET, SOCK_DGRAM, IPPROTO_TCP, nullptr, 0, 0, &error),
            INVALID_SOCKET);
  EXPECT_EQ(error, WSAEPROTONOSUPPORT);

  INET_PORT_RANGE range{htons(5000), 4};
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  error = -1;
  ASSERT_EQ(table.lpWSPIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                             sizeof instance, &bytes, nullptr, nullptr, nullptr, &error),
            0);
  ASSERT_EQ(
      table.lpWSPIoctl(s, SIO_ASSOCIATE_PORT_RESERVATION, &instance.Token, sizeof instance.Token,
                       nullptr, 0, &bytes, nullptr, nullptr, nullptr, &error),
      0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  EXPECT_EQ(table.lpWSPBind(s, reinterpret_cast<const sockaddr*>(&address), sizeof address, &error),
            0);
  EXPECT_EQ(table.lpWSPBind(s, reinterpret_cast<const sockaddr*>(&address), sizeof address, &error),
            SOCKET_ERROR);
  EXPECT_EQ(error, WSAEINVAL) << "bound twice";
  sockaddr_in bound{};
  int length = sizeof bound;
  ASSERT_EQ(table.lpWSPGetSockName(s, reinterpret_cast<sockaddr*>(&bound), &length, &error), 0);
  EXPECT_EQ(ntohs(bound.sin_port), 5000);

  api().Inject(Fault::Pend());
  WSAOVERLAPPED overlapped{};
  ULONG64 token = instance.Token.Token;
  EXPECT_EQ(table.lpWSPIoctl(s, SIO_RELEASE_PORT_RESERVATION, &token, sizeof token, nullptr, 0,
                             &bytes, &overlapped, nullptr, nullptr, &error),
            SOCKET_ERROR);
  EXPECT_EQ(error, WSA_IO_PENDING);
  DWORD transferred = 0;
  DWORD flags = 0;
  EXPECT_EQ(table.lpWSPGetOverlappedResult(s, &overlapped, &transferred, FALSE, &flags, &error),
            FALSE);
  EXPECT_EQ(error, WSA_IO_INCOMPLETE);
  EXPECT_EQ(table.lpWSPGetOverlappedResult(s, &overlapped, &transferred, TRUE, &flags, &error),
            TRUE);
  EXPECT_TRUE(host().Reservations().empty());

  EXPECT_EQ(table.lpWSPCloseSocket(s, &error), 0);
  EXPECT_EQ(table.lpWSPCloseSocket(s, &error), SOCKET_ERROR);
  EXPECT_EQ(error, WSAENOTSOCK);
  EXPECT_EQ(api().WSAGetLastError(), kUntouched);
  EXPECT_EQ(api().CallLog()[2].call.api, Api::kWSPIoctl);
}

TEST_F(WspIoctl, ProcTable_OtherEntriesFailWithWsaeopnotsupp) {
  const WSPPROC_TABLE t = FakeProcTable(api());
  const SOCKET s = OpenTcp(api());
  std::vector<int> errors;
  // The error is read after the call: arguments are evaluated in no set order.
  auto check = [&](auto result, auto failure, const int* error) {
    EXPECT_EQ(result, failure);
    errors.push_back(*error);
  };
  int e[24] = {};
  check(t.lpWSPAccept(s, nullptr, nullptr, nullptr, 0, &e[0]), INVALID_SOCKET, &e[0]);
  check(t.lpWSPAddressToString(nullptr, 0, nullptr, nullptr, nullptr, &e[1]), SOCKET_ERROR, &e[1]);
  check(t.lpWSPAsyncSelect(s, nullptr, 0, 0, &e[2]), SOCKET_ERROR, &e[2]);
  check(t.lpWSPCancelBlockingCall(&e[3]), SOCKET_ERROR, &e[3]);
  check(t.lpWSPCleanup(&e[4]), SOCKET_ERROR, &e[4]);
  check(t.lpWSPConnect(s, nullptr, 0, nullptr, nullptr, nullptr, nullptr, &e[5]), SOCKET_ERROR,
        &e[5]);
  check(t.lpWSPDuplicateSocket(s, 0, nullptr, &e[6]), SOCKET_ERROR, &e[6]);
  check(t.lpWSPEnumNetworkEvents(s, nullptr, nullptr, &e[7]), SOCKET_ERROR, &e[7]);
  check(t.lpWSPEventSelect(s, nullptr, 0, &e[8]), SOCKET_ERROR, &e[8]);
  check(t.lpWSPGetPeerName(s, nullptr, nullptr, &e[9]), SOCKET_ERROR, &e[9]);
  check(t.lpWSPGetSockOpt(s, 0, 0, nullptr, nullptr, &e[10]), SOCKET_ERROR, &e[10]);
  check(t.lpWSPGetQOSByName(s, nullptr, nullptr, &e[11]), FALSE, &e[11]);
  check(t.lpWSPJoinLeaf(s, nullptr, 0, nullptr, nullptr, nullptr, nullptr, 0, &e[12]),
        INVALID_SOCKET, &e[12]);
  check(t.lpWSPListen(s, 1, &e[13]), SOCKET_ERROR, &e[13]);
  check(t.lpWSPRecv(s, nullptr, 0, nullptr, nullptr, nullptr, nullptr, nullptr, &e[14]),
        SOCKET_ERROR, &e[14]);
  check(t.lpWSPRecvDisconnect(s, nullptr, &e[15]), SOCKET_ERROR, &e[15]);
  check(t.lpWSPRecvFrom(s, nullptr, 0, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
                        nullptr, &e[16]),
        SOCKET_ERROR, &e[16]);
  check(t.lpWSPSelect(0, nullptr, nullptr, nullptr, nullptr, &e[17]), SOCKET_ERROR, &e[17]);
  check(t.lpWSPSend(s, nullptr, 0, nullptr, 0, nullptr, nullptr, nullptr, &e[18]), SOCKET_ERROR,
        &e[18]);
  check(t.lpWSPSendDisconnect(s, nullptr, &e[19]), SOCKET_ERROR, &e[19]);
  check(t.lpWSPSendTo(s, nullptr, 0, nullptr, 0, nullptr, 0, nullptr, nullptr, nullptr, &e[20]),
        SOCKET_ERROR, &e[20]);
  check(t.lpWSPSetSockOpt(s, 0, 0, nullptr, 0, &e[21]), SOCKET_ERROR, &e[21]);
  check(t.lpWSPShutdown(s, 0, &e[22]), SOCKET_ERROR, &e[22]);
  check(t.lpWSPStringToAddress(nullptr, AF_INET, nullptr, nullptr, nullptr, &e[23]), SOCKET_ERROR,
        &e[23]);
  EXPECT_THAT(errors, ::testing::Each(WSAEOPNOTSUPP));
  EXPECT_EQ(errors.size(), 24u);
}

TEST(WspProcTable, SameFakeSameTable_OtherFakeOtherTable_GoneFakeWsaenetdown) {
  auto first = std::make_unique<FakeSocketIoctl>();
  FakeSocketIoctl second;
  const WSPPROC_TABLE a = FakeProcTable(*first);
  EXPECT_EQ(FakeProcTable(*first).lpWSPIoctl, a.lpWSPIoctl);
  const WSPPROC_TABLE b = FakeProcTable(second);
  EXPECT_NE(b.lpWSPIoctl, a.lpWSPIoctl);
  EXPECT_EQ(a.lpWSPSocket(AF_INET, SOCK_STREAM, 0, nullptr, 0, 0, nullptr), INVALID_SOCKET)
      << "a null lpErrno is refused, as by WSPIoctl";
  EXPECT_TRUE(first->Sockets().empty());
  first.reset();
  int error = 0;
  EXPECT_EQ(a.lpWSPSocket(AF_INET, SOCK_STREAM, 0, nullptr, 0, 0, &error), INVALID_SOCKET);
  EXPECT_EQ(error, WSAENETDOWN);
  EXPECT_TRUE(second.Sockets().empty()) << "the stale table did not reach another fake";
}

TEST(WspProcTable, SixtyFiveFakesWithTables_TheLastThrows) {
  std::vector<std::unique_ptr<FakeSocketIoctl>> fakes;
  for (int i = 0; i < 64; ++i) {
    fakes.push_back(std::make_unique<FakeSocketIoctl>());
    FakeProcTable(*fakes.back());
  }
  FakeSocketIoctl one_more;
  EXPECT_THROW(FakeProcTable(one_more), std::length_error);
  fakes.pop_back();
  EXPECT_NO_THROW(FakeProcTable(one_more)) << "a destroyed fake frees its slot";
}

}  // namespace
}  // namespace portres::testing_fake
