// The response cache end to end: a real `assetpub serve --listen 127.0.0.1:0` child process over
// a SQLite store that this test writes to as another process would (`assetpub import`, another
// node). After each kind of write, once the server has applied the change (its /metrics says
// so), every affected URL shows the new content on the very next request and an unaffected one
// is still a cache hit (the hit counter of /metrics). Conditional requests and content
// negotiation are checked over the wire. Needs ASSETPUB_BINARY and ASSETPUB_SOURCE_DIR.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <utility>  // before Asio: Asio 1.74 with g++ 12 needs std::exchange (DEPENDENCIES.md)
//
#include <boost/beast/http.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "content/asset.h"
#include "content/instant.h"
#include "http/compression.h"
#include "store/store.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace {

namespace bhttp = boost::beast::http;
using namespace assetpub;
using assetpub::testing::Fetch;
using assetpub::testing::Reply;
using assetpub::testing::ServerProcess;
using ::testing::HasSubstr;
using ::testing::Not;

content::Asset Item(int64_t id, content::Kind kind, const std::string& title, int64_t at) {
  content::Asset asset;
  asset.id = id;
  asset.kind = kind;
  asset.published_at = {at};
  asset.languages = {"en-GB", "ru-RU"};
  for (const char* language : {"en-GB", "ru-RU"}) {
    content::Translation translation;
    translation.language = language;
    translation.title = std::string(language == std::string("en-GB") ? "" : "RU ") + title;
    translation.slug = std::string(language == std::string("en-GB") ? "en-" : "ru-") + "item-" +
                       std::to_string(id);
    translation.blocks = {content::Block::Paragraph("Body of " + title + ".")};
    asset.translations[language] = translation;
  }
  return asset;
}

class CacheTest : public ::testing::Test {
 protected:
  static constexpr int64_t kDay = 86400;
  static constexpr int64_t kBase = 1'400'000'000;  // 2014

