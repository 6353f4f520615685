// Event objects, for process `pid`: a handle that names no event sets that process's last error.
#include "host_state.h"

#include <thread>

namespace portres::detail {

WSAEVENT HostState::CreateEvent() {
  std::lock_guard<std::mutex> lock(mutex_);
  return events_.Create();
}

bool HostState::CloseEvent(std::uint32_t pid, WSAEVENT event) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (events_.Close(event)) return true;
  ProcessOf(pid).last_error[std::this_thread::get_id()] = WSA_INVALID_HANDLE;
  return false;
}

bool HostState::SetEvent(std::uint32_t pid, WSAEVENT event, bool signaled) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (events_.Set(event, signaled)) return true;
  ProcessOf(pid).last_error[std::this_thread::get_id()] = WSA_INVALID_HANDLE;
  return false;
}

bool HostState::IsEventSignaled(WSAEVENT event) {
  std::lock_guard<std::mutex> lock(mutex_);
  return events_.IsSignaled(event);
}

}  // namespace portres::detail
