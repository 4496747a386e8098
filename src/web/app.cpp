#include "web/app.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "http/cookies.h"
#include "media/media_store.h"
#include "render/json.h"
#include "web/admin/admin_routes.h"
#include "web/api/api_routes.h"
#include "web/api/bearer.h"
#include "web/api/media_routes.h"
#include "web/api/redirect_routes.h"
#include "web/api/write_routes.h"
#include "web/error_response.h"
#include "web/site/feed_routes.h"
#include "web/site/site_routes.h"

namespace assetpub::web {
void AddSecurityHeaders(Response& response, bool https) {
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  response.SetHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
  // frame-ancestors' forerunner, for browsers that do not read CSP.
  response.SetHeader("X-Frame-Options", "DENY");
  if (https) response.SetHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

App::App(const Config& config, store::Store& store, const search::SearchIndex* search,
         const publish::Publishers* publishers, auth::Authenticator* auth)
    : config_(config),
      https_(config_.base_url.starts_with("https://")),
      store_(store),
      renderer_(config_, publishers),
      publishers_(publishers != nullptr ? *publishers : publish::Publishers::Defaults(config_)),
      static_files_(renderer_.resources_dir() / "static"),
      media_(config_.media_dir.empty()
                 ? nullptr
                 : std::make_unique<media::MediaStore>(config_.media_dir, store_)),
      public_media_(std::make_unique<PublicMedia>(store_,
                                                  [this]() -> std::optional<int64_t> {
                                                    // The cache's follower has applied every
                                                    // change up to this one (see PublicMedia).
                                                    if (!page_cache_ || !page_cache_->lists_ready())
                                                      return std::nullopt;
                                                    return page_cache_->applied();
                                                  })),
      coverage_(search != nullptr ? std::make_unique<search::IndexCoverage>(store_, *search)
                                  : nullptr),
      context_{config_,   store_,         renderer_,          publishers_,
               search,    &search_ready_, coverage_.get(),    auth,
               &changes_, media_.get(),   public_media_.get()},
      router_([this](const Request& request, const Error& error) {
        metrics_.CountFailure(error.code());
        return ErrorResponse(renderer_, request, error);
      }) {
  router_.Get("/healthz",
              [](const Request&, const RouteParams&) { return Response::Text(200, "ok"); });
  router_.Get("/readyz", [this](const Request&, const RouteParams&) { return Readiness(); });
  router_.Get("/static/{path...}", [this](const Request& request, const RouteParams& params) {
    return static_files_.Serve(request, params.Get("path"));
  });
  AddApiRoutes(router_, context_);
  AddWriteRoutes(router_, context_);
  AddMediaRoutes(router_, context_);
  AddRedirectRoutes(router_, context_);
  AddFeedRoutes(router_, context_);
  router_.Get("/metrics", [this](const Request& request, const RouteParams&) {
    // No hint that the page exists for anyone else: it shows when editors write.
    if (!MetricsAllowed(config_, request)) throw Error(ErrorCode::kNotFound, "no such page");
    Response response =
        Response::Text(200, metrics_.Render(page_cache_ ? &page_cache_->cache() : nullptr,
                                            page_cache_ ? page_cache_->applied() : 0));
    response.SetHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    response.SetHeader("Cache-Control", "no-store");
    return response;
  });
  AddAdminRoutes(router_, context_);
  AddSiteRoutes(router_, context_);  // last: "/{lang}/…" matches any first segment

  if (config_.cache_bytes > 0) {
    page_cache_ =
        std::make_unique<cache::PageCache>(store_, renderer_, publishers_, config_.cache_bytes);
    // A write of this process invalidates what it changed before its writer answers.
    changes_.Subscribe([this] { CatchUpCache(); });
  }
}

App::~App() = default;

int64_t App::CatchUpCache() const {
  if (!page_cache_) return 0;
  try {
    return page_cache_->CatchUp();
  } catch (const std::exception& e) {
    spdlog::warn("response cache: catching up with the store failed, will retry: {}", e.what());
    return 0;
  }
}

namespace {

// The whole Response of `answer` (a cached body copied).
Response ToResponse(App::Answer answer) {
  if (answer.entry) {
    answer.response.headers.reserve(answer.entry->headers.size() + 6);
    cache::AppendCachedHeaders(*answer.entry, answer.cached, answer.response.headers);
    answer.response.body = std::string(answer.cached_body);
  }
  return std::move(answer.response);
}

}  // namespace

App::Answer App::Respond(const Request& request) const {
  Answer answer;
  // One plan per thread, its strings reused: classifying a hit allocates nothing.
  thread_local cache::PageCache::Plan reused_plan;
  cache::PageCache::Plan* plan =
      page_cache_ && page_cache_->Classify(request, reused_plan) ? &reused_plan : nullptr;
  if (plan == nullptr) {
    answer.response = router_.Handle(request);
    AddSecurityHeaders(answer.response, https_);
    return answer;
  }
  std::shared_ptr<const cache::ResponseCache::Entry> entry = page_cache_->Lookup(*plan);
  if (!entry) {
    int64_t generation = 0;
    try {
      generation = page_cache_->Generation();
    } catch (const std::exception& e) {
      spdlog::warn("response cache: reading the store's last change failed: {}", e.what());
      generation = -1;
    }
    answer.response = router_.Handle(request);
    AddSecurityHeaders(answer.response, https_);
    if (generation < 0 || answer.response.status != 200) return answer;
    try {
      entry = page_cache_->Insert(*plan, answer.response, generation);
    } catch (const std::exception& e) {
      spdlog::warn("response cache: storing {} failed: {}", plan->key, e.what());
    }
    if (!entry) return answer;
    answer.response = Response();
  }
  answer.cached = cache::ChooseCachedAnswer(*entry, request);
  answer.response.status = answer.cached.status;
  answer.cached_body = answer.cached.body;
  answer.entry = std::move(entry);
  return answer;
}

Response App::Handle(const Request& request) const { return ToResponse(Respond(request)); }

App::Answer App::Respond(std::string method, std::string_view target, HeaderList headers,
                         std::string body, std::string remote_address) const {
  Request request;
  try {
    request = Request::Make(std::move(method), target, std::move(headers));
  } catch (const Error& e) {
    request.method = "GET";
    request.target = std::string(target);
    request.path = target.starts_with('/') ? std::string(target.substr(0, target.find('?'))) : "/";
    Answer answer;
    answer.response = ErrorResponse(renderer_, request, e);
    AddSecurityHeaders(answer.response, https_);
    return answer;
  }
  request.body = std::move(body);
  request.remote_address = std::move(remote_address);
  return Respond(request);
}

App::Answer App::RespondInPlace(Request& request) const {
  try {
    request.SetTarget(request.target);
  } catch (const Error& e) {
    const std::string target = std::move(request.target);
    Request bad;
    bad.method = "GET";
    bad.target = target;
    bad.path = target.starts_with('/') ? target.substr(0, target.find('?')) : "/";
    Answer answer;
    answer.response = ErrorResponse(renderer_, bad, e);
    AddSecurityHeaders(answer.response, https_);
    return answer;
  }
  return Respond(request);
}

Response App::Handle(std::string method, std::string_view target, HeaderList headers,
                     std::string body, std::string remote_address) const {
  return ToResponse(Respond(std::move(method), target, std::move(headers), std::move(body),
                            std::move(remote_address)));
}

http::Answer App::Respond(Request& request, std::string& header_lines) const {
  Answer in_place = RespondInPlace(request);
  http::Answer answer;
  answer.response = std::move(in_place.response);
  if (in_place.entry) {
    cache::AppendCachedHeaderLines(*in_place.entry, in_place.cached, header_lines);
    answer.prepared_body = in_place.cached_body;
    answer.owner = std::move(in_place.entry);
  }
  return answer;
}

size_t App::BodyLimit(std::string_view method, std::string_view target) const {
  return IsUploadTarget(method, target) ? UploadBodyLimit(config_) : kBodyLimit;
}

Response App::Refuse(http::Refusal refusal, std::string_view method, std::string_view target,
                     int status, std::string_view reason) const {
  Response response;
  Request request;
  request.method = std::string(method);
  request.path = std::string(target.substr(0, target.find('?')));
  if (refusal == http::Refusal::kMalformed) {
    response = Response::Text(status, fmt::format("{}\n", reason));
  } else if (refusal == http::Refusal::kTooManyRequests) {
    response = ErrorResponse(renderer_, request,
                             Error(ErrorCode::kTooManyRequests,
                                   "too many requests from your address: slow down and try again "
                                   "after the Retry-After seconds"));
  } else if (refusal == http::Refusal::kTooManyUploads) {
    response = ErrorResponse(
        renderer_, request,
        Error(ErrorCode::kUnavailable,
              "as many uploads as the server takes at once are being received: try again after "
              "the Retry-After seconds"));
  } else {
    const bool upload = IsUploadTarget(method, target);
    response = ErrorResponse(
        renderer_, request,
        Error(ErrorCode::kTooLarge,
              upload ? fmt::format("the upload is larger than the {} bytes a file may have "
                                   "(media_max_bytes)",
                                   config_.media_max_bytes)
                     : fmt::format("the body is larger than the {} bytes accepted", kBodyLimit)));
  }
  AddSecurityHeaders(response, https_);
  return response;
}

std::optional<Response> App::Admit(const Request& request) const {
  if (!IsUploadTarget(request.method, request.target)) return std::nullopt;
  Request probe;
  probe.method = request.method;
  probe.headers = request.headers;
  probe.remote_address = request.remote_address;
  try {
    probe.SetTarget(request.target);
  } catch (const Error&) {
    return std::nullopt;  // the route answers the malformed target
  }
  try {
    if (probe.path.starts_with("/api/")) {
      // What the upload route checks first, from the header alone (media_routes.h).
      if (config_.media_dir.empty()) {
        throw Error(ErrorCode::kUnavailable, "the media library is not configured");
      }
      if (!RequireBearer(context_, probe).May(auth::Action::kUploadMedia)) {
        throw Error(ErrorCode::kForbidden, "your role may not upload media");
      }
      return std::nullopt;
    }
    // The editors' desk (/admin/media): what its login check would answer, from the cookie.
    if (context_.auth == nullptr) return std::nullopt;
    const std::optional<std::string> cookie = http::CookieValue(probe, http::kSessionCookie);
    std::optional<auth::Principal> principal;
    if (cookie && !cookie->empty()) principal = context_.auth->SessionPrincipal(*cookie);
    if (!principal) {
      Response login = Response::Redirect(303, "/admin/login?next=%2Fadmin%2F");
      login.SetHeader("Cache-Control", "no-store");
      AddSecurityHeaders(login, https_);
      return login;
    }
    if (!principal->May(auth::Action::kUploadMedia)) {
      throw Error(ErrorCode::kForbidden, "your role may not upload media");
    }
    return std::nullopt;
  } catch (const Error& e) {
    metrics_.CountFailure(e.code());
    Response refused = ErrorResponse(renderer_, probe, e);
    refused.SetHeader("Cache-Control", "no-store");
    AddSecurityHeaders(refused, https_);
    return refused;
  }
}

void App::Answered(unsigned worker, const Request& request, const http::Outcome& outcome) {
  const int status = outcome.status;
  metrics_.Count(status);
  metrics_.Observe(RouteKindOf(request.path, outcome.prepared), outcome.elapsed);
  if (!views_) return;
  if (std::optional<int64_t> id = ItemViewId(request.method, request.target, status)) {
    views_->Count(worker, *id);
  }
}

void App::Tick(unsigned worker) {
  if (views_) views_->HandOver(worker);
}

void App::CountViews(ViewCounter& counter, unsigned workers) {
  views_ = std::make_unique<WorkerViews>(counter, workers);
}

Response App::Readiness() const {
  // A node lagging this far behind the store is kept out of rotation (its pages would be stale).
  constexpr int64_t kMaxLagSeconds = 30;
  nlohmann::json body;
  bool ready = true;
  int64_t last_change = -1;
  try {
    last_change = store_.LastChange();
    body["store"] = {{"reachable", true}, {"last_change", last_change}};
  } catch (const std::exception& e) {
    ready = false;
    body["store"] = {{"reachable", false},
                     {"error", PublicMessage(Error(ErrorCode::kUnavailable, e.what()))}};
  }
  // How far behind the store a follower is: in changes, and in seconds since the oldest change it
  // has not applied was made.
  auto lag = [&](int64_t applied) {
    nlohmann::json out = {{"applied", applied}};
    if (last_change < 0) return out;
    out["lag_changes"] = std::max<int64_t>(0, last_change - applied);
    int64_t seconds = 0;
    if (last_change > applied) {
      try {
        const auto next = store_.ChangesSince(applied, 1);
        if (!next.empty())
          seconds = std::max<int64_t>(0, content::Now().seconds - next[0].at.seconds);
      } catch (const std::exception&) {
        // The store went away between the two reads: the lag is unknown, the store says why.
      }
    }
    out["lag_seconds"] = seconds;
    return out;
  };
  if (context_.search != nullptr) {
    nlohmann::json search = lag(context_.search->LastApplied());
    search["ready"] = search_ready_.load(std::memory_order_acquire);
    try {
      // The lag in items: published, searchable, and the share (the search page's notice).
      const search::Coverage coverage = coverage_->Read();
      search["items"] = {{"total", coverage.total},
                         {"indexed", coverage.indexed},
                         {"lag", coverage.lag_items()},
                         {"percent", coverage.Percent()}};
      if (coverage.rebuild_total >= 0) {
        search["rebuild"] = {{"read", coverage.rebuild_read}, {"total", coverage.rebuild_total}};
      }
    } catch (const std::exception&) {
      // The store or the index could not be read: the lag above says what is known.
    }
    if (!search["ready"].get<bool>() || search.value("lag_seconds", int64_t{0}) > kMaxLagSeconds)
      ready = false;
    body["search"] = std::move(search);
  } else {
    body["search"] = {{"ready", false}, {"enabled", false}};
  }
  if (page_cache_) {
    nlohmann::json cache = lag(page_cache_->applied());
    cache["enabled"] = true;
    cache["lists_cacheable"] = page_cache_->lists_ready();
    if (cache.value("lag_seconds", int64_t{0}) > kMaxLagSeconds) ready = false;
    body["cache"] = std::move(cache);
  } else {
    body["cache"] = {{"enabled", false}};
  }
  body["ready"] = ready;
  Response response = Response::Json(ready ? 200 : 503, body.dump());
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

}  // namespace assetpub::web
