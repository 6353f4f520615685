#include <portres/winsock_environment.h>

#include <portres/winsock.h>

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
