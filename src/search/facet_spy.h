#pragma once
// FacetSpy counts kind, year, language and person over the documents the matcher visits, from
// the one facet slot (document.h). A FacetTable holds that slot for every document of an index
// generation in memory, so that the spy costs an array read per document instead of a value
// look-up in the index. Thread-safety: a FacetTable is immutable once loaded and may be shared
// by any number of threads; a FacetSpy belongs to one Enquire, used by the thread running it.

#include <xapian.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "search/search_index.h"

namespace assetpub::search::internal {

// Document id -> facet slot value, for the documents a database held when the
// table was loaded. Stays true for the rest of that database's (index generation's) life: a
// document id is never reused and a document's values never change (CatchUp deletes and adds
// documents, it never replaces one); documents added later are past Covers().
class FacetTable {
 public:
  // Reads the facet slot of every document of `db` (one pass over the slot's value stream).
  // Throws what Xapian throws.
  static std::shared_ptr<const FacetTable> Load(const Xapian::Database& db);

  // The highest document id the table knows (ids above it were added after Load()).
  Xapian::docid Covers() const { return static_cast<Xapian::docid>(ids_.size()) - 1; }
  // The number of `did`'s distinct slot value (an index for Value()), did <= Covers(); 0 when
  // the database held no such document (or it had no facet value).
  uint32_t Id(Xapian::docid did) const { return ids_[did]; }
  const std::string& Value(uint32_t id) const { return values_[id]; }

 private:
  std::vector<uint32_t> ids_;  // docid -> value number; 0: no such document (values_[0] is "")
  std::vector<std::string> values_;
};

class FacetSpy : public Xapian::MatchSpy {
 public:
  // `table` may be null (every document's slot is then read from the index).
  explicit FacetSpy(std::shared_ptr<const FacetTable> table) : table_(std::move(table)) {}
  void operator()(const Xapian::Document& doc, double weight) override;
  std::string name() const override { return "assetpub.FacetSpy"; }

  // Documents seen.
  int64_t seen() const { return seen_; }
  // The counts per facet, each scaled by `scale` (1.0 for exact counts, rounded, never below
  // 1), most frequent first, ties by value.
  std::map<std::string, std::vector<FacetValue>> Facets(double scale) const;

 private:
  std::shared_ptr<const FacetTable> table_;
  // Documents of one asset family share a value, so few values are counted; Facets() splits
  // them into the four facets once at the end. table_'s value number -> documents, and the
  // values of documents the table does not cover -> documents.
  std::unordered_map<uint32_t, int64_t> counts_;
  std::unordered_map<std::string, int64_t> other_counts_;
  int64_t seen_ = 0;
};

}  // namespace assetpub::search::internal
