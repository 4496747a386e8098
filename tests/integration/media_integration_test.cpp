// Media uploads end to end: users and tokens made with the `assetpub` binary, `assetpub serve` as
// a child process with a small media_max_bytes, and real HTTP on loopback. The type of an upload
// is what its bytes are; files come back byte for byte with caching, 304 and byte ranges; too
// large is 413 whether the body says so up front or not; names cannot escape the media folder;
// an attached file shows on the item's public page, escaped, and an unknown hash is refused.
// Needs ASSETPUB_BINARY and ASSETPUB_SOURCE_DIR (compile definitions).

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <sstream>
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
namespace fs = std::filesystem;
using assetpub::testing::Fetch;
using assetpub::testing::Reply;
using assetpub::testing::RequestHeaders;
using assetpub::testing::RunCommand;
using assetpub::testing::ServerProcess;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr size_t kMaxBytes = 20000;  // media_max_bytes in the test's config.toml

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

const std::string& Png() {
  static const std::string bytes =
      ReadFile(fs::path(ASSETPUB_SOURCE_DIR) / "tests/testdata/media/quadrants-400x300.png");
  return bytes;
}

std::string Pdf(size_t padding = 0) {
  return "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
         "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n" +
         std::string(padding, '%') + "\ntrailer << /Root 1 0 R >>\n%%EOF\n";
}

// A multipart/form-data body as a browser sends it: the file (field "file") and other fields.
std::string FormBody(const std::string& boundary, const std::string& filename,
                     const std::string& bytes,
                     const std::vector<std::pair<std::string, std::string>>& fields = {}) {
  std::string body;
  for (const auto& [name, value] : fields) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
            value + "\r\n";
  }
  // Quotes in the name escaped as curl does (a browser writes %22).
  std::string quoted;
  for (char c : filename) quoted += c == '"' ? std::string("\\\"") : std::string(1, c);
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
          quoted + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n--" +
          boundary + "--\r\n";
  return body;
}

class MediaIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string data = (temp_.path() / "data").string();
    fs::create_directories(data);
    std::ofstream(fs::path(data) / "config.toml")
        << "media_max_bytes = " << kMaxBytes << "\ncache_bytes = 16777216\n";
    editor_ = MakeToken(data, "ed1", "editor");
    publisher_ = MakeToken(data, "pub1", "publisher");
    server_ = std::make_unique<ServerProcess>(data);
    ASSERT_NE(server_->port(), 0) << "the server did not start";
  }

  std::string MakeToken(const std::string& data, const std::string& user, const std::string& role) {
    return assetpub::testing::MakeApiToken(ASSETPUB_BINARY, data, user, role);
  }

  Reply Upload(const std::string& filename, const std::string& bytes, const std::string& token,
               const std::vector<std::pair<std::string, std::string>>& fields = {}) {
    const std::string boundary = "----assetpubBoundary7MA4YWxkTrZu0gW";
    RequestHeaders headers = {{"Content-Type", "multipart/form-data; boundary=" + boundary}};
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    return Fetch(server_->port(), "/api/v1/media", headers, bhttp::verb::post,
                 FormBody(boundary, filename, bytes, fields));
  }

  Reply Get(const std::string& target, const RequestHeaders& headers = {},
            bhttp::verb method = bhttp::verb::get) {
    return Fetch(server_->port(), target, headers, method);
  }

  Reply SendJson(bhttp::verb method, const std::string& target, const std::string& token,
                 const json& body, const std::string& if_match = {}) {
    RequestHeaders headers = {{"Authorization", "Bearer " + token},
                              {"Content-Type", "application/json"}};
    if (!if_match.empty()) headers.emplace_back("If-Match", if_match);
    return Fetch(server_->port(), target, headers, method, body.dump());
  }

  static void ExpectProblem(const Reply& reply, int status, const std::string& detail_part) {
    EXPECT_EQ(reply.status, status) << reply.body;
    EXPECT_THAT(reply.Header("content-type"), StartsWith("application/problem+json"));
    const json problem = json::parse(reply.body, nullptr, false);
    ASSERT_FALSE(problem.is_discarded()) << reply.body;
    EXPECT_EQ(problem.value("status", 0), status);
    EXPECT_THAT(problem.value("detail", ""), HasSubstr(detail_part));
  }

  // Creates an item with the library files of `hashes` attached (as the editor) and publishes it
  // (as the publisher): /media/ serves only the files of published items. Returns its id.
  int64_t PublishWith(const std::vector<std::string>& hashes) {
    json asset = {
        {"kind", "photo"},
        {"media", json::array()},
        {"translations",
         {{"en-GB",
           {{"title", "Photos"}, {"blocks", {{{"type", "paragraph"}, {"text", "T."}}}}}}}}};
    for (const std::string& hash : hashes) asset["media"].push_back({{"hash", hash}});
    const Reply created = SendJson(bhttp::verb::post, "/api/v1/assets", editor_, asset);
    EXPECT_EQ(created.status, 201) << created.body;
    const int64_t id = json::parse(created.body, nullptr, false).value("id", int64_t{0});
    const Reply published =
        SendJson(bhttp::verb::post, "/api/v1/assets/" + std::to_string(id) + "/publish", publisher_,
                 json::object(), created.Header("etag"));
    EXPECT_EQ(published.status, 200) << published.body;
    return id;
  }

  json Library() {
    const Reply listed =
        Fetch(server_->port(), "/api/v1/media", {{"Authorization", "Bearer " + editor_}});
    EXPECT_EQ(listed.status, 200) << listed.body;
    return json::parse(listed.body);
  }

  const assetpub::testing::TempDir temp_{"assetpub-media-it-"};
  std::string editor_;
  std::string publisher_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(MediaIntegrationTest, AnUploadComesBackByteForByteWithCachingAndRanges) {
  const Reply uploaded = Upload("Quadrants.png", Png(), editor_, {{"caption", "Four squares"}});
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  const json file = json::parse(uploaded.body);
  const std::string hash = file.at("hash");
  ASSERT_EQ(hash.size(), 64u);
  EXPECT_EQ(file["type"], "image/png");
  EXPECT_EQ(file["name"], "Quadrants.png");
  EXPECT_EQ(file["bytes"], Png().size());
  EXPECT_EQ(file["width"], 400);
  EXPECT_EQ(file["height"], 300);
  EXPECT_EQ(file["caption"], "Four squares");
  const std::string url = "/media/" + hash.substr(0, 2) + "/" + hash + ".png";
  EXPECT_EQ(uploaded.Header("location"), url);
  EXPECT_EQ(file["url"], url);
  // Not public until an item using it is.
  EXPECT_EQ(Get(url).status, 404);
  PublishWith({hash});

  const Reply served = Get(url);
  ASSERT_EQ(served.status, 200);
  EXPECT_EQ(served.body, Png());
  EXPECT_EQ(served.Header("content-type"), "image/png");
  EXPECT_EQ(served.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(served.Header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(served.Header("etag"), "\"" + hash + "\"");
  EXPECT_EQ(served.Header("accept-ranges"), "bytes");

  EXPECT_EQ(Get(url, {{"If-None-Match", "\"" + hash + "\""}}).status, 304);
  const Reply head = Get(url, {}, bhttp::verb::head);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-length"), std::to_string(Png().size()));

  const Reply part = Get(url, {{"Range", "bytes=8-23"}});
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body, Png().substr(8, 16));
  EXPECT_EQ(part.Header("content-range"), "bytes 8-23/" + std::to_string(Png().size()));
  const Reply tail = Get(url, {{"Range", "bytes=-10"}});
  EXPECT_EQ(tail.status, 206);
  EXPECT_EQ(tail.body, Png().substr(Png().size() - 10));
  const Reply beyond = Get(url, {{"Range", "bytes=999999-"}});
  EXPECT_EQ(beyond.status, 416);
  EXPECT_EQ(beyond.Header("content-range"), "bytes */" + std::to_string(Png().size()));

  const Reply thumb = Get(file.at("thumbnail_url").get<std::string>());
  EXPECT_EQ(thumb.status, 200);
  EXPECT_EQ(thumb.Header("content-type"), "image/jpeg");
  EXPECT_EQ(thumb.body.substr(0, 3), std::string("\xff\xd8\xff"));

  // Anything not of the content-addressed pattern is 404, whatever is on disk.
  for (const std::string& bad :
       {"/media/" + hash.substr(0, 2) + "/" + hash + ".jpg", std::string("/media/../config.toml"),
        std::string("/media/%2e%2e/config.toml"),
        "/media/" + hash.substr(0, 2) + "/%2e%2e/%2e%2e/config.toml", "/media/" + hash + ".png",
        std::string("/media/")}) {
    EXPECT_EQ(Get(bad).status, 404) << bad;
  }

  // The same bytes again: one file in the library.
  ASSERT_EQ(Upload("copy.png", Png(), publisher_).status, 201);
  const json library = Library();
  EXPECT_EQ(library["total"], 1);
  EXPECT_EQ(library["files"][0]["hash"], hash);
  EXPECT_EQ(library["files"][0]["name"], "Quadrants.png");
  EXPECT_EQ(library["files"][0]["uploaded_by"], "ed1");
}

TEST_F(MediaIntegrationTest, WhatTheBytesAreDecidesNotTheName) {
  ExpectProblem(Upload("photo.jpg", Pdf(), editor_), 422, "PDF");
  ExpectProblem(Upload("page.png", "<!DOCTYPE html><html><body><script>alert(1)</script>", editor_),
                415, "text/html");
  ExpectProblem(
      Upload("logo.svg",
             "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>", editor_),
      415, "svg");
  // Not multipart at all, or malformed.
  const Reply json_body =
      Fetch(server_->port(), "/api/v1/media",
            {{"Authorization", "Bearer " + editor_}, {"Content-Type", "application/json"}},
            bhttp::verb::post, std::string("{}"));
  ExpectProblem(json_body, 415, "multipart/form-data");
  const Reply broken = Fetch(
      server_->port(), "/api/v1/media",
      {{"Authorization", "Bearer " + editor_}, {"Content-Type", "multipart/form-data; boundary=b"}},
      bhttp::verb::post, std::string("--b\r\nno headers here"));
  ExpectProblem(broken, 400, "multipart/form-data");
  EXPECT_EQ(Library()["total"], 0);
}

TEST_F(MediaIntegrationTest, TooLargeIs413BeforeOrAfterReading) {
  // Within the request limit (the file's size plus framing) but over media_max_bytes.
  ExpectProblem(Upload("big.pdf", Pdf(kMaxBytes), editor_), 413, std::to_string(kMaxBytes));
  // Far over: refused from its Content-Length before the body is read; still a clear answer.
  ExpectProblem(Upload("huge.pdf", Pdf(kMaxBytes * 20), editor_), 413, "media_max_bytes");
  // The other routes keep their own limit (1 MiB), uploads do not widen it.
  const Reply other =
      Fetch(server_->port(), "/api/v1/assets",
            {{"Authorization", "Bearer " + editor_}, {"Content-Type", "application/json"}},
            bhttp::verb::post, std::string(2 << 20, ' '));
  EXPECT_EQ(other.status, 413);
  // Just under the limit is fine.
  EXPECT_EQ(Upload("fits.pdf", Pdf(kMaxBytes - Pdf().size() - 10), editor_).status, 201);
  EXPECT_EQ(Library()["total"], 1);
}

TEST_F(MediaIntegrationTest, OnlyEditorsAndAboveMayUpload) {
  const Reply anonymous = Upload("a.pdf", Pdf(), "");
  ExpectProblem(anonymous, 401, "token");
  EXPECT_EQ(anonymous.Header("www-authenticate"), "Bearer realm=\"assetpub\"");
  ExpectProblem(Upload("a.pdf", Pdf(), "ap_not-a-token"), 401, "token");
  EXPECT_EQ(Get("/api/v1/media").status, 401);
  EXPECT_EQ(Library()["total"], 0);
}

TEST_F(MediaIntegrationTest, NamesAreDisplayOnlyAndCannotEscape) {
  for (const std::string name : {"../../evil.pdf", "/tmp/evil.pdf", "..\\\\..\\\\evil.pdf"}) {
    const Reply r = Upload(name, Pdf(1), editor_);
    ASSERT_EQ(r.status, 201) << name << ": " << r.body;
    EXPECT_EQ(json::parse(r.body)["name"], "evil.pdf") << name;
  }
  EXPECT_FALSE(fs::exists(temp_.path() / "evil.pdf"));
  EXPECT_FALSE(fs::exists(temp_.path() / "data" / "evil.pdf"));
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(temp_.path() / "data" / "media")) {
    if (!entry.is_regular_file()) continue;
    ++files;
    EXPECT_THAT(entry.path().filename().string(), ::testing::MatchesRegex("[0-9a-f]{64}\\.pdf"));
  }
  EXPECT_EQ(files, 1);
  // A NUL in the name is refused, not cut.
  ExpectProblem(Upload(std::string("evil\0.pdf", 9), Pdf(2), editor_), 400, "file name");
}

