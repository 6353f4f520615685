// <portres/seam.h>: run unchanged Windows code on the fake. Valid C11 and C++17.
//
// Code that calls the Winsock and iphlpapi globals (WSAIoctl, bind, socket,
// CreatePersistentTcpPortReservation...) and is linked with portres::seam reaches, instead of
// the system, whatever the test installed:
//  - Linux: portres::seam puts the SDK's header names (winsock2.h, ws2tcpip.h, mstcpip.h,
//    iphlpapi.h, windows.h...) on the include path; they declare the seam's functions.
//  - Windows: the code is compiled against the real SDK; the seam's objects define the import
//    pointers (__imp_WSAIoctl...) the code calls through, so no import library is consulted.
//    With nothing installed the calls go to ws2_32 and iphlpapi as usual.
//
// C++ control: `portres::ScopedSeam seam(api);` or `seam(api, helper)`. C control: the
// portres_fake_* functions below. Including this header from C also gives the Winsock
// vocabulary (SIO_* codes, WSAE* errors) of <portres/winsock.h>.
#ifndef PORTRES_SEAM_H
#define PORTRES_SEAM_H

#include <portres/winsock.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

// ---- C control ------------------------------------------------------------------------------
// A portres_fake is one process of an in-memory Windows host (a FakeSocketIoctl and its
// FakeIpHelper). portres_fake_create() makes a new host with one process;
// portres_fake_open_process() another process on the same host. The host lives while any of
// its processes does.
typedef struct portres_fake portres_fake;

// Host options (FakeHostOptions). Fill with portres_fake_options_init(), then change fields.
typedef struct portres_fake_options {
  unsigned short dynamic_first_port;        // first dynamic port, host byte order (49152)
  unsigned short dynamic_last_port;         // last dynamic port (65535)
  int runtime_reservations_span_protocols;  // nonzero: a runtime block holds TCP and UDP
  int persistent_tokens_change_on_reboot;   // nonzero: a reboot gives new persistent tokens
  unsigned long long seed;                  // the host's seed (wildcard blocks, faults)
  int elevated;  // the first process runs as administrator (nonzero, the default)
} portres_fake_options;

// Fills `options` with the defaults of FakeHostOptions and an elevated first process.
void portres_fake_options_init(portres_fake_options* options);

// A new host with one elevated process. Never NULL (aborts when out of memory).
portres_fake* portres_fake_create(void);
// A new host with `options`; NULL options are the defaults.
portres_fake* portres_fake_create_with(const portres_fake_options* options);
// Another process on `fake`'s host, elevated or not; free it with portres_fake_destroy().
portres_fake* portres_fake_open_process(portres_fake* fake, int elevated);
// Ends the process (its sockets close, its runtime reservations end). A fake that is still
// installed is uninstalled first, with a line on stderr: calls then fail as with nothing
// installed. NULL does nothing.
void portres_fake_destroy(portres_fake* fake);

// Routes every thread's global calls to `fake` (NULL: to nothing installed by this call).
// Replaces the previous portres_seam_install(), and sits on top of the ScopedSeams live at the
// time, as a new ScopedSeam would.
void portres_seam_install(portres_fake* fake);

// The calls a fault can name (portres::Api).
typedef enum portres_api {
  PORTRES_API_SOCKET = 0,                 // socket()
  PORTRES_API_CLOSESOCKET = 1,            // closesocket()
  PORTRES_API_BIND = 2,                   // bind()
  PORTRES_API_GETSOCKNAME = 3,            // getsockname()
  PORTRES_API_WSAIOCTL = 4,               // WSAIoctl()
  PORTRES_API_WSAGETOVERLAPPEDRESULT = 5  // WSAGetOverlappedResult()
} portres_api;

// The next WSAIoctl with this code (0: any code) fails with wsa_error and changes nothing.
void portres_fake_fail_next_ioctl(portres_fake* fake, DWORD code, int wsa_error);
// The next call of `api` fails with wsa_error and changes nothing.
void portres_fake_fail_next_call(portres_fake* fake, portres_api api, int wsa_error);
// The call with this index (0 is the process's first call) fails with wsa_error.
void portres_fake_fail_call(portres_fake* fake, unsigned long long call_index, int wsa_error);
// Removes the faults not yet hit.
void portres_fake_clear_faults(portres_fake* fake);
// The calls this process has made so far (what a fault's call index counts).
unsigned long long portres_fake_call_count(const portres_fake* fake);

