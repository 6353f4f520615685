// The rules of the rest of the Winsock surface that reservation clients call around the IOCTLs
// [ref:clients], in Winsock's order: WSAStartup, WSACleanup, WSASocket, setsockopt, getsockopt,
// connect, listen, accept, getpeername, ioctlsocket; then SIO_CPU_AFFINITY and the sharing of a
// bound port (SO_REUSEADDR, SO_EXCLUSIVEADDRUSE, SIO_CPU_AFFINITY), which bind() asks.
//
// Tagged as host_rules.cpp tags its refusals: `[ref:anchor]` is a section of docs/reference.md,
// `options_.assumed.<field>` a choice the documentation leaves open (AssumedErrors), `[ms:page]`
// a Winsock page at learn.microsoft.com/windows/win32/api/ the reference does not cover
// (winsock/nf-winsock-wsastartup, winsock/nf-winsock-wsacleanup, winsock/nf-winsock-setsockopt,
// winsock/nf-winsock-getsockopt, winsock2/nf-winsock2-accept, winsock/nf-winsock-getpeername,
// winsock/nf-winsock-ioctlsocket). docs/fidelity.md has a row and a test for each.
//
// What each socket keeps for them (SocketState): the overlapped attribute, the options, the mode
// its bind was made in (the options count only when set before bind), listening and its
// backlog with the connections waiting for accept(), the peer, non-blocking mode and the
// processor of SIO_CPU_AFFINITY. Each process counts its WSAStartups. The host keeps, per
// protocol and port, how many sockets beyond the first share a bound port (sharers_).
#include <algorithm>
#include <cstring>
#include <utility>

#include "addresses.h"
#include "call_scope.h"
#include "host_state.h"

