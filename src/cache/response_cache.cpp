#include "cache/response_cache.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <functional>
#include <shared_mutex>

#include "core/error.h"

namespace assetpub::cache {
namespace {

// What an entry costs besides its strings: the Entry, its slot, the map node, the heap item.
constexpr size_t kEntryOverhead = 512;
// Past this many per-key invalidation marks, they are folded into one floor (bounded memory).
constexpr size_t kMaxWatermarks = size_t{1} << 16;

struct KeyHash {
  using is_transparent = void;
  size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
};

void AppendHex(std::string& out, uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  char text[16];
  int size = 0;
  do {
    text[size++] = kDigits[value & 15];
    value >>= 4;
  } while (value != 0);
  while (size > 0) out.push_back(text[--size]);
}

std::string ETagOf(std::string_view body) {
  // std::hash of a string_view is libstdc++'s 64-bit Murmur hash: stable for one binary, which
  // is what several nodes behind one balancer run. The length makes a collision rarer still.
  std::string tag = "\"";
  const uint64_t hash = std::hash<std::string_view>{}(body);
  // Fixed width so that tags sort and read alike.
  for (int shift = 60; shift >= 0; shift -= 4)
    tag.push_back("0123456789abcdef"[(hash >> shift) & 15]);
  tag.push_back('-');
  AppendHex(tag, body.size());
  tag.push_back('"');
  return tag;
}

std::string WithSuffix(const std::string& tag, std::string_view suffix) {
  std::string out = tag.substr(0, tag.size() - 1);
  out += suffix;
  out.push_back('"');
  return out;
}

// The compressed variant if it is worth sending, else "".
std::string Worthwhile(std::string compressed, size_t identity_size) {
  if (compressed.size() >= identity_size - identity_size / 16) return {};
  return compressed;
}

// The value of the request's header `name`; several field lines are joined with ", " (RFC 9110
// §5.3), which allocates only in that rare case. `joined` holds the joined text.
std::string_view HeaderValue(const Request& request, std::string_view name, std::string& joined,
                             int* count = nullptr) {
  std::string_view first;
  int found = 0;
  for (const auto& [key, value] : request.headers) {
    if (!http::EqualsIgnoreCase(key, name)) continue;
    if (++found == 1) {
      first = value;
    } else {
      if (found == 2) joined = std::string(first);
      joined += ", ";
      joined += value;
    }
  }
  if (count != nullptr) *count = found;
  return found > 1 ? std::string_view(joined) : first;
}

// Whether the If-None-Match value `list` names one of `entry`'s tags (weak comparison).
bool NoneMatchHits(std::string_view list, const ResponseCache::Entry& entry) {
  size_t i = 0;
  while (i < list.size()) {
    const char c = list[i];
    if (c == ' ' || c == '\t' || c == ',') {
      ++i;
      continue;
    }
    if (c == '*') return true;
    if (c == 'W' && i + 1 < list.size() && list[i + 1] == '/') i += 2;
    if (i < list.size() && list[i] == '"') {
      const size_t close = list.find('"', i + 1);
      if (close == std::string_view::npos) return false;  // unterminated: match nothing
      const std::string_view tag = list.substr(i, close - i + 1);
      if (tag == entry.etag || tag == entry.etag_gzip || tag == entry.etag_brotli) return true;
      i = close + 1;
    } else {
      // Not an entity-tag (some clients send bare tokens): skip to the next element.
      const size_t comma = list.find(',', i);
      if (comma == std::string_view::npos) return false;
      i = comma + 1;
    }
  }
  return false;
}

constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int MonthIndex(std::string_view name) {
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == name) return static_cast<int>(i) + 1;
  }
  return -1;
}

// Reads `digits` decimal digits at text[at]; -1 if they are not all digits.
int Digits(std::string_view text, size_t at, size_t digits) {
  if (at + digits > text.size()) return -1;
  int value = 0;
  for (size_t i = at; i < at + digits; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// "HH:MM:SS" at text[at], as seconds; -1 when malformed.
int TimeOfDay(std::string_view text, size_t at) {
  if (at + 8 > text.size() || text[at + 2] != ':' || text[at + 5] != ':') return -1;
  const int hours = Digits(text, at, 2);
  const int minutes = Digits(text, at + 3, 2);
  const int seconds = Digits(text, at + 6, 2);
  if (hours < 0 || minutes < 0 || seconds < 0 || hours > 23 || minutes > 59 || seconds > 60) {
    return -1;
  }
  return hours * 3600 + minutes * 60 + seconds;
}

std::optional<std::chrono::sys_seconds> MakeTime(int year, int month, int day, int seconds) {
  if (year < 0 || month < 1 || day < 1 || seconds < 0) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date) + std::chrono::seconds(seconds);
}

}  // namespace

