#pragma once
// ResponseCache keeps rendered pages (item pages, publisher pages, lists, feeds, sitemaps) as
// immutable entries: the identity bytes with gzip and brotli variants compressed once, a strong
// ETag, Last-Modified and Cache-Control. Each entry names the dependency keys it was rendered
// from ("asset:12", "list:transcripts:en", …: the caller chooses them); Invalidate() removes
// exactly the entries that depend on a changed key. Memory is bounded in bytes (every variant
// counted) with least-recently-used eviction.
//
// Freshness: every Insert carries the change sequence its render read (its generation), every
// Invalidate the sequence of the change it reports. An insert whose generation is older than an
// invalidation already applied to one of its dependency keys is refused, so a render that raced
// a publish can never be cached after that publish's invalidation.
//
// Eviction is least-recently-used by a logical clock: each use stamps the entry with a new tick
// (relaxed atomics), and a min-heap of (tick, weak reference to the entry's slot), touched only by
// inserts, finds the oldest; an entry used since it was pushed is pushed again with its new tick
// (a lazy heap). The heap never keeps an entry alive: one invalidated or replaced is freed as soon
// as no response is writing it (the byte bound counts only the entries the cache answers with). An
// entry already among the most recent sixteenth is not restamped, so a hot page costs no shared
// write; with few entries (and on one thread) the order is exact.
//
// Thread-safety: every method may be called from any thread. Insert, Invalidate and eviction are
// serialised by one mutex (they follow a render or a change, which cost far more) and take one of
// 16 shards' exclusive lock only to edit its map. Entries are immutable: a response may keep
// writing one after it was evicted.
//
// Lookups take no lock and allocate nothing once warm: each reading thread (up to kMaxReaders;
// others use the shards' shared locks throughout) owns a small direct-mapped table of weak
// references to the slots it found before, keyed by the key's hash. A hit locks the weak
// reference (an atomic increment), checks that the slot is still live and has the key, and
// counts the hit in the thread's own counter. Removing a slot (invalidation, replacement,
// eviction) clears its `live` flag before Invalidate or Insert returns, so the very next lookup
// misses the thread's table and asks the shard, whose map no longer has it: invalidation stays
// exact and immediate. A table line that misses (first use, a collision, a removed slot) is
// filled from the shard under its shared lock. The weak references keep at most kReaderLines
// slots' small control blocks per thread alive, never their entries.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "http/compression.h"
#include "http/message.h"

namespace assetpub::cache {

// The cache keeps and answers the transport's messages.
using http::ContentCoding;
using http::HeaderList;
using http::Request;
using http::Response;

// Cache-Control for each kind of cached page. The server-side cache is never stale (it is
// invalidated on publish); these bound how long a browser or a proxy may reuse a page without
// asking again (and then it asks with If-None-Match, answered by a 304 when nothing changed).
// Lists change with every publish, items rarely, sitemaps are read by crawlers on their own
// schedule.
inline constexpr std::string_view kCacheControlItemPage = "public, max-age=60";
inline constexpr std::string_view kCacheControlListPage = "public, max-age=15";
inline constexpr std::string_view kCacheControlFeed = "public, max-age=300";
inline constexpr std::string_view kCacheControlSitemap = "public, max-age=3600";

class ResponseCache {
 public:
  // What the caller rendered: the page as a 200 would send it.
  struct EntryParts {
    std::string body;          // the identity bytes
    std::string content_type;  // "text/html; charset=utf-8", "application/atom+xml", …
    // Other headers of the 200 (Content-Language, Link…). Not Content-Encoding, ETag,
    // Last-Modified, Cache-Control or Vary: the cache sets those.
    HeaderList headers;
    std::string cache_control;  // one of the kCacheControl… values, or another
    // When what the page shows last changed (the newest updated_at among its items, say); sent
    // as Last-Modified, to the second.
    std::chrono::system_clock::time_point last_modified;
  };

  // One cached page. Immutable once made; shared by the cache and every response writing it.
  struct Entry {
    std::string content_type;
    HeaderList headers;
    std::string cache_control;
    std::string identity;  // the page's bytes
    std::string gzip;      // empty when not offered (a tiny body, or compression did not help)
    std::string brotli;    // likewise
    // Strong validators, quoted: `"<hash>-<size>"` for identity (a 64-bit hash of the identity
    // bytes and their length, in hex), and that with "-gz" / "-br" for the compressed variants
    // (different bytes are different representations, RFC 9110 §8.8.3). If-None-Match matches
    // any of the three.
    std::string etag;
    std::string etag_gzip;
    std::string etag_brotli;
    std::chrono::sys_seconds last_modified{};
    std::string last_modified_text;  // as an HTTP-date (IMF-fixdate)
    std::vector<std::string> dependencies;
    int64_t generation = 0;
    size_t bytes = 0;  // what the entry counts against the cache's bound (all variants, headers)

