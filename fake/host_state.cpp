// The rules of the simulated machine. Every behaviour here has a row in docs/fidelity.md with
// its source (Microsoft's documentation, a field report, or "assumed") and the test pinning it.
#include "host_state.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace portres::detail {
namespace {

constexpr ULONG_PTR kStatusPending = 0x103;  // what Windows leaves in OVERLAPPED::Internal

// ---- Tokens ---------------------------------------------------------------------------------
// A token is a seeded bijection of (serial << 17 | protocol << 16 | first port): opaque to the
// code under test, unique for the life of the host (the serial never repeats), and decodable
// into the block it names without a token table.
constexpr std::uint64_t kMul1 = 0xff51afd7ed558ccdULL;
constexpr std::uint64_t kMul2 = 0xc4ceb9fe1a85ec53ULL;

constexpr std::uint64_t ModularInverse(std::uint64_t odd) {
  std::uint64_t inverse = odd;  // Newton's iteration doubles the correct bits each step
  for (int i = 0; i < 6; ++i) inverse *= 2 - odd * inverse;
  return inverse;
}
static_assert(kMul1 * ModularInverse(kMul1) == 1 && kMul2 * ModularInverse(kMul2) == 1);

constexpr std::uint64_t Permute(std::uint64_t x) {
  x *= kMul1;
  x ^= x >> 32;
  x *= kMul2;
  x ^= x >> 32;
  return x;
}

constexpr std::uint64_t Unpermute(std::uint64_t x) {
  x ^= x >> 32;
  x *= ModularInverse(kMul2);
  x ^= x >> 32;
  x *= ModularInverse(kMul1);
  return x;
}
static_assert(Unpermute(Permute(0x123456789abcdefULL)) == 0x123456789abcdefULL);

constexpr std::uint64_t Mix(std::uint64_t seed) { return Permute(seed ^ 0x9e3779b97f4a7c15ULL); }

// ---- Sockets --------------------------------------------------------------------------------
std::optional<Protocol> TransportOf(int af, int type, int protocol) {
  if (af != AF_INET && af != AF_INET6) return std::nullopt;
  if (type == SOCK_STREAM && (protocol == 0 || protocol == IPPROTO_TCP)) return Protocol::kTcp;
  if (type == SOCK_DGRAM && (protocol == 0 || protocol == IPPROTO_UDP)) return Protocol::kUdp;
  return std::nullopt;
}

int CheckSocketArguments(int af, int type, int protocol) {
  if (af != AF_INET && af != AF_INET6 && af != AF_UNIX) return WSAEAFNOSUPPORT;
  if (type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_RAW) return WSAESOCKTNOSUPPORT;
  if (af == AF_UNIX) return type == SOCK_STREAM && protocol == 0 ? 0 : WSAEPROTONOSUPPORT;
  if (type == SOCK_STREAM && protocol != 0 && protocol != IPPROTO_TCP) return WSAEPROTONOSUPPORT;
  if (type == SOCK_DGRAM && protocol != 0 && protocol != IPPROTO_UDP) return WSAEPROTONOSUPPORT;
  return 0;
}

int AddressLength(int af) {
  return af == AF_INET6 ? static_cast<int>(sizeof(sockaddr_in6))
                        : static_cast<int>(sizeof(sockaddr_in));
}

bool IsReservationIoctl(DWORD code) {
  return code == SIO_ACQUIRE_PORT_RESERVATION || code == SIO_RELEASE_PORT_RESERVATION ||
         code == SIO_ASSOCIATE_PORT_RESERVATION;
}

}  // namespace

void RunCompletions(const Completions& completions) {
  for (const Completion& c : completions) c.routine(c.error, c.bytes, c.overlapped, 0);
}

// ---- One call -------------------------------------------------------------------------------
// Numbers the call, asks the faults about it, and on the way out records it in the process's
// log and sets the thread's last error when it failed.
class HostState::CallScope {
 public:
  CallScope(HostState& host, Process& process, Api api, SOCKET s, DWORD code, bool overlapped)
      : host_(host), process_(process) {
    record_.call.index = process.call_count++;
    record_.call.api = api;
    record_.call.socket = s;
    record_.call.code = code;
    record_.call.overlapped = overlapped;
    if (!process.faults.empty()) fault_ = process.faults.Take(record_.call);
  }
  ~CallScope() {
    if (record_.error != 0) process_.last_error[std::this_thread::get_id()] = record_.error;
    const std::size_t capacity = host_.options_.call_log_capacity;
    if (capacity == 0) return;
    if (process_.log.size() < capacity) {
      process_.log.push_back(record_);
    } else {
      process_.log[process_.log_next] = record_;
      process_.log_next = (process_.log_next + 1) % capacity;
    }
  }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

