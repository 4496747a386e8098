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

// What ParseMarkdownPage says of `front_matter` (after a title and a date on lines 2-3), or ""
// when it accepts it.
std::string FrontMatterRefusal(const std::string& front_matter, const std::string& body = "B\n") {
  try {
    ParseMarkdownPage("+++\ntitle = \"T\"\npublished_at = 2015-03-02T10:00:00+03:00\n" +
                          front_matter + "+++\n" + body,
                      "Europe/Moscow", "en-GB");
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    return e.what();
  }
  return "";
}

std::string Repeat(std::string_view text, int times, std::string_view separator = "") {
  std::string out;
  for (int i = 0; i < times; ++i) {
    if (i > 0) out += separator;
    out += text;
  }
  return out;
}

// toml++ recurses once per dotted part: 40,000 of them overflowed the stack (SIGSEGV).
TEST(ParseMarkdownPage, FrontMatterIsBoundedBeforeTomlSeesIt) {
  // The 80 KB of the file are over the size limit already.
  EXPECT_EQ(FrontMatterRefusal(Repeat("a", 40'000, ".") + " = 1\n"),
            "line 2: front matter: more than 65536 bytes");
  EXPECT_EQ(FrontMatterRefusal(Repeat("a", 10'000, ".") + " = 1\n"),
            "line 4: front matter: a key of more than 16 dotted parts");
  EXPECT_EQ(FrontMatterRefusal("[" + Repeat("a", 10'000, ".") + "]\nx = 1\n"),
            "line 4: front matter: a key of more than 16 dotted parts");
  EXPECT_EQ(FrontMatterRefusal("x = {" + Repeat("a", 17, ".") + " = 1}\n"),
            "line 4: front matter: a key of more than 16 dotted parts");
  EXPECT_EQ(FrontMatterRefusal("tags = " + Repeat("[", 30'000) + Repeat("]", 30'000) + "\n"),
            "line 4: front matter: arrays and tables nested more than 16 deep");
  EXPECT_EQ(FrontMatterRefusal("x = " + Repeat("{a = ", 17) + "1" + Repeat("}", 17) + "\n"),
            "line 4: front matter: arrays and tables nested more than 16 deep");
  EXPECT_EQ(FrontMatterRefusal("summary = \"" + std::string(20'000, 'x') + "\"\n"),
            "line 4: front matter: a line longer than 16384 bytes");
  EXPECT_EQ(FrontMatterRefusal(Repeat("# a comment of some length\n", 3'000)),
            "line 2: front matter: more than 65536 bytes");
  // Dots, brackets and braces inside strings and comments are text, not structure.
  EXPECT_EQ(FrontMatterRefusal("summary = \"" + Repeat("a", 100, ".") + Repeat("[{", 50) +
                               "\"  # " + Repeat("[", 50, ".") + "\nplace = '''\n" +
                               Repeat("x", 50, ".") + "\n'''\ncategories.topic = [\"a.b\"]\n"),
            "");
  // Just inside the limits.
  EXPECT_THAT(FrontMatterRefusal(Repeat("a", 16, ".") + " = 1\n"),
              ::testing::HasSubstr("unknown front matter key 'a'"));
  EXPECT_THAT(FrontMatterRefusal("x = " + Repeat("[", 16) + Repeat("]", 16) + "\n"),
              ::testing::HasSubstr("unknown front matter key 'x'"));
}

// cmark and gumbo are fed only what the nesting limit of body_formats.h lets through.
TEST(ParseMarkdownPage, DeeplyNestedBodiesAreRefusedWithTheirLine) {
  EXPECT_EQ(FrontMatterRefusal("", std::string(100'000, '>') + " B\n"),
            "line 5: the Markdown has elements nested more than 512 deep");
  std::string lists;
  for (int i = 0; i < 1'000; ++i) lists += std::string(2 * i, ' ') + "- x\n";
  EXPECT_EQ(FrontMatterRefusal("", lists),
            "line 5: the Markdown has elements nested more than 512 deep");
  EXPECT_EQ(FrontMatterRefusal("", Repeat("- ", 50'000) + "x\n"),
            "line 5: the Markdown has elements nested more than 512 deep");
}

}  // namespace
}  // namespace assetpub::importers
