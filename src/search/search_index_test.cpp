// SearchIndex over a real SQLite store: the sample content (imported as users import it) with a
// table of queries and their exact hits (tests/testdata/search/sample_queries.tsv), and a small
// bilingual corpus built here for what the sample cannot show (filters, dates, sorts, facets,
// escaping), then the index's life: catch-up, crash, rebuild, locks and concurrent readers.

#include "search/search_index.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>
#include <xapian.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "core/error.h"
#include "importers/importer.h"
#include "search/document.h"
#include "search/index_coverage.h"
#include "support/temp_dir.h"

namespace assetpub::search {
namespace {

namespace fs = std::filesystem;
using content::Asset;
using content::Block;
using content::Kind;
using content::TurnRole;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

// A hit as the query table writes it: tag[#anchor[@speaker]].
std::string Describe(const Hit& hit) {
  std::string text = hit.language;
  if (!hit.anchor.empty()) text += "#" + hit.anchor;
  if (!hit.speaker.empty()) text += "@" + hit.speaker;
  return text;
}

// A hit of the hand-made corpus: id/tag[#anchor[@speaker]].
std::string DescribeWithId(const Hit& hit) {
  return std::to_string(hit.asset_id) + "/" + Describe(hit);
}

std::vector<std::string> Ids(const Results& results) {
  std::vector<std::string> ids;
  for (const Hit& hit : results.hits)
    ids.push_back(std::to_string(hit.asset_id) + "/" + hit.language);
  return ids;
}

std::vector<std::string> Facet(const Results& results, const std::string& name) {
  std::vector<std::string> values;
  auto it = results.facets.find(name);
  if (it == results.facets.end()) return values;
  for (const FacetValue& value : it->second) {
    values.push_back(value.value + "=" + std::to_string(value.count));
  }
  return values;
}

Query Text(const std::string& text, const std::string& language = "") {
  Query query;
  query.text = text;
  query.language = language;
  return query;
}

// ---------------------------------------------------------------------------------------------
// The sample content and its query table.

struct TableRow {
  int line = 0;
  std::string language;
  std::string text;
  std::vector<std::string> hits;
};

std::vector<TableRow> ReadTable(const fs::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::vector<TableRow> rows;
  int line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string> columns;
    std::stringstream stream(line);
    for (std::string column; std::getline(stream, column, '\t');) columns.push_back(column);
    EXPECT_EQ(columns.size(), 3u) << path << ":" << line_number;
    if (columns.size() != 3) continue;
    TableRow row{line_number, columns[0] == "-" ? "" : columns[0], columns[1], {}};
    if (columns[2] != "-") {
      std::stringstream hits(columns[2]);
      for (std::string hit; std::getline(hits, hit, ';');) row.hits.push_back(hit);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

class SampleContentTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_ = new assetpub::testing::TempDir("assetpub-search-sample-");
    store_ = store::OpenStore("sqlite:" + (temp_->path() / "store.db").string()).release();
    const Config config;
    importers::Importer importer(*store_, config);
    for (const importers::FileResult& result :
         importer.ImportPaths({fs::path(ASSETPUB_SOURCE_DIR) / "sample-content"})) {
      ASSERT_EQ(result.outcome, importers::Outcome::kImported) << result.message;
    }
    index_ = new SearchIndex(temp_->path() / "index");
    index_->CatchUp(*store_);
  }
  static void TearDownTestSuite() {
    delete index_;
    delete store_;
    delete temp_;
  }

  static assetpub::testing::TempDir* temp_;
  static store::Store* store_;
  static SearchIndex* index_;
};
assetpub::testing::TempDir* SampleContentTest::temp_ = nullptr;
store::Store* SampleContentTest::store_ = nullptr;
SearchIndex* SampleContentTest::index_ = nullptr;

TEST_F(SampleContentTest, QueryTableGivesExactHits) {
  const std::vector<TableRow> rows =
      ReadTable(fs::path(ASSETPUB_SOURCE_DIR) / "tests/testdata/search/sample_queries.tsv");
  ASSERT_GE(rows.size(), 20u);
  for (const TableRow& row : rows) {
    const Results results = index_->Search(Text(row.text, row.language));
    std::vector<std::string> hits;
    for (const Hit& hit : results.hits) hits.push_back(Describe(hit));
    EXPECT_EQ(hits, row.hits) << "sample_queries.tsv:" << row.line << ": " << row.text;
    EXPECT_EQ(results.total, static_cast<int64_t>(row.hits.size())) << row.text;
  }
}

TEST_F(SampleContentTest, HitCarriesWhatTheResultPageShows) {
  const Results results = index_->Search(Text("hypocritical", "en"));
  ASSERT_EQ(results.hits.size(), 1u);
  const Hit& hit = results.hits[0];
  EXPECT_EQ(hit.asset_id, 1);
  EXPECT_EQ(hit.kind, Kind::kTranscript);
  EXPECT_THAT(hit.title, HasSubstr("Speech of and answers to questions of mass media"));
  EXPECT_EQ(hit.slug, store_->Get(1)->translations.at("en-GB").slug);
  EXPECT_EQ(hit.place, "Moscow");
  EXPECT_EQ(hit.time_zone, "Europe/Moscow");
  EXPECT_EQ(content::ToIso8601(hit.published_at, hit.time_zone), "2013-06-07T16:29:00+04:00");
  EXPECT_THAT(hit.snippet_html, HasSubstr("sufficiently <mark>hypocritical</mark>"));
  EXPECT_GT(hit.percent, 0);
}

TEST_F(SampleContentTest, SnippetIsInTheHitsLanguageWithInflectedFormsMarked) {
  const Results results = index_->Search(Text("переговоры", "ru"));
  ASSERT_EQ(results.hits.size(), 1u);
  EXPECT_THAT(results.hits[0].snippet_html, HasSubstr("<mark>переговоры</mark>, обсудили"));
  const Results english = index_->Search(Text("negotiation", "en"));
  ASSERT_EQ(english.hits.size(), 1u);
  EXPECT_THAT(english.hits[0].snippet_html, HasSubstr("<mark>negotiations</mark>"));
}

TEST_F(SampleContentTest, FacetsCountEveryTranslation) {
  const Results results = index_->Search(Query{});
  EXPECT_EQ(results.total, 10);  // the seed's two translations, the statement's eight
  EXPECT_TRUE(results.facets_exact);
  EXPECT_THAT(Facet(results, "kind"), ElementsAre("statement=8", "transcript=2"));
  EXPECT_THAT(Facet(results, "year"), ElementsAre("2014=8", "2013=2"));
  EXPECT_THAT(Facet(results, "language"), ElementsAre("en-GB=2", "ru-RU=2", "ar-SA=1", "de-DE=1",
                                                      "es-ES=1", "fr-FR=1", "pt-PT=1", "zh-CN=1"));
  EXPECT_THAT(Facet(results, "person"), ElementsAre("Sergey Lavrov=2"));
}

TEST_F(SampleContentTest, MisspelledWordGetsSuggestion) {
  for (const auto& [typed, suggested] : std::vector<std::pair<std::string, std::string>>{
           {"negotiatoins", "negotiations"},
           {"hezbolah", "hezbollah"},
           {"Syria hezbolah", "syria hezbollah"},  // Syria is known: kept as it is
           {"пиреговоры", "переговоры"},
           {"person:lavrov hezbolah", "person:lavrov hezbollah"}}) {
    const Results results = index_->Search(Text(typed));
    EXPECT_EQ(results.total, 0) << typed;
    EXPECT_EQ(results.suggestion, suggested) << typed;
  }
}

TEST_F(SampleContentTest, NoSuggestionWhenEveryWordIsKnown) {
  const Results results = index_->Search(Text("Syria -Hezbollah", "en"));
  EXPECT_EQ(results.total, 0);
  EXPECT_EQ(results.suggestion, "");
}

// ---------------------------------------------------------------------------------------------
// A hand-made bilingual corpus.

Asset MakeAsset(int64_t id, Kind kind, const std::string& published_at,
                std::vector<std::string> people, std::vector<std::string> tags) {
  Asset asset;
  asset.id = id;
  asset.kind = kind;
  asset.published_at = content::ParseIso8601(published_at);
  asset.time_zone = "Europe/Moscow";
  asset.people = std::move(people);
  asset.tags = std::move(tags);
  return asset;
}

void AddTranslation(Asset& asset, const std::string& tag, const std::string& title,
                    std::vector<Block> blocks, const std::string& place = "Moscow") {
  content::Translation translation;
  translation.language = tag;
  translation.title = title;
  translation.slug = "item-" + std::to_string(asset.id) + "-" + tag;
  translation.place = place;
  translation.blocks = std::move(blocks);
  asset.languages.push_back(tag);
  asset.translations[tag] = std::move(translation);
}

std::vector<Asset> HandMadeCorpus() {
  std::vector<Asset> assets;
  Asset minsk = MakeAsset(101, Kind::kStatement, "2015-03-10T12:00:00+03:00", {"Maria Zakharova"},
                          {"Ukraine"});
  AddTranslation(minsk, "en-GB", "Comment on the talks in Minsk",
                 {Block::Paragraph("We spoke about the negotiations in Minsk."),
                  Block::Paragraph("Reports quote <script>alert('x')</script> & \"scripted\" "
                                   "words from Minsk.")});
  AddTranslation(minsk, "ru-RU", "Комментарий о переговорах в Минске",
                 {Block::Paragraph("Мы говорили о переговорах в Минске.")}, "Москва");
  assets.push_back(minsk);

  Asset geneva = MakeAsset(102, Kind::kSpeech, "2014-01-05T10:00:00Z",
                           {"Sergey Lavrov", "John Kerry"}, {"Syria"});
  AddTranslation(
      geneva, "en-GB", "Speech at the Geneva conference",
      {Block::Paragraph("The joint statement was adopted in Geneva."),
       Block::Turn(TurnRole::kQuestion, "Question", {"What about the statement?"}),
       Block::Turn(TurnRole::kAnswer, "John Kerry", {"We made the statement together."})},
      "Geneva");
  assets.push_back(geneva);

  // 22:30 UTC on 31 December 2016 is 01:30 on 1 January 2017 in Moscow: the year facet says 2017.
  Asset interview = MakeAsset(103, Kind::kInterview, "2016-12-31T22:30:00Z", {"Sergey Lavrov"}, {});
  AddTranslation(
      interview, "ru-RU", "Интервью газете",
      {Block::Turn(TurnRole::kQuestion, "Вопрос", {"Каковы итоги года?"}),
       Block::Turn(TurnRole::kAnswer, "Сергей Лавров", {"Итоги года — это переговоры о Сирии."})});
  assets.push_back(interview);

  Asset draft = MakeAsset(104, Kind::kStatement, "2015-06-01T10:00:00Z", {}, {"Ukraine"});
  draft.status = content::Status::kDraft;
  AddTranslation(draft, "en-GB", "Draft statement about Minsk",
                 {Block::Paragraph("Not for publication: Minsk negotiations.")});
  assets.push_back(draft);

  Asset plan = MakeAsset(105, Kind::kComment, "2013-05-01T09:00:00Z", {}, {"Syria", "Ukraine"});
  AddTranslation(plan, "en-GB", "A plan",
                 {Block::Paragraph("A statement about statements, a joint plan and Geneva.")});
  assets.push_back(plan);
  return assets;
}

class HandMadeCorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::OpenStore("sqlite:" + (temp_.path() / "store.db").string());
    for (Asset asset : HandMadeCorpus()) Put(asset);
  }

