// <portres/winsock_error.h>: Winsock and Win32 error codes as std::error_code.
//
//   std::error_code ec = portres::make_winsock_error(WSAEINVAL);
//   ec.message();  // "WSAEINVAL (10022): an invalid argument was supplied"
//
// winsock_category() holds the codes WSAGetLastError() returns; win32_category() the codes the
// iphlpapi functions return. A code equals only the same code of the same category, and
// compares equal to the portable condition it stands for, where the C library has one (as Asio's
// categories do): `ec == std::errc::address_in_use` holds for WSAEADDRINUSE and for iphlpapi's
// ERROR_SHARING_VIOLATION, `std::errc::permission_denied` for WSAEACCES and ERROR_ACCESS_DENIED.
#ifndef PORTRES_WINSOCK_ERROR_H
#define PORTRES_WINSOCK_ERROR_H

#include <portres/portres_export.h>

#include <string>
#include <string_view>
#include <system_error>

namespace portres {

// The category of the codes WSAGetLastError() returns; messages name the code
// ("WSAEINVAL (10022): ...").
PORTRES_API const std::error_category& winsock_category() noexcept;
// The category of the Win32 codes the iphlpapi functions return.
PORTRES_API const std::error_category& win32_category() noexcept;

// A Winsock code (from WSAGetLastError()) as a std::error_code.
inline std::error_code make_winsock_error(int code) noexcept { return {code, winsock_category()}; }
// A Win32 code (from an iphlpapi function) as a std::error_code.
inline std::error_code make_win32_error(unsigned long code) noexcept {
  return {static_cast<int>(code), win32_category()};
}

// The SDK's name of a code WSAGetLastError() returns ("WSAEINVAL", "WSA_IO_PENDING"), or an
// empty view when portres does not know it.
PORTRES_API std::string_view ErrorName(int code) noexcept;
// The SDK's name of a Win32 code ("ERROR_NOT_FOUND", "NO_ERROR"), or an empty view. Win32 and
// Winsock share some numbers: 997 is ERROR_IO_PENDING here and WSA_IO_PENDING above.
PORTRES_API std::string_view Win32ErrorName(unsigned long code) noexcept;
// "WSAEINVAL (10022)", or "error 12345" for an unknown code.
PORTRES_API std::string DescribeError(int code);
// "ERROR_NOT_FOUND (1168)", or "error 12345" for an unknown code.
PORTRES_API std::string DescribeWin32Error(unsigned long code);

// The SDK's name of an IOCTL code ("SIO_ACQUIRE_PORT_RESERVATION"), or an empty view.
PORTRES_API std::string_view IoctlName(unsigned long code) noexcept;

}  // namespace portres

#endif  // PORTRES_WINSOCK_ERROR_H
