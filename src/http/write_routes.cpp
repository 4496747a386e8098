#include "http/write_routes.h"

#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "authoring/workflow.h"
#include "content/asset_json.h"
#include "core/error.h"
#include "http/params.h"
#include "render/json.h"

namespace assetpub::http {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

using WriteHandler = std::function<Response(authoring::Workflow&, const auth::Principal&,
                                            const Request&, const RouteParams&)>;

Response Problem(int status, std::string_view type_name, std::string_view detail) {
  return Response::Problem(status, render::ProblemJson(status, type_name, detail));
}

// The principal of the request's bearer token; nullopt without a usable one.
std::optional<auth::Principal> BearerPrincipal(const Context& context, const Request& request) {
  const std::optional<std::string> header = request.Header("Authorization");
  if (!header) return std::nullopt;
  constexpr std::string_view kScheme = "Bearer ";
  if (header->size() <= kScheme.size() ||
      !EqualsIgnoreCase(std::string_view(*header).substr(0, kScheme.size()), kScheme)) {
    return std::nullopt;
  }
  return context.auth->Authenticate(std::string_view(*header).substr(kScheme.size()));
}

// Authenticates, runs `handler`, and marks every answer (errors too) as not to be stored.
Handler Guarded(const Context& context, std::shared_ptr<authoring::Workflow> workflow,
                WriteHandler handler) {
  return [context, workflow = std::move(workflow), handler = std::move(handler)](
             const Request& request, const RouteParams& params) {
    Response response;
    try {
      if (context.auth == nullptr) {
        throw Error(ErrorCode::kUnavailable, "writes are not available: no accounts are open");
      }
      if (std::optional<auth::Principal> principal = BearerPrincipal(context, request)) {
        response = handler(*workflow, *principal, request, params);
      } else {
        response = Problem(401, ErrorCodeName(ErrorCode::kUnauthorised),
                           "this needs an API token: send 'Authorization: Bearer TOKEN' with a "
                           "token that is valid and not revoked");
        response.SetHeader("WWW-Authenticate", "Bearer realm=\"assetpub\"");
      }
    } catch (const Error& e) {
      const int status = HttpStatus(e.code());
      if (status >= 500) throw;  // the router logs it and hides the detail
      response = Problem(status, ErrorCodeName(e.code()), e.what());
    }
    response.SetHeader("Cache-Control", "no-store");
    return response;
  };
}

int64_t IdParam(const RouteParams& params, std::string_view name = "id") {
  const std::optional<int64_t> id = ParseInteger(params.Get(name), 1, INT64_MAX);
  if (!id) {
    throw Error(
        ErrorCode::kInvalidInput,
        fmt::format("{} must be a positive whole number, not '{}'", name, params.Get(name)));
  }
  return *id;
}

// The body as a JSON object; an empty body is an empty object when `optional`.
json BodyObject(const Request& request, bool optional) {
  if (request.body.empty() && optional) return json::object();
  json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    throw Error(ErrorCode::kInvalidInput, "the body is not JSON");
  }
  if (!body.is_object()) throw Error(ErrorCode::kInvalidInput, "the body must be a JSON object");
  return body;
}

std::optional<int64_t> OptionalRevision(const json& body) {
  const auto it = body.find("revision");
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() || it->get<int64_t>() < 0) {
    throw Error(ErrorCode::kInvalidInput, "revision: must be a whole number, 0 or more");
  }
  return it->get<int64_t>();
}

std::optional<content::Instant> OptionalInstant(const json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("{}: must be an RFC 3339 time such as 2030-01-01T12:00:00Z", name));
  }
  try {
    return content::ParseIso8601(it->get<std::string>());
  } catch (const Error& e) {
    throw Error(ErrorCode::kInvalidInput, fmt::format("{}: {}", name, e.what()));
  }
}

std::string OptionalText(const json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return {};
  if (!it->is_string())
    throw Error(ErrorCode::kInvalidInput, fmt::format("{}: must be text", name));
  std::string text = it->get<std::string>();
  if (text.size() > 500) {
    throw Error(ErrorCode::kInvalidInput, fmt::format("{}: at most 500 bytes", name));
  }
  return text;
}

// An asset as an author sends it: the §6 shape, where published_at may be left out (a draft's
// time is set when it is published or scheduled).
content::Asset AuthoredAsset(json asset, content::Instant now) {
  if (!asset.is_object()) throw Error(ErrorCode::kInvalidInput, "asset: must be a JSON object");
  if (!asset.contains("published_at")) asset["published_at"] = content::ToIso8601Utc(now);
  return content::AssetFromJson(asset);
}

ordered_json RevisionJson(const store::Revision& revision) {
  ordered_json j;
  j["number"] = revision.number;
  j["at"] = content::ToIso8601Utc(revision.at);
  j["author"] = revision.author;
  j["note"] = revision.note;
  if (revision.asset) j["asset"] = content::ToJson(*revision.asset);
  return j;
}

Response ItemResponse(int status, const authoring::Item& item) {
  ordered_json j;
  j["id"] = item.working.id;
  j["status"] = content::StatusName(item.status);
  j["revision"] = item.head.latest;
  j["live_revision"] = item.head.live;
  j["pending"] = item.pending;
  j["asset"] = content::ToJson(item.working);
  Response response = Response::Json(status, render::SafeJsonText(j));
  response.SetHeader("ETag", fmt::format("\"{}\"", item.head.latest));
  return response;
}

