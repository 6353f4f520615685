// The rules of the simulated Windows host, call by call in Winsock's order: socket,
// closesocket, bind, getsockname, WSAIoctl (acquire, release, associate), overlapped completion
// and WSAGetOverlappedResult, then iphlpapi's persistent reservations, then a reboot.
//
// Every refusal is tagged on its line with its source: `[ref:anchor]` is a section of
// docs/reference.md (what Microsoft documents, what it leaves open, what the field reports);
// `options_.assumed.<field>` is a choice the documentation leaves open, changeable by a test
// (AssumedErrors); `[ms:page]` is a Winsock page the reference does not cover, at
// learn.microsoft.com/windows/win32/api/ (winsock/nf-winsock-closesocket,
// winsock/nf-winsock-getsockname, winsock2/nf-winsock2-wsagetoverlappedresult). docs/fidelity.md
// has a row and a test for each.
//
// Each public call takes the lock once and opens a CallScope, which numbers and records it;
// the bookkeeping the rules lean on lives elsewhere (host_state.h lists where).
#include <algorithm>
#include <cstring>
#include <string>
#include <thread>
#include <utility>

#include <portres/describe.h>
#include <portres/winsock_error.h>
#include "addresses.h"

#include "call_scope.h"
#include "host_state.h"
#include "reasons.h"

namespace portres::detail {
namespace {

constexpr ULONG_PTR kStatusPending = 0x103;  // what Windows leaves in OVERLAPPED::Internal

std::optional<Protocol> TransportOf(int af, int type, int protocol) {
  if (af != AF_INET && af != AF_INET6) return std::nullopt;
  if (type == SOCK_STREAM && (protocol == 0 || protocol == IPPROTO_TCP)) return Protocol::kTcp;
  if (type == SOCK_DGRAM && (protocol == 0 || protocol == IPPROTO_UDP)) return Protocol::kUdp;
  return std::nullopt;
}

// socket()'s arguments as Winsock resolves them, or the error it answers: AF_UNSPEC takes the
// family from the protocol, type 0 the type from the protocol, protocol 0 the protocol from the
// type. Raw sockets and AF_UNIX stream sockets open too, so that tests reach the WSAEOPNOTSUPP
// rows.
struct SocketArguments {
  int af = 0;
  int type = 0;
  int protocol = 0;
  int error = 0;              // 0: a socket opens
  const char* why = nullptr;  // the refusal in words, when error != 0 (Socket adds the arguments)
};

SocketArguments ResolveSocketArguments(int af, int type, int protocol) {
  SocketArguments resolved{af, type, protocol, 0, nullptr};
  auto fail = [&resolved](int error, const char* why) {
    resolved.error = error;
    resolved.why = why;
    return resolved;
  };
  if (af == AF_UNSPEC && protocol == 0) {
    // [ref:socket-rules] whatever the type, even an unknown one
    return fail(WSAEINVAL, "AF_UNSPEC needs a protocol to pick the family by");
  }
  if (type != 0 && type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_RAW) {
    // [ref:socket-rules] wins over an unknown family
    return fail(WSAESOCKTNOSUPPORT, "type is not 0, SOCK_STREAM, SOCK_DGRAM or SOCK_RAW");
  }
  if (af == AF_UNSPEC) resolved.af = AF_INET;  // [ref:socket-rules] (AF_INET6 on Windows 11)
  if (resolved.af != AF_INET && resolved.af != AF_INET6 && resolved.af != AF_UNIX) {
    return fail(WSAEAFNOSUPPORT, "af is not AF_INET, AF_INET6 or AF_UNIX");  // [ref:socket-rules]
  }
  if (resolved.af == AF_UNIX) {
    // assumed (docs/fidelity.md): AF_UNIX opens as a stream socket only
    return type == SOCK_STREAM && protocol == 0
               ? resolved
               : fail(WSAEPROTONOSUPPORT, "AF_UNIX opens only SOCK_STREAM with protocol 0");
  }
  if (type == SOCK_RAW) return resolved;  // any IP protocol number; the rights come later
  if (type == 0) {
    if (protocol != 0 && protocol != IPPROTO_TCP && protocol != IPPROTO_UDP) {
      // [ref:socket-rules] nothing to pick the type by
      return fail(WSAEPROTONOSUPPORT, "type 0 needs protocol IPPROTO_TCP or IPPROTO_UDP");
    }
    // [ref:socket-rules] by the protocol; (AF_INET, 0, 0) is TCP
    resolved.type = protocol == IPPROTO_UDP ? SOCK_DGRAM : SOCK_STREAM;
  }
  const int transport = resolved.type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
  if (protocol == 0) resolved.protocol = transport;  // [ref:socket-rules] by the type
  if (resolved.protocol != transport) {
    // [ref:socket-rules] a mismatch, or an unknown protocol
    return fail(WSAEPROTONOSUPPORT, resolved.type == SOCK_STREAM
                                        ? "SOCK_STREAM takes protocol 0 or IPPROTO_TCP"
                                        : "SOCK_DGRAM takes protocol 0 or IPPROTO_UDP");
  }
  return resolved;
}

int AddressLength(int af) {
  return af == AF_INET6 ? static_cast<int>(sizeof(sockaddr_in6))
                        : static_cast<int>(sizeof(sockaddr_in));
}

// An IOCTL's refusal from the part shared with pending calls: the code, with its reason kept
// for the call's record.
int Refuse(std::string& why, int error, std::string reason) {
  why = std::move(reason);
  return error;
}

bool IsReservationIoctl(DWORD code) {
  return code == SIO_ACQUIRE_PORT_RESERVATION || code == SIO_RELEASE_PORT_RESERVATION ||
         code == SIO_ASSOCIATE_PORT_RESERVATION;
}

}  // namespace

// ---- socket ---------------------------------------------------------------------------------
SOCKET HostState::Socket(std::uint32_t pid, int af, int type, int protocol) {
  return OpenSocket(pid, Api::kSocket, SocketTriple{af, type, protocol}, 0, WSA_FLAG_OVERLAPPED);
}

// socket(), WSASocketW and WSASocketA: one set of argument rules [ref:socket-rules]; only
// WSASocket without WSA_FLAG_OVERLAPPED opens a socket without the overlapped attribute
// [ref:connect-listen].
SOCKET HostState::OpenSocket(std::uint32_t pid, Api api, SocketTriple triple, GROUP group,
                             DWORD flags) {
  const int af = triple.af;
  const int type = triple.type;
  const int protocol = triple.protocol;
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(process, options_.call_log_capacity, api, INVALID_SOCKET, 0, false);
  call.record().af = af;
  call.record().type = type;
  call.record().protocol = protocol;
  call.record().flags = flags;
  if (auto injected = call.InjectedError()) {
    call.FailInjected(*injected);  // fake control: a Fault
    return INVALID_SOCKET;
  }
  if (group != 0 && options_.assumed.wsasocket_group != 0) {
    call.Fail(options_.assumed.wsasocket_group,
              "WSASocket: groups are reserved (AssumedErrors::wsasocket_group)");
    return INVALID_SOCKET;
  }
  const SocketArguments resolved = ResolveSocketArguments(af, type, protocol);
  if (resolved.error != 0) {
    call.Fail(resolved.error,  // [ref:socket-rules]
              std::string(resolved.why) + " (af " + std::to_string(af) + ", type " +
                  std::to_string(type) + ", protocol " + std::to_string(protocol) + ")");
    return INVALID_SOCKET;
  }
  if (resolved.type == SOCK_RAW && !process.elevated) {
    // [ref:socket-rules] raw sockets need an administrator (since Vista)
    call.Fail(WSAEACCES, "SOCK_RAW needs an elevated process; pid " + std::to_string(process.pid) +
                             " is not elevated");
    return INVALID_SOCKET;
  }
  const SOCKET s = next_socket_;
  next_socket_ += 4;  // handles are never reused: a stale one always answers WSAENOTSOCK
  SocketState& socket = AddSocket(s);
  socket.pid = pid;
  socket.af = resolved.af;
  socket.type = resolved.type;
  socket.protocol = resolved.protocol;
  socket.transport = TransportOf(resolved.af, resolved.type, resolved.protocol);
  socket.overlapped_attribute = (flags & WSA_FLAG_OVERLAPPED) != 0;
  process.sockets.push_back(s);
  call.record().call.socket = s;
  call.Succeed();
  // [ref:socket-rules] success clears it; a thread with no entry reads 0 already, and a fresh
  // fake should not allocate one per socket()
  if (!process.last_error.empty()) {
    if (auto it = process.last_error.find(std::this_thread::get_id());
        it != process.last_error.end()) {
      it->second = 0;
    }
  }
  return s;
}

// ---- closesocket ----------------------------------------------------------------------------
int HostState::CloseSocket(std::uint32_t pid, SOCKET s, Completions& completions) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(process, options_.call_log_capacity, Api::kCloseSocket, s, 0, false);
  if (auto injected = call.InjectedError()) return call.FailInjected(*injected);  // a Fault
  if (FindSocket(process, s) == nullptr) {
    return call.Fail(WSAENOTSOCK, WhyNoSocket(process, s));  // [ms:closesocket]
  }
  CloseSocketLocked(process, s, completions);
  return call.Succeed();
}