namespace portres::detail {
namespace {

constexpr WORD kHighestVersion = 0x0202;  // 2.2

int AddressLength(int af) {
  return af == AF_INET6 ? static_cast<int>(sizeof(sockaddr_in6))
                        : static_cast<int>(sizeof(sockaddr_in));
}

// A socket's bind, as the table of [ref:reuseaddr] classes it: the option it had set (row and
// column groups) and whether the address was the wildcard (W) or a specific one (S).
int BindClass(BindMode mode, bool wildcard) {
  return static_cast<int>(mode) * 2 + (wildcard ? 0 : 1);
}

// [ref:reuseaddr]: the outcome of a second bind to a port (column) after a first (row), same
// user. Rows and columns: default W, default S, REUSE W, REUSE S, EXCL W, EXCL S.
constexpr int kOk = 0;
constexpr int kInUse = WSAEADDRINUSE;
constexpr int kAccess = WSAEACCES;
constexpr int kShareTable[6][6] = {
    {kInUse, kOk, kAccess, kOk, kInUse, kOk},              // default W
    {kOk, kInUse, kOk, kAccess, kInUse, kInUse},           // default S
    {kInUse, kOk, kOk, kOk, kInUse, kOk},                  // REUSE W
    {kOk, kInUse, kOk, kOk, kInUse, kInUse},               // REUSE S
    {kInUse, kAccess, kAccess, kAccess, kInUse, kAccess},  // EXCL W
    {kOk, kInUse, kOk, kAccess, kInUse, kInUse},           // EXCL S
};

BOOL ReadBool(const char* optval) {
  int value = 0;
  std::memcpy(&value, optval, sizeof value);
  return value != 0 ? TRUE : FALSE;
}

// The transport's own type and protocol, whatever triple the socket was opened with.
int ResolvedType(const SocketState& socket) {
  if (!socket.transport) return socket.type;
  return *socket.transport == Protocol::kTcp ? SOCK_STREAM : SOCK_DGRAM;
}
int ResolvedProtocol(const SocketState& socket) {
  if (!socket.transport) return socket.protocol;
  return *socket.transport == Protocol::kTcp ? IPPROTO_TCP : IPPROTO_UDP;
}

template <typename Info, typename Char>
void FillProtocolInfo(const SocketState& socket, Info& info, const char* name) {
  info = Info{};
  info.iVersion = 2;
  info.iAddressFamily = socket.af;
  info.iMaxSockAddr = AddressLength(socket.af);
  info.iMinSockAddr = AddressLength(socket.af);
  info.iSocketType = ResolvedType(socket);
  info.iProtocol = ResolvedProtocol(socket);
  info.dwMessageSize = socket.transport == Protocol::kUdp ? 65467 : 0;
  for (std::size_t i = 0; name[i] != '\0' && i < WSAPROTOCOL_LEN; ++i) {
    info.szProtocol[i] = static_cast<Char>(name[i]);
  }
}

// Where an option lives on a socket, or why the fake has no such option there: the level and
// option checks setsockopt and getsockopt share, in the order the pages list them.
struct OptionSlot {
  enum class Kind : unsigned char { kRefused, kFlag, kNumber, kType, kProtocolInfo };
  Kind kind = Kind::kRefused;
  bool* flag = nullptr;       // kFlag
  int* number = nullptr;      // kNumber
  int error = 0;              // kRefused
  const char* why = nullptr;  // kRefused
};

OptionSlot Refused(int error, const char* why) {
  OptionSlot slot;
  slot.error = error;
  slot.why = why;
  return slot;
}
OptionSlot Flag(bool* flag) {
  OptionSlot slot;
  slot.kind = OptionSlot::Kind::kFlag;
  slot.flag = flag;
  return slot;
}
OptionSlot Number(int* number) {
  OptionSlot slot;
  slot.kind = OptionSlot::Kind::kNumber;
  slot.number = number;
  return slot;
}
OptionSlot ReadOnly(OptionSlot::Kind kind) {
  OptionSlot slot;
  slot.kind = kind;
  return slot;
}

// [ms:winsock/nf-winsock-setsockopt] [ms:winsock/nf-winsock-getsockopt]: an unknown option is
// WSAENOPROTOOPT, an unknown level WSAEINVAL.
OptionSlot FindOption(SocketState& socket, int level, int optname, const AssumedErrors& assumed) {
  switch (level) {
    case SOL_SOCKET:
      switch (optname) {
        case SO_REUSEADDR:
          return Flag(&socket.reuse_address);
        case SO_EXCLUSIVEADDRUSE:
          return Flag(&socket.exclusive_address);
        case SO_RCVBUF:
          return Number(&socket.receive_buffer);
        case SO_SNDBUF:
          return Number(&socket.send_buffer);
        case SO_TYPE:
          return ReadOnly(OptionSlot::Kind::kType);
        case SO_PROTOCOL_INFOW:
        case SO_PROTOCOL_INFOA:
          return ReadOnly(OptionSlot::Kind::kProtocolInfo);
        default:
          return Refused(WSAENOPROTOOPT, "the fake knows no such SOL_SOCKET option");
      }
    case IPPROTO_IPV6:
      if (optname != IPV6_V6ONLY)
        return Refused(WSAENOPROTOOPT, "the fake knows no such IPPROTO_IPV6 option");
      if (socket.af != AF_INET6)
        return Refused(assumed.option_other_protocol,
                       "IPV6_V6ONLY on a socket that is not AF_INET6");
      return Flag(&socket.v6only);
    case IPPROTO_TCP:
      if (optname != TCP_NODELAY)
        return Refused(WSAENOPROTOOPT, "the fake knows no such IPPROTO_TCP option");
      if (socket.transport != Protocol::kTcp)
        return Refused(assumed.option_other_protocol, "TCP_NODELAY on a socket that is not TCP");
      return Flag(&socket.no_delay);
    default:
      return Refused(WSAEINVAL, "the level is not SOL_SOCKET, IPPROTO_IPV6 or IPPROTO_TCP");
  }
}

}  // namespace

// ---- WSAStartup / WSACleanup ------------------------------------------------------------------
void HostState::RequireStartup(std::uint32_t pid, bool required) {
  std::lock_guard<std::mutex> lock(mutex_);
  ProcessOf(pid).require_startup = required;
}

int HostState::Startup(std::uint32_t pid, WORD version, LPWSADATA data) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(process, options_.call_log_capacity, Api::kWSAStartup, INVALID_SOCKET, 0, false);
  call.record().value = version;
  call.record().value_read = true;
  // WSAStartup returns its error instead of SOCKET_ERROR [ms:winsock/nf-winsock-wsastartup].
  if (auto injected = call.InjectedError()) return call.FailInjected(*injected, *injected);
  if (data == nullptr)
    return call.Fail(WSAEFAULT, "lpWSAData is null",
                     WSAEFAULT);  // [ms:winsock/nf-winsock-wsastartup]
  const BYTE major = LOBYTE(version);
  const BYTE minor = HIBYTE(version);
  if (major == 0) {
    return call.Fail(WSAVERNOTSUPPORTED, "a version below 1.0 was asked for",
                     WSAVERNOTSUPPORTED);  // [ms:winsock/nf-winsock-wsastartup]
  }
  // The version the caller asked for when it exists (1.0, 1.1, 2.0, 2.1, 2.2), else the highest
  // one of its major version below it, and 2.2 for anything above.
  WORD negotiated = kHighestVersion;
  if (major == 1) negotiated = MAKEWORD(1, std::min<BYTE>(minor, 1));
  if (major == 2) negotiated = MAKEWORD(2, std::min<BYTE>(minor, 2));
  *data = WSADATA{};
  data->wVersion = negotiated;
  data->wHighVersion = kHighestVersion;
  static constexpr char kDescription[] = "WinSock 2.0";
  static constexpr char kStatus[] = "Running";
  std::memcpy(data->szDescription, kDescription, sizeof kDescription);
  std::memcpy(data->szSystemStatus, kStatus, sizeof kStatus);
  ++process.startup_count;
  return call.Succeed();
}

