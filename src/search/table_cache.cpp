#include "search/table_cache.h"

#include <algorithm>

namespace assetpub::search::internal {

template <typename Table>
std::shared_ptr<const Table> TableCache::Fresh(Kept<Table>& kept, Reader& reader) {
  const Xapian::docid last = reader.db.get_lastdocid();
  if (kept.table == nullptr || kept.generation != reader.generation ||
      (last > kept.table->Covers() &&
       last - kept.table->Covers() > std::max<Xapian::docid>(1000, kept.table->Covers() / 8))) {
    kept.table = Table::Load(reader.db);
    kept.generation = reader.generation;
  }
  return kept.table;
}

std::shared_ptr<const FacetTable> TableCache::Facets(Reader& reader) {
  std::lock_guard lock(mutex_);
  return Fresh(facets_, reader);
}

std::shared_ptr<const DocLengthTable> TableCache::DocLengths(Reader& reader) {
  std::lock_guard lock(mutex_);
  return Fresh(lengths_, reader);
}

GenerationTables TableCache::For(Reader& reader) {
  return GenerationTables{
      .facets = [this, &reader] { return Facets(reader); },
      .doc_lengths = [this, &reader] { return DocLengths(reader); },
  };
}

}  // namespace assetpub::search::internal
