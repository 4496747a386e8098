#include "publish/publisher.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unicode/coll.h>
#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "content/instant.h"
#include "content/slug.h"
#include "core/error.h"
#include "corpus/generator.h"
#include "corpus/word_lists.h"
#include "support/temp_dir.h"

namespace assetpub::publish {
namespace {

using content::Instant;
using content::Kind;
using content::ParseIso8601;
using store::SortKey;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Writes `text` as DIR/config.toml and loads its publishers.
class PublisherConfig : public ::testing::Test {
 protected:
  Publishers LoadText(const std::string& text) {
    std::ofstream(path_) << text;
    return Publishers::Load(path_, config_);
  }
  // The message Load gives for `text`, which must be refused with kInvalidInput.
  std::string ErrorFor(const std::string& text) {
    try {
      LoadText(text);
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::kInvalidInput);
      return error.what();
    }
    ADD_FAILURE() << "accepted:\n" << text;
    return {};
  }

  testing::TempDir dir_{"assetpub-publish-"};
  std::filesystem::path path_ = dir_.path() / "config.toml";
  Config config_;
};

TEST_F(PublisherConfig, EverySettingIsRead) {
  const Publishers publishers = LoadText(R"(site_name = "x"
[[publishers]]
id = "syria"
title = { en = "Syria", ru = "Сирия" }
path = "syria-news"
languages = ["ru"]
kinds = ["statement", "press_release"]
tags = { any = ["Syria", "Middle East"], all = ["UN"], none = ["Sport"] }
people = { any = ["Sergey Lavrov"], none = ["Maria Zakharova"] }
categories = { topic = { any = ["Security"] }, region = { all = ["Europe"], none = ["Asia"] } }
from = 2013-01-01
to = 2014-01-01T12:00:00+03:00
order = ["priority desc", "title"]
grouping = "by_kind"
paging = "simple"
page_size = 50
display = "table"
abstract_length = 120
show = ["people", "tags"]
feeds = false
)");
  ASSERT_EQ(publishers.all().size(), 1u);
  const Publisher& p = publishers.all()[0];
  EXPECT_EQ(p.id, "syria");
  EXPECT_EQ(p.titles, (std::map<std::string, std::string>{{"en-GB", "Syria"}, {"ru-RU", "Сирия"}}));
  EXPECT_EQ(p.path, "syria-news");
  EXPECT_THAT(p.languages, ElementsAre("ru-RU"));
  EXPECT_THAT(p.kinds, ElementsAre(Kind::kStatement, Kind::kPressRelease));
  EXPECT_EQ(p.tags, (store::TermFilter{{"Syria", "Middle East"}, {"UN"}, {"Sport"}}));
  EXPECT_EQ(p.people, (store::TermFilter{{"Sergey Lavrov"}, {}, {"Maria Zakharova"}}));
  EXPECT_EQ(p.categories,
            (std::map<std::string, store::TermFilter>{{"topic", {{"Security"}, {}, {}}},
                                                      {"region", {{}, {"Europe"}, {"Asia"}}}}));
  // A bare date is midnight in the site's zone (Moscow was UTC+4 in 2013).
  EXPECT_EQ(p.window.from, ParseIso8601("2013-01-01T00:00:00+04:00"));
  EXPECT_EQ(p.window.to, ParseIso8601("2014-01-01T09:00:00Z"));
  EXPECT_FALSE(p.window.last_days);
  EXPECT_FALSE(p.manual_ids);
  EXPECT_THAT(p.order, ElementsAre(store::SortOrder{SortKey::kPriority, true},
                                   store::SortOrder{SortKey::kTitle, false}));
  EXPECT_EQ(p.grouping, Grouping::kKind);
  EXPECT_EQ(p.paging, Paging::kSimple);
  EXPECT_EQ(p.page_size, 50);
  EXPECT_EQ(p.display, Display::kTable);
  EXPECT_EQ(p.abstract_length, 120);
  EXPECT_EQ(p.metadata, (Metadata{false, false, false, true, true}));
  EXPECT_FALSE(p.feeds);
}

TEST_F(PublisherConfig, OmittedSettingsTakeTheirDefaults) {
  config_.page_size = 35;
  const Publisher p = LoadText(R"(
[[publishers]]
id = "all"
title = "Everything"
)")
                          .all()[0];
  EXPECT_EQ(p.path, "all");  // the id
  EXPECT_EQ(p.titles, (std::map<std::string, std::string>{{"en-GB", "Everything"}}));
  EXPECT_TRUE(p.languages.empty());
  EXPECT_TRUE(p.kinds.empty());
  EXPECT_TRUE(p.tags.empty() && p.people.empty() && p.categories.empty());
  EXPECT_EQ(p.window, DateWindow{});
  EXPECT_THAT(p.order, ElementsAre(store::SortOrder{SortKey::kPublished, true}));
  EXPECT_EQ(p.grouping, Grouping::kNone);
  EXPECT_EQ(p.paging, Paging::kNumbered);
  EXPECT_EQ(p.page_size, 35);  // the site's
  EXPECT_EQ(p.display, Display::kAbstracts);
  EXPECT_EQ(p.abstract_length, 300);
  EXPECT_EQ(p.metadata, Metadata{});
  EXPECT_TRUE(p.feeds);
}

TEST_F(PublisherConfig, ManualIdsLastDaysAndDateStringsAreRead) {
  const Publishers publishers = LoadText(R"(
[[publishers]]
id = "picked"
title = { en-GB = "Picked" }
ids = [12, 7, 30]
[[publishers]]
id = "recent"
title = { en = "Recent" }
last_days = 30
[[publishers]]
id = "strings"
title = { en = "Strings" }
from = "2013-06-07"
to = "2013-06-08T10:00:00"
)");
  EXPECT_EQ(publishers.FindById("picked")->manual_ids, (std::vector<int64_t>{12, 7, 30}));
  EXPECT_EQ(publishers.FindById("recent")->window.last_days, 30);
  const Publisher& strings = *publishers.FindById("strings");
  EXPECT_EQ(strings.window.from, ParseIso8601("2013-06-07T00:00:00+04:00"));
  EXPECT_EQ(strings.window.to, ParseIso8601("2013-06-08T10:00:00+04:00"));
}

TEST_F(PublisherConfig, OrderDirectionsDefaultPerKey) {
  const Publishers publishers = LoadText(R"(
[[publishers]]
id = "a"
title = "A"
order = ["views", "kind"]
[[publishers]]
id = "b"
title = "B"
order = ["title desc", "modified asc"]
)");
  EXPECT_THAT(publishers.all()[0].order, ElementsAre(store::SortOrder{SortKey::kViews, true},
                                                     store::SortOrder{SortKey::kKind, false}));
  EXPECT_THAT(publishers.all()[1].order, ElementsAre(store::SortOrder{SortKey::kTitle, true},
                                                     store::SortOrder{SortKey::kModified, false}));
}

TEST_F(PublisherConfig, TitlesFallBackToTheDefaultLanguage) {
  config_.languages = {"en-GB", "ru-RU", "fr-FR"};
  const Publisher p = LoadText(R"(
[[publishers]]
id = "a"
title = { en = "Interviews", ru = "Интервью" }
languages = ["en", "ru-RU"]
)")
                          .all()[0];
  EXPECT_EQ(p.Title("ru", "en"), "Интервью");
  EXPECT_EQ(p.Title("ru-RU", "en-GB"), "Интервью");
  EXPECT_EQ(p.Title("fr", "en"), "Interviews");
  EXPECT_TRUE(p.HasLanguage("en"));
  EXPECT_TRUE(p.HasLanguage("ru-RU"));
  EXPECT_FALSE(p.HasLanguage("fr"));
}

TEST_F(PublisherConfig, AFullTagTitleBeatsItsPrimarySubtag) {
  config_.languages = {"en-GB", "en-US"};
  const Publisher p = LoadText(R"(
[[publishers]]
id = "a"
title = { en-US = "Favorites", en = "Favourites" }
)")
                          .all()[0];
  EXPECT_EQ(p.titles,
            (std::map<std::string, std::string>{{"en-GB", "Favourites"}, {"en-US", "Favorites"}}));
}

TEST_F(PublisherConfig, AFileWithoutPublishersGivesTheDefaults) {
  EXPECT_EQ(LoadText("site_name = \"x\"\n").all(), Publishers::Defaults(config_).all());
  EXPECT_EQ(Publishers::Load({}, config_).all(), Publishers::Defaults(config_).all());
}

TEST_F(PublisherConfig, DefaultTextLoadsAsTheDefaults) {
  const Publishers loaded = LoadText(Publishers::DefaultText());
  const Publishers defaults = Publishers::Defaults(config_);
  EXPECT_EQ(loaded.all(), defaults.all());
  std::vector<std::string> ids;
  for (const auto& p : defaults.all()) ids.push_back(p.id);
  EXPECT_THAT(ids, ElementsAre("home", "transcripts", "interviews", "statements", "minister"));
  EXPECT_EQ(defaults.Home().id, "home");
  EXPECT_TRUE(defaults.Home().kinds.empty());
  EXPECT_EQ(defaults.Home().display, Display::kAbstracts);
  EXPECT_EQ(defaults.Home().paging, Paging::kNumbered);
  EXPECT_THAT(defaults.FindByPath("transcripts")->kinds,
              ElementsAre(Kind::kTranscript, Kind::kSpeech));
  EXPECT_THAT(defaults.FindById("minister")->people.any, ElementsAre("Sergey Lavrov"));
  EXPECT_EQ(defaults.FindById("minister")->path, "minister");
  EXPECT_EQ(defaults.FindById("interviews")->Title("ru", "en"), "Интервью");
}

TEST_F(PublisherConfig, DefaultsSuitASiteInOtherLanguages) {
  config_.languages = {"fr-FR"};
  const Publishers defaults = Publishers::Defaults(config_);
  EXPECT_EQ(defaults.all().size(), 5u);
  EXPECT_EQ(defaults.Home().Title("fr", "fr"), "Latest");
}

TEST_F(PublisherConfig, WithoutAHomeTheDefaultHomeServes) {
  const Publishers publishers = LoadText(R"(
[[publishers]]
id = "news"
title = "News"
)");
  EXPECT_EQ(publishers.all().size(), 1u);
  EXPECT_EQ(publishers.Home(), *Publishers::Defaults(config_).FindById("home"));
  EXPECT_EQ(publishers.FindByPath(""), &publishers.Home());
  EXPECT_EQ(publishers.FindByPath("news"), publishers.FindById("news"));
  EXPECT_EQ(publishers.FindByPath("nothing"), nullptr);
  EXPECT_EQ(publishers.FindById("home"), nullptr);
}

// Each bad setting stops start-up naming the file, the line, the publisher and the setting.
struct BadCase {
  std::string name;
  std::string settings;  // lines of the second publisher, which starts at line 5
  std::string message;   // after "config.toml:"
};

class BadPublisher : public PublisherConfig, public ::testing::WithParamInterface<BadCase> {};

TEST_P(BadPublisher, IsRefusedWithFileLinePublisherAndSetting) {
  const std::string text =
      "[[publishers]]\nid = \"home\"\ntitle = \"Home\"\npath = \"\"\n"
      "[[publishers]]\n" +
      GetParam().settings;
  EXPECT_THAT(ErrorFor(text), HasSubstr("config.toml:" + GetParam().message)) << text;
}

const BadCase kBadCases[] = {
    {"UnknownSetting", "id = \"x\"\ntitle = \"X\"\ncolour = \"red\"\n",
     "8: publisher 'x': colour: unknown setting"},
    {"MissingId", "title = \"X\"\n", "5: publisher #2: id: required"},
    {"BadId", "id = \"Big News\"\ntitle = \"X\"\n", "6: publisher #2: id: 'Big News' must be"},
    {"IdNotAString", "id = 7\ntitle = \"X\"\n", "6: publisher #2: id: must be a string"},
    {"DuplicateId", "id = \"home\"\ntitle = \"X\"\npath = \"x\"\n",
     "6: publisher 'home': id: 'home' is already the id of the publisher at line 2"},
    {"DuplicatePath", "id = \"x\"\ntitle = \"X\"\npath = \"\"\n",
     "8: publisher 'x': path: '' is already the path of publisher 'home'"},
    {"MissingTitle", "id = \"x\"\n", "5: publisher 'x': title: required"},
    {"TitleInAnotherLanguage", "id = \"x\"\ntitle = { en = \"X\", de = \"Y\" }\n",
     "7: publisher 'x': title.de: 'de' is not one of the site's languages (en-GB, ru-RU)"},
    {"TitleWrongType", "id = \"x\"\ntitle = 3\n", "7: publisher 'x': title: must be a string"},
    {"ReservedPath", "id = \"x\"\ntitle = \"X\"\npath = \"search\"\n",
     "8: publisher 'x': path: 'search' is reserved"},
    {"ReservedFeedPath", "id = \"x\"\ntitle = \"X\"\npath = \"feed.rss\"\n",
     "8: publisher 'x': path: 'feed.rss' is reserved"},
    {"PathWithASlash", "id = \"x\"\ntitle = \"X\"\npath = \"a/b\"\n",
     "8: publisher 'x': path: 'a/b' must be one URL segment"},
    {"ReservedIdAsPath", "id = \"tags\"\ntitle = \"X\"\n",
     "6: publisher 'tags': path: 'tags' is reserved"},
    {"LanguageNotOfTheSite", "id = \"x\"\ntitle = \"X\"\nlanguages = [\"en\", \"fr\"]\n",
     "8: publisher 'x': languages: 'fr' is not one of the site's languages"},
    {"UnknownKind", "id = \"x\"\ntitle = \"X\"\nkinds = [\"speech\", \"poem\"]\n",
     "8: publisher 'x': kinds: unknown kind 'poem' (transcript, speech,"},
    {"KindsNotAnArray", "id = \"x\"\ntitle = \"X\"\nkinds = \"speech\"\n",
     "8: publisher 'x': kinds: must be an array"},
    {"TermFilterUnknownKey", "id = \"x\"\ntitle = \"X\"\ntags = { some = [\"a\"] }\n",
     "8: publisher 'x': tags.some: unknown setting (any, all or none)"},
    {"TermFilterNotATable", "id = \"x\"\ntitle = \"X\"\npeople = [\"Sergey Lavrov\"]\n",
     "8: publisher 'x': people: must be a table"},
    {"TermNotAString", "id = \"x\"\ntitle = \"X\"\npeople = { any = [1] }\n",
     "8: publisher 'x': people.any: must be a string"},
    {"UnknownVocabulary",
     "id = \"x\"\ntitle = \"X\"\ncategories = { colour = { any = [\"red\"] } }\n",
     "8: publisher 'x': categories: unknown vocabulary 'colour'"},
    {"UnknownSortKey", "id = \"x\"\ntitle = \"X\"\norder = [\"length desc\"]\n",
     "8: publisher 'x': order: unknown key 'length'"},
    {"BadSortDirection", "id = \"x\"\ntitle = \"X\"\norder = [\"title up\"]\n",
     "8: publisher 'x': order: 'title up': the direction must be asc or desc"},
    {"ThreeSortKeys", "id = \"x\"\ntitle = \"X\"\norder = [\"title\", \"views\", \"priority\"]\n",
     "8: publisher 'x': order: must name one or two keys"},
    {"SortKeyTwice", "id = \"x\"\ntitle = \"X\"\norder = [\"title\", \"title desc\"]\n",
     "8: publisher 'x': order: 'title' is ordered by twice"},
    {"UnknownGrouping", "id = \"x\"\ntitle = \"X\"\ngrouping = \"by_week\"\n",
     "8: publisher 'x': grouping: unknown grouping 'by_week'"},
    {"GroupingByYearNeedsPublishedFirst",
     "id = \"x\"\ntitle = \"X\"\norder = [\"title asc\", \"published desc\"]\n"
     "grouping = \"by_year\"\n",
     "9: publisher 'x': grouping: by_year needs 'published' as the first order key, not 'title'"},
    {"UnknownPaging", "id = \"x\"\ntitle = \"X\"\npaging = \"infinite\"\n",
     "8: publisher 'x': paging: unknown paging 'infinite'"},
    {"PageSizeTooBig", "id = \"x\"\ntitle = \"X\"\npage_size = 500\n",
     "8: publisher 'x': page_size: must be from 1 to 200, not 500"},
    {"PageSizeZero", "id = \"x\"\ntitle = \"X\"\npage_size = 0\n",
     "8: publisher 'x': page_size: must be from 1 to 200, not 0"},
    {"PageSizeNotAnInteger", "id = \"x\"\ntitle = \"X\"\npage_size = \"20\"\n",
     "8: publisher 'x': page_size: must be an integer"},
    {"UnknownDisplay", "id = \"x\"\ntitle = \"X\"\ndisplay = \"cards\"\n",
     "8: publisher 'x': display: unknown display 'cards'"},
    {"AbstractTooShort", "id = \"x\"\ntitle = \"X\"\nabstract_length = 5\n",
     "8: publisher 'x': abstract_length: must be from 20 to 5000"},
    {"UnknownMetadata", "id = \"x\"\ntitle = \"X\"\nshow = [\"date\", \"mood\"]\n",
     "8: publisher 'x': show: unknown 'mood'"},
    {"FeedsNotABoolean", "id = \"x\"\ntitle = \"X\"\nfeeds = \"yes\"\n",
     "8: publisher 'x': feeds: must be true or false"},
    {"ManualIdsWithFilters", "id = \"x\"\ntitle = \"X\"\nids = [1, 2]\nkinds = [\"speech\"]\n",
     "9: publisher 'x': kinds: a manual list (ids) cannot also select by filters"},
    {"ManualIdsWithOrder", "id = \"x\"\ntitle = \"X\"\nids = [1, 2]\norder = [\"title\"]\n",
     "9: publisher 'x': order: a manual list (ids) keeps the order of its ids"},
    {"ManualIdsGrouped", "id = \"x\"\ntitle = \"X\"\nids = [1, 2]\ngrouping = \"by_kind\"\n",
     "9: publisher 'x': grouping: a manual list (ids) cannot be grouped"},
    {"ManualIdsEmpty", "id = \"x\"\ntitle = \"X\"\nids = []\n",
     "8: publisher 'x': ids: must list 1 to 1000 asset ids"},
    {"ManualIdNotPositive", "id = \"x\"\ntitle = \"X\"\nids = [3, 0]\n",
     "8: publisher 'x': ids: must be from 1 to"},
    {"LastDaysWithFrom", "id = \"x\"\ntitle = \"X\"\nlast_days = 30\nfrom = 2013-01-01\n",
     "8: publisher 'x': last_days: cannot be combined with from or to"},
    {"LastDaysZero", "id = \"x\"\ntitle = \"X\"\nlast_days = 0\n",
     "8: publisher 'x': last_days: must be from 1 to 36500"},
    {"ToNotAfterFrom", "id = \"x\"\ntitle = \"X\"\nfrom = 2014-01-01\nto = 2013-01-01\n",
     "9: publisher 'x': to: must be later than from"},
    {"DateNotADate", "id = \"x\"\ntitle = \"X\"\nfrom = \"last tuesday\"\n",
     "8: publisher 'x': from: 'last tuesday' is not a date"},
    {"DateImpossible", "id = \"x\"\ntitle = \"X\"\nto = \"2013-02-30\"\n",
     "8: publisher 'x': to: '2013-02-30' is not a date"},
    {"DateWrongType", "id = \"x\"\ntitle = \"X\"\nfrom = 2013\n",
     "8: publisher 'x': from: must be a date"},
};

INSTANTIATE_TEST_SUITE_P(Settings, BadPublisher, ::testing::ValuesIn(kBadCases),
                         [](const auto& info) { return info.param.name; });

TEST_F(PublisherConfig, PublishersMustBeAnArrayOfTables) {
  EXPECT_THAT(ErrorFor("publishers = 3\n"),
              HasSubstr("config.toml:1: publishers: must be [[publishers]] tables"));
}

TEST_F(PublisherConfig, ATomlSyntaxErrorNamesTheLine) {
  EXPECT_THAT(ErrorFor("[[publishers]]\nid = \"x\nx\n"), HasSubstr("config.toml:2:"));
}

TEST(Names, RoundTrip) {
  for (auto g : {Grouping::kNone, Grouping::kYear, Grouping::kMonth, Grouping::kKind}) {
    EXPECT_EQ(ParseGrouping(GroupingName(g)), g);
  }
  for (auto p : {Paging::kNumbered, Paging::kSimple, Paging::kNone}) {
    EXPECT_EQ(ParsePaging(PagingName(p)), p);
  }
  for (auto d : {Display::kAbstracts, Display::kTitles, Display::kFull, Display::kTable}) {
    EXPECT_EQ(ParseDisplay(DisplayName(d)), d);
  }
  for (auto k : {SortKey::kPublished, SortKey::kModified, SortKey::kTitle, SortKey::kPriority,
                 SortKey::kViews, SortKey::kKind}) {
    EXPECT_EQ(ParseSortKey(SortKeyName(k)), k);
  }
  EXPECT_EQ(GroupingName(Grouping::kYear), "by_year");
  EXPECT_EQ(ParsePaging("endless"), std::nullopt);
}

TEST(Abstract, ShortTextIsUnchanged) {
  EXPECT_EQ(Abstract("The Minister met his counterpart.", 300),
            "The Minister met his counterpart.");
  EXPECT_EQ(Abstract("Exactly ten", 11), "Exactly ten");
  EXPECT_EQ(Abstract("", 10), "");
}

TEST(Abstract, CutsOnAWordBoundaryWithAnEllipsis) {
  EXPECT_EQ(Abstract("The Minister met his counterpart in Moscow.", 20), "The Minister met his…");
  EXPECT_EQ(Abstract("The Minister met his counterpart in Moscow.", 18), "The Minister met…");
  // Punctuation left dangling at the cut goes.
  EXPECT_EQ(Abstract("Moscow, Paris, Berlin and Rome", 15), "Moscow, Paris…");
}

TEST(Abstract, CountsCharactersNotBytesInCyrillic) {
  // 21 characters but 39 bytes: a byte count would cut it.
  EXPECT_EQ(Abstract("Министр провёл беседу", 21), "Министр провёл беседу");
  EXPECT_EQ(Abstract("Министр провёл беседу с коллегой", 25), "Министр провёл беседу с…");
  EXPECT_EQ(Abstract("Министр провёл беседу с коллегой", 18), "Министр провёл…");
}

TEST(Abstract, ALongFirstWordIsCutInsideButNeverInsideACharacter) {
  EXPECT_EQ(Abstract("Достопримечательности", 5), "Досто…");
  EXPECT_EQ(Abstract("Supercalifragilistic word", 5), "Super…");
}

// SelectionFor maps a publisher's settings onto the store's selection.
TEST(SelectionFor, MapsFiltersOrderAndPaging) {
  Publisher p;
  p.id = "x";
  p.kinds = {Kind::kSpeech};
  p.tags = {{"Syria"}, {}, {}};
  p.people = {{}, {"Sergey Lavrov"}, {}};
  p.categories = {{"topic", {{}, {}, {"Sport"}}}};
  p.window.from = Instant{100};
  p.window.to = Instant{200};
  p.order = {{SortKey::kTitle, false}};
  p.page_size = 15;
  const store::Selection s = p.SelectionFor("ru", 3, Instant{1'000'000});
  EXPECT_EQ(s.status, content::Status::kPublished);
  EXPECT_EQ(s.language, "ru");
  EXPECT_FALSE(s.ids);
  EXPECT_THAT(s.kinds, ElementsAre(Kind::kSpeech));
  EXPECT_EQ(s.tags, p.tags);
  EXPECT_EQ(s.people, p.people);
  EXPECT_EQ(s.categories, p.categories);
  EXPECT_EQ(s.from, Instant{100});
  EXPECT_EQ(s.to, Instant{200});
  EXPECT_THAT(s.order, ElementsAre(store::SortOrder{SortKey::kTitle, false}));
  EXPECT_EQ(s.offset, 30);
  EXPECT_EQ(s.limit, 15);
  EXPECT_FALSE(s.with_bodies);
  EXPECT_TRUE(s.count_total);
}

TEST(SelectionFor, LastDaysCountsBackFromNow) {
  Publisher p;
  p.window.last_days = 2;
  const store::Selection s = p.SelectionFor("en", 1, Instant{1'000'000});
  EXPECT_EQ(s.from, Instant{1'000'000 - 2 * 86400});
  EXPECT_EQ(s.to, std::nullopt);
  EXPECT_EQ(s.offset, 0);
}

TEST(SelectionFor, GroupingByKindPutsKindFirst) {
  Publisher p;
  p.grouping = Grouping::kKind;
  p.order = {{SortKey::kPriority, true}, {SortKey::kPublished, false}};
  EXPECT_THAT(p.SelectionFor("en", 1, {}).order,
              ElementsAre(store::SortOrder{SortKey::kKind, false},
                          store::SortOrder{SortKey::kPriority, true},
                          store::SortOrder{SortKey::kPublished, false}));
  p.order = {{SortKey::kKind, true}};
  EXPECT_THAT(p.SelectionFor("en", 1, {}).order,
              ElementsAre(store::SortOrder{SortKey::kKind, true}));
}

TEST(SelectionFor, ManualIdsIgnoreFilters) {
  Publisher p;
  p.manual_ids = std::vector<int64_t>{12, 7, 30};
  const store::Selection s = p.SelectionFor("en", 1, {});
  EXPECT_EQ(s.ids, p.manual_ids);
  EXPECT_TRUE(s.order.empty());
}

TEST(SelectionFor, BodiesOnlyForFullAndCountsOnlyForNumberedPaging) {
  Publisher p;
  p.display = Display::kFull;
  p.paging = Paging::kSimple;
  store::Selection s = p.SelectionFor("en", 1, {});
  EXPECT_TRUE(s.with_bodies);
  EXPECT_FALSE(s.count_total);
  p.display = Display::kTitles;
  p.paging = Paging::kNone;
  s = p.SelectionFor("en", 1, {});
  EXPECT_FALSE(s.with_bodies);
  EXPECT_FALSE(s.count_total);
}

TEST(ImplicitPublishers, ListAPersonOrATagNewestFirst) {
  Config config;
  config.page_size = 12;
  const Publishers publishers = Publishers::Defaults(config);
  const Publisher person =
      publishers.ForPerson({"Sergey Lavrov", "Sergei Lavrov"}, "sergey-lavrov");
  EXPECT_EQ(person.path, "people/sergey-lavrov");
  EXPECT_THAT(person.people.any, ElementsAre("Sergey Lavrov", "Sergei Lavrov"));
  EXPECT_TRUE(person.tags.empty());
  EXPECT_EQ(person.Title("ru", "en"), "Sergey Lavrov");
  EXPECT_EQ(person.Title("en", "en"), "Sergey Lavrov");
  EXPECT_THAT(person.order, ElementsAre(store::SortOrder{SortKey::kPublished, true}));
  EXPECT_EQ(person.display, Display::kAbstracts);
  EXPECT_EQ(person.paging, Paging::kNumbered);
  EXPECT_EQ(person.page_size, 12);
  const Publisher tag = publishers.ForTag({"Syria"}, "syria");
  EXPECT_EQ(tag.path, "tags/syria");
  EXPECT_THAT(tag.tags.any, ElementsAre("Syria"));
  EXPECT_TRUE(tag.people.empty());
  try {
    publishers.ForTag({}, "nothing");
    ADD_FAILURE() << "no names accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
  }
}

// ---------------------------------------------------------------------------------------------
// Against a real store: every page of several publishers, compared with the same list computed
// here from every asset (Store::ForEach) with std:: algorithms.

class PublisherStore : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir("assetpub-publish-");
    store_ = store::OpenStore("sqlite:" + (dir_->path() / "assetpub.db").string()).release();
    const corpus::WordLists words = corpus::LoadWordLists();
    corpus::Generator generator(words, 320, 11);
    std::vector<std::pair<int64_t, int64_t>> views;
    auto tx = store_->Begin();
    for (int i = 0; i < 320; ++i) {
      content::Asset asset = generator.Next();
      // Vary what the generator keeps equal, so each filter and key has something to do.
      asset.priority = i % 7;
      if (i % 11 == 0) asset.status = content::Status::kDraft;
      if (i % 13 == 0) asset.translations.erase("ru-RU");
      if (i % 5 == 0) asset.modified_at = Instant{asset.published_at.seconds + (i % 40) * 86400};
      // Equal instants make the tie-breaks (published, then id) matter.
      if (i % 17 == 1) asset.published_at = Instant{1'400'000'000};
      const int64_t id = tx->Put(asset);
      if (i % 3 == 0) {
        views.emplace_back(id, i % 23);
        (*views_)[id] = i % 23;
      }
    }
    tx->Commit();
    tx.reset();  // a transaction is the writer until it goes
    store_->AddViews(views);
    store_->ForEach([](const content::Asset& asset) { all_->push_back(asset); });
  }
  static void TearDownTestSuite() {
    delete store_;
    delete dir_;
    all_->clear();
    views_->clear();
  }

