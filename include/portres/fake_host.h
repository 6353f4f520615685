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

#include <portres/fake_export.h>
#include <portres/winsock.h>

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace portres {

// The port space a reservation or a socket belongs to: TCP's or UDP's.
enum class Protocol : unsigned char { kTcp, kUdp };
PORTRES_FAKE_API std::string_view ProtocolName(Protocol protocol) noexcept;  // "TCP", "UDP"

// Runtime reservations (SIO_ACQUIRE_PORT_RESERVATION) live as long as the socket that acquired
// them; persistent ones (iphlpapi's Create*) live in the host until deleted, across reboots.
enum class ReservationKind : unsigned char { kRuntime, kPersistent };

// A range of ports, host byte order, inclusive: a dynamic port range.
struct PortRange {
  std::uint16_t first_port = 0;
  std::uint16_t last_port = 0;
};

// The system's own runtime reservations, as Hyper-V's WinNAT and similar services hold them: a
// number of equal blocks at seeded, scattered starts in each protocol's dynamic range, held by
// the simulated System process (FakeHost::kSystemPid) and placed anew at every restart of the
// service (FakeHost::RestartSystemService) and every FakeHost::Reboot.
struct SystemReservations {
  // Blocks per protocol (0: none).
  std::size_t blocks = 0;
  // Ports per block: WinNAT's 100 by default.
  std::uint16_t block_size = 100;
  // A persistent TCP reservation 50000..50059, as machines since about 2020 show with nothing
  // configured by hand.
  bool administered_tcp_50000 = false;
};

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
  int wsasocket_group = 0;                    // WSASocket with a group other than 0 (0: ignored)
  int surface_not_transport = WSAEOPNOTSUPP;  // connect/listen/accept on raw or AF_UNIX
};

// How a FakeHost behaves where Windows leaves a choice, or where a test wants a smaller world.
struct FakeHostOptions {
  // The dynamic port range (host byte order, inclusive) that wildcard acquires and bind(port 0)
  // draw from: the Windows Vista+ range by default, a few ports for a test of exhaustion.
  std::uint16_t dynamic_first_port = 49152;
  std::uint16_t dynamic_last_port = 65535;
  // On: a runtime reservation keeps the ports out of both protocols: acquires, persistent
  // creates and ephemeral binds of the other protocol avoid it too (explicit binds of the other
  // protocol are still allowed). Off (the default): TCP and UDP reservations are independent,
  // as Windows lists, stores and configures exclusions per protocol. Neither is confirmed for
  // runtime reservations; the option is for machines that show otherwise (docs/fidelity.md).
  bool runtime_reservations_span_protocols = false;
  // Reboot() hands persistent reservations new tokens (the documentation says a token may
  // change at every restart). Off: they keep them.
  bool persistent_tokens_change_on_reboot = true;
  // An explicit bind() to a port of a persistent block succeeds (most reports). Off: it fails
  // with WSAEACCES unless the socket is associated with that block, as MsQuic's documentation
  // describes; reports disagree, possibly by Windows build (docs/fidelity.md).
  bool persistent_blocks_allow_explicit_bind = true;
  // Seeds tokens and probabilistic faults: the same seed replays the same run.
  std::uint64_t seed = 0x706f7274726573;  // "portres"
  // How many of each process's most recent calls CallLog() keeps.
  std::size_t call_log_capacity = 256;
  AssumedErrors assumed;
  // Per-protocol dynamic ranges, as `netsh int ipv4 set dynamic tcp|udp` sets them; a protocol
  // without one uses dynamic_first_port..dynamic_last_port.
  std::optional<PortRange> tcp_dynamic_range;
  std::optional<PortRange> udp_dynamic_range;
  // The system's own reservations, held from construction on.
  SystemReservations system;
  // Wildcard acquires take a seeded, scattered free block rather than the lowest best fit, so
  // code that assumes granted blocks start low, or follow each other, is caught.
  bool scatter_wildcard_acquires = false;
  // A platform without the reservation IOCTLs (Wine, older Windows): they answer WSAEOPNOTSUPP;
  // overlapped, they pend and complete with WSAEOPNOTSUPP at once, as Wine does.
  bool reservation_ioctls_unsupported = false;
  // A platform whose iphlpapi lacks the six persistent-reservation functions, or exports them
  // as stubs: each answers ERROR_NOT_SUPPORTED.
  bool iphlpapi_absent = false;
  // How many processors SIO_CPU_AFFINITY may name (indexes 0..processor_count-1).
  std::uint16_t processor_count = 8;
};

