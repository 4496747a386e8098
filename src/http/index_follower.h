#pragma once
// IndexFollower keeps a search index caught up with a store from a thread of its own: about every
// `interval` it compares store.LastChange() with index.LastApplied() and calls CatchUp() when the
// store has moved ahead, so writes made by other processes (`assetpub import`) reach a running
// server. A failed CatchUp (another process holds the index's write lock, …) is logged once per
// distinct message and retried on the next tick. Thread-safety: construct, Stop() and destroy
// from one thread; the follower's thread is the only one it runs CatchUp() on.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "search/search_index.h"
#include "store/store.h"

namespace assetpub::http {

class IndexFollower {
 public:
  // Starts following at once. `store` and `index` must outlive the follower.
  IndexFollower(store::Store& store, search::SearchIndex& index,
                std::chrono::milliseconds interval = std::chrono::milliseconds(500));
  // Stops and joins the thread (see Stop()).
  ~IndexFollower();
  IndexFollower(const IndexFollower&) = delete;
  IndexFollower& operator=(const IndexFollower&) = delete;

  // Asks the thread to stop and waits for it; a CatchUp() in progress finishes first.
  // Idempotent.
  void Stop();

 private:
  void Run(const std::stop_token& stop);
  void Tick();

  store::Store& store_;
  search::SearchIndex& index_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;  // guards nothing but the wait: wake_ is notified through stop_token
  std::condition_variable_any wake_;
  std::string last_error_;  // only touched by the follower's thread
  std::jthread thread_;     // last: started once everything above exists
};

}  // namespace assetpub::http
