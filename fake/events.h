// EventTable: the host's event objects (WSACreateEvent), by handle. Handles are never reused,
// so a closed one stays invalid. Not synchronised: HostState calls it under its lock.
#ifndef PORTRES_FAKE_EVENTS_H
#define PORTRES_FAKE_EVENTS_H

#include <portres/winsock.h>

#include <cstdint>
#include <map>

namespace portres::detail {

class EventTable {
 public:
  WSAEVENT Create() {
    const std::uintptr_t handle = next_;
    next_ += 4;
    signaled_.emplace(handle, false);
    return reinterpret_cast<WSAEVENT>(handle);  // NOLINT(performance-no-int-to-ptr): a handle
  }
  bool Close(WSAEVENT event) { return signaled_.erase(Key(event)) != 0; }
  // False if `event` does not exist.
  bool Set(WSAEVENT event, bool signaled) {
    auto it = signaled_.find(Key(event));
    if (it == signaled_.end()) return false;
    it->second = signaled;
    return true;
  }
  bool IsSignaled(WSAEVENT event) const {
    auto it = signaled_.find(Key(event));
    return it != signaled_.end() && it->second;
  }
  void Clear() { signaled_.clear(); }

 private:
  static std::uintptr_t Key(WSAEVENT event) { return reinterpret_cast<std::uintptr_t>(event); }

  std::map<std::uintptr_t, bool> signaled_;  // handle -> signaled
  std::uintptr_t next_ = 0x10000;
};

}  // namespace portres::detail

#endif  // PORTRES_FAKE_EVENTS_H
