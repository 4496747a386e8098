#pragma once
// IndexFollower keeps a search index caught up with a store from a thread of its own: it waits
// for the store to move past index.LastApplied() (Store::WaitForChange: a notification on
// PostgreSQL, a poll on SQLite, at most `interval` at a time) and calls CatchUp(), so writes made
// by other processes (`assetpub import`, other nodes) reach a running server. A failed CatchUp
// (another process holds the index's write lock, …) is logged once per distinct message and retried
// on the next tick. The first tick runs at once, so a server can listen while the index catches up
// with what was written while it was down. After catching up (and at start) it loads the tables a
// search of a new generation needs (SearchIndex::Warm), so the first query does not. Thread-safety:
// construct, Stop() and destroy from one thread; CatchUpNow() from any thread (ticks are
// serialised; SearchIndex::CatchUp never blocks searches).

#include <chrono>
#include <functional>

#include "core/periodic_task.h"
#include "search/search_index.h"
#include "store/store.h"

namespace assetpub::search {

class IndexFollower {
 public:
  // Starts following at once. `store` and `index` must outlive the follower. `on_first_tick`
  // (may be empty) is called on the follower's thread once the first catch-up has been tried,
  // whether or not it succeeded.
  IndexFollower(store::Store& store, SearchIndex& index,
                std::chrono::milliseconds interval = std::chrono::milliseconds(500),
                std::function<void()> on_first_tick = {});

  // Asks the thread to stop and waits for it; a CatchUp() in progress finishes first, but a
  // rebuild in progress is stopped (SearchIndex::StopRebuilds: the index stays as it was, and the
  // next start rebuilds). Idempotent.
  void Stop() {
    index_.StopRebuilds();
    task_.Stop();
  }

  // Catches up now, on the caller's thread (after an in-process write: see ChangeNotifier).
  // Never throws (failures are logged as on the follower's thread). While the follower rebuilds
  // the index (an archive's first import: minutes), returns at once instead of waiting for it:
  // the rebuild's own catch-up applies the write when it ends, and the writer is not held up.
  void CatchUpNow() {
    if (!index_.Rebuilding()) task_.RunNow();
  }

  // Catch-ups (and waits for changes) that failed since the start: for /metrics.
  uint64_t failures() const { return task_.failures(); }

 private:
  void Tick();

  store::Store& store_;
  SearchIndex& index_;
  PeriodicTask task_;  // last: its thread starts once the members above exist
};

}  // namespace assetpub::search
