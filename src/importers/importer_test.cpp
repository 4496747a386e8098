#include "importers/importer.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "content/asset_json.h"
#include "content/instant.h"
#include "content/slug.h"
#include "content/validate.h"
#include "core/config.h"
#include "core/error.h"
#include "corpus/generator.h"
#include "importers/testing/test_files.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace assetpub::importers {
namespace {

namespace fs = std::filesystem;
using content::Asset;
using content::Block;
using content::Related;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ReadFile;

const fs::path kSeedEn = testing::SourceDir() / "sample-content" / "000_c859f3be1a1edfd6.txt";
const fs::path kSeedRu =
    testing::SourceDir() / "sample-content" / "ru-RU_2013-06-07_press-conference-oic.txt";
const fs::path kTestData = testing::ScrapedPagesDir();
const fs::path kAuthored = testing::AuthoredPagesDir();

// A short scraped page in the seed's shape.
std::string Page(const std::string& date, const std::string& title, const std::string& body,
                 const std::vector<std::string>& related = {},
                 const std::string& languages = "en-GB1 ru-RU1") {
  std::string text = "Asset Publisher\n\n" + date + "\n\n" + title + "\n\n\n  • " + languages +
                     "\n\n" + body + "\n\nAdditional materials\n\n";
  for (const auto& line : related) text += line + "\n\n";
  return text + "Advanced settings";
}

// Every asset of the store as `export` writes it; modified_at dropped when asked.
nlohmann::ordered_json Export(store::Store& store, bool with_modified = true) {
  auto all = nlohmann::ordered_json::array();
  store.ForEach([&](const Asset& asset) {
    auto json = content::ToJson(asset);
    if (!with_modified) json.erase("modified_at");
    all.push_back(std::move(json));
  });
  return all;
}

class ImporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_ / "files");
    store_ = OpenStore("a");
  }
  void TearDown() override { stores_.clear(); }

  // A fresh SQLite store in this test's folder; the test keeps it until the end.
  store::Store* OpenStore(const std::string& name) {
    stores_.push_back(store::OpenStore("sqlite:" + (dir_ / (name + ".db")).string()));
    return stores_.back().get();
  }

  fs::path Write(const std::string& name, const std::string& text) {
    fs::path path = dir_ / "files" / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  FileResult Import(const fs::path& path, store::Store* store = nullptr) {
    Importer importer(store ? *store : *store_, config_);
    return importer.ImportFile(path);
  }

  std::vector<Asset> All(store::Store* store = nullptr) {
    std::vector<Asset> assets;
    (store ? store : store_)->ForEach([&](const Asset& a) { assets.push_back(a); });
    return assets;
  }

  const assetpub::testing::TempDir temp_{"assetpub-importers-"};
  const fs::path dir_ = temp_.path();
  Config config_;
  std::vector<std::unique_ptr<store::Store>> stores_;
  store::Store* store_ = nullptr;
};

TEST_F(ImporterTest, SeedAndItsRussianVersionBecomeOneAsset) {
  const FileResult en = Import(kSeedEn);
  ASSERT_EQ(en.outcome, Outcome::kImported) << en.message;
  const FileResult ru = Import(kSeedRu);
  ASSERT_EQ(ru.outcome, Outcome::kImported) << ru.message;
  EXPECT_EQ(en.asset_ids, ru.asset_ids);

  const auto assets = All();
  ASSERT_EQ(assets.size(), 1u);
  const Asset& asset = assets[0];
  EXPECT_EQ(asset.kind, content::Kind::kTranscript);
  EXPECT_EQ(asset.status, content::Status::kPublished);
  EXPECT_EQ(content::ToIso8601(asset.published_at, asset.time_zone), "2013-06-07T16:29:00+04:00");
  EXPECT_THAT(asset.languages, ElementsAre("en-GB", "ru-RU"));
  EXPECT_THAT(asset.people, ElementsAre("Sergey Lavrov"));
  EXPECT_TRUE(asset.modified_at.has_value());
  ASSERT_EQ(asset.translations.size(), 2u);
  const auto& english = asset.translations.at("en-GB");
  EXPECT_EQ(english.slug, content::MakeSlug(english.title));
  EXPECT_EQ(english.place, "Moscow");
  EXPECT_EQ(english.source, "000_c859f3be1a1edfd6.txt");
  EXPECT_EQ(english.blocks.size(), 9u);
  // The first paragraph is short ("Dear Ladies and Gentlemen,"): the summary is the next one,
  // cut at a word boundary.
  EXPECT_THAT(english.summary, ::testing::StartsWith("Today we are welcoming the Secretary"));
  EXPECT_THAT(english.summary, ::testing::EndsWith("…"));
  const auto& russian = asset.translations.at("ru-RU");
  EXPECT_EQ(russian.place, "Москва");
  EXPECT_EQ(russian.source, "ru-RU_2013-06-07_press-conference-oic.txt");
}

TEST_F(ImporterTest, ImportOrderDoesNotMatter) {
  ASSERT_EQ(Import(kSeedEn).outcome, Outcome::kImported);
  ASSERT_EQ(Import(kSeedRu).outcome, Outcome::kImported);
  store::Store* other = OpenStore("other");
  const FileResult ru = Import(kSeedRu, other);
  ASSERT_EQ(ru.outcome, Outcome::kImported) << ru.message;
  // Alone, the Russian page names its own speaker…
  EXPECT_THAT(All(other)[0].people, ElementsAre("С.В.Лавров"));
  ASSERT_EQ(Import(kSeedEn, other).outcome, Outcome::kImported);
  // …but once the site's default language is there, its spelling wins.
  EXPECT_THAT(All(other)[0].people, ElementsAre("Sergey Lavrov"));
  EXPECT_EQ(Export(*other, false).dump(2), Export(*store_, false).dump(2));
}

TEST_F(ImporterTest, ReimportChangesNothing) {
  ASSERT_EQ(Import(kSeedEn).outcome, Outcome::kImported);
  ASSERT_EQ(Import(kSeedRu).outcome, Outcome::kImported);
  const int64_t last = store_->LastChange();
  const auto before = Export(*store_).dump();
  for (const fs::path& path : {kSeedEn, kSeedRu}) {
    const FileResult again = Import(path);
    EXPECT_EQ(again.outcome, Outcome::kUnchanged) << again.message;
    EXPECT_EQ(again.asset_ids.size(), 1u);
  }
  EXPECT_EQ(store_->LastChange(), last);
  EXPECT_TRUE(store_->ChangesSince(last, 10).empty());
  EXPECT_EQ(Export(*store_).dump(), before);
}

