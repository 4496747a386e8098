// A WordPress site moved in one command: `assetpub import` of WXR fixtures (the importers' table
// test files) through the real binary, then `assetpub serve`, where every old permalink of a
// public item answers 301 to the item's page in the right language, and drafts, private and
// password-protected posts are on no public URL. The old addresses travel in `export` and come back
// with `import`, and editors change them through the API on the running server. Needs
// ASSETPUB_BINARY and ASSETPUB_SOURCE_DIR.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>  // before Asio: Asio 1.74 with g++ 12 needs std::exchange (DEPENDENCIES.md)
#include <vector>

#include "support/admin_browser.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using assetpub::testing::Fetch;
using assetpub::testing::Reply;
using assetpub::testing::RunCommand;
using assetpub::testing::ServerProcess;
using nlohmann::json;
using ::testing::HasSubstr;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const fs::path kFixtures = fs::path(ASSETPUB_SOURCE_DIR) / "src/importers/testdata/wxr";

class WxrImportIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(data_);
    std::ofstream(data_ / "config.toml") << "languages = [\"en-GB\", \"ru-RU\"]\n"
                                            "time_zone = \"Europe/Moscow\"\n"
                                            "[wordpress]\n"
                                            "kinds = { page = \"document\" }\n"
                                            "categories = { Statements = \"statement\" }\n";
  }

  std::pair<int, std::string> Import() {
    return RunCommand({ASSETPUB_BINARY, "--data", data_.string(), "import",
                       (kFixtures / "site.xml").string(), (kFixtures / "polylang.xml").string()});
  }

  // A data folder beside data_ with the same config.toml.
  fs::path SecondDataFolder() {
    const fs::path other = temp_.path() / "other";
    fs::create_directories(other);
    fs::copy_file(data_ / "config.toml", other / "config.toml");
    return other;
  }

  const assetpub::testing::TempDir temp_{"assetpub-wxr-"};
  const fs::path data_ = temp_.path() / "data";
};

TEST_F(WxrImportIntegration, OldPermalinksRedirectToTheItemsPages) {
  const auto [code, output] = Import();
  ASSERT_EQ(code, 0) << output;
  EXPECT_THAT(output, HasSubstr("post 10 en-GB \"Statement on the Arctic Council\": imported "
                                "(asset 1)"));
  EXPECT_THAT(output, HasSubstr("post 16 en-GB \"Protected memo\": imported (asset 7); "
                                "password-protected in WordPress: imported as a draft, not "
                                "public"));
  EXPECT_THAT(output, HasSubstr("post 17 \"Old announcement\": skipped: in the trash"));
  EXPECT_THAT(output, HasSubstr("2 comment(s) skipped"));
  EXPECT_THAT(output, HasSubstr("post 115 ru-RU \"Пресс-релиз о переговорах с Норвегией\": "
                                "imported (asset 9)"));
  // Once more: nothing changes.
  const auto [again_code, again] = Import();
  ASSERT_EQ(again_code, 0) << again;
  EXPECT_THAT(again, HasSubstr("post 10 en-GB \"Statement on the Arctic Council\": unchanged "
                               "(asset 1)"));
  EXPECT_THAT(again, ::testing::Not(HasSubstr(": imported (")));

  ServerProcess server(data_);
  ASSERT_NE(server.port(), 0) << server.startup_output();
  const struct {
    const char* old_path;
    const char* location;
  } moved[] = {
      {"/2014/03/12/statement-on-the-arctic-council/",
       "/en/assets/1-statement-on-the-arctic-council"},
      {"/2014/03/12/statement-on-the-arctic-council",
       "/en/assets/1-statement-on-the-arctic-council"},
      {"/?p=10", "/en/assets/1-statement-on-the-arctic-council"},
      {"/?p=10&replytocom=3", "/en/assets/1-statement-on-the-arctic-council"},
      {"/about/", "/en/assets/8-about"},
      {"/?page_id=18", "/en/assets/8-about"},
      {"/en/2015/06/07/talks-with-norway/", "/en/assets/9-talks-with-norway"},
      {"/ru/2015/06/07/%d0%bf%d0%b5%d1%80%d0%b5%d0%b3%d0%be%d0%b2%d0%be%d1%80%d1%8b/",
       "/ru/assets/9-press-reliz-o-peregovorakh-s-norvegiyey"},
      {"/?p=115", "/ru/assets/9-press-reliz-o-peregovorakh-s-norvegiyey"},
  };
  for (const auto& [old_path, location] : moved) {
    const Reply reply = Fetch(server.port(), old_path);
    EXPECT_EQ(reply.status, 301) << old_path;
    EXPECT_EQ(reply.Header("location"), location) << old_path;
    const Reply page = Fetch(server.port(), location);
    EXPECT_EQ(page.status, 200) << location;
  }
  EXPECT_THAT(Fetch(server.port(), "/ru/assets/9-press-reliz-o-peregovorakh-s-norvegiyey").body,
              HasSubstr("Пресс-релиз о переговорах с Норвегией"));
  // Drafts (a draft, pending, private, password-protected), the trash and unknown addresses: no
  // public URL. A ?p= that leads nowhere is the home page's old address, as on WordPress.
  for (const char* hidden :
       {"/2014/04/01/private-note/", "/2014/04/02/protected-memo/",
        "/2030/01/15/scheduled-briefing/", "/2099/01/01/never-existed/", "/about/x/y/z/"}) {
    EXPECT_EQ(Fetch(server.port(), hidden).status, 404) << hidden;
  }
  for (const char* hidden :
       {"/?p=12", "/?p=13", "/?p=14", "/?p=15", "/?p=16", "/?p=17", "/?p=99"}) {
    const Reply reply = Fetch(server.port(), hidden);
    EXPECT_EQ(reply.status, 302) << hidden;
    EXPECT_EQ(reply.Header("location"), "/en/") << hidden;
  }
  // The site's own pages are as they were.
  EXPECT_EQ(Fetch(server.port(), "/").status, 302);
  EXPECT_EQ(Fetch(server.port(), "/en/").status, 200);
}

