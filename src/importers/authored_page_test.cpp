#include "importers/authored_page.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "content/instant.h"
#include "core/error.h"

namespace assetpub::importers {
namespace {

namespace fs = std::filesystem;

const fs::path kTestData = fs::path(ASSETPUB_SOURCE_DIR) / "src" / "importers" / "testdata";

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

AuthoredPage ParseFile(const fs::path& path) {
  const std::string text = Read(path);
  return path.extension() == ".md" ? ParseMarkdownPage(text, "Europe/Moscow", "en-GB")
                                   : ParseHtmlPage(text, "Europe/Moscow", "en-GB");
}

nlohmann::ordered_json ToJson(const AuthoredPage& authored) {
  nlohmann::ordered_json j = ToJson(authored.page);
  if (authored.kind) j["kind_given"] = content::KindName(*authored.kind);
  if (authored.status) j["status"] = content::StatusName(*authored.status);
  if (authored.people) j["people"] = *authored.people;
  j["tags"] = authored.tags;
  j["categories"] = authored.categories;
  j["summary"] = authored.summary;
  j["slug"] = authored.slug;
  if (authored.priority) j["priority"] = *authored.priority;
  return j;
}

// The files of src/importers/testdata/: NAME.md or NAME.html with NAME.expected.json, or
// bad-NAME.md / bad-NAME.html with bad-NAME.reason (the whole message, exactly).
std::vector<std::string> FileNames() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kTestData)) {
    const auto extension = entry.path().extension();
    if (extension == ".md" || extension == ".html") {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

class AuthoredPageTable : public ::testing::TestWithParam<std::string> {};

TEST_P(AuthoredPageTable, MatchesExpectation) {
  const fs::path file = kTestData / GetParam();
  const fs::path stem = kTestData / file.stem();
  if (GetParam().starts_with("bad-")) {
    const fs::path reason_file = fs::path(stem.string() + ".reason");
    ASSERT_TRUE(fs::exists(reason_file)) << reason_file;
    const std::string reason = Trimmed(Read(reason_file));
    try {
      ParseFile(file);
      FAIL() << file << " was accepted; expected: " << reason;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
      EXPECT_EQ(e.what(), reason);
    }
    return;
  }
  const std::string actual = ToJson(ParseFile(file)).dump(2) + "\n";
  const fs::path expected_file = fs::path(stem.string() + ".expected.json");
  if (const char* update = std::getenv("ASSETPUB_UPDATE_TESTDATA"); update && *update == '1') {
    std::ofstream(expected_file, std::ios::binary) << actual;
  }
  ASSERT_TRUE(fs::exists(expected_file)) << expected_file;
  EXPECT_EQ(nlohmann::ordered_json::parse(Read(expected_file)).dump(2) + "\n", actual);
}

INSTANTIATE_TEST_SUITE_P(TestData, AuthoredPageTable, ::testing::ValuesIn(FileNames()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(ParseMarkdownPage, ATomlDateTimeWithAnOffsetIsThatInstant) {
  const auto page = ParseMarkdownPage(
      "+++\ntitle = \"T\"\npublished_at = 2013-06-07T16:29:00+04:00\ntime_zone = \"UTC\"\n+++\n",
      "Europe/Moscow", "en-GB");
  EXPECT_EQ(content::ToIso8601Utc(page.page.published_at), "2013-06-07T12:29:00Z");
  EXPECT_TRUE(page.page.blocks.empty());
}

TEST(ParseMarkdownPage, ALocalDateTimeIsReadInTheZone) {
  // Moscow was UTC+4 in 2013 and UTC+3 from 2014: the zone database decides, not an offset.
  for (const auto& [date, utc] : {std::pair{"2013-06-07T16:29:00", "2013-06-07T12:29:00Z"},
                                  std::pair{"2015-06-07T16:29:00", "2015-06-07T13:29:00Z"}}) {
    const auto page =
        ParseMarkdownPage(std::string("+++\ntitle = \"T\"\npublished_at = ") + date + "\n+++\nx\n",
                          "Europe/Moscow", "en-GB");
    EXPECT_EQ(content::ToIso8601Utc(page.page.published_at), utc);
  }
}

TEST(ParseMarkdownPage, WindowsLineEndingsAndABomAreAccepted) {
  const auto page = ParseMarkdownPage(
      "\xEF\xBB\xBF+++\r\ntitle = \"T\"\r\npublished_at = 2013-06-07T16:29:00Z\r\n+++\r\nText.\r\n",
      "Europe/Moscow", "en-GB");
  EXPECT_EQ(page.page.title, "T");
  ASSERT_EQ(page.page.blocks.size(), 1u);
  EXPECT_EQ(page.page.blocks[0].text, "Text.");
}

}  // namespace
}  // namespace assetpub::importers