    http::AvailableCodings codings() const { return {!gzip.empty(), !brotli.empty()}; }
    // The body and ETag of the variant in `coding` (identity's when that variant is absent).
    const std::string& Body(ContentCoding coding) const;
    const std::string& ETag(ContentCoding coding) const;
  };

  struct Options {
    size_t max_bytes = size_t{256} << 20;
    // Measured on 40 kB pages (docs/performance.md, "Response cache"): gzip 9 costs 1.5× the
    // time of 6 for 0.3% less; brotli 9 costs ~17× the time of 5 for 1.4% less, and 11 ~60×
    // for 5–15% less. A miss pays this on top of its render, and every publish causes misses.
    int gzip_level = 6;
    int brotli_quality = 5;
    // Bodies smaller than this are kept as identity only; so is a variant that saves less than
    // 1/16 of the bytes.
    size_t min_compress_size = 256;
  };

  struct InsertResult {
    std::shared_ptr<const Entry> entry;  // never null: answer the request with it either way
    bool stored = false;  // false: refused (stale, older than the cached one, too large)
  };

  // Counters for /metrics. Each is read atomically, the set is not a snapshot.
  struct Stats {
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t inserts = 0;
    uint64_t refused =
        0;  // inserts refused: stale generation, older than the cached one, too large
    uint64_t evictions = 0;
    uint64_t invalidations = 0;  // entries removed by Invalidate / InvalidateAll
    size_t bytes = 0;
    size_t entries = 0;
    size_t max_bytes = 0;
  };

  explicit ResponseCache(size_t max_bytes) : ResponseCache(Options{.max_bytes = max_bytes}) {}
  explicit ResponseCache(const Options& options);
  ResponseCache(const ResponseCache&) = delete;
  ResponseCache& operator=(const ResponseCache&) = delete;
  ~ResponseCache();

  // The entry stored under `key` (the caller's choice: a request's path and significant query,
  // say "/en/assets/slug" or "/en/feed.xml"), or nullptr. Counts a hit or a miss and marks the
  // entry as recently used. Never blocks on a render or a compression. An entry rendered before
  // `min_generation` (its generation is older) is not answered: nullptr, counted as a miss.
  std::shared_ptr<const Entry> Lookup(std::string_view key,
                                      int64_t min_generation = INT64_MIN) const;

  // Makes an entry: compresses `parts.body` (gzip and brotli, outside any lock: this is the
  // expensive part, a millisecond or more for a large page), computes its ETag. Does not store it.
  std::shared_ptr<const Entry> MakeEntry(EntryParts parts, std::vector<std::string> dependencies,
                                         int64_t generation) const;

  // Stores `entry` under `key`, replacing what was there, unless refused: an Invalidate of one of
  // entry->dependencies with a sequence newer than entry->generation already happened (the render
  // may predate that change), the entry under `key` has a newer generation, or the entry alone is
  // larger than the bound. Evicts least-recently-used entries until the cache fits its bound.
  // Returns whether it was stored.
  bool Insert(std::string_view key, std::shared_ptr<const Entry> entry);
  // MakeEntry then Insert. `generation` is the store's latest change sequence read BEFORE the
  // render read any data.
  InsertResult Insert(std::string_view key, EntryParts parts, std::vector<std::string> dependencies,
                      int64_t generation);

  // Reports the change with sequence number `sequence`, which touched what `dependency_keys` name:
  // removes exactly the entries depending on any of them that were rendered before it (generation
  // < sequence; a render with generation >= sequence already shows the change), and refuses from
  // now on inserts that depend on them with a generation older than `sequence`. Returns how many
  // entries it removed.
  size_t Invalidate(const std::vector<std::string>& dependency_keys, int64_t sequence);
  // Removes every entry whatever its generation, and refuses inserts with a generation older than
  // `sequence` (a change whose reach is unknown, say). Returns how many entries it removed.
  size_t InvalidateAll(int64_t sequence);

  Stats stats() const;

