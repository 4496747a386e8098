#pragma once
// CacheFollower keeps a PageCache exact for writes of other processes (`assetpub import`, other
// nodes): from a thread of its own it applies the store's new changes (PageCache::CatchUp) as
// soon as Store::WaitForChange says there are some (waiting at most `interval` at a time), which
// keeps the cache confirmed; a second thread, at low priority, loads the per-asset summaries the
// list pages' invalidation needs (PageCache::LoadSummaries; list pages are cached once that is
// done, item pages from the start). In-process writes
// do not wait for it: they call CatchUp through the App's ChangeNotifier right after committing.
// A failure is logged once per distinct message and retried on the next tick. From its start the
// cache answers entries only while it is confirmed current (PageCache, "Staying current").
// Thread-safety: construct, Stop() and destroy from one thread.

#include <atomic>
#include <chrono>

#include "cache/page_cache.h"
#include "core/periodic_task.h"

namespace assetpub::cache {

class CacheFollower {
 public:
  // Starts at once. `cache` must outlive the follower.
  explicit CacheFollower(PageCache& cache,
                         std::chrono::milliseconds interval = std::chrono::milliseconds(200));

  // Asks the threads to stop and waits for them; a catch-up or a summary in progress finishes
  // first. Idempotent; the destructor does it too.
  void Stop();

  // Catch-ups (and waits for changes) that failed since the start: for /metrics.
  uint64_t failures() const { return task_.failures() + summaries_.failures(); }
  const PageCache& cache() const { return cache_; }

 private:
  void Summarise();

  PageCache& cache_;
  std::atomic<bool> summary_failed_{false};  // the last Summarise() threw
  PeriodicTask task_;       // CatchUp; its thread starts once the members above exist
  PeriodicTask summaries_;  // LoadSummaries, until the list pages are cacheable
};

}  // namespace assetpub::cache