  void Put(Asset& asset) {
    auto transaction = store_->Begin();
    transaction->Put(asset);
    transaction->Commit();
  }
  void Delete(int64_t id) {
    auto transaction = store_->Begin();
    transaction->Delete(id);
    transaction->Commit();
  }

  SearchIndex& Index() {
    if (!index_) {
      index_ = std::make_unique<SearchIndex>(temp_.path() / "index");
      index_->CatchUp(*store_);
    }
    return *index_;
  }

  std::vector<std::string> Hits(const Query& query) {
    std::vector<std::string> hits;
    for (const Hit& hit : Index().Search(query).hits) hits.push_back(DescribeWithId(hit));
    return hits;
  }
  std::vector<std::string> Found(const Query& query) { return Ids(Index().Search(query)); }

  const assetpub::testing::TempDir temp_{"assetpub-search-"};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<SearchIndex> index_;
};

TEST_F(HandMadeCorpusTest, EnglishStemmingFindsInflectedForms) {
  EXPECT_THAT(Hits(Text("negotiation", "en")), ElementsAre("101/en-GB#p1"));
  EXPECT_THAT(Hits(Text("talk", "en-GB")), ElementsAre("101/en-GB"));  // "talks", in the title
}

TEST_F(HandMadeCorpusTest, RussianStemmingFindsInflectedForms) {
  // переговоры ~ переговорах (101) and the same form in 103; only published assets.
  EXPECT_THAT(Hits(Text("переговоры", "ru")),
              UnorderedElementsAre("101/ru-RU#p1", "103/ru-RU#p2@Сергей Лавров"));
  // From the English page (no language): each translation is matched with its own stemmer.
  EXPECT_THAT(Found(Text("переговорами")), UnorderedElementsAre("101/ru-RU", "103/ru-RU"));
}

TEST_F(HandMadeCorpusTest, WordsNoStemmerChangesFindEachLanguageOnce) {
  // "lavrov" (a person, indexed in every translation) is the same term for the English and the
  // Russian stemmer, so the query is not split by language; it must still find each translation
  // that holds it, once, and only those.
  const Results all = Index().Search(Text("lavrov"));
  EXPECT_THAT(Ids(all), UnorderedElementsAre("102/en-GB", "103/ru-RU"));
  EXPECT_EQ(all.total, 2);
  EXPECT_THAT(Found(Text("lavrov", "ru")), ElementsAre("103/ru-RU"));
  EXPECT_THAT(Found(Text("lavrov", "en")), ElementsAre("102/en-GB"));
  // A word with different stems per language keeps its split: English "statements" ->
  // "statement" finds 102 and 105 in English only.
  EXPECT_THAT(Found(Text("statements")), UnorderedElementsAre("102/en-GB", "105/en-GB"));
}

TEST_F(HandMadeCorpusTest, PhraseMatchesWordsInOrderOnly) {
  EXPECT_THAT(Found(Text("\"joint statement\"")), ElementsAre("102/en-GB"));
  Query advanced;
  advanced.phrase = "joint statement";
  EXPECT_THAT(Found(advanced), ElementsAre("102/en-GB"));
  advanced.phrase = "statement joint";
  EXPECT_THAT(Found(advanced), IsEmpty());
}

