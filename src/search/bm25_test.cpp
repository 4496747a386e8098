// MemoryBM25Weight against Xapian's own BM25Weight on a real (on-disk) Xapian database: the same
// documents in the same order with the same weights, to the last bit, for the query shapes
// search uses (words, AND, OR, phrases, filters, NOT), with lengths from the table, from the
// index (documents added after the table was loaded) and with deleted documents.

#include "search/bm25.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace assetpub::search::internal {
namespace {

struct Match {
  Xapian::docid did;
  double weight;
  bool operator==(const Match&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Match& match) {
  return out << match.did << ":" << std::hexfloat << match.weight << std::defaultfloat;
}

// Documents of very different lengths and wdfs, so that the length part of BM25 decides the
// order (a weight that ignored lengths, or got another document's, would order them otherwise).
void AddDocuments(Xapian::WritableDatabase& db, int count, int seed) {
  const std::vector<std::string> words = {"alpha", "beta", "gamma", "delta", "epsilon"};
  for (int i = 0; i < count; ++i) {
    Xapian::Document doc;
    Xapian::termpos position = 0;
    const int length = 3 + (i * 37 + seed) % 200;
    for (int w = 0; w < length; ++w) {
      const size_t pick = static_cast<size_t>((w * w + i * 7 + seed) % 11);
      doc.add_posting(pick < words.size() ? words[pick] : "filler" + std::to_string(pick),
                      ++position);
    }
    doc.add_boolean_term(i % 2 == 0 ? "Len" : "Lru");
    db.add_document(doc);
  }
}

std::vector<Xapian::Query> Queries() {
  const auto term = [](const char* name) { return Xapian::Query(name); };
  return {
      term("alpha"),
      term("gamma"),
      Xapian::Query(Xapian::Query::OP_AND, term("alpha"), term("delta")),
      Xapian::Query(Xapian::Query::OP_OR, term("beta"), term("epsilon")),
      Xapian::Query(Xapian::Query::OP_PHRASE, term("alpha"), term("beta")),
      Xapian::Query(Xapian::Query::OP_FILTER, term("gamma"), term("Len")),
      Xapian::Query(Xapian::Query::OP_AND_NOT, term("delta"), term("alpha")),
      Xapian::Query::MatchAll,
  };
}

std::vector<Match> Run(const Xapian::Database& db, const Xapian::Query& query,
                       const std::shared_ptr<const DocLengthTable>& table, bool memory,
                       double* max_possible = nullptr) {
  CurrentDocument current(db, table);
  Xapian::Enquire enquire(db);
  if (memory) {
    enquire.set_query(WithCurrentDocument(query, &current));
    enquire.set_weighting_scheme(MemoryBM25Weight(&current));
  } else {
    enquire.set_query(query);  // Xapian's default: BM25Weight()
  }
  const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
  if (max_possible != nullptr) *max_possible = mset.get_max_possible();
  std::vector<Match> matches;
  for (auto it = mset.begin(); it != mset.end(); ++it) matches.push_back({*it, it.get_weight()});
  return matches;
}

void ExpectSameAsXapian(const Xapian::Database& db,
                        const std::shared_ptr<const DocLengthTable>& table) {
  for (const Xapian::Query& query : Queries()) {
    SCOPED_TRACE(query.get_description());
    double xapian_max = 0, memory_max = 0;
    const std::vector<Match> expected = Run(db, query, nullptr, false, &xapian_max);
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(Run(db, query, table, true, &memory_max), expected);
    // The bound Xapian prunes with (and the snippet's term weights come from) is the same too.
    EXPECT_EQ(memory_max, xapian_max);
  }
}

TEST(MemoryBM25WeightTest, SameWeightsAndOrderAsXapiansBM25) {
  const assetpub::testing::TempDir temp("assetpub-bm25-");
  Xapian::WritableDatabase db((temp.path() / "db").string(), Xapian::DB_CREATE);
  AddDocuments(db, 300, 1);
  db.commit();
  const auto table = DocLengthTable::Load(db);
  ASSERT_EQ(table->Covers(), 300u);
  EXPECT_EQ(table->Length(17), db.get_doclength(17));
  ExpectSameAsXapian(db, table);
  // Without a table every length comes from the index.
  ExpectSameAsXapian(db, nullptr);
}

TEST(MemoryBM25WeightTest, DocumentsAddedOrDeletedAfterTheTableWasLoaded) {
  const assetpub::testing::TempDir temp("assetpub-bm25-");
  Xapian::WritableDatabase db((temp.path() / "db").string(), Xapian::DB_CREATE);
  AddDocuments(db, 200, 2);
  db.commit();
  const auto table = DocLengthTable::Load(db);
  // Past the table (read from the index), and holes in it.
  AddDocuments(db, 100, 3);
  for (Xapian::docid did = 5; did <= 200; did += 9) db.delete_document(did);
  db.commit();
  ASSERT_EQ(table->Covers(), 200u);
  ASSERT_EQ(db.get_lastdocid(), 300u);
  ExpectSameAsXapian(db, table);
}

}  // namespace
}  // namespace assetpub::search::internal
