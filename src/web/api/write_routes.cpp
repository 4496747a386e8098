#include "web/api/write_routes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "authoring/workflow.h"
#include "content/asset_json.h"
#include "content/language.h"
#include "core/error.h"
#include "core/text.h"
#include "http/params.h"
#include "render/json.h"
#include "web/api/bearer.h"
#include "web/api/json_body.h"
#include "web/api/media_routes.h"
#include "web/error_response.h"

namespace assetpub::web {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

using WriteHandler = std::function<Response(authoring::Workflow&, const auth::Principal&,
                                            const Request&, const RouteParams&)>;

// Authenticates, checks that the caller may perform `action` (403 before anything else about the
// request: a caller who may not publish learns that, not that it forgot If-Match), runs
// `handler`, and marks every answer (errors too) as not to be stored. `asset_pointer` is where the
// asset sits in the body, for the pointers of an invalid asset's problems; nullopt: "" for POST
// /api/v1/assets, "/asset" for the other routes.
http::Handler Guarded(const Context& context, std::shared_ptr<authoring::Workflow> workflow,
                      auth::Action action, WriteHandler handler,
                      std::optional<std::string> asset_pointer = std::nullopt) {
  return [context, workflow = std::move(workflow), action, handler = std::move(handler),
          asset_pointer = std::move(asset_pointer)](const Request& request,
                                                    const RouteParams& params) {
    Response response;
    try {
      const auth::Principal principal = RequireBearer(context, request);
      authoring::Workflow::Require(principal, action);
      response = handler(*workflow, principal, request, params);
    } catch (const Error& e) {
      // POST /api/v1/assets takes the asset as the whole body; PUT …/{id} as "asset".
      const bool whole_body = request.method == "POST" && params.Get("id").empty();
      const std::string prefix = asset_pointer.value_or(whole_body ? "" : "/asset");
      if (e.code() == ErrorCode::kConflict && e.current_revision()) {
        // The write named the version it starts from (If-Match or "revision"), and that version
        // is not current: its precondition failed.
        response = ErrorResponse(context.renderer, request,
                                 Error(ErrorCode::kPreconditionFailed, e.what())
                                     .WithCurrentRevision(*e.current_revision()));
      } else {
        response = ErrorResponse(context.renderer, request, e, prefix);
      }
    }
    response.SetHeader("Cache-Control", "no-store");
    return response;
  };
}

int64_t IdParam(const RouteParams& params, std::string_view name = "id") {
  const std::optional<int64_t> id = http::ParseInteger(params.Get(name), 1, INT64_MAX);
  if (!id) {
    throw Error(
        ErrorCode::kInvalidInput,
        fmt::format("{} must be a positive whole number, not '{}'", name, params.Get(name)));
  }
  return *id;
}

std::optional<int64_t> OptionalRevision(const json& body) {
  const auto it = body.find("revision");
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() || it->get<int64_t>() < 0) {
    throw Error(ErrorCode::kInvalidInput, "revision: must be a whole number, 0 or more");
  }
  return it->get<int64_t>();
}

// The version a write to an existing item starts from: the entity tag of If-Match ("N", the
// ETag of GET …/draft; "*" for whatever is current, which skips the check), else the body's
// "revision"; with neither, Error(kPreconditionRequired).
std::optional<int64_t> RequiredBase(const Request& request, const json& body) {
  if (const std::optional<std::string> header = request.Header("If-Match")) {
    std::string_view tag = *header;
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag == "*") return std::nullopt;
    if (tag.size() >= 3 && tag.front() == '"' && tag.back() == '"') {
      if (const std::optional<int64_t> n =
              http::ParseInteger(tag.substr(1, tag.size() - 2), 0, INT64_MAX)) {
        return *n;
      }
    }
    throw Error(ErrorCode::kInvalidInput,
                "If-Match: must be one entity tag such as \"3\" (the ETag of GET "
                "/api/v1/assets/{id}/draft), or *");
  }
  if (const std::optional<int64_t> revision = OptionalRevision(body)) return revision;
  throw Error(ErrorCode::kPreconditionRequired,
              "this write needs the version it starts from: send 'If-Match: \"N\"' with the ETag "
              "of GET /api/v1/assets/{id}/draft (or \"revision\": N in the body)");
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
  std::optional<int64_t> base = RequiredBase(request, body);
  const auto asset = body.find("asset");
  if (asset == body.end()) throw Error(ErrorCode::kInvalidInput, "asset: is required");
  const std::string note = OptionalText(body, "note");
  content::Asset authored = AuthoredAsset(*asset, content::Now());
  if (!base) {
    // If-Match: * : whatever is current now.
    base = workflow.Get(actor, id).head.latest;
  }
  return ItemResponse(
      200, workflow.Save(actor, id, std::move(authored), *base, note, request.remote_address));
}

