// PortSpaces: the TCP and UDP port spaces of one host, and what covers each port.
//
// A port is covered by a reservation (a block), by a bound socket, or by nothing; the free
// index of each dynamic range must always agree with that. Every change of coverage goes
// through this class, so the three structures of a protocol never disagree, and the question
// "what meets first..last" is answered by one walk (ForEachOverlapping) for both the conflict
// check and the freeing of ports.
//
// Blocks of one protocol never overlap (the rules refuse it), so the blocks that can meet
// first..last are the one at or before `last` and, walking back, those before it that still
// reach `first`. With runtime_reservations_span_protocols, a runtime block also covers its ports
// in the other protocol (for conflicts and for the free index, not for explicit binds).
//
// Not synchronised: HostState calls it under its lock.
#ifndef PORTRES_FAKE_PORT_SPACES_H
#define PORTRES_FAKE_PORT_SPACES_H

#include <portres/fake_host.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "block_table.h"
#include "free_port_index.h"
#include "port_set.h"

namespace portres::detail {

constexpr std::uint32_t kLastPort = 65535;

inline Protocol Other(Protocol protocol) {
  return protocol == Protocol::kTcp ? Protocol::kUdp : Protocol::kTcp;
}

// What keeps a new block out: a block (of either protocol), or a bound port.
struct Conflict {
  Protocol protocol = Protocol::kTcp;  // the space the block or the bound port is in
  const Block* block = nullptr;        // null: a socket is bound to `port`
  std::uint32_t port = 0;              // the bound port, when block is null
};

class PortSpaces {
 public:
  PortSpaces(std::uint32_t dynamic_first, std::uint32_t dynamic_last, bool span_protocols)
      : spaces_{Space(dynamic_first, dynamic_last), Space(dynamic_first, dynamic_last)},
        span_protocols_(span_protocols) {}

  BlockTable& blocks(Protocol protocol) { return Of(protocol).blocks; }
  const PortSet& bound(Protocol protocol) const { return Of(protocol).bound; }
  const FreePortIndex& free(Protocol protocol) const { return Of(protocol).free; }
  std::size_t BlockCount() const { return spaces_[0].blocks.size() + spaces_[1].blocks.size(); }

  // Calls f(Block&) for each block of `blocks` whose ports meet first..last, from the last one
  // back; f returns true to stop. The one overlap walk of the fake.
  template <typename F>
  static void ForEachOverlapping(BlockTable& blocks, std::uint32_t first, std::uint32_t last,
                                 F&& f) {
    for (Block* block = blocks.AtOrBefore(last); block != nullptr && block->last >= first;
         block = block->first == 0 ? nullptr : blocks.AtOrBefore(block->first - 1U)) {
      if (f(*block)) return;
    }
  }

  // What a new block first..last of `protocol` (runtime or persistent) would meet: a block of
  // the same protocol, a runtime block of the other protocol when they span protocols, a bound
  // port of the same protocol. Nullopt when nothing does.
  std::optional<Conflict> FindConflict(Protocol protocol, std::uint32_t first, std::uint32_t last) {
    std::optional<Conflict> conflict;
    auto find = [&](Protocol in, bool runtime_only) {
      ForEachOverlapping(Of(in).blocks, first, last, [&](const Block& block) {
        if (runtime_only && block.kind != ReservationKind::kRuntime) return false;
        conflict = Conflict{in, &block, 0};
        return true;
      });
      return conflict.has_value();
    };
    if (find(protocol, false)) return conflict;
    if (span_protocols_ && find(Other(protocol), true)) return conflict;
    const std::optional<std::uint32_t> bound = Of(protocol).bound.Next(first);
    if (bound && *bound <= last) return Conflict{protocol, nullptr, *bound};
    return std::nullopt;
  }

  // Adds a block that FindConflict found free. Invalidates pointers to blocks.
  void AddBlock(Protocol protocol, const Block& block) {
    Of(protocol).blocks.Insert(block);
    Of(protocol).free.Occupy(block.first, block.last);
    if (Spans(block)) Of(Other(protocol)).free.Occupy(block.first, block.last);
  }

  // Removes `block` (a copy: the table moves blocks as it erases) and frees the ports nothing
  // covers any more. Invalidates pointers to blocks.
  void RemoveBlock(Protocol protocol, Block block) {
    Of(protocol).blocks.Erase(block.first);
    Vacate(protocol, block.first, block.last, protocol);
    if (Spans(block)) Vacate(Other(protocol), block.first, block.last, protocol);
  }

