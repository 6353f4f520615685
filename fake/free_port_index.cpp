#include "free_port_index.h"

#include <algorithm>

namespace portres::detail {

FreePortIndex::FreePortIndex(std::uint32_t first, std::uint32_t last) : first_(first), last_(last) {
  if (first <= last) few_[run_count_++] = Run{first, last};
}

// ---- Operations -----------------------------------------------------------------------
void FreePortIndex::Occupy(std::uint32_t first, std::uint32_t last) {
  first = std::max(first, first_);
  last = std::min(last, last_);
  if (first > last) return;
  if (!bitmaps_) {
    if (OccupyFew(first, last)) return;
    MoveToBitmaps();
  }
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
  if (!bitmaps_) {
    if (FreeFew(first, last)) return;
    MoveToBitmaps();
  }
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
  if (!bitmaps_) {
    for (std::size_t i = 0; i < run_count_; ++i) {
      if (few_[i].first <= port && port <= few_[i].last) return true;
    }
    return false;
  }
  Run run{};
  return RunAtOrBefore(port, &run) && port <= run.last;
}

// ---- The inline form ---------------------------------------------------------------
bool FreePortIndex::OccupyFew(std::uint32_t first, std::uint32_t last) {
  // The runs that meet first..last are few_[lo, hi) (runs are sorted and disjoint); they give
  // way to their parts outside first..last, at most one on each side. Edited in place: this is
  // every acquire's and bind's path.
  std::size_t lo = 0;
  while (lo < run_count_ && few_[lo].last < first) ++lo;
  std::size_t hi = lo;
  while (hi < run_count_ && few_[hi].first <= last) ++hi;
  if (lo == hi) return true;  // nothing of first..last was free
  Run parts[2];
  std::size_t part_count = 0;
  if (few_[lo].first < first) parts[part_count++] = Run{few_[lo].first, first - 1};
  if (few_[hi - 1].last > last) parts[part_count++] = Run{last + 1, few_[hi - 1].last};
  const std::size_t count = run_count_ - (hi - lo) + part_count;
  if (count > kFewRuns) return false;
  const std::size_t tail = lo + part_count;  // where few_[hi] moves to
  if (tail < hi) {
    for (std::size_t i = hi; i < run_count_; ++i) few_[i - (hi - tail)] = few_[i];
  } else if (tail > hi) {
    for (std::size_t i = run_count_; i > hi; --i) few_[i - 1 + (tail - hi)] = few_[i - 1];
  }
  for (std::size_t i = 0; i < part_count; ++i) few_[lo + i] = parts[i];
  run_count_ = count;
  return true;
}

bool FreePortIndex::FreeFew(std::uint32_t first, std::uint32_t last) {
  // No run intersects first..last (none of it was free): find the first run after it, then
  // join the neighbours it touches, or insert a run between them.
  std::size_t after = 0;
  while (after < run_count_ && few_[after].first < first) ++after;
  const bool joins_before = after > 0 && few_[after - 1].last + 1 == first;
  const bool joins_after = after < run_count_ && few_[after].first == last + 1;
  if (joins_before && joins_after) {
    few_[after - 1].last = few_[after].last;
    for (std::size_t i = after + 1; i < run_count_; ++i) few_[i - 1] = few_[i];
    --run_count_;
  } else if (joins_before) {
    few_[after - 1].last = last;
  } else if (joins_after) {
    few_[after].first = first;
  } else {
    if (run_count_ == kFewRuns) return false;
    for (std::size_t i = run_count_; i > after; --i) few_[i] = few_[i - 1];
    few_[after] = Run{first, last};
    ++run_count_;
  }
  return true;
}

void FreePortIndex::MoveToBitmaps() {
  bitmaps_ = std::make_unique<Bitmaps>();
  const std::size_t count = run_count_;
  run_count_ = 0;
  for (std::size_t i = 0; i < count; ++i) AddRun(few_[i].first, few_[i].last);
}

// ---- The bitmap form ---------------------------------------------------------------
void FreePortIndex::AddRun(std::uint32_t first, std::uint32_t last) {
  Bitmaps& b = *bitmaps_;
  const std::uint32_t length_key = last - first;  // length - 1: lengths are 1..65535
  std::uint16_t set = 0;
  if (b.lengths.Contains(length_key)) {
    set = b.set_of[length_key];
  } else {
    b.lengths.Insert(length_key);
    if (b.spare_sets.empty()) {
      set = static_cast<std::uint16_t>(b.starts_by_length.size());
      b.starts_by_length.emplace_back();
    } else {
      set = b.spare_sets.back();
      b.spare_sets.pop_back();
    }
    b.set_of.Slot(length_key) = set;
  }
  b.starts.Insert(first);
  b.run_of.Slot(first) = {static_cast<std::uint16_t>(last), set};
  b.starts_by_length[set].Insert(first);
  ++run_count_;
}

void FreePortIndex::EraseRun(std::uint32_t first) {
  Bitmaps& b = *bitmaps_;
  const Bitmaps::RunEnd run = b.run_of[first];
  PortSet& same_length = b.starts_by_length[run.set];
  same_length.Erase(first);
  if (same_length.empty()) {
    b.lengths.Erase(run.last - first);
    b.spare_sets.push_back(run.set);
  }
  b.starts.Erase(first);
  --run_count_;
}

bool FreePortIndex::RunAtOrBefore(std::uint32_t port, Run* run) const {
  const std::optional<std::uint32_t> start = bitmaps_->starts.Prev(port);
  if (!start) return false;
  *run = Run{*start, bitmaps_->run_of[*start].last};
  return true;
}

bool FreePortIndex::RunAfter(std::uint32_t port, Run* run) const {
  const std::optional<std::uint32_t> start = bitmaps_->starts.Next(port + 1);
  if (!start) return false;
  *run = Run{*start, bitmaps_->run_of[*start].last};
  return true;
}

}  // namespace portres::detail
