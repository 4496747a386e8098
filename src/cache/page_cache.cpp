#include "cache/page_cache.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <span>
#include <string_view>
#include <unordered_set>

#include "content/language.h"
#include "content/slug.h"
#include "core/text.h"
#include "http/cookies.h"
#include "http/params.h"
#include "http/router.h"

namespace assetpub::cache {
namespace {

// Changes read from the log per round trip while catching up.
constexpr int64_t kChangeBatch = 1000;

bool IsFeedFile(std::string_view segment) {
  return segment == "feed.rss" || segment == "feed.atom";
}

// Whether `terms` (an asset's) pass `filter`, as the store's Selection filters them.
bool TermsPass(const store::TermFilter& filter, const std::vector<std::string>& terms) {
  const auto has = [&](const std::string& term) {
    return std::find(terms.begin(), terms.end(), term) != terms.end();
  };
  if (!filter.any.empty() && std::none_of(filter.any.begin(), filter.any.end(), has)) {
    return false;
  }
  if (!std::all_of(filter.all.begin(), filter.all.end(), has)) return false;
  return std::none_of(filter.none.begin(), filter.none.end(), has);
}

// Whether `asset` is among what `publisher` selects, in any language (the caller checks
// languages). Mirrors Publisher::SelectionFor: a manual list selects its ids, a dynamic one by
// kind, terms and a fixed date window.
bool Selects(const publish::Publisher& publisher, const content::Asset& asset) {
  if (asset.status != content::Status::kPublished) return false;
  if (publisher.manual_ids) {
    const auto& ids = *publisher.manual_ids;
    return std::find(ids.begin(), ids.end(), asset.id) != ids.end();
  }
  if (!publisher.kinds.empty() && std::find(publisher.kinds.begin(), publisher.kinds.end(),
                                            asset.kind) == publisher.kinds.end()) {
    return false;
  }
  if (!TermsPass(publisher.tags, asset.tags) || !TermsPass(publisher.people, asset.people)) {
    return false;
  }
  static const std::vector<std::string> kNone;
  for (const auto& [vocabulary, filter] : publisher.categories) {
    const auto found = asset.categories.find(vocabulary);
    if (!TermsPass(filter, found == asset.categories.end() ? kNone : found->second)) return false;
  }
  if (publisher.window.from && asset.published_at < *publisher.window.from) return false;
  if (publisher.window.to && !(asset.published_at < *publisher.window.to)) return false;
  return true;
}

bool Cacheable(const publish::Publisher& publisher) {
  if (publisher.window.last_days) return false;  // its selection moves with the clock
  return std::none_of(publisher.order.begin(), publisher.order.end(), [](const auto& order) {
    return order.key == store::SortKey::kViews;  // views reorder it without a change
  });
}

}  // namespace

PageCache::PageCache(store::Store& store, const render::Renderer& renderer,
                     const publish::Publishers& publishers, size_t max_bytes)
    : store_(store), renderer_(renderer), publishers_(publishers), cache_(max_bytes) {
  for (const publish::Publisher& publisher : publishers_.all()) {
    if (!Cacheable(publisher)) uncacheable_.push_back(&publisher);
  }
  if (!Cacheable(publishers_.Home())) uncacheable_.push_back(&publishers_.Home());
}

void PageCache::StartLocked() {
  if (started_.load(std::memory_order_acquire)) return;
  // Nothing was cached before: the changes up to now need not be applied.
  applied_.store(store_.LastChange(), std::memory_order_release);
  started_.store(true, std::memory_order_release);
}

int64_t PageCache::Generation() {
  if (!started_.load(std::memory_order_acquire)) {
    const std::lock_guard lock(follow_mutex_);
    StartLocked();
  }
  return store_.LastChange();
}

std::optional<PageCache::Plan> PageCache::Classify(const Request& request) const {
  Plan plan;
  if (!Classify(request, plan)) return std::nullopt;
  return plan;
}

// Allocates nothing once `plan`'s strings have grown to the keys a thread sees (the hit path).
bool PageCache::Classify(const Request& request, Plan& plan) const {
  if (request.method != "GET" && request.method != "HEAD") return false;
  // A signed-in editor may see other bytes (and must never have theirs shared). Other cookies
  // (a visitor's analytics or consent cookies on the ministry's domain) change nothing the
  // public pages show, so they do not turn the cache off.
  if (request.Header("Authorization") || http::CookieValue(request, http::kSessionCookie))
    return false;
  // No cacheable page has more than four segments.
  std::array<std::string_view, 4> parts;
  const size_t count = http::SplitPath(request.path, parts);
  if (count == 0 || count > parts.size()) return false;
  const std::span<const std::string_view> segments(parts.data(), count);

  // The significant query parameters of each kind of page; any other, or one given twice, makes
  // it uncacheable (it would make the same page under endless keys).
  const auto query_key = [&](std::initializer_list<std::string_view> allowed,
                             std::string& key) -> bool {
    for (const auto& [name, value] : request.query) {
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) return false;
    }
    for (const std::string_view name : allowed) {
      if (std::count_if(request.query.begin(), request.query.end(),
                        [&](const auto& pair) { return pair.first == name; }) > 1) {
        return false;
      }
    }
    // In the allowed order, so that ?a&b and ?b&a share an entry.
    char separator = '?';
    for (const std::string_view name : allowed) {
      for (const auto& [key_name, value] : request.query) {
        if (key_name != name) continue;
        key.push_back(separator);
        key += key_name;
        key.push_back('=');
        key += value;
        separator = '\n';  // cannot occur in a decoded value that reaches a 200 page unescaped
      }
    }
    return true;
  };

