#pragma once
// Authenticator is the one door of auth/: who is asking (a login session's cookie, an API token,
// or the command line's operator), what they may do (roles.h), and the account administration
// the CLI and the admin UI perform, each written to the audit log. It keeps secrets out of the
// store: API tokens and session ids are 256 random bits, handed out once and stored only as
// their BLAKE2b hash; passwords only as argon2id hashes (password.h).
//
// HTTP is not its business: the caller passes the client address, sets the cookie it gets from
// Login (Secure, HttpOnly, SameSite=Strict: the value is the whole secret), reads it back for
// SessionPrincipal, checks VerifyCsrf on every unsafe request of a session, and maps
// LoginResult::Outcome::kRateLimited to 429 with Retry-After.
//
// Thread-safety: thread-safe; `accounts` (which must outlive it) is, and the rate limiter keeps
// its counts there. Writes go to `accounts`: do not call from a thread holding a store
// Transaction. Nothing is kept per process: sessions, CSRF tokens (a MAC of the session cookie)
// and failed logins work alike on every node of one database.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/clock.h"
#include "auth/password.h"
#include "auth/rate_limiter.h"
#include "auth/roles.h"
#include "store/accounts.h"

namespace assetpub::auth {

struct AuthOptions {
  // argon2id at libsodium's INTERACTIVE limits (64 MiB, 2 passes, ~0.1 s), not MODERATE
  // (256 MiB, ~0.7 s): logins are rare, but each one being hashed holds its memory for the
  // duration, and at 256 MiB a handful of concurrent logins could exhaust a small server; the
  // rate limiter, not the hash cost, is what stops online guessing. Hashes made with other
  // limits are upgraded at the next successful login (NeedsRehash). Tests pass ForTestsOnly().
  PasswordLimits password = PasswordLimits::Interactive();
  // A session ends after an hour without requests, and 12 hours after login whatever happens
  // (a working day): short enough that a forgotten browser on a shared desk does not stay an
  // editor for long, long enough not to log out someone writing a long statement.
  int64_t session_idle_seconds = int64_t{60} * 60;
  int64_t session_absolute_seconds = int64_t{12} * 60 * 60;
  // A session's last_seen and a token's last_used are written at most this often (not on every
  // request): the idle limit is then exact to within a minute.
  int64_t touch_interval_seconds = 60;
  RateLimits rate;
  Clock clock = content::Now;
};

// Who is asking, once authenticated.
struct Principal {
  enum class Via { kSession, kToken, kOperator };
  int64_t user_id = 0;  // 0 for the operator
  std::string name;     // the user's name; for the operator, e.g. "cli (root)"
  Role role = Role::kEditor;
  Via via = Via::kSession;
  int64_t token_id = 0;  // the API token used (Via::kToken), else 0

  bool May(Action action) const { return Allows(role, action); }
};

// A login session, as handed out by Login.
struct LoginSession {
  // The session's secret id (43 URL-safe base64 characters): the cookie value. This is the only
  // copy; the store keeps its hash.
  std::string cookie;
  std::string csrf_token;  // CsrfToken(cookie), for the pages' forms
  Principal principal;
  content::Instant expires_at;  // the absolute end (the idle end moves with use)
};

struct LoginResult {
  enum class Outcome {
    kOk,           // `session` is set
    kRejected,     // unknown name, wrong password or disabled user: all look the same
    kRateLimited,  // too many failures: nothing was checked; retry after `retry_after_seconds`
  };
  Outcome outcome = Outcome::kRejected;
  std::optional<LoginSession> session;
  int64_t retry_after_seconds = 0;
};

struct NewToken {
  store::ApiToken token;  // as stored: its hash, never the secret
  // "ap_" + 43 URL-safe base64 characters (256 random bits). Shown once: it cannot be read back.
  std::string secret;
};

struct TokenListing {
  store::ApiToken token;
  std::string user_name;
};

class Authenticator {
 public:
  explicit Authenticator(store::Accounts& accounts, AuthOptions options = {});

