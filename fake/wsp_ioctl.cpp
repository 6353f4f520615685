// The provider side of the fake: FakeSocketIoctl::WSPIoctl, the completion routines it queues
// to threads, and FakeProcTable. docs/reference.md#wspioctl has the contract, docs/fidelity.md
// ("WSPIoctl") what the fake makes of it.
//
// Completion routines. A provider does not run a routine itself: it queues it, with
// WPUQueueApc, to the thread the caller's WSATHREADID names, and Windows runs it when that
// thread next waits alertably. The fake does the same with what it has: WSPIoctl copies the
// WSATHREADID (the pointer is not valid after the call [ref:wspioctl]) and hands the host a
// trampoline instead of the routine. When the call completes (at once, or later through
// CompletePending, WSAGetOverlappedResult or closesocket, on whatever thread does that) the
// trampoline queues the routine to that thread; RunProviderApcs() on that thread is the
// alertable wait that runs it. What the fake cannot do: interrupt a thread that never waits
// (a routine queued to a thread that never calls RunProviderApcs stays queued, and is dropped
// with the fake), or reach a thread by a WSATHREADID it did not issue (ProviderThreadId).
//
// Provider tables. The entries of a WSPPROC_TABLE are plain function pointers with no context
// argument, and WSPSocket has no socket to look up, so a table cannot carry its fake. Instead
// there are kTableSlots sets of entries, each bound to at most one fake at a time: FakeProcTable
// binds the fake to a free slot (the same slot for as long as the fake lives) and returns that
// slot's entries. Limits: at most kTableSlots fakes hold a table at once (one more throws
// std::length_error); a table used after its fake is gone answers WSAENETDOWN, unless its slot
// has been given to another fake since (slots are reused oldest-freed first, so that takes
// kTableSlots more fakes with tables); a fake must not be destroyed while another thread is in
// one of its table's entries.
#include <portres/fake_socket_ioctl.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "host_state.h"

namespace portres {
namespace detail {

// A completion routine queued to a thread, waiting for its alertable wait.
struct QueuedApc {
  WSATHREADID thread{};
  LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = nullptr;
  DWORD error = 0;
  DWORD bytes = 0;
  LPWSAOVERLAPPED overlapped = nullptr;
  DWORD flags = 0;
};

struct ProviderState {
  explicit ProviderState(FakeSocketIoctl* owner) : fake(owner) {}
  ~ProviderState();
  ProviderState(const ProviderState&) = delete;
  ProviderState& operator=(const ProviderState&) = delete;