  plan.key.assign(request.path);
  plan.asset_id = 0;
  plan.list_key.clear();
  if (segments.size() == 1) {
    if (segments[0] == "sitemap.xml" && request.query.empty()) {
      plan.kind = Kind::kSitemap;
      plan.list_key.assign("sitemap");
      return true;
    }
    return false;
  }
  if (segments[0] == "sitemaps" && segments.size() == 2 && request.query.empty()) {
    plan.kind = Kind::kSitemap;
    plan.list_key.assign("sitemap");
    return true;
  }
  const std::optional<std::string> language = renderer_.FindLanguage(segments[0]);
  if (!language) return false;
  const std::string_view lang = segments[0];  // FindLanguage matched it as a primary subtag

  // Sets plan.list_key to a configured list's key; false when it does not exist here or is not
  // cacheable.
  const auto publisher_key = [&](std::string_view path) -> bool {
    const publish::Publisher* publisher = publishers_.FindByPath(path);
    if (publisher == nullptr || !publisher->HasLanguage(*language)) return false;
    if (std::find(uncacheable_.begin(), uncacheable_.end(), publisher) != uncacheable_.end()) {
      return false;
    }
    plan.list_key.assign("list:");
    plan.list_key += publisher->id;
    plan.list_key.push_back(':');
    plan.list_key += lang;
    return true;
  };

  if (segments.size() == 2) {
    if (IsFeedFile(segments[1])) {  // /{lang}/feed.rss: the home's feed
      if (!request.query.empty() || !publisher_key("")) return false;
      plan.kind = Kind::kFeed;
      return true;
    }
    if (!segments[1].empty()) return false;  // /{lang}/search, /{lang}/x (a redirect)
    if (!publisher_key("") || !query_key({"page"}, plan.key)) return false;
    plan.kind = Kind::kList;
    return true;
  }
  if (segments.size() == 3) {
    if (segments[1] == "assets") {
      const std::string_view item = segments[2];
      const std::optional<int64_t> id =
          http::ParseInteger(item.substr(0, item.find('-')), 1, INT64_MAX);
      if (!id || !query_key({"compare", "print"}, plan.key)) return false;
      plan.kind = Kind::kItem;
      plan.asset_id = *id;
      return true;
    }
    if (segments[1] == "people" || segments[1] == "tags" || segments[1] == "search" ||
        segments[1] == "admin" || segments[1] == "api") {
      return false;
    }
    const std::optional<std::string> decoded = PercentDecode(segments[1]);
    if (!decoded || !publisher_key(*decoded)) return false;
    if (segments[2].empty()) {  // /{lang}/{publisher}/
      if (!query_key({"page"}, plan.key)) return false;
      plan.kind = Kind::kList;
    } else if (IsFeedFile(segments[2]) && request.query.empty()) {
      plan.kind = Kind::kFeed;
    } else {
      return false;
    }
    return true;
  }
  if (segments.size() == 4 && segments[3].empty() &&
      (segments[1] == "people" || segments[1] == "tags")) {
    const std::optional<std::string> slug = PercentDecode(segments[2]);
    if (!slug || slug->empty() || !query_key({"page"}, plan.key)) return false;
    plan.kind = Kind::kList;
    plan.list_key.assign(segments[1] == "people" ? "person" : "tag");
    plan.list_key.push_back(':');
    plan.list_key += *slug;
    plan.list_key.push_back(':');
    plan.list_key += lang;
    return true;
  }
  return false;
}