TEST_F(ImporterTest, ABadFileChangesNothingAndTheOthersStillImport) {
  Write("folder/b-good.txt", ReadFile(kSeedEn));
  Write("folder/a-bad.txt", ReadFile(kTestData / "bad-impossible-date.txt"));
  Write("folder/c-notes.md", "# notes");
  Write("folder/.hidden.txt", ReadFile(kSeedRu));
  Write("folder/.git/config.txt", ReadFile(kSeedRu));
  Write("folder/sub/d-statement.txt", ReadFile(kTestData / "statement-en.txt"));
  std::vector<std::string> progress;
  Importer importer(*store_, config_);
  const auto results = importer.ImportPaths(
      {dir_ / "files" / "folder", dir_ / "files" / "missing.txt"},
      [&](const FileResult& r) { progress.push_back(r.path.filename().string()); });
  ASSERT_EQ(results.size(), 5u);
  EXPECT_THAT(progress, ElementsAre("a-bad.txt", "b-good.txt", "c-notes.md", "d-statement.txt",
                                    "missing.txt"));
  EXPECT_EQ(results[0].outcome, Outcome::kRejected);
  EXPECT_THAT(results[0].message, HasSubstr("line 3: impossible date"));
  EXPECT_TRUE(results[0].asset_ids.empty());
  EXPECT_EQ(results[1].outcome, Outcome::kImported) << results[1].message;
  EXPECT_EQ(results[2].outcome, Outcome::kRejected);
  EXPECT_THAT(results[2].message, HasSubstr("line 1: a .md file starts with front matter"));
  EXPECT_EQ(results[3].outcome, Outcome::kImported) << results[3].message;
  EXPECT_EQ(results[4].outcome, Outcome::kRejected);
  EXPECT_THAT(results[4].message, HasSubstr("no such file"));
  const auto assets = All();
  ASSERT_EQ(assets.size(), 2u);
  EXPECT_EQ(assets[0].translations.size(), 1u);  // the hidden Russian page was skipped
  EXPECT_EQ(store_->LastChange(), 2);
}

// A front matter key of 40,000 dotted parts overflowed the stack inside toml++ (the process
// died, and the files after it were never imported): now it is refused with its line, and the
// batch goes on.
TEST_F(ImporterTest, AHostileFileInTheMiddleOfABatchIsRejectedAndItsNeighboursImported) {
  std::string key = "a";
  for (int i = 1; i < 40'000; ++i) key += ".a";
  Write("batch/a.md",
        "+++\ntitle = \"First\"\npublished_at = 2015-03-02T10:00:00+03:00\n+++\nOne.\n");
  Write("batch/b.md",
        "+++\ntitle = \"T\"\npublished_at = 2015-03-02T11:00:00+03:00\n" + key + " = 1\n+++\nB\n");
  Write("batch/c.json", std::string(100'000, '[') + std::string(100'000, ']'));
  Write("batch/d.md",
        "+++\ntitle = \"Last\"\npublished_at = 2015-03-02T12:00:00+03:00\n+++\nFour.\n");
  Importer importer(*store_, config_);
  const auto results = importer.ImportPaths({dir_ / "files" / "batch"});
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].outcome, Outcome::kImported) << results[0].message;
  EXPECT_EQ(results[1].outcome, Outcome::kRejected);
  EXPECT_EQ(results[1].message, "line 2: front matter: more than 65536 bytes");
  EXPECT_EQ(results[2].outcome, Outcome::kRejected);
  EXPECT_EQ(results[2].message, "line 1: arrays and objects nested more than 64 deep");
  EXPECT_EQ(results[3].outcome, Outcome::kImported) << results[3].message;
  EXPECT_EQ(All().size(), 2u);
}

TEST_F(ImporterTest, JsonWithAnInvalidSecondAssetWritesNothing) {
  ASSERT_EQ(Import(kSeedEn).outcome, Outcome::kImported);
  auto exported = Export(*store_);
  auto second = exported[0];
  second["id"] = 2;
  second["translations"]["en-GB"]["title"] = "";
  exported.push_back(second);
  exported[0]["priority"] = 5;  // a change that must not land either
  const int64_t last = store_->LastChange();
  const FileResult result = Import(Write("two.json", exported.dump(2)));
  EXPECT_EQ(result.outcome, Outcome::kRejected);
  EXPECT_THAT(result.message, HasSubstr("asset [1]"));
  EXPECT_THAT(result.message, HasSubstr("translations.en-GB.title"));
  EXPECT_EQ(store_->LastChange(), last);
  ASSERT_EQ(All().size(), 1u);
  EXPECT_EQ(All()[0].priority, 0);
}

TEST_F(ImporterTest, AStoreRefusalMidFileRollsBackTheWholeFile) {
  ASSERT_EQ(Import(kSeedEn).outcome, Outcome::kImported);
  auto exported = Export(*store_);
  store::Store* empty = OpenStore("empty");
  // The first asset is written, then the second points at an asset that exists nowhere.
  auto second = exported[0];
  second["id"] = 2;
  second["translations"]["en-GB"]["title"] = "Another title";
  second["translations"]["en-GB"]["slug"] = "another-title";
  second["related"] = nlohmann::ordered_json::array({{{"id", 999}}});
  exported.push_back(second);
  const FileResult result = Import(Write("broken.json", exported.dump()), empty);
  EXPECT_EQ(result.outcome, Outcome::kRejected);
  EXPECT_THAT(result.message, HasSubstr("999"));
  EXPECT_EQ(empty->LastChange(), 0);
  EXPECT_TRUE(All(empty).empty());
}

TEST_F(ImporterTest, BadJsonIsRejected) {
  EXPECT_THAT(Import(Write("broken.json", "[{\"id\": 1,")).message, HasSubstr("not valid JSON"));
  EXPECT_THAT(Import(Write("number.json", "42")).message, HasSubstr("one asset object"));
  // A number no double holds (found by the json_asset fuzz target): invalid, not "internal".
  const FileResult overflow =
      Import(Write("overflow.json", "{\"kind\": \"statement\",\n\"published_at\": 1E99999}"));
  EXPECT_EQ(overflow.outcome, Outcome::kRejected);
  EXPECT_THAT(overflow.message,
              HasSubstr("not valid JSON: line 2: number overflow parsing '1E99999'"));
  EXPECT_EQ(Import(Write("empty.json", "[]")).outcome, Outcome::kUnchanged);
  EXPECT_EQ(store_->LastChange(), 0);
}

