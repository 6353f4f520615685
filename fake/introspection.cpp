// What a test may see of the host that no Winsock call shows: its reservations and sockets as
// values, in port order and handle order.
#include "addresses.h"
#include "host_state.h"

namespace portres::detail {

std::vector<ReservationInfo> HostState::Reservations(std::optional<std::uint32_t> pid) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<ReservationInfo> result;
  ports_.ForEachBlock([&](Protocol protocol, const Block& block) {
    if (pid && block.pid != *pid) return;
    ReservationInfo info;
    info.protocol = protocol;
    info.kind = block.kind;
    info.first_port = block.first;
    info.port_count = static_cast<std::uint16_t>(block.last - block.first + 1);
    info.token = block.token;
    info.owner_socket = block.owner;
    info.owner_pid = block.pid;
    result.push_back(info);
  });
  return result;
}

std::vector<SocketInfo> HostState::Sockets(std::optional<std::uint32_t> pid) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<SocketInfo> result;
  for (const auto& [handle, socket] : sockets_) {
    if (pid && socket.pid != *pid) continue;
    SocketInfo info;
    info.handle = handle;
    info.pid = socket.pid;
    info.af = socket.af;
    info.type = socket.type;
    info.protocol = socket.protocol;
    info.bound = socket.bound;
    info.port = static_cast<std::uint16_t>(socket.port);
    info.associated_token = socket.associated;
    info.overlapped = socket.overlapped_attribute;
    info.listening = socket.listening;
    info.connected = socket.connected;
    if (socket.connected) {
      info.peer_port = PortOfAddress(reinterpret_cast<const sockaddr*>(&socket.peer));
    }
    result.push_back(info);
  }
  return result;
}

std::size_t HostState::ReservationCount() {
  std::lock_guard<std::mutex> lock(mutex_);
  return ports_.BlockCount();
}

std::size_t HostState::SocketCount() {
  std::lock_guard<std::mutex> lock(mutex_);
  return sockets_.size();
}

}  // namespace portres::detail