struct ResponseCache::Slot {
  std::shared_ptr<const Entry> entry;
  std::string key;
  size_t charge = 0;                   // entry->bytes + the key
  std::atomic<uint64_t> last_used{0};  // clock_ when last inserted or used
  // Written under write_mutex_ (cleared once, before the slot leaves its shard's map); read
  // without a lock by the readers' tables.
  std::atomic<bool> live{true};
};

struct alignas(64) ResponseCache::Shard {
  mutable std::shared_mutex mutex;
  std::unordered_map<std::string, std::shared_ptr<Slot>, KeyHash, std::equal_to<>> map;
  // Per shard, so that hits on different shards do not share a cache line.
  mutable std::atomic<uint64_t> hits{0};
  mutable std::atomic<uint64_t> misses{0};
};

// One thread's table of the slots it found (see the header's "Lookups"). Only the owning thread
// touches `lines`; `hits` is written by it alone and read by stats().
struct alignas(64) ResponseCache::Reader {
  struct Line {
    size_t hash = 0;
    std::weak_ptr<Slot> slot;
  };
  std::atomic<uint64_t> owner{0};  // the owning thread's token; 0 while unclaimed
  std::atomic<uint64_t> hits{0};
  std::unique_ptr<Line[]> lines;  // kReaderLines, made by the owner when it claims the table
};

namespace {

std::atomic<uint64_t> next_serial{1};

// A process-unique number for the calling thread (never 0).
uint64_t ThreadToken() {
  static std::atomic<uint64_t> next{1};
  thread_local const uint64_t token = next.fetch_add(1, std::memory_order_relaxed);
  return token;
}

}  // namespace

const std::string& ResponseCache::Entry::Body(ContentCoding coding) const {
  if (coding == ContentCoding::kGzip && !gzip.empty()) return gzip;
  if (coding == ContentCoding::kBrotli && !brotli.empty()) return brotli;
  return identity;
}

const std::string& ResponseCache::Entry::ETag(ContentCoding coding) const {
  if (coding == ContentCoding::kGzip && !gzip.empty()) return etag_gzip;
  if (coding == ContentCoding::kBrotli && !brotli.empty()) return etag_brotli;
  return etag;
}

ResponseCache::ResponseCache(const Options& options)
    : options_(options),
      serial_(next_serial.fetch_add(1, std::memory_order_relaxed)),
      shards_(std::make_unique<Shard[]>(kShards)),
      readers_(std::make_unique<Reader[]>(kMaxReaders)) {}

ResponseCache::~ResponseCache() = default;

ResponseCache::Shard& ResponseCache::ShardFor(size_t hash) const {
  // The top bits: the map's buckets (and the readers' lines) use the low ones.
  return shards_[(hash >> 52) % kShards];
}

ResponseCache::Shard& ResponseCache::ShardFor(std::string_view key) const {
  return ShardFor(KeyHash{}(key));
}

ResponseCache::Reader* ResponseCache::ReaderForThisThread() const {
  // The last table this thread used, remembered with its cache's serial (a cache made later at
  // the same address has another).
  thread_local uint64_t memo_serial = 0;
  thread_local Reader* memo = nullptr;
  if (memo_serial == serial_) return memo;
  const uint64_t me = ThreadToken();
  Reader* found = nullptr;
  for (size_t i = 0; i < kMaxReaders && found == nullptr; ++i) {
    if (readers_[i].owner.load(std::memory_order_acquire) == me) found = &readers_[i];
  }
  for (size_t i = 0; i < kMaxReaders && found == nullptr; ++i) {
    uint64_t expected = 0;
    if (readers_[i].owner.compare_exchange_strong(expected, me, std::memory_order_acq_rel)) {
      found = &readers_[i];
      found->lines = std::make_unique<Reader::Line[]>(kReaderLines);
    }
  }
  memo_serial = serial_;
  memo = found;
  return found;
}

