// The host's invariants (tests/support/invariants.h) when sockets may share a bound port.
//
// Two sockets of one protocol may hold one port only for a reason the caller saw happen:
// - both had SO_REUSEADDR in force when they were bound [ref:reuseaddr];
// - both set SIO_CPU_AFFINITY and belong to one process [ref:cpu-affinity];
// - one was accept()ed from the other, or both from one listener (an accepted socket keeps the
//   listener's port).
// Any other pair on one port is a violation. The caller keeps these facts per handle as it makes
// the calls (the fuzz driver from its own calls, the differential test from the model), so the
// check does not take the fake's word for why a port is shared.
#ifndef PORTRES_FUZZ_PORT_SHARING_H
#define PORTRES_FUZZ_PORT_SHARING_H

#include <portres/fake_host.h>
#include <portres/winsock.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "invariants.h"

namespace portres::fuzz {

// What the caller knows of one socket's right to share its port.
struct SharingFacts {
  bool reuse_at_bind = false;      // SO_REUSEADDR was on when bind (or connect) bound it
  bool affinity = false;           // SIO_CPU_AFFINITY succeeded on it
  SOCKET origin = INVALID_SOCKET;  // the listener it was accepted from (its own, if any)
};

using SharingFactsBySocket = std::map<SOCKET, SharingFacts>;

inline SOCKET OriginOf(const SharingFactsBySocket& facts, SOCKET s) {
  auto it = facts.find(s);
  return it == facts.end() || it->second.origin == INVALID_SOCKET ? s : it->second.origin;
}

inline bool MayShare(const SharingFactsBySocket& facts, const SocketInfo& a, const SocketInfo& b) {
  if (OriginOf(facts, a.handle) == OriginOf(facts, b.handle)) return true;
  auto fa = facts.find(a.handle);
  auto fb = facts.find(b.handle);
  if (fa == facts.end() || fb == facts.end()) return false;
  if (fa->second.reuse_at_bind && fb->second.reuse_at_bind) return true;
  return fa->second.affinity && fb->second.affinity && a.pid == b.pid;
}

// Every pair of sockets on one port may share it; then the usual invariants, with each shared
// port counted once (its oldest socket keeps it, the others are listed unbound).
inline std::string CheckHostInvariantsWithSharing(test_support::HostSnapshot snapshot,
                                                  const FakeHostOptions& options,
                                                  const SharingFactsBySocket& facts) {
  std::map<std::pair<int, std::uint16_t>, std::vector<SocketInfo*>> holders;
  for (SocketInfo& s : snapshot.sockets) {
    if (!s.bound) continue;
    const auto transport = test_support::TransportOf(s);
    if (!transport) continue;  // the usual check reports it
    holders[{static_cast<int>(*transport), s.port}].push_back(&s);
  }
  for (auto& [key, sockets] : holders) {
    for (std::size_t i = 0; i < sockets.size(); ++i) {
      for (std::size_t j = i + 1; j < sockets.size(); ++j) {
        if (!MayShare(facts, *sockets[i], *sockets[j])) {
          return "sockets " + std::to_string(sockets[i]->handle) + " and " +
                 std::to_string(sockets[j]->handle) + " share " +
                 (key.first == static_cast<int>(Protocol::kTcp) ? "TCP" : "UDP") + " port " +
                 std::to_string(key.second) +
                 " without SO_REUSEADDR on both, SIO_CPU_AFFINITY in one process or an accept";
        }
      }
    }
    for (std::size_t i = 1; i < sockets.size(); ++i) sockets[i]->bound = false;
  }
  return test_support::CheckHostInvariants(snapshot, options);
}

}  // namespace portres::fuzz

#endif  // PORTRES_FUZZ_PORT_SHARING_H
