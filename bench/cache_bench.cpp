// cache_bench: what a response-cache hit costs (Lookup, single- and multi-threaded), what
// answering from an entry costs per content coding, and what making an entry (compressing a
// page) costs at the levels one might choose. Google Benchmark; the figures and how to run it
// are in docs/performance.md ("Response cache").

#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "cache/response_cache.h"
#include "http/compression.h"

namespace assetpub::cache {
namespace {

constexpr int kEntries = 2000;

// An item page's shape: about `size` bytes of markup around Zipf-distributed words from a
// vocabulary of 5,000, so that it compresses like real text rather than like repeated lines.
std::string PageLike(size_t size, unsigned seed) {
  std::mt19937 random(seed);
  static const std::vector<std::string> vocabulary = [] {
    std::mt19937 words(42);
    std::vector<std::string> list;
    for (int i = 0; i < 5000; ++i) {
      std::string word;
      const size_t length = 2 + words() % 10;
      for (size_t c = 0; c < length; ++c) word.push_back(static_cast<char>('a' + words() % 26));
      list.push_back(std::move(word));
    }
    return list;
  }();
  std::vector<double> weights;
  for (size_t i = 0; i < vocabulary.size(); ++i)
    weights.push_back(1.0 / static_cast<double>(i + 1));
  std::discrete_distribution<size_t> zipf(weights.begin(), weights.end());
  std::string page =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Statement</title>"
      "<link rel=\"stylesheet\" href=\"/static/site.css\"></head><body><header class=\"site\">"
      "<nav><a href=\"/en/\">Home</a> <a href=\"/en/transcripts/\">Transcripts</a></nav></header>"
      "<main><article>";
  while (page.size() < size) {
    page += "<p>";
    for (int word = 0; word < 40; ++word) {
      page += vocabulary[zipf(random)];
      page += word % 9 == 8 ? ". " : " ";
    }
    page += "</p>\n";
  }
  page.resize(size);
  return page;
}

ResponseCache::EntryParts Parts(std::string body) {
  ResponseCache::EntryParts parts;
  parts.body = std::move(body);
  parts.content_type = "text/html; charset=utf-8";
  parts.headers = {{"Content-Language", "en"}};
  parts.cache_control = std::string(kCacheControlItemPage);
  parts.last_modified = std::chrono::system_clock::now();
  return parts;
}

std::string KeyOf(int i) { return "/en/assets/2024-05-07-statement-number-" + std::to_string(i); }

// One cache with kEntries small pages, shared by every thread of the lookup benchmarks.
ResponseCache& FilledCache() {
  static ResponseCache* cache = [] {
    auto* filled = new ResponseCache(size_t{1} << 30);
    for (int i = 0; i < kEntries; ++i) {
      filled->Insert(KeyOf(i), Parts(PageLike(200, i)), {"asset:" + std::to_string(i)}, 1);
    }
    return filled;
  }();
  return *cache;
}

// Hits spread over every entry (each thread walks its own order).
void BM_LookupHit(benchmark::State& state) {
  ResponseCache& cache = FilledCache();
  std::vector<std::string> keys;
  keys.reserve(kEntries);
  for (int i = 0; i < kEntries; ++i)
    keys.push_back(KeyOf((i * 7919 + state.thread_index() * 31) % kEntries));
  size_t i = 0;
  for (auto _ : state) {
    auto entry = cache.Lookup(keys[i]);
    benchmark::DoNotOptimize(entry);
    if (++i == keys.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LookupHit)->Threads(1)->Threads(2)->Threads(4)->UseRealTime();

// Every thread hits the same page (the front page under load).
void BM_LookupHitOneHotKey(benchmark::State& state) {
  ResponseCache& cache = FilledCache();
  const std::string key = KeyOf(17);
  for (auto _ : state) {
    auto entry = cache.Lookup(key);
    benchmark::DoNotOptimize(entry);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LookupHitOneHotKey)->Threads(1)->Threads(2)->Threads(4)->UseRealTime();

void BM_LookupMiss(benchmark::State& state) {
  ResponseCache& cache = FilledCache();
  const std::string key = "/en/assets/not-there";
  for (auto _ : state) {
    auto entry = cache.Lookup(key);
    benchmark::DoNotOptimize(entry);
  }
}
BENCHMARK(BM_LookupMiss);

// Answering from an entry of a 40 kB page: the negotiated variant as a Response (headers and a
// copy of the body), and ChooseCachedAnswer alone (what a server writing from the entry pays).
std::shared_ptr<const ResponseCache::Entry> PageEntry() {
  static const auto entry =
      ResponseCache(size_t{1} << 30).MakeEntry(Parts(PageLike(40'000, 5)), {"asset:5"}, 1);
  return entry;
}

const char* AcceptFor(int coding) {
  return coding == 0 ? "identity" : coding == 1 ? "gzip, deflate" : "gzip, deflate, br, zstd";
}

void BM_BuildCachedResponse(benchmark::State& state) {
  const auto entry = PageEntry();
  const Request request =
      Request::Make("GET", "/en/assets/x",
                    {{"Host", "example.org"},
                     {"Accept", "text/html"},
                     {"Accept-Encoding", AcceptFor(static_cast<int>(state.range(0)))}});
  for (auto _ : state) {
    Response response = BuildCachedResponse(*entry, request);
    benchmark::DoNotOptimize(response);
  }
  const CachedAnswer answer = ChooseCachedAnswer(*entry, request);
  state.SetLabel(std::string(http::ContentCodingName(answer.coding)) + ", body " +
                 std::to_string(answer.body.size()) + " B");
}
BENCHMARK(BM_BuildCachedResponse)->Arg(2)->Arg(1)->Arg(0)->ArgName("coding");

void BM_ChooseCachedAnswer(benchmark::State& state) {
  const auto entry = PageEntry();
  const Request request =
      Request::Make("GET", "/en/assets/x",
                    {{"Host", "example.org"},
                     {"Accept", "text/html"},
                     {"Accept-Encoding", AcceptFor(static_cast<int>(state.range(0)))}});
  for (auto _ : state) {
    CachedAnswer answer = ChooseCachedAnswer(*entry, request);
    benchmark::DoNotOptimize(answer);
  }
}
BENCHMARK(BM_ChooseCachedAnswer)->Arg(2)->Arg(1)->Arg(0)->ArgName("coding");

void BM_NotModified(benchmark::State& state) {
  const auto entry = PageEntry();
  const Request request =
      Request::Make("GET", "/en/assets/x",
                    {{"Accept-Encoding", "gzip, br"}, {"If-None-Match", entry->etag_brotli}});
  for (auto _ : state) {
    Response response = BuildCachedResponse(*entry, request);
    benchmark::DoNotOptimize(response);
  }
}
BENCHMARK(BM_NotModified);

// Compressing one page: range(0) the page size, range(1) the level (gzip) or quality (brotli).
void BM_Gzip(benchmark::State& state) {
  const std::string page = PageLike(static_cast<size_t>(state.range(0)), 9);
  size_t size = 0;
  for (auto _ : state) size = http::GzipCompress(page, static_cast<int>(state.range(1))).size();
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(page.size()));
  state.counters["ratio"] = static_cast<double>(size) / static_cast<double>(page.size());
}
BENCHMARK(BM_Gzip)->ArgsProduct({{40'000}, {6, 9}})->Unit(benchmark::kMicrosecond);

void BM_Brotli(benchmark::State& state) {
  const std::string page = PageLike(static_cast<size_t>(state.range(0)), 9);
  size_t size = 0;
  for (auto _ : state) size = http::BrotliCompress(page, static_cast<int>(state.range(1))).size();
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(page.size()));
  state.counters["ratio"] = static_cast<double>(size) / static_cast<double>(page.size());
}
BENCHMARK(BM_Brotli)->ArgsProduct({{40'000}, {1, 5, 6, 9, 11}})->Unit(benchmark::kMicrosecond);

// MakeEntry with the defaults (gzip 6, brotli 5) for a 40 kB page: the price of a miss on top of
// the render.
void BM_MakeEntry(benchmark::State& state) {
  const ResponseCache cache(size_t{1} << 30);
  const std::string page = PageLike(40'000, 9);
  for (auto _ : state) {
    auto entry = cache.MakeEntry(Parts(page), {"asset:1"}, 1);
    benchmark::DoNotOptimize(entry);
  }
}
BENCHMARK(BM_MakeEntry)->Unit(benchmark::kMicrosecond);

// Insert of a prepared entry into a full cache (every insert evicts) and Invalidate of one key.
void BM_InsertEvicting(benchmark::State& state) {
  ResponseCache cache(size_t{4} << 20);
  std::vector<std::shared_ptr<const ResponseCache::Entry>> entries;
  entries.reserve(64);
  for (int i = 0; i < 64; ++i)
    entries.push_back(cache.MakeEntry(Parts(PageLike(2000, i)), {"asset:" + std::to_string(i)}, 1));
  int i = 0;
  for (auto _ : state) {
    cache.Insert(KeyOf(i), entries[static_cast<size_t>(i % 64)]);
    ++i;
  }
  state.counters["entries"] = static_cast<double>(cache.stats().entries);
}
BENCHMARK(BM_InsertEvicting);

void BM_InsertThenInvalidate(benchmark::State& state) {
  ResponseCache cache(size_t{1} << 30);
  for (int i = 0; i < kEntries; ++i) {
    cache.Insert(KeyOf(i), Parts(PageLike(200, i)), {"asset:" + std::to_string(i), "list:all"}, 1);
  }
  const auto entry = cache.MakeEntry(Parts(PageLike(2000, 1)), {"asset:x", "list:all:x"}, 1 << 30);
  const std::vector<std::string> keys = {"asset:x"};
  int64_t sequence = 2;
  for (auto _ : state) {
    cache.Insert("/en/assets/x", entry);
    cache.Invalidate(keys, sequence++);
  }
}
BENCHMARK(BM_InsertThenInvalidate);

}  // namespace
}  // namespace assetpub::cache

BENCHMARK_MAIN();
