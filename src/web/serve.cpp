#include "web/serve.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <optional>

#include "authoring/scheduler.h"
#include "authoring/workflow.h"
#include "cache/cache_follower.h"
#include "search/index_follower.h"
#include "web/app.h"
#include "web/view_counter.h"

namespace assetpub::web {
namespace {

constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();

// What an operator of several nodes watches besides the answers (Metrics): how far this node's
// followers are behind the store's log and how often following failed, and the store's
// connections. Read at each scrape; a store that cannot be reached reads as NaN.
void WatchFollowing(Metrics& metrics, store::Store& store, const search::SearchIndex* index,
                    const std::optional<search::IndexFollower>& follower,
                    const std::optional<cache::CacheFollower>& cache_follower) {
  using Type = Metrics::Type;
  auto last_change = [&store]() -> double {
    try {
      return static_cast<double>(store.LastChange());
    } catch (const std::exception&) {
      return kUnknown;
    }
  };
  metrics.Add("assetpub_store_last_change",
              "The last change in the store's log (NaN: the store is unreachable).", Type::kGauge,
              last_change);
  if (index != nullptr) {
    metrics.Add("assetpub_search_applied_change", "The last change the search index has applied.",
                Type::kGauge, [index] { return static_cast<double>(index->LastApplied()); });
    metrics.Add("assetpub_search_lag_changes",
                "Changes in the store's log the search index has not applied yet.", Type::kGauge,
                [index, last_change] {
                  return std::max(0.0, last_change() - static_cast<double>(index->LastApplied()));
                });
    metrics.Add("assetpub_search_follow_failures_total",
                "Failed attempts of the search index to follow the store's log.", Type::kCounter,
                [&follower] { return follower ? static_cast<double>(follower->failures()) : 0.0; });
  }
  if (cache_follower) {
    metrics.Add("assetpub_cache_follow_failures_total",
                "Failed attempts of the response cache to follow the store's log.", Type::kCounter,
                [&cache_follower] { return static_cast<double>(cache_follower->failures()); });
    metrics.Add("assetpub_cache_unconfirmed_total",
                "Cacheable requests rendered afresh because the cache had not confirmed for "
                "a second that it had every change (a paused, stuck or loading follower).",
                Type::kCounter, [&cache_follower] {
                  return static_cast<double>(cache_follower->cache().unconfirmed());
                });
  }
  if (!store.Connections()) return;
  auto connections = [&store](int64_t store::Store::ConnectionStats::*field) {
    return [&store, field] {
      const auto stats = store.Connections();
      return stats ? static_cast<double>((*stats).*field) : kUnknown;
    };
  };
  metrics.Add("assetpub_store_connections", "The store's pooled connections open (idle or in use).",
              Type::kGauge, connections(&store::Store::ConnectionStats::open));
  metrics.Add("assetpub_store_connections_idle", "The store's pooled connections idle.",
              Type::kGauge, connections(&store::Store::ConnectionStats::idle));
  metrics.Add("assetpub_store_connections_opened_total", "Connections the store has opened.",
              Type::kCounter, connections(&store::Store::ConnectionStats::opened_total));
  metrics.Add("assetpub_store_connect_failures_total",
              "Attempts of the store to open a connection that failed (the database away).",
              Type::kCounter, connections(&store::Store::ConnectionStats::failed_total));
}

}  // namespace

void Serve(const http::ServeOptions& options, const Config& config, store::Store& store,
           search::SearchIndex* index, const publish::Publishers* publishers,
           auth::Authenticator* auth) {
  // Loads templates, locales and static files: fails before anything starts.
  App app(config, store, index, publishers, auth);
  if (index == nullptr) spdlog::warn("no search index: search answers 503");

  // Item page views reach the store every 10 s and once more after the last request (the
  // server's workers hand theirs over as they stop, before Serve returns).
  ViewCounter views;
  ViewFlusher view_flusher(store, views);
  app.CountViews(views, http::WorkerCount(options));

  // The index is derived data: it catches up with whatever was written while no server ran on
  // the follower's thread, while the site already answers (search says it is catching up until
  // then), and then follows the store's changes log until shutdown.
  std::optional<search::IndexFollower> follower;
  if (index != nullptr) {
    app.SetSearchReady(false);
    follower.emplace(store, *index, std::chrono::milliseconds(500), [&app, index] {
      app.SetSearchReady(true);
      spdlog::info("search index: {} document(s), at change {}", index->DocumentCount(),
                   index->LastApplied());
    });
    // This process's writes are searchable before their writer answers.
    app.changes().Subscribe([&follower] { follower->CatchUpNow(); });
  }
  // The response cache follows other processes' writes (this process's go through changes()).
  std::optional<cache::CacheFollower> cache_follower;
  if (app.page_cache() != nullptr) cache_follower.emplace(*app.page_cache());
  WatchFollowing(app.metrics(), store, index, follower, cache_follower);
  // Scheduled items go public at their second (authoring/scheduler.h); like every write of this
  // process, the cache and the index catch up before anyone sees the next page.
  authoring::WorkflowOptions scheduling;
  scheduling.on_commit = [&app] { app.changes().Notify(); };
  authoring::Workflow scheduled(store, auth, scheduling);
  // One node of several publishes (Store::Lead); the others stand by to take over.
  std::optional<authoring::Scheduler> scheduler(std::in_place, scheduled,
                                                [&store] { return store.Lead("scheduler"); });

  // config.toml's [server] limits (the command line has no flags for them).
  http::ServeOptions limited = options;
  const ServerLimits& limits = config.server;
  limited.max_connections = static_cast<size_t>(limits.max_connections);
  limited.max_connections_per_address = static_cast<size_t>(limits.max_connections_per_address);
  limited.requests_per_second = static_cast<double>(limits.requests_per_second);
  limited.request_burst = static_cast<double>(limits.request_burst);
  limited.max_uploads = static_cast<size_t>(limits.max_uploads);
  limited.exempt_addresses = limits.exempt_addresses;
  http::Serve(limited, app);

  view_flusher.Stop();
  scheduler.reset();
  if (cache_follower) cache_follower->Stop();
  if (follower) follower->Stop();
}

}  // namespace assetpub::web
