#include "reasons.h"

#include <portres/describe.h>

#include "host_state.h"

namespace portres::detail {

std::string TooSmall(const char* argument, std::uint64_t actual, const char* type,
                     std::size_t size) {
  return std::string(argument) + " " + std::to_string(actual) + " < sizeof(" + type + ") " +
         std::to_string(size);
}

std::string DescribeBlock(Protocol protocol, const Block& block) {
  std::string text = "the " + std::string(ProtocolName(protocol)) + " " + Describe(block.kind) +
                     " block " + DescribePorts(block.first, block.last - block.first + 1U);
  if (block.kind == ReservationKind::kRuntime) {
    text +=
        " of pid " + std::to_string(block.pid) + ", socket " + DescribeSocketHandle(block.owner);
  }
  return text;
}

std::string DescribeSocket(SOCKET s, int af, int type, int protocol) {
  return "socket " + DescribeSocketHandle(s) + " (" + DescribeSocketKind(af, type, protocol) + ")";
}

std::string HostState::WhyNoSocket(const Process& process, SOCKET s) const {
  const std::string handle = DescribeSocketHandle(s);
  auto it = sockets_.find(s);
  if (it != sockets_.end()) {
    return handle + " is a socket of pid " + std::to_string(it->second.pid) + ", not of pid " +
           std::to_string(process.pid);
  }
  if (s >= 0x100 && s < next_socket_ && s % 4 == 0) {
    return handle + " is closed (or the host rebooted); handles are never reused";
  }
  return handle + " was never a socket on this host";
}

std::string HostState::BoundBy(Protocol protocol, std::uint32_t port) const {
  for (const auto& [handle, socket] : sockets_) {
    if (socket.bound && socket.transport == protocol && socket.port == port) {
      return "socket " + DescribeSocketHandle(handle) + " of pid " + std::to_string(socket.pid);
    }
  }
  return "a socket";
}

std::string HostState::WhyConflict(Protocol protocol, std::uint32_t first, std::uint32_t count,
                                   const Conflict& conflict) const {
  std::string text = std::string(ProtocolName(protocol)) + " " + DescribePorts(first, count);
  if (conflict.block == nullptr) {
    return text + " covers port " + std::to_string(conflict.port) + ", bound by " +
           BoundBy(conflict.protocol, conflict.port);
  }
  text += " overlaps " + DescribeBlock(conflict.protocol, *conflict.block);
  if (conflict.protocol != protocol) text += " (runtime reservations span protocols)";
  return text;
}

}  // namespace portres::detail
