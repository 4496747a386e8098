#include "importers/authored_page.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "content/instant.h"
#include "core/error.h"
#include "importers/testing/test_files.h"

namespace assetpub::importers {
namespace {

namespace fs = std::filesystem;

const fs::path kTestData = testing::AuthoredPagesDir();

AuthoredPage ParseFile(const fs::path& path) {
  const std::string text = testing::ReadFile(path);
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
    const std::string reason = testing::ReadReason(reason_file);
    try {
      ParseFile(file);
      FAIL() << file << " was accepted; expected: " << reason;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
      EXPECT_EQ(e.what(), reason);
    }
    return;
  }
  testing::ExpectMatchesJsonFile(fs::path(stem.string() + ".expected.json"),
                                 ToJson(ParseFile(file)).dump(2) + "\n");
}

INSTANTIATE_TEST_SUITE_P(TestData, AuthoredPageTable, ::testing::ValuesIn(FileNames()),
                         testing::CaseName);

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
