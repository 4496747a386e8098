#include "search/index_coverage.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

namespace assetpub::search {

int Coverage::Percent() const {
  if (complete()) return 100;
  if (total <= 0) return 0;
  const int64_t share = std::min(indexed, total) * 100 / total;
  return static_cast<int>(std::min<int64_t>(share, 99));
}

Coverage IndexCoverage::Read() const {
  const SearchIndex::Holdings held = index_.Held();
  Coverage coverage;
  coverage.applied = held.last_applied;
  coverage.indexed = held.assets;
  coverage.rebuild_read = held.rebuild_read;
  coverage.rebuild_total = held.rebuild_total;
  coverage.last_change = store_.LastChange();
  // Counted again only after a change: between changes a search costs no count. Counted outside
  // the lock, so a slow count never holds other searches up (two may count at once, alike).
  {
    std::lock_guard lock(mutex_);
    if (counted_change_ == coverage.last_change) {
      coverage.total = counted_total_;
      return coverage;
    }
  }
  coverage.total = store_.CountPublished("");
  std::lock_guard lock(mutex_);
  if (coverage.last_change >= counted_change_) {
    counted_change_ = coverage.last_change;
    counted_total_ = coverage.total;
  }
  return coverage;
}

void IndexCoverage::Mark(Results& results, bool ready) const {
  results.index_complete = ready;
  try {
    const Coverage coverage = Read();
    results.index_complete = coverage.complete();
    results.indexed_items = coverage.indexed;
    results.total_items = coverage.total;
    results.searchable_percent = coverage.Percent();
  } catch (const std::exception& e) {
    spdlog::warn("search: how much of the store the index covers is unknown: {}", e.what());
  }
}

}  // namespace assetpub::search