  // An injected error, if a fault hit the call.
  std::optional<int> InjectedError() const {
    if (fault_ && !fault_->pend) return fault_->error;
    return std::nullopt;
  }
  bool InjectedPend() const { return fault_ && fault_->pend; }

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

  int Fail(int error, int result = SOCKET_ERROR) {
    record_.result = result;
    record_.error = error;
    return result;
  }
  int FailInjected(int error, int result = SOCKET_ERROR) {
    record_.injected = true;
    return Fail(error, result);
  }
  int Succeed(int result = 0) {
    record_.result = result;
    return result;
  }
  CallRecord& record() { return record_; }

 private:
  HostState& host_;
  Process& process_;
  CallRecord record_;
  std::optional<FaultSet::Hit> fault_;
};

// ---- Construction and processes ---------------------------------------------------------------
// Port 0 is no port: StartPort 0 asks for a wildcard [RNG] and bind(port 0) for an ephemeral
// port, so a dynamic range given as starting at 0 starts at 1 (else a wildcard acquire could be
// granted a block at 0 and a socket bound to port 0).
static FakeHostOptions WithoutPortZero(FakeHostOptions options) {
  if (options.dynamic_first_port == 0) options.dynamic_first_port = 1;
  return options;
}

HostState::HostState(const FakeHostOptions& options)
    : options_(WithoutPortZero(options)),
      spaces_{PortSpace(options_.dynamic_first_port, options_.dynamic_last_port),
              PortSpace(options_.dynamic_first_port, options_.dynamic_last_port)},
      token_key_(Mix(options_.seed)) {
  ApplyMachineOptions();
}

std::uint32_t HostState::AddProcess(bool elevated, bool pend_overlapped) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::uint32_t pid = next_pid_;
  next_pid_ += 4;  // Windows process ids are multiples of four
  processes_.emplace(
      std::piecewise_construct, std::forward_as_tuple(pid),
      std::forward_as_tuple(pid, elevated, pend_overlapped, Mix(options_.seed ^ pid)));
  // Room for a short test's calls at once, rather than growing the log call by call.
  processes_.at(pid).log.reserve(std::min<std::size_t>(options_.call_log_capacity, 16));
  return pid;
}

void HostState::RemoveProcess(std::uint32_t pid) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  process.pending.clear();  // nobody is left to be told
  Completions ignored;
  while (!process.sockets.empty()) CloseSocketLocked(process, process.sockets.back(), ignored);
  processes_.erase(pid);
}

Process& HostState::ProcessOf(std::uint32_t pid) { return processes_.at(pid); }

SocketState* HostState::FindSocket(const Process& process, SOCKET s) {
  auto it = sockets_.find(s);
  if (it == sockets_.end() || it->second.pid != process.pid) return nullptr;
  return &it->second;
}

// ---- Tokens ---------------------------------------------------------------------------------
ULONG64 HostState::IssueToken(Protocol protocol, std::uint32_t first) {
  for (;;) {
    const std::uint64_t raw =
        (next_serial_++ << 17) | (static_cast<std::uint64_t>(protocol) << 16) | first;
    const ULONG64 token = Permute(raw ^ token_key_);
    if (token != INVALID_PORT_RESERVATION_TOKEN) return token;
  }
}

std::pair<Protocol, Block*> HostState::FindBlock(ULONG64 token) {
  const std::uint64_t raw = Unpermute(token) ^ token_key_;
  const Protocol protocol = (raw >> 16 & 1) != 0 ? Protocol::kUdp : Protocol::kTcp;
  Block* block = Space(protocol).blocks.Find(static_cast<std::uint32_t>(raw & 0xffff));
  if (token == INVALID_PORT_RESERVATION_TOKEN || block == nullptr || block->token != token) {
    block = nullptr;
  }
  return {protocol, block};
}

// ---- The port space -----------------------------------------------------------------------
// A new block first..last of `protocol` (runtime or persistent) conflicts with: any block of
// the same protocol; a runtime block of the other protocol when runtime reservations span
// protocols; any bound port of the same protocol.
bool HostState::Conflicts(Protocol protocol, std::uint32_t first, std::uint32_t last) {
  // Blocks are disjoint: those that could meet first..last are the one at or before `last` and,
  // walking back, those before it that still reach `first`.
  auto overlaps = [&](BlockTable& blocks, bool runtime_only) {
    for (Block* block = blocks.AtOrBefore(last); block != nullptr && block->last >= first;
         block = block->first == 0 ? nullptr : blocks.AtOrBefore(block->first - 1U)) {
      if (!runtime_only || block->kind == ReservationKind::kRuntime) return true;
    }
    return false;
  };
  PortSpace& space = Space(protocol);
  if (overlaps(space.blocks, false)) return true;
  if (options_.runtime_reservations_span_protocols &&
      overlaps(Space(Other(protocol)).blocks, true)) {
    return true;
  }
  const std::optional<std::uint32_t> bound = space.bound.Next(first);
  return bound && *bound <= last;
}

