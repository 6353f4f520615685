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
    space.bound_by.assign(kPorts, -1);
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
  if (Space(protocol).bound_by[port] != -1) return false;
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
  if (state.bound) Space(*state.transport).bound_by[state.port] = -1;
  state.bound = false;
  state.open = false;
}

// ---- Winsock ------------------------------------------------------------------------------
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
  if (name == nullptr || namelen < length) return WSAEFAULT;
  decltype(sockaddr::sa_family) family = 0;
  std::memcpy(&family, name + offsetof(sockaddr, sa_family), sizeof family);
  if (family != state.af) return WSAEAFNOSUPPORT;
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
  if (port == 0 && block != nullptr) {
    std::uint32_t chosen = 0;
    for (std::uint32_t p = block->first; p < block->first + block->count; ++p) {
      if (space.bound_by[p] == -1) {
        chosen = p;
        break;
      }
    }
    if (chosen == 0) return options_.assumed.bind_reservation_full;
    port = chosen;
  } else if (port == 0) {
    // An ephemeral port: the lowest of the dynamic range the system may hand out.
    std::uint32_t chosen = 0;
    // Port 0 is no port: a range given as starting at 0 starts at 1.
    for (std::uint32_t p = DynamicFirst(protocol); p <= DynamicLast(protocol); ++p) {
      if (FreeForSystem(protocol, p)) {
        chosen = p;
        break;
      }
    }
    if (chosen == 0) return WSAENOBUFS;  // [ref:bind] 2022: no ephemeral port left
    port = chosen;
  } else {
    if (space.bound_by[port] != -1) return WSAEADDRINUSE;
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
  space.bound_by[port] = socket;
  state.bound = true;
  state.port = port;
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

IoctlOutcome ReferenceModel::Ioctl(int process, int socket, const IoctlArguments& a) {
  IoctlOutcome outcome;
  auto fail = [&](int error) {
    outcome.error = error;
    return outcome;
  };
  // The socket, the request, the buffers [ref:acquire][ref:associate][ref:release].
  if (!IsOpenIn(process, socket)) return fail(WSAENOTSOCK);
  const ModelSocket& state = sockets_[static_cast<std::size_t>(socket)];
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
  return done;
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
