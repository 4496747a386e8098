// The response cache wired into the App, on a real SQLite store: which requests are cached, the
// answers a cached page gives (validators, codings, 304s), and exact invalidation after each kind
// of write (the follower's CatchUp, as the server runs it after every write).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cache/cache_follower.h"
#include "cache/page_cache.h"
#include "content/slug.h"
#include "core/error.h"
#include "http/compression.h"
#include "render/testing/seed_asset.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "web/app.h"
#include "web/testing/failing_reads.h"

namespace assetpub::web {
namespace {

using cache::PageCache;
using cache::ResponseCache;
using http::ContentCoding;

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

constexpr const char* kSeedPath =
    "/en/assets/1-speech-of-and-answers-to-questions-of-mass-media-by-russian-foreign-minister";

Config TestConfig() {
  Config config;
  config.resources_dir = ASSETPUB_SOURCE_DIR;
  config.base_url = "https://mid.example";
  config.page_size = 2;
  return config;
}

content::Asset Item(int64_t id, content::Kind kind, std::string title, content::Instant at) {
  content::Asset asset;
  asset.id = id;
  asset.kind = kind;
  asset.published_at = at;
  asset.languages = {"en-GB"};
  content::Translation translation;
  translation.language = "en-GB";
  translation.title = std::move(title);
  translation.slug = "item-" + std::to_string(id);
  translation.blocks = {content::Block::Paragraph("Text of item " + std::to_string(id) + ".")};
  asset.translations["en-GB"] = translation;
  return asset;
}

class PageCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::OpenStore("sqlite:" + (temp_.path() / "assetpub.db").string());
    const content::Instant seed_time = render::testing::SeedAsset().published_at;
    Put(render::testing::SeedAsset(1));  // a transcript, en-GB and ru-RU
    Put(Item(2, content::Kind::kInterview, "An interview", {seed_time.seconds - 86400}));
    content::Asset statement =
        Item(3, content::Kind::kStatement, "A statement", {seed_time.seconds - 2 * 86400});
    statement.tags = {"Syria"};
    Put(statement);
    app_.emplace(TestConfig(), *store_);
    cache_ = app_->page_cache();
    ASSERT_NE(cache_, nullptr);
    cache_->LoadSummaries();
  }
  void TearDown() override {
    app_.reset();
    store_.reset();
  }

  void Put(content::Asset asset) {
    auto transaction = store_->Begin();
    transaction->Put(asset);
    transaction->Commit();
  }
  content::Asset Stored(int64_t id) { return *store_->Get(id); }
  // A write the way the server's writers make it: commit, then notify.
  void Write(content::Asset asset) {
    Put(std::move(asset));
    app_->changes().Notify();
  }

  Response Get(const std::string& target, HeaderList headers = {}) {
    return app_->Handle(Request::Make("GET", target, std::move(headers)));
  }
  // /metrics as a scraper on this host reads it.
  Response GetMetrics() { return app_->Handle("GET", "/metrics", {}, "", "127.0.0.1"); }
  uint64_t Hits() const { return cache_->cache().stats().hits; }
  // Whether `target` is answered from the cache now (a hit), checking the answer is a 200.
  bool IsHit(const std::string& target) {
    const uint64_t before = Hits();
    const Response response = Get(target);
    EXPECT_EQ(response.status, 200) << target;
    return Hits() == before + 1;
  }
  // Requests every page once, so that each is cached.
  void Warm(const std::vector<std::string>& targets) {
    for (const std::string& target : targets) {
      EXPECT_EQ(Get(target).status, 200) << target;
      EXPECT_TRUE(IsHit(target)) << target << " was not cached";
    }
  }

  const assetpub::testing::TempDir temp_{"assetpub-page-cache-"};
  std::unique_ptr<store::Store> store_;
  std::optional<App> app_;
  PageCache* cache_ = nullptr;
};

