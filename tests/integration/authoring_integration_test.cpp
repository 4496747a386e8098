// The write side end to end: a publisher and a token made with the `assetpub` binary's user and
// token commands, `assetpub serve` as a child process (page cache and scheduler on, as in
// production), and real HTTP on loopback: a scheduled item goes public within its second, on
// the API and on the cached home page; an expiring item leaves its page within its second; a
// pending edit does not show until it is published.
// Needs ASSETPUB_BINARY and ASSETPUB_SOURCE_DIR (compile definitions).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <tuple>
#include <utility>  // before Asio: Asio 1.74 with g++ 12 needs std::exchange (DEPENDENCIES.md)

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
Reply Send(unsigned short port, bhttp::verb method, const std::string& target,
           const std::string& token = {}, const std::string& body = {},
           const std::string& if_match = {}) {
  RequestHeaders headers;
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  if (!if_match.empty()) headers.emplace_back("If-Match", if_match);
  std::optional<std::string> payload;
  if (!body.empty()) {
    headers.emplace_back("Content-Type", "application/json");
    payload = body;
  }
  return Fetch(port, target, headers, method, payload);
}

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

  int64_t CreateDraft(const std::string& title) {
    const Reply r =
        Send(server_->port(), bhttp::verb::post, "/api/v1/assets", token_, Asset(title).dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body).at("id").get<int64_t>();
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
  const int64_t expires = NowSeconds() + 2;
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
  // Not before its second, and within 1 s of it.
  EXPECT_GE(gone, expires);
  EXPECT_LE(gone, expires + 1);
  EXPECT_EQ(Send(server_->port(), bhttp::verb::get, item).status, 404);
  EXPECT_THAT(Send(server_->port(), bhttp::verb::get, "/en/").body, Not(HasSubstr("Qzxfleeting")));
  EXPECT_THAT(Send(server_->port(), bhttp::verb::get, "/en/feed.rss").body,
              Not(HasSubstr("Qzxfleeting")));
  const json draft =
      json::parse(Send(server_->port(), bhttp::verb::get, item + "/draft", token_).body);
  EXPECT_EQ(draft["status"], "expired");
}

}  // namespace