int HostState::Cleanup(std::uint32_t pid, Completions& completions) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(process, options_.call_log_capacity, Api::kWSACleanup, INVALID_SOCKET, 0, false);
  if (auto injected = call.InjectedError()) return call.FailInjected(*injected);
  if (process.startup_count == 0) {
    return call.Fail(WSANOTINITIALISED,
                     "no WSAStartup is left to balance");  // [ms:winsock/nf-winsock-wsacleanup]
  }
  // The last WSACleanup of a process resets and closes the sockets it still has, as closesocket
  // would [ms:winsock/nf-winsock-wsacleanup]: their runtime reservations end with them.
  if (--process.startup_count == 0) {
    while (!process.sockets.empty()) {
      CloseSocketLocked(process, process.sockets.back(), completions);
    }
  }
  return call.Succeed();
}

// ---- setsockopt / getsockopt ------------------------------------------------------------------
// Checks in the order the pages list them: the socket, the buffer, the level, the option, the
// buffer's size. Every option of the fake is an int-sized value except SO_PROTOCOL_INFO.
int HostState::SetSockOpt(std::uint32_t pid, SOCKET s, int level, int optname, const char* optval,
                          int optlen) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(process, options_.call_log_capacity, Api::kSetSockOpt, s,
                 static_cast<DWORD>(optname), false);
  call.record().level = level;
  if (optval != nullptr && optlen >= static_cast<int>(sizeof(int))) {
    int value = 0;
    std::memcpy(&value, optval, sizeof value);
    call.record().value = value;
    call.record().value_read = true;
  }
  if (auto injected = call.InjectedError()) return call.FailInjected(*injected);
  SocketState* socket = FindSocket(process, s);
  if (socket == nullptr)
    return call.Fail(WSAENOTSOCK,
                     "not a socket of this process");  // [ms:winsock/nf-winsock-setsockopt]
  if (optval == nullptr)
    return call.Fail(WSAEFAULT, "optval is null");  // [ms:winsock/nf-winsock-setsockopt]
  const OptionSlot option = FindOption(*socket, level, optname, options_.assumed);
  if (option.kind == OptionSlot::Kind::kRefused) return call.Fail(option.error, option.why);
  if (option.kind == OptionSlot::Kind::kType || option.kind == OptionSlot::Kind::kProtocolInfo) {
    return call.Fail(options_.assumed.option_read_only,
                     "SO_TYPE and SO_PROTOCOL_INFO can only be read");
  }
  if (optlen < static_cast<int>(sizeof(int))) {
    return call.Fail(
        WSAEFAULT,
        "optlen is smaller than an int");  // [ms:winsock/nf-winsock-setsockopt] optlen too small
  }
  if (option.kind == OptionSlot::Kind::kNumber) {
    std::memcpy(option.number, optval, sizeof *option.number);
    return call.Succeed();
  }
  const bool on = ReadBool(optval) != FALSE;
  if (on && level == SOL_SOCKET) {
    // Both on one socket: WSAEINVAL [ref:reuseaddr] (Wine's test).
    if (optname == SO_REUSEADDR && socket->exclusive_address)
      return call.Fail(WSAEINVAL, "SO_EXCLUSIVEADDRUSE is set on this socket");
    if (optname == SO_EXCLUSIVEADDRUSE && socket->reuse_address)
      return call.Fail(WSAEINVAL, "SO_REUSEADDR is set on this socket");
    if (optname == SO_REUSEADDR && socket->processor) {
      return call.Fail(options_.assumed.cpu_affinity_with_reuseaddr,
                       "SIO_CPU_AFFINITY is set on this socket");  // [ref:cpu-affinity]
    }
  }
  *option.flag = on;
  return call.Succeed();
}

