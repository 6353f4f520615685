#include "port_spaces.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace portres::detail {

void PortSpaces::EndRuntimeAndBindings() {
  for (Space& space : spaces_) {
    space.bound.Clear();
    space.free = FreePortIndex(space.free.first(), space.free.last());
    std::vector<std::uint32_t> runtime;
    space.blocks.ForEach([&](const Block& block) {
      if (block.kind == ReservationKind::kRuntime) {
        runtime.push_back(block.first);
      } else {
        space.free.Occupy(block.first, block.last);
      }
    });
    for (const std::uint32_t first : runtime) space.blocks.Erase(first);
  }
}

}  // namespace portres::detail
