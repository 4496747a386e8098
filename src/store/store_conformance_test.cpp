// One conformance suite for every Store backend (STYLE.md: never a copy per backend). A backend
// joins by adding a factory to kBackends (store/testing/conformance.h), which every suite runs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "content/asset.h"
#include "content/collation.h"
#include "content/language.h"
#include "content/slug.h"
#include "core/error.h"
#include "corpus/generator.h"
#include "corpus/word_lists.h"
#include "store/store.h"
#include "store/testing/conformance.h"

namespace assetpub::store {
namespace {

using content::Asset;
using content::Block;
using content::Instant;
using content::ParseIso8601;
using content::TurnRole;

class StoreConformance : public conformance::StoreTest {};

Asset MakeAsset(const std::string& title, const std::string& when) {
  Asset a;
  a.kind = content::Kind::kTranscript;
  a.published_at = ParseIso8601(when);
  a.modified_at = ParseIso8601(when);
  a.languages = {"en-GB", "ru-RU"};
  a.people = {"Sergey Lavrov", "Ekmeleddin Ihsanoglu"};
  a.tags = {"Syria", "OIC"};
  a.categories["region"] = {"Middle East", "North Africa"};
  a.categories["topic"] = {"Diplomacy"};
  content::Translation en;
  en.language = "en-GB";
  en.title = title;
  en.slug = "slug";
  en.place = "Moscow";
  en.summary = "Summary";
  en.source = "seed.txt";
  en.blocks = {Block::Paragraph("Dear Ladies and Gentlemen,"),
               Block::Turn(TurnRole::kQuestion, "Question", {"Why?"}, "translated from Norwegian"),
               Block::Turn(TurnRole::kAnswer, "Sergey Lavrov", {"Because.", "And more."})};
  a.translations["en-GB"] = en;
  return a;
}

TEST_P(StoreConformance, PutThenGetGivesTheSameAsset) {
  Asset a = MakeAsset("Speech", "2013-06-07T16:29:00+04:00");
  a.related = {{0, "Photo gallery"}};
  const int64_t id = PutOne(a);
  EXPECT_GT(id, 0);
  EXPECT_EQ(a.id, id);
  const auto back = store_->Get(id);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, a);
  EXPECT_FALSE(store_->Get(id + 100));
}

TEST_P(StoreConformance, GivenIdsAreKeptAndReplacedWhole) {
  Asset a = MakeAsset("First", "2013-06-07T16:29:00+04:00");
  a.id = 42;
  PutOne(a);
  a.tags = {"Only"};
  a.translations.erase("en-GB");
  content::Translation ru;
  ru.language = "ru-RU";
  ru.title = "Заголовок";
  ru.slug = "zagolovok";
  a.translations["ru-RU"] = ru;
  PutOne(a);
  const auto back = store_->Get(42);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, a);
}

TEST_P(StoreConformance, UncommittedTransactionLeavesNothing) {
  const int64_t before = store_->LastChange();
  {
    auto tx = store_->Begin();
    Asset a = MakeAsset("Never", "2013-06-07T16:29:00+04:00");
    tx->Put(a);
    EXPECT_TRUE(tx->Get(a.id));  // a transaction sees its own writes
  }
  EXPECT_EQ(store_->List({}).total, 0);
  EXPECT_EQ(store_->LastChange(), before);
}

TEST_P(StoreConformance, EveryWriteAppendsAChange) {
  Asset a = MakeAsset("One", "2013-06-07T16:29:00+04:00");
  Asset b = MakeAsset("Two", "2013-06-08T16:29:00+04:00");
  PutOne(a);
  PutOne(b);
  {
    auto tx = store_->Begin();
    tx->Delete(a.id);
    tx->Commit();
  }
  const auto changes = store_->ChangesSince(0, 100);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].asset_id, a.id);
  EXPECT_EQ(changes[0].op, "put");
  EXPECT_EQ(changes[2].op, "delete");
  EXPECT_LT(changes[0].seq, changes[1].seq);
  EXPECT_EQ(store_->LastChange(), changes[2].seq);
  EXPECT_EQ(store_->ChangesSince(changes[1].seq, 100).size(), 1u);
  EXPECT_FALSE(store_->Get(a.id));
}

TEST_P(StoreConformance, ListIsNewestFirstPagedAndFiltered) {
  std::vector<int64_t> ids;
  for (int day = 1; day <= 5; ++day) {
    Asset a = MakeAsset("Item " + std::to_string(day),
                        "2013-06-0" + std::to_string(day) + "T10:00:00+04:00");
    if (day == 3) a.status = content::Status::kDraft;
    if (day == 4) {
      a.translations["ru-RU"] = a.translations["en-GB"];
      a.translations["ru-RU"].language = "ru-RU";
    }
    ids.push_back(PutOne(a));
  }
  ListQuery query;
  query.limit = 2;
  auto page = store_->List(query);
  EXPECT_EQ(page.total, 4);  // the draft is not published
  ASSERT_EQ(page.assets.size(), 2u);
  EXPECT_EQ(page.assets[0].id, ids[4]);
  EXPECT_EQ(page.assets[1].id, ids[3]);
  query.offset = 2;
  page = store_->List(query);
  ASSERT_EQ(page.assets.size(), 2u);
  EXPECT_EQ(page.assets[0].id, ids[1]);
  EXPECT_EQ(page.assets[1].id, ids[0]);
  ListQuery russian;
  russian.language = "ru";
  page = store_->List(russian);
  ASSERT_EQ(page.total, 1);
  EXPECT_EQ(page.assets[0].id, ids[3]);
  russian.language = "ru-RU";
  EXPECT_EQ(store_->List(russian).total, 1);
  ListQuery all;
  all.status.reset();
  EXPECT_EQ(store_->List(all).total, 5);
  ListQuery bad;
  bad.limit = 0;
  EXPECT_THROW(store_->List(bad), Error);
}

