// The C control of <portres/seam.h>: a portres_fake is a FakeSocketIoctl (one process of a
// FakeHost) with its FakeIpHelper; portres_seam_install keeps one ScopedSeam for C programs.
#include "seam_internal.h"

#include <portres/fault.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <new>
#include <vector>

struct portres_fake {
  std::unique_ptr<portres::FakeSocketIoctl> fake;
  std::unique_ptr<portres::FakeIpHelper> helper;
};

namespace {

static_assert(static_cast<int>(portres::Api::kSocket) == PORTRES_API_SOCKET &&
                  static_cast<int>(portres::Api::kCloseSocket) == PORTRES_API_CLOSESOCKET &&
                  static_cast<int>(portres::Api::kBind) == PORTRES_API_BIND &&
                  static_cast<int>(portres::Api::kGetSockName) == PORTRES_API_GETSOCKNAME &&
                  static_cast<int>(portres::Api::kWSAIoctl) == PORTRES_API_WSAIOCTL &&
                  static_cast<int>(portres::Api::kWSAGetOverlappedResult) ==
                      PORTRES_API_WSAGETOVERLAPPEDRESULT,
              "portres_api names portres::Api's values");

struct CSeam {
  std::mutex mutex;
  portres_fake* installed = nullptr;
  std::unique_ptr<portres::ScopedSeam> seam;
};

CSeam& Installed() {
  static CSeam c_seam;
  return c_seam;
}

[[noreturn]] void OutOfMemory() {
  std::fputs("portres: out of memory creating a portres_fake\n", stderr);
  std::abort();
}

portres_fake* Wrap(std::unique_ptr<portres::FakeSocketIoctl> fake, bool elevated) {
  auto* wrapped = new (std::nothrow) portres_fake;
  if (wrapped == nullptr) OutOfMemory();
  portres::FakeIpHelperOptions options;
  options.elevated = elevated;
  wrapped->helper = std::make_unique<portres::FakeIpHelper>(fake->shared_host(), options);
  wrapped->fake = std::move(fake);
  return wrapped;
}

int ProtocolNumber(portres::Protocol protocol) {
  return protocol == portres::Protocol::kTcp ? IPPROTO_TCP : IPPROTO_UDP;
}

}  // namespace

