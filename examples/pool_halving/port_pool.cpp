#include "port_pool.h"

namespace example {
namespace {

constexpr int kMaxHalvings = 5;

}  // namespace

PortPool ReservePortPool(portres::ISocketIoctl& api, std::uint32_t wanted, std::uint16_t block) {
  PortPool pool;
  WSADATA data;
  if (const int error = api.WSAStartup(MAKEWORD(2, 2), &data); error != 0) {
    pool.error = error;
    return pool;
  }
  pool.started = true;
  pool.socket = api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (pool.socket == INVALID_SOCKET) {
    pool.error = api.WSAGetLastError();
    return pool;
  }
  int halvings = 0;
  while (pool.ports < wanted) {
    INET_PORT_RANGE range;
    range.StartPort = 0;
    range.NumberOfPorts = block;
    INET_PORT_RESERVATION_INSTANCE instance{};
    DWORD bytes = 0;
    if (api.WSAIoctl(pool.socket, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                     sizeof instance, &bytes, nullptr, nullptr) == SOCKET_ERROR) {
      const int error = api.WSAGetLastError();
      if (halvings == kMaxHalvings || block == 1) {
        pool.error = error;
        return pool;
      }
      block = static_cast<std::uint16_t>(block / 2);
      ++halvings;
      continue;
    }
    pool.blocks.push_back(
        PortBlock{ntohs(instance.Reservation.StartPort), instance.Reservation.NumberOfPorts});
    pool.ports += instance.Reservation.NumberOfPorts;
  }
  return pool;
}

void ClosePortPool(portres::ISocketIoctl& api, PortPool& pool) {
  if (pool.socket != INVALID_SOCKET) api.closesocket(pool.socket);
  pool.socket = INVALID_SOCKET;
  pool.blocks.clear();
  pool.ports = 0;
  if (pool.started) api.WSACleanup();
  pool.started = false;
}

}  // namespace example