// The item's working copy as the §6 JSON, for the writes that change part of it; `base` is
// checked here already (412 before the body is looked at) and again by the save.
struct WorkingCopy {
  json asset;
  int64_t base = 0;
};

WorkingCopy LoadWorkingCopy(authoring::Workflow& workflow, const auth::Principal& actor, int64_t id,
                            std::optional<int64_t> base) {
  const authoring::Item item = workflow.Get(actor, id);
  if (base && *base != item.head.latest) {
    throw authoring::StaleRevision(id, item.head.latest, *base);
  }
  return {json::parse(content::ToJson(item.working).dump()), item.head.latest};
}

Response SaveWorkingCopy(authoring::Workflow& workflow, const auth::Principal& actor,
                         const Request& request, int64_t id, const WorkingCopy& copy,
                         std::string_view note) {
  content::Asset asset = AuthoredAsset(copy.asset, content::Now());
  return ItemResponse(
      200, workflow.Save(actor, id, std::move(asset), copy.base, note, request.remote_address));
}

// The media type of the body without parameters, lower-case ("application/merge-patch+json").
std::string MediaType(const Request& request) {
  std::string type = request.Header("Content-Type").value_or("");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.erase(0, 1);
  AsciiLowerInPlace(type);
  return type;
}

// PATCH /api/v1/assets/{id}: a JSON merge patch (RFC 7386) of the working copy.
Response Patch(authoring::Workflow& workflow, const auth::Principal& actor, const Request& request,
               const RouteParams& params) {
  const int64_t id = IdParam(params);
  if (MediaType(request) != "application/merge-patch+json") {
    throw Error(ErrorCode::kUnsupportedMediaType,
                "PATCH takes a JSON merge patch (RFC 7386): send it as "
                "'Content-Type: application/merge-patch+json', or the whole asset with PUT");
  }
  const json patch = ParseJson(request.body);
  if (patch.is_discarded()) throw Error(ErrorCode::kInvalidInput, "the body is not JSON");
  if (!patch.is_object()) {
    throw Error(ErrorCode::kInvalidInput,
                "the patch must be a JSON object of the members to change");
  }
  // The body is the patch: the version comes from If-Match only.
  const std::optional<int64_t> base = RequiredBase(request, json::object());
  if (const auto it = patch.find("id");
      it != patch.end() && !(it->is_number_integer() && it->get<int64_t>() == id)) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("id: is {}, but this is asset {}; leave it out", it->dump(), id));
  }
  WorkingCopy copy = LoadWorkingCopy(workflow, actor, id, base);
  if (const auto it = patch.find("status"); it != patch.end() && *it != copy.asset["status"]) {
    throw Error(ErrorCode::kInvalidInput,
                "status: changes through …/publish, …/schedule, …/unschedule and …/archive");
  }
  copy.asset.merge_patch(patch);
  if (!copy.asset.contains("translations")) copy.asset["translations"] = json::object();
  return SaveWorkingCopy(workflow, actor, request, id, copy, "patch");
}

// The {lang} of a translation route in canonical form.
std::string LanguageParam(const RouteParams& params) {
  const std::optional<std::string> tag = content::CanonicalLanguageTag(params.Get("lang"));
  if (!tag) {
    throw Error(
        ErrorCode::kInvalidInput,
        fmt::format("lang: '{}' is not a BCP 47 language tag such as en-GB", params.Get("lang")));
  }
  return *tag;
}

