// BlockTable: one protocol's port reservations, indexed by port.
//
// Blocks of one protocol never overlap, so a block is known by its first port: a PortSet of
// first ports answers "the block at or before this port" (for overlap checks and for the block
// covering a port) in a few word operations, and a PortArray maps a first port to the block's
// place in a dense vector. Per block: a 32-byte record (on 64-bit targets) in that vector and a
// 4-byte slot for its first port.
#ifndef PORTRES_FAKE_BLOCK_TABLE_H
#define PORTRES_FAKE_BLOCK_TABLE_H

#include <portres/fake_host.h>
#include <portres/winsock.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "port_set.h"

namespace portres::detail {

struct Block {
  ULONG64 token = INVALID_PORT_RESERVATION_TOKEN;
  SOCKET owner = INVALID_SOCKET;  // runtime only
  std::uint32_t pid = 0;          // runtime only
  std::uint32_t owned_index = 0;  // runtime only: its place in the owner's SocketState::owned
  std::uint16_t first = 0;
  std::uint16_t last = 0;  // inclusive
  ReservationKind kind = ReservationKind::kRuntime;
};

class BlockTable {
 public:
  std::size_t size() const noexcept { return blocks_.size(); }

  // The block that starts at `first`, or null.
  Block* Find(std::uint32_t first) {
    return starts_.Contains(first) ? &blocks_[place_[first]] : nullptr;
  }
  // The block with the greatest first port <= `port`, or null.
  Block* AtOrBefore(std::uint32_t port) {
    const std::optional<std::uint32_t> first = starts_.Prev(port);
    return first ? &blocks_[place_[*first]] : nullptr;
  }
  // The block whose ports include `port`, or null.
  Block* Covering(std::uint32_t port) {
    Block* block = AtOrBefore(port);
    return block != nullptr && port <= block->last ? block : nullptr;
  }

  // Adds a block that overlaps none. Invalidates pointers to blocks.
  void Insert(const Block& block) {
    place_.Slot(block.first) = static_cast<std::uint32_t>(blocks_.size());
    blocks_.push_back(block);
    starts_.Insert(block.first);
  }
  // Removes the block that starts at `first` (the last block takes its place in the vector).
  // Invalidates pointers to blocks.
  void Erase(std::uint32_t first) {
    const std::uint32_t place = place_[first];
    starts_.Erase(first);
    if (place + 1 != blocks_.size()) {
      blocks_[place] = blocks_.back();
      place_[blocks_[place].first] = place;
    }
    blocks_.pop_back();
  }

  // Calls f(Block&) for each block in port order. f must not insert or erase.
  template <typename F>
  void ForEach(F&& f) {
    for (std::optional<std::uint32_t> first = starts_.Next(0); first;
         first = starts_.Next(*first + 1)) {
      f(blocks_[place_[*first]]);
    }
  }

 private:
  PortSet starts_;                  // first port of each block
  PortArray<std::uint32_t> place_;  // first port -> index in blocks_
  std::vector<Block> blocks_;       // dense, in no particular order
};

}  // namespace portres::detail

#endif  // PORTRES_FAKE_BLOCK_TABLE_H