  // The principal of the command line: an admin named "cli (USER)" (USER from $USER, when set),
  // not a stored user. Whoever can run the binary on the data directory owns the data anyway.
  static Principal Operator();

  // --- Signing in ----------------------------------------------------------------------------
  // Checks `name` and `password` from client `address`; on success opens a session (and
  // upgrades the password hash when its limits are old). Appends "login" or "login.failed" to
  // the audit log (not for rate-limited attempts, which check nothing). Throws only for storage
  // failures (Error(kUnavailable)).
  LoginResult Login(std::string_view name, std::string_view password, std::string_view address);
  // The principal of the session whose cookie value is `cookie`; nullopt when it is unknown,
  // expired (idle or absolute; it is then deleted), logged out, or its user is disabled.
  std::optional<Principal> SessionPrincipal(std::string_view cookie);
  // True when `cookie` names a live session (as SessionPrincipal) and `csrf_token` is its CSRF
  // token; compared in constant time.
  bool VerifyCsrf(std::string_view cookie, std::string_view csrf_token);
  // Ends the session (deletes it) and appends "logout"; nothing happens for an unknown cookie.
  void Logout(std::string_view cookie, std::string_view address);
  // The principal of an API token (the value after "Bearer "); nullopt when it is malformed,
  // unknown, revoked, or its user is disabled. Updates the token's last_used_at.
  std::optional<Principal> Authenticate(std::string_view bearer_token);
  // Deletes expired sessions; returns how many. Login calls it; a server may call it now and then.
  int64_t PruneSessions();

  // --- Administration ------------------------------------------------------------------------
  // Each needs `actor` to be allowed the named action (else Error(kForbidden)) and appends to the
  // audit log with `address` ("local" for the command line).

  // kManageUsers. Adds a user. Throws Error(kInvalidInput) for a bad name (1..64 of letters,
  // digits, '.', '_', '-', '@', starting with a letter or digit) or a password that fails
  // CheckPasswordPolicy, Error(kConflict) when the name is taken (ignoring ASCII case).
  store::User AddUser(const Principal& actor, std::string_view name, Role role,
                      std::string_view password, std::string_view address);
  // kManageUsers. Every user, by name.
  std::vector<store::User> ListUsers(const Principal& actor);
  // kManageUsers. Disables the user `name`, deletes their sessions and revokes their tokens.
  // Error(kNotFound) for an unknown name.
  store::Accounts::DisableResult DisableUser(const Principal& actor, std::string_view name,
                                             std::string_view address);
  // kManageTokens. A new API token for user `user_name`, labelled `label` (at most 100 bytes,
  // no control characters; may be empty). Error(kNotFound) for an unknown user, kConflict for a
  // disabled one, kInvalidInput for a bad label.
  NewToken CreateToken(const Principal& actor, std::string_view user_name, std::string_view label,
                       std::string_view address);
  // kManageTokens. Every token (never a secret), revoked ones included, by id.
  std::vector<TokenListing> ListTokens(const Principal& actor);
  // kManageTokens. Revokes token `id`: true if this call revoked it, false if it already was.
  // Error(kNotFound) for an unknown id.
  bool RevokeToken(const Principal& actor, int64_t id, std::string_view address);
  // kViewAudit. A page of the audit log, newest first.
  store::AuditPage ReadAudit(const Principal& actor, const store::AuditQuery& query);

  // Appends an entry at the clock's time: who (`actor`: a principal's name, or "" for nobody),
  // what (`action`, e.g. "asset.publish"), `target` ("asset:17"), from where, and `detail`.
  // The write API calls it after each write it commits.
  void AppendAudit(std::string_view actor, std::string_view action, std::string_view target,
                   std::string_view address, std::string_view detail);

 private:
  const std::string& DummyHash();

  store::Accounts& accounts_;
  const AuthOptions options_;
  const PasswordHasher hasher_;
  LoginRateLimiter limiter_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;  // written once under dummy_once_, then only read
};

}  // namespace assetpub::auth
