#include "free_port_index.h"

#include <algorithm>
#include <iterator>

namespace portres::detail {

FreePortIndex::FreePortIndex(std::uint32_t first, std::uint32_t last) : first_(first), last_(last) {
  if (first <= last) AddRun(first, last);
}

void FreePortIndex::AddRun(std::uint32_t first, std::uint32_t last) {
  runs_.emplace(first, last);
  by_size_.emplace(last - first + 1, first);
}

void FreePortIndex::EraseRun(std::map<std::uint32_t, std::uint32_t>::iterator it) {
  by_size_.erase({it->second - it->first + 1, it->first});
  runs_.erase(it);
}

void FreePortIndex::Occupy(std::uint32_t first, std::uint32_t last) {
  first = std::max(first, first_);
  last = std::min(last, last_);
  if (first > last) return;
  // The first run that may intersect starts at or before `first`.
  auto it = runs_.upper_bound(first);
  if (it != runs_.begin()) --it;
  while (it != runs_.end() && it->first <= last) {
    const std::uint32_t run_first = it->first;
    const std::uint32_t run_last = it->second;
    if (run_last < first) {
      ++it;
      continue;
    }
    auto next = std::next(it);
    EraseRun(it);
    if (run_first < first) AddRun(run_first, first - 1);
    if (run_last > last) AddRun(last + 1, run_last);
    it = next;
  }
}

void FreePortIndex::Free(std::uint32_t first, std::uint32_t last) {
  first = std::max(first, first_);
  last = std::min(last, last_);
  if (first > last) return;
  // Merge with the run that ends just before and the one that starts just after.
  auto next = runs_.lower_bound(first);
  if (next != runs_.begin()) {
    auto prev = std::prev(next);
    if (prev->second + 1 == first) {
      first = prev->first;
      EraseRun(prev);
    }
  }
  next = runs_.find(last + 1);
  if (next != runs_.end()) {
    last = next->second;
    EraseRun(next);
  }
  AddRun(first, last);
}

std::optional<std::uint32_t> FreePortIndex::FindBestFit(std::uint32_t count) const {
  auto it = by_size_.lower_bound({count, 0});
  if (it == by_size_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::uint32_t> FreePortIndex::LowestFree() const {
  if (runs_.empty()) return std::nullopt;
  return runs_.begin()->first;
}

bool FreePortIndex::IsFree(std::uint32_t port) const {
  auto it = runs_.upper_bound(port);
  if (it == runs_.begin()) return false;
  --it;
  return port <= it->second;
}

}  // namespace portres::detail
