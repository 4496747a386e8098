#include "cache/response_cache.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "http/compression.h"

namespace assetpub::cache {
namespace {

using ::testing::MatchesRegex;
using ::testing::Optional;
using Entry = ResponseCache::Entry;
using EntryParts = ResponseCache::EntryParts;

// 784111777 is RFC 9110's example date: Sun, 06 Nov 1994 08:49:37 GMT.
const std::chrono::system_clock::time_point kModified =
    std::chrono::system_clock::from_time_t(784111777) + std::chrono::milliseconds(600);
constexpr const char* kModifiedText = "Sun, 06 Nov 1994 08:49:37 GMT";

std::string Page(std::string_view title, size_t paragraphs = 40) {
  std::string page = "<!doctype html><title>" + std::string(title) + "</title>";
  for (size_t i = 0; i < paragraphs; ++i) {
    page += "<p>Paragraph " + std::to_string(i) + " of the statement on " + std::string(title) +
            ", with the usual words of an official text.</p>\n";
  }
  return page;
}

EntryParts Parts(std::string body, std::string_view cache_control = kCacheControlItemPage) {
  EntryParts parts;
  parts.body = std::move(body);
  parts.content_type = "text/html; charset=utf-8";
  parts.headers = {{"Content-Language", "en"}};
  parts.cache_control = std::string(cache_control);
  parts.last_modified = kModified;
  return parts;
}

Request Get(HeaderList headers, std::string method = "GET") {
  return Request::Make(std::move(method), "/en/assets/x", std::move(headers));
}

// --- Entries ---------------------------------------------------------------------------------

TEST(ResponseCacheEntry, VariantsDecompressToTheIdentityBytes) {
  const ResponseCache cache(1 << 20);
  const auto entry = cache.MakeEntry(Parts(Page("talks")), {"asset:1"}, 5);
  ASSERT_FALSE(entry->gzip.empty());
  ASSERT_FALSE(entry->brotli.empty());
  EXPECT_LT(entry->gzip.size(), entry->identity.size());
  EXPECT_LT(entry->brotli.size(), entry->identity.size());
  EXPECT_EQ(http::GzipDecompress(entry->gzip), entry->identity);
  EXPECT_EQ(http::BrotliDecompress(entry->brotli), entry->identity);
  EXPECT_EQ(entry->identity, Page("talks"));
  EXPECT_EQ(entry->generation, 5);
  EXPECT_EQ(entry->dependencies, std::vector<std::string>{"asset:1"});
  EXPECT_GE(entry->bytes, entry->identity.size() + entry->gzip.size() + entry->brotli.size());
}

TEST(ResponseCacheEntry, ETagsAreStrongHashesOfTheIdentityBytes) {
  const ResponseCache cache(1 << 20);
  const auto a = cache.MakeEntry(Parts(Page("a")), {}, 1);
  EXPECT_THAT(a->etag, MatchesRegex("\"[0-9a-f]{16}-[0-9a-f]+\""));
  EXPECT_EQ(a->etag_gzip, a->etag.substr(0, a->etag.size() - 1) + "-gz\"");
  EXPECT_EQ(a->etag_brotli, a->etag.substr(0, a->etag.size() - 1) + "-br\"");
  // The same bytes give the same tag whatever else differs; other bytes another tag.
  auto other_parts = Parts(Page("a"), kCacheControlFeed);
  other_parts.last_modified += std::chrono::hours(5);
  EXPECT_EQ(cache.MakeEntry(std::move(other_parts), {"x"}, 9)->etag, a->etag);
  EXPECT_NE(cache.MakeEntry(Parts(Page("b")), {}, 1)->etag, a->etag);
}

TEST(ResponseCacheEntry, TinyAndIncompressibleBodiesAreIdentityOnly) {
  const ResponseCache cache(1 << 20);
  const auto tiny = cache.MakeEntry(Parts("<p>short</p>"), {}, 1);
  EXPECT_TRUE(tiny->gzip.empty());
  EXPECT_TRUE(tiny->brotli.empty());
  std::mt19937 random(3);
  std::string noise(4096, '\0');
  for (char& c : noise) c = static_cast<char>(random());
  const auto incompressible = cache.MakeEntry(Parts(noise), {}, 1);
  EXPECT_TRUE(incompressible->gzip.empty());
  EXPECT_TRUE(incompressible->brotli.empty());

  const Response response = BuildCachedResponse(*tiny, Get({{"Accept-Encoding", "br, gzip"}}));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "<p>short</p>");
  EXPECT_EQ(response.Header("Content-Encoding"), std::nullopt);
  EXPECT_THAT(response.Header("ETag"), Optional(tiny->etag));
}

// --- Answers ---------------------------------------------------------------------------------

class CachedResponse : public ::testing::Test {
 protected:
  ResponseCache cache_{1 << 20};
  std::shared_ptr<const Entry> entry_ = cache_.MakeEntry(Parts(Page("talks")), {"asset:1"}, 1);
};

TEST_F(CachedResponse, SendsTheNegotiatedVariantWithItsHeaders) {
  struct Case {
    const char* accept_encoding;
    ContentCoding coding;
  };
  for (const Case& c : {Case{"gzip, deflate, br", ContentCoding::kBrotli},
                        Case{"gzip", ContentCoding::kGzip}, Case{"", ContentCoding::kIdentity}}) {
    SCOPED_TRACE(c.accept_encoding);
    const Response response =
        BuildCachedResponse(*entry_, Get({{"accept-encoding", c.accept_encoding}}));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, entry_->Body(c.coding));
    EXPECT_THAT(response.Header("Content-Type"), Optional(std::string("text/html; charset=utf-8")));
    EXPECT_THAT(response.Header("Content-Language"), Optional(std::string("en")));
    EXPECT_THAT(response.Header("ETag"), Optional(entry_->ETag(c.coding)));
    EXPECT_THAT(response.Header("Last-Modified"), Optional(std::string(kModifiedText)));
    EXPECT_THAT(response.Header("Cache-Control"), Optional(std::string(kCacheControlItemPage)));
    EXPECT_THAT(response.Header("Vary"), Optional(std::string("Accept-Encoding")));
    if (c.coding == ContentCoding::kIdentity) {
      EXPECT_EQ(response.Header("Content-Encoding"), std::nullopt);
    } else {
      EXPECT_THAT(response.Header("Content-Encoding"),
                  Optional(std::string(http::ContentCodingName(c.coding))));
    }
  }
  EXPECT_EQ(
      http::BrotliDecompress(BuildCachedResponse(*entry_, Get({{"Accept-Encoding", "br"}})).body),
      entry_->identity);
  // Without the header: identity.
  EXPECT_EQ(BuildCachedResponse(*entry_, Get({})).body, entry_->identity);
}

