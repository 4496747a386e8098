#pragma once
// Random is a seeded, portable source of random numbers for generated data: std::mt19937_64 is
// specified bit for bit by the standard, the std distributions are not (they differ between
// library versions), so the ones used here are written out. Not thread-safe: one per thread.

#include <cstdint>
#include <random>

namespace assetpub::corpus {

class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}

  // Uniform in [0, n); n > 0. Rejection keeps it unbiased.
  uint64_t Below(uint64_t n) {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x = engine_();
    while (x >= limit) x = engine_();
    return x % n;
  }
  // Uniform in [low, high], both included.
  int Between(int low, int high) {
    return low + static_cast<int>(Below(static_cast<uint64_t>(high - low + 1)));
  }
  // Uniform in [0, 1) with 53 random bits.
  double Unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  // True with probability `p` percent (an integer draw, so it is exact).
  bool Percent(int p) { return Below(100) < static_cast<uint64_t>(p); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace assetpub::corpus
