#include "iphlpapi_exports.h"

namespace portres::detail {
namespace {

HMODULE LoadIphlpapi() noexcept {
  if (const HMODULE loaded = ::GetModuleHandleW(L"iphlpapi.dll")) return loaded;
  // System32 only: a DLL of that name next to the executable or in the current directory must
  // not stand in for the system's.
  if (const HMODULE loaded =
          ::LoadLibraryExW(L"iphlpapi.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32)) {
    return loaded;
  }
  // LOAD_LIBRARY_SEARCH_SYSTEM32 is refused (ERROR_INVALID_PARAMETER) by a Windows 7 without
  // KB2533623; iphlpapi is a KnownDLL there, which the loader takes from System32 anyway.
  return ::LoadLibraryW(L"iphlpapi.dll");
}

// FARPROC is a placeholder type. The detour through void(*)() is the conversion GCC's
// -Wcast-function-type accepts.
template <typename Function>
Function Find(HMODULE module, const char* name, const char*& first_missing) noexcept {
  const FARPROC address = module == nullptr ? nullptr : ::GetProcAddress(module, name);
  if (address == nullptr) {
    if (first_missing == nullptr) first_missing = name;
    return nullptr;
  }
  return reinterpret_cast<Function>(reinterpret_cast<void (*)()>(address));
}

IphlpapiExports Resolve() noexcept {
  using WithToken = IphlpapiExports::WithToken;
  using WithoutToken = IphlpapiExports::WithoutToken;
  const HMODULE module = LoadIphlpapi();
  IphlpapiExports exports;
  const char*& missing = exports.first_missing;
  exports.create_tcp = Find<WithToken>(module, "CreatePersistentTcpPortReservation", missing);
  exports.create_udp = Find<WithToken>(module, "CreatePersistentUdpPortReservation", missing);
  exports.delete_tcp = Find<WithoutToken>(module, "DeletePersistentTcpPortReservation", missing);
  exports.delete_udp = Find<WithoutToken>(module, "DeletePersistentUdpPortReservation", missing);
  exports.lookup_tcp = Find<WithToken>(module, "LookupPersistentTcpPortReservation", missing);
  exports.lookup_udp = Find<WithToken>(module, "LookupPersistentUdpPortReservation", missing);
  return exports;
}

}  // namespace

const IphlpapiExports& Iphlpapi() noexcept {
  static const IphlpapiExports exports = Resolve();
  return exports;
}

}  // namespace portres::detail
