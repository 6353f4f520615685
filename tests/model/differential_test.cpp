// The fake against the reference model: long seeded random sequences of calls, run on both,
// every return value, error code, bytes-returned value and output buffer compared, and the
// host's reservations and sockets compared with the model's after every call.
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

// One differential run: a fake host and the model, driven by the same random choices.
class DifferentialRun {
 public:
  DifferentialRun(const FakeHostOptions& options, std::uint64_t seed)
      : options_(options), rng_(seed), model_(options) {
    host_ = std::make_shared<FakeHost>(options_);
    FakeIpHelperOptions unprivileged;
    unprivileged.elevated = false;
    helper_ = std::make_unique<FakeIpHelper>(host_);
    unprivileged_helper_ = std::make_unique<FakeIpHelper>(host_, unprivileged);
    for (int p = 0; p < kProcesses; ++p) StartProcess(p);
  }

  // Runs `operations` random calls; stops at the first divergence and describes it.
  ::testing::AssertionResult Run(std::size_t operations) {
    for (operation_ = 0; operation_ < operations; ++operation_) {
      description_.clear();
      Step();
      if (divergence_.empty()) CompareState();
      if (divergence_.empty()) {
        const std::string violation = test_support::CheckHostInvariants(*host_);
        if (!violation.empty()) divergence_ = "invariant: " + violation;
      }
      if (!divergence_.empty()) {
        return ::testing::AssertionFailure()
               << "operation " << operation_ << " (" << description_ << "): " << divergence_;
      }
    }
    return ::testing::AssertionSuccess();
  }

  std::size_t compared() const { return compared_; }
  // How often each call succeeded ([0]) and failed ([1]) in the model: a run that never
  // reaches a branch compares nothing there.
  const std::map<std::string, std::array<std::size_t, 2>>& outcomes() const { return outcomes_; }

 private:
  // ---- Processes, sockets and tokens as both sides name them --------------------------
  void StartProcess(int slot) {
    FakeProcessOptions process_options;
    process_options.elevated = slot != kProcesses - 1;
    processes_[slot] = std::make_unique<FakeSocketIoctl>(host_, process_options);
    model_process_[slot] = model_.AddProcess(process_options.elevated);
    pid_of_model_process_[model_process_[slot]] = processes_[slot]->pid();
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

  std::size_t Below(std::size_t n) { return n == 0 ? 0 : rng_() % n; }
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
      ULONG64 bogus = rng_();
      while (bogus == 0 || model_of_token_.count(bogus) != 0) bogus = rng_();
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
    if (roll < 130) return OpenSocket();
    if (roll < 190) return CloseSocket();
    if (roll < 420) return Ioctl(SIO_ACQUIRE_PORT_RESERVATION);
    if (roll < 500) return Ioctl(SIO_RELEASE_PORT_RESERVATION);
    if (roll < 600) return Ioctl(SIO_ASSOCIATE_PORT_RESERVATION);
    if (roll < 610) return Ioctl(Chance(50) ? SIO_ACQUIRE_PORT_RESERVATION + 3 : 0x4004667e);
    if (roll < 640) return CompleteOne();
    if (roll < 760) return Bind();
    if (roll < 820) return GetSockName();
    if (roll < 990) return Persistent();
    if (roll < 996) return RestartProcess();
    return Reboot();
  }

  void OpenSocket() {
    const int slot = PickProcess();
    static constexpr int kFamilies[] = {AF_INET, AF_INET6, AF_INET, AF_INET6, AF_UNIX, 99};
    static constexpr int kTypes[] = {SOCK_STREAM, SOCK_DGRAM, SOCK_STREAM,
                                     SOCK_DGRAM,  SOCK_RAW,   42};
    int af = kFamilies[Below(Chance(90) ? 2 : 6)];
    int type = kTypes[Below(Chance(90) ? 2 : 6)];
    int protocol = Chance(80) ? 0 : (Chance(50) ? IPPROTO_TCP : IPPROTO_UDP);
    description_ = "socket(" + std::to_string(af) + ", " + std::to_string(type) + ", " +
                   std::to_string(protocol) + ") in process " + std::to_string(slot);
    const int injected = MaybeInjectError(slot);
    const SOCKET handle = processes_[slot]->socket(af, type, protocol);
    if (injected != 0) {
      Compare(handle, INVALID_SOCKET, "socket() with an injected error");
      Compare(processes_[slot]->WSAGetLastError(), injected, "injected socket() error");
      return;
    }
    int model_error = 0;
    const int model_socket = model_.Socket(model_process_[slot], af, type, protocol, &model_error);
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
    CompareResult(slot, result, expected.error, "WSAIoctl");
    Compare(bytes, expected.bytes.value_or(0xa5a5a5a5), "bytes returned");
    if (expected.error == WSA_IO_PENDING) {
      ++outcomes_["left pending"][0];
      Compare(overlapped->Internal, ULONG_PTR{0x103}, "pending OVERLAPPED::Internal");
      pending_.push_back(PendingIoctl{slot, socket, args, overlapped, out});
      return;
    }
    CompareOutput(*out, expected);
    if (overlapped != nullptr) {
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
      for (auto& b : name) b = static_cast<std::uint8_t>(rng_());
    }
    const decltype(sockaddr::sa_family) family = static_cast<decltype(sockaddr::sa_family)>(af);
    std::memcpy(name.data() + offsetof(sockaddr, sa_family), &family, sizeof family);
    const std::uint16_t port_net = htons(port);
    std::memcpy(name.data() + offsetof(sockaddr_in, sin_port), &port_net, sizeof port_net);
    return name;
  }

