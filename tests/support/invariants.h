// Invariants of a FakeHost that hold after every call, whatever the call was, checked through
// the public introspection only (FakeHost::Reservations(), Sockets()). Shared by the fuzzer
// (fuzz/), the reference-model test (tests/model/) and the stress test (tests/stress/).
//
// Each check returns a description of the first violation it finds, or an empty string, so a
// gtest can print it and the fuzzer can trap on it.
#ifndef PORTRES_TESTS_SUPPORT_INVARIANTS_H
#define PORTRES_TESTS_SUPPORT_INVARIANTS_H

#include <portres/fake_host.h>
#include <portres/winsock.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace portres::test_support {

// What the host holds at one moment.
struct HostSnapshot {
  std::vector<ReservationInfo> reservations;
  std::vector<SocketInfo> sockets;
};

inline HostSnapshot TakeSnapshot(const FakeHost& host) {
  return HostSnapshot{host.Reservations(), host.Sockets()};
}

// The transport a socket's (af, type, protocol) gives it; empty for raw and AF_UNIX sockets.
inline std::optional<Protocol> TransportOf(const SocketInfo& socket) {
  if (socket.af != AF_INET && socket.af != AF_INET6) return std::nullopt;
  if (socket.type == SOCK_STREAM && (socket.protocol == 0 || socket.protocol == IPPROTO_TCP)) {
    return Protocol::kTcp;
  }
  if (socket.type == SOCK_DGRAM && (socket.protocol == 0 || socket.protocol == IPPROTO_UDP)) {
    return Protocol::kUdp;
  }
  return std::nullopt;
}

inline std::string Describe(const ReservationInfo& r) {
  return std::string(ProtocolName(r.protocol)) +
         (r.kind == ReservationKind::kRuntime ? " runtime " : " persistent ") +
         std::to_string(r.first_port) + "+" + std::to_string(r.port_count) + " token " +
         std::to_string(r.token) + " owner " + std::to_string(r.owner_socket) + "/pid " +
         std::to_string(r.owner_pid);
}

// A rejected call changes nothing: the same reservations and the same sockets, field for field.
inline std::string CheckUnchanged(const HostSnapshot& before, const HostSnapshot& after) {
  if (before.reservations.size() != after.reservations.size()) {
    return "reservation count changed from " + std::to_string(before.reservations.size()) + " to " +
           std::to_string(after.reservations.size());
  }
  for (std::size_t i = 0; i < before.reservations.size(); ++i) {
    if (before.reservations[i] != after.reservations[i]) {
      return "reservation changed: " + Describe(before.reservations[i]) + " became " +
             Describe(after.reservations[i]);
    }
  }
  if (before.sockets.size() != after.sockets.size()) {
    return "socket count changed from " + std::to_string(before.sockets.size()) + " to " +
           std::to_string(after.sockets.size());
  }
  for (std::size_t i = 0; i < before.sockets.size(); ++i) {
    if (before.sockets[i] != after.sockets[i]) {
      return "socket " + std::to_string(before.sockets[i].handle) + " changed";
    }
  }
  return {};
}

