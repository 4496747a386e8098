#pragma once
// One search on one reader of the index: the query matched (BM25 and the language filters from
// memory), the facets counted, and each hit's snippet taken from its best paragraph. SearchIndex
// (search_index.h) lends the reader (reader_pool.h), keeps the per-generation tables
// (table_cache.h) and caches the results (result_cache.h); this is the part that runs for every
// search that misses that cache.

#include <functional>
#include <memory>

#include "search/bm25.h"
#include "search/facet_spy.h"
#include "search/reader.h"
#include "search/search_index.h"

namespace assetpub::search::internal {

// The in-memory tables of the reader's generation (facet_spy.h, bm25.h), asked for only when a
// search needs them (loading one reads a slot of every document).
struct GenerationTables {
  std::function<std::shared_ptr<const FacetTable>()> facets;
  std::function<std::shared_ptr<const DocLengthTable>()> doc_lengths;
};

// Runs `query` (already validated) on `reader`. Throws what Xapian throws: SearchIndex::Search
// retries a search overtaken by a writer.
Results RunSearch(Reader& reader, const Query& query, const GenerationTables& tables);

}  // namespace assetpub::search::internal