TEST_F(MediaIntegrationTest, AttachedFilesShowOnThePublicPageEscaped) {
  const json png = json::parse(Upload("Квадраты <b>.png", Png(), editor_).body);
  const json pdf = json::parse(Upload("Report \"2013\".pdf", Pdf(3000), editor_).body);
  json asset = {{"kind", "statement"},
                {"media",
                 {{{"hash", png["hash"]}, {"caption", "<script>alert('caption')</script> squares"}},
                  {{"hash", pdf["hash"]}}}},
                {"translations",
                 {{"en-GB",
                   {{"title", "Statement with files Qzxfiles"},
                    {"blocks", {{{"type", "paragraph"}, {"text", "Text."}}}}}}}}};

  // An unknown hash: 422 naming the entry.
  json unknown = asset;
  unknown["media"][1]["hash"] = std::string(64, 'f');
  const Reply refused = SendJson(bhttp::verb::post, "/api/v1/assets", editor_, unknown);
  ExpectProblem(refused, 422, "media library");
  const json problem = json::parse(refused.body);
  ASSERT_EQ(problem["errors"].size(), 1u) << refused.body;
  EXPECT_EQ(problem["errors"][0]["pointer"], "/media/1/hash");

  const Reply created = SendJson(bhttp::verb::post, "/api/v1/assets", editor_, asset);
  ASSERT_EQ(created.status, 201) << created.body;
  const json item = json::parse(created.body);
  // Completed from the library.
  EXPECT_EQ(item["asset"]["media"][0]["type"], "image/png");
  EXPECT_EQ(item["asset"]["media"][0]["width"], 400);
  EXPECT_EQ(item["asset"]["media"][1]["name"], "Report \"2013\".pdf");
  EXPECT_EQ(item["asset"]["media"][1]["bytes"], pdf["bytes"]);
  const int64_t id = item["id"];
  const Reply published =
      SendJson(bhttp::verb::post, "/api/v1/assets/" + std::to_string(id) + "/publish", publisher_,
               json::object(), created.Header("etag"));
  ASSERT_EQ(published.status, 200) << published.body;

  const std::string page_url = "/en/assets/" + std::to_string(id) + "-" +
                               item["asset"]["translations"]["en-GB"]["slug"].get<std::string>();
  const Reply page = Get(page_url);
  ASSERT_EQ(page.status, 200) << page_url;
  EXPECT_THAT(page.body, HasSubstr("Additional materials"));
  EXPECT_THAT(page.body, HasSubstr(png["thumbnail_url"].get<std::string>()));
  EXPECT_THAT(page.body, HasSubstr("href=\"" + png["url"].get<std::string>() + "\""));
  EXPECT_THAT(page.body, HasSubstr("width=\"320\" height=\"240\""));
  EXPECT_THAT(page.body, HasSubstr("href=\"" + pdf["url"].get<std::string>() + "\""));
  EXPECT_THAT(page.body, HasSubstr("(PDF, 3 KB)"));
  // Untrusted names and captions are inert.
  EXPECT_THAT(page.body, Not(HasSubstr("<script>alert('caption')")));
  EXPECT_THAT(page.body, HasSubstr("&lt;script&gt;"));
  EXPECT_THAT(page.body, Not(HasSubstr("Report \"2013\"")));
  EXPECT_THAT(page.body, HasSubstr("Report &quot;2013&quot;.pdf"));
  // The PDF is served inline under its display name.
  const Reply served = Get(pdf["url"].get<std::string>());
  EXPECT_EQ(served.Header("content-type"), "application/pdf");
  EXPECT_EQ(served.Header("content-disposition"),
            "inline; filename*=UTF-8''Report%20%222013%22.pdf");
}

