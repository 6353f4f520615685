#include "free_port_index.h"

#include <algorithm>

namespace portres::detail {

FreePortIndex::FreePortIndex(std::uint32_t first, std::uint32_t last) : first_(first), last_(last) {
  if (first <= last) AddRun(first, last);
}

void FreePortIndex::AddRun(std::uint32_t first, std::uint32_t last) {
  const std::uint32_t length_key = last - first;  // length - 1: lengths are 1..65535
  starts_.Insert(first);
  last_of_.Slot(first) = static_cast<std::uint16_t>(last);
  if (!lengths_.Contains(length_key)) {
    lengths_.Insert(length_key);
    if (spare_sets_.empty()) {
      set_of_.Slot(length_key) = static_cast<std::uint16_t>(starts_by_length_.size());
      starts_by_length_.emplace_back();
    } else {
      set_of_.Slot(length_key) = spare_sets_.back();
      spare_sets_.pop_back();
    }
  }
  starts_by_length_[set_of_[length_key]].Insert(first);
  ++run_count_;
}

void FreePortIndex::EraseRun(std::uint32_t first) {
  const std::uint32_t length_key = last_of_[first] - first;
  const std::uint16_t set = set_of_[length_key];
  starts_by_length_[set].Erase(first);
  if (starts_by_length_[set].empty()) {
    lengths_.Erase(length_key);
    spare_sets_.push_back(set);
  }
  starts_.Erase(first);
  --run_count_;
}

void FreePortIndex::Occupy(std::uint32_t first, std::uint32_t last) {
  first = std::max(first, first_);
  last = std::min(last, last_);
  if (first > last) return;
  // The runs that intersect first..last: the one holding `first`, if any, then those starting
  // inside. Each is cut down to its parts outside first..last.
  std::optional<std::uint32_t> run = starts_.Prev(first);
  if (!run || last_of_[*run] < first) run = starts_.Next(first);
  while (run && *run <= last) {
    const std::uint32_t run_first = *run;
    const std::uint32_t run_last = last_of_[run_first];
    EraseRun(run_first);
    if (run_first < first) AddRun(run_first, first - 1);
    if (run_last > last) AddRun(last + 1, run_last);
    run = starts_.Next(run_last + 1);
  }
}

void FreePortIndex::Free(std::uint32_t first, std::uint32_t last) {
  first = std::max(first, first_);
  last = std::min(last, last_);
  if (first > last) return;
  // Merge with the run that ends just before and the one that starts just after.
  if (first > first_) {
    const std::optional<std::uint32_t> before = starts_.Prev(first - 1);
    if (before && last_of_[*before] == first - 1) {
      EraseRun(*before);
      first = *before;
    }
  }
  if (last < last_ && starts_.Contains(last + 1)) {
    const std::uint32_t after_last = last_of_[last + 1];
    EraseRun(last + 1);
    last = after_last;
  }
  AddRun(first, last);
}

std::optional<std::uint32_t> FreePortIndex::FindBestFit(std::uint32_t count) const {
  const std::optional<std::uint32_t> length_key = lengths_.Next(std::max(count, 1U) - 1);
  if (!length_key) return std::nullopt;
  return starts_by_length_[set_of_[*length_key]].Next(0);
}

bool FreePortIndex::IsFree(std::uint32_t port) const {
  const std::optional<std::uint32_t> run = starts_.Prev(port);
  return run && port <= last_of_[*run];
}

}  // namespace portres::detail
