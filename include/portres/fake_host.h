// <portres/fake_host.h>: one simulated Windows machine.
//
// A FakeHost holds what a real machine shares between processes: the TCP and UDP port spaces,
// runtime and persistent reservations, sockets, event objects. Simulated processes are views
// on it (FakeSocketIoctl for Winsock, FakeIpHelper for iphlpapi). Where Microsoft documents a
// behaviour the host follows it; where it is silent, the choice is a field of FakeHostOptions
// with the default docs/fidelity.md explains, so a test can change it.
//
// Thread-safe: every member may be called from any thread.
#ifndef PORTRES_FAKE_HOST_H
#define PORTRES_FAKE_HOST_H

#include <portres/winsock.h>

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string_view>
#include <vector>

namespace portres {

// The port space a reservation or a socket belongs to: TCP's or UDP's.
enum class Protocol : unsigned char { kTcp, kUdp };
std::string_view ProtocolName(Protocol protocol) noexcept;  // "TCP", "UDP"

// Runtime reservations (SIO_ACQUIRE_PORT_RESERVATION) live as long as the socket that acquired
// them; persistent ones (iphlpapi's Create*) live in the host until deleted, across reboots.
enum class ReservationKind : unsigned char { kRuntime, kPersistent };

// Answers the documentation does not give. Each default is explained, with its source, in
// docs/fidelity.md ("assumed" rows); tests pin the defaults and may change them.
struct AssumedErrors {
  int acquire_zero_ports = WSAEINVAL;          // SIO_ACQUIRE with NumberOfPorts == 0
  int acquire_past_last_port = WSAEINVAL;      // SIO_ACQUIRE with a block past port 65535
  int acquire_overlap = WSAEADDRINUSE;         // observed on Windows [ref:observed]
  int acquire_no_room = WSAENOBUFS;            // no free block for a wildcard acquire
  int unknown_token = WSAEINVAL;               // release / associate of a token not live here
  int associate_wrong_protocol = WSAEINVAL;    // a TCP token on a UDP socket, or the reverse
  int associate_foreign_runtime = WSAEACCES;   // another process's runtime token
  int associate_after_bind = WSAEINVAL;        // associate on a socket that is already bound
  int bind_reservation_full = WSAENOBUFS;      // bind(port 0) with every reserved port taken
  int bind_reservation_gone = WSAEINVAL;       // bind on a socket whose reservation has ended
  int bind_foreign_runtime_block = WSAEACCES;  // observed on Windows [ref:observed]
  int wsp_missing_thread_id = WSAEFAULT;       // WSPIoctl with a routine but no lpThreadId
  // The rest of the surface (docs/fidelity.md, "The rest of the Winsock surface").
  int accept_nothing_waiting = WSAEINTR;        // a blocking accept() with no connection waiting
  int cpu_affinity_with_reuseaddr = WSAEINVAL;  // SIO_CPU_AFFINITY and SO_REUSEADDR together
  int cpu_affinity_bad_processor = WSAEINVAL;   // a processor index the host does not have
  int cpu_affinity_not_udp = WSAEOPNOTSUPP;     // SIO_CPU_AFFINITY on a TCP socket
  int option_other_protocol = WSAENOPROTOOPT;   // IPV6_V6ONLY on IPv4, TCP_NODELAY on UDP
  int option_read_only = WSAENOPROTOOPT;        // setsockopt of SO_TYPE or SO_PROTOCOL_INFO
  int ioctlsocket_unknown_command = WSAEOPNOTSUPP;  // ioctlsocket: a cmd other than FIONBIO
  int wsasocket_group = 0;                      // WSASocket with a group other than 0 (0: ignored)
  int surface_not_transport = WSAEOPNOTSUPP;    // connect/listen/accept on raw or AF_UNIX
};

// How a FakeHost behaves where Windows leaves a choice, or where a test wants a smaller world.
struct FakeHostOptions {
  // The dynamic port range (host byte order, inclusive) that wildcard acquires and bind(port 0)
  // draw from: the Windows Vista+ range by default, a few ports for a test of exhaustion.
  std::uint16_t dynamic_first_port = 49152;
  // Where the dynamic range ends (see dynamic_first_port).
  std::uint16_t dynamic_last_port = 65535;
  // A runtime reservation keeps the ports out of both protocols: acquires, persistent creates
  // and ephemeral binds of the other protocol avoid it too (explicit binds of the other
  // protocol are still allowed). Reported on Windows 11; see docs/fidelity.md.
  bool runtime_reservations_span_protocols = true;
  // Reboot() hands persistent reservations new tokens (the documentation says a token may
  // change at every restart). Off: they keep them.
  bool persistent_tokens_change_on_reboot = true;
  // Seeds tokens and probabilistic faults: the same seed replays the same run.
  std::uint64_t seed = 0x706f7274726573;  // "portres"
  // How many of each process's most recent calls CallLog() keeps.
  std::size_t call_log_capacity = 256;
  // The errors the fake answers where the documentation names none (docs/fidelity.md).
  AssumedErrors assumed;
  // How many processors SIO_CPU_AFFINITY may name (indexes 0..processor_count-1).
  std::uint16_t processor_count = 8;
};

// A reservation as the host sees it.
struct ReservationInfo {
  // TCP or UDP.
  Protocol protocol = Protocol::kTcp;
  // Runtime or persistent.
  ReservationKind kind = ReservationKind::kRuntime;
  // The first port of the block.
  std::uint16_t first_port = 0;  // host byte order
  // How many consecutive ports the block has.
  std::uint16_t port_count = 0;
  // The token that names it (INET_PORT_RESERVATION_TOKEN::Token).
  ULONG64 token = INVALID_PORT_RESERVATION_TOKEN;
  SOCKET owner_socket = INVALID_SOCKET;  // the acquiring socket; INVALID_SOCKET if persistent
  std::uint32_t owner_pid = 0;           // 0 if persistent
};

// An open socket as the host sees it.
struct SocketInfo {
  // The handle socket() returned.
  SOCKET handle = INVALID_SOCKET;
  // The process that opened it (FakeSocketIoctl::pid()).
  std::uint32_t pid = 0;
  // The address family passed to socket().
  int af = 0;
  // The socket type passed to socket().
  int type = 0;
  // The protocol passed to socket().
  int protocol = 0;
  // Whether bind() has succeeded on it.
  bool bound = false;
  std::uint16_t port = 0;  // host byte order, when bound
  // The reservation SIO_ASSOCIATE_PORT_RESERVATION tied it to, if any.
  ULONG64 associated_token = INVALID_PORT_RESERVATION_TOKEN;
  // socket() sockets, and WSASocket ones opened with WSA_FLAG_OVERLAPPED.
  bool overlapped = true;
  // listen() has succeeded on it.
  bool listening = false;
  // connect() has succeeded on it, or accept() returned it.
  bool connected = false;
  std::uint16_t peer_port = 0;  // host byte order, when connected
};

// Field by field, so that tests compare snapshots of the host with == and EXPECT_EQ.
inline bool operator==(const ReservationInfo& a, const ReservationInfo& b) {
  return a.protocol == b.protocol && a.kind == b.kind && a.first_port == b.first_port &&
         a.port_count == b.port_count && a.token == b.token && a.owner_socket == b.owner_socket &&
         a.owner_pid == b.owner_pid;
}
// The negation of ==.
inline bool operator!=(const ReservationInfo& a, const ReservationInfo& b) { return !(a == b); }
// Field by field, as for ReservationInfo.
inline bool operator==(const SocketInfo& a, const SocketInfo& b) {
  return a.handle == b.handle && a.pid == b.pid && a.af == b.af && a.type == b.type &&
         a.protocol == b.protocol && a.bound == b.bound && a.port == b.port &&
         a.associated_token == b.associated_token;
}
// The negation of ==.
inline bool operator!=(const SocketInfo& a, const SocketInfo& b) { return !(a == b); }

// GoogleTest printers, declared next to the types so that every test prints them the same way;
// the text is <portres/describe.h>'s.

// Prints "TCP" or "UDP".
void PrintTo(Protocol protocol, std::ostream* os);
// Prints "runtime" or "persistent".
void PrintTo(ReservationKind kind, std::ostream* os);
// Prints "TCP 5000..5019 token 0x2a (runtime, socket 0x104, pid 1000)".
void PrintTo(const ReservationInfo& reservation, std::ostream* os);
// Prints "socket 0x108 (UDP, port 5003, pid 1000)".
void PrintTo(const SocketInfo& socket, std::ostream* os);

namespace detail {
class HostState;
}

// One simulated Windows machine, shared by the simulated processes on it (see the top of this
// file). Held by std::shared_ptr when several processes share it.
class FakeHost {
 public:
  // A machine with the default options.
  FakeHost();
  // A machine with `options`.
  explicit FakeHost(const FakeHostOptions& options);
  ~FakeHost();
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  // The options the machine was created with.
  const FakeHostOptions& options() const noexcept;

  // Restart the machine: every socket and runtime reservation ends, pending overlapped calls
  // are dropped, persistent reservations stay (with new tokens unless the option says not).
  // Process views stay usable; sockets they opened before answer WSAENOTSOCK.
  void Reboot();

  // What no Winsock call shows a test: every reservation of every process and the persistent
  // ones, sorted by (protocol, first port), as values to compare.
  std::vector<ReservationInfo> Reservations() const;
  // Every open socket of every process, sorted by handle.
  std::vector<SocketInfo> Sockets() const;
  // Reservations().size() without building the list: for leak checks after every call.
  std::size_t ReservationCount() const;
  // Sockets().size() without building the list.
  std::size_t SocketCount() const;

 private:
  friend class FakeSocketIoctl;
  friend class FakeIpHelper;
  std::unique_ptr<detail::HostState> state_;
};

}  // namespace portres

#endif  // PORTRES_FAKE_HOST_H