TEST_P(StoreConformance, FindsByInstantAndTitle) {
  Asset a = MakeAsset("Speech of the Minister", "2013-06-07T16:29:00+04:00");
  Asset b = MakeAsset("Other", "2013-06-07T16:30:00+04:00");
  b.related = {{0, "Speech of the Minister"}, {0, "Not yet imported"}};
  PutOne(a);
  PutOne(b);
  auto tx = store_->Begin();
  const auto same = tx->FindByPublishedAt(ParseIso8601("2013-06-07T12:29:00Z"));
  ASSERT_EQ(same.size(), 1u);
  EXPECT_EQ(same[0].id, a.id);
  EXPECT_EQ(tx->FindIdByTitle("Speech of the Minister"), a.id);
  EXPECT_FALSE(tx->FindIdByTitle("Speech of the"));
  EXPECT_THAT(tx->FindUnmatchedRelated("Speech of the Minister"), ::testing::ElementsAre(b.id));
  EXPECT_TRUE(tx->FindUnmatchedRelated("Other").empty());
}

TEST_P(StoreConformance, RelatedIdsMustExistAndSurviveDeletionAsTitles) {
  Asset target = MakeAsset("Target", "2013-06-07T16:29:00+04:00");
  PutOne(target);
  Asset a = MakeAsset("Lists target", "2013-06-08T16:29:00+04:00");
  a.related = {{target.id, ""}};
  PutOne(a);
  Asset bad = MakeAsset("Lists nothing", "2013-06-09T16:29:00+04:00");
  bad.related = {{9999, ""}};
  {
    auto tx = store_->Begin();
    EXPECT_THROW(tx->Put(bad), Error);
  }
  {
    auto tx = store_->Begin();
    tx->Delete(target.id);
    tx->Commit();
  }
  const auto back = store_->Get(a.id);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->related.size(), 1u);
  EXPECT_EQ(back->related[0], (content::Related{0, "Target"}));
  auto tx = store_->Begin();
  EXPECT_THROW(tx->Delete(target.id), Error);
}

TEST_P(StoreConformance, HeadlinesPreferTheRequestedLanguage) {
  Asset a = MakeAsset("English title", "2013-06-07T16:29:00+04:00");
  content::Translation ru = a.translations["en-GB"];
  ru.language = "ru-RU";
  ru.title = "Русский заголовок";
  ru.slug = "russkiy";
  a.translations["ru-RU"] = ru;
  Asset b = MakeAsset("Only English", "2013-06-08T16:29:00+04:00");
  PutOne(a);
  PutOne(b);
  const auto headlines = store_->Headlines({b.id, a.id, 777}, "ru");
  ASSERT_EQ(headlines.size(), 2u);
  EXPECT_EQ(headlines[0].id, b.id);
  EXPECT_EQ(headlines[0].title, "Only English");
  EXPECT_EQ(headlines[1].title, "Русский заголовок");
  EXPECT_EQ(headlines[1].language, "ru-RU");
  EXPECT_EQ(headlines[1].slug, "russkiy");
}

TEST_P(StoreConformance, ForEachVisitsEveryAssetInIdOrder) {
  for (int i = 0; i < 1200; ++i) {
    Asset a = MakeAsset("Item", "2013-06-07T16:29:00+04:00");
    a.published_at.seconds += i;
    PutOne(a);
  }
  int64_t last = 0;
  int count = 0;
  store_->ForEach([&](const Asset& a) {
    EXPECT_GT(a.id, last);
    last = a.id;
    ++count;
  });
  EXPECT_EQ(count, 1200);
}

TEST_P(StoreConformance, ForEachWithoutBodiesKeepsEverythingElse) {
  std::vector<Asset> put;
  for (int i = 0; i < 600; ++i) {  // more than one of the backend's batches
    Asset a = MakeAsset("Item " + std::to_string(i), "2013-06-07T16:29:00+04:00");
    a.published_at.seconds += i;
    PutOne(a);
    a.translations["en-GB"].blocks.clear();
    put.push_back(a);
  }
  std::vector<Asset> seen;
  store_->ForEachWithoutBodies([&](const Asset& a) { seen.push_back(a); });
  ASSERT_EQ(seen.size(), put.size());
  for (size_t i = 0; i < put.size(); ++i) EXPECT_EQ(seen[i], put[i]) << i;
  // ForEach still brings the bodies.
  int with_blocks = 0;
  store_->ForEach(
      [&](const Asset& a) { with_blocks += !a.translations.at("en-GB").blocks.empty(); });
  EXPECT_EQ(with_blocks, 600);
}

TEST_P(StoreConformance, ReadersDoNotWaitForAWriter) {
  Asset a = MakeAsset("Visible", "2013-06-07T16:29:00+04:00");
  PutOne(a);
  auto tx = store_->Begin();
  Asset b = MakeAsset("Pending", "2013-06-08T16:29:00+04:00");
  tx->Put(b);
  // While the write transaction is open, another thread still reads the committed state.
  std::atomic<int64_t> seen{-1};
  std::thread reader([&] { seen = store_->List({}).total; });
  reader.join();
  EXPECT_EQ(seen, 1);
  tx->Commit();
  EXPECT_EQ(store_->List({}).total, 2);
}

TEST_P(StoreConformance, ReopeningKeepsTheData) {
  Asset a = MakeAsset("Durable", "2013-06-07T16:29:00+04:00");
  PutOne(a);
  store_.reset();
  store_ = Open(dir_);
  const auto back = store_->Get(a.id);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, a);
}

