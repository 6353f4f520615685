// HostState: everything one simulated Windows machine knows, behind one mutex.
//
// FakeHost, FakeSocketIoctl and FakeIpHelper are thin views: each public call takes the lock
// once, runs one of the operations below to the end, and releases it. Completion routines of
// overlapped calls are collected and run by the caller after the lock is released, so user
// code never runs under the fake's lock.
//
// Where each part lives:
//   host_rules.cpp     the rules of the simulated Windows, call by call (Winsock, iphlpapi, reboot)
//   port_spaces.h      the TCP and UDP port spaces: blocks, bound ports, free runs
//   token_codec.h      tokens and the block each one names
//   processes.h        what the host keeps per process, socket and overlapped call
//   call_scope.h       one call in progress: numbering, faults, the log, the last error
//   call_log.cpp       the log and the last error, read back
//   events.cpp         event objects
//   introspection.cpp  Reservations(), Sockets() and the counts
//   reasons.h, .cpp    the reasons, in words, that go with refusals (CallRecord::reason)
//   host_state.cpp     construction, processes, lookups, test controls
//   netsh_machine.cpp  the machine's own state: netsh listings, dynamic ranges, system blocks
// docs/performance.md says why the port spaces are port-indexed bitmaps and arrays, not trees,
// and why tokens are decoded rather than looked up.
#ifndef PORTRES_FAKE_HOST_STATE_H
#define PORTRES_FAKE_HOST_STATE_H

#include <portres/call_log.h>
#include <portres/fake_host.h>
#include <portres/fault.h>
#include <portres/winsock.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "block_table.h"
#include "events.h"
#include "port_spaces.h"
#include "processes.h"
#include "token_codec.h"

namespace portres::detail {

class CallScope;

// What a WSPIoctl adds to an IOCTL: its error goes to *error, never to the thread's last error,
// and it may lack the WSATHREADID its completion routine needs.
struct ProviderCall {
  int* error = nullptr;
  bool has_thread_id = true;
};

// socket()'s three arguments.
struct SocketTriple {
  int af = 0;
  int type = 0;
  int protocol = 0;
};

class HostState {
 public:
  explicit HostState(const FakeHostOptions& options);

  const FakeHostOptions& options() const noexcept { return options_; }

  std::uint32_t AddProcess(bool elevated, bool pend_overlapped);
  void RemoveProcess(std::uint32_t pid);  // process exit: closes its sockets

  // Winsock, for process `pid`.
  SOCKET Socket(std::uint32_t pid, int af, int type, int protocol);
  int CloseSocket(std::uint32_t pid, SOCKET s, Completions& completions);
  int Bind(std::uint32_t pid, SOCKET s, const sockaddr* name, int namelen);
  int GetSockName(std::uint32_t pid, SOCKET s, sockaddr* name, int* namelen);
  int Ioctl(std::uint32_t pid, SOCKET s, DWORD code, LPVOID in, DWORD in_size, LPVOID out,
            DWORD out_size, LPDWORD bytes_returned, LPWSAOVERLAPPED overlapped,
            LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, Completions& completions,
            const ProviderCall* provider = nullptr);  // set: a WSPIoctl
  BOOL GetOverlappedResult(std::uint32_t pid, SOCKET s, LPWSAOVERLAPPED overlapped, LPDWORD bytes,
                           BOOL wait, LPDWORD flags, Completions& completions);
  // The rest of the surface (surface_rules.cpp).
  void RequireStartup(std::uint32_t pid, bool required);
  int Startup(std::uint32_t pid, WORD version, LPWSADATA data);
  int Cleanup(std::uint32_t pid, Completions& completions);
  SOCKET OpenSocket(std::uint32_t pid, Api api, SocketTriple triple, GROUP group, DWORD flags);
  int SetSockOpt(std::uint32_t pid, SOCKET s, int level, int optname, const char* optval,
                 int optlen);
  int GetSockOpt(std::uint32_t pid, SOCKET s, int level, int optname, char* optval, int* optlen);
  int Connect(std::uint32_t pid, SOCKET s, const sockaddr* name, int namelen);
  int Listen(std::uint32_t pid, SOCKET s, int backlog);
  SOCKET Accept(std::uint32_t pid, SOCKET s, sockaddr* addr, int* addrlen);
  int GetPeerName(std::uint32_t pid, SOCKET s, sockaddr* name, int* namelen);
  int IoctlSocket(std::uint32_t pid, SOCKET s, long cmd, u_long* argp);
  int LastError(std::uint32_t pid);
  void SetLastError(std::uint32_t pid, int error);