TEST_F(CachedResponse, SeveralAcceptEncodingLinesCountAsOneList) {
  const CachedAnswer answer = ChooseCachedAnswer(
      *entry_, Get({{"Accept-Encoding", "gzip;q=0.5"}, {"Accept-Encoding", "br;q=0.9"}}));
  EXPECT_EQ(answer.coding, ContentCoding::kBrotli);
}

TEST_F(CachedResponse, MatchingIfNoneMatchGivesA304WithTheValidators) {
  const Response response = BuildCachedResponse(
      *entry_, Get({{"If-None-Match", entry_->etag}, {"Accept-Encoding", "gzip"}}));
  EXPECT_EQ(response.status, 304);
  EXPECT_EQ(response.body, "");
  // The tag of the variant the request would get now.
  EXPECT_THAT(response.Header("ETag"), Optional(entry_->etag_gzip));
  EXPECT_THAT(response.Header("Last-Modified"), Optional(std::string(kModifiedText)));
  EXPECT_THAT(response.Header("Cache-Control"), Optional(std::string(kCacheControlItemPage)));
  EXPECT_THAT(response.Header("Vary"), Optional(std::string("Accept-Encoding")));
  EXPECT_EQ(response.Header("Content-Encoding"), std::nullopt);
  EXPECT_EQ(response.Header("Content-Type"), std::nullopt);
}