// ---------------------------------------------------------------------------------------------
// Select and the other list reads (publishers' pages, tags, people, sitemaps).

// A small published asset with one English translation titled `title`, `day` days into 2020.
Asset MakeListed(const std::string& title, int day) {
  Asset a;
  a.kind = content::Kind::kStatement;
  a.published_at = Instant{ParseIso8601("2020-01-01T12:00:00Z").seconds + int64_t{day} * 86400};
  a.languages = {"en-GB"};
  content::Translation en;
  en.language = "en-GB";
  en.title = title;
  en.slug = content::MakeSlug(title);
  en.summary = "About " + title;
  en.blocks = {Block::Paragraph("Body of " + title)};
  a.translations["en-GB"] = en;
  return a;
}

void AddTranslation(Asset& a, const std::string& language, const std::string& title) {
  content::Translation t;
  t.language = language;
  t.title = title;
  t.slug = content::MakeSlug(title);
  t.summary = "About " + title;
  t.blocks = {Block::Paragraph("Body of " + title)};
  a.translations[language] = t;
  a.languages.push_back(language);
}

std::vector<int64_t> Ids(const ListPage& page) {
  std::vector<int64_t> ids;
  for (const auto& a : page.assets) ids.push_back(a.id);
  return ids;
}

TermFilter Terms(std::vector<std::string> any, std::vector<std::string> all,
                 std::vector<std::string> none) {
  TermFilter filter;
  filter.any = std::move(any);
  filter.all = std::move(all);
  filter.none = std::move(none);
  return filter;
}

Selection English() {
  Selection s;
  s.language = "en";
  return s;
}

// The three term vocabularies a filter applies to, so one test body covers them all.
struct TermVocabulary {
  std::string name;
  std::function<void(Asset&, std::vector<std::string>)> set;
  std::function<TermFilter&(Selection&)> filter;
};

const TermVocabulary kTermVocabularies[] = {
    {"tags", [](Asset& a, std::vector<std::string> terms) { a.tags = std::move(terms); },
     [](Selection& s) -> TermFilter& { return s.tags; }},
    {"people", [](Asset& a, std::vector<std::string> terms) { a.people = std::move(terms); },
     [](Selection& s) -> TermFilter& { return s.people; }},
    {"categories",
     [](Asset& a, std::vector<std::string> terms) {
       a.categories["topic"] = std::move(terms);
       // A term of the filtered vocabulary in another one: the filters below must not see it.
       a.categories["region"] = {"y"};
     },
     [](Selection& s) -> TermFilter& { return s.categories["topic"]; }},
};

TEST_P(StoreConformance, SelectFiltersTermsByAnyAllAndNone) {
  for (const auto& vocabulary : kTermVocabularies) {
    SCOPED_TRACE(vocabulary.name);
    std::filesystem::create_directories(dir_ / vocabulary.name);
    store_ = Open(dir_ / vocabulary.name);
    Asset xy = MakeListed("xy", 1), x = MakeListed("x", 2), yz = MakeListed("yz", 3),
          none = MakeListed("none", 4);
    vocabulary.set(xy, {"x", "y"});
    vocabulary.set(x, {"x"});
    vocabulary.set(yz, {"y", "z"});
    vocabulary.set(none, {"w"});
    for (Asset* a : {&xy, &x, &yz, &none}) PutOne(*a);
    auto select = [&](TermFilter f) {
      Selection s = English();
      vocabulary.filter(s) = std::move(f);
      const ListPage page = store_->Select(s);
      EXPECT_EQ(page.total, static_cast<int64_t>(page.assets.size()));
      return Ids(page);
    };
    using ::testing::ElementsAre;
    EXPECT_THAT(select(Terms({"x", "z"}, {}, {})), ElementsAre(yz.id, x.id, xy.id));
    EXPECT_THAT(select(Terms({"q"}, {}, {})), ElementsAre());
    EXPECT_THAT(select(Terms({}, {"x", "y"}, {})), ElementsAre(xy.id));
    EXPECT_THAT(select(Terms({}, {"y"}, {})), ElementsAre(yz.id, xy.id));
    EXPECT_THAT(select(Terms({}, {}, {"y"})), ElementsAre(none.id, x.id));
    EXPECT_THAT(select(Terms({}, {}, {"x", "z"})), ElementsAre(none.id));
    EXPECT_THAT(select(Terms({"x", "y"}, {"y"}, {"z"})), ElementsAre(xy.id));
  }
}