// Also a process's exit, for each socket it leaves open.
void HostState::CloseSocketLocked(Process& process, SOCKET s, Completions& completions) {
  // Pending calls on the socket complete with WSA_OPERATION_ABORTED [ref:acquire]; the reason
  // is built only when there are any, not on every close.
  if (!process.pending.empty()) {
    AbortPending(process, s, completions,
                 "socket " + DescribeSocketHandle(s) + " closed while the call was pending");
  }
  for (auto it = process.overlapped.begin(); it != process.overlapped.end();) {
    it = it->second.socket == s ? process.overlapped.erase(it) : std::next(it);
  }
  const auto node = sockets_.find(s);
  SocketState& socket = node->second;
  // Unbound first: a port it bound inside a block it owns is then no cover the block's release
  // has to step around, and the block's ports go back to the free runs in one piece.
  UnbindShared(socket);
  // The reservations it acquired end with it [ref:ioctl-common]; sockets bound from them stay
  // bound [ref:open-8].
  while (!socket.owned.empty()) {
    auto [protocol, block] = FindBlock(socket.owned.back());
    if (block != nullptr) {
      EndReservation(protocol, *block);
    } else {
      socket.owned.pop_back();
    }
  }
  spare_socket_ = sockets_.extract(node);
  process.sockets.erase(std::find(process.sockets.begin(), process.sockets.end(), s));
}