  // Publishers from config text (the real way they are made).
  Publishers Load(const std::string& text) {
    testing::TempDir dir("assetpub-publish-config-");
    std::ofstream(dir.path() / "config.toml") << text;
    return Publishers::Load(dir.path() / "config.toml", Config{});
  }

  // The whole list, computed here.
  static std::vector<const content::Asset*> Expected(const Publisher& p,
                                                     const std::string& language, Instant now) {
    auto has = [](const std::vector<std::string>& terms, const std::string& term) {
      return std::find(terms.begin(), terms.end(), term) != terms.end();
    };
    auto passes = [&](const store::TermFilter& f, const std::vector<std::string>& terms) {
      return (f.any.empty() ||
              std::any_of(f.any.begin(), f.any.end(), [&](auto& t) { return has(terms, t); })) &&
             std::all_of(f.all.begin(), f.all.end(), [&](auto& t) { return has(terms, t); }) &&
             std::none_of(f.none.begin(), f.none.end(), [&](auto& t) { return has(terms, t); });
    };
    auto visible = [&](const content::Asset& a) {
      return a.status == content::Status::kPublished && a.FindTranslation(language) != nullptr;
    };
    std::vector<const content::Asset*> out;
    if (p.manual_ids) {
      for (int64_t id : *p.manual_ids) {
        for (const auto& a : *all_) {
          if (a.id == id && visible(a)) out.push_back(&a);
        }
      }
      return out;
    }
    std::optional<Instant> from = p.window.from;
    if (p.window.last_days) from = Instant{now.seconds - *p.window.last_days * 86400};
    for (const auto& a : *all_) {
      if (!visible(a)) continue;
      if (!p.kinds.empty() && std::find(p.kinds.begin(), p.kinds.end(), a.kind) == p.kinds.end()) {
        continue;
      }
      if (!passes(p.tags, a.tags) || !passes(p.people, a.people)) continue;
      bool categories = true;
      for (const auto& [vocabulary, filter] : p.categories) {
        const auto found = a.categories.find(vocabulary);
        categories =
            categories && passes(filter, found == a.categories.end() ? std::vector<std::string>{}
                                                                     : found->second);
      }
      if (!categories) continue;
      if (from && a.published_at < *from) continue;
      if (p.window.to && a.published_at >= *p.window.to) continue;
      out.push_back(&a);
    }
    std::vector<store::SortOrder> order = p.order;
    if (p.grouping == Grouping::kKind && order.front().key != SortKey::kKind) {
      order.insert(order.begin(), {SortKey::kKind, false});
    }
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Collator> collator(
        icu::Collator::createInstance(icu::Locale::forLanguageTag(language, status), status));
    auto kind_rank = [](Kind kind) {
      const auto& kinds = content::AllKinds();
      return std::find(kinds.begin(), kinds.end(), kind) - kinds.begin();
    };
    auto compare = [&](const content::Asset* a, const content::Asset* b) -> int {
      auto three_way = [](auto x, auto y) { return x < y ? -1 : y < x ? 1 : 0; };
      for (const auto& key : order) {
        int c = 0;
        switch (key.key) {
          case SortKey::kPublished:
            c = three_way(a->published_at, b->published_at);
            break;
          case SortKey::kModified:
            c = three_way(a->modified_at.value_or(a->published_at),
                          b->modified_at.value_or(b->published_at));
            break;
          case SortKey::kTitle: {
            UErrorCode s = U_ZERO_ERROR;
            c = collator->compareUTF8(a->FindTranslation(language)->title,
                                      b->FindTranslation(language)->title, s);
            break;
          }
          case SortKey::kPriority:
            c = three_way(a->priority, b->priority);
            break;
          case SortKey::kViews:
            c = three_way(Views(a->id), Views(b->id));
            break;
          case SortKey::kKind:
            c = three_way(kind_rank(a->kind), kind_rank(b->kind));
            break;
        }
        if (c != 0) return key.descending ? -c : c;
      }
      if (a->published_at != b->published_at) return a->published_at > b->published_at ? -1 : 1;
      return a->id > b->id ? -1 : 1;
    };
    std::sort(out.begin(), out.end(), [&](auto* a, auto* b) { return compare(a, b) < 0; });
    return out;
  }

