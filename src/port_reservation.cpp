#include <portres/port_reservation.h>
#include <portres/winsock_error.h>

#include <cstring>
#include <utility>

namespace portres {
namespace {

std::error_code LastError(ISocketIoctl& api) noexcept {
  return make_winsock_error(api.WSAGetLastError());
}

std::error_code TokenIoctl(ISocketIoctl& api, SOCKET socket, DWORD code, ULONG64 token) noexcept {
  INET_PORT_RESERVATION_TOKEN input{};
  input.Token = token;
  DWORD bytes = 0;
  if (api.WSAIoctl(socket, code, &input, sizeof input, nullptr, 0, &bytes, nullptr, nullptr) ==
      SOCKET_ERROR) {
    return LastError(api);
  }
  return {};
}

}  // namespace

INET_PORT_RANGE PortBlock::ToRange() const noexcept {
  INET_PORT_RANGE range{};
  range.StartPort = htons(first_port);
  range.NumberOfPorts = port_count;
  return range;
}

PortBlock PortBlock::FromRange(const INET_PORT_RANGE& range) noexcept {
  return PortBlock{ntohs(range.StartPort), range.NumberOfPorts};
}

// ---- UniqueSocket -------------------------------------------------------------------------
UniqueSocket::UniqueSocket(UniqueSocket&& other) noexcept
    : api_(other.api_), socket_(std::exchange(other.socket_, INVALID_SOCKET)) {}

UniqueSocket& UniqueSocket::operator=(UniqueSocket&& other) noexcept {
  if (this != &other) {
    reset();
    api_ = other.api_;
    socket_ = std::exchange(other.socket_, INVALID_SOCKET);
  }
  return *this;
}

SOCKET UniqueSocket::release() noexcept { return std::exchange(socket_, INVALID_SOCKET); }

std::error_code UniqueSocket::Close() noexcept {
  if (socket_ == INVALID_SOCKET) return {};
  if (api_->closesocket(socket_) == SOCKET_ERROR) return LastError(*api_);
  socket_ = INVALID_SOCKET;
  return {};
}

void UniqueSocket::reset() noexcept {
  if (socket_ != INVALID_SOCKET) api_->closesocket(std::exchange(socket_, INVALID_SOCKET));
}

// ---- PortReservation ----------------------------------------------------------------------
PortReservation::PortReservation(ISocketIoctl& api, SOCKET socket,
                                 const INET_PORT_RESERVATION_INSTANCE& instance) noexcept
    : api_(&api),
      socket_(socket),
      block_(PortBlock::FromRange(instance.Reservation)),
      token_(instance.Token.Token) {}

PortReservation::PortReservation(PortReservation&& other) noexcept
    : api_(other.api_),
      socket_(other.socket_),
      block_(other.block_),
      token_(std::exchange(other.token_, INVALID_PORT_RESERVATION_TOKEN)) {}

PortReservation& PortReservation::operator=(PortReservation&& other) noexcept {
  if (this != &other) {
    reset();
    api_ = other.api_;
    socket_ = other.socket_;
    block_ = other.block_;
    token_ = std::exchange(other.token_, INVALID_PORT_RESERVATION_TOKEN);
  }
  return *this;
}

std::error_code PortReservation::Release() noexcept {
  if (token_ == INVALID_PORT_RESERVATION_TOKEN) return {};
  if (std::error_code ec = ReleasePortReservation(*api_, socket_, token_)) return ec;
  token_ = INVALID_PORT_RESERVATION_TOKEN;
  return {};
}

ULONG64 PortReservation::release_ownership() noexcept {
  return std::exchange(token_, INVALID_PORT_RESERVATION_TOKEN);
}

void PortReservation::reset() noexcept {
  if (token_ != INVALID_PORT_RESERVATION_TOKEN) {
    ReleasePortReservation(*api_, socket_, std::exchange(token_, INVALID_PORT_RESERVATION_TOKEN));
  }
}

// ---- Free functions -----------------------------------------------------------------------
UniqueSocket OpenSocket(ISocketIoctl& api, int af, int type, int protocol,
                        std::error_code& ec) noexcept {
  const SOCKET socket = api.socket(af, type, protocol);
  if (socket == INVALID_SOCKET) {
    ec = LastError(api);
    return {};
  }
  ec.clear();
  return UniqueSocket(api, socket);
}

PortReservation AcquirePortReservation(ISocketIoctl& api, SOCKET socket, PortBlock block,
                                       std::error_code& ec) noexcept {
  INET_PORT_RANGE range = block.ToRange();
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  if (api.WSAIoctl(socket, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                   sizeof instance, &bytes, nullptr, nullptr) == SOCKET_ERROR) {
    ec = LastError(api);
    return {};
  }
  ec.clear();
  return PortReservation(api, socket, instance);
}

std::error_code ReleasePortReservation(ISocketIoctl& api, SOCKET socket, ULONG64 token) noexcept {
  return TokenIoctl(api, socket, SIO_RELEASE_PORT_RESERVATION, token);
}

std::error_code AssociatePortReservation(ISocketIoctl& api, SOCKET socket, ULONG64 token) noexcept {
  return TokenIoctl(api, socket, SIO_ASSOCIATE_PORT_RESERVATION, token);
}

std::error_code BindToPort(ISocketIoctl& api, SOCKET socket, int af, std::uint16_t port,
                           std::uint16_t& bound_port) noexcept {
  sockaddr_in6 address{};  // large enough for either family; zero is the wildcard address
  int length = 0;
  if (af == AF_INET6) {
    address.sin6_family = static_cast<decltype(address.sin6_family)>(AF_INET6);
    address.sin6_port = htons(port);
    length = sizeof(sockaddr_in6);
  } else {
    sockaddr_in v4{};
    v4.sin_family = static_cast<decltype(v4.sin_family)>(af);
    v4.sin_port = htons(port);
    std::memcpy(&address, &v4, sizeof v4);
    length = sizeof(sockaddr_in);
  }
  if (api.bind(socket, reinterpret_cast<const sockaddr*>(&address), length) == SOCKET_ERROR) {
    return LastError(api);
  }
  int name_length = sizeof address;
  if (api.getsockname(socket, reinterpret_cast<sockaddr*>(&address), &name_length) ==
      SOCKET_ERROR) {
    return LastError(api);
  }
  std::uint16_t port_net = 0;
  std::memcpy(&port_net, reinterpret_cast<const sockaddr*>(&address)->sa_data, sizeof port_net);
  bound_port = ntohs(port_net);
  return {};
}

}  // namespace portres