// The attachments' files from a copy of wp-content/uploads (`--uploads`): the one there becomes a
// media library file that the post lists and its body links, served at /media/ once the post is
// public; the one that is not there is reported and keeps its old URL.
TEST_F(WxrImportIntegration, AttachmentsComeFromTheUploadsCopy) {
  const fs::path uploads = temp_.path() / "uploads";
  fs::create_directories(uploads / "2014/03");
  const fs::path image =
      fs::path(ASSETPUB_SOURCE_DIR) / "tests/testdata/media/quadrants-400x300.png";
  fs::copy_file(image, uploads / "2014/03/flag.png");
  std::ifstream in(image, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::vector<std::string> command = {ASSETPUB_BINARY,
                                            "--data",
                                            data_.string(),
                                            "import",
                                            "--uploads",
                                            uploads.string(),
                                            (kFixtures / "site.xml").string()};
  const auto [code, output] = RunCommand(command);
  ASSERT_EQ(code, 0) << output;
  EXPECT_THAT(output, ::testing::ContainsRegex(
                          "attachment 30 \"flag.png\": imported: (/media/[0-9a-f]{2}/[0-9a-f]{64}"
                          "\\.png)"));
  EXPECT_THAT(output, HasSubstr("attachment 31 \"missing.png\": missing: 2014/03/missing.png is "
                                "not in " +
                                uploads.string() + "; items keep its old URL"));
  EXPECT_THAT(output, HasSubstr("attachment: 1 imported, 1 missing"));
  const size_t at = output.find("imported: /media/");
  ASSERT_NE(at, std::string::npos);
  const std::string media_path = output.substr(at + 10, output.find('\n', at) - at - 10);
  // Once more: the same file, the same assets.
  const auto [again_code, again] = RunCommand(command);
  ASSERT_EQ(again_code, 0) << again;
  EXPECT_THAT(again, HasSubstr("post 11 en-GB \"Markup: Title With Markup\": unchanged"));

  ServerProcess server(data_);
  ASSERT_NE(server.port(), 0) << server.startup_output();
  const Reply file = Fetch(server.port(), media_path);
  EXPECT_EQ(file.status, 200) << media_path;
  EXPECT_EQ(file.Header("content-type"), "image/png");
  EXPECT_EQ(file.body, bytes);
  // The post (published) lists the file and its gallery links the new address; the missing
  // file's old URL stays.
  const Reply api = Fetch(server.port(), "/api/v1/assets/2");
  ASSERT_EQ(api.status, 200);
  EXPECT_THAT(api.body, HasSubstr("\"name\":\"flag.png\""));
  EXPECT_THAT(api.body, HasSubstr(media_path));
  EXPECT_THAT(api.body,
              HasSubstr("http://embassy.example.org/wp-content/uploads/2014/03/missing.png"));
  EXPECT_THAT(api.body, ::testing::Not(HasSubstr("wp-content/uploads/2014/03/flag.png")));
  const Reply page = Fetch(server.port(), "/en/assets/2-markup-title-with-markup");
  ASSERT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("href=\"" + media_path + "\""));
}

