// The fake against the reference model: long seeded random sequences of calls, run on both,
// every return value, error code, bytes-returned value and output buffer compared, and the
// host's reservations and sockets compared with the model's after every call.
//
// The calls: socket, WSASocketW/A (with and without WSA_FLAG_OVERLAPPED), closesocket, bind,
// getsockname, the reservation IOCTLs (overlapped, pending, completed), SIO_CPU_AFFINITY,
// setsockopt/getsockopt of SO_REUSEADDR, SO_EXCLUSIVEADDRUSE and IPV6_V6ONLY, connect, listen,
// accept, getpeername, ioctlsocket(FIONBIO), iphlpapi's persistent calls, process exits and
// reboots. The invariants allow shared ports only where the model says why (port_sharing.h).
//
// A disagreement is reported with the shortest sequence of calls found that still shows it:
// each operation's random draws are taped, and the run is replayed from fewer tapes.
//
// CI runs a bounded number of operations per configuration; PORTRES_MODEL_OPS=<n> (environment)
// runs n per configuration instead, e.g. PORTRES_MODEL_OPS=2000000 for a long soak.
#include <gtest/gtest.h>
#include <portres/fake_host.h>
#include <portres/fake_ip_helper.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/fault.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <ostream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "invariants.h"
#include "port_sharing.h"
#include "reference_model.h"

namespace portres::model {
namespace {

constexpr std::size_t kDefaultOperations = 20000;
constexpr int kProcesses = 3;  // the last one is not elevated

std::size_t OperationsPerRun() {
  // Read on the test's own thread, before the run starts any other.
  if (const char* value = std::getenv("PORTRES_MODEL_OPS")) {  // NOLINT(concurrency-mt-unsafe)
    const unsigned long long n = std::strtoull(value, nullptr, 10);
    if (n > 0) return static_cast<std::size_t>(n);
  }
  return kDefaultOperations;
}

// The random numbers each operation drew, one tape per operation: a run replays from its
// tapes, and a shorter list of tapes is a shorter run (ShrinkDisagreement).
using Tapes = std::vector<std::vector<std::uint64_t>>;

// One differential run: a fake host and the model, driven by the same random choices.
class DifferentialRun {
 public:
  DifferentialRun(const FakeHostOptions& options, std::uint64_t seed)
      : DifferentialRun(options, options, seed) {}
  // A model given other options than the fake's: the test of the shrinker makes them disagree.
  DifferentialRun(const FakeHostOptions& options, const FakeHostOptions& model_options,
                  std::uint64_t seed)
      : options_(options), rng_(seed), model_(model_options) {
    host_ = std::make_shared<FakeHost>(options_);
    FakeIpHelperOptions unprivileged;
    unprivileged.elevated = false;
    helper_ = std::make_unique<FakeIpHelper>(host_);
    unprivileged_helper_ = std::make_unique<FakeIpHelper>(host_, unprivileged);
    for (int p = 0; p < kProcesses; ++p) StartProcess(p);
    // What the host holds from the start: its administered block, the System's blocks.
    for (const ReservationInfo& r : host_->Reservations()) {
      if (r.kind == ReservationKind::kPersistent) {
        ModelToken token = 0;
        model_.CreatePersistent(r.protocol, true, r.first_port, r.port_count, true, &token);
        MapNewToken(r.token, token);
      }
    }
    LearnSystemBlocks();
  }

  // Runs `operations` random calls; stops at the first divergence and describes it.
  ::testing::AssertionResult Run(std::size_t operations) { return Run(operations, nullptr); }

  // Runs the operations of `tapes`, one per tape, and stops at the first divergence.
  ::testing::AssertionResult Replay(const Tapes& tapes) { return Run(tapes.size(), &tapes); }

  const Tapes& tapes() const { return tapes_; }
  const std::vector<std::string>& descriptions() const { return descriptions_; }
  const std::string& divergence() const { return divergence_; }
  std::size_t operation() const { return operation_; }

 private:
  ::testing::AssertionResult Run(std::size_t operations, const Tapes* replay) {
    for (operation_ = 0; operation_ < operations; ++operation_) {
      description_.clear();
      if (replay != nullptr) {
        replaying_ = &(*replay)[operation_];
        replay_position_ = 0;
      } else {
        tapes_.emplace_back();
      }
      Step();
      descriptions_.push_back(description_);
      if (divergence_.empty()) CompareState();
      if (divergence_.empty()) {
        const std::string violation = fuzz::CheckHostInvariantsWithSharing(
            test_support::TakeSnapshot(*host_), host_->options(), SharingFacts());
        if (!violation.empty()) divergence_ = "invariant: " + violation;
      }
      if (!divergence_.empty()) {
        return ::testing::AssertionFailure()
               << "operation " << operation_ << " (" << description_ << "): " << divergence_;
      }
    }
    return ::testing::AssertionSuccess();
  }

 public:
  std::size_t compared() const { return compared_; }
  // How often each call succeeded ([0]) and failed ([1]) in the model: a run that never
  // reaches a branch compares nothing there.
  const std::map<std::string, std::array<std::size_t, 2>>& outcomes() const { return outcomes_; }

 private:
  // The next random number: drawn and taped when recording, read back when replaying (an
  // operation that draws past its tape, its meaning changed by a shrink, gets fixed numbers).
  std::uint64_t Draw() {
    if (replaying_ == nullptr) {
      const std::uint64_t value = rng_();
      tapes_.back().push_back(value);
      return value;
    }
    if (replay_position_ < replaying_->size()) return (*replaying_)[replay_position_++];
    return past_tape_();
  }

  // ---- Processes, sockets and tokens as both sides name them --------------------------
  void StartProcess(int slot) {
    FakeProcessOptions process_options;
    process_options.elevated = slot != kProcesses - 1;
    processes_[slot] = std::make_unique<FakeSocketIoctl>(host_, process_options);
    model_process_[slot] = model_.AddProcess(process_options.elevated);
    pid_of_model_process_[model_process_[slot]] = processes_[slot]->pid();
  }

  // The System's blocks where the fake placed them (at the start and after each reboot).
  void LearnSystemBlocks() {
    for (const ReservationInfo& r : host_->Reservations()) {
      if (r.owner_pid != FakeHost::kSystemPid) continue;
      MapNewToken(r.token, model_.AddSystemBlock(r.protocol, r.first_port, r.port_count));
    }
  }

  void Diverge(const std::string& what) {
    if (divergence_.empty()) divergence_ = what;
  }
  template <typename A, typename B>
  void Compare(const A& fake, const B& model, const char* what) {
    ++compared_;
    if (!(fake == model)) {
      std::ostringstream out;
      out << what << ": fake " << fake << ", model " << model;
      Diverge(out.str());
    }
  }

  std::size_t Below(std::size_t n) { return n == 0 ? 0 : Draw() % n; }
  bool Chance(unsigned percent) { return Below(100) < percent; }

  int PickProcess() { return static_cast<int>(Below(kProcesses)); }

  // A model socket number (possibly closed or another process's), or -1 for a handle that
  // was never a socket.
  int PickSocket(int slot) {
    if (model_sockets_.empty() || Chance(3)) return -1;
    if (Chance(85)) {
      // Mostly an open socket of this process.
      std::vector<int> own;
      for (std::size_t s = 0; s < model_.sockets().size(); ++s) {
        const ModelSocket& socket = model_.sockets()[s];
        if (socket.open && socket.process == model_process_[slot]) {
          own.push_back(static_cast<int>(s));
        }
      }
      if (!own.empty()) return own[Below(own.size())];
    }
    return static_cast<int>(Below(model_sockets_.size()));
  }
  SOCKET FakeHandle(int model_socket) const {
    if (model_socket < 0) return static_cast<SOCKET>(0x7fff0001);
    return model_sockets_[static_cast<std::size_t>(model_socket)];
  }

