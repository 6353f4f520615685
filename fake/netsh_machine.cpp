// The machine's own state: what a netsh listing loads, per-protocol dynamic ranges, and the
// reservations the system itself holds ([ref:real-machines]): Hyper-V's WinNAT takes blocks of
// 100 ports at scattered starts of the dynamic range and places them anew at every restart.
// Every behaviour has a row in docs/fidelity.md ("The machine's own state").
#include <portres/describe.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "host_state.h"

namespace portres::detail {
namespace {

constexpr std::uint32_t kSystemPid = FakeHost::kSystemPid;

PortRange Normalized(PortRange range) {
  // Port 0 is no port (see HostState's constructor): a range given from 0 starts at 1.
  if (range.first_port == 0) range.first_port = 1;
  if (range.last_port < range.first_port) {
    throw std::invalid_argument("portres::FakeHostOptions: a dynamic port range from " +
                                std::to_string(range.first_port) + " to " +
                                std::to_string(range.last_port) + " ends before it starts");
  }
  return range;
}

std::string Ports(Protocol protocol, std::uint32_t first, std::uint32_t last) {
  return std::string(ProtocolName(protocol)) + " " + DescribePorts(first, last - first + 1);
}

std::string Owner(const Block& block) {
  if (block.kind == ReservationKind::kPersistent) return "the persistent reservation";
  return std::string("the runtime reservation") + (block.pid == kSystemPid
                                                       ? " of the System process"
                                                       : " of pid " + std::to_string(block.pid));
}

}  // namespace

void HostState::ApplyMachineOptions() {
  // The constructor runs this before anyone can share the host: no lock.
  if (options_.tcp_dynamic_range) {
    const PortRange range = Normalized(*options_.tcp_dynamic_range);
    ports_.SetDynamicRange(Protocol::kTcp, range.first_port, range.last_port);
  }
  if (options_.udp_dynamic_range) {
    const PortRange range = Normalized(*options_.udp_dynamic_range);
    ports_.SetDynamicRange(Protocol::kUdp, range.first_port, range.last_port);
  }
  if (options_.system.block_size == 0) {
    throw std::invalid_argument("portres::SystemReservations: block_size 0 holds no ports");
  }
  if (options_.system.administered_tcp_50000) {
    Block block;
    block.first = 50000;
    block.last = 50059;
    block.kind = ReservationKind::kPersistent;
    block.token = tokens_.Issue(Protocol::kTcp, block.first);
    ports_.AddBlock(Protocol::kTcp, block);
  }
  service_blocks_wanted_ = options_.system.blocks;
  service_block_size_ = options_.system.block_size;
  PlaceServiceBlocksLocked();
}

// ---- Dynamic ranges ---------------------------------------------------------------------------
// The range lives in the protocol's FreePortIndex; a new range is a new index, occupied by
// everything that covers ports in it.
void PortSpaces::SetDynamicRange(Protocol protocol, std::uint32_t first, std::uint32_t last) {
  Space& space = Of(protocol);
  space.free = FreePortIndex(first, last);
  space.blocks.ForEach([&](const Block& block) { space.free.Occupy(block.first, block.last); });
  if (span_protocols_) {
    Of(Other(protocol)).blocks.ForEach([&](const Block& block) {
      if (block.kind == ReservationKind::kRuntime) space.free.Occupy(block.first, block.last);
    });
  }
  for (std::optional<std::uint32_t> port = space.bound.Next(first); port && *port <= last;
       port = space.bound.Next(*port + 1)) {
    space.free.Occupy(*port, *port);
  }
}

PortRange HostState::DynamicRange(Protocol protocol) {
  std::lock_guard<std::mutex> lock(mutex_);
  const FreePortIndex& free = ports_.free(protocol);
  return PortRange{static_cast<std::uint16_t>(free.first()),
                   static_cast<std::uint16_t>(free.last())};
}

void HostState::SetDynamicRange(Protocol protocol, PortRange range) {
  std::lock_guard<std::mutex> lock(mutex_);
  ports_.SetDynamicRange(protocol, range.first_port, range.last_port);
}

// ---- Loading a listing ------------------------------------------------------------------------
std::optional<HostState::MachineConflict> HostState::LoadMachine(
    const std::vector<MachineRow>& rows, const std::array<std::optional<PortRange>, 2>& ranges) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Check every row before adding any: a listing loads whole or not at all.
  std::vector<bool> held(rows.size(), false);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const MachineRow& row = rows[i];
    const ReservationKind kind =
        row.persistent ? ReservationKind::kPersistent : ReservationKind::kRuntime;
    std::optional<MachineConflict> conflict;
    auto refuse = [&](Protocol in, const Block& block, const char* why) {
      conflict = MachineConflict{row.tag, Ports(row.protocol, row.first, row.last) + " overlaps " +
                                              Owner(block) + " " +
                                              Ports(in, block.first, block.last) + why};
      return true;
    };
    PortSpaces::ForEachOverlapping(
        ports_.blocks(row.protocol), row.first, row.last, [&](const Block& block) {
          if (block.first == row.first && block.last == row.last && block.kind == kind) {
            held[i] = true;  // the machine holds it already, as the listing says
            return true;
          }
          return refuse(row.protocol, block, "");
        });
    if (conflict) return conflict;
    if (held[i]) continue;
    // The System process's blocks of the two protocols may overlap: the machine the listing
    // comes from held them. Another process's runtime block of the other protocol may not,
    // when runtime reservations span protocols.
    if (options_.runtime_reservations_span_protocols) {
      const Protocol other = Other(row.protocol);
      PortSpaces::ForEachOverlapping(
          ports_.blocks(other), row.first, row.last, [&](const Block& block) {
            if (block.kind != ReservationKind::kRuntime || block.pid == kSystemPid) return false;
            return refuse(other, block, " (runtime reservations span protocols)");
          });
      if (conflict) return conflict;
    }
    const std::optional<std::uint32_t> bound = ports_.bound(row.protocol).Next(row.first);
    if (bound && *bound <= row.last) {
      for (const auto& [handle, socket] : sockets_) {
        if (socket.bound && socket.transport == row.protocol && socket.port == *bound) {
          return MachineConflict{row.tag, Ports(row.protocol, row.first, row.last) +
                                              " holds port " + std::to_string(*bound) +
                                              ", bound by socket " + DescribeSocketHandle(handle) +
                                              " of pid " + std::to_string(socket.pid)};
        }
      }
    }
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (held[i]) continue;
    const MachineRow& row = rows[i];
    Block block;
    block.first = static_cast<std::uint16_t>(row.first);
    block.last = static_cast<std::uint16_t>(row.last);
    block.kind = row.persistent ? ReservationKind::kPersistent : ReservationKind::kRuntime;
    block.pid = row.persistent ? 0 : kSystemPid;
    block.token = tokens_.Issue(row.protocol, row.first);
    ports_.AddBlock(row.protocol, block);
  }
  for (std::size_t p = 0; p < 2; ++p) {
    if (ranges[p]) {
      ports_.SetDynamicRange(static_cast<Protocol>(p), ranges[p]->first_port, ranges[p]->last_port);
    }
  }
  return std::nullopt;
}

