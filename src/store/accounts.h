#pragma once
// Accounts is where the people who write live: users, their API tokens, their login sessions, the
// failed logins the rate limiter counts, and the audit log, in the same database as the content
// (DESIGN.md §3: store/ is the one place that talks to the database), so that every node of one
// database sees the same. It is storage only: it never hashes, checks passwords or decides who may
// do what (that is auth/); it stores what it is given and enforces its own constraints. Account
// writes never append to the content `changes` log (they change no asset).
//
// One interface, one implementation per backend (sqlite/, postgres/), all passing one conformance
// suite (accounts_conformance_test.cpp). Open it with OpenAccounts() on the same URL as
// OpenStore().
//
// Thread-safety: an Accounts may be used from many threads at once. Do not call a writing method
// from a thread that holds an open store::Transaction on the same database: the write would wait
// for that transaction (for SQLite, until the busy timeout, then Error(kUnavailable)).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "content/instant.h"

namespace assetpub::store {

struct User {
  int64_t id = 0;
  // As given at creation. Unique ignoring ASCII case ("Alice" and "alice" are the same user).
  std::string name;
  // A role name ("editor", "publisher", "admin": auth::RoleName). The store does not check it.
  std::string role;
  // An encoded password hash (for libsodium, crypto_pwhash_str's "$argon2id$…" string).
  std::string password_hash;
  bool disabled = false;
  content::Instant created_at;
  std::optional<content::Instant> last_login_at;
};

struct ApiToken {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string name;  // a label chosen by whoever made it ("deploy", "newsroom importer")
  // A hash of the secret (auth/ stores BLAKE2b-256 in lowercase hex); never the secret itself.
  // Unique across all tokens.
  std::string hash;
  content::Instant created_at;
  std::optional<content::Instant> last_used_at;
  std::optional<content::Instant> revoked_at;  // set once; a revoked token stays listed
};

struct Session {
  // A hash of the session's cookie value (auth/: BLAKE2b-256, hex); never the value itself.
  std::string id_hash;
  int64_t user_id = 0;
  content::Instant created_at;
  content::Instant last_seen_at;
  std::string address;  // the client address the session was opened from
};

struct AuditEntry {
  int64_t id = 0;  // assigned by AppendAudit, increasing
  content::Instant at;
  std::string actor;    // who: a user name, "cli (root)", or "" for an anonymous attempt
  std::string action;   // what: "login", "login.failed", "user.add", "token.revoke", …
  std::string target;   // what it was done to: "user:alice", "token:3", "asset:17", or ""
  std::string address;  // from where: a client address, "local" for the command line
  std::string detail;   // anything else worth keeping, free text (may be empty)
};

// What CountLoginFailures found.
struct LoginFailureCount {
  int64_t count = 0;  // failures of the key at or after `since`, counting at most `limit`
  // The oldest of the failures counted, nullopt when none. They are the newest ones, so when
  // `count` reached `limit`, this is the failure whose leaving would bring the count under it.
  std::optional<content::Instant> oldest;
};

struct AuditPage {
  std::vector<AuditEntry> entries;  // newest first (highest id first)
  // Pass as AuditQuery::before_id for the next (older) page; 0 when there is none.
  int64_t next_before_id = 0;
};

struct AuditQuery {
  int64_t before_id = 0;  // only entries with id < before_id; 0 for the newest
  int64_t limit = 50;     // 1..1000
};

class Accounts {
 public:
  virtual ~Accounts() = default;

  // --- Users ---------------------------------------------------------------------------------
  // Inserts `user` (its id is ignored) and returns the new id. Throws Error(kConflict) when a
  // user of that name (ignoring ASCII case) exists, Error(kInvalidInput) for an empty name.
  virtual int64_t AddUser(const User& user) = 0;
  // The user of that name, ignoring ASCII case; nullopt when none.
  virtual std::optional<User> FindUser(std::string_view name) = 0;
  virtual std::optional<User> GetUser(int64_t id) = 0;
  // Every user, disabled ones included, by name (bytewise).
  virtual std::vector<User> ListUsers() = 0;
  // Replaces a user's password hash (a rehash after login, a password change). Throws
  // Error(kNotFound) for an unknown id.
  virtual void SetPasswordHash(int64_t user_id, std::string_view password_hash) = 0;
  // Sets last_login_at. Unknown ids are ignored.
  virtual void RecordLogin(int64_t user_id, content::Instant at) = 0;