// An embargoed statement's attachment: nobody gets it at /media/ before the statement is out
// (404 as for a file that does not exist), the editor gets it at /admin/media/ with a session,
// and everyone at /media/ once it is published.
TEST_F(MediaIntegrationTest, AnEmbargoedItemsFileIsPublicOnlyOncePublished) {
  const json pdf = json::parse(Upload("Embargoed statement.pdf", Pdf(3000), editor_).body);
  const std::string url = pdf.at("url");
  const std::string hash = pdf.at("hash");
  const json asset = {{"kind", "statement"},
                      {"media", {{{"hash", hash}}}},
                      {"translations",
                       {{"en-GB",
                         {{"title", "Embargoed statement"},
                          {"blocks", {{{"type", "paragraph"}, {"text", "Embargoed."}}}}}}}}};
  const Reply created = SendJson(bhttp::verb::post, "/api/v1/assets", editor_, asset);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = std::to_string(json::parse(created.body)["id"].get<int64_t>());
  const Reply scheduled =
      SendJson(bhttp::verb::post, "/api/v1/assets/" + id + "/schedule", publisher_,
               {{"at", "2099-01-01T00:00:00Z"}}, created.Header("etag"));
  ASSERT_EQ(scheduled.status, 200) << scheduled.body;

  const Reply before = Get(url);
  EXPECT_EQ(before.status, 404);
  EXPECT_THAT(before.body, Not(HasSubstr("%PDF")));
  EXPECT_EQ(Get(url, {}, bhttp::verb::head).status, 404);
  // A file that does not exist at all answers the same.
  EXPECT_EQ(Get("/media/" + std::string(2, 'e') + "/" + std::string(64, 'e') + ".pdf").status, 404);

  // The editor, logged in, previews it through /admin/media/; without a session: the login.
  EXPECT_EQ(Get("/admin" + url).status, 303);
  assetpub::testing::AdminBrowser browser(server_->port());
  ASSERT_EQ(browser.LogIn("ed1", "a long enough pass phrase 42").status, 303);
  const Reply editor = browser.Get("/admin" + url);
  EXPECT_EQ(editor.status, 200);
  EXPECT_EQ(editor.body, Pdf(3000));
  EXPECT_EQ(editor.Header("cache-control"), "no-store");

  const Reply published = SendJson(bhttp::verb::post, "/api/v1/assets/" + id + "/publish",
                                   publisher_, json::object(), scheduled.Header("etag"));
  ASSERT_EQ(published.status, 200) << published.body;
  const Reply after = Get(url);
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(after.body, Pdf(3000));

  // Archived: not public any more.
  const Reply archived = SendJson(bhttp::verb::post, "/api/v1/assets/" + id + "/archive",
                                  publisher_, json::object(), published.Header("etag"));
  ASSERT_EQ(archived.status, 200) << archived.body;
  EXPECT_EQ(Get(url).status, 404);
}