SocketState& HostState::AddSocket(SOCKET s) {
  // Handles only grow, so the new socket goes last.
  if (spare_socket_.empty()) return sockets_.emplace_hint(sockets_.end(), s, SocketState{})->second;
  auto node = std::move(spare_socket_);
  node.key() = s;
  SocketState& socket = node.mapped();
  std::vector<ULONG64> owned = std::move(socket.owned);
  std::vector<Connection> waiting = std::move(socket.waiting);
  owned.clear();
  waiting.clear();
  socket = SocketState{};
  socket.owned = std::move(owned);
  socket.waiting = std::move(waiting);
  return sockets_.insert(sockets_.end(), std::move(node))->second;
}

// ---- bind -----------------------------------------------------------------------------------
int HostState::Bind(std::uint32_t pid, SOCKET s, const sockaddr* name, int namelen) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(process, options_.call_log_capacity, Api::kBind, s, 0, false);
  if (auto injected = call.InjectedError()) return call.FailInjected(*injected);  // a Fault
  SocketState* socket = FindSocket(process, s);
  if (socket == nullptr) return call.Fail(WSAENOTSOCK, WhyNoSocket(process, s));  // [ref:bind]
  if (name == nullptr) return call.Fail(WSAEFAULT, "name is null");               // [ref:bind]
  if (namelen < AddressLength(socket->af)) {
    return call.Fail(WSAEFAULT,  // [ref:bind]
                     TooSmall("namelen", static_cast<std::uint64_t>(std::max(namelen, 0)),
                              socket->af == AF_INET6 ? "sockaddr_in6" : "sockaddr_in",
                              static_cast<std::size_t>(AddressLength(socket->af))));
  }
  if (name->sa_family != socket->af) {
    return call.Fail(WSAEAFNOSUPPORT,  // [ref:bind]
                     "name's sa_family " + std::to_string(name->sa_family) +
                         " is not the socket's af " + std::to_string(socket->af));
  }
  if (socket->bound) {
    return call.Fail(WSAEINVAL,  // [ref:bind] already bound
                     "socket " + DescribeSocketHandle(s) + " is already bound to port " +
                         std::to_string(socket->port));
  }
  if (!socket->transport) {
    // assumed (docs/fidelity.md): the fake gives raw and AF_UNIX sockets no port space
    return call.Fail(WSAEOPNOTSUPP, DescribeSocket(s, socket->af, socket->type, socket->protocol) +
                                        " has no port space in the fake");
  }

  const Protocol protocol = *socket->transport;
  std::uint16_t requested_net = 0;
  std::memcpy(&requested_net, name->sa_data, sizeof requested_net);  // sin_port / sin6_port
  std::uint32_t port = ntohs(requested_net);
  bool shared = false;  // another socket holds the port too

  // A socket associated with a reservation takes its port from the block [ref:associate].
  std::optional<std::pair<std::uint32_t, std::uint32_t>> block;
  if (socket->associated != INVALID_PORT_RESERVATION_TOKEN) {
    auto [block_protocol, associated] = FindBlock(socket->associated);
    if (associated == nullptr || block_protocol != protocol) {
      return call.Fail(options_.assumed.bind_reservation_gone,  // [ref:open-8]
                       "the associated " + DescribeToken(socket->associated) +
                           " names no live reservation any more");
    }
    block.emplace(associated->first, associated->last);
  }

  if (port == 0 && block) {
    // The lowest port of the block no socket holds.
    std::uint32_t candidate = block->first;
    while (candidate <= block->second && ports_.bound(protocol).Contains(candidate)) ++candidate;
    if (candidate > block->second) {
      return call.Fail(options_.assumed.bind_reservation_full,  // [ref:open-7]
                       "every port of the associated block " +
                           DescribePorts(block->first, block->second - block->first + 1) +
                           " is bound");
    }
    port = candidate;
  } else if (port == 0) {
    // An ephemeral port: the lowest dynamic port nothing covers (no reservation, no socket).
    auto free_port = ports_.free(protocol).LowestFree();
    if (!free_port) {
      return call.Fail(
          WSAENOBUFS,  // [ref:bind] no ephemeral port left
          "no free " + std::string(ProtocolName(protocol)) + " port in the dynamic range " +
              DescribePorts(ports_.free(protocol).first(),
                            ports_.free(protocol).last() - ports_.free(protocol).first() + 1));
    }
    port = *free_port;
  } else {
    if (ports_.bound(protocol).Contains(port)) {
      // [ref:bind] WSAEADDRINUSE unless the options let the sockets share it [ref:reuseaddr]
      if (const int error = ShareBoundPort(process, s, *socket, port); error != 0) {
        return call.Fail(error, std::string(ProtocolName(protocol)) + " port " +
                                    std::to_string(port) + " is bound by " +
                                    BoundBy(protocol, port) +
                                    ", and the sockets' options do not let them share it");
      }
      shared = true;
    }
    const bool inside_own_block = block && port >= block->first && port <= block->second;
    if (!inside_own_block) {
      // Another process's runtime block refuses explicit binds; a runtime block of this
      // process lets them through, and so does a persistent block unless the option says
      // otherwise [ref:field-answers].
      const Block* covering = ports_.blocks(protocol).Covering(port);
      if (covering != nullptr && covering->kind == ReservationKind::kRuntime &&
          covering->pid != pid) {
        return call.Fail(
            options_.assumed.bind_foreign_runtime_block,  // [ref:field-answers]
            "port " + std::to_string(port) + " is inside " + DescribeBlock(protocol, *covering));
      }
      if (covering != nullptr && covering->kind == ReservationKind::kPersistent &&
          !options_.persistent_blocks_allow_explicit_bind) {
        // [ref:field-answers] MsQuic's documentation: not without association (reports disagree)
        return call.Fail(WSAEACCES, "port " + std::to_string(port) + " is inside " +
                                        DescribeBlock(protocol, *covering) +
                                        " and persistent_blocks_allow_explicit_bind is false");
      }
    }
  }

  if (shared) {
    ++sharers_[{protocol, port}];
  } else {
    ports_.Bind(protocol, port);
  }
  socket->bound = true;
  socket->port = port;
  socket->bound_mode = ModeOf(*socket);  // options set later do not change this bind
  socket->bound_wildcard = IsWildcardAddress(name);
  socket->address_length = AddressLength(socket->af);
  std::memcpy(&socket->address, name, static_cast<std::size_t>(socket->address_length));
  const std::uint16_t port_net = htons(static_cast<std::uint16_t>(port));
  std::memcpy(reinterpret_cast<sockaddr*>(&socket->address)->sa_data, &port_net, sizeof port_net);
  call.record().bound_port = static_cast<std::uint16_t>(port);
  return call.Succeed();
}