// Invariants of the reservations alone (safe on a snapshot taken while other threads run):
// - every block lies within 1..65535 and has at least one port;
// - no two live blocks of one protocol overlap;
// - with runtime_reservations_span_protocols, no runtime block overlaps a runtime block of the
//   other protocol. (A runtime block may overlap a persistent block of the other protocol: the
//   option keeps the other protocol's acquires and creates out of a runtime block, and says
//   nothing of a runtime acquire over the other protocol's persistent block; see
//   docs/fidelity.md.)
// - tokens are non-zero and unique across both protocols;
// - runtime blocks name an owner socket and pid, persistent blocks neither.
inline std::string CheckReservationInvariants(const std::vector<ReservationInfo>& reservations,
                                              const FakeHostOptions& options) {
  std::set<ULONG64> tokens;
  for (const ReservationInfo& r : reservations) {
    if (r.port_count == 0 || r.first_port == 0 ||
        std::uint32_t{r.first_port} + r.port_count - 1 > 65535) {
      return "block out of range: " + Describe(r);
    }
    if (r.token == INVALID_PORT_RESERVATION_TOKEN) return "token 0: " + Describe(r);
    if (!tokens.insert(r.token).second) return "token not unique: " + Describe(r);
    const bool runtime = r.kind == ReservationKind::kRuntime;
    if (runtime != (r.owner_socket != INVALID_SOCKET) || runtime != (r.owner_pid != 0)) {
      return "owner fields do not match the kind: " + Describe(r);
    }
  }
  // Blocks of one protocol, sorted by first port: one pass finds overlaps within a protocol,
  // and then (the blocks being disjoint) one binary search per block finds one across.
  std::vector<const ReservationInfo*> by_protocol[2];
  for (const ReservationInfo& r : reservations) {
    by_protocol[static_cast<int>(r.protocol)].push_back(&r);
  }
  auto last_of = [](const ReservationInfo* r) {
    return std::uint32_t{r->first_port} + r->port_count - 1;
  };
  for (auto& blocks : by_protocol) {
    std::sort(blocks.begin(), blocks.end(), [](const ReservationInfo* a, const ReservationInfo* b) {
      return a->first_port < b->first_port;
    });
    for (std::size_t i = 1; i < blocks.size(); ++i) {
      if (blocks[i]->first_port <= last_of(blocks[i - 1])) {
        return "overlap: " + Describe(*blocks[i - 1]) + " and " + Describe(*blocks[i]);
      }
    }
  }
  if (options.runtime_reservations_span_protocols) {
    for (int p = 0; p < 2; ++p) {
      const auto& others = by_protocol[1 - p];
      for (const ReservationInfo* r : by_protocol[p]) {
        if (r->kind != ReservationKind::kRuntime) continue;
        // The first of the other protocol's blocks that start after r's last port.
        auto it = std::upper_bound(
            others.begin(), others.end(), last_of(r),
            [](std::uint32_t port, const ReservationInfo* b) { return port < b->first_port; });
        // Walk down through the blocks that reach into r (they are disjoint and sorted).
        while (it != others.begin()) {
          --it;
          if (last_of(*it) < r->first_port) break;
          if ((*it)->kind == ReservationKind::kRuntime) {
            return "runtime block overlaps a runtime block of the other protocol: " + Describe(*r) +
                   " and " + Describe(**it);
          }
        }
      }
    }
  }
  return {};
}

// Invariants that tie reservations to sockets (need both from one quiet moment):
// - every live runtime reservation has an open owner socket in its owner pid, of its protocol;
// - no two sockets of one protocol are bound to the same port; socket handles are unique.
inline std::string CheckSocketInvariants(const HostSnapshot& snapshot) {
  std::map<SOCKET, const SocketInfo*> by_handle;
  std::set<std::pair<int, std::uint16_t>> bound;
  for (const SocketInfo& s : snapshot.sockets) {
    if (s.handle == INVALID_SOCKET) return "a socket with handle INVALID_SOCKET";
    if (!by_handle.emplace(s.handle, &s).second) {
      return "socket handle listed twice: " + std::to_string(s.handle);
    }
    if (!s.bound) continue;
    const std::optional<Protocol> transport = TransportOf(s);
    if (!transport) return "a socket without a transport is bound: " + std::to_string(s.handle);
    if (!bound.emplace(static_cast<int>(*transport), s.port).second) {
      return "two " + std::string(ProtocolName(*transport)) + " sockets bound to port " +
             std::to_string(s.port);
    }
  }
  for (const ReservationInfo& r : snapshot.reservations) {
    if (r.kind != ReservationKind::kRuntime) continue;
    auto it = by_handle.find(r.owner_socket);
    if (it == by_handle.end()) return "runtime reservation without an open owner: " + Describe(r);
    if (it->second->pid != r.owner_pid) return "owner socket in another process: " + Describe(r);
    if (TransportOf(*it->second) != r.protocol) {
      return "owner socket of another protocol: " + Describe(r);
    }
  }
  return {};
}

inline std::string CheckHostInvariants(const HostSnapshot& snapshot,
                                       const FakeHostOptions& options) {
  std::string violation = CheckReservationInvariants(snapshot.reservations, options);
  if (violation.empty()) violation = CheckSocketInvariants(snapshot);
  return violation;
}

inline std::string CheckHostInvariants(const FakeHost& host) {
  return CheckHostInvariants(TakeSnapshot(host), host.options());
}

}  // namespace portres::test_support

#endif  // PORTRES_TESTS_SUPPORT_INVARIANTS_H