TEST_F(CachedResponse, IfNoneMatchForms) {
  const std::string other = "\"0123456789abcdef-10\"";
  struct Case {
    std::string if_none_match;
    int status;
  };
  const std::vector<Case> cases = {
      {entry_->etag, 304},
      {entry_->etag_gzip, 304},  // any variant of the same bytes
      {entry_->etag_brotli, 304},
      {"W/" + entry_->etag, 304},  // weak comparison
      {other + ", " + entry_->etag_brotli, 304},
      {other + ",W/" + entry_->etag, 304},
      {"*", 304},
      {other, 200},
      {"W/" + other, 200},
      {"", 200},
      {entry_->etag.substr(1, entry_->etag.size() - 2), 200},  // unquoted: not an entity-tag
      {"garbage, " + entry_->etag, 304},
      {"\"unterminated", 200},
      {"\"a,b\", " + entry_->etag, 304},  // a comma inside a tag is part of it
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.if_none_match);
    EXPECT_EQ(ChooseCachedAnswer(*entry_, Get({{"If-None-Match", c.if_none_match}})).status,
              c.status);
  }
  // Two field lines are one list.
  EXPECT_EQ(
      ChooseCachedAnswer(*entry_, Get({{"If-None-Match", other}, {"If-None-Match", entry_->etag}}))
          .status,
      304);
}

TEST_F(CachedResponse, IfModifiedSinceAtOrAfterLastModifiedGivesA304) {
  struct Case {
    const char* since;
    int status;
  };
  for (const Case& c : {
           Case{kModifiedText, 304},
           Case{"Sun, 06 Nov 1994 08:49:38 GMT", 304},
           Case{"Sun, 06 Nov 1994 08:49:36 GMT", 200},
           Case{"Sat, 01 Jan 2000 00:00:00 GMT", 304},
           Case{"Sunday, 06-Nov-94 08:49:37 GMT", 304},  // RFC 850
           Case{"Sun Nov  6 08:49:37 1994", 304},        // asctime
           Case{"Sun Nov  6 08:49:36 1994", 200},
           Case{"yesterday", 200},  // not a date: ignored
           Case{"", 200},
       }) {
    SCOPED_TRACE(c.since);
    EXPECT_EQ(ChooseCachedAnswer(*entry_, Get({{"If-Modified-Since", c.since}})).status, c.status);
  }
  // More than one value: ignored.
  EXPECT_EQ(ChooseCachedAnswer(*entry_, Get({{"If-Modified-Since", kModifiedText},
                                             {"If-Modified-Since", kModifiedText}}))
                .status,
            200);
}

TEST_F(CachedResponse, IfNoneMatchTakesPrecedenceOverIfModifiedSince) {
  EXPECT_EQ(
      ChooseCachedAnswer(*entry_, Get({{"If-None-Match", "\"stale-1\""},
                                       {"If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"}}))
          .status,
      200);
  EXPECT_EQ(
      ChooseCachedAnswer(*entry_, Get({{"If-None-Match", entry_->etag},
                                       {"If-Modified-Since", "Sat, 01 Jan 1990 00:00:00 GMT"}}))
          .status,
      304);
}

TEST_F(CachedResponse, HeadIsConditionalOtherMethodsAreNot) {
  EXPECT_EQ(ChooseCachedAnswer(*entry_, Get({{"If-None-Match", entry_->etag}}, "HEAD")).status,
            304);
  const Response head = BuildCachedResponse(*entry_, Get({{"Accept-Encoding", "br"}}, "HEAD"));
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, entry_->brotli);  // the server sends only its length
  EXPECT_EQ(ChooseCachedAnswer(*entry_, Get({{"If-None-Match", entry_->etag}}, "POST")).status,
            200);
}

TEST_F(CachedResponse, TheAnswerPointsIntoTheEntry) {
  const CachedAnswer answer = ChooseCachedAnswer(*entry_, Get({{"Accept-Encoding", "gzip"}}));
  EXPECT_EQ(answer.body.data(), entry_->gzip.data());
  EXPECT_EQ(answer.body.size(), entry_->gzip.size());
}

