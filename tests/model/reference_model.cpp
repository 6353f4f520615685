// The reference model's rules, one function per call, each check in the order the fake's
// documentation gives (the socket, the request, the buffers, then the reservation rules).
// Citations are [ref:anchor], sections of docs/reference.md, as in the fake.
#include "reference_model.h"

#include <algorithm>
#include <cstring>

namespace portres::model {
namespace {

constexpr std::uint32_t kPorts = 65536;
constexpr std::uint32_t kLastPort = 65535;

int AddressLength(int af) {
  return af == AF_INET6 ? static_cast<int>(sizeof(sockaddr_in6))
                        : static_cast<int>(sizeof(sockaddr_in));
}

// What bind and connect check of the name first: its size, then its family [ref:bind].
int NameError(int af, const std::uint8_t* name, int namelen) {
  if (name == nullptr || namelen < AddressLength(af)) return WSAEFAULT;
  decltype(sockaddr::sa_family) family = 0;
  std::memcpy(&family, name + offsetof(sockaddr, sa_family), sizeof family);
  return family != af ? WSAEAFNOSUPPORT : 0;
}

// The wildcard address of either family: every byte of the address itself is zero.
bool IsAllZero(const std::uint8_t* name, int af) {
  const std::size_t offset =
      af == AF_INET6 ? offsetof(sockaddr_in6, sin6_addr) : offsetof(sockaddr_in, sin_addr);
  const std::size_t size = af == AF_INET6 ? 16 : 4;
  return std::all_of(name + offset, name + offset + size, [](std::uint8_t b) { return b == 0; });
}

// 127.0.0.0/8, ::1 and ::ffff:127.x.y.z: "a loopback address" [ref:connect-listen].
bool IsLoopback(const std::uint8_t* name, int af) {
  if (af == AF_INET6) {
    const std::uint8_t* b = name + offsetof(sockaddr_in6, sin6_addr);
    const bool one = std::all_of(b, b + 15, [](std::uint8_t x) { return x == 0; }) && b[15] == 1;
    const bool mapped = std::all_of(b, b + 10, [](std::uint8_t x) { return x == 0; }) &&
                        b[10] == 0xff && b[11] == 0xff && b[12] == 127;
    return one || mapped;
  }
  return name[offsetof(sockaddr_in, sin_addr)] == 127;
}

std::uint32_t PortIn(const std::uint8_t* name) {
  std::uint16_t port_net = 0;
  std::memcpy(&port_net, name + offsetof(sockaddr_in, sin_port), sizeof port_net);
  return ntohs(port_net);
}

// The SO_REUSEADDR table [ref:reuseaddr], same user, of the cells where both binds are to the
// wildcard address (the fake binds no specific addresses: docs/fidelity.md): the first bind's
// option is the row, the second's the column.
int ReuseTable(ModelBindMode first, ModelBindMode second) {
  using M = ModelBindMode;
  if (first == M::kReuse && second == M::kReuse) return 0;
  if (second == M::kReuse && first != M::kReuse) return WSAEACCES;  // default W / EXCL W, REUSE W
  return WSAEADDRINUSE;
}

std::optional<Protocol> TransportOf(int af, int type, int protocol) {
  if (af != AF_INET && af != AF_INET6) return std::nullopt;
  if (type == SOCK_STREAM && (protocol == 0 || protocol == IPPROTO_TCP)) return Protocol::kTcp;
  if (type == SOCK_DGRAM && (protocol == 0 || protocol == IPPROTO_UDP)) return Protocol::kUdp;
  return std::nullopt;
}

}  // namespace

ReferenceModel::ReferenceModel(const FakeHostOptions& options) : options_(options) {
  for (PortSpace& space : spaces_) {
    space.reserved_by.assign(kPorts, -1);
    space.bound_by.assign(kPorts, {});
  }
}

int ReferenceModel::AddProcess(bool elevated) {
  elevated_.push_back(elevated);
  alive_.push_back(true);
  return static_cast<int>(elevated_.size()) - 1;
}

void ReferenceModel::ExitProcess(int process) {
  // A process's exit closes its sockets, which ends their runtime reservations.
  for (std::size_t s = 0; s < sockets_.size(); ++s) {
    if (sockets_[s].open && sockets_[s].process == process) Close(static_cast<int>(s));
  }
  alive_[static_cast<std::size_t>(process)] = false;
}

bool ReferenceModel::IsOpenIn(int process, int socket) const {
  return socket >= 0 && static_cast<std::size_t>(socket) < sockets_.size() &&
         sockets_[static_cast<std::size_t>(socket)].open &&
         sockets_[static_cast<std::size_t>(socket)].process == process;
}

int ReferenceModel::FindToken(ModelToken token) const {
  if (token == 0 || token == kUnknownToken) return -1;
  for (std::size_t i = 0; i < reservations_.size(); ++i) {
    if (reservations_[i].live && reservations_[i].token == token) return static_cast<int>(i);
  }
  return -1;
}

// Nothing covers the port for `protocol`: no reservation of it, no runtime reservation of the
// other protocol when they span protocols (fake_host.h), no socket of it bound there.
bool ReferenceModel::FreeForSystem(Protocol protocol, std::uint32_t port) {
  if (Space(protocol).reserved_by[port] != -1) return false;
  if (!Space(protocol).bound_by[port].empty()) return false;
  if (options_.runtime_reservations_span_protocols) {
    const int other = Space(Other(protocol)).reserved_by[port];
    if (other != -1 &&
        reservations_[static_cast<std::size_t>(other)].kind == ReservationKind::kRuntime) {
      return false;
    }
  }
  return true;
}

bool ReferenceModel::Conflicts(Protocol protocol, std::uint32_t first, std::uint32_t last) {
  for (std::uint32_t port = first; port <= last; ++port) {
    if (!FreeForSystem(protocol, port)) return true;
  }
  return false;
}

int ReferenceModel::AddReservation(const ModelReservation& reservation) {
  reservations_.push_back(reservation);
  const int index = static_cast<int>(reservations_.size()) - 1;
  for (std::uint32_t port = reservation.first; port < reservation.first + reservation.count;
       ++port) {
    Space(reservation.protocol).reserved_by[port] = index;
  }
  return index;
}

void ReferenceModel::EndReservation(int index) {
  ModelReservation& reservation = reservations_[static_cast<std::size_t>(index)];
  reservation.live = false;
  for (std::uint32_t port = reservation.first; port < reservation.first + reservation.count;
       ++port) {
    Space(reservation.protocol).reserved_by[port] = -1;
  }
}

void ReferenceModel::Close(int socket) {
  ModelSocket& state = sockets_[static_cast<std::size_t>(socket)];
  // "A runtime reservation lives only as long as the socket the ACQUIRE was issued on"
  // [ref:acquire].
  for (std::size_t i = 0; i < reservations_.size(); ++i) {
    if (reservations_[i].live && reservations_[i].kind == ReservationKind::kRuntime &&
        reservations_[i].owner_socket == socket) {
      EndReservation(static_cast<int>(i));
    }
  }
  Unbind(socket);
  state.open = false;
}

void ReferenceModel::Unbind(int socket) {
  ModelSocket& state = sockets_[static_cast<std::size_t>(socket)];
  if (!state.bound) return;
  std::vector<int>& holders = Space(*state.transport).bound_by[state.port];
  holders.erase(std::find(holders.begin(), holders.end(), socket));
  state.bound = false;
}

void ReferenceModel::BindTo(int socket, std::uint32_t port) {
  ModelSocket& state = sockets_[static_cast<std::size_t>(socket)];
  std::vector<int>& holders = Space(*state.transport).bound_by[port];
  holders.insert(std::lower_bound(holders.begin(), holders.end(), socket), socket);
  state.bound = true;
  state.port = port;
  // "The options count only when set before bind" [ref:reuseaddr].
  state.bound_mode = state.exclusive_address ? ModelBindMode::kExclusive
                     : state.reuse_address   ? ModelBindMode::kReuse
                                             : ModelBindMode::kDefault;
}

// Sockets of one process that set SIO_CPU_AFFINITY share a UDP port [ref:cpu-affinity]; any
// other pair asks the table, each socket already there in the order they were opened.
int ReferenceModel::ShareError(int socket, std::uint32_t port) const {
  const ModelSocket& state = sockets_[static_cast<std::size_t>(socket)];
  const ModelBindMode mode = state.exclusive_address ? ModelBindMode::kExclusive
                             : state.reuse_address   ? ModelBindMode::kReuse
                                                     : ModelBindMode::kDefault;
  for (const int other : spaces_[*state.transport == Protocol::kTcp ? 0 : 1].bound_by[port]) {
    const ModelSocket& holder = sockets_[static_cast<std::size_t>(other)];
    if (state.processor && holder.processor && holder.process == state.process) continue;
    if (const int error = ReuseTable(holder.bound_mode, mode); error != 0) return error;
  }
  return 0;
}

std::uint32_t ReferenceModel::ImplicitPort(int socket, int* error) {
  const ModelSocket& state = sockets_[static_cast<std::size_t>(socket)];
  const Protocol protocol = *state.transport;
  *error = 0;
  if (state.associated != 0) {
    // "On bind, the port comes from that reservation" [ref:associate].
    const int index = FindToken(state.associated);
    if (index == -1 || reservations_[static_cast<std::size_t>(index)].protocol != protocol) {
      *error = options_.assumed.bind_reservation_gone;
      return 0;
    }
    const ModelReservation& block = reservations_[static_cast<std::size_t>(index)];
    for (std::uint32_t p = block.first; p < block.first + block.count; ++p) {
      if (Space(protocol).bound_by[p].empty()) return p;
    }
    *error = options_.assumed.bind_reservation_full;
    return 0;
  }
  // An ephemeral port: the lowest of the dynamic range the system may hand out.
  for (std::uint32_t p = DynamicFirst(protocol); p <= DynamicLast(protocol); ++p) {
    if (FreeForSystem(protocol, p)) return p;
  }
  *error = WSAENOBUFS;  // [ref:bind] 2022: no ephemeral port left
  return 0;
}

// ---- Winsock ------------------------------------------------------------------------------
int ReferenceModel::WSASocket(int process, int af, int type, int protocol, GROUP group, DWORD flags,
                              int* error) {
  // Groups are reserved: the documented default ignores them (AssumedErrors::wsasocket_group).
  if (group != 0 && options_.assumed.wsasocket_group != 0) {
    *error = options_.assumed.wsasocket_group;
    return -1;
  }
  const int socket = Socket(process, af, type, protocol, error);
  // Only WSA_FLAG_OVERLAPPED gives a WSASocket the overlapped attribute [ref:connect-listen].
  if (socket != -1) sockets_.back().overlapped = (flags & WSA_FLAG_OVERLAPPED) != 0;
  return socket;
}

int ReferenceModel::Socket(int process, int af, int type, int protocol, int* error) {
  // [ref:socket-rules], written as the table it is: the first matching row decides.
  const bool unspec = af == AF_UNSPEC;
  const bool ip = af == AF_INET || af == AF_INET6 || unspec;
  const bool known_type =
      type == 0 || type == SOCK_STREAM || type == SOCK_DGRAM || type == SOCK_RAW;
  const bool tcp = protocol == 0 || protocol == IPPROTO_TCP;
  const bool udp = protocol == 0 || protocol == IPPROTO_UDP;
  int resolved_type = type;
  if (type == 0) resolved_type = protocol == IPPROTO_UDP ? SOCK_DGRAM : SOCK_STREAM;
  struct Row {
    bool when;
    int error;
  };
  const Row rows[] = {
      {unspec && protocol == 0, WSAEINVAL},
      {!known_type, WSAESOCKTNOSUPPORT},
      {!ip && af != AF_UNIX, WSAEAFNOSUPPORT},
      {af == AF_UNIX && (type != SOCK_STREAM || protocol != 0), WSAEPROTONOSUPPORT},
      {ip && type == 0 && !tcp && !udp, WSAEPROTONOSUPPORT},
      {ip && resolved_type == SOCK_STREAM && !tcp, WSAEPROTONOSUPPORT},
      {ip && resolved_type == SOCK_DGRAM && !udp, WSAEPROTONOSUPPORT},
      {type == SOCK_RAW && !elevated_[static_cast<std::size_t>(process)], WSAEACCES},
  };
  *error = 0;
  for (const Row& row : rows) {
    if (row.when) {
      *error = row.error;
      return -1;
    }
  }
  ModelSocket socket;
  socket.open = true;
  socket.process = process;
  socket.af = unspec ? AF_INET : af;
  socket.type = resolved_type;
  socket.protocol = protocol;
  if (ip && protocol == 0 && resolved_type != SOCK_RAW) {
    socket.protocol = resolved_type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
  }
  socket.transport = TransportOf(socket.af, socket.type, socket.protocol);
  sockets_.push_back(socket);
  return static_cast<int>(sockets_.size()) - 1;
}

int ReferenceModel::CloseSocket(int process, int socket) {
  if (!IsOpenIn(process, socket)) return WSAENOTSOCK;
  Close(socket);
  return 0;
}

int ReferenceModel::Bind(int process, int socket, const std::uint8_t* name, int namelen) {
  if (!IsOpenIn(process, socket)) return WSAENOTSOCK;
  ModelSocket& state = sockets_[static_cast<std::size_t>(socket)];
  const int length = AddressLength(state.af);
  if (const int error = NameError(state.af, name, namelen); error != 0) return error;
  if (state.bound) return WSAEINVAL;  // [ref:bind]: already bound
  if (!state.transport) return WSAEOPNOTSUPP;
  const Protocol protocol = *state.transport;
  PortSpace& space = Space(protocol);
  std::uint16_t port_net = 0;
  std::memcpy(&port_net, name + offsetof(sockaddr_in, sin_port), sizeof port_net);
  std::uint32_t port = ntohs(port_net);

  // "On bind, the port comes from that reservation" [ref:associate].
  const ModelReservation* block = nullptr;
  if (state.associated != 0) {
    const int index = FindToken(state.associated);
    if (index == -1 || reservations_[static_cast<std::size_t>(index)].protocol != protocol) {
      return options_.assumed.bind_reservation_gone;
    }
    block = &reservations_[static_cast<std::size_t>(index)];
  }
  if (port == 0) {
    int error = 0;
    port = ImplicitPort(socket, &error);
    if (error != 0) return error;
  } else {
    // [ref:bind] WSAEADDRINUSE, unless the sockets' options let them share [ref:reuseaddr].
    if (!space.bound_by[port].empty()) {
      if (const int error = ShareError(socket, port); error != 0) return error;
    }
    const bool in_own_block =
        block != nullptr && port >= block->first && port < block->first + block->count;
    const int covering = space.reserved_by[port];
    // Another process's runtime block refuses an explicit bind ([ref:observed]);
    // persistent blocks let explicit binds through.
    if (!in_own_block && covering != -1) {
      const ModelReservation& r = reservations_[static_cast<std::size_t>(covering)];
      if (r.kind == ReservationKind::kRuntime && r.owner_process != process) {
        return options_.assumed.bind_foreign_runtime_block;
      }
    }
  }
  BindTo(socket, port);
  state.address.assign(name, name + length);
  const std::uint16_t bound_net = htons(static_cast<std::uint16_t>(port));
  std::memcpy(state.address.data() + offsetof(sockaddr_in, sin_port), &bound_net, sizeof bound_net);
  return 0;
}

int ReferenceModel::GetSockName(int process, int socket, std::vector<std::uint8_t>* name,
                                int* namelen, bool name_present, bool namelen_present) {
  if (!IsOpenIn(process, socket)) return WSAENOTSOCK;
  const ModelSocket& state = sockets_[static_cast<std::size_t>(socket)];
  if (!state.bound) return WSAEINVAL;
  const int length = static_cast<int>(state.address.size());
  if (!name_present || !namelen_present || *namelen < length) return WSAEFAULT;
  *name = state.address;
  *namelen = length;
  return 0;
}

IoctlOutcome ReferenceModel::Ioctl(int process, int socket, const IoctlArguments& arguments) {
  IoctlOutcome outcome;
  auto fail = [&](int error) {
    outcome.error = error;
    return outcome;
  };
  // The socket, the request, the buffers [ref:acquire][ref:associate][ref:release].
  if (!IsOpenIn(process, socket)) return fail(WSAENOTSOCK);
  const ModelSocket& state = sockets_[static_cast<std::size_t>(socket)];
  // "WSAIoctl ignores lpOverlapped on a socket without" the overlapped attribute
  // [ref:connect-listen]: the call runs as a synchronous one, and nothing makes it pend.
  IoctlArguments a = arguments;
  a.overlapped = a.overlapped && state.overlapped;
  a.pend = a.pend && a.overlapped;
  outcome.used_overlapped = a.overlapped;
  if (a.code == SIO_CPU_AFFINITY) return CpuAffinity(socket, a, a.overlapped);
  const bool reservation_code = a.code == SIO_ACQUIRE_PORT_RESERVATION ||
                                a.code == SIO_RELEASE_PORT_RESERVATION ||
                                a.code == SIO_ASSOCIATE_PORT_RESERVATION;
  if (!reservation_code || !state.transport) return fail(WSAEOPNOTSUPP);
  if (!a.bytes_present && !a.overlapped) return fail(WSAEFAULT);
  if (a.code == SIO_ACQUIRE_PORT_RESERVATION) {
    if (!a.in_present || !a.out_present) return fail(WSAEFAULT);
    if (a.in_size < sizeof(INET_PORT_RANGE)) return fail(WSAEINVAL);
    if (a.out_size < sizeof(INET_PORT_RESERVATION_INSTANCE)) {
      if (a.bytes_present) outcome.bytes = 0;  // "too small: WSAEINVAL, bytes 0" [ref:acquire]
      return fail(WSAEINVAL);
    }
  } else {
    if (!a.in_present) return fail(WSAEFAULT);
    if (a.in_size < sizeof(INET_PORT_RESERVATION_TOKEN) || a.out_size != 0) {
      if (a.bytes_present) outcome.bytes = 0;
      return fail(WSAEINVAL);
    }
  }
  if (a.overlapped && a.pend) {
    if (a.bytes_present) outcome.bytes = 0;  // "overlapped: may be 0" [ref:acquire]
    return fail(WSA_IO_PENDING);
  }
  IoctlOutcome done = CompleteIoctl(process, socket, a);
  if (!a.bytes_present) done.bytes.reset();
  done.used_overlapped = a.overlapped;
  return done;
}

// [ref:cpu-affinity]: a USHORT processor, UDP only, before bind, never with SO_REUSEADDR; the
// codes the page does not name are AssumedErrors'. It completes at once, overlapped or not.
IoctlOutcome ReferenceModel::CpuAffinity(int socket, const IoctlArguments& a, bool overlapped) {
  IoctlOutcome outcome;
  outcome.used_overlapped = overlapped;
  ModelSocket& state = sockets_[static_cast<std::size_t>(socket)];
  auto refusal = [&]() -> int {
    if (!a.bytes_present && !overlapped) return WSAEFAULT;              // [ref:wsaioctl]
    if (!a.in_present || a.in_size < sizeof(USHORT)) return WSAEFAULT;  // [ref:wsaioctl]
    if (state.transport != Protocol::kUdp) return options_.assumed.cpu_affinity_not_udp;
    if (state.bound) return WSAEINVAL;
    if (state.reuse_address) return options_.assumed.cpu_affinity_with_reuseaddr;
    if (a.processor >= options_.processor_count) return options_.assumed.cpu_affinity_bad_processor;
    return 0;
  };
  outcome.error = refusal();
  if (outcome.error != 0) return outcome;
  state.processor = a.processor;
  if (a.bytes_present) outcome.bytes = 0;
  return outcome;
}

IoctlOutcome ReferenceModel::CompleteIoctl(int process, int socket, const IoctlArguments& a) {
  IoctlOutcome outcome;
  int error = 0;
  if (a.code == SIO_ACQUIRE_PORT_RESERVATION) {
    error = Acquire(process, socket, a.range, outcome);
  } else if (a.code == SIO_RELEASE_PORT_RESERVATION) {
    error = Release(process, a.token);
  } else {
    error = Associate(process, socket, a.token);
  }
  if (error != 0) {
    outcome.bytes = 0;
    outcome.wrote_instance = false;
    outcome.error = error;
    return outcome;
  }
  outcome.bytes = outcome.wrote_instance ? sizeof(INET_PORT_RESERVATION_INSTANCE) : 0;
  return outcome;
}

int ReferenceModel::Acquire(int process, int socket, const INET_PORT_RANGE& range,
                            IoctlOutcome& outcome) {
  const Protocol protocol = *sockets_[static_cast<std::size_t>(socket)].transport;
  const std::uint32_t count = range.NumberOfPorts;
  std::uint32_t first = ntohs(range.StartPort);
  if (count == 0) return options_.assumed.acquire_zero_ports;
  if (first == 0) {
    // Wildcard [ref:structures]: the smallest run of the dynamic range the system may hand out that
    // is long enough; the lowest such run among equals (fake_host.h, docs/fidelity.md).
    std::uint32_t best_start = 0;
    std::uint32_t best_length = 0;
    std::uint32_t port = DynamicFirst(protocol);
    const std::uint32_t last = DynamicLast(protocol);
    while (port <= last) {
      if (!FreeForSystem(protocol, port)) {
        ++port;
        continue;
      }
      const std::uint32_t start = port;
      while (port <= last && FreeForSystem(protocol, port)) ++port;
      const std::uint32_t length = port - start;
      if (length >= count && (best_length == 0 || length < best_length)) {
        best_start = start;
        best_length = length;
      }
    }
    if (best_length == 0) return options_.assumed.acquire_no_room;
    first = best_start;
  } else {
    if (first + count - 1 > kLastPort) return options_.assumed.acquire_past_last_port;
    if (Conflicts(protocol, first, first + count - 1)) return options_.assumed.acquire_overlap;
  }
  ModelReservation reservation;
  reservation.live = true;
  reservation.protocol = protocol;
  reservation.kind = ReservationKind::kRuntime;
  reservation.first = first;
  reservation.count = count;
  reservation.token = next_token_++;
  reservation.owner_socket = socket;
  reservation.owner_process = process;
  AddReservation(reservation);
  outcome.wrote_instance = true;
  outcome.granted_first = first;
  outcome.granted_count = count;
  outcome.granted_token = reservation.token;
  return 0;
}

int ReferenceModel::Release(int process, ModelToken token) {
  // [ref:release]: a runtime reservation the issuing process acquired; anything else is unknown to
  // it.
  const int index = FindToken(token);
  if (index == -1) return options_.assumed.unknown_token;
  const ModelReservation& r = reservations_[static_cast<std::size_t>(index)];
  if (r.kind != ReservationKind::kRuntime || r.owner_process != process) {
    return options_.assumed.unknown_token;
  }
  EndReservation(index);
  return 0;
}

int ReferenceModel::Associate(int process, int socket, ModelToken token) {
  ModelSocket& state = sockets_[static_cast<std::size_t>(socket)];
  if (state.bound) return options_.assumed.associate_after_bind;  // [ref:associate]: before bind
  const int index = FindToken(token);
  if (index == -1) return options_.assumed.unknown_token;
  const ModelReservation& r = reservations_[static_cast<std::size_t>(index)];
  if (r.protocol != *state.transport) return options_.assumed.associate_wrong_protocol;
  if (r.kind == ReservationKind::kPersistent && !elevated_[static_cast<std::size_t>(process)]) {
    return WSAEACCES;  // [ref:associate]: persistent reservations need an elevated administrator
  }
  if (r.kind == ReservationKind::kRuntime && r.owner_process != process) {
    return options_.assumed.associate_foreign_runtime;
  }
  state.associated = token;
  return 0;
}

// ---- Options, connections, modes ----------------------------------------------------------
// setsockopt and getsockopt check the socket, the buffer, the level and option, then the
// buffer's size (their pages' tables); an option of another protocol is AssumedErrors'.
int ReferenceModel::SetSockOpt(int process, int socket, int level, int optname,
                               const std::uint8_t* optval, int optlen) {
  if (!IsOpenIn(process, socket)) return WSAENOTSOCK;
  ModelSocket& state = sockets_[static_cast<std::size_t>(socket)];
  if (optval == nullptr) return WSAEFAULT;
  bool* flag = nullptr;
  if (level == SOL_SOCKET) {
    if (optname == SO_REUSEADDR) flag = &state.reuse_address;
    if (optname == SO_EXCLUSIVEADDRUSE) flag = &state.exclusive_address;
    if (flag == nullptr) return WSAENOPROTOOPT;
  } else if (level == IPPROTO_IPV6) {
    if (optname != IPV6_V6ONLY) return WSAENOPROTOOPT;
    if (state.af != AF_INET6) return options_.assumed.option_other_protocol;
    flag = &state.v6only;
  } else if (level == IPPROTO_TCP) {
    return WSAENOPROTOOPT;  // the test sets no TCP option here (TCP_NODELAY is not modelled)
  } else {
    return WSAEINVAL;
  }
  if (optlen < static_cast<int>(sizeof(int))) return WSAEFAULT;
  int value = 0;
  std::memcpy(&value, optval, sizeof value);
  const bool on = value != 0;
  if (on && level == SOL_SOCKET) {
    // Both on one socket: WSAEINVAL [ref:reuseaddr]; SO_REUSEADDR and SIO_CPU_AFFINITY do not
    // combine [ref:cpu-affinity].
    if (optname == SO_REUSEADDR && state.exclusive_address) return WSAEINVAL;
    if (optname == SO_EXCLUSIVEADDRUSE && state.reuse_address) return WSAEINVAL;
    if (optname == SO_REUSEADDR && state.processor) {
      return options_.assumed.cpu_affinity_with_reuseaddr;
    }
  }
  *flag = on;
  return 0;
}

int ReferenceModel::GetSockOpt(int process, int socket, int level, int optname, bool optval_present,
                               int* optlen, int* value) {
  if (!IsOpenIn(process, socket)) return WSAENOTSOCK;
  const ModelSocket& state = sockets_[static_cast<std::size_t>(socket)];
  if (!optval_present || optlen == nullptr) return WSAEFAULT;
  if (level == SOL_SOCKET) {
    if (optname == SO_REUSEADDR) {
      *value = state.reuse_address ? 1 : 0;
    } else if (optname == SO_EXCLUSIVEADDRUSE) {
      *value = state.exclusive_address ? 1 : 0;
    } else {
      return WSAENOPROTOOPT;
    }
  } else if (level == IPPROTO_IPV6) {
    if (optname != IPV6_V6ONLY) return WSAENOPROTOOPT;
    if (state.af != AF_INET6) return options_.assumed.option_other_protocol;
    *value = state.v6only ? 1 : 0;
  } else if (level == IPPROTO_TCP) {
    return WSAENOPROTOOPT;
  } else {
    return WSAEINVAL;
  }
  if (*optlen < static_cast<int>(sizeof(int))) return WSAEFAULT;
  *optlen = static_cast<int>(sizeof(int));
  return 0;
}

// [ref:connect-listen]: an unbound socket is bound implicitly, as bind(port 0) binds it (NFS's
// pattern [ref:clients]); TCP to a loopback port needs a listener of the host with room in its
// backlog; anywhere else succeeds (no network). Refused calls change nothing.
int ReferenceModel::Connect(int process, int socket, const std::uint8_t* name, int namelen) {
  if (!IsOpenIn(process, socket)) return WSAENOTSOCK;
  ModelSocket& state = sockets_[static_cast<std::size_t>(socket)];
  const int length = AddressLength(state.af);
  if (const int error = NameError(state.af, name, namelen); error != 0) return error;
  if (!state.transport) return options_.assumed.surface_not_transport;
  if (state.listening) return WSAEINVAL;
  const bool tcp = *state.transport == Protocol::kTcp;
  if (tcp && state.connected) return WSAEISCONN;
  if (IsAllZero(name, state.af)) return WSAEADDRNOTAVAIL;
  int listener = -1;
  if (tcp && IsLoopback(name, state.af)) {
    const std::uint32_t port = PortIn(name);
    for (std::size_t s = 0; s < sockets_.size() && listener == -1; ++s) {
      const ModelSocket& candidate = sockets_[s];
      if (candidate.open && candidate.listening && candidate.port == port) {
        listener = static_cast<int>(s);
      }
    }
    if (listener == -1) return WSAECONNREFUSED;
    const ModelSocket& l = sockets_[static_cast<std::size_t>(listener)];
    if (l.waiting.size() >= static_cast<std::size_t>(l.backlog)) return WSAECONNREFUSED;
  }
  if (!state.bound) {
    int error = 0;
    const std::uint32_t port = ImplicitPort(socket, &error);
    if (error != 0) return error;
    BindTo(socket, port);
    state.address.assign(static_cast<std::size_t>(length), 0);
    const auto family = static_cast<decltype(sockaddr::sa_family)>(state.af);
    std::memcpy(state.address.data() + offsetof(sockaddr, sa_family), &family, sizeof family);
    const std::uint16_t port_net = htons(static_cast<std::uint16_t>(port));
    std::memcpy(state.address.data() + offsetof(sockaddr_in, sin_port), &port_net, sizeof port_net);
  }
  if (listener != -1) sockets_[static_cast<std::size_t>(listener)].waiting.push_back(state.address);
  state.connected = true;
  state.peer.assign(name, name + length);
  return 0;
}

int ReferenceModel::Listen(int process, int socket, int backlog) {
  if (!IsOpenIn(process, socket)) return WSAENOTSOCK;
  ModelSocket& state = sockets_[static_cast<std::size_t>(socket)];
  if (!state.transport) return options_.assumed.surface_not_transport;
  if (*state.transport != Protocol::kTcp) return WSAEOPNOTSUPP;
  if (!state.bound) return WSAEINVAL;
  if (state.connected) return WSAEISCONN;
  if (state.listening) return 0;  // the backlog unchanged
  // The test asks for small backlogs only; below 1 queues one connection (docs/fidelity.md).
  state.backlog = std::max(1, backlog);
  state.listening = true;
  return 0;
}

// The accept page: "the same properties as" the listener, connected to the oldest waiting
// connector, on the listener's port; with none waiting, WSAEWOULDBLOCK when non-blocking and
// AssumedErrors' choice (no test may hang) when blocking.
int ReferenceModel::Accept(int process, int socket, bool addr_present, int* addrlen,
                           std::vector<std::uint8_t>* peer, int* accepted) {
  if (!IsOpenIn(process, socket)) return WSAENOTSOCK;
  const ModelSocket& state = sockets_[static_cast<std::size_t>(socket)];
  if (!state.transport) return options_.assumed.surface_not_transport;
  if (*state.transport != Protocol::kTcp) return WSAEOPNOTSUPP;
  if (!state.listening) return WSAEINVAL;
  if (addr_present && (addrlen == nullptr || *addrlen < AddressLength(state.af))) {
    return WSAEFAULT;
  }
  if (state.waiting.empty()) {
    return state.non_blocking ? WSAEWOULDBLOCK : options_.assumed.accept_nothing_waiting;
  }
  // The accept page's WSAEFAULT: addrlen too small for the address it returns, which may be of
  // the other family (one port space per protocol, docs/fidelity.md); the connection waits on.
  if (addr_present && *addrlen < static_cast<int>(state.waiting.front().size())) return WSAEFAULT;
  ModelSocket copy = state;
  *peer = copy.waiting.front();
  sockets_[static_cast<std::size_t>(socket)].waiting.erase(
      sockets_[static_cast<std::size_t>(socket)].waiting.begin());
  copy.listening = false;
  copy.backlog = 0;
  copy.waiting.clear();
  copy.associated = 0;  // it is bound already: a reservation has nothing left to give it
  copy.connected = true;
  copy.peer = *peer;
  sockets_.push_back(copy);
  *accepted = static_cast<int>(sockets_.size()) - 1;
  // It holds the listener's port too, until it closes (docs/fidelity.md).
  std::vector<int>& holders = Space(*copy.transport).bound_by[copy.port];
  holders.push_back(*accepted);
  if (addr_present) *addrlen = static_cast<int>(peer->size());
  return 0;
}

int ReferenceModel::GetPeerName(int process, int socket, std::vector<std::uint8_t>* name,
                                int* namelen, bool name_present) {
  if (!IsOpenIn(process, socket)) return WSAENOTSOCK;
  const ModelSocket& state = sockets_[static_cast<std::size_t>(socket)];
  if (!state.connected) return WSAENOTCONN;
  if (!name_present || namelen == nullptr || *namelen < static_cast<int>(state.peer.size())) {
    return WSAEFAULT;
  }
  *name = state.peer;
  *namelen = static_cast<int>(state.peer.size());
  return 0;
}

// FIONBIO only: the mode accept() looks at; the reservation IOCTLs ignore it [ref:ioctl-common].
int ReferenceModel::IoctlSocket(int process, int socket, long cmd, const u_long* argp) {
  if (!IsOpenIn(process, socket)) return WSAENOTSOCK;
  if (argp == nullptr) return WSAEFAULT;
  if (static_cast<DWORD>(cmd) != static_cast<DWORD>(FIONBIO)) {
    return options_.assumed.ioctlsocket_unknown_command;
  }
  sockets_[static_cast<std::size_t>(socket)].non_blocking = *argp != 0;
  return 0;
}

// ---- iphlpapi -----------------------------------------------------------------------------
ULONG ReferenceModel::CreatePersistent(Protocol protocol, bool elevated, std::uint32_t first,
                                       std::uint32_t count, bool token_present, ModelToken* token) {
  if (!elevated) return ERROR_ACCESS_DENIED;  // [ref:iphlpapi-create]
  if (!token_present || first == 0 || count == 0 || first + count - 1 > kLastPort) {
    return ERROR_INVALID_PARAMETER;  // [ref:iphlpapi-create]
  }
  if (Conflicts(protocol, first, first + count - 1))
    return ERROR_SHARING_VIOLATION;  // [ref:iphlpapi-create]
  ModelReservation reservation;
  reservation.live = true;
  reservation.protocol = protocol;
  reservation.kind = ReservationKind::kPersistent;
  reservation.first = first;
  reservation.count = count;
  reservation.token = next_token_++;
  AddReservation(reservation);
  *token = reservation.token;
  return NO_ERROR;
}

ULONG ReferenceModel::DeletePersistent(Protocol protocol, bool elevated, std::uint32_t first,
                                       std::uint32_t count) {
  if (!elevated) return ERROR_ACCESS_DENIED;                     // [ref:iphlpapi-delete]
  if (first == 0 || count == 0) return ERROR_INVALID_PARAMETER;  // [ref:iphlpapi-delete]
  for (std::size_t i = 0; i < reservations_.size(); ++i) {
    const ModelReservation& r = reservations_[i];
    if (r.live && r.kind == ReservationKind::kPersistent && r.protocol == protocol &&
        r.first == first && r.count == count) {
      EndReservation(static_cast<int>(i));
      return NO_ERROR;
    }
  }
  return ERROR_NOT_FOUND;  // [ref:iphlpapi-delete]: an exact (StartPort, NumberOfPorts) match only
}

ULONG ReferenceModel::LookupPersistent(Protocol protocol, std::uint32_t first, std::uint32_t count,
                                       bool token_present, ModelToken* token) {
  if (!token_present || first == 0 || count == 0)
    return ERROR_INVALID_PARAMETER;  // [ref:iphlpapi-lookup]
  for (const ModelReservation& r : reservations_) {
    if (r.live && r.kind == ReservationKind::kPersistent && r.protocol == protocol &&
        r.first == first && r.count == count) {
      *token = r.token;
      return NO_ERROR;
    }
  }
  return ERROR_NOT_FOUND;
}

void ReferenceModel::Reboot() {
  for (std::size_t s = 0; s < sockets_.size(); ++s) {
    if (sockets_[s].open) Close(static_cast<int>(s));
  }
  for (std::size_t i = 0; i < reservations_.size(); ++i) {
    if (reservations_[i].live && reservations_[i].owner_process == kSystemProcess) {
      EndReservation(static_cast<int>(i));
    }
  }
  // Persistent reservations outlive a restart, with new tokens unless the option says not;
  // new tokens are handed out in (protocol, first port) order, as the fake lists them.
  if (!options_.persistent_tokens_change_on_reboot) return;
  for (Protocol protocol : {Protocol::kTcp, Protocol::kUdp}) {
    for (std::uint32_t port = 1; port < kPorts; ++port) {
      const int index = Space(protocol).reserved_by[port];
      if (index == -1) continue;
      ModelReservation& r = reservations_[static_cast<std::size_t>(index)];
      if (r.first == port) r.token = next_token_++;
    }
  }
}

ModelToken ReferenceModel::AddSystemBlock(Protocol protocol, std::uint32_t first,
                                          std::uint32_t count) {
  ModelReservation reservation;
  reservation.live = true;
  reservation.protocol = protocol;
  reservation.kind = ReservationKind::kRuntime;
  reservation.first = first;
  reservation.count = count;
  reservation.token = next_token_++;
  reservation.owner_process = kSystemProcess;
  AddReservation(reservation);
  return reservation.token;
}

}  // namespace portres::model
