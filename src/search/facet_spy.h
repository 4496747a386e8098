#pragma once
// FacetSpy counts kind, year, language and person over the documents the matcher visits, from
// the one facet slot (document.h): one value read and one hash look-up per document, however
// many people it names. Not thread-safe: one spy per Enquire, used by the thread running it.

#include <xapian.h>

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "search/search_index.h"

namespace assetpub::search::internal {

class FacetSpy : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double weight) override;
  std::string name() const override { return "assetpub.FacetSpy"; }

  // Documents seen.
  int64_t seen() const { return seen_; }
  // The counts per facet, each scaled by `scale` (1.0 for exact counts, rounded, never below
  // 1), most frequent first, ties by value.
  std::map<std::string, std::vector<FacetValue>> Facets(double scale) const;

 private:
  // Raw slot value -> documents. Documents of one asset family share a value, so this map stays
  // far smaller than the match set; Facets() splits the values once at the end.
  std::unordered_map<std::string, int64_t> counts_;
  int64_t seen_ = 0;
};

}  // namespace assetpub::search::internal