  // Group keys computed with ICU's calendar in the asset's zone.
  static std::string ExpectedKey(const content::Asset& a, Grouping grouping) {
    if (grouping == Grouping::kKind) return std::string(content::KindName(a.kind));
    UErrorCode status = U_ZERO_ERROR;
    icu::GregorianCalendar calendar(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(a.time_zone)), status);
    calendar.setTime(static_cast<UDate>(a.published_at.seconds) * 1000.0, status);
    const int year = calendar.get(UCAL_YEAR, status);
    if (grouping == Grouping::kYear) return std::to_string(year);
    return fmt::format("{}-{:02}", year, calendar.get(UCAL_MONTH, status) + 1);
  }

  static int64_t Views(int64_t id) {
    const auto found = views_->find(id);
    return found == views_->end() ? 0 : found->second;
  }

  // Runs every page of `p` in `language` and checks items, groups and paging.
  void CheckEveryPage(const Publisher& p, const std::string& language, Instant now) {
    SCOPED_TRACE(p.id + " in " + language);
    const auto expected = Expected(p, language, now);
    const int64_t size = p.page_size;
    const int64_t pages =
        p.paging == Paging::kNone
            ? 1
            : std::max<int64_t>(1, (static_cast<int64_t>(expected.size()) + size - 1) / size);
    for (int64_t page = 1; page <= pages; ++page) {
      SCOPED_TRACE(fmt::format("page {}", page));
      const PublisherPage got = RunPublisher(p, *store_, language, page, now);
      const size_t begin = static_cast<size_t>((page - 1) * size);
      const size_t end = std::min(expected.size(), begin + static_cast<size_t>(size));
      std::vector<int64_t> want_ids;
      for (size_t i = begin; i < end; ++i) want_ids.push_back(expected[i]->id);
      std::vector<int64_t> got_ids;
      for (const auto& a : got.list.assets) got_ids.push_back(a.id);
      ASSERT_EQ(got_ids, want_ids);
      EXPECT_EQ(got.page, page);
      EXPECT_EQ(got.pages, p.paging == Paging::kSimple ? -1 : pages);
      EXPECT_EQ(got.has_next, p.paging != Paging::kNone && page < pages);
      // Groups: runs of equal keys, in order, covering every item once.
      std::vector<std::pair<std::string, std::vector<size_t>>> want_groups;
      if (p.grouping == Grouping::kNone) want_groups.emplace_back("", std::vector<size_t>{});
      for (size_t i = begin; i < end; ++i) {
        const std::string key =
            p.grouping == Grouping::kNone ? "" : ExpectedKey(*expected[i], p.grouping);
        if (want_groups.empty() || want_groups.back().first != key) {
          want_groups.emplace_back(key, std::vector<size_t>{});
        }
        want_groups.back().second.push_back(i - begin);
      }
      std::vector<std::pair<std::string, std::vector<size_t>>> got_groups;
      for (const auto& g : got.groups) got_groups.emplace_back(g.key, g.items);
      EXPECT_EQ(got_groups, want_groups);
      for (const auto& a : got.list.assets) {
        EXPECT_EQ(a.translations.begin()->second.blocks.empty(), p.display != Display::kFull);
      }
    }
    try {
      RunPublisher(p, *store_, language, pages + 1, now);
      ADD_FAILURE() << "page " << pages + 1 << " exists";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::kNotFound);
    }
  }

  // The most common value of a vocabulary in the corpus, and one less common.
  static std::vector<std::string> Frequent(
      const std::function<std::vector<std::string>(const content::Asset&)>& terms) {
    std::map<std::string, int> counts;
    for (const auto& a : *all_) {
      for (const auto& t : terms(a)) ++counts[t];
    }
    std::vector<std::pair<int, std::string>> sorted;
    for (const auto& [t, n] : counts) sorted.emplace_back(-n, t);
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::string> out;
    for (const auto& [n, t] : sorted) out.push_back(t);
    return out;
  }

  static Instant Latest() {
    Instant latest;
    for (const auto& a : *all_) latest = std::max(latest, a.published_at);
    return latest;
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline store::Store* store_ = nullptr;
  static inline std::vector<content::Asset>* all_ = new std::vector<content::Asset>;
  static inline std::map<int64_t, int64_t>* views_ = new std::map<int64_t, int64_t>;
};