  FakeSocketIoctl* fake;
  mutable std::mutex mutex;
  std::unordered_map<std::thread::id, WSATHREADID> threads;
  std::vector<QueuedApc> apcs;  // in completion order
};

std::shared_ptr<ProviderState> MakeProviderState(FakeSocketIoctl* fake) {
  return std::make_shared<ProviderState>(fake);
}

namespace {

constexpr std::size_t kTableSlots = 64;
constexpr int kTableOfAGoneFake = WSAENETDOWN;

bool SameThread(const WSATHREADID& a, const WSATHREADID& b) {
  return a.ThreadHandle == b.ThreadHandle && a.Reserved == b.Reserved;
}

// A routine waiting for its call to complete: who queues it, to which thread.
struct RoutedCall {
  std::weak_ptr<ProviderState> state;
  LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = nullptr;
  WSATHREADID thread{};
};

// What every fake of the program shares: routed calls (the trampoline's only context is the
// WSAOVERLAPPED, unique among calls in flight), thread handles, and the table slots.
struct Registry {
  std::mutex mutex;
  std::unordered_map<LPWSAOVERLAPPED, RoutedCall> routed;
  std::uintptr_t next_thread_handle = 0x40000;  // unique across fakes, like real handles
  std::array<FakeSocketIoctl*, kTableSlots> slots{};
  std::size_t next_slot = 0;
  std::size_t slots_used = 0;
  // slots_used + routed.size(), readable without the lock: a fake that never met the registry
  // (most) finds it empty and leaves without taking the program-wide lock.
  std::atomic<std::size_t> entries{0};
  void Count() { entries.store(slots_used + routed.size(), std::memory_order_release); }
};

Registry& TheRegistry() {
  static Registry registry;
  return registry;
}

// Runs as the call's completion routine, on whatever thread completed it: queues the real one.
void CALLBACK QueueToCallersThread(DWORD error, DWORD bytes, LPWSAOVERLAPPED overlapped,
                                   DWORD flags) {
  RoutedCall routed;
  {
    Registry& registry = TheRegistry();
    std::lock_guard<std::mutex> lock(registry.mutex);
    auto it = registry.routed.find(overlapped);
    if (it == registry.routed.end()) return;
    routed = std::move(it->second);
    registry.routed.erase(it);
    registry.Count();
  }
  std::shared_ptr<ProviderState> state = routed.state.lock();
  if (!state) return;
  std::lock_guard<std::mutex> lock(state->mutex);
  state->apcs.push_back(QueuedApc{routed.thread, routed.routine, error, bytes, overlapped, flags});
}

}  // namespace

ProviderState::~ProviderState() {
  Registry& registry = TheRegistry();
  // Entries of this fake were made before it ends, so they are counted here if it has any.
  if (registry.entries.load(std::memory_order_acquire) == 0) return;
  std::lock_guard<std::mutex> lock(registry.mutex);
  for (FakeSocketIoctl*& slot : registry.slots) {
    if (slot == fake) {
      slot = nullptr;
      --registry.slots_used;
    }
  }
  for (auto it = registry.routed.begin(); it != registry.routed.end();) {
    it = it->second.state.expired() ? registry.routed.erase(it) : std::next(it);
  }
  registry.Count();
}

}  // namespace detail

// ---- WSPIoctl -------------------------------------------------------------------------------
int FakeSocketIoctl::WSPIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
                              LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
                              LPWSAOVERLAPPED lpOverlapped,
                              LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                              LPWSATHREADID lpThreadId, LPINT lpErrno) {
  // ws2_32 always passes lpErrno; without it a failure could not be told, so the call is
  // refused before it is counted, logged or faulted: SOCKET_ERROR, and nothing changes.
  if (lpErrno == nullptr) return SOCKET_ERROR;
  int error = 0;
  const detail::ProviderCall provider{&error, lpThreadId != nullptr};

  LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = lpCompletionRoutine;
  const bool routed =
      lpOverlapped != nullptr && lpCompletionRoutine != nullptr && lpThreadId != nullptr;
  detail::Registry& registry = detail::TheRegistry();
  if (routed) {
    std::lock_guard<std::mutex> lock(registry.mutex);
    // A copy of the WSATHREADID, not the pointer [ref:wspioctl].
    registry.routed[lpOverlapped] = detail::RoutedCall{provider_, lpCompletionRoutine, *lpThreadId};
    registry.Count();
    routine = &detail::QueueToCallersThread;
  }

  detail::Completions completions;
  const int result = host_->state_->Ioctl(pid_, s, dwIoControlCode, lpvInBuffer, cbInBuffer,
                                          lpvOutBuffer, cbOutBuffer, lpcbBytesReturned,
                                          lpOverlapped, routine, completions, &provider);
  if (result == SOCKET_ERROR) *lpErrno = error;
  if (routed && result == SOCKET_ERROR && error != WSA_IO_PENDING) {
    // Refused: it will never complete, so nothing is queued for it.
    std::lock_guard<std::mutex> lock(registry.mutex);
    registry.routed.erase(lpOverlapped);
    registry.Count();
  }
  detail::RunCompletions(completions);  // a routed call's trampoline only queues its routine
  return result;
}

WSATHREADID FakeSocketIoctl::ProviderThreadId() {
  std::lock_guard<std::mutex> lock(provider_->mutex);
  auto [it, inserted] = provider_->threads.try_emplace(std::this_thread::get_id());
  if (inserted) {
    detail::Registry& registry = detail::TheRegistry();
    std::lock_guard<std::mutex> registry_lock(registry.mutex);
    // NOLINTNEXTLINE(performance-no-int-to-ptr): a handle value, never dereferenced
    it->second.ThreadHandle = reinterpret_cast<HANDLE>(registry.next_thread_handle);
    registry.next_thread_handle += 4;
    it->second.Reserved = pid_;
  }
  return it->second;
}