TEST(HttpDate, FormatsAndParsesTheThreeForms) {
  const std::chrono::sys_seconds time{std::chrono::seconds(784111777)};
  EXPECT_EQ(FormatHttpDate(time), kModifiedText);
  EXPECT_THAT(ParseHttpDate(kModifiedText), Optional(time));
  EXPECT_THAT(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), Optional(time));
  EXPECT_THAT(ParseHttpDate("Sun Nov  6 08:49:37 1994"), Optional(time));
  EXPECT_THAT(ParseHttpDate(" Sun, 06 Nov 1994 08:49:37 GMT "), Optional(time));
  const std::chrono::sys_seconds leap_day =
      std::chrono::sys_days(std::chrono::year(2024) / 2 / 29) + std::chrono::hours(23);
  EXPECT_EQ(FormatHttpDate(leap_day), "Thu, 29 Feb 2024 23:00:00 GMT");
  EXPECT_THAT(ParseHttpDate("Thu, 29 Feb 2024 23:00:00 GMT"), Optional(leap_day));
  for (const char* bad :
       {"", "garbage", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Foo 1994 08:49:37 GMT",
        "Fri, 30 Feb 2024 00:00:00 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49 GMT", "Sunday, 06-Nov-94 08:49:37",
        "Sun Nov 6 08:49:37 1994"}) {
    EXPECT_EQ(ParseHttpDate(bad), std::nullopt) << bad;
  }
}

// --- The cache -------------------------------------------------------------------------------

TEST(ResponseCache, LookupCountsHitsAndMisses) {
  ResponseCache cache(1 << 20);
  EXPECT_EQ(cache.Lookup("/en/"), nullptr);
  const auto result = cache.Insert("/en/", Parts(Page("home")), {"list:home:en"}, 1);
  EXPECT_TRUE(result.stored);
  const auto hit = cache.Lookup("/en/");
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit, result.entry);  // the same immutable bytes, not a copy
  EXPECT_EQ(cache.Lookup("/ru/"), nullptr);
  const ResponseCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 2u);
  EXPECT_EQ(stats.inserts, 1u);
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_EQ(stats.bytes, hit->bytes + std::string("/en/").size());
  EXPECT_EQ(stats.max_bytes, size_t{1} << 20);
}

TEST(ResponseCache, EvictsTheLeastRecentlyUsedFirst) {
  // Tiny bodies (identity only) so that every entry costs the same.
  const size_t charge = ResponseCache(1).MakeEntry(Parts("<p>x</p>"), {"d"}, 1)->bytes + 2;
  ResponseCache cache(3 * charge + charge / 2);  // room for three
  for (const char* key : {"/a", "/b", "/c"})
    ASSERT_TRUE(cache.Insert(key, Parts("<p>x</p>"), {"d"}, 1).stored);
  ASSERT_NE(cache.Lookup("/a"), nullptr);  // b is now the least recently used
  ASSERT_TRUE(cache.Insert("/d", Parts("<p>x</p>"), {"d"}, 1).stored);
  EXPECT_EQ(cache.stats().evictions, 1u);
  EXPECT_EQ(cache.Lookup("/b"), nullptr);
  EXPECT_NE(cache.Lookup("/c"), nullptr);  // now a is the least recently used
  ASSERT_TRUE(cache.Insert("/e", Parts("<p>x</p>"), {"d"}, 1).stored);
  EXPECT_EQ(cache.Lookup("/a"), nullptr);
  EXPECT_NE(cache.Lookup("/c"), nullptr);
  EXPECT_NE(cache.Lookup("/d"), nullptr);
  EXPECT_NE(cache.Lookup("/e"), nullptr);
  EXPECT_EQ(cache.stats().entries, 3u);
  EXPECT_EQ(cache.stats().evictions, 2u);
  EXPECT_LE(cache.stats().bytes, 3 * charge + charge / 2);
}

TEST(ResponseCache, StaysWithinItsByteBoundCountingEveryVariant) {
  const size_t bound = 200'000;
  ResponseCache cache(bound);
  size_t variants = 0;
  for (int i = 0; i < 100; ++i) {
    const std::string key = "/en/assets/" + std::to_string(i);
    const auto result =
        cache.Insert(key, Parts(Page(key, 60 + i % 40)), {"asset:" + std::to_string(i)}, 1);
    ASSERT_TRUE(result.stored);
    variants +=
        result.entry->identity.size() + result.entry->gzip.size() + result.entry->brotli.size();
    EXPECT_LE(cache.stats().bytes, bound);
    EXPECT_NE(cache.Lookup(key), nullptr);  // the newest always stays
  }
  const ResponseCache::Stats stats = cache.stats();
  EXPECT_GT(variants, bound);
  EXPECT_GT(stats.evictions, 0u);
  EXPECT_EQ(stats.entries + stats.evictions, 100u);
  EXPECT_GT(stats.bytes, bound / 2);  // evicting frees what is needed, not everything
}

