#include <portres/fake_socket_ioctl.h>

#include <optional>
#include <utility>

#include "host_state.h"

namespace portres {

FakeSocketIoctl::FakeSocketIoctl() : FakeSocketIoctl(std::make_shared<FakeHost>()) {}

FakeSocketIoctl::FakeSocketIoctl(const FakeHostOptions& host_options)
    : FakeSocketIoctl(std::make_shared<FakeHost>(host_options)) {}

FakeSocketIoctl::FakeSocketIoctl(std::shared_ptr<FakeHost> host, const FakeProcessOptions& options)
    : host_(std::move(host)),
      pid_(host_->state_->AddProcess(options.elevated, options.pend_overlapped_calls)) {
  if (options.require_wsastartup) host_->state_->RequireStartup(pid_, true);
}

FakeSocketIoctl::~FakeSocketIoctl() { host_->state_->RemoveProcess(pid_); }

SOCKET FakeSocketIoctl::socket(int af, int type, int protocol) {
  host_->state_->RunBeforeActions(pid_, Api::kSocket, INVALID_SOCKET, 0, false);
  return host_->state_->Socket(pid_, af, type, protocol);
}

int FakeSocketIoctl::closesocket(SOCKET s) {
  host_->state_->RunBeforeActions(pid_, Api::kCloseSocket, s, 0, false);
  detail::Completions completions;
  const int result = host_->state_->CloseSocket(pid_, s, completions);
  detail::RunCompletions(completions);
  return result;
}

int FakeSocketIoctl::bind(SOCKET s, const sockaddr* name, int namelen) {
  host_->state_->RunBeforeActions(pid_, Api::kBind, s, 0, false);
  return host_->state_->Bind(pid_, s, name, namelen);
}

int FakeSocketIoctl::getsockname(SOCKET s, sockaddr* name, int* namelen) {
  host_->state_->RunBeforeActions(pid_, Api::kGetSockName, s, 0, false);
  return host_->state_->GetSockName(pid_, s, name, namelen);
}

int FakeSocketIoctl::WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
                              LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
                              LPWSAOVERLAPPED lpOverlapped,
                              LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
  host_->state_->RunBeforeActions(pid_, Api::kWSAIoctl, s, dwIoControlCode,
                                  lpOverlapped != nullptr);
  detail::Completions completions;
  const int result = host_->state_->Ioctl(pid_, s, dwIoControlCode, lpvInBuffer, cbInBuffer,
                                          lpvOutBuffer, cbOutBuffer, lpcbBytesReturned,
                                          lpOverlapped, lpCompletionRoutine, completions);
  detail::RunCompletions(completions);
  return result;
}

BOOL FakeSocketIoctl::WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped,
                                             LPDWORD lpcbTransfer, BOOL fWait, LPDWORD lpdwFlags) {
  host_->state_->RunBeforeActions(pid_, Api::kWSAGetOverlappedResult, s, 0, false);
  detail::Completions completions;
  const BOOL result = host_->state_->GetOverlappedResult(pid_, s, lpOverlapped, lpcbTransfer, fWait,
                                                         lpdwFlags, completions);
  detail::RunCompletions(completions);
  return result;
}

int FakeSocketIoctl::WSAGetLastError() { return host_->state_->LastError(pid_); }

void FakeSocketIoctl::WSASetLastError(int iError) { host_->state_->SetLastError(pid_, iError); }

WSAEVENT FakeSocketIoctl::WSACreateEvent() { return host_->state_->CreateEvent(); }

BOOL FakeSocketIoctl::WSACloseEvent(WSAEVENT hEvent) {
  return host_->state_->CloseEvent(pid_, hEvent) ? TRUE : FALSE;
}

BOOL FakeSocketIoctl::WSASetEvent(WSAEVENT hEvent) {
  return host_->state_->SetEvent(pid_, hEvent, true) ? TRUE : FALSE;
}

BOOL FakeSocketIoctl::WSAResetEvent(WSAEVENT hEvent) {
  return host_->state_->SetEvent(pid_, hEvent, false) ? TRUE : FALSE;
}

void FakeSocketIoctl::Inject(Fault fault) { host_->state_->Inject(pid_, std::move(fault)); }

void FakeSocketIoctl::ClearFaults() { host_->state_->ClearFaults(pid_); }

std::vector<LPWSAOVERLAPPED> FakeSocketIoctl::PendingCalls() const {
  return host_->state_->PendingCalls(pid_);
}

bool FakeSocketIoctl::CompletePending(LPWSAOVERLAPPED overlapped) {
  detail::Completions completions;
  const bool done = host_->state_->CompletePending(pid_, overlapped, std::nullopt, completions);
  detail::RunCompletions(completions);
  return done;
}