Response Create(authoring::Workflow& workflow, const auth::Principal& actor,
                const Request& request) {
  json body = BodyObject(request, false);
  if (body.contains("id")) {
    throw Error(ErrorCode::kInvalidInput, "id: is given by the server; leave it out");
  }
  if (const auto status = body.find("status");
      status != body.end() && !(status->is_string() && *status == "draft")) {
    throw Error(ErrorCode::kInvalidInput,
                "status: a new item is a draft; publish or schedule it once it is saved");
  }
  const authoring::Item item = workflow.Create(
      actor, AuthoredAsset(std::move(body), content::Now()), "", request.remote_address);
  Response response = ItemResponse(201, item);
  response.SetHeader("Location", fmt::format("/api/v1/assets/{}/draft", item.working.id));
  return response;
}

Response Save(authoring::Workflow& workflow, const auth::Principal& actor, const Request& request,
              const RouteParams& params) {
  const int64_t id = IdParam(params);
  json body = BodyObject(request, false);
  const std::optional<int64_t> base = OptionalRevision(body);
  if (!base) {
    throw Error(ErrorCode::kInvalidInput,
                "revision: is required: the revision your edit started from (\"revision\" of "
                "GET /api/v1/assets/{id}/draft)");
  }
  const auto asset = body.find("asset");
  if (asset == body.end()) throw Error(ErrorCode::kInvalidInput, "asset: is required");
  const std::string note = OptionalText(body, "note");
  return ItemResponse(200, workflow.Save(actor, id, AuthoredAsset(*asset, content::Now()), *base,
                                         note, request.remote_address));
}

}  // namespace

void AddWriteRoutes(Router& router, const Context& context) {
  authoring::WorkflowOptions options;
  ChangeNotifier* changes = context.changes;
  options.on_commit = [changes] {
    if (changes != nullptr) changes->Notify();
  };
  auto workflow = std::make_shared<authoring::Workflow>(context.store, context.auth, options);

  router.Add(
      "/api/v1/assets", {"POST"},
      Guarded(context, workflow,
              [](authoring::Workflow& w, const auth::Principal& actor, const Request& request,
                 const RouteParams&) { return Create(w, actor, request); }));
  router.Add("/api/v1/assets/{id}", {"PUT"}, Guarded(context, workflow, Save));
  router.Add("/api/v1/assets/{id}", {"DELETE"},
             Guarded(context, workflow,
                     [](authoring::Workflow& w, const auth::Principal& actor,
                        const Request& request, const RouteParams& params) {
                       w.Delete(actor, IdParam(params), request.remote_address);
                       Response response;
                       response.status = 204;
                       return response;
                     }));
  router.Get("/api/v1/assets/{id}/draft",
             Guarded(context, workflow,
                     [](authoring::Workflow& w, const auth::Principal& actor, const Request&,
                        const RouteParams& params) {
                       return ItemResponse(200, w.Get(actor, IdParam(params)));
                     }));
  router.Add(
      "/api/v1/assets/{id}/publish", {"POST"},
      Guarded(context, workflow,
              [](authoring::Workflow& w, const auth::Principal& actor, const Request& request,
                 const RouteParams& params) {
                const json body = BodyObject(request, true);
                return ItemResponse(
                    200, w.Publish(actor, IdParam(params), OptionalRevision(body),
                                   OptionalInstant(body, "published_at"), request.remote_address));
              }));
  router.Add("/api/v1/assets/{id}/schedule", {"POST"},
             Guarded(context, workflow,
                     [](authoring::Workflow& w, const auth::Principal& actor,
                        const Request& request, const RouteParams& params) {
                       const json body = BodyObject(request, false);
                       const std::optional<content::Instant> at = OptionalInstant(body, "at");
                       if (!at) throw Error(ErrorCode::kInvalidInput, "at: is required");
                       return ItemResponse(
                           200, w.Schedule(actor, IdParam(params), OptionalRevision(body), *at,
                                           request.remote_address));
                     }));
  router.Add("/api/v1/assets/{id}/unschedule", {"POST"},
             Guarded(context, workflow,
                     [](authoring::Workflow& w, const auth::Principal& actor,
                        const Request& request, const RouteParams& params) {
                       return ItemResponse(
                           200, w.Unschedule(actor, IdParam(params), request.remote_address));
                     }));
  router.Add("/api/v1/assets/{id}/archive", {"POST"},
             Guarded(context, workflow,
                     [](authoring::Workflow& w, const auth::Principal& actor,
                        const Request& request, const RouteParams& params) {
                       return ItemResponse(
                           200, w.Archive(actor, IdParam(params), request.remote_address));
                     }));
  router.Get("/api/v1/assets/{id}/revisions",
             Guarded(context, workflow,
                     [](authoring::Workflow& w, const auth::Principal& actor, const Request&,
                        const RouteParams& params) {
                       ordered_json list = ordered_json::array();
                       for (const store::Revision& r : w.History(actor, IdParam(params))) {
                         list.push_back(RevisionJson(r));
                       }
                       ordered_json j;
                       j["revisions"] = std::move(list);
                       return Response::Json(200, render::SafeJsonText(j));
                     }));
  router.Get("/api/v1/assets/{id}/revisions/{number}",
             Guarded(context, workflow,
                     [](authoring::Workflow& w, const auth::Principal& actor, const Request&,
                        const RouteParams& params) {
                       return Response::Json(
                           200, render::SafeJsonText(RevisionJson(w.GetRevision(
                                    actor, IdParam(params), IdParam(params, "number")))));
                     }));
}

}  // namespace assetpub::http
