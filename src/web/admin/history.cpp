#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "auth/crypto.h"
#include "auth/csrf.h"
#include "authoring/workflow.h"
#include "content/language.h"
#include "content/slug.h"
#include "core/error.h"
#include "http/cookies.h"
#include "http/multipart.h"
#include "http/params.h"
#include "render/admin_pages.h"
#include "render/paths.h"
#include "web/admin/admin_body.h"
#include "web/admin/admin_form.h"
#include "web/admin/desk.h"
#include "web/api/media_routes.h"

namespace assetpub::web::admin {

// --- History: revisions, comparison, restore --------------------------------------------------

int64_t RevisionParam(const Call& call) {
  const std::optional<int64_t> n = http::ParseInteger(call.params.Get("number"), 1, INT64_MAX);
  if (!n) {
    throw Error(ErrorCode::kNotFound, fmt::format("no revision '{}'", call.params.Get("number")));
  }
  return *n;
}

Response History(const Admin& admin, const Call& call) {
  const auth::Principal& actor = call.session.principal;
  const int64_t id = ItemId(call);
  const authoring::Item item = admin.workflow->Get(actor, id);
  const std::vector<store::Revision> history = admin.workflow->History(actor, id);
  const bool may_restore = actor.May(auth::Action::kEdit);
  // Preselected: the newest against the one before it.
  const int64_t to = item.head.latest;
  const int64_t from = to > 1 ? to - 1 : to;
  json revisions = json::array();
  for (const store::Revision& revision : history) {
    const std::string number = std::to_string(revision.number);
    const bool restorable = may_restore && revision.number != item.head.latest;
    revisions.push_back(
        {{"number", number},
         {"at", admin.Date(revision.at, admin.context.config.time_zone)},
         {"author", revision.author},
         {"note", revision.note},
         {"is_latest", revision.number == item.head.latest},
         {"is_live",
          item.status == content::Status::kPublished && revision.number == item.head.live},
         {"from_checked", revision.number == from},
         {"to_checked", revision.number == to},
         {"from_label", Fill(admin.T("admin.history.from_label"), {{"number", number}})},
         {"to_label", Fill(admin.T("admin.history.to_label"), {{"number", number}})},
         {"restore_action",
          restorable ? json(fmt::format("/admin/items/{}/revisions/{}/restore", id, number))
                     : json(false)},
         {"restore_label", Fill(admin.T("admin.history.restore_label"), {{"number", number}})}});
  }
  json view{{"title", Fill(admin.T("admin.history.title"), {{"id", std::to_string(id)}})},
            {"item_href", fmt::format("/admin/items/{}", id)},
            {"diff_action", fmt::format("/admin/items/{}/diff", id)},
            {"csrf", call.session.csrf},
            {"base", std::to_string(item.head.latest)},
            {"has_revisions", !revisions.empty()},
            {"revisions", std::move(revisions)}};
  return Page(admin, call.request.target, 200, "history", std::move(view), &call.session);
}

json DiffLinesView(const Admin& admin, const std::vector<authoring::DiffLine>& lines) {
  json out = json::array();
  for (const authoring::DiffLine& line : lines) {
    json entry{{"text", line.text},
               {"del", line.op == authoring::DiffOp::kDelete},
               {"ins", line.op == authoring::DiffOp::kInsert},
               {"eq", line.op == authoring::DiffOp::kEqual && line.collapsed == 0},
               {"collapsed", false}};
    if (line.collapsed > 0) {
      entry["collapsed"] =
          Fill(admin.T("admin.diff.collapsed"), {{"count", std::to_string(line.collapsed)}});
    }
    out.push_back(std::move(entry));
  }
  return out;
}

json DiffFieldsView(const Admin& admin, const std::vector<authoring::FieldDiff>& fields,
                    bool changed_only) {
  json out = json::array();
  for (const authoring::FieldDiff& field : fields) {
    if (changed_only && !field.changed) continue;
    if (field.lines.empty()) continue;  // empty on both sides
    out.push_back({{"label", admin.T("admin.diff.field." + field.field)},
                   {"lines", DiffLinesView(admin, field.lines)}});
  }
  return out;
}

Response DiffPage(const Admin& admin, const Call& call) {
  const int64_t id = ItemId(call);
  const int64_t from = http::QueryInteger(call.request, "from", 0, 1, INT64_MAX);
  const int64_t to = http::QueryInteger(call.request, "to", 0, 1, INT64_MAX);
  if (from == 0 || to == 0) {
    throw Error(ErrorCode::kInvalidInput, "choose the two revisions to compare");
  }
  const authoring::AssetDiff diff = admin.workflow->Diff(call.session.principal, id, from, to);
  json metadata = DiffFieldsView(admin, diff.metadata, true);
  json translations = json::array();
  for (const authoring::TranslationDiff& t : diff.translations) {
    translations.push_back({{"language", t.language},
                            {"dir", content::TextDirection(t.language)},
                            {"language_name", content::NativeLanguageName(t.language)},
                            {"ui_lang", admin.language},
                            {"state", admin.T("admin.diff." + t.state)},
                            {"fields", DiffFieldsView(admin, t.fields, t.state == "unchanged")}});
  }
  json view{{"title", Fill(admin.T("admin.diff.title"), {{"id", std::to_string(id)},
                                                         {"from", std::to_string(from)},
                                                         {"to", std::to_string(to)}})},
            {"summary", admin.T("admin.diff.summary")},
            {"item_href", fmt::format("/admin/items/{}", id)},
            {"history_href", fmt::format("/admin/items/{}/history", id)},
            {"changed", diff.changed()},
            {"has_metadata", !metadata.empty()},
            {"metadata", std::move(metadata)},
            {"translations", std::move(translations)}};
  return Page(admin, call.request.target, 200, "diff", std::move(view), &call.session);
}

Response RestoreRevision(const Admin& admin, const Call& call) {
  const int64_t id = ItemId(call);
  const int64_t number = RevisionParam(call);
  const std::optional<int64_t> base = http::ParseInteger(call.form.Get("base"), 0, INT64_MAX);
  if (!base) throw Error(ErrorCode::kInvalidInput, "the form has no revision to restore against");
  admin.workflow->Restore(call.session.principal, id, number, *base, call.request.remote_address);
  return Response::Redirect(303, fmt::format("/admin/items/{}?done=restored", id));
}

}  // namespace assetpub::web::admin