std::size_t FakeSocketIoctl::RunProviderApcs() {
  const WSATHREADID self = ProviderThreadId();
  std::vector<detail::QueuedApc> mine;
  {
    std::lock_guard<std::mutex> lock(provider_->mutex);
    std::vector<detail::QueuedApc> others;
    for (detail::QueuedApc& apc : provider_->apcs) {
      (detail::SameThread(apc.thread, self) ? mine : others).push_back(apc);
    }
    provider_->apcs = std::move(others);
  }
  // Outside the lock: a routine may call into the fake, or queue more.
  for (const detail::QueuedApc& apc : mine) {
    apc.routine(apc.error, apc.bytes, apc.overlapped, apc.flags);
  }
  return mine.size();
}

std::size_t FakeSocketIoctl::QueuedProviderApcs() const {
  std::lock_guard<std::mutex> lock(provider_->mutex);
  return provider_->apcs.size();
}

// ---- FakeProcTable ----------------------------------------------------------------------------
namespace {

// The fake a slot is bound to, or null.
FakeSocketIoctl* SlotFake(std::size_t slot) {
  detail::Registry& registry = detail::TheRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  return registry.slots[slot];
}

// Runs a Winsock-shaped call of the fake as a provider entry: its failure goes to *lpErrno and
// the thread's last error is what it was before.
template <typename R, typename F>
R AsProvider(std::size_t slot, LPINT lpErrno, R failure, F call) {
  if (lpErrno == nullptr) return failure;  // as WSPIoctl: nowhere to report, so nothing is done
  FakeSocketIoctl* fake = SlotFake(slot);
  if (fake == nullptr) {
    *lpErrno = detail::kTableOfAGoneFake;
    return failure;
  }
  const int saved = fake->WSAGetLastError();
  const R result = call(*fake);
  if (result == failure) *lpErrno = fake->WSAGetLastError();
  fake->WSASetLastError(saved);
  return result;
}

// The entries portres models, bound to slot K. lpProtocolInfo, g and dwFlags of WSPSocket are
// not read: the fake opens the socket from (af, type, protocol), with the overlapped attribute.
template <std::size_t K>
struct SlotEntries {
  static SOCKET WSPAPI Socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW /*info*/,
                              GROUP /*g*/, DWORD /*flags*/, LPINT lpErrno) {
    return AsProvider(K, lpErrno, INVALID_SOCKET,
                      [&](FakeSocketIoctl& fake) { return fake.socket(af, type, protocol); });
  }
  static int WSPAPI CloseSocket(SOCKET s, LPINT lpErrno) {
    return AsProvider(K, lpErrno, SOCKET_ERROR,
                      [&](FakeSocketIoctl& fake) { return fake.closesocket(s); });
  }
  static int WSPAPI Bind(SOCKET s, const struct sockaddr* name, int namelen, LPINT lpErrno) {
    return AsProvider(K, lpErrno, SOCKET_ERROR,
                      [&](FakeSocketIoctl& fake) { return fake.bind(s, name, namelen); });
  }
  static int WSPAPI GetSockName(SOCKET s, struct sockaddr* name, LPINT namelen, LPINT lpErrno) {
    return AsProvider(K, lpErrno, SOCKET_ERROR,
                      [&](FakeSocketIoctl& fake) { return fake.getsockname(s, name, namelen); });
  }
  static BOOL WSPAPI GetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped,
                                         LPDWORD lpcbTransfer, BOOL fWait, LPDWORD lpdwFlags,
                                         LPINT lpErrno) {
    return AsProvider(K, lpErrno, static_cast<BOOL>(FALSE), [&](FakeSocketIoctl& fake) {
      return fake.WSAGetOverlappedResult(s, lpOverlapped, lpcbTransfer, fWait, lpdwFlags);
    });
  }
  static int WSPAPI Ioctl(SOCKET s, DWORD code, LPVOID in, DWORD in_size, LPVOID out,
                          DWORD out_size, LPDWORD bytes, LPWSAOVERLAPPED overlapped,
                          LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread,
                          LPINT lpErrno) {
    if (lpErrno == nullptr) return SOCKET_ERROR;
    FakeSocketIoctl* fake = SlotFake(K);
    if (fake == nullptr) {
      *lpErrno = detail::kTableOfAGoneFake;
      return SOCKET_ERROR;
    }
    return fake->WSPIoctl(s, code, in, in_size, out, out_size, bytes, overlapped, routine, thread,
                          lpErrno);
  }
};