  // A model token (live, ended, 0, or one nobody issued) and the fake's spelling of it.
  std::pair<ModelToken, ULONG64> PickToken() {
    if (Chance(4)) return {0, INVALID_PORT_RESERVATION_TOKEN};
    if (fake_of_token_.empty() || Chance(4)) {
      ULONG64 bogus = Draw();
      while (bogus == 0 || model_of_token_.count(bogus) != 0) bogus = Draw();
      return {kUnknownToken, bogus};
    }
    // Mostly a live one.
    if (Chance(80)) {
      std::vector<ModelToken> live;
      for (const ModelReservation& r : model_.reservations()) {
        if (r.live) live.push_back(r.token);
      }
      if (!live.empty()) {
        const ModelToken token = live[Below(live.size())];
        return {token, fake_of_token_.at(token)};
      }
    }
    auto it = fake_of_token_.begin();
    std::advance(it, static_cast<long>(Below(fake_of_token_.size())));
    return *it;
  }

  // A newly issued token: the fake's must be new too; from now on they name each other.
  void MapNewToken(ULONG64 fake, ModelToken model) {
    if (fake == INVALID_PORT_RESERVATION_TOKEN) return Diverge("the fake issued token 0");
    if (model_of_token_.count(fake) != 0) return Diverge("the fake issued a token twice");
    model_of_token_[fake] = model;
    fake_of_token_[model] = fake;
  }

  // Ports cluster around the dynamic range's start and a low window, so blocks collide.
  std::uint16_t PickPort() {
    const std::uint32_t dynamic = options_.dynamic_first_port;
    switch (Below(10)) {
      case 0:
        return 0;
      case 1:
        return static_cast<std::uint16_t>(1 + Below(65535));
      case 2:
        return static_cast<std::uint16_t>(65535 - Below(24));
      case 3:
      case 4: {
        // Inside or at the edge of a live block.
        std::vector<const ModelReservation*> live;
        for (const ModelReservation& r : model_.reservations()) {
          if (r.live) live.push_back(&r);
        }
        if (!live.empty()) {
          const ModelReservation* r = live[Below(live.size())];
          return static_cast<std::uint16_t>(
              std::min<std::uint32_t>(65535, r->first + Below(r->count + 2)));
        }
        return static_cast<std::uint16_t>(5000 + Below(40));
      }
      case 5:
      case 6:
        return static_cast<std::uint16_t>(5000 + Below(40));
      default:
        return static_cast<std::uint16_t>(std::min<std::uint32_t>(65535, dynamic + Below(96)) -
                                          (Chance(10) ? 1 : 0));
    }
  }
  std::uint16_t PickCount() {
    switch (Below(8)) {
      case 0:
        return 0;
      case 1:
        return static_cast<std::uint16_t>(1 + Below(65535));
      case 2:
      case 3:
        return 1;
      default:
        return static_cast<std::uint16_t>(1 + Below(12));
    }
  }

  // ---- Operations ---------------------------------------------------------------------
  void Step() {
    const std::size_t roll = Below(1000);
    if (roll < 110) return OpenSocket();
    if (roll < 160) return CloseSocket();
    if (roll < 330) return Ioctl(SIO_ACQUIRE_PORT_RESERVATION);
    if (roll < 390) return Ioctl(SIO_RELEASE_PORT_RESERVATION);
    if (roll < 470) return Ioctl(SIO_ASSOCIATE_PORT_RESERVATION);
    if (roll < 478) return Ioctl(Chance(50) ? SIO_ACQUIRE_PORT_RESERVATION + 3 : 0x4004667e);
    if (roll < 500) return CompleteOne();
    if (roll < 600) return Bind();
    if (roll < 640) return GetSockName();
    if (roll < 750) return Persistent();
    if (roll < 820) return SockOpt();
    if (roll < 850) return CpuAffinity();
    if (roll < 900) return Connect();
    if (roll < 925) return Listen();
    if (roll < 950) return Accept();
    if (roll < 965) return GetPeerName();
    if (roll < 990) return IoctlSocket();
    if (roll < 996) return RestartProcess();
    return Reboot();
  }

  void OpenSocket() {
    const int slot = PickProcess();
    // The rare picks include AF_UNSPEC and type 0, which socket() resolves [ref:socket-rules].
    static constexpr int kFamilies[] = {AF_INET, AF_INET6, AF_UNSPEC, AF_INET6, AF_UNIX, 99};
    static constexpr int kTypes[] = {SOCK_STREAM, SOCK_DGRAM, 0, SOCK_DGRAM, SOCK_RAW, 42};
    int af = kFamilies[Below(Chance(90) ? 2 : 6)];
    int type = kTypes[Below(Chance(90) ? 2 : 6)];
    int protocol = Chance(80) ? 0 : (Chance(50) ? IPPROTO_TCP : IPPROTO_UDP);
    // A third are WSASocketW / WSASocketA, a null lpProtocolInfo, mostly WSA_FLAG_OVERLAPPED
    // as MsQuic opens them; now and then a group.
    const std::size_t api = Below(6);  // 0..3 socket(), 4 WSASocketW, 5 WSASocketA
    const DWORD flags = api >= 4 && Chance(70) ? WSA_FLAG_OVERLAPPED : 0;
    const GROUP group = api >= 4 && Chance(5) ? 1 : 0;
    description_ =
        std::string(api < 4    ? "socket("
                    : api == 4 ? "WSASocketW("
                               : "WSASocketA(") +
        std::to_string(af) + ", " + std::to_string(type) + ", " + std::to_string(protocol) +
        (api < 4 ? ""
                 : ", null, group " + std::to_string(group) + ", flags " + std::to_string(flags)) +
        ") in process " + std::to_string(slot);
    const int injected = MaybeInjectError(slot);
    FakeSocketIoctl& fake = *processes_[slot];
    const SOCKET handle = api < 4    ? fake.socket(af, type, protocol)
                          : api == 4 ? fake.WSASocketW(af, type, protocol, nullptr, group, flags)
                                     : fake.WSASocketA(af, type, protocol, nullptr, group, flags);
    if (injected != 0) {
      Compare(handle, INVALID_SOCKET, "socket() with an injected error");
      Compare(processes_[slot]->WSAGetLastError(), injected, "injected socket() error");
      return;
    }
    int model_error = 0;
    const int model_socket =
        api < 4 ? model_.Socket(model_process_[slot], af, type, protocol, &model_error)
                : model_.WSASocket(model_process_[slot], af, type, protocol, group, flags,
                                   &model_error);
    Compare(handle == INVALID_SOCKET, model_socket == -1, "socket() failed");
    if (handle == INVALID_SOCKET) {
      Compare(processes_[slot]->WSAGetLastError(), model_error, "socket() error");
      return;
    }
    if (model_socket != static_cast<int>(model_sockets_.size())) return Diverge("socket numbers");
    model_sockets_.push_back(handle);
  }

  void CloseSocket() {
    const int slot = PickProcess();
    const int socket = PickSocket(slot);
    description_ = "closesocket(" + std::to_string(socket) + ") in process " + std::to_string(slot);
    const int injected = MaybeInjectError(slot);
    const int result = processes_[slot]->closesocket(FakeHandle(socket));
    if (injected != 0) return CompareResult(slot, result, injected, "injected closesocket");
    const int model_error = model_.CloseSocket(model_process_[slot], socket);
    CompareResult(slot, result, model_error, "closesocket");
    if (model_error == 0) EndPending(slot, socket, true);
  }

  void CompareResult(int slot, int result, int model_error, const char* what) {
    ++outcomes_[what][model_error == 0 ? 0 : 1];
    Compare(result, model_error == 0 ? 0 : SOCKET_ERROR, what);
    if (result != 0 && model_error != 0) {
      Compare(processes_[slot]->WSAGetLastError(), model_error, what);
    }
  }

