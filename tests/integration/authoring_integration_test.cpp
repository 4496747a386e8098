// The write side end to end: a publisher and a token made with the `assetpub` binary's user and
// token commands, `assetpub serve` as a child process (page cache and scheduler on, as in
// production), and real HTTP on loopback: a scheduled item goes public within its second, on
// the API and on the cached home page; an expiring item leaves its page within its second; a
// pending edit does not show until it is published. The authorisation matrix: every write
// endpoint × {anonymous, editor, publisher, admin, revoked token}, from one table. PATCH,
// translations, related items, restore and diff through the real server; a CLI import into an
// edited item is in its history.
// Needs ASSETPUB_BINARY and ASSETPUB_SOURCE_DIR (compile definitions).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <tuple>
#include <utility>  // before Asio: Asio 1.74 with g++ 12 needs std::exchange (DEPENDENCIES.md)

#include "support/admin_browser.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace {

namespace bhttp = boost::beast::http;
using assetpub::testing::Fetch;
using assetpub::testing::Reply;
using assetpub::testing::RequestHeaders;
using assetpub::testing::RunCommand;
using assetpub::testing::ServerProcess;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Iso8601Utc(int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// `if_match`, when given, is sent as the If-Match header (the version a write starts from).
// A body goes as `content_type`.
Reply Send(unsigned short port, bhttp::verb method, const std::string& target,
           const std::string& token = {}, const std::string& body = {},
           const std::string& if_match = {}, const std::string& content_type = "application/json") {
  RequestHeaders headers;
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  if (!if_match.empty()) headers.emplace_back("If-Match", if_match);
  std::optional<std::string> payload;
  if (!body.empty()) {
    headers.emplace_back("Content-Type", content_type);
    payload = body;
  }
  return Fetch(port, target, headers, method, payload);
}

constexpr const char* kMergePatch = "application/merge-patch+json";

json Asset(const std::string& title) {
  return json{
      {"kind", "statement"},
      {"translations",
       {{"en-GB", {{"title", title}, {"blocks", {{{"type", "paragraph"}, {"text", "Text."}}}}}}}}};
}

class AuthoringIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string data = temp_.path().string();
    const std::string binary = ASSETPUB_BINARY;
    const auto [code, added] =
        RunCommand({binary, "--data", data, "user", "add", "pub1", "--role", "publisher"},
                   "a long enough pass phrase 42\n");
    ASSERT_EQ(code, 0) << added;
    int token_code = 0;
    std::tie(token_code, token_) =
        RunCommand({binary, "--data", data, "token", "create", "--user", "pub1", "--name", "it"},
                   "", /*capture_stderr=*/false);
    ASSERT_EQ(token_code, 0);
    while (!token_.empty() && (token_.back() == '\n' || token_.back() == '\r')) token_.pop_back();
    ASSERT_THAT(token_, ::testing::StartsWith("ap_"));
    server_ = std::make_unique<ServerProcess>(temp_.path());
    ASSERT_NE(server_->port(), 0) << "the server did not start";
  }

  int64_t CreateDraft(const std::string& title) { return CreateDraftFrom(Asset(title)); }
  int64_t CreateDraftFrom(const json& asset) {
    const Reply r =
        Send(server_->port(), bhttp::verb::post, "/api/v1/assets", token_, asset.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body).at("id").get<int64_t>();
  }
  json Draft(int64_t id) {
    const Reply r = Send(server_->port(), bhttp::verb::get,
                         "/api/v1/assets/" + std::to_string(id) + "/draft", token_);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  }
  // A token of a new user with `role` ("editor", …), made with the binary's commands.
  std::string MakeToken(const std::string& user, const std::string& role) {
    return assetpub::testing::MakeApiToken(ASSETPUB_BINARY, temp_.path().string(), user, role);
  }

  const assetpub::testing::TempDir temp_{"assetpub-authoring-it-"};
  std::string token_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(AuthoringIntegrationTest, AScheduledItemGoesPublicWithinItsSecond) {
  const int64_t id = CreateDraft("Noon statement Qzxnoon");
  const std::string item = "/api/v1/assets/" + std::to_string(id);
  // The home page is cached before the item goes out: the scheduler must make it catch up.
  EXPECT_THAT(Send(server_->port(), bhttp::verb::get, "/en/").body, Not(HasSubstr("Qzxnoon")));
  const int64_t at = NowSeconds() + 3;
  const Reply scheduled = Send(server_->port(), bhttp::verb::post, item + "/schedule", token_,
                               json{{"at", Iso8601Utc(at)}}.dump(), "\"1\"");
  ASSERT_EQ(scheduled.status, 200) << scheduled.body;

  int64_t seen = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(8);
  while (seen == 0 && std::chrono::steady_clock::now() < deadline) {
    const int64_t before = NowSeconds();
    const int status = Send(server_->port(), bhttp::verb::get, item).status;
    if (status == 200) {
      seen = before;
    } else {
      EXPECT_EQ(status, 404);
      EXPECT_LT(before, at + 1) << "still not public after its second";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_NE(seen, 0) << "never published";
  // First seen by a request sent during the scheduled second (or the one before, when the
  // request crossed the boundary), never earlier.
  EXPECT_GE(seen, at - 1);
  EXPECT_LE(seen, at);
  const json published = json::parse(Send(server_->port(), bhttp::verb::get, item).body);
  EXPECT_EQ(published["status"], "published");
  EXPECT_THAT(Send(server_->port(), bhttp::verb::get, "/en/").body, HasSubstr("Qzxnoon"));
}

TEST_F(AuthoringIntegrationTest, APendingEditIsNotServedUntilPublished) {
  const int64_t id = CreateDraft("Original Qzxold");
  const std::string item = "/api/v1/assets/" + std::to_string(id);
  ASSERT_EQ(Send(server_->port(), bhttp::verb::post, item + "/publish", token_, "", "\"1\"").status,
            200);
  EXPECT_THAT(Send(server_->port(), bhttp::verb::get, "/en/").body, HasSubstr("Qzxold"));
  const Reply saved = Send(server_->port(), bhttp::verb::put, item, token_,
                           json{{"revision", 2}, {"asset", Asset("Embargoed Qzxnew")}}.dump());
  ASSERT_EQ(saved.status, 200) << saved.body;
  for (const std::string& url : {item, std::string("/en/"), std::string("/sitemap.xml"),
                                 std::string("/en/feed.rss"), std::string("/api/v1/assets")}) {
    EXPECT_THAT(Send(server_->port(), bhttp::verb::get, url).body, Not(HasSubstr("Qzxnew"))) << url;
  }
  // Without the version it starts from, a write is refused (428); with a stale one, 412.
  EXPECT_EQ(Send(server_->port(), bhttp::verb::post, item + "/publish", token_).status, 428);
  const Reply stale =
      Send(server_->port(), bhttp::verb::post, item + "/publish", token_, "", "\"2\"");
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(stale.Header("etag"), "\"3\"");
  const Reply published =
      Send(server_->port(), bhttp::verb::post, item + "/publish", token_, "", saved.Header("etag"));
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(published.Header("etag"), "\"4\"");
  EXPECT_THAT(Send(server_->port(), bhttp::verb::get, item).body, HasSubstr("Qzxnew"));
  EXPECT_THAT(Send(server_->port(), bhttp::verb::get, "/en/").body, HasSubstr("Qzxnew"));
}

// Expiry in real time: an item published with expires_at 2 s ahead is served until then, and is
// gone from its (cached) page, the API and the home page within 1 s of that second.
TEST_F(AuthoringIntegrationTest, AnExpiringItemLeavesItsPageAtItsSecond) {
  // Four seconds: room for the create and publish round trips on a loaded CI machine.
  const int64_t expires = NowSeconds() + 4;
  json asset = Asset("Fleeting statement Qzxfleeting");
  asset["expires_at"] = Iso8601Utc(expires);
  const Reply created =
      Send(server_->port(), bhttp::verb::post, "/api/v1/assets", token_, asset.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t id = json::parse(created.body).at("id").get<int64_t>();
  const std::string item = "/api/v1/assets/" + std::to_string(id);
  // The canonical page ("/en/assets/{id}" alone redirects to it).
  const std::string page =
      "/en/assets/" + std::to_string(id) + "-" +
      json::parse(created.body)["asset"]["translations"]["en-GB"]["slug"].get<std::string>();
  const Reply published = Send(server_->port(), bhttp::verb::post, item + "/publish", token_, "",
                               created.Header("etag"));
  ASSERT_EQ(published.status, 200) << published.body;
  // Served (and so cached) while it is live.
  ASSERT_EQ(Send(server_->port(), bhttp::verb::get, page).status, 200);
  EXPECT_THAT(Send(server_->port(), bhttp::verb::get, "/en/").body, HasSubstr("Qzxfleeting"));

  int64_t gone = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(8);
  while (gone == 0 && std::chrono::steady_clock::now() < deadline) {
    const Reply r = Send(server_->port(), bhttp::verb::get, page);
    const int64_t after = NowSeconds();  // read after the answer: it was gone by then
    if (r.status == 404) {
      gone = after;
    } else {
      EXPECT_EQ(r.status, 200);
      EXPECT_THAT(r.body, HasSubstr("Qzxfleeting"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_NE(gone, 0) << "never taken down";
  // Not before its second, and within the scheduler's next round or two of it (it runs every
  // second; 2 s leaves room for a loaded machine, where this failed once at 1 s).
  EXPECT_GE(gone, expires);
  EXPECT_LE(gone, expires + 2);
  EXPECT_EQ(Send(server_->port(), bhttp::verb::get, item).status, 404);
  EXPECT_THAT(Send(server_->port(), bhttp::verb::get, "/en/").body, Not(HasSubstr("Qzxfleeting")));
  EXPECT_THAT(Send(server_->port(), bhttp::verb::get, "/en/feed.rss").body,
              Not(HasSubstr("Qzxfleeting")));
  const json draft =
      json::parse(Send(server_->port(), bhttp::verb::get, item + "/draft", token_).body);
  EXPECT_EQ(draft["status"], "expired");
}

// A bilingual draft: what the matrix and the write tests start from.
json Bilingual(const std::string& word) {
  return json{{"kind", "statement"},
              {"tags", {"alpha", "beta"}},
              {"translations",
               {{"en-GB",
                 {{"title", "Statement " + word},
                  {"place", "Moscow"},
                  {"summary", "Summary " + word},
                  {"blocks",
                   {{{"type", "paragraph"}, {"text", "First paragraph."}},
                    {{"type", "paragraph"}, {"text", "Second paragraph."}}}}}},
                {"ru-RU",
                 {{"title", "Заявление " + word},
                  {"blocks", {{{"type", "paragraph"}, {"text", "Абзац."}}}}}}}}};
}

// Every write endpoint (and the editors' reads) for each kind of caller, with the exact status
// expected, from this one table. Each cell starts from a fresh bilingual draft at revision 1.
TEST_F(AuthoringIntegrationTest, AuthorisationMatrix) {
  const std::string editor = MakeToken("ed1", "editor");
  const std::string admin = MakeToken("adm1", "admin");
  const std::string revoked = MakeToken("gone1", "admin");
  // Tokens so far: pub1's is 1, then 2, 3, 4.
  const auto [revoke_code, revoke_out] =
      RunCommand({ASSETPUB_BINARY, "--data", temp_.path().string(), "token", "revoke", "4"});
  ASSERT_EQ(revoke_code, 0) << revoke_out;

  enum Caller { kAnonymous, kEditor, kPublisher, kAdmin, kRevoked };
  const std::map<Caller, std::string> tokens = {{kAnonymous, ""},
                                                {kEditor, editor},
                                                {kPublisher, token_},
                                                {kAdmin, admin},
                                                {kRevoked, revoked}};
  struct Row {
    bhttp::verb method;
    std::string path;  // "{id}": the fresh draft's
    std::string body;
    std::string content_type;
    std::array<int, 5> status;  // anonymous, editor, publisher, admin, revoked
  };
  const std::string json_type = "application/json";
  const std::string future = Iso8601Utc(NowSeconds() + 3600);
  json edited = Bilingual("Edited");
  // A media upload (multipart/form-data, a small PDF): the same bytes each time, one file.
  const std::string upload_type = "multipart/form-data; boundary=matrix";
  const std::string upload =
      "--matrix\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.pdf\"\r\n\r\n"
      "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
      "\r\n--matrix--\r\n";
  const std::vector<Row> rows = {
      {bhttp::verb::post,
       "/api/v1/assets",
       Bilingual("New").dump(),
       json_type,
       {401, 201, 201, 201, 401}},
      {bhttp::verb::get, "/api/v1/assets/{id}/draft", "", json_type, {401, 200, 200, 200, 401}},
      {bhttp::verb::get, "/api/v1/assets/{id}/revisions", "", json_type, {401, 200, 200, 200, 401}},
      {bhttp::verb::get,
       "/api/v1/assets/{id}/revisions/1",
       "",
       json_type,
       {401, 200, 200, 200, 401}},
      {bhttp::verb::put,
       "/api/v1/assets/{id}",
       json{{"asset", edited}}.dump(),
       json_type,
       {401, 200, 200, 200, 401}},
      {bhttp::verb::post, "/api/v1/assets/{id}/publish", "", json_type, {401, 403, 200, 200, 401}},
      {bhttp::verb::post,
       "/api/v1/assets/{id}/schedule",
       json{{"at", future}}.dump(),
       json_type,
       {401, 403, 200, 200, 401}},
      // Allowed, but a draft is not scheduled: the permission is checked first.
      {bhttp::verb::post,
       "/api/v1/assets/{id}/unschedule",
       "",
       json_type,
       {401, 403, 409, 409, 401}},
      {bhttp::verb::post, "/api/v1/assets/{id}/archive", "", json_type, {401, 403, 200, 200, 401}},
      {bhttp::verb::delete_, "/api/v1/assets/{id}", "", json_type, {401, 403, 403, 204, 401}},
      // Revisions, PATCH, translations, related items.
      {bhttp::verb::patch,
       "/api/v1/assets/{id}",
       json{{"tags", {"gamma"}}}.dump(),
       kMergePatch,
       {401, 200, 200, 200, 401}},
      {bhttp::verb::put,
       "/api/v1/assets/{id}/translations/fr-FR",
       json{{"title", "Déclaration"}, {"blocks", {{{"type", "paragraph"}, {"text", "Texte."}}}}}
           .dump(),
       json_type,
       {401, 200, 200, 200, 401}},
      {bhttp::verb::delete_,
       "/api/v1/assets/{id}/translations/ru-RU",
       "",
       json_type,
       {401, 200, 200, 200, 401}},
      {bhttp::verb::put,
       "/api/v1/assets/{id}/related",
       json::array({json{{"title", "Photo gallery"}}}).dump(),
       json_type,
       {401, 200, 200, 200, 401}},
      {bhttp::verb::post,
       "/api/v1/assets/{id}/revisions/1/restore",
       "",
       json_type,
       {401, 200, 200, 200, 401}},
      {bhttp::verb::get,
       "/api/v1/assets/{id}/diff?from=1&to=1",
       "",
       json_type,
       {401, 200, 200, 200, 401}},
      // The media library: upload media.
      {bhttp::verb::post, "/api/v1/media", upload, upload_type, {401, 201, 201, 201, 401}},
      {bhttp::verb::get, "/api/v1/media?page=1", "", json_type, {401, 200, 200, 200, 401}},
  };
  // Each row twice: with If-Match "1", and without it. A write to an existing item that names
  // no version is refused with 428, but only once the caller is known to be allowed: a caller
  // without the right gets 401 or 403 either way (authorisation before preconditions).
  int cells = 0;
  for (const bool with_version : {true, false}) {
    for (const Row& row : rows) {
      const bool writes_item =
          row.path.find("{id}") != std::string::npos && row.method != bhttp::verb::get;
      if (!with_version && !writes_item) continue;
      for (Caller caller : {kAnonymous, kEditor, kPublisher, kAdmin, kRevoked}) {
        const int64_t id = CreateDraftFrom(Bilingual("Cell" + std::to_string(cells++)));
        std::string path = row.path;
        if (const size_t at = path.find("{id}"); at != std::string::npos) {
          path.replace(at, 4, std::to_string(id));
        }
        const bhttp::verb method = row.method;
        const int expected = with_version || row.status[caller] == 401 || row.status[caller] == 403
                                 ? row.status[caller]
                                 : 428;
        Reply r;
        try {
          r = Send(server_->port(), method, path, tokens.at(caller), row.body,
                   with_version ? "\"1\"" : "", row.content_type);
        } catch (const std::exception& e) {
          ADD_FAILURE() << bhttp::to_string(method) << " " << path << " as caller " << caller
                        << ": " << e.what();
          continue;
        }
        EXPECT_EQ(r.status, expected)
            << bhttp::to_string(method) << " " << path << " as caller " << caller
            << (with_version ? "" : " without If-Match") << ": " << r.body;
        EXPECT_EQ(r.Header("cache-control"), "no-store") << path;
        if (r.status == 401 || r.status == 403) {
          EXPECT_THAT(r.Header("content-type"), HasSubstr("application/problem+json")) << path;
          // Nothing was written: the draft is still at revision 1.
          if (row.path.find("{id}") != std::string::npos) {
            EXPECT_EQ(Draft(id)["revision"], 1) << "a refused " << path;
          }
        }
      }
    }
  }
  // 18 rows with a version, and the 11 that write to an existing item without one.
  EXPECT_EQ(cells, static_cast<int>((rows.size() + 11) * 5));
}

// Revisions record every change whatever its source: `assetpub import` of a changed version of
// an item edited through the API is the item's newest revision, by "import", and the draft the
// editors see is what was imported.
TEST_F(AuthoringIntegrationTest, ACliImportIntoAnEditedItemIsInItsHistory) {
  const int64_t id = CreateDraftFrom(Bilingual("Imported"));
  json asset = Draft(id)["asset"];
  asset["translations"]["en-GB"]["title"] = "Statement Imported, changed by a file";
  const std::filesystem::path file = temp_.path() / "changed.json";
  {
    std::FILE* out = std::fopen(file.c_str(), "wb");
    ASSERT_NE(out, nullptr);
    const std::string text = asset.dump();
    std::fwrite(text.data(), 1, text.size(), out);
    std::fclose(out);
  }
  const auto [code, output] =
      RunCommand({ASSETPUB_BINARY, "--data", temp_.path().string(), "import", file.string()});
  ASSERT_EQ(code, 0) << output;
  EXPECT_THAT(output, HasSubstr("imported"));

  const std::string item = "/api/v1/assets/" + std::to_string(id);
  const Reply history = Send(server_->port(), bhttp::verb::get, item + "/revisions", token_);
  ASSERT_EQ(history.status, 200) << history.body;
  const json revisions = json::parse(history.body)["revisions"];
  ASSERT_EQ(revisions.size(), 2u) << history.body;
  EXPECT_EQ(revisions[0]["number"], 2);
  EXPECT_EQ(revisions[0]["author"], "import");
  EXPECT_EQ(revisions[0]["note"], "import changed.json");
  const json draft = Draft(id);
  EXPECT_EQ(draft["revision"], 2);
  EXPECT_EQ(draft["asset"]["translations"]["en-GB"]["title"],
            "Statement Imported, changed by a file");
  // An editor still holding revision 1 is told someone changed it.
  EXPECT_EQ(Send(server_->port(), bhttp::verb::patch, item, token_, json{{"tags", {"late"}}}.dump(),
                 "\"1\"", kMergePatch)
                .status,
            412);
}

TEST_F(AuthoringIntegrationTest, PatchMergesIntoTheWorkingCopy) {
  const int64_t id = CreateDraftFrom(Bilingual("Patch"));
  const std::string item = "/api/v1/assets/" + std::to_string(id);
  const json patch = {
      {"tags", {"gamma"}},
      {"translations", {{"en-GB", {{"title", "Statement Patched"}, {"place", nullptr}}}}}};
  const Reply r =
      Send(server_->port(), bhttp::verb::patch, item, token_, patch.dump(), "\"1\"", kMergePatch);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("etag"), "\"2\"");
  const json asset = Draft(id)["asset"];
  EXPECT_EQ(asset["tags"], json::array({"gamma"}));  // an array is replaced, not merged
  EXPECT_EQ(asset["translations"]["en-GB"]["title"], "Statement Patched");
  // null removes an optional member (it was "Moscow"); what the patch does not name stays.
  EXPECT_EQ(asset["translations"]["en-GB"].value("place", ""), "") << asset.dump();
  EXPECT_EQ(asset["translations"]["en-GB"]["summary"], "Summary Patch");
  EXPECT_EQ(asset["translations"]["ru-RU"]["title"], "Заявление Patch");

  // A stale version: 412 with the current one; nothing written.
  Reply stale = Send(server_->port(), bhttp::verb::patch, item, token_,
                     json{{"tags", {"delta"}}}.dump(), "\"1\"", kMergePatch);
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(json::parse(stale.body)["current_revision"], 2);
  // No version at all: 428.
  EXPECT_EQ(Send(server_->port(), bhttp::verb::patch, item, token_,
                 json{{"tags", {"delta"}}}.dump(), "", kMergePatch)
                .status,
            428);
  // Another media type: 415 problem+json.
  const Reply plain = Send(server_->port(), bhttp::verb::patch, item, token_,
                           json{{"tags", {"delta"}}}.dump(), "\"2\"", "application/json");
  EXPECT_EQ(plain.status, 415) << plain.body;
  EXPECT_THAT(plain.Header("content-type"), HasSubstr("application/problem+json"));
  EXPECT_THAT(plain.body, HasSubstr("merge-patch"));
  // Another id, a status, an invalid result: 400, the invalid field by pointer.
  EXPECT_EQ(Send(server_->port(), bhttp::verb::patch, item, token_, json{{"id", id + 1}}.dump(),
                 "\"2\"", kMergePatch)
                .status,
            400);
  EXPECT_EQ(Send(server_->port(), bhttp::verb::patch, item, token_,
                 json{{"status", "published"}}.dump(), "\"2\"", kMergePatch)
                .status,
            400);
  const Reply invalid =
      Send(server_->port(), bhttp::verb::patch, item, token_,
           json{{"translations", {{"ru-RU", {{"title", ""}}}}}}.dump(), "\"2\"", kMergePatch);
  ASSERT_EQ(invalid.status, 400) << invalid.body;
  const json problem = json::parse(invalid.body);
  ASSERT_EQ(problem["errors"].size(), 1u) << invalid.body;
  EXPECT_EQ(problem["errors"][0]["pointer"], "/translations/ru-RU/title");
  EXPECT_EQ(Draft(id)["revision"], 2);
  // The id itself may be repeated.
  EXPECT_EQ(Send(server_->port(), bhttp::verb::patch, item, token_,
                 json{{"id", id}, {"priority", 3}}.dump(), "\"2\"", kMergePatch)
                .status,
            200);
  EXPECT_EQ(Draft(id)["asset"]["priority"], 3);
}

TEST_F(AuthoringIntegrationTest, TranslationsAreAddedAndRemovedOneByOne) {
  const int64_t id = CreateDraftFrom(Bilingual("Langs"));
  const std::string item = "/api/v1/assets/" + std::to_string(id);
  // The tag is canonicalised: fr-fr is fr-FR, and it becomes a declared version.
  const json french = {{"title", "Déclaration"},
                       {"blocks", {{{"type", "paragraph"}, {"text", "Texte."}}}}};
  Reply r = Send(server_->port(), bhttp::verb::put, item + "/translations/fr-fr", token_,
                 french.dump(), "\"1\"");
  ASSERT_EQ(r.status, 200) << r.body;
  json asset = Draft(id)["asset"];
  EXPECT_EQ(asset["translations"]["fr-FR"]["title"], "Déclaration");
  EXPECT_EQ(asset["translations"]["fr-FR"]["slug"], "declaration");
  EXPECT_EQ(asset["languages"], json::array({"en-GB", "ru-RU", "fr-FR"}));
  // Replaced in place.
  r = Send(server_->port(), bhttp::verb::put, item + "/translations/ru-RU", token_,
           json{{"title", "Новое"}, {"blocks", {{{"type", "paragraph"}, {"text", "Т."}}}}}.dump(),
           "\"2\"");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Draft(id)["asset"]["translations"]["ru-RU"]["title"], "Новое");
  EXPECT_EQ(Draft(id)["asset"]["languages"].size(), 3u);
  // Removed: from the translations and the declared versions.
  r = Send(server_->port(), bhttp::verb::delete_, item + "/translations/ru-RU", token_, "",
           "\"3\"");
  ASSERT_EQ(r.status, 200) << r.body;
  asset = Draft(id)["asset"];
  EXPECT_FALSE(asset["translations"].contains("ru-RU"));
  EXPECT_EQ(asset["languages"], json::array({"en-GB", "fr-FR"}));
  // Errors: an unknown or malformed tag, a stale version, the last translation.
  EXPECT_EQ(
      Send(server_->port(), bhttp::verb::delete_, item + "/translations/de-DE", token_, "", "\"4\"")
          .status,
      404);
  EXPECT_EQ(Send(server_->port(), bhttp::verb::put, item + "/translations/not a tag", token_,
                 french.dump(), "\"4\"")
                .status,
            400);
  EXPECT_EQ(Send(server_->port(), bhttp::verb::put, item + "/translations/de-DE", token_,
                 french.dump(), "\"3\"")
                .status,
            412);
  EXPECT_EQ(Send(server_->port(), bhttp::verb::put, item + "/translations/de-DE", token_,
                 json{{"title", ""}}.dump(), "\"4\"")
                .status,
            400);
  r = Send(server_->port(), bhttp::verb::delete_, item + "/translations/fr-FR", token_, "",
           "\"4\"");
  ASSERT_EQ(r.status, 200) << r.body;
  const Reply last = Send(server_->port(), bhttp::verb::delete_, item + "/translations/en-GB",
                          token_, "", "\"5\"");
  EXPECT_EQ(last.status, 422) << last.body;
  EXPECT_THAT(last.Header("content-type"), HasSubstr("application/problem+json"));
  EXPECT_EQ(json::parse(last.body)["errors"][0]["pointer"], "/translations/en-GB");
  EXPECT_EQ(Draft(id)["revision"], 5);
}

TEST_F(AuthoringIntegrationTest, RelatedItemsMustExistAndNotBeTheItemItself) {
  const int64_t other = CreateDraft("Other item");
  const int64_t id = CreateDraftFrom(Bilingual("Rel"));
  const std::string item = "/api/v1/assets/" + std::to_string(id);
  const json wanted = json::array({json{{"id", other}}, json{{"title", "Photo gallery"}}});
  Reply r =
      Send(server_->port(), bhttp::verb::put, item + "/related", token_, wanted.dump(), "\"1\"");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Draft(id)["asset"]["related"], wanted);

  const json bad = json::array({json{{"title", "fine"}}, json{{"id", 999999}}, json{{"id", id}}});
  r = Send(server_->port(), bhttp::verb::put, item + "/related", token_, bad.dump(), "\"2\"");
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_THAT(r.Header("content-type"), HasSubstr("application/problem+json"));
  const json problem = json::parse(r.body);
  ASSERT_EQ(problem["errors"].size(), 2u) << r.body;
  EXPECT_EQ(problem["errors"][0]["pointer"], "/related/1/id");
  EXPECT_EQ(problem["errors"][1]["pointer"], "/related/2/id");
  EXPECT_EQ(Send(server_->port(), bhttp::verb::put, item + "/related", token_,
                 json{{"id", other}}.dump(), "\"2\"")
                .status,
            400);  // not an array
  EXPECT_EQ(Draft(id)["revision"], 2);
  EXPECT_EQ(Draft(id)["asset"]["related"], wanted);
}

TEST_F(AuthoringIntegrationTest, DiffAndRestoreThroughTheApi) {
  const int64_t id = CreateDraftFrom(Bilingual("Hist"));
  const std::string item = "/api/v1/assets/" + std::to_string(id);
  const Reply first = Send(server_->port(), bhttp::verb::get, item + "/revisions/1", token_);
  ASSERT_EQ(first.status, 200);
  const json patch = {{"translations",
                       {{"en-GB",
                         {{"blocks",
                           {{{"type", "paragraph"}, {"text", "First paragraph."}},
                            {{"type", "paragraph"}, {"text", "Second paragraph, changed."}}}}}}}}};
  ASSERT_EQ(
      Send(server_->port(), bhttp::verb::patch, item, token_, patch.dump(), "\"1\"", kMergePatch)
          .status,
      200);

  Reply r = Send(server_->port(), bhttp::verb::get, item + "/diff?from=1&to=2", token_);
  ASSERT_EQ(r.status, 200) << r.body;
  const json diff = json::parse(r.body);
  EXPECT_EQ(diff["changed"], true);
  ASSERT_EQ(diff["translations"].size(), 2u);
  EXPECT_EQ(diff["translations"][0]["language"], "en-GB");
  EXPECT_EQ(diff["translations"][0]["state"], "changed");
  EXPECT_EQ(diff["translations"][1]["state"], "unchanged");
  json body;
  for (const json& field : diff["translations"][0]["fields"]) {
    if (field["field"] == "body") body = field;
  }
  ASSERT_TRUE(body.is_object()) << r.body;
  EXPECT_EQ(body["lines"], json::parse(R"([{"op":"equal","text":"First paragraph."},
                            {"op":"delete","text":"Second paragraph."},
                            {"op":"insert","text":"Second paragraph, changed."}])"));
  EXPECT_EQ(Send(server_->port(), bhttp::verb::get, item + "/diff?from=1", token_).status, 400);
  EXPECT_EQ(Send(server_->port(), bhttp::verb::get, item + "/diff?from=1&to=9", token_).status,
            404);

  // Restore revision 1 as revision 3: its asset, byte for byte.
  EXPECT_EQ(Send(server_->port(), bhttp::verb::post, item + "/revisions/1/restore", token_).status,
            428);
  EXPECT_EQ(
      Send(server_->port(), bhttp::verb::post, item + "/revisions/1/restore", token_, "", "\"1\"")
          .status,
      412);
  r = Send(server_->port(), bhttp::verb::post, item + "/revisions/1/restore", token_, "", "\"2\"");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("etag"), "\"3\"");
  const Reply third = Send(server_->port(), bhttp::verb::get, item + "/revisions/3", token_);
  EXPECT_EQ(json::parse(third.body)["note"], "restore 1");
  EXPECT_EQ(json::parse(third.body)["asset"].dump(), json::parse(first.body)["asset"].dump());
  EXPECT_EQ(json::parse(r.body)["asset"].dump(), json::parse(first.body)["asset"].dump());
  EXPECT_EQ(
      Send(server_->port(), bhttp::verb::post, item + "/revisions/9/restore", token_, "", "\"3\"")
          .status,
      404);
}

// A body of deeply nested JSON under the 1 MiB limit (170,000 objects inside one another) took
// the server down with a stack overflow in merge_patch; every write route now refuses JSON nested
// more than 64 deep with a 400, and the server goes on.
TEST_F(AuthoringIntegrationTest, DeeplyNestedJsonIsRefusedAndTheServerGoesOn) {
  const int64_t id = CreateDraft("Nested Qzxnested");
  const std::string item = "/api/v1/assets/" + std::to_string(id);
  std::string objects;
  for (int i = 0; i < 170'000; ++i) objects += "{\"a\":";
  objects += "1" + std::string(170'000, '}');
  const std::string arrays = std::string(300'000, '[') + std::string(300'000, ']');
  const struct {
    bhttp::verb method;
    std::string target;
    const std::string& body;
    const char* content_type;
  } writes[] = {
      {bhttp::verb::patch, item, objects, "application/merge-patch+json"},
      {bhttp::verb::post, "/api/v1/assets", objects, "application/json"},
      {bhttp::verb::put, item, objects, "application/json"},
      {bhttp::verb::put, item + "/related", arrays, "application/json"},
      {bhttp::verb::post, item + "/publish", arrays, "application/json"},
  };
  for (const auto& write : writes) {
    const Reply reply = Send(server_->port(), write.method, write.target, token_, write.body,
                             "\"1\"", write.content_type);
    EXPECT_EQ(reply.status, 400) << write.target << ": " << reply.body;
    EXPECT_THAT(reply.body, HasSubstr("nested more than 64 deep")) << write.target;
    ASSERT_EQ(Send(server_->port(), bhttp::verb::get, "/healthz").status, 200)
        << "the server died on " << write.target;
  }
  EXPECT_EQ(Draft(id)["asset"]["translations"]["en-GB"]["title"], "Nested Qzxnested");
}

}  // namespace