TEST_F(HandMadeCorpusTest, AdvancedWordFieldsCombine) {
  Query query;
  query.all_words = "Statement joint";
  EXPECT_THAT(Found(query), UnorderedElementsAre("102/en-GB", "105/en-GB"));
  query.none_words = "Geneva";  // none of these words: in both
  EXPECT_THAT(Found(query), IsEmpty());
  query.none_words = "adopted";
  EXPECT_THAT(Found(query), ElementsAre("105/en-GB"));
  query.none_words = "jointly";  // stems to joint, in both
  EXPECT_THAT(Found(query), IsEmpty());
  Query any;
  any.any_words = "minsk plan";
  EXPECT_THAT(Found(any), UnorderedElementsAre("101/en-GB", "105/en-GB"));
}

TEST_F(HandMadeCorpusTest, NotExcludes) {
  EXPECT_THAT(Found(Text("statement -adopted")), ElementsAre("105/en-GB"));
  EXPECT_THAT(Found(Text("statement NOT adopted")), ElementsAre("105/en-GB"));
  EXPECT_THAT(Found(Text("statement -\"joint plan\"")), ElementsAre("102/en-GB"));
  // A query of NOTs alone: everything else.
  EXPECT_THAT(Found(Text("-statement", "en")), ElementsAre("101/en-GB"));
  EXPECT_THAT(Found(Text("-statement -minsk", "en")), IsEmpty());
  EXPECT_THAT(Found(Text("-statement")),
              UnorderedElementsAre("101/en-GB", "101/ru-RU", "103/ru-RU"));
}

TEST_F(HandMadeCorpusTest, FiltersByKindPersonTagLanguage) {
  Query query;
  query.kinds = {"interview"};
  EXPECT_THAT(Found(query), ElementsAre("103/ru-RU"));
  query.kinds = {"statement", "comment"};
  EXPECT_THAT(Found(query), UnorderedElementsAre("101/en-GB", "101/ru-RU", "105/en-GB"));

  Query person;
  person.person = "john kerry";  // the whole name, any case
  EXPECT_THAT(Found(person), ElementsAre("102/en-GB"));
  person.person = "Kerry";
  EXPECT_THAT(Found(person), IsEmpty());
  EXPECT_THAT(Found(Text("person:Kerry")), ElementsAre("102/en-GB"));
  EXPECT_THAT(Found(Text("person:lavrov")), UnorderedElementsAre("102/en-GB", "103/ru-RU"));

  Query tag;
  tag.tag = "ukraine";
  EXPECT_THAT(Found(tag), UnorderedElementsAre("101/en-GB", "101/ru-RU", "105/en-GB"));
  EXPECT_THAT(Found(Text("tag:Syria")), UnorderedElementsAre("102/en-GB", "105/en-GB"));

  Query language;
  language.language = "ru";
  EXPECT_THAT(Found(language), UnorderedElementsAre("101/ru-RU", "103/ru-RU"));
  language.language = "ru-RU";
  EXPECT_THAT(Found(language), UnorderedElementsAre("101/ru-RU", "103/ru-RU"));
  language.language = "fr";
  EXPECT_THAT(Found(language), IsEmpty());
  EXPECT_THAT(Found(Text("kind:speech OR kind:interview")),
              UnorderedElementsAre("102/en-GB", "103/ru-RU"));
}

TEST_F(HandMadeCorpusTest, DateRangesAreInclusiveInstants) {
  Query query;
  query.from = content::ParseIso8601("2014-01-05T10:00:00Z");  // 102 exactly
  query.to = content::ParseIso8601("2015-03-10T09:00:00Z");    // 101 exactly (12:00 +03)
  EXPECT_THAT(Found(query), UnorderedElementsAre("101/en-GB", "101/ru-RU", "102/en-GB"));
  query.to = content::ParseIso8601("2015-03-10T08:59:59Z");
  EXPECT_THAT(Found(query), ElementsAre("102/en-GB"));
  Query from_only;
  from_only.from = content::ParseIso8601("2016-01-01T00:00:00Z");
  EXPECT_THAT(Found(from_only), ElementsAre("103/ru-RU"));
  Query to_only;
  to_only.to = content::ParseIso8601("2013-12-31T23:59:59Z");
  EXPECT_THAT(Found(to_only), ElementsAre("105/en-GB"));
}

TEST_F(HandMadeCorpusTest, SortOrders) {
  Query query;
  query.language = "en";
  query.sort = Sort::kNewest;
  EXPECT_THAT(Found(query), ElementsAre("101/en-GB", "102/en-GB", "105/en-GB"));
  query.sort = Sort::kOldest;
  EXPECT_THAT(Found(query), ElementsAre("105/en-GB", "102/en-GB", "101/en-GB"));
  // Relevance: Geneva in 102's title (weighted) and place beats one mention in 105's body.
  Query relevance = Text("geneva");
  EXPECT_THAT(Found(relevance), ElementsAre("102/en-GB", "105/en-GB"));
  relevance.sort = Sort::kOldest;
  EXPECT_THAT(Found(relevance), ElementsAre("105/en-GB", "102/en-GB"));
}

TEST_F(HandMadeCorpusTest, Paging) {
  Query query;
  query.sort = Sort::kNewest;
  query.page_size = 2;
  query.page = 2;
  const Results results = Index().Search(query);
  EXPECT_EQ(results.total, 5);
  // 103 (2016), 101 en and ru (2015), 102 (2014), 105 (2013); 101's two share a date.
  EXPECT_THAT(Ids(results), ElementsAre("101/ru-RU", "102/en-GB"));
  query.page = 3;
  EXPECT_THAT(Found(query), ElementsAre("105/en-GB"));
  query.page = 4;
  EXPECT_THAT(Found(query), IsEmpty());
}

TEST_F(HandMadeCorpusTest, FacetCountsOverAllMatches) {
  Query query;
  query.page_size = 1;  // counts cover every match, not the page
  const Results results = Index().Search(query);
  EXPECT_EQ(results.total, 5);
  EXPECT_TRUE(results.facets_exact);
  EXPECT_THAT(Facet(results, "kind"),
              ElementsAre("statement=2", "comment=1", "interview=1", "speech=1"));
  EXPECT_THAT(Facet(results, "year"), ElementsAre("2015=2", "2013=1", "2014=1", "2017=1"));
  EXPECT_THAT(Facet(results, "language"), ElementsAre("en-GB=3", "ru-RU=2"));
  EXPECT_THAT(Facet(results, "person"),
              ElementsAre("Maria Zakharova=2", "Sergey Lavrov=2", "John Kerry=1"));

  const Results filtered = Index().Search(Text("person:lavrov"));
  EXPECT_THAT(Facet(filtered, "person"), ElementsAre("Sergey Lavrov=2", "John Kerry=1"));
  EXPECT_THAT(Facet(filtered, "year"), ElementsAre("2014=1", "2017=1"));

  query.facets = false;
  EXPECT_THAT(Index().Search(query).facets, IsEmpty());
}

