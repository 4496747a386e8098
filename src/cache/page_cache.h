#pragma once
// PageCache decides which public pages the ResponseCache keeps, under which key and depending on
// what, and keeps them exact by following the store's changes log.
//
// Cached: 200 answers to GET/HEAD without Authorization or the session cookie of item pages (with
// their ?compare= and ?print= views), publisher pages (home, configured lists, people and tag
// lists, with ?page=), their RSS/Atom feeds, /sitemap.xml and /sitemaps/*. Any other query
// parameter, a list sorted by views or with a last-days window (they change without a change in the
// log), and every other path are not cached.
//
// Dependency keys (ResponseCache's): an item page of X depends on "asset:X", "asset:R" for each
// related id R it shows, "asset:B" for each asset B that lists X as related, and "refs:X" (an
// asset starting to list X). A list page, a feed or a sitemap depends on its list's key:
// "list:ID:LANG" for a configured publisher, "tag:SLUG:LANG" / "person:SLUG:LANG" for an
// implicit list, "sitemap" for sitemaps (LANG is the primary subtag).
//
// Invalidation: a change of asset X (a put or a delete) removes "asset:X", "refs:R" for each R
// that X lists as related now, and every list key X's state matches now or matched before. The
// state before is a per-asset summary kept in memory: the list keys it matched (interned, a few
// bytes an asset), loaded by LoadSummaries() at start and updated with every change applied. List
// pages are not cached until LoadSummaries() has finished (their invalidation needs it).
//
// Catching up reads each changed asset's state now, which may already be a later change's: if
// X changed twice between two catch-ups, a list page rendered in between may show X in a state
// the catch-up never sees, matching a list key that neither the state before nor the latest
// state matches. So when the store has a change newer than the one being applied (the state read
// may be a later one), every list page, feed and sitemap rendered before that newer change is
// no longer answered (lists_from_ moves up) and is rendered again on its next request. With one
// change per catch-up (this process's writers call CatchUp() right after their commit through
// ChangeNotifier) nothing more is dropped than the change's own keys; bursts from other
// processes (CacheFollower polls every 200 ms) cost a re-render of the lists.
//
// Staying current (several nodes): once a CacheFollower follows the cache (Follow()), an entry
// is answered only while the cache has confirmed, within the last kConfirmedFor, that it had
// applied every change in the store: CatchUp() confirms as of its start, a WaitForChange() that
// found nothing as of its call. A node that has not been able to confirm (it was paused, its
// follower is stuck behind a burst or still loading the summaries) renders afresh, so it does
// not answer pages older than a write another node acknowledged more than that long ago. When
// following fails because the store is away, entries are still answered: the store could not
// render anything newer, and the pages are what the site last had.
//
// Thread-safety: every method may be called from any thread; CatchUp() and LoadSummaries()
// serialise on one mutex.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cache/response_cache.h"
#include "content/asset.h"
#include "core/config.h"
#include "http/message.h"
#include "publish/publisher.h"
#include "render/renderer.h"
#include "store/store.h"

namespace assetpub::cache {

class PageCache {
 public:
  enum class Kind { kItem, kList, kFeed, kSitemap };

  // How a request would be cached.
  struct Plan {
    Kind kind = Kind::kItem;
    std::string key;       // the cache key: the path and the significant query parameters
    int64_t asset_id = 0;  // kItem: the asset shown
    std::string list_key;  // kList, kFeed: "list:ID:LANG", …; kSitemap: "sitemap"
  };

  // `store`, `renderer` and `publishers` must outlive the PageCache. `max_bytes` > 0.
  PageCache(store::Store& store, const render::Renderer& renderer,
            const publish::Publishers& publishers, size_t max_bytes);
  PageCache(const PageCache&) = delete;
  PageCache& operator=(const PageCache&) = delete;

  // The plan for `request`, or nullopt when it must not be served from or stored in the cache.
  // Does not touch the store.
  std::optional<Plan> Classify(const Request& request) const;
  // The same into `plan` (true: cacheable), reusing its strings' storage: a caller that keeps
  // one Plan per thread classifies a hit without allocating. `plan` is unspecified when false.
  bool Classify(const Request& request, Plan& plan) const;

  // How long a confirmation that the cache has every change lasts (see "Staying current"): the
  // step from a write on one node to its pages on every node is at most about this.
  static constexpr std::chrono::milliseconds kConfirmedFor{1000};

