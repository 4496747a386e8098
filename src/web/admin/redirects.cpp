// The desk's Redirects page: the old addresses of items (store::Redirect), listed by path, with a
// form to add one and a delete button per row; the checks and writes are the API's
// (web/api/redirect_routes.h), so both refuse and record alike.
#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "content/language.h"
#include "core/error.h"
#include "http/params.h"
#include "render/paths.h"
#include "web/admin/desk.h"
#include "web/api/redirect_routes.h"

namespace assetpub::web::admin {
namespace {

// The old address as an editor pastes it: a whole URL of the old site
// ("https://old.example.org/2014/03/12/statement/") is taken as its path and query.
std::string OldPath(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  for (std::string_view scheme : {"http://", "https://"}) {
    if (text.size() > scheme.size() && text.substr(0, scheme.size()) == scheme) {
      const std::string_view rest = text.substr(scheme.size());
      const size_t start = rest.find_first_of("/?");
      if (start == std::string_view::npos) return "/";
      return rest[start] == '/' ? std::string(rest.substr(start))
                                : "/" + std::string(rest.substr(start));
    }
  }
  return std::string(text);
}

// What the form showed, to show again after a refusal.
struct FormValues {
  std::string path;
  std::string asset;
  std::string language;
};

// The refusal's text: each wrong field's own sentence (they read alone), else the error's.
std::string Refusal(const Error& error) {
  if (error.fields().empty()) return error.what();
  std::string text;
  for (const FieldError& field : error.fields()) {
    text += (text.empty() ? "" : "; ") + field.message;
  }
  return text;
}

Response RedirectsPage(const Admin& admin, const Call& call, int status, const std::string& notice,
                       const std::string& error, const FormValues& form) {
  const int64_t page = http::QueryInteger(call.request, "page", 1, 1, kMaxPage);
  const int64_t asset = http::QueryInteger(call.request, "asset", 0, 1, INT64_MAX);
  store::RedirectQuery query;
  if (asset > 0) query.asset_id = asset;
  query.offset = (page - 1) * kRedirectPageSize;
  query.limit = kRedirectPageSize;
  const store::RedirectPage listed = admin.context.store.ListRedirects(query);
  const bool can_edit = call.session.principal.May(auth::Action::kEdit);

  json rows = json::array();
  for (const RedirectRow& row : RedirectRows(admin.context, listed.redirects)) {
    const store::Redirect& r = row.redirect;
    json item = false;
    if (row.item) {
      const bool published = row.item->status == content::Status::kPublished;
      item = {{"href", fmt::format("/admin/items/{}", r.asset_id)},
              {"title", row.item->title},
              {"lang", row.item->language},
              {"dir", content::TextDirection(row.item->language)},
              {"status", admin.StatusLabel(row.item->status)},
              {"target", published ? json(row.target) : json(false)}};
    }
    rows.push_back(
        {{"path", r.path},
         {"id", std::to_string(r.asset_id)},
         {"language", r.language},
         {"language_name", content::NativeLanguageName(r.language)},
         {"item", std::move(item)},
         {"can_delete", can_edit},
         {"csrf", call.session.csrf},
         {"delete_label", Fill(admin.T("admin.redirects.delete_label"), {{"path", r.path}})}});
  }
  json languages = json::array();
  languages.push_back(
      {{"value", ""}, {"name", admin.T("admin.redirects.language_auto")}, {"selected", false}});
  for (const std::string& tag : admin.context.renderer.languages()) {
    languages.push_back({{"value", tag},
                         {"name", content::NativeLanguageName(tag)},
                         {"selected", tag == form.language}});
  }
  const auto page_link = [&](int64_t number) {
    return json(asset > 0 ? fmt::format("/admin/redirects?asset={}&page={}", asset, number)
                          : fmt::format("/admin/redirects?page={}", number));
  };
  json view{
      {"title", admin.T("admin.redirects.title")},
      {"intro", admin.T("admin.redirects.intro")},
      {"has_rows", !rows.empty()},
      {"rows", std::move(rows)},
      {"filtered",
       asset > 0 ? json(Fill(admin.T("admin.redirects.filtered"), {{"id", std::to_string(asset)}}))
                 : json(false)},
      {"count", Fill(admin.T("admin.redirects.count"), {{"count", std::to_string(listed.total)}})},
      {"can_edit", can_edit},
      {"csrf", call.session.csrf},
      {"form_path", form.path},
      {"form_asset",
       !form.asset.empty() ? form.asset : (asset > 0 ? std::to_string(asset) : std::string())},
      {"languages", std::move(languages)},
      {"max_path", std::to_string(store::kMaxRedirectPath)},
      {"previous", page > 1 ? page_link(page - 1) : json(false)},
      {"next", page * kRedirectPageSize < listed.total ? page_link(page + 1) : json(false)}};
  if (!notice.empty()) view["notice"] = notice;
  if (!error.empty()) view["error"] = error;
  return Page(admin, call.request.target, status, "redirects", std::move(view), &call.session);
}

}  // namespace

Response Redirects(const Admin& admin, const Call& call) {
  std::string notice;
  if (std::optional<std::string> added = call.request.Query("added")) {
    notice = Fill(admin.T("admin.redirects.added"), {{"path", *added}});
  } else if (std::optional<std::string> deleted = call.request.Query("deleted")) {
    notice = Fill(admin.T("admin.redirects.deleted"), {{"path", *deleted}});
  }
  return RedirectsPage(admin, call, 200, notice, "", {});
}

Response AddRedirect(const Admin& admin, const Call& call) {
  const FormValues form{call.form.Get("path"), call.form.Get("asset"), call.form.Get("language")};
  try {
    RedirectInput input;
    input.path = OldPath(form.path);
    const std::optional<int64_t> id = http::ParseInteger(form.asset, 1, INT64_MAX);
    if (!id) {
      throw Error(
          ErrorCode::kInvalidInput,
          fmt::format("the item must be given by its number, not '{}'", form.asset.substr(0, 100)));
    }
    input.asset_id = *id;
    input.language = form.language;
    const store::Redirect redirect = ResolveRedirect(admin.context, input);
    SaveRedirect(admin.context, call.session.principal, redirect, call.request.remote_address);
    return Response::Redirect(303,
                              "/admin/redirects?added=" + render::PercentEncode(redirect.path));
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput && e.code() != ErrorCode::kUnprocessable) throw;
    return RedirectsPage(admin, call, HttpStatus(e.code()), "", Refusal(e), form);
  }
}

Response DeleteRedirect(const Admin& admin, const Call& call) {
  const std::string& path = call.form.Get("path");
  try {
    RemoveRedirect(admin.context, call.session.principal, path, call.request.remote_address);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kNotFound) throw;
    return RedirectsPage(admin, call, 404, "", e.what(), {});
  }
  return Response::Redirect(303, "/admin/redirects?deleted=" + render::PercentEncode(path));
}

}  // namespace assetpub::web::admin
