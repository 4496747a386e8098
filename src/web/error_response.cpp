#include "web/error_response.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "render/json.h"

namespace assetpub::web {

using http::Response;
namespace {

// A field that content::FindProblems names ("translations.en-GB.blocks[0].text") as a JSON
// Pointer (RFC 6901) under `prefix`: "/translations/en-GB/blocks/0/text". A field that already
// is a pointer ("/related/0/id") is returned as it is.
std::string FieldPointer(std::string_view prefix, std::string_view field) {
  if (field.starts_with('/')) return std::string(field);
  std::string pointer(prefix);
  std::string segment;
  const auto flush = [&] {
    pointer += '/';
    for (char c : segment) {
      if (c == '~') {
        pointer += "~0";
      } else if (c == '/') {
        pointer += "~1";
      } else {
        pointer += c;
      }
    }
    segment.clear();
  };
  bool pending = false;  // a segment has been started (possibly empty)
  for (char c : field) {
    if (c == '.' || c == '[') {
      if (pending || !segment.empty()) flush();
      pending = true;
    } else if (c == ']') {
      flush();
      pending = false;
    } else {
      segment += c;
      pending = true;
    }
  }
  if (pending || !segment.empty()) flush();
  return pointer;
}

// The language of an error page for `path`: its first segment when that is a site language.
std::string PageLanguage(const render::Renderer& renderer, std::string_view path) {
  if (path.size() > 1) {
    const size_t end = path.find('/', 1);
    const std::string_view prefix =
        path.substr(1, end == std::string_view::npos ? std::string_view::npos : end - 1);
    if (std::optional<std::string> found = renderer.FindLanguage(prefix)) return *found;
  }
  return renderer.default_language();
}

}  // namespace

bool IsApiPath(std::string_view path) { return path == "/api" || path.starts_with("/api/"); }

std::string ProblemJson(const Error& error, std::string_view field_prefix) {
  const int status = HttpStatus(error.code());
  nlohmann::ordered_json json;
  json["type"] = "urn:assetpub:problem:" + std::string(ErrorCodeName(error.code()));
  json["title"] = render::ReasonPhrase(status);
  json["status"] = status;
  json["detail"] = PublicMessage(error);
  if (!error.fields().empty()) {
    nlohmann::ordered_json errors = nlohmann::ordered_json::array();
    for (const FieldError& field : error.fields()) {
      errors.push_back(nlohmann::ordered_json{{"pointer", FieldPointer(field_prefix, field.field)},
                                              {"detail", field.message}});
    }
    json["errors"] = std::move(errors);
  }
  if (error.current_revision()) json["current_revision"] = *error.current_revision();
  return render::SafeJsonText(json);
}

http::Response ErrorResponse(const render::Renderer& renderer, const http::Request& request,
                             const Error& error, std::string_view field_prefix) {
  const int status = HttpStatus(error.code());
  if (status >= 500) {
    spdlog::log(status == 503 ? spdlog::level::warn : spdlog::level::err, "{} {}: {}",
                request.method, request.target, error.what());
  }
  Response response;
  if (IsApiPath(request.path)) {
    response = Response::Problem(status, ProblemJson(error, field_prefix));
    if (error.code() == ErrorCode::kUnauthorised) {
      response.SetHeader("WWW-Authenticate", "Bearer realm=\"assetpub\"");
    }
  } else {
    const std::string language = PageLanguage(renderer, request.path);
    try {
      response = Response::Html(status, renderer.ErrorPage(language, status), language);
    } catch (const std::exception& e) {
      spdlog::error("rendering the {} page failed: {}", status, e.what());
      response = Response::Text(status, std::string(render::ReasonPhrase(status)) + "\n");
    }
  }
  if (error.retry_after_seconds()) {
    response.SetHeader("Retry-After", std::to_string(*error.retry_after_seconds()));
  }
  if (error.current_revision()) {
    response.SetHeader("ETag", fmt::format("\"{}\"", *error.current_revision()));
  }
  return response;
}

}  // namespace assetpub::web