  // The cached entry for `plan`, or nullptr (counted as a hit or a miss; not counted, but as
  // unconfirmed(), when the cache is not known to be current). A list page, feed or sitemap
  // rendered before lists_from_ is not answered (see "Catching up" above).
  std::shared_ptr<const ResponseCache::Entry> Lookup(const Plan& plan) const {
    if (followed_.load(std::memory_order_relaxed) && !Confirmed()) {
      unconfirmed_.fetch_add(1, std::memory_order_relaxed);
      return nullptr;
    }
    return cache_.Lookup(plan.key, plan.kind == Kind::kItem
                                       ? INT64_MIN
                                       : lists_from_.load(std::memory_order_acquire));
  }

  // From now on entries are answered only while the cache is confirmed current, for
  // `confirmed_for` after each confirmation (CacheFollower calls it; without a follower nothing
  // would confirm it).
  void Follow(std::chrono::milliseconds confirmed_for = kConfirmedFor) {
    confirmed_for_.store(std::chrono::nanoseconds(confirmed_for).count(),
                         std::memory_order_relaxed);
    followed_.store(true, std::memory_order_relaxed);
  }
  // Lookups that rendered afresh because the cache was not confirmed current: for /metrics.
  uint64_t unconfirmed() const { return unconfirmed_.load(std::memory_order_relaxed); }

  // The store's latest change sequence: read it BEFORE rendering a page to Insert. The first
  // call (or CatchUp, LoadSummaries) starts following the log from there: the constructor does
  // not touch the store. Throws what the store throws.
  int64_t Generation();

  // Makes an entry of `response` (a 200 the router rendered for `plan`, with `generation` read
  // before the render) and stores it unless ResponseCache refuses it. Returns the entry to
  // answer with (stored or not); nullptr when the response is not cacheable (not a 200, or
  // dependencies that cannot be known yet).
  std::shared_ptr<const ResponseCache::Entry> Insert(const Plan& plan, const Response& response,
                                                     int64_t generation);

  // Applies the store's changes since the last applied one: invalidates what each touched,
  // updates the summaries. Returns how many changes it applied. Throws what the store throws
  // (the next call retries from the same place).
  int64_t CatchUp();
  // Reads every asset's summary (Store::ForEach) and starts following the changes log from the
  // change it read before; then list pages become cacheable. Throws what the store throws.
  void LoadSummaries();

  // Waits until the store has a change newer than applied() (true) or `deadline` passes (false):
  // Store::WaitForChange, for CacheFollower. False confirms the cache current as of the call.
  bool WaitForChange(std::chrono::steady_clock::time_point deadline);
  // The last change applied (from the store's latest when the cache started; 0 before).
  int64_t applied() const { return applied_.load(std::memory_order_acquire); }
  bool lists_ready() const { return lists_ready_.load(std::memory_order_acquire); }
  ResponseCache& cache() { return cache_; }
  const ResponseCache& cache() const { return cache_; }

  // The list keys `asset` belongs to in its current state (for tests and LoadSummaries).
  std::vector<std::string> ListKeys(const content::Asset& asset) const;

 private:
  std::vector<uint32_t> InternKeys(const std::vector<std::string>& keys);
  // Whether the cache confirmed it current within confirmed_for_, or the store is away.
  bool Confirmed() const;
  // The cache had every change as of `asked` (steady_clock); the store answered.
  void Confirm(std::chrono::steady_clock::time_point asked);
  void ApplyLocked(const store::Change& change);
  void StartLocked();

  store::Store& store_;
  const render::Renderer& renderer_;
  const publish::Publishers& publishers_;
  ResponseCache cache_;
  // Publishers whose pages are not cached (sorted by views, last-days windows).
  std::vector<const publish::Publisher*> uncacheable_;

  std::atomic<bool> followed_{false};
  std::atomic<int64_t> confirmed_for_{std::chrono::nanoseconds(kConfirmedFor).count()};
  // steady_clock nanoseconds as of which the cache last had every change (INT64_MIN: never).
  std::atomic<int64_t> confirmed_at_{INT64_MIN};
  std::atomic<bool> store_away_{false};  // the last attempt to follow failed
  mutable std::atomic<uint64_t> unconfirmed_{0};
  std::atomic<bool> started_{false};
  std::atomic<int64_t> applied_{0};
  std::atomic<bool> lists_ready_{false};
  // List pages rendered from an older generation are refused: the changes before it were
  // applied without their old state.
  std::atomic<int64_t> lists_from_{INT64_MAX};

  // Serialises CatchUp and the end of LoadSummaries; guards the members below it.
  std::mutex follow_mutex_;
  std::unordered_map<std::string, uint32_t> key_ids_;
  std::vector<std::string> key_names_;
  std::unordered_map<int64_t, std::vector<uint32_t>> summaries_;  // asset id -> list key ids
  bool loading_ = false;                               // LoadSummaries is scanning the store
  std::unordered_set<int64_t> touched_while_loading_;  // assets CatchUp summarised meanwhile
};

}  // namespace assetpub::cache