// Facet counts come from a table of every document's facet value, loaded by the first faceted
// search of a generation: documents written after it, deleted since, or renumbered by a rebuild
// must still be counted as they are now.
TEST_F(HandMadeCorpusTest, FacetCountsFollowWritesAndRebuildsAfterTheFirstSearch) {
  Query everything;
  everything.page_size = 1;
  ASSERT_THAT(Facet(Index().Search(everything), "kind"),
              ElementsAre("statement=2", "comment=1", "interview=1", "speech=1"));

  Asset fresh = MakeAsset(106, Kind::kArticle, "2018-02-02T10:00:00Z", {"Anna Petrova"}, {});
  AddTranslation(fresh, "en-GB", "Fresh article", {Block::Paragraph("Zanzibar appears here.")});
  Put(fresh);
  Asset plan = *store_->Get(105);
  plan.kind = Kind::kInterview;  // its document is replaced: a new id, the old one deleted
  Put(plan);
  Delete(101);
  Index().CatchUp(*store_);
  const Results after = Index().Search(everything);
  EXPECT_EQ(after.total, 4);
  EXPECT_TRUE(after.facets_exact);
  EXPECT_THAT(Facet(after, "kind"), ElementsAre("interview=2", "article=1", "speech=1"));
  EXPECT_THAT(Facet(after, "year"), ElementsAre("2013=1", "2014=1", "2017=1", "2018=1"));
  EXPECT_THAT(Facet(after, "person"),
              ElementsAre("Sergey Lavrov=2", "Anna Petrova=1", "John Kerry=1"));

  Index().Rebuild(*store_);  // a new generation: ids given afresh
  const Results rebuilt = Index().Search(everything);
  for (const char* facet : {"kind", "year", "language", "person"}) {
    EXPECT_EQ(Facet(rebuilt, facet), Facet(after, facet)) << facet;
  }
}

// How much is searchable: the index counts the assets it holds (four published of five) through
// catch-ups and rebuilds, and IndexCoverage compares them with the store's published items.
TEST_F(HandMadeCorpusTest, TheIndexCountsTheAssetsItHoldsAndCoverageComparesThemWithTheStore) {
  EXPECT_EQ(Index().Held().assets, 4);
  EXPECT_EQ(Index().Held().documents, 5);
  const IndexCoverage coverage(*store_, Index());
  EXPECT_TRUE(coverage.Read().complete());
  EXPECT_EQ(coverage.Read().Percent(), 100);

  Asset fresh = MakeAsset(106, Kind::kArticle, "2018-02-02T10:00:00Z", {}, {});
  AddTranslation(fresh, "en-GB", "Fresh article", {Block::Paragraph("Zanzibar appears here.")});
  Put(fresh);
  Delete(101);
  const Coverage behind = coverage.Read();
  EXPECT_FALSE(behind.complete());
  EXPECT_EQ(behind.indexed, 4);  // 101 still indexed, 106 not yet
  EXPECT_EQ(behind.total, 4);
  EXPECT_EQ(behind.Percent(), 99);  // never 100 while behind
  EXPECT_EQ(behind.lag_changes(), 2);

  Index().CatchUp(*store_);
  EXPECT_EQ(Index().Held().assets, 4);
  EXPECT_TRUE(coverage.Read().complete());
  Index().Rebuild(*store_);
  EXPECT_EQ(Index().Held().assets, 4);
  EXPECT_EQ(Index().Held().rebuild_total, -1);

  // A server shutting down stops a rebuild; the live generation stays as it was.
  Index().StopRebuilds();
  EXPECT_THROW(Index().Rebuild(*store_), Error);
  EXPECT_FALSE(Index().Rebuilding());
  EXPECT_EQ(Index().Held().assets, 4);
  EXPECT_THAT(Found(Text("Zanzibar")), ElementsAre("106/en-GB"));
}

// A phrase checks word positions in every candidate: its facets are counted over a smaller
// sample (kExactPhraseFacetLimit) than a query of words (kExactFacetLimit).
TEST_F(HandMadeCorpusTest, PhraseQueriesSampleFewerMatchesForFacets) {
  constexpr int kCount = static_cast<int>(kExactPhraseFacetLimit) + 20;
  static_assert(kCount < kExactFacetLimit);
  // The first ten are the shortest, so the best page is complete early and Xapian may stop
  // once it has checked the sample.
  for (int i = 0; i < kCount; ++i) {
    Asset asset = MakeAsset(1000 + i, Kind::kComment, "2020-01-01T10:00:00Z", {}, {});
    std::string text = "Joint communique.";
    if (i >= 10) text += " The parties signed it today after long talks about many other things.";
    AddTranslation(asset, "en-GB", "Note", {Block::Paragraph(text)});
    Put(asset);
  }
  Query words = Text("joint communique", "en");
  const Results exact = Index().Search(words);
  EXPECT_EQ(exact.total, kCount);
  EXPECT_TRUE(exact.facets_exact);
  EXPECT_THAT(Facet(exact, "kind"), ElementsAre("comment=" + std::to_string(kCount)));

  Query phrase = Text("\"joint communique\"", "en");
  const Results sampled = Index().Search(phrase);
  EXPECT_FALSE(sampled.facets_exact);
  EXPECT_EQ(sampled.hits.size(), 10u);
  EXPECT_THAT(Ids(sampled), ::testing::ContainerEq(Ids(exact)));  // same best page
  phrase.facets = false;
  EXPECT_THAT(Index().Search(phrase).facets, IsEmpty());
}

// Results are kept for repeated queries, but only while the index does not change.
TEST_F(HandMadeCorpusTest, RepeatedQuerySeesWritesAndRebuilds) {
  const Query query = Text("zanzibar");
  EXPECT_THAT(Found(query), IsEmpty());
  EXPECT_THAT(Found(query), IsEmpty());  // kept
  Asset fresh = MakeAsset(106, Kind::kArticle, "2018-02-02T10:00:00Z", {}, {});
  AddTranslation(fresh, "en-GB", "Fresh article", {Block::Paragraph("Zanzibar appears here.")});
  Put(fresh);
  Index().CatchUp(*store_);
  EXPECT_THAT(Found(query), ElementsAre("106/en-GB"));
  EXPECT_THAT(Found(query), ElementsAre("106/en-GB"));
  Query second_page = query;
  second_page.page = 2;
  EXPECT_THAT(Found(second_page), IsEmpty());  // every field is part of what is kept

  Delete(106);
  // Another SearchIndex (another process) writes: this one's kept results must not be used.
  SearchIndex(temp_.path() / "index").Rebuild(*store_);
  EXPECT_THAT(Found(query), IsEmpty());

  Index().SetResultCacheSize(0);
  EXPECT_THAT(Found(query), IsEmpty());
}

// The words that share a stem with a query word are looked up once and kept by the reader; a
// word indexed later must still lead to its paragraph.
TEST_F(HandMadeCorpusTest, AnchorsFindInflectedFormsIndexedAfterAnEarlierSearch) {
  ASSERT_THAT(Hits(Text("negotiate", "en")), ElementsAre("101/en-GB#p1"));
  Asset fresh = MakeAsset(108, Kind::kArticle, "2019-02-02T10:00:00Z", {}, {});
  AddTranslation(fresh, "en-GB", "Late night",
                 {Block::Paragraph("Nothing to report."),
                  Block::Paragraph("They were negotiating all night.")});
  Put(fresh);
  Index().CatchUp(*store_);
  EXPECT_THAT(Hits(Text("negotiate", "en")), UnorderedElementsAre("101/en-GB#p1", "108/en-GB#p2"));
}