std::shared_ptr<const ResponseCache::Entry> PageCache::Insert(const Plan& plan,
                                                              const Response& response,
                                                              int64_t generation) {
  if (response.status != 200) return nullptr;
  std::vector<std::string> dependencies;
  std::string_view cache_control;
  switch (plan.kind) {
    case Kind::kItem: {
      // What the page showed: the asset, its related items' headlines, the items listing it.
      // Read after the render; if they changed in between, a change newer than `generation`
      // touched one of these keys and the cache refuses the entry.
      const std::optional<content::Asset> asset = store_.Get(plan.asset_id);
      if (!asset) return nullptr;
      dependencies.push_back(fmt::format("asset:{}", asset->id));
      dependencies.push_back(fmt::format("refs:{}", asset->id));
      for (const content::Related& related : asset->related) {
        if (related.id != 0) dependencies.push_back(fmt::format("asset:{}", related.id));
      }
      for (const int64_t id : store_.ReferencedBy(asset->id)) {
        dependencies.push_back(fmt::format("asset:{}", id));
      }
      cache_control = kCacheControlItemPage;
      break;
    }
    case Kind::kList:
    case Kind::kFeed:
    case Kind::kSitemap:
      if (!lists_ready() || generation < lists_from_.load(std::memory_order_acquire)) {
        return nullptr;
      }
      dependencies.push_back(plan.list_key);
      cache_control = plan.kind == Kind::kList   ? kCacheControlListPage
                      : plan.kind == Kind::kFeed ? kCacheControlFeed
                                                 : kCacheControlSitemap;
      break;
  }
  std::sort(dependencies.begin(), dependencies.end());
  dependencies.erase(std::unique(dependencies.begin(), dependencies.end()), dependencies.end());

  ResponseCache::EntryParts parts;
  parts.body = response.body;
  for (const auto& [name, value] : response.headers) {
    if (http::EqualsIgnoreCase(name, "Content-Type")) {
      parts.content_type = value;
    } else if (!http::EqualsIgnoreCase(name, "Cache-Control") &&
               !http::EqualsIgnoreCase(name, "ETag") &&
               !http::EqualsIgnoreCase(name, "Last-Modified") &&
               !http::EqualsIgnoreCase(name, "Vary") &&
               !http::EqualsIgnoreCase(name, "Content-Encoding")) {
      parts.headers.emplace_back(name, value);
    }
  }
  parts.cache_control = std::string(cache_control);
  // When these bytes were made: a newer render of the same key is a later second or, within
  // the same second, has another ETag (which clients send and which takes precedence).
  parts.last_modified = std::chrono::system_clock::now();
  return cache_.Insert(plan.key, std::move(parts), std::move(dependencies), generation).entry;
}

