#include "http/app.h"

#include <spdlog/spdlog.h>

#include "core/error.h"
#include "http/api_routes.h"
#include "http/feed_routes.h"
#include "http/site_routes.h"
#include "render/json.h"

namespace assetpub::http {
void AddSecurityHeaders(Response& response) {
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  response.SetHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
}

bool IsApiPath(std::string_view path) { return path == "/api" || path.starts_with("/api/"); }

App::App(const Config& config, store::Store& store, const search::SearchIndex* search,
         const publish::Publishers* publishers, auth::Authenticator* auth)
    : config_(config),
      store_(store),
      renderer_(config_, publishers),
      publishers_(publishers != nullptr ? *publishers : publish::Publishers::Defaults(config_)),
      static_files_(renderer_.resources_dir() / "static"),
      context_{config_, store_, renderer_, publishers_, search, auth, &changes_},
      router_([this](const Request& request, int status, std::string_view type_name,
                     const std::string& detail) {
        return ErrorResponse(request, status, type_name, detail);
      }) {
  router_.Get("/healthz",
              [](const Request&, const RouteParams&) { return Response::Text(200, "ok"); });
  router_.Get("/static/{path...}", [this](const Request& request, const RouteParams& params) {
    return static_files_.Serve(request, params.Get("path"));
  });
  AddApiRoutes(router_, context_);
  AddFeedRoutes(router_, context_);
  AddSiteRoutes(router_, context_);  // last: "/{lang}/…" matches any first segment
}

Response App::Handle(const Request& request) const {
  Response response = router_.Handle(request);
  AddSecurityHeaders(response);
  return response;
}

Response App::Handle(std::string method, std::string_view target, HeaderList headers,
                     std::string body, std::string remote_address) const {
  Request request;
  try {
    request = Request::Make(std::move(method), target, std::move(headers));
  } catch (const Error& e) {
    request.method = "GET";
    request.target = std::string(target);
    request.path = target.starts_with('/') ? std::string(target.substr(0, target.find('?'))) : "/";
    Response response = ErrorResponse(request, 400, ErrorCodeName(e.code()), e.what());
    AddSecurityHeaders(response);
    return response;
  }
  request.body = std::move(body);
  request.remote_address = std::move(remote_address);
  return Handle(request);
}

Response App::ErrorResponse(const Request& request, int status, std::string_view type_name,
                            const std::string& detail) const {
  if (IsApiPath(request.path)) {
    return Response::Problem(status, render::ProblemJson(status, type_name, detail));
  }
  // The page speaks the language of the path's prefix when it is a site language.
  std::string language = renderer_.default_language();
  if (request.path.size() > 1) {
    const std::string_view path = request.path;
    const size_t end = path.find('/', 1);
    const std::string_view prefix =
        path.substr(1, end == std::string_view::npos ? std::string_view::npos : end - 1);
    if (std::optional<std::string> found = renderer_.FindLanguage(prefix)) language = *found;
  }
  try {
    return Response::Html(status, renderer_.ErrorPage(language, status), language);
  } catch (const std::exception& e) {
    spdlog::error("rendering the {} page failed: {}", status, e.what());
    return Response::Text(status, std::string(render::ReasonPhrase(status)) + "\n");
  }
}

}  // namespace assetpub::http
