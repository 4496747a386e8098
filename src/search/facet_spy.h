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
#include <utility>
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

  // A slot value split into its facets' values, each a name number (0: none, e.g. no kind).
  struct Parts {
    uint32_t kind = 0, year = 0, language = 0;
    uint32_t people_begin = 0, people_end = 0;  // [begin, end) in People()
  };
  const Parts& Split(uint32_t id) const { return parts_[id]; }
  const std::vector<uint32_t>& People() const { return people_; }
  // A name number's facet (kKind … kPerson) and text.
  enum Facet : uint8_t { kKind, kYear, kLanguage, kPerson };
  Facet NameFacet(uint32_t name) const { return names_[name].first; }
  const std::string& NameText(uint32_t name) const { return names_[name].second; }
  size_t NameCount() const { return names_.size(); }

  // `did`'s language as a number (did <= Covers()), an index into Languages(); 0 when the table
  // does not know it (no such document, or more than 65,535 languages). One small array, so
  // that a language filter (LanguageSource) reads 2 bytes per document.
  uint16_t Language(Xapian::docid did) const { return doc_languages_[did]; }
  // Language number -> name number (NameText() is the tag); [0] is none.
  const std::vector<uint32_t>& Languages() const { return languages_; }

 private:
  std::vector<uint32_t> ids_;  // docid -> value number; 0: no such document (parts_[0] is empty)
  // Split once at Load(), so that Facets() adds numbers and makes each name's string once per
  // search rather than splitting every distinct value seen (5% of a search's CPU before).
  std::vector<Parts> parts_;
  std::vector<uint32_t> people_;
  std::vector<std::pair<Facet, std::string>> names_;  // names_[0]: none
  std::vector<uint16_t> doc_languages_;               // by docid
  std::vector<uint32_t> languages_;
};

// The documents of one language, as the boolean term L<value> gives them (document.h: "Len-gb"
// and "Len"), from the FacetTable's language of each document instead of the term's posting
// list, which a language filter otherwise walks beside every query's words (20-40% of a
// one-word query's matching at 100,000 items). Documents the table does not know (added after
// it was loaded, or deleted in its revision) are looked up in the term's posting list, so the
// documents are exactly the term's. Weighs nothing; use it as a filter. Belongs to one search.
class LanguageSource : public Xapian::PostingSource {
 public:
  // `term` is the whole L term ("Len", "Lru-ru").
  LanguageSource(const Xapian::Database& db, std::shared_ptr<const FacetTable> table,
                 std::string term);

  Xapian::doccount get_termfreq_min() const override { return termfreq_; }
  Xapian::doccount get_termfreq_est() const override { return termfreq_; }
  Xapian::doccount get_termfreq_max() const override { return termfreq_; }
  Xapian::docid get_docid() const override { return current_; }
  void next(double min_wt) override;
  void skip_to(Xapian::docid did, double min_wt) override;
  bool at_end() const override { return current_ > last_; }
  void init(const Xapian::Database& db) override;
  std::string name() const override { return "assetpub.LanguageSource"; }

 private:
  bool Matches(Xapian::docid did);
  void MoveTo(Xapian::docid did);

  const Xapian::Database& db_;
  std::shared_ptr<const FacetTable> table_;
  std::string term_;
  std::vector<bool> languages_;  // by FacetTable language number: true for this language's tags
  Xapian::docid current_ = 0;
  Xapian::docid last_ = 0;
  Xapian::doccount termfreq_ = 0;
  // The term's posting list, for the documents the table does not know (opened when needed).
  bool postings_open_ = false;
  Xapian::PostingIterator postings_;
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
  // Documents of one asset family share a value, so few values are counted; Facets() adds
  // them into the four facets once at the end. table_'s value number -> documents, and the
  // values of documents the table does not cover -> documents.
  std::unordered_map<uint32_t, int64_t> counts_;
  std::unordered_map<std::string, int64_t> other_counts_;
  int64_t seen_ = 0;
};

}  // namespace assetpub::search::internal