// ---- getsockname ----------------------------------------------------------------------------
int HostState::GetSockName(std::uint32_t pid, SOCKET s, sockaddr* name, int* namelen) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(process, options_.call_log_capacity, Api::kGetSockName, s, 0, false);
  if (auto injected = call.InjectedError()) return call.FailInjected(*injected);  // a Fault
  SocketState* socket = FindSocket(process, s);
  if (socket == nullptr) {
    return call.Fail(WSAENOTSOCK, WhyNoSocket(process, s));  // [ms:getsockname]
  }
  if (!socket->bound) {
    return call.Fail(WSAEINVAL,  // [ms:getsockname] not bound
                     "socket " + DescribeSocketHandle(s) + " is not bound");
  }
  if (name == nullptr) return call.Fail(WSAEFAULT, "name is null");        // [ms:getsockname]
  if (namelen == nullptr) return call.Fail(WSAEFAULT, "namelen is null");  // [ms:getsockname]
  if (*namelen < socket->address_length) {
    return call.Fail(WSAEFAULT,  // [ms:getsockname]
                     "*namelen " + std::to_string(*namelen) + " < the bound address's length " +
                         std::to_string(socket->address_length));
  }
  std::memcpy(name, &socket->address, static_cast<std::size_t>(socket->address_length));
  *namelen = socket->address_length;
  call.record().bound_port = static_cast<std::uint16_t>(socket->port);
  return call.Succeed();
}