TEST(ResponseCache, RefusesAnEntryLargerThanTheBound) {
  ResponseCache cache(1000);
  const auto result = cache.Insert("/big", Parts(std::string(5000, 'x')), {}, 1);
  EXPECT_FALSE(result.stored);
  ASSERT_NE(result.entry, nullptr);  // still good to answer with
  EXPECT_EQ(result.entry->identity.size(), 5000u);
  EXPECT_EQ(cache.Lookup("/big"), nullptr);
  EXPECT_EQ(cache.stats().refused, 1u);
  EXPECT_EQ(cache.stats().bytes, 0u);
}

TEST(ResponseCache, InvalidateRemovesExactlyTheDependentEntries) {
  ResponseCache cache(1 << 22);
  cache.Insert("/en/assets/one", Parts(Page("one")), {"asset:1", "asset:3"}, 1);  // 3 is related
  cache.Insert("/en/assets/two", Parts(Page("two")), {"asset:2"}, 1);
  cache.Insert("/ru/assets/one", Parts(Page("odin")), {"asset:1"}, 1);  // a translation's page
  cache.Insert("/en/transcripts/", Parts(Page("list")),
               {"list:transcripts:en", "asset:1", "asset:2"}, 1);
  cache.Insert("/en/feed.xml", Parts(Page("feed")), {"feed:home:en", "asset:2"}, 1);
  cache.Insert("/sitemap.xml", Parts(Page("sitemap")), {"sitemap"}, 1);
  cache.Insert("/en/assets/three", Parts(Page("three")), {"asset:3"}, 1);

  EXPECT_EQ(cache.Invalidate({"asset:1"}, 2), 3u);
  const uint64_t hits_before = cache.stats().hits;
  for (const char* gone : {"/en/assets/one", "/ru/assets/one", "/en/transcripts/"}) {
    EXPECT_EQ(cache.Lookup(gone), nullptr) << gone;
  }
  for (const char* kept : {"/en/assets/two", "/en/feed.xml", "/sitemap.xml", "/en/assets/three"}) {
    EXPECT_NE(cache.Lookup(kept), nullptr) << kept;
  }
  const ResponseCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.hits - hits_before, 4u);
  EXPECT_EQ(stats.invalidations, 3u);
  EXPECT_EQ(stats.entries, 4u);

  // Several keys at once; unknown keys and repeats are harmless.
  EXPECT_EQ(cache.Invalidate({"feed:home:en", "sitemap", "nothing:here"}, 3), 2u);
  EXPECT_EQ(cache.Invalidate({"feed:home:en"}, 4), 0u);
  EXPECT_NE(cache.Lookup("/en/assets/two"), nullptr);
  EXPECT_NE(cache.Lookup("/en/assets/three"), nullptr);
  EXPECT_EQ(cache.stats().entries, 2u);

  size_t expected_bytes = 0;
  for (const char* key : {"/en/assets/two", "/en/assets/three"}) {
    expected_bytes += cache.Lookup(key)->bytes + std::string_view(key).size();
  }
  EXPECT_EQ(cache.stats().bytes, expected_bytes);
}