void HostState::AddBlock(Protocol protocol, const Block& block) {
  Space(protocol).blocks.Insert(block);
  Space(protocol).free.Occupy(block.first, block.last);
  if (block.kind == ReservationKind::kRuntime && options_.runtime_reservations_span_protocols) {
    Space(Other(protocol)).free.Occupy(block.first, block.last);
  }
}

void HostState::RemoveBlock(Protocol protocol, Block block) {
  if (block.kind == ReservationKind::kRuntime) {
    auto owner = sockets_.find(block.owner);
    if (owner != sockets_.end()) {
      // Swap with the last and pop: a socket holding 60k reservations releases any of them in
      // O(1) (the moved token's block learns its new index), not by a search of the list.
      auto& owned = owner->second.owned;
      if (block.owned_index < owned.size() && owned[block.owned_index] == block.token) {
        const ULONG64 moved = owned.back();
        owned[block.owned_index] = moved;
        owned.pop_back();
        if (moved != block.token) {
          if (Block* moved_block = FindBlock(moved).second) {
            moved_block->owned_index = block.owned_index;
          }
        }
      } else {
        owned.erase(std::remove(owned.begin(), owned.end(), block.token), owned.end());
      }
    }
  }
  Space(protocol).blocks.Erase(block.first);
  Vacate(protocol, block.first, block.last, protocol);
  if (block.kind == ReservationKind::kRuntime && options_.runtime_reservations_span_protocols) {
    Vacate(Other(protocol), block.first, block.last, protocol);
  }
}

void HostState::Vacate(Protocol protocol, std::uint32_t first, std::uint32_t last,
                       std::optional<Protocol> removed_from) {
  PortSpace& space = Space(protocol);
  first = std::max(first, space.free.first());
  last = std::min(last, space.free.last());
  if (first > last) return;
  // What still covers first..last: blocks of this protocol, runtime blocks of the other one
  // (when they span protocols), bound ports. Collect them, then free the gaps between.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> covered;
  auto collect = [&](BlockTable& blocks, bool runtime_only) {
    for (Block* block = blocks.AtOrBefore(last); block != nullptr && block->last >= first;
         block = block->first == 0 ? nullptr : blocks.AtOrBefore(block->first - 1U)) {
      if (!runtime_only || block->kind == ReservationKind::kRuntime) {
        covered.emplace_back(std::max<std::uint32_t>(block->first, first),
                             std::min<std::uint32_t>(block->last, last));
      }
    }
  };
  if (removed_from != protocol) collect(space.blocks, false);
  if (options_.runtime_reservations_span_protocols && removed_from != Other(protocol)) {
    collect(Space(Other(protocol)).blocks, true);
  }
  for (std::optional<std::uint32_t> port = space.bound.Next(first); port && *port <= last;
       port = space.bound.Next(*port + 1)) {
    covered.emplace_back(*port, *port);
  }
  std::sort(covered.begin(), covered.end());
  std::uint32_t next = first;
  for (const auto& [cover_first, cover_last] : covered) {
    if (cover_first > next) space.free.Free(next, cover_first - 1);
    next = std::max(next, cover_last + 1);
  }
  if (next <= last) space.free.Free(next, last);
}

void HostState::Unbind(SocketState& socket) {
  if (!socket.bound || !socket.transport) return;
  const Protocol protocol = *socket.transport;
  Space(protocol).bound.Erase(socket.port);
  socket.bound = false;
  Vacate(protocol, socket.port, socket.port);
}

// ---- socket / closesocket -----------------------------------------------------------------
SOCKET HostState::Socket(std::uint32_t pid, int af, int type, int protocol) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(*this, process, Api::kSocket, INVALID_SOCKET, 0, false);
  if (auto injected = call.InjectedError()) {
    call.FailInjected(*injected);
    return INVALID_SOCKET;
  }
  if (const int error = CheckSocketArguments(af, type, protocol); error != 0) {
    call.Fail(error);
    return INVALID_SOCKET;
  }
  const SOCKET s = next_socket_;
  next_socket_ += 4;  // handles are never reused: a stale one always answers WSAENOTSOCK
  SocketState& socket = sockets_[s];
  socket.pid = pid;
  socket.af = af;
  socket.type = type;
  socket.protocol = protocol;
  socket.transport = TransportOf(af, type, protocol);
  process.sockets.push_back(s);
  call.record().call.socket = s;
  call.Succeed();
  return s;
}

