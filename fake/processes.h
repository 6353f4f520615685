// What a host keeps of each simulated process and of each socket, and of the overlapped calls
// between them. Plain records: the rules (host_rules.cpp) change them under HostState's lock.
#ifndef PORTRES_FAKE_PROCESSES_H
#define PORTRES_FAKE_PROCESSES_H

#include <portres/call_log.h>
#include <portres/fake_host.h>
#include <portres/winsock.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fault_set.h"

namespace portres::detail {

// A completion routine to run once the lock is released, so that user code never runs under
// the fake's lock.
struct Completion {
  LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = nullptr;
  DWORD error = 0;
  DWORD bytes = 0;
  LPWSAOVERLAPPED overlapped = nullptr;
};
using Completions = std::vector<Completion>;
void RunCompletions(const Completions& completions);

// The option a socket's bind was made under, for the sharing table of [ref:reuseaddr].
enum class BindMode : unsigned char { kDefault, kReuse, kExclusive };

// A connection connect() made to a listening socket of the host, waiting for accept().
struct Connection {
  sockaddr_in6 peer{};  // the connecting socket's local address
  int peer_length = 0;
};

struct SocketState {
  std::uint32_t pid = 0;
  int af = 0;
  int type = 0;
  int protocol = 0;
  std::optional<Protocol> transport;  // TCP or UDP; empty for raw and AF_UNIX sockets
  bool bound = false;
  std::uint32_t port = 0;
  sockaddr_in6 address{};  // as bound (port included); sockaddr_in fits at its start
  int address_length = 0;
  ULONG64 associated = INVALID_PORT_RESERVATION_TOKEN;
  // Runtime reservations it acquired and that are live, in no particular order: each block
  // knows its index here (Block::owned_index), so releasing one is a swap with the last (O(1),
  // not a search).
  std::vector<ULONG64> owned;

  // The rest of the surface (surface_rules.cpp).
  bool overlapped_attribute = true;          // false: WSASocket without WSA_FLAG_OVERLAPPED
  bool non_blocking = false;                 // ioctlsocket(FIONBIO)
  bool reuse_address = false;                // SO_REUSEADDR
  bool exclusive_address = false;            // SO_EXCLUSIVEADDRUSE
  bool v6only = true;                        // IPV6_V6ONLY: on by default on Windows
  bool no_delay = false;                     // TCP_NODELAY
  int receive_buffer = 65536;                // SO_RCVBUF
  int send_buffer = 65536;                   // SO_SNDBUF
  std::optional<USHORT> processor;           // SIO_CPU_AFFINITY
  BindMode bound_mode = BindMode::kDefault;  // the options as they were at bind
  bool bound_wildcard = true;                // bound to the wildcard address (introspection)
  bool listening = false;
  int backlog = 0;
  // Connections for accept(), oldest first. A vector, not a deque: libstdc++'s deque allocates
  // when it is constructed, and every socket() would pay for it.
  std::vector<Connection> waiting;
  bool connected = false;
  sockaddr_in6 peer{};  // connect()'s address, or the accepted connection's peer
  int peer_length = 0;
};

// The input of a pending IOCTL, copied at the call as Windows captures it.
struct PendingCall {
  SOCKET socket = INVALID_SOCKET;
  DWORD code = 0;
  INET_PORT_RANGE range{};
  ULONG64 token = 0;
  LPVOID out = nullptr;
  DWORD out_size = 0;
  LPWSAOVERLAPPED overlapped = nullptr;
  LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = nullptr;
  std::uint64_t call_index = 0;
};

struct OverlappedStatus {
  SOCKET socket = INVALID_SOCKET;
  bool pending = true;
  int error = 0;
  DWORD bytes = 0;
  std::string reason;  // why it failed, for WSAGetOverlappedResult's record
};

// A call as the log keeps it: CallRecord's fields and a handle on its reason, so that logging a
// call (every call, and most succeed) copies plain words, never a std::string. A literal reason
// (an injected fault's) is pointed to; a reason built for the call is kept beside the log
// (Process::reasons), only when the call failed. HostState::CallLog and LastFailure put the
// reason back.
struct LoggedCall {
  CallFields fields;
  const char* fixed_reason = nullptr;  // a literal; else the reason is in Process::reasons
};
static_assert(std::is_trivially_copyable_v<LoggedCall>, "logging a call copies plain words");

inline CallRecord ToRecord(const LoggedCall& entry, std::string reason) {
  CallRecord record;
  static_cast<CallFields&>(record) = entry.fields;
  record.reason =
      entry.fixed_reason != nullptr ? std::string(entry.fixed_reason) : std::move(reason);
  return record;
}

// The thread's last failed call (FakeSocketIoctl::LastFailure), with its reason when it was
// built for the call (empty when the call's reason is a literal).
struct FailedCall {
  LoggedCall call;
  std::string reason;
};

struct Process {
  Process(std::uint32_t id, bool is_elevated, bool pend, std::uint64_t seed)
      : pid(id), elevated(is_elevated), pend_overlapped(pend), faults(seed) {}
  std::uint32_t pid;
  bool elevated;
  bool pend_overlapped;
  FaultSet faults;
  std::uint64_t call_count = 0;
  std::vector<LoggedCall> log;  // a ring once it reaches the capacity
  LoggedCall scratch;           // the call in progress, when the log keeps none
  std::size_t log_next = 0;
  // The built reasons of the failed calls the log still holds, by call index: failures only,
  // so a process whose calls succeed never allocates here.
  std::unordered_map<std::uint64_t, std::string> reasons;
  std::vector<SOCKET> sockets;  // open sockets, in opening order
  std::vector<PendingCall> pending;
  std::unordered_map<LPWSAOVERLAPPED, OverlappedStatus> overlapped;
  std::unordered_map<std::thread::id, int> last_error;
  std::unordered_map<std::thread::id, FailedCall> last_failure;  // FakeSocketIoctl::LastFailure
  int startup_count = 0;         // WSAStartups not yet balanced by WSACleanup
  bool require_startup = false;  // FakeProcessOptions::require_wsastartup
};

}  // namespace portres::detail

#endif  // PORTRES_FAKE_PROCESSES_H
