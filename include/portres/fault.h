// <portres/fault.h>: what a test can make the fake do instead of the right thing.
//
// A Fault pairs an effect (fail with a Winsock error, or leave an overlapped call pending)
// with the calls it hits (the next call, the call at a given index, every call a predicate
// accepts, or each call with a seeded probability). Faults are handed to
// FakeSocketIoctl::Inject and apply to that simulated process only:
//
//   fake.Inject(portres::Fault::Error(WSAENETDOWN).When(portres::IsIoctl(
//       SIO_RELEASE_PORT_RESERVATION)));
//   fake.Inject(portres::Fault::Error(WSAEINTR).OnCall(3));
//   fake.Inject(portres::Fault::Pend().OnNextCall());
//   fake.Inject(portres::Fault::Before([&] { other.Acquire(port); }).When(portres::IsApi(
//       portres::Api::kBind)));  // a race: another process takes the port just before bind
//
// A call hit by an error fault fails exactly as a rejected call does: it returns SOCKET_ERROR
// (INVALID_SOCKET, FALSE), sets the thread's last error, and changes nothing; an iphlpapi call
// (FakeIpHelper::Inject) returns the fault's Win32 code instead. Every injected failure works
// this way: MockSocketIoctl::FailWith, the fault sweep and the seam's failures are faults too.
// Fault is a test's builder, not Winsock: misuse (Fault::Error(0)) throws std::invalid_argument
// where the test wrote it, rather than injecting a fault that makes the fake answer what Windows
// never does. The exception's text starts with the test's file and line ("my_test.cpp:42: ...").
#ifndef PORTRES_FAULT_H
#define PORTRES_FAULT_H

#include <portres/caller_location.h>
#include <portres/fake_export.h>
#include <portres/winsock.h>

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <limits>
#include <string_view>
#include <thread>

namespace portres {

// The ISocketIoctl methods that a fault can hit and that the call log records.
enum class Api : unsigned char {
  kSocket,
  kCloseSocket,
  kBind,
  kGetSockName,
  kWSAIoctl,
  kWSAGetOverlappedResult,
  // IIpHelper's six functions (FakeIpHelper::Inject, FakeIpHelper::CallLog).
  kCreatePersistentTcpPortReservation,
  kCreatePersistentUdpPortReservation,
  kDeletePersistentTcpPortReservation,
  kDeletePersistentUdpPortReservation,
  kLookupPersistentTcpPortReservation,
  kLookupPersistentUdpPortReservation,
  kWSPIoctl,  // FakeSocketIoctl::WSPIoctl: the provider entry (<portres/winsock_spi.h>)
  // The rest of the surface reservation clients call (appended: the values above keep theirs).
  kWSAStartup,
  kWSACleanup,
  kWSASocketW,
  kWSASocketA,
  kSetSockOpt,
  kGetSockOpt,
  kConnect,
  kListen,
  kAccept,
  kGetPeerName,
  kIoctlSocket,
};

// The Winsock name of an Api value ("WSAIoctl", "closesocket", ...).
PORTRES_FAKE_API std::string_view ApiName(Api api) noexcept;

// What a fault sees of a call before it runs.
struct Call {
  std::uint64_t index = 0;  // 0 for a process's first call, counting every Api call
  Api api = Api::kSocket;
  SOCKET socket = INVALID_SOCKET;  // INVALID_SOCKET for socket()
  DWORD code = 0;           // the IOCTL code of a WSAIoctl or WSPIoctl call; the option name of
                            // setsockopt and getsockopt; ioctlsocket's cmd; else 0
  bool overlapped = false;  // a WSAIoctl call that may complete later
};

// Chooses the calls a fault hits (Fault::When): true for a call it should hit.
using CallPredicate = std::function<bool(const Call&)>;

// Predicates for Fault::When. They compose with ordinary lambdas.
PORTRES_FAKE_API CallPredicate IsApi(Api api);
// The WSAIoctl and WSPIoctl calls with IOCTL code `code` (SIO_RELEASE_PORT_RESERVATION, ...).
PORTRES_FAKE_API CallPredicate IsIoctl(DWORD code);
// The calls on socket `s`.
PORTRES_FAKE_API CallPredicate OnSocket(SOCKET s);

// A fault to inject into one simulated process (FakeSocketIoctl::Inject): what it does to a
// call (Error, Pend) and which calls it hits (OnNextCall, OnCall, When, WithProbability, Times,
// OnThisThread).
class PORTRES_FAKE_API Fault {
 public:
  // Times(kUnlimited): no limit on the number of hits.
  static constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();

