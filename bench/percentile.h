#pragma once
// The benchmarks' percentile: the nearest-rank value below p (0…1) of a copy of `values`, sorted;
// 0 for no values.

#include <algorithm>
#include <vector>

namespace assetpub::bench {

inline double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * static_cast<double>(values.size() - 1))];
}

}  // namespace assetpub::bench
