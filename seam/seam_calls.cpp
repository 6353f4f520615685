// The seam's global functions, generated from portres_seam_calls.h: each forwards to the
// newest live ScopedSeam (or portres_seam_install) and, with none, fails the Winsock way (off
// Windows) or reaches the real ws2_32 / iphlpapi (on Windows).
//
// Windows: code compiled against the SDK calls dllimport functions through pointers named
// __imp_<name>; the import libraries define them. This object defines them first (and the
// plain <name> for declarations without dllimport, as MinGW-w64's iphlpapi.h has), so the
// linker, which only pulls an archive member for a symbol still undefined, never takes the
// import library's, whatever order the libraries are listed in. The real functions are
// reached with GetProcAddress.
#include "seam_internal.h"

#include "include/portres_seam_calls.h"

#if defined(_WIN32)
#include <iphlpapi.h>
#endif

#include <atomic>
#include <cstdio>

namespace portres {
namespace detail {

#if !defined(_WIN32)

namespace {
thread_local int unseamed_last_error = 0;
std::atomic<bool> warned{false};
}  // namespace

void Unseamed(const char* call, int error) noexcept {
  unseamed_last_error = error;
  if (!warned.exchange(true, std::memory_order_relaxed)) {
    std::fprintf(stderr,
                 "portres::seam: %s() called with no seam installed; it fails (%d), as every "
                 "call will until a test installs a fake with portres::ScopedSeam (C++) or "
                 "portres_seam_install (C)\n",
                 call, error);
  }
}

namespace {
constexpr bool SameName(const char* a, const char* b) {
  for (; *a == *b; ++a, ++b) {
    if (*a == '\0') return true;
  }
  return false;
}

// The last error a call leaves with no seam installed. WSAStartup returns its error instead, so
// its last error (and the line on stderr) is the one it returns: WSASYSNOTREADY.
constexpr int UnseamedError(const char* call) {
  return SameName(call, "WSAStartup") ? WSASYSNOTREADY : WSANOTINITIALISED;
}
static_assert(UnseamedError("WSAStartup") == WSASYSNOTREADY &&
                  UnseamedError("WSAStartupX") == WSANOTINITIALISED &&
                  UnseamedError("socket") == WSANOTINITIALISED,
              "only WSAStartup answers WSASYSNOTREADY");
}  // namespace

int UnseamedLastError() noexcept { return unseamed_last_error; }
void SetUnseamedLastError(int error) noexcept { unseamed_last_error = error; }

#else  // _WIN32

namespace {
// Calls the api makes into the globals (WinsockSocketIoctl under a seam, say) reach the real
// system instead of looping back into the seam.
thread_local int in_seam = 0;

struct SeamDepth {
  SeamDepth() noexcept { ++in_seam; }
  ~SeamDepth() { --in_seam; }
  SeamDepth(const SeamDepth&) = delete;
  SeamDepth& operator=(const SeamDepth&) = delete;
};

FARPROC RealProc(const wchar_t* dll, const char* name) {
  HMODULE module = LoadLibraryW(dll);
  return module == nullptr ? nullptr : GetProcAddress(module, name);
}

template <typename Fn>
Fn Real(const wchar_t* dll, const char* name) {
  return reinterpret_cast<Fn>(reinterpret_cast<void*>(RealProc(dll, name)));
}
}  // namespace

#endif  // _WIN32

}  // namespace detail
}  // namespace portres

using portres::IIpHelper;
using portres::ISocketIoctl;

#if !defined(_WIN32)