TEST_F(HandMadeCorpusTest, TurnHitsKnowSpeakerAndAnchor) {
  EXPECT_THAT(Hits(Text("together")), ElementsAre("102/en-GB#p3@John Kerry"));
  // "statement" is in all three paragraphs of 102: the first wins the tie.
  EXPECT_THAT(Hits(Text("statement together")), ElementsAre("102/en-GB#p3@John Kerry"));
  EXPECT_THAT(Hits(Text("what about", "en")), ElementsAre("102/en-GB#p2@Question"));
  EXPECT_THAT(Hits(Text("итоги", "ru")), ElementsAre("103/ru-RU#p1@Вопрос"));
  EXPECT_THAT(Hits(Text("итоги Сирия", "ru")), ElementsAre("103/ru-RU#p2@Сергей Лавров"));
}

TEST_F(HandMadeCorpusTest, SnippetEscapesHtmlAndMarksMatches) {
  const Results results = Index().Search(Text("scripted", "en"));
  ASSERT_EQ(results.hits.size(), 1u);
  const std::string& snippet = results.hits[0].snippet_html;
  // "scripted" and "script" share a stem: both marked.
  EXPECT_THAT(snippet,
              HasSubstr("&lt;<mark>script</mark>&gt;alert(&#39;x&#39;)&lt;/"
                        "<mark>script</mark>&gt; &amp; &quot;<mark>scripted</mark>&quot;"));
  EXPECT_THAT(snippet, Not(HasSubstr("<script")));
  EXPECT_EQ(results.hits[0].anchor, "p2");
}

// Chinese and Japanese are written without spaces: each word of a sentence is found, in any
// translation, and nothing else is; Korean words are found without their particles.
TEST_F(HandMadeCorpusTest, ChineseJapaneseAndKoreanWordsInsideSentencesAreFound) {
  Asset office = MakeAsset(110, Kind::kStatement, "2020-04-01T10:00:00Z", {}, {});
  AddTranslation(office, "zh-CN", "关于人道主义问题的声明",
                 {Block::Paragraph("外交部发言人今天回答了记者的提问。"),
                  Block::Paragraph("联合国日内瓦办事处在走廊里举行了人道主义问题会议。")},
                 "北京");
  AddTranslation(office, "ja", "人道問題に関する声明",
                 {Block::Paragraph("国連ジュネーブ事務所で人道問題に関する会議が開かれた。")},
                 "東京");
  // Korean has spaces, but between phrases: 서울에서 is "in Seoul".
  AddTranslation(office, "ko", "인도주의 문제에 관한 성명",
                 {Block::Paragraph("외교부는 서울에서 한반도 평화 회담을 개최했다.")}, "서울");
  Put(office);
  Asset other = MakeAsset(111, Kind::kComment, "2020-05-01T10:00:00Z", {}, {});
  AddTranslation(other, "zh-CN", "外交部发言人答记者问",
                 {Block::Paragraph("双方就经济合作和气候变化交换了意见。")}, "北京");
  Put(other);
  Index().CatchUp(*store_);

  EXPECT_THAT(Hits(Text("日内瓦")), ElementsAre("110/zh-CN#p2"));
  EXPECT_THAT(Hits(Text("走廊")), ElementsAre("110/zh-CN#p2"));
  EXPECT_THAT(Hits(Text("人道主义", "zh")), ElementsAre("110/zh-CN#p2"));  // title and p2
  EXPECT_THAT(Hits(Text("气候变化")), ElementsAre("111/zh-CN#p1"));
  EXPECT_THAT(Found(Text("发言人")), UnorderedElementsAre("110/zh-CN", "111/zh-CN"));
  EXPECT_THAT(Hits(Text("ジュネーブ")), ElementsAre("110/ja#p1"));
  EXPECT_THAT(Hits(Text("会議")), ElementsAre("110/ja#p1"));
  EXPECT_THAT(Hits(Text("회담")), ElementsAre("110/ko#p1"));
  EXPECT_THAT(Found(Text("서울")), ElementsAre("110/ko"));  // place and p1
  // Words of neither item, and words whose characters are all there but not side by side.
  EXPECT_THAT(Found(Text("上海")), IsEmpty());
  EXPECT_THAT(Found(Text("安理会")), IsEmpty());
  EXPECT_THAT(Found(Text("议会")), IsEmpty());  // 议 and 会 both in 110, never adjacent
  // A Chinese word beside a Latin one, and the Advanced fields.
  Query all;
  all.all_words = "日内瓦 会议";
  EXPECT_THAT(Found(all), ElementsAre("110/zh-CN"));
  Query phrase;
  phrase.phrase = "走廊里";
  EXPECT_THAT(Found(phrase), ElementsAre("110/zh-CN"));
  EXPECT_THAT(Found(Text("日内瓦 -走廊")), IsEmpty());
  // No spelling "correction" of Chinese towards a one- or two-character n-gram.
  EXPECT_EQ(Index().Search(Text("上海")).suggestion, "");
}

TEST_F(HandMadeCorpusTest, ChineseSnippetMarksTheMatchedWordsWhole) {
  Asset office = MakeAsset(110, Kind::kStatement, "2020-04-01T10:00:00Z", {}, {});
  AddTranslation(office, "zh-CN", "声明",
                 {Block::Paragraph("联合国日内瓦办事处在走廊里举行了人道主义问题会议，国内外记者"
                                   "出席了会议。"),
                  Block::Paragraph("G20峰会 & \"气候\"。")},
                 "北京");
  Put(office);
  Index().CatchUp(*store_);
  // Not Xapian's "<mark>日</mark><mark>内</mark><mark>瓦</mark>", nor the 内 of 国内外 marked,
  // nor "…" for the closing "。".
  Results results = Index().Search(Text("日内瓦 会议"));
  ASSERT_EQ(results.hits.size(), 1u);
  EXPECT_EQ(results.hits[0].snippet_html,
            "联合国<mark>日内瓦</mark>办事处在走廊里举行了人道主义问题<mark>会议</mark>，国内外记者"
            "出席了<mark>会议</mark>。");
  results = Index().Search(Text("峰会 g20"));
  ASSERT_EQ(results.hits.size(), 1u);
  EXPECT_EQ(results.hits[0].snippet_html,
            "<mark>G20</mark><mark>峰会</mark> &amp; &quot;气候&quot;。");
}