  void Ioctl(DWORD code) {
    const int slot = PickProcess();
    const int socket = PickSocket(slot);
    IoctlArguments args;
    args.code = code;
    std::vector<std::uint8_t> in(16, 0);
    ULONG64 fake_token = 0;
    const bool range_input = code == SIO_ACQUIRE_PORT_RESERVATION;
    if (range_input) {
      const bool wildcard = Chance(40);
      args.range.StartPort = htons(wildcard ? 0 : PickPort());
      args.range.NumberOfPorts = PickCount();
      std::memcpy(in.data(), &args.range, sizeof args.range);
      args.in_size = sizeof args.range;
    } else {
      std::tie(args.token, fake_token) = PickToken();
      std::memcpy(in.data(), &fake_token, sizeof fake_token);
      args.in_size = sizeof fake_token;
    }
    args.out_size = range_input ? sizeof(INET_PORT_RESERVATION_INSTANCE) : 0;
    // Now and then a call a careful caller would not make.
    if (Chance(6)) {
      switch (Below(6)) {
        case 0:
          args.in_present = false;
          break;
        case 1:
          args.in_size = static_cast<std::uint32_t>(Below(args.in_size));
          break;
        case 2:
          args.out_present = false;
          break;
        case 3:
          args.out_size = static_cast<std::uint32_t>(Below(32));
          break;
        case 4:
          args.bytes_present = false;
          break;
        default:
          args.in_size = static_cast<std::uint32_t>(args.in_size + 1 + Below(8));
          break;
      }
    }
    description_ = "WSAIoctl(" + std::to_string(socket) + ", " + std::to_string(code) + ", start " +
                   std::to_string(ntohs(args.range.StartPort)) + " count " +
                   std::to_string(args.range.NumberOfPorts) + " token " +
                   std::to_string(args.token) + ") in process " + std::to_string(slot);

    // Now and then overlapped; some of those left pending by Fault::Pend until completed.
    WSAOVERLAPPED* overlapped = nullptr;
    std::vector<std::uint8_t> local_out(32, 0xcc);
    std::vector<std::uint8_t>* out = &local_out;
    if (Chance(12)) {
      out = &out_buffers_.emplace_back(32, 0xcc);
      overlapped = &overlapped_.emplace_back();
      overlapped->Internal = kUntouched;
      overlapped->InternalHigh = kUntouched;
      args.overlapped = true;
      args.pend = Chance(60);
    }
    const int injected = args.pend ? 0 : MaybeInjectError(slot);
    if (args.pend) processes_[slot]->Inject(Fault::Pend().OnNextCall());
    DWORD bytes = 0xa5a5a5a5;
    const int result = processes_[slot]->WSAIoctl(
        FakeHandle(socket), code, args.in_present ? in.data() : nullptr, args.in_size,
        args.out_present ? out->data() : nullptr, args.out_size,
        args.bytes_present ? &bytes : nullptr, overlapped, nullptr);
    if (injected != 0) {
      CompareResult(slot, result, injected, "WSAIoctl with an injected error");
      Compare(bytes, DWORD{0xa5a5a5a5}, "bytes returned by an injected failure");
      if (overlapped != nullptr) Compare(overlapped->Internal, kUntouched, "OVERLAPPED status");
      return;
    }
    const IoctlOutcome expected = model_.Ioctl(model_process_[slot], socket, args);
    // A Pend fault the call did not take (no overlapped attribute) is not for the next call.
    if (args.pend) processes_[slot]->ClearFaults();
    CompareResult(slot, result, expected.error, "WSAIoctl");
    Compare(bytes, expected.bytes.value_or(0xa5a5a5a5), "bytes returned");
    if (expected.error == WSA_IO_PENDING) {
      ++outcomes_["left pending"][0];
      Compare(overlapped->Internal, ULONG_PTR{0x103}, "pending OVERLAPPED::Internal");
      pending_.push_back(PendingIoctl{slot, socket, args, overlapped, out});
      return;
    }
    CompareOutput(*out, expected);
    if (overlapped != nullptr && !expected.used_overlapped) {
      Compare(overlapped->Internal, kUntouched, "ignored OVERLAPPED::Internal");
    } else if (overlapped != nullptr) {
      // A synchronous overlapped success is complete at once; a failure leaves it alone.
      Compare(overlapped->Internal, expected.error == 0 ? ULONG_PTR{0} : kUntouched,
              "OVERLAPPED::Internal");
      if (expected.error == 0) {
        Compare(overlapped->InternalHigh,
                ULONG_PTR{expected.bytes.value_or(expected.wrote_instance ? 16u : 0u)},
                "OVERLAPPED::InternalHigh");
      }
    }
  }

  void CompareOutput(const std::vector<std::uint8_t>& out, const IoctlOutcome& expected) {
    const std::vector<std::uint8_t> expected_out(32, 0xcc);
    if (expected.error == 0 && expected.wrote_instance) {
      INET_PORT_RESERVATION_INSTANCE instance{};
      std::memcpy(&instance, out.data(), sizeof instance);
      Compare(ntohs(instance.Reservation.StartPort), expected.granted_first, "granted start");
      Compare(instance.Reservation.NumberOfPorts, expected.granted_count, "granted count");
      MapNewToken(instance.Token.Token, expected.granted_token);
      // The rest of the output buffer is left alone.
      Compare(std::equal(out.begin() + sizeof instance, out.end(),
                         expected_out.begin() + sizeof instance),
              true, "bytes past the instance untouched");
    } else {
      Compare(out == expected_out, true, "output buffer untouched");
    }
  }

  // Completes a pending call: CompletePending, CompletePending with an error, or a waiting
  // WSAGetOverlappedResult. The model runs the captured request now.
  void CompleteOne() {
    if (pending_.empty()) return;
    const std::size_t index = Below(pending_.size());
    const PendingIoctl call = pending_[index];
    pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(index));
    const std::size_t how = Below(3);
    description_ = std::string(how == 0   ? "CompletePending"
                               : how == 1 ? "CompletePending(WSAEINTR)"
                                          : "WSAGetOverlappedResult(wait)") +
                   " of a call on socket " + std::to_string(call.socket) + " in process " +
                   std::to_string(call.slot);
    IoctlOutcome expected;
    if (how == 1) {
      expected.error = WSAEINTR;
      expected.bytes = 0;
    } else {
      expected = model_.CompleteIoctl(model_process_[call.slot], call.socket, call.args);
    }
    ++outcomes_["completion"][expected.error == 0 ? 0 : 1];
    FakeSocketIoctl& api = *processes_[call.slot];
    if (how == 2) {
      DWORD bytes = 0;
      DWORD flags = 0;
      const BOOL done = api.WSAGetOverlappedResult(FakeHandle(call.socket), call.overlapped, &bytes,
                                                   TRUE, &flags);
      Compare(done, expected.error == 0 ? TRUE : FALSE, "WSAGetOverlappedResult");
      Compare(bytes, expected.bytes.value_or(0), "WSAGetOverlappedResult bytes");
      if (done == FALSE) Compare(api.WSAGetLastError(), expected.error, "completion error");
    } else {
      const bool done = how == 1 ? api.CompletePending(call.overlapped, WSAEINTR)
                                 : api.CompletePending(call.overlapped);
      Compare(done, true, "CompletePending");
    }
    Compare(call.overlapped->Internal, static_cast<ULONG_PTR>(expected.error),
            "completed OVERLAPPED::Internal");
    Compare(call.overlapped->InternalHigh, ULONG_PTR{expected.bytes.value_or(0)},
            "completed OVERLAPPED::InternalHigh");
    CompareOutput(*call.out, expected);
  }

  // Pending calls on a socket that closed were aborted; those of a process that exited, or of
  // a host that rebooted, were dropped untold.
  void EndPending(int slot, int socket, bool aborted) {
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (it->slot != slot || (socket >= 0 && it->socket != socket)) {
        ++it;
        continue;
      }
      Compare(it->overlapped->Internal,
              aborted ? ULONG_PTR{WSA_OPERATION_ABORTED} : ULONG_PTR{0x103},
              "OVERLAPPED of a call that ended with its socket");
      it = pending_.erase(it);
    }
  }

  // Sometimes the next call of the process fails by a Fault::Error injected just before it.
  int MaybeInjectError(int slot) {
    if (!Chance(3)) return 0;
    static constexpr int kErrors[] = {WSAENETDOWN, WSAEINTR, WSAEINVAL, WSAENOBUFS, WSAEACCES};
    const int error = kErrors[Below(5)];
    processes_[slot]->Inject(Fault::Error(error).OnNextCall());
    return error;
  }

  std::vector<std::uint8_t> Address(int af, std::uint16_t port) {
    std::vector<std::uint8_t> name(sizeof(sockaddr_in6), 0);
    if (Chance(30)) {
      for (auto& b : name) b = static_cast<std::uint8_t>(Draw());
    }
    const decltype(sockaddr::sa_family) family = static_cast<decltype(sockaddr::sa_family)>(af);
    std::memcpy(name.data() + offsetof(sockaddr, sa_family), &family, sizeof family);
    const std::uint16_t port_net = htons(port);
    std::memcpy(name.data() + offsetof(sockaddr_in, sin_port), &port_net, sizeof port_net);
    return name;
  }