int HostState::CloseSocket(std::uint32_t pid, SOCKET s, Completions& completions) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(*this, process, Api::kCloseSocket, s, 0, false);
  if (auto injected = call.InjectedError()) return call.FailInjected(*injected);
  if (FindSocket(process, s) == nullptr) return call.Fail(WSAENOTSOCK);
  CloseSocketLocked(process, s, completions);
  return call.Succeed();
}

void HostState::CloseSocketLocked(Process& process, SOCKET s, Completions& completions) {
  // Pending calls on the socket complete with WSA_OPERATION_ABORTED.
  std::vector<PendingCall> aborted;
  auto pending_end = std::stable_partition(process.pending.begin(), process.pending.end(),
                                           [s](const PendingCall& p) { return p.socket != s; });
  aborted.assign(pending_end, process.pending.end());
  process.pending.erase(pending_end, process.pending.end());
  for (const PendingCall& pending : aborted) {
    FinishOverlapped(process, pending, WSA_OPERATION_ABORTED, 0, completions);
  }
  for (auto it = process.overlapped.begin(); it != process.overlapped.end();) {
    it = it->second.socket == s ? process.overlapped.erase(it) : std::next(it);
  }
  SocketState& socket = sockets_.at(s);
  // The reservations it acquired end with it.
  while (!socket.owned.empty()) {
    auto [protocol, block] = FindBlock(socket.owned.back());
    if (block != nullptr) {
      RemoveBlock(protocol, *block);
    } else {
      socket.owned.pop_back();
    }
  }
  Unbind(socket);
  sockets_.erase(s);
  process.sockets.erase(std::find(process.sockets.begin(), process.sockets.end(), s));
}

// ---- bind / getsockname -------------------------------------------------------------------
int HostState::Bind(std::uint32_t pid, SOCKET s, const sockaddr* name, int namelen) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(*this, process, Api::kBind, s, 0, false);
  if (auto injected = call.InjectedError()) return call.FailInjected(*injected);
  SocketState* socket = FindSocket(process, s);
  if (socket == nullptr) return call.Fail(WSAENOTSOCK);
  if (name == nullptr || namelen < AddressLength(socket->af)) return call.Fail(WSAEFAULT);
  if (name->sa_family != socket->af) return call.Fail(WSAEAFNOSUPPORT);
  if (socket->bound) return call.Fail(WSAEINVAL);
  if (!socket->transport) return call.Fail(WSAEOPNOTSUPP);

  const Protocol protocol = *socket->transport;
  PortSpace& space = Space(protocol);
  std::uint16_t requested_net = 0;
  std::memcpy(&requested_net, name->sa_data, sizeof requested_net);  // sin_port / sin6_port
  std::uint32_t port = ntohs(requested_net);

  // A socket associated with a reservation takes its port from the block.
  std::optional<std::pair<std::uint32_t, std::uint32_t>> block;
  if (socket->associated != INVALID_PORT_RESERVATION_TOKEN) {
    auto [block_protocol, associated] = FindBlock(socket->associated);
    if (associated == nullptr || block_protocol != protocol) {
      return call.Fail(options_.assumed.bind_reservation_gone);
    }
    block.emplace(associated->first, associated->last);
  }

  if (port == 0 && block) {
    // The lowest port of the block no socket holds.
    std::uint32_t candidate = block->first;
    while (candidate <= block->second && space.bound.Contains(candidate)) ++candidate;
    if (candidate > block->second) return call.Fail(options_.assumed.bind_reservation_full);
    port = candidate;
  } else if (port == 0) {
    // An ephemeral port: the lowest dynamic port nothing covers (no reservation, no socket).
    auto free_port = space.free.LowestFree();
    if (!free_port) return call.Fail(WSAENOBUFS);
    port = *free_port;
  } else {
    if (space.bound.Contains(port)) return call.Fail(WSAEADDRINUSE);
    const bool inside_own_block = block && port >= block->first && port <= block->second;
    if (!inside_own_block) {
      // Another process's runtime block refuses explicit binds (observed: WSAEACCES); a
      // persistent block, or a runtime block of this process, lets them through.
      const Block* covering = space.blocks.Covering(port);
      if (covering != nullptr && covering->kind == ReservationKind::kRuntime &&
          covering->pid != pid) {
        return call.Fail(options_.assumed.bind_foreign_runtime_block);
      }
    }
  }

  space.bound.Insert(port);
  space.free.Occupy(port, port);
  socket->bound = true;
  socket->port = port;
  socket->address_length = AddressLength(socket->af);
  std::memcpy(&socket->address, name, static_cast<std::size_t>(socket->address_length));
  const std::uint16_t port_net = htons(static_cast<std::uint16_t>(port));
  std::memcpy(reinterpret_cast<sockaddr*>(&socket->address)->sa_data, &port_net, sizeof port_net);
  call.record().bound_port = static_cast<std::uint16_t>(port);
  return call.Succeed();
}