// ---- WSAIoctl -------------------------------------------------------------------------------
// The errors tables of [ref:acquire], [ref:associate] and [ref:release] are one table; a line
// below cites the page that states its case.
int HostState::Ioctl(std::uint32_t pid, SOCKET s, DWORD code, LPVOID in, DWORD in_size, LPVOID out,
                     DWORD out_size, LPDWORD bytes_returned, LPWSAOVERLAPPED overlapped,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, Completions& completions,
                     const ProviderCall* provider) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  // On a socket without the overlapped attribute lpOverlapped is ignored: the call completes
  // before it returns [ref:connect-listen], so no fault or option can make it pend.
  SocketState* socket = FindSocket(process, s);
  if (socket != nullptr && !socket->overlapped_attribute) {
    overlapped = nullptr;
    routine = nullptr;
  }
  CallScope call(process, options_.call_log_capacity,
                 provider != nullptr ? Api::kWSPIoctl : Api::kWSAIoctl, s, code,
                 overlapped != nullptr);
  if (provider != nullptr) call.ReportErrorTo(provider->error);
  call.RecordIoctlInput(code, in, in_size);  // the log shows what was asked, even if refused
  if (auto injected = call.InjectedError()) return call.FailInjected(*injected);  // a Fault

  // Checks in the order Winsock makes them: the socket, the request, the buffers.
  if (socket == nullptr) return call.Fail(WSAENOTSOCK, WhyNoSocket(process, s));  // [ref:acquire]
  if (code == SIO_FLUSH) {
    return Flush(process, call, s, bytes_returned, overlapped, routine, completions);
  }
  if (code == SIO_CPU_AFFINITY) {
    if (bytes_returned == nullptr && overlapped == nullptr) {
      return call.Fail(WSAEFAULT, "lpcbBytesReturned is null on a synchronous call");
    }
    if (const int error = CpuAffinity(*socket, in, in_size, call.record()); error != 0) {
      return call.Fail(error, "SIO_CPU_AFFINITY refused (see docs/fidelity.md)");  // tagged there
    }
    if (bytes_returned != nullptr) *bytes_returned = 0;
    if (overlapped != nullptr) {
      PendingCall done;
      done.socket = s;
      done.overlapped = overlapped;
      done.routine = routine;
      FinishOverlapped(process, done, 0, 0, completions);
    }
    return call.Succeed();
  }
  if (!IsReservationIoctl(code)) {
    // assumed (docs/fidelity.md): the fake models no other IOCTL but SIO_FLUSH
    return call.Fail(WSAEOPNOTSUPP, DescribeIoctl(code) +
                                        " is not a port-reservation IOCTL; the fake has no other");
  }
  if (!socket->transport) {
    return call.Fail(WSAEOPNOTSUPP,  // [ref:acquire] not TCP or UDP
                     DescribeSocket(s, socket->af, socket->type, socket->protocol) +
                         " is not a TCP or UDP socket");
  }
  if (options_.reservation_ioctls_unsupported) {
    // [ref:wine] a platform without the IOCTLs: WSAEOPNOTSUPP with no bytes; overlapped, the
    // call pends and completes with it at once (STATUS_NOT_SUPPORTED, read back as 10045).
    if (bytes_returned != nullptr) *bytes_returned = 0;
    const std::string why =
        DescribeIoctl(code) + " is unsupported on this host (reservation_ioctls_unsupported)";
    if (overlapped == nullptr) return call.Fail(WSAEOPNOTSUPP, why);
    PendingCall unsupported;
    unsupported.socket = s;
    unsupported.overlapped = overlapped;
    unsupported.routine = routine;
    FinishOverlapped(process, unsupported, WSAEOPNOTSUPP, 0, completions, why);
    return call.Fail(WSA_IO_PENDING, "the call pends; it completes with WSAEOPNOTSUPP");
  }
  if (bytes_returned == nullptr && overlapped == nullptr) {
    return call.Fail(WSAEFAULT,  // [ref:wsaioctl] a synchronous call needs lpcbBytesReturned
                     "lpcbBytesReturned is null on a synchronous call (lpOverlapped is null)");
  }
  if (provider != nullptr && !provider->has_thread_id && overlapped != nullptr && routine) {
    // assumed (AssumedErrors::wsp_missing_thread_id): nowhere to queue the routine
    return call.Fail(options_.assumed.wsp_missing_thread_id,
                     "lpThreadId is null on an overlapped WSPIoctl with a completion routine");
  }

  PendingCall request;
  request.socket = s;
  request.code = code;
  request.out = out;
  request.out_size = out_size;
  request.overlapped = overlapped;
  request.routine = routine;
  request.call_index = call.record().call.index;
  if (code == SIO_ACQUIRE_PORT_RESERVATION) {
    if (in == nullptr) return call.Fail(WSAEFAULT, "lpvInBuffer is null");    // [ref:acquire]
    if (out == nullptr) return call.Fail(WSAEFAULT, "lpvOutBuffer is null");  // [ref:acquire]
    if (in_size < sizeof(INET_PORT_RANGE)) {
      return call.Fail(WSAEINVAL,  // [ref:open-10]
                       TooSmall("cbInBuffer", in_size, "INET_PORT_RANGE", sizeof(INET_PORT_RANGE)));
    }
    if (out_size < sizeof(INET_PORT_RESERVATION_INSTANCE)) {
      if (bytes_returned != nullptr) *bytes_returned = 0;
      return call.Fail(WSAEINVAL,  // [ref:ioctl-common] output buffer too small
                       TooSmall("cbOutBuffer", out_size, "INET_PORT_RESERVATION_INSTANCE",
                                sizeof(INET_PORT_RESERVATION_INSTANCE)));
    }
    std::memcpy(&request.range, in, sizeof request.range);
  } else {
    if (in == nullptr) return call.Fail(WSAEFAULT, "lpvInBuffer is null");  // [ref:associate]
    // [ref:release] [ref:associate]: cbInBuffer at least 8, cbOutBuffer 0.
    if (in_size < sizeof(INET_PORT_RESERVATION_TOKEN)) {
      if (bytes_returned != nullptr) *bytes_returned = 0;
      return call.Fail(WSAEINVAL, TooSmall("cbInBuffer", in_size, "INET_PORT_RESERVATION_TOKEN",
                                           sizeof(INET_PORT_RESERVATION_TOKEN)));
    }
    if (out_size != 0) {
      if (bytes_returned != nullptr) *bytes_returned = 0;
      return call.Fail(WSAEINVAL, "cbOutBuffer " + std::to_string(out_size) + " is not 0 (" +
                                      DescribeIoctl(code) + " has no output)");
    }
    std::memcpy(&request.token, in, sizeof request.token);
  }

  if (overlapped != nullptr && (call.InjectedPend() || process.pend_overlapped)) {
    overlapped->Internal = kStatusPending;
    overlapped->InternalHigh = 0;
    process.overlapped[overlapped] = OverlappedStatus{s, true, 0, 0, {}};
    process.pending.push_back(request);
    if (bytes_returned != nullptr) *bytes_returned = 0;
    if (call.InjectedPend()) return call.FailInjected(WSA_IO_PENDING);  // Fault::Pend()
    return call.Fail(WSA_IO_PENDING,  // [ref:ioctl-common] an overlapped call started
                     "pending until completed (FakeProcessOptions::pend_overlapped_calls)");
  }

  DWORD bytes = 0;
  const int error = Execute(process, s, *socket, request, &bytes, call.record(), call.reason());
  if (error != 0) {
    if (bytes_returned != nullptr) *bytes_returned = 0;
    // Acquire, Release or Associate's refusal, tagged there, with its reason.
    return call.Fail(error, std::move(call.reason()));
  }
  if (bytes_returned != nullptr) *bytes_returned = bytes;
  if (overlapped != nullptr) FinishOverlapped(process, request, 0, bytes, completions);
  return call.Succeed();
}

