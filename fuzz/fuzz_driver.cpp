// The fuzz driver (see fuzz_driver.h). The input is read front to back: a few bytes choose the
// host's options and the processes' privileges, then each operation takes one byte for its kind
// and a few more for its arguments. Running out of bytes reads zeros and ends the run.
//
// Buffers handed to the fake are allocated with exactly the size the call declares, so that
// AddressSanitizer reports any read or write past what the caller promised. Output buffers of
// overlapped calls live until the end of the run: the fake writes them when the call completes.
#include "fuzz_driver.h"

#include <portres/call_log.h>
#include <portres/fake_host.h>
#include <portres/fake_ip_helper.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/fault.h>
#include <portres/winsock.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "invariants.h"
#include "port_sharing.h"

namespace portres::fuzz {
namespace {

using test_support::CheckUnchanged;
using test_support::HostSnapshot;
using test_support::TakeSnapshot;

constexpr std::size_t kMaxOperations = 2048;
constexpr std::size_t kMaxBufferSize = 64;
constexpr DWORD kBytesSentinel = 0xa5a5a5a5;
constexpr ULONG_PTR kStatusPending = 0x103;
constexpr std::size_t kOverlappedSlots = 4;

[[noreturn]] void Violation(const std::string& what) {
  std::fprintf(stderr, "portres fuzz: invariant violated: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

void Require(bool condition, const char* what) {
  if (!condition) Violation(what);
}

void RequireEmpty(const std::string& violation, const char* context) {
  if (!violation.empty()) Violation(std::string(context) + ": " + violation);
}

// Reads the input front to back; zeros once it runs out.
class ByteReader {
 public:
  ByteReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool empty() const { return position_ >= size_; }
  std::uint8_t Byte() { return position_ < size_ ? data_[position_++] : 0; }
  std::uint16_t U16() { return static_cast<std::uint16_t>(Byte() | Byte() << 8); }
  std::uint32_t U32() { return U16() | static_cast<std::uint32_t>(U16()) << 16; }
  std::uint64_t U64() { return U32() | static_cast<std::uint64_t>(U32()) << 32; }
  std::size_t Below(std::size_t n) { return n == 0 ? 0 : Byte() % n; }
  bool Chance(unsigned in) { return Byte() % in == 0; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t position_ = 0;
};

// An overlapped call completes with the bytes of its success, or with none.
void CheckCompletion(DWORD error, DWORD bytes, LPWSAOVERLAPPED overlapped, DWORD flags) {
  Require(overlapped != nullptr, "completion routine called without its OVERLAPPED");
  Require(flags == 0, "completion routine called with flags");
  Require(error != 0 ? bytes == 0 : (bytes == 0 || bytes == sizeof(INET_PORT_RESERVATION_INSTANCE)),
          "completion routine: bytes do not match the outcome");
  Require(overlapped->Internal == error && overlapped->InternalHigh == bytes,
          "completion routine: OVERLAPPED does not hold the outcome");
}

struct ProcessSlot {
  // Declared before the process so that they outlive it: the fake writes them on completion.
  std::array<WSAOVERLAPPED, kOverlappedSlots> overlapped{};
  FakeProcessOptions options;
  std::unique_ptr<FakeSocketIoctl> api;
  std::vector<SOCKET> handles;  // every handle this process was given, open or not
  std::vector<WSAEVENT> events;
};

class Driver {
 public:
  Driver(const std::uint8_t* data, std::size_t size) : in_(data, size) {}

  std::size_t Run() {
    Configure();
    std::size_t operations = 0;
    while (!in_.empty() && operations < kMaxOperations) {
      Step();
      ++operations;
      RequireEmpty(CheckHostInvariantsWithSharing(TakeSnapshot(*host_), host_->options(), facts_),
                   "after a call");
    }
    return operations;
  }

 private:
  // ---- Set-up ----------------------------------------------------------------------------
  void Configure() {
    const std::uint8_t flags = in_.Byte();
    options_.runtime_reservations_span_protocols = (flags & 1) == 0;
    options_.persistent_tokens_change_on_reboot = (flags & 2) == 0;
    switch ((flags >> 2) & 3) {
      case 0:
        break;  // the Windows range 49152..65535
      case 1:   // a small range, so that wildcards and ephemeral binds run out
        options_.dynamic_first_port = static_cast<std::uint16_t>(60000 + in_.Below(64));
        options_.dynamic_last_port =
            static_cast<std::uint16_t>(options_.dynamic_first_port + in_.Below(48));
        break;
      case 2:  // the top of the port space
        options_.dynamic_first_port = static_cast<std::uint16_t>(65535 - in_.Below(8));
        options_.dynamic_last_port = 65535;
        break;
      default: {                                  // anything, including an empty range
        options_.dynamic_first_port = in_.U16();  // 0 too: the host starts the range at 1
        options_.dynamic_last_port = in_.U16();
        break;
      }
    }
    options_.seed = in_.U64();
    // The machine's own state, from the seed's top bits (no byte more is read, so existing
    // inputs keep their meaning for every call): a TCP range of its own inside the shared one,
    // the System's scattered blocks (placed anew at each Reboot), scattered wildcards.
    const std::uint64_t machine = options_.seed >> 40;
    if ((machine & (1U << 23)) != 0 && options_.dynamic_first_port != 0 &&
        options_.dynamic_first_port <= options_.dynamic_last_port) {
      const std::uint32_t span = options_.dynamic_last_port - options_.dynamic_first_port;
      options_.tcp_dynamic_range = PortRange{
          options_.dynamic_first_port,
          static_cast<std::uint16_t>(options_.dynamic_first_port + (machine & 0xff) % (span + 1))};
    }
    if ((machine & (1U << 22)) != 0) {
      options_.system.blocks = (machine >> 8) & 7;
      options_.system.block_size = static_cast<std::uint16_t>(1 + ((machine >> 11) & 31));
    }
    options_.scatter_wildcard_acquires = (machine & (1U << 21)) != 0;
    options_.call_log_capacity = 1 + in_.Below(8);
    host_ = std::make_shared<FakeHost>(options_);
    for (std::size_t p = 0; p < 2; ++p) {
      processes_[p].options.elevated = p == 0 ? (flags & 16) == 0 : (flags & 128) == 0;
      processes_[p].options.pend_overlapped_calls = p == 1 && (flags & 32) != 0;
      processes_[p].api = std::make_unique<FakeSocketIoctl>(host_, processes_[p].options);
    }
    FakeIpHelperOptions helper_options;
    helper_options.elevated = (flags & 64) == 0;
    ip_helper_ = std::make_unique<FakeIpHelper>(host_, helper_options);
  }

  // ---- Choosing arguments -------------------------------------------------------------
  ProcessSlot& PickProcess() { return processes_[in_.Below(2)]; }

  SOCKET PickSocket(const ProcessSlot& process) {
    const std::uint8_t choice = in_.Byte();
    const ProcessSlot& other = &process == &processes_[0] ? processes_[1] : processes_[0];
    switch (choice % 8) {
      case 5:
        if (!other.handles.empty()) return other.handles[in_.Below(other.handles.size())];
        return INVALID_SOCKET;
      case 6:
        return INVALID_SOCKET;
      case 7:
        return static_cast<SOCKET>(in_.U16());
      default:
        if (process.handles.empty()) return INVALID_SOCKET;
        // Most often one of the newest: older handles are mostly closed.
        return process.handles[process.handles.size() - 1 -
                               in_.Below(std::min<std::size_t>(process.handles.size(), 8))];
    }
  }

  ULONG64 PickToken() {
    switch (in_.Below(6)) {
      case 0:
      case 1:
      case 2:
        if (!tokens_.empty()) return tokens_[tokens_.size() - 1 - in_.Below(tokens_.size())];
        return 0;
      case 3: {
        const auto live = host_->Reservations();
        if (!live.empty()) return live[in_.Below(live.size())].token;
        return 0;
      }
      case 4:
        return INVALID_PORT_RESERVATION_TOKEN;
      default:
        return in_.U64();
    }
  }

  std::uint16_t PickPort() {
    switch (in_.Below(8)) {
      case 0:
        return 0;
      case 1:
      case 2: {
        const std::uint32_t first = options_.dynamic_first_port;
        const std::uint32_t last = std::max<std::uint32_t>(first, options_.dynamic_last_port);
        return static_cast<std::uint16_t>(first + in_.U16() % (last - first + 1));
      }
      case 3: {
        const auto live = host_->Reservations();
        if (live.empty()) return 0;
        const ReservationInfo& r = live[in_.Below(live.size())];
        return static_cast<std::uint16_t>(r.first_port + in_.Below(r.port_count + 1u));
      }
      case 4:
        return static_cast<std::uint16_t>(65535 - in_.Below(16));
      case 5:
        return in_.U16();
      default:
        return static_cast<std::uint16_t>(5000 + in_.Below(64));
    }
  }

  std::uint16_t PickCount() {
    switch (in_.Below(4)) {
      case 0:
        return 1;
      case 1:
        return static_cast<std::uint16_t>(1 + in_.Below(16));
      case 2:
        return in_.U16();
      default:
        return static_cast<std::uint16_t>(in_.Below(4));
    }
  }

  DWORD PickIoctlCode() {
    switch (in_.Below(8)) {
      case 0:
      case 1:
      case 6:
        return SIO_ACQUIRE_PORT_RESERVATION;
      case 2:
      case 7:
        return SIO_RELEASE_PORT_RESERVATION;
      case 3:
        return SIO_ASSOCIATE_PORT_RESERVATION;
      case 4:
        return in_.U32();
      default:
        return in_.Chance(2) ? SIO_ACQUIRE_PORT_RESERVATION - 1
                             : SIO_ASSOCIATE_PORT_RESERVATION + 1;
    }
  }

  // A buffer of exactly `size` bytes (a distinct non-null pointer even for 0), filled from the
  // staging bytes.
  static std::vector<std::uint8_t> Exact(std::size_t size, const std::uint8_t* staging) {
    std::vector<std::uint8_t> buffer(size);
    if (size != 0) std::memcpy(buffer.data(), staging, std::min(size, kMaxBufferSize));
    return buffer;
  }
  static void* Pointer(std::vector<std::uint8_t>& buffer) {
    // An empty vector may hand out nullptr; a zero-size buffer is still a valid address.
    static std::uint8_t empty_buffer;
    return buffer.empty() ? static_cast<void*>(&empty_buffer) : buffer.data();
  }

  // ---- One operation -------------------------------------------------------------------
  void Step() {
    switch (in_.Below(17)) {
      case 0:
      case 1:
        return OpenSocket();
      case 2:
        return CloseSocket();
      case 3:
      case 4:
      case 5:
        return Ioctl();
      case 6:
      case 7:
        return Bind();
      case 8:
        return GetSockName();
      case 9:
        return InjectFault();
      case 10:
        return CompletePending();
      case 11:
        return GetOverlappedResult();
      case 12:
      case 13:
        return Persistent();
      case 14:
        return Events();
      case 16:
        return Surface();
      default:
        return in_.Chance(4) ? HostControl() : Sharing();
    }
  }

  // The call log's newest record is this call, and the last error matches it.
  void CheckRecord(ProcessSlot& process, std::uint64_t count_before, Api api, SOCKET s, int result,
                   bool failed) {
    Require(process.api->CallCount() == count_before + 1, "a call was not counted once");
    const std::vector<CallRecord> log = process.api->CallLog();
    Require(!log.empty(), "the call log is empty after a call");
    const CallRecord& record = log.back();
    Require(record.call.index == count_before, "call log: wrong index");
    Require(record.call.api == api, "call log: wrong api");
    if (api != Api::kSocket) Require(record.call.socket == s, "call log: wrong socket");
    Require(record.result == result, "call log: wrong result");
    if (failed) {
      Require(record.error != 0 || record.injected, "call log: a failure without an error");
      if (record.error != 0) {
        Require(process.api->WSAGetLastError() == record.error,
                "WSAGetLastError() differs from the logged error");
      }
    } else {
      Require(record.error == 0, "call log: a success with an error");
    }
  }

  void OpenSocket() {
    ProcessSlot& process = PickProcess();
    static constexpr int kFamilies[] = {AF_INET, AF_INET6, AF_UNIX, AF_INET, 12345};
    static constexpr int kTypes[] = {SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_STREAM, 77};
    static constexpr int kProtocols[] = {0, IPPROTO_TCP, IPPROTO_UDP, 0, 255};
    const int af = kFamilies[in_.Below(5)];
    const int type = kTypes[in_.Below(5)];
    const int protocol = kProtocols[in_.Below(5)];
    const HostSnapshot before = TakeSnapshot(*host_);
    const std::uint64_t count = process.api->CallCount();
    const SOCKET s = process.api->socket(af, type, protocol);
    const bool failed = s == INVALID_SOCKET;
    CheckRecord(process, count, Api::kSocket, s, failed ? SOCKET_ERROR : 0, failed);
    const HostSnapshot after = TakeSnapshot(*host_);
    if (failed) {
      RequireEmpty(CheckUnchanged(before, after), "a failed socket()");
      return;
    }
    Require(after.sockets.size() == before.sockets.size() + 1, "socket() did not add a socket");
    Require(std::find(process.handles.begin(), process.handles.end(), s) == process.handles.end(),
            "socket() reused a handle");
    process.handles.push_back(s);
  }

  void CloseSocket() {
    ProcessSlot& process = PickProcess();
    const SOCKET s = PickSocket(process);
    const HostSnapshot before = TakeSnapshot(*host_);
    const std::uint64_t count = process.api->CallCount();
    const int result = process.api->closesocket(s);
    Require(result == 0 || result == SOCKET_ERROR, "closesocket: odd result");
    CheckRecord(process, count, Api::kCloseSocket, s, result, result != 0);
    const HostSnapshot after = TakeSnapshot(*host_);
    if (result != 0) {
      RequireEmpty(CheckUnchanged(before, after), "a failed closesocket()");
      return;
    }
    for (const SocketInfo& info : after.sockets) Require(info.handle != s, "closed socket lives");
    for (const ReservationInfo& r : after.reservations) {
      Require(r.owner_socket != s, "a closed socket's reservation lives on");
    }
  }

  void Ioctl() {
    ProcessSlot& process = PickProcess();
    const SOCKET s = PickSocket(process);
    const DWORD code = PickIoctlCode();

    // The input: a range or a token, whatever the code, then random bytes.
    std::array<std::uint8_t, kMaxBufferSize> staging{};
    for (auto& b : staging) b = in_.Byte();
    const bool range_input =
        in_.Chance(4) ? code != SIO_ACQUIRE_PORT_RESERVATION : code == SIO_ACQUIRE_PORT_RESERVATION;
    INET_PORT_RANGE range{};
    ULONG64 token = 0;
    std::size_t natural_size = 0;
    if (range_input) {
      range.StartPort = htons(PickPort());
      range.NumberOfPorts = PickCount();
      std::memcpy(staging.data(), &range, sizeof range);
      natural_size = sizeof range;
    } else {
      token = PickToken();
      std::memcpy(staging.data(), &token, sizeof token);
      natural_size = sizeof token;
    }
    std::size_t in_size = natural_size;
    switch (in_.Below(8)) {
      case 0:
        in_size = 0;
        break;
      case 1:
        in_size = in_.Below(kMaxBufferSize + 1);
        break;
      case 2:
        in_size = natural_size - 1;
        break;
      case 3:
        in_size = natural_size + 1 + in_.Below(8);
        break;
      default:
        break;
    }
    const bool null_in = in_.Chance(10);
    std::size_t out_size = code == SIO_ACQUIRE_PORT_RESERVATION || in_.Chance(8)
                               ? sizeof(INET_PORT_RESERVATION_INSTANCE)
                               : 0;
    if (in_.Chance(6)) out_size = in_.Below(kMaxBufferSize + 1);
    const bool null_out = in_.Chance(out_size == 0 ? 2 : 10);
    const bool null_bytes = in_.Chance(8);
    LPWSAOVERLAPPED overlapped = nullptr;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = nullptr;
    if (in_.Chance(3)) {
      overlapped = &process.overlapped[in_.Below(kOverlappedSlots)];
      // An OVERLAPPED belongs to one outstanding call at a time (a caller's rule on Windows).
      const auto pending = process.api->PendingCalls();
      if (std::find(pending.begin(), pending.end(), overlapped) != pending.end()) {
        overlapped = nullptr;
      }
    }
    if (overlapped != nullptr) {
      overlapped->hEvent = process.events.empty() || in_.Chance(2)
                               ? WSA_INVALID_EVENT
                               : process.events[in_.Below(process.events.size())];
      if (in_.Chance(2)) routine = &CheckCompletion;
    }

    std::vector<std::uint8_t> in_buffer = Exact(in_size, staging.data());
    std::vector<std::uint8_t> local_out;
    std::vector<std::uint8_t>* out_buffer = &local_out;
    if (overlapped != nullptr) {
      keepalive_.emplace_back();  // the fake may write it when the call completes, later
      out_buffer = &keepalive_.back();
    }
    out_buffer->assign(out_size, 0xcc);
    DWORD bytes = kBytesSentinel;

    // A socket of WSASocket without WSA_FLAG_OVERLAPPED: the call ignores lpOverlapped.
    bool attribute = true;
    for (const SocketInfo& info : host_->Sockets()) {
      if (info.handle == s && info.pid == process.api->pid()) attribute = info.overlapped;
    }
    const HostSnapshot before = TakeSnapshot(*host_);
    const std::uint64_t count = process.api->CallCount();
    const int result = process.api->WSAIoctl(
        s, code, null_in ? nullptr : Pointer(in_buffer), static_cast<DWORD>(in_size),
        null_out ? nullptr : Pointer(*out_buffer), static_cast<DWORD>(out_size),
        null_bytes ? nullptr : &bytes, overlapped, routine);
    in_buffer.assign(in_buffer.size(), 0xdd);  // the fake must have copied what it needs

    Require(result == 0 || result == SOCKET_ERROR, "WSAIoctl: odd result");
    CheckRecord(process, count, Api::kWSAIoctl, s, result, result != 0);
    const CallRecord record = process.api->CallLog().back();
    Require(record.call.code == code, "call log: wrong IOCTL code");
    if (!attribute) overlapped = nullptr;  // from here on: what the call made of it
    Require(record.call.overlapped == (overlapped != nullptr), "call log: wrong overlapped flag");
    const HostSnapshot after = TakeSnapshot(*host_);

    if (result != 0) {
      const int error = process.api->WSAGetLastError();
      Require(null_bytes || bytes == kBytesSentinel || bytes == 0,
              "a failed WSAIoctl left bytes other than 0");
      if (error != WSA_IO_PENDING || record.injected) {
        if (error != WSA_IO_PENDING) RequireEmpty(CheckUnchanged(before, after), "rejected IOCTL");
        return;
      }
      // Pending: nothing happened yet, and the call waits in the process's queue.
      RequireEmpty(CheckUnchanged(before, after), "pending IOCTL");
      Require(overlapped != nullptr, "WSA_IO_PENDING without an OVERLAPPED");
      Require(overlapped->Internal == kStatusPending, "pending OVERLAPPED::Internal");
      const auto pending = process.api->PendingCalls();
      Require(std::find(pending.begin(), pending.end(), overlapped) != pending.end(),
              "WSA_IO_PENDING but not in PendingCalls()");
      return;
    }

    // Success.
    if (overlapped != nullptr) {
      Require(overlapped->Internal == 0, "completed OVERLAPPED::Internal");
    }
    if (code == SIO_CPU_AFFINITY) facts_[s].affinity = true;
    if (code != SIO_ACQUIRE_PORT_RESERVATION) {
      Require(null_bytes || bytes == 0, "release/associate returned bytes");
      return;
    }
    Require(null_bytes || bytes == sizeof(INET_PORT_RESERVATION_INSTANCE),
            "a successful acquire did not return 16 bytes");
    Require(overlapped == nullptr || overlapped->InternalHigh == bytes || null_bytes,
            "OVERLAPPED::InternalHigh differs from the bytes returned");
    INET_PORT_RESERVATION_INSTANCE instance{};
    std::memcpy(&instance, out_buffer->data(), sizeof instance);
    std::memcpy(&range, staging.data(), sizeof range);
    const std::uint16_t granted = ntohs(instance.Reservation.StartPort);
    Require(instance.Reservation.NumberOfPorts == range.NumberOfPorts, "acquire: wrong count");
    Require(range.StartPort == 0 || instance.Reservation.StartPort == range.StartPort,
            "acquire: a specific request got another start");
    Require(record.granted_port == granted && record.token == instance.Token.Token,
            "call log: acquire record differs from the output");
    NoteNewToken(instance.Token.Token);
    Require(after.reservations.size() == before.reservations.size() + 1,
            "acquire did not add one reservation");
    bool listed = false;
    for (const ReservationInfo& r : after.reservations) {
      if (r.token != instance.Token.Token) continue;
      listed = r.kind == ReservationKind::kRuntime && r.first_port == granted &&
               r.port_count == range.NumberOfPorts && r.owner_socket == s &&
               r.owner_pid == process.api->pid();
    }
    Require(listed, "the acquired block is not listed as returned");
  }

  void NoteNewToken(ULONG64 token) {
    Require(token != INVALID_PORT_RESERVATION_TOKEN, "token 0 issued");
    Require(issued_.insert(token).second, "a token was issued twice");
    tokens_.push_back(token);
  }

  void Bind() {
    ProcessSlot& process = PickProcess();
    BindWith(process, PickSocket(process), std::nullopt);
  }

  // bind() of `s`, to `chosen` when given, else to a port of PickPort().
  void BindWith(ProcessSlot& process, SOCKET s, std::optional<std::uint16_t> chosen) {
    int af = AF_INET;
    for (const SocketInfo& info : host_->Sockets()) {
      if (info.handle == s) af = info.af;
    }
    int family = af;
    switch (in_.Below(8)) {
      case 0:
        family = af == AF_INET ? AF_INET6 : AF_INET;
        break;
      case 1:
        family = in_.U16();
        break;
      default:
        break;
    }
    const std::uint16_t port = chosen ? *chosen : PickPort();
    std::array<std::uint8_t, kMaxBufferSize> staging{};
    if (in_.Chance(4)) {
      for (auto& b : staging) b = in_.Byte();
    }
    const decltype(sockaddr::sa_family) family_field =
        static_cast<decltype(sockaddr::sa_family)>(family);
    std::memcpy(staging.data() + offsetof(sockaddr, sa_family), &family_field, sizeof family_field);
    const std::uint16_t port_net = htons(port);
    std::memcpy(staging.data() + offsetof(sockaddr_in, sin_port), &port_net, sizeof port_net);
    int namelen = family == AF_INET6 ? static_cast<int>(sizeof(sockaddr_in6))
                                     : static_cast<int>(sizeof(sockaddr_in));
    switch (in_.Below(8)) {
      case 0:
        namelen = static_cast<int>(in_.Below(kMaxBufferSize + 1));
        break;
      case 1:
        namelen = -1;
        break;
      case 2:
        namelen = static_cast<int>(sizeof(sockaddr_in6));
        break;
      default:
        break;
    }
    std::vector<std::uint8_t> name =
        Exact(namelen < 0 ? 0 : static_cast<std::size_t>(namelen), staging.data());
    const bool null_name = in_.Chance(12);

    const HostSnapshot before = TakeSnapshot(*host_);
    const std::uint64_t count = process.api->CallCount();
    const int result = process.api->bind(
        s, null_name ? nullptr : static_cast<const sockaddr*>(Pointer(name)), namelen);
    Require(result == 0 || result == SOCKET_ERROR, "bind: odd result");
    CheckRecord(process, count, Api::kBind, s, result, result != 0);
    const HostSnapshot after = TakeSnapshot(*host_);
    if (result != 0) {
      RequireEmpty(CheckUnchanged(before, after), "a failed bind()");
      return;
    }
    Require(before.reservations.size() == after.reservations.size(), "bind changed reservations");
    const CallRecord record = process.api->CallLog().back();
    bool bound = false;
    for (const SocketInfo& info : after.sockets) {
      if (info.handle != s) continue;
      bound = info.bound && info.port == record.bound_port && (port == 0 || info.port == port) &&
              info.port != 0;
      // A socket associated with a live block binds port 0 inside it.
      for (const ReservationInfo& r : after.reservations) {
        if (port == 0 && r.token == info.associated_token) {
          Require(info.port >= r.first_port && info.port - r.first_port < r.port_count,
                  "bind(0) on an associated socket got a port outside its block");
        }
      }
    }
    Require(bound, "bind succeeded but the socket is not bound as logged");
    NoteBound(s);
  }

  // ---- What lets sockets share a port (port_sharing.h) ----------------------------------
  // A bind (explicit, or connect's implicit one) takes the SO_REUSEADDR of that moment.
  void NoteBound(SOCKET s) { facts_[s].reuse_at_bind = reuse_now_[s]; }
  void NoteOption(SOCKET s, int level, int option, int value) {
    if (level == SOL_SOCKET && option == SO_REUSEADDR) reuse_now_[s] = value != 0;
  }

  // A port some socket of the host holds, else any.
  std::uint16_t HeldPort(bool listening) {
    return HeldPortIf([listening](const SocketInfo& info) { return !listening || info.listening; });
  }
  template <typename Predicate>
  std::uint16_t HeldPortIf(Predicate predicate) {
    std::vector<std::uint16_t> held;
    for (const SocketInfo& info : host_->Sockets()) {
      if (info.bound && predicate(info)) held.push_back(info.port);
    }
    if (held.empty()) return PickPort();
    return held[in_.Below(held.size())];
  }
  // For a bind of `s`: mostly a port held by a socket it may share with.
  std::uint16_t PortToShare(ProcessSlot& process, SOCKET s) {
    if (in_.Chance(4)) return HeldPort(false);
    const SharingFacts mine = SharingFacts{reuse_now_[s], facts_[s].affinity, INVALID_SOCKET};
    const std::uint32_t pid = process.api->pid();
    std::optional<Protocol> transport;
    for (const SocketInfo& info : host_->Sockets()) {
      if (info.handle == s) transport = test_support::TransportOf(info);
    }
    return HeldPortIf([&](const SocketInfo& info) {
      const auto it = facts_.find(info.handle);
      if (it == facts_.end() || test_support::TransportOf(info) != transport) return false;
      return (mine.reuse_at_bind && it->second.reuse_at_bind) ||
             (mine.affinity && it->second.affinity && info.pid == pid);
    });
  }

  // Mostly an open socket of the process (most handles PickSocket gives are closed ones).
  SOCKET PickOpenSocket(ProcessSlot& process) {
    std::vector<SOCKET> open;
    for (const SocketInfo& info : host_->Sockets()) {
      if (info.pid == process.api->pid()) open.push_back(info.handle);
    }
    if (open.empty() || in_.Chance(5)) return PickSocket(process);
    return open[in_.Below(open.size())];
  }

  // The calls that let sockets share a port: SO_REUSEADDR, SIO_CPU_AFFINITY, a bind to a port
  // another socket holds, and a listener's connections (listen, a loopback connect, accept).
  void Sharing() {
    ProcessSlot& process = PickProcess();
    const SOCKET s = PickOpenSocket(process);
    switch (in_.Below(8)) {
      case 0:
        return ReuseAddress(process, s);
      case 1:
        return CpuAffinity(process, s);
      case 2:
        return BindWith(process, s, HeldPort(false));
      case 3:  // what MsQuic and a SO_REUSEADDR server do: the option, then a shared port
        in_.Chance(2) ? ReuseAddress(process, s) : CpuAffinity(process, s);
        return BindWith(process, s, PortToShare(process, s));
      case 4:  // a server: bound (to any port), listening
        if (in_.Chance(2)) BindWith(process, s, std::nullopt);
        return ListenOn(process, s);
      case 5:
        return ConnectToListener(process, s);
      case 6:
        return Accept(process, s);
      default:
        return FreshSockets(process);
    }
  }

  // The patterns on sockets opened for them, where random handles rarely get that far: a few
  // sockets with SO_REUSEADDR or SIO_CPU_AFFINITY (MsQuic's server) bound to one port, or a
  // listener, a connect to it and the accept.
  void FreshSockets(ProcessSlot& process) {
    if (in_.Chance(2)) {
      const int type = in_.Chance(2) ? SOCK_DGRAM : SOCK_STREAM;
      const bool reuse = in_.Chance(2);
      const std::size_t sockets = 2 + in_.Below(3);
      for (std::size_t i = 0; i < sockets; ++i) {
        const SOCKET s = OpenFresh(process, type);
        reuse ? ReuseAddress(process, s) : CpuAffinity(process, s);
        BindWith(process, s, i == 0 ? std::nullopt : std::optional(PortToShare(process, s)));
      }
      return;
    }
    const SOCKET listener = OpenFresh(process, SOCK_STREAM);
    BindWith(process, listener, std::nullopt);
    ListenOn(process, listener);
    ProcessSlot& client = PickProcess();
    ConnectToListener(client, OpenFresh(client, SOCK_STREAM));
    Accept(process, listener);
  }

  // A TCP or UDP socket as clients open them: socket(), or WSASocketW overlapped (MsQuic).
  SOCKET OpenFresh(ProcessSlot& process, int type) {
    const int af = in_.Chance(3) ? AF_INET6 : AF_INET;
    const bool wide = in_.Chance(2);
    const HostSnapshot before = TakeSnapshot(*host_);
    const std::uint64_t count = process.api->CallCount();
    const SOCKET s = wide ? process.api->WSASocketW(af, type, 0, nullptr, 0, WSA_FLAG_OVERLAPPED)
                          : process.api->socket(af, type, 0);
    CheckOpened(process, count, wide ? Api::kWSASocketW : Api::kSocket, s, before);
    return s;
  }

  // After a WSASocket or socket(): the call was logged, and a failure changed nothing.
  void CheckOpened(ProcessSlot& process, std::uint64_t count, Api api, SOCKET s,
                   const HostSnapshot& before) {
    const bool failed = s == INVALID_SOCKET;
    CheckRecord(process, count, api, s, failed ? SOCKET_ERROR : 0, failed);
    if (failed) {
      RequireEmpty(CheckUnchanged(before, TakeSnapshot(*host_)), "a failed WSASocket()");
    } else {
      process.handles.push_back(s);
    }
  }

  void ReuseAddress(ProcessSlot& process, SOCKET s) {
    const int value = in_.Chance(4) ? 0 : 1;
    const int level = in_.Chance(10) ? IPPROTO_TCP : SOL_SOCKET;
    const int length =
        in_.Chance(8) ? static_cast<int>(in_.Below(sizeof value)) : static_cast<int>(sizeof value);
    std::vector<std::uint8_t> buffer =
        Exact(static_cast<std::size_t>(length), reinterpret_cast<const std::uint8_t*>(&value));
    const HostSnapshot before = TakeSnapshot(*host_);
    const std::uint64_t count = process.api->CallCount();
    const int result = process.api->setsockopt(s, level, SO_REUSEADDR,
                                               static_cast<const char*>(Pointer(buffer)), length);
    CheckRecord(process, count, Api::kSetSockOpt, s, result, result != 0);
    RequireEmpty(CheckUnchanged(before, TakeSnapshot(*host_)), "setsockopt(SO_REUSEADDR)");
    if (result == 0) NoteOption(s, level, SO_REUSEADDR, value);
  }

  void CpuAffinity(ProcessSlot& process, SOCKET s) {
    const auto processor = static_cast<USHORT>(in_.Below(10));  // the host has 8
    const std::size_t in_size = in_.Chance(8) ? in_.Below(4) : sizeof processor;
    const bool null_bytes = in_.Chance(10);
    std::array<std::uint8_t, 4> staging{};
    std::memcpy(staging.data(), &processor, sizeof processor);
    std::vector<std::uint8_t> in = Exact(in_size, staging.data());
    DWORD bytes = kBytesSentinel;
    const HostSnapshot before = TakeSnapshot(*host_);
    const std::uint64_t count = process.api->CallCount();
    const int result =
        process.api->WSAIoctl(s, SIO_CPU_AFFINITY, Pointer(in), static_cast<DWORD>(in_size),
                              nullptr, 0, null_bytes ? nullptr : &bytes, nullptr, nullptr);
    CheckRecord(process, count, Api::kWSAIoctl, s, result, result != 0);
    RequireEmpty(CheckUnchanged(before, TakeSnapshot(*host_)), "SIO_CPU_AFFINITY");
    if (result != 0) {
      Require(bytes == kBytesSentinel || bytes == 0, "a failed SIO_CPU_AFFINITY left bytes");
      return;
    }
    Require(null_bytes || bytes == 0, "SIO_CPU_AFFINITY returned bytes");
    facts_[s].affinity = true;
  }

  void ListenOn(ProcessSlot& process, SOCKET s) {
    const HostSnapshot before = TakeSnapshot(*host_);
    const std::uint64_t count = process.api->CallCount();
    const int result = process.api->listen(s, static_cast<int>(in_.Below(4)));
    CheckRecord(process, count, Api::kListen, s, result, result != 0);
    if (result != 0) {
      RequireEmpty(CheckUnchanged(before, TakeSnapshot(*host_)), "a failed listen()");
      return;
    }
    for (const SocketInfo& info : host_->Sockets()) {
      if (info.handle == s) Require(info.listening && info.bound, "listen() left it not listening");
    }
  }

  // A TCP connect to the loopback address at a port the host listens on (mostly).
  void ConnectToListener(ProcessSlot& process, SOCKET s) {
    int af = AF_INET;
    for (const SocketInfo& info : host_->Sockets()) {
      if (info.handle == s) af = info.af;
    }
    sockaddr_in6 to{};
    to.sin6_family = static_cast<ADDRESS_FAMILY>(af);
    to.sin6_port = htons(HeldPort(true));
    if (af == AF_INET6) {
      to.sin6_addr.s6_addr[15] = 1;
    } else {
      reinterpret_cast<sockaddr_in*>(&to)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    }
    const int length = af == AF_INET6 ? static_cast<int>(sizeof(sockaddr_in6))
                                      : static_cast<int>(sizeof(sockaddr_in));
    std::vector<std::uint8_t> name =
        Exact(static_cast<std::size_t>(length), reinterpret_cast<const std::uint8_t*>(&to));
    const HostSnapshot before = TakeSnapshot(*host_);
    const std::uint64_t count = process.api->CallCount();
    const int result = process.api->connect(s, static_cast<const sockaddr*>(Pointer(name)), length);
    CheckConnect(process, count, s, result, before);
  }

  // After a connect(): logged; a failure changed nothing; a success left it bound and connected
  // (implicitly bound, it took the SO_REUSEADDR of that moment).
  void CheckConnect(ProcessSlot& process, std::uint64_t count, SOCKET s, int result,
                    const HostSnapshot& before) {
    CheckRecord(process, count, Api::kConnect, s, result, result != 0);
    if (result != 0) {
      RequireEmpty(CheckUnchanged(before, TakeSnapshot(*host_)), "a failed connect()");
      return;
    }
    for (const SocketInfo& info : before.sockets) {
      if (info.handle == s && !info.bound) NoteBound(s);
    }
    for (const SocketInfo& info : host_->Sockets()) {
      if (info.handle == s) Require(info.bound && info.connected, "connect() left it unbound");
    }
  }

  // accept(), mostly on a listener of the process: the new socket holds the listener's port.
  void Accept(ProcessSlot& process, SOCKET s) {
    std::vector<SocketInfo> listeners;
    for (const SocketInfo& info : host_->Sockets()) {
      if (info.listening && info.pid == process.api->pid()) listeners.push_back(info);
    }
    if (!listeners.empty() && !in_.Chance(4)) s = listeners[in_.Below(listeners.size())].handle;
    int addrlen = static_cast<int>(sizeof(sockaddr_in6));
    if (in_.Chance(6)) addrlen = static_cast<int>(in_.Below(sizeof(sockaddr_in6)));
    const int declared = addrlen;
    std::vector<std::uint8_t> addr(static_cast<std::size_t>(addrlen), 0xcc);
    const bool null_addr = in_.Chance(8);
    const bool null_addrlen = in_.Chance(12);
    const HostSnapshot before = TakeSnapshot(*host_);
    const std::uint64_t count = process.api->CallCount();
    const SOCKET accepted =
        process.api->accept(s, null_addr ? nullptr : static_cast<sockaddr*>(Pointer(addr)),
                            null_addrlen ? nullptr : &addrlen);
    const bool failed = accepted == INVALID_SOCKET;
    CheckRecord(process, count, Api::kAccept, s, failed ? SOCKET_ERROR : 0, failed);
    const HostSnapshot after = TakeSnapshot(*host_);
    if (failed) {
      RequireEmpty(CheckUnchanged(before, after), "a failed accept()");
      Require(addrlen == declared || null_addrlen, "a failed accept() changed addrlen");
      return;
    }
    Require(addrlen <= declared || null_addrlen, "accept() wrote past addrlen");
    Require(after.sockets.size() == before.sockets.size() + 1, "accept() did not add a socket");
    Require(std::find(process.handles.begin(), process.handles.end(), accepted) ==
                process.handles.end(),
            "accept() reused a handle");
    const SocketInfo* listener = nullptr;
    const SocketInfo* connection = nullptr;
    for (const SocketInfo& info : after.sockets) {
      if (info.handle == s) listener = &info;
      if (info.handle == accepted) connection = &info;
    }
    Require(listener != nullptr && connection != nullptr, "accept(): a socket is missing");
    Require(connection->pid == process.api->pid() && connection->bound && connection->connected &&
                connection->port == listener->port && !connection->listening,
            "accept(): the new socket is not connected on the listener's port");
    process.handles.push_back(accepted);
    // It shares the listener's port and has its options (the accept page: "the same
    // properties" as the listener).
    SharingFacts& facts = facts_[accepted];
    facts = facts_[s];
    facts.origin = OriginOf(facts_, s);
    reuse_now_[accepted] = reuse_now_[s];
  }

  void GetSockName() {
    ProcessSlot& process = PickProcess();
    const SOCKET s = PickSocket(process);
    int namelen = static_cast<int>(sizeof(sockaddr_in6));
    switch (in_.Below(4)) {
      case 0:
        namelen = static_cast<int>(sizeof(sockaddr_in));
        break;
      case 1:
        namelen = static_cast<int>(in_.Below(kMaxBufferSize + 1));
        break;
      case 2:
        namelen = -1;
        break;
      default:
        break;
    }
    const int declared = namelen;
    std::vector<std::uint8_t> name(namelen < 0 ? 0 : static_cast<std::size_t>(namelen), 0xcc);
    const bool null_name = in_.Chance(10);
    const bool null_namelen = in_.Chance(10);
    const HostSnapshot before = TakeSnapshot(*host_);
    const std::uint64_t count = process.api->CallCount();
    const int result =
        process.api->getsockname(s, null_name ? nullptr : static_cast<sockaddr*>(Pointer(name)),
                                 null_namelen ? nullptr : &namelen);
    Require(result == 0 || result == SOCKET_ERROR, "getsockname: odd result");
    CheckRecord(process, count, Api::kGetSockName, s, result, result != 0);
    RequireEmpty(CheckUnchanged(before, TakeSnapshot(*host_)), "getsockname()");
    if (result != 0) {
      Require(namelen == declared, "a failed getsockname() changed namelen");
      return;
    }
    const SocketInfo* info = nullptr;
    for (const SocketInfo& candidate : before.sockets) {
      if (candidate.handle == s) info = &candidate;
    }
    Require(info != nullptr && info->bound, "getsockname() succeeded on an unbound socket");
    const int expected = info->af == AF_INET6 ? static_cast<int>(sizeof(sockaddr_in6))
                                              : static_cast<int>(sizeof(sockaddr_in));
    Require(namelen == expected && namelen <= declared, "getsockname(): wrong namelen");
    decltype(sockaddr::sa_family) family = 0;
    std::memcpy(&family, name.data() + offsetof(sockaddr, sa_family), sizeof family);
    std::uint16_t port_net = 0;
    std::memcpy(&port_net, name.data() + offsetof(sockaddr_in, sin_port), sizeof port_net);
    Require(family == info->af && ntohs(port_net) == info->port, "getsockname(): wrong address");
  }

  void InjectFault() {
    ProcessSlot& process = PickProcess();
    static constexpr int kErrors[] = {WSAENETDOWN, WSAEINTR,   WSAEINVAL,      WSAENOTSOCK,
                                      WSAEFAULT,   WSAENOBUFS, WSA_IO_PENDING, WSAEACCES};
    Fault fault = in_.Chance(3)
                      ? Fault::Pend()
                      : Fault::Error(in_.Chance(8) ? 1 + in_.U16() : kErrors[in_.Below(8)]);
    switch (in_.Below(5)) {
      case 0:
        fault.OnNextCall();
        break;
      case 1:
        fault.OnCall(process.api->CallCount() + in_.Below(8));
        break;
      case 2:
        fault.When(IsIoctl(PickIoctlCode())).Times(1 + in_.Below(4));
        break;
      case 3:
        fault.WithProbability(in_.Byte() / 255.0).Times(1 + in_.Below(8));
        break;
      default:
        fault.When(IsApi(static_cast<Api>(in_.Below(6))));
        if (in_.Chance(2)) fault.Times(1 + in_.Below(4));
        break;
    }
    process.api->Inject(std::move(fault));
  }

  void CompletePending() {
    ProcessSlot& process = PickProcess();
    const auto pending = process.api->PendingCalls();
    LPWSAOVERLAPPED overlapped = !pending.empty() && !in_.Chance(4)
                                     ? pending[in_.Below(pending.size())]
                                     : &PickProcess().overlapped[in_.Below(kOverlappedSlots)];
    const bool was_pending = std::find(pending.begin(), pending.end(), overlapped) != pending.end();
    const bool with_error = in_.Chance(3);
    const int error = in_.Chance(2) ? WSA_OPERATION_ABORTED : WSAEINTR;
    const HostSnapshot before = TakeSnapshot(*host_);
    const bool done = with_error ? process.api->CompletePending(overlapped, error)
                                 : process.api->CompletePending(overlapped);
    Require(done == was_pending, "CompletePending() answered for a call not pending");
    if (!done) {
      RequireEmpty(CheckUnchanged(before, TakeSnapshot(*host_)), "CompletePending() of nothing");
      return;
    }
    Require(overlapped->Internal != kStatusPending, "a completed call is still pending");
    if (with_error) Require(overlapped->Internal == static_cast<ULONG_PTR>(error), "wrong status");
    if (overlapped->Internal != 0) {
      Require(overlapped->InternalHigh == 0, "a failed completion returned bytes");
      RequireEmpty(CheckUnchanged(before, TakeSnapshot(*host_)), "a failed completion");
    }
    NoteTokensOfHost();
  }

  void GetOverlappedResult() {
    ProcessSlot& process = PickProcess();
    const SOCKET s = PickSocket(process);
    LPWSAOVERLAPPED overlapped =
        in_.Chance(8) ? nullptr : &PickProcess().overlapped[in_.Below(kOverlappedSlots)];
    DWORD bytes = kBytesSentinel;
    DWORD flags = kBytesSentinel;
    const bool null_bytes = in_.Chance(10);
    const bool null_flags = in_.Chance(10);
    const BOOL wait = in_.Chance(2) ? TRUE : FALSE;
    const HostSnapshot before = TakeSnapshot(*host_);
    const std::uint64_t count = process.api->CallCount();
    const BOOL result = process.api->WSAGetOverlappedResult(
        s, overlapped, null_bytes ? nullptr : &bytes, wait, null_flags ? nullptr : &flags);
    Require(result == TRUE || result == FALSE, "WSAGetOverlappedResult: odd result");
    CheckRecord(process, count, Api::kWSAGetOverlappedResult, s, result, result == FALSE);
    if (result == FALSE) {
      RequireEmpty(CheckUnchanged(before, TakeSnapshot(*host_)),
                   "a failed WSAGetOverlappedResult()");
      return;
    }
    Require(overlapped != nullptr && overlapped->Internal == 0 &&
                overlapped->InternalHigh == bytes && flags == 0,
            "WSAGetOverlappedResult() succeeded with another outcome than the OVERLAPPED's");
    NoteTokensOfHost();
  }

  // Tokens issued by completions the driver did not see the output of.
  void NoteTokensOfHost() {
    for (const ReservationInfo& r : host_->Reservations()) {
      if (issued_.count(r.token) == 0) NoteNewToken(r.token);
    }
  }

  void Persistent() {
    const Protocol protocol = in_.Chance(2) ? Protocol::kTcp : Protocol::kUdp;
    const std::uint16_t port = PickPort();
    const std::uint16_t count = PickCount();
    const bool null_token = in_.Chance(10);
    ULONG64 token = 0;
    const HostSnapshot before = TakeSnapshot(*host_);
    ULONG result = 0;
    const std::size_t kind = in_.Below(3);
    const bool tcp = protocol == Protocol::kTcp;
    switch (kind) {
      case 0:
        result = tcp ? ip_helper_->CreatePersistentTcpPortReservation(htons(port), count,
                                                                      null_token ? nullptr : &token)
                     : ip_helper_->CreatePersistentUdpPortReservation(
                           htons(port), count, null_token ? nullptr : &token);
        break;
      case 1:
        result = tcp ? ip_helper_->DeletePersistentTcpPortReservation(htons(port), count)
                     : ip_helper_->DeletePersistentUdpPortReservation(htons(port), count);
        break;
      default:
        result = tcp ? ip_helper_->LookupPersistentTcpPortReservation(htons(port), count,
                                                                      null_token ? nullptr : &token)
                     : ip_helper_->LookupPersistentUdpPortReservation(
                           htons(port), count, null_token ? nullptr : &token);
        break;
    }
    const HostSnapshot after = TakeSnapshot(*host_);
    if (result != NO_ERROR || kind == 2) {
      RequireEmpty(CheckUnchanged(before, after), "a failed or read-only persistent call");
    }
    if (result != NO_ERROR) return;
    auto find = [&](const HostSnapshot& snapshot) -> const ReservationInfo* {
      for (const ReservationInfo& r : snapshot.reservations) {
        if (r.protocol == protocol && r.first_port == port && r.port_count == count &&
            r.kind == ReservationKind::kPersistent) {
          return &r;
        }
      }
      return nullptr;
    };
    switch (kind) {
      case 0:
        NoteNewToken(token);
        Require(find(after) != nullptr && find(after)->token == token, "created block missing");
        break;
      case 1:
        Require(find(before) != nullptr && find(after) == nullptr, "deleted block still there");
        break;
      default:
        Require(find(after) != nullptr && find(after)->token == token, "lookup: wrong token");
        break;
    }
  }

  // The calls around the IOCTLs (those that let sockets share a port are Sharing()'s). Options,
  // peers and modes are not in the snapshot: every call but a successful connect, listen or
  // WSACleanup must leave it as it was.
  void Surface() {
    ProcessSlot& process = PickProcess();
    const SOCKET s = PickSocket(process);
    const HostSnapshot before = TakeSnapshot(*host_);
    const std::uint64_t count = process.api->CallCount();
    switch (in_.Below(8)) {
      case 0: {  // WSASocketW / WSASocketA
        static constexpr int kFamilies[] = {AF_INET, AF_INET6, 12345};
        static constexpr int kTypes[] = {SOCK_STREAM, SOCK_DGRAM, 77};
        static constexpr int kProtocols[] = {0, IPPROTO_TCP, IPPROTO_UDP};
        const int af = kFamilies[in_.Below(3)];
        const int type = kTypes[in_.Below(3)];
        const int protocol = kProtocols[in_.Below(3)];
        const DWORD flags = in_.Chance(2) ? WSA_FLAG_OVERLAPPED : 0;
        const GROUP group = in_.Chance(8) ? 1 : 0;
        const bool wide = in_.Chance(2);
        const SOCKET opened =
            wide ? process.api->WSASocketW(af, type, protocol, nullptr, group, flags)
                 : process.api->WSASocketA(af, type, protocol, nullptr, group, flags);
        CheckOpened(process, count, wide ? Api::kWSASocketW : Api::kWSASocketA, opened, before);
        return;
      }
      case 1:
      case 2: {  // setsockopt / getsockopt
        static constexpr int kLevels[] = {SOL_SOCKET, IPPROTO_IPV6, IPPROTO_TCP, 999};
        static constexpr int kOptions[] = {
            SO_EXCLUSIVEADDRUSE, IPV6_V6ONLY, TCP_NODELAY, SO_RCVBUF, SO_TYPE,
            SO_PROTOCOL_INFOW,   0x7777};
        const int level = kLevels[in_.Below(4)];
        const int option = kOptions[in_.Below(7)];
        WSAPROTOCOL_INFOW buffer{};
        int value = static_cast<int>(in_.U16());
        std::memcpy(&buffer, &value, sizeof value);
        int length =
            in_.Chance(4) ? static_cast<int>(in_.Below(8)) : static_cast<int>(sizeof value);
        if (option == SO_PROTOCOL_INFOW && in_.Chance(2)) length = sizeof buffer;
        char* data = in_.Chance(10) ? nullptr : reinterpret_cast<char*>(&buffer);
        const bool set = in_.Chance(2);
        const int result = set ? process.api->setsockopt(s, level, option, data, length)
                               : process.api->getsockopt(s, level, option, data,
                                                         in_.Chance(10) ? nullptr : &length);
        CheckRecord(process, count, set ? Api::kSetSockOpt : Api::kGetSockOpt, s, result,
                    result != 0);
        RequireEmpty(CheckUnchanged(before, TakeSnapshot(*host_)), "setsockopt/getsockopt");
        if (set && result == 0) NoteOption(s, level, option, value);
        return;
      }
      case 3: {  // connect
        sockaddr_in6 to{};
        const bool v6 = in_.Chance(2);
        to.sin6_family = static_cast<ADDRESS_FAMILY>(v6 ? AF_INET6 : AF_INET);
        to.sin6_port = htons(PickPort());
        const std::size_t where = in_.Below(3);  // loopback, elsewhere, all-zero
        if (v6) {
          if (where == 0) to.sin6_addr.s6_addr[15] = 1;
          if (where == 1) to.sin6_addr.s6_addr[0] = 0x20;
        } else {
          auto* v4 = reinterpret_cast<sockaddr_in*>(&to);
          if (where == 0) v4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
          if (where == 1) v4->sin_addr.s_addr = htonl(0xC0000201);
        }
        int length =
            v6 ? static_cast<int>(sizeof(sockaddr_in6)) : static_cast<int>(sizeof(sockaddr_in));
        if (in_.Chance(8)) length = static_cast<int>(in_.Below(8));
        const sockaddr* name = in_.Chance(10) ? nullptr : reinterpret_cast<const sockaddr*>(&to);
        CheckConnect(process, count, s, process.api->connect(s, name, length), before);
        return;
      }
      case 4: {  // listen
        const int result = process.api->listen(s, static_cast<int>(in_.Below(8)) - 1);
        CheckRecord(process, count, Api::kListen, s, result, result != 0);
        if (result != 0) {
          RequireEmpty(CheckUnchanged(before, TakeSnapshot(*host_)), "a failed listen()");
        }
        return;
      }
      case 5: {  // getpeername
        sockaddr_in6 peer{};
        int length = in_.Chance(4) ? static_cast<int>(in_.Below(8)) : static_cast<int>(sizeof peer);
        const int result = process.api->getpeername(s, reinterpret_cast<sockaddr*>(&peer), &length);
        CheckRecord(process, count, Api::kGetPeerName, s, result, result != 0);
        RequireEmpty(CheckUnchanged(before, TakeSnapshot(*host_)), "getpeername()");
        return;
      }
      case 6: {  // ioctlsocket
        u_long argument = in_.Byte();
        const long command =
            in_.Chance(4) ? static_cast<long>(in_.U16()) : static_cast<long>(FIONBIO);
        const int result =
            process.api->ioctlsocket(s, command, in_.Chance(10) ? nullptr : &argument);
        CheckRecord(process, count, Api::kIoctlSocket, s, result, result != 0);
        RequireEmpty(CheckUnchanged(before, TakeSnapshot(*host_)), "ioctlsocket()");
        return;
      }
      default: {  // WSAStartup / WSACleanup
        if (in_.Chance(2)) {
          WSADATA data{};
          const WORD version = in_.U16();
          const int result = process.api->WSAStartup(version, in_.Chance(10) ? nullptr : &data);
          CheckRecord(process, count, Api::kWSAStartup, INVALID_SOCKET, result, result != 0);
          RequireEmpty(CheckUnchanged(before, TakeSnapshot(*host_)), "WSAStartup()");
          return;
        }
        const int result = process.api->WSACleanup();
        CheckRecord(process, count, Api::kWSACleanup, INVALID_SOCKET, result, result != 0);
        if (result != 0) {
          RequireEmpty(CheckUnchanged(before, TakeSnapshot(*host_)), "a failed WSACleanup()");
        }
        return;
      }
    }
  }

  void Events() {
    ProcessSlot& process = PickProcess();
    switch (in_.Below(4)) {
      case 0: {
        const WSAEVENT event = process.api->WSACreateEvent();
        Require(event != WSA_INVALID_EVENT, "WSACreateEvent() failed");
        Require(!process.api->IsEventSignaled(event), "a new event is signaled");
        process.events.push_back(event);
        break;
      }
      default: {
        const WSAEVENT event =
            process.events.empty() || in_.Chance(8)
                // A forged handle value is the point: the fake must reject it.
                ? reinterpret_cast<WSAEVENT>(  // NOLINT(performance-no-int-to-ptr)
                      static_cast<std::uintptr_t>(in_.U16()))
                : process.events[in_.Below(process.events.size())];
        const std::size_t action = in_.Below(3);
        const BOOL result = action == 0   ? process.api->WSASetEvent(event)
                            : action == 1 ? process.api->WSAResetEvent(event)
                                          : process.api->WSACloseEvent(event);
        if (result == TRUE && action < 2) {
          Require(process.api->IsEventSignaled(event) == (action == 0), "event state");
        }
        if (result == FALSE) {
          Require(process.api->WSAGetLastError() == WSA_INVALID_HANDLE, "event error");
        }
        break;
      }
    }
  }

  void HostControl() {
    switch (in_.Below(5)) {
      case 0:
        return Reboot();
      case 1:
        PickProcess().api->ClearFaults();
        return;
      case 2: {
        ProcessSlot& process = PickProcess();
        const std::size_t pending = process.api->PendingCalls().size();
        Require(process.api->CompleteAllPending() == pending, "CompleteAllPending() count");
        Require(process.api->PendingCalls().empty(), "CompleteAllPending() left calls");
        NoteTokensOfHost();
        return;
      }
      default:
        return RestartProcess();
    }
  }

  void Reboot() {
    const HostSnapshot before = TakeSnapshot(*host_);
    host_->Reboot();
    const HostSnapshot after = TakeSnapshot(*host_);
    Require(after.sockets.empty(), "sockets survived a reboot");
    std::vector<ReservationInfo> persistent;
    for (const ReservationInfo& r : before.reservations) {
      if (r.kind == ReservationKind::kPersistent) persistent.push_back(r);
    }
    // What a reboot leaves: the persistent blocks, and the System's blocks placed anew.
    std::vector<ReservationInfo> kept;
    for (const ReservationInfo& r : after.reservations) {
      if (r.kind == ReservationKind::kPersistent) {
        kept.push_back(r);
      } else {
        Require(r.owner_pid == FakeHost::kSystemPid, "reboot: a runtime block survived");
        NoteNewToken(r.token);
      }
    }
    Require(persistent.size() == kept.size(), "reboot: persistent blocks changed");
    for (std::size_t i = 0; i < persistent.size(); ++i) {
      const ReservationInfo& was = persistent[i];
      const ReservationInfo& is = kept[i];
      Require(was.protocol == is.protocol && was.first_port == is.first_port &&
                  was.port_count == is.port_count && is.kind == ReservationKind::kPersistent,
              "reboot: a persistent block moved");
      if (options_.persistent_tokens_change_on_reboot) {
        NoteNewToken(is.token);
      } else {
        Require(is.token == was.token, "reboot: a persistent token changed");
      }
    }
    for (ProcessSlot& process : processes_) {
      Require(process.api->PendingCalls().empty(), "pending calls survived a reboot");
      process.events.clear();
    }
  }

  // The process exits (its sockets close, its runtime reservations end) and a new one starts.
  void RestartProcess() {
    ProcessSlot& process = PickProcess();
    const std::uint32_t pid = process.api->pid();
    process.api.reset();
    for (const SocketInfo& info : host_->Sockets()) Require(info.pid != pid, "an exited socket");
    for (const ReservationInfo& r : host_->Reservations()) {
      Require(r.owner_pid != pid, "an exited process's reservation lives on");
    }
    process.api = std::make_unique<FakeSocketIoctl>(host_, process.options);
    process.events.clear();
  }

  ByteReader in_;
  FakeHostOptions options_;
  std::shared_ptr<FakeHost> host_;
  // Buffers the fake may still write: destroyed after the processes (declared before them).
  std::deque<std::vector<std::uint8_t>> keepalive_;
  std::array<ProcessSlot, 2> processes_;
  std::unique_ptr<FakeIpHelper> ip_helper_;
  SharingFactsBySocket facts_;        // why a socket may share its port
  std::map<SOCKET, bool> reuse_now_;  // SO_REUSEADDR as the last successful setsockopt left it
  std::vector<ULONG64> tokens_;       // every token seen, newest last
  std::set<ULONG64> issued_;          // every token issued: none may come twice
};

}  // namespace

std::size_t RunFuzzInput(const std::uint8_t* data, std::size_t size) {
  Driver driver(data, size);
  return driver.Run();
}

}  // namespace portres::fuzz