int HostState::GetSockName(std::uint32_t pid, SOCKET s, sockaddr* name, int* namelen) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(*this, process, Api::kGetSockName, s, 0, false);
  if (auto injected = call.InjectedError()) return call.FailInjected(*injected);
  SocketState* socket = FindSocket(process, s);
  if (socket == nullptr) return call.Fail(WSAENOTSOCK);
  if (!socket->bound) return call.Fail(WSAEINVAL);
  if (name == nullptr || namelen == nullptr || *namelen < socket->address_length) {
    return call.Fail(WSAEFAULT);
  }
  std::memcpy(name, &socket->address, static_cast<std::size_t>(socket->address_length));
  *namelen = socket->address_length;
  call.record().bound_port = static_cast<std::uint16_t>(socket->port);
  return call.Succeed();
}

// ---- WSAIoctl -----------------------------------------------------------------------------
int HostState::Ioctl(std::uint32_t pid, SOCKET s, DWORD code, LPVOID in, DWORD in_size, LPVOID out,
                     DWORD out_size, LPDWORD bytes_returned, LPWSAOVERLAPPED overlapped,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, Completions& completions) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(*this, process, Api::kWSAIoctl, s, code, overlapped != nullptr);
  call.RecordIoctlInput(code, in, in_size);  // the log shows what was asked, even if refused
  if (auto injected = call.InjectedError()) return call.FailInjected(*injected);

  // Checks in the order Winsock makes them: the socket, the request, the buffers.
  SocketState* socket = FindSocket(process, s);
  if (socket == nullptr) return call.Fail(WSAENOTSOCK);
  if (!IsReservationIoctl(code) || !socket->transport) return call.Fail(WSAEOPNOTSUPP);
  if (bytes_returned == nullptr && overlapped == nullptr) return call.Fail(WSAEFAULT);

  PendingCall request;
  request.socket = s;
  request.code = code;
  request.out = out;
  request.out_size = out_size;
  request.overlapped = overlapped;
  request.routine = routine;
  request.call_index = call.record().call.index;
  if (code == SIO_ACQUIRE_PORT_RESERVATION) {
    if (in == nullptr || out == nullptr) return call.Fail(WSAEFAULT);
    if (in_size < sizeof(INET_PORT_RANGE)) return call.Fail(WSAEINVAL);
    if (out_size < sizeof(INET_PORT_RESERVATION_INSTANCE)) {
      if (bytes_returned != nullptr) *bytes_returned = 0;
      return call.Fail(WSAEINVAL);
    }
    std::memcpy(&request.range, in, sizeof request.range);
  } else {
    if (in == nullptr) return call.Fail(WSAEFAULT);
    if (in_size < sizeof(INET_PORT_RESERVATION_TOKEN) || out_size != 0) {
      if (bytes_returned != nullptr) *bytes_returned = 0;
      return call.Fail(WSAEINVAL);
    }
    std::memcpy(&request.token, in, sizeof request.token);
  }

  if (overlapped != nullptr && (call.InjectedPend() || process.pend_overlapped)) {
    overlapped->Internal = kStatusPending;
    overlapped->InternalHigh = 0;
    process.overlapped[overlapped] = OverlappedStatus{s, true, 0, 0};
    process.pending.push_back(request);
    if (bytes_returned != nullptr) *bytes_returned = 0;
    if (call.InjectedPend()) return call.FailInjected(WSA_IO_PENDING);
    return call.Fail(WSA_IO_PENDING);
  }

  DWORD bytes = 0;
  const int error = Execute(process, s, request, &bytes, call.record());
  if (error != 0) {
    if (bytes_returned != nullptr) *bytes_returned = 0;
    return call.Fail(error);
  }
  if (bytes_returned != nullptr) *bytes_returned = bytes;
  if (overlapped != nullptr) FinishOverlapped(process, request, 0, bytes, completions);
  return call.Succeed();
}

int HostState::Execute(Process& process, SOCKET s, const PendingCall& call, DWORD* bytes,
                       CallRecord& record) {
  SocketState& socket = sockets_.at(s);
  switch (call.code) {
    case SIO_ACQUIRE_PORT_RESERVATION:
      return Acquire(process, s, socket, call.range, call.out, bytes, record);
    case SIO_RELEASE_PORT_RESERVATION:
      *bytes = 0;
      return Release(process, call.token);
    default:
      *bytes = 0;
      return Associate(process, socket, call.token);
  }
}

