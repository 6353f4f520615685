// FreePortIndex: the free runs of one protocol's dynamic port range, for wildcard acquires and
// ephemeral binds that never scan ports or blocks.
//
// A port is free when nothing covers it: no reservation, no bound socket. The index keeps the
// maximal free runs twice, in port-indexed bitmaps (port_set.h) rather than trees:
// - by start: the set of run starts and, per start, the run's last port, so the run holding a
//   port is the previous start (one PortSet::Prev), and splitting or merging runs is O(1);
// - by length: the set of lengths that some run has and, per length, the set of starts of the
//   runs that long, so the best fit (the smallest run that fits, lowest start among equals) is
//   one PortSet::Next over lengths and one over that length's starts.
// A test's index holds a few runs (one, before anything is reserved): up to kFewRuns they are an
// inline array, scanned, so that a fresh fake allocates nothing here; the index moves to the
// bitmaps, for good, when a run more is needed.
// Occupying ports that are already covered is a no-op, so callers may occupy without asking
// first; freeing needs the caller to say which ports are no longer covered by anything
// (HostState knows the coverers).
#ifndef PORTRES_FAKE_FREE_PORT_INDEX_H
#define PORTRES_FAKE_FREE_PORT_INDEX_H

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "port_set.h"

namespace portres::detail {

class FreePortIndex {
 public:
  // Ports are host byte order, `first..last` inclusive, within 1..65535. Starts with the whole
  // range free.
  FreePortIndex(std::uint32_t first, std::uint32_t last);

  std::uint32_t first() const noexcept { return first_; }
  std::uint32_t last() const noexcept { return last_; }

  // Marks first..last (clipped to the range) as covered.
  void Occupy(std::uint32_t first, std::uint32_t last);
  // Marks first..last (clipped) as free again. The caller guarantees that first..last was
  // covered until now and that nothing covers it any more.
  void Free(std::uint32_t first, std::uint32_t last);

  // The start of the smallest free run of at least `count` ports (lowest start among equals).
  std::optional<std::uint32_t> FindBestFit(std::uint32_t count) const;
  // The lowest free port.
  std::optional<std::uint32_t> LowestFree() const;
  bool IsFree(std::uint32_t port) const;
  std::size_t RunCount() const noexcept { return run_count_; }

 private:
  static constexpr std::size_t kFewRuns = 8;
  struct Run {
    std::uint32_t first;
    std::uint32_t last;
  };
  // The runs, once there are more than kFewRuns.
  struct Bitmaps {
    PortSet starts;  // the first port of each free run
    // Run start -> its last port, and the index in starts_by_length of its length's set (read
    // together: erasing a run needs both, and one lookup is half the dependent loads of two).
    struct RunEnd {
      std::uint16_t last;
      std::uint16_t set;
    };
    PortArray<RunEnd> run_of;
    PortSet lengths;                  // length - 1 of each run, once per length
    PortArray<std::uint16_t> set_of;  // length - 1 -> its index in starts_by_length
    std::vector<PortSet> starts_by_length;
    // Indexes of starts_by_length that no length uses now: reused, pages and all, by the next
    // new length, so that splitting and merging runs does not allocate once warmed up.
    std::vector<std::uint16_t> spare_sets;
  };

  // The inline form: Occupy and Free on few_, editing runs in place. False, with nothing
  // changed, when the result would not fit in kFewRuns runs.
  bool OccupyFew(std::uint32_t first, std::uint32_t last);
  bool FreeFew(std::uint32_t first, std::uint32_t last);
  void MoveToBitmaps();

  // The bitmap form.
  void AddRun(std::uint32_t first, std::uint32_t last);
  void EraseRun(std::uint32_t first);
  // The run holding `port` or, if none does, the last one before it; the first run after `port`.
  // False when there is none. (Not std::optional<Run>: returned through memory, it cost a
  // store-forwarding stall on every call, a fifth of an acquire+release pair.)
  bool RunAtOrBefore(std::uint32_t port, Run* run) const;
  bool RunAfter(std::uint32_t port, Run* run) const;

  std::uint32_t first_;
  std::uint32_t last_;
  std::size_t run_count_ = 0;
  std::array<Run, kFewRuns> few_{};   // by start, while bitmaps_ is null
  std::unique_ptr<Bitmaps> bitmaps_;  // null while the runs are few
};

}  // namespace portres::detail

#endif  // PORTRES_FAKE_FREE_PORT_INDEX_H
