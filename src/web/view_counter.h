#pragma once
// ViewCounter counts item page views in memory for "most read" lists (store::SortKey::kViews):
// the server adds one per item page it serves and hands the sums to Store::AddViews every few
// seconds and at shutdown. Thread-safety: Add and Drain are safe from any number of threads at
// once; the counts are sharded by id, each shard behind its own mutex, so concurrent requests
// seldom wait for one another.

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/store.h"

namespace assetpub::web {

class ViewCounter {
 public:
  // Counts `count` views of asset `id`.
  void Add(int64_t id, int64_t count = 1);
  // The counts since the last Drain, as (id, views) pairs in id order, and resets them.
  std::vector<std::pair<int64_t, int64_t>> Drain();

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    std::mutex mutex;  // guards views
    std::unordered_map<int64_t, int64_t> views;
  };
  std::array<Shard, kShards> shards_;
};

// Views counted per server worker, without a lock: each worker counts into its own table
// (Count) and hands it to the shared ViewCounter on its Tick (HandOver). Thread-safety: Count
// and HandOver for one `worker` only from that worker's thread; different workers at once.
class WorkerViews {
 public:
  // `counter` must outlive this. Workers are 0 .. workers - 1.
  WorkerViews(ViewCounter& counter, unsigned workers);

  void Count(unsigned worker, int64_t id) { ++pending_[worker].views[id]; }
  // Hands `worker`'s counts over. An id not viewed since the last hand-over is forgotten (the
  // table stays as large as the set of items being read); the others keep their node, so a
  // view of an item read before allocates nothing.
  void HandOver(unsigned worker);

 private:
  struct alignas(64) Pending {  // one cache line apart: workers do not share lines
    std::unordered_map<int64_t, int64_t> views;
  };
  ViewCounter& counter_;
  std::vector<Pending> pending_;
};

// The asset id of a view worth counting: a GET (not HEAD) of an item page
// ("/{lang}/assets/{id}-{slug}", any query) answered 200. nullopt for anything else.
std::optional<int64_t> ItemViewId(std::string_view method, std::string_view target, int status);

// Hands a ViewCounter's counts to Store::AddViews every `interval` on a thread of its own, and
// once more at Stop() (or destruction). A failed write is logged and its counts are kept for
// the next one. `store` and `counter` must outlive it.
class ViewFlusher {
 public:
  ViewFlusher(store::Store& store, ViewCounter& counter,
              std::chrono::milliseconds interval = std::chrono::seconds(10));
  ~ViewFlusher();
  ViewFlusher(const ViewFlusher&) = delete;
  ViewFlusher& operator=(const ViewFlusher&) = delete;

  // Stops the thread after a last flush. Idempotent.
  void Stop();
  // Writes the counts now (on the caller's thread).
  void Flush();

 private:
  store::Store& store_;
  ViewCounter& counter_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;  // guards stopping_
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace assetpub::web
