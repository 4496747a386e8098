#include "web/api/redirect_routes.h"

#include <fmt/format.h>

#include <map>
#include <utility>

#include "content/language.h"
#include "core/error.h"
#include "http/params.h"
#include "render/json.h"
#include "render/paths.h"
#include "render/renderer.h"
#include "web/api/bearer.h"
#include "web/api/json_body.h"
#include "web/error_response.h"

namespace assetpub::web {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// The path as a request target carries it: bytes above 0x7F and spaces percent-encoded.
std::string EncodedPath(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte > 0x7f || byte == ' ') {
      out += fmt::format("%{:02X}", byte);
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> PathProblem(const std::string& path) {
  if (!path.starts_with('/')) {
    return fmt::format(
        "the old address must be a path starting with '/', such as "
        "/2014/03/12/statement/ or /?p=12, not '{}'",
        path.substr(0, 100));
  }
  if (path.size() > store::kMaxRedirectPath) {
    return fmt::format("the old address has {} bytes; at most {} are kept", path.size(),
                       store::kMaxRedirectPath);
  }
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return "the old address holds a control character";
    if (c == '#') {
      return "the old address holds '#': what follows it never reaches the server; leave it out";
    }
  }
  return std::nullopt;
}

std::string Languages(const content::Asset& asset) {
  std::string list;
  for (const auto& [tag, translation] : asset.translations) {
    list += (list.empty() ? "" : ", ") + tag;
  }
  return list;
}

// The principal of the request's token, allowed `action`.
auth::Principal Caller(const Context& context, const Request& request, auth::Action action) {
  const auth::Principal principal = RequireBearer(context, request);
  if (!principal.May(action)) {
    throw Error(ErrorCode::kForbidden,
                fmt::format("your role may not {} redirects",
                            action == auth::Action::kEdit ? "change" : "read"));
  }
  return principal;
}

// `handle` for the caller of `request` allowed `action`; every answer (errors too) not stored.
template <typename Handle>
http::Handler Guarded(const Context& context, auth::Action action, Handle handle) {
  return [context, action, handle](const Request& request, const RouteParams&) {
    Response response;
    try {
      response = handle(Caller(context, request, action), request);
    } catch (const Error& e) {
      response = ErrorResponse(context.renderer, request, e);
    }
    response.SetHeader("Cache-Control", "no-store");
    return response;
  };
}

Response List(const Context& context, const Request& request) {
  constexpr int64_t kMaxPage = 1'000'000;
  const int64_t page = http::QueryInteger(request, "page", 1, 1, kMaxPage);
  store::RedirectQuery query;
  if (request.Query("asset"))
    query.asset_id = http::QueryInteger(request, "asset", 0, 1, INT64_MAX);
  query.offset = (page - 1) * kRedirectPageSize;
  query.limit = kRedirectPageSize;
  const store::RedirectPage listed = context.store.ListRedirects(query);
  ordered_json rows = ordered_json::array();
  for (const RedirectRow& row : RedirectRows(context, listed.redirects)) {
    rows.push_back(RedirectRowJson(row));
  }
  ordered_json j;
  j["redirects"] = std::move(rows);
  j["page"] = page;
  j["pages"] = (listed.total + kRedirectPageSize - 1) / kRedirectPageSize;
  j["total"] = listed.total;
  return Response::Json(200, render::SafeJsonText(j));
}

RedirectInput InputFromBody(const json& body) {
  RedirectInput input;
  std::vector<FieldError> errors;
  const auto text = [&](const char* name, std::string& into, bool required) {
    const auto it = body.find(name);
    if (it == body.end() || it->is_null()) {
      if (required) errors.push_back({fmt::format("/{}", name), "is required"});
    } else if (!it->is_string()) {
      errors.push_back({fmt::format("/{}", name), "must be text"});
    } else {
      into = it->get<std::string>();
    }
  };
  text("path", input.path, true);
  text("language", input.language, false);
  const auto id = body.find("asset_id");
  if (id == body.end() || id->is_null()) {
    errors.push_back({"/asset_id", "is required"});
  } else if (!id->is_number_integer() || id->get<int64_t>() < 1) {
    errors.push_back({"/asset_id", "must be an item's id, a whole number from 1"});
  } else {
    input.asset_id = id->get<int64_t>();
  }
  if (!errors.empty()) throw FieldErrors(ErrorCode::kInvalidInput, std::move(errors));
  return input;
}

Response Put(const Context& context, const auth::Principal& actor, const Request& request) {
  const store::Redirect redirect =
      ResolveRedirect(context, InputFromBody(BodyObject(request, false)));
  const bool added = SaveRedirect(context, actor, redirect, request.remote_address);
  const std::vector<RedirectRow> rows = RedirectRows(context, {redirect});
  return Response::Json(added ? 201 : 200, render::SafeJsonText(RedirectRowJson(rows.front())));
}

Response Delete(const Context& context, const auth::Principal& actor, const Request& request) {
  const std::optional<std::string> path = request.Query("path");
  if (!path || path->empty()) {
    throw Error(ErrorCode::kInvalidInput,
                "path: name the redirect to remove, as in ?path=%2F%3Fp%3D12 for /?p=12");
  }
  RemoveRedirect(context, actor, *path, request.remote_address);
  Response response;
  response.status = 204;
  return response;
}

}  // namespace