// Every language Xapian has a stemmer for gets it, by the tag's primary subtag.
TEST_F(HandMadeCorpusTest, FrenchSpanishGermanAndArabicStemmersFindOtherForms) {
  Asset talks = MakeAsset(112, Kind::kStatement, "2021-01-10T10:00:00Z", {}, {});
  AddTranslation(talks, "fr-FR", "Déclaration",
                 {Block::Paragraph("Les négociations reprendront à Genève.")}, "Paris");
  AddTranslation(talks, "es", "Declaración",
                 {Block::Paragraph("Las negociaciones continuarán en Ginebra.")}, "Madrid");
  AddTranslation(talks, "de", "Erklärung",
                 {Block::Paragraph("Die Verhandlungen werden in Genf fortgesetzt.")}, "Berlin");
  // "the parties" with hamza on the alif (أطراف).
  AddTranslation(talks, "ar", "بيان", {Block::Paragraph("دعت الوزارة جميع الأطراف إلى الحوار.")},
                 "القاهرة");
  Put(talks);
  Index().CatchUp(*store_);
  EXPECT_THAT(Hits(Text("négociation", "fr")), ElementsAre("112/fr-FR#p1"));
  EXPECT_THAT(Found(Text("négociation")), ElementsAre("112/fr-FR"));  // no language given
  EXPECT_THAT(Hits(Text("negociación", "es")), ElementsAre("112/es#p1"));
  EXPECT_THAT(Hits(Text("Verhandlung", "de")), ElementsAre("112/de#p1"));
  // Xapian's Arabic stemmer folds the hamza forms: أطراف, إطراف and اطراف are one word.
  // The anchor too, though the text's الأطراف does not begin like the stem اطراف.
  EXPECT_THAT(Hits(Text("اطراف", "ar")), ElementsAre("112/ar#p1"));
  EXPECT_THAT(Hits(Text("أطراف", "ar")), ElementsAre("112/ar#p1"));
  EXPECT_THAT(Hits(Text("إطراف", "ar")), ElementsAre("112/ar#p1"));
  EXPECT_THAT(Found(Text("اطراف")), ElementsAre("112/ar"));
}

// The stemmer comes from the tag's primary subtag, for every language Xapian 1.4.22 has one for;
// the others get none (words as written).
TEST(StemmerForTest, EveryLanguageXapianStemsAndNoOther) {
  for (const char* tag :
       {"en-GB", "ru-RU", "fr-FR", "es", "es-419", "de-AT", "pt-BR", "it", "nl",
        "sv",    "da",    "nb",    "no", "fi",     "hu",    "ro",    "tr", "ar",
        "ar-EG", "id",    "ca",    "eu", "ga",     "hy",    "lt",    "ne", "ta"}) {
    EXPECT_FALSE(internal::StemmerFor(tag).is_none()) << tag;
  }
  EXPECT_EQ(internal::StemmerFor("pt-BR")("negociações"), internal::StemmerFor("pt")("negociação"));
  for (const char* tag :
       {"zh-CN", "zh-Hant", "ja", "ko", "uk", "pl", "fa", "he", "sr", "", "english", "porter"}) {
    EXPECT_TRUE(internal::StemmerFor(tag).is_none()) << tag;
  }
}

// An index written before the terms changed (format 1: no CJK n-grams) is rebuilt by the next
// catch-up, not caught up change by change.
TEST_F(HandMadeCorpusTest, AnIndexOfAnotherFormatIsRebuiltAtCatchUp) {
  Asset office = MakeAsset(110, Kind::kStatement, "2020-04-01T10:00:00Z", {}, {});
  AddTranslation(office, "zh-CN", "声明", {Block::Paragraph("联合国日内瓦办事处。")}, "北京");
  Put(office);
  Index();
  index_.reset();
  {
    Xapian::WritableDatabase db((temp_.path() / "index" / "g1").string(), Xapian::DB_OPEN);
    db.set_metadata("assetpub.format", "");  // as an older assetpub left it
    db.commit();
  }
  SearchIndex index(temp_.path() / "index");
  index.CatchUp(*store_);
  EXPECT_TRUE(fs::exists(temp_.path() / "index" / "g2"));
  EXPECT_FALSE(fs::exists(temp_.path() / "index" / "g1"));
  EXPECT_EQ(index.DocumentCount(), 6);
  EXPECT_THAT(Ids(index.Search(Text("日内瓦"))), ElementsAre("110/zh-CN"));
  index.CatchUp(*store_);  // now of this format: nothing to do
  EXPECT_TRUE(fs::exists(temp_.path() / "index" / "g2"));
}

TEST_F(HandMadeCorpusTest, DraftsAreNotIndexed) {
  EXPECT_THAT(Found(Text("publication")), IsEmpty());
  EXPECT_EQ(Index().DocumentCount(), 5);
}

TEST_F(HandMadeCorpusTest, MalformedOrHostileQueriesAreInvalidInput) {
  const std::vector<std::pair<std::string, std::function<void(Query&)>>> cases = {
      {"too long", [](Query& q) { q.text = std::string(1001, 'a'); }},
      {"control character", [](Query& q) { q.text = "minsk\x01"; }},
      {"newline", [](Query& q) { q.text = "minsk\nplan"; }},
      {"DEL", [](Query& q) { q.text = "minsk\x7f"; }},
      {"C1 control", [](Query& q) { q.text = "minsk\xc2\x85"; }},
      {"invalid UTF-8", [](Query& q) { q.text = "\xff\xfe minsk"; }},
      {"overlong UTF-8", [](Query& q) { q.text = "\xc0\xaf"; }},
      {"truncated UTF-8", [](Query& q) { q.text = "переговор\xd1"; }},
      {"unbalanced quote", [](Query& q) { q.text = "\"joint statement"; }},
      {"unbalanced parenthesis", [](Query& q) { q.text = "(minsk OR geneva"; }},
      {"closing parenthesis", [](Query& q) { q.text = "minsk)"; }},
      {"bad advanced field", [](Query& q) { q.none_words = "x\x02"; }},
      {"long phrase field", [](Query& q) { q.phrase = std::string(2000, 'b'); }},
      {"unknown kind",
       [](Query& q) {
         q.kinds = {"speech", "gossip"};
       }},
      {"bad language", [](Query& q) { q.language = "en_GB"; }},
      {"bad stem language", [](Query& q) { q.stem_language = "x"; }},
      {"from after to",
       [](Query& q) {
         q.from = content::Instant{2000};
         q.to = content::Instant{1000};
       }},
      {"page 0", [](Query& q) { q.page = 0; }},
      {"page too far", [](Query& q) { q.page = 1001; }},
      {"page size 0", [](Query& q) { q.page_size = 0; }},
      {"page size 101", [](Query& q) { q.page_size = 101; }},
  };
  for (const auto& [name, change] : cases) {
    Query query;
    change(query);
    try {
      Index().Search(query);
      ADD_FAILURE() << name << ": no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidInput) << name;
      EXPECT_THAT(std::string(e.what()), Not(IsEmpty())) << name;
    }
  }
}

TEST_F(HandMadeCorpusTest, OddButValidQueriesNeverCrash) {
  for (const std::string& text :
       std::vector<std::string>{"AND",
                                "OR OR",
                                "NOT",
                                "-",
                                "+",
                                "((((minsk))))",
                                "\"\"",
                                "*",
                                "person:",
                                "tag:",
                                ":::",
                                "minsk AND",
                                "NEAR minsk",
                                "title:",
                                "kind:",
                                "a:b:c",
                                "'",
                                "\\",
                                "%s%n",
                                "<script>",
                                "Минск OR",
                                "🙂",
                                "year:abc",
                                "lang:",
                                std::string(1000, 'x'),
                                std::string(500, '(') + std::string(500, ')')}) {
    try {
      Index().Search(Text(text));
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidInput) << text << ": " << e.what();
    }
  }
}