// What an IOCTL does once its arguments passed, now or when a pending call completes.
int HostState::Execute(Process& process, SOCKET s, SocketState& socket, const PendingCall& call,
                       DWORD* bytes, CallFields& record, std::string& why) {
  switch (call.code) {
    case SIO_ACQUIRE_PORT_RESERVATION:
      return Acquire(process, s, socket, call.range, call.out, bytes, record, why);
    case SIO_RELEASE_PORT_RESERVATION:
      *bytes = 0;  // [ref:open-9]
      return Release(process, call.token, why);
    default:
      *bytes = 0;  // [ref:open-9]
      return Associate(process, s, socket, call.token, why);
  }
}

int HostState::Acquire(Process& process, SOCKET s, SocketState& socket,
                       const INET_PORT_RANGE& range, LPVOID out, DWORD* bytes, CallFields& record,
                       std::string& why) {
  const Protocol protocol = *socket.transport;
  const std::uint32_t count = range.NumberOfPorts;
  std::uint32_t first = ntohs(range.StartPort);  // network byte order [ref:acquire]
  if (count == 0)
    return Refuse(why, options_.assumed.acquire_zero_ports,
                  "NumberOfPorts is 0");  // [ref:open-2]
  if (first == 0) {
    // Wildcard [ref:structures]: the smallest free run of the dynamic range that fits (lowest
    // start among equals) [ref:open-4]; never a scan of ports or blocks.
    auto start = options_.scatter_wildcard_acquires ? ScatteredFit(protocol, count)
                                                    : ports_.free(protocol).FindBestFit(count);
    if (!start) {
      const FreePortIndex& free = ports_.free(protocol);
      return Refuse(why, options_.assumed.acquire_no_room,  // [ref:open-4]
                    "no free run of " + std::to_string(count) + " " +
                        std::string(ProtocolName(protocol)) + " ports in the dynamic range " +
                        DescribePorts(free.first(), free.last() - free.first() + 1));
    }
    first = *start;
  } else {
    if (first + count - 1 > kLastPort) {
      return Refuse(why, options_.assumed.acquire_past_last_port,  // [ref:open-2]
                    "StartPort " + std::to_string(first) + " + NumberOfPorts " +
                        std::to_string(count) + " runs past port 65535");
    }
    if (auto conflict = ports_.FindConflict(protocol, first, first + count - 1)) {
      return Refuse(why, options_.assumed.acquire_overlap,  // [ref:field-answers] [ref:open-3]
                    WhyConflict(protocol, first, count, *conflict));
    }
  }
  Block block;
  block.first = static_cast<std::uint16_t>(first);
  block.last = static_cast<std::uint16_t>(first + count - 1);
  block.kind = ReservationKind::kRuntime;
  block.token = tokens_.Issue(protocol, first);
  block.owner = s;
  block.pid = process.pid;
  block.owned_index = static_cast<std::uint32_t>(socket.owned.size());
  ports_.AddBlock(protocol, block);
  socket.owned.push_back(block.token);

  INET_PORT_RESERVATION_INSTANCE instance{};
  instance.Reservation.StartPort = htons(static_cast<std::uint16_t>(first));
  instance.Reservation.NumberOfPorts = static_cast<USHORT>(count);
  instance.Token.Token = block.token;
  std::memcpy(out, &instance, sizeof instance);
  *bytes = sizeof instance;  // [ref:open-9]
  record.granted_port = static_cast<std::uint16_t>(first);
  record.token = block.token;
  return 0;
}

int HostState::Release(Process& process, ULONG64 token, std::string& why) {
  auto [protocol, block] = FindBlock(token);
  // Only a runtime reservation of this process can be released ([ref:release]: "the issuing
  // process"); anything else is an unknown token to it.
  if (block == nullptr) {
    return Refuse(why, options_.assumed.unknown_token,  // [ref:open-1]
                  DescribeToken(token) + " names no live reservation");
  }
  if (block->kind != ReservationKind::kRuntime) {
    return Refuse(why, options_.assumed.unknown_token,  // [ref:open-5] [ref:release]
                  DescribeToken(token) + " names " + DescribeBlock(protocol, *block) +
                      ", which only DeletePersistent*PortReservation removes");
  }
  if (block->pid != process.pid) {
    return Refuse(why, options_.assumed.unknown_token,  // [ref:open-5]
                  DescribeToken(token) + " names " + DescribeBlock(protocol, *block) +
                      ", not a reservation of pid " + std::to_string(process.pid));
  }
  EndReservation(protocol, *block);
  return 0;
}