// The entries portres does not model: WSAEOPNOTSUPP, as a provider without the feature says.
template <typename R>
R Unsupported(LPINT lpErrno, R failure) {
  if (lpErrno != nullptr) *lpErrno = WSAEOPNOTSUPP;
  return failure;
}
SOCKET WSPAPI NoAccept(SOCKET, struct sockaddr*, LPINT, LPCONDITIONPROC, DWORD_PTR, LPINT e) {
  return Unsupported(e, INVALID_SOCKET);
}
INT WSPAPI NoAddressToString(LPSOCKADDR, DWORD, LPWSAPROTOCOL_INFOW, LPWSTR, LPDWORD, LPINT e) {
  return Unsupported(e, SOCKET_ERROR);
}
int WSPAPI NoAsyncSelect(SOCKET, HWND, unsigned int, LONG, LPINT e) {
  return Unsupported(e, SOCKET_ERROR);
}
int WSPAPI NoCancelBlockingCall(LPINT e) { return Unsupported(e, SOCKET_ERROR); }
int WSPAPI NoCleanup(LPINT e) { return Unsupported(e, SOCKET_ERROR); }
int WSPAPI NoConnect(SOCKET, const struct sockaddr*, int, LPWSABUF, LPWSABUF, LPQOS, LPQOS,
                     LPINT e) {
  return Unsupported(e, SOCKET_ERROR);
}
int WSPAPI NoDuplicateSocket(SOCKET, DWORD, LPWSAPROTOCOL_INFOW, LPINT e) {
  return Unsupported(e, SOCKET_ERROR);
}
int WSPAPI NoEnumNetworkEvents(SOCKET, WSAEVENT, LPWSANETWORKEVENTS, LPINT e) {
  return Unsupported(e, SOCKET_ERROR);
}
int WSPAPI NoEventSelect(SOCKET, WSAEVENT, LONG, LPINT e) { return Unsupported(e, SOCKET_ERROR); }
int WSPAPI NoGetPeerName(SOCKET, struct sockaddr*, LPINT, LPINT e) {
  return Unsupported(e, SOCKET_ERROR);
}
int WSPAPI NoGetSockOpt(SOCKET, int, int, char*, LPINT, LPINT e) {
  return Unsupported(e, SOCKET_ERROR);
}
BOOL WSPAPI NoGetQOSByName(SOCKET, LPWSABUF, LPQOS, LPINT e) {
  return Unsupported(e, static_cast<BOOL>(FALSE));
}
SOCKET WSPAPI NoJoinLeaf(SOCKET, const struct sockaddr*, int, LPWSABUF, LPWSABUF, LPQOS, LPQOS,
                         DWORD, LPINT e) {
  return Unsupported(e, INVALID_SOCKET);
}
int WSPAPI NoListen(SOCKET, int, LPINT e) { return Unsupported(e, SOCKET_ERROR); }
int WSPAPI NoRecv(SOCKET, LPWSABUF, DWORD, LPDWORD, LPDWORD, LPWSAOVERLAPPED,
                  LPWSAOVERLAPPED_COMPLETION_ROUTINE, LPWSATHREADID, LPINT e) {
  return Unsupported(e, SOCKET_ERROR);
}
int WSPAPI NoRecvDisconnect(SOCKET, LPWSABUF, LPINT e) { return Unsupported(e, SOCKET_ERROR); }
int WSPAPI NoRecvFrom(SOCKET, LPWSABUF, DWORD, LPDWORD, LPDWORD, struct sockaddr*, LPINT,
                      LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE, LPWSATHREADID, LPINT e) {
  return Unsupported(e, SOCKET_ERROR);
}
int WSPAPI NoSelect(int, fd_set*, fd_set*, fd_set*,
                    const PTIMEVAL,  // NOLINT(misc-misplaced-const): LPWSPSELECT's type
                    LPINT e) {
  return Unsupported(e, SOCKET_ERROR);
}
int WSPAPI NoSend(SOCKET, LPWSABUF, DWORD, LPDWORD, DWORD, LPWSAOVERLAPPED,
                  LPWSAOVERLAPPED_COMPLETION_ROUTINE, LPWSATHREADID, LPINT e) {
  return Unsupported(e, SOCKET_ERROR);
}
int WSPAPI NoSendDisconnect(SOCKET, LPWSABUF, LPINT e) { return Unsupported(e, SOCKET_ERROR); }
int WSPAPI NoSendTo(SOCKET, LPWSABUF, DWORD, LPDWORD, DWORD, const struct sockaddr*, int,
                    LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE, LPWSATHREADID, LPINT e) {
  return Unsupported(e, SOCKET_ERROR);
}
int WSPAPI NoSetSockOpt(SOCKET, int, int, const char*, int, LPINT e) {
  return Unsupported(e, SOCKET_ERROR);
}
int WSPAPI NoShutdown(SOCKET, int, LPINT e) { return Unsupported(e, SOCKET_ERROR); }
INT WSPAPI NoStringToAddress(LPWSTR, INT, LPWSAPROTOCOL_INFOW, LPSOCKADDR, LPINT, LPINT e) {
  return Unsupported(e, SOCKET_ERROR);
}