// A thread answers repeated lookups from its own table (no lock); whatever removes the slot it
// remembers (invalidation, replacement, eviction, InvalidateAll) shows on its very next lookup.
TEST(ResponseCache, AThreadsTableNeverAnswersWithARemovedEntry) {
  ResponseCache cache(1 << 20);
  cache.Insert("/en/assets/1", Parts(Page("one")), {"asset:1"}, 1);
  const auto first = cache.Lookup("/en/assets/1");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(cache.Lookup("/en/assets/1"), first);  // from the table
  EXPECT_EQ(cache.Lookup("/en/assets/1", 2), nullptr) << "rendered before the minimum";
  EXPECT_EQ(cache.Lookup("/en/assets/1"), first);

  cache.Invalidate({"asset:1"}, 2);
  EXPECT_EQ(cache.Lookup("/en/assets/1"), nullptr);

  cache.Insert("/en/assets/1", Parts(Page("one, v2")), {"asset:1"}, 2);
  const auto second = cache.Lookup("/en/assets/1");
  ASSERT_NE(second, nullptr);
  EXPECT_NE(second->identity, first->identity);
  EXPECT_EQ(cache.Lookup("/en/assets/1"), second);

  // A newer render of the same key replaces it.
  cache.Insert("/en/assets/1", Parts(Page("one, v3")), {"asset:1"}, 3);
  const auto third = cache.Lookup("/en/assets/1");
  ASSERT_NE(third, nullptr);
  EXPECT_NE(third->identity, second->identity);

  // Evicted by entries that fill the bound.
  // (It is the least recently used: every filler is newer.)
  for (int i = 0; cache.stats().evictions == 0 && i < 1000; ++i) {
    cache.Insert("/filler/" + std::to_string(i), Parts(Page("filler " + std::to_string(i))),
                 {"asset:9"}, 3);
  }
  ASSERT_GT(cache.stats().evictions, 0u);
  EXPECT_EQ(cache.Lookup("/en/assets/1"), nullptr);

  cache.Insert("/en/assets/1", Parts(Page("one, v4")), {"asset:1"}, 4);
  ASSERT_NE(cache.Lookup("/en/assets/1"), nullptr);
  ASSERT_NE(cache.Lookup("/en/assets/1"), nullptr);
  cache.InvalidateAll(5);
  EXPECT_EQ(cache.Lookup("/en/assets/1"), nullptr);

  // Hits from the table are counted like the others.
  const ResponseCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.hits, 8u);
}

// Many threads, each with its own table, see an invalidation at once.
TEST(ResponseCache, EveryThreadSeesAnInvalidationOnItsNextLookup) {
  ResponseCache cache(1 << 22);
  cache.Insert("/en/", Parts(Page("home")), {"list:home:en"}, 1);
  constexpr int kThreads = 8;
  std::atomic<int> warmed{0};
  std::atomic<bool> invalidated{false};
  std::atomic<int> stale{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) EXPECT_NE(cache.Lookup("/en/"), nullptr);
      warmed.fetch_add(1);
      while (!invalidated.load()) {
      }
      if (cache.Lookup("/en/") != nullptr) stale.fetch_add(1);
    });
  }
  while (warmed.load() < kThreads) std::this_thread::yield();
  cache.Invalidate({"list:home:en"}, 2);
  invalidated.store(true);
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(stale.load(), 0);
  EXPECT_EQ(cache.stats().hits, uint64_t{kThreads} * 100);
}

TEST(ResponseCache, AnEntryOutlivesItsInvalidationWhileSomeoneHoldsIt) {
  ResponseCache cache(1 << 20);
  cache.Insert("/en/", Parts(Page("home")), {"list:home:en"}, 1);
  const auto held = cache.Lookup("/en/");
  ASSERT_NE(held, nullptr);
  cache.Invalidate({"list:home:en"}, 2);
  EXPECT_EQ(cache.Lookup("/en/"), nullptr);
  EXPECT_EQ(held->identity, Page("home"));  // a response being written keeps its bytes
}