// The value of the hidden form field `name` in `html` ("" when absent).
std::string HiddenField(const std::string& html, const std::string& name) {
  std::smatch match;
  const std::regex field("name=\"" + name + "\" value=\"([^\"]+)\"");
  return std::regex_search(html, match, field) ? match[1].str() : "";
}

// The editors' desk: the library page lists uploads, its form uploads with the session's CSRF
// token as a multipart field, a form without it is refused, a refused file says why.
TEST_F(MediaIntegrationTest, TheLibraryPageUploadsWithItsCsrfToken) {
  std::string cookie;
  const auto send = [&](bhttp::verb method, const std::string& target, RequestHeaders headers,
                        std::optional<std::string> body) {
    if (!cookie.empty()) headers.emplace_back("Cookie", "ap_session=" + cookie);
    Reply reply = Fetch(server_->port(), target, headers, method, body);
    const std::string set = reply.Header("set-cookie");
    if (set.starts_with("ap_session=")) cookie = set.substr(11, set.find(';') - 11);
    return reply;
  };
  const Reply login_form = send(bhttp::verb::get, "/admin/login", {}, std::nullopt);
  const Reply login = send(bhttp::verb::post, "/admin/login",
                           {{"Content-Type", "application/x-www-form-urlencoded"}},
                           "csrf=" + HiddenField(login_form.body, "csrf") +
                               "&name=ed1&password=a+long+enough+pass+phrase+42");
  ASSERT_EQ(login.status, 303) << login.body;

  const Reply empty = send(bhttp::verb::get, "/admin/media", {}, std::nullopt);
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_THAT(empty.body, HasSubstr("enctype=\"multipart/form-data\""));
  EXPECT_THAT(empty.body, HasSubstr("href=\"/admin/media\""));  // the nav link
  const std::string csrf = HiddenField(empty.body, "csrf");
  ASSERT_FALSE(csrf.empty());

  const std::string boundary = "----adminBoundary";
  const RequestHeaders multipart = {{"Content-Type", "multipart/form-data; boundary=" + boundary}};
  // Without the token: refused before anything is stored.
  EXPECT_EQ(
      send(bhttp::verb::post, "/admin/media", multipart, FormBody(boundary, "a.png", Png())).status,
      403);
  // A file whose bytes are not what its name says: the page again, saying why.
  const Reply wrong = send(bhttp::verb::post, "/admin/media", multipart,
                           FormBody(boundary, "a.png", Pdf(), {{"csrf", csrf}}));
  EXPECT_EQ(wrong.status, 400);
  EXPECT_THAT(wrong.body, HasSubstr("PDF"));
  EXPECT_EQ(Library()["total"], 0);

  const Reply uploaded =
      send(bhttp::verb::post, "/admin/media", multipart,
           FormBody(boundary, "<img src=x onerror=alert(1)>.png", Png(), {{"csrf", csrf}}));
  ASSERT_EQ(uploaded.status, 303) << uploaded.body;
  const Reply listed = send(bhttp::verb::get, uploaded.Header("location"), {}, std::nullopt);
  ASSERT_EQ(listed.status, 200);
  const json library = Library();
  ASSERT_EQ(library["total"], 1);
  EXPECT_THAT(listed.body, HasSubstr(library["files"][0]["thumbnail_url"].get<std::string>()));
  EXPECT_THAT(listed.body, HasSubstr("&lt;img src=x onerror=alert(1)&gt;.png"));
  EXPECT_THAT(listed.body, Not(HasSubstr("<img src=x")));
}