// `export` writes each item's old addresses with it, `import` of that file into an empty store
// brings them back (the two exports are the same bytes), a second import changes nothing, and the
// restored site answers the old permalinks.
TEST_F(WxrImportIntegration, OldAddressesTravelInTheExportAndComeBackWithTheImport) {
  const auto [code, output] = Import();
  ASSERT_EQ(code, 0) << output;
  const fs::path first = temp_.path() / "first.json";
  const auto [export_code, export_output] =
      RunCommand({ASSETPUB_BINARY, "--data", data_.string(), "export", "--out", first.string()});
  ASSERT_EQ(export_code, 0) << export_output;
  const json exported = json::parse(ReadFile(first));
  ASSERT_TRUE(exported.is_array());
  ASSERT_EQ(exported[0].at("id"), 1);
  EXPECT_EQ(exported[0].at("redirects"),
            (json{{{"path", "/2014/03/12/statement-on-the-arctic-council/"}, {"language", "en-GB"}},
                  {{"path", "/?p=10"}, {"language", "en-GB"}}}));

  const fs::path other = SecondDataFolder();
  const auto [import_code, imported] =
      RunCommand({ASSETPUB_BINARY, "--data", other.string(), "import", first.string()});
  ASSERT_EQ(import_code, 0) << imported;
  EXPECT_THAT(imported, HasSubstr("1 imported, 0 unchanged, 0 rejected"));
  const fs::path second = temp_.path() / "second.json";
  const auto [again_code, again_output] =
      RunCommand({ASSETPUB_BINARY, "--data", other.string(), "export", "--out", second.string()});
  ASSERT_EQ(again_code, 0) << again_output;
  EXPECT_EQ(ReadFile(second), ReadFile(first));
  const auto [unchanged_code, unchanged] =
      RunCommand({ASSETPUB_BINARY, "--data", other.string(), "import", first.string()});
  EXPECT_EQ(unchanged_code, 0) << unchanged;
  EXPECT_THAT(unchanged, HasSubstr("unchanged " + first.string()));

  ServerProcess server(other);
  ASSERT_NE(server.port(), 0) << server.startup_output();
  for (const char* old_path : {"/?p=10", "/2014/03/12/statement-on-the-arctic-council/"}) {
    const Reply reply = Fetch(server.port(), old_path);
    EXPECT_EQ(reply.status, 301) << old_path;
    EXPECT_EQ(reply.Header("location"), "/en/assets/1-statement-on-the-arctic-council") << old_path;
  }
  EXPECT_EQ(Fetch(server.port(),
                  "/ru/2015/06/07/%d0%bf%d0%b5%d1%80%d0%b5%d0%b3%d0%be%d0%b2%d0%be"
                  "%d1%80%d1%8b/")
                .status,
            301);
}