  WSAEVENT CreateEvent();
  bool CloseEvent(std::uint32_t pid, WSAEVENT event);
  bool SetEvent(std::uint32_t pid, WSAEVENT event, bool signaled);
  bool IsEventSignaled(WSAEVENT event);

  // Test controls.
  void Inject(std::uint32_t pid, Fault fault);
  void ClearFaults(std::uint32_t pid);
  std::vector<LPWSAOVERLAPPED> PendingCalls(std::uint32_t pid);
  bool CompletePending(std::uint32_t pid, LPWSAOVERLAPPED overlapped, std::optional<int> error,
                       Completions& completions);
  std::size_t CompleteAllPending(std::uint32_t pid, Completions& completions);
  std::vector<CallRecord> CallLog(std::uint32_t pid);
  std::optional<CallRecord> LastFailure(std::uint32_t pid);
  std::uint64_t CallCount(std::uint32_t pid);

  // iphlpapi persistent reservations; `first` in host byte order. Win32 codes.
  ULONG CreatePersistent(Protocol protocol, bool elevated, std::uint32_t first, std::uint32_t count,
                         PULONG64 token);
  ULONG DeletePersistent(Protocol protocol, bool elevated, std::uint32_t first,
                         std::uint32_t count);
  ULONG LookupPersistent(Protocol protocol, std::uint32_t first, std::uint32_t count,
                         PULONG64 token);

  void Reboot();
  std::vector<ReservationInfo> Reservations(std::optional<std::uint32_t> pid);
  std::vector<SocketInfo> Sockets(std::optional<std::uint32_t> pid);
  std::size_t ReservationCount();
  std::size_t SocketCount();

  // ---- The machine's own state: netsh listings, dynamic ranges, the system's blocks
  // (netsh_machine.cpp) and faults that run an action before a call (fault.cpp).
  struct MachineRow {
    Protocol protocol = Protocol::kTcp;
    std::uint32_t first = 0;
    std::uint32_t last = 0;
    bool persistent = false;
    std::size_t tag = 0;  // the caller's name for the row (its line)
  };
  struct MachineConflict {
    std::size_t tag = 0;
    std::string reason;
  };
  // Adds the rows (runtime ones held by the System process) and sets the ranges, all or
  // nothing; a row the host already holds as stated is kept, not added twice.
  std::optional<MachineConflict> LoadMachine(const std::vector<MachineRow>& rows,
                                             const std::array<std::optional<PortRange>, 2>& ranges);
  PortRange DynamicRange(Protocol protocol);
  void SetDynamicRange(Protocol protocol, PortRange range);
  std::size_t HoldSystemBlocks(std::size_t blocks, std::uint16_t block_size);
  std::size_t RestartSystemService();
  // Runs, without the lock, the actions of Fault::Before faults that hit the call `pid` is
  // about to make.
  void RunBeforeActions(std::uint32_t pid, Api api, SOCKET s, DWORD code, bool overlapped);

 private:
  // Construction and Reboot() hooks of the machine's own state (netsh_machine.cpp).
  void ApplyMachineOptions();
  std::vector<std::pair<Protocol, Block>> KeepSystemRowsLocked();
  void RestoreSystemRowsLocked(const std::vector<std::pair<Protocol, Block>>& rows);
  std::size_t PlaceServiceBlocksLocked();
  // A seeded, scattered start for `count` free ports of the dynamic range, or none.
  std::optional<std::uint32_t> ScatteredFit(Protocol protocol, std::uint32_t count);
  std::uint64_t NextPlacementRandom();

  Process& ProcessOf(std::uint32_t pid) { return processes_.at(pid); }
  // The socket `s` of `process`, or null (another process's handle is no socket to it).
  SocketState* FindSocket(const Process& process, SOCKET s);
  // The live block a token names (null if none), and its protocol.
  std::pair<Protocol, Block*> FindBlock(ULONG64 token);
  // Ends a reservation: out of its owner socket's list, out of the port space.
  void EndReservation(Protocol protocol, Block block);  // a copy: the table moves blocks

