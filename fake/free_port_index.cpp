#include "free_port_index.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace portres::detail {

FreePortIndex::FreePortIndex(std::uint32_t first, std::uint32_t last) : first_(first), last_(last) {
  if (first <= last) AddRun(first, last);
}

void FreePortIndex::AddRun(std::uint32_t first, std::uint32_t last) {
  runs_.emplace(first, last);
  by_size_.emplace(last - first + 1, first);
}

void FreePortIndex::EraseRun(Run it) {
  by_size_.erase({it->second - it->first + 1, it->first});
  runs_.erase(it);
}

void FreePortIndex::ResizeRun(Run it, std::uint32_t first, std::uint32_t last) {
  auto by_size = by_size_.extract({it->second - it->first + 1, it->first});
  by_size.value() = {last - first + 1, first};
  by_size_.insert(std::move(by_size));
  if (it->first == first) {
    it->second = last;
    return;
  }
  auto run = runs_.extract(it);
  run.key() = first;
  run.mapped() = last;
  runs_.insert(std::move(run));
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
    if (run_first < first) {
      ResizeRun(it, run_first, first - 1);              // the part before stays
      if (run_last > last) AddRun(last + 1, run_last);  // the part after is a new run
    } else if (run_last > last) {
      ResizeRun(it, last + 1, run_last);  // only the part after stays
    } else {
      EraseRun(it);
    }
    it = next;
  }
}

void FreePortIndex::Free(std::uint32_t first, std::uint32_t last) {
  first = std::max(first, first_);
  last = std::min(last, last_);
  if (first > last) return;
  // Merge with the run that ends just before and the one that starts just after, growing one
  // of them in place when there is one.
  auto prev = runs_.lower_bound(first);
  prev =
      prev != runs_.begin() && std::prev(prev)->second + 1 == first ? std::prev(prev) : runs_.end();
  auto next = runs_.find(last + 1);
  if (next != runs_.end()) {
    last = next->second;
    if (prev == runs_.end()) {
      ResizeRun(next, first, last);
      return;
    }
    EraseRun(next);
  }
  if (prev != runs_.end()) {
    ResizeRun(prev, prev->first, last);
    return;
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
