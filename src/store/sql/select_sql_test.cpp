// The SQL Store::Select runs (select_sql.h), in SQLite's dialect unless a test says PostgreSQL,
// checked as text and parameters without a database: which tables a kind of list starts from, and
// that every value is a parameter the text uses. The lists' results are the conformance suite's
// business (store_conformance_test.cpp, on both backends).
#include "store/sql/select_sql.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "content/asset.h"
#include "store/store.h"

namespace assetpub::store::sql {
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
  // listing_terms alone: no parameter for the term table (asset_tags), which only a list in a
  // full tag starts from.
  EXPECT_EQ(page.sql,
            "SELECT d.asset_id FROM listing_terms d WHERE d.vocabulary = ?1 AND d.term IN (?2) "
            "AND d.lang = ?3 AND d.status = ?4 ORDER BY d.published_at DESC, d.asset_id DESC "
            "LIMIT ?5 OFFSET ?6");
  EXPECT_THAT(page.params,
              ElementsAre(S("tag"), S("O'Brien"), S("ru"), S("published"), N(10), N(40)));
  EXPECT_EQ(SelectSql(s, true).sql,
            "SELECT COUNT(*) FROM listing_terms d WHERE d.vocabulary = ?1 AND d.term IN (?2) "
            "AND d.lang = ?3 AND d.status = ?4");
}

TEST(SelectSql, APersonsPageInAPrimaryLanguageIsOneRangeOfItsSlug) {
  Selection s = In("en");
  s.people.any = {"Sergey Lavrov", "Сергей Лавров"};
  s.people.slug = "sergey-lavrov";
  // One term, the slug's: no DISTINCT over the two names' rows, in the page or the count.
  EXPECT_EQ(SelectSql(s, false).sql,
            "SELECT d.asset_id FROM listing_terms d WHERE d.vocabulary = ?1 AND d.term IN (?2) "
            "AND d.lang = ?3 AND d.status = ?4 ORDER BY d.published_at DESC, d.asset_id DESC "
            "LIMIT ?5 OFFSET ?6");
  EXPECT_THAT(SelectSql(s, false).params, ElementsAre(S("person-slug"), S("sergey-lavrov"), S("en"),
                                                      S("published"), N(20), N(0)));
  EXPECT_EQ(SelectSql(s, true).sql,
            "SELECT COUNT(*) FROM listing_terms d WHERE d.vocabulary = ?1 AND d.term IN (?2) "
            "AND d.lang = ?3 AND d.status = ?4");
  // In a full tag the list starts from the names in the term table, as without a slug.
  s.language = "ru-RU";
  EXPECT_THAT(SelectSql(s, false).sql, HasSubstr("asset_people WHERE name IN (?1, ?2)"));
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
      "d.vocabulary = ?5 AND d.term IN (?6) AND d.lang = ?7 AND d.status = ?8) d CROSS JOIN "
      "listings t WHERE t.asset_id NOT IN (SELECT asset_id FROM asset_tags WHERE tag IN (?1, ?2)) "
      "AND t.asset_id IN (SELECT asset_id FROM asset_categories WHERE term IN (?3) AND "
      "vocabulary = ?4) AND t.asset_id = d.asset_id AND t.primary_lang = ?9 AND "
      "+t.lang_first = 1 AND +t.status = ?10 ORDER BY t.published_at DESC, t.asset_id DESC "
      "LIMIT ?11 OFFSET ?12");
  EXPECT_THAT(page.params, ElementsAre(S("Syria"), S("OIC"), S("Middle East"), S("region"),
                                       S("person"), S("Sergey Lavrov"), S("en"), S("published"),
                                       S("en"), S("published"), N(20), N(0)));
}

TEST(SelectSql, AListInAFullTagStartsFromTheTermTableAndUsesEveryParameter) {
  Selection s = In("ru-RU");
  s.people.any = {"Sergey Lavrov", "Сергей Лавров"};
  const SqlQuery page = SelectSql(s, false);
  EXPECT_EQ(page.sql,
            "SELECT t.asset_id FROM (SELECT DISTINCT asset_id FROM (SELECT asset_id FROM "
            "asset_people WHERE name IN (?1, ?2)) x) d CROSS JOIN listings t WHERE t.asset_id = "
            "d.asset_id AND t.primary_lang = ?3 AND t.language = ?4 AND +t.status = ?5 ORDER BY "
            "t.published_at DESC, t.asset_id DESC LIMIT ?6 OFFSET ?7");
  EXPECT_THAT(page.params, ElementsAre(S("Sergey Lavrov"), S("Сергей Лавров"), S("ru"), S("ru-RU"),
                                       S("published"), N(20), N(0)));
}

TEST(SelectSql, PostgresNumbersWithDollarsUnnestsIdsAndSortsTitlesByItsCollation) {
  const Dialect postgres{Dialect::Kind::kPostgres, "ru-x-icu"};
  Selection s = In("ru");
  s.order = {{SortKey::kTitle, false}};
  EXPECT_EQ(SelectSql(s, false, postgres).sql,
            "SELECT t.asset_id FROM listings t WHERE t.primary_lang = $1 AND t.lang_first = 1 "
            "AND t.status = $2 ORDER BY t.title COLLATE \"ru-x-icu\" ASC, t.published_at DESC, "
            "t.asset_id DESC LIMIT $3 OFFSET $4");
  s.ids = std::vector<int64_t>{7, 3, 7, 1};
  const SqlQuery page = SelectSql(s, false, postgres);
  EXPECT_EQ(page.sql,
            "SELECT t.asset_id FROM unnest(CAST($1 AS bigint[])) WITH ORDINALITY AS j(value, key) "
            "CROSS JOIN listings t WHERE t.asset_id = j.value AND t.primary_lang = $2 AND "
            "t.lang_first = 1 AND t.status = $3 ORDER BY j.key LIMIT $4 OFFSET $5");
  EXPECT_THAT(page.params, ElementsAre(S("{7,3,1}"), S("ru"), S("published"), N(20), N(0)));
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
}  // namespace assetpub::store::sql