#define PORTRES_SEAM_WINSOCK(kind, R, name, params, args, fail)                \
  extern "C" R PORTRES_SEAM_LINK_NAME(kind, name) params {                     \
    if (ISocketIoctl* api = portres::detail::SeamApi()) return api->name args; \
    portres::detail::Unseamed(#name, portres::detail::UnseamedError(#name));   \
    return fail;                                                               \
  }
#define PORTRES_SEAM_IPHLPAPI(kind, R, name, params, args, fail)                       \
  extern "C" R PORTRES_SEAM_LINK_NAME(kind, name) params {                             \
    if (portres::detail::SeamInstalled()) {                                            \
      if (IIpHelper* helper = portres::detail::SeamHelper()) return helper->name args; \
      return fail;                                                                     \
    }                                                                                  \
    portres::detail::Unseamed(#name, static_cast<int>(fail));                          \
    return fail;                                                                       \
  }

extern "C" int WSAGetLastError(void) {
  if (ISocketIoctl* api = portres::detail::SeamApi()) return api->WSAGetLastError();
  return portres::detail::UnseamedLastError();
}

extern "C" void WSASetLastError(int iError) {
  if (ISocketIoctl* api = portres::detail::SeamApi()) return api->WSASetLastError(iError);
  portres::detail::SetUnseamedLastError(iError);
}

#else  // _WIN32

#if defined(__GNUC__)
// The import pointer under its linker name, and the plain name as an alias of the seam's
// function (top-level asm: the SDK's dllimport declaration of <name> stays untouched).
#define PORTRES_SEAM_IMPORT(name)                                      \
  extern "C" {                                                         \
  extern decltype(&::name) portres_imp_##name __asm__("__imp_" #name); \
  decltype(&::name) portres_imp_##name = &portres_seam_##name;         \
  }                                                                    \
  __asm__(".globl " #name "\n\t.set " #name ", portres_seam_" #name "\n");
#else
// MSVC spells the import pointer's name directly (not built here: see the workflow's job).
#define PORTRES_SEAM_IMPORT(name) extern "C" decltype(&::name) __imp_##name = &portres_seam_##name;
#endif

#define PORTRES_SEAM_REAL(dll, name, args, fail)                                 \
  static const auto real = portres::detail::Real<decltype(&::name)>(dll, #name); \
  if (real == nullptr) return fail;                                              \
  return real args;

#define PORTRES_SEAM_WINSOCK(kind, R, name, params, args, fail) \
  extern "C" R WSAAPI portres_seam_##name params {              \
    if (portres::detail::in_seam == 0) {                        \
      if (ISocketIoctl* api = portres::detail::SeamApi()) {     \
        const portres::detail::SeamDepth depth;                 \
        return api->name args;                                  \
      }                                                         \
    }                                                           \
    PORTRES_SEAM_REAL(L"ws2_32.dll", name, args, fail)          \
  }                                                             \
  PORTRES_SEAM_IMPORT(name)
// Wine and ReactOS do not export the six functions: with no seam they answer
// ERROR_NOT_SUPPORTED there instead of failing to load the program.
#define PORTRES_SEAM_IPHLPAPI(kind, R, name, params, args, fail)             \
  extern "C" R WINAPI portres_seam_##name params {                           \
    if (portres::detail::in_seam == 0 && portres::detail::SeamInstalled()) { \
      IIpHelper* helper = portres::detail::SeamHelper();                     \
      if (helper == nullptr) return fail;                                    \
      const portres::detail::SeamDepth depth;                                \
      return helper->name args;                                              \
    }                                                                        \
    PORTRES_SEAM_REAL(L"iphlpapi.dll", name, args, fail)                     \
  }                                                                          \
  PORTRES_SEAM_IMPORT(name)

extern "C" int WSAAPI portres_seam_WSAGetLastError(void) {
  if (portres::detail::in_seam == 0) {
    if (ISocketIoctl* api = portres::detail::SeamApi()) {
      const portres::detail::SeamDepth depth;
      return api->WSAGetLastError();
    }
  }
  PORTRES_SEAM_REAL(L"ws2_32.dll", WSAGetLastError, (), WSANOTINITIALISED)
}
PORTRES_SEAM_IMPORT(WSAGetLastError)

extern "C" void WSAAPI portres_seam_WSASetLastError(int iError) {
  if (portres::detail::in_seam == 0) {
    if (ISocketIoctl* api = portres::detail::SeamApi()) {
      const portres::detail::SeamDepth depth;
      api->WSASetLastError(iError);
      return;
    }
  }
  static const auto real =
      portres::detail::Real<decltype(&::WSASetLastError)>(L"ws2_32.dll", "WSASetLastError");
  if (real != nullptr) real(iError);
}
PORTRES_SEAM_IMPORT(WSASetLastError)

#endif  // _WIN32

PORTRES_SEAM_WINSOCK_CALLS(PORTRES_SEAM_WINSOCK)
PORTRES_SEAM_IPHLPAPI_CALLS(PORTRES_SEAM_IPHLPAPI)
