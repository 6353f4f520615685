// PortSet and PortArray: the fake's port-indexed building blocks.
//
// The port space has 65536 values, so the fake indexes it directly instead of keeping trees of
// nodes: a PortSet is a set of 16-bit values as a three-level bitmap (a bit per value, a bit per
// non-zero 64-bit word, a bit per non-empty page), so that insert, erase, membership, and the
// next or previous member of any value take a handful of word operations whatever the set
// holds. A PortArray is a value per port. Both allocate their storage in pages of 4096 values on
// first use, so a fresh fake that touches a few ports allocates a few pages, not the whole space.
#ifndef PORTRES_FAKE_PORT_SET_H
#define PORTRES_FAKE_PORT_SET_H

#include <array>
#include <cstdint>
#include <memory>
#include <optional>

#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#endif

namespace portres::detail {

// Index of the lowest / highest set bit of a non-zero word.
inline unsigned LowestBit(std::uint64_t word) {
#if defined(_MSC_VER) && !defined(__clang__)
  unsigned long index = 0;
  _BitScanForward64(&index, word);
  return static_cast<unsigned>(index);
#else
  return static_cast<unsigned>(__builtin_ctzll(word));
#endif
}

inline unsigned HighestBit(std::uint64_t word) {
#if defined(_MSC_VER) && !defined(__clang__)
  unsigned long index = 0;
  _BitScanReverse64(&index, word);
  return static_cast<unsigned>(index);
#else
  return 63U - static_cast<unsigned>(__builtin_clzll(word));
#endif
}

// Bits i..63 (none when i is 64), and bits 0..i-1 (none when i is 0).
constexpr std::uint64_t BitsFrom(unsigned i) { return i >= 64 ? 0 : ~std::uint64_t{0} << i; }
constexpr std::uint64_t BitsBelow(unsigned i) { return ~BitsFrom(i); }

class PortSet {
 public:
  static constexpr std::uint32_t kSize = 65536;  // values 0..65535

  PortSet() = default;

  bool empty() const noexcept { return top_ == 0; }

  bool Contains(std::uint32_t value) const noexcept {
    const Page* page = pages_[value >> 12].get();
    return page != nullptr && ((*page)[value >> 6 & 63] >> (value & 63) & 1) != 0;
  }

  void Insert(std::uint32_t value) {
    const std::uint32_t p = value >> 12;
    const std::uint32_t w = value >> 6 & 63;
    if (!pages_[p]) pages_[p] = std::make_unique<Page>();  // value-initialised: all zero
    (*pages_[p])[w] |= std::uint64_t{1} << (value & 63);
    summary_[p] |= std::uint64_t{1} << w;
    top_ |= 1U << p;
  }

  void Erase(std::uint32_t value) noexcept {
    const std::uint32_t p = value >> 12;
    const std::uint32_t w = value >> 6 & 63;
    Page* page = pages_[p].get();
    if (page == nullptr) return;
    std::uint64_t& word = (*page)[w];
    word &= ~(std::uint64_t{1} << (value & 63));
    if (word != 0) return;
    summary_[p] &= ~(std::uint64_t{1} << w);
    if (summary_[p] == 0) top_ &= ~(1U << p);
  }

  // The smallest member >= value.
  std::optional<std::uint32_t> Next(std::uint32_t value) const noexcept {
    if (value >= kSize) return std::nullopt;
    const std::uint32_t p = value >> 12;
    const unsigned w = value >> 6 & 63;
    if (const Page* page = pages_[p].get()) {
      if (const std::uint64_t bits = (*page)[w] & BitsFrom(value & 63)) {
        return At(p, w, LowestBit(bits));
      }
      if (const std::uint64_t words = summary_[p] & BitsFrom(w + 1)) {
        const unsigned w2 = LowestBit(words);
        return At(p, w2, LowestBit((*page)[w2]));
      }
    }
    const std::uint64_t pages = top_ & BitsFrom(p + 1);
    if (pages == 0) return std::nullopt;
    const unsigned p2 = LowestBit(pages);
    const unsigned w2 = LowestBit(summary_[p2]);
    return At(p2, w2, LowestBit((*pages_[p2])[w2]));
  }

  // The largest member <= value.
  std::optional<std::uint32_t> Prev(std::uint32_t value) const noexcept {
    if (value >= kSize) value = kSize - 1;
    const std::uint32_t p = value >> 12;
    const unsigned w = value >> 6 & 63;
    if (const Page* page = pages_[p].get()) {
      if (const std::uint64_t bits = (*page)[w] & BitsBelow((value & 63) + 1)) {
        return At(p, w, HighestBit(bits));
      }
      if (const std::uint64_t words = summary_[p] & BitsBelow(w)) {
        const unsigned w2 = HighestBit(words);
        return At(p, w2, HighestBit((*page)[w2]));
      }
    }
    const std::uint64_t pages = top_ & BitsBelow(p);
    if (pages == 0) return std::nullopt;
    const unsigned p2 = HighestBit(pages);
    const unsigned w2 = HighestBit(summary_[p2]);
    return At(p2, w2, HighestBit((*pages_[p2])[w2]));
  }

  // Empties the set, keeping its pages for reuse.
  void Clear() noexcept {
    for (std::uint32_t p = 0; p < kPages; ++p) {
      if (pages_[p]) pages_[p]->fill(0);
      summary_[p] = 0;
    }
    top_ = 0;
  }

 private:
  static constexpr std::uint32_t kPages = 16;  // of 64 words: 4096 values each
  using Page = std::array<std::uint64_t, 64>;

  static std::uint32_t At(std::uint32_t page, unsigned word, unsigned bit) {
    return page << 12 | word << 6 | bit;
  }

  std::array<std::unique_ptr<Page>, kPages> pages_;
  std::array<std::uint64_t, kPages> summary_{};  // bit w of [p]: word w of page p is not zero
  std::uint32_t top_ = 0;                        // bit p: summary_[p] is not zero
};

// A T per port, in pages of 256 values under 16 directories of 16 pages, each allocated by the
// first write into it: a fresh fake that writes a few ports makes a few small allocations (which
// malloc serves from its per-thread cache), not one per port nor one of the whole space. Pages
// are not zeroed: a value is meaningful only where its owner wrote it (and the owner knows
// where, from a PortSet), so nothing is spent on storage that is never read.
template <typename T>
class PortArray {
 public:
  // The value at `port`, which must have been written.
  const T& operator[](std::uint32_t port) const noexcept {
    return (*(*directories_[port >> 12])[port >> 8 & 15])[port & 255];
  }
  T& operator[](std::uint32_t port) noexcept {
    return (*(*directories_[port >> 12])[port >> 8 & 15])[port & 255];
  }

  // The value at `port`, for writing (allocating its page if needed).
  T& Slot(std::uint32_t port) {
    auto& directory = directories_[port >> 12];
    if (!directory) directory = std::make_unique<Directory>();
    auto& page = (*directory)[port >> 8 & 15];
    // NOLINTNEXTLINE(modernize-make-unique): make_unique would zero the page; nothing reads it
    if (!page) page.reset(new Page);  // default-initialised: not zeroed
    return (*page)[port & 255];
  }

 private:
  using Page = std::array<T, 256>;
  using Directory = std::array<std::unique_ptr<Page>, 16>;
  std::array<std::unique_ptr<Directory>, 16> directories_;
};

}  // namespace portres::detail

#endif  // PORTRES_FAKE_PORT_SET_H
