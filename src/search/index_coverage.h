#pragma once
// IndexCoverage says how much of the store a search index covers, for the search page's notice
// ("41% of items are searchable"), the search API's `index` field and /readyz: the index's last
// change against the store's, and the items it holds against the store's published items.
// Cheap enough for every search: the index keeps its counts (SearchIndex::Held) and the store's
// count of published items is read once per store change. Thread-safety: Read() from any number
// of threads at once.

#include <cstdint>
#include <mutex>

#include "search/search_index.h"
#include "store/store.h"

namespace assetpub::search {

// One reading of the index against the store.
struct Coverage {
  int64_t last_change = 0;  // the store's last change
  int64_t applied = 0;      // the last change the index holds
  int64_t indexed = 0;      // items (assets) the index holds documents of
  int64_t total = 0;        // published items in the store
  // A rebuild in progress in this process (SearchIndex::Holdings): assets read of the store's.
  int64_t rebuild_read = -1;
  int64_t rebuild_total = -1;

  // The index holds every change of the store (as of this reading).
  bool complete() const { return applied >= last_change; }
  int64_t lag_changes() const { return last_change > applied ? last_change - applied : 0; }
  // Items published but not (or not yet) searchable; 0 when the index holds as many or more.
  int64_t lag_items() const { return total > indexed ? total - indexed : 0; }
  // The share of published items searchable, in whole percent rounded down: 100 only when
  // complete, at most 99 otherwise (an index that holds items since deleted says 99, not 100).
  int Percent() const;
};

class IndexCoverage {
 public:
  // `store` and `index` must outlive the IndexCoverage.
  IndexCoverage(store::Store& store, const SearchIndex& index) : store_(store), index_(index) {}

  // The index and the store now (the index read first, so a change committed between the two
  // reads makes the reading incomplete, never complete too early). Throws what the store or
  // the index throws (Error(kUnavailable) when either cannot be read).
  Coverage Read() const;

  // Marks `results` with what Read() says: index_complete, the counts and the share. Never
  // throws: when the counts cannot be read (the store away), logs why and marks only
  // index_complete, from `ready` (whether the server's follower has made its first catch-up).
  void Mark(Results& results, bool ready) const;

 private:
  store::Store& store_;
  const SearchIndex& index_;
  mutable std::mutex mutex_;             // guards counted_*
  mutable int64_t counted_change_ = -1;  // the store's last change when total was counted
  mutable int64_t counted_total_ = 0;
};

}  // namespace assetpub::search