TEST_F(ImporterTest, RelatedTitlesAreMatchedToExistingAssets) {
  const std::string target_title = "Statement by the Ministry on the Korean Peninsula";
  const FileResult target =
      Import(Write("target.txt", Page("12 April 201311:15", target_title, "We are concerned.")));
  ASSERT_EQ(target.outcome, Outcome::kImported) << target.message;
  const FileResult referring = Import(
      Write("referring.txt", Page("13 April 201310:00", "Comment on the missile launch",
                                  "We regret the launch.", {target_title, "Not imported yet"})));
  ASSERT_EQ(referring.outcome, Outcome::kImported) << referring.message;
  const auto asset = store_->Get(referring.asset_ids.at(0));
  ASSERT_TRUE(asset);
  EXPECT_THAT(asset->related,
              ElementsAre(Related{target.asset_ids.at(0), ""}, Related{0, "Not imported yet"}));
}

TEST_F(ImporterTest, RelatedTitlesAreResolvedWhenTheTargetArrivesLater) {
  const std::string target_title = "Statement by the Ministry on the Korean Peninsula";
  const FileResult referring = Import(
      Write("referring.txt", Page("13 April 201310:00", "Comment on the missile launch",
                                  "We regret the launch.", {target_title, "Still missing"})));
  ASSERT_EQ(referring.outcome, Outcome::kImported) << referring.message;
  const int64_t referring_id = referring.asset_ids.at(0);
  EXPECT_THAT(store_->Get(referring_id)->related,
              ElementsAre(Related{0, target_title}, Related{0, "Still missing"}));

  const FileResult target =
      Import(Write("target.txt", Page("12 April 201311:15", target_title, "We are concerned.")));
  ASSERT_EQ(target.outcome, Outcome::kImported) << target.message;
  EXPECT_THAT(store_->Get(referring_id)->related,
              ElementsAre(Related{target.asset_ids.at(0), ""}, Related{0, "Still missing"}));
  // Re-importing the referring page keeps the resolved link and changes nothing.
  const int64_t last = store_->LastChange();
  EXPECT_EQ(Import(dir_ / "files" / "referring.txt").outcome, Outcome::kUnchanged);
  EXPECT_EQ(store_->LastChange(), last);
}

TEST_F(ImporterTest, ADeclaredLanguageWithoutAPageIsKept) {
  const FileResult result = Import(kTestData / "three-languages-en.txt");
  ASSERT_EQ(result.outcome, Outcome::kImported) << result.message;
  const auto asset = store_->Get(result.asset_ids.at(0));
  EXPECT_THAT(asset->languages, ElementsAre("en-GB", "ru-RU", "fr-FR"));
  EXPECT_EQ(asset->kind, content::Kind::kInterview);
  EXPECT_EQ(asset->translations.size(), 1u);
}

TEST_F(ImporterTest, PagesOfTheSameMinuteMergeOnlyWhenTheyNameEachOther) {
  const std::string date = "7 June 201316:29";
  ASSERT_EQ(Import(kSeedEn).outcome, Outcome::kImported);
  // Same instant, Russian, but its language line does not name English: another item.
  const FileResult alone =
      Import(Write("alone.txt",
                   "Публикатор ресурсов\n\n7 июня 201316:29\n\nЗаявление МИД\n\n"
                   "• ru-RU1\n\nТекст заявления."));
  ASSERT_EQ(alone.outcome, Outcome::kImported) << alone.message;
  // Same instant, English, a different title from another file: another item too.
  const FileResult other =
      Import(Write("other.txt", Page(date, "Statement on another subject", "Other text.")));
  ASSERT_EQ(other.outcome, Outcome::kImported) << other.message;
  EXPECT_EQ(All().size(), 3u);
  // The Russian version of the seed still finds its English version.
  const FileResult ru = Import(kSeedRu);
  EXPECT_EQ(ru.asset_ids, Import(kSeedEn).asset_ids);
  EXPECT_EQ(All().size(), 3u);
}

// The same item on the French, Spanish, … sites: dated as each language writes a long date.
TEST_F(ImporterTest, PagesDatedInEveryLanguageMergeWithTheEnglishOneOfTheirInstant) {
  const std::vector<std::pair<std::string, std::string>> pages = {
      {"multilingual-en.txt", "en-GB"}, {"multilingual-fr.txt", "fr-FR"},
      {"multilingual-es.txt", "es-ES"}, {"multilingual-de.txt", "de-DE"},
      {"multilingual-pt.txt", "pt-PT"}, {"multilingual-ar.txt", "ar-SA"},
      {"multilingual-zh.txt", "zh-CN"},
  };
  std::vector<int64_t> ids;
  for (const auto& [name, tag] : pages) {
    const FileResult result = Import(kTestData / name);
    ASSERT_EQ(result.outcome, Outcome::kImported) << name << ": " << result.message;
    EXPECT_THAT(result.message, HasSubstr(tag)) << name;
    ids.insert(ids.end(), result.asset_ids.begin(), result.asset_ids.end());
  }
  ASSERT_EQ(ids.size(), pages.size());
  EXPECT_TRUE(std::all_of(ids.begin(), ids.end(), [&](int64_t id) { return id == ids[0]; }));
  const auto assets = All();
  ASSERT_EQ(assets.size(), 1u);
  const Asset& asset = assets[0];
  EXPECT_EQ(content::ToIso8601(asset.published_at, asset.time_zone), "2014-03-12T18:05:00+04:00");
  EXPECT_THAT(asset.languages,
              ElementsAre("en-GB", "ru-RU", "fr-FR", "es-ES", "de-DE", "pt-PT", "ar-SA", "zh-CN"));
  ASSERT_EQ(asset.translations.size(), pages.size());
  EXPECT_EQ(asset.kind, content::Kind::kStatement);  // from the English title
  EXPECT_EQ(asset.translations.at("fr-FR").place, "Moscou");
  EXPECT_EQ(asset.translations.at("es-ES").place, "Moscú");
  EXPECT_EQ(asset.translations.at("ar-SA").place, "موسكو");
  EXPECT_EQ(asset.translations.at("de-DE").source, "multilingual-de.txt");
  EXPECT_THAT(asset.translations.at("zh-CN").title, ::testing::StartsWith("外交部"));
}