// ---- The system's blocks ----------------------------------------------------------------------
std::uint64_t HostState::NextPlacementRandom() {
  std::uint64_t z = (placement_random_ += 0x9e3779b97f4a7c15ULL);  // splitmix64
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::optional<std::uint32_t> HostState::ScatteredFit(Protocol protocol, std::uint32_t count) {
  const FreePortIndex& free = ports_.free(protocol);
  const std::uint32_t first = free.first();
  const std::uint32_t last = free.last();
  if (count == 0 || last < first || last - first + 1 < count) return std::nullopt;
  const std::uint32_t starts = last - first + 2 - count;
  // A random start is tried a few times (each try is a handful of word operations); a crowded
  // range falls back to the best fit, so that a block is found whenever one fits.
  for (int attempt = 0; attempt < 32; ++attempt) {
    const auto start = first + static_cast<std::uint32_t>(NextPlacementRandom() % starts);
    if (!ports_.FindConflict(protocol, start, start + count - 1)) return start;
  }
  return free.FindBestFit(count);
}

std::size_t HostState::PlaceServiceBlocksLocked() {
  for (const auto& [protocol, first] : service_blocks_) {
    const Block* block = ports_.blocks(protocol).Find(first);
    if (block != nullptr && block->kind == ReservationKind::kRuntime && block->pid == kSystemPid) {
      ports_.RemoveBlock(protocol, *block);
    }
  }
  service_blocks_.clear();
  std::size_t placed = 0;
  for (const Protocol protocol : {Protocol::kTcp, Protocol::kUdp}) {
    for (std::size_t i = 0; i < service_blocks_wanted_; ++i) {
      const std::optional<std::uint32_t> start = ScatteredFit(protocol, service_block_size_);
      if (!start) break;
      Block block;
      block.first = static_cast<std::uint16_t>(*start);
      block.last = static_cast<std::uint16_t>(*start + service_block_size_ - 1U);
      block.kind = ReservationKind::kRuntime;
      block.pid = kSystemPid;
      block.token = tokens_.Issue(protocol, *start);
      ports_.AddBlock(protocol, block);
      service_blocks_.emplace_back(protocol, block.first);
      ++placed;
    }
  }
  return placed;
}

std::size_t HostState::HoldSystemBlocks(std::size_t blocks, std::uint16_t block_size) {
  std::lock_guard<std::mutex> lock(mutex_);
  service_blocks_wanted_ = blocks;
  service_block_size_ = block_size;
  return PlaceServiceBlocksLocked();
}

std::size_t HostState::RestartSystemService() {
  std::lock_guard<std::mutex> lock(mutex_);
  return PlaceServiceBlocksLocked();
}

std::vector<std::pair<Protocol, Block>> HostState::KeepSystemRowsLocked() {
  std::vector<std::pair<Protocol, Block>> kept;
  for (const Protocol protocol : {Protocol::kTcp, Protocol::kUdp}) {
    ports_.blocks(protocol).ForEach([&](const Block& block) {
      if (block.kind != ReservationKind::kRuntime || block.pid != kSystemPid) return;
      const bool service =
          std::find(service_blocks_.begin(), service_blocks_.end(),
                    std::make_pair(protocol, block.first)) != service_blocks_.end();
      if (!service) kept.emplace_back(protocol, block);
    });
  }
  service_blocks_.clear();  // Reboot() ends them with every runtime block
  return kept;
}

void HostState::RestoreSystemRowsLocked(const std::vector<std::pair<Protocol, Block>>& rows) {
  // The services that held fixed ports hold them again after the restart; the service of the
  // scattered blocks places them anew.
  for (auto [protocol, block] : rows) {
    block.token = tokens_.Issue(protocol, block.first);
    ports_.AddBlock(protocol, block);
  }
  PlaceServiceBlocksLocked();
}

}  // namespace portres::detail

// ---- FakeHost's controls of it ----------------------------------------------------------------
namespace portres {

PortRange FakeHost::DynamicPortRange(Protocol protocol) const {
  return state_->DynamicRange(protocol);
}

void FakeHost::SetDynamicPortRange(Protocol protocol, PortRange range) {
  if (range.first_port == 0 || range.last_port < range.first_port) {
    throw std::invalid_argument(
        "portres::FakeHost::SetDynamicPortRange(" + std::string(ProtocolName(protocol)) + ", " +
        std::to_string(range.first_port) + ".." + std::to_string(range.last_port) +
        "): a range is 1..65535 and ends at or after its start");
  }
  state_->SetDynamicRange(protocol, range);
}

std::size_t FakeHost::HoldSystemBlocks(std::size_t blocks, std::uint16_t block_size) {
  if (block_size == 0) {
    throw std::invalid_argument("portres::FakeHost::HoldSystemBlocks(" + std::to_string(blocks) +
                                ", 0): a block of 0 ports holds nothing");
  }
  return state_->HoldSystemBlocks(blocks, block_size);
}

std::size_t FakeHost::RestartSystemService() { return state_->RestartSystemService(); }

}  // namespace portres