int HostState::GetSockOpt(std::uint32_t pid, SOCKET s, int level, int optname, char* optval,
                          int* optlen) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(process, options_.call_log_capacity, Api::kGetSockOpt, s,
                 static_cast<DWORD>(optname), false);
  call.record().level = level;
  if (auto injected = call.InjectedError()) return call.FailInjected(*injected);
  SocketState* socket = FindSocket(process, s);
  if (socket == nullptr)
    return call.Fail(WSAENOTSOCK,
                     "not a socket of this process");  // [ms:winsock/nf-winsock-getsockopt]
  if (optval == nullptr || optlen == nullptr) {
    return call.Fail(WSAEFAULT, "optval or optlen is null");  // [ms:winsock/nf-winsock-getsockopt]
  }
  const OptionSlot option = FindOption(*socket, level, optname, options_.assumed);
  int value = 0;
  switch (option.kind) {
    case OptionSlot::Kind::kRefused:
      return call.Fail(option.error, option.why);
    case OptionSlot::Kind::kFlag:
      value = *option.flag ? TRUE : FALSE;
      break;
    case OptionSlot::Kind::kNumber:
      value = *option.number;
      break;
    case OptionSlot::Kind::kType:
      value = ResolvedType(*socket);
      break;
    case OptionSlot::Kind::kProtocolInfo: {
      const bool wide = optname == SO_PROTOCOL_INFOW;
      const int size = wide ? static_cast<int>(sizeof(WSAPROTOCOL_INFOW))
                            : static_cast<int>(sizeof(WSAPROTOCOL_INFOA));
      if (*optlen < size) {
        return call.Fail(
            WSAEFAULT,
            "*optlen is smaller than WSAPROTOCOL_INFO");  // [ms:winsock/nf-winsock-getsockopt]
      }
      const char* name =
          socket->transport == Protocol::kUdp ? "MSAFD Tcpip [UDP/IP]" : "MSAFD Tcpip [TCP/IP]";
      if (wide) {
        WSAPROTOCOL_INFOW info;
        FillProtocolInfo<WSAPROTOCOL_INFOW, WCHAR>(*socket, info, name);
        std::memcpy(optval, &info, sizeof info);
      } else {
        WSAPROTOCOL_INFOA info;
        FillProtocolInfo<WSAPROTOCOL_INFOA, CHAR>(*socket, info, name);
        std::memcpy(optval, &info, sizeof info);
      }
      *optlen = size;
      return call.Succeed();
    }
  }
  if (*optlen < static_cast<int>(sizeof value)) {
    return call.Fail(
        WSAEFAULT,
        "*optlen is smaller than an int");  // [ms:winsock/nf-winsock-getsockopt] optlen too small
  }
  std::memcpy(optval, &value, sizeof value);
  *optlen = static_cast<int>(sizeof value);
  call.record().value = value;
  call.record().value_read = true;
  return call.Succeed();
}