TEST_P(StoreConformance, SelectFiltersByKindDateStatusAndLanguage) {
  Asset speech = MakeListed("Speech", 1);
  speech.kind = content::Kind::kSpeech;
  Asset interview = MakeListed("Interview", 2);
  interview.kind = content::Kind::kInterview;
  AddTranslation(interview, "ru-RU", "Интервью");
  Asset draft = MakeListed("Draft", 3);
  draft.status = content::Status::kDraft;
  Asset russian = MakeListed("unused", 4);
  russian.translations.clear();
  russian.languages.clear();
  AddTranslation(russian, "ru-RU", "Только по-русски");
  Asset two_english = MakeListed("British", 5);
  AddTranslation(two_english, "en-US", "American");
  for (Asset* a : {&speech, &interview, &draft, &russian, &two_english}) PutOne(*a);
  using ::testing::ElementsAre;

  Selection s = English();
  EXPECT_THAT(Ids(store_->Select(s)), ElementsAre(two_english.id, interview.id, speech.id));
  EXPECT_EQ(store_->Select(s).total, 3);  // two English translations count once
  s.kinds = {content::Kind::kSpeech, content::Kind::kInterview};
  EXPECT_THAT(Ids(store_->Select(s)), ElementsAre(interview.id, speech.id));
  s.kinds = {content::Kind::kSpeech};
  EXPECT_THAT(Ids(store_->Select(s)), ElementsAre(speech.id));

  s = English();
  s.from = interview.published_at;  // inclusive
  s.to = two_english.published_at;  // exclusive
  EXPECT_THAT(Ids(store_->Select(s)), ElementsAre(interview.id));

  s = English();
  s.status.reset();
  EXPECT_THAT(Ids(store_->Select(s)),
              ElementsAre(two_english.id, draft.id, interview.id, speech.id));
  s.status = content::Status::kDraft;
  EXPECT_THAT(Ids(store_->Select(s)), ElementsAre(draft.id));

  s = English();
  s.language = "ru";
  EXPECT_THAT(Ids(store_->Select(s)), ElementsAre(russian.id, interview.id));
  s.language = "ru-RU";
  EXPECT_THAT(Ids(store_->Select(s)), ElementsAre(russian.id, interview.id));
  s.language = "en-US";
  EXPECT_THAT(Ids(store_->Select(s)), ElementsAre(two_english.id));
  s.language = "fr";
  EXPECT_EQ(store_->Select(s).total, 0);

  EXPECT_EQ(store_->CountPublished("en"), 3);
  EXPECT_EQ(store_->CountPublished("en-GB"), 3);
  EXPECT_EQ(store_->CountPublished("en-US"), 1);
  EXPECT_EQ(store_->CountPublished("ru"), 2);
  EXPECT_EQ(store_->CountPublished("fr"), 0);
  EXPECT_EQ(store_->CountPublished(""), 4);  // no language: every published asset
}

TEST_P(StoreConformance, SelectOfManualIdsKeepsTheirOrderAndPages) {
  Asset a = MakeListed("A", 1), b = MakeListed("B", 2), c = MakeListed("C", 3),
        draft = MakeListed("Draft", 4), russian = MakeListed("unused", 5);
  draft.status = content::Status::kDraft;
  russian.translations.clear();
  AddTranslation(russian, "ru-RU", "Русский");
  for (Asset* x : {&a, &b, &c, &draft, &russian}) PutOne(*x);
  using ::testing::ElementsAre;
  Selection s = English();
  s.ids = std::vector<int64_t>{c.id, 999, draft.id, a.id, russian.id, b.id, a.id};
  s.tags.any = {"ignored: filters do not apply to a manual list"};
  s.order = {{SortKey::kTitle, false}};
  ListPage page = store_->Select(s);
  EXPECT_THAT(Ids(page), ElementsAre(c.id, a.id, b.id));
  EXPECT_EQ(page.total, 3);
  s.offset = 1;
  s.limit = 1;
  page = store_->Select(s);
  EXPECT_THAT(Ids(page), ElementsAre(a.id));
  EXPECT_EQ(page.total, 3);
  s.ids = std::vector<int64_t>{};
  EXPECT_EQ(store_->Select(s).total, 0);
}

TEST_P(StoreConformance, SelectSortsByEveryKeyBothWays) {
  // Published on days 1..4; other keys chosen so no order equals another by accident.
  Asset a = MakeListed("cherry", 1), b = MakeListed("apple", 2), c = MakeListed("Banana", 3),
        d = MakeListed("date", 4);
  a.kind = content::Kind::kDocument;
  b.kind = content::Kind::kTranscript;
  c.kind = content::Kind::kPressRelease;
  d.kind = content::Kind::kSpeech;
  a.priority = 5;
  b.priority = 1;
  c.priority = 5;  // ties with a: newest first, so c before a either way
  d.priority = 3;
  a.modified_at = Instant{d.published_at.seconds + 100};  // modified last
  c.modified_at = Instant{b.published_at.seconds - 10};   // before b's publication
  for (Asset* x : {&a, &b, &c, &d}) PutOne(*x);
  store_->AddViews({{b.id, 10}, {d.id, 3}, {a.id, 3}, {12345, 7}});
  using ::testing::ElementsAre;
  auto sorted = [&](SortKey key, bool descending) {
    Selection s = English();
    s.order = {{key, descending}};
    return Ids(store_->Select(s));
  };
  EXPECT_THAT(sorted(SortKey::kPublished, true), ElementsAre(d.id, c.id, b.id, a.id));
  EXPECT_THAT(sorted(SortKey::kPublished, false), ElementsAre(a.id, b.id, c.id, d.id));
  // modified: a (day 4 + 100 s), d (day 4, never modified), b (day 2), c (before day 2).
  EXPECT_THAT(sorted(SortKey::kModified, true), ElementsAre(a.id, d.id, b.id, c.id));
  EXPECT_THAT(sorted(SortKey::kModified, false), ElementsAre(c.id, b.id, d.id, a.id));
  EXPECT_THAT(sorted(SortKey::kTitle, false), ElementsAre(b.id, c.id, a.id, d.id));
  EXPECT_THAT(sorted(SortKey::kTitle, true), ElementsAre(d.id, a.id, c.id, b.id));
  EXPECT_THAT(sorted(SortKey::kPriority, true), ElementsAre(c.id, a.id, d.id, b.id));
  EXPECT_THAT(sorted(SortKey::kPriority, false), ElementsAre(b.id, d.id, c.id, a.id));
  // views: b 10, then a and d 3 each (ties: newest first), c 0.
  EXPECT_THAT(sorted(SortKey::kViews, true), ElementsAre(b.id, d.id, a.id, c.id));
  EXPECT_THAT(sorted(SortKey::kViews, false), ElementsAre(c.id, d.id, a.id, b.id));
  // AllKinds order: transcript, speech, …, press_release, …, document.
  EXPECT_THAT(sorted(SortKey::kKind, false), ElementsAre(b.id, d.id, c.id, a.id));
  EXPECT_THAT(sorted(SortKey::kKind, true), ElementsAre(a.id, c.id, d.id, b.id));

  Selection s = English();
  s.order = {{SortKey::kPriority, true}, {SortKey::kTitle, false}};
  EXPECT_THAT(Ids(store_->Select(s)), ElementsAre(c.id, a.id, d.id, b.id));
  s.order = {{SortKey::kPriority, false}, {SortKey::kPublished, false}};
  EXPECT_THAT(Ids(store_->Select(s)), ElementsAre(b.id, d.id, a.id, c.id));
}