TEST_F(PublisherStore, TheCorpusHasWhatTheChecksNeed) {
  ASSERT_EQ(all_->size(), 320u);
  EXPECT_GT(Frequent([](const content::Asset& a) { return a.people; }).size(), 3u);
  EXPECT_GT(Frequent([](const content::Asset& a) { return a.tags; }).size(), 3u);
}

TEST_F(PublisherStore, DefaultsPageEveryList) {
  const Publishers defaults = Publishers::Defaults(Config{});
  for (const auto& p : defaults.all()) {
    CheckEveryPage(p, "en", Latest());
    CheckEveryPage(p, "ru", Latest());
  }
}

TEST_F(PublisherStore, FiltersOrdersGroupsAndPagesAsComputedHere) {
  // gen-corpus lists each person in English and again in Russian: the English names only, so
  // that the two picked are two people, not one person's two names.
  const auto people = Frequent([](const content::Asset& a) {
    std::vector<std::string> english;
    for (const auto& name : a.people) {
      if (name.find_first_of("\xD0\xD1") == std::string::npos) english.push_back(name);
    }
    return english;
  });
  const auto tags = Frequent([](const content::Asset& a) { return a.tags; });
  const auto topics = Frequent([](const content::Asset& a) {
    const auto found = a.categories.find("topic");
    return found == a.categories.end() ? std::vector<std::string>{} : found->second;
  });
  const Publishers publishers = Load(fmt::format(
      R"(
[[publishers]]
id = "by-year"
title = "Transcripts by year"
kinds = ["transcript", "speech"]
order = ["published asc"]
grouping = "by_year"
page_size = 30

[[publishers]]
id = "person"
title = "A person"
people = {{ any = ["{0}"] }}
tags = {{ none = ["{1}"] }}
order = ["priority desc", "published desc"]
paging = "simple"
page_size = 17

[[publishers]]
id = "topics"
title = "Topics"
categories = {{ topic = {{ any = ["{2}", "{3}"] }} }}
last_days = 2500
grouping = "by_month"
page_size = 10

[[publishers]]
id = "kinds"
title = "By kind and title"
order = ["title asc"]
grouping = "by_kind"
page_size = 40
display = "titles"

[[publishers]]
id = "most-read"
title = "Most read"
order = ["views desc", "modified desc"]
paging = "none"
page_size = 15

[[publishers]]
id = "window"
title = "2010 to mid-2015"
from = 2010-01-01
to = "2015-06-01"
tags = {{ any = ["{1}", "{4}"], all = ["{4}"] }}
order = ["modified desc"]
display = "full"
page_size = 3

[[publishers]]
id = "by-title-desc"
title = "Titles"
people = {{ all = ["{0}"], none = ["{5}"] }}
order = ["title desc"]
grouping = "none"
paging = "simple"
page_size = 40
)",
      people[0], tags[0], topics[0], topics[1], tags[1], people[1]));
  for (const auto& p : publishers.all()) {
    for (const char* language : {"en", "ru"}) {
      CheckEveryPage(p, language, Latest());
      EXPECT_GT(Expected(p, language, Latest()).size(), 0u) << p.id << " selects nothing";
    }
  }
}