TEST_F(ImporterTest, AFrenchOrSpanishPageFirstFindsItsEnglishVersionLater) {
  const std::string languages = "en-GB1 fr-FR1 es-ES1";
  const FileResult fr = Import(Write(
      "fr.txt", Page("12 mars 201418:05", "Déclaration du Ministère", "Texte.", {}, languages)));
  ASSERT_EQ(fr.outcome, Outcome::kImported) << fr.message;
  const FileResult es =
      Import(Write("es.txt", Page("12 de marzo de 2014 18:05", "Declaración del Ministerio",
                                  "Texto.", {}, languages)));
  ASSERT_EQ(es.outcome, Outcome::kImported) << es.message;
  const FileResult en = Import(Write(
      "en.txt", Page("12 March 201418:05", "Statement by the Ministry", "Text.", {}, languages)));
  ASSERT_EQ(en.outcome, Outcome::kImported) << en.message;
  EXPECT_EQ(fr.asset_ids, es.asset_ids);
  EXPECT_EQ(fr.asset_ids, en.asset_ids);
  const auto assets = All();
  ASSERT_EQ(assets.size(), 1u);
  EXPECT_THAT(assets[0].languages, ElementsAre("en-GB", "fr-FR", "es-ES"));
  EXPECT_EQ(assets[0].translations.at("fr-FR").title, "Déclaration du Ministère");
  EXPECT_EQ(assets[0].translations.at("es-ES").title, "Declaración del Ministerio");
  // A French page of another minute is another item.
  const FileResult later = Import(Write(
      "fr-later.txt", Page("12 mars 201418:06", "Autre déclaration", "Texte.", {}, languages)));
  ASSERT_EQ(later.outcome, Outcome::kImported) << later.message;
  EXPECT_NE(later.asset_ids, fr.asset_ids);
}

// A press conference of one instant as each language's site writes it
// (tests/testdata/import/transcript-*.txt): its date line, title and question/answer turns in
// that language.
struct LocalePage {
  std::string file;
  std::string tag;      // the page's language
  std::string speaker;  // its answer turns' speaker
};

void PrintTo(const LocalePage& page, std::ostream* out) { *out << page.file; }

class LocalePageImport : public ImporterTest, public ::testing::WithParamInterface<LocalePage> {};

TEST_P(LocalePageImport, IsAnItemByItselfThenJoinsTheEnglishPageOfItsInstantInEitherOrder) {
  const LocalePage& page = GetParam();
  const FileResult first = Import(kTestData / page.file);
  ASSERT_EQ(first.outcome, Outcome::kImported) << first.message;
  EXPECT_THAT(first.message, HasSubstr(page.tag));
  auto assets = All();
  ASSERT_EQ(assets.size(), 1u);
  EXPECT_EQ(content::ToIso8601(assets[0].published_at, assets[0].time_zone),
            "2015-05-21T14:30:00+03:00");
  EXPECT_TRUE(assets[0].translations.contains(page.tag));
  // Alone, the page's own title and turns give the kind and the speaker.
  EXPECT_EQ(content::KindName(assets[0].kind), content::KindName(content::Kind::kTranscript));
  EXPECT_THAT(assets[0].people, ElementsAre(page.speaker));

  const FileResult english = Import(kTestData / "transcript-en.txt");
  ASSERT_EQ(english.outcome, Outcome::kImported) << english.message;
  EXPECT_EQ(english.asset_ids, first.asset_ids);
  assets = All();
  ASSERT_EQ(assets.size(), 1u);
  EXPECT_EQ(assets[0].translations.size(), 2u);
  EXPECT_TRUE(assets[0].translations.contains("en-GB"));
  EXPECT_THAT(assets[0].people, ElementsAre("Sergey Lavrov"));  // the default language's

  store::Store* other = OpenStore("english-first");
  ASSERT_EQ(Import(kTestData / "transcript-en.txt", other).outcome, Outcome::kImported);
  const FileResult second = Import(kTestData / page.file, other);
  ASSERT_EQ(second.outcome, Outcome::kImported) << second.message;
  EXPECT_EQ(All(other).size(), 1u);
  EXPECT_EQ(Export(*other, false).dump(2), Export(*store_, false).dump(2));
}

INSTANTIATE_TEST_SUITE_P(
    EveryLanguageOfTheSite, LocalePageImport,
    ::testing::Values(LocalePage{"transcript-fr.txt", "fr-FR", "S.Lavrov"},
                      LocalePage{"transcript-es.txt", "es-ES", "Serguéi Lavrov"},
                      LocalePage{"transcript-de.txt", "de-DE", "S.Lawrow"},
                      LocalePage{"transcript-pt.txt", "pt-PT", "Serguei Lavrov"},
                      LocalePage{"transcript-ar.txt", "ar-SA", "سيرغي لافروف"},
                      LocalePage{"transcript-zh.txt", "zh-CN", "谢·维·拉夫罗夫"}),
    [](const ::testing::TestParamInfo<LocalePage>& info) { return info.param.tag.substr(0, 2); });

TEST_F(ImporterTest, ADateInNoShippedLanguageIsRejectedWithItsLine) {
  const FileResult result = Import(kTestData / "bad-date-italian.txt");
  EXPECT_EQ(result.outcome, Outcome::kRejected);
  EXPECT_THAT(result.message, HasSubstr("line 3: no date line such as '7 June 2013 16:29' in any "
                                        "of en, ru, fr, es, de, pt, ar, zh"));
  EXPECT_TRUE(All().empty());
}

TEST_F(ImporterTest, AnEditedPageReplacesItsTranslation) {
  const fs::path path = Write("page.txt", Page("12 April 201311:15", "Statement", "Old text."));
  const FileResult first = Import(path);
  ASSERT_EQ(first.outcome, Outcome::kImported);
  Write("page.txt", Page("12 April 201311:15", "Statement on the peninsula", "New text."));
  const FileResult second = Import(path);
  ASSERT_EQ(second.outcome, Outcome::kImported) << second.message;
  EXPECT_EQ(second.asset_ids, first.asset_ids);
  const auto asset = store_->Get(first.asset_ids.at(0));
  EXPECT_EQ(asset->translations.at("en-GB").title, "Statement on the peninsula");
  EXPECT_EQ(asset->translations.at("en-GB").blocks,
            std::vector<Block>{Block::Paragraph("New text.")});
}

