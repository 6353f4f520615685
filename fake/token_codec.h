// TokenCodec: the tokens of one host, and the block each one names.
//
// A token is a seeded bijection of (serial << 17 | protocol << 16 | first port): opaque to the
// code under test, unique for the life of the host (the serial never repeats), never
// INVALID_PORT_RESERVATION_TOKEN, and decodable into the block it names, so that the fake needs
// no token table. A decoded token is only a candidate: the block at that port must still carry
// the very token (a released block's port may hold a newer block).
#ifndef PORTRES_FAKE_TOKEN_CODEC_H
#define PORTRES_FAKE_TOKEN_CODEC_H

#include <portres/fake_host.h>
#include <portres/winsock.h>

#include <cstdint>

namespace portres::detail {

// A 64-bit permutation (multiply-xorshift, both steps invertible) and its inverse.
constexpr std::uint64_t kMul1 = 0xff51afd7ed558ccdULL;
constexpr std::uint64_t kMul2 = 0xc4ceb9fe1a85ec53ULL;

constexpr std::uint64_t ModularInverse(std::uint64_t odd) {
  std::uint64_t inverse = odd;  // Newton's iteration doubles the correct bits each step
  for (int i = 0; i < 6; ++i) inverse *= 2 - odd * inverse;
  return inverse;
}
static_assert(kMul1 * ModularInverse(kMul1) == 1 && kMul2 * ModularInverse(kMul2) == 1);

constexpr std::uint64_t Permute(std::uint64_t x) {
  x *= kMul1;
  x ^= x >> 32;
  x *= kMul2;
  x ^= x >> 32;
  return x;
}

constexpr std::uint64_t Unpermute(std::uint64_t x) {
  x ^= x >> 32;
  x *= ModularInverse(kMul2);
  x ^= x >> 32;
  x *= ModularInverse(kMul1);
  return x;
}
static_assert(Unpermute(Permute(0x123456789abcdefULL)) == 0x123456789abcdefULL);

// Spreads a seed over 64 bits, so that nearby seeds (a host's, a process's) share no pattern.
constexpr std::uint64_t Mix(std::uint64_t seed) { return Permute(seed ^ 0x9e3779b97f4a7c15ULL); }

class TokenCodec {
 public:
  explicit TokenCodec(std::uint64_t seed) : key_(Mix(seed)) {}

  ULONG64 Issue(Protocol protocol, std::uint32_t first) {
    for (;;) {
      const std::uint64_t raw =
          (next_serial_++ << 17) | (static_cast<std::uint64_t>(protocol) << 16) | first;
      const ULONG64 token = Permute(raw ^ key_);
      if (token != INVALID_PORT_RESERVATION_TOKEN) return token;
    }
  }

  // Where the block `token` names would be.
  struct Place {
    Protocol protocol;
    std::uint32_t first;
  };
  Place Decode(ULONG64 token) const {
    const std::uint64_t raw = Unpermute(token) ^ key_;
    return {(raw >> 16 & 1) != 0 ? Protocol::kUdp : Protocol::kTcp,
            static_cast<std::uint32_t>(raw & 0xffff)};
  }

 private:
  std::uint64_t key_;
  std::uint64_t next_serial_ = 1;
};

}  // namespace portres::detail

#endif  // PORTRES_FAKE_TOKEN_CODEC_H