// Large files are sent from disk in pieces (the server's chunks are 256 KiB), not read whole
// into memory per request. Files are placed in the media folder as an upload leaves them
// (uploading 32 MiB would itself raise the server's peak memory, which one test measures).
class MediaStreamingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = temp_.path() / "data";
    fs::create_directories(data_);
    std::ofstream(data_ / "config.toml") << "cache_bytes = 16777216\n";
    server_ = std::make_unique<ServerProcess>(data_);
    ASSERT_NE(server_->port(), 0) << "the server did not start";
  }

  // Bytes that differ from one position to the next (a misplaced piece cannot go unnoticed).
  static std::string Bytes(size_t size) {
    std::string bytes(size, '\0');
    uint32_t x = 2463534242u;
    for (char& c : bytes) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      c = static_cast<char>(x);
    }
    return bytes;
  }

  // /media/ serves the files of published items only: imports one that has the PDF of `hash`
  // (`size` bytes) attached; `digit` names it.
  void PublishWith(const std::string& hash, size_t size, char digit) {
    const json item = {{"kind", "document"},
                       {"status", "published"},
                       {"published_at", "2024-03-01T10:00:00Z"},
                       {"time_zone", "Europe/Moscow"},
                       {"languages", {"en-GB"}},
                       {"media",
                        {{{"hash", hash},
                          {"type", "application/pdf"},
                          {"name", std::string("file-") + digit + ".pdf"},
                          {"bytes", size},
                          {"width", 0},
                          {"height", 0},
                          {"caption", ""}}}},
                       {"translations",
                        {{"en-GB",
                          {{"title", std::string("File ") + digit},
                           {"slug", std::string("file-") + digit},
                           {"blocks", {{{"type", "paragraph"}, {"text", "A file."}}}}}}}}};
    const fs::path json_file = temp_.path() / (std::string("item-") + digit + ".json");
    std::ofstream(json_file) << json::array({item}).dump();
    const auto [imported, said] =
        RunCommand({ASSETPUB_BINARY, "--data", data_.string(), "import", json_file.string()});
    EXPECT_EQ(imported, 0) << said;
  }

  // Stores `bytes` as the library's file of hash `<digit> repeated` and returns its URL.
  // Puts `bytes` in the media folder under their SHA-256 (the server checks a cached file's
  // bytes against its name before serving it, and copies it into the store); `digit` names the
  // temporary file.
  std::string Place(const std::string& bytes, char digit) {
    const fs::path staged = data_ / (std::string("staged-") + digit);
    std::ofstream(staged, std::ios::binary) << bytes;
    const auto [code, output] = RunCommand({"/usr/bin/sha256sum", staged.string()}, "", false);
    EXPECT_EQ(code, 0) << output;
    const std::string hash = output.substr(0, 64);
    fs::create_directories(data_ / "media" / hash.substr(0, 2));
    fs::rename(staged, data_ / "media" / hash.substr(0, 2) / (hash + ".pdf"));
    PublishWith(hash, bytes.size(), digit);
    return "/media/" + hash.substr(0, 2) + "/" + hash + ".pdf";
  }

  Reply Get(const std::string& target, bhttp::verb method = bhttp::verb::get) {
    return Fetch(server_->port(), target, {}, method);
  }

  // The server's peak resident memory so far (VmHWM), in KiB.
  int64_t PeakKib() const { return StatusKib("VmHWM:"); }
  // Its anonymous memory now (RssAnon: the heap and stacks, not mapped files), in KiB.
  int64_t AnonymousKib() const { return StatusKib("RssAnon:"); }
  // A "Name: N kB" line of the server's /proc/PID/status.
  int64_t StatusKib(const std::string& field) const {
    std::ifstream in("/proc/" + std::to_string(server_->pid()) + "/status");
    std::string line;
    while (std::getline(in, line)) {
      if (line.starts_with(field)) return std::stoll(line.substr(field.size()));
    }
    ADD_FAILURE() << "no " << field << " for the server";
    return 0;
  }
  // The size of the largest file the server has open that has no name (an upload being
  // spooled), or 0.
  int64_t LargestNamelessFile() const {
    int64_t largest = 0;
    const fs::path fds = "/proc/" + std::to_string(server_->pid()) + "/fd";
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(fds, ec)) {
      const std::string target = fs::read_symlink(entry.path(), ec).string();
      if (ec || target.find("(deleted)") == std::string::npos) continue;
      struct stat info {};
      if (::stat(entry.path().c_str(), &info) == 0)
        largest = std::max(largest, int64_t{info.st_size});
    }
    return largest;
  }

  const assetpub::testing::TempDir temp_{"assetpub-media-stream-"};
  fs::path data_;
  std::unique_ptr<ServerProcess> server_;
};