TEST_F(PageCacheTest, ClassifiesWhatIsCachedAndUnderWhichKey) {
  const auto plan = [&](const std::string& target, HeaderList headers = {},
                        std::string method = "GET") {
    return cache_->Classify(Request::Make(std::move(method), target, std::move(headers)));
  };
  ASSERT_TRUE(plan(kSeedPath));
  EXPECT_EQ(plan(kSeedPath)->kind, PageCache::Kind::kItem);
  EXPECT_EQ(plan(kSeedPath)->asset_id, 1);
  EXPECT_TRUE(plan(kSeedPath, {}, "HEAD"));
  // The significant parameters in a fixed order: one entry for both spellings.
  ASSERT_TRUE(plan("/en/assets/1-x?print=1&compare=ru"));
  EXPECT_EQ(plan("/en/assets/1-x?print=1&compare=ru")->key,
            plan("/en/assets/1-x?compare=ru&print=1")->key);
  EXPECT_NE(plan("/en/assets/1-x?print=1")->key, plan("/en/assets/1-x")->key);

  ASSERT_TRUE(plan("/en/"));
  EXPECT_EQ(plan("/en/")->list_key, "list:home:en");
  EXPECT_EQ(plan("/ru/?page=2")->list_key, "list:home:ru");
  EXPECT_EQ(plan("/en/transcripts/")->list_key, "list:transcripts:en");
  EXPECT_EQ(plan("/en/transcripts/feed.atom")->kind, PageCache::Kind::kFeed);
  EXPECT_EQ(plan("/en/feed.rss")->list_key, "list:home:en");
  EXPECT_EQ(plan("/en/tags/syria/")->list_key, "tag:syria:en");
  EXPECT_EQ(plan("/ru/people/sergey-lavrov/")->list_key, "person:sergey-lavrov:ru");
  EXPECT_EQ(plan("/sitemap.xml")->kind, PageCache::Kind::kSitemap);
  EXPECT_EQ(plan("/sitemaps/en-1.xml")->list_key, "sitemap");

  // Never cached: signed-in or authorised requests, writes, other parameters, other paths.
  EXPECT_FALSE(plan(kSeedPath, {{"Cookie", "ap_session=abc"}}));
  EXPECT_FALSE(plan(kSeedPath, {{"cookie", "consent=yes; ap_session=abc"}}));
  EXPECT_FALSE(plan(kSeedPath, {{"authorization", "Bearer x"}}));
  EXPECT_FALSE(plan(kSeedPath, {}, "POST"));
  EXPECT_FALSE(plan("/en/assets/1-x?utm_source=mail"));
  EXPECT_FALSE(plan("/en/?page=1&page=2"));
  EXPECT_FALSE(plan("/en/search?q=x"));
  // A visitor's other cookies (consent, analytics) change nothing a public page shows.
  EXPECT_TRUE(plan(kSeedPath, {{"Cookie", "consent=yes; _ga=GA1.2.3"}}));
  EXPECT_FALSE(plan("/admin/"));
  EXPECT_FALSE(plan("/api/v1/assets/1"));
  EXPECT_FALSE(plan("/metrics"));
  EXPECT_FALSE(plan("/xx/"));  // not a site language
  EXPECT_FALSE(plan("/en/no-such-list/"));
  EXPECT_FALSE(plan("/en/transcripts/feed.rss?x=1"));
}

TEST_F(PageCacheTest, ASecondRequestIsAHitWithTheSameBytesAndValidators) {
  const Response first = Get(kSeedPath);
  ASSERT_EQ(first.status, 200);
  const uint64_t hits = Hits();
  const Response second = Get(kSeedPath);
  EXPECT_EQ(Hits(), hits + 1);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.Header("ETag"), first.Header("ETag"));
  EXPECT_THAT(second.Header("Vary"), Optional(std::string("Accept-Encoding")));
  EXPECT_THAT(second.Header("Cache-Control"), Optional(std::string(cache::kCacheControlItemPage)));
  EXPECT_THAT(second.Header("Content-Type"), Optional(HasSubstr("text/html")));
  EXPECT_THAT(second.Header("Content-Language"), Optional(std::string("en-GB")));
  EXPECT_TRUE(second.Header("Last-Modified"));
  EXPECT_TRUE(second.Header("Content-Security-Policy"));
  EXPECT_THAT(Get("/en/").Header("Cache-Control"),
              Optional(std::string(cache::kCacheControlListPage)));
  EXPECT_THAT(Get("/en/feed.atom").Header("Cache-Control"),
              Optional(std::string(cache::kCacheControlFeed)));
  EXPECT_THAT(Get("/sitemap.xml").Header("Cache-Control"),
              Optional(std::string(cache::kCacheControlSitemap)));
}

