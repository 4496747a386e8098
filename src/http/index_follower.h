#pragma once
// IndexFollower keeps a search index caught up with a store from a thread of its own: about every
// `interval` it compares store.LastChange() with index.LastApplied() and calls CatchUp() when the
// store has moved ahead, so writes made by other processes (`assetpub import`) reach a running
// server. A failed CatchUp (another process holds the index's write lock, …) is logged once per
// distinct message and retried on the next tick. The first tick runs at once, so a server can
// listen while the index catches up with what was written while it was down.
// Thread-safety: construct, Stop() and destroy from one thread; CatchUpNow() from any thread
// (ticks are serialised by a mutex; SearchIndex::CatchUp never blocks searches).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "search/search_index.h"
#include "store/store.h"

namespace assetpub::http {

class IndexFollower {
 public:
  // Starts following at once. `store` and `index` must outlive the follower. `on_first_tick`
  // (may be empty) is called on the follower's thread once the first catch-up has been tried,
  // whether or not it succeeded.
  IndexFollower(store::Store& store, search::SearchIndex& index,
                std::chrono::milliseconds interval = std::chrono::milliseconds(500),
                std::function<void()> on_first_tick = {});
  // Stops and joins the thread (see Stop()).
  ~IndexFollower();
  IndexFollower(const IndexFollower&) = delete;
  IndexFollower& operator=(const IndexFollower&) = delete;

  // Asks the thread to stop and waits for it; a CatchUp() in progress finishes first.
  // Idempotent.
  void Stop();

  // Catches up now, on the caller's thread (after an in-process write: see ChangeNotifier).
  // Never throws (failures are logged as on the follower's thread).
  void CatchUpNow();

 private:
  void Run(const std::stop_token& stop);
  void Tick();

  store::Store& store_;
  search::SearchIndex& index_;
  const std::chrono::milliseconds interval_;
  std::function<void()> on_first_tick_;
  std::mutex mutex_;  // guards nothing but the wait: wake_ is notified through stop_token
  std::condition_variable_any wake_;
  std::mutex tick_mutex_;  // serialises Tick(); guards last_error_
  std::string last_error_;
  std::jthread thread_;  // last: started once everything above exists
};

}  // namespace assetpub::http