extern "C" {

void portres_fake_options_init(portres_fake_options* options) {
  if (options == nullptr) return;
  const portres::FakeHostOptions defaults;
  options->dynamic_first_port = defaults.dynamic_first_port;
  options->dynamic_last_port = defaults.dynamic_last_port;
  options->runtime_reservations_span_protocols =
      defaults.runtime_reservations_span_protocols ? 1 : 0;
  options->persistent_tokens_change_on_reboot = defaults.persistent_tokens_change_on_reboot ? 1 : 0;
  options->seed = defaults.seed;
  options->elevated = 1;
}

portres_fake* portres_fake_create(void) { return portres_fake_create_with(nullptr); }

portres_fake* portres_fake_create_with(const portres_fake_options* options) {
  portres_fake_options chosen;
  portres_fake_options_init(&chosen);
  if (options != nullptr) chosen = *options;
  portres::FakeHostOptions host_options;
  host_options.dynamic_first_port = chosen.dynamic_first_port;
  host_options.dynamic_last_port = chosen.dynamic_last_port;
  host_options.runtime_reservations_span_protocols =
      chosen.runtime_reservations_span_protocols != 0;
  host_options.persistent_tokens_change_on_reboot = chosen.persistent_tokens_change_on_reboot != 0;
  host_options.seed = chosen.seed;
  portres::FakeProcessOptions process;
  process.elevated = chosen.elevated != 0;
  auto host = std::make_shared<portres::FakeHost>(host_options);
  return Wrap(std::make_unique<portres::FakeSocketIoctl>(std::move(host), process),
              process.elevated);
}

portres_fake* portres_fake_open_process(portres_fake* fake, int elevated) {
  if (fake == nullptr) return nullptr;
  portres::FakeProcessOptions process;
  process.elevated = elevated != 0;
  return Wrap(std::make_unique<portres::FakeSocketIoctl>(fake->fake->shared_host(), process),
              process.elevated);
}

void portres_fake_destroy(portres_fake* fake) {
  if (fake == nullptr) return;
  {
    CSeam& c_seam = Installed();
    const std::lock_guard<std::mutex> lock(c_seam.mutex);
    if (c_seam.installed == fake) {
      // The seam would point at freed memory: end it rather than let the next call corrupt.
      std::fputs(
          "portres: portres_fake_destroy() on the installed fake: the seam is uninstalled and "
          "the calls fail as with none until portres_seam_install()\n",
          stderr);
      c_seam.seam.reset();
      c_seam.installed = nullptr;
    }
  }
  delete fake;
}

void portres_seam_install(portres_fake* fake) {
  CSeam& c_seam = Installed();
  const std::lock_guard<std::mutex> lock(c_seam.mutex);
  c_seam.seam.reset();
  c_seam.installed = fake;
  if (fake != nullptr) {
    c_seam.seam = std::make_unique<portres::ScopedSeam>(*fake->fake, *fake->helper);
  }
}

void portres_fake_fail_next_ioctl(portres_fake* fake, DWORD code, int wsa_error) {
  if (fake == nullptr) return;
  fake->fake->Inject(
      portres::Fault::Error(wsa_error)
          .When(code == 0 ? portres::IsApi(portres::Api::kWSAIoctl) : portres::IsIoctl(code))
          .Times(1));
}

void portres_fake_fail_next_call(portres_fake* fake, portres_api api, int wsa_error) {
  if (fake == nullptr) return;
  fake->fake->Inject(portres::Fault::Error(wsa_error)
                         .When(portres::IsApi(static_cast<portres::Api>(api)))
                         .Times(1));
}

void portres_fake_fail_call(portres_fake* fake, unsigned long long call_index, int wsa_error) {
  if (fake == nullptr) return;
  fake->fake->Inject(portres::Fault::Error(wsa_error).OnCall(call_index));
}

void portres_fake_clear_faults(portres_fake* fake) {
  if (fake != nullptr) fake->fake->ClearFaults();
}

unsigned long long portres_fake_call_count(const portres_fake* fake) {
  return fake == nullptr ? 0 : fake->fake->CallCount();
}

size_t portres_fake_reservation_count(const portres_fake* fake) {
  return fake == nullptr ? 0 : fake->fake->host().ReservationCount();
}

size_t portres_fake_socket_count(const portres_fake* fake) {
  return fake == nullptr ? 0 : fake->fake->host().SocketCount();
}

size_t portres_fake_reservations(const portres_fake* fake, portres_reservation* out,
                                 size_t capacity) {
  if (fake == nullptr) return 0;
  const std::vector<portres::ReservationInfo> all = fake->fake->host().Reservations();
  for (size_t i = 0; i < all.size() && i < capacity && out != nullptr; ++i) {
    const portres::ReservationInfo& r = all[i];
    out[i].protocol = ProtocolNumber(r.protocol);
    out[i].persistent = r.kind == portres::ReservationKind::kPersistent ? 1 : 0;
    out[i].first_port = r.first_port;
    out[i].port_count = r.port_count;
    out[i].token = r.token;
    out[i].owner_socket = r.owner_socket;
    out[i].owner_pid = r.owner_pid;
  }
  return all.size();
}

size_t portres_fake_sockets(const portres_fake* fake, portres_socket* out, size_t capacity) {
  if (fake == nullptr) return 0;
  const std::vector<portres::SocketInfo> all = fake->fake->host().Sockets();
  for (size_t i = 0; i < all.size() && i < capacity && out != nullptr; ++i) {
    const portres::SocketInfo& s = all[i];
    out[i].handle = s.handle;
    out[i].pid = s.pid;
    out[i].af = s.af;
    out[i].type = s.type;
    out[i].protocol = s.protocol;
    out[i].bound = s.bound ? 1 : 0;
    out[i].port = s.port;
    out[i].associated_token = s.associated_token;
  }
  return all.size();
}

ULONG portres_fake_create_persistent_reservation(portres_fake* fake, int protocol,
                                                 USHORT start_port, USHORT port_count,
                                                 ULONG64* token) {
  if (fake == nullptr) return ERROR_INVALID_PARAMETER;
  portres::FakeIpHelper admin(fake->fake->shared_host());  // elevated by default
  if (protocol == IPPROTO_TCP) {
    return admin.CreatePersistentTcpPortReservation(start_port, port_count, token);
  }
  if (protocol == IPPROTO_UDP) {
    return admin.CreatePersistentUdpPortReservation(start_port, port_count, token);
  }
  return ERROR_INVALID_PARAMETER;
}

void portres_fake_reboot(portres_fake* fake) {
  if (fake != nullptr) fake->fake->host().Reboot();
}

}  // extern "C"
