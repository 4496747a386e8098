#pragma once
// App is everything `assetpub serve` answers, with no network in sight: the site's pages, the
// JSON API, the editors' desk, static files, /healthz and /metrics, behind one Router, with the
// response cache in front. It is the http::Service the server serves. Built once at start-up
// (templates, locales and static files are loaded then); Handle() and Respond() are safe from
// any number of threads.

#include <atomic>
#include <memory>
#include <optional>
#include <string_view>

#include "auth/authenticator.h"
#include "cache/page_cache.h"
#include "core/config.h"
#include "http/message.h"
#include "http/router.h"
#include "http/service.h"
#include "http/static_files.h"
#include "publish/publisher.h"
#include "render/renderer.h"
#include "search/search_index.h"
#include "store/store.h"
#include "web/context.h"
#include "web/metrics.h"
#include "web/public_media.h"
#include "web/view_counter.h"

namespace assetpub::web {

// The largest request body accepted, uploads apart (their limit is media_max_bytes').
inline constexpr size_t kBodyLimit = 1024 * 1024;

class App final : public http::Service {
 public:
  // Loads the resources from config.resources_dir. Throws Error(kInvalidInput) naming the file
  // when a template, a locale or a static file is unusable. `store` and `search` (when not
  // nullptr) must outlive the App; without an index, /{lang}/search and /api/v1/search answer
  // 503. The App only reads the index (Search); keeping it caught up is the caller's job.
  // `publishers` nullptr means publish::Publishers::Defaults(config). `auth` (which must outlive
  // the App) authenticates writers: the write API and /admin/; nullptr: they answer 503.
  //
  // With config.cache_bytes > 0 the public pages PageCache names are served from a response
  // cache, kept exact by the App's ChangeNotifier (in-process writes) and by CatchUpCache()
  // (other processes' writes: call it periodically, see CacheFollower).
  App(const Config& config, store::Store& store, const search::SearchIndex* search = nullptr,
      const publish::Publishers* publishers = nullptr, auth::Authenticator* auth = nullptr);
  ~App() override;
  // Handlers hold references into the App: it stays where it was built.
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // The response to `request`. Never throws: failures become error pages (HTML, in the language
  // of the path's prefix or else the default) or, under /api/, problem+json. Every response
  // carries the security headers. For HEAD, the GET response with its body (the server sends
  // only the body's length).
  Response Handle(const Request& request) const;
  // The same for a request as it came off the wire: a target that Request::Make refuses (not a
  // path, a malformed %-escape) gets a 400 in the form its path calls for. Never throws.
  // `remote_address` is the client's IP as text (Request::remote_address).
  Response Handle(std::string method, std::string_view target, HeaderList headers = {},
                  std::string body = {}, std::string remote_address = {}) const;

  // A response whose body may be a cached entry's bytes, so the server can write them without a
  // copy. `entry` (when not null) keeps `cached_body` alive.
  struct Answer {
    // The status; the headers and body too when `entry` is null (with an entry, the headers are
    // AppendCachedHeaders(*entry, cached, …): the server writes them straight from the entry).
    Response response;
    std::shared_ptr<const cache::ResponseCache::Entry> entry;
    cache::CachedAnswer cached;
    std::string_view cached_body;
    std::string_view body() const { return entry ? cached_body : std::string_view(response.body); }
  };
  // Handle(request) without copying a cached body: a cacheable request (PageCache::Classify) is
  // answered from the cache (a 200 in the negotiated coding, or a 304), or rendered, stored and
  // answered likewise. Never throws.
  Answer Respond(const Request& request) const;
  // The same for a request off the wire (see Handle's overload).
  Answer Respond(std::string method, std::string_view target, HeaderList headers = {},
                 std::string body = {}, std::string remote_address = {}) const;
  // The same for `request` as the server read it into a Request it keeps per connection: method,
  // target, headers, body and remote_address set; path and query are set here from target,
  // reusing their storage. A cache hit then allocates nothing and takes no lock (the server's
  // hot path; tests/integration/hit_path_test.cpp holds it to that). Never throws.
  Answer RespondInPlace(Request& request) const;