TEST_F(PageCacheTest, ErrorsAndRedirectsAreNotCached) {
  const uint64_t inserts = cache_->cache().stats().inserts;
  EXPECT_EQ(Get("/en/assets/99-nothing").status, 404);
  EXPECT_EQ(Get("/en/assets/1").status, 301);
  EXPECT_EQ(Get("/en/?page=99").status, 404);
  EXPECT_EQ(Get("/en/?page=x").status, 400);
  EXPECT_EQ(cache_->cache().stats().inserts, inserts);
  EXPECT_EQ(cache_->cache().stats().entries, 0u);
}

TEST_F(PageCacheTest, ConditionalRequestsGet304) {
  const Response page = Get(kSeedPath);
  const std::string etag = *page.Header("ETag");
  const Response not_modified = Get(kSeedPath, {{"If-None-Match", etag}});
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_EQ(not_modified.body, "");
  EXPECT_THAT(not_modified.Header("ETag"), Optional(etag));
  EXPECT_EQ(Get(kSeedPath, {{"If-None-Match", "\"other\""}}).status, 200);
  EXPECT_EQ(Get(kSeedPath, {{"If-Modified-Since", *page.Header("Last-Modified")}}).status, 304);
  EXPECT_EQ(Get(kSeedPath, {{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}}).status, 200);
  // If-None-Match wins over If-Modified-Since.
  EXPECT_EQ(Get(kSeedPath, {{"If-None-Match", "\"other\""},
                            {"If-Modified-Since", *page.Header("Last-Modified")}})
                .status,
            200);
  // The ETag of a compressed variant validates too.
  const Response brotli = Get(kSeedPath, {{"Accept-Encoding", "br"}});
  EXPECT_EQ(
      Get(kSeedPath, {{"Accept-Encoding", "br"}, {"If-None-Match", *brotli.Header("ETag")}}).status,
      304);
}

TEST_F(PageCacheTest, ContentNegotiationGivesTheRightBytes) {
  const Response identity = Get(kSeedPath);
  ASSERT_EQ(identity.status, 200);
  EXPECT_FALSE(identity.Header("Content-Encoding"));

  const Response brotli = Get(kSeedPath, {{"Accept-Encoding", "gzip, br"}});
  EXPECT_THAT(brotli.Header("Content-Encoding"), Optional(std::string("br")));
  EXPECT_EQ(http::BrotliDecompress(brotli.body), identity.body);
  EXPECT_NE(brotli.Header("ETag"), identity.Header("ETag"));

  const Response gzip = Get(kSeedPath, {{"Accept-Encoding", "br;q=0.5, gzip"}});
  EXPECT_THAT(gzip.Header("Content-Encoding"), Optional(std::string("gzip")));
  EXPECT_EQ(http::GzipDecompress(gzip.body), identity.body);

  const Response refused = Get(kSeedPath, {{"Accept-Encoding", "br;q=0, gzip;q=0"}});
  EXPECT_FALSE(refused.Header("Content-Encoding"));
  EXPECT_EQ(refused.body, identity.body);

  const Response preferred = Get(kSeedPath, {{"Accept-Encoding", "identity;q=1, gzip;q=0.5"}});
  EXPECT_FALSE(preferred.Header("Content-Encoding"));
  for (const Response* response : {&identity, &brotli, &gzip, &refused}) {
    EXPECT_THAT(response->Header("Vary"), Optional(std::string("Accept-Encoding")));
  }
}