int HostState::Acquire(Process& process, SOCKET s, SocketState& socket,
                       const INET_PORT_RANGE& range, LPVOID out, DWORD* bytes, CallRecord& record) {
  const Protocol protocol = *socket.transport;
  const std::uint32_t count = range.NumberOfPorts;
  std::uint32_t first = ntohs(range.StartPort);
  if (count == 0) return options_.assumed.acquire_zero_ports;
  if (first == 0) {
    // Wildcard: the smallest free run of the dynamic range that fits (lowest start among
    // equals); never a scan of ports or blocks.
    auto start = Space(protocol).free.FindBestFit(count);
    if (!start) return options_.assumed.acquire_no_room;
    first = *start;
  } else {
    if (first + count - 1 > kLastPort) return options_.assumed.acquire_past_last_port;
    if (Conflicts(protocol, first, first + count - 1)) return options_.assumed.acquire_overlap;
  }
  Block block;
  block.first = static_cast<std::uint16_t>(first);
  block.last = static_cast<std::uint16_t>(first + count - 1);
  block.kind = ReservationKind::kRuntime;
  block.token = IssueToken(protocol, first);
  block.owner = s;
  block.pid = process.pid;
  block.owned_index = static_cast<std::uint32_t>(socket.owned.size());
  AddBlock(protocol, block);
  socket.owned.push_back(block.token);

  INET_PORT_RESERVATION_INSTANCE instance{};
  instance.Reservation.StartPort = htons(static_cast<std::uint16_t>(first));
  instance.Reservation.NumberOfPorts = static_cast<USHORT>(count);
  instance.Token.Token = block.token;
  std::memcpy(out, &instance, sizeof instance);
  *bytes = sizeof instance;
  record.granted_port = static_cast<std::uint16_t>(first);
  record.token = block.token;
  return 0;
}

int HostState::Release(Process& process, ULONG64 token) {
  auto [protocol, block] = FindBlock(token);
  // Only a runtime reservation of this process can be released (the release page says "the
  // issuing process"); anything else is an unknown token to it.
  if (block == nullptr || block->kind != ReservationKind::kRuntime || block->pid != process.pid) {
    return options_.assumed.unknown_token;
  }
  RemoveBlock(protocol, *block);
  return 0;
}

int HostState::Associate(Process& process, SocketState& socket, ULONG64 token) {
  if (socket.bound) return options_.assumed.associate_after_bind;
  auto [protocol, found] = FindBlock(token);
  if (found == nullptr) return options_.assumed.unknown_token;
  if (protocol != *socket.transport) return options_.assumed.associate_wrong_protocol;
  const Block& block = *found;
  if (block.kind == ReservationKind::kPersistent && !process.elevated) return WSAEACCES;
  if (block.kind == ReservationKind::kRuntime && block.pid != process.pid) {
    return options_.assumed.associate_foreign_runtime;
  }
  socket.associated = token;
  return 0;
}

// ---- Overlapped completion ----------------------------------------------------------------
void HostState::FinishOverlapped(Process& process, const PendingCall& call, int error, DWORD bytes,
                                 Completions& completions) {
  LPWSAOVERLAPPED overlapped = call.overlapped;
  overlapped->Internal = static_cast<ULONG_PTR>(error);
  overlapped->InternalHigh = bytes;
  process.overlapped[overlapped] = OverlappedStatus{call.socket, false, error, bytes};
  SignalEvent(overlapped->hEvent);
  if (call.routine != nullptr) {
    completions.push_back(Completion{call.routine, static_cast<DWORD>(error), bytes, overlapped});
  }
}

void HostState::SignalEvent(HANDLE event) {
  auto it = events_.find(reinterpret_cast<std::uintptr_t>(event));
  if (it != events_.end()) it->second = true;
}

std::vector<LPWSAOVERLAPPED> HostState::PendingCalls(std::uint32_t pid) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<LPWSAOVERLAPPED> result;
  for (const PendingCall& pending : ProcessOf(pid).pending) result.push_back(pending.overlapped);
  return result;
}

bool HostState::CompletePending(std::uint32_t pid, LPWSAOVERLAPPED overlapped,
                                std::optional<int> error, Completions& completions) {
  std::lock_guard<std::mutex> lock(mutex_);
  return CompletePendingLocked(ProcessOf(pid), overlapped, error, completions);
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
  if (error) {
    result = *error;
  } else {
    CallRecord ignored;
    result = Execute(process, pending.socket, pending, &bytes, ignored);
    if (result != 0) bytes = 0;
  }
  FinishOverlapped(process, pending, result, bytes, completions);
  return true;
}