// ---- connect ----------------------------------------------------------------------------------
int HostState::Connect(std::uint32_t pid, SOCKET s, const sockaddr* name, int namelen) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(process, options_.call_log_capacity, Api::kConnect, s, 0, false);
  SocketState* socket = FindSocket(process, s);
  if (name != nullptr && socket != nullptr && namelen >= AddressLength(socket->af)) {
    call.record().peer_port = PortOfAddress(name);
    call.record().value_read = true;
  }
  if (auto injected = call.InjectedError()) return call.FailInjected(*injected);
  if (socket == nullptr)
    return call.Fail(WSAENOTSOCK, "not a socket of this process");  // [ref:connect-listen]
  if (name == nullptr || namelen < AddressLength(socket->af)) {
    return call.Fail(WSAEFAULT, "name is null or namelen too small");  // [ref:connect-listen] (the
                                                                       // connect page's WSAEFAULT)
  }
  if (name->sa_family != socket->af)
    return call.Fail(WSAEAFNOSUPPORT, "the address family differs from the socket's");
  if (!socket->transport)
    return call.Fail(options_.assumed.surface_not_transport,
                     "a raw or AF_UNIX socket has no transport in the fake");
  if (socket->listening)
    return call.Fail(WSAEINVAL, "the socket is listening");  // the connect page: a listening socket
  const bool tcp = *socket->transport == Protocol::kTcp;
  if (tcp && socket->connected) return call.Fail(WSAEISCONN, "the TCP socket is already connected");
  if (IsWildcardAddress(name))
    return call.Fail(WSAEADDRNOTAVAIL, "the all-zero address");  // [ref:connect-listen]

  // TCP to this host: a socket of the host must listen on the port, with room in its backlog
  // (the listen page: a full queue refuses with WSAECONNREFUSED). Anywhere else: the fake has no
  // network, so the connection succeeds (a fault makes it fail).
  SocketState* listener = nullptr;
  if (tcp && IsLoopbackAddress(name)) {
    const std::uint32_t port = PortOfAddress(name);
    for (auto& [handle, candidate] : sockets_) {
      if (candidate.listening && candidate.port == port && candidate.transport == Protocol::kTcp) {
        listener = &candidate;
        break;
      }
    }
    if (listener == nullptr)
      return call.Fail(
          WSAECONNREFUSED,
          "no socket of the host listens on that loopback port");  // [ref:connect-listen]
    if (listener->waiting.size() >= static_cast<std::size_t>(listener->backlog)) {
      return call.Fail(WSAECONNREFUSED, "the listener's backlog is full");
    }
  }

  // An unbound socket is bound first, as bind(port 0) would bind it: from its associated
  // reservation, else an ephemeral port that avoids reservations [ref:clients] (NFS).
  if (!socket->bound) {
    if (const int error = BindImplicitly(*socket); error != 0)
      return call.Fail(error, "the implicit bind found no port");
  }
  call.record().bound_port = static_cast<std::uint16_t>(socket->port);
  if (listener != nullptr) {
    Connection connection;
    connection.peer = socket->address;
    connection.peer_length = socket->address_length;
    listener->waiting.push_back(connection);
  }
  socket->connected = true;
  socket->peer = sockaddr_in6{};
  socket->peer_length = AddressLength(socket->af);
  std::memcpy(&socket->peer, name, static_cast<std::size_t>(socket->peer_length));
  return call.Succeed();
}