TEST_F(PageCacheTest, EditingATranslationRefreshesItsPagesAndThoseShowingItOnly) {
  content::Asset follow_up = Item(4, content::Kind::kArticle, "Follow-up", {1});
  follow_up.related = {{1, ""}};
  Write(follow_up);
  const std::vector<std::string> affected = {
      kSeedPath, "/en/assets/1-x?print=1", "/ru/assets/1-x", "/en/assets/4-item-4",
      "/en/",    "/en/transcripts/",       "/en/feed.atom",  "/sitemap.xml"};
  // Unaffected: another kind's list, an unrelated item, a tag list the seed is not in.
  const std::vector<std::string> unaffected = {"/en/interviews/", "/en/assets/2-item-2",
                                               "/en/tags/syria/", "/en/interviews/feed.rss"};
  // The print view and the Russian page redirect to their canonical URLs: warm those.
  const std::string print_path = std::string(kSeedPath) + "?print=1";
  const std::string ru_path = *Get("/ru/assets/1-x").Header("Location");
  std::vector<std::string> warm = affected;
  warm[1] = print_path;
  warm[2] = ru_path;
  Warm(warm);
  Warm(unaffected);

  content::Asset seed = Stored(1);
  seed.translations["en-GB"].title = "Edited English title";
  Write(seed);

  EXPECT_THAT(Get(kSeedPath).body, HasSubstr("Edited English title"));
  EXPECT_THAT(Get(print_path).body, HasSubstr("Edited English title"));
  EXPECT_FALSE(IsHit(ru_path)) << "the Russian page of the item was not refreshed";
  EXPECT_THAT(Get("/en/assets/4-item-4").body, HasSubstr("Edited English title"));
  EXPECT_THAT(Get("/en/").body, HasSubstr("Edited English title"));
  EXPECT_THAT(Get("/en/transcripts/").body, HasSubstr("Edited English title"));
  EXPECT_THAT(Get("/en/feed.atom").body, HasSubstr("Edited English title"));
  for (const std::string& target : unaffected) {
    EXPECT_TRUE(IsHit(target)) << target << " was dropped by an edit that does not touch it";
  }
}

