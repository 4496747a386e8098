// The SQL Store::Select runs on SQLite (select_sql.h), checked as text and parameters without a
// database: which tables a kind of list starts from, and that every value is a parameter. The
// lists' results are the conformance suite's business (store_conformance_test.cpp).
#include "store/sqlite/select_sql.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "content/asset.h"
#include "store/store.h"

namespace assetpub::store::sqlite {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// Readable expectations: SqlValue(int64_t{20}) is noisy.
SqlValue N(int64_t value) { return value; }
SqlValue S(const char* value) { return std::string(value); }

Selection In(const std::string& language) {
  Selection s;
  s.language = language;
  return s;
}

TEST(SelectSql, ALanguagesNewestPageReadsListingsInDateOrder) {
  const SqlQuery page = SelectSql(In("en"), false);
  EXPECT_EQ(page.sql,
            "SELECT t.asset_id FROM listings t WHERE t.primary_lang = ?1 AND t.lang_first = 1 "
            "AND t.status = ?2 ORDER BY t.published_at DESC, t.asset_id DESC LIMIT ?3 OFFSET ?4");
  EXPECT_THAT(page.params, ElementsAre(S("en"), S("published"), N(20), N(0)));
}

TEST(SelectSql, ACountByLanguageStatusAndKindsSumsListCounts) {
  Selection s = In("en-gb");
  s.kinds = {content::Kind::kSpeech, content::Kind::kComment, content::Kind::kSpeech};
  const SqlQuery count = SelectSql(s, true);
  // A full tag in canonical form; kinds sorted and once each.
  EXPECT_EQ(count.sql,
            "SELECT COALESCE(SUM(n), 0) FROM list_counts WHERE lang = ?1 AND status = ?2 "
            "AND kind IN (?3, ?4)");
  EXPECT_THAT(count.params, ElementsAre(S("en-GB"), S("published"), S("comment"), S("speech")));
  // Any status: no condition on it.
  s.status.reset();
  EXPECT_THAT(SelectSql(s, true).sql, Not(HasSubstr("status")));
}

TEST(SelectSql, AFullTagMatchesThatTranslationWithTheDateRange) {
  Selection s = In("en-gb");
  s.kinds = {content::Kind::kSpeech};
  s.from = content::Instant{1'000};
  s.to = content::Instant{2'000};
  const SqlQuery page = SelectSql(s, false);
  EXPECT_EQ(page.sql,
            "SELECT t.asset_id FROM listings t WHERE t.kind IN (?1) AND t.published_at >= ?2 AND "
            "t.published_at < ?3 AND t.primary_lang = ?4 AND t.language = ?5 AND t.status = ?6 "
            "ORDER BY t.published_at DESC, t.asset_id DESC LIMIT ?7 OFFSET ?8");
  EXPECT_THAT(page.params, ElementsAre(S("speech"), N(1'000), N(2'000), S("en"), S("en-GB"),
                                       S("published"), N(20), N(0)));
}

TEST(SelectSql, OneTagInAPrimaryLanguageIsOneRangeOfListingTerms) {
  Selection s = In("ru");
  s.tags.any = {"O'Brien"};
  s.offset = 40;
  s.limit = 10;
  const SqlQuery page = SelectSql(s, false);
  // ?1 is the tag for the term table (asset_tags), which a list in a full tag would start from;
  // this one reads listing_terms alone and leaves it unused.
  EXPECT_EQ(page.sql,
            "SELECT d.asset_id FROM listing_terms d WHERE d.vocabulary = ?2 AND d.term IN (?3) "
            "AND d.lang = ?4 AND d.status = ?5 ORDER BY d.published_at DESC, d.asset_id DESC "
            "LIMIT ?6 OFFSET ?7");
  EXPECT_THAT(page.params, ElementsAre(S("O'Brien"), S("tag"), S("O'Brien"), S("ru"),
                                       S("published"), N(10), N(40)));
  EXPECT_EQ(SelectSql(s, true).sql,
            "SELECT COUNT(*) FROM listing_terms d WHERE d.vocabulary = ?2 AND d.term IN (?3) "
            "AND d.lang = ?4 AND d.status = ?5");
}

TEST(SelectSql, TermFiltersBeyondTheFirstAreConditionsOnTheTermTables) {
  Selection s = In("en");
  s.people.all = {"Sergey Lavrov"};
  s.tags.none = {"Syria", "OIC"};
  s.categories["region"].any = {"Middle East"};
  const SqlQuery page = SelectSql(s, false);
  EXPECT_EQ(
      page.sql,
      "SELECT t.asset_id FROM (SELECT DISTINCT d.asset_id FROM listing_terms d WHERE "
      "d.vocabulary = ?6 AND d.term IN (?7) AND d.lang = ?8 AND d.status = ?9) d CROSS JOIN "
      "listings t WHERE t.asset_id NOT IN (SELECT asset_id FROM asset_tags WHERE tag IN (?1, ?2)) "
      "AND t.asset_id IN (SELECT asset_id FROM asset_categories WHERE term IN (?4) AND "
      "vocabulary = ?5) AND t.asset_id = d.asset_id AND t.primary_lang = ?10 AND "
      "+t.lang_first = 1 AND +t.status = ?11 ORDER BY t.published_at DESC, t.asset_id DESC "
      "LIMIT ?12 OFFSET ?13");
  EXPECT_THAT(page.params, ElementsAre(S("Syria"), S("OIC"), S("Sergey Lavrov"), S("Middle East"),
                                       S("region"), S("person"), S("Sergey Lavrov"), S("en"),
                                       S("published"), S("en"), S("published"), N(20), N(0)));
}

TEST(SelectSql, ManualIdsKeepTheirFirstPlacesInOrder) {
  Selection s = In("en");
  s.ids = std::vector<int64_t>{7, 3, 7, 1};
  s.order = {{SortKey::kTitle, false}};  // ignored: the list's own order
  const SqlQuery page = SelectSql(s, false);
  EXPECT_EQ(page.sql,
            "SELECT t.asset_id FROM json_each(?1) j CROSS JOIN listings t WHERE t.asset_id = "
            "j.value AND t.primary_lang = ?2 AND +t.lang_first = 1 AND +t.status = ?3 "
            "ORDER BY j.key LIMIT ?4 OFFSET ?5");
  EXPECT_THAT(page.params, ElementsAre(S("[7,3,1]"), S("en"), S("published"), N(20), N(0)));
}

TEST(SelectSql, SortKeysComeInOrderThenTheDateTieBreak) {
  Selection s = In("en");
  s.order = {{SortKey::kViews, true}, {SortKey::kTitle, false}, {SortKey::kPublished, true}};
  const SqlQuery page = SelectSql(s, false);
  // Most read: walk assets by views; the trailing "published desc" is the tie-break itself.
  EXPECT_EQ(page.sql,
            "SELECT t.asset_id FROM assets a CROSS JOIN listings t WHERE t.asset_id = a.id AND "
            "t.primary_lang = ?1 AND +t.lang_first = 1 AND +t.status = ?2 ORDER BY a.view_count "
            "DESC, t.sort_key ASC, a.published_at DESC, a.id DESC LIMIT ?3 OFFSET ?4");
  // A count never joins assets: the sort keys do not change what matches.
  s.from = content::Instant{1'000};
  EXPECT_EQ(SelectSql(s, true).sql,
            "SELECT COUNT(*) FROM listings t WHERE t.published_at >= ?1 AND t.primary_lang = ?2 "
            "AND t.lang_first = 1 AND t.status = ?3");
  EXPECT_THAT(SelectSql(s, true).params, ElementsAre(N(1'000), S("en"), S("published")));
}

TEST(CountsSql, CountsAPrimaryLanguageByItsLowerCasedSubtag) {
  const SqlQuery count = CountsSql("EN", content::Status::kPublished, {});
  EXPECT_EQ(count.sql,
            "SELECT COALESCE(SUM(n), 0) FROM list_counts WHERE lang = ?1 AND status = ?2");
  EXPECT_THAT(count.params, ElementsAre(S("en"), S("published")));
}

}  // namespace
}  // namespace assetpub::store::sqlite