// What an edit through the admin leaves in the store (authoring::Workflow's PutLive): the row
// and a revision that it holds. With `live` false, what saving a published item's edits without
// publishing them leaves: only a revision, newer than the one the row holds. Returns the
// revision's number.
int64_t EditAsAnEditor(store::Store& store, int64_t id, const std::string& title,
                       bool live = true) {
  auto tx = store.Begin();
  Asset asset = *tx->Get(id);
  asset.translations.at("en-GB").title = title;
  if (live) tx->Put(asset);
  store::Revision revision;
  revision.asset_id = id;
  revision.at = content::Now();
  revision.author = "ed1";
  revision.note = "edited in the admin";
  revision.asset = asset;
  const int64_t number = tx->AddRevision(revision);
  if (live) tx->SetLiveRevision(id, number);
  tx->Commit();
  return number;
}

TEST_F(ImporterTest, AnImportIntoAnEditedItemIsRecordedAsARevision) {
  const fs::path path = Write("page.txt", Page("12 April 201311:15", "Statement", "Old text."));
  const int64_t id = Import(path).asset_ids.at(0);
  ASSERT_EQ(EditAsAnEditor(*store_, id, "Statement, edited"), 1);

  Write("page.txt", Page("12 April 201311:15", "Statement", "New text."));
  const FileResult result = Import(path);
  ASSERT_EQ(result.outcome, Outcome::kImported) << result.message;

  const std::vector<store::Revision> revisions = store_->Revisions(id);
  ASSERT_EQ(revisions.size(), 2u);
  EXPECT_EQ(revisions.front().number, 2);  // newest first
  EXPECT_EQ(revisions.front().author, kImportAuthor);
  EXPECT_EQ(revisions.front().note, "import page.txt");
  // The row holds the new revision, which is the stored content exactly.
  const store::RevisionHead head = store_->Head(id);
  EXPECT_EQ(head.latest, 2);
  EXPECT_EQ(head.live, 2);
  const std::optional<store::Revision> newest = store_->GetRevision(id, 2);
  ASSERT_TRUE(newest && newest->asset);
  EXPECT_EQ(newest->asset->translations.at("en-GB").blocks,
            std::vector<Block>{Block::Paragraph("New text.")});
  EXPECT_TRUE(newest->asset->SameContent(*store_->Get(id)));

  // Importing the same file again changes nothing, and records nothing.
  EXPECT_EQ(Import(path).outcome, Outcome::kUnchanged);
  EXPECT_EQ(store_->Revisions(id).size(), 2u);
}

TEST_F(ImporterTest, AJsonImportIntoAnEditedItemIsRecordedAsARevision) {
  const int64_t id =
      Import(Write("page.txt", Page("12 April 201311:15", "Statement", "Text."))).asset_ids.at(0);
  EditAsAnEditor(*store_, id, "Statement, edited");
  nlohmann::ordered_json exported = Export(*store_);
  exported[0]["translations"]["en-GB"]["title"] = "Statement, as exported and changed";
  const FileResult result = Import(Write("items.json", exported.dump()));
  ASSERT_EQ(result.outcome, Outcome::kImported) << result.message;
  const std::vector<store::Revision> revisions = store_->Revisions(id);
  ASSERT_EQ(revisions.size(), 2u);
  EXPECT_EQ(revisions.front().author, kImportAuthor);
  EXPECT_EQ(revisions.front().note, "import items.json");
  EXPECT_EQ(store_->Head(id).live, 2);
  EXPECT_EQ(store_->GetRevision(id, 0)->asset->translations.at("en-GB").title,
            "Statement, as exported and changed");
}

// An edited item that points at an asset new in the same file is written twice (the store
// refuses an id that does not exist yet): it gets one revision, holding the whole asset.
TEST_F(ImporterTest, AJsonSecondPassRecordsOneRevisionHoldingTheWholeAsset) {
  const int64_t id =
      Import(Write("page.txt", Page("12 April 201311:15", "Statement", "Text."))).asset_ids.at(0);
  EditAsAnEditor(*store_, id, "Statement, edited");
  nlohmann::ordered_json exported = Export(*store_);
  nlohmann::ordered_json later = exported[0];
  later["id"] = 900;
  later["translations"]["en-GB"]["title"] = "A later item";
  later["translations"]["en-GB"]["slug"] = "a-later-item";
  exported[0]["related"] = nlohmann::ordered_json::array({{{"id", 900}}});
  exported.push_back(later);
  const FileResult result = Import(Write("forward.json", exported.dump()));
  ASSERT_EQ(result.outcome, Outcome::kImported) << result.message;

  const std::vector<store::Revision> revisions = store_->Revisions(id);
  ASSERT_EQ(revisions.size(), 2u);
  EXPECT_EQ(revisions.front().author, kImportAuthor);
  EXPECT_EQ(store_->Head(id), (store::RevisionHead{2, 2}));
  const std::optional<store::Revision> newest = store_->GetRevision(id, 2);
  ASSERT_TRUE(newest && newest->asset);
  EXPECT_EQ(newest->asset->related, (std::vector<Related>{Related{900, {}}}));
  EXPECT_TRUE(newest->asset->SameContent(*store_->Get(id)));
  EXPECT_TRUE(store_->Revisions(900).empty());  // new: no history
}

// A file refused part-way leaves an edited item's row and history as they were.
TEST_F(ImporterTest, ARejectedJsonImportRecordsNoRevision) {
  const int64_t id =
      Import(Write("page.txt", Page("12 April 201311:15", "Statement", "Text."))).asset_ids.at(0);
  EditAsAnEditor(*store_, id, "Statement, edited");
  const Asset before = *store_->Get(id);
  const int64_t last = store_->LastChange();
  nlohmann::ordered_json exported = Export(*store_);
  exported[0]["translations"]["en-GB"]["title"] = "Statement, changed by the file";
  // The second asset is refused by the store, after the first was written and recorded.
  nlohmann::ordered_json broken = exported[0];
  broken["id"] = 2;
  broken["translations"]["en-GB"]["title"] = "Another title";
  broken["translations"]["en-GB"]["slug"] = "another-title";
  broken["related"] = nlohmann::ordered_json::array({{{"id", 999}}});
  exported.push_back(broken);
  const FileResult result = Import(Write("broken.json", exported.dump()));
  EXPECT_EQ(result.outcome, Outcome::kRejected);
  EXPECT_THAT(result.message, HasSubstr("999"));
  EXPECT_EQ(store_->Revisions(id).size(), 1u);
  EXPECT_EQ(store_->Head(id), (store::RevisionHead{1, 1}));
  EXPECT_TRUE(store_->Get(id)->SameContent(before));
  EXPECT_EQ(store_->LastChange(), last);
}

