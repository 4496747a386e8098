#include "web/site/search_params.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "content/instant.h"

namespace assetpub::web {
namespace {

using ::testing::HasSubstr;
using Params = std::vector<std::pair<std::string, std::string>>;

const std::vector<std::string> kSiteLanguages = {"en-GB", "ru-RU"};

SearchRequest Read(const Params& params, std::string_view stem_language = "en-GB") {
  return ReadSearchParams(params, kSiteLanguages, "Europe/Moscow", stem_language);
}

TEST(SearchParams, EveryFieldReachesTheQuery) {
  const SearchRequest request = Read({{"q", "Syria"},
                                      {"all", "conference Geneva"},
                                      {"phrase", "Foreign Minister"},
                                      {"any", "Lavrov Kerry"},
                                      {"none", "football"},
                                      {"from", "2013-06-07"},
                                      {"to", "2013-06-07"},
                                      {"kind", "transcript"},
                                      {"kind", "speech"},
                                      {"person", "Sergey Lavrov"},
                                      {"tag", "Syria"},
                                      {"lang", "ru"},
                                      {"sort", "newest"},
                                      {"per_page", "50"},
                                      {"page", "3"}});
  ASSERT_FALSE(request.problem) << request.problem->detail;
  const search::Query& query = request.query;
  EXPECT_EQ(query.text, "Syria");
  EXPECT_EQ(query.all_words, "conference Geneva");
  EXPECT_EQ(query.phrase, "Foreign Minister");
  EXPECT_EQ(query.any_words, "Lavrov Kerry");
  EXPECT_EQ(query.none_words, "football");
  EXPECT_EQ(query.kinds, (std::vector<std::string>{"transcript", "speech"}));
  EXPECT_EQ(query.person, "Sergey Lavrov");
  EXPECT_EQ(query.tag, "Syria");
  EXPECT_EQ(query.language, "ru");
  EXPECT_EQ(query.stem_language, "ru-RU");  // the language searched, not the page's
  EXPECT_EQ(query.sort, search::Sort::kNewest);
  EXPECT_EQ(query.page, 3);
  EXPECT_EQ(query.page_size, 50);
  EXPECT_EQ(request.page, 3);
  EXPECT_EQ(request.per_page, 50);
  EXPECT_TRUE(request.form.HasAdvanced());
}

TEST(SearchParams, DatesAreWholeDaysInTheSitesZone) {
  // Moscow was UTC+4 in 2013: the day starts at 20:00 UTC the day before.
  const SearchRequest request = Read({{"from", "2013-06-07"}, {"to", "2013-06-07"}});
  ASSERT_FALSE(request.problem) << request.problem->detail;
  ASSERT_TRUE(request.query.from && request.query.to);
  EXPECT_EQ(content::ToIso8601Utc(*request.query.from), "2013-06-06T20:00:00Z");
  EXPECT_EQ(content::ToIso8601Utc(*request.query.to), "2013-06-07T19:59:59Z");
}

// `date:` in the box: whole years, months or days in the site's zone, taken out of the words.
TEST(SearchParams, DateRangesInTheBoxFilterByDate) {
  const auto range = [](const std::string& q) {
    const SearchRequest request = Read({{"q", q}});
    EXPECT_FALSE(request.problem) << q << ": " << request.problem->detail;
    return std::pair(request.query.from ? content::ToIso8601Utc(*request.query.from) : "-",
                     request.query.to ? content::ToIso8601Utc(*request.query.to) : "-");
  };
  using Range = std::pair<std::string, std::string>;
  EXPECT_EQ(range("Syria date:2013-01-01..2013-12-31"),
            Range("2012-12-31T20:00:00Z", "2013-12-31T19:59:59Z"));
  EXPECT_EQ(range("date:2013"), Range("2012-12-31T20:00:00Z", "2013-12-31T19:59:59Z"));
  EXPECT_EQ(range("DATE:2012-02"), Range("2012-01-31T20:00:00Z", "2012-02-29T19:59:59Z"));
  EXPECT_EQ(range("date:2013-06.."), Range("2013-05-31T20:00:00Z", "-"));
  EXPECT_EQ(range("date:..2013-06-07"), Range("-", "2013-06-07T19:59:59Z"));
  // Two filters narrow each other.
  EXPECT_EQ(range("date:2013 date:2013-06..2014"),
            Range("2013-05-31T20:00:00Z", "2013-12-31T19:59:59Z"));

  const SearchRequest request = Read({{"q", "Syria date:2013 \"date:2014 in quotes\""}});
  ASSERT_FALSE(request.problem);
  EXPECT_EQ(request.query.text, "Syria \"date:2014 in quotes\"");
  EXPECT_EQ(request.form.q, "Syria date:2013 \"date:2014 in quotes\"");  // refilled as typed
}

TEST(SearchParams, DateRangesInTheBoxNarrowFromAndTo) {
  const SearchRequest request =
      Read({{"q", "date:2013-06"}, {"from", "2013-06-10"}, {"to", "2014-01-01"}});
  ASSERT_FALSE(request.problem);
  EXPECT_EQ(content::ToIso8601Utc(*request.query.from), "2013-06-09T20:00:00Z");
  EXPECT_EQ(content::ToIso8601Utc(*request.query.to), "2013-06-30T19:59:59Z");
}

TEST(SearchParams, DefaultsWhenNothingIsGiven) {
  const SearchRequest request = Read({}, "ru-RU");
  ASSERT_FALSE(request.problem);
  EXPECT_EQ(request.query.sort, search::Sort::kRelevance);
  EXPECT_EQ(request.query.page, 1);
  EXPECT_EQ(request.query.page_size, 10);
  EXPECT_EQ(request.query.language, "");
  EXPECT_EQ(request.query.stem_language, "ru-RU");
  EXPECT_FALSE(request.query.from);
  EXPECT_FALSE(request.form.HasAdvanced());
}

TEST(SearchParams, EmptyValuesAreAbsentAsAFormSendsThem) {
  const SearchRequest request = Read({{"q", "Syria"},
                                      {"all", ""},
                                      {"phrase", ""},
                                      {"any", ""},
                                      {"none", ""},
                                      {"from", ""},
                                      {"to", ""},
                                      {"person", ""},
                                      {"tag", ""},
                                      {"lang", ""},
                                      {"sort", "relevance"},
                                      {"per_page", "10"}});
  ASSERT_FALSE(request.problem) << request.problem->detail;
  EXPECT_FALSE(request.form.HasAdvanced());
  EXPECT_EQ(request.form.QueryString(), "q=Syria");
}

TEST(SearchParams, UnknownParameterNamesAreIgnored) {
  EXPECT_FALSE(Read({{"q", "Syria"}, {"utm_source", "\x01"}}).problem);
}

TEST(SearchParams, LangTakesASitePrefixOrTag) {
  EXPECT_EQ(Read({{"lang", "en"}}).query.language, "en");
  EXPECT_EQ(Read({{"lang", "ru-RU"}}).query.language, "ru");
}

struct BadCase {
  Params params;
  std::string field;
  std::string reason;
};

class SearchParamsRefuse : public ::testing::TestWithParam<BadCase> {};

TEST_P(SearchParamsRefuse, NamingTheParameter) {
  const BadCase& bad = GetParam();
  const SearchRequest request = Read(bad.params);
  ASSERT_TRUE(request.problem);
  EXPECT_EQ(request.problem->field, bad.field);
  EXPECT_EQ(request.problem->reason, bad.reason);
  if (!bad.field.empty()) {
    EXPECT_THAT(request.problem->detail, HasSubstr("'" + bad.field + "'"));
  }
}

INSTANTIATE_TEST_SUITE_P(
    BadInput, SearchParamsRefuse,
    ::testing::Values(
        BadCase{{{"from", "2013-02-30"}}, "from", "date"},
        BadCase{{{"from", "07.06.2013"}}, "from", "date"},
        BadCase{{{"to", "2013-6-7"}}, "to", "date"}, BadCase{{{"to", "2013-13-01"}}, "to", "date"},
        BadCase{{{"from", "2014-01-01"}, {"to", "2013-01-01"}}, "from", "order"},
        BadCase{{{"q", "Syria date:2013-02-30.."}}, "q", "date"},
        BadCase{{{"q", "date:yesterday"}}, "q", "date"}, BadCase{{{"q", "date:.."}}, "q", "date"},
        BadCase{{{"q", "date:2013-13"}}, "q", "date"},
        BadCase{{{"q", "date:2014.."}, {"to", "2013-12-31"}}, "q", "order"},
        BadCase{{{"kind", "poem"}}, "kind", "choice"}, BadCase{{{"lang", "fr"}}, "lang", "choice"},
        BadCase{{{"sort", "random"}}, "sort", "choice"},
        BadCase{{{"per_page", "7"}}, "per_page", "choice"},
        BadCase{{{"per_page", "010"}}, "per_page", "choice"},
        BadCase{{{"page", "0"}}, "page", "choice"}, BadCase{{{"page", "-1"}}, "page", "choice"},
        BadCase{{{"page", "1001"}}, "page", "choice"},
        BadCase{{{"page", "99999999999999999999"}}, "page", "choice"},
        BadCase{{{"q", "a"}, {"q", "b"}}, "q", "repeated"},
        BadCase{{{"q", "\"Foreign Minister"}}, "q", "quotes"},
        BadCase{{{"none", "a \"b"}}, "none", "quotes"},
        BadCase{{{"q", std::string(1001, 'a')}}, "q", "text"},
        BadCase{{{"q",
                  "a\x01"
                  "b"}},
                "q",
                "text"},
        BadCase{{{"q", "a\x7f"}}, "q", "text"},
        BadCase{{{"q", "\xC2\x85"}}, "q", "text"},          // C1 control (NEL)
        BadCase{{{"q", "\xFF\xFE"}}, "q", "text"},          // not UTF-8
        BadCase{{{"q", "\xC0\xAF"}}, "q", "text"},          // overlong '/'
        BadCase{{{"q", "\xED\xA0\x80"}}, "q", "text"},      // a surrogate
        BadCase{{{"person", "\xD0"}}, "person", "text"},    // truncated sequence
        BadCase{{{"kind", "speech\n"}}, "kind", "text"}));  // NOLINT

TEST(SearchParams, TooManyParametersAreRefused) {
  Params params(100, {"kind", "speech"});
  const SearchRequest request = Read(params);
  ASSERT_TRUE(request.problem);
  EXPECT_THAT(request.problem->detail, HasSubstr("too many"));
}

TEST(SearchParams, HostileTextIsNeverKeptForTheForm) {
  const SearchRequest request = Read({{"q", "\xFF<script>"}, {"person", "Lavrov"}});
  ASSERT_TRUE(request.problem);
  EXPECT_EQ(request.form.q, "");
  EXPECT_EQ(request.form.person, "Lavrov");
}

TEST(SearchParams, TheFormKeepsWhatWasTypedWhenADateIsBad) {
  const SearchRequest request = Read({{"q", "Syria"}, {"from", "yesterday"}});
  ASSERT_TRUE(request.problem);
  EXPECT_EQ(request.form.q, "Syria");
  EXPECT_EQ(request.form.from, "yesterday");
}

TEST(SearchParams, AcceptsEveryKindOfText) {
  EXPECT_EQ(SearchTextProblem("переговоры «Женева-2» — 😀 \"phrase\""), "");
  EXPECT_THAT(SearchTextProblem("\t"), HasSubstr("control"));
}

}  // namespace
}  // namespace assetpub::web