// How many reservations the host has (runtime and persistent, every process's).
size_t portres_fake_reservation_count(const portres_fake* fake);
// How many sockets are open on the host (every process's).
size_t portres_fake_socket_count(const portres_fake* fake);

// One reservation of the host, as portres_fake_reservations() lists it.
typedef struct portres_reservation {
  int protocol;               // IPPROTO_TCP or IPPROTO_UDP
  int persistent;             // nonzero for a persistent reservation
  unsigned short first_port;  // its first port, host byte order
  unsigned short port_count;  // how many ports it holds
  ULONG64 token;              // its token
  SOCKET owner_socket;        // INVALID_SOCKET when persistent
  unsigned int owner_pid;     // 0 when persistent
} portres_reservation;

// One open socket of the host, as portres_fake_sockets() lists it.
typedef struct portres_socket {
  SOCKET handle;             // the socket
  unsigned int pid;          // the process it belongs to
  int af;                    // its address family
  int type;                  // its type (SOCK_STREAM, SOCK_DGRAM...)
  int protocol;              // its protocol, as socket() was given it
  int bound;                 // nonzero once bound
  unsigned short port;       // host byte order, when bound
  ULONG64 associated_token;  // INVALID_PORT_RESERVATION_TOKEN when none
} portres_socket;

// Writes up to `capacity` of the host's reservations to `out` (may be NULL when capacity is 0)
// and returns how many there are in all.
size_t portres_fake_reservations(const portres_fake* fake, portres_reservation* out,
                                 size_t capacity);
// As portres_fake_reservations(), for the host's open sockets.
size_t portres_fake_sockets(const portres_fake* fake, portres_socket* out, size_t capacity);

// A persistent reservation made as administrator, whatever the process's elevation (setting up
// a machine before the code under test runs): CreatePersistent{Tcp,Udp}PortReservation's
// answer. protocol is IPPROTO_TCP or IPPROTO_UDP; start_port in network byte order.
ULONG portres_fake_create_persistent_reservation(portres_fake* fake, int protocol,
                                                 USHORT start_port, USHORT port_count,
                                                 ULONG64* token);
// Restarts the host: runtime reservations and sockets end, persistent ones stay.
void portres_fake_reboot(portres_fake* fake);

#ifdef __cplusplus
}  // extern "C"

#include <portres/fake_ip_helper.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/ip_helper.h>
#include <portres/socket_ioctl.h>

#include <optional>

namespace portres {

// While a ScopedSeam lives, every thread's global Winsock and iphlpapi calls go to `api` and
// `helper`. Seams nest: the newest one that lives wins, in whatever order they end. Without a
// helper, the iphlpapi calls go to a FakeIpHelper on the fake's host when `api` is a
// FakeSocketIoctl, else they answer ERROR_NOT_SUPPORTED.
//
// Lifetimes: `api` and `helper` must outlive the seam, and a call that is running on another
// thread when its seam ends is that test's race (as with any object a thread still uses).
// Installing and ending seams from several threads at once is safe.
class ScopedSeam {
 public:
  explicit ScopedSeam(ISocketIoctl& api);
  ScopedSeam(ISocketIoctl& api, IIpHelper& helper);
  ~ScopedSeam();
  ScopedSeam(const ScopedSeam&) = delete;
  ScopedSeam& operator=(const ScopedSeam&) = delete;

  ISocketIoctl& api() const noexcept { return *api_; }
  // The helper the iphlpapi calls reach; null when they answer ERROR_NOT_SUPPORTED.
  IIpHelper* helper() const noexcept { return helper_; }

 private:
  void Install();

  ISocketIoctl* api_;
  IIpHelper* helper_ = nullptr;
  std::optional<FakeIpHelper> default_helper_;
  int slot_ = -1;
};

namespace detail {
// The api and helper of the newest live seam (null when none). For the seam's own functions.
ISocketIoctl* SeamApi() noexcept;
IIpHelper* SeamHelper() noexcept;
}  // namespace detail

}  // namespace portres

#endif  // __cplusplus

#endif  // PORTRES_SEAM_H