void ResponseCache::Touch(Slot& slot) const {
  // Exact LRU would bump the shared clock on every hit. An entry used within the last
  // entries/16 ticks is among the most recent sixteenth anyway, far from eviction, so it is
  // left alone: hot pages then cost no write to shared memory (the clock or the slot). With
  // fewer than 16 entries the order is exact.
  const uint64_t now = clock_.load(std::memory_order_relaxed);
  const uint64_t last = slot.last_used.load(std::memory_order_relaxed);
  const uint64_t slack = entries_.load(std::memory_order_relaxed) / 16;
  if (now - last <= slack) return;
  slot.last_used.store(clock_.fetch_add(1, std::memory_order_relaxed) + 1,
                       std::memory_order_relaxed);
}

std::shared_ptr<const ResponseCache::Entry> ResponseCache::Lookup(std::string_view key,
                                                                  int64_t min_generation) const {
  const size_t hash = KeyHash{}(key);
  Reader* reader = ReaderForThisThread();
  Reader::Line* line = reader != nullptr ? &reader->lines[hash & (kReaderLines - 1)] : nullptr;
  if (line != nullptr && line->hash == hash) {
    // Lock-free: a slot still live is still in its shard's map (see the header).
    std::shared_ptr<Slot> slot = line->slot.lock();
    if (slot && slot->live.load(std::memory_order_acquire) && slot->key == key) {
      if (slot->entry->generation < min_generation) {
        ShardFor(hash).misses.fetch_add(1, std::memory_order_relaxed);
        return nullptr;
      }
      Touch(*slot);
      reader->hits.store(reader->hits.load(std::memory_order_relaxed) + 1,
                         std::memory_order_relaxed);
      const Entry* entry = slot->entry.get();
      // Shares the slot's ownership, which holds the entry: no second reference count.
      return std::shared_ptr<const Entry>(std::move(slot), entry);
    }
  }
  Shard& shard = ShardFor(hash);
  std::shared_ptr<const Entry> entry;
  {
    const std::shared_lock lock(shard.mutex);
    const auto it = shard.map.find(key);
    if (it != shard.map.end()) {
      if (line != nullptr) {
        line->hash = hash;
        line->slot = it->second;
      }
      if (it->second->entry->generation >= min_generation) {
        entry = it->second->entry;
        Touch(*it->second);
      }
    }
  }
  (entry ? shard.hits : shard.misses).fetch_add(1, std::memory_order_relaxed);
  return entry;
}

std::shared_ptr<const ResponseCache::Entry> ResponseCache::MakeEntry(
    EntryParts parts, std::vector<std::string> dependencies, int64_t generation) const {
  auto entry = std::make_shared<Entry>();
  entry->content_type = std::move(parts.content_type);
  entry->headers = std::move(parts.headers);
  entry->cache_control = std::move(parts.cache_control);
  entry->identity = std::move(parts.body);
  const size_t size = entry->identity.size();
  if (size >= options_.min_compress_size) {
    entry->gzip = Worthwhile(http::GzipCompress(entry->identity, options_.gzip_level), size);
    entry->brotli =
        Worthwhile(http::BrotliCompress(entry->identity, options_.brotli_quality), size);
  }
  entry->etag = ETagOf(entry->identity);
  entry->etag_gzip = WithSuffix(entry->etag, "-gz");
  entry->etag_brotli = WithSuffix(entry->etag, "-br");
  entry->last_modified = std::chrono::floor<std::chrono::seconds>(parts.last_modified);
  entry->last_modified_text = FormatHttpDate(entry->last_modified);
  entry->dependencies = std::move(dependencies);
  entry->generation = generation;
  size_t bytes = kEntryOverhead + entry->content_type.size() + entry->cache_control.size() +
                 entry->identity.size() + entry->gzip.size() + entry->brotli.size() +
                 entry->etag.size() * 3 + entry->last_modified_text.size();
  for (const auto& [name, value] : entry->headers) bytes += name.size() + value.size();
  for (const std::string& key : entry->dependencies) bytes += key.size();
  entry->bytes = bytes;
  return entry;
}

bool ResponseCache::IsStaleLocked(const Entry& entry) const {
  if (entry.generation < invalidated_floor_) return true;
  return std::ranges::any_of(entry.dependencies, [&](const std::string& key) {
    const auto it = invalidated_at_.find(key);
    return it != invalidated_at_.end() && it->second > entry.generation;
  });
}