  void Bind() {
    const int slot = PickProcess();
    // Half the time one that set SO_REUSEADDR or SIO_CPU_AFFINITY, when there is one.
    const int socket = Chance(50)
                           ? PickSocketIf(slot,
                                          [](const ModelSocket& s) {
                                            return !s.bound && (s.reuse_address || s.processor);
                                          })
                           : PickSocket(slot);
    int af = socket >= 0 ? model_.sockets()[static_cast<std::size_t>(socket)].af : AF_INET;
    if (Chance(3)) af = af == AF_INET ? AF_INET6 : AF_INET;
    // A socket with SO_REUSEADDR or SIO_CPU_AFFINITY mostly binds where it could share.
    const ModelSocket* binding =
        socket >= 0 ? &model_.sockets()[static_cast<std::size_t>(socket)] : nullptr;
    const bool sharer = binding != nullptr && (binding->reuse_address || binding->processor);
    const std::uint16_t port = sharer && Chance(70) ? PickPortToShare(socket)
                               : Chance(45)         ? 0
                               : Chance(25)         ? PickPortToShare(socket)
                                                    : PickPort();
    std::vector<std::uint8_t> name = Address(af, port);
    int namelen = af == AF_INET6 ? static_cast<int>(sizeof(sockaddr_in6))
                                 : static_cast<int>(sizeof(sockaddr_in));
    if (Chance(3)) namelen = static_cast<int>(Below(sizeof(sockaddr_in6) + 1));
    const bool null_name = Chance(2);
    description_ = "bind(" + std::to_string(socket) + ", af " + std::to_string(af) + ", port " +
                   std::to_string(port) + ", namelen " + std::to_string(namelen) + ") in process " +
                   std::to_string(slot);
    const int injected = MaybeInjectError(slot);
    const int result = processes_[slot]->bind(
        FakeHandle(socket), null_name ? nullptr : reinterpret_cast<const sockaddr*>(name.data()),
        namelen);
    if (injected != 0) return CompareResult(slot, result, injected, "injected bind");
    const int model_error =
        model_.Bind(model_process_[slot], socket, null_name ? nullptr : name.data(), namelen);
    CompareResult(slot, result, model_error, "bind");
    if (model_error != 0) return;
    const ModelSocket& bound = model_.sockets()[static_cast<std::size_t>(socket)];
    const auto holders = std::count_if(
        model_.sockets().begin(), model_.sockets().end(), [&bound](const ModelSocket& other) {
          return other.open && other.bound && other.transport == bound.transport &&
                 other.port == bound.port;
        });
    if (holders > 1) ++outcomes_["shared bind"][0];
  }

  void GetSockName() {
    const int slot = PickProcess();
    const int socket = PickSocket(slot);
    int namelen = Chance(80) ? static_cast<int>(sizeof(sockaddr_in6))
                             : static_cast<int>(Below(sizeof(sockaddr_in6) + 1));
    int model_namelen = namelen;
    const bool name_present = !Chance(2);
    const bool namelen_present = !Chance(2);
    description_ = "getsockname(" + std::to_string(socket) + ", namelen " +
                   std::to_string(namelen) + ") in process " + std::to_string(slot);
    std::vector<std::uint8_t> name(sizeof(sockaddr_in6), 0xcc);
    std::vector<std::uint8_t> model_name;
    const int injected = MaybeInjectError(slot);
    const int result = processes_[slot]->getsockname(
        FakeHandle(socket), name_present ? reinterpret_cast<sockaddr*>(name.data()) : nullptr,
        namelen_present ? &namelen : nullptr);
    if (injected != 0) {
      CompareResult(slot, result, injected, "injected getsockname");
      Compare(namelen, model_namelen, "namelen after an injected failure");
      return;
    }
    const int model_error = model_.GetSockName(model_process_[slot], socket, &model_name,
                                               &model_namelen, name_present, namelen_present);
    CompareResult(slot, result, model_error, "getsockname");
    Compare(namelen, model_namelen, "namelen");
    if (result == 0 && model_error == 0) {
      Compare(std::equal(model_name.begin(), model_name.end(), name.begin()), true,
              "getsockname address");
    }
  }

  // A port some open socket is bound to (listening, when asked), so that binds meet the
  // sharing rules and connects find listeners; else any port.
  std::uint16_t PickHeldPort(bool listening) {
    return PickHeldPortIf([listening](const ModelSocket& s) { return !listening || s.listening; });
  }
  template <typename Predicate>
  std::uint16_t PickHeldPortIf(Predicate predicate) {
    std::vector<std::uint32_t> held;
    for (const ModelSocket& socket : model_.sockets()) {
      if (socket.open && socket.bound && predicate(socket)) held.push_back(socket.port);
    }
    if (held.empty()) return PickPort();
    return static_cast<std::uint16_t>(held[Below(held.size())]);
  }
  // For a bind of `socket`: mostly a port it could share, held by a socket with the same option.
  std::uint16_t PickPortToShare(int socket) {
    if (socket < 0) return PickHeldPort(false);
    const ModelSocket& binding = model_.sockets()[static_cast<std::size_t>(socket)];
    if (binding.reuse_address && Chance(80)) {
      return PickHeldPortIf([&](const ModelSocket& s) {
        return s.transport == binding.transport && s.bound_mode == ModelBindMode::kReuse;
      });
    }
    if (binding.processor && Chance(80)) {
      return PickHeldPortIf([&](const ModelSocket& s) {
        return s.transport == binding.transport && s.processor && s.process == binding.process;
      });
    }
    return PickHeldPort(false);
  }

  // Mostly an unbound socket of this process (options count before bind), of `transport` when
  // given; else any.
  template <typename Predicate>
  int PickSocketIf(int slot, Predicate predicate) {
    if (Chance(35)) return PickSocket(slot);
    std::vector<int> fit;
    for (std::size_t s = 0; s < model_.sockets().size(); ++s) {
      const ModelSocket& socket = model_.sockets()[s];
      if (socket.open && socket.process == model_process_[slot] && predicate(socket)) {
        fit.push_back(static_cast<int>(s));
      }
    }
    if (fit.empty()) return PickSocket(slot);
    return fit[Below(fit.size())];
  }

  int PickUnboundSocket(int slot, std::optional<Protocol> transport) {
    if (Chance(35)) return PickSocket(slot);
    std::vector<int> unbound;
    for (std::size_t s = 0; s < model_.sockets().size(); ++s) {
      const ModelSocket& socket = model_.sockets()[s];
      if (socket.open && !socket.bound && socket.process == model_process_[slot] &&
          socket.transport && (!transport || socket.transport == transport)) {
        unbound.push_back(static_cast<int>(s));
      }
    }
    if (unbound.empty()) return PickSocket(slot);
    return unbound[Below(unbound.size())];
  }

  static std::string Hex(int value) {
    std::ostringstream out;
    out << std::hex << "0x" << static_cast<unsigned>(value);
    return out.str();
  }