TEST_P(StoreConformance, SelectSortsTitlesByTheLanguagesCollation) {
  const std::vector<std::string> titles = {"Яблоко", "ёж", "Zebra", "еда", "жук", "абрикос"};
  std::map<std::string, int64_t> ids;
  int day = 0;
  for (const auto& title : titles) {
    ++day;
    Asset a = MakeListed("English " + std::to_string(day), day);
    AddTranslation(a, "ru-RU", title);
    ids[title] = PutOne(a);
  }
  Selection s;
  s.language = "ru";
  s.order = {{SortKey::kTitle, false}};
  // Russian collation: ё sorts with е (after "еда"), Cyrillic before Latin, case ignored.
  EXPECT_THAT(Ids(store_->Select(s)),
              ::testing::ElementsAre(ids["абрикос"], ids["еда"], ids["ёж"], ids["жук"],
                                     ids["Яблоко"], ids["Zebra"]));
}

TEST_P(StoreConformance, SelectPagesAndCounts) {
  std::vector<int64_t> ids;
  for (int day = 1; day <= 7; ++day) {
    Asset a = MakeListed("Item", day);
    ids.push_back(PutOne(a));
  }
  Selection s = English();
  s.limit = 3;
  ListPage page = store_->Select(s);
  EXPECT_EQ(page.total, 7);
  EXPECT_THAT(Ids(page), ::testing::ElementsAre(ids[6], ids[5], ids[4]));
  s.offset = 6;
  page = store_->Select(s);
  EXPECT_THAT(Ids(page), ::testing::ElementsAre(ids[0]));
  EXPECT_EQ(page.total, 7);
  s.offset = 10;
  page = store_->Select(s);
  EXPECT_TRUE(page.assets.empty());
  EXPECT_EQ(page.total, 7);
  s.count_total = false;
  s.offset = 0;
  page = store_->Select(s);
  EXPECT_EQ(page.total, -1);
  EXPECT_EQ(page.assets.size(), 3u);

  Selection bad = English();
  bad.limit = 0;
  EXPECT_THROW(store_->Select(bad), Error);
  bad.limit = 1001;
  EXPECT_THROW(store_->Select(bad), Error);
  bad = English();
  bad.offset = -1;
  EXPECT_THROW(store_->Select(bad), Error);
  bad = English();
  bad.language.clear();
  try {
    store_->Select(bad);
    ADD_FAILURE() << "an empty language must be refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
  }
}

TEST_P(StoreConformance, SelectWithoutBodiesKeepsEverythingElse) {
  Asset a = MakeAsset("Speech", "2013-06-07T16:29:00+04:00");
  PutOne(a);
  Selection s = English();
  s.with_bodies = false;
  ListPage page = store_->Select(s);
  ASSERT_EQ(page.assets.size(), 1u);
  Asset expected = a;
  expected.translations["en-GB"].blocks.clear();
  EXPECT_EQ(page.assets[0], expected);
  s.with_bodies = true;
  EXPECT_EQ(store_->Select(s).assets.at(0), a);
}

TEST_P(StoreConformance, AddViewsIsNotAChange) {
  Asset a = MakeListed("Read", 1);
  PutOne(a);
  const int64_t last = store_->LastChange();
  store_->AddViews({{a.id, 2}, {a.id, 3}, {a.id + 100, 5}});
  store_->AddViews({});
  EXPECT_EQ(store_->LastChange(), last);
  EXPECT_EQ(store_->Get(a.id), a);  // views are not part of the asset
  // Views survive a Put of the asset (an edit does not reset "most read").
  Asset b = MakeListed("Other", 2);
  PutOne(b);
  store_->AddViews({{b.id, 1}});
  PutOne(a);
  Selection s = English();
  s.order = {{SortKey::kViews, true}};
  EXPECT_THAT(Ids(store_->Select(s)), ::testing::ElementsAre(a.id, b.id));
}

TEST_P(StoreConformance, ReferencedByListsReferrersInIdOrder) {
  Asset target = MakeListed("Target", 1);
  PutOne(target);
  Asset draft = MakeListed("Draft referrer", 2);
  draft.status = content::Status::kDraft;
  draft.related = {{target.id, ""}, {0, "Unmatched"}};
  Asset twice = MakeListed("Twice", 3);
  twice.related = {{target.id, ""}, {target.id, ""}};
  Asset unrelated = MakeListed("Unrelated", 4);
  unrelated.related = {{0, "Target"}};  // a title is not a reference
  for (Asset* a : {&twice, &draft, &unrelated}) PutOne(*a);
  EXPECT_THAT(store_->ReferencedBy(target.id), ::testing::ElementsAre(twice.id, draft.id));
  EXPECT_TRUE(store_->ReferencedBy(twice.id).empty());
  EXPECT_TRUE(store_->ReferencedBy(999).empty());
}

