#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "content/asset_json.h"
#include "core/config.h"
#include "core/error.h"
#include "importers/importer.h"
#include "importers/testing/test_files.h"
#include "importers/wxr_import.h"
#include "importers/wxr_media.h"
#include "importers/wxr_parser.h"
#include "importers/wxr_text.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace assetpub::importers {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ReadFile;

const fs::path kWxrData = testing::AuthoredPagesDir() / "wxr";

// Every WXR fixture: NAME.xml with NAME.expected.json, or bad-NAME.xml with bad-NAME.reason.
std::vector<std::string> Cases(bool bad) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kWxrData)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".xml" && name.starts_with("bad-") == bad) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

class WxrImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::OpenStore("sqlite:" + (dir_.path() / "a.db").string());
    importer_ = std::make_unique<Importer>(*store_, config_);
    importer_->set_wxr_options(LoadWxrOptions(kWxrData / "config.toml"));
  }

  // The store's assets as `export` writes them, without modified_at (the import's time).
  nlohmann::ordered_json Assets() {
    auto all = nlohmann::ordered_json::array();
    store_->ForEach([&](const content::Asset& asset) {
      auto json = content::ToJson(asset);
      json.erase("modified_at");
      all.push_back(std::move(json));
    });
    return all;
  }

  fs::path Copy(const std::string& name, const std::string& text) {
    const fs::path path = dir_.path() / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  assetpub::testing::TempDir dir_{"wxr-"};
  Config config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Importer> importer_;
};

class WxrCase : public WxrImportTest, public ::testing::WithParamInterface<std::string> {};

// The report (a line per item, the summary) and the exact assets a fixture gives.
TEST_P(WxrCase, ImportsAsExpected) {
  const fs::path file = kWxrData / GetParam();
  const FileResult result = importer_->ImportFile(file);
  ASSERT_EQ(result.outcome, Outcome::kImported) << result.message;
  nlohmann::ordered_json actual;
  actual["summary"] = result.message;
  actual["items"] = result.items;
  actual["assets"] = Assets();
  fs::path expected = file;
  expected.replace_extension(".expected.json");
  testing::ExpectMatchesJsonFile(expected, actual.dump(2) + "\n");
}

INSTANTIATE_TEST_SUITE_P(Fixtures, WxrCase, ::testing::ValuesIn(Cases(false)), testing::CaseName);

class BadWxrCase : public WxrImportTest, public ::testing::WithParamInterface<std::string> {};

// A bad file is rejected with its reason, and nothing is written.
TEST_P(BadWxrCase, IsRejectedWithTheReasonAndNothingWritten) {
  const fs::path file = kWxrData / GetParam();
  const FileResult result = importer_->ImportFile(file);
  EXPECT_EQ(result.outcome, Outcome::kRejected);
  fs::path reason = file;
  reason.replace_extension(".reason");
  EXPECT_EQ(result.message, testing::ReadReason(reason));
  EXPECT_EQ(Assets().size(), 0u);
  EXPECT_EQ(store_->LastChange(), 0);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BadWxrCase, ::testing::ValuesIn(Cases(true)), testing::CaseName);

