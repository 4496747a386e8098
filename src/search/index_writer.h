#pragma once
// The writing side of SearchIndex: CatchUp applies the store's changes to the live generation
// change by change; Rebuild builds the next generation from every asset (ShardBuilder) and
// switches to it (generations.h), then catches up. It also says how far a rebuild has got, for
// the index's coverage (SearchIndex::Held), and stops rebuilds for a server shutting down.
// Internal to search/. Thread-safety: every method from any thread; CatchUp() and Rebuild()
// serialise among themselves (and, through write.lock, with other processes) and never block
// searches, which read through their own readers (reader_pool.h).

#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>

#include "content/asset.h"
#include "search/common_grams.h"
#include "search/generations.h"
#include "search/search_index.h"
#include "store/store.h"

namespace assetpub::search::internal {

class IndexWriter {
 public:
  // `generations` must outlive the writer.
  explicit IndexWriter(Generations& generations) : generations_(generations) {}

  // SearchIndex::CatchUp() and SearchIndex::Rebuild(), with their contracts.
  int64_t CatchUp(store::Store& store, const ProgressFn& progress);
  void Rebuild(store::Store& store, const ProgressFn& progress);

  // SearchIndex::SetRebuildBacklog(), SetRebuildThreads(), StopRebuilds(), Rebuilding().
  void SetRebuildBacklog(int64_t changes) {
    rebuild_backlog_.store(changes, std::memory_order_relaxed);
  }
  void SetRebuildThreads(unsigned threads) {
    rebuild_threads_.store(threads, std::memory_order_relaxed);
  }
  // SearchIndex::SetCommonWords().
  void SetCommonWords(size_t per_language) {
    common_per_language_.store(per_language, std::memory_order_relaxed);
  }
  void StopRebuilds() { rebuilds_stopped_.store(true, std::memory_order_relaxed); }
  bool Rebuilding() const { return rebuild_total_.load(std::memory_order_relaxed) >= 0; }

  // A rebuild's progress: the assets it has read of the store's total; both -1 when none runs.
  struct Progress {
    int64_t read = -1;
    int64_t total = -1;
  };
  Progress RebuildProgress() const;

 private:
  static int64_t Apply(Xapian::WritableDatabase& db, int64_t id, const content::Asset* asset,
                       const CommonWords& common, std::set<std::string>& languages);
  int64_t CatchUpLocked(store::Store& store, const ProgressFn& progress);
  int64_t RebuildLocked(store::Store& store, const ProgressFn& progress);

  // CatchUp brings a backlog of more changes than this, and than the index has documents, in by a
  // rebuild instead of change by change: a rebuild reads the store once in batches, builds on
  // every core and writes each posting list once, where CatchUp reads asset by asset and merges
  // into the growing index. The first import of an archive.
  static constexpr int64_t kDefaultRebuildBacklog = 5000;

  Generations& generations_;
  std::mutex writer_mutex_;  // one writer per SearchIndex (the flock covers other processes)
  std::atomic<int64_t> rebuild_backlog_{kDefaultRebuildBacklog};
  std::atomic<unsigned> rebuild_threads_{0};  // 0: one per core (ShardBuilder)
  std::atomic<size_t> common_per_language_{kCommonWordsPerLanguage};
  std::atomic<int64_t> rebuild_read_{-1};
  std::atomic<int64_t> rebuild_total_{-1};
  std::atomic<bool> rebuilds_stopped_{false};
};

}  // namespace assetpub::search::internal