// The soak's memory growth (docs/reliability.md, "Soak"): each publish invalidated the feeds and
// sitemaps, and the LRU heap kept every invalidated or replaced entry alive (bodies and their
// compressed variants) until some later eviction or compaction popped it, uncounted by the byte
// bound, which therefore never evicted anything: gigabytes after a few minutes of publishing.
// An entry the cache dropped is freed as soon as nobody else holds it.
TEST(ResponseCache, FreesWhatItInvalidatesOrReplacesAtOnce) {
  ResponseCache cache(1 << 24);
  std::weak_ptr<const ResponseCache::Entry> previous_sitemap;
  size_t alive = 0;
  for (int64_t generation = 1; generation <= 300; ++generation) {
    // A feed rendered, then invalidated by the next publish (change generation + 1).
    std::weak_ptr<const ResponseCache::Entry> feed =
        cache.Insert("/en/feed.rss", Parts(Page("feed", 50)), {"list:home:en"}, generation).entry;
    ASSERT_FALSE(feed.expired());
    cache.Invalidate({"list:home:en"}, generation + 1);
    alive += feed.expired() ? 0 : 1;
    // A sitemap replaced by a newer render.
    std::weak_ptr<const ResponseCache::Entry> sitemap =
        cache.Insert("/sitemap.xml", Parts(Page("sitemap", 50)), {"sitemap"}, generation).entry;
    ASSERT_FALSE(sitemap.expired());
    alive += previous_sitemap.expired() ? 0 : 1;
    previous_sitemap = sitemap;
  }
  EXPECT_EQ(alive, 0u) << "of 599 entries the cache no longer has";
  EXPECT_FALSE(previous_sitemap.expired());  // the last one is still cached
  EXPECT_EQ(cache.stats().entries, 1u);
}

TEST(ResponseCache, RefusesARenderOlderThanAnInvalidationOfItsDependencies) {
  ResponseCache cache(1 << 20);
  cache.Invalidate({"asset:1"}, 10);
  // Rendered from data as of change 9: it may predate change 10.
  EXPECT_FALSE(cache.Insert("/en/assets/one", Parts(Page("old")), {"asset:1"}, 9).stored);
  EXPECT_EQ(cache.Lookup("/en/assets/one"), nullptr);
  EXPECT_EQ(cache.stats().refused, 1u);
  // As of change 10 or later: fine.
  EXPECT_TRUE(cache.Insert("/en/assets/one", Parts(Page("new")), {"asset:1"}, 10).stored);
  // Old renders that do not depend on what changed are still welcome.
  EXPECT_TRUE(cache.Insert("/en/assets/two", Parts(Page("two")), {"asset:2"}, 3).stored);
  // A late invalidation with an older sequence does not lower the mark, and keeps the entries
  // rendered after that change (the follower ran behind the handlers).
  EXPECT_EQ(cache.Invalidate({"asset:1"}, 7), 0u);
  EXPECT_NE(cache.Lookup("/en/assets/one"), nullptr);
  EXPECT_FALSE(cache.Insert("/ru/assets/one", Parts(Page("old")), {"asset:1"}, 9).stored);
  // Rendered exactly at change 11 (it read sequence 11 first): it shows change 11.
  ASSERT_TRUE(cache.Insert("/ru/assets/one", Parts(Page("new")), {"asset:1"}, 11).stored);
  EXPECT_EQ(cache.Invalidate({"asset:1"}, 11), 1u);  // only the entry of generation 10 goes
  EXPECT_EQ(cache.Lookup("/en/assets/one"), nullptr);
  EXPECT_NE(cache.Lookup("/ru/assets/one"), nullptr);

  EXPECT_EQ(cache.InvalidateAll(20), 2u);
  EXPECT_EQ(cache.stats().entries, 0u);
  EXPECT_EQ(cache.stats().bytes, 0u);
  EXPECT_FALSE(cache.Insert("/en/assets/two", Parts(Page("two")), {"asset:2"}, 19).stored);
  EXPECT_FALSE(cache.Insert("/en/", Parts(Page("home")), {}, 19).stored);
  EXPECT_TRUE(cache.Insert("/en/assets/two", Parts(Page("two")), {"asset:2"}, 20).stored);
}

TEST(ResponseCache, ANewerRenderReplacesAnOlderOneNeverTheReverse) {
  ResponseCache cache(1 << 20);
  ASSERT_TRUE(cache.Insert("/en/", Parts(Page("v12")), {"list:home:en"}, 12).stored);
  EXPECT_FALSE(cache.Insert("/en/", Parts(Page("v11")), {"list:home:en"}, 11).stored);
  EXPECT_EQ(cache.Lookup("/en/")->identity, Page("v12"));
  ASSERT_TRUE(cache.Insert("/en/", Parts(Page("v13")), {"list:home:en", "asset:4"}, 13).stored);
  EXPECT_EQ(cache.Lookup("/en/")->identity, Page("v13"));
  EXPECT_EQ(cache.stats().entries, 1u);
  EXPECT_EQ(cache.stats().bytes, cache.Lookup("/en/")->bytes + 4);
  // The replaced entry's dependencies are forgotten, the new one's are followed.
  EXPECT_EQ(cache.Invalidate({"asset:4"}, 14), 1u);
  EXPECT_EQ(cache.stats().entries, 0u);
}