bool ResponseCache::Insert(std::string_view key, std::shared_ptr<const Entry> entry) {
  assert(entry != nullptr);
  const size_t charge = entry->bytes + key.size();
  const std::lock_guard write_lock(write_mutex_);
  if (charge > options_.max_bytes || IsStaleLocked(*entry)) {
    refused_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  Shard& shard = ShardFor(key);
  std::shared_ptr<Slot> previous;
  if (const auto it = shard.map.find(key); it != shard.map.end()) {
    // Reading the map needs no shard lock here: only holders of write_mutex_ change it.
    if (it->second->entry->generation > entry->generation) {
      refused_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    previous = it->second;
  }
  if (previous) RemoveLocked(previous, true);

  auto slot = std::make_shared<Slot>();
  slot->entry = std::move(entry);
  slot->key = std::string(key);
  slot->charge = charge;
  const uint64_t tick = clock_.fetch_add(1, std::memory_order_relaxed) + 1;
  slot->last_used.store(tick, std::memory_order_relaxed);
  for (const std::string& dependency : slot->entry->dependencies) {
    dependents_[dependency].insert(slot.get());
  }
  heap_.push_back({tick, slot});
  std::push_heap(heap_.begin(), heap_.end(),
                 [](const HeapItem& a, const HeapItem& b) { return a.tick > b.tick; });
  {
    const std::unique_lock lock(shard.mutex);
    shard.map.insert_or_assign(slot->key, slot);
  }
  bytes_.fetch_add(charge, std::memory_order_relaxed);
  entries_.fetch_add(1, std::memory_order_relaxed);
  inserts_.fetch_add(1, std::memory_order_relaxed);
  EvictLocked();
  return true;
}

ResponseCache::InsertResult ResponseCache::Insert(std::string_view key, EntryParts parts,
                                                  std::vector<std::string> dependencies,
                                                  int64_t generation) {
  InsertResult result;
  result.entry = MakeEntry(std::move(parts), std::move(dependencies), generation);
  result.stored = Insert(key, result.entry);
  return result;
}

void ResponseCache::RemoveLocked(const std::shared_ptr<Slot>& slot, bool still_in_heap) {
  if (!slot->live.load(std::memory_order_relaxed)) return;
  // Before the slot leaves the map: readers' tables stop answering with it from now on.
  slot->live.store(false, std::memory_order_release);
  if (still_in_heap) ++dead_in_heap_;
  Shard& shard = ShardFor(slot->key);
  {
    const std::unique_lock lock(shard.mutex);
    const auto it = shard.map.find(slot->key);
    if (it != shard.map.end() && it->second == slot) shard.map.erase(it);
  }
  for (const std::string& dependency : slot->entry->dependencies) {
    const auto it = dependents_.find(dependency);
    if (it == dependents_.end()) continue;
    it->second.erase(slot.get());
    if (it->second.empty()) dependents_.erase(it);
  }
  bytes_.fetch_sub(slot->charge, std::memory_order_relaxed);
  entries_.fetch_sub(1, std::memory_order_relaxed);
}

void ResponseCache::EvictLocked() {
  const auto later = [](const HeapItem& a, const HeapItem& b) { return a.tick > b.tick; };
  while (bytes_.load(std::memory_order_relaxed) > options_.max_bytes && !heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    HeapItem item = std::move(heap_.back());
    heap_.pop_back();
    const std::shared_ptr<Slot> slot = item.slot.lock();
    if (!slot || !slot->live.load(std::memory_order_relaxed)) {
      --dead_in_heap_;
      continue;
    }
    const uint64_t used = slot->last_used.load(std::memory_order_relaxed);
    if (used > item.tick) {
      // Used since it was pushed: it goes back with its new tick (second chance, exactly LRU).
      heap_.push_back({used, std::move(item.slot)});
      std::push_heap(heap_.begin(), heap_.end(), later);
      continue;
    }
    RemoveLocked(slot, false);
    evictions_.fetch_add(1, std::memory_order_relaxed);
  }
  // Invalidated and replaced slots linger in the heap until popped: compact when they dominate.
  if (dead_in_heap_ > 1024 && dead_in_heap_ > heap_.size() / 2) {
    std::erase_if(heap_, [](const HeapItem& item) {
      const std::shared_ptr<Slot> slot = item.slot.lock();
      return !slot || !slot->live.load(std::memory_order_relaxed);
    });
    std::make_heap(heap_.begin(), heap_.end(), later);
    dead_in_heap_ = 0;
  }
}

void ResponseCache::NoteInvalidationLocked(const std::string& key, int64_t sequence) {
  if (sequence <= invalidated_floor_) return;
  if (invalidated_at_.size() >= kMaxWatermarks && !invalidated_at_.contains(key)) {
    // Folding refuses inserts older than the newest mark even for keys that were never
    // invalidated that late: a few extra misses, never a stale page.
    for (const auto& [ignored, mark] : invalidated_at_) {
      invalidated_floor_ = std::max(invalidated_floor_, mark);
    }
    invalidated_at_.clear();
    if (sequence <= invalidated_floor_) return;
  }
  int64_t& mark = invalidated_at_.try_emplace(key, sequence).first->second;
  mark = std::max(mark, sequence);
}

size_t ResponseCache::Invalidate(const std::vector<std::string>& dependency_keys,
                                 int64_t sequence) {
  const std::lock_guard write_lock(write_mutex_);
  size_t removed = 0;
  std::vector<std::shared_ptr<Slot>> doomed;
  for (const std::string& key : dependency_keys) {
    NoteInvalidationLocked(key, sequence);
    const auto it = dependents_.find(key);
    if (it == dependents_.end()) continue;
    doomed.clear();
    for (Slot* slot : it->second) {
      // A render that read the sequence at or after this change already shows it (the change
      // follower may run behind the handlers): keep it.
      if (slot->entry->generation >= sequence) continue;
      // The shard's map owns the slot; take a reference before RemoveLocked drops it.
      Shard& shard = ShardFor(slot->key);
      doomed.push_back(shard.map.find(slot->key)->second);
    }
    // RemoveLocked edits dependents_ (possibly erasing `it`): iterate over the copy.
    for (const auto& slot : doomed) {
      RemoveLocked(slot, true);
      ++removed;
    }
  }
  invalidations_.fetch_add(removed, std::memory_order_relaxed);
  return removed;
}

size_t ResponseCache::InvalidateAll(int64_t sequence) {
  const std::lock_guard write_lock(write_mutex_);
  invalidated_floor_ = std::max(invalidated_floor_, sequence);
  invalidated_at_.clear();
  size_t removed = 0;
  for (size_t i = 0; i < kShards; ++i) {
    Shard& shard = shards_[i];
    std::vector<std::shared_ptr<Slot>> doomed;
    doomed.reserve(shard.map.size());
    for (const auto& [key, slot] : shard.map) doomed.push_back(slot);
    for (const auto& slot : doomed) RemoveLocked(slot, true);
    removed += doomed.size();
  }
  invalidations_.fetch_add(removed, std::memory_order_relaxed);
  return removed;
}

ResponseCache::Stats ResponseCache::stats() const {
  Stats stats;
  for (size_t i = 0; i < kShards; ++i) {
    stats.hits += shards_[i].hits.load(std::memory_order_relaxed);
    stats.misses += shards_[i].misses.load(std::memory_order_relaxed);
  }
  for (size_t i = 0; i < kMaxReaders; ++i) {
    stats.hits += readers_[i].hits.load(std::memory_order_relaxed);
  }
  stats.inserts = inserts_.load(std::memory_order_relaxed);
  stats.refused = refused_.load(std::memory_order_relaxed);
  stats.evictions = evictions_.load(std::memory_order_relaxed);
  stats.invalidations = invalidations_.load(std::memory_order_relaxed);
  stats.bytes = bytes_.load(std::memory_order_relaxed);
  stats.entries = entries_.load(std::memory_order_relaxed);
  stats.max_bytes = options_.max_bytes;
  return stats;
}

CachedAnswer ChooseCachedAnswer(const ResponseCache::Entry& entry, const Request& request) {
  CachedAnswer answer;
  std::string joined;
  answer.coding =
      http::ChooseEncoding(HeaderValue(request, "Accept-Encoding", joined), entry.codings());
  const bool conditional = request.method == "GET" || request.method == "HEAD";
  if (conditional) {
    int none_match_count = 0;
    const std::string_view none_match =
        HeaderValue(request, "If-None-Match", joined, &none_match_count);
    if (none_match_count > 0) {
      // If-None-Match present: If-Modified-Since is ignored (RFC 9110 §13.2.2).
      if (NoneMatchHits(none_match, entry)) answer.status = 304;
    } else {
      int since_count = 0;
      const std::string_view since =
          HeaderValue(request, "If-Modified-Since", joined, &since_count);
      if (since_count == 1) {
        const auto time = ParseHttpDate(since);
        if (time && entry.last_modified <= *time) answer.status = 304;
      }
    }
  }
  if (answer.status == 200) answer.body = entry.Body(answer.coding);
  return answer;
}

void AppendCachedHeaders(const ResponseCache::Entry& entry, const CachedAnswer& answer,
                         HeaderList& headers) {
  if (answer.status == 200) {
    headers.emplace_back("Content-Type", entry.content_type);
    for (const auto& header : entry.headers) headers.push_back(header);
    if (answer.coding != ContentCoding::kIdentity) {
      headers.emplace_back("Content-Encoding", std::string(http::ContentCodingName(answer.coding)));
    }
  }
  headers.emplace_back("ETag", entry.ETag(answer.coding));
  headers.emplace_back("Last-Modified", entry.last_modified_text);
  headers.emplace_back("Cache-Control", entry.cache_control);
  headers.emplace_back("Vary", "Accept-Encoding");
}

void AppendCachedHeaderLines(const ResponseCache::Entry& entry, const CachedAnswer& answer,
                             std::string& out) {
  const auto line = [&out](std::string_view name, std::string_view value) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  };
  if (answer.status == 200) {
    line("Content-Type", entry.content_type);
    for (const auto& [name, value] : entry.headers) line(name, value);
    if (answer.coding != ContentCoding::kIdentity) {
      line("Content-Encoding", http::ContentCodingName(answer.coding));
    }
  }
  line("ETag", entry.ETag(answer.coding));
  line("Last-Modified", entry.last_modified_text);
  line("Cache-Control", entry.cache_control);
  line("Vary", "Accept-Encoding");
}

Response BuildCachedResponse(const ResponseCache::Entry& entry, const Request& request) {
  const CachedAnswer answer = ChooseCachedAnswer(entry, request);
  Response response;
  response.status = answer.status;
  response.headers.reserve(entry.headers.size() + 6);
  AppendCachedHeaders(entry, answer, response.headers);
  response.body = std::string(answer.body);
  return response;
}

std::string FormatHttpDate(std::chrono::sys_seconds time) {
  const auto days = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day date(days);
  const std::chrono::hh_mm_ss clock(time - days);
  const unsigned weekday = std::chrono::weekday(days).c_encoding();
  const auto two = [](std::string& out, long value) {
    out.push_back(static_cast<char>('0' + value / 10 % 10));
    out.push_back(static_cast<char>('0' + value % 10));
  };
  std::string text;
  text.reserve(29);
  text += kDays[weekday];
  text += ", ";
  two(text, static_cast<unsigned>(date.day()));
  text.push_back(' ');
  text += kMonths[static_cast<unsigned>(date.month()) - 1];
  text.push_back(' ');
  const int year = static_cast<int>(date.year());
  two(text, year / 100);
  two(text, year % 100);
  text.push_back(' ');
  two(text, clock.hours().count());
  text.push_back(':');
  two(text, clock.minutes().count());
  text.push_back(':');
  two(text, clock.seconds().count());
  text += " GMT";
  return text;
}

std::optional<std::chrono::sys_seconds> ParseHttpDate(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  const size_t comma = text.find(',');
  if (comma == 3) {
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
    if (text.size() != 29 || text.substr(25) != " GMT" || text[4] != ' ' || text[7] != ' ' ||
        text[11] != ' ' || text[16] != ' ') {
      return std::nullopt;
    }
    return MakeTime(Digits(text, 12, 4), MonthIndex(text.substr(8, 3)), Digits(text, 5, 2),
                    TimeOfDay(text, 17));
  }
  if (comma != std::string_view::npos) {
    // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT".
    const std::string_view rest = text.substr(comma + 1);
    if (rest.size() != 23 || rest[0] != ' ' || rest[3] != '-' || rest[7] != '-' ||
        rest[10] != ' ' || rest.substr(19) != " GMT") {
      return std::nullopt;
    }
    const int yy = Digits(rest, 8, 2);
    if (yy < 0) return std::nullopt;
    // Two-digit years: RFC 9110 reads one more than 50 years ahead as the past century.
    const int year = yy + (yy < 70 ? 2000 : 1900);
    return MakeTime(year, MonthIndex(rest.substr(4, 3)), Digits(rest, 1, 2), TimeOfDay(rest, 11));
  }
  // asctime: "Sun Nov  6 08:49:37 1994".
  if (text.size() != 24 || text[3] != ' ' || text[7] != ' ' || text[10] != ' ' || text[19] != ' ') {
    return std::nullopt;
  }
  const int day = text[8] == ' ' ? Digits(text, 9, 1) : Digits(text, 8, 2);
  return MakeTime(Digits(text, 20, 4), MonthIndex(text.substr(4, 3)), day, TimeOfDay(text, 11));
}

}  // namespace assetpub::cache
