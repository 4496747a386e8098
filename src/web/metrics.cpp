#include "web/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iterator>
#include <optional>
#include <utility>

namespace assetpub::web {
namespace {

void Counter(std::string& out, std::string_view name, std::string_view help, uint64_t value,
             std::string_view type = "counter") {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name,
                 type, name, value);
}

// The value as the exposition format spells it: an integer without a fraction, NaN as "NaN".
std::string Value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

}  // namespace

bool MetricsAllowed(const Config& config, const http::Request& request) {
  if (!config.metrics_token.empty()) {
    const std::optional<std::string> authorization = request.Header("Authorization");
    constexpr std::string_view kScheme = "Bearer ";
    if (authorization && authorization->size() > kScheme.size() &&
        std::equal(kScheme.begin(), kScheme.end(), authorization->begin(),
                   [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      const std::string_view given = std::string_view(*authorization).substr(kScheme.size());
      // Compared in time that does not depend on where they differ.
      if (given.size() == config.metrics_token.size()) {
        unsigned char difference = 0;
        for (size_t i = 0; i < given.size(); ++i)
          difference |= static_cast<unsigned char>(given[i] ^ config.metrics_token[i]);
        if (difference == 0) return true;
      }
    }
  }
  if (request.Header("X-Forwarded-For") || request.Header("Forwarded")) return false;
  return std::any_of(config.metrics_allow.begin(), config.metrics_allow.end(),
                     [&](const std::string& network) {
                       const std::optional<Network> parsed = ParseNetwork(network);
                       return parsed && parsed->Contains(request.remote_address);
                     });
}

RouteKind RouteKindOf(std::string_view path, bool cached) {
  if (cached) return RouteKind::kCached;
  if (path.starts_with("/api/")) return RouteKind::kApi;
  if (path == "/admin" || path.starts_with("/admin/")) return RouteKind::kAdmin;
  if (path.starts_with("/media/")) return RouteKind::kMedia;
  if (path.starts_with("/static/") || path == "/robots.txt") return RouteKind::kStatic;
  if (path == "/healthz" || path == "/readyz" || path == "/metrics") return RouteKind::kOps;
  if (path == "/sitemap.xml" || path.starts_with("/sitemaps/")) return RouteKind::kFeed;
  if (path.ends_with("/search")) return RouteKind::kSearch;
  if (path.ends_with("/feed.rss") || path.ends_with("/feed.atom")) return RouteKind::kFeed;
  return RouteKind::kPage;
}

std::string_view RouteKindName(RouteKind kind) {
  switch (kind) {
    case RouteKind::kCached:
      return "cached";
    case RouteKind::kPage:
      return "page";
    case RouteKind::kSearch:
      return "search";
    case RouteKind::kFeed:
      return "feed";
    case RouteKind::kApi:
      return "api";
    case RouteKind::kAdmin:
      return "admin";
    case RouteKind::kMedia:
      return "media";
    case RouteKind::kStatic:
      return "static";
    case RouteKind::kOps:
      return "ops";
  }
  return "page";
}

void Metrics::Observe(RouteKind kind, std::chrono::nanoseconds elapsed) {
  Histogram& histogram = latency_[static_cast<size_t>(kind)];
  const double seconds = std::chrono::duration<double>(elapsed).count();
  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  histogram.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  histogram.nanoseconds.fetch_add(static_cast<uint64_t>(std::max<int64_t>(0, elapsed.count())),
                                  std::memory_order_relaxed);
}

void Metrics::Add(std::string name, std::string help, Type type, std::function<double()> read) {
  std::lock_guard lock(readings_mutex_);
  readings_.push_back(Reading{std::move(name), std::move(help), type, std::move(read)});
}

std::string Metrics::Render(const cache::ResponseCache* cache, int64_t applied_change) const {
  std::string out;
  out.reserve(8192);
  out +=
      "# HELP assetpub_http_responses_total HTTP responses sent, by status class.\n"
      "# TYPE assetpub_http_responses_total counter\n";
  for (int status_class = 1; status_class <= 5; ++status_class) {
    fmt::format_to(std::back_inserter(out), "assetpub_http_responses_total{{class=\"{}xx\"}} {}\n",
                   status_class, responses(status_class));
  }

  out +=
      "# HELP assetpub_http_request_duration_seconds Time from a request read to its answer "
      "ready, by kind of route (cached: answered from the response cache).\n"
      "# TYPE assetpub_http_request_duration_seconds histogram\n";
  for (size_t k = 0; k < kRouteKinds; ++k) {
    const Histogram& histogram = latency_[k];
    const std::string_view kind = RouteKindName(static_cast<RouteKind>(k));
    uint64_t cumulative = 0;
    for (size_t b = 0; b < kBuckets.size(); ++b) {
      cumulative += histogram.buckets[b].load(std::memory_order_relaxed);
      fmt::format_to(std::back_inserter(out),
                     "assetpub_http_request_duration_seconds_bucket{{kind=\"{}\",le=\"{}\"}} {}\n",
                     kind, kBuckets[b], cumulative);
    }
    cumulative += histogram.buckets[kBuckets.size()].load(std::memory_order_relaxed);
    fmt::format_to(
        std::back_inserter(out),
        "assetpub_http_request_duration_seconds_bucket{{kind=\"{}\",le=\"+Inf\"}} {}\n"
        "assetpub_http_request_duration_seconds_sum{{kind=\"{}\"}} {}\n"
        "assetpub_http_request_duration_seconds_count{{kind=\"{}\"}} {}\n",
        kind, cumulative, kind,
        Value(static_cast<double>(histogram.nanoseconds.load(std::memory_order_relaxed)) / 1e9),
        kind, cumulative);
  }

  fmt::format_to(std::back_inserter(out),
                 "# HELP assetpub_failures_total Requests that failed on the server's side: "
                 "unavailable (the store or the index away: 503), internal (500).\n"
                 "# TYPE assetpub_failures_total counter\n"
                 "assetpub_failures_total{{code=\"unavailable\"}} {}\n"
                 "assetpub_failures_total{{code=\"internal\"}} {}\n",
                 unavailable_.load(std::memory_order_relaxed),
                 internal_.load(std::memory_order_relaxed));

  {
    std::lock_guard lock(readings_mutex_);
    for (const Reading& reading : readings_) {
      fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n{} {}\n", reading.name,
                     reading.help, reading.name,
                     reading.type == Type::kCounter ? "counter" : "gauge", reading.name,
                     Value(reading.read()));
    }
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
