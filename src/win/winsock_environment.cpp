#include <portres/winsock_environment.h>

#include <portres/winsock.h>

#include "iphlpapi_exports.h"

namespace portres {

const char* WineVersion() noexcept {
  const HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
  if (ntdll == nullptr) return nullptr;
  const FARPROC export_address = ::GetProcAddress(ntdll, "wine_get_version");
  if (export_address == nullptr) return nullptr;
  // FARPROC is a placeholder type: the export is `const char* wine_get_version(void)`. The
  // detour through void(*)() is the conversion GCC's -Wcast-function-type accepts.
  using WineGetVersion = const char*(__cdecl*)();
  const auto get_version =
      reinterpret_cast<WineGetVersion>(reinterpret_cast<void (*)()>(export_address));
  return get_version();
}

const char* MissingIpHelperFunction() noexcept { return detail::Iphlpapi().first_missing; }

int ProbeRuntimeReservations() noexcept {
  WSADATA data;
  const int startup_error = ::WSAStartup(MAKEWORD(2, 2), &data);
  if (startup_error != 0) return startup_error;
  int answer = 0;
  const SOCKET s = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (s == INVALID_SOCKET) {
    answer = ::WSAGetLastError();
  } else {
    INET_PORT_RANGE range{};  // StartPort 0: any free port
    range.NumberOfPorts = 1;
    INET_PORT_RESERVATION_INSTANCE instance{};
    DWORD bytes = 0;
    if (::WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                   sizeof instance, &bytes, nullptr, nullptr) != 0) {
      answer = ::WSAGetLastError();
    }
    // Closing the acquiring socket ends its reservation: the probe leaves nothing behind.
    ::closesocket(s);
  }
  ::WSACleanup();
  return answer;
}

bool IsElevated() noexcept {
  HANDLE token = nullptr;
  if (!::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY, &token)) return false;
  TOKEN_ELEVATION elevation{};
  DWORD size = 0;
  const BOOL queried =
      ::GetTokenInformation(token, TokenElevation, &elevation, sizeof elevation, &size);
  ::CloseHandle(token);
  return queried && elevation.TokenIsElevated != 0;
}

}  // namespace portres