bool FakeSocketIoctl::CompletePending(LPWSAOVERLAPPED overlapped, int error) {
  // 0 is no failure: the call completes as it would by itself. Completing it "successfully"
  // without running it would report an acquire that reserved nothing and wrote no instance.
  if (error == 0) return CompletePending(overlapped);
  detail::Completions completions;
  const bool done = host_->state_->CompletePending(pid_, overlapped, error, completions);
  detail::RunCompletions(completions);
  return done;
}

bool FakeSocketIoctl::CancelPending(LPWSAOVERLAPPED overlapped) {
  // A cancelled request is a failed completion: STATUS_CANCELLED, which Winsock reports as
  // WSA_OPERATION_ABORTED [ref:ioctl-common].
  return CompletePending(overlapped, WSA_OPERATION_ABORTED);
}

std::size_t FakeSocketIoctl::CompleteAllPending() {
  detail::Completions completions;
  const std::size_t count = host_->state_->CompleteAllPending(pid_, completions);
  detail::RunCompletions(completions);
  return count;
}

bool FakeSocketIoctl::IsEventSignaled(WSAEVENT event) const {
  return host_->state_->IsEventSignaled(event);
}

std::vector<CallRecord> FakeSocketIoctl::CallLog() const { return host_->state_->CallLog(pid_); }

std::uint64_t FakeSocketIoctl::CallCount() const { return host_->state_->CallCount(pid_); }

std::optional<CallRecord> FakeSocketIoctl::LastFailure() const {
  return host_->state_->LastFailure(pid_);
}

std::vector<ReservationInfo> FakeSocketIoctl::Reservations() const {
  return host_->state_->Reservations(pid_);
}

std::vector<SocketInfo> FakeSocketIoctl::Sockets() const { return host_->state_->Sockets(pid_); }

}  // namespace portres

namespace portres {
namespace {

// WSASocket's FROM_PROTOCOL_INFO: take that argument from the protocol description.
constexpr int kFromProtocolInfo = -1;

template <typename Info>
std::optional<detail::SocketTriple> FromProtocolInfo(int af, int type, int protocol,
                                                     const Info* info) {
  if (info == nullptr) return std::nullopt;
  return detail::SocketTriple{af == kFromProtocolInfo ? info->iAddressFamily : af,
                              type == kFromProtocolInfo ? info->iSocketType : type,
                              protocol == kFromProtocolInfo ? info->iProtocol : protocol};
}

}  // namespace

int FakeSocketIoctl::WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData) {
  return host_->state_->Startup(pid_, wVersionRequested, lpWSAData);
}

int FakeSocketIoctl::WSACleanup() {
  detail::Completions completions;
  const int result = host_->state_->Cleanup(pid_, completions);
  detail::RunCompletions(completions);
  return result;
}

SOCKET FakeSocketIoctl::WSASocketW(int af, int type, int protocol,
                                   LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g, DWORD dwFlags) {
  const auto triple = FromProtocolInfo(af, type, protocol, lpProtocolInfo);
  return host_->state_->OpenSocket(pid_, Api::kWSASocketW,
                                   triple.value_or(detail::SocketTriple{af, type, protocol}), g,
                                   dwFlags);
}

SOCKET FakeSocketIoctl::WSASocketA(int af, int type, int protocol,
                                   LPWSAPROTOCOL_INFOA lpProtocolInfo, GROUP g, DWORD dwFlags) {
  const auto triple = FromProtocolInfo(af, type, protocol, lpProtocolInfo);
  return host_->state_->OpenSocket(pid_, Api::kWSASocketA,
                                   triple.value_or(detail::SocketTriple{af, type, protocol}), g,
                                   dwFlags);
}

int FakeSocketIoctl::setsockopt(SOCKET s, int level, int optname, const char* optval, int optlen) {
  return host_->state_->SetSockOpt(pid_, s, level, optname, optval, optlen);
}

int FakeSocketIoctl::getsockopt(SOCKET s, int level, int optname, char* optval, int* optlen) {
  return host_->state_->GetSockOpt(pid_, s, level, optname, optval, optlen);
}

int FakeSocketIoctl::connect(SOCKET s, const sockaddr* name, int namelen) {
  return host_->state_->Connect(pid_, s, name, namelen);
}

int FakeSocketIoctl::listen(SOCKET s, int backlog) {
  return host_->state_->Listen(pid_, s, backlog);
}

SOCKET FakeSocketIoctl::accept(SOCKET s, sockaddr* addr, int* addrlen) {
  return host_->state_->Accept(pid_, s, addr, addrlen);
}

int FakeSocketIoctl::getpeername(SOCKET s, sockaddr* name, int* namelen) {
  return host_->state_->GetPeerName(pid_, s, name, namelen);
}

int FakeSocketIoctl::ioctlsocket(SOCKET s, long cmd, u_long* argp) {
  return host_->state_->IoctlSocket(pid_, s, cmd, argp);
}

}  // namespace portres
