// <portres/port_reservation.h>: runtime port reservations for new code, with std::error_code
// and RAII instead of SOCKET_ERROR and tokens to remember.
//
//   std::error_code ec;
//   portres::UniqueSocket socket = portres::OpenSocket(api, AF_INET, SOCK_DGRAM, IPPROTO_UDP, ec);
//   portres::PortReservation block =
//       portres::AcquirePortReservation(api, socket.get(), portres::PortBlock{5000, 20}, ec);
//   if (ec) return ec;                      // "WSAEADDRINUSE (10048): address already in use"
//   use(block.block().first_port, block.token());
//   // block releases the reservation when it goes out of scope; socket then closes.
//
// Everything here runs on an ISocketIoctl, so it works on the real backend, the fake and the
// mock alike. Errors are codes of portres::winsock_category(); nothing throws.
#ifndef PORTRES_PORT_RESERVATION_H
#define PORTRES_PORT_RESERVATION_H

#include <portres/portres_export.h>
#include <portres/socket_ioctl.h>
#include <portres/winsock.h>

#include <cstdint>
#include <system_error>

namespace portres {

// A block of consecutive ports, in host byte order. A first_port of 0 asks the system to choose
// where the block starts (a "wildcard" reservation).
struct PORTRES_API PortBlock {
  std::uint16_t first_port = 0;  // 0 for a wildcard
  std::uint16_t port_count = 0;

  // A wildcard block of `count` ports: the system chooses where it starts.
  static constexpr PortBlock Any(std::uint16_t count) noexcept { return PortBlock{0, count}; }
  constexpr bool is_wildcard() const noexcept { return first_port == 0; }
  // The last port of the block; only meaningful for a block that is not a wildcard.
  constexpr std::uint32_t last_port() const noexcept {
    return static_cast<std::uint32_t>(first_port) + port_count - 1;
  }
  // Whether `port` is one of the block's ports (never, for an empty block).
  constexpr bool contains(std::uint16_t port) const noexcept {
    return port_count != 0 && port >= first_port && port <= last_port();
  }
  // The block in the layout SIO_ACQUIRE_PORT_RESERVATION takes (StartPort in network order).
  INET_PORT_RANGE ToRange() const noexcept;
  // The block an INET_PORT_RANGE names (StartPort in network order).
  static PortBlock FromRange(const INET_PORT_RANGE& range) noexcept;

  friend constexpr bool operator==(const PortBlock& a, const PortBlock& b) noexcept {
    return a.first_port == b.first_port && a.port_count == b.port_count;
  }
  friend constexpr bool operator!=(const PortBlock& a, const PortBlock& b) noexcept {
    return !(a == b);
  }
};

// An open socket, closed when the object goes away. Move-only.
class PORTRES_API UniqueSocket {
 public:
  UniqueSocket() noexcept = default;
  // Owns `socket`, which `api` opened and will close.
  UniqueSocket(ISocketIoctl& api, SOCKET socket) noexcept : api_(&api), socket_(socket) {}
  ~UniqueSocket() { reset(); }
  // Moving leaves `other` empty; assigning closes this socket first, ignoring errors.
  UniqueSocket(UniqueSocket&& other) noexcept;
  UniqueSocket& operator=(UniqueSocket&& other) noexcept;
  UniqueSocket(const UniqueSocket&) = delete;
  UniqueSocket& operator=(const UniqueSocket&) = delete;

  // INVALID_SOCKET when empty.
  SOCKET get() const noexcept { return socket_; }
  explicit operator bool() const noexcept { return socket_ != INVALID_SOCKET; }
  // Gives the socket up without closing it.
  SOCKET release() noexcept;
  // Closes the socket now. A failed closesocket is reported and the socket is kept.
  std::error_code Close() noexcept;
  // Closes the socket, ignoring errors.
  void reset() noexcept;

 private:
  ISocketIoctl* api_ = nullptr;
  SOCKET socket_ = INVALID_SOCKET;
};

// A live runtime reservation, released when the object goes away. Move-only.
class PORTRES_API PortReservation {
 public:
  PortReservation() noexcept = default;
  // Adopts a reservation acquired on `socket` (the instance SIO_ACQUIRE_PORT_RESERVATION wrote).
  PortReservation(ISocketIoctl& api, SOCKET socket,
                  const INET_PORT_RESERVATION_INSTANCE& instance) noexcept;
  ~PortReservation() { reset(); }
  // Moving leaves `other` empty; assigning releases this reservation first, ignoring errors.
  PortReservation(PortReservation&& other) noexcept;
  PortReservation& operator=(PortReservation&& other) noexcept;
  PortReservation(const PortReservation&) = delete;
  PortReservation& operator=(const PortReservation&) = delete;

  explicit operator bool() const noexcept { return token_ != INVALID_PORT_RESERVATION_TOKEN; }
  // INVALID_PORT_RESERVATION_TOKEN when empty.
  ULONG64 token() const noexcept { return token_; }
  // The ports reserved, as SIO_ACQUIRE_PORT_RESERVATION reported them.
  PortBlock block() const noexcept { return block_; }
  // The socket that acquired it: the reservation ends when that socket closes [ref:ioctl-common].
  SOCKET socket() const noexcept { return socket_; }

  // Releases the reservation now. On failure the reservation is still live and still owned
  // (Winsock changed nothing), so the caller may retry or let the destructor try again.
  std::error_code Release() noexcept;
  // Gives the reservation up without releasing it; returns its token.
  ULONG64 release_ownership() noexcept;
  // Releases the reservation, ignoring errors.
  void reset() noexcept;

 private:
  ISocketIoctl* api_ = nullptr;
  SOCKET socket_ = INVALID_SOCKET;
  PortBlock block_;
  ULONG64 token_ = INVALID_PORT_RESERVATION_TOKEN;
};

// Opens a socket; on failure `ec` holds WSAGetLastError() and the result is empty.
PORTRES_API UniqueSocket OpenSocket(ISocketIoctl& api, int af, int type, int protocol,
                                    std::error_code& ec) noexcept;

// SIO_ACQUIRE_PORT_RESERVATION on `socket`. On failure `ec` holds the error and the result is
// empty. A wildcard block (first_port 0) comes back with the block the system chose.
PORTRES_API PortReservation AcquirePortReservation(ISocketIoctl& api, SOCKET socket,
                                                   PortBlock block, std::error_code& ec) noexcept;
// SIO_RELEASE_PORT_RESERVATION of `token`, from any TCP or UDP socket of the process.
PORTRES_API std::error_code ReleasePortReservation(ISocketIoctl& api, SOCKET socket,
                                                   ULONG64 token) noexcept;
// SIO_ASSOCIATE_PORT_RESERVATION: the next bind() of `socket` takes its port from the block.
PORTRES_API std::error_code AssociatePortReservation(ISocketIoctl& api, SOCKET socket,
                                                     ULONG64 token) noexcept;
// bind() to `port` (0: the system chooses) on the wildcard address of `af`, then getsockname();
// on success `bound_port` holds the port the socket got.
PORTRES_API std::error_code BindToPort(ISocketIoctl& api, SOCKET socket, int af, std::uint16_t port,
                                       std::uint16_t& bound_port) noexcept;

}  // namespace portres

#endif  // PORTRES_PORT_RESERVATION_H