// A reservation as the host sees it.
struct ReservationInfo {
  Protocol protocol = Protocol::kTcp;
  ReservationKind kind = ReservationKind::kRuntime;
  std::uint16_t first_port = 0;  // host byte order
  std::uint16_t port_count = 0;
  ULONG64 token = INVALID_PORT_RESERVATION_TOKEN;
  SOCKET owner_socket = INVALID_SOCKET;  // the acquiring socket; INVALID_SOCKET if persistent
  std::uint32_t owner_pid = 0;           // 0 if persistent
};

// An open socket as the host sees it.
struct SocketInfo {
  SOCKET handle = INVALID_SOCKET;
  // The process that opened it (FakeSocketIoctl::pid()).
  std::uint32_t pid = 0;
  // The address family, as socket() resolved it (AF_UNSPEC with a protocol: AF_INET).
  int af = 0;
  // The socket type, as socket() resolved it (0: picked by the protocol).
  int type = 0;
  // The protocol, as socket() resolved it (0: picked by the type; raw sockets keep theirs).
  int protocol = 0;
  bool bound = false;
  std::uint16_t port = 0;  // host byte order, when bound
  // The reservation SIO_ASSOCIATE_PORT_RESERVATION tied it to, if any.
  ULONG64 associated_token = INVALID_PORT_RESERVATION_TOKEN;
  // socket() sockets, and WSASocket ones opened with WSA_FLAG_OVERLAPPED.
  bool overlapped = true;
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

// GoogleTest printers (why they are declared here: <portres/gtest_printers.h>).

// Prints "TCP" or "UDP".
PORTRES_FAKE_API void PrintTo(Protocol protocol, std::ostream* os);
// Prints "runtime" or "persistent".
PORTRES_FAKE_API void PrintTo(ReservationKind kind, std::ostream* os);
// Prints "TCP 5000..5019 token 0x2a (runtime, socket 0x104, pid 1000)".
PORTRES_FAKE_API void PrintTo(const ReservationInfo& reservation, std::ostream* os);
// Prints "socket 0x108 (UDP, port 5003, pid 1000)".
PORTRES_FAKE_API void PrintTo(const SocketInfo& socket, std::ostream* os);
class FakeHost;
// Prints the host's reservations and dynamic ranges as netsh lists them (NetshListing in
// <portres/netsh.h>).
PORTRES_FAKE_API void PrintTo(const FakeHost& host, std::ostream* os);

namespace detail {
class HostState;
struct HostAccess;
}  // namespace detail

// One simulated Windows machine, shared by the simulated processes on it (see the top of this
// file). Held by std::shared_ptr when several processes share it.
class PORTRES_FAKE_API FakeHost {
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

  // The process id that holds the system's own runtime reservations (Windows' System process):
  // those of SystemReservations and the runtime rows of a loaded netsh listing.
  static constexpr std::uint32_t kSystemPid = 4;

  // The dynamic port range of `protocol`: wildcard acquires and bind(port 0) draw from it.
  PortRange DynamicPortRange(Protocol protocol) const;
  // Sets it, as `netsh int ipv4 set dynamic` does; it survives Reboot(). Throws
  // std::invalid_argument (and changes nothing) for a range that is empty, holds port 0 or
  // ends before it starts.
  void SetDynamicPortRange(Protocol protocol, PortRange range);

  // Has the system hold `blocks` blocks of `block_size` ports in each protocol's dynamic range,
  // at seeded scattered starts, in place of those it held; returns how many it placed (fewer
  // when the range has no room). Throws std::invalid_argument for a block_size of 0.
  std::size_t HoldSystemBlocks(std::size_t blocks, std::uint16_t block_size = 100);
  // Restarts the service that holds them (`net stop winnat` / `net start winnat`): they end and
  // are placed anew, elsewhere; returns how many it placed.
  std::size_t RestartSystemService();

 private:
  friend class FakeSocketIoctl;
  friend class FakeIpHelper;
  friend struct detail::HostAccess;
  std::unique_ptr<detail::HostState> state_;
};

}  // namespace portres

#endif  // PORTRES_FAKE_HOST_H