int HostState::BindImplicitly(SocketState& socket) {
  const Protocol protocol = *socket.transport;
  std::uint32_t port = 0;
  if (socket.associated != INVALID_PORT_RESERVATION_TOKEN) {
    auto [block_protocol, block] = FindBlock(socket.associated);
    if (block == nullptr || block_protocol != protocol) {
      return options_.assumed.bind_reservation_gone;
    }
    std::uint32_t candidate = block->first;
    while (candidate <= block->last && ports_.bound(protocol).Contains(candidate)) ++candidate;
    if (candidate > block->last) return options_.assumed.bind_reservation_full;
    port = candidate;
  } else {
    auto free_port = ports_.free(protocol).LowestFree();
    if (!free_port) return WSAENOBUFS;
    port = *free_port;
  }
  ports_.Bind(protocol, port);
  socket.bound = true;
  socket.port = port;
  socket.bound_mode = ModeOf(socket);
  socket.bound_wildcard = true;
  socket.address = sockaddr_in6{};
  socket.address_length = AddressLength(socket.af);
  reinterpret_cast<sockaddr*>(&socket.address)->sa_family = static_cast<ADDRESS_FAMILY>(socket.af);
  const std::uint16_t port_net = htons(static_cast<std::uint16_t>(port));
  std::memcpy(reinterpret_cast<sockaddr*>(&socket.address)->sa_data, &port_net, sizeof port_net);
  return 0;
}

BindMode HostState::ModeOf(const SocketState& socket) {
  if (socket.exclusive_address) return BindMode::kExclusive;
  if (socket.reuse_address) return BindMode::kReuse;
  return BindMode::kDefault;
}

// ---- listen / accept / getpeername ------------------------------------------------------------
int HostState::Listen(std::uint32_t pid, SOCKET s, int backlog) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(process, options_.call_log_capacity, Api::kListen, s, 0, false);
  call.record().value = backlog;
  call.record().value_read = true;
  if (auto injected = call.InjectedError()) return call.FailInjected(*injected);
  SocketState* socket = FindSocket(process, s);
  if (socket == nullptr)
    return call.Fail(WSAENOTSOCK, "not a socket of this process");  // [ref:connect-listen]
  if (socket->transport != Protocol::kTcp) {
    // UDP: WSAEOPNOTSUPP [ref:connect-listen]; raw and AF_UNIX sockets: the same answer.
    return call.Fail(socket->transport ? WSAEOPNOTSUPP : options_.assumed.surface_not_transport,
                     "listen needs a TCP socket");
  }
  if (!socket->bound)
    return call.Fail(WSAEINVAL, "the socket is not bound");  // [ref:connect-listen]
  if (socket->connected)
    return call.Fail(WSAEISCONN, "the socket is connected");  // the listen page
  if (socket->listening) return call.Succeed();  // [ref:connect-listen] backlog unchanged
  // SOMAXCONN (and anything above) is "a reasonable maximum"; below 1 is 1.
  constexpr int kMaxBacklog = 200;
  socket->backlog = std::clamp(backlog, 1, kMaxBacklog);
  socket->listening = true;
  return call.Succeed();
}