// One GET on a raw connection, read as the test chooses: the header, then the body piece by
// piece, each piece compared with `expected` where it belongs.
class Download {
 public:
  Download(unsigned short port, const std::string& target) : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    const std::string request =
        "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    boost::asio::write(socket_, boost::asio::buffer(request));
  }

  // Reads until the header and at least `body_bytes` of the body are in; false at the end of
  // the stream. The header's status line is head().
  bool ReadAtLeast(uint64_t body_bytes, const std::string& expected) {
    std::array<char, 64 * 1024> buffer;
    while (head_end_ == std::string::npos || received_ < body_bytes) {
      boost::system::error_code ec;
      const size_t n = socket_.read_some(boost::asio::buffer(buffer), ec);
      if (ec) return false;
      std::string_view piece(buffer.data(), n);
      if (head_end_ == std::string::npos) {
        head_.append(piece);
        head_end_ = head_.find("\r\n\r\n");
        if (head_end_ == std::string::npos) continue;
        piece = std::string_view(head_).substr(head_end_ + 4);
      }
      if (expected.compare(received_, piece.size(), piece) != 0) mismatched_ = true;
      received_ += piece.size();
      if (head_end_ != std::string::npos && head_.size() > head_end_ + 4) {
        head_.resize(head_end_ + 4);  // the body's first bytes are counted, not kept
      }
    }
    return true;
  }

  const std::string& head() const { return head_; }
  uint64_t received() const { return received_; }
  bool mismatched() const { return mismatched_; }
  void Close() { socket_.close(); }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  std::string head_;
  size_t head_end_ = std::string::npos;
  uint64_t received_ = 0;
  bool mismatched_ = false;
};