std::size_t HostState::CompleteAllPending(std::uint32_t pid, Completions& completions) {
  std::vector<LPWSAOVERLAPPED> pending = PendingCalls(pid);
  for (LPWSAOVERLAPPED overlapped : pending) {
    CompletePending(pid, overlapped, std::nullopt, completions);
  }
  return pending.size();
}

BOOL HostState::GetOverlappedResult(std::uint32_t pid, SOCKET s, LPWSAOVERLAPPED overlapped,
                                    LPDWORD bytes, BOOL wait, LPDWORD flags,
                                    Completions& completions) {
  std::unique_lock<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(*this, process, Api::kWSAGetOverlappedResult, s, 0, false);
  if (auto injected = call.InjectedError()) return call.FailInjected(*injected, FALSE);
  if (FindSocket(process, s) == nullptr) return call.Fail(WSAENOTSOCK, FALSE);
  if (overlapped == nullptr || bytes == nullptr || flags == nullptr) {
    return call.Fail(WSAEFAULT, FALSE);
  }
  auto status = process.overlapped.find(overlapped);
  if (status == process.overlapped.end() || status->second.socket != s) {
    return call.Fail(WSAEINVAL, FALSE);
  }
  if (status->second.pending) {
    if (!wait) return call.Fail(WSA_IO_INCOMPLETE, FALSE);
    // Waiting completes the call: the system would finish it while the caller blocks.
    CompletePendingLocked(process, overlapped, std::nullopt, completions);
    status = process.overlapped.find(overlapped);
  }
  *bytes = status->second.bytes;
  *flags = 0;
  if (status->second.error != 0) return call.Fail(status->second.error, FALSE);
  return call.Succeed(TRUE);
}

// ---- Last error and events -----------------------------------------------------------------
int HostState::LastError(std::uint32_t pid) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& errors = ProcessOf(pid).last_error;
  auto it = errors.find(std::this_thread::get_id());
  return it == errors.end() ? 0 : it->second;
}

void HostState::SetLastError(std::uint32_t pid, int error) {
  std::lock_guard<std::mutex> lock(mutex_);
  ProcessOf(pid).last_error[std::this_thread::get_id()] = error;
}

WSAEVENT HostState::CreateEvent() {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::uintptr_t handle = next_event_;
  next_event_ += 4;
  events_.emplace(handle, false);
  return reinterpret_cast<WSAEVENT>(handle);  // NOLINT(performance-no-int-to-ptr): a handle
}

bool HostState::CloseEvent(std::uint32_t pid, WSAEVENT event) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (events_.erase(reinterpret_cast<std::uintptr_t>(event)) != 0) return true;
  ProcessOf(pid).last_error[std::this_thread::get_id()] = WSA_INVALID_HANDLE;
  return false;
}

bool HostState::SetEvent(std::uint32_t pid, WSAEVENT event, bool signaled) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = events_.find(reinterpret_cast<std::uintptr_t>(event));
  if (it != events_.end()) {
    it->second = signaled;
    return true;
  }
  ProcessOf(pid).last_error[std::this_thread::get_id()] = WSA_INVALID_HANDLE;
  return false;
}

bool HostState::IsEventSignaled(WSAEVENT event) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = events_.find(reinterpret_cast<std::uintptr_t>(event));
  return it != events_.end() && it->second;
}

// ---- Faults and the log ---------------------------------------------------------------------
void HostState::Inject(std::uint32_t pid, Fault fault) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (fault.runs_action()) has_before_faults_ = true;
  ProcessOf(pid).faults.Add(std::move(fault));
}

void HostState::ClearFaults(std::uint32_t pid) {
  std::lock_guard<std::mutex> lock(mutex_);
  ProcessOf(pid).faults.Clear();
}

std::vector<CallRecord> HostState::CallLog(std::uint32_t pid) {
  std::lock_guard<std::mutex> lock(mutex_);
  const Process& process = ProcessOf(pid);
  std::vector<CallRecord> log;
  log.reserve(process.log.size());
  log.insert(log.end(), process.log.begin() + static_cast<std::ptrdiff_t>(process.log_next),
             process.log.end());
  log.insert(log.end(), process.log.begin(),
             process.log.begin() + static_cast<std::ptrdiff_t>(process.log_next));
  return log;
}

std::uint64_t HostState::CallCount(std::uint32_t pid) {
  std::lock_guard<std::mutex> lock(mutex_);
  return ProcessOf(pid).call_count;
}