  // setsockopt / getsockopt of SO_REUSEADDR, SO_EXCLUSIVEADDRUSE and IPV6_V6ONLY, with now and
  // then an unknown level or option, a short or null buffer.
  void SockOpt() {
    const int slot = PickProcess();
    const int socket = PickUnboundSocket(slot, std::nullopt);
    const bool set = Chance(65);
    int level = SOL_SOCKET;
    int optname = SO_REUSEADDR;
    const std::size_t roll = Below(100);
    if (roll < 40) {
      optname = SO_REUSEADDR;
    } else if (roll < 68) {
      optname = SO_EXCLUSIVEADDRUSE;
    } else if (roll < 90) {
      level = IPPROTO_IPV6;
      optname = IPV6_V6ONLY;
    } else if (roll < 94) {
      optname = 0x7777;
    } else if (roll < 97) {
      level = IPPROTO_TCP;
      optname = 0x7777;
    } else {
      level = 999;
    }
    std::array<char, 8> buffer{};
    const int value = Chance(75) ? 1 : Chance(80) ? 0 : 7;
    std::memcpy(buffer.data(), &value, sizeof value);
    int optlen = Chance(90)   ? static_cast<int>(sizeof(int))
                 : Chance(70) ? static_cast<int>(Below(sizeof(int)))
                              : static_cast<int>(buffer.size());
    const bool optval_present = !Chance(2);
    const bool optlen_present = !Chance(2);
    description_ = std::string(set ? "setsockopt(" : "getsockopt(") + std::to_string(socket) +
                   ", level " + std::to_string(level) + ", option " + Hex(optname) +
                   (set ? ", value " + std::to_string(value) : std::string()) + ", optlen " +
                   std::to_string(optlen) + (optval_present ? "" : ", null optval") +
                   (set || optlen_present ? "" : ", null optlen") + ") in process " +
                   std::to_string(slot);
    const int injected = MaybeInjectError(slot);
    FakeSocketIoctl& fake = *processes_[slot];
    const int model_process = model_process_[slot];
    if (set) {
      const int result = fake.setsockopt(FakeHandle(socket), level, optname,
                                         optval_present ? buffer.data() : nullptr, optlen);
      if (injected != 0) return CompareResult(slot, result, injected, "injected setsockopt");
      const int model_error = model_.SetSockOpt(
          model_process, socket, level, optname,
          optval_present ? reinterpret_cast<const std::uint8_t*>(buffer.data()) : nullptr, optlen);
      return CompareResult(slot, result, model_error, "setsockopt");
    }
    buffer.fill('\x5a');
    int model_optlen = optlen;
    const int result = fake.getsockopt(FakeHandle(socket), level, optname,
                                       optval_present ? buffer.data() : nullptr,
                                       optlen_present ? &optlen : nullptr);
    if (injected != 0) return CompareResult(slot, result, injected, "injected getsockopt");
    int model_value = 0;
    const int model_error =
        model_.GetSockOpt(model_process, socket, level, optname, optval_present,
                          optlen_present ? &model_optlen : nullptr, &model_value);
    CompareResult(slot, result, model_error, "getsockopt");
    Compare(optlen, model_optlen, "getsockopt optlen");
    if (result == 0 && model_error == 0) {
      int read = 0;
      std::memcpy(&read, buffer.data(), sizeof read);
      Compare(read, model_value, "getsockopt value");
    } else {
      Compare(std::all_of(buffer.begin(), buffer.end(), [](char c) { return c == '\x5a'; }), true,
              "getsockopt buffer untouched by a failure");
    }
  }

  // SIO_CPU_AFFINITY through WSAIoctl: a processor, mostly one the host has; overlapped now
  // and then (it completes at once).
  void CpuAffinity() {
    const int slot = PickProcess();
    const int socket = PickUnboundSocket(slot, Protocol::kUdp);
    IoctlArguments args;
    args.code = SIO_CPU_AFFINITY;
    args.processor = static_cast<USHORT>(Chance(88)   ? Below(4)
                                         : Chance(50) ? options_.processor_count
                                                      : 0xffff);
    args.in_size = sizeof(USHORT);
    args.out_size = 0;
    args.out_present = false;
    if (Chance(5)) args.in_size = static_cast<std::uint32_t>(Chance(50) ? Below(2) : 8);
    args.in_present = !Chance(3);
    args.bytes_present = !Chance(5);
    args.overlapped = Chance(15);
    description_ = "WSAIoctl(" + std::to_string(socket) + ", SIO_CPU_AFFINITY, processor " +
                   std::to_string(args.processor) + ", cbInBuffer " + std::to_string(args.in_size) +
                   (args.in_present ? "" : ", null input") +
                   (args.bytes_present ? "" : ", null lpcbBytesReturned") +
                   (args.overlapped ? ", overlapped" : "") + ") in process " + std::to_string(slot);
    std::array<std::uint8_t, 8> in{};
    std::memcpy(in.data(), &args.processor, sizeof args.processor);
    WSAOVERLAPPED* overlapped = nullptr;
    if (args.overlapped) {
      overlapped = &overlapped_.emplace_back();
      overlapped->Internal = kUntouched;
      overlapped->InternalHigh = kUntouched;
    }
    DWORD bytes = 0xa5a5a5a5;
    const int injected = MaybeInjectError(slot);
    const int result = processes_[slot]->WSAIoctl(
        FakeHandle(socket), SIO_CPU_AFFINITY, args.in_present ? in.data() : nullptr, args.in_size,
        nullptr, 0, args.bytes_present ? &bytes : nullptr, overlapped, nullptr);
    if (injected != 0) {
      CompareResult(slot, result, injected, "injected SIO_CPU_AFFINITY");
      Compare(bytes, DWORD{0xa5a5a5a5}, "bytes returned by an injected failure");
      return;
    }
    const IoctlOutcome expected = model_.Ioctl(model_process_[slot], socket, args);
    CompareResult(slot, result, expected.error, "SIO_CPU_AFFINITY");
    Compare(bytes, expected.bytes.value_or(0xa5a5a5a5), "SIO_CPU_AFFINITY bytes returned");
    if (overlapped != nullptr) {
      const bool done = expected.error == 0 && expected.used_overlapped;
      Compare(overlapped->Internal, done ? ULONG_PTR{0} : kUntouched,
              "SIO_CPU_AFFINITY OVERLAPPED::Internal");
      Compare(overlapped->InternalHigh, done ? ULONG_PTR{0} : kUntouched,
              "SIO_CPU_AFFINITY OVERLAPPED::InternalHigh");
    }
  }

  // An address of `af` to connect to: mostly loopback, where the host's listeners are.
  std::vector<std::uint8_t> PeerAddress(int af, std::uint16_t port, std::string* where) {
    std::vector<std::uint8_t> name = Address(af, port);
    const std::size_t addr_offset =
        af == AF_INET6 ? offsetof(sockaddr_in6, sin6_addr) : offsetof(sockaddr_in, sin_addr);
    const std::size_t addr_size = af == AF_INET6 ? 16 : 4;
    const std::size_t kind = Below(12);
    if (kind == 11) {
      *where = "random bytes";
      return name;
    }
    std::fill(name.begin() + static_cast<std::ptrdiff_t>(addr_offset),
              name.begin() + static_cast<std::ptrdiff_t>(addr_offset + addr_size), 0);
    std::uint8_t* address = name.data() + addr_offset;
    if (kind < 8) {
      *where = "loopback";
      if (af == AF_INET) {
        address[0] = 127;
        address[3] = Chance(80) ? 1 : 9;
      } else if (Chance(80)) {
        address[15] = 1;
      } else {
        address[10] = address[11] = 0xff;
        address[12] = 127;
        address[15] = 1;
      }
    } else if (kind < 10) {
      *where = "elsewhere";
      address[0] = af == AF_INET ? 192 : 0x20;
      address[addr_size - 1] = 7;
    } else {
      *where = "all-zero";
    }
    return name;
  }

  void Connect() {
    const int slot = PickProcess();
    const int socket = PickSocketIf(slot, [](const ModelSocket& s) {
      return s.transport == Protocol::kTcp && !s.connected && !s.listening;
    });
    int af = socket >= 0 ? model_.sockets()[static_cast<std::size_t>(socket)].af : AF_INET;
    if (Chance(3)) af = af == AF_INET ? AF_INET6 : AF_INET;
    const std::uint16_t port = Chance(70) ? PickHeldPort(true) : PickPort();
    std::string where;
    const std::vector<std::uint8_t> name = PeerAddress(af, port, &where);
    int namelen = af == AF_INET6 ? static_cast<int>(sizeof(sockaddr_in6))
                                 : static_cast<int>(sizeof(sockaddr_in));
    if (Chance(3)) namelen = static_cast<int>(Below(sizeof(sockaddr_in6) + 1));
    const bool null_name = Chance(2);
    description_ = "connect(" + std::to_string(socket) + ", af " + std::to_string(af) + " " +
                   where + " port " + std::to_string(port) + ", namelen " +
                   std::to_string(namelen) + (null_name ? ", null name" : "") + ") in process " +
                   std::to_string(slot);
    const int injected = MaybeInjectError(slot);
    const int result = processes_[slot]->connect(
        FakeHandle(socket), null_name ? nullptr : reinterpret_cast<const sockaddr*>(name.data()),
        namelen);
    if (injected != 0) return CompareResult(slot, result, injected, "injected connect");
    const int model_error =
        model_.Connect(model_process_[slot], socket, null_name ? nullptr : name.data(), namelen);
    CompareResult(slot, result, model_error, "connect");
  }

