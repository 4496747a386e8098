#pragma once
// The results of recent distinct searches, kept so that a repeated query (a popular search, a
// page reloaded) on an unchanged index is answered without matching. Keyed by ResultKey(): the
// reader's generation and revision and every field of the query, so that any commit makes the
// entries made before it unreachable and a changed index is never answered from old results.
// Internal to search/. Thread-safety: any number of threads at once (one lock, held only to
// look up, insert or trim).

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "search/reader.h"
#include "search/search_index.h"

namespace assetpub::search::internal {

// Everything that decides a search's results on `reader`: its generation and revision and every
// field of `query`.
std::string ResultKey(const Reader& reader, const Query& query);

class ResultCache {
 public:
  // The results kept under `key` (now the most recent), or nullopt.
  std::optional<Results> Find(const std::string& key);
  // Keeps `results` under `key` unless the capacity is 0 or the key is kept already, dropping
  // the least recent beyond the capacity.
  void Keep(const std::string& key, const Results& results);
  // SearchIndex::SetResultCacheSize(): drops the least recent beyond `entries`.
  void SetCapacity(size_t entries);

 private:
  using Entries = std::list<std::pair<std::string, Results>>;
  void Trim();  // with mutex_ held

  // A page of hits with snippets and facets is a few kilobytes.
  static constexpr size_t kDefaultCapacity = 512;

  std::mutex mutex_;  // guards what follows
  size_t capacity_ = kDefaultCapacity;
  Entries entries_;  // most recent first
  std::unordered_map<std::string, Entries::iterator> index_;
};

}  // namespace assetpub::search::internal
