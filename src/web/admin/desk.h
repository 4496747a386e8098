#pragma once
// The editors' desk's shared parts, for the files that make its pages (web/admin/*.cpp; the
// routes are in admin_routes.h): the per-language Admin, a logged-in request's AdminSession and
// Call, the page layout and the login guard. Internal to web/admin/. Thread-safety: an Admin is
// built at start and then only read; everything else is per request.

#include <fmt/format.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "auth/authenticator.h"
#include "authoring/workflow.h"
#include "content/instant.h"
#include "core/error.h"
#include "http/cookies.h"
#include "render/admin_pages.h"
#include "web/admin/admin_form.h"
#include "web/context.h"

namespace assetpub::web::admin {

using nlohmann::json;

inline constexpr int64_t kPageSize = 50;
inline constexpr int64_t kMaxPage = 100'000;
// A filter the store cannot answer (a kind or a missing language without a language to select
// by) is applied to the newest this-many items, read in batches; the page says so.
inline constexpr int64_t kScanLimit = 5000;
inline constexpr int64_t kScanBatch = 500;
inline constexpr int64_t kAuditPageSize = 50;

// Replaces each "{name}" of `text` with its value.
std::string Fill(std::string text,
                 std::initializer_list<std::pair<std::string_view, std::string>> values);

// Everything the admin handlers share; owned by the routes' closures.
struct Admin {
  // The UI in `language_in`, one of the site's languages (a full tag).
  Admin(const Context& context_in, std::string language_in)
      : context(context_in),
        language(std::move(language_in)),
        pages(context_in.renderer.resources_dir(), context_in.renderer.Strings(language), language),
        secure(context_in.config.base_url.starts_with("https://")) {
    authoring::WorkflowOptions options;
    ChangeNotifier* changes = context_in.changes;
    options.on_commit = [changes] {
      if (changes != nullptr) changes->Notify();
    };
    workflow = std::make_unique<authoring::Workflow>(context_in.store, context_in.auth, options);
  }

  const Context& context;
  std::string language;  // the UI's: one of the site's languages
  render::AdminPages pages;
  bool secure;
  // Every write of the admin UI goes through the one write path (authoring/workflow.h).
  std::unique_ptr<authoring::Workflow> workflow;

  const std::string& T(std::string_view key) const { return pages.Text(key); }

  std::string SessionCookie(std::string_view value, std::optional<int64_t> max_age = {}) const {
    http::CookieOptions options;
    options.path = "/admin";
    options.secure = secure;
    options.same_site = "Strict";
    options.max_age = max_age;
    return http::SetCookieHeader(http::kSessionCookie, value, options);
  }

  std::string Date(content::Instant instant, const std::string& zone) const {
    return content::FormatDateTime(instant, zone, language);
  }

  std::string KindLabel(content::Kind kind) const {
    return context.renderer.Strings(language).Text(fmt::format("kind.{}", content::KindName(kind)));
  }
  std::string StatusLabel(content::Status status) const {
    return T(fmt::format("admin.status.{}", content::StatusName(status)));
  }
};

// A logged-in request.
struct AdminSession {
  std::string cookie;
  auth::Principal principal;
  std::string csrf;
};

struct Call {
  const Request& request;
  const RouteParams& params;
  const AdminSession& session;
  const Form& form;  // the POST's fields; empty for GET
};

// --- Shared by the desk's pages (desk.cpp) --------------------------------------------------

// The response marked as not to be stored.
Response NoStore(Response response);

// An admin page: the layout (the user block for `session`, the UI language switch linking to
// `target` in each language) around the page `name` with `view`.
Response Page(const Admin& admin, std::string_view target, int status, std::string_view name,
              json view, const AdminSession* session);

// A page with a title and one message (errors, refusals).
Response MessagePage(const Admin& admin, std::string_view target, int status,
                     const std::string& text, const AdminSession* session);

// The message for a failure of `error`'s code (its own text for what the user can fix).
std::string ErrorText(const Admin& admin, const Error& error);

// Only a path inside the admin UI is a place to go back to after login (no open redirect).
std::string SafeNext(const std::optional<std::string>& next);

// The logged-in session of `request`, if any.
std::optional<AdminSession> FindSession(const Admin& admin, const Request& request);

// The 503 page for a desk without accounts.
Response Unavailable(const Admin& admin, std::string_view target);

using SessionHandler = std::function<Response(const Admin&, const Call&)>;

// A request to a page behind the login, in `admin`'s UI: the session (else the login page),
// the form and its CSRF token for a POST, the permission for `action`; then `handler`.
Response ProtectedCall(const Admin& admin, const std::optional<auth::Action>& action,
                       const SessionHandler& handler, const Request& request,
                       const RouteParams& params);

// --- The pages, by feature (login.cpp, items.cpp, edit.cpp, history.cpp, accounts.cpp,
// media.cpp, redirects.cpp); each answers one route of AddAdminRoutes -------------------------

Response LoginGet(const Admin& admin, const Request& request);
Response LoginPost(const Admin& admin, const Request& request);
Response Logout(const Admin& admin, const Call& call);

Response Items(const Admin& admin, const Call& call);
Response Item(const Admin& admin, const Call& call);
Response Preview(const Admin& admin, const Call& call);
// The translation an item is listed under: the UI's language when the item has it, else its first.
const content::Translation* ShownTranslation(const Admin& admin, const content::Asset& asset);

Response NewItem(const Admin& admin, const Call& call);
Response CreateItem(const Admin& admin, const Call& call);
Response EditItem(const Admin& admin, const Call& call);
Response SaveItem(const Admin& admin, const Call& call);
Response StatusAction(const Admin& admin, const Call& call, std::string_view action);
// The item page's and the history's helpers: the {id} parameter (404 when malformed), a
// block as the templates show it, values joined with ", ", a language version's preview.
int64_t ItemId(const Call& call);
json BlockView(const content::Block& block);
std::string Join(const std::vector<std::string>& values);
Response PreviewPage(const Admin& admin, content::Asset asset, const std::string& primary);

Response History(const Admin& admin, const Call& call);
Response DiffPage(const Admin& admin, const Call& call);
Response RestoreRevision(const Admin& admin, const Call& call);

Response Users(const Admin& admin, const Call& call);
Response AddUser(const Admin& admin, const Call& call);
Response DisableUser(const Admin& admin, const Call& call);
Response Tokens(const Admin& admin, const Call& call);
Response CreateToken(const Admin& admin, const Call& call);
Response RevokeToken(const Admin& admin, const Call& call);
Response Audit(const Admin& admin, const Call& call);

Response MediaLibrary(const Admin& admin, const Call& call);
Response UploadMedia(const Admin& admin, const Call& call);

// redirects.cpp: GET /admin/redirects (?page, ?asset), POST /admin/redirects (add or replace),
// POST /admin/redirects/delete (field "path").
Response Redirects(const Admin& admin, const Call& call);
Response AddRedirect(const Admin& admin, const Call& call);
Response DeleteRedirect(const Admin& admin, const Call& call);

// Adds every route of the desk (admin_routes.h: AddAdminRoutes).
void AddRoutes(Router& router, const Context& context);

}  // namespace assetpub::web::admin
