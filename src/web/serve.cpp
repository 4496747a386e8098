#include "web/serve.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>

#include "authoring/scheduler.h"
#include "authoring/workflow.h"
#include "cache/cache_follower.h"
#include "search/index_follower.h"
#include "web/app.h"
#include "web/view_counter.h"

namespace assetpub::web {

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
  // Scheduled items go public at their second (authoring/scheduler.h); like every write of this
  // process, the cache and the index catch up before anyone sees the next page.
  authoring::WorkflowOptions scheduling;
  scheduling.on_commit = [&app] { app.changes().Notify(); };
  authoring::Workflow scheduled(store, auth, scheduling);
  // One node of several publishes (Store::Lead); the others stand by to take over.
  std::optional<authoring::Scheduler> scheduler(std::in_place, scheduled,
                                                [&store] { return store.Lead("scheduler"); });

  http::Serve(options, app);

  view_flusher.Stop();
  scheduler.reset();
  if (cache_follower) cache_follower->Stop();
  if (follower) follower->Stop();
}

}  // namespace assetpub::web