  void Bind(Protocol protocol, std::uint32_t port) {
    Of(protocol).bound.Insert(port);
    Of(protocol).free.Occupy(port, port);
  }
  void Unbind(Protocol protocol, std::uint32_t port) {
    Of(protocol).bound.Erase(port);
    Vacate(protocol, port, port);
  }

  // What a restart leaves: persistent blocks, nothing bound, the free index rebuilt from them.
  void EndRuntimeAndBindings();
  // A new dynamic range for `protocol`: a new free index, occupied by what covers its ports
  // (netsh_machine.cpp).
  void SetDynamicRange(Protocol protocol, std::uint32_t first, std::uint32_t last);

  // Calls f(Protocol, Block&) for each block, TCP then UDP, each in port order. f must not
  // insert or erase.
  template <typename F>
  void ForEachBlock(F&& f) {
    for (const Protocol protocol : {Protocol::kTcp, Protocol::kUdp}) {
      Of(protocol).blocks.ForEach([&](Block& block) { f(protocol, block); });
    }
  }

 private:
  struct Space {
    Space(std::uint32_t dynamic_first, std::uint32_t dynamic_last)
        : free(dynamic_first, dynamic_last) {}
    BlockTable blocks;   // never overlapping
    PortSet bound;       // ports a socket is bound to
    FreePortIndex free;  // dynamic range: ports nothing covers
  };

  Space& Of(Protocol protocol) { return spaces_[static_cast<int>(protocol)]; }
  const Space& Of(Protocol protocol) const { return spaces_[static_cast<int>(protocol)]; }
  bool Spans(const Block& block) const {
    return block.kind == ReservationKind::kRuntime && span_protocols_;
  }

  // Returns to the free index the ports of first..last that nothing covers any more.
  // `removed_from`: the protocol a block covering first..last was just removed from. Its blocks
  // cover none of those ports any more (blocks of one protocol never overlap), so they are not
  // searched: a release then walks none of the blocks of the protocol it released from.
  void Vacate(Protocol protocol, std::uint32_t first, std::uint32_t last,
              std::optional<Protocol> removed_from = std::nullopt);

  std::array<Space, 2> spaces_;
  bool span_protocols_;
};

// Inline, as the rest: every release and close runs it, and it belongs on their path.
inline void PortSpaces::Vacate(Protocol protocol, std::uint32_t first, std::uint32_t last,
                               std::optional<Protocol> removed_from) {
  Space& space = Of(protocol);
  first = std::max(first, space.free.first());
  last = std::min(last, space.free.last());
  if (first > last) return;
  // Collect what still covers first..last, then free the gaps between. A release or an unbind
  // meets a port or two: those are kept inline, so that closing a socket allocates nothing.
  using Cover = std::pair<std::uint32_t, std::uint32_t>;
  std::array<Cover, 8> few{};
  std::vector<Cover> many;
  std::size_t count = 0;
  auto add = [&](std::uint32_t cover_first, std::uint32_t cover_last) {
    if (count < few.size()) {
      few[count] = Cover{cover_first, cover_last};
    } else {
      if (many.empty()) many.assign(few.begin(), few.end());
      many.emplace_back(cover_first, cover_last);
    }
    ++count;
  };
  auto collect = [&](BlockTable& blocks, bool runtime_only) {
    ForEachOverlapping(blocks, first, last, [&](const Block& block) {
      if (!runtime_only || block.kind == ReservationKind::kRuntime) {
        add(std::max<std::uint32_t>(block.first, first), std::min<std::uint32_t>(block.last, last));
      }
      return false;
    });
  };
  if (removed_from != protocol) collect(space.blocks, false);
  if (span_protocols_ && removed_from != Other(protocol)) collect(Of(Other(protocol)).blocks, true);
  for (std::optional<std::uint32_t> port = space.bound.Next(first); port && *port <= last;
       port = space.bound.Next(*port + 1)) {
    add(*port, *port);
  }
  if (count == 0) {
    space.free.Free(first, last);
    return;
  }
  Cover* const begin = many.empty() ? few.data() : many.data();
  Cover* const end = begin + count;
  std::sort(begin, end);
  std::uint32_t next = first;
  for (const Cover* cover = begin; cover != end; ++cover) {
    if (cover->first > next) space.free.Free(next, cover->first - 1);
    next = std::max(next, cover->second + 1);
  }
  if (next <= last) space.free.Free(next, last);
}

}  // namespace portres::detail

#endif  // PORTRES_FAKE_PORT_SPACES_H