// ---- Persistent reservations (iphlpapi) -------------------------------------------------------
ULONG HostState::CreatePersistent(Protocol protocol, bool elevated, std::uint32_t first,
                                  std::uint32_t count, PULONG64 token) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!elevated) return ERROR_ACCESS_DENIED;
  if (token == nullptr || first == 0 || count == 0 || first + count - 1 > kLastPort) {
    return ERROR_INVALID_PARAMETER;
  }
  if (Conflicts(protocol, first, first + count - 1)) return ERROR_SHARING_VIOLATION;
  Block block;
  block.first = static_cast<std::uint16_t>(first);
  block.last = static_cast<std::uint16_t>(first + count - 1);
  block.kind = ReservationKind::kPersistent;
  block.token = IssueToken(protocol, first);
  AddBlock(protocol, block);
  *token = block.token;
  return NO_ERROR;
}

ULONG HostState::DeletePersistent(Protocol protocol, bool elevated, std::uint32_t first,
                                  std::uint32_t count) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!elevated) return ERROR_ACCESS_DENIED;
  if (first == 0 || count == 0) return ERROR_INVALID_PARAMETER;
  const Block* block = Space(protocol).blocks.Find(first);
  if (block == nullptr || block->kind != ReservationKind::kPersistent ||
      block->last != first + count - 1) {
    return ERROR_NOT_FOUND;
  }
  RemoveBlock(protocol, *block);
  return NO_ERROR;
}

ULONG HostState::LookupPersistent(Protocol protocol, std::uint32_t first, std::uint32_t count,
                                  PULONG64 token) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (token == nullptr || first == 0 || count == 0) return ERROR_INVALID_PARAMETER;
  const Block* block = Space(protocol).blocks.Find(first);
  if (block == nullptr || block->kind != ReservationKind::kPersistent ||
      block->last != first + count - 1) {
    return ERROR_NOT_FOUND;
  }
  *token = block->token;
  return NO_ERROR;
}

// ---- The host -----------------------------------------------------------------------------
void HostState::Reboot() {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto system_rows = KeepSystemRowsLocked();
  for (auto& [pid, process] : processes_) {
    process.sockets.clear();
    process.pending.clear();
    process.overlapped.clear();
  }
  sockets_.clear();
  events_.clear();
  for (int p = 0; p < 2; ++p) {
    const auto protocol = static_cast<Protocol>(p);
    PortSpace& space = Space(protocol);
    space.bound.Clear();
    space.free = FreePortIndex(space.free.first(), space.free.last());
    std::vector<std::uint32_t> runtime;
    space.blocks.ForEach([&](Block& block) {
      if (block.kind == ReservationKind::kRuntime) {
        runtime.push_back(block.first);
        return;
      }
      if (options_.persistent_tokens_change_on_reboot) {
        block.token = IssueToken(protocol, block.first);
      }
      space.free.Occupy(block.first, block.last);
    });
    for (const std::uint32_t first : runtime) space.blocks.Erase(first);
  }
  RestoreSystemRowsLocked(system_rows);
}

std::vector<ReservationInfo> HostState::Reservations(std::optional<std::uint32_t> pid) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<ReservationInfo> result;
  for (int p = 0; p < 2; ++p) {
    spaces_[p].blocks.ForEach([&](const Block& block) {
      if (pid && block.pid != *pid) return;
      ReservationInfo info;
      info.protocol = static_cast<Protocol>(p);
      info.kind = block.kind;
      info.first_port = block.first;
      info.port_count = static_cast<std::uint16_t>(block.last - block.first + 1);
      info.token = block.token;
      info.owner_socket = block.owner;
      info.owner_pid = block.pid;
      result.push_back(info);
    });
  }
  return result;
}

std::vector<SocketInfo> HostState::Sockets(std::optional<std::uint32_t> pid) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<SocketInfo> result;
  for (const auto& [handle, socket] : sockets_) {
    if (pid && socket.pid != *pid) continue;
    SocketInfo info;
    info.handle = handle;
    info.pid = socket.pid;
    info.af = socket.af;
    info.type = socket.type;
    info.protocol = socket.protocol;
    info.bound = socket.bound;
    info.port = static_cast<std::uint16_t>(socket.port);
    info.associated_token = socket.associated;
    result.push_back(info);
  }
  return result;
}

std::size_t HostState::ReservationCount() {
  std::lock_guard<std::mutex> lock(mutex_);
  return spaces_[0].blocks.size() + spaces_[1].blocks.size();
}

std::size_t HostState::SocketCount() {
  std::lock_guard<std::mutex> lock(mutex_);
  return sockets_.size();
}

}  // namespace portres::detail
