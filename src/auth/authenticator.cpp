#include "auth/authenticator.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <utility>

#include "auth/crypto.h"
#include "auth/csrf.h"
#include "core/error.h"

namespace assetpub::auth {
namespace {

constexpr size_t kSecretBytes = 32;  // 256 bits
constexpr std::string_view kTokenPrefix = "ap_";
constexpr size_t kEncodedSecretLength = 43;  // base64url of 32 bytes, without padding
constexpr size_t kMaxNameBytes = 64;
constexpr size_t kMaxLabelBytes = 100;

bool IsAlnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool IsBase64Url(std::string_view text) {
  return std::ranges::all_of(text, [](char c) { return IsAlnum(c) || c == '-' || c == '_'; });
}

bool IsValidUserName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameBytes) return false;
  return IsAlnum(name.front()) && std::ranges::all_of(name, [](char c) {
           return IsAlnum(c) || c == '.' || c == '_' || c == '-' || c == '@';
         });
}

// What an audit entry keeps of a name typed at the login form: enough to see what was tried,
// bounded so a flood of long names cannot bloat the log, and never cut inside a UTF-8 character
// (the log is text: PostgreSQL refuses a split one, and the entry would be lost).
std::string TypedName(std::string_view name) {
  size_t end = std::min(name.size(), kMaxNameBytes);
  while (end > 0 && end < name.size() && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) {
    --end;  // a continuation byte: the character started before the cut
  }
  return std::string(name.substr(0, end));
}

// Error(kForbidden) unless `actor` may do `action`.
void Require(const Principal& actor, Action action) {
  if (!actor.May(action)) {
    throw Error(ErrorCode::kForbidden, fmt::format("{} ({}) may not {}", actor.name,
                                                   RoleName(actor.role), ActionName(action)));
  }
}

}  // namespace

Authenticator::Authenticator(store::Accounts& accounts, AuthOptions options)
    : accounts_(accounts),
      options_(std::move(options)),
      hasher_(options_.password),
      limiter_(accounts, options_.rate, options_.clock) {}

Principal Authenticator::Operator() {
  const char* user = std::getenv("USER");
  Principal p;
  p.name = user != nullptr && *user != '\0' ? fmt::format("cli ({})", user) : "cli";
  p.role = Role::kAdmin;
  p.via = Principal::Via::kOperator;
  return p;
}

const std::string& Authenticator::DummyHash() {
  std::call_once(dummy_once_, [this] { dummy_hash_ = hasher_.Hash(Base64Url(RandomBytes(16))); });
  return dummy_hash_;
}

LoginResult Authenticator::Login(std::string_view name, std::string_view password,
                                 std::string_view address) {
  LoginResult result;
  if (const int64_t wait = limiter_.RetryAfter(name, address); wait > 0) {
    result.outcome = LoginResult::Outcome::kRateLimited;
    result.retry_after_seconds = wait;
    return result;
  }
  const auto user = accounts_.FindUser(name);
  // An unknown name costs one hash too, so the answer's timing does not say whether it exists.
  const bool password_ok = hasher_.Verify(user ? user->password_hash : DummyHash(), password);
  const auto role = user ? ParseRole(user->role) : std::nullopt;
  if (!user || !password_ok || user->disabled || !role) {
    limiter_.RecordFailure(name, address);
    const char* why = !user            ? "unknown user"
                      : !password_ok   ? "wrong password"
                      : user->disabled ? "user disabled"
                                       : "unknown role";
    AppendAudit(user ? user->name : TypedName(name), "login.failed",
                user ? "user:" + user->name : "", address, why);
    result.outcome = LoginResult::Outcome::kRejected;
    return result;
  }
  limiter_.RecordSuccess(name, address);
  if (hasher_.NeedsRehash(user->password_hash)) {
    accounts_.SetPasswordHash(user->id, hasher_.Hash(password));
  }
  const content::Instant now = options_.clock();
  accounts_.RecordLogin(user->id, now);
  PruneSessions();

  LoginSession session;
  session.cookie = Base64Url(RandomBytes(kSecretBytes));
  session.csrf_token = CsrfToken(session.cookie);
  session.principal = Principal{user->id, user->name, *role, Principal::Via::kSession, 0};
  session.expires_at = content::Instant{now.seconds + options_.session_absolute_seconds};
  accounts_.AddSession(
      store::Session{HashSecret(session.cookie), user->id, now, now, std::string(address)});
  AppendAudit(user->name, "login", "user:" + user->name, address, "");
  result.outcome = LoginResult::Outcome::kOk;
  result.session = std::move(session);
  return result;
}

