#include "web/metrics.h"

#include <fmt/format.h>

#include <iterator>

namespace assetpub::web {
namespace {

void Counter(std::string& out, std::string_view name, std::string_view help, uint64_t value,
             std::string_view type = "counter") {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name,
                 type, name, value);
}

}  // namespace

std::string Metrics::Render(const cache::ResponseCache* cache, int64_t applied_change) const {
  std::string out;
  out.reserve(2048);
  out +=
      "# HELP assetpub_http_responses_total HTTP responses sent, by status class.\n"
      "# TYPE assetpub_http_responses_total counter\n";
  for (int status_class = 1; status_class <= 5; ++status_class) {
    fmt::format_to(std::back_inserter(out), "assetpub_http_responses_total{{class=\"{}xx\"}} {}\n",
                   status_class, responses(status_class));
  }
  if (cache == nullptr) return out;
  const cache::ResponseCache::Stats stats = cache->stats();
  Counter(out, "assetpub_cache_hits_total", "Requests answered from the response cache.",
          stats.hits);
  Counter(out, "assetpub_cache_misses_total", "Cacheable requests not found in the cache.",
          stats.misses);
  Counter(out, "assetpub_cache_inserts_total", "Pages stored in the cache.", stats.inserts);
  Counter(out, "assetpub_cache_refused_total",
          "Pages not stored: rendered before a change they depend on, or too large.",
          stats.refused);
  Counter(out, "assetpub_cache_evictions_total", "Pages evicted to fit the memory bound.",
          stats.evictions);
  Counter(out, "assetpub_cache_invalidations_total", "Pages removed because their content changed.",
          stats.invalidations);
  Counter(out, "assetpub_cache_entries", "Pages in the cache.", stats.entries, "gauge");
  Counter(out, "assetpub_cache_bytes", "Bytes the cached pages take (all variants).", stats.bytes,
          "gauge");
  Counter(out, "assetpub_cache_max_bytes", "The cache's memory bound.", stats.max_bytes, "gauge");
  Counter(out, "assetpub_cache_applied_change",
          "The last change of the store's log the cache has applied.",
          static_cast<uint64_t>(applied_change), "gauge");
  return out;
}

}  // namespace assetpub::web