TEST_F(ImporterTest, AnItemNeverEditedKeepsNoHistory) {
  const fs::path path = Write("page.txt", Page("12 April 201311:15", "Statement", "Old text."));
  const int64_t id = Import(path).asset_ids.at(0);
  Write("page.txt", Page("12 April 201311:15", "Statement", "New text."));
  ASSERT_EQ(Import(path).outcome, Outcome::kImported);
  EXPECT_TRUE(store_->Revisions(id).empty());
  EXPECT_EQ(store_->Head(id).latest, 0);
}

// An editor's pending edits to the referring item (saved, not yet published) stay its working
// copy when an import resolves one of its links: the link lands in the published revision and
// in the pending copy, and neither replaces the other.
TEST_F(ImporterTest, ResolvingALinkKeepsAnEditorsPendingEdits) {
  const std::string target_title = "Statement by the Ministry on the Korean Peninsula";
  const int64_t referring_id =
      Import(Write("referring.txt", Page("13 April 201310:00", "Comment on the missile launch",
                                         "We regret the launch.", {target_title})))
          .asset_ids.at(0);
  ASSERT_EQ(EditAsAnEditor(*store_, referring_id, "Comment, published edit"), 1);
  // A second edit saved but not published: revision 2, newer than the live revision 1.
  ASSERT_EQ(EditAsAnEditor(*store_, referring_id, "Comment, pending edit", /*live=*/false), 2);
  ASSERT_EQ(store_->Head(referring_id), (store::RevisionHead{2, 1}));

  const FileResult target =
      Import(Write("target.txt", Page("12 April 201311:15", target_title, "We are concerned.")));
  ASSERT_EQ(target.outcome, Outcome::kImported) << target.message;
  const int64_t target_id = target.asset_ids.at(0);

  // Readers see the published edit with the link; the working copy is the pending edit with it.
  const Asset row = *store_->Get(referring_id);
  EXPECT_EQ(row.translations.at("en-GB").title, "Comment, published edit");
  EXPECT_THAT(row.related, ElementsAre(Related{target_id, ""}));
  EXPECT_EQ(store_->Head(referring_id), (store::RevisionHead{4, 3}));
  const std::optional<store::Revision> live = store_->GetRevision(referring_id, 3);
  ASSERT_TRUE(live && live->asset);
  EXPECT_TRUE(live->asset->SameContent(row));
  const std::optional<store::Revision> working = store_->GetRevision(referring_id, 4);
  ASSERT_TRUE(working && working->asset);
  EXPECT_EQ(working->author, kImportAuthor);
  EXPECT_EQ(working->asset->translations.at("en-GB").title, "Comment, pending edit");
  EXPECT_THAT(working->asset->related, ElementsAre(Related{target_id, ""}));
}

TEST_F(ImporterTest, ExportThenImportIntoAnEmptyStoreGivesIdenticalJson) {
  // A resolved link and an unmatched one, two languages, links backward and forward.
  ASSERT_EQ(Import(kSeedEn).outcome, Outcome::kImported);
  ASSERT_EQ(Import(kTestData / "statement-en.txt").outcome, Outcome::kImported);
  ASSERT_EQ(Import(kSeedRu).outcome, Outcome::kImported);
  ASSERT_EQ(Import(Write("comment.txt",
                         Page("13 April 201310:00", "Comment on the missile launch",
                              "We regret the launch.",
                              {"Statement by the Russian Ministry of Foreign Affairs on the "
                               "situation on the Korean Peninsula, Moscow, 12 April 2013",
                               "Still missing"})))
                .outcome,
            Outcome::kImported);
  // An earlier asset pointing at a later one: the import must write it in two steps.
  ASSERT_EQ(Import(Write("forward.txt", Page("1 April 201310:00", "Forward", "Text.",
                                             {"Comment on the missile launch"})))
                .outcome,
            Outcome::kImported);
  // Make the first asset point forward too (ids 1 -> 3), by JSON.
  auto first = content::ToJson(*store_->Get(1));
  first["related"] = nlohmann::ordered_json::array({{{"id", 3}}});
  ASSERT_EQ(Import(Write("edit.json", first.dump())).outcome, Outcome::kImported);

  const std::string exported = Export(*store_).dump(2);
  const fs::path file = Write("export.json", exported);
  store::Store* empty = OpenStore("empty");
  const FileResult result = Import(file, empty);
  ASSERT_EQ(result.outcome, Outcome::kImported) << result.message;
  EXPECT_EQ(result.asset_ids.size(), 4u);
  EXPECT_EQ(Export(*empty).dump(2), exported);
  // And once more: nothing to do.
  const int64_t last = empty->LastChange();
  EXPECT_EQ(Import(file, empty).outcome, Outcome::kUnchanged);
  EXPECT_EQ(empty->LastChange(), last);
}

TEST_F(ImporterTest, AGeneratedFileImportedTwiceIsUnchangedTheSecondTime) {
  const auto files = corpus::GenerateCorpus(300, 11, dir_ / "corpus");
  ASSERT_EQ(files.size(), 1u);
  const FileResult first = Import(files[0]);
  ASSERT_EQ(first.outcome, Outcome::kImported) << first.message;
  ASSERT_EQ(first.asset_ids.size(), 300u);
  EXPECT_EQ(std::set<int64_t>(first.asset_ids.begin(), first.asset_ids.end()).size(), 300u);
  const int64_t last = store_->LastChange();
  const auto before = Export(*store_).dump();

  const FileResult second = Import(files[0]);
  EXPECT_EQ(second.outcome, Outcome::kUnchanged) << second.message;
  EXPECT_EQ(second.asset_ids, first.asset_ids) << "each item found as the asset it became";
  EXPECT_EQ(All().size(), 300u);
  EXPECT_EQ(store_->LastChange(), last);
  EXPECT_EQ(Export(*store_).dump(), before);
}