store::Redirect ResolveRedirect(const Context& context, const RedirectInput& input) {
  std::vector<FieldError> malformed;
  store::Redirect redirect;
  redirect.path = EncodedPath(input.path);
  redirect.asset_id = input.asset_id;
  if (std::optional<std::string> problem = PathProblem(redirect.path)) {
    malformed.push_back({"/path", std::move(*problem)});
  }
  std::optional<std::string> tag;
  if (!input.language.empty()) {
    tag = content::CanonicalLanguageTag(input.language);
    if (!tag) {
      malformed.push_back(
          {"/language", fmt::format("'{}' is not a language tag such as en-GB or ru",
                                    input.language.substr(0, 100))});
    }
  }
  if (!malformed.empty()) throw FieldErrors(ErrorCode::kInvalidInput, std::move(malformed));

  const std::optional<content::Asset> asset =
      input.asset_id > 0 ? context.store.Get(input.asset_id) : std::nullopt;
  if (!asset) {
    throw FieldErrors(ErrorCode::kUnprocessable,
                      {{"/asset_id", fmt::format("there is no item {}", input.asset_id)}});
  }
  const content::Translation* translation =
      render::TranslationFor(*asset, tag ? *tag : context.renderer.default_language());
  if (translation == nullptr && tag) {
    throw FieldErrors(ErrorCode::kUnprocessable,
                      {{"/language", fmt::format("item {} has no translation in {} (it has {})",
                                                 asset->id, *tag, Languages(*asset))}});
  }
  if (translation == nullptr && !asset->translations.empty()) {
    translation = &asset->translations.begin()->second;
  }
  // Every stored item has a translation (content::Validate); kept whole should one not.
  redirect.language = translation != nullptr ? translation->language : tag.value_or("");
  return redirect;
}

bool SaveRedirect(const Context& context, const auth::Principal& actor,
                  const store::Redirect& redirect, std::string_view address) {
  const std::optional<store::Redirect> before = context.store.FindRedirect(redirect.path);
  auto tx = context.store.Begin();
  const bool written = tx->PutRedirect(redirect);
  tx->Commit();
  if (written && context.auth != nullptr) {
    std::string detail = fmt::format("to item {} in {}", redirect.asset_id, redirect.language);
    if (before) {
      detail += fmt::format(" (was item {} in {})", before->asset_id, before->language);
    }
    context.auth->AppendAudit(actor.name, "redirect.put", "redirect:" + redirect.path, address,
                              detail);
  }
  return !before;
}

void RemoveRedirect(const Context& context, const auth::Principal& actor, std::string_view path,
                    std::string_view address) {
  const std::optional<store::Redirect> before = context.store.FindRedirect(path);
  auto tx = context.store.Begin();
  if (!tx->DeleteRedirect(path)) {
    throw Error(ErrorCode::kNotFound,
                fmt::format("there is no redirect of '{}'", path.substr(0, 100)));
  }
  tx->Commit();
  if (context.auth != nullptr) {
    context.auth->AppendAudit(
        actor.name, "redirect.delete", fmt::format("redirect:{}", path), address,
        before ? fmt::format("was to item {} in {}", before->asset_id, before->language) : "");
  }
}

std::vector<RedirectRow> RedirectRows(const Context& context,
                                      const std::vector<store::Redirect>& redirects) {
  // Headlines reads one language at a time: ask once per language on the page.
  std::map<std::string, std::vector<int64_t>> ids_by_language;
  for (const store::Redirect& r : redirects) ids_by_language[r.language].push_back(r.asset_id);
  std::map<std::pair<std::string, int64_t>, store::Headline> headlines;
  for (const auto& [language, ids] : ids_by_language) {
    for (store::Headline& h : context.store.Headlines(ids, language)) {
      const int64_t id = h.id;
      headlines.emplace(std::pair(language, id), std::move(h));
    }
  }
  std::vector<RedirectRow> rows;
  rows.reserve(redirects.size());
  for (const store::Redirect& r : redirects) {
    RedirectRow row{r, std::nullopt, ""};
    if (const auto it = headlines.find({r.language, r.asset_id}); it != headlines.end()) {
      row.item = it->second;
      row.target = render::ItemPath(r.asset_id, it->second.language, it->second.slug);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

ordered_json RedirectRowJson(const RedirectRow& row) {
  ordered_json j;
  j["path"] = row.redirect.path;
  j["asset_id"] = row.redirect.asset_id;
  j["language"] = row.redirect.language;
  j["title"] = row.item ? ordered_json(row.item->title) : ordered_json(nullptr);
  j["status"] =
      row.item ? ordered_json(content::StatusName(row.item->status)) : ordered_json(nullptr);
  j["target"] = row.item ? ordered_json(row.target) : ordered_json(nullptr);
  return j;
}

void AddRedirectRoutes(Router& router, const Context& context) {
  router.Get("/api/v1/redirects",
             Guarded(context, auth::Action::kReadDraft,
                     [context](const auth::Principal&, const Request& request) {
                       return List(context, request);
                     }));
  for (const char* method : {"POST", "PUT"}) {
    router.Add("/api/v1/redirects", {method},
               Guarded(context, auth::Action::kEdit,
                       [context](const auth::Principal& actor, const Request& request) {
                         return Put(context, actor, request);
                       }));
  }
  router.Add("/api/v1/redirects", {"DELETE"},
             Guarded(context, auth::Action::kEdit,
                     [context](const auth::Principal& actor, const Request& request) {
                       return Delete(context, actor, request);
                     }));
}

}  // namespace assetpub::web
