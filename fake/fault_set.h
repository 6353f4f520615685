// FaultSet: the faults injected into one simulated process, and the choice of which one, if
// any, hits a call. Not synchronised: HostState calls it under its lock.
#ifndef PORTRES_FAKE_FAULT_SET_H
#define PORTRES_FAKE_FAULT_SET_H

#include <portres/fault.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace portres {

class FaultSet {
 public:
  explicit FaultSet(std::uint64_t seed) : rng_state_(seed) {}

  void Add(Fault fault) { faults_.push_back(std::move(fault)); }
  void Clear() { faults_.clear(); }
  bool empty() const noexcept { return faults_.empty(); }

  // The effect of the first fault that hits `call`, used up by one; nullopt if none does.
  // A pending fault only hits calls that can pend.
  struct Hit {
    int error = 0;  // positive (Fault::Error refuses the rest); 0 when pend
    bool pend = false;
  };
  std::optional<Hit> Take(const Call& call);
  // The actions of the Before faults that hit `call`, in injection order, each used up by one.
  // Take() passes Before faults by, and this passes the others.
  std::vector<std::function<void()>> TakeActions(const Call& call);

 private:
  bool Hits(Fault& fault, const Call& call);
  double NextUniform();

  std::vector<Fault> faults_;
  std::uint64_t rng_state_;
};

}  // namespace portres

#endif  // PORTRES_FAKE_FAULT_SET_H