TEST_F(ImporterTest, AnIdLessAssetIsMatchedOnlyWhenItsContentIsTheSame) {
  auto asset = nlohmann::ordered_json::parse(R"({
    "kind": "statement", "published_at": "2013-06-07T16:29:00+04:00",
    "languages": ["en-GB"],
    "translations": {"en-GB": {"title": "Statement on Syria", "slug": "statement-on-syria",
                               "blocks": [{"type": "paragraph", "text": "Text."}]}}})");
  const FileResult first = Import(Write("one.json", asset.dump()));
  ASSERT_EQ(first.outcome, Outcome::kImported) << first.message;
  EXPECT_EQ(Import(Write("one-again.json", asset.dump())).outcome, Outcome::kUnchanged);

  // The same minute with another title: another item, written beside the first.
  asset["translations"]["en-GB"]["title"] = "Statement on Iraq";
  const FileResult other = Import(Write("two.json", asset.dump()));
  ASSERT_EQ(other.outcome, Outcome::kImported) << other.message;
  EXPECT_NE(other.asset_ids, first.asset_ids);
  const auto assets = All();
  ASSERT_EQ(assets.size(), 2u);
  EXPECT_EQ(assets[0].translations.at("en-GB").title, "Statement on Syria");

  // A modified_at of its own does not make an item new.
  asset["modified_at"] = "2020-01-01T00:00:00+03:00";
  EXPECT_EQ(Import(Write("two-modified.json", asset.dump())).outcome, Outcome::kUnchanged);
  EXPECT_EQ(All().size(), 2u);
}

// A folder of .json files is imported with the next file checked ahead on another thread: the
// results are each file's own, in order, whatever its neighbours hold, and the second import of
// the same folder changes nothing.
TEST_F(ImporterTest, JsonFilesOfAFolderAreCheckedAheadAndImportedInOrder) {
  auto asset = nlohmann::ordered_json::parse(R"({
    "kind": "statement", "published_at": "2013-06-07T16:29:00+04:00",
    "languages": ["en-GB"],
    "translations": {"en-GB": {"title": "First", "slug": "first",
                               "blocks": [{"type": "paragraph", "text": "Text."}]}}})");
  Write("many/a.json", asset.dump());
  asset["translations"]["en-GB"]["title"] = "";
  Write("many/b.json", asset.dump());  // invalid: no title
  asset["translations"]["en-GB"]["title"] = "Third";
  auto fourth = asset;
  fourth["translations"]["en-GB"]["title"] = "Fourth";
  Write("many/c.json", nlohmann::ordered_json::array({asset, fourth}).dump());
  Write("many/d.json", "[");
  asset["translations"]["en-GB"]["title"] = "Fifth";
  Write("many/e.json", asset.dump());
  Importer importer(*store_, config_);
  std::vector<std::string> progress;
  const auto results = importer.ImportPaths({dir_ / "files" / "many"}, [&](const FileResult& r) {
    progress.push_back(r.path.filename().string());
  });
  EXPECT_THAT(progress, ElementsAre("a.json", "b.json", "c.json", "d.json", "e.json"));
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(results[0].outcome, Outcome::kImported) << results[0].message;
  EXPECT_EQ(results[1].outcome, Outcome::kRejected);
  EXPECT_THAT(results[1].message, HasSubstr("title"));
  EXPECT_EQ(results[2].outcome, Outcome::kImported) << results[2].message;
  EXPECT_EQ(results[3].outcome, Outcome::kRejected);
  EXPECT_THAT(results[3].message, HasSubstr("not valid JSON"));
  EXPECT_EQ(results[4].outcome, Outcome::kImported) << results[4].message;
  const auto assets = All();
  ASSERT_EQ(assets.size(), 4u);
  const int64_t last = store_->LastChange();
  const auto again = importer.ImportPaths({dir_ / "files" / "many"});
  ASSERT_EQ(again.size(), 5u);
  for (const size_t i : {0, 2, 4}) EXPECT_EQ(again[i].outcome, Outcome::kUnchanged) << i;
  EXPECT_EQ(store_->LastChange(), last);
}

TEST_F(ImporterTest, HtmlAndMarkdownVersionsOfOneItemBecomeOneAsset) {
  const FileResult en = Import(kAuthored / "press-conference-en.html");
  ASSERT_EQ(en.outcome, Outcome::kImported) << en.message;
  const FileResult ru = Import(kAuthored / "press-conference-ru.md");
  ASSERT_EQ(ru.outcome, Outcome::kImported) << ru.message;
  EXPECT_EQ(ru.message, fmt::format("asset {}: ru-RU added", en.asset_ids.at(0)));
  EXPECT_EQ(en.asset_ids, ru.asset_ids);

  const auto assets = All();
  ASSERT_EQ(assets.size(), 1u);
  const Asset& asset = assets[0];
  EXPECT_EQ(asset.kind, content::Kind::kTranscript);
  EXPECT_EQ(content::ToIso8601(asset.published_at, asset.time_zone), "2013-06-07T16:29:00+04:00");
  EXPECT_THAT(asset.languages, ElementsAre("en-GB", "ru-RU"));
  EXPECT_THAT(asset.people, ElementsAre("Sergey Lavrov"));  // the default language's spelling
  EXPECT_THAT(asset.tags, ElementsAre("OIC", "talks"));
  const auto& english = asset.translations.at("en-GB");
  EXPECT_EQ(english.source, "press-conference-en.html");
  EXPECT_EQ(english.summary, "The Minister's remarks after the talks, and his answers.");
  EXPECT_EQ(english.slug, content::MakeSlug(english.title));
  EXPECT_EQ(english.blocks.at(0), Block::Paragraph("Dear Ladies and Gentlemen,"));
  const auto& russian = asset.translations.at("ru-RU");
  EXPECT_EQ(russian.source, "press-conference-ru.md");
  EXPECT_EQ(russian.place, "Москва");
  EXPECT_EQ(russian.summary, "Дамы и господа,");
  // Nothing executable or any markup reached the store.
  const std::string stored = Export(*store_).dump();
  for (const char* needle : {"<script", "onerror", "javascript:", "<img", "<a ", "onload"}) {
    EXPECT_EQ(stored.find(needle), std::string::npos) << needle;
  }

  const int64_t last = store_->LastChange();
  for (const char* name : {"press-conference-en.html", "press-conference-ru.md"}) {
    const FileResult again = Import(kAuthored / name);
    EXPECT_EQ(again.outcome, Outcome::kUnchanged) << again.message;
    EXPECT_EQ(again.asset_ids, en.asset_ids);
  }
  EXPECT_EQ(store_->LastChange(), last);
}