TEST_F(HandMadeCorpusTest, SpellingSuggestionWhenNothingMatches) {
  Results results = Index().Search(Text("negotiatoins"));
  EXPECT_EQ(results.total, 0);
  EXPECT_EQ(results.suggestion, "negotiations");
  results = Index().Search(Text("minsk statement jointly"));  // every word known
  EXPECT_EQ(results.total, 0);
  EXPECT_EQ(results.suggestion, "");
  results = Index().Search(Text("minsk"));
  EXPECT_EQ(results.suggestion, "");
}

TEST_F(HandMadeCorpusTest, SpellingDictionaryFollowsDeletes) {
  ASSERT_EQ(Index().Search(Text("negotiatoins")).suggestion, "negotiations");
  Delete(101);
  Index().CatchUp(*store_);
  EXPECT_EQ(Index().Search(Text("negotiatoins")).suggestion, "");
}

// ---------------------------------------------------------------------------------------------
// The index's life.

TEST_F(HandMadeCorpusTest, WritesMadeWhileClosedAreFoundAfterCatchUp) {
  {
    SearchIndex index(temp_.path() / "index");
    EXPECT_EQ(index.LastApplied(), 0);
    EXPECT_EQ(index.DocumentCount(), 0);
    EXPECT_EQ(index.CatchUp(*store_), 5);
    EXPECT_EQ(index.LastApplied(), store_->LastChange());
    EXPECT_EQ(index.CatchUp(*store_), 0);  // nothing new
  }
  Asset fresh = MakeAsset(106, Kind::kArticle, "2018-02-02T10:00:00Z", {}, {});
  AddTranslation(fresh, "en-GB", "Fresh article", {Block::Paragraph("Zanzibar appears here.")});
  Put(fresh);  // the index is closed
  SearchIndex index(temp_.path() / "index");
  EXPECT_THAT(Ids(index.Search(Text("zanzibar"))), IsEmpty());
  std::vector<std::pair<int64_t, int64_t>> progress;
  EXPECT_EQ(index.CatchUp(*store_,
                          [&](int64_t done, int64_t total) { progress.emplace_back(done, total); }),
            1);
  EXPECT_THAT(progress, ElementsAre(std::pair<int64_t, int64_t>{1, 1}));
  EXPECT_THAT(Ids(index.Search(Text("zanzibar"))), ElementsAre("106/en-GB"));
}

TEST_F(HandMadeCorpusTest, DeletedAndUnpublishedAssetsDisappear) {
  ASSERT_THAT(Found(Query{}), Contains("101/ru-RU"));
  Delete(101);
  EXPECT_EQ(Index().CatchUp(*store_), 1);
  EXPECT_THAT(Found(Text("minsk")), IsEmpty());
  EXPECT_THAT(Found(Text("Минск")), IsEmpty());
  EXPECT_EQ(Index().DocumentCount(), 3);

  Asset geneva = *store_->Get(102);
  geneva.status = content::Status::kArchived;
  Put(geneva);
  Index().CatchUp(*store_);
  EXPECT_THAT(Found(Text("geneva")), ElementsAre("105/en-GB"));

  geneva.status = content::Status::kPublished;  // and back
  Put(geneva);
  Index().CatchUp(*store_);
  EXPECT_THAT(Found(Text("geneva")), ElementsAre("102/en-GB", "105/en-GB"));
}

TEST_F(HandMadeCorpusTest, EditedTranslationsAreReindexedWhole) {
  Asset minsk = *store_->Get(101);
  minsk.translations.erase("ru-RU");
  minsk.translations.at("en-GB").blocks = {Block::Paragraph("Now about Vienna.")};
  Put(minsk);
  Index().CatchUp(*store_);
  EXPECT_THAT(Found(Text("переговоры", "ru")), ElementsAre("103/ru-RU"));
  EXPECT_THAT(Found(Text("vienna")), ElementsAre("101/en-GB"));
  EXPECT_THAT(Hits(Text("negotiations")), IsEmpty());
}

TEST_F(HandMadeCorpusTest, CrashBetweenStoreWriteAndIndexUpdateLosesNothing) {
  Index();  // caught up
  Asset fresh = MakeAsset(107, Kind::kArticle, "2019-04-04T10:00:00Z", {}, {});
  AddTranslation(fresh, "ru-RU", "Новая статья", {Block::Paragraph("Про Занзибар.")});
  Put(fresh);
  Delete(105);
  index_.reset();  // the process "dies" before the index hears of the writes

  SearchIndex index(temp_.path() / "index");
  EXPECT_LT(index.LastApplied(), store_->LastChange());
  EXPECT_EQ(index.CatchUp(*store_), 2);
  EXPECT_THAT(Ids(index.Search(Text("Занзибар"))), ElementsAre("107/ru-RU"));
  EXPECT_THAT(Ids(index.Search(Text("plan"))), IsEmpty());
  EXPECT_EQ(index.LastApplied(), store_->LastChange());
}

// A process killed while it created the index, after writing CURRENT.tmp and before renaming it
// to CURRENT, leaves a generation and CURRENT.tmp: the next open creates the index again instead
// of refusing the folder as "not a search index" for good.
TEST(SearchIndexCreateTest, ACreationKilledBeforeItsRenameIsDoneAgain) {
  const assetpub::testing::TempDir temp("assetpub-search-create-");
  fs::create_directories(temp.path() / "index" / "g1");
  std::ofstream(temp.path() / "index" / "CURRENT.tmp") << "g1\n";
  const SearchIndex index(temp.path() / "index");
  EXPECT_EQ(index.DocumentCount(), 0);
  EXPECT_TRUE(fs::exists(temp.path() / "index" / "CURRENT"));
  EXPECT_FALSE(fs::exists(temp.path() / "index" / "CURRENT.tmp"));
}

TEST_F(HandMadeCorpusTest, RebuildGivesTheSameIndexInANewGeneration) {
  const Results before = Index().Search(Query{});
  Index().Rebuild(*store_);
  const Results after = Index().Search(Query{});
  EXPECT_EQ(Ids(after), Ids(before));
  EXPECT_EQ(after.facets, before.facets);
  EXPECT_EQ(Index().LastApplied(), store_->LastChange());
  EXPECT_TRUE(fs::exists(temp_.path() / "index" / "g2"));
  EXPECT_FALSE(fs::exists(temp_.path() / "index" / "g1"));
  EXPECT_EQ(Index().Search(Text("negotiatoins")).suggestion, "negotiations");

  // Another SearchIndex on the same folder (another process, say) sees the new generation.
  SearchIndex other(temp_.path() / "index");
  Index().Rebuild(*store_);
  EXPECT_THAT(Ids(other.Search(Text("минск"))), ElementsAre("101/ru-RU"));
  EXPECT_EQ(other.DocumentCount(), 5);
}

// A rebuild writes its documents in shards of a few hundred assets and one spelling dictionary
// for all of them: a word's frequency is its documents in every shard. "markez" is one edit
// from "marked" (in every other asset: 700 documents over every shard) and from "marker" (400
// documents, all in the first shard): the more frequent word wins only if the counts add up.
TEST_F(HandMadeCorpusTest, RebuildOverManyShardsAddsUpSpellingCounts) {
  {
    auto transaction = store_->Begin();
    for (int64_t i = 0; i < 1400; ++i) {
      Asset asset = MakeAsset(1000 + i, Kind::kStatement, "2020-01-01T10:00:00Z", {}, {});
      std::string text = i % 2 == 0 ? "The item is marked." : "Nothing to see.";
      if (i < 400) text += " A marker.";
      AddTranslation(asset, "en-GB", "Note " + std::to_string(i), {Block::Paragraph(text)});
      transaction->Put(asset);
    }
    transaction->Commit();
  }
  Index().Rebuild(*store_);
  EXPECT_EQ(Index().DocumentCount(), 1405);
  EXPECT_EQ(Index().Search(Text("markez")).suggestion, "marked");
  EXPECT_EQ(Index().Search(Text("negotiatoins")).suggestion, "negotiations");

  // The same dictionary as one built document by document.
  SearchIndex caught_up(temp_.path() / "caught-up");
  caught_up.CatchUp(*store_);
  EXPECT_EQ(caught_up.Search(Text("markez")).suggestion, "marked");
}

