// The command line end to end: the real `assetpub` binary on temporary data directories.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>

#include "support/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

struct Result {
  int exit_code = -1;
  std::string out;  // standard output
  std::string err;  // standard error
};

std::string ReadFile(const fs::path& path);

Result RunAssetpub(const std::string& args) {
  const fs::path err =
      fs::temp_directory_path() / ("assetpub-cli-stderr-" + std::to_string(::getpid()) + ".txt");
  const std::string command = std::string(ASSETPUB_BINARY) + " " + args + " 2>" + err.string();
  Result result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.err = ReadFile(err);
  fs::remove(err);
  return result;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class Cli : public ::testing::Test {
 protected:
  std::string Data(const std::string& name) const { return "--data " + (root_ / name).string(); }
  static std::string Samples() { return std::string(ASSETPUB_SOURCE_DIR) + "/sample-content"; }

  const assetpub::testing::TempDir temp_{"assetpub-cli-"};
  const fs::path root_ = temp_.path();
};

TEST_F(Cli, ImportMergesLanguageVersionsAndReimportIsUnchanged) {
  Result first = RunAssetpub(Data("a") + " import " + Samples());
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  // The seed's two pages land in one asset (the same id on both lines); the eight-language
  // statement (one .json file) is the second asset.
  std::smatch match;
  std::vector<std::string> ids;
  std::string rest = first.out;
  const std::regex line(R"(imported  \S+ \(asset (\d+)\))");
  while (std::regex_search(rest, match, line)) {
    ids.push_back(match[1]);
    rest = match.suffix();
  }
  ASSERT_EQ(ids.size(), 3u) << first.out << first.err;
  EXPECT_EQ(ids[0], ids[1]);
  EXPECT_NE(ids[2], ids[0]);

  Result again = RunAssetpub(Data("a") + " import " + Samples());
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_THAT(again.out, HasSubstr("unchanged"));
  EXPECT_THAT(again.out, ::testing::Not(HasSubstr("imported  ")));
}

TEST_F(Cli, BadFilesAreRejectedByNameAndTheOthersStillImport) {
  const fs::path in = root_ / "in";
  fs::create_directories(in);
  fs::copy_file(Samples() + "/000_c859f3be1a1edfd6.txt", in / "good.txt");
  std::ofstream(in / "empty.txt") << "";
  std::ofstream(in / "nodate.txt") << "Asset Publisher\n\nA title without a date\n\nText.\n";
  std::ofstream(in / "badutf8.txt") << "Asset Publisher\n\n7 June 201316:29\n\nTitle \xff\xfe\n";
  std::ofstream(in / "impossible.txt") << "Asset Publisher\n\n31 June 201316:29\n\nTitle\n\nText\n";

  Result result = RunAssetpub(Data("a") + " import " + in.string());
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_THAT(result.out, HasSubstr("imported  " + (in / "good.txt").string()));
  for (const char* bad : {"empty.txt", "nodate.txt", "badutf8.txt", "impossible.txt"}) {
    EXPECT_THAT(result.out, HasSubstr("rejected  " + (in / bad).string() + ": ")) << bad;
  }
  // Only the good file reached the store.
  Result exported = RunAssetpub(Data("a") + " export");
  ASSERT_EQ(exported.exit_code, 0) << exported.out;
  const auto assets = nlohmann::json::parse(exported.out);
  ASSERT_EQ(assets.size(), 1u);
  EXPECT_EQ(assets[0]["translations"]["en-GB"]["source"], "good.txt");
}

TEST_F(Cli, PagesDatedInOtherLanguagesImportAndAnUnknownDateIsRejectedWithItsFileAndLine) {
  const fs::path in = root_ / "in";
  fs::create_directories(in);
  const fs::path pages = fs::path(ASSETPUB_SOURCE_DIR) / "tests" / "testdata" / "import";
  for (const char* name : {"multilingual-en.txt", "multilingual-fr.txt", "multilingual-es.txt",
                           "bad-date-italian.txt"}) {
    fs::copy_file(pages / name, in / name);
  }
  Result result = RunAssetpub(Data("a") + " import " + in.string());
  EXPECT_EQ(result.exit_code, 1) << result.out;
  for (const char* good : {"multilingual-en.txt", "multilingual-fr.txt", "multilingual-es.txt"}) {
    EXPECT_THAT(result.out, HasSubstr("imported  " + (in / good).string() + " (asset 1)")) << good;
  }
  EXPECT_THAT(result.out, HasSubstr("rejected  " + (in / "bad-date-italian.txt").string() +
                                    ": line 3: no date line such as '7 June 2013 16:29'"));
  Result exported = RunAssetpub(Data("a") + " export");
  ASSERT_EQ(exported.exit_code, 0) << exported.out;
  const auto assets = nlohmann::json::parse(exported.out);
  ASSERT_EQ(assets.size(), 1u);
  EXPECT_EQ(assets[0]["translations"].size(), 3u);
  EXPECT_EQ(assets[0]["translations"]["fr-FR"]["source"], "multilingual-fr.txt");
  EXPECT_EQ(assets[0]["translations"]["es-ES"]["source"], "multilingual-es.txt");
}

TEST_F(Cli, ExportThenImportIntoAnEmptyDataDirGivesTheSameJson) {
  ASSERT_EQ(RunAssetpub(Data("a") + " import " + Samples()).exit_code, 0);
  const fs::path first = root_ / "first.json";
  Result exported = RunAssetpub(Data("a") + " export --out " + first.string());
  ASSERT_EQ(exported.exit_code, 0) << exported.out;
  const auto parsed = nlohmann::json::parse(ReadFile(first));
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0]["published_at"], "2013-06-07T16:29:00+04:00");
  EXPECT_EQ(parsed[0]["languages"], nlohmann::json({"en-GB", "ru-RU"}));
  EXPECT_EQ(parsed[1]["languages"], nlohmann::json({"en-GB", "ru-RU", "fr-FR", "es-ES", "de-DE",
                                                    "pt-PT", "ar-SA", "zh-CN"}));

  Result imported = RunAssetpub(Data("b") + " import " + first.string());
  ASSERT_EQ(imported.exit_code, 0) << imported.out;
  const fs::path second = root_ / "second.json";
  ASSERT_EQ(RunAssetpub(Data("b") + " export --out " + second.string()).exit_code, 0);
  EXPECT_EQ(ReadFile(first), ReadFile(second));

  // And importing the export back into where it came from changes nothing.
  Result back = RunAssetpub(Data("a") + " import " + first.string());
  EXPECT_EQ(back.exit_code, 0) << back.out;
  EXPECT_THAT(back.out, HasSubstr("unchanged"));
}

