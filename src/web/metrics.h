#pragma once
// Metrics are the server's figures for /metrics, in the Prometheus text exposition format
// (version 0.0.4): responses by status class, how long answers took by kind of route (a
// histogram), the 5xx failures by cause, the response cache's figures, and readings registered
// by whoever owns them (the followers' lag and failures, the store's connections): what an
// operator of several nodes watches.
// Thread-safety: Count(), Observe() and CountFailure() from any number of threads (relaxed
// atomics, no lock: they are on the hit path); Add() and Render() from any thread (a mutex guards
// the readings). The counters are read one by one, not as a snapshot.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "cache/response_cache.h"
#include "core/config.h"
#include "core/error.h"
#include "http/message.h"

namespace assetpub::web {

// What a request was, for the latency histograms: a cache hit apart from everything else (it is
// the fast path, and would hide the rest), then by the path's first segment.
enum class RouteKind {
  kCached,  // answered from the response cache, whatever the path
  kPage,    // a site page rendered: an item, a list, the home page
  kSearch,  // /{lang}/search
  kFeed,    // RSS/Atom feeds and sitemaps
  kApi,     // /api/…
  kAdmin,   // /admin/…
  kMedia,   // /media/…
  kStatic,  // /static/…
  kOps,     // /healthz, /readyz, /metrics
};
inline constexpr size_t kRouteKinds = 9;

// The kind of a request for `path` (no query), answered from the cache when `cached`.
RouteKind RouteKindOf(std::string_view path, bool cached);
std::string_view RouteKindName(RouteKind kind);

// Whether `request` may read /metrics: it sends `Authorization: Bearer <config.metrics_token>`
// (when a token is set), or it comes from an address of config.metrics_allow and not through a
// proxy (a request carrying X-Forwarded-For or Forwarded is judged by its token only: behind a
// proxy on the same host every client would otherwise look local).
bool MetricsAllowed(const Config& config, const http::Request& request);

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds (the last bucket, +Inf, is implicit).
  static constexpr std::array<double, 14> kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

  // Counts one response with `status` (100..599; others count as 5xx).
  void Count(int status) {
    const int index = status >= 100 && status < 600 ? status / 100 - 1 : 4;
    responses_[static_cast<size_t>(index)].fetch_add(1, std::memory_order_relaxed);
  }
  uint64_t responses(int status_class) const {
    return responses_[static_cast<size_t>(status_class - 1)].load(std::memory_order_relaxed);
  }

  // Records how long an answer of `kind` took.
  void Observe(RouteKind kind, std::chrono::nanoseconds elapsed);
  // Counts a request that failed with `code` on the server's side (kUnavailable: the store or
  // the index away; kInternal: a bug or a broken row). Other codes are the client's and counted
  // by status class only.
  void CountFailure(ErrorCode code) {
    if (code == ErrorCode::kUnavailable) unavailable_.fetch_add(1, std::memory_order_relaxed);
    if (code == ErrorCode::kInternal) internal_.fetch_add(1, std::memory_order_relaxed);
  }

  // A figure read when /metrics is rendered. `read` is called under the metrics' mutex, from the
  // thread rendering; it must not throw (a reading that is unknown now returns NaN).
  enum class Type { kCounter, kGauge };
  void Add(std::string name, std::string help, Type type, std::function<double()> read);

  // The exposition text: assetpub_http_responses_total{class="2xx"} …,
  // assetpub_http_request_duration_seconds{kind="…"} (histogram),
  // assetpub_failures_total{code="unavailable"|"internal"}, the registered readings, and when
  // `cache` is not nullptr assetpub_cache_{hits,misses,inserts,refused,evictions,
  // invalidations}_total, assetpub_cache_{entries,bytes,max_bytes} and
  // assetpub_cache_applied_change (the last change of the store's log the cache has applied:
  // `applied_change`).
  std::string Render(const cache::ResponseCache* cache, int64_t applied_change) const;

 private:
  struct Histogram {
    std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};  // not cumulative
    std::atomic<uint64_t> nanoseconds{0};
  };
  struct Reading {
    std::string name;
    std::string help;
    Type type;
    std::function<double()> read;
  };

  std::array<std::atomic<uint64_t>, 5> responses_{};
  std::array<Histogram, kRouteKinds> latency_{};
  std::atomic<uint64_t> unavailable_{0};
  std::atomic<uint64_t> internal_{0};
  mutable std::mutex readings_mutex_;  // guards readings_ and their calls
  std::vector<Reading> readings_;
};

}  // namespace assetpub::web
