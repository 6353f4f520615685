// ReferenceModel: a deliberately naive second implementation of the fake's rules, for the
// differential test (differential_test.cpp).
//
// It shares no code and no data structure with fake/host_state.cpp: each protocol is two arrays
// of 65536 entries (which reservation covers a port, which sockets are bound to it) and every
// question is answered by a linear scan. It is written from the rules as documented: the
// reference (docs/reference.md), the comments of
// <portres/fake_host.h> (FakeHostOptions, AssumedErrors) and docs/fidelity.md. Being slow and
// obvious is the point: where it and the fake disagree, one of them misreads a rule.
//
// Sockets and tokens are the model's own small integers; the test maps the fake's handles and
// tokens onto them as they are issued (tokens are opaque, so only their identity is compared).
#ifndef PORTRES_TESTS_MODEL_REFERENCE_MODEL_H
#define PORTRES_TESTS_MODEL_REFERENCE_MODEL_H

#include <portres/fake_host.h>
#include <portres/winsock.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace portres::model {

using ModelToken = std::uint64_t;  // 1, 2, 3, ...; 0 is INVALID_PORT_RESERVATION_TOKEN
// A token no reservation ever had (a bogus value the test passes).
constexpr ModelToken kUnknownToken = ~ModelToken{0};

struct ModelReservation {
  bool live = false;
  Protocol protocol = Protocol::kTcp;
  ReservationKind kind = ReservationKind::kRuntime;
  std::uint32_t first = 0;
  std::uint32_t count = 0;
  ModelToken token = 0;
  int owner_socket = -1;   // runtime only
  int owner_process = -1;  // runtime only
};

// The options a bind was made with, as the SO_REUSEADDR table names its rows and columns
// [ref:reuseaddr].
enum class ModelBindMode { kDefault, kReuse, kExclusive };

struct ModelSocket {
  bool open = false;
  int process = -1;
  int af = 0;
  int type = 0;
  int protocol = 0;
  std::optional<Protocol> transport;
  bool bound = false;
  std::uint32_t port = 0;
  std::vector<std::uint8_t> address;  // as bound, with the port it got
  ModelToken associated = 0;
  // The rest of the surface [ref:connect-listen][ref:reuseaddr][ref:cpu-affinity].
  bool overlapped = true;  // socket(), or WSASocket with WSA_FLAG_OVERLAPPED
  bool non_blocking = false;
  bool reuse_address = false;
  bool exclusive_address = false;
  bool v6only = true;
  std::optional<int> processor;  // SIO_CPU_AFFINITY
  ModelBindMode bound_mode = ModelBindMode::kDefault;
  bool listening = false;
  int backlog = 0;
  std::vector<std::vector<std::uint8_t>> waiting;  // connectors' local addresses, oldest first
  bool connected = false;
  std::vector<std::uint8_t> peer;
};

// The arguments of a WSAIoctl call as the model sees them: what the buffers hold and whether
// the pointers are null.
struct IoctlArguments {
  DWORD code = 0;
  bool in_present = true;
  std::uint32_t in_size = 0;
  INET_PORT_RANGE range{};  // the input's first 4 bytes, when it is a range
  ModelToken token = 0;     // the input's first 8 bytes, when it is a token
  bool out_present = true;
  std::uint32_t out_size = 0;
  bool bytes_present = true;
  bool overlapped = false;  // an OVERLAPPED was passed
  bool pend = false;        // and the call is to be left pending (Fault::Pend)
  USHORT processor = 0;     // the input's first 2 bytes, for SIO_CPU_AFFINITY
};

struct IoctlOutcome {
  int error = 0;                    // 0: success
  std::optional<DWORD> bytes;       // what *lpcbBytesReturned holds afterwards, if written
  bool wrote_instance = false;      // acquire succeeded: the instance below was written
  std::uint32_t granted_first = 0;  // host byte order
  std::uint32_t granted_count = 0;
  ModelToken granted_token = 0;
  // The call used its OVERLAPPED: a socket without the overlapped attribute ignores it.
  bool used_overlapped = false;
};

class ReferenceModel {
 public:
  explicit ReferenceModel(const FakeHostOptions& options);

  int AddProcess(bool elevated);  // returns the model's process number
  void ExitProcess(int process);