TEST_P(StoreConformance, NamesBySlugFindsPeopleAndTags) {
  Asset a = MakeListed("One", 1);
  a.people = {"Sergey Lavrov", "Сергей Лавров"};
  a.tags = {"Middle East", "middle-east", "OIC"};
  Asset b = MakeListed("Two", 2);
  b.people = {"Sergey  Lavrov!", "Sergey Lavrov"};
  b.status = content::Status::kDraft;
  PutOne(a);
  PutOne(b);
  using ::testing::ElementsAre;
  // The Russian spelling transliterates to the same slug: one URL lists both spellings. A
  // spelling only a draft carries is left out: it is not public yet.
  EXPECT_THAT(store_->NamesBySlug(Vocabulary::kPeople, "sergey-lavrov"),
              ElementsAre("Sergey Lavrov", "Сергей Лавров"));
  EXPECT_THAT(store_->NamesBySlug(Vocabulary::kTags, "middle-east"),
              ElementsAre("Middle East", "middle-east"));
  EXPECT_THAT(store_->NamesBySlug(Vocabulary::kTags, "oic"), ElementsAre("OIC"));
  EXPECT_TRUE(store_->NamesBySlug(Vocabulary::kTags, "sergey-lavrov").empty());
  EXPECT_TRUE(store_->NamesBySlug(Vocabulary::kPeople, "").empty());
}

// A person's page: the names of one slug, in two scripts, as one list term; each asset once,
// counted once, drafts left out, and an asset that drops the person leaves the list.
TEST_P(StoreConformance, APersonsPageListsEveryNameOfItsSlugOnce) {
  Asset both = MakeListed("Both names", 1);
  both.people = {"Sergey Lavrov", "Сергей Лавров", "Maria Zakharova"};
  Asset russian = MakeListed("Russian name only", 2);
  russian.people = {"Сергей Лавров"};
  Asset draft = MakeListed("A draft", 3);
  draft.people = {"Sergey  Lavrov!"};
  draft.status = content::Status::kDraft;
  Asset other = MakeListed("Someone else", 4);
  other.people = {"Maria Zakharova"};
  Asset later = MakeListed("Later", 5);
  later.people = {"Sergey Lavrov"};
  for (Asset* a : {&both, &russian, &draft, &other, &later}) PutOne(*a);
  Selection s;
  s.language = "en";
  s.people.any = store_->NamesBySlug(Vocabulary::kPeople, "sergey-lavrov");
  s.people.slug = "sergey-lavrov";
  ASSERT_EQ(s.people.any.size(), 2u);  // the draft's spelling is not public
  const ListPage page = store_->Select(s);
  EXPECT_THAT(Ids(page), ::testing::ElementsAre(later.id, russian.id, both.id));
  EXPECT_EQ(page.total, 3);
  // The same list from the names: the slug changes the query, not the answer.
  Selection by_names = s;
  by_names.people.slug.clear();
  EXPECT_EQ(Ids(store_->Select(by_names)), Ids(page));
  EXPECT_EQ(store_->Select(by_names).total, 3);
  s.offset = 1;
  s.limit = 1;
  EXPECT_THAT(Ids(store_->Select(s)), ::testing::ElementsAre(russian.id));
  // Put again without the person: out of the list, and out of its count.
  both.people = {"Maria Zakharova"};
  PutOne(both);
  s.offset = 0;
  s.limit = 20;
  EXPECT_THAT(Ids(store_->Select(s)), ::testing::ElementsAre(later.id, russian.id));
  EXPECT_EQ(store_->Select(s).total, 2);
}

TEST_P(StoreConformance, PublishedUrlsPageByIdWithSlugsByLanguage) {
  std::vector<int64_t> published;
  for (int i = 1; i <= 5; ++i) {
    Asset a = MakeListed("Item " + std::to_string(i), i);
    AddTranslation(a, "de-DE", "Artikel " + std::to_string(i));
    AddTranslation(a, "ru-RU", "Статья " + std::to_string(i));
    if (i == 3) a.status = content::Status::kDraft;
    if (i == 4) a.modified_at = Instant{a.published_at.seconds + 60};
    const int64_t id = PutOne(a);
    if (i != 3) published.push_back(id);
  }
  auto first = store_->PublishedUrls(0, 2);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].id, published[0]);
  EXPECT_EQ(first[1].id, published[1]);
  EXPECT_EQ(first[0].published_at, MakeListed("", 1).published_at);
  EXPECT_FALSE(first[0].modified_at);
  using Pair = std::pair<std::string, std::string>;
  EXPECT_THAT(first[0].translations,
              ::testing::ElementsAre(Pair{"de-DE", "artikel-1"}, Pair{"en-GB", "item-1"},
                                     Pair{"ru-RU", content::MakeSlug("Статья 1")}));
  auto rest = store_->PublishedUrls(first.back().id, 10);
  ASSERT_EQ(rest.size(), 2u);  // the draft is left out
  EXPECT_EQ(rest[0].id, published[2]);
  ASSERT_TRUE(rest[0].modified_at);
  EXPECT_EQ(rest[0].modified_at->seconds, MakeListed("", 4).published_at.seconds + 60);
  EXPECT_TRUE(store_->PublishedUrls(rest.back().id, 10).empty());
  EXPECT_TRUE(store_->PublishedUrls(0, 0).empty());
}