TEST(ResponseCache, ForgetsOldInvalidationMarksWithoutServingStalePages) {
  ResponseCache cache(1 << 20);
  // More marks than the cache keeps (65,536): the oldest are folded into one floor.
  std::vector<std::string> keys;
  keys.reserve(70'000);
  for (int i = 0; i < 70'000; ++i) keys.push_back("asset:" + std::to_string(i));
  cache.Invalidate(keys, 50);
  EXPECT_FALSE(cache.Insert("/a", Parts(Page("a")), {"asset:1"}, 49).stored);
  EXPECT_FALSE(cache.Insert("/b", Parts(Page("b")), {"asset:69999"}, 49).stored);
  EXPECT_TRUE(cache.Insert("/c", Parts(Page("c")), {"asset:1"}, 50).stored);
}

// Readers, renderers and a publisher for a second: after an invalidation for change Q returns,
// no lookup may see a page rendered from data older than Q, and the counters stay consistent.
TEST(ResponseCache, ConcurrentUseNeverServesAStalePage) {
  constexpr int kAssets = 40;
  ResponseCache cache(ResponseCache::Options{.max_bytes = 30'000, .brotli_quality = 5});
  std::atomic<int64_t> sequence{0};                         // the change log's head
  std::array<std::atomic<int64_t>, kAssets> data{};         // the version of each asset's data
  std::array<std::atomic<int64_t>, kAssets> invalidated{};  // the last change invalidated
  std::atomic<bool> stop{false};
  std::atomic<int> stale{0};
  std::atomic<uint64_t> lookups{0};

  const auto key_of = [](int asset) { return "/en/assets/" + std::to_string(asset); };
  const auto reader = [&](unsigned seed) {
    std::mt19937 random(seed);
    while (!stop.load()) {
      const int asset = static_cast<int>(random() % kAssets);
      const std::string key = key_of(asset);
      const int64_t floor = invalidated[asset].load();
      const auto entry = cache.Lookup(key);
      lookups.fetch_add(1);
      if (entry) {
        const int64_t version = std::stoll(entry->identity.substr(0, entry->identity.find(' ')));
        if (version < floor) stale.fetch_add(1);
        continue;
      }
      // A miss: render as a handler would, reading the sequence before the data.
      const int64_t generation = sequence.load();
      const int64_t version = data[asset].load();
      std::string body = std::to_string(version) + " " + Page(key, 3 + asset % 5);
      cache.Insert(key, Parts(std::move(body)), {"asset:" + std::to_string(asset)}, generation);
    }
  };
  const auto publisher = [&] {
    std::mt19937 random(99);
    while (!stop.load()) {
      const int asset = static_cast<int>(random() % kAssets);
      const int64_t change = sequence.load() + 1;
      data[asset].store(change);  // the change commits its data…
      sequence.store(change);     // …and its sequence number
      cache.Invalidate({"asset:" + std::to_string(asset)}, change);
      invalidated[asset].store(change);
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  };

  std::vector<std::thread> threads;
  for (unsigned i = 0; i < 3; ++i) threads.emplace_back(reader, i + 1);
  threads.emplace_back(publisher);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  stop.store(true);
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(stale.load(), 0);
  const ResponseCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.hits + stats.misses, lookups.load());
  EXPECT_GT(stats.hits, 0u);
  EXPECT_GT(stats.invalidations, 0u);
  EXPECT_LE(stats.bytes, size_t{30'000});
  size_t found = 0;
  size_t bytes = 0;
  for (int asset = 0; asset < kAssets; ++asset) {
    if (const auto entry = cache.Lookup(key_of(asset))) {
      ++found;
      bytes += entry->bytes + key_of(asset).size();
    }
  }
  EXPECT_EQ(stats.entries, found);
  EXPECT_EQ(stats.bytes, bytes);
}

}  // namespace
}  // namespace assetpub::cache
