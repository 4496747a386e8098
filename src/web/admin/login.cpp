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

// --- Login ---------------------------------------------------------------------------------

// A cookie value we may have handed out: 43 URL-safe base64 characters.
bool LooksLikeOurCookie(const std::string& value) {
  if (value.size() != 43) return false;
  for (char c : value) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

Response LoginForm(const Admin& admin, std::string_view target, int status,
                   const std::string& nonce, const std::string& next, const std::string& name,
                   const std::string& error, const std::string& notice = {}) {
  json view{{"title", admin.T("admin.login.title")},
            {"csrf", auth::CsrfToken(nonce)},
            {"next", next},
            {"name", name}};
  if (!error.empty()) view["error"] = error;
  if (!notice.empty()) view["notice"] = notice;
  Response response = Page(admin, target, status, "login", std::move(view), nullptr);
  response.SetHeader("Set-Cookie", admin.SessionCookie(nonce));
  return response;
}

Response LoginGet(const Admin& admin, const Request& request) {
  if (admin.context.auth == nullptr) return Unavailable(admin, request.target);
  if (FindSession(admin, request)) return NoStore(Response::Redirect(303, "/admin/"));
  // Before login the cookie holds a nonce that the form's CSRF token is bound to; a nonce
  // already set is kept, so that two open login tabs both work.
  std::optional<std::string> cookie = http::CookieValue(request, http::kSessionCookie);
  const std::string nonce =
      cookie && LooksLikeOurCookie(*cookie) ? *cookie : auth::Base64Url(auth::RandomBytes(32));
  const std::string notice =
      request.Query("logged_out") ? admin.T("admin.login.logged_out") : std::string();
  return LoginForm(admin, request.target, 200, nonce, SafeNext(request.Query("next")), "", "",
                   notice);
}

Response LoginPost(const Admin& admin, const Request& request) {
  if (admin.context.auth == nullptr) return Unavailable(admin, request.target);
  Form form;
  try {
    form = ParseForm(request);
  } catch (const Error& e) {
    return MessagePage(admin, request.target, HttpStatus(e.code()), ErrorText(admin, e), nullptr);
  }
  const std::optional<std::string> nonce = http::CookieValue(request, http::kSessionCookie);
  if (!nonce || !auth::CsrfTokenMatches(*nonce, form.Get("csrf"))) {
    return MessagePage(admin, request.target, 403, admin.T("admin.error.csrf"), nullptr);
  }
  const std::string next = SafeNext(form.Get("next"));
  const std::string& name = form.Get("name");
  auth::LoginResult result =
      admin.context.auth->Login(name, form.Get("password"), request.remote_address);
  switch (result.outcome) {
    case auth::LoginResult::Outcome::kOk: {
      Response response = NoStore(Response::Redirect(303, next));
      // A new value: the pre-login nonce never becomes a session id (no session fixation).
      response.SetHeader("Set-Cookie", admin.SessionCookie(result.session->cookie));
      return response;
    }
    case auth::LoginResult::Outcome::kRateLimited: {
      Response response =
          LoginForm(admin, request.target, 429, *nonce, next, name,
                    Fill(admin.T("admin.login.rate_limited"),
                         {{"seconds", std::to_string(result.retry_after_seconds)}}));
      response.SetHeader("Retry-After", std::to_string(result.retry_after_seconds));
      return response;
    }
    case auth::LoginResult::Outcome::kRejected:
      break;
  }
  return LoginForm(admin, request.target, 401, *nonce, next, name, admin.T("admin.login.failed"));
}

Response Logout(const Admin& admin, const Call& call) {
  admin.context.auth->Logout(call.session.cookie, call.request.remote_address);
  Response response = Response::Redirect(303, "/admin/login?logged_out=1");
  response.SetHeader("Set-Cookie", admin.SessionCookie("", 0));
  return response;
}

}  // namespace assetpub::web::admin
