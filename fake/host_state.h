// HostState: everything one simulated Windows machine knows, behind one mutex.
//
// FakeHost, FakeSocketIoctl and FakeIpHelper are thin views: each public call takes the lock
// once, runs one of the operations below to the end, and releases it. Completion routines of
// overlapped calls are collected and run by the caller after the lock is released, so user
// code never runs under the fake's lock.
//
// Data structures (docs/performance.md says why): per protocol, the reservations in a
// BlockTable indexed by first port (blocks of one protocol never overlap), the bound ports in a
// PortSet, and a FreePortIndex of the dynamic range; all are port-indexed bitmaps and arrays, no
// trees. Tokens encode (serial, protocol, first port) through a seeded 64-bit permutation, so a
// token finds its block with one lookup and no token table.
#ifndef PORTRES_FAKE_HOST_STATE_H
#define PORTRES_FAKE_HOST_STATE_H

#include <portres/call_log.h>
#include <portres/fake_host.h>
#include <portres/fault.h>
#include <portres/winsock.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "block_table.h"
#include "fault_set.h"
#include "free_port_index.h"
#include "port_set.h"

namespace portres::detail {

constexpr std::uint32_t kLastPort = 65535;

// A completion routine to run once the lock is released.
struct Completion {
  LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = nullptr;
  DWORD error = 0;
  DWORD bytes = 0;
  LPWSAOVERLAPPED overlapped = nullptr;
};
using Completions = std::vector<Completion>;
void RunCompletions(const Completions& completions);

struct PortSpace {
  explicit PortSpace(std::uint32_t dynamic_first, std::uint32_t dynamic_last)
      : free(dynamic_first, dynamic_last) {}
  BlockTable blocks;   // never overlapping
  PortSet bound;       // ports a socket is bound to
  FreePortIndex free;  // dynamic range: ports nothing covers
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
  // knows its index here, so releasing one is a swap with the last (O(1), not a search).
  std::vector<ULONG64> owned;
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
};

struct Process {
  Process(std::uint32_t id, bool is_elevated, bool pend, std::uint64_t seed)
      : pid(id), elevated(is_elevated), pend_overlapped(pend), faults(seed) {}
  std::uint32_t pid;
  bool elevated;
  bool pend_overlapped;
  FaultSet faults;
  std::uint64_t call_count = 0;
  std::vector<CallRecord> log;  // a ring once it reaches the capacity
  std::size_t log_next = 0;
  std::vector<SOCKET> sockets;  // open sockets, in opening order
  std::vector<PendingCall> pending;
  std::unordered_map<LPWSAOVERLAPPED, OverlappedStatus> overlapped;
  std::unordered_map<std::thread::id, int> last_error;
};

// The outcome of one Winsock-shaped call: its return value and the error to set (0: none).
struct Outcome {
  int result = 0;
  int error = 0;
};

class HostState {
 public:
  explicit HostState(const FakeHostOptions& options);

  const FakeHostOptions& options() const noexcept { return options_; }

  // Processes.
  std::uint32_t AddProcess(bool elevated, bool pend_overlapped);
  void RemoveProcess(std::uint32_t pid);  // process exit: closes its sockets

  // Winsock, for process `pid`. Each locks.
  SOCKET Socket(std::uint32_t pid, int af, int type, int protocol);
  int CloseSocket(std::uint32_t pid, SOCKET s, Completions& completions);
  int Bind(std::uint32_t pid, SOCKET s, const sockaddr* name, int namelen);
  int GetSockName(std::uint32_t pid, SOCKET s, sockaddr* name, int* namelen);
  int Ioctl(std::uint32_t pid, SOCKET s, DWORD code, LPVOID in, DWORD in_size, LPVOID out,
            DWORD out_size, LPDWORD bytes_returned, LPWSAOVERLAPPED overlapped,
            LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, Completions& completions);
  BOOL GetOverlappedResult(std::uint32_t pid, SOCKET s, LPWSAOVERLAPPED overlapped, LPDWORD bytes,
                           BOOL wait, LPDWORD flags, Completions& completions);
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
  std::uint64_t CallCount(std::uint32_t pid);