// PUT /api/v1/assets/{id}/translations/{lang}: adds or replaces one translation.
Response PutTranslation(authoring::Workflow& workflow, const auth::Principal& actor,
                        const Request& request, const RouteParams& params) {
  const int64_t id = IdParam(params);
  const std::string lang = LanguageParam(params);
  json translation = BodyObject(request, false);
  const std::optional<int64_t> base = RequiredBase(request, json::object());
  WorkingCopy copy = LoadWorkingCopy(workflow, actor, id, base);
  translation.erase("language");  // the key says it
  copy.asset["translations"][lang] = std::move(translation);
  json& languages = copy.asset["languages"];
  if (!languages.is_array()) languages = json::array();
  if (std::find(languages.begin(), languages.end(), lang) == languages.end()) {
    languages.push_back(lang);
  }
  return SaveWorkingCopy(workflow, actor, request, id, copy, "translation " + lang);
}

// DELETE /api/v1/assets/{id}/translations/{lang}: removes one translation (never the last).
Response DeleteTranslation(authoring::Workflow& workflow, const auth::Principal& actor,
                           const Request& request, const RouteParams& params) {
  const int64_t id = IdParam(params);
  const std::string lang = LanguageParam(params);
  const std::optional<int64_t> base = RequiredBase(request, BodyObject(request, true));
  WorkingCopy copy = LoadWorkingCopy(workflow, actor, id, base);
  json& translations = copy.asset["translations"];
  if (!translations.contains(lang)) {
    throw Error(ErrorCode::kNotFound, fmt::format("asset {} has no translation {}", id, lang));
  }
  if (translations.size() == 1) {
    throw FieldErrors(ErrorCode::kUnprocessable,
                      {{"/translations/" + lang,
                        "is the item's only translation: an item needs one; delete the item or "
                        "add another translation first"}});
  }
  translations.erase(lang);
  json& languages = copy.asset["languages"];
  if (languages.is_array()) {
    languages.erase(std::remove(languages.begin(), languages.end(), lang), languages.end());
  }
  return SaveWorkingCopy(workflow, actor, request, id, copy, "remove translation " + lang);
}

// PUT /api/v1/assets/{id}/related: the "Additional materials" list, replaced.
Response PutRelated(store::Store& store, authoring::Workflow& workflow,
                    const auth::Principal& actor, const Request& request,
                    const RouteParams& params) {
  const int64_t id = IdParam(params);
  const json related = ParseJson(request.body);
  if (related.is_discarded()) throw Error(ErrorCode::kInvalidInput, "the body is not JSON");
  if (!related.is_array()) {
    throw Error(ErrorCode::kInvalidInput,
                "the body must be a JSON array such as [{\"id\": 7}, {\"title\": \"…\"}]");
  }
  const std::optional<int64_t> base = RequiredBase(request, json::object());
  WorkingCopy copy = LoadWorkingCopy(workflow, actor, id, base);
  copy.asset["related"] = related;
  // Read (and type-checked) as part of the asset; then every id must name another asset.
  const content::Asset asset = AuthoredAsset(copy.asset, content::Now());
  std::vector<FieldError> errors;
  for (size_t i = 0; i < asset.related.size(); ++i) {
    const int64_t other = asset.related[i].id;
    if (other == 0) continue;
    const std::string pointer = fmt::format("/related/{}/id", i);
    if (other == id) {
      errors.push_back({pointer, "is this item itself"});
    } else if (!store.Get(other)) {
      errors.push_back({pointer, fmt::format("there is no asset {}", other)});
    }
  }
  if (!errors.empty()) throw FieldErrors(ErrorCode::kUnprocessable, std::move(errors));
  return SaveWorkingCopy(workflow, actor, request, id, copy, "related");
}

// POST /api/v1/assets/{id}/revisions/{number}/restore.
Response Restore(authoring::Workflow& workflow, const auth::Principal& actor,
                 const Request& request, const RouteParams& params) {
  const int64_t id = IdParam(params);
  const int64_t number = IdParam(params, "number");
  std::optional<int64_t> base = RequiredBase(request, BodyObject(request, true));
  if (!base) base = workflow.Get(actor, id).head.latest;  // If-Match: *
  return ItemResponse(200, workflow.Restore(actor, id, number, *base, request.remote_address));
}