TEST_P(StoreConformance, PutKeepsListColumnsInStep) {
  // A re-Put that changes status, date and titles is what the next Select sees.
  Asset a = MakeListed("zzz", 1), b = MakeListed("mmm", 2);
  PutOne(a);
  PutOne(b);
  a.translations["en-GB"].title = "aaa";
  a.published_at = Instant{b.published_at.seconds + 1};
  PutOne(a);
  Selection s = English();
  EXPECT_THAT(Ids(store_->Select(s)), ::testing::ElementsAre(a.id, b.id));
  s.order = {{SortKey::kTitle, false}};
  EXPECT_THAT(Ids(store_->Select(s)), ::testing::ElementsAre(a.id, b.id));
  // Totals follow a change of kind, status or languages.
  Selection statements = English();
  statements.kinds = {content::Kind::kStatement};
  EXPECT_EQ(store_->Select(statements).total, 2);
  a.kind = content::Kind::kSpeech;
  PutOne(a);
  EXPECT_EQ(store_->Select(statements).total, 1);
  AddTranslation(a, "en-US", "aaa (US)");
  PutOne(a);
  EXPECT_EQ(store_->Select(English()).total, 2);
  EXPECT_EQ(store_->CountPublished("en-US"), 1);
  a.status = content::Status::kArchived;
  PutOne(a);
  EXPECT_THAT(Ids(store_->Select(s)), ::testing::ElementsAre(b.id));
  EXPECT_EQ(store_->CountPublished("en-US"), 0);
  EXPECT_EQ(store_->CountPublished("en"), 1);
  {
    auto tx = store_->Begin();
    tx->Delete(b.id);
    tx->Commit();
  }
  EXPECT_EQ(store_->Select(s).total, 0);
  EXPECT_EQ(store_->CountPublished("en"), 0);
}

// ---------------------------------------------------------------------------------------------
// Select against an independent computation: a generated corpus, varied further (statuses,
// priorities, modification dates, missing and extra translations, views), random selections,
// and the same selections answered in the test by filtering and sorting every asset.

struct ReferenceRow {
  const Asset* asset;
  const content::Translation* translation;  // the one Selection::language picks
  int64_t views;
};

// The translation `language` picks, as Selection documents it.
const content::Translation* PickTranslation(const Asset& a, const std::string& language) {
  for (const auto& [tag, t] : a.translations) {
    if (language.find('-') != std::string::npos ? tag == language
                                                : content::PrimarySubtag(tag) == language) {
      return &t;
    }
  }
  return nullptr;
}

bool Matches(const std::vector<std::string>& carried, const TermFilter& f) {
  auto has = [&](const std::string& term) {
    return std::find(carried.begin(), carried.end(), term) != carried.end();
  };
  if (!f.any.empty() && std::none_of(f.any.begin(), f.any.end(), has)) return false;
  if (!std::all_of(f.all.begin(), f.all.end(), has)) return false;
  return std::none_of(f.none.begin(), f.none.end(), has);
}

ListPage Reference(const std::vector<Asset>& assets, const std::map<int64_t, int64_t>& views,
                   const Selection& s) {
  auto row_of = [&](const Asset& a) -> std::optional<ReferenceRow> {
    if (s.status && a.status != *s.status) return std::nullopt;
    const content::Translation* t = PickTranslation(a, s.language);
    if (t == nullptr) return std::nullopt;
    const auto v = views.find(a.id);
    return ReferenceRow{&a, t, v == views.end() ? 0 : v->second};
  };
  std::vector<ReferenceRow> rows;
  if (s.ids) {
    std::set<int64_t> seen;
    for (int64_t id : *s.ids) {
      if (!seen.insert(id).second) continue;
      for (const auto& a : assets) {
        if (a.id != id) continue;
        if (auto row = row_of(a)) rows.push_back(*row);
      }
    }
  } else {
    for (const auto& a : assets) {
      auto row = row_of(a);
      if (!row) continue;
      if (!s.kinds.empty() && std::find(s.kinds.begin(), s.kinds.end(), a.kind) == s.kinds.end()) {
        continue;
      }
      if (!Matches(a.tags, s.tags) || !Matches(a.people, s.people)) continue;
      bool categories = true;
      for (const auto& [vocabulary, filter] : s.categories) {
        const auto it = a.categories.find(vocabulary);
        categories =
            categories &&
            Matches(it == a.categories.end() ? std::vector<std::string>{} : it->second, filter);
      }
      if (!categories) continue;
      if (s.from && a.published_at < *s.from) continue;
      if (s.to && !(a.published_at < *s.to)) continue;
      rows.push_back(*row);
    }
    const auto& kinds = content::AllKinds();
    auto kind_ordinal = [&](content::Kind k) {
      return std::find(kinds.begin(), kinds.end(), k) - kinds.begin();
    };
    // -1, 0, 1 for one key, ascending.
    auto compare = [&](SortKey key, const ReferenceRow& x, const ReferenceRow& y) -> int {
      auto three_way = [](const auto& p, const auto& q) { return p < q ? -1 : q < p ? 1 : 0; };
      const Asset& a = *x.asset;
      const Asset& b = *y.asset;
      switch (key) {
        case SortKey::kPublished:
          return three_way(a.published_at, b.published_at);
        case SortKey::kModified:
          return three_way(a.modified_at.value_or(a.published_at),
                           b.modified_at.value_or(b.published_at));
        case SortKey::kTitle:
          return three_way(content::CollationKey(x.translation->language, x.translation->title),
                           content::CollationKey(y.translation->language, y.translation->title));
        case SortKey::kPriority:
          return three_way(a.priority, b.priority);
        case SortKey::kViews:
          return three_way(x.views, y.views);
        case SortKey::kKind:
          return three_way(kind_ordinal(a.kind), kind_ordinal(b.kind));
      }
      return 0;
    };
    std::sort(rows.begin(), rows.end(), [&](const ReferenceRow& x, const ReferenceRow& y) {
      for (const SortOrder& order : s.order) {
        const int c = compare(order.key, x, y);
        if (c != 0) return order.descending ? c > 0 : c < 0;
      }
      if (x.asset->published_at != y.asset->published_at) {
        return x.asset->published_at > y.asset->published_at;
      }
      return x.asset->id > y.asset->id;
    });
  }
  ListPage page;
  page.total = static_cast<int64_t>(rows.size());
  for (size_t i = static_cast<size_t>(s.offset);
       i < rows.size() && i < static_cast<size_t>(s.offset + s.limit); ++i) {
    page.assets.push_back(*rows[i].asset);
  }
  return page;
}

