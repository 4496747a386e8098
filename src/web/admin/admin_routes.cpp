#include "web/admin/admin_routes.h"

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
namespace {

constexpr const char* kLanguageCookie = "ap_lang";

// The admin UI in each language the desk is translated into (Renderer::desk_languages); which
// one serves a request: the language its ?ui= names, else the one its cookie names, else the
// site's default.
class AdminLanguages {
 public:
  explicit AdminLanguages(const Context& context) {
    for (const std::string& tag : context.renderer.desk_languages()) {
      by_primary_.emplace(content::PrimarySubtag(tag), std::make_unique<const Admin>(context, tag));
    }
    const auto it = by_primary_.find(content::PrimarySubtag(context.renderer.default_language()));
    if (it != by_primary_.end()) {
      default_ = it->second.get();
    } else {
      by_primary_.emplace(
          "", std::make_unique<const Admin>(context, context.renderer.default_language()));
      default_ = by_primary_.at("").get();
    }
  }

  // The UI for `request`, and whether it chose one by ?ui= (to be remembered).
  std::pair<const Admin*, bool> For(const Request& request) const {
    if (std::optional<std::string> asked = request.Query("ui")) {
      if (const auto it = by_primary_.find(*asked); it != by_primary_.end() && !asked->empty()) {
        return {it->second.get(), true};
      }
    }
    if (std::optional<std::string> kept = http::CookieValue(request, kLanguageCookie)) {
      if (const auto it = by_primary_.find(*kept); it != by_primary_.end() && !kept->empty()) {
        return {it->second.get(), false};
      }
    }
    return {default_, false};
  }

  // Runs `handle` with the UI `request` asks for; a language chosen by ?ui= is remembered
  // (a year) by a cookie on the answer.
  template <typename Handle>
  Response Serve(const Request& request, Handle&& handle) const {
    const auto [admin, chosen] = For(request);
    Response response = handle(*admin);
    if (chosen) {
      http::CookieOptions options;
      options.path = "/admin";
      options.secure = admin->secure;
      options.same_site = "Lax";
      options.max_age = 365 * 24 * 60 * 60;
      response.headers.emplace_back(
          "Set-Cookie",
          http::SetCookieHeader(kLanguageCookie, content::PrimarySubtag(admin->language), options));
    }
    return response;
  }

 private:
  std::map<std::string, std::unique_ptr<const Admin>> by_primary_;
  const Admin* default_ = nullptr;
};

http::Handler Protected(std::shared_ptr<const AdminLanguages> admins,
                        std::optional<auth::Action> action, SessionHandler handler) {
  return [admins = std::move(admins), action, handler = std::move(handler)](
             const Request& request, const RouteParams& params) -> Response {
    return admins->Serve(request, [&](const Admin& admin) {
      return ProtectedCall(admin, action, handler, request, params);
    });
  };
}

}  // namespace

void AddRoutes(Router& router, const Context& context) {
  auto admin = std::make_shared<const AdminLanguages>(context);
  router.Get("/admin", [](const Request&, const RouteParams&) {
    return NoStore(Response::Redirect(301, "/admin/"));
  });
  router.Get("/admin/login", [admin](const Request& request, const RouteParams&) {
    return admin->Serve(request, [&](const Admin& ui) { return LoginGet(ui, request); });
  });
  router.Add("/admin/login", {"POST"}, [admin](const Request& request, const RouteParams&) {
    return admin->Serve(request, [&](const Admin& ui) { return LoginPost(ui, request); });
  });
  const auto add = [&](std::string_view pattern, std::string method,
                       std::optional<auth::Action> action, SessionHandler handler) {
    router.Add(pattern, {std::move(method)}, Protected(admin, action, std::move(handler)));
  };
  using auth::Action;
  add("/admin/logout", "POST", std::nullopt, Logout);
  add("/admin/", "GET", Action::kReadDraft, Items);
  add("/admin/items/new", "GET", Action::kCreate, NewItem);
  add("/admin/items", "POST", Action::kCreate, CreateItem);
  add("/admin/items/{id}", "GET", Action::kReadDraft, Item);
  add("/admin/items/{id}/preview", "GET", Action::kReadDraft, Preview);
  add("/admin/items/{id}/edit", "GET", Action::kEdit, EditItem);
  add("/admin/items/{id}/edit", "POST", Action::kEdit, SaveItem);
  add("/admin/items/{id}/history", "GET", Action::kReadDraft, History);
  add("/admin/items/{id}/diff", "GET", Action::kReadDraft, DiffPage);
  add("/admin/items/{id}/revisions/{number}/restore", "POST", Action::kEdit, RestoreRevision);
  for (const auto& [name, needed] :
       {std::pair{"publish", Action::kPublish}, std::pair{"schedule", Action::kSchedule},
        std::pair{"unschedule", Action::kSchedule}, std::pair{"archive", Action::kArchive}}) {
    add(fmt::format("/admin/items/{{id}}/{}", name), "POST", needed,
        [action = std::string(name)](const Admin& admin, const Call& call) {
          return StatusAction(admin, call, action);
        });
  }
  add("/admin/users", "GET", Action::kManageUsers, Users);
  add("/admin/users", "POST", Action::kManageUsers, AddUser);
  add("/admin/users/{name}/disable", "POST", Action::kManageUsers, DisableUser);
  add("/admin/tokens", "GET", Action::kManageTokens, Tokens);
  add("/admin/tokens", "POST", Action::kManageTokens, CreateToken);
  add("/admin/tokens/{id}/revoke", "POST", Action::kManageTokens, RevokeToken);
  add("/admin/audit", "GET", Action::kViewAudit, Audit);
  add("/admin/media", "GET", Action::kUploadMedia, MediaLibrary);
  add("/admin/media", "POST", Action::kUploadMedia, UploadMedia);
  add("/admin/redirects", "GET", Action::kReadDraft, Redirects);
  add("/admin/redirects", "POST", Action::kEdit, AddRedirect);
  add("/admin/redirects/delete", "POST", Action::kEdit, DeleteRedirect);
  // Every library file, drafts' too, for whoever may see drafts (previews link here).
  add("/admin/media/{path...}", "GET", Action::kReadDraft,
      [](const Admin& admin, const Call& call) {
        return ServeMediaFile(admin.context, call.request, call.params.Get("path"));
      });
  // Anything else under /admin/: behind the login like the rest, then a 404 page.
  add("/admin/{rest...}", "GET", std::nullopt, [](const Admin&, const Call&) -> Response {
    throw Error(ErrorCode::kNotFound, "no such page");
  });
}

}  // namespace assetpub::web::admin

namespace assetpub::web {

void AddAdminRoutes(Router& router, const Context& context) { admin::AddRoutes(router, context); }

}  // namespace assetpub::web