 private:
  struct Slot;
  struct Shard;
  struct Reader;
  struct HeapItem {
    uint64_t tick;
    // Weak: a slot the shards no longer have (invalidated, replaced) must not keep its entry
    // alive here, where the byte bound does not count it.
    std::weak_ptr<Slot> slot;
  };
  static constexpr size_t kShards = 16;
  static constexpr size_t kMaxReaders = 64;
  static constexpr size_t kReaderLines = 1024;  // a power of two

  Shard& ShardFor(size_t hash) const;
  Shard& ShardFor(std::string_view key) const;
  // The calling thread's table (claimed on its first lookup), or nullptr when every one of the
  // kMaxReaders tables belongs to another thread.
  Reader* ReaderForThisThread() const;
  void Touch(Slot& slot) const;
  bool IsStaleLocked(const Entry& entry) const;
  // Unlinks `slot` from its shard, the dependency index and the byte count (write_mutex_ held).
  void RemoveLocked(const std::shared_ptr<Slot>& slot, bool still_in_heap);
  void EvictLocked();
  void NoteInvalidationLocked(const std::string& key, int64_t sequence);

  const Options options_;
  // Told apart from caches that lived at the same address before (a thread's memo of its table).
  const uint64_t serial_;
  std::unique_ptr<Shard[]> shards_;
  std::unique_ptr<Reader[]> readers_;  // kMaxReaders, each claimed by one thread for good
  // The LRU clock: bumped when an entry is inserted or used after others were.
  mutable std::atomic<uint64_t> clock_{0};

  // Serialises every change (insert, invalidate, evict). Guards the members below it.
  std::mutex write_mutex_;
  // Min-heap on the tick each slot had when pushed; a popped slot used since is pushed again
  // (lazy LRU: hits never touch the heap). Removed slots' items stay until popped or compacted,
  // holding no entry (weak references).
  std::vector<HeapItem> heap_;
  size_t dead_in_heap_ = 0;
  std::unordered_map<std::string, std::unordered_set<Slot*>> dependents_;
  // The newest invalidation sequence per dependency key; past kMaxWatermarks keys, the map is
  // folded into invalidated_floor_ (refusing a little more than needed, never less).
  std::unordered_map<std::string, int64_t> invalidated_at_;
  int64_t invalidated_floor_ = INT64_MIN;

  std::atomic<size_t> bytes_{0};
  std::atomic<size_t> entries_{0};
  std::atomic<uint64_t> inserts_{0};
  std::atomic<uint64_t> refused_{0};
  std::atomic<uint64_t> evictions_{0};
  std::atomic<uint64_t> invalidations_{0};
};

// What to answer from a cached entry: a 200 with the negotiated variant, or a 304.
struct CachedAnswer {
  int status = 200;
  ContentCoding coding = ContentCoding::kIdentity;
  std::string_view body;  // into the entry (keep it alive while writing); empty for a 304
};

// The answer to `request` (GET or HEAD) from `entry`, without allocating: 304 when If-None-Match
// lists one of the entry's ETags (weak comparison, "W/" ignored, "*" matches) or, only when there
// is no If-None-Match, when If-Modified-Since is a valid HTTP-date at or after Last-Modified;
// otherwise 200 with the variant ChooseEncoding picks from Accept-Encoding. Other methods get
// the 200 (conditional GET rules do not apply to them).
CachedAnswer ChooseCachedAnswer(const ResponseCache::Entry& entry, const Request& request);

// The headers of `answer`: for a 200 Content-Type, the entry's other headers and Content-Encoding
// (not for identity); for both 200 and 304 ETag (the variant's), Last-Modified, Cache-Control
// and Vary: Accept-Encoding. Content-Length is the server's business.
void AppendCachedHeaders(const ResponseCache::Entry& entry, const CachedAnswer& answer,
                         HeaderList& headers);

// The same headers as "Name: value\r\n" lines appended to `out` (for a server that writes the
// header block itself; no allocation beyond `out` growing).
void AppendCachedHeaderLines(const ResponseCache::Entry& entry, const CachedAnswer& answer,
                             std::string& out);

// ChooseCachedAnswer and AppendCachedHeaders as a Response (copying the body: for tests and
// callers that need a Response; a server can write answer.body from the entry instead).
Response BuildCachedResponse(const ResponseCache::Entry& entry, const Request& request);

// `time` as an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").
std::string FormatHttpDate(std::chrono::sys_seconds time);
// An HTTP-date in any of the three forms RFC 9110 §5.6.7 requires recipients to accept
// (IMF-fixdate, RFC 850, asctime), or nullopt.
std::optional<std::chrono::sys_seconds> ParseHttpDate(std::string_view text);

}  // namespace assetpub::cache