  // iphlpapi persistent reservations; `first` in host byte order. Win32 codes.
  ULONG CreatePersistent(Protocol protocol, bool elevated, std::uint32_t first, std::uint32_t count,
                         PULONG64 token);
  ULONG DeletePersistent(Protocol protocol, bool elevated, std::uint32_t first,
                         std::uint32_t count);
  ULONG LookupPersistent(Protocol protocol, std::uint32_t first, std::uint32_t count,
                         PULONG64 token);

  // The host.
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
  void RebuildFreeIndexLocked(Protocol protocol, std::uint32_t first, std::uint32_t last);
  // A seeded, scattered start for `count` free ports of the dynamic range, or none.
  std::optional<std::uint32_t> ScatteredFit(Protocol protocol, std::uint32_t count);
  std::uint64_t NextPlacementRandom();

 private:
  // One call in progress: its Call, its record, and how it ends.
  class CallScope;

  Process& ProcessOf(std::uint32_t pid);
  SocketState* FindSocket(const Process& process, SOCKET s);
  PortSpace& Space(Protocol protocol) { return spaces_[static_cast<int>(protocol)]; }
  static Protocol Other(Protocol protocol) {
    return protocol == Protocol::kTcp ? Protocol::kUdp : Protocol::kTcp;
  }

  // Tokens.
  ULONG64 IssueToken(Protocol protocol, std::uint32_t first);
  // The live block a token names (null if none), and its protocol.
  std::pair<Protocol, Block*> FindBlock(ULONG64 token);

  // The port space.
  bool Conflicts(Protocol protocol, std::uint32_t first, std::uint32_t last);
  void AddBlock(Protocol protocol, const Block& block);
  // Removes `block` (a copy: the table moves blocks as it erases).
  void RemoveBlock(Protocol protocol, Block block);
  // Returns to the free index the ports of first..last that nothing covers any more.
  // `removed_from`: the protocol a block covering first..last was just removed from. Its blocks
  // cover none of those ports any more (blocks of one protocol never overlap), so they are not
  // searched: a release then walks none of the blocks of the protocol it released from.
  void Vacate(Protocol protocol, std::uint32_t first, std::uint32_t last,
              std::optional<Protocol> removed_from = std::nullopt);
  void Unbind(SocketState& socket);
  void CloseSocketLocked(Process& process, SOCKET s, Completions& completions);

  // IOCTL semantics (after argument checks), shared by synchronous and pending calls.
  int Execute(Process& process, SOCKET s, const PendingCall& call, DWORD* bytes,
              CallRecord& record);
  int Acquire(Process& process, SOCKET s, SocketState& socket, const INET_PORT_RANGE& range,
              LPVOID out, DWORD* bytes, CallRecord& record);
  int Release(Process& process, ULONG64 token);
  int Associate(Process& process, SocketState& socket, ULONG64 token);
  // Completes the pending call on `overlapped`: runs it, or fails it with `error`.
  bool CompletePendingLocked(Process& process, LPWSAOVERLAPPED overlapped, std::optional<int> error,
                             Completions& completions);
  void FinishOverlapped(Process& process, const PendingCall& call, int error, DWORD bytes,
                        Completions& completions);
  void SignalEvent(HANDLE event);

  std::mutex mutex_;
  FakeHostOptions options_;
  std::array<PortSpace, 2> spaces_;
  std::map<std::uint32_t, Process> processes_;
  std::map<SOCKET, SocketState> sockets_;
  std::map<std::uintptr_t, bool> events_;  // handle -> signaled
  std::uint32_t next_pid_ = 1000;
  SOCKET next_socket_ = 0x100;
  std::uintptr_t next_event_ = 0x10000;
  std::uint64_t next_serial_ = 1;
  std::uint64_t token_key_;
  // The machine's own state (netsh_machine.cpp).
  std::uint64_t placement_random_ = options_.seed ^ 0x77696e6e6174ULL;  // "winnat"
  std::size_t service_blocks_wanted_ = 0;
  std::uint16_t service_block_size_ = 100;
  std::vector<std::pair<Protocol, std::uint16_t>> service_blocks_;  // (protocol, first port)
  std::atomic<bool> has_before_faults_{false};
};

}  // namespace portres::detail

#endif  // PORTRES_FAKE_HOST_STATE_H
