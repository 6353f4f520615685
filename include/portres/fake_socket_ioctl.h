// <portres/fake_socket_ioctl.h>: an in-memory Windows, one simulated process of it.
//
//   portres::FakeSocketIoctl fake;              // a fresh host with no reservations
//   UnderTest(fake);                            // code that takes an ISocketIoctl&
//   EXPECT_TRUE(fake.host().Reservations().empty());
//
// Several processes share one machine through a FakeHost:
//
//   auto host = std::make_shared<portres::FakeHost>();
//   portres::FakeSocketIoctl a(host), b(host);
//
// Destroying a FakeSocketIoctl ends its process: its sockets close and its runtime
// reservations end, as they do when a Windows process exits.
#ifndef PORTRES_FAKE_SOCKET_IOCTL_H
#define PORTRES_FAKE_SOCKET_IOCTL_H

#include <portres/call_log.h>
#include <portres/fake_export.h>
#include <portres/fake_host.h>
#include <portres/fault.h>
#include <portres/socket_ioctl.h>
#include <portres/winsock_spi.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace portres {

class FakeSocketIoctl;
namespace detail {
struct ProviderState;  // fake/wsp_ioctl.cpp: provider threads, queued routines
PORTRES_FAKE_API std::shared_ptr<ProviderState> MakeProviderState(FakeSocketIoctl* fake);
}  // namespace detail

// How a simulated process runs: its rights, and whether its overlapped calls complete at once.
struct FakeProcessOptions {
  // Run as an elevated administrator. Persistent reservations need it (WSAEACCES on
  // SIO_ASSOCIATE_PORT_RESERVATION, ERROR_ACCESS_DENIED from iphlpapi without it).
  bool elevated = true;
  // Overlapped calls leave WSA_IO_PENDING and wait for CompletePending() instead of
  // completing at once. Fault::Pend() does the same for chosen calls.
  bool pend_overlapped_calls = false;
  // Every call but WSAStartup fails with WSANOTINITIALISED while the process has no
  // WSAStartup that WSACleanup has not balanced, as Winsock does. Off: calls work without it.
  bool require_wsastartup = false;
};

// One simulated Windows process: ISocketIoctl answered by a FakeHost, plus the controls a test
// needs (faults, pending overlapped calls, the call log, introspection).
class PORTRES_FAKE_API FakeSocketIoctl final : public ISocketIoctl {
 public:
  // A process on a host of its own.
  FakeSocketIoctl();
  // A process on a host of its own, with `host_options`.
  explicit FakeSocketIoctl(const FakeHostOptions& host_options);
  // A process on a shared host.
  explicit FakeSocketIoctl(std::shared_ptr<FakeHost> host,
                           const FakeProcessOptions& options = FakeProcessOptions());
  ~FakeSocketIoctl() override;
  FakeSocketIoctl(const FakeSocketIoctl&) = delete;
  FakeSocketIoctl& operator=(const FakeSocketIoctl&) = delete;