  // The reasons that go with refusals (reasons.cpp).
  std::string WhyNoSocket(const Process& process, SOCKET s) const;
  std::string BoundBy(Protocol protocol, std::uint32_t port) const;  // "socket 0x108 of pid 1000"
  std::string WhyConflict(Protocol protocol, std::uint32_t first, std::uint32_t count,
                          const Conflict& conflict) const;

  // The parts of the rules that more than one call shares (host_rules.cpp).
  void CloseSocketLocked(Process& process, SOCKET s, Completions& completions);
  // A new socket's state under handle `s`, in the node a closed socket left when there is one.
  SocketState& AddSocket(SOCKET s);
  // Each writes the call's results into `record` and, when it refuses, its reason into `why`.
  int Execute(Process& process, SOCKET s, SocketState& socket, const PendingCall& call,
              DWORD* bytes, CallFields& record, std::string& why);
  int Acquire(Process& process, SOCKET s, SocketState& socket, const INET_PORT_RANGE& range,
              LPVOID out, DWORD* bytes, CallFields& record, std::string& why);
  int Release(Process& process, ULONG64 token, std::string& why);
  int Associate(Process& process, SOCKET s, SocketState& socket, ULONG64 token, std::string& why);
  // Completes the pending call on `overlapped`: runs it, or fails it with `error`.
  bool CompletePendingLocked(Process& process, LPWSAOVERLAPPED overlapped, std::optional<int> error,
                             Completions& completions);
  void FinishOverlapped(Process& process, const PendingCall& call, int error, DWORD bytes,
                        Completions& completions, std::string reason = {});
  // Ends the socket's pending calls with WSA_OPERATION_ABORTED (closesocket, SIO_FLUSH).
  void AbortPending(Process& process, SOCKET s, Completions& completions,
                    const std::string& reason);
  int Flush(Process& process, CallScope& call, SOCKET s, LPDWORD bytes_returned,
            LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
            Completions& completions);

  // The rest of the surface (surface_rules.cpp).
  int BindImplicitly(SocketState& socket);
  static BindMode ModeOf(const SocketState& socket);
  int CpuAffinity(SocketState& socket, const void* in, DWORD in_size, CallFields& record);
  int ShareBoundPort(const Process& process, SOCKET s, const SocketState& socket,
                     std::uint32_t port);
  void UnbindShared(SocketState& socket);

  std::mutex mutex_;
  FakeHostOptions options_;
  PortSpaces ports_;
  TokenCodec tokens_;
  EventTable events_;
  std::map<std::uint32_t, Process> processes_;
  std::map<SOCKET, SocketState> sockets_;
  // The node of the socket closed last, for the next socket(): with it, and the capacity its
  // vectors keep, a socket's life allocates nothing once a test is under way.
  std::map<SOCKET, SocketState>::node_type spare_socket_;
  std::uint32_t next_pid_ = 1000;
  SOCKET next_socket_ = 0x100;
  // The machine's own state (netsh_machine.cpp).
  std::uint64_t placement_random_ = options_.seed ^ 0x77696e6e6174ULL;  // "winnat"
  std::size_t service_blocks_wanted_ = 0;
  std::uint16_t service_block_size_ = 100;
  std::vector<std::pair<Protocol, std::uint16_t>> service_blocks_;  // (protocol, first port)
  std::atomic<bool> has_before_faults_{false};
  // Per protocol and port: how many sockets beyond the first hold a bound port (shared with
  // SO_REUSEADDR, SIO_CPU_AFFINITY or accept()).
  std::map<std::pair<Protocol, std::uint32_t>, std::uint32_t> sharers_;
};

// Inline: every acquire, release and close runs them, and the rules call them from their own
// translation unit.
inline std::pair<Protocol, Block*> HostState::FindBlock(ULONG64 token) {
  const TokenCodec::Place place = tokens_.Decode(token);
  Block* block = ports_.blocks(place.protocol).Find(place.first);
  if (token == INVALID_PORT_RESERVATION_TOKEN || block == nullptr || block->token != token) {
    block = nullptr;
  }
  return {place.protocol, block};
}

inline void HostState::EndReservation(Protocol protocol, Block block) {
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
  ports_.RemoveBlock(protocol, block);
}

}  // namespace portres::detail

#endif  // PORTRES_FAKE_HOST_STATE_H
