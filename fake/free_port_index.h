// FreePortIndex: the free runs of one protocol's dynamic port range, for wildcard acquires and
// ephemeral binds that never scan ports or blocks.
//
// A port is free when nothing covers it: no reservation, no bound socket. The index keeps the
// maximal free runs twice: by start (to split and merge) and by (length, start) (to find the
// smallest run that fits in O(log n)). Occupying ports that are already covered is a no-op,
// so callers may occupy without asking first; freeing needs the caller to say which ports are
// no longer covered by anything (HostState knows the coverers).
#ifndef PORTRES_FAKE_FREE_PORT_INDEX_H
#define PORTRES_FAKE_FREE_PORT_INDEX_H

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>

namespace portres::detail {

class FreePortIndex {
 public:
  // Ports are host byte order, `first..last` inclusive. Starts with the whole range free.
  FreePortIndex(std::uint32_t first, std::uint32_t last);

  std::uint32_t first() const noexcept { return first_; }
  std::uint32_t last() const noexcept { return last_; }

  // Marks first..last (clipped to the range) as covered.
  void Occupy(std::uint32_t first, std::uint32_t last);
  // Marks first..last (clipped) as free again. The caller guarantees nothing covers it.
  void Free(std::uint32_t first, std::uint32_t last);

  // The start of the smallest free run of at least `count` ports (lowest start among equals).
  std::optional<std::uint32_t> FindBestFit(std::uint32_t count) const;
  // The lowest free port.
  std::optional<std::uint32_t> LowestFree() const;
  bool IsFree(std::uint32_t port) const;
  std::size_t RunCount() const noexcept { return runs_.size(); }

 private:
  using Run = std::map<std::uint32_t, std::uint32_t>::iterator;
  void AddRun(std::uint32_t first, std::uint32_t last);
  void EraseRun(Run it);
  // Gives a run new bounds by moving its two nodes (no allocation: splitting a run allocates
  // one new run, shrinking, growing or merging allocates nothing).
  void ResizeRun(Run it, std::uint32_t first, std::uint32_t last);

  std::uint32_t first_;
  std::uint32_t last_;
  std::map<std::uint32_t, std::uint32_t> runs_;                // start -> last
  std::set<std::pair<std::uint32_t, std::uint32_t>> by_size_;  // (length, start)
};

}  // namespace portres::detail

#endif  // PORTRES_FAKE_FREE_PORT_INDEX_H