  // ISocketIoctl: Winsock's behaviour, as docs/fidelity.md describes it, row by row with its
  // source; fake/host_rules.cpp is the same story in code.
  SOCKET socket(int af, int type, int protocol) override;
  int closesocket(SOCKET s) override;
  int bind(SOCKET s, const sockaddr* name, int namelen) override;
  int getsockname(SOCKET s, sockaddr* name, int* namelen) override;
  int WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
               LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
               LPWSAOVERLAPPED lpOverlapped,
               LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) override;
  BOOL WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                              BOOL fWait, LPDWORD lpdwFlags) override;
  int WSAGetLastError() override;
  void WSASetLastError(int iError) override;
  WSAEVENT WSACreateEvent() override;
  BOOL WSACloseEvent(WSAEVENT hEvent) override;
  BOOL WSASetEvent(WSAEVENT hEvent) override;
  BOOL WSAResetEvent(WSAEVENT hEvent) override;
  int WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData) override;
  int WSACleanup() override;
  SOCKET WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g,
                    DWORD dwFlags) override;
  SOCKET WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA lpProtocolInfo, GROUP g,
                    DWORD dwFlags) override;
  int setsockopt(SOCKET s, int level, int optname, const char* optval, int optlen) override;
  int getsockopt(SOCKET s, int level, int optname, char* optval, int* optlen) override;
  int connect(SOCKET s, const sockaddr* name, int namelen) override;
  int listen(SOCKET s, int backlog) override;
  SOCKET accept(SOCKET s, sockaddr* addr, int* addrlen) override;
  int getpeername(SOCKET s, sockaddr* name, int* namelen) override;
  int ioctlsocket(SOCKET s, long cmd, u_long* argp) override;

  // The provider entry (<portres/winsock_spi.h>): WSAIoctl's answers, each error written to
  // *lpErrno and the thread's last error left alone; a completion routine is queued to the
  // thread *lpThreadId names, and runs when that thread calls RunProviderApcs().
  int WSPIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
               LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
               LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
               LPWSATHREADID lpThreadId, LPINT lpErrno);
  // The calling thread as ws2_32 names it to a provider: what to pass as lpThreadId.
  WSATHREADID ProviderThreadId();
  // An alertable wait of the calling thread: runs the routines queued to it, oldest first.
  std::size_t RunProviderApcs();
  std::size_t QueuedProviderApcs() const;  // queued to any thread, not run yet

  FakeHost& host() const noexcept { return *host_; }
  // For more processes on the same machine (FakeSocketIoctl, FakeIpHelper).
  const std::shared_ptr<FakeHost>& shared_host() const noexcept { return host_; }
  // This process's id on the host, as ReservationInfo::owner_pid and SocketInfo::pid show it.
  std::uint32_t pid() const noexcept { return pid_; }

  // Makes later calls of this process fail or pend as `fault` says (<portres/fault.h>).
  void Inject(Fault fault);
  // Drops the faults not used up yet, so that a test's next phase runs unfaulted.
  void ClearFaults();

  // Overlapped calls left pending, oldest first.
  std::vector<LPWSAOVERLAPPED> PendingCalls() const;
  // Plays the system finishing a pending call: runs it now (its effect, output and bytes), sets
  // its status, signals its event and runs its completion routine. False if `overlapped` is not
  // pending in this process.
  bool CompletePending(LPWSAOVERLAPPED overlapped);
  // Plays the system failing a pending call with `error` (WSA_OPERATION_ABORTED, say): no
  // effect, the rest as above. 0 is no failure, so it runs the call.
  bool CompletePending(LPWSAOVERLAPPED overlapped, int error);
  // Cancels one pending call as the I/O manager does (CancelIoEx on Windows): it ends with
  // WSA_OPERATION_ABORTED and no effect, its event is signalled and its completion routine
  // runs. False if `overlapped` is not pending in this process. WSAIoctl(SIO_FLUSH) does the
  // same to every pending call of a socket, closesocket to those of the socket it closes.
  bool CancelPending(LPWSAOVERLAPPED overlapped);
  // Completes every pending call of this process, oldest first; returns how many there were.
  std::size_t CompleteAllPending();
  // Whether an event object (WSACreateEvent) is signaled; false for one that does not exist.
  bool IsEventSignaled(WSAEVENT event) const;

  // What this process did, for assertions and failure messages: its most recent calls
  // (FakeHostOptions::call_log_capacity), oldest first.
  std::vector<CallRecord> CallLog() const;
  // Every call, including those the log no longer keeps: Fault::OnCall(n) counts the same way.
  std::uint64_t CallCount() const;
  // The most recent call of this process, made on the calling thread, that failed (it set the
  // last error, WSA_IO_PENDING included), with the fake's reason in words
  // (CallRecord::reason); nullopt if there is none. Per thread, as WSAGetLastError is, and kept
  // whatever call_log_capacity says; WSASetLastError does not change it.
  std::optional<CallRecord> LastFailure() const;

  // This process's share of the host.
  std::vector<ReservationInfo> Reservations() const;  // runtime reservations it holds
  std::vector<SocketInfo> Sockets() const;            // sockets it has open

 private:
  std::shared_ptr<FakeHost> host_;
  std::uint32_t pid_ = 0;
  std::shared_ptr<detail::ProviderState> provider_ = detail::MakeProviderState(this);
};

// A provider table whose socket, close, bind, getsockname, overlapped-result and ioctl entries
// reach `fake` (the others fail with WSAEOPNOTSUPP), to hand provider code as the provider
// below it. Same fake, same table; fake/wsp_ioctl.cpp says how a table finds its fake.
PORTRES_FAKE_API WSPPROC_TABLE FakeProcTable(FakeSocketIoctl& fake);

}  // namespace portres

#endif  // PORTRES_FAKE_SOCKET_IOCTL_H