  // socket(): the new socket's number, or -1 and the error.
  int Socket(int process, int af, int type, int protocol, int* error);
  // WSASocketW / WSASocketA with a null lpProtocolInfo: socket()'s rules, the group, and the
  // overlapped attribute from the flags.
  int WSASocket(int process, int af, int type, int protocol, GROUP group, DWORD flags, int* error);
  int CloseSocket(int process, int socket);  // each returns the error, 0 on success
  int Bind(int process, int socket, const std::uint8_t* name, int namelen);
  // The int-valued options SO_REUSEADDR, SO_EXCLUSIVEADDRUSE and IPV6_V6ONLY (and the refusals
  // of any other level or option). Null pointers are nullptr; getsockopt writes `*value`.
  int SetSockOpt(int process, int socket, int level, int optname, const std::uint8_t* optval,
                 int optlen);
  int GetSockOpt(int process, int socket, int level, int optname, bool optval_present, int* optlen,
                 int* value);
  int Connect(int process, int socket, const std::uint8_t* name, int namelen);
  int Listen(int process, int socket, int backlog);
  // On success `*accepted` is the new socket and `*peer` the connector's address (written to
  // the caller's buffer when `addr_present`).
  int Accept(int process, int socket, bool addr_present, int* addrlen,
             std::vector<std::uint8_t>* peer, int* accepted);
  int GetPeerName(int process, int socket, std::vector<std::uint8_t>* name, int* namelen,
                  bool name_present);
  int IoctlSocket(int process, int socket, long cmd, const u_long* argp);
  // On success `name` receives the address and `*namelen` its length.
  int GetSockName(int process, int socket, std::vector<std::uint8_t>* name, int* namelen,
                  bool name_present, bool namelen_present);
  // A call that passes the argument checks with `pend` set answers WSA_IO_PENDING and does
  // nothing until CompleteIoctl runs it (the input was captured at the call).
  IoctlOutcome Ioctl(int process, int socket, const IoctlArguments& arguments);
  IoctlOutcome CompleteIoctl(int process, int socket, const IoctlArguments& arguments);

  // iphlpapi; Win32 codes. `first` is host byte order.
  ULONG CreatePersistent(Protocol protocol, bool elevated, std::uint32_t first, std::uint32_t count,
                         bool token_present, ModelToken* token);
  ULONG DeletePersistent(Protocol protocol, bool elevated, std::uint32_t first,
                         std::uint32_t count);
  ULONG LookupPersistent(Protocol protocol, std::uint32_t first, std::uint32_t count,
                         bool token_present, ModelToken* token);

  void Reboot();  // also ends the System's blocks; the test tells the model where the fake
                  // placed the new ones

  // The System process's runtime blocks (FakeHost::kSystemPid): the fake places them (seeded,
  // scattered), and the test tells the model each one, as it finds them. Returns its token.
  static constexpr int kSystemProcess = -2;
  ModelToken AddSystemBlock(Protocol protocol, std::uint32_t first, std::uint32_t count);

  // What the model holds, for comparison with FakeHost's introspection.
  const std::vector<ModelReservation>& reservations() const { return reservations_; }
  const std::vector<ModelSocket>& sockets() const { return sockets_; }

 private:
  struct PortSpace {
    std::vector<int> reserved_by;            // port -> reservation index, or -1
    std::vector<std::vector<int>> bound_by;  // port -> the sockets bound there, oldest first
  };

  PortSpace& Space(Protocol protocol) { return spaces_[protocol == Protocol::kTcp ? 0 : 1]; }
  static Protocol Other(Protocol protocol) {
    return protocol == Protocol::kTcp ? Protocol::kUdp : Protocol::kTcp;
  }
  // The dynamic range of `protocol`: its own when the options give one, else the shared one;
  // port 0 is no port, so a range given from 0 starts at 1.
  std::uint32_t DynamicFirst(Protocol protocol) const {
    const auto& own =
        protocol == Protocol::kTcp ? options_.tcp_dynamic_range : options_.udp_dynamic_range;
    return std::max<std::uint32_t>(1, own ? own->first_port : options_.dynamic_first_port);
  }
  std::uint32_t DynamicLast(Protocol protocol) const {
    const auto& own =
        protocol == Protocol::kTcp ? options_.tcp_dynamic_range : options_.udp_dynamic_range;
    return own ? own->last_port : options_.dynamic_last_port;
  }
  bool IsOpenIn(int process, int socket) const;
  // The live reservation with this token, or -1.
  int FindToken(ModelToken token) const;
  // A port the system may hand out for `protocol` (wildcard acquires, ephemeral binds).
  bool FreeForSystem(Protocol protocol, std::uint32_t port);
  // A block first..last may be reserved for `protocol`.
  bool Conflicts(Protocol protocol, std::uint32_t first, std::uint32_t last);
  int AddReservation(const ModelReservation& reservation);
  void EndReservation(int index);
  void Close(int socket);
  void Unbind(int socket);
  void BindTo(int socket, std::uint32_t port);
  // 0 when `socket` may bind `port` beside the sockets already there, else the error.
  int ShareError(int socket, std::uint32_t port) const;
  // The port a bind to port 0 gets: from the associated reservation, else an ephemeral one;
  // 0 and the error when there is none.
  std::uint32_t ImplicitPort(int socket, int* error);

  int Acquire(int process, int socket, const INET_PORT_RANGE& range, IoctlOutcome& outcome);
  int Release(int process, ModelToken token);
  int Associate(int process, int socket, ModelToken token);
  IoctlOutcome CpuAffinity(int socket, const IoctlArguments& arguments, bool overlapped);

  FakeHostOptions options_;
  std::vector<bool> elevated_;  // by process
  std::vector<bool> alive_;     // by process
  PortSpace spaces_[2];
  std::vector<ModelReservation> reservations_;
  std::vector<ModelSocket> sockets_;
  ModelToken next_token_ = 1;
};

}  // namespace portres::model

#endif  // PORTRES_TESTS_MODEL_REFERENCE_MODEL_H