  void Listen() {
    const int slot = PickProcess();
    const int socket = PickSocketIf(slot, [](const ModelSocket& s) {
      return s.bound && s.transport == Protocol::kTcp && !s.connected;
    });
    const int backlog = static_cast<int>(Below(5)) - 1;
    description_ = "listen(" + std::to_string(socket) + ", " + std::to_string(backlog) +
                   ") in process " + std::to_string(slot);
    const int injected = MaybeInjectError(slot);
    const int result = processes_[slot]->listen(FakeHandle(socket), backlog);
    if (injected != 0) return CompareResult(slot, result, injected, "injected listen");
    CompareResult(slot, result, model_.Listen(model_process_[slot], socket, backlog), "listen");
  }

  void Accept() {
    int slot = PickProcess();
    // Mostly the process of a listener with connections waiting.
    for (std::size_t s = 0; s < model_.sockets().size(); ++s) {
      const ModelSocket& candidate = model_.sockets()[s];
      if (candidate.open && candidate.listening && !candidate.waiting.empty() && Chance(70)) {
        for (int p = 0; p < kProcesses; ++p) {
          if (model_process_[p] == candidate.process) slot = p;
        }
        break;
      }
    }
    int socket = PickSocket(slot);
    if (Chance(85)) {
      // Mostly a listener of this process, where connections wait.
      std::vector<int> listeners;
      for (std::size_t s = 0; s < model_.sockets().size(); ++s) {
        const ModelSocket& candidate = model_.sockets()[s];
        if (candidate.open && candidate.listening && candidate.process == model_process_[slot]) {
          listeners.push_back(static_cast<int>(s));
          // Twice the chance for one with connections waiting.
          if (!candidate.waiting.empty()) listeners.push_back(static_cast<int>(s));
        }
      }
      if (!listeners.empty()) socket = listeners[Below(listeners.size())];
    }
    const bool addr_present = !Chance(15);
    const bool addrlen_present = !Chance(4);
    int addrlen = Chance(85) ? static_cast<int>(sizeof(sockaddr_in6))
                             : static_cast<int>(Below(sizeof(sockaddr_in6) + 1));
    int model_addrlen = addrlen;
    description_ = "accept(" + std::to_string(socket) + (addr_present ? "" : ", null addr") +
                   (addrlen_present ? ", addrlen " + std::to_string(addrlen) : ", null addrlen") +
                   ") in process " + std::to_string(slot);
    std::vector<std::uint8_t> addr(sizeof(sockaddr_in6), 0xcc);
    const int injected = MaybeInjectError(slot);
    const SOCKET accepted = processes_[slot]->accept(
        FakeHandle(socket), addr_present ? reinterpret_cast<sockaddr*>(addr.data()) : nullptr,
        addrlen_present ? &addrlen : nullptr);
    const int result = accepted == INVALID_SOCKET ? SOCKET_ERROR : 0;
    if (injected != 0) return CompareResult(slot, result, injected, "injected accept");
    std::vector<std::uint8_t> peer;
    int model_socket = -1;
    const int model_error =
        model_.Accept(model_process_[slot], socket, addr_present,
                      addrlen_present ? &model_addrlen : nullptr, &peer, &model_socket);
    CompareResult(slot, result, model_error, "accept");
    Compare(addrlen, model_addrlen, "accept addrlen");
    if (result != 0 || model_error != 0) return;
    if (model_socket != static_cast<int>(model_sockets_.size())) return Diverge("socket numbers");
    model_sockets_.push_back(accepted);
    auto listener_origin = origin_.find(socket);
    origin_[model_socket] = listener_origin == origin_.end() ? socket : listener_origin->second;
    if (addr_present) {
      Compare(std::equal(peer.begin(), peer.end(), addr.begin()), true, "accept peer address");
    }
  }

  void GetPeerName() {
    const int slot = PickProcess();
    const int socket = PickSocket(slot);
    int namelen = Chance(85) ? static_cast<int>(sizeof(sockaddr_in6))
                             : static_cast<int>(Below(sizeof(sockaddr_in6) + 1));
    int model_namelen = namelen;
    const bool name_present = !Chance(3);
    description_ = "getpeername(" + std::to_string(socket) + ", namelen " +
                   std::to_string(namelen) + (name_present ? "" : ", null name") + ") in process " +
                   std::to_string(slot);
    std::vector<std::uint8_t> name(sizeof(sockaddr_in6), 0xcc);
    const int injected = MaybeInjectError(slot);
    const int result = processes_[slot]->getpeername(
        FakeHandle(socket), name_present ? reinterpret_cast<sockaddr*>(name.data()) : nullptr,
        &namelen);
    if (injected != 0) return CompareResult(slot, result, injected, "injected getpeername");
    std::vector<std::uint8_t> model_name;
    const int model_error =
        model_.GetPeerName(model_process_[slot], socket, &model_name, &model_namelen, name_present);
    CompareResult(slot, result, model_error, "getpeername");
    Compare(namelen, model_namelen, "getpeername namelen");
    if (result == 0 && model_error == 0) {
      Compare(std::equal(model_name.begin(), model_name.end(), name.begin()), true,
              "getpeername address");
    }
  }

  void IoctlSocket() {
    const int slot = PickProcess();
    const int socket = PickSocket(slot);
    const long command = Chance(92) ? static_cast<long>(FIONBIO) : 0x4004667f;  // FIONREAD
    u_long argument = Chance(95) ? static_cast<u_long>(Below(2)) : 5;
    const bool argp_present = !Chance(3);
    description_ = "ioctlsocket(" + std::to_string(socket) + ", " + Hex(static_cast<int>(command)) +
                   ", " + (argp_present ? std::to_string(argument) : std::string("null")) +
                   ") in process " + std::to_string(slot);
    const int injected = MaybeInjectError(slot);
    const int result = processes_[slot]->ioctlsocket(FakeHandle(socket), command,
                                                     argp_present ? &argument : nullptr);
    if (injected != 0) return CompareResult(slot, result, injected, "injected ioctlsocket");
    CompareResult(slot, result,
                  model_.IoctlSocket(model_process_[slot], socket, command,
                                     argp_present ? &argument : nullptr),
                  "ioctlsocket");
  }

  void Persistent() {
    const Protocol protocol = Chance(50) ? Protocol::kTcp : Protocol::kUdp;
    const bool tcp = protocol == Protocol::kTcp;
    const bool elevated = !Chance(5);
    FakeIpHelper& helper = elevated ? *helper_ : *unprivileged_helper_;
    std::uint16_t port = PickPort();
    std::uint16_t count = PickCount();
    if (Chance(30)) {
      // Name an existing persistent block exactly (lookups and deletes want an exact match).
      std::vector<const ModelReservation*> persistent;
      for (const ModelReservation& r : model_.reservations()) {
        if (r.live && r.kind == ReservationKind::kPersistent) persistent.push_back(&r);
      }
      if (!persistent.empty()) {
        const ModelReservation* r = persistent[Below(persistent.size())];
        port = static_cast<std::uint16_t>(r->first);
        count = static_cast<std::uint16_t>(r->count);
      }
    }
    const bool token_present = !Chance(3);
    ULONG64 token = 0;
    ModelToken model_token = 0;
    const std::size_t kind = Below(3);
    description_ = std::string(kind == 0   ? "Create"
                               : kind == 1 ? "Delete"
                                           : "Lookup") +
                   (tcp ? "Tcp" : "Udp") + "(" + std::to_string(port) + ", " +
                   std::to_string(count) + (elevated ? "" : ", not elevated") + ")";
    ULONG result = 0;
    ULONG expected = 0;
    if (kind == 0) {
      result = tcp ? helper.CreatePersistentTcpPortReservation(htons(port), count,
                                                               token_present ? &token : nullptr)
                   : helper.CreatePersistentUdpPortReservation(htons(port), count,
                                                               token_present ? &token : nullptr);
      expected =
          model_.CreatePersistent(protocol, elevated, port, count, token_present, &model_token);
      ++outcomes_["Create"][expected == NO_ERROR ? 0 : 1];
      Compare(result, expected, "Create");
      if (result == NO_ERROR && expected == NO_ERROR) MapNewToken(token, model_token);
    } else if (kind == 1) {
      result = tcp ? helper.DeletePersistentTcpPortReservation(htons(port), count)
                   : helper.DeletePersistentUdpPortReservation(htons(port), count);
      expected = model_.DeletePersistent(protocol, elevated, port, count);
      ++outcomes_["Delete"][expected == NO_ERROR ? 0 : 1];
      Compare(result, expected, "Delete");
    } else {
      result = tcp ? helper.LookupPersistentTcpPortReservation(htons(port), count,
                                                               token_present ? &token : nullptr)
                   : helper.LookupPersistentUdpPortReservation(htons(port), count,
                                                               token_present ? &token : nullptr);
      expected = model_.LookupPersistent(protocol, port, count, token_present, &model_token);
      ++outcomes_["Lookup"][expected == NO_ERROR ? 0 : 1];
      Compare(result, expected, "Lookup");
      if (result == NO_ERROR && expected == NO_ERROR) {
        Compare(token, fake_of_token_.count(model_token) ? fake_of_token_.at(model_token) : 0,
                "Lookup token");
      }
    }
  }