TEST_F(MediaStreamingTest, AFileLargerThanAChunkComesBackWholeAndByRange) {
  const std::string bytes = Bytes(3 * 1024 * 1024 + 123);
  const std::string url = Place(bytes, 'a');
  const std::string size = std::to_string(bytes.size());
  assetpub::testing::HttpClient client(server_->port());
  const Reply whole = client.Fetch(url);
  ASSERT_EQ(whole.status, 200);
  EXPECT_EQ(whole.Header("content-length"), size);
  EXPECT_TRUE(whole.body == bytes) << "the body differs from the file";
  EXPECT_EQ(whole.Header("content-type"), "application/pdf");
  EXPECT_EQ(whole.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(whole.Header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(whole.Header("etag"), "\"" + url.substr(10, 64) + "\"");  // "/media/ab/" + hash
  // A range across the boundary of the first 256 KiB piece, on the same kept-alive connection.
  const size_t chunk = 256 * 1024;
  const Reply across = client.Fetch(
      url, {{"Range", "bytes=" + std::to_string(chunk - 100) + "-" + std::to_string(chunk + 99)}});
  ASSERT_EQ(across.status, 206);
  EXPECT_EQ(across.body, bytes.substr(chunk - 100, 200));
  EXPECT_EQ(across.Header("content-range"),
            "bytes " + std::to_string(chunk - 100) + "-" + std::to_string(chunk + 99) + "/" + size);
  // Many pieces from an odd offset to the end.
  const Reply tail = client.Fetch(url, {{"Range", "bytes=1000001-"}});
  ASSERT_EQ(tail.status, 206);
  EXPECT_TRUE(tail.body == bytes.substr(1000001)) << "the tail differs from the file";
  const Reply head = client.Fetch(url, {}, bhttp::verb::head);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-length"), size);
  EXPECT_EQ(client.Fetch(url, {{"If-None-Match", whole.Header("etag")}}).status, 304);
  EXPECT_EQ(client.Fetch(url, {{"Range", "bytes=" + size + "-"}}).status, 416);
  // And the connection still serves the next request whole.
  EXPECT_TRUE(client.Fetch(url).body == bytes);
}

TEST_F(MediaStreamingTest, ConcurrentDownloadsDoNotCostTheFileSizeEach) {
  const size_t size = 32 * 1024 * 1024;
  const std::string bytes = Bytes(size);
  const std::string url = Place(bytes, 'b');
  ASSERT_EQ(Get(url, bhttp::verb::head).status, 200);  // warm: the server's routes and pools
  const int64_t before = PeakKib();
  // Eight downloads at once: every one has started (its header and first bytes are in) before
  // any is read further, so a server holding each file in memory would hold all eight.
  std::vector<std::unique_ptr<Download>> downloads;
  for (int i = 0; i < 8; ++i) {
    downloads.push_back(std::make_unique<Download>(server_->port(), url));
  }
  for (auto& d : downloads) ASSERT_TRUE(d->ReadAtLeast(1, bytes));
  // A client that goes away mid-file: the server closes that connection and goes on.
  {
    Download quitter(server_->port(), url);
    ASSERT_TRUE(quitter.ReadAtLeast(1024 * 1024, bytes));
    quitter.Close();
  }
  for (auto& d : downloads) {
    EXPECT_TRUE(d->ReadAtLeast(size, bytes));
    EXPECT_EQ(d->received(), size);
    EXPECT_FALSE(d->mismatched());
    EXPECT_THAT(d->head(), StartsWith("HTTP/1.1 200 OK\r\n"));
    EXPECT_THAT(d->head(), HasSubstr("Content-Length: " + std::to_string(size) + "\r\n"));
  }
  const int64_t growth_kib = PeakKib() - before;
  EXPECT_LT(growth_kib, static_cast<int64_t>(size / 1024))
      << "the server's peak memory grew by " << growth_kib << " KiB for 8 downloads of "
      << size / 1024 << " KiB";
  std::cout << "[ figure ] server peak RSS growth for 8 concurrent 32 MiB downloads: " << growth_kib
            << " KiB\n";
  EXPECT_EQ(Get("/healthz").status, 200);
}

// An upload goes to a nameless file in the data folder as it arrives and the handlers read it
// mapped from there: 24 MiB sent with the last MiB held back, the file holds what came, and the
// server's own memory has not grown by the upload's size; then it is stored and comes back whole.
TEST_F(MediaStreamingTest, AnUploadIsWrittenToDiskAsItArrivesNotHeldInMemory) {
  const std::string token =
      assetpub::testing::MakeApiToken(ASSETPUB_BINARY, data_.string(), "ed1", "editor");
  const std::string bytes = Pdf(24 * 1024 * 1024);
  const std::string boundary = "----assetpubSpool";
  const std::string body = FormBody(boundary, "big.pdf", bytes);
  ASSERT_EQ(Get("/healthz").status, 200);  // warm
  const int64_t anonymous_before = AnonymousKib();

  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), server_->port()});
  const std::string head =
      "POST /api/v1/media HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
      "\r\nContent-Type: multipart/form-data; boundary=" + boundary +
      "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  boost::asio::write(socket, boost::asio::buffer(head));
  const size_t held_back = 1024 * 1024;
  boost::asio::write(socket, boost::asio::buffer(body.data(), body.size() - held_back));
  // The server reads what was sent into a file: wait until the file holds it (bounded).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (LargestNamelessFile() < static_cast<int64_t>(body.size() - held_back) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(LargestNamelessFile(), static_cast<int64_t>(body.size() - held_back))
      << "no nameless file in the server holds the upload so far";
  const int64_t growth_kib = AnonymousKib() - anonymous_before;
  EXPECT_LT(growth_kib, 8 * 1024) << "the server's anonymous memory grew by " << growth_kib
                                  << " KiB while receiving 23 MiB";
  std::cout << "[ figure ] server anonymous memory growth while receiving 23 MiB of an upload: "
            << growth_kib << " KiB\n";

  boost::asio::write(socket, boost::asio::buffer(body.data() + body.size() - held_back, held_back));
  boost::beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  bhttp::read(socket, buffer, response);
  ASSERT_EQ(response.result_int(), 201u) << response.body();
  const std::string url = json::parse(response.body()).at("url").get<std::string>();
  PublishWith(json::parse(response.body()).at("hash").get<std::string>(), bytes.size(), 'u');
  Download download(server_->port(), url);
  EXPECT_TRUE(download.ReadAtLeast(bytes.size(), bytes));
  EXPECT_THAT(download.head(), StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_EQ(download.received(), bytes.size());
  EXPECT_FALSE(download.mismatched()) << "the file does not come back byte for byte";
  download.Close();
  // The connection closed after its answer, and the file went with it.
  const auto closed_by = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (LargestNamelessFile() != 0 && std::chrono::steady_clock::now() < closed_by) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(LargestNamelessFile(), 0) << "the spooled file outlived its connection";
}

}  // namespace
