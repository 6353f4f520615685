// The six persistent-reservation functions of iphlpapi.dll, found at run time. Not imported
// statically: Wine 8 and ReactOS do not export them, and a static import of a missing function
// stops the process at load (Wine: at the first call) where a missing GetProcAddress answer
// can be reported as ERROR_NOT_SUPPORTED.
#ifndef PORTRES_SRC_WIN_IPHLPAPI_EXPORTS_H
#define PORTRES_SRC_WIN_IPHLPAPI_EXPORTS_H

#include <portres/winsock.h>

namespace portres::detail {

struct IphlpapiExports {
  using WithToken = ULONG(WINAPI*)(USHORT StartPort, USHORT NumberOfPorts, PULONG64 Token);
  using WithoutToken = ULONG(WINAPI*)(USHORT StartPort, USHORT NumberOfPorts);

  // nullptr where iphlpapi.dll lacks the export.
  WithToken create_tcp = nullptr;
  WithToken create_udp = nullptr;
  WithoutToken delete_tcp = nullptr;
  WithoutToken delete_udp = nullptr;
  WithToken lookup_tcp = nullptr;
  WithToken lookup_udp = nullptr;
  // The name of the first export missing, or nullptr.
  const char* first_missing = nullptr;
};

// Resolved once per process, on first use (thread-safe); iphlpapi.dll stays loaded from then on.
const IphlpapiExports& Iphlpapi() noexcept;

}  // namespace portres::detail

#endif  // PORTRES_SRC_WIN_IPHLPAPI_EXPORTS_H
