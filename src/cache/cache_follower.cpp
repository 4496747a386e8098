#include "cache/cache_follower.h"

#include <spdlog/spdlog.h>

namespace assetpub::cache {

CacheFollower::CacheFollower(PageCache& cache, std::chrono::milliseconds interval)
    : cache_(cache),
      task_(
          "response cache: following the store", interval, [this] { Tick(); }, {},
          [this](std::chrono::steady_clock::time_point deadline) {
            return !cache_.lists_ready() || cache_.WaitForChange(deadline);
          }) {
  cache_.Follow();
}

void CacheFollower::Tick() {
  if (!cache_.lists_ready()) {
    const auto start = std::chrono::steady_clock::now();
    cache_.LoadSummaries();
    spdlog::info("response cache: list pages cacheable ({} ms to summarise the store)",
                 std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - start)
                     .count());
  }
  cache_.CatchUp();
}

}  // namespace assetpub::cache
