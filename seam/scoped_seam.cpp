// ScopedSeam: which api and helper the global calls reach.
//
// The live seams form a stack threaded through a fixed table of slots. The calls read the top
// slot's pointers with two acquire loads and no lock; installing and ending take a mutex.
// Slots are static storage, so a call that races with the end of its seam reads a pointer
// that is still valid memory (possibly null or another seam's), never a freed ScopedSeam.
#include <portres/seam.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace portres {
namespace {

constexpr int kMaxSeams = 64;  // live at once, nested or from several threads
constexpr int kNone = -1;

struct Slot {
  std::atomic<ISocketIoctl*> api{nullptr};
  std::atomic<IIpHelper*> helper{nullptr};
  int outer = kNone;  // the seam below this one (guarded by the mutex)
  bool used = false;  // guarded by the mutex
};

struct SeamStack {
  std::array<Slot, kMaxSeams> slots;
  std::atomic<int> top{kNone};
  std::mutex mutex;
};

SeamStack& Stack() {
  static SeamStack stack;  // never destroyed before the last seam: constructed on first use
  return stack;
}

}  // namespace

ScopedSeam::ScopedSeam(ISocketIoctl& api) : api_(&api) {
  // A fake's persistent reservations live on its host: the seam's iphlpapi calls go there.
  if (auto* fake = dynamic_cast<FakeSocketIoctl*>(&api)) {
    default_helper_.emplace(fake->shared_host());
    helper_ = &*default_helper_;
  }
  Install();
}

ScopedSeam::ScopedSeam(ISocketIoctl& api, IIpHelper& helper) : api_(&api), helper_(&helper) {
  Install();
}

void ScopedSeam::Install() {
  SeamStack& stack = Stack();
  const std::lock_guard<std::mutex> lock(stack.mutex);
  for (int i = 0; i < kMaxSeams; ++i) {
    Slot& slot = stack.slots[static_cast<std::size_t>(i)];
    if (slot.used) continue;
    slot.used = true;
    slot.outer = stack.top.load(std::memory_order_relaxed);
    slot.api.store(api_, std::memory_order_relaxed);
    slot.helper.store(helper_, std::memory_order_relaxed);
    slot_ = i;
    stack.top.store(i, std::memory_order_release);
    return;
  }
  std::fprintf(stderr,
               "portres::ScopedSeam: more than %d seams live at once; a seam is meant to be "
               "scoped to a test (is one leaking?)\n",
               kMaxSeams);
  std::abort();
}

ScopedSeam::~ScopedSeam() {
  SeamStack& stack = Stack();
  const std::lock_guard<std::mutex> lock(stack.mutex);
  Slot& mine = stack.slots[static_cast<std::size_t>(slot_)];
  // Unlink from wherever this seam is: seams of several threads end in any order.
  if (stack.top.load(std::memory_order_relaxed) == slot_) {
    stack.top.store(mine.outer, std::memory_order_release);
  } else {
    for (int i = stack.top.load(std::memory_order_relaxed); i != kNone;) {
      Slot& above = stack.slots[static_cast<std::size_t>(i)];
      if (above.outer == slot_) {
        above.outer = mine.outer;
        break;
      }
      i = above.outer;
    }
  }
  mine.api.store(nullptr, std::memory_order_relaxed);
  mine.helper.store(nullptr, std::memory_order_relaxed);
  mine.used = false;
  mine.outer = kNone;
}

namespace detail {

ISocketIoctl* SeamApi() noexcept {
  SeamStack& stack = Stack();
  const int top = stack.top.load(std::memory_order_acquire);
  if (top == kNone) return nullptr;
  return stack.slots[static_cast<std::size_t>(top)].api.load(std::memory_order_acquire);
}

IIpHelper* SeamHelper() noexcept {
  SeamStack& stack = Stack();
  const int top = stack.top.load(std::memory_order_acquire);
  if (top == kNone) return nullptr;
  return stack.slots[static_cast<std::size_t>(top)].helper.load(std::memory_order_acquire);
}

bool SeamInstalled() noexcept { return Stack().top.load(std::memory_order_acquire) != kNone; }

}  // namespace detail
}  // namespace portres