ordered_json DiffLinesJson(const std::vector<authoring::DiffLine>& lines) {
  ordered_json out = ordered_json::array();
  for (const authoring::DiffLine& line : lines) {
    ordered_json j;
    j["op"] = authoring::DiffOpName(line.op);
    if (line.collapsed > 0) {
      j["collapsed"] = line.collapsed;
    } else {
      j["text"] = line.text;
    }
    out.push_back(std::move(j));
  }
  return out;
}

ordered_json FieldsJson(const std::vector<authoring::FieldDiff>& fields) {
  ordered_json out = ordered_json::array();
  for (const authoring::FieldDiff& field : fields) {
    ordered_json j;
    j["field"] = field.field;
    j["changed"] = field.changed;
    j["lines"] = DiffLinesJson(field.lines);
    out.push_back(std::move(j));
  }
  return out;
}

// GET /api/v1/assets/{id}/diff?from=N&to=M.
Response Diff(authoring::Workflow& workflow, const auth::Principal& actor, const Request& request,
              const RouteParams& params) {
  const int64_t id = IdParam(params);
  const auto number = [&](std::string_view name) {
    const std::optional<std::string> text = request.Query(name);
    const std::optional<int64_t> n = text ? http::ParseInteger(*text, 1, INT64_MAX) : std::nullopt;
    if (!n) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("{}: give a revision number, as in ?from=1&to=2", name));
    }
    return *n;
  };
  const int64_t from = number("from");
  const int64_t to = number("to");
  const authoring::AssetDiff diff = workflow.Diff(actor, id, from, to);
  ordered_json j;
  j["id"] = id;
  j["from"] = from;
  j["to"] = to;
  j["changed"] = diff.changed();
  j["metadata"] = FieldsJson(diff.metadata);
  ordered_json translations = ordered_json::array();
  for (const authoring::TranslationDiff& t : diff.translations) {
    ordered_json tj;
    tj["language"] = t.language;
    tj["state"] = t.state;
    tj["fields"] = FieldsJson(t.fields);
    translations.push_back(std::move(tj));
  }
  j["translations"] = std::move(translations);
  return Response::Json(200, render::SafeJsonText(j));
}

// A change of status that takes nothing but the version it starts from: unschedule, archive.
using StatusChangeMethod = authoring::Item (authoring::Workflow::*)(const auth::Principal&, int64_t,
                                                                    std::optional<int64_t>,
                                                                    std::string_view);
WriteHandler StatusChange(StatusChangeMethod change) {
  return [change](authoring::Workflow& w, const auth::Principal& actor, const Request& request,
                  const RouteParams& params) {
    const int64_t id = IdParam(params);
    return ItemResponse(200,
                        (w.*change)(actor, id, RequiredBase(request, BodyObject(request, true)),
                                    request.remote_address));
  };
}

}  // namespace