TEST_F(PageCacheTest, PublishingAddsTheItemToTheListsItMatchesOnly) {
  Warm({"/en/", "/en/interviews/", "/en/transcripts/", "/en/statements/", "/en/tags/syria/",
        "/en/assets/2-item-2"});
  content::Asset draft = Item(5, content::Kind::kInterview, "Fresh interview", {2'000'000'000});
  draft.status = content::Status::kDraft;
  Write(draft);
  // A draft is in no public list.
  EXPECT_TRUE(IsHit("/en/"));
  EXPECT_TRUE(IsHit("/en/interviews/"));

  draft.status = content::Status::kPublished;
  Write(draft);
  EXPECT_THAT(Get("/en/").body, HasSubstr("Fresh interview"));
  EXPECT_THAT(Get("/en/interviews/").body, HasSubstr("Fresh interview"));
  EXPECT_THAT(Get("/en/assets/5-item-5").body, HasSubstr("Fresh interview"));
  EXPECT_TRUE(IsHit("/en/transcripts/"));
  EXPECT_TRUE(IsHit("/en/statements/"));
  EXPECT_TRUE(IsHit("/en/tags/syria/"));
  EXPECT_TRUE(IsHit("/en/assets/2-item-2"));
}

TEST_F(PageCacheTest, ChangingATagRefreshesTheOldAndTheNewTagsLists) {
  Put(Item(6, content::Kind::kStatement, "Tagged elsewhere", {5}));
  content::Asset other = Stored(6);
  other.tags = {"Iran"};
  Write(other);
  Warm({"/en/tags/syria/", "/en/tags/iran/", "/en/interviews/"});

  content::Asset statement = Stored(3);
  statement.tags = {"Iran"};
  Write(statement);
  EXPECT_THAT(Get("/en/tags/iran/").body, HasSubstr("A statement"));
  // Syria's list had only this item: the list is gone (a 404), not a stale page.
  EXPECT_NE(Get("/en/tags/syria/").status, 200);
  EXPECT_TRUE(IsHit("/en/interviews/"));
}

TEST_F(PageCacheTest, RelatingTwoItemsRefreshesBothItemPages) {
  Warm({"/en/assets/2-item-2", "/en/assets/3-item-3", kSeedPath});
  content::Asset interview = Stored(2);
  interview.related = {{3, ""}};
  Write(interview);
  // Item 2 now links to 3, and 3 lists 2 among the items referring to it.
  EXPECT_THAT(Get("/en/assets/2-item-2").body, HasSubstr("/en/assets/3-item-3"));
  EXPECT_THAT(Get("/en/assets/3-item-3").body, HasSubstr("/en/assets/2-item-2"));
  EXPECT_TRUE(IsHit(kSeedPath));
}

TEST_F(PageCacheTest, DeletingAnItemRemovesItFromEveryPage) {
  content::Asset follow_up = Item(4, content::Kind::kArticle, "Follow-up", {1});
  follow_up.related = {{2, ""}};
  Write(follow_up);
  Warm({"/en/assets/2-item-2", "/en/", "/en/interviews/", "/en/transcripts/"});
  ASSERT_THAT(Get("/en/assets/2-item-2").body, HasSubstr("/en/assets/4-item-4"));
  {
    auto transaction = store_->Begin();
    transaction->Delete(4);
    transaction->Commit();
  }
  app_->changes().Notify();
  EXPECT_THAT(Get("/en/assets/2-item-2").body, Not(HasSubstr("/en/assets/4-item-4")));
  EXPECT_EQ(Get("/en/assets/4-item-4").status, 404);
  // An article is on the home page only.
  EXPECT_THAT(Get("/en/").body, Not(HasSubstr("Follow-up")));
  EXPECT_TRUE(IsHit("/en/interviews/"));
  EXPECT_TRUE(IsHit("/en/transcripts/"));
}

TEST_F(PageCacheTest, OtherProcessesWritesAreFoundByCatchingUp) {
  Warm({"/en/interviews/"});
  Put(Item(7, content::Kind::kInterview, "Imported elsewhere", {2'000'000'000}));
  // Not notified: until the follower catches up the page is the cached one…
  EXPECT_TRUE(IsHit("/en/interviews/"));
  EXPECT_EQ(app_->CatchUpCache(), 1);
  // …and then the new one.
  EXPECT_THAT(Get("/en/interviews/").body, HasSubstr("Imported elsewhere"));
  EXPECT_EQ(cache_->applied(), store_->LastChange());
}

// Several nodes: a node whose follower has not confirmed lately that it has every change (paused,
// stuck) renders afresh rather than answer what may be stale.
TEST_F(PageCacheTest, AFollowedCacheAnswersOnlyWhileConfirmedCurrent) {
  Warm({kSeedPath});
  cache_->Follow(std::chrono::milliseconds(50));
  // Nothing has confirmed it yet.
  EXPECT_FALSE(IsHit(kSeedPath));
  EXPECT_EQ(cache_->unconfirmed(), 1);
  // A catch-up confirms it…
  EXPECT_EQ(app_->CatchUpCache(), 0);
  EXPECT_TRUE(IsHit(kSeedPath));
  // …for 50 ms; then the page is rendered again, and is the store's: here another process's
  // edit, which no catch-up has applied.
  content::Asset edited = Stored(1);
  edited.translations["en-GB"].title = "Edited by another node";
  Put(edited);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  EXPECT_THAT(Get(kSeedPath).body, HasSubstr("Edited by another node"));
  EXPECT_EQ(cache_->unconfirmed(), 2);
  // A wait for changes that finds none confirms it too.
  EXPECT_EQ(app_->CatchUpCache(), 1);
  Warm({kSeedPath});
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  EXPECT_FALSE(IsHit(kSeedPath));
  EXPECT_FALSE(cache_->WaitForChange(std::chrono::steady_clock::now()));
  EXPECT_TRUE(IsHit(kSeedPath));
  EXPECT_THAT(Get(kSeedPath).body, HasSubstr("Edited by another node"));
}

TEST_F(PageCacheTest, AListRenderedBetweenTwoChangesCaughtUpTogetherIsNotKept) {
  // Another process moves item 3 from Syria to Iran; a visitor opens Iran's list (cached,
  // showing it); the other process moves it on to Egypt before the follower catches up. The
  // follower reads only the latest state, so it never learns that Iran's list showed the item:
  // that list must not survive as a hit.
  content::Asset statement = Stored(3);
  statement.tags = {"Iran"};
  Put(statement);
  ASSERT_EQ(Get("/en/tags/iran/").status, 200);
  ASSERT_TRUE(IsHit("/en/tags/iran/"));
  statement.tags = {"Egypt"};
  Put(statement);
  EXPECT_EQ(app_->CatchUpCache(), 2);
  EXPECT_NE(Get("/en/tags/iran/").status, 200);
  EXPECT_THAT(Get("/en/tags/egypt/").body, HasSubstr("A statement"));
  // Caught up one change at a time, as the server's writers do, lists stay cached.
  Warm({"/en/interviews/", "/en/tags/egypt/"});
  statement.tags = {"Peru"};
  Write(statement);
  EXPECT_TRUE(IsHit("/en/interviews/"));
  EXPECT_THAT(Get("/en/tags/peru/").body, HasSubstr("A statement"));
}

// The same race left to the scheduler: another process moves item 3 between four tags as fast as
// it can while visitors open those lists and a follower catches up, in three threads. Once
// everything is caught up, every list answers what a cache-less App renders from the store.
TEST_F(PageCacheTest, ListsAreExactAfterRacingWritesRendersAndCatchUps) {
  const std::vector<std::string> tags = {"Iran", "Egypt", "Peru", "Chile"};
  std::vector<std::string> lists = {"/en/", "/en/statements/"};
  for (const std::string& tag : tags) lists.push_back("/en/tags/" + content::MakeSlug(tag) + "/");
  std::atomic<bool> writing{true};
  std::atomic<int> renders{0};
  std::atomic<int> caught_up{0};
  std::thread writer([&] {
    content::Asset statement = Stored(3);
    for (int i = 0; i < 300; ++i) {
      statement.tags = {tags[static_cast<size_t>(i * 7 + i / 4) % tags.size()]};
      statement.translations["en-GB"].title = "A statement, version " + std::to_string(i);
      Put(statement);  // not notified: a write of another process
    }
    writing = false;
  });
  std::thread visitor([&] {
    for (size_t i = 0; writing && i < 20'000; ++i) {
      Get(lists[i % lists.size()]);
      ++renders;
    }
  });
  std::thread follower([&] {
    for (size_t i = 0; writing && i < 20'000; ++i) caught_up += app_->CatchUpCache() > 0;
  });
  writer.join();
  visitor.join();
  follower.join();
  app_->CatchUpCache();
  EXPECT_EQ(cache_->applied(), store_->LastChange());
  Config uncached = TestConfig();
  uncached.cache_bytes = 0;
  App reference(uncached, *store_);
  for (const std::string& list : lists) {
    const Response expected = reference.Handle(Request::Make("GET", list));
    // Twice: the first may render and store, the second is then a hit.
    for (int pass = 0; pass < 2; ++pass) {
      const Response answered = Get(list);
      EXPECT_EQ(answered.status, expected.status) << list;
      EXPECT_EQ(answered.body, expected.body) << list << " (pass " << pass << ")";
    }
  }
  std::printf("racing: %d renders, %d catch-ups that applied changes\n", renders.load(),
              caught_up.load());
}

TEST_F(PageCacheTest, ListKeysFollowThePublishersSelections) {
  content::Asset seed = Stored(1);
  EXPECT_THAT(cache_->ListKeys(seed),
              ::testing::IsSupersetOf({"list:home:en", "list:home:ru", "list:transcripts:en",
                                       "list:transcripts:ru", "sitemap"}));
  EXPECT_THAT(cache_->ListKeys(seed), Not(::testing::Contains("list:interviews:en")));
  seed.status = content::Status::kDraft;
  EXPECT_THAT(cache_->ListKeys(seed), ::testing::IsEmpty());
  EXPECT_THAT(cache_->ListKeys(Stored(3)), ::testing::Contains("tag:syria:en"));
}

TEST_F(PageCacheTest, ListPagesAreNotCachedBeforeTheSummariesAreLoaded) {
  App app(TestConfig(), *store_);
  ASSERT_NE(app.page_cache(), nullptr);
  EXPECT_EQ(app.Handle(Request::Make("GET", "/en/")).status, 200);
  EXPECT_EQ(app.page_cache()->cache().stats().entries, 0u);
  EXPECT_EQ(app.Handle(Request::Make("GET", kSeedPath)).status, 200);
  EXPECT_EQ(app.page_cache()->cache().stats().entries, 1u);  // items need no summaries
  app.page_cache()->LoadSummaries();
  EXPECT_EQ(app.Handle(Request::Make("GET", "/en/")).status, 200);
  EXPECT_EQ(app.page_cache()->cache().stats().entries, 2u);
}

TEST_F(PageCacheTest, CacheBytesZeroTurnsTheCacheOff) {
  Config config = TestConfig();
  config.cache_bytes = 0;
  App app(config, *store_);
  EXPECT_EQ(app.page_cache(), nullptr);
  const Response response = app.Handle(Request::Make("GET", kSeedPath));
  EXPECT_EQ(response.status, 200);
  EXPECT_FALSE(response.Header("ETag"));
}

TEST_F(PageCacheTest, MetricsCountTheCache) {
  Get(kSeedPath);
  Get(kSeedPath);
  const Response metrics = GetMetrics();
  EXPECT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.Header("Content-Type"), Optional(HasSubstr("text/plain; version=0.0.4")));
  EXPECT_THAT(metrics.body, HasSubstr("\nassetpub_cache_hits_total 1\n"));
  EXPECT_THAT(metrics.body, HasSubstr("\nassetpub_cache_misses_total 1\n"));
  EXPECT_THAT(metrics.body, HasSubstr("\nassetpub_cache_entries 1\n"));
  EXPECT_THAT(metrics.body, HasSubstr("# TYPE assetpub_cache_bytes gauge\n"));
  app_->metrics().Count(200);
  app_->metrics().Count(404);
  EXPECT_THAT(GetMetrics().body, HasSubstr("assetpub_http_responses_total{class=\"4xx\"} 1\n"));
}

TEST_F(PageCacheTest, MetricsAreOnlyForAllowedAddressesOrTheToken) {
  Config config = TestConfig();
  config.metrics_allow = {"10.0.0.0/8"};
  config.metrics_token = "s3cret-metrics-token";
  App app(config, *store_);
  auto metrics = [&](std::string address, HeaderList headers = {}) {
    return app.Handle("GET", "/metrics", std::move(headers), "", std::move(address));
  };
  EXPECT_EQ(metrics("10.20.30.40").status, 200);
  EXPECT_EQ(metrics("::ffff:10.20.30.40").status, 200);
  // Loopback is not in this configuration's list; nor is a client that gave no address.
  const Response refused = metrics("127.0.0.1");
  EXPECT_EQ(refused.status, 404);
  EXPECT_THAT(refused.body, Not(HasSubstr("assetpub_")));
  EXPECT_EQ(metrics("").status, 404);
  EXPECT_EQ(metrics("203.0.113.9").status, 404);
  // Through a proxy the address is the proxy's, whatever client is behind it.
  EXPECT_EQ(metrics("10.0.0.1", {{"X-Forwarded-For", "203.0.113.9"}}).status, 404);
  EXPECT_EQ(metrics("10.0.0.1", {{"Forwarded", "for=203.0.113.9"}}).status, 404);
  // The token works from anywhere; a wrong one or another scheme does not.
  EXPECT_EQ(metrics("203.0.113.9", {{"Authorization", "Bearer s3cret-metrics-token"}}).status, 200);
  EXPECT_EQ(metrics("203.0.113.9", {{"Authorization", "bearer s3cret-metrics-token"}}).status, 200);
  EXPECT_EQ(metrics("203.0.113.9", {{"Authorization", "Bearer s3cret-metrics-tokeN"}}).status, 404);
  EXPECT_EQ(metrics("203.0.113.9", {{"Authorization", "Bearer s3cret"}}).status, 404);
  EXPECT_EQ(metrics("203.0.113.9", {{"Authorization", "Basic s3cret-metrics-token"}}).status, 404);

  // The defaults: loopback only.
  App defaults(TestConfig(), *store_);
  EXPECT_EQ(defaults.Handle("GET", "/metrics", {}, "", "127.0.0.1").status, 200);
  EXPECT_EQ(defaults.Handle("GET", "/metrics", {}, "", "::1").status, 200);
  EXPECT_EQ(defaults.Handle("GET", "/metrics", {}, "", "192.0.2.1").status, 404);
  EXPECT_EQ(
      defaults.Handle("GET", "/metrics", {{"Authorization", "Bearer x"}}, "", "192.0.2.1").status,
      404);
}

// The summaries of a large store take a while to load (27 s at 1,000,000 items); meanwhile the
// follower keeps the cache confirmed, so item pages are answered from the cache from the start
// and list pages once the summaries are in. The load is held by the store's scan here.
TEST(CacheFollowerTest, ItemPagesAreCachedWhileTheSummariesLoad) {
  const assetpub::testing::TempDir temp("assetpub-cache-follower-");
  auto real = store::OpenStore("sqlite:" + (temp.path() / "assetpub.db").string());
  {
    content::Asset seed = render::testing::SeedAsset(1);
    auto transaction = real->Begin();
    transaction->Put(seed);
    transaction->Commit();
  }
  std::mutex mutex;
  std::condition_variable changed;
  bool scanning = false;
  bool released = false;
  web::testing::FailingReads store(*real, [&](std::string_view read) {
    if (read != "ForEach") return;
    std::unique_lock lock(mutex);
    scanning = true;
    changed.notify_all();
    changed.wait(lock, [&] { return released; });
  });
  App app(TestConfig(), store);
  cache::PageCache& page_cache = *app.page_cache();
  cache::CacheFollower follower(page_cache, std::chrono::milliseconds(20));
  const auto release = [&] {
    const std::lock_guard lock(mutex);
    released = true;
    changed.notify_all();
  };
  struct Releaser {  // destroyed before the follower, whose Stop() waits for the scan
    std::function<void()> release;
    ~Releaser() { release(); }
  } releaser{release};
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return scanning; }));
  }
  const auto hit = [&](const std::string& target) {
    const uint64_t before = page_cache.cache().stats().hits;
    EXPECT_EQ(app.Handle(Request::Make("GET", target, {})).status, 200) << target;
    return page_cache.cache().stats().hits == before + 1;
  };
  // The follower's first catch-up confirms the cache within a tick or two.
  bool item_hit = false;
  for (int i = 0; i < 500 && !item_hit; ++i) {
    item_hit = hit(kSeedPath);
    if (!item_hit) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(item_hit) << "an item page was not cached while the summaries loaded";
  EXPECT_FALSE(page_cache.lists_ready());
  EXPECT_FALSE(hit("/en/"));
  EXPECT_FALSE(hit("/en/")) << "a list page was cached before the summaries";
  release();
  for (int i = 0; i < 500 && !page_cache.lists_ready(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(page_cache.lists_ready());
  hit("/en/");
  EXPECT_TRUE(hit("/en/"));
}

// A store that is away when the summaries load: the follower tries again after a pause, not in a
// loop, and the list pages become cacheable once the store answers.
TEST(CacheFollowerTest, AFailedSummaryIsRetriedAfterAPause) {
  const assetpub::testing::TempDir temp("assetpub-cache-follower-");
  auto real = store::OpenStore("sqlite:" + (temp.path() / "assetpub.db").string());
  std::atomic<int> scans = 0;
  web::testing::FailingReads store(*real, [&](std::string_view read) {
    if (read == "ForEach" && ++scans <= 3) throw Error(ErrorCode::kUnavailable, "store away");
  });
  App app(TestConfig(), store);
  cache::PageCache& page_cache = *app.page_cache();
  const auto interval = std::chrono::milliseconds(20);
  const auto start = std::chrono::steady_clock::now();
  cache::CacheFollower follower(page_cache, interval);
  for (int i = 0; i < 500 && !page_cache.lists_ready(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(page_cache.lists_ready());
  EXPECT_GE(scans.load(), 4);  // three failures, then the scan that succeeded
  EXPECT_GE(std::chrono::steady_clock::now() - start, 3 * interval) << "retried without a pause";
}

}  // namespace
}  // namespace assetpub::web
