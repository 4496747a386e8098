// LanguageSource against the language terms it stands in for, on a real (on-disk) Xapian
// database: the same documents for a tag and for a primary subtag, also for documents added or
// deleted after the FacetTable was loaded, alone and as a filter of a weighted query.

#include "search/facet_spy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "search/document.h"
#include "support/temp_dir.h"

namespace assetpub::search::internal {
namespace {

const std::vector<std::string> kTags = {"en-GB", "ru-RU", "en-US", "fr"};

// Documents as BuildDocuments makes them as far as languages go: the facet slot names the tag,
// the terms are L<tag lower-case> and L<primary subtag>.
void AddDocuments(Xapian::WritableDatabase& db, int count, int seed) {
  for (int i = 0; i < count; ++i) {
    const std::string& tag = kTags[static_cast<size_t>((i * 7 + seed) % 4)];
    Xapian::Document doc;
    doc.add_value(kFacetSlot, std::string("article") + kFacetSeparator + "2013" + kFacetSeparator +
                                  tag + kFacetSeparator);
    doc.add_boolean_term(std::string(kLanguageTerm) + Lower(tag));
    if (LanguageKey(tag) != Lower(tag)) {
      doc.add_boolean_term(std::string(kLanguageTerm) + LanguageKey(tag));
    }
    doc.add_term(i % 3 == 0 ? "word" : "other", static_cast<Xapian::termcount>(1 + i % 5));
    db.add_document(doc);
  }
}

std::vector<Xapian::docid> Matches(const Xapian::Database& db, const Xapian::Query& query) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  std::vector<Xapian::docid> ids;
  const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
  for (auto it = mset.begin(); it != mset.end(); ++it) ids.push_back(*it);
  return ids;
}

void ExpectSameAsTerms(const Xapian::Database& db, const std::shared_ptr<const FacetTable>& table) {
  for (const std::string term : {"Len", "Len-gb", "Len-us", "Lru", "Lru-ru", "Lfr", "Lde"}) {
    SCOPED_TRACE(term);
    const Xapian::Query words("word");
    const std::vector<Xapian::docid> expected =
        Matches(db, Xapian::Query(Xapian::Query::OP_FILTER, words, Xapian::Query(term)));
    LanguageSource source(db, table, term);
    EXPECT_EQ(Matches(db, Xapian::Query(Xapian::Query::OP_FILTER, words, Xapian::Query(&source))),
              expected);
    // Alone (the source leads the match and walks every document).
    LanguageSource alone(db, table, term);
    EXPECT_EQ(Matches(db, Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query::MatchAll,
                                        Xapian::Query(&alone))),
              Matches(db, Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query::MatchAll,
                                        Xapian::Query(term))));
  }
}

TEST(LanguageSourceTest, SameDocumentsAsTheLanguageTerms) {
  const assetpub::testing::TempDir temp("assetpub-language-");
  Xapian::WritableDatabase db((temp.path() / "db").string(), Xapian::DB_CREATE);
  AddDocuments(db, 400, 1);
  db.commit();
  const auto table = FacetTable::Load(db);
  ExpectSameAsTerms(db, table);
  ExpectSameAsTerms(db, nullptr);  // no table: the terms' posting lists
}

TEST(LanguageSourceTest, DocumentsAddedOrDeletedAfterTheTableWasLoaded) {
  const assetpub::testing::TempDir temp("assetpub-language-");
  Xapian::WritableDatabase db((temp.path() / "db").string(), Xapian::DB_CREATE);
  AddDocuments(db, 300, 2);
  db.commit();
  const auto table = FacetTable::Load(db);
  AddDocuments(db, 100, 3);
  for (Xapian::docid did = 3; did <= 300; did += 7) db.delete_document(did);
  db.commit();
  ASSERT_EQ(table->Covers(), 300u);
  ExpectSameAsTerms(db, table);
}

}  // namespace
}  // namespace assetpub::search::internal