void AddWriteRoutes(Router& router, const Context& context) {
  authoring::WorkflowOptions options;
  // An asset's "media" name library files: completed from the library. An unknown one is
  // well-formed input naming what is not there: 422, with the entries' pointers.
  options.prepare = [&store = context.store](content::Asset& asset) {
    if (asset.media.empty()) return;
    try {
      ResolveMedia(store, asset);
    } catch (const Error& e) {
      if (e.fields().empty()) throw;
      throw FieldErrors(ErrorCode::kUnprocessable, e.fields());
    }
  };
  ChangeNotifier* changes = context.changes;
  options.on_commit = [changes] {
    if (changes != nullptr) changes->Notify();
  };
  auto workflow = std::make_shared<authoring::Workflow>(context.store, context.auth, options);

  router.Add(
      "/api/v1/assets", {"POST"},
      Guarded(context, workflow, auth::Action::kCreate,
              [](authoring::Workflow& w, const auth::Principal& actor, const Request& request,
                 const RouteParams&) { return Create(w, actor, request); }));
  router.Add("/api/v1/assets/{id}", {"PUT"}, Guarded(context, workflow, auth::Action::kEdit, Save));
  router.Add("/api/v1/assets/{id}", {"DELETE"},
             Guarded(context, workflow, auth::Action::kDelete,
                     [](authoring::Workflow& w, const auth::Principal& actor,
                        const Request& request, const RouteParams& params) {
                       const int64_t id = IdParam(params);
                       w.Delete(actor, id, RequiredBase(request, BodyObject(request, true)),
                                request.remote_address);
                       Response response;
                       response.status = 204;
                       return response;
                     }));
  router.Get("/api/v1/assets/{id}/draft",
             Guarded(context, workflow, auth::Action::kReadDraft,
                     [](authoring::Workflow& w, const auth::Principal& actor, const Request&,
                        const RouteParams& params) {
                       return ItemResponse(200, w.Get(actor, IdParam(params)));
                     }));
  router.Add("/api/v1/assets/{id}/publish", {"POST"},
             Guarded(context, workflow, auth::Action::kPublish,
                     [](authoring::Workflow& w, const auth::Principal& actor,
                        const Request& request, const RouteParams& params) {
                       const int64_t id = IdParam(params);
                       const json body = BodyObject(request, true);
                       return ItemResponse(200, w.Publish(actor, id, RequiredBase(request, body),
                                                          OptionalInstant(body, "published_at"),
                                                          request.remote_address));
                     }));
  router.Add("/api/v1/assets/{id}/schedule", {"POST"},
             Guarded(context, workflow, auth::Action::kSchedule,
                     [](authoring::Workflow& w, const auth::Principal& actor,
                        const Request& request, const RouteParams& params) {
                       const int64_t id = IdParam(params);
                       const json body = BodyObject(request, false);
                       const std::optional<int64_t> base = RequiredBase(request, body);
                       const std::optional<content::Instant> at = OptionalInstant(body, "at");
                       if (!at) throw Error(ErrorCode::kInvalidInput, "at: is required");
                       return ItemResponse(
                           200, w.Schedule(actor, id, base, *at, request.remote_address));
                     }));
  router.Add("/api/v1/assets/{id}/unschedule", {"POST"},
             Guarded(context, workflow, auth::Action::kSchedule,
                     StatusChange(&authoring::Workflow::Unschedule)));
  router.Add("/api/v1/assets/{id}/archive", {"POST"},
             Guarded(context, workflow, auth::Action::kArchive,
                     StatusChange(&authoring::Workflow::Archive)));
  router.Get("/api/v1/assets/{id}/revisions",
             Guarded(context, workflow, auth::Action::kReadDraft,
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
             Guarded(context, workflow, auth::Action::kReadDraft,
                     [](authoring::Workflow& w, const auth::Principal& actor, const Request&,
                        const RouteParams& params) {
                       return Response::Json(
                           200, render::SafeJsonText(RevisionJson(w.GetRevision(
                                    actor, IdParam(params), IdParam(params, "number")))));
                     }));
  router.Add("/api/v1/assets/{id}", {"PATCH"},
             Guarded(context, workflow, auth::Action::kEdit, Patch, ""));
  router.Add("/api/v1/assets/{id}/translations/{lang}", {"PUT"},
             Guarded(context, workflow, auth::Action::kEdit, PutTranslation, ""));
  router.Add("/api/v1/assets/{id}/translations/{lang}", {"DELETE"},
             Guarded(context, workflow, auth::Action::kEdit, DeleteTranslation, ""));
  store::Store* store = &context.store;
  router.Add("/api/v1/assets/{id}/related", {"PUT"},
             Guarded(
                 context, workflow, auth::Action::kEdit,
                 [store](authoring::Workflow& w, const auth::Principal& actor,
                         const Request& request, const RouteParams& params) {
                   return PutRelated(*store, w, actor, request, params);
                 },
                 ""));
  router.Add("/api/v1/assets/{id}/revisions/{number}/restore", {"POST"},
             Guarded(context, workflow, auth::Action::kEdit, Restore, ""));
  router.Get("/api/v1/assets/{id}/diff",
             Guarded(context, workflow, auth::Action::kReadDraft, Diff));
}

}  // namespace assetpub::web