std::optional<Principal> Authenticator::SessionPrincipal(std::string_view cookie) {
  if (cookie.size() != kEncodedSecretLength || !IsBase64Url(cookie)) return std::nullopt;
  const std::string id_hash = HashSecret(cookie);
  const auto session = accounts_.FindSession(id_hash);
  if (!session) return std::nullopt;
  const int64_t now = options_.clock().seconds;
  if (now - session->last_seen_at.seconds >= options_.session_idle_seconds ||
      now - session->created_at.seconds >= options_.session_absolute_seconds) {
    accounts_.DeleteSession(id_hash);
    return std::nullopt;
  }
  const auto user = accounts_.GetUser(session->user_id);
  const auto role = user ? ParseRole(user->role) : std::nullopt;
  if (!user || user->disabled || !role) {
    accounts_.DeleteSession(id_hash);
    return std::nullopt;
  }
  if (now - session->last_seen_at.seconds >= options_.touch_interval_seconds) {
    accounts_.TouchSession(id_hash, content::Instant{now});
  }
  return Principal{user->id, user->name, *role, Principal::Via::kSession, 0};
}

bool Authenticator::VerifyCsrf(std::string_view cookie, std::string_view csrf_token) {
  // The token check first: it is cheap and touches no storage.
  if (!CsrfTokenMatches(cookie, csrf_token)) return false;
  return SessionPrincipal(cookie).has_value();
}

void Authenticator::Logout(std::string_view cookie, std::string_view address) {
  if (cookie.size() != kEncodedSecretLength || !IsBase64Url(cookie)) return;
  const std::string id_hash = HashSecret(cookie);
  const auto session = accounts_.FindSession(id_hash);
  if (!session) return;
  accounts_.DeleteSession(id_hash);
  const auto user = accounts_.GetUser(session->user_id);
  const std::string name = user ? user->name : "";
  AppendAudit(name, "logout", "user:" + name, address, "");
}

std::optional<Principal> Authenticator::Authenticate(std::string_view bearer_token) {
  if (bearer_token.size() != kTokenPrefix.size() + kEncodedSecretLength ||
      !bearer_token.starts_with(kTokenPrefix) ||
      !IsBase64Url(bearer_token.substr(kTokenPrefix.size()))) {
    return std::nullopt;
  }
  // Looked up by its hash: the secret itself is never compared, so there is nothing to time.
  const auto token = accounts_.FindTokenByHash(HashSecret(bearer_token));
  if (!token || token->revoked_at) return std::nullopt;
  const auto user = accounts_.GetUser(token->user_id);
  const auto role = user ? ParseRole(user->role) : std::nullopt;
  if (!user || user->disabled || !role) return std::nullopt;
  const content::Instant now = options_.clock();
  if (!token->last_used_at ||
      now.seconds - token->last_used_at->seconds >= options_.touch_interval_seconds) {
    accounts_.TouchToken(token->id, now);
  }
  return Principal{user->id, user->name, *role, Principal::Via::kToken, token->id};
}

int64_t Authenticator::PruneSessions() {
  // Expired as in SessionPrincipal: idle for session_idle_seconds or more (last seen at or
  // before now - idle), which "before" (strictly) expresses with one second added.
  const int64_t now = options_.clock().seconds;
  return accounts_.DeleteExpiredSessions(
      content::Instant{now - options_.session_idle_seconds + 1},
      content::Instant{now - options_.session_absolute_seconds + 1});
}