  void RestartProcess() {
    const int slot = PickProcess();
    description_ = "exit and restart process " + std::to_string(slot);
    processes_[slot].reset();
    model_.ExitProcess(model_process_[slot]);
    EndPending(slot, -1, false);
    StartProcess(slot);
  }

  void Reboot() {
    description_ = "Reboot()";
    host_->Reboot();
    model_.Reboot();
    for (int slot = 0; slot < kProcesses; ++slot) EndPending(slot, -1, false);
    if (options_.persistent_tokens_change_on_reboot) MapPersistentTokensAfterReboot();
    LearnSystemBlocks();
  }

  void MapPersistentTokensAfterReboot() {
    // New tokens, in (protocol, first port) order on both sides.
    std::vector<const ModelReservation*> persistent;
    for (const ModelReservation& r : model_.reservations()) {
      if (r.live) persistent.push_back(&r);
    }
    std::sort(persistent.begin(), persistent.end(), [](auto* a, auto* b) {
      return std::make_pair(a->protocol, a->first) < std::make_pair(b->protocol, b->first);
    });
    std::vector<ReservationInfo> fake = host_->Reservations();
    fake.erase(std::remove_if(
                   fake.begin(), fake.end(),
                   [](const ReservationInfo& r) { return r.kind != ReservationKind::kPersistent; }),
               fake.end());
    if (fake.size() != persistent.size()) return Diverge("reservations after reboot");
    for (std::size_t i = 0; i < fake.size(); ++i) MapNewToken(fake[i].token, persistent[i]->token);
  }

  // ---- The whole state ----------------------------------------------------------------
  // Why the model lets sockets share a port, for the invariants.
  fuzz::SharingFactsBySocket SharingFacts() const {
    fuzz::SharingFactsBySocket facts;
    for (std::size_t m = 0; m < model_.sockets().size(); ++m) {
      const ModelSocket& s = model_.sockets()[m];
      if (!s.open) continue;
      fuzz::SharingFacts& f = facts[FakeHandle(static_cast<int>(m))];
      f.reuse_at_bind = s.bound && s.bound_mode == ModelBindMode::kReuse;
      f.affinity = s.processor.has_value();
      auto origin = origin_.find(static_cast<int>(m));
      if (origin != origin_.end()) f.origin = FakeHandle(origin->second);
    }
    return facts;
  }

  void CompareState() {
    std::vector<const ModelReservation*> live;
    for (const ModelReservation& r : model_.reservations()) {
      if (r.live) live.push_back(&r);
    }
    std::sort(live.begin(), live.end(), [](auto* a, auto* b) {
      return std::make_pair(a->protocol, a->first) < std::make_pair(b->protocol, b->first);
    });
    const std::vector<ReservationInfo> fake = host_->Reservations();
    Compare(fake.size(), live.size(), "live reservations");
    if (!divergence_.empty()) return;
    for (std::size_t i = 0; i < fake.size() && divergence_.empty(); ++i) {
      const ReservationInfo& f = fake[i];
      const ModelReservation& m = *live[i];
      auto token = model_of_token_.find(f.token);
      const bool same =
          f.protocol == m.protocol && f.kind == m.kind && f.first_port == m.first &&
          f.port_count == m.count && token != model_of_token_.end() && token->second == m.token &&
          (m.kind == ReservationKind::kPersistent ? f.owner_pid == 0
           : m.owner_process == ReferenceModel::kSystemProcess
               ? f.owner_pid == FakeHost::kSystemPid && f.owner_socket == INVALID_SOCKET
               : f.owner_pid == pid_of_model_process_.at(m.owner_process) &&
                     f.owner_socket == FakeHandle(m.owner_socket));
      if (!same) Diverge("reservation " + test_support::Describe(f) + " differs from the model");
    }
    std::size_t open = 0;
    for (const ModelSocket& s : model_.sockets()) open += s.open ? 1 : 0;
    const std::vector<SocketInfo> sockets = host_->Sockets();
    Compare(sockets.size(), open, "open sockets");
    // Handles grow with each socket, so both lists are in opening order.
    std::size_t next = 0;
    for (std::size_t m = 0; m < model_.sockets().size() && divergence_.empty(); ++m) {
      const ModelSocket& s = model_.sockets()[m];
      if (!s.open) continue;
      const SocketInfo& f = sockets[next++];
      const ULONG64 associated = s.associated == 0               ? 0
                                 : s.associated == kUnknownToken ? ~0ULL
                                                                 : fake_of_token_.at(s.associated);
      std::uint16_t peer_port_net = 0;
      if (s.connected) {
        std::memcpy(&peer_port_net, s.peer.data() + offsetof(sockaddr_in, sin_port),
                    sizeof peer_port_net);
      }
      const bool same = f.handle == FakeHandle(static_cast<int>(m)) &&
                        f.pid == pid_of_model_process_.at(s.process) && f.bound == s.bound &&
                        (!s.bound || f.port == s.port) && f.associated_token == associated &&
                        f.overlapped == s.overlapped && f.listening == s.listening &&
                        f.connected == s.connected &&
                        (!s.connected || f.peer_port == ntohs(peer_port_net));
      if (!same) Diverge("socket " + std::to_string(m) + " differs from the model");
    }
  }

  FakeHostOptions options_;
  std::mt19937_64 rng_;
  std::mt19937_64 past_tape_;  // default-seeded: a replay is deterministic
  Tapes tapes_;
  const std::vector<std::uint64_t>* replaying_ = nullptr;
  std::size_t replay_position_ = 0;
  std::vector<std::string> descriptions_;
  ReferenceModel model_;
  std::shared_ptr<FakeHost> host_;
  std::unique_ptr<FakeIpHelper> helper_;
  std::unique_ptr<FakeIpHelper> unprivileged_helper_;
  std::unique_ptr<FakeSocketIoctl> processes_[kProcesses];
  int model_process_[kProcesses] = {};
  std::map<int, std::uint32_t> pid_of_model_process_;
  std::vector<SOCKET> model_sockets_;  // model socket number -> fake handle
  std::map<int, int> origin_;          // accepted socket -> the listener it came from
  std::map<ULONG64, ModelToken> model_of_token_;
  std::map<ModelToken, ULONG64> fake_of_token_;
  std::size_t operation_ = 0;
  std::size_t compared_ = 0;
  std::string description_;
  std::string divergence_;
  std::map<std::string, std::array<std::size_t, 2>> outcomes_;
  // Overlapped calls: OVERLAPPEDs and output buffers stay put (deques) for the run, since the
  // fake writes them when a pending call completes.
  struct PendingIoctl {
    int slot;
    int socket;
    IoctlArguments args;
    WSAOVERLAPPED* overlapped;
    std::vector<std::uint8_t>* out;
  };
  static constexpr ULONG_PTR kUntouched = 0x5555;
  std::deque<WSAOVERLAPPED> overlapped_;
  std::deque<std::vector<std::uint8_t>> out_buffers_;
  std::vector<PendingIoctl> pending_;
};

// What kind of disagreement a divergence is: its text up to the first colon ("bind", "socket
// 3 differs from the model", "invariant").
std::string KindOf(const std::string& divergence) {
  return divergence.substr(0, divergence.find(':'));
}