// Associating twice: the last token wins [ref:open-6].
int HostState::Associate(Process& process, SOCKET s, SocketState& socket, ULONG64 token,
                         std::string& why) {
  if (socket.bound) {
    return Refuse(why, options_.assumed.associate_after_bind,  // [ref:open-6]
                  "socket " + DescribeSocketHandle(s) + " is already bound (port " +
                      std::to_string(socket.port) + "); associate comes before bind");
  }
  auto [protocol, found] = FindBlock(token);
  if (found == nullptr) {
    return Refuse(why, options_.assumed.unknown_token,  // [ref:open-1]
                  DescribeToken(token) + " names no live reservation");
  }
  const Block& block = *found;
  if (protocol != *socket.transport) {
    return Refuse(why, options_.assumed.associate_wrong_protocol,  // [ref:open-6]
                  DescribeToken(token) + " names " + DescribeBlock(protocol, block) + "; " +
                      DescribeSocket(s, socket.af, socket.type, socket.protocol) + " is not " +
                      std::string(ProtocolName(protocol)));
  }
  if (block.kind == ReservationKind::kPersistent && !process.elevated) {
    // [ref:associate] persistent reservations need an elevated administrator
    return Refuse(why, WSAEACCES,
                  DescribeToken(token) + " names " + DescribeBlock(protocol, block) + " and pid " +
                      std::to_string(process.pid) + " is not elevated");
  }
  if (block.kind == ReservationKind::kRuntime && block.pid != process.pid) {
    return Refuse(why, options_.assumed.associate_foreign_runtime,  // [ref:open-6]
                  DescribeToken(token) + " names " + DescribeBlock(protocol, block) +
                      ", not a reservation of pid " + std::to_string(process.pid));
  }
  socket.associated = token;
  return 0;
}

// ---- Cancellation ---------------------------------------------------------------------------
// The socket's pending calls end with WSA_OPERATION_ABORTED and no effect, oldest first: what
// closing the socket and SIO_FLUSH do to them [ref:release] (the errors table).
void HostState::AbortPending(Process& process, SOCKET s, Completions& completions,
                             const std::string& reason) {
  std::vector<PendingCall> aborted;
  auto pending_end = std::stable_partition(process.pending.begin(), process.pending.end(),
                                           [s](const PendingCall& p) { return p.socket != s; });
  aborted.assign(pending_end, process.pending.end());
  process.pending.erase(pending_end, process.pending.end());
  for (const PendingCall& pending : aborted) {
    FinishOverlapped(process, pending, WSA_OPERATION_ABORTED, 0, completions, reason);
  }
}

// SIO_FLUSH takes no buffers and has nothing to wait for: it completes at once, overlapped too,
// even in a process whose overlapped calls pend (assumed: docs/fidelity.md).
int HostState::Flush(Process& process, CallScope& call, SOCKET s, LPDWORD bytes_returned,
                     LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                     Completions& completions) {
  if (bytes_returned == nullptr && overlapped == nullptr) {
    return call.Fail(WSAEFAULT,  // [ref:wsaioctl] a synchronous call needs lpcbBytesReturned
                     "lpcbBytesReturned is null on a synchronous call (lpOverlapped is null)");
  }
  AbortPending(process, s, completions, "SIO_FLUSH on socket " + DescribeSocketHandle(s));
  if (bytes_returned != nullptr) *bytes_returned = 0;
  if (overlapped != nullptr) {
    PendingCall flush;
    flush.socket = s;
    flush.code = SIO_FLUSH;
    flush.overlapped = overlapped;
    flush.routine = routine;
    FinishOverlapped(process, flush, 0, 0, completions);
  }
  return call.Succeed();
}

// ---- Overlapped completion ------------------------------------------------------------------
// Completion sets the OVERLAPPED, signals its event and queues its routine [ref:ioctl-common].
void HostState::FinishOverlapped(Process& process, const PendingCall& call, int error, DWORD bytes,
                                 Completions& completions, std::string reason) {
  LPWSAOVERLAPPED overlapped = call.overlapped;
  overlapped->Internal = static_cast<ULONG_PTR>(error);
  overlapped->InternalHigh = bytes;
  process.overlapped[overlapped] =
      OverlappedStatus{call.socket, false, error, bytes, std::move(reason)};
  events_.Set(overlapped->hEvent, true);
  if (call.routine != nullptr) {
    completions.push_back(Completion{call.routine, static_cast<DWORD>(error), bytes, overlapped});
  }
}

bool HostState::CompletePendingLocked(Process& process, LPWSAOVERLAPPED overlapped,
                                      std::optional<int> error, Completions& completions) {
  auto it = std::find_if(process.pending.begin(), process.pending.end(),
                         [overlapped](const PendingCall& p) { return p.overlapped == overlapped; });
  if (it == process.pending.end()) return false;
  const PendingCall pending = *it;
  process.pending.erase(it);
  DWORD bytes = 0;
  int result = 0;
  CallFields record;  // not kept: the call itself was logged when it pended
  std::string why;
  if (error) {
    result = *error;  // fake control: CompletePending(overlapped, error)
    why = "CompletePending failed the call with " + DescribeError(*error);
  } else {
    result =
        Execute(process, pending.socket, sockets_.at(pending.socket), pending, &bytes, record, why);
    if (result != 0) bytes = 0;
  }
  FinishOverlapped(process, pending, result, bytes, completions, std::move(why));
  return true;
}