  void Bind() {
    const int slot = PickProcess();
    const int socket = PickSocket(slot);
    int af = socket >= 0 ? model_.sockets()[static_cast<std::size_t>(socket)].af : AF_INET;
    if (Chance(3)) af = af == AF_INET ? AF_INET6 : AF_INET;
    const std::uint16_t port = Chance(45) ? 0 : PickPort();
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
    if (!options_.persistent_tokens_change_on_reboot) return;
    // New tokens, in (protocol, first port) order on both sides.
    std::vector<const ModelReservation*> persistent;
    for (const ModelReservation& r : model_.reservations()) {
      if (r.live) persistent.push_back(&r);
    }
    std::sort(persistent.begin(), persistent.end(), [](auto* a, auto* b) {
      return std::make_pair(a->protocol, a->first) < std::make_pair(b->protocol, b->first);
    });
    const std::vector<ReservationInfo> fake = host_->Reservations();
    if (fake.size() != persistent.size()) return Diverge("reservations after reboot");
    for (std::size_t i = 0; i < fake.size(); ++i) MapNewToken(fake[i].token, persistent[i]->token);
  }

  // ---- The whole state ----------------------------------------------------------------
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
      const bool same = f.protocol == m.protocol && f.kind == m.kind && f.first_port == m.first &&
                        f.port_count == m.count && token != model_of_token_.end() &&
                        token->second == m.token &&
                        (m.kind == ReservationKind::kPersistent
                             ? f.owner_pid == 0
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
      const bool same = f.handle == FakeHandle(static_cast<int>(m)) &&
                        f.pid == pid_of_model_process_.at(s.process) && f.bound == s.bound &&
                        (!s.bound || f.port == s.port) && f.associated_token == associated;
      if (!same) Diverge("socket " + std::to_string(m) + " differs from the model");
    }
  }

  FakeHostOptions options_;
  std::mt19937_64 rng_;
  ReferenceModel model_;
  std::shared_ptr<FakeHost> host_;
  std::unique_ptr<FakeIpHelper> helper_;
  std::unique_ptr<FakeIpHelper> unprivileged_helper_;
  std::unique_ptr<FakeSocketIoctl> processes_[kProcesses];
  int model_process_[kProcesses] = {};
  std::map<int, std::uint32_t> pid_of_model_process_;
  std::vector<SOCKET> model_sockets_;  // model socket number -> fake handle
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
  FakeHostOptions windows;  // the defaults: 49152..65535, reservations span protocols
  configurations.push_back({"WindowsDefaults", windows, 1});

  FakeHostOptions small = windows;  // a dynamic range small enough to run out
  small.dynamic_first_port = 60000;
  small.dynamic_last_port = 60063;
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
  return configurations;
}

class DifferentialTest : public ::testing::TestWithParam<Configuration> {};

TEST_P(DifferentialTest, FakeAgreesWithReferenceModel) {
  const Configuration& configuration = GetParam();
  DifferentialRun run(configuration.options, configuration.seed);
  const std::size_t operations = OperationsPerRun();
  EXPECT_TRUE(run.Run(operations)) << "seed " << configuration.seed;
  RecordProperty("operations", static_cast<int>(operations));
  RecordProperty("comparisons", static_cast<int>(run.compared()));
  if (operations < kDefaultOperations) return;
  for (const char* call : {"WSAIoctl", "bind", "getsockname", "closesocket", "Create", "Delete",
                           "Lookup", "completion"}) {
    const auto it = run.outcomes().find(call);
    ASSERT_NE(it, run.outcomes().end()) << call << " never ran";
    EXPECT_GT(it->second[0], 10u) << call << " rarely succeeded";
    EXPECT_GT(it->second[1], 10u) << call << " rarely failed";
  }
  EXPECT_GT(run.outcomes().at("left pending")[0], 10u);
}

INSTANTIATE_TEST_SUITE_P(Model, DifferentialTest, ::testing::ValuesIn(Configurations()),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace portres::model
