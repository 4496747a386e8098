#include "search/index_follower.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "core/thread_priority.h"

namespace assetpub::search {

IndexFollower::IndexFollower(store::Store& store, SearchIndex& index,
                             std::chrono::milliseconds interval,
                             std::function<void()> on_first_tick)
    : store_(store),
      index_(index),
      task_(
          "search index: catching up", interval, [this] { Tick(); }, std::move(on_first_tick),
          [this](std::chrono::steady_clock::time_point deadline) {
            return store_.WaitForChange(index_.LastApplied(), deadline);
          }) {}

void IndexFollower::Tick() {
  // Pages first: on the follower's own thread, catching up (and a rebuild's store reads and
  // compaction) runs below the request threads (core/thread_priority.h). A CatchUpNow() from a
  // request thread (an editor's save) keeps that thread's priority.
  if (task_.OnTaskThread()) LowerThreadPriority();
  // A failure is typically another process (`assetpub reindex`, an import) holding the write
  // lock for a moment: PeriodicTask says so once and tries again on the next tick.
  const int64_t last_change = store_.LastChange();
  if (last_change > index_.LastApplied()) {
    const int64_t touched = index_.CatchUp(store_);
    spdlog::info("search index: caught up to change {} ({} asset(s) re-indexed)", last_change,
                 touched);
  }
  // The tables a search of a new generation loads on first use are loaded here, at low
  // priority, at start and after a rebuild, rather than by the first visitor's query.
  if (task_.OnTaskThread()) index_.Warm();
}

}  // namespace assetpub::search
