#pragma once
// CacheFollower keeps a PageCache exact for writes of other processes (`assetpub import`, other
// nodes): from a thread of its own it first loads the per-asset summaries the list pages'
// invalidation needs (PageCache::LoadSummaries; list pages are cached once that is done), then
// applies the store's new changes (PageCache::CatchUp) as soon as Store::WaitForChange says there
// are some (waiting at most `interval` at a time). In-process writes
// do not wait for it: they call CatchUp through the App's ChangeNotifier right after committing.
// A failure is logged once per distinct message and retried on the next tick. From its start the
// cache answers entries only while it is confirmed current (PageCache, "Staying current").
// Thread-safety: construct, Stop() and destroy from one thread.

#include <chrono>

#include "cache/page_cache.h"
#include "core/periodic_task.h"

namespace assetpub::cache {

class CacheFollower {
 public:
  // Starts at once. `cache` must outlive the follower.
  explicit CacheFollower(PageCache& cache,
                         std::chrono::milliseconds interval = std::chrono::milliseconds(200));

  // Asks the thread to stop and waits for it; a catch-up in progress finishes first. Idempotent;
  // the destructor does it too.
  void Stop() { task_.Stop(); }

  // Catch-ups (and waits for changes) that failed since the start: for /metrics.
  uint64_t failures() const { return task_.failures(); }
  const PageCache& cache() const { return cache_; }

 private:
  void Tick();

  PageCache& cache_;
  PeriodicTask task_;  // last: its thread starts once the members above exist
};

}  // namespace assetpub::cache
