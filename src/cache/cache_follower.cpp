#include "cache/cache_follower.h"

#include <spdlog/spdlog.h>

#include <thread>

#include "core/thread_priority.h"

namespace assetpub::cache {

CacheFollower::CacheFollower(PageCache& cache, std::chrono::milliseconds interval)
    : cache_(cache),
      task_(
          "response cache: following the store", interval, [this] { cache_.CatchUp(); }, {},
          [this](std::chrono::steady_clock::time_point deadline) {
            return cache_.WaitForChange(deadline);
          }),
      summaries_(
          "response cache: summarising the store", interval, [this] { Summarise(); }, {},
          [this](std::chrono::steady_clock::time_point deadline) {
            // Again at once until done, but not straight after a failure (a store that is
            // away): a slice's wait first. Once done: idle until stopped.
            if (!cache_.lists_ready() && !summary_failed_.exchange(false)) return true;
            std::this_thread::sleep_until(deadline);
            return false;
          }) {
  cache_.Follow();
}

void CacheFollower::Stop() {
  summaries_.Stop();
  task_.Stop();
}

// On its own thread, below the pages (a 1,000,000-item store takes ~40 s of a core), while
// task_ keeps the cache confirmed: item pages are answered from the cache from the start.
void CacheFollower::Summarise() {
  if (cache_.lists_ready()) return;
  if (summaries_.OnTaskThread()) LowerThreadPriority();
  const auto start = std::chrono::steady_clock::now();
  summary_failed_ = true;  // until LoadSummaries returns
  cache_.LoadSummaries();
  summary_failed_ = false;
  spdlog::info("response cache: list pages cacheable ({} ms to summarise the store)",
               std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - start)
                   .count());
}

}  // namespace assetpub::cache