  // http::Service: RespondInPlace, a cached answer's headers written as lines.
  http::Answer Respond(Request& request, std::string& header_lines) const override;
  // http::Service: uploads (media_routes.h) up to media_max_bytes, other bodies kBodyLimit.
  size_t BodyLimit(std::string_view method, std::string_view target) const override;
  // http::Service: uploads (IsUploadTarget) are authenticated and authorised from the header,
  // before the server reads a byte of their body: POST /api/v1/media without a usable bearer
  // token gets 401, with one whose role may not upload 403 (problem+json), 503 without a media
  // library; POST /admin/media without a live session the login redirect (303) the desk would
  // answer, with a session whose role may not upload 403. Everything else: nullopt.
  std::optional<Response> Admit(const Request& request) const override;
  // http::Service: a 413 as an error page (problem+json under /api/), naming the limit; 429 and
  // 503 (too many uploads at once) likewise; a malformed request as text with the parser's
  // reason.
  Response Refuse(http::Refusal refusal, std::string_view method, std::string_view target,
                  int status, std::string_view reason) const override;
  // http::Service: counts the status for /metrics and item page views (CountViews).
  void Answered(unsigned worker, const Request& request, const http::Outcome& outcome) override;
  // http::Service: hands the worker's views over to the ViewCounter.
  void Tick(unsigned worker) override;

  // Counts item page views (ItemViewId) of `workers` server workers into `counter` (which must
  // outlive the App). Call before serving; without it views are not counted.
  void CountViews(ViewCounter& counter, unsigned workers);

  const render::Renderer& renderer() const { return renderer_; }
  // Subscribe the followers of the store here before serving (see ChangeNotifier).
  ChangeNotifier& changes() { return changes_; }

  // nullptr when the cache is off (config.cache_bytes == 0).
  cache::PageCache* page_cache() const { return page_cache_.get(); }
  // Applies other processes' changes to the cache (no-op without one). Thread-safe; logs and
  // swallows the store's failures (the next call retries). Returns the changes applied.
  int64_t CatchUpCache() const;
  // Response counters; the server counts what it sends.
  Metrics& metrics() const { return metrics_; }
  // False while the search index is built or catches up at start: search pages and the search
  // API answer with what the index holds and say that results may be missing
  // (search::Results::index_complete), and /readyz reports it. True unless set otherwise.
  void SetSearchReady(bool ready) { search_ready_.store(ready, std::memory_order_release); }

 private:
  // GET /readyz: whether this node should take traffic (the store reachable, the search index
  // and the response cache within 30 s of the store), as JSON with each follower's lag (the
  // index's also in items: published, searchable, the share); 200 or 503, for a load balancer's
  // health check. /healthz stays "the process answers".
  Response Readiness() const;

  Config config_;
  const bool https_;  // base_url is https: every answer carries HSTS
  store::Store& store_;
  render::Renderer renderer_;
  publish::Publishers publishers_;
  http::StaticFiles static_files_;
  ChangeNotifier changes_;
  std::unique_ptr<media::MediaStore> media_;
  std::unique_ptr<PublicMedia> public_media_;
  std::unique_ptr<search::IndexCoverage> coverage_;  // nullptr without an index
  Context context_;
  Router router_;
  std::unique_ptr<cache::PageCache> page_cache_;
  mutable Metrics metrics_;
  std::unique_ptr<WorkerViews> views_;
  std::atomic<bool> search_ready_{true};
};

// Adds the headers every response carries: X-Content-Type-Options, Referrer-Policy,
// Content-Security-Policy and X-Frame-Options, and for a site served over `https` (its
// base_url) Strict-Transport-Security for a year, subdomains included. The server uses it too,
// for answers it makes itself.
void AddSecurityHeaders(Response& response, bool https);

}  // namespace assetpub::web