TEST_F(PublisherStore, ManualIdsKeepTheirOrderAndDropWhatIsNotShown) {
  // Ids 1 (i = 0) is a draft, 14 (i = 13) has no Russian, 9999 does not exist.
  const Publisher p = Load(R"(
[[publishers]]
id = "picked"
title = "Picked"
ids = [30, 1, 7, 14, 9999, 3, 2]
page_size = 3
)")
                          .all()[0];
  CheckEveryPage(p, "en", Latest());
  CheckEveryPage(p, "ru", Latest());
  std::vector<int64_t> en;
  for (int64_t page = 1; page <= 2; ++page) {
    for (const auto& a : RunPublisher(p, *store_, "en", page, Latest()).list.assets) {
      en.push_back(a.id);
    }
  }
  EXPECT_THAT(en, ElementsAre(30, 7, 14, 3, 2));
}

TEST_F(PublisherStore, PageOneOfAnEmptyListExistsAndPageTwoDoesNot) {
  for (const char* paging : {"numbered", "simple", "none"}) {
    const Publisher p = Load(fmt::format(R"(
[[publishers]]
id = "empty"
title = "Empty"
people = {{ any = ["Nobody At All"] }}
paging = "{}"
)",
                                         paging))
                            .all()[0];
    const PublisherPage page = RunPublisher(p, *store_, "en", 1, Latest());
    EXPECT_TRUE(page.list.assets.empty());
    EXPECT_FALSE(page.has_next);
    ASSERT_EQ(page.groups.size(), 1u);
    EXPECT_TRUE(page.groups[0].items.empty());
    EXPECT_THROW(RunPublisher(p, *store_, "en", 2, Latest()), Error) << paging;
    EXPECT_THROW(RunPublisher(p, *store_, "en", 0, Latest()), Error) << paging;
  }
}

TEST_F(PublisherStore, ALanguageTheListLacksIsNotFound) {
  const Publisher p = Load(R"(
[[publishers]]
id = "ru-only"
title = "Only Russian"
languages = ["ru"]
)")
                          .all()[0];
  EXPECT_EQ(RunPublisher(p, *store_, "ru", 1, Latest()).page, 1);
  try {
    RunPublisher(p, *store_, "en", 1, Latest());
    ADD_FAILURE() << "English served";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
  }
}

TEST_F(PublisherStore, ImplicitPersonAndTagListsSelectTheirNames) {
  const Publishers defaults = Publishers::Defaults(Config{});
  const auto people = Frequent([](const content::Asset& a) { return a.people; });
  const auto tags = Frequent([](const content::Asset& a) { return a.tags; });
  // A person's page is by slug, with every name of that slug (as the site asks the store).
  const std::string slug = content::MakeSlug(people[2]);
  CheckEveryPage(defaults.ForPerson(store_->NamesBySlug(store::Vocabulary::kPeople, slug), slug),
                 "en", Latest());
  CheckEveryPage(defaults.ForTag({tags[2], tags[3]}, "something"), "ru", Latest());
}

}  // namespace
}  // namespace assetpub::publish