// A backlog larger than both the rebuild backlog and the index (an archive's first import) is
// brought in by a rebuild, into a new generation; a small one change by change, in place.
TEST_F(HandMadeCorpusTest, ALargeBacklogIsBroughtInByARebuild) {
  {
    auto transaction = store_->Begin();
    for (int64_t i = 0; i < 30; ++i) {
      Asset asset = MakeAsset(2000 + i, Kind::kStatement, "2020-01-01T10:00:00Z", {}, {});
      AddTranslation(asset, "en-GB", "Archive note " + std::to_string(i),
                     {Block::Paragraph("From the archive of Timbuktu.")});
      transaction->Put(asset);
    }
    transaction->Commit();
  }
  SearchIndex index(temp_.path() / "index");
  index.SetRebuildBacklog(20);
  std::vector<std::pair<int64_t, int64_t>> progress;
  EXPECT_EQ(index.CatchUp(*store_,
                          [&](int64_t done, int64_t total) { progress.emplace_back(done, total); }),
            35);
  EXPECT_TRUE(fs::exists(temp_.path() / "index" / "g2"));  // a rebuild's new generation
  EXPECT_FALSE(progress.empty());
  EXPECT_EQ(index.LastApplied(), store_->LastChange());
  EXPECT_EQ(index.DocumentCount(), 35);
  EXPECT_EQ(index.Search(Text("timbuktu")).total, 30);
  EXPECT_THAT(Ids(index.Search(Text("minsk"))), Contains("101/en-GB"));

  // 25 changes behind an index of 35 documents: applied in place, no new generation.
  {
    auto transaction = store_->Begin();
    for (int64_t i = 0; i < 25; ++i) {
      Asset asset = MakeAsset(3000 + i, Kind::kStatement, "2021-01-01T10:00:00Z", {}, {});
      AddTranslation(asset, "en-GB", "Later note " + std::to_string(i),
                     {Block::Paragraph("Back from Timbuktu.")});
      transaction->Put(asset);
    }
    transaction->Commit();
  }
  EXPECT_EQ(index.CatchUp(*store_), 25);
  EXPECT_FALSE(fs::exists(temp_.path() / "index" / "g3"));
  EXPECT_TRUE(fs::exists(temp_.path() / "index" / "g2"));
  EXPECT_EQ(index.Search(Text("timbuktu")).total, 55);
}

// A rebuild that Xapian cannot write (here: files limited to 64 KiB, as a full disk would stop
// it) is Error(kUnavailable) with Xapian's reason, not a raw Xapian::Error, and leaves the live
// index answering and no half-built generation behind.
TEST_F(HandMadeCorpusTest, ARebuildXapianCannotWriteIsUnavailableAndChangesNothing) {
  {
    auto transaction = store_->Begin();
    for (int64_t i = 0; i < 400; ++i) {
      Asset asset = MakeAsset(4000 + i, Kind::kStatement, "2020-01-01T10:00:00Z", {}, {});
      AddTranslation(asset, "en-GB", "Bulletin " + std::to_string(i),
                     {Block::Paragraph("Bulletin number " + std::to_string(i * 7919) +
                                       " on the weather in region " + std::to_string(i) +
                                       " and the harvest of district " + std::to_string(i * 31))});
      transaction->Put(asset);
    }
    transaction->Commit();
  }
  ASSERT_EQ(Index().DocumentCount(), 405);
  struct rlimit saved {};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  const auto previous = std::signal(SIGXFSZ, SIG_IGN);  // EFBIG instead of the signal
  struct rlimit small = saved;
  small.rlim_cur = 64 * 1024;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  std::optional<Error> error;
  try {
    Index().Rebuild(*store_);
  } catch (const Error& e) {
    error = e;
  }
  setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, previous);
  ASSERT_TRUE(error.has_value()) << "the rebuild should have failed";
  EXPECT_EQ(error->code(), ErrorCode::kUnavailable);
  EXPECT_THAT(error->what(), HasSubstr("rebuilding the index failed"));
  EXPECT_FALSE(fs::exists(temp_.path() / "index" / "g2"));
  EXPECT_EQ(Index().DocumentCount(), 405);
  EXPECT_THAT(Found(Text("minsk")), Contains("101/en-GB"));
  // With room again, the same rebuild succeeds.
  Index().Rebuild(*store_);
  EXPECT_EQ(Index().DocumentCount(), 405);
}

TEST_F(HandMadeCorpusTest, StoreReplacedByAnOlderOneIsRebuiltFrom) {
  Index();
  auto empty = store::OpenStore("sqlite:" + (temp_.path() / "empty.db").string());
  Index().CatchUp(*empty);
  EXPECT_EQ(Index().DocumentCount(), 0);
  EXPECT_EQ(Index().LastApplied(), 0);
}

TEST_F(HandMadeCorpusTest, AnotherWriterHoldingTheLockMakesWritesUnavailable) {
  Index();
  const int fd = ::open((temp_.path() / "index" / "write.lock").c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  try {
    Index().CatchUp(*store_);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnavailable);
  }
  EXPECT_THAT(Found(Text("minsk")), Not(IsEmpty()));  // searches go on
  ::close(fd);
  EXPECT_EQ(Index().CatchUp(*store_), 0);
}

TEST_F(HandMadeCorpusTest, FolderThatIsNotAnIndexIsRefused) {
  fs::create_directories(temp_.path() / "other");
  std::ofstream(temp_.path() / "other" / "notes.txt") << "hello";
  try {
    SearchIndex index(temp_.path() / "other");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnavailable);
  }
}

TEST_F(HandMadeCorpusTest, SearchesRunConcurrentlyWithWrites) {
  Index();
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0}, searches{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!stop) {
        try {
          const Results results = Index().Search(Text("statement OR minsk OR итоги"));
          if (results.total < 3) {
            ADD_FAILURE() << "total " << results.total;
            ++failures;
          }
          ++searches;
        } catch (const std::exception& e) {
          ADD_FAILURE() << e.what();
          ++failures;
        }
      }
    });
  }
  for (int i = 0; i < 20; ++i) {
    Asset asset = MakeAsset(200 + i, Kind::kArticle, "2020-01-01T10:00:00Z", {}, {});
    AddTranslation(asset, "en-GB", "Statement number " + std::to_string(i),
                   {Block::Paragraph("Another statement.")});
    Put(asset);
    Index().CatchUp(*store_);
  }
  Index().Rebuild(*store_);
  stop = true;
  for (std::thread& thread : readers) thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_GT(searches, 0);
  EXPECT_EQ(Index().Search(Text("another")).total, 20);
}

}  // namespace
}  // namespace assetpub::search
