#include "search/bm25.h"

#include <algorithm>

namespace assetpub::search::internal {
namespace {

// Xapian's BM25Weight defaults (xapian/weight.h), which Enquire uses unless told otherwise.
constexpr double kK1 = 1;
constexpr double kK2 = 0;
constexpr double kK3 = 1;
constexpr double kB = 0.5;
constexpr double kMinNormLength = 0.5;

}  // namespace

std::shared_ptr<const DocLengthTable> DocLengthTable::Load(const Xapian::Database& db) {
  auto table = std::make_shared<DocLengthTable>();
  table->lengths_.assign(static_cast<size_t>(db.get_lastdocid()) + 1, 0);
  // The empty term's posting list is every document, with its length.
  for (auto it = db.postlist_begin(std::string()); it != db.postlist_end(std::string()); ++it) {
    const Xapian::docid did = *it;
    if (did >= table->lengths_.size()) break;  // a commit since get_lastdocid(): not covered
    table->lengths_[did] = it.get_doclength();
  }
  return table;
}

void CurrentDocument::init(const Xapian::Database& db) {
  current_ = 0;
  last_ = db.get_lastdocid();
  // Every document (the AND it is in keeps its own estimates: this part passes all).
  count_ = db.get_doccount();
}

void CurrentDocument::next(double /*min_wt*/) { ++current_; }

void CurrentDocument::skip_to(Xapian::docid did, double /*min_wt*/) {
  if (did > current_) current_ = did;
}

bool CurrentDocument::check(Xapian::docid did, double /*min_wt*/) {
  if (did > current_) current_ = did;
  return true;
}

MemoryBM25Weight::MemoryBM25Weight(const CurrentDocument* current)
    : Xapian::BM25Weight(kK1, kK2, kK3, /*b=*/0, kMinNormLength), current_(current) {
  // What BM25Weight with b != 0 asks for, except DOC_LENGTH (the length of each document
  // weighed), which is what this class reads from memory instead.
  need_stat(DOC_LENGTH_MIN);
  need_stat(AVERAGE_LENGTH);
}

void MemoryBM25Weight::Prepare() const {
  if (prepared_) return;
  // With b = 0, BM25Weight::get_sumpart(1, …) = term weight * (1 / (k1 * 1 + 1)) = term weight
  // * 0.5, exactly (k1 = 1).
  term_weight_ = Xapian::BM25Weight::get_sumpart(1, 0, 0) * 2;
  len_factor_ = get_average_length();
  if (len_factor_ != 0) len_factor_ = 1 / len_factor_;
  prepared_ = true;
}

// The same operations, in the same order, as Xapian 1.4's BM25Weight::get_sumpart and
// get_maxpart with the parameters above, so that the results are the same doubles.
double MemoryBM25Weight::get_sumpart(Xapian::termcount wdf, Xapian::termcount /*doclen*/,
                                     Xapian::termcount /*uniqterms*/) const {
  Prepare();
  const double normlen = std::max(current_->Length() * len_factor_, kMinNormLength);
  const double wdf_double(wdf);
  const double denom = kK1 * (normlen * kB + (1 - kB)) + wdf_double;
  return term_weight_ * (wdf_double / denom);
}

double MemoryBM25Weight::get_maxpart() const {
  Prepare();
  double denom = kK1;
  const double normlen_lb = std::max(
      std::max(get_wdf_upper_bound(), get_doclength_lower_bound()) * len_factor_, kMinNormLength);
  denom *= (normlen_lb * kB + (1 - kB));
  const double wdf_max(get_wdf_upper_bound());
  denom += wdf_max;
  return term_weight_ * (wdf_max / denom);
}

Xapian::Query WithCurrentDocument(const Xapian::Query& query, CurrentDocument* current) {
  return Xapian::Query(Xapian::Query::OP_AND, query, Xapian::Query(current));
}

}  // namespace assetpub::search::internal
