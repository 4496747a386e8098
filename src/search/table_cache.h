#pragma once
// The in-memory tables of the live generation that every reader's searches share: the facet
// table (facet_spy.h) and the document lengths (bm25.h), each loaded by the first search that
// needs it and kept until the generation changes or grows by more than an eighth. Internal to
// search/. Thread-safety: any number of threads at once; one loading blocks the others' look-ups
// until it is done (they would only load the same table).

#include <memory>
#include <mutex>
#include <string>

#include "search/bm25.h"
#include "search/facet_spy.h"
#include "search/reader.h"
#include "search/search_run.h"

namespace assetpub::search::internal {

class TableCache {
 public:
  // The table of `reader`'s generation, loaded from `reader` when none is kept for it, or when
  // documents added since make up more than an eighth of it (the searches read those from the
  // index meanwhile). Throws what Xapian throws.
  std::shared_ptr<const FacetTable> Facets(Reader& reader);
  std::shared_ptr<const DocLengthTable> DocLengths(Reader& reader);

  // Both, asked for only when a search needs them (RunSearch). `reader` must outlive the result.
  GenerationTables For(Reader& reader);

 private:
  template <typename Table>
  struct Kept {
    std::shared_ptr<const Table> table;
    std::string generation;
  };
  template <typename Table>
  static std::shared_ptr<const Table> Fresh(Kept<Table>& kept, Reader& reader);

  std::mutex mutex_;  // guards facets_ and lengths_
  Kept<FacetTable> facets_;
  Kept<DocLengthTable> lengths_;
};

}  // namespace assetpub::search::internal