TEST_F(Cli, EmptyStoreExportsAnEmptyArray) {
  Result exported = RunAssetpub(Data("a") + " export");
  ASSERT_EQ(exported.exit_code, 0) << exported.out;
  EXPECT_EQ(nlohmann::json::parse(exported.out), nlohmann::json::array());
}

TEST_F(Cli, BadConfigNamesFileAndLine) {
  fs::create_directories(root_ / "a");
  std::ofstream(root_ / "a" / "config.toml") << "site_name = \"x\"\npage_size = 0\n";
  Result result = RunAssetpub(Data("a") + " export");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("config.toml:2"));
}

TEST_F(Cli, UnknownCommandIsAUsageError) {
  Result result = RunAssetpub("frobnicate");
  EXPECT_NE(result.exit_code, 0);
}

// `import` writes the store and leaves the index to `serve` (or `reindex`); `assetpub search`
// says how much is searchable meanwhile; `import --wait-index` catches the index up itself.
TEST_F(Cli, ImportLeavesTheSearchIndexBehindUnlessAskedToWait) {
  Result imported = RunAssetpub(Data("a") + " import " + Samples());
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_THAT(imported.err, HasSubstr("search index: not updated here"));
  EXPECT_THAT(imported.err, Not(HasSubstr("asset(s) indexed")));
  Result behind = RunAssetpub(Data("a") + " search internalisation");
  ASSERT_EQ(behind.exit_code, 0) << behind.err;
  EXPECT_THAT(behind.out, HasSubstr("Nothing found"));
  EXPECT_THAT(behind.err, HasSubstr("the search index is being built: 0% of items (0 of 2)"));
  Result json = RunAssetpub(Data("a") + " search --json internalisation");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(nlohmann::json::parse(json.out)["index"],
            nlohmann::json({{"complete", false}, {"indexed", 0}, {"total", 2}, {"percent", 0}}));

  Result waited = RunAssetpub(Data("a") + " import --wait-index " + Samples());
  ASSERT_EQ(waited.exit_code, 0) << waited.err;
  EXPECT_THAT(waited.err, HasSubstr("search index: 2 asset(s) indexed"));
  Result found = RunAssetpub(Data("a") + " search internalisation");
  EXPECT_THAT(found.out, HasSubstr("Speech of and answers"));
  EXPECT_THAT(found.err, Not(HasSubstr("being built")));
}