  // Fail the call with `wsa_error`: any positive code, documented for the call or not.
  // Throws std::invalid_argument, before anything is injected, for 0 (NO_ERROR: a call that
  // "fails" with it would return SOCKET_ERROR and leave no error, which no Winsock call does)
  // and for negative codes (never a last error; -1 is SOCKET_ERROR, the return value).
  static Fault Error(int wsa_error, const char* file = PORTRES_CALLER_FILE,
                     int line = PORTRES_CALLER_LINE);
  // Leave an overlapped WSAIoctl pending (WSA_IO_PENDING) until the test completes it. Calls
  // that cannot pend (not overlapped, or another Api) pass through and do not use the fault up.
  static Fault Pend();
  // Run `action` just before each call the fault hits, then let the call proceed as it would
  // (other faults included): a race made certain, such as another process acquiring the port
  // between a free-port probe and the bind. The action runs on the calling thread without the
  // fake's lock, so it may call the fake: other processes' views freely, this process's too
  // (calls made from inside an action hit no Before fault, so an action cannot recurse). The
  // call is matched before the action runs: OnCall(n) means the call that was about to be
  // call n. An exception from the action propagates out of the call, which then does not run.
  // Throws std::invalid_argument (at the caller's file and line) for an empty action.
  static Fault Before(std::function<void()> action, const char* file = PORTRES_CALLER_FILE,
                      int line = PORTRES_CALLER_LINE);

  // Which calls it hits. Without any of these a fault hits the next call. When() narrows any
  // trigger to the calls its predicate accepts; alone, it hits every such call.
  Fault& OnNextCall();                 // the next call (once)
  Fault& OnCall(std::uint64_t index);  // the call whose Call::index is `index` (once)
  Fault& When(CallPredicate pred);     // the calls the predicate accepts (all, unless limited)
  Fault& WithProbability(double p);    // each call with probability p (seeded by the host)
  Fault& Times(std::uint64_t n);       // at most n hits in all
  // Only the calls made on the thread that calls OnThisThread(): the others pass it by (its
  // predicate is not asked about them), whatever their index. With OnNextCall() it hits this
  // thread's next call, however many calls other threads make meanwhile (MockSocketIoctl::FailWith
  // is built on it: <portres/mock_socket_ioctl.h>).
  Fault& OnThisThread();

  // The error the fault fails calls with (Error), always positive; 0 for Pend().
  int error() const noexcept { return error_; }
  bool pends() const noexcept { return pend_; }
  bool runs_action() const noexcept { return static_cast<bool>(action_); }

 private:
  friend class FaultSet;
  enum class Trigger : unsigned char { kNext, kIndex, kEvery, kProbability };

  Fault(int error, bool pend) : error_(error), pend_(pend) {}

  int error_ = 0;
  bool pend_ = false;
  Trigger trigger_ = Trigger::kNext;
  std::uint64_t index_ = 0;
  double probability_ = 1.0;
  std::uint64_t remaining_ = 1;
  bool explicit_trigger_ = false;
  bool explicit_times_ = false;
  CallPredicate predicate_;
  std::thread::id thread_;        // OnThisThread(); a default id (no thread): every thread's calls
  std::function<void()> action_;  // Before(); empty for Error and Pend
};

// GoogleTest printers (why they are declared here: <portres/gtest_printers.h>).

// Prints the Winsock name: "WSAIoctl".
PORTRES_FAKE_API void PrintTo(Api api, std::ostream* os);
// Prints "#3 WSAIoctl(s=0x104, SIO_RELEASE_PORT_RESERVATION)".
PORTRES_FAKE_API void PrintTo(const Call& call, std::ostream* os);
// Prints "Fault::Error(WSAENETDOWN (10050))", "Fault::Pend()" or "Fault::Before(action)".
PORTRES_FAKE_API void PrintTo(const Fault& fault, std::ostream* os);

}  // namespace portres

#endif  // PORTRES_FAULT_H
