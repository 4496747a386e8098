#include "store/sqlite/sqlite_accounts.h"

#include <fmt/format.h>

#include <limits>
#include <string>
#include <utility>

#include "core/error.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_store.h"

namespace assetpub::store::sqlite {

using content::Instant;

namespace {

// "Alice" and "alice" are one user: names are compared by their ASCII-lowercased key, which
// PostgreSQL can index the same way (a plain UNIQUE column, no collation needed).
std::string NameKey(std::string_view name) {
  std::string key(name);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return key;
}

bool UserExists(Connection& c, int64_t id) {
  auto s = c.Prepare("SELECT 1 FROM users WHERE id = ?1");
  return s.Bind(1, id).Step();
}

// The start of a query of the columns ReadUser reads. A macro, so that each query is one string
// literal (Connection::Prepare caches statements by the literal's address).
#define ASSETPUB_SELECT_USERS \
  "SELECT id, name, role, password_hash, disabled, created_at, last_login_at FROM users "

User ReadUser(const Statement& s) {
  User u;
  u.id = s.Int(0);
  u.name = s.Text(1);
  u.role = s.Text(2);
  u.password_hash = s.Text(3);
  u.disabled = s.Int(4) != 0;
  u.created_at = Instant{s.Int(5)};
  u.last_login_at = s.OptionalInstant(6);
  return u;
}

// The start of a query of the columns ReadToken reads (a literal, as ASSETPUB_SELECT_USERS).
#define ASSETPUB_SELECT_TOKENS \
  "SELECT id, user_id, name, hash, created_at, last_used_at, revoked_at FROM api_tokens "

ApiToken ReadToken(const Statement& s) {
  ApiToken t;
  t.id = s.Int(0);
  t.user_id = s.Int(1);
  t.name = s.Text(2);
  t.hash = s.Text(3);
  t.created_at = Instant{s.Int(4)};
  t.last_used_at = s.OptionalInstant(5);
  t.revoked_at = s.OptionalInstant(6);
  return t;
}

}  // namespace

SqliteAccounts::SqliteAccounts(const std::filesystem::path& path, const Options& options) {
  // The accounts tables are migrations of the store's schema: opening the store once applies
  // them (and creates the file), so either may be opened first.
  { SqliteStore migrate(path, options); }
  db_ = std::make_unique<Connection>(path, options);
}

SqliteAccounts::~SqliteAccounts() = default;

int64_t SqliteAccounts::AddUser(const User& user) {
  if (user.name.empty()) throw Error(ErrorCode::kInvalidInput, "a user needs a name");
  std::lock_guard lock(mutex_);
  return db_->Write([&] {
    {
      auto s = db_->Prepare("SELECT name FROM users WHERE name_key = ?1");
      if (s.Bind(1, NameKey(user.name)).Step()) {
        throw Error(ErrorCode::kConflict, fmt::format("user '{}' already exists", s.Text(0)));
      }
    }
    db_->Prepare(
           "INSERT INTO users (name, name_key, role, password_hash, disabled, created_at, "
           "last_login_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .Bind(1, user.name)
        .Bind(2, NameKey(user.name))
        .Bind(3, user.role)
        .Bind(4, user.password_hash)
        .Bind(5, int64_t{user.disabled ? 1 : 0})
        .Bind(6, user.created_at.seconds)
        .Bind(7, user.last_login_at)
        .Run();
    return db_->LastRowId();
  });
}

std::optional<User> SqliteAccounts::FindUser(std::string_view name) {
  std::lock_guard lock(mutex_);
  auto s = db_->Prepare(ASSETPUB_SELECT_USERS "WHERE name_key = ?1");
  if (!s.Bind(1, NameKey(name)).Step()) return std::nullopt;
  return ReadUser(s);
}

std::optional<User> SqliteAccounts::GetUser(int64_t id) {
  std::lock_guard lock(mutex_);
  auto s = db_->Prepare(ASSETPUB_SELECT_USERS "WHERE id = ?1");
  if (!s.Bind(1, id).Step()) return std::nullopt;
  return ReadUser(s);
}

std::vector<User> SqliteAccounts::ListUsers() {
  std::lock_guard lock(mutex_);
  auto s = db_->Prepare(ASSETPUB_SELECT_USERS "ORDER BY name, id");
  std::vector<User> out;
  while (s.Step()) out.push_back(ReadUser(s));
  return out;
}

void SqliteAccounts::SetPasswordHash(int64_t user_id, std::string_view password_hash) {
  std::lock_guard lock(mutex_);
  db_->Prepare("UPDATE users SET password_hash = ?2 WHERE id = ?1")
      .Bind(1, user_id)
      .Bind(2, password_hash)
      .Run();
  if (db_->Changes() == 0) {
    throw Error(ErrorCode::kNotFound, fmt::format("user {} does not exist", user_id));
  }
}

void SqliteAccounts::RecordLogin(int64_t user_id, Instant at) {
  std::lock_guard lock(mutex_);
  db_->Prepare("UPDATE users SET last_login_at = ?2 WHERE id = ?1")
      .Bind(1, user_id)
      .Bind(2, at.seconds)
      .Run();
}

Accounts::DisableResult SqliteAccounts::DisableUser(int64_t user_id, Instant at) {
  std::lock_guard lock(mutex_);
  return db_->Write([&] {
    db_->Prepare("UPDATE users SET disabled = 1 WHERE id = ?1").Bind(1, user_id).Run();
    if (db_->Changes() == 0) {
      throw Error(ErrorCode::kNotFound, fmt::format("user {} does not exist", user_id));
    }
    DisableResult result;
    db_->Prepare("DELETE FROM sessions WHERE user_id = ?1").Bind(1, user_id).Run();
    result.sessions_deleted = db_->Changes();
    db_->Prepare("UPDATE api_tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL")
        .Bind(1, user_id)
        .Bind(2, at.seconds)
        .Run();
    result.tokens_revoked = db_->Changes();
    return result;
  });
}

int64_t SqliteAccounts::AddToken(const ApiToken& token) {
  std::lock_guard lock(mutex_);
  return db_->Write([&] {
    if (!UserExists(*db_, token.user_id)) {
      throw Error(ErrorCode::kNotFound, fmt::format("user {} does not exist", token.user_id));
    }
    {
      auto s = db_->Prepare("SELECT 1 FROM api_tokens WHERE hash = ?1");
      if (s.Bind(1, token.hash).Step()) {
        throw Error(ErrorCode::kConflict, "a token with this hash already exists");
      }
    }
    db_->Prepare(
           "INSERT INTO api_tokens (user_id, name, hash, created_at, last_used_at, revoked_at) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .Bind(1, token.user_id)
        .Bind(2, token.name)
        .Bind(3, token.hash)
        .Bind(4, token.created_at.seconds)
        .Bind(5, token.last_used_at)
        .Bind(6, token.revoked_at)
        .Run();
    return db_->LastRowId();
  });
}

std::optional<ApiToken> SqliteAccounts::FindTokenByHash(std::string_view hash) {
  std::lock_guard lock(mutex_);
  auto s = db_->Prepare(ASSETPUB_SELECT_TOKENS "WHERE hash = ?1");
  if (!s.Bind(1, hash).Step()) return std::nullopt;
  return ReadToken(s);
}

std::optional<ApiToken> SqliteAccounts::GetToken(int64_t id) {
  std::lock_guard lock(mutex_);
  auto s = db_->Prepare(ASSETPUB_SELECT_TOKENS "WHERE id = ?1");
  if (!s.Bind(1, id).Step()) return std::nullopt;
  return ReadToken(s);
}

std::vector<ApiToken> SqliteAccounts::ListTokens() {
  std::lock_guard lock(mutex_);
  auto s = db_->Prepare(ASSETPUB_SELECT_TOKENS "ORDER BY id");
  std::vector<ApiToken> out;
  while (s.Step()) out.push_back(ReadToken(s));
  return out;
}

bool SqliteAccounts::RevokeToken(int64_t id, Instant at) {
  std::lock_guard lock(mutex_);
  return db_->Write([&] {
    auto s = db_->Prepare("SELECT revoked_at IS NULL FROM api_tokens WHERE id = ?1");
    if (!s.Bind(1, id).Step()) {
      throw Error(ErrorCode::kNotFound, fmt::format("token {} does not exist", id));
    }
    if (s.Int(0) == 0) return false;
    db_->Prepare("UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1")
        .Bind(1, id)
        .Bind(2, at.seconds)
        .Run();
    return true;
  });
}

void SqliteAccounts::TouchToken(int64_t id, Instant at) {
  std::lock_guard lock(mutex_);
  db_->Prepare("UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1")
      .Bind(1, id)
      .Bind(2, at.seconds)
      .Run();
}

void SqliteAccounts::AddSession(const Session& session) {
  std::lock_guard lock(mutex_);
  db_->Write([&] {
    if (!UserExists(*db_, session.user_id)) {
      throw Error(ErrorCode::kNotFound, fmt::format("user {} does not exist", session.user_id));
    }
    {
      auto s = db_->Prepare("SELECT 1 FROM sessions WHERE id_hash = ?1");
      if (s.Bind(1, session.id_hash).Step()) {
        throw Error(ErrorCode::kConflict, "a session with this id already exists");
      }
    }
    db_->Prepare(
           "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, address) "
           "VALUES (?1, ?2, ?3, ?4, ?5)")
        .Bind(1, session.id_hash)
        .Bind(2, session.user_id)
        .Bind(3, session.created_at.seconds)
        .Bind(4, session.last_seen_at.seconds)
        .Bind(5, session.address)
        .Run();
  });
}

std::optional<Session> SqliteAccounts::FindSession(std::string_view id_hash) {
  std::lock_guard lock(mutex_);
  auto s = db_->Prepare(
      "SELECT id_hash, user_id, created_at, last_seen_at, address FROM sessions "
      "WHERE id_hash = ?1");
  if (!s.Bind(1, id_hash).Step()) return std::nullopt;
  return Session{s.Text(0), s.Int(1), Instant{s.Int(2)}, Instant{s.Int(3)}, s.Text(4)};
}

void SqliteAccounts::TouchSession(std::string_view id_hash, Instant at) {
  std::lock_guard lock(mutex_);
  db_->Prepare("UPDATE sessions SET last_seen_at = ?2 WHERE id_hash = ?1")
      .Bind(1, id_hash)
      .Bind(2, at.seconds)
      .Run();
}

bool SqliteAccounts::DeleteSession(std::string_view id_hash) {
  std::lock_guard lock(mutex_);
  db_->Prepare("DELETE FROM sessions WHERE id_hash = ?1").Bind(1, id_hash).Run();
  return db_->Changes() > 0;
}

int64_t SqliteAccounts::DeleteExpiredSessions(Instant idle_before, Instant created_before) {
  std::lock_guard lock(mutex_);
  db_->Prepare("DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < ?2")
      .Bind(1, idle_before.seconds)
      .Bind(2, created_before.seconds)
      .Run();
  return db_->Changes();
}

void SqliteAccounts::RecordLoginFailure(const std::vector<std::string>& keys, Instant at) {
  if (keys.empty()) return;
  std::lock_guard lock(mutex_);
  db_->Write([&] {
    for (const std::string& key : keys) {
      db_->Prepare("INSERT INTO login_failures (key, at) VALUES (?1, ?2)")
          .Bind(1, key)
          .Bind(2, at.seconds)
          .Run();
    }
  });
}

LoginFailureCount SqliteAccounts::CountLoginFailures(std::string_view key, Instant since,
                                                     int64_t limit) {
  if (limit < 1) throw Error(ErrorCode::kInvalidInput, "login failures: limit must be at least 1");
  std::lock_guard lock(mutex_);
  // The newest `limit` rows only: a key's count never costs more than the limit it is held to.
  auto s = db_->Prepare(
      "SELECT count(*), min(at) FROM (SELECT at FROM login_failures WHERE key = ?1 AND at >= ?2 "
      "ORDER BY at DESC LIMIT ?3)");
  s.Bind(1, key).Bind(2, since.seconds).Bind(3, limit).Step();
  return LoginFailureCount{s.Int(0), s.OptionalInstant(1)};
}

void SqliteAccounts::ClearLoginFailures(std::string_view key) {
  std::lock_guard lock(mutex_);
  db_->Prepare("DELETE FROM login_failures WHERE key = ?1").Bind(1, key).Run();
}

int64_t SqliteAccounts::DeleteLoginFailuresBefore(Instant before) {
  std::lock_guard lock(mutex_);
  db_->Prepare("DELETE FROM login_failures WHERE at < ?1").Bind(1, before.seconds).Run();
  return db_->Changes();
}

int64_t SqliteAccounts::AppendAudit(const AuditEntry& entry) {
  std::lock_guard lock(mutex_);
  db_->Prepare(
         "INSERT INTO audit_log (at, actor, action, target, address, detail) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .Bind(1, entry.at.seconds)
      .Bind(2, entry.actor)
      .Bind(3, entry.action)
      .Bind(4, entry.target)
      .Bind(5, entry.address)
      .Bind(6, entry.detail)
      .Run();
  return db_->LastRowId();
}

AuditPage SqliteAccounts::ReadAudit(const AuditQuery& query) {
  if (query.limit < 1 || query.limit > 1000 || query.before_id < 0) {
    throw Error(ErrorCode::kInvalidInput,
                "audit: limit must be 1..1000 and before_id not negative");
  }
  std::lock_guard lock(mutex_);
  // One more than asked: whether an older page exists, without a count.
  auto s = db_->Prepare(
      "SELECT id, at, actor, action, target, address, detail FROM audit_log "
      "WHERE id < ?1 ORDER BY id DESC LIMIT ?2");
  s.Bind(1, query.before_id == 0 ? std::numeric_limits<int64_t>::max() : query.before_id)
      .Bind(2, query.limit + 1);
  AuditPage page;
  while (s.Step()) {
    page.entries.push_back(AuditEntry{s.Int(0), Instant{s.Int(1)}, s.Text(2), s.Text(3), s.Text(4),
                                      s.Text(5), s.Text(6)});
  }
  if (static_cast<int64_t>(page.entries.size()) > query.limit) {
    page.entries.pop_back();
    page.next_before_id = page.entries.back().id;
  }
  return page;
}

}  // namespace assetpub::store::sqlite