std::vector<std::string> PageCache::ListKeys(const content::Asset& asset) const {
  std::vector<std::string> keys;
  if (asset.status != content::Status::kPublished) return keys;
  keys.emplace_back("sitemap");
  // The primary subtags of its translations that are site languages (lists select by them).
  std::vector<std::pair<std::string, std::string>> languages;  // (site tag, primary)
  for (const auto& [tag, translation] : asset.translations) {
    std::string primary = content::PrimarySubtag(tag);
    std::optional<std::string> site = renderer_.FindLanguage(primary);
    if (!site) continue;
    if (std::none_of(languages.begin(), languages.end(),
                     [&](const auto& known) { return known.second == primary; })) {
      languages.emplace_back(std::move(*site), std::move(primary));
    }
  }
  const auto add_publisher = [&](const publish::Publisher& publisher) {
    if (!Selects(publisher, asset)) return;
    for (const auto& [site, primary] : languages) {
      if (publisher.HasLanguage(site))
        keys.push_back(fmt::format("list:{}:{}", publisher.id, primary));
    }
  };
  for (const publish::Publisher& publisher : publishers_.all()) add_publisher(publisher);
  if (std::none_of(publishers_.all().begin(), publishers_.all().end(),
                   [&](const auto& publisher) { return &publisher == &publishers_.Home(); })) {
    add_publisher(publishers_.Home());
  }
  for (const auto& [prefix, names] :
       {std::pair<const char*, const std::vector<std::string>*>{"tag", &asset.tags},
        {"person", &asset.people}}) {
    for (const std::string& name : *names) {
      const std::string slug = content::MakeSlug(name);
      for (const auto& [site, primary] : languages) {
        keys.push_back(fmt::format("{}:{}:{}", prefix, slug, primary));
      }
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::vector<uint32_t> PageCache::InternKeys(const std::vector<std::string>& keys) {
  std::vector<uint32_t> ids;
  ids.reserve(keys.size());
  for (const std::string& key : keys) {
    const auto [it, added] = key_ids_.try_emplace(key, static_cast<uint32_t>(key_names_.size()));
    if (added) key_names_.push_back(key);
    ids.push_back(it->second);
  }
  ids.shrink_to_fit();
  return ids;
}

void PageCache::ApplyLocked(const store::Change& change) {
  std::vector<std::string> keys = {fmt::format("asset:{}", change.asset_id)};
  // The state after the change (or later: then a later change repeats this).
  const std::optional<content::Asset> asset =
      change.op == "delete" ? std::nullopt : store_.Get(change.asset_id);
  std::vector<std::string> now;
  if (asset) {
    for (const content::Related& related : asset->related) {
      if (related.id != 0) keys.push_back(fmt::format("refs:{}", related.id));
    }
    now = ListKeys(*asset);
  }
  // The lists it was in before, and those it is in now.
  const auto before = summaries_.find(change.asset_id);
  if (before != summaries_.end()) {
    for (const uint32_t id : before->second) keys.push_back(key_names_[id]);
  }
  keys.insert(keys.end(), now.begin(), now.end());
  cache_.Invalidate(keys, change.seq);
  // The state read may be a later change's (see page_cache.h, "Catching up"): lists rendered
  // before that later change may show a state never seen here.
  if (const int64_t last = store_.LastChange();
      last > change.seq && lists_ready() && last > lists_from_.load(std::memory_order_relaxed)) {
    lists_from_.store(last, std::memory_order_release);
  }
  if (loading_) touched_while_loading_.insert(change.asset_id);
  if (now.empty()) {
    if (before != summaries_.end()) summaries_.erase(before);
  } else {
    summaries_[change.asset_id] = InternKeys(now);
  }
}

bool PageCache::Confirmed() const {
  if (store_away_.load(std::memory_order_relaxed)) return true;
  const int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
  const int64_t at = confirmed_at_.load(std::memory_order_relaxed);
  return at != INT64_MIN && now - at <= confirmed_for_.load(std::memory_order_relaxed);
}

void PageCache::Confirm(std::chrono::steady_clock::time_point asked) {
  const int64_t at = asked.time_since_epoch().count();
  int64_t before = confirmed_at_.load(std::memory_order_relaxed);
  while (before < at && !confirmed_at_.compare_exchange_weak(before, at)) {
  }
  store_away_.store(false, std::memory_order_relaxed);
}

bool PageCache::WaitForChange(std::chrono::steady_clock::time_point deadline) {
  const auto asked = std::chrono::steady_clock::now();
  bool changed = false;
  try {
    changed = store_.WaitForChange(applied(), deadline);
  } catch (...) {
    store_away_.store(true, std::memory_order_relaxed);
    throw;
  }
  if (!changed) Confirm(asked);
  return changed;
}

int64_t PageCache::CatchUp() {
  const std::lock_guard lock(follow_mutex_);
  const auto asked = std::chrono::steady_clock::now();
  int64_t applied = 0;
  try {
    StartLocked();
    while (true) {
      const std::vector<store::Change> changes =
          store_.ChangesSince(applied_.load(std::memory_order_relaxed), kChangeBatch);
      for (const store::Change& change : changes) {
        ApplyLocked(change);
        applied_.store(change.seq, std::memory_order_release);
        ++applied;
      }
      if (static_cast<int64_t>(changes.size()) < kChangeBatch) break;
    }
  } catch (...) {
    store_away_.store(true, std::memory_order_relaxed);
    throw;
  }
  Confirm(asked);
  return applied;
}

void PageCache::LoadSummaries() {
  // The scan runs without holding the lock across it (a large store takes seconds, and writers'
  // CatchUp must not wait); each summary is stored under the lock unless CatchUp already wrote
  // that asset's (a state at least as new as the change it applied).
  {
    const std::lock_guard lock(follow_mutex_);
    StartLocked();
    loading_ = true;
    touched_while_loading_.clear();
  }
  try {
    // Without bodies: a summary reads status, kind, dates, languages, tags, people and
    // categories only, and parsing the bodies was most of the scan (at 100,000 items: 34 s).
    store_.ForEachWithoutBodies([&](const content::Asset& asset) {
      const std::vector<std::string> keys = ListKeys(asset);
      const std::lock_guard lock(follow_mutex_);
      if (keys.empty() || touched_while_loading_.contains(asset.id)) return;
      summaries_[asset.id] = InternKeys(keys);
    });
  } catch (...) {
    const std::lock_guard lock(follow_mutex_);
    loading_ = false;
    throw;
  }
  const std::lock_guard lock(follow_mutex_);
  loading_ = false;
  touched_while_loading_.clear();
  // Entries rendered from before this point might show states whose list keys were not known
  // when their changes were applied: refuse them.
  lists_from_.store(store_.LastChange(), std::memory_order_release);
  lists_ready_.store(true, std::memory_order_release);
}

}  // namespace assetpub::cache