  void SetUp() override {
    store_ = store::OpenStore("sqlite:" + (temp_.path() / "assetpub.db").string());
    Put(Item(1, content::Kind::kTranscript, "Transcript one", kBase));
    Put(Item(2, content::Kind::kInterview, "Interview two", kBase - kDay));
    content::Asset statement =
        Item(3, content::Kind::kStatement, "Statement three", kBase - 2 * kDay);
    statement.tags = {"Syria"};
    Put(statement);
    content::Asset speech = Item(4, content::Kind::kSpeech, "Speech four", kBase - 3 * kDay);
    speech.related = {{1, ""}};
    speech.people = {"Sergey Lavrov"};
    Put(speech);
    server_ =
        std::make_unique<ServerProcess>(temp_.path(), std::vector<std::string>{"--threads", "2"});
    ASSERT_NE(server_->port(), 0) << "the server did not start";
    // List pages become cacheable once the server has summarised the store.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      Get("/en/interviews/");
      if (IsHit("/en/interviews/")) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  void TearDown() override {
    server_.reset();
    store_.reset();
  }

  void Put(content::Asset asset) {
    auto transaction = store_->Begin();
    transaction->Put(asset);
    transaction->Commit();
  }
  content::Asset Stored(int64_t id) { return *store_->Get(id); }

  Reply Get(const std::string& target,
            const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    return Fetch(server_->port(), target, headers);
  }
  // A value of /metrics, or -1.
  int64_t Metric(const std::string& name) {
    const std::string body = Get("/metrics").body;
    const std::string prefix = "\n" + name + " ";
    const size_t at = body.find(prefix);
    if (at == std::string::npos) return -1;
    return std::stoll(body.substr(at + prefix.size()));
  }
  bool IsHit(const std::string& target) {
    const int64_t before = Metric("assetpub_cache_hits_total");
    const Reply reply = Get(target);
    EXPECT_EQ(reply.status, 200) << target;
    return Metric("assetpub_cache_hits_total") == before + 1;
  }
  // Waits (up to 10 s) until the server has applied every change of the store's log.
  void AwaitApplied() {
    const int64_t last = store_->LastChange();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (Metric("assetpub_cache_applied_change") < last &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_GE(Metric("assetpub_cache_applied_change"), last);
  }
  void Warm(const std::vector<std::string>& targets) {
    for (const std::string& target : targets) {
      ASSERT_EQ(Get(target).status, 200) << target;
      ASSERT_TRUE(IsHit(target)) << target << " is not cached";
    }
  }
  void ExpectHits(const std::vector<std::string>& targets) {
    for (const std::string& target : targets) {
      EXPECT_TRUE(IsHit(target)) << target << " was dropped by a change that does not touch it";
    }
  }

  const assetpub::testing::TempDir temp_{"assetpub-cache-it-"};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(CacheTest, EditingATranslationShowsOnEveryAffectedPageAndOnlyThere) {
  const std::vector<std::string> affected = {
      "/en/assets/1-en-item-1", "/ru/assets/1-ru-item-1", "/en/assets/4-en-item-4",  "/en/",
      "/en/transcripts/",       "/en/feed.atom",          "/en/transcripts/feed.rss"};
  const std::vector<std::string> unaffected = {"/en/assets/2-en-item-2", "/en/interviews/",
                                               "/en/tags/syria/", "/en/interviews/feed.atom"};
  Warm(affected);
  Warm(unaffected);
  content::Asset one = Stored(1);
  one.translations["en-GB"].title = "Transcript one, edited";
  Put(one);
  AwaitApplied();
  for (const char* target : {"/en/assets/1-en-item-1", "/en/assets/4-en-item-4", "/en/",
                             "/en/transcripts/", "/en/feed.atom", "/en/transcripts/feed.rss"}) {
    EXPECT_THAT(Get(target).body, HasSubstr("Transcript one, edited")) << target;
  }
  EXPECT_FALSE(IsHit("/ru/assets/1-ru-item-1"));  // the other language's page was dropped too
  ExpectHits(unaffected);
}

TEST_F(CacheTest, PublishingChangingATagRelatingAndDeletingRefreshExactlyWhatTheyTouch) {
  Warm({"/en/", "/en/interviews/", "/en/statements/", "/en/tags/syria/", "/en/assets/2-en-item-2",
        "/en/assets/3-en-item-3", "/sitemap.xml", "/sitemaps/en-1.xml"});

  // Publish a new interview: the home, the interviews, the sitemaps; not statements or items.
  Put(Item(5, content::Kind::kInterview, "Interview five", kBase + kDay));
  AwaitApplied();
  EXPECT_THAT(Get("/en/").body, HasSubstr("Interview five"));
  EXPECT_THAT(Get("/en/interviews/").body, HasSubstr("Interview five"));
  EXPECT_THAT(Get("/sitemaps/en-1.xml").body, HasSubstr("/en/assets/5-en-item-5"));
  ExpectHits({"/en/statements/", "/en/tags/syria/", "/en/assets/2-en-item-2"});

  // Change a tag: the old tag's list and the new one's.
  Warm({"/en/interviews/"});
  content::Asset three = Stored(3);
  three.tags = {"Iran"};
  Put(three);
  AwaitApplied();
  EXPECT_EQ(Get("/en/tags/syria/").status, 404);
  EXPECT_THAT(Get("/en/tags/iran/").body, HasSubstr("Statement three"));
  ExpectHits({"/en/interviews/", "/en/assets/2-en-item-2"});

  // Relate 2 to 3: both item pages.
  Warm({"/en/assets/3-en-item-3", "/en/assets/1-en-item-1"});
  content::Asset two = Stored(2);
  two.related = {{3, ""}};
  Put(two);
  AwaitApplied();
  EXPECT_THAT(Get("/en/assets/2-en-item-2").body, HasSubstr("/en/assets/3-en-item-3"));
  EXPECT_THAT(Get("/en/assets/3-en-item-3").body, HasSubstr("/en/assets/2-en-item-2"));
  ExpectHits({"/en/assets/1-en-item-1"});

  // Delete 5: its page, the lists it was in.
  Warm({"/en/interviews/", "/en/statements/"});
  {
    auto transaction = store_->Begin();
    transaction->Delete(5);
    transaction->Commit();
  }
  AwaitApplied();
  EXPECT_EQ(Get("/en/assets/5-en-item-5").status, 404);
  EXPECT_THAT(Get("/en/interviews/").body, Not(HasSubstr("Interview five")));
  ExpectHits({"/en/statements/"});
}

TEST_F(CacheTest, TheSchedulersPublishAndExpiryRefreshExactlyWhatTheyTouch) {
  // Written as another process would: item 6 scheduled and item 3 expiring two seconds ahead.
  // Nobody writes at that second but the server's own scheduler.
  const int64_t at = content::Now().seconds + 2;
  content::Asset six = Item(6, content::Kind::kInterview, "Interview six", at);
  six.status = content::Status::kScheduled;
  Put(six);
  content::Asset three = Stored(3);
  three.expires_at = content::Instant{at};
  Put(three);
  AwaitApplied();
  const std::vector<std::string> affected = {"/en/", "/en/interviews/", "/en/statements/",
                                             "/en/assets/3-en-item-3", "/en/feed.atom"};
  const std::vector<std::string> unaffected = {"/en/assets/2-en-item-2", "/en/transcripts/",
                                               "/en/assets/1-en-item-1"};
  Warm(affected);
  Warm(unaffected);
  EXPECT_EQ(Get("/en/assets/6-en-item-6").status, 404);
  EXPECT_THAT(Get("/en/interviews/").body, Not(HasSubstr("Interview six")));

  // The scheduler acts at the start of the second; the page changes with the next request.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((Get("/en/assets/6-en-item-6").status != 200 ||
          Get("/en/assets/3-en-item-3").status != 404) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(Get("/en/assets/6-en-item-6").status, 200) << "not published by the scheduler";
  ASSERT_EQ(Get("/en/assets/3-en-item-3").status, 404) << "not expired by the scheduler";
  EXPECT_GE(content::Now().seconds, at);
  EXPECT_THAT(Get("/en/").body, HasSubstr("Interview six"));
  EXPECT_THAT(Get("/en/interviews/").body, HasSubstr("Interview six"));
  EXPECT_THAT(Get("/en/feed.atom").body, HasSubstr("Interview six"));
  EXPECT_THAT(Get("/en/").body, Not(HasSubstr("Statement three")));
  EXPECT_THAT(Get("/en/statements/").body, Not(HasSubstr("Statement three")));
  ExpectHits(unaffected);
}

TEST_F(CacheTest, ConditionalRequestsAndContentNegotiationOverTheWire) {
  const std::string path = "/en/assets/1-en-item-1";
  const Reply identity = Get(path);
  ASSERT_EQ(identity.status, 200);
  EXPECT_EQ(identity.Header("vary"), "Accept-Encoding");
  EXPECT_EQ(identity.Header("content-encoding"), "");
  EXPECT_EQ(identity.Header("content-length"), std::to_string(identity.body.size()));

  const Reply brotli = Get(path, {{"Accept-Encoding", "br, gzip"}});
  EXPECT_EQ(brotli.Header("content-encoding"), "br");
  EXPECT_EQ(http::BrotliDecompress(brotli.body), identity.body);
  const Reply gzip = Get(path, {{"Accept-Encoding", "gzip;q=1, br;q=0.2"}});
  EXPECT_EQ(gzip.Header("content-encoding"), "gzip");
  EXPECT_EQ(http::GzipDecompress(gzip.body), identity.body);
  const Reply none = Get(path, {{"Accept-Encoding", "br;q=0, gzip;q=0"}});
  EXPECT_EQ(none.Header("content-encoding"), "");
  EXPECT_EQ(none.body, identity.body);

  const Reply head = Fetch(server_->port(), path, {{"Accept-Encoding", "br"}}, bhttp::verb::head);
  EXPECT_EQ(head.Header("content-length"), std::to_string(brotli.body.size()));
  EXPECT_EQ(head.body, "");

  const Reply not_modified = Get(path, {{"If-None-Match", brotli.Header("etag")}});
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_EQ(not_modified.body, "");
  EXPECT_EQ(Get(path, {{"If-Modified-Since", identity.Header("last-modified")}}).status, 304);
  EXPECT_EQ(Get(path, {{"If-None-Match", "\"nope\""}}).status, 200);

  // A request with an editor's session cookie is never answered from (nor stored in) the
  // cache; a visitor's other cookies do not turn it off.
  const int64_t hits = Metric("assetpub_cache_hits_total");
  const Reply with_cookie = Get(path, {{"Cookie", "consent=1; ap_session=x"}});
  EXPECT_EQ(with_cookie.status, 200);
  EXPECT_EQ(with_cookie.Header("etag"), "");
  EXPECT_EQ(Metric("assetpub_cache_hits_total"), hits);
  const Reply with_other_cookie = Get(path, {{"Cookie", "consent=1"}});
  EXPECT_EQ(with_other_cookie.status, 200);
  EXPECT_NE(with_other_cookie.Header("etag"), "");
  EXPECT_EQ(Metric("assetpub_cache_hits_total"), hits + 1);
}

TEST_F(CacheTest, MetricsCountResponsesByStatusClass) {
  const int64_t not_found = [&] {
    const std::string body = Get("/metrics").body;
    const std::string line = "assetpub_http_responses_total{class=\"4xx\"} ";
    return std::stoll(body.substr(body.find(line) + line.size()));
  }();
  EXPECT_EQ(Get("/en/assets/999-none").status, 404);
  const std::string body = Get("/metrics").body;
  EXPECT_THAT(body, HasSubstr("assetpub_http_responses_total{class=\"4xx\"} " +
                              std::to_string(not_found + 1) + "\n"));
  EXPECT_THAT(body, HasSubstr("# TYPE assetpub_cache_hits_total counter"));
  EXPECT_GT(Metric("assetpub_cache_entries"), 0);
  EXPECT_GT(Metric("assetpub_cache_bytes"), 0);
  // The latency histogram over the wire: a hit counted as "cached", a miss by its route.
  const std::string cached = "assetpub_http_request_duration_seconds_count{kind=\"cached\"}";
  const std::string page = "assetpub_http_request_duration_seconds_count{kind=\"page\"}";
  const int64_t hits = Metric(cached), pages = Metric(page);
  ASSERT_GE(hits, 0);
  ASSERT_GE(pages, 0);
  EXPECT_EQ(Get("/en/assets/999-none").status, 404);
  EXPECT_EQ(Metric(page), pages + 1);
  EXPECT_EQ(Get("/en/interviews/").status, 200);
  EXPECT_EQ(Get("/en/interviews/").status, 200);
  EXPECT_GE(Metric(cached), hits + 1);
  EXPECT_THAT(Get("/metrics").body,
              HasSubstr("# TYPE assetpub_http_request_duration_seconds histogram"));
}

}  // namespace
