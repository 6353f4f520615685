#include "free_port_index.h"

#include <algorithm>
#include <iterator>

namespace portres::detail {

FreePortIndex::FreePortIndex(std::uint32_t first, std::uint32_t last) : first_(first), last_(last) {
  if (first <= last) AddRun(first, last);
}

// ---- Runs, in whichever form the index has ---------------------------------------------------
void FreePortIndex::AddRun(std::uint32_t first, std::uint32_t last) {
  if (!bitmaps_ && run_count_ == kFewRuns) MoveToBitmaps();
  if (!bitmaps_) {
    const auto end = few_.begin() + static_cast<std::ptrdiff_t>(run_count_);
    const auto at =
        std::find_if(few_.begin(), end, [first](const Run& run) { return run.first > first; });
    std::move_backward(at, end, std::next(end));
    *at = Run{first, last};
    ++run_count_;
    return;
  }
  Bitmaps& b = *bitmaps_;
  const std::uint32_t length_key = last - first;  // length - 1: lengths are 1..65535
  b.starts.Insert(first);
  if (!b.lengths.Contains(length_key)) {
    b.lengths.Insert(length_key);
    if (b.spare_sets.empty()) {
      b.set_of.Slot(length_key) = static_cast<std::uint16_t>(b.starts_by_length.size());
      b.starts_by_length.emplace_back();
    } else {
      b.set_of.Slot(length_key) = b.spare_sets.back();
      b.spare_sets.pop_back();
    }
  }
  const std::uint16_t set = b.set_of[length_key];
  b.run_of.Slot(first) = {static_cast<std::uint16_t>(last), set};
  b.starts_by_length[set].Insert(first);
  ++run_count_;
}

void FreePortIndex::EraseRun(std::uint32_t first) {
  --run_count_;
  if (!bitmaps_) {
    const auto end = few_.begin() + static_cast<std::ptrdiff_t>(run_count_) + 1;
    const auto at =
        std::find_if(few_.begin(), end, [first](const Run& run) { return run.first == first; });
    std::move(std::next(at), end, at);
    return;
  }
  Bitmaps& b = *bitmaps_;
  const Bitmaps::RunEnd run = b.run_of[first];
  const std::uint32_t length_key = run.last - first;
  const std::uint16_t set = run.set;
  b.starts_by_length[set].Erase(first);
  if (b.starts_by_length[set].empty()) {
    b.lengths.Erase(length_key);
    b.spare_sets.push_back(set);
  }
  b.starts.Erase(first);
}

void FreePortIndex::MoveToBitmaps() {
  const std::array<Run, kFewRuns> runs = few_;
  const std::size_t count = run_count_;
  run_count_ = 0;
  bitmaps_ = std::make_unique<Bitmaps>();
  for (std::size_t i = 0; i < count; ++i) AddRun(runs[i].first, runs[i].last);
}

bool FreePortIndex::RunAtOrBefore(std::uint32_t port, Run* run) const {
  if (!bitmaps_) {
    for (std::size_t i = run_count_; i > 0; --i) {
      if (few_[i - 1].first <= port) {
        *run = few_[i - 1];
        return true;
      }
    }
    return false;
  }
  const std::optional<std::uint32_t> start = bitmaps_->starts.Prev(port);
  if (!start) return false;
  *run = Run{*start, bitmaps_->run_of[*start].last};
  return true;
}

bool FreePortIndex::RunAfter(std::uint32_t port, Run* run) const {
  if (!bitmaps_) {
    for (std::size_t i = 0; i < run_count_; ++i) {
      if (few_[i].first > port) {
        *run = few_[i];
        return true;
      }
    }
    return false;
  }
  const std::optional<std::uint32_t> start = bitmaps_->starts.Next(port + 1);
  if (!start) return false;
  *run = Run{*start, bitmaps_->run_of[*start].last};
  return true;
}

// ---- Operations --------------------------------------------------------------------------------
void FreePortIndex::Occupy(std::uint32_t first, std::uint32_t last) {
  first = std::max(first, first_);
  last = std::min(last, last_);
  if (first > last) return;
  // The runs that intersect first..last: the one holding `first`, if any, then those starting
  // inside. Each is cut down to its parts outside first..last.
  Run run{};
  bool found = RunAtOrBefore(first, &run) && run.last >= first;
  if (!found) found = RunAfter(first, &run);
  while (found && run.first <= last) {
    const Run cut = run;
    EraseRun(cut.first);
    if (cut.first < first) AddRun(cut.first, first - 1);
    if (cut.last > last) AddRun(last + 1, cut.last);
    found = RunAfter(cut.last, &run);
  }
}

void FreePortIndex::Free(std::uint32_t first, std::uint32_t last) {
  first = std::max(first, first_);
  last = std::min(last, last_);
  if (first > last) return;
  // Merge with the run that ends just before and the one that starts just after.
  if (first > first_) {
    Run before{};
    if (RunAtOrBefore(first - 1, &before) && before.last == first - 1) {
      EraseRun(before.first);
      first = before.first;
    }
  }
  if (last < last_) {
    Run after{};
    if (RunAfter(last, &after) && after.first == last + 1) {
      EraseRun(after.first);
      last = after.last;
    }
  }
  AddRun(first, last);
}

std::optional<std::uint32_t> FreePortIndex::FindBestFit(std::uint32_t count) const {
  count = std::max(count, 1U);
  if (!bitmaps_) {
    const Run* best = nullptr;
    for (std::size_t i = 0; i < run_count_; ++i) {
      const std::uint32_t length = few_[i].last - few_[i].first + 1;
      if (length >= count && (best == nullptr || length < best->last - best->first + 1)) {
        best = &few_[i];
      }
    }
    if (best == nullptr) return std::nullopt;
    return best->first;
  }
  const Bitmaps& b = *bitmaps_;
  const std::optional<std::uint32_t> length_key = b.lengths.Next(count - 1);
  if (!length_key) return std::nullopt;
  return b.starts_by_length[b.set_of[*length_key]].Next(0);
}

std::optional<std::uint32_t> FreePortIndex::LowestFree() const {
  if (!bitmaps_) {
    if (run_count_ == 0) return std::nullopt;
    return few_[0].first;
  }
  return bitmaps_->starts.Next(0);
}

bool FreePortIndex::IsFree(std::uint32_t port) const {
  Run run{};
  return RunAtOrBefore(port, &run) && port <= run.last;
}

}  // namespace portres::detail