TEST_F(Cli, SearchPrintsOneBlockPerHitWithUrlSpeakerAndPlainSnippet) {
  ASSERT_EQ(RunAssetpub(Data("a") + " import --wait-index " + Samples()).exit_code, 0);
  Result result = RunAssetpub(Data("a") + " search internalisation");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::regex block(
      "Speech of and answers to questions[^\n]*\n"
      "http://127\\.0\\.0\\.1:8080/en/assets/[0-9]+-speech-of-and-answers[a-z-]*#p[0-9]+\n"
      "Sergey Lavrov: [^\n]*internalisation[^\n]*\n\n");
  EXPECT_TRUE(std::regex_search(result.out, block)) << result.out;
  EXPECT_THAT(result.out, ::testing::Not(HasSubstr("<mark>")));
  EXPECT_THAT(result.out, ::testing::Not(HasSubstr("&amp;")));
  EXPECT_THAT(result.err, HasSubstr("1 of about 1 result(s)"));

  Result russian = RunAssetpub(Data("a") + " search --lang ru переговоры");
  ASSERT_EQ(russian.exit_code, 0) << russian.err;
  EXPECT_THAT(russian.out, HasSubstr("http://127.0.0.1:8080/ru/assets/"));

  Result nothing = RunAssetpub(Data("a") + " search conferense");
  ASSERT_EQ(nothing.exit_code, 0) << nothing.err;
  EXPECT_THAT(nothing.out, HasSubstr("Nothing found for 'conferense'."));
  EXPECT_THAT(nothing.out, HasSubstr("Did you mean: conference"));
}

TEST_F(Cli, SearchJsonIsTheApisDocument) {
  ASSERT_EQ(RunAssetpub(Data("a") + " import --wait-index " + Samples()).exit_code, 0);
  Result result = RunAssetpub(Data("a") + " search --json internalisation");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["total"], 1);
  EXPECT_EQ(json["page"], 1);
  ASSERT_EQ(json["hits"].size(), 1u);
  const nlohmann::json& hit = json["hits"][0];
  EXPECT_EQ(hit["language"], "en-GB");
  EXPECT_EQ(hit["speaker"], "Sergey Lavrov");
  EXPECT_EQ(hit["published_at"], "2013-06-07T16:29:00+04:00");
  EXPECT_THAT(hit["snippet"].get<std::string>(), HasSubstr("<mark>internalisation</mark>"));
  EXPECT_THAT(hit["url"].get<std::string>(), HasSubstr("#" + hit["anchor"].get<std::string>()));
  for (const char* facet : {"kind", "year", "language", "person"}) {
    EXPECT_TRUE(json["facets"][facet].is_array()) << facet;
  }
}

TEST_F(Cli, SearchRefusesAMalformedQueryNamingWhatIsWrong) {
  Result quotes = RunAssetpub(Data("a") + " search '\"Syrian crisis'");
  EXPECT_EQ(quotes.exit_code, 1);
  EXPECT_THAT(quotes.err, HasSubstr("QUERY has an unbalanced quotation mark"));
  Result lang = RunAssetpub(Data("a") + " search --lang fr Syria");
  EXPECT_EQ(lang.exit_code, 1);
  EXPECT_THAT(lang.err, HasSubstr("--lang must be one of en, ru"));
}

TEST_F(Cli, ReindexRebuildsTheIndexFromTheStore) {
  ASSERT_EQ(RunAssetpub(Data("a") + " import " + Samples()).exit_code, 0);
  fs::remove_all(root_ / "a" / "index");
  EXPECT_THAT(RunAssetpub(Data("a") + " search internalisation").out, HasSubstr("Nothing found"));
  Result reindex = RunAssetpub(Data("a") + " reindex");
  ASSERT_EQ(reindex.exit_code, 0) << reindex.err;
  EXPECT_THAT(reindex.out, HasSubstr("search index rebuilt: 10 document(s)"));
  EXPECT_THAT(reindex.err, HasSubstr("reindex"));  // the progress summary
  EXPECT_THAT(RunAssetpub(Data("a") + " search internalisation").out,
              HasSubstr("Speech of and answers"));
}

}  // namespace