// ---- WSAGetOverlappedResult -----------------------------------------------------------------
BOOL HostState::GetOverlappedResult(std::uint32_t pid, SOCKET s, LPWSAOVERLAPPED overlapped,
                                    LPDWORD bytes, BOOL wait, LPDWORD flags,
                                    Completions& completions) {
  std::unique_lock<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(process, options_.call_log_capacity, Api::kWSAGetOverlappedResult, s, 0, false);
  if (auto injected = call.InjectedError()) return call.FailInjected(*injected, FALSE);  // Fault
  if (FindSocket(process, s) == nullptr) {
    return call.Fail(WSAENOTSOCK, WhyNoSocket(process, s), FALSE);  // [ms:WSAGetOverlappedResult]
  }
  if (overlapped == nullptr || bytes == nullptr || flags == nullptr) {
    return call.Fail(WSAEFAULT,  // [ms:WSAGetOverlappedResult]
                     overlapped == nullptr ? "lpOverlapped is null"
                     : bytes == nullptr    ? "lpcbTransfer is null"
                                           : "lpdwFlags is null",
                     FALSE);
  }
  auto status = process.overlapped.find(overlapped);
  if (status == process.overlapped.end() || status->second.socket != s) {
    return call.Fail(WSAEINVAL,  // [ms:WSAGetOverlappedResult]
                     "lpOverlapped is no overlapped call of socket " + DescribeSocketHandle(s),
                     FALSE);
  }
  if (status->second.pending) {
    if (!wait) {
      return call.Fail(WSA_IO_INCOMPLETE,  // [ms:WSAGetOverlappedResult]
                       "the call is still pending and fWait is FALSE", FALSE);
    }
    // Waiting completes the call: the system would finish it while the caller blocks.
    CompletePendingLocked(process, overlapped, std::nullopt, completions);
    status = process.overlapped.find(overlapped);
  }
  *bytes = status->second.bytes;
  *flags = 0;
  if (status->second.error != 0) {
    return call.Fail(status->second.error,  // the call's own outcome, tagged above
                     "the overlapped call failed: " + status->second.reason, FALSE);
  }
  return call.Succeed(TRUE);
}

// ---- iphlpapi: persistent reservations --------------------------------------------------------
// No CallScope: iphlpapi answers with its return value and sets no Winsock last error.
ULONG HostState::CreatePersistent(Protocol protocol, bool elevated, std::uint32_t first,
                                  std::uint32_t count, PULONG64 token) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (options_.iphlpapi_absent) return ERROR_NOT_SUPPORTED;  // [ref:wine] stubs
  if (!elevated) return ERROR_ACCESS_DENIED;                 // [ref:iphlpapi-create]
  if (token == nullptr) return ERROR_INVALID_PARAMETER;      // assumed (docs/fidelity.md)
  if (first == 0 || count == 0 || first + count - 1 > kLastPort) {
    return ERROR_INVALID_PARAMETER;  // [ref:iphlpapi-create]
  }
  if (ports_.FindConflict(protocol, first, first + count - 1)) {
    // [ref:iphlpapi-create] a port in use or a persistent block; runtime blocks: [ref:open-14]
    return ERROR_SHARING_VIOLATION;
  }
  Block block;
  block.first = static_cast<std::uint16_t>(first);
  block.last = static_cast<std::uint16_t>(first + count - 1);
  block.kind = ReservationKind::kPersistent;
  block.token = tokens_.Issue(protocol, first);
  ports_.AddBlock(protocol, block);
  *token = block.token;
  return NO_ERROR;
}

// Delete and Lookup name a block by its exact (StartPort, NumberOfPorts) [ref:open-13].
ULONG HostState::DeletePersistent(Protocol protocol, bool elevated, std::uint32_t first,
                                  std::uint32_t count) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (options_.iphlpapi_absent) return ERROR_NOT_SUPPORTED;      // [ref:wine] stubs
  if (!elevated) return ERROR_ACCESS_DENIED;                     // [ref:iphlpapi-delete]
  if (first == 0 || count == 0) return ERROR_INVALID_PARAMETER;  // [ref:iphlpapi-delete]
  const Block* block = ports_.blocks(protocol).Find(first);
  if (block == nullptr || block->kind != ReservationKind::kPersistent ||
      block->last != first + count - 1) {
    return ERROR_NOT_FOUND;  // [ref:iphlpapi-delete]
  }
  EndReservation(protocol, *block);
  return NO_ERROR;
}

// No elevation needed [ref:open-15] [ref:field-answers].
ULONG HostState::LookupPersistent(Protocol protocol, std::uint32_t first, std::uint32_t count,
                                  PULONG64 token) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (options_.iphlpapi_absent) return ERROR_NOT_SUPPORTED;      // [ref:wine] stubs
  if (token == nullptr) return ERROR_INVALID_PARAMETER;          // assumed (docs/fidelity.md)
  if (first == 0 || count == 0) return ERROR_INVALID_PARAMETER;  // [ref:iphlpapi-lookup]
  const Block* block = ports_.blocks(protocol).Find(first);
  if (block == nullptr || block->kind != ReservationKind::kPersistent ||
      block->last != first + count - 1) {
    return ERROR_NOT_FOUND;  // [ref:iphlpapi-lookup]
  }
  *token = block->token;
  return NO_ERROR;
}

// ---- Reboot ---------------------------------------------------------------------------------
// Every socket, runtime reservation, pending call and event ends; persistent reservations stay
// [ref:iphlpapi-create], with new tokens unless the option says not [ref:associate].
void HostState::Reboot() {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto system_rows = KeepSystemRowsLocked();
  for (auto& [pid, process] : processes_) {
    process.sockets.clear();
    process.pending.clear();
    process.overlapped.clear();
  }
  sockets_.clear();
  sharers_.clear();
  events_.Clear();
  ports_.EndRuntimeAndBindings();
  if (options_.persistent_tokens_change_on_reboot) {
    ports_.ForEachBlock([&](Protocol protocol, Block& block) {
      block.token = tokens_.Issue(protocol, block.first);
    });
  }
  RestoreSystemRowsLocked(system_rows);
}

}  // namespace portres::detail
