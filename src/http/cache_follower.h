#pragma once
// CacheFollower keeps a PageCache exact for writes of other processes (`assetpub import`, other
// nodes): from a thread of its own it first loads the per-asset summaries the list pages'
// invalidation needs (PageCache::LoadSummaries; list pages are cached once that is done), then
// about every `interval` applies the store's new changes (PageCache::CatchUp). In-process writes
// do not wait for it: they call CatchUp through the App's ChangeNotifier right after committing.
// A failure is logged once per distinct message and retried on the next tick.
// Thread-safety: construct, Stop() and destroy from one thread.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "http/page_cache.h"

namespace assetpub::http {

class CacheFollower {
 public:
  // Starts at once. `cache` must outlive the follower.
  explicit CacheFollower(PageCache& cache,
                         std::chrono::milliseconds interval = std::chrono::milliseconds(200));
  // Stops and joins the thread (see Stop()).
  ~CacheFollower();
  CacheFollower(const CacheFollower&) = delete;
  CacheFollower& operator=(const CacheFollower&) = delete;

  // Asks the thread to stop and waits for it; a catch-up in progress finishes first. Idempotent.
  void Stop();

 private:
  void Run(const std::stop_token& stop);
  void Tick();

  PageCache& cache_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;  // guards nothing but the wait
  std::condition_variable_any wake_;
  std::string last_error_;  // only touched by the follower's thread
  std::jthread thread_;     // last: started once everything above exists
};

}  // namespace assetpub::http
