#pragma once
// Xapian's BM25 weighting (its default parameters) with each document's length read from an
// array in memory instead of from the index. Why: BM25 needs the length of every document it
// weighs, and Xapian reads it from the index's document-length list, decoding that list from the
// start of a chunk up to the document each time; measured at 100,000 items (200,000 documents),
// that was most of a query's matching: one word in 1,694 documents 0.80 ms with BM25 against
// 0.09 ms with a weight that does not need the length, one in 19,196 documents 1.57 against
// 0.34 ms (docs/performance.md). The weights are the same numbers Xapian's BM25Weight gives (the
// same formula in the same floating-point operations; search_index_test checks it), so hits and
// their order do not change.
//
// How a weight learns which document it weighs: Xapian passes get_sumpart() the wdf but not the
// document id, so every search's query is wrapped as (query AND CurrentDocument): a posting
// source that matches every document, weighs nothing, and notes the document the AND is on.
// Xapian computes a match's weight only once every part of the AND is on it. Internal to
// search/. Thread-safety: a DocLengthTable is immutable and shared; a CurrentDocument and the
// weights made from it belong to one search on one thread.

#include <xapian.h>

#include <memory>
#include <string>
#include <vector>

namespace assetpub::search::internal {

// Document id -> length (the sum of its wdfs, as Xapian counts it), for the documents a database
// held when the table was loaded. Stays true for that database's (index generation's) life for
// the same reasons as FacetTable (facet_spy.h): ids are never reused and documents are never
// replaced in place, only deleted and added.
class DocLengthTable {
 public:
  // One pass over the index's document-length list. Throws what Xapian throws.
  static std::shared_ptr<const DocLengthTable> Load(const Xapian::Database& db);

  // The highest document id the table knows.
  Xapian::docid Covers() const { return static_cast<Xapian::docid>(lengths_.size()) - 1; }
  Xapian::termcount Length(Xapian::docid did) const { return lengths_[did]; }

 private:
  std::vector<Xapian::termcount> lengths_;  // by document id; 0 for ids no document has
};

// The posting source that tells the weights which document is being weighed (see above). It
// matches every document id up to the database's last, with weight 0.
class CurrentDocument : public Xapian::PostingSource {
 public:
  // `table` may be null; documents it does not cover are looked up in `db`.
  CurrentDocument(const Xapian::Database& db, std::shared_ptr<const DocLengthTable> table)
      : db_(db), table_(std::move(table)) {}

  // The length of the document the search is on.
  Xapian::termcount Length() const {
    return table_ != nullptr && current_ <= table_->Covers() ? table_->Length(current_)
                                                             : db_.get_doclength(current_);
  }

  Xapian::doccount get_termfreq_min() const override { return count_; }
  Xapian::doccount get_termfreq_est() const override { return count_; }
  Xapian::doccount get_termfreq_max() const override { return count_; }
  Xapian::docid get_docid() const override { return current_; }
  void next(double min_wt) override;
  void skip_to(Xapian::docid did, double min_wt) override;
  bool check(Xapian::docid did, double min_wt) override;
  bool at_end() const override { return current_ > last_; }
  void init(const Xapian::Database& db) override;
  std::string name() const override { return "assetpub.CurrentDocument"; }

 private:
  const Xapian::Database& db_;
  std::shared_ptr<const DocLengthTable> table_;
  Xapian::docid current_ = 0;
  Xapian::docid last_ = 0;
  Xapian::doccount count_ = 0;
};

// BM25Weight with Xapian's defaults (k1 1, k2 0, k3 1, b 0.5, min_normlen 0.5), the length of
// each document from `current`. Built on a BM25Weight with b = 0, which neither fetches lengths
// nor uses them but computes the same term weight; the length part is added here.
class MemoryBM25Weight : public Xapian::BM25Weight {
 public:
  explicit MemoryBM25Weight(const CurrentDocument* current);

  double get_sumpart(Xapian::termcount wdf, Xapian::termcount doclen,
                     Xapian::termcount uniqterms) const override;
  double get_maxpart() const override;
  std::string name() const override { return "assetpub.MemoryBM25Weight"; }

 private:
  MemoryBM25Weight* clone() const override { return new MemoryBM25Weight(current_); }
  // BM25Weight's term weight (its value for wdf 1 with b = 0, doubled: exact) and 1 / the
  // average document length, computed on first use (the statistics are set after init).
  void Prepare() const;

  const CurrentDocument* current_;
  mutable bool prepared_ = false;
  mutable double term_weight_ = 0;
  mutable double len_factor_ = 0;
};

// `query` AND `current` (see above).
Xapian::Query WithCurrentDocument(const Xapian::Query& query, CurrentDocument* current);

}  // namespace assetpub::search::internal