  // What DisableUser did besides setting the flag.
  struct DisableResult {
    int64_t sessions_deleted = 0;
    int64_t tokens_revoked = 0;
  };
  // In one transaction: marks the user disabled, deletes all their sessions and revokes (at `at`)
  // all their tokens not yet revoked. Disabling a disabled user is allowed (it revokes anything
  // left). Throws Error(kNotFound) for an unknown id.
  virtual DisableResult DisableUser(int64_t user_id, content::Instant at) = 0;

  // --- API tokens ----------------------------------------------------------------------------
  // Inserts `token` (its id is ignored; revoked_at and last_used_at are stored as given) and
  // returns the new id. Throws Error(kConflict) for a hash already stored, Error(kNotFound) for
  // an unknown user_id.
  virtual int64_t AddToken(const ApiToken& token) = 0;
  // The token with exactly this hash, revoked or not; nullopt when none.
  virtual std::optional<ApiToken> FindTokenByHash(std::string_view hash) = 0;
  virtual std::optional<ApiToken> GetToken(int64_t id) = 0;
  // Every token, revoked ones included, by id.
  virtual std::vector<ApiToken> ListTokens() = 0;
  // Sets revoked_at = `at` if not revoked yet. Returns true when this call revoked it, false
  // when it already was. Throws Error(kNotFound) for an unknown id.
  virtual bool RevokeToken(int64_t id, content::Instant at) = 0;
  // Sets last_used_at. Unknown ids are ignored.
  virtual void TouchToken(int64_t id, content::Instant at) = 0;

  // --- Login sessions ------------------------------------------------------------------------
  // Inserts `session`. Throws Error(kConflict) for an id_hash already stored, Error(kNotFound)
  // for an unknown user_id.
  virtual void AddSession(const Session& session) = 0;
  // The session with exactly this id hash; nullopt when none. Expiry is the caller's business.
  virtual std::optional<Session> FindSession(std::string_view id_hash) = 0;
  // Sets last_seen_at. Unknown hashes are ignored.
  virtual void TouchSession(std::string_view id_hash, content::Instant at) = 0;
  // Deletes one session; true when it existed.
  virtual bool DeleteSession(std::string_view id_hash) = 0;
  // Deletes every session last seen before `idle_before` or created before `created_before`
  // (expired ones); returns how many.
  virtual int64_t DeleteExpiredSessions(content::Instant idle_before,
                                        content::Instant created_before) = 0;

  // --- Failed logins -------------------------------------------------------------------------
  // auth/'s rate limiter counts failed logins here, in the shared database, so that failures on
  // every node (process) of one store add up. A key is whatever the caller counts by (auth/ uses
  // "a:" + an account name and "i:" + a client address); the store compares keys bytewise and
  // expects them short (auth/ keeps them within 100 bytes of ASCII). Failures of one key at the
  // same instant are counted separately.

  // Records one failed login at `at` against each of `keys` (a key listed twice counts twice),
  // in one write. Never fails for content: any keys, any instant.
  virtual void RecordLoginFailure(const std::vector<std::string>& keys, content::Instant at) = 0;
  // The failures of `key` at or after `since`: how many (up to `limit`: the newest `limit` are
  // counted) and the oldest of those counted. Throws Error(kInvalidInput) for a limit below 1.
  virtual LoginFailureCount CountLoginFailures(std::string_view key, content::Instant since,
                                               int64_t limit) = 0;
  // Forgets every failure of `key` (a successful login clears its account's). Unknown keys are
  // ignored.
  virtual void ClearLoginFailures(std::string_view key) = 0;
  // Deletes the failures of every key recorded before `before` (no longer counted by anyone);
  // returns how many.
  virtual int64_t DeleteLoginFailuresBefore(content::Instant before) = 0;

  // --- Audit log -----------------------------------------------------------------------------
  // Appends `entry` (its id is ignored) and returns its id. Never fails for content: any strings.
  virtual int64_t AppendAudit(const AuditEntry& entry) = 0;
  // A page of the log, newest first. Throws Error(kInvalidInput) for a limit out of 1..1000 or a
  // negative before_id.
  virtual AuditPage ReadAudit(const AuditQuery& query) = 0;
};

// Opens the accounts of the database a store URL names (as OpenStore(): "sqlite:PATH", with its
// options), creating and migrating it like OpenStore() (the accounts tables are part of the
// store's schema), so OpenStore(url) and OpenAccounts(url) may be used side by side on one
// database. Throws Error(kInvalidInput) for a URL it cannot handle and Error(kUnavailable) when the
// database cannot be opened. Defined in assetpub_store_backends, as OpenStore().
std::unique_ptr<Accounts> OpenAccounts(const std::string& url);

}  // namespace assetpub::store