// A redirect in an export that names a malformed address: the file is rejected with the reason,
// and nothing of it is written.
TEST_F(WxrImportIntegration, AnExportWithABadRedirectIsRejectedWhole) {
  const fs::path file = temp_.path() / "bad.json";
  std::ofstream(file) << R"([{"kind": "statement", "published_at": "2014-03-12T14:05:00Z",
    "languages": ["en-GB"],
    "translations": {"en-GB": {"title": "Talks", "slug": "talks", "blocks": [{"type": "paragraph", "text": "T."}]}},
    "redirects": [{"path": "/ok/", "language": "en-GB"}, {"path": "old/", "language": "en-GB"}]}])";
  const auto [code, output] =
      RunCommand({ASSETPUB_BINARY, "--data", data_.string(), "import", file.string()});
  EXPECT_EQ(code, 1) << output;
  EXPECT_THAT(output, HasSubstr("asset [0]: redirects[1].path: a redirect's path must start with "
                                "'/'"));
  const auto [export_code, exported] =
      RunCommand({ASSETPUB_BINARY, "--data", data_.string(), "export"}, {}, false);
  EXPECT_EQ(export_code, 0);
  EXPECT_EQ(exported, "[]\n");
}

// An editor sees, adds and removes old addresses through the API of the running server, and the
// site follows at once.
TEST_F(WxrImportIntegration, EditorsChangeOldAddressesThroughTheApi) {
  const auto [code, output] = Import();
  ASSERT_EQ(code, 0) << output;
  const std::string token =
      assetpub::testing::MakeApiToken(ASSETPUB_BINARY, data_.string(), "editor1", "editor");
  ASSERT_FALSE(token.empty());
  ServerProcess server(data_);
  ASSERT_NE(server.port(), 0) << server.startup_output();
  const assetpub::testing::RequestHeaders auth = {{"Authorization", "Bearer " + token}};
  namespace bhttp = boost::beast::http;

  const Reply listed = Fetch(server.port(), "/api/v1/redirects?asset=1", auth);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(json::parse(listed.body).at("total"), 2);
  EXPECT_EQ(Fetch(server.port(), "/api/v1/redirects").status, 401);

  assetpub::testing::RequestHeaders post = auth;
  post.emplace_back("Content-Type", "application/json");
  const Reply added =
      Fetch(server.port(), "/api/v1/redirects", post, bhttp::verb::post,
            json{{"path", "/news/arctic.html"}, {"asset_id", 1}, {"language", "en"}}.dump());
  ASSERT_EQ(added.status, 201) << added.body;
  Reply moved = Fetch(server.port(), "/news/arctic.html");
  EXPECT_EQ(moved.status, 301);
  EXPECT_EQ(moved.Header("location"), "/en/assets/1-statement-on-the-arctic-council");
  const Reply bad = Fetch(server.port(), "/api/v1/redirects", post, bhttp::verb::post,
                          json{{"path", "/x/"}, {"asset_id", 999}}.dump());
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_THAT(bad.Header("content-type"), ::testing::StartsWith("application/problem+json"));

  const Reply removed =
      Fetch(server.port(), "/api/v1/redirects?path=%2F%3Fp%3D10", auth, bhttp::verb::delete_);
  EXPECT_EQ(removed.status, 204) << removed.body;
  // /?p=10 is no longer an old address: the home page's, as any unknown ?p= is.
  moved = Fetch(server.port(), "/?p=10");
  EXPECT_EQ(moved.status, 302);
  EXPECT_EQ(moved.Header("location"), "/en/");
}

TEST_F(WxrImportIntegration, AnEntityBombIsRejectedAndNothingWritten) {
  const auto [code, output] = RunCommand({ASSETPUB_BINARY, "--data", data_.string(), "import",
                                          (kFixtures / "bad-entity-bomb.xml").string()});
  EXPECT_EQ(code, 1) << output;
  EXPECT_THAT(output, HasSubstr("bad-entity-bomb.xml: line 2: a DOCTYPE declaration"));
  const auto [export_code, exported] =
      RunCommand({ASSETPUB_BINARY, "--data", data_.string(), "export"}, {}, false);
  EXPECT_EQ(export_code, 0);
  EXPECT_EQ(exported, "[]\n");
}

}  // namespace