template <std::size_t K>
WSPPROC_TABLE SlotTable() {
  WSPPROC_TABLE table{};
  table.lpWSPAccept = NoAccept;
  table.lpWSPAddressToString = NoAddressToString;
  table.lpWSPAsyncSelect = NoAsyncSelect;
  table.lpWSPBind = SlotEntries<K>::Bind;
  table.lpWSPCancelBlockingCall = NoCancelBlockingCall;
  table.lpWSPCleanup = NoCleanup;
  table.lpWSPCloseSocket = SlotEntries<K>::CloseSocket;
  table.lpWSPConnect = NoConnect;
  table.lpWSPDuplicateSocket = NoDuplicateSocket;
  table.lpWSPEnumNetworkEvents = NoEnumNetworkEvents;
  table.lpWSPEventSelect = NoEventSelect;
  table.lpWSPGetOverlappedResult = SlotEntries<K>::GetOverlappedResult;
  table.lpWSPGetPeerName = NoGetPeerName;
  table.lpWSPGetSockName = SlotEntries<K>::GetSockName;
  table.lpWSPGetSockOpt = NoGetSockOpt;
  table.lpWSPGetQOSByName = NoGetQOSByName;
  table.lpWSPIoctl = SlotEntries<K>::Ioctl;
  table.lpWSPJoinLeaf = NoJoinLeaf;
  table.lpWSPListen = NoListen;
  table.lpWSPRecv = NoRecv;
  table.lpWSPRecvDisconnect = NoRecvDisconnect;
  table.lpWSPRecvFrom = NoRecvFrom;
  table.lpWSPSelect = NoSelect;
  table.lpWSPSend = NoSend;
  table.lpWSPSendDisconnect = NoSendDisconnect;
  table.lpWSPSendTo = NoSendTo;
  table.lpWSPSetSockOpt = NoSetSockOpt;
  table.lpWSPShutdown = NoShutdown;
  table.lpWSPSocket = SlotEntries<K>::Socket;
  table.lpWSPStringToAddress = NoStringToAddress;
  return table;
}

template <std::size_t... K>
std::array<WSPPROC_TABLE, sizeof...(K)> SlotTables(std::index_sequence<K...> /*slots*/) {
  return {SlotTable<K>()...};
}

}  // namespace

WSPPROC_TABLE FakeProcTable(FakeSocketIoctl& fake) {
  static const std::array<WSPPROC_TABLE, detail::kTableSlots> tables =
      SlotTables(std::make_index_sequence<detail::kTableSlots>());
  detail::Registry& registry = detail::TheRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  for (std::size_t slot = 0; slot < detail::kTableSlots; ++slot) {
    if (registry.slots[slot] == &fake) return tables[slot];
  }
  // The oldest-freed slot first: a table kept past its fake then meets no fake for as long as
  // possible, and answers kTableOfAGoneFake rather than reaching another one.
  for (std::size_t tried = 0; tried < detail::kTableSlots; ++tried) {
    const std::size_t slot = (registry.next_slot + tried) % detail::kTableSlots;
    if (registry.slots[slot] == nullptr) {
      registry.slots[slot] = &fake;
      ++registry.slots_used;
      registry.Count();
      registry.next_slot = (slot + 1) % detail::kTableSlots;
      return tables[slot];
    }
  }
  throw std::length_error("portres::FakeProcTable: " + std::to_string(detail::kTableSlots) +
                          " fakes hold a provider table already; a table is bound to its fake "
                          "until the fake is destroyed");
}

}  // namespace portres
