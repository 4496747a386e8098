#include "web/admin/desk.h"

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
#include "core/text.h"
#include "http/cookies.h"
#include "http/multipart.h"
#include "http/params.h"
#include "render/admin_pages.h"
#include "render/paths.h"
#include "web/admin/admin_body.h"
#include "web/admin/admin_form.h"
#include "web/api/media_routes.h"

namespace assetpub::web::admin {

// Replaces each "{name}" of `text` with its value.
std::string Fill(std::string text,
                 std::initializer_list<std::pair<std::string_view, std::string>> values) {
  for (const auto& [name, value] : values) {
    const std::string placeholder = fmt::format("{{{}}}", name);
    for (size_t at = text.find(placeholder); at != std::string::npos;
         at = text.find(placeholder, at + value.size())) {
      text.replace(at, placeholder.size(), value);
    }
  }
  return text;
}

Response NoStore(Response response) {
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

// The "user" block of the layout for a session.
json UserView(const AdminSession& session) {
  return json{{"name", session.principal.name},
              {"role", std::string(auth::RoleName(session.principal.role))},
              {"csrf", session.csrf},
              {"is_admin", session.principal.May(auth::Action::kManageUsers)},
              {"can_create", session.principal.May(auth::Action::kCreate)}};
}

// The switch's link to the page at `target` in the UI `primary`: "?", the target's query
// parameters but any "ui" (as sent: the page's own, such as a diff's revisions, a list's
// filters or the login's next), then "ui=PRIMARY". A link of "?ui=ru" alone would drop them.
std::string SwitchHref(std::string_view target, std::string_view primary) {
  std::string href = "?";
  if (const size_t start = target.find('?'); start != std::string_view::npos) {
    std::string_view query = target.substr(start + 1);
    while (!query.empty()) {
      const size_t end = query.find('&');
      const std::string_view parameter = query.substr(0, end);
      query = end == std::string_view::npos ? std::string_view() : query.substr(end + 1);
      const std::optional<std::string> name =
          PercentDecode(parameter.substr(0, parameter.find('=')), true);
      if (parameter.empty() || !name || *name == "ui") continue;
      href += parameter;
      href += '&';
    }
  }
  href += "ui=";
  href += primary;
  return href;
}

// The layout's language switch, as the site's: one entry per language the desk is translated
// into (Renderer::desk_languages), the current one
// marked; the others link to this page in that language ("?ui=ru" after the page's own
// parameters, remembered in a cookie; "lang" is the items filter's).
json UiLanguagesView(const Admin& admin, std::string_view target) {
  json languages = json::array();
  for (const std::string& tag : admin.context.renderer.desk_languages()) {
    const std::string primary = content::PrimarySubtag(tag);
    languages.push_back({{"tag", primary},
                         {"name", content::NativeLanguageName(tag)},
                         {"dir", content::TextDirection(tag)},
                         {"href", SwitchHref(target, primary)},
                         {"current", tag == admin.language}});
  }
  return languages;
}

Response Page(const Admin& admin, std::string_view target, int status, std::string_view name,
              json view, const AdminSession* session) {
  if (session != nullptr) view["user"] = UserView(*session);
  if (admin.context.renderer.desk_languages().size() > 1) {
    view["has_ui_languages"] = true;
    view["ui_languages"] = UiLanguagesView(admin, target);
  }
  return NoStore(Response::Html(status, admin.pages.Page(name, view), admin.language));
}

// A page with a title and one message (errors, refusals).
Response MessagePage(const Admin& admin, std::string_view target, int status,
                     const std::string& text, const AdminSession* session) {
  json view{{"title", admin.T("admin.error.title")}, {"text", text}};
  if (session != nullptr) {
    view["back"] = json{{"href", "/admin/"}, {"label", admin.T("admin.back")}};
  }
  return Page(admin, target, status, "message", std::move(view), session);
}

// The message for a failure of `code` (the exception's own text for what the user can fix).
std::string ErrorText(const Admin& admin, const Error& error) {
  switch (error.code()) {
    case ErrorCode::kForbidden:
      return admin.T("admin.error.forbidden");
    case ErrorCode::kNotFound:
      return admin.T("admin.error.not_found");
    case ErrorCode::kInsufficientStorage:
      return admin.T("admin.error.storage");
    case ErrorCode::kInvalidInput:
    case ErrorCode::kConflict:
    case ErrorCode::kTooLarge:
    case ErrorCode::kPreconditionFailed:
    case ErrorCode::kPreconditionRequired:
    case ErrorCode::kUnsupportedMediaType:
    case ErrorCode::kUnprocessable:
    case ErrorCode::kRangeNotSatisfiable:
    case ErrorCode::kTooManyRequests:
      return error.what();
    case ErrorCode::kUnavailable:
    case ErrorCode::kUnauthorised:
    case ErrorCode::kInternal:
    case ErrorCode::kMethodNotAllowed:
      break;
  }
  return admin.T("admin.error.other");
}

// Only a path inside the admin UI is a place to go back to after login (no open redirect).
std::string SafeNext(const std::optional<std::string>& next) {
  if (!next || !next->starts_with("/admin/") || next->find("//") != std::string::npos ||
      next->find('\\') != std::string::npos) {
    return "/admin/";
  }
  for (char c : *next) {
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f) return "/admin/";
  }
  return *next;
}

std::optional<AdminSession> FindSession(const Admin& admin, const Request& request) {
  std::optional<std::string> cookie = http::CookieValue(request, http::kSessionCookie);
  if (!cookie || cookie->empty()) return std::nullopt;
  std::optional<auth::Principal> principal = admin.context.auth->SessionPrincipal(*cookie);
  if (!principal) return std::nullopt;
  return AdminSession{*cookie, std::move(*principal), auth::CsrfToken(*cookie)};
}

Response Unavailable(const Admin& admin, std::string_view target) {
  return MessagePage(admin, target, 503, admin.T("admin.error.unavailable"), nullptr);
}

// A handler behind the login: no session → 303 to the login page; a POST without the
// session's CSRF token → 403; `action` not allowed to the role → 403; errors → a page.
// A request to a page behind the login, in `admin`'s UI: the session (else the login page),
// the form and its CSRF token for a POST, the permission for `action`; then `handler`.
Response ProtectedCall(const Admin& admin, const std::optional<auth::Action>& action,
                       const SessionHandler& handler, const Request& request,
                       const RouteParams& params) {
  if (admin.context.auth == nullptr) return Unavailable(admin, request.target);
  std::optional<AdminSession> session;
  try {
    session = FindSession(admin, request);
  } catch (const Error& e) {
    spdlog::error("admin: reading the session failed: {}", e.what());
    return MessagePage(admin, request.target, HttpStatus(e.code()), admin.T("admin.error.other"),
                       nullptr);
  }
  if (!session) {
    const std::string next = request.method == "GET" ? request.target : "/admin/";
    return NoStore(
        Response::Redirect(303, "/admin/login?next=" + render::PercentEncode(SafeNext(next))));
  }
  Form form;
  try {
    if (request.method == "POST") {
      form = ParseForm(request);
      if (!admin.context.auth->VerifyCsrf(session->cookie, form.Get("csrf"))) {
        return MessagePage(admin, request.target, 403, admin.T("admin.error.csrf"), &*session);
      }
    }
    if (action && !session->principal.May(*action)) {
      return MessagePage(admin, request.target, 403, admin.T("admin.error.forbidden"), &*session);
    }
    return NoStore(handler(admin, Call{request, params, *session, form}));
  } catch (const Error& e) {
    if (HttpStatus(e.code()) >= 500) spdlog::error("admin {}: {}", request.target, e.what());
    return MessagePage(admin, request.target, HttpStatus(e.code()), ErrorText(admin, e), &*session);
  }
}

// The cookie that keeps the UI language an editor chose (a primary subtag).

}  // namespace assetpub::web::admin