TEST_P(StoreConformance, SelectAgreesWithAnIndependentComputationOnACorpus) {
  constexpr int kCount = 300;
  const corpus::WordLists words = corpus::LoadWordLists();
  corpus::Generator generator(words, kCount, 7);
  std::mt19937_64 random(42);
  auto below = [&](uint64_t n) { return static_cast<int64_t>(random() % n); };
  std::map<int64_t, int64_t> views;
  {
    auto tx = store_->Begin();
    for (int i = 0; i < kCount; ++i) {
      Asset a = generator.Next();
      const int64_t dice = below(100);
      if (dice < 10) a.status = content::Status::kDraft;
      if (dice >= 10 && dice < 15) a.status = content::Status::kArchived;
      a.priority = static_cast<int>(below(4));
      if (below(3) == 0) a.modified_at = Instant{a.published_at.seconds + below(400) * 86400};
      if (below(8) == 0) {
        a.translations.erase("ru-RU");  // English only
      } else if (below(8) == 0) {
        a.translations.erase("en-GB");  // Russian only
      }
      if (below(10) == 0) {
        content::Translation us = a.translations.begin()->second;
        us.language = "en-US";
        us.title = "US " + us.title;
        a.translations["en-US"] = us;
      }
      if (below(20) == 0) a.published_at = Instant{1'500'000'000};  // ties on the date
      tx->Put(a);
      if (below(2) == 0) views[a.id] = 1 + below(5);
    }
    tx->Commit();
  }
  std::vector<std::pair<int64_t, int64_t>> added(views.begin(), views.end());
  store_->AddViews(added);
  std::vector<Asset> assets;
  store_->ForEach([&](const Asset& a) { assets.push_back(a); });
  ASSERT_EQ(assets.size(), static_cast<size_t>(kCount));

  // The terms to draw filters from: what the corpus carries, plus one it does not.
  std::set<std::string> tag_set = {"no such tag"}, people_set, topic_set, region_set;
  for (const auto& a : assets) {
    tag_set.insert(a.tags.begin(), a.tags.end());
    people_set.insert(a.people.begin(), a.people.end());
    for (const auto& [vocabulary, terms] : a.categories) {
      (vocabulary == "topic" ? topic_set : region_set).insert(terms.begin(), terms.end());
    }
  }
  const std::vector<std::string> tags(tag_set.begin(), tag_set.end()),
      people(people_set.begin(), people_set.end()), topics(topic_set.begin(), topic_set.end()),
      regions(region_set.begin(), region_set.end());
  auto draw = [&](const std::vector<std::string>& from, int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) out.push_back(from[static_cast<size_t>(below(from.size()))]);
    return out;
  };
  auto filter = [&](const std::vector<std::string>& from) {
    TermFilter f;
    if (below(3) == 0) f.any = draw(from, 1 + static_cast<int>(below(3)));
    if (below(6) == 0) f.all = draw(from, 1);
    if (below(4) == 0) f.none = draw(from, 1 + static_cast<int>(below(2)));
    return f;
  };
  const std::vector<std::string> languages = {"en", "ru", "en-GB", "ru-RU", "en-US"};
  const int64_t first = assets.front().published_at.seconds;
  const int64_t span = assets.back().published_at.seconds - first + 1;

  int with_matches = 0;  // so the comparison is not of empty pages only
  for (int round = 0; round < 150; ++round) {
    Selection s;
    s.language = languages[static_cast<size_t>(below(languages.size()))];
    const int64_t status = below(10);
    if (status == 0) s.status.reset();
    if (status == 1) s.status = content::Status::kDraft;
    if (below(10) == 0) {
      s.ids = std::vector<int64_t>{};
      for (int i = 0; i < 12; ++i) s.ids->push_back(1 + below(kCount + 5));
    }
    if (below(4) == 0) {
      for (int i = 0; i <= below(3); ++i) {
        s.kinds.push_back(content::AllKinds()[static_cast<size_t>(below(10))]);
      }
    }
    if (below(3) == 0) s.tags = filter(tags);
    if (below(4) == 0) s.people = filter(people);
    if (below(5) == 0) s.categories["topic"] = filter(topics);
    if (below(6) == 0) s.categories["region"] = filter(regions);
    if (below(4) == 0) s.from = Instant{first + below(span)};
    if (below(4) == 0) s.to = Instant{first + below(span)};
    for (int i = 0; i < below(3); ++i) {
      s.order.push_back({static_cast<SortKey>(below(6)), below(2) == 0});
    }
    s.offset = below(4) == 0 ? below(60) : 0;
    s.limit = 1 + below(40);
    s.with_bodies = below(2) == 0;
    const ListPage expected = Reference(assets, views, s);
    const ListPage got = store_->Select(s);
    SCOPED_TRACE(::testing::Message()
                 << "round " << round << ": language " << s.language << ", " << s.order.size()
                 << " sort keys, offset " << s.offset << ", limit " << s.limit);
    EXPECT_EQ(got.total, expected.total);
    EXPECT_EQ(Ids(got), Ids(expected));
    if (expected.assets.size() > 1) ++with_matches;
  }
  EXPECT_GT(with_matches, 60);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::ValuesIn(conformance::kBackends),
                         conformance::BackendName);

}  // namespace
}  // namespace assetpub::store