// A disagreement cut down to a short sequence of calls that still shows it: the operations
// after it dropped, then runs of operations before it removed, halving the run length, for as
// long as the same kind of disagreement remains (at most `budget` replays).
struct Shrunk {
  Tapes tapes;
  std::vector<std::string> calls;  // what each operation called, in order
  std::string divergence;
  std::size_t replays = 0;
};

Shrunk ShrinkDisagreement(const FakeHostOptions& options, const FakeHostOptions& model_options,
                          const DifferentialRun& failed, std::size_t budget = 150) {
  Shrunk best;
  best.tapes.assign(failed.tapes().begin(),
                    failed.tapes().begin() + static_cast<std::ptrdiff_t>(failed.operation() + 1));
  const std::string kind = KindOf(failed.divergence());
  // Replays `tapes`; true (and `tapes` cut after the divergence) when it shows the same kind.
  auto diverges = [&](Tapes& tapes) {
    ++best.replays;
    DifferentialRun run(options, model_options, 0);
    if (run.Replay(tapes) || KindOf(run.divergence()) != kind) return false;
    tapes.resize(run.operation() + 1);
    return true;
  };
  for (std::size_t chunk = std::max<std::size_t>(1, best.tapes.size() / 2); best.replays < budget;
       chunk /= 2) {
    for (std::size_t start = 0; start + 1 < best.tapes.size() && best.replays < budget;) {
      Tapes candidate = best.tapes;
      const std::size_t end = std::min(start + chunk, candidate.size() - 1);  // keep the last
      candidate.erase(candidate.begin() + static_cast<std::ptrdiff_t>(start),
                      candidate.begin() + static_cast<std::ptrdiff_t>(end));
      if (diverges(candidate)) {
        best.tapes = std::move(candidate);
      } else {
        start += chunk;
      }
    }
    if (chunk == 1) break;
  }
  DifferentialRun final_run(options, model_options, 0);
  final_run.Replay(best.tapes);
  best.calls = final_run.descriptions();
  best.divergence = final_run.divergence();
  return best;
}

std::string Describe(const Shrunk& shrunk) {
  std::ostringstream out;
  out << "the same disagreement in " << shrunk.calls.size() << " calls (" << shrunk.replays
      << " replays to find them):\n";
  for (std::size_t i = 0; i < shrunk.calls.size(); ++i) {
    out << "  " << i << ". " << shrunk.calls[i] << "\n";
  }
  out << "  -> " << shrunk.divergence;
  return out.str();
}

struct Configuration {
  const char* name;
  FakeHostOptions options;
  std::uint64_t seed;
};

void PrintTo(const Configuration& configuration, std::ostream* out) {
  *out << configuration.name << " (seed " << configuration.seed << ")";
}

std::vector<Configuration> Configurations() {
  std::vector<Configuration> configurations;
  FakeHostOptions windows;  // the defaults: 49152..65535, reservations per protocol
  configurations.push_back({"WindowsDefaults", windows, 1});

  FakeHostOptions small = windows;  // a dynamic range small enough to run out
  small.dynamic_first_port = 60000;
  small.dynamic_last_port = 60063;
  small.runtime_reservations_span_protocols = true;  // the option's rules, against the model's
  configurations.push_back({"SmallDynamicRange", small, 2});

  FakeHostOptions per_protocol = small;
  per_protocol.runtime_reservations_span_protocols = false;
  per_protocol.persistent_tokens_change_on_reboot = false;
  configurations.push_back({"PerProtocolKeepTokens", per_protocol, 3});

  FakeHostOptions other_errors = windows;  // the model follows the options, not constants
  other_errors.dynamic_first_port = 65520;
  other_errors.assumed.acquire_overlap = WSAEACCES;
  other_errors.assumed.unknown_token = WSAENOTSOCK;
  other_errors.assumed.acquire_no_room = WSAEADDRNOTAVAIL;
  other_errors.assumed.bind_foreign_runtime_block = WSAEADDRINUSE;
  other_errors.assumed.associate_after_bind = WSAEISCONN;
  configurations.push_back({"TopOfRangeOtherErrors", other_errors, 4});

  FakeHostOptions from_zero = windows;  // a range given from port 0 starts at 1
  from_zero.dynamic_first_port = 0;
  from_zero.dynamic_last_port = 40;
  configurations.push_back({"RangeFromPortZero", from_zero, 5});

  FakeHostOptions per_protocol_ranges = windows;  // each protocol its own small range
  per_protocol_ranges.tcp_dynamic_range = PortRange{60000, 60047};
  per_protocol_ranges.udp_dynamic_range = PortRange{60032, 60095};
  configurations.push_back({"PerProtocolDynamicRanges", per_protocol_ranges, 6});

  FakeHostOptions system_blocks = windows;  // the System's blocks in a range they crowd
  system_blocks.dynamic_first_port = 60000;
  system_blocks.dynamic_last_port = 60511;
  system_blocks.system.blocks = 3;
  system_blocks.system.block_size = 64;
  system_blocks.system.administered_tcp_50000 = true;
  configurations.push_back({"SystemBlocks", system_blocks, 7});
  return configurations;
}

class DifferentialTest : public ::testing::TestWithParam<Configuration> {};

TEST_P(DifferentialTest, FakeAgreesWithReferenceModel) {
  const Configuration& configuration = GetParam();
  DifferentialRun run(configuration.options, configuration.seed);
  const std::size_t operations = OperationsPerRun();
  const ::testing::AssertionResult agreed = run.Run(operations);
  if (!agreed) {
    ADD_FAILURE() << agreed.message() << " (seed " << configuration.seed << ")\n"
                  << Describe(
                         ShrinkDisagreement(configuration.options, configuration.options, run));
    return;
  }
  RecordProperty("operations", static_cast<int>(operations));
  RecordProperty("comparisons", static_cast<int>(run.compared()));
  if (operations < kDefaultOperations) return;
  for (const char* call : {"WSAIoctl", "bind", "getsockname", "closesocket", "Create", "Delete",
                           "Lookup", "completion", "setsockopt", "getsockopt", "SIO_CPU_AFFINITY",
                           "connect", "listen", "accept", "getpeername", "ioctlsocket"}) {
    const auto it = run.outcomes().find(call);
    ASSERT_NE(it, run.outcomes().end()) << call << " never ran";
    EXPECT_GT(it->second[0], 10u) << call << " rarely succeeded";
    EXPECT_GT(it->second[1], 10u) << call << " rarely failed";
  }
  EXPECT_GT(run.outcomes().at("left pending")[0], 10u);
  const auto shared = run.outcomes().find("shared bind");
  EXPECT_TRUE(shared != run.outcomes().end() && shared->second[0] > 10u)
      << "binds rarely shared a port";
}

// The shrinker, on a disagreement made on purpose (the model expects another error for an
// acquire over a reserved block): it finds a short sequence that still shows it, and prints it.
TEST(DifferentialShrink, ADisagreement_IsCutDownToAShortSequenceThatStillShowsIt) {
  FakeHostOptions fake;
  FakeHostOptions model = fake;
  model.assumed.acquire_overlap = WSAEACCES;  // the fake answers WSAEADDRINUSE
  DifferentialRun run(fake, model, 11);
  ASSERT_FALSE(run.Run(kDefaultOperations));
  const Shrunk shrunk = ShrinkDisagreement(fake, model, run);
  EXPECT_EQ(KindOf(shrunk.divergence), KindOf(run.divergence()));
  EXPECT_LE(shrunk.calls.size(), 6u) << Describe(shrunk);
  EXPECT_LT(shrunk.calls.size(), run.operation() + 1);
  const std::string text = Describe(shrunk);
  EXPECT_NE(text.find("WSAIoctl("), std::string::npos) << text;
  EXPECT_NE(text.find("socket("), std::string::npos) << text;
  // The sequence printed replays to the same disagreement on its own.
  DifferentialRun again(fake, model, 0);
  EXPECT_FALSE(again.Replay(shrunk.tapes));
  EXPECT_EQ(again.divergence(), shrunk.divergence);
}

INSTANTIATE_TEST_SUITE_P(Model, DifferentialTest, ::testing::ValuesIn(Configurations()),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace portres::model