store::User Authenticator::AddUser(const Principal& actor, std::string_view name, Role role,
                                   std::string_view password, std::string_view address) {
  Require(actor, Action::kManageUsers);
  if (!IsValidUserName(name)) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("user name '{}' is not valid: use 1 to {} letters, digits, '.', '_', "
                            "'-' or '@', starting with a letter or digit",
                            name, kMaxNameBytes));
  }
  CheckPasswordPolicy(password);
  if (const auto existing = accounts_.FindUser(name)) {
    throw Error(ErrorCode::kConflict, fmt::format("user '{}' already exists", existing->name));
  }
  store::User user;
  user.name = std::string(name);
  user.role = std::string(RoleName(role));
  user.password_hash = hasher_.Hash(password);
  user.created_at = options_.clock();
  user.id = accounts_.AddUser(user);  // kConflict if another writer took the name meanwhile
  AppendAudit(actor.name, "user.add", "user:" + user.name, address,
              fmt::format("role {}", user.role));
  return user;
}

std::vector<store::User> Authenticator::ListUsers(const Principal& actor) {
  Require(actor, Action::kManageUsers);
  return accounts_.ListUsers();
}

store::Accounts::DisableResult Authenticator::DisableUser(const Principal& actor,
                                                          std::string_view name,
                                                          std::string_view address) {
  Require(actor, Action::kManageUsers);
  const auto user = accounts_.FindUser(name);
  if (!user) throw Error(ErrorCode::kNotFound, fmt::format("there is no user '{}'", name));
  const auto result = accounts_.DisableUser(user->id, options_.clock());
  AppendAudit(actor.name, "user.disable", "user:" + user->name, address,
              fmt::format("{} session(s) ended, {} token(s) revoked", result.sessions_deleted,
                          result.tokens_revoked));
  return result;
}

NewToken Authenticator::CreateToken(const Principal& actor, std::string_view user_name,
                                    std::string_view label, std::string_view address) {
  Require(actor, Action::kManageTokens);
  if (label.size() > kMaxLabelBytes) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("the token name is too long: at most {} bytes", kMaxLabelBytes));
  }
  for (char c : label) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      throw Error(ErrorCode::kInvalidInput, "the token name has a control character");
    }
  }
  const auto user = accounts_.FindUser(user_name);
  if (!user) throw Error(ErrorCode::kNotFound, fmt::format("there is no user '{}'", user_name));
  if (user->disabled) {
    throw Error(ErrorCode::kConflict,
                fmt::format("user '{}' is disabled: no token can be made for them", user->name));
  }
  NewToken out;
  out.secret = std::string(kTokenPrefix) + Base64Url(RandomBytes(kSecretBytes));
  out.token.user_id = user->id;
  out.token.name = std::string(label);
  out.token.hash = HashSecret(out.secret);
  out.token.created_at = options_.clock();
  out.token.id = accounts_.AddToken(out.token);
  AppendAudit(actor.name, "token.create", fmt::format("token:{}", out.token.id), address,
              fmt::format("for user {}, name '{}'", user->name, out.token.name));
  return out;
}

std::vector<TokenListing> Authenticator::ListTokens(const Principal& actor) {
  Require(actor, Action::kManageTokens);
  std::vector<TokenListing> out;
  std::map<int64_t, std::string> names;
  for (const auto& user : accounts_.ListUsers()) names.emplace(user.id, user.name);
  for (auto& token : accounts_.ListTokens()) {
    const auto it = names.find(token.user_id);
    out.push_back(TokenListing{std::move(token), it == names.end() ? "" : it->second});
  }
  return out;
}

bool Authenticator::RevokeToken(const Principal& actor, int64_t id, std::string_view address) {
  Require(actor, Action::kManageTokens);
  if (!accounts_.GetToken(id)) {
    throw Error(ErrorCode::kNotFound, fmt::format("there is no token {}", id));
  }
  const bool revoked = accounts_.RevokeToken(id, options_.clock());
  if (revoked) AppendAudit(actor.name, "token.revoke", fmt::format("token:{}", id), address, "");
  return revoked;
}

store::AuditPage Authenticator::ReadAudit(const Principal& actor, const store::AuditQuery& query) {
  Require(actor, Action::kViewAudit);
  return accounts_.ReadAudit(query);
}

void Authenticator::AppendAudit(std::string_view actor, std::string_view action,
                                std::string_view target, std::string_view address,
                                std::string_view detail) {
  accounts_.AppendAudit(store::AuditEntry{0, options_.clock(), std::string(actor),
                                          std::string(action), std::string(target),
                                          std::string(address), std::string(detail)});
}

}  // namespace assetpub::auth
