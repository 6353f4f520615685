// PortSet and PortArray: the fake's port-indexed building blocks.
//
// The port space has 65536 values, so the fake indexes it directly instead of keeping trees of
// nodes: a PortSet is a set of 16-bit values as a three-level bitmap (a bit per value, a bit per
// non-zero 64-bit word, a bit per non-empty page), so that insert, erase, membership, and the
// next or previous member of any value take a handful of word operations whatever the set
// holds. A PortArray is a value per port. Both allocate their storage in pages on first use, so a
// fresh fake that touches a few ports allocates a few pages, not the whole space.
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
#if defined(_MSC_VER) && !defined(__clang__) && (defined(_M_X64) || defined(_M_ARM64))
  unsigned long index = 0;
  _BitScanForward64(&index, word);
  return static_cast<unsigned>(index);
#elif defined(_MSC_VER) && !defined(__clang__)
  unsigned long index = 0;  // 32-bit targets have no 64-bit scan: scan the halves
  const auto low = static_cast<unsigned long>(word);
  if (_BitScanForward(&index, low)) return static_cast<unsigned>(index);
  _BitScanForward(&index, static_cast<unsigned long>(word >> 32));
  return static_cast<unsigned>(index) + 32U;
#else
  return static_cast<unsigned>(__builtin_ctzll(word));
#endif
}

inline unsigned HighestBit(std::uint64_t word) {
#if defined(_MSC_VER) && !defined(__clang__) && (defined(_M_X64) || defined(_M_ARM64))
  unsigned long index = 0;
  _BitScanReverse64(&index, word);
  return static_cast<unsigned>(index);
#elif defined(_MSC_VER) && !defined(__clang__)
  unsigned long index = 0;
  if (_BitScanReverse(&index, static_cast<unsigned long>(word >> 32))) {
    return static_cast<unsigned>(index) + 32U;
  }
  _BitScanReverse(&index, static_cast<unsigned long>(word));
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

  bool empty() const noexcept { return top_ == 0; }

  bool Contains(std::uint32_t value) const noexcept {
    const Page* page = PageOf(value >> 12);
    return page != nullptr && (page->words[value >> 6 & 63] >> (value & 63) & 1) != 0;
  }

  void Insert(std::uint32_t value) {
    const std::uint32_t p = value >> 12;
    const std::uint32_t w = value >> 6 & 63;
    if (!pages_[p]) pages_[p] = std::make_unique<Page>();  // value-initialised: all zero
    Page& page = *pages_[p];
    page.words[w] |= std::uint64_t{1} << (value & 63);
    page.summary |= std::uint64_t{1} << w;
    top_ |= 1U << p;
  }

  void Erase(std::uint32_t value) noexcept {
    const std::uint32_t p = value >> 12;
    const std::uint32_t w = value >> 6 & 63;
    if (!pages_[p]) return;
    Page& page = *pages_[p];
    std::uint64_t& word = page.words[w];
    word &= ~(std::uint64_t{1} << (value & 63));
    if (word != 0) return;
    page.summary &= ~(std::uint64_t{1} << w);
    if (page.summary == 0) top_ &= ~(1U << p);
  }

  // The smallest member >= value.
  std::optional<std::uint32_t> Next(std::uint32_t value) const noexcept {
    if (value >= kSize) return std::nullopt;
    const std::uint32_t p = value >> 12;
    const unsigned w = value >> 6 & 63;
    if (const Page* page = PageOf(p)) {
      if (const std::uint64_t bits = page->words[w] & BitsFrom(value & 63)) {
        return At(p, w, LowestBit(bits));
      }
      if (const std::uint64_t words = page->summary & BitsFrom(w + 1)) {
        const unsigned w2 = LowestBit(words);
        return At(p, w2, LowestBit(page->words[w2]));
      }
    }
    const std::uint64_t pages = top_ & BitsFrom(p + 1);
    if (pages == 0) return std::nullopt;
    const unsigned p2 = LowestBit(pages);
    const Page& page = *PageOf(p2);
    const unsigned w2 = LowestBit(page.summary);
    return At(p2, w2, LowestBit(page.words[w2]));
  }

  // The largest member <= value.
  std::optional<std::uint32_t> Prev(std::uint32_t value) const noexcept {
    if (value >= kSize) value = kSize - 1;
    const std::uint32_t p = value >> 12;
    const unsigned w = value >> 6 & 63;
    if (const Page* page = PageOf(p)) {
      if (const std::uint64_t bits = page->words[w] & BitsBelow((value & 63) + 1)) {
        return At(p, w, HighestBit(bits));
      }
      if (const std::uint64_t words = page->summary & BitsBelow(w)) {
        const unsigned w2 = HighestBit(words);
        return At(p, w2, HighestBit(page->words[w2]));
      }
    }
    const std::uint64_t pages = top_ & BitsBelow(p);
    if (pages == 0) return std::nullopt;
    const unsigned p2 = HighestBit(pages);
    const Page& page = *PageOf(p2);
    const unsigned w2 = HighestBit(page.summary);
    return At(p2, w2, HighestBit(page.words[w2]));
  }

  // Empties the set, keeping its memory for reuse.
  void Clear() noexcept {
    for (auto& page : pages_) {
      if (page) *page = Page{};
    }
    top_ = 0;
  }

 private:
  // 4096 values: 64 words, and a bit per word that is not zero.
  struct Page {
    std::uint64_t summary = 0;
    std::array<std::uint64_t, 64> words{};
  };

  const Page* PageOf(std::uint32_t p) const noexcept { return pages_[p].get(); }
  static std::uint32_t At(std::uint32_t page, unsigned word, unsigned bit) {
    return page << 12 | word << 6 | bit;
  }

  // A page is allocated when a member first needs it: a set that holds a few ports has one.
  // (Pages kept in one vector, found through a byte of place per page, made the object smaller
  // but put one more dependent load before every word: 5% of a wildcard acquire+release.)
  std::array<std::unique_ptr<Page>, 16> pages_;
  std::uint32_t top_ = 0;  // bit p: page p has a member
};

// A T per port, in 16 pages of 4096 values, each allocated by the first write into it. Pages
// are not zeroed: a value is meaningful only where its owner wrote it (and the owner knows
// where, from a PortSet), so nothing is spent on storage that is never read. A read is two
// dependent loads (the page, the value).
template <typename T>
class PortArray {
 public:
  // The value at `port`, which must have been written.
  const T& operator[](std::uint32_t port) const noexcept {
    return (*pages_[port >> 12])[port & 4095];
  }
  T& operator[](std::uint32_t port) noexcept { return (*pages_[port >> 12])[port & 4095]; }

  // The value at `port`, for writing (allocating its page if needed).
  T& Slot(std::uint32_t port) {
    auto& page = pages_[port >> 12];
    // NOLINTNEXTLINE(modernize-make-unique): make_unique would zero the page; nothing reads it
    if (!page) page.reset(new Page);  // default-initialised: not zeroed
    return (*page)[port & 4095];
  }

 private:
  using Page = std::array<T, 4096>;
  std::array<std::unique_ptr<Page>, 16> pages_;
};

}  // namespace portres::detail

#endif  // PORTRES_FAKE_PORT_SET_H
