// The Winsock and Win32 error categories, and the SDK names of codes.
#include <portres/winsock.h>
#include <portres/winsock_error.h>

#include <string>

namespace portres {
namespace {

struct CodeName {
  int code;
  std::string_view name;
  std::string_view text;  // a short description in our words
};

constexpr CodeName kWinsockCodes[] = {
    {0, "NO_ERROR", "success"},
    {WSA_INVALID_HANDLE, "WSA_INVALID_HANDLE", "invalid event object handle"},
    {WSA_NOT_ENOUGH_MEMORY, "WSA_NOT_ENOUGH_MEMORY", "not enough memory"},
    {WSA_INVALID_PARAMETER, "WSA_INVALID_PARAMETER", "invalid parameter"},
    {WSA_OPERATION_ABORTED, "WSA_OPERATION_ABORTED", "overlapped operation aborted"},
    {WSA_IO_INCOMPLETE, "WSA_IO_INCOMPLETE", "overlapped operation not yet complete"},
    {WSA_IO_PENDING, "WSA_IO_PENDING", "overlapped operation will complete later"},
    {WSAEINTR, "WSAEINTR", "interrupted function call"},
    {WSAEBADF, "WSAEBADF", "file handle not valid"},
    {WSAEACCES, "WSAEACCES", "permission denied"},
    {WSAEFAULT, "WSAEFAULT", "bad address"},
    {WSAEINVAL, "WSAEINVAL", "invalid argument"},
    {WSAEMFILE, "WSAEMFILE", "too many open sockets"},
    {WSAEWOULDBLOCK, "WSAEWOULDBLOCK", "resource temporarily unavailable"},
    {WSAEINPROGRESS, "WSAEINPROGRESS", "a blocking operation is in progress"},
    {WSAEALREADY, "WSAEALREADY", "operation already in progress"},
    {WSAENOTSOCK, "WSAENOTSOCK", "not a socket"},
    {WSAEDESTADDRREQ, "WSAEDESTADDRREQ", "destination address required"},
    {WSAEMSGSIZE, "WSAEMSGSIZE", "message too long"},
    {WSAEPROTOTYPE, "WSAEPROTOTYPE", "protocol wrong type for socket"},
    {WSAENOPROTOOPT, "WSAENOPROTOOPT", "bad protocol option"},
    {WSAEPROTONOSUPPORT, "WSAEPROTONOSUPPORT", "protocol not supported"},
    {WSAESOCKTNOSUPPORT, "WSAESOCKTNOSUPPORT", "socket type not supported"},
    {WSAEOPNOTSUPP, "WSAEOPNOTSUPP", "operation not supported"},
    {WSAEPFNOSUPPORT, "WSAEPFNOSUPPORT", "protocol family not supported"},
    {WSAEAFNOSUPPORT, "WSAEAFNOSUPPORT", "address family not supported"},
    {WSAEADDRINUSE, "WSAEADDRINUSE", "address already in use"},
    {WSAEADDRNOTAVAIL, "WSAEADDRNOTAVAIL", "cannot assign requested address"},
    {WSAENETDOWN, "WSAENETDOWN", "network is down"},
    {WSAENETUNREACH, "WSAENETUNREACH", "network is unreachable"},
    {WSAENETRESET, "WSAENETRESET", "network dropped connection on reset"},
    {WSAECONNABORTED, "WSAECONNABORTED", "connection aborted"},
    {WSAECONNRESET, "WSAECONNRESET", "connection reset by peer"},
    {WSAENOBUFS, "WSAENOBUFS", "no buffer space available"},
    {WSAEISCONN, "WSAEISCONN", "socket is already connected"},
    {WSAENOTCONN, "WSAENOTCONN", "socket is not connected"},
    {WSAESHUTDOWN, "WSAESHUTDOWN", "cannot send after socket shutdown"},
    {WSAETIMEDOUT, "WSAETIMEDOUT", "connection timed out"},
    {WSAECONNREFUSED, "WSAECONNREFUSED", "connection refused"},
    {WSAEHOSTUNREACH, "WSAEHOSTUNREACH", "no route to host"},
    {WSAEPROCLIM, "WSAEPROCLIM", "too many processes using Winsock"},
    {WSASYSNOTREADY, "WSASYSNOTREADY", "network subsystem is unavailable"},
    {WSAVERNOTSUPPORTED, "WSAVERNOTSUPPORTED", "Winsock version out of range"},
    {WSANOTINITIALISED, "WSANOTINITIALISED", "WSAStartup has not been called"},
    {WSAEINVALIDPROCTABLE, "WSAEINVALIDPROCTABLE", "invalid procedure table from provider"},
    {WSAEINVALIDPROVIDER, "WSAEINVALIDPROVIDER", "invalid service provider version"},
    {WSAEPROVIDERFAILEDINIT, "WSAEPROVIDERFAILEDINIT", "service provider failed to start"},
};

constexpr CodeName kWin32Codes[] = {
    {NO_ERROR, "NO_ERROR", "success"},
    {ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED", "access denied (administrator rights needed)"},
    {ERROR_INVALID_HANDLE, "ERROR_INVALID_HANDLE", "invalid handle"},
    {ERROR_NOT_ENOUGH_MEMORY, "ERROR_NOT_ENOUGH_MEMORY", "not enough memory"},
    {ERROR_SHARING_VIOLATION, "ERROR_SHARING_VIOLATION", "ports in use or already reserved"},
    {ERROR_NOT_SUPPORTED, "ERROR_NOT_SUPPORTED", "request not supported"},
    {ERROR_INVALID_PARAMETER, "ERROR_INVALID_PARAMETER", "invalid parameter"},
    {ERROR_OPERATION_ABORTED, "ERROR_OPERATION_ABORTED", "operation aborted"},
    {ERROR_IO_INCOMPLETE, "ERROR_IO_INCOMPLETE", "I/O not yet complete"},
    {ERROR_IO_PENDING, "ERROR_IO_PENDING", "I/O pending"},
    {ERROR_NOT_FOUND, "ERROR_NOT_FOUND", "no such reservation"},
};

template <std::size_t N>
const CodeName* Find(const CodeName (&table)[N], long long code) noexcept {
  for (const CodeName& entry : table) {
    if (entry.code == code) return &entry;
  }
  return nullptr;
}

template <std::size_t N>
std::string Describe(const CodeName (&table)[N], long long code) {
  const CodeName* entry = Find(table, code);
  if (entry == nullptr) return "error " + std::to_string(code);
  return std::string(entry->name) + " (" + std::to_string(code) + ")";
}

// The portable conditions the codes stand for, where the C library has one (as Asio maps them), so
// that portable code can test `ec == std::errc::address_in_use` on either platform. A code
// without one stays a condition of its own category.
struct Portable {
  int code;
  std::errc condition;
};

constexpr Portable kWinsockConditions[] = {
    {WSA_NOT_ENOUGH_MEMORY, std::errc::not_enough_memory},
    {WSA_INVALID_PARAMETER, std::errc::invalid_argument},
    {WSA_OPERATION_ABORTED, std::errc::operation_canceled},
    {WSAEINTR, std::errc::interrupted},
    {WSAEBADF, std::errc::bad_file_descriptor},
    {WSAEACCES, std::errc::permission_denied},
    {WSAEFAULT, std::errc::bad_address},
    {WSAEINVAL, std::errc::invalid_argument},
    {WSAEMFILE, std::errc::too_many_files_open},
    {WSAEWOULDBLOCK, std::errc::operation_would_block},
    {WSAEINPROGRESS, std::errc::operation_in_progress},
    {WSAEALREADY, std::errc::connection_already_in_progress},
    {WSAENOTSOCK, std::errc::not_a_socket},
    {WSAEDESTADDRREQ, std::errc::destination_address_required},
    {WSAEMSGSIZE, std::errc::message_size},
    {WSAEPROTOTYPE, std::errc::wrong_protocol_type},
    {WSAENOPROTOOPT, std::errc::no_protocol_option},
    {WSAEPROTONOSUPPORT, std::errc::protocol_not_supported},
    {WSAEOPNOTSUPP, std::errc::operation_not_supported},
    {WSAEAFNOSUPPORT, std::errc::address_family_not_supported},
    {WSAEADDRINUSE, std::errc::address_in_use},
    {WSAEADDRNOTAVAIL, std::errc::address_not_available},
    {WSAENETDOWN, std::errc::network_down},
    {WSAENETUNREACH, std::errc::network_unreachable},
    {WSAENETRESET, std::errc::network_reset},
    {WSAECONNABORTED, std::errc::connection_aborted},
    {WSAECONNRESET, std::errc::connection_reset},
    {WSAENOBUFS, std::errc::no_buffer_space},
    {WSAEISCONN, std::errc::already_connected},
    {WSAENOTCONN, std::errc::not_connected},
    {WSAETIMEDOUT, std::errc::timed_out},
    {WSAECONNREFUSED, std::errc::connection_refused},
};

// ERROR_SHARING_VIOLATION is what Create*PortReservation answers when a port of the block is in
// use or reserved [ref:iphlpapi-create]: for the codes of this category, an address in use.
constexpr Portable kWin32Conditions[] = {
    {ERROR_ACCESS_DENIED, std::errc::permission_denied},
    {ERROR_NOT_ENOUGH_MEMORY, std::errc::not_enough_memory},
    {ERROR_SHARING_VIOLATION, std::errc::address_in_use},
    {ERROR_NOT_SUPPORTED, std::errc::not_supported},
    {ERROR_INVALID_PARAMETER, std::errc::invalid_argument},
    {ERROR_OPERATION_ABORTED, std::errc::operation_canceled},
};

template <std::size_t N>
std::error_condition ConditionOf(const Portable (&table)[N], int code,
                                 const std::error_category& category) noexcept {
  for (const Portable& entry : table) {
    if (entry.code == code) return std::make_error_condition(entry.condition);
  }
  return {code, category};
}

class WinsockCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "winsock"; }
  std::string message(int code) const override {
    const CodeName* entry = Find(kWinsockCodes, code);
    std::string text = Describe(kWinsockCodes, code);
    if (entry != nullptr) text.append(": ").append(entry->text);
    return text;
  }
  std::error_condition default_error_condition(int code) const noexcept override {
    return ConditionOf(kWinsockConditions, code, *this);
  }
};

class Win32Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "win32"; }
  std::string message(int code) const override {
    const CodeName* entry = Find(kWin32Codes, code);
    std::string text = Describe(kWin32Codes, code);
    if (entry != nullptr) text.append(": ").append(entry->text);
    return text;
  }
  std::error_condition default_error_condition(int code) const noexcept override {
    return ConditionOf(kWin32Conditions, code, *this);
  }
};

}  // namespace

