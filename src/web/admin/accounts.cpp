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

// --- Users, tokens, audit (admins) ----------------------------------------------------------

std::string Optional(const Admin& admin, const std::optional<content::Instant>& at,
                     std::string_view none_key) {
  return at ? admin.Date(*at, admin.context.config.time_zone)
            : (none_key.empty() ? std::string() : admin.T(none_key));
}

Response UsersPage(const Admin& admin, const Call& call, int status, const std::string& notice,
                   const std::string& error, const std::string& form_name,
                   const std::string& form_role) {
  const std::vector<store::User> users = admin.context.auth->ListUsers(call.session.principal);
  json rows = json::array();
  for (const store::User& user : users) {
    rows.push_back(
        {{"name", user.name},
         {"role", user.role},
         {"state", admin.T(user.disabled ? "admin.users.disabled" : "admin.users.active")},
         {"created", admin.Date(user.created_at, admin.context.config.time_zone)},
         {"last_login", Optional(admin, user.last_login_at, "admin.users.never")},
         {"can_disable", !user.disabled && user.id != call.session.principal.user_id},
         {"disable_action",
          fmt::format("/admin/users/{}/disable", render::PercentEncode(user.name))},
         {"disable_label", Fill(admin.T("admin.users.disable_label"), {{"name", user.name}})}});
  }
  json roles = json::array();
  for (auth::Role role : auth::AllRoles()) {
    const std::string name(auth::RoleName(role));
    roles.push_back({{"value", name}, {"selected", name == form_role}});
  }
  json view{{"title", admin.T("admin.users.title")},
            {"users", std::move(rows)},
            {"roles", std::move(roles)},
            {"form_name", form_name},
            {"csrf", call.session.csrf}};
  if (!notice.empty()) view["notice"] = notice;
  if (!error.empty()) view["error"] = error;
  return Page(admin, call.request.target, status, "users", std::move(view), &call.session);
}

Response Users(const Admin& admin, const Call& call) {
  std::string notice;
  if (std::optional<std::string> added = call.request.Query("added")) {
    notice = Fill(admin.T("admin.users.added"), {{"name", *added}});
  } else if (std::optional<std::string> disabled = call.request.Query("disabled")) {
    notice = Fill(admin.T("admin.users.disabled_notice"), {{"name", *disabled}});
  }
  return UsersPage(admin, call, 200, notice, "", "", "editor");
}

Response AddUser(const Admin& admin, const Call& call) {
  const std::string& name = call.form.Get("name");
  const std::string& role_name = call.form.Get("role");
  try {
    const std::optional<auth::Role> role = auth::ParseRole(role_name);
    if (!role) {
      throw Error(ErrorCode::kInvalidInput, fmt::format("'{}' is not a role", role_name));
    }
    admin.context.auth->AddUser(call.session.principal, name, *role, call.form.Get("password"),
                                call.request.remote_address);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput && e.code() != ErrorCode::kConflict) throw;
    return UsersPage(admin, call, HttpStatus(e.code()), "", e.what(), name, role_name);
  }
  return Response::Redirect(303, "/admin/users?added=" + render::PercentEncode(name));
}

Response DisableUser(const Admin& admin, const Call& call) {
  const std::string& name = call.params.Get("name");
  admin.context.auth->DisableUser(call.session.principal, name, call.request.remote_address);
  return Response::Redirect(303, "/admin/users?disabled=" + render::PercentEncode(name));
}

Response TokensPage(const Admin& admin, const Call& call, int status, const std::string& secret,
                    const std::string& notice, const std::string& error) {
  json rows = json::array();
  for (const auth::TokenListing& listing : admin.context.auth->ListTokens(call.session.principal)) {
    const store::ApiToken& token = listing.token;
    const std::string id = std::to_string(token.id);
    rows.push_back({{"id", id},
                    {"user", listing.user_name},
                    {"label", token.name},
                    {"created", admin.Date(token.created_at, admin.context.config.time_zone)},
                    {"last_used", Optional(admin, token.last_used_at, "admin.users.never")},
                    {"revoked", Optional(admin, token.revoked_at, "")},
                    {"can_revoke", !token.revoked_at.has_value()},
                    {"revoke_action", fmt::format("/admin/tokens/{}/revoke", token.id)},
                    {"revoke_label", Fill(admin.T("admin.tokens.revoke_label"), {{"id", id}})}});
  }
  json users = json::array();
  if (call.session.principal.May(auth::Action::kManageUsers)) {
    for (const store::User& user : admin.context.auth->ListUsers(call.session.principal)) {
      if (!user.disabled) users.push_back(user.name);
    }
  }
  json view{{"title", admin.T("admin.tokens.title")},
            {"tokens", std::move(rows)},
            {"users", std::move(users)},
            {"csrf", call.session.csrf},
            {"secret", secret.empty() ? json(false) : json(secret)}};
  if (!notice.empty()) view["notice"] = notice;
  if (!error.empty()) view["error"] = error;
  return Page(admin, call.request.target, status, "tokens", std::move(view), &call.session);
}

Response Tokens(const Admin& admin, const Call& call) {
  std::string notice;
  if (std::optional<std::string> revoked = call.request.Query("revoked")) {
    notice = Fill(admin.T("admin.tokens.revoked_notice"), {{"id", *revoked}});
  }
  return TokensPage(admin, call, 200, "", notice, "");
}

Response CreateToken(const Admin& admin, const Call& call) {
  try {
    const auth::NewToken token =
        admin.context.auth->CreateToken(call.session.principal, call.form.Get("user"),
                                        call.form.Get("label"), call.request.remote_address);
    // The secret is on this page only (never in a URL, never stored): no redirect.
    return TokensPage(admin, call, 201, token.secret, "", "");
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput && e.code() != ErrorCode::kConflict &&
        e.code() != ErrorCode::kNotFound) {
      throw;
    }
    return TokensPage(admin, call, HttpStatus(e.code()), "", "", e.what());
  }
}

Response RevokeToken(const Admin& admin, const Call& call) {
  const std::optional<int64_t> id = http::ParseInteger(call.params.Get("id"), 1, INT64_MAX);
  if (!id) throw Error(ErrorCode::kNotFound, "no such token");
  admin.context.auth->RevokeToken(call.session.principal, *id, call.request.remote_address);
  return Response::Redirect(303, fmt::format("/admin/tokens?revoked={}", *id));
}

Response Audit(const Admin& admin, const Call& call) {
  store::AuditQuery query;
  query.before_id = http::QueryInteger(call.request, "before", 0, 1, INT64_MAX);
  query.limit = kAuditPageSize;
  const store::AuditPage page = admin.context.auth->ReadAudit(call.session.principal, query);
  json entries = json::array();
  for (const store::AuditEntry& entry : page.entries) {
    entries.push_back({{"at", admin.Date(entry.at, admin.context.config.time_zone)},
                       {"actor", entry.actor},
                       {"action", entry.action},
                       {"target", entry.target},
                       {"address", entry.address},
                       {"detail", entry.detail}});
  }
  json view{{"title", admin.T("admin.audit.title")},
            {"has_entries", !entries.empty()},
            {"entries", std::move(entries)},
            {"newest", query.before_id != 0},
            {"older", page.next_before_id != 0
                          ? json(fmt::format("/admin/audit?before={}", page.next_before_id))
                          : json(false)}};
  return Page(admin, call.request.target, 200, "audit", std::move(view), &call.session);
}

}  // namespace assetpub::web::admin
