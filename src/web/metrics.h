#pragma once
// Metrics are the server's counters for /metrics, in the Prometheus text exposition format
// (version 0.0.4): responses by status class, and the response cache's figures.
// Thread-safety: Count() from any number of threads (relaxed atomics, no lock); Render() from
// any thread (the counters are read one by one, not as a snapshot).

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "cache/response_cache.h"

namespace assetpub::web {

class Metrics {
 public:
  // Counts one response with `status` (100..599; others count as 5xx).
  void Count(int status) {
    const int index = status >= 100 && status < 600 ? status / 100 - 1 : 4;
    responses_[static_cast<size_t>(index)].fetch_add(1, std::memory_order_relaxed);
  }
  uint64_t responses(int status_class) const {
    return responses_[static_cast<size_t>(status_class - 1)].load(std::memory_order_relaxed);
  }

  // The exposition text: assetpub_http_responses_total{class="2xx"} …, and when `cache` is not
  // nullptr assetpub_cache_{hits,misses,inserts,refused,evictions,invalidations}_total,
  // assetpub_cache_{entries,bytes,max_bytes} and assetpub_cache_applied_change (the last change
  // of the store's log the cache has applied: `applied_change`).
  std::string Render(const cache::ResponseCache* cache, int64_t applied_change) const;

 private:
  std::array<std::atomic<uint64_t>, 5> responses_{};
};

}  // namespace assetpub::web