SOCKET HostState::Accept(std::uint32_t pid, SOCKET s, sockaddr* addr, int* addrlen) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(process, options_.call_log_capacity, Api::kAccept, s, 0, false);
  auto fail = [&call](int error, const char* reason) {
    call.Fail(error, reason);
    return INVALID_SOCKET;
  };
  if (auto injected = call.InjectedError()) {
    call.FailInjected(*injected);
    return INVALID_SOCKET;
  }
  SocketState* listener = FindSocket(process, s);
  if (listener == nullptr)
    return fail(WSAENOTSOCK, "not a socket of this process");  // [ms:winsock2/nf-winsock2-accept]
  if (!listener->transport)
    return fail(options_.assumed.surface_not_transport,
                "a raw or AF_UNIX socket has no transport in the fake");
  if (*listener->transport != Protocol::kTcp) {
    return fail(
        WSAEOPNOTSUPP,
        "accept needs a TCP socket");  // [ms:winsock2/nf-winsock2-accept] not connection-oriented
  }
  if (!listener->listening)
    return fail(WSAEINVAL, "the socket is not listening");  // [ms:winsock2/nf-winsock2-accept]
  if (addr != nullptr && (addrlen == nullptr || *addrlen < AddressLength(listener->af))) {
    return fail(
        WSAEFAULT,
        "addrlen is null or too small");  // [ms:winsock2/nf-winsock2-accept] addrlen too small
  }
  if (listener->waiting.empty()) {
    // Nothing waiting: a non-blocking socket says so; a blocking one would wait for ever, which a
    // test must never do, so it fails as an interrupted wait would.
    return fail(listener->non_blocking ? WSAEWOULDBLOCK : options_.assumed.accept_nothing_waiting,
                "no connection is waiting");
  }
  const Connection connection = listener->waiting.front();
  // The peer may be of the other family (one port space per protocol): its address must fit too.
  if (addr != nullptr && *addrlen < connection.peer_length) {
    return fail(WSAEFAULT,
                "addrlen is too small for the peer's address");  // [ms:winsock2/nf-winsock2-accept]
  }
  listener->waiting.erase(listener->waiting.begin());

  const SOCKET accepted = next_socket_;
  next_socket_ += 4;
  SocketState copy = *listener;  // the listener's properties, as accept() documents
  copy.listening = false;
  copy.backlog = 0;
  copy.waiting.clear();
  copy.owned.clear();
  copy.associated = INVALID_PORT_RESERVATION_TOKEN;
  copy.connected = true;
  copy.peer = connection.peer;
  copy.peer_length = connection.peer_length;
  ++sharers_[{*copy.transport, copy.port}];  // it shares the listener's local port
  sockets_.emplace(accepted, std::move(copy));
  process.sockets.push_back(accepted);
  if (addr != nullptr) {
    std::memcpy(addr, &connection.peer, static_cast<std::size_t>(connection.peer_length));
    *addrlen = connection.peer_length;
  }
  call.record().value = static_cast<long long>(accepted);
  call.record().peer_port = PortOfAddress(reinterpret_cast<const sockaddr*>(&connection.peer));
  call.Succeed();
  return accepted;
}

int HostState::GetPeerName(std::uint32_t pid, SOCKET s, sockaddr* name, int* namelen) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(process, options_.call_log_capacity, Api::kGetPeerName, s, 0, false);
  if (auto injected = call.InjectedError()) return call.FailInjected(*injected);
  SocketState* socket = FindSocket(process, s);
  if (socket == nullptr)
    return call.Fail(WSAENOTSOCK,
                     "not a socket of this process");  // [ms:winsock/nf-winsock-getpeername]
  if (!socket->connected)
    return call.Fail(WSAENOTCONN,
                     "the socket is not connected");  // [ms:winsock/nf-winsock-getpeername]
  if (name == nullptr || namelen == nullptr || *namelen < socket->peer_length) {
    return call.Fail(
        WSAEFAULT,
        "name or namelen is null, or namelen too small");  // [ms:winsock/nf-winsock-getpeername]
  }
  std::memcpy(name, &socket->peer, static_cast<std::size_t>(socket->peer_length));
  *namelen = socket->peer_length;
  call.record().peer_port = PortOfAddress(name);
  return call.Succeed();
}