TEST_F(WxrImportTest, DeepNestingIsRejectedAndNothingWritten) {
  std::string xml =
      "<?xml version=\"1.0\"?>\n<rss version=\"2.0\" "
      "xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><wp:wxr_version>1.2</"
      "wp:wxr_version>\n";
  for (int i = 0; i < 10'000; ++i) xml += "<x>";
  for (int i = 0; i < 10'000; ++i) xml += "</x>";
  xml += "</channel></rss>\n";
  const FileResult result = importer_->ImportFile(Copy("deep.xml", xml));
  EXPECT_EQ(result.outcome, Outcome::kRejected);
  EXPECT_THAT(result.message, HasSubstr("line 3: not well-formed XML: Excessive depth"));
  EXPECT_EQ(Assets().size(), 0u);
}

TEST_F(WxrImportTest, SameFileAgainIsUnchanged) {
  const fs::path file = kWxrData / "polylang.xml";
  ASSERT_EQ(importer_->ImportFile(file).outcome, Outcome::kImported);
  const auto before = Assets();
  const int64_t changes = store_->LastChange();
  const FileResult again = importer_->ImportFile(file);
  EXPECT_EQ(again.outcome, Outcome::kUnchanged) << again.message;
  for (const std::string& line : again.items) EXPECT_THAT(line, HasSubstr("\": unchanged (asset "));
  EXPECT_EQ(again.message, "post: 3 unchanged");
  EXPECT_EQ(store_->LastChange(), changes);
  EXPECT_EQ(Assets(), before);
}

// An updated export is matched by GUID: the changed version is updated in its asset, the rest
// is unchanged, and no asset is added.
TEST_F(WxrImportTest, UpdatedExportUpdatesWhatChanged) {
  ASSERT_EQ(importer_->ImportFile(kWxrData / "polylang.xml").outcome, Outcome::kImported);
  const auto before = Assets();
  std::string text = ReadFile(kWxrData / "polylang.xml");
  const std::string old_title = "Пресс-релиз о переговорах с Норвегией";
  text.replace(text.find(old_title), old_title.size(), "Переговоры с Норвегией");
  const FileResult result = importer_->ImportFile(Copy("polylang-updated.xml", text));
  EXPECT_EQ(result.outcome, Outcome::kImported) << result.message;
  ASSERT_EQ(result.items.size(), 3u);
  EXPECT_EQ(result.items[0],
            "post 112 en-GB \"Press release on talks with Norway\": imported (asset 1)");
  EXPECT_EQ(result.items[1], "post 115 ru-RU \"Переговоры с Норвегией\": imported (asset 1)");
  EXPECT_EQ(result.items[2], "post 120 en-GB \"English only item\": unchanged (asset 2)");
  const auto after = Assets();
  ASSERT_EQ(after.size(), before.size());
  EXPECT_EQ(after[0]["id"], before[0]["id"]);
  EXPECT_EQ(after[0]["translations"]["ru-RU"]["title"], "Переговоры с Норвегией");
  EXPECT_EQ(after[1], before[1]);
}

TEST(WxrText, TitleHtmlBecomesText) {
  EXPECT_EQ(PlainText("Markup: Title <em>With</em> <b>Mark<sup>up</sup></b>"),
            "Markup: Title With Markup");
  EXPECT_EQ(PlainText("Tom &amp; Jerry&#8217;s <script>alert(1)</script>day"), "Tom & Jerry’s day");
  EXPECT_EQ(PlainText("Question: why?"), "Question: why?");
  EXPECT_EQ(PlainText(""), "");
}

TEST(WxrText, PolylangGroupIsRead) {
  using Map = std::map<std::string, std::string>;
  EXPECT_EQ(ParsePhpArray(R"(a:2:{s:2:"en";i:12;s:2:"ru";i:15;})"),
            (Map{{"en", "12"}, {"ru", "15"}}));
  EXPECT_EQ(
      ParsePhpArray(R"(a:3:{s:6:"locale";s:5:"en_GB";s:3:"rtl";i:0;s:9:"flag_code";s:2:"gb";})"),
      (Map{{"flag_code", "gb"}, {"locale", "en_GB"}, {"rtl", "0"}}));
  // Lengths are bytes, so a value may hold quotes and semicolons.
  EXPECT_EQ(ParsePhpArray(R"(a:1:{s:1:"k";s:5:"a";"b";})"), (Map{{"k", "a\";\"b"}}));
  EXPECT_EQ(ParsePhpArray(R"(a:2:{i:0;a:1:{s:1:"x";i:1;}s:1:"y";N;})"), Map{});
  EXPECT_EQ(ParsePhpArray(R"(a:2:{s:2:"en";i:12;)"), std::nullopt);   // cut short
  EXPECT_EQ(ParsePhpArray(R"(a:1:{s:9:"en";i:12;})"), std::nullopt);  // length past the end
  EXPECT_EQ(ParsePhpArray("not serialized"), std::nullopt);
  std::string deep;
  for (int i = 0; i < 20; ++i) deep += "a:1:{i:0;";
  deep += "i:1;";
  for (int i = 0; i < 20; ++i) deep += "}";
  EXPECT_EQ(ParsePhpArray(deep), std::nullopt);
}

TEST(WxrText, ShortcodesAreNeverLeftRaw) {
  const AttachmentUrl urls = [](int64_t id) -> std::optional<std::string> {
    if (id == 7) return "http://x.example/a.jpg";
    return std::nullopt;
  };
  ShortcodeFindings findings;
  EXPECT_EQ(
      ExpandShortcodes(
          R"([caption id="a" width="3"]<img src="http://x.example/a.jpg" /> A flag[/caption])",
          urls, &findings),
      R"(<div><img src="http://x.example/a.jpg" /> A flag</div>)");
  EXPECT_THAT(findings.images, ElementsAre("http://x.example/a.jpg"));
  EXPECT_EQ(ExpandShortcodes(R"([caption caption="Old <style>"]<img src="b.png">[/caption])", urls,
                             nullptr),
            R"(<div><img src="b.png"></div><p>Old &lt;style&gt;</p>)");
  EXPECT_EQ(ExpandShortcodes(R"([gallery ids="7, 8"])", urls, &findings),
            "<ul><li>http://x.example/a.jpg</li></ul>");
  EXPECT_THAT(findings.gallery_ids, ElementsAre(7, 8));
  EXPECT_EQ(ExpandShortcodes("[gallery]", urls, nullptr), "");
  EXPECT_EQ(ExpandShortcodes("[embed]https://v.example/1[/embed]", urls, nullptr),
            "<p>https://v.example/1</p>");
  EXPECT_EQ(ExpandShortcodes(R"([video mp4="https://v.example/2.mp4"][/video])", urls, nullptr),
            "<p>https://v.example/2.mp4</p>");
  EXPECT_EQ(ExpandShortcodes("[[gallery]] [sic] [1] [x/] [y a=1] [z]in[/z] [", urls, nullptr),
            "[gallery] [sic] [1]   in [");
  std::string nested;
  for (int i = 0; i < 20; ++i) nested += fmt::format("[b{}]", i);
  nested += "core";
  for (int i = 19; i >= 0; --i) nested += fmt::format("[/b{}]", i);
  EXPECT_EQ(ExpandShortcodes(nested, urls, nullptr), "");
}

TEST(WxrText, ClassicTextGetsParagraphs) {
  EXPECT_EQ(AutoParagraphs("One\nline two\n\n<h2>Head</h2>\n\n\nThree"),
            "<p>One<br>line two</p>\n<h2>Head</h2>\n<p>Three</p>\n");
  const std::string blocks = "<!-- wp:paragraph -->\n<p>x</p>\n<!-- /wp:paragraph -->";
  EXPECT_EQ(AutoParagraphs(blocks), blocks);
}

TEST(WxrMedia, UploadPathStaysInsideTheFolder) {
  WxrItem item;
  item.attachment_url =
      "http://old.example/wp-content/uploads/2014/03/%D1%84%D0%BB%D0%B0%D0%B3.png?v=2";
  EXPECT_EQ(UploadPath(item), "2014/03/флаг.png");
  item.meta["_wp_attached_file"] = "2014/03/flag.png";
  EXPECT_EQ(UploadPath(item), "2014/03/flag.png");  // the meta wins
  for (const char* bad : {"../../etc/passwd", "/etc/passwd", "2014/../../x.png", "a//b.png", ""}) {
    item.meta["_wp_attached_file"] = bad;
    EXPECT_EQ(UploadPath(item), "") << bad;
  }
}

TEST(WxrMedia, PointAtMediaRewritesStoredFilesAndTheirResizedCopies) {
  WxrMedia media;
  media.stored[30] = {content::MediaFile{}, "/media/ab/abc.png"};
  media.by_upload_path["2014/03/flag.png"] = 30;
  std::vector<int64_t> used;
  const std::string html =
      R"(<img src="http://old.example/wp-content/uploads/2014/03/flag-300x200.png" /> )"
      R"(<a href='https://old.example/wp-content/uploads/2014/03/flag.png'>flag</a> )"
      R"(<a href="http://old.example/wp-content/uploads/2014/03/other.pdf">other</a>)";
  EXPECT_EQ(PointAtMedia(html, media, "https://mid.example/", used),
            R"(<img src="https://mid.example/media/ab/abc.png" /> )"
            R"(<a href='https://mid.example/media/ab/abc.png'>flag</a> )"
            R"(<a href="http://old.example/wp-content/uploads/2014/03/other.pdf">other</a>)");
  EXPECT_THAT(used, ElementsAre(30));
}

TEST(WxrOptionsTest, BadSettingsNameTheLine) {
  assetpub::testing::TempDir dir("wxr-options-");
  const fs::path path = dir.path() / "config.toml";
  std::ofstream(path) << "languages = [\"en-GB\"]\n[wordpress]\ncategories = { News = \"newz\" }\n";
  try {
    LoadWxrOptions(path);
    FAIL() << "accepted an unknown kind";
  } catch (const Error& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("config.toml:3: [wordpress] categories.News"));
  }
  EXPECT_TRUE(LoadWxrOptions(dir.path() / "absent.toml").kinds_by_type.empty());
}

TEST(WxrParser, RecognisesAnExport) {
  EXPECT_TRUE(LooksLikeWxr(ReadFile(kWxrData / "site.xml")));
  EXPECT_FALSE(LooksLikeWxr("<?xml version=\"1.0\"?><urlset/>"));
  const WxrSite site = ParseWxr(ReadFile(kWxrData / "site.xml"));
  EXPECT_EQ(site.version, "1.2");
  EXPECT_EQ(site.items.size(), 14u);
  EXPECT_EQ(site.items[0].comments, 2);
  EXPECT_EQ(site.items[0].line, 22);
  EXPECT_EQ(site.items[1].meta.at("_thumbnail_id"), "30");
}

}  // namespace
}  // namespace assetpub::importers