TEST_F(ImporterTest, FrontMatterSaysWhatTheAssetIs) {
  const FileResult statement = Import(kAuthored / "statement-local-time.md");
  ASSERT_EQ(statement.outcome, Outcome::kImported) << statement.message;
  auto asset = store_->Get(statement.asset_ids.at(0));
  ASSERT_TRUE(asset);
  EXPECT_EQ(asset->kind, content::Kind::kStatement);
  EXPECT_EQ(asset->status, content::Status::kDraft);
  EXPECT_EQ(asset->priority, 3);
  EXPECT_EQ(content::ToIso8601(asset->published_at, asset->time_zone), "2015-03-02T10:00:00+03:00");
  EXPECT_THAT(asset->people, ElementsAre("Maria Zakharova"));
  EXPECT_THAT(asset->tags, ElementsAre("region", "security"));
  EXPECT_THAT(asset->categories.at("topic"), ElementsAre("Security"));
  EXPECT_THAT(asset->related, ElementsAre(Related{0, "Comment on the talks"}));
  const auto& t = asset->translations.at("en-GB");
  EXPECT_EQ(t.slug, "statement-region");
  EXPECT_EQ(t.summary, "A short statement.");
  EXPECT_EQ(t.source, "statement-local-time.md");

  // The item it names arrives (its title from its first heading): the link resolves.
  const FileResult comment = Import(kAuthored / "title-from-heading.md");
  ASSERT_EQ(comment.outcome, Outcome::kImported) << comment.message;
  EXPECT_THAT(comment.message, HasSubstr("now related from asset(s) 1"));
  EXPECT_EQ(store_->Get(comment.asset_ids.at(0))->kind, content::Kind::kComment);
  EXPECT_THAT(store_->Get(statement.asset_ids.at(0))->related,
              ElementsAre(Related{comment.asset_ids.at(0), ""}));
}

TEST_F(ImporterTest, BadHtmlAndMarkdownFilesAreRejectedWithTheirLineAndChangeNothing) {
  ASSERT_EQ(Import(kSeedEn).outcome, Outcome::kImported);
  const int64_t last = store_->LastChange();
  const auto before = Export(*store_).dump();
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(kAuthored)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("bad-") || entry.path().extension() == ".reason") continue;
    const std::string reason = ReadFile(kAuthored / (entry.path().stem().string() + ".reason"));
    const FileResult result = Import(entry.path());
    EXPECT_EQ(result.outcome, Outcome::kRejected) << name;
    EXPECT_EQ(result.message + "\n", reason) << name;
    EXPECT_TRUE(result.asset_ids.empty()) << name;
    ++checked;
  }
  EXPECT_GE(checked, 15);
  EXPECT_EQ(store_->LastChange(), last);
  EXPECT_EQ(Export(*store_).dump(), before);
}

// A list at its limit imports; one past it is refused naming the file's line (Markdown) or the
// asset and field (JSON), and the store is unchanged.
TEST_F(ImporterTest, ListsAreImportedAtTheirLimitAndRefusedPastIt) {
  const auto markdown = [](size_t tags) {
    std::string list;
    for (size_t i = 0; i < tags; ++i) list += fmt::format("{}\"tag {}\"", i ? ", " : "", i);
    return "+++\ntitle = \"Many tags\"\npublished_at = 2015-03-02T10:00:00+03:00\ntags = [" + list +
           "]\n+++\nBody.\n";
  };
  const FileResult over = Import(Write("over.md", markdown(content::kMaxTags + 1)));
  EXPECT_EQ(over.outcome, Outcome::kRejected);
  EXPECT_EQ(over.message, "line 4: 'tags' has 101 entries; at most 100 are accepted");
  EXPECT_EQ(store_->LastChange(), 0);

  const FileResult at = Import(Write("at.md", markdown(content::kMaxTags)));
  ASSERT_EQ(at.outcome, Outcome::kImported) << at.message;
  EXPECT_EQ(store_->Get(at.asset_ids.at(0))->tags.size(), content::kMaxTags);

  auto exported = Export(*store_);
  const int64_t last = store_->LastChange();
  const std::string before = exported.dump();
  exported[0]["tags"] = nlohmann::json::array();
  for (size_t i = 0; i <= content::kMaxTags; ++i)
    exported[0]["tags"].push_back(fmt::format("x{}", i));
  const FileResult json_over = Import(Write("over.json", exported.dump()));
  EXPECT_EQ(json_over.outcome, Outcome::kRejected);
  EXPECT_THAT(json_over.message, HasSubstr("tags"));
  EXPECT_THAT(json_over.message, HasSubstr("at most 100"));
  EXPECT_EQ(store_->LastChange(), last);
  EXPECT_EQ(Export(*store_).dump(), before);
}

TEST_F(ImporterTest, FileTypesGoByExtensionInAnyCase) {
  const std::string page = ReadFile(kAuthored / "press-conference-en.html");
  EXPECT_EQ(Import(Write("PAGE.HTM", page)).outcome, Outcome::kImported);
  const std::string markdown = ReadFile(kAuthored / "title-from-heading.md");
  EXPECT_EQ(Import(Write("note.Markdown", markdown)).outcome, Outcome::kImported);
  const FileResult other = Import(Write("page.xhtml", page));
  EXPECT_EQ(other.outcome, Outcome::kRejected);
  EXPECT_THAT(other.message, HasSubstr("'page.xhtml' is none of the files import takes"));
  EXPECT_EQ(All().size(), 2u);
}

TEST(Summarise, TakesTheFirstLongParagraphAndCutsOnAWord) {
  const std::string long_text =
      std::string(120, 'a') + " " + std::string(150, 'b') + " " + std::string(100, 'c');
  EXPECT_EQ(Summarise({Block::Paragraph("Short."), Block::Paragraph(long_text)}),
            std::string(120, 'a') + " " + std::string(150, 'b') + "…");
  EXPECT_EQ(Summarise({Block::Paragraph("Short."), Block::Paragraph("Also short.")}), "Short.");
  const std::string hundred(100, 'x');
  EXPECT_EQ(Summarise({Block::Turn(content::TurnRole::kQuestion, "Question", {"Why?"}),
                       Block::Turn(content::TurnRole::kAnswer, "Sergey Lavrov", {hundred})}),
            hundred);
  EXPECT_EQ(Summarise({}), "");
  // Cyrillic counts characters, not bytes: 300 letters fit whole.
  std::string cyrillic;
  for (int i = 0; i < 300; ++i) cyrillic += "ж";
  EXPECT_EQ(Summarise({Block::Paragraph(cyrillic)}), cyrillic);
  EXPECT_EQ(Summarise({Block::Paragraph(cyrillic + "ж")}), cyrillic + "…");
}

}  // namespace
}  // namespace assetpub::importers