// ---- ioctlsocket ------------------------------------------------------------------------------
int HostState::IoctlSocket(std::uint32_t pid, SOCKET s, long cmd, u_long* argp) {
  std::lock_guard<std::mutex> lock(mutex_);
  Process& process = ProcessOf(pid);
  CallScope call(process, options_.call_log_capacity, Api::kIoctlSocket, s, static_cast<DWORD>(cmd),
                 false);
  if (argp != nullptr) {
    call.record().value = static_cast<long long>(*argp);
    call.record().value_read = true;
  }
  if (auto injected = call.InjectedError()) return call.FailInjected(*injected);
  SocketState* socket = FindSocket(process, s);
  if (socket == nullptr)
    return call.Fail(WSAENOTSOCK,
                     "not a socket of this process");  // [ms:winsock/nf-winsock-ioctlsocket]
  if (argp == nullptr)
    return call.Fail(WSAEFAULT, "argp is null");  // [ms:winsock/nf-winsock-ioctlsocket]
  if (static_cast<DWORD>(cmd) != static_cast<DWORD>(FIONBIO)) {
    return call.Fail(options_.assumed.ioctlsocket_unknown_command, "the fake models FIONBIO only");
  }
  // Only accept() and connect() look at it: the reservation IOCTLs complete before they return
  // whatever the mode, as their pages say they do not support non-blocking mode [ref:ioctl-common].
  socket->non_blocking = *argp != 0;
  return call.Succeed();
}

// ---- SIO_CPU_AFFINITY -------------------------------------------------------------------------
int HostState::CpuAffinity(SocketState& socket, const void* in, DWORD in_size, CallFields& record) {
  if (in == nullptr || in_size < sizeof(USHORT)) return WSAEFAULT;  // [ref:wsaioctl]
  USHORT processor = 0;
  std::memcpy(&processor, in, sizeof processor);
  record.value = processor;
  record.value_read = true;
  if (socket.transport != Protocol::kUdp) {
    return options_.assumed.cpu_affinity_not_udp;  // [ref:cpu-affinity] UDP only
  }
  if (socket.bound) return WSAEINVAL;  // [ref:cpu-affinity] before bind
  if (socket.reuse_address) return options_.assumed.cpu_affinity_with_reuseaddr;
  if (processor >= options_.processor_count) return options_.assumed.cpu_affinity_bad_processor;
  socket.processor = processor;
  return 0;
}

// ---- Sharing a bound port ---------------------------------------------------------------------
// A bind to a port a socket of the protocol already holds: 0 when the new socket may share it,
// else the error. Sockets of one process that set SIO_CPU_AFFINITY share a UDP port
// [ref:cpu-affinity]; otherwise every holder is asked with the table of [ref:reuseaddr], the
// first refusal winning. The fake keeps one port space per protocol and no addresses (a
// simplification, docs/fidelity.md): every bind counts as a wildcard bind, of either family, so
// the table's wildcard-to-wildcard cells are the ones it expresses.
int HostState::ShareBoundPort(const Process& process, SOCKET s, const SocketState& socket,
                              std::uint32_t port) {
  const Protocol protocol = *socket.transport;
  const int column = BindClass(ModeOf(socket), true);
  for (const auto& [handle, holder] : sockets_) {
    if (handle == s || !holder.bound || holder.transport != protocol) continue;
    if (holder.port != port) continue;
    if (socket.processor && holder.processor && holder.pid == process.pid) continue;
    const int outcome = kShareTable[BindClass(holder.bound_mode, true)][column];
    if (outcome != kOk) return outcome;
  }
  return 0;
}

// Unbinds `socket`: the port stays bound while another socket shares it.
void HostState::UnbindShared(SocketState& socket) {
  if (!socket.bound || !socket.transport) return;
  socket.bound = false;
  if (!sharers_.empty()) {  // most hosts share no port: no search then
    auto sharing = sharers_.find({*socket.transport, socket.port});
    if (sharing != sharers_.end()) {
      if (--sharing->second == 0) sharers_.erase(sharing);
      return;
    }
  }
  ports_.Unbind(*socket.transport, socket.port);
}

}  // namespace portres::detail