const std::error_category& winsock_category() noexcept {
  static const WinsockCategory category;
  return category;
}

const std::error_category& win32_category() noexcept {
  static const Win32Category category;
  return category;
}

std::string_view ErrorName(int code) noexcept {
  const CodeName* entry = Find(kWinsockCodes, code);
  return entry == nullptr ? std::string_view() : entry->name;
}

std::string_view Win32ErrorName(unsigned long code) noexcept {
  const CodeName* entry = Find(kWin32Codes, static_cast<long long>(code));
  return entry == nullptr ? std::string_view() : entry->name;
}

std::string DescribeError(int code) { return Describe(kWinsockCodes, code); }

std::string DescribeWin32Error(unsigned long code) {
  return Describe(kWin32Codes, static_cast<long long>(code));
}

std::string_view IoctlName(unsigned long code) noexcept {
  switch (code) {
    case SIO_ACQUIRE_PORT_RESERVATION:
      return "SIO_ACQUIRE_PORT_RESERVATION";
    case SIO_RELEASE_PORT_RESERVATION:
      return "SIO_RELEASE_PORT_RESERVATION";
    case SIO_ASSOCIATE_PORT_RESERVATION:
      return "SIO_ASSOCIATE_PORT_RESERVATION";
    case SIO_CPU_AFFINITY:
      return "SIO_CPU_AFFINITY";
    default:
      return {};
  }
}

}  // namespace portres
