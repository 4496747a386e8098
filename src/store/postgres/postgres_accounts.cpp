#include "store/postgres/postgres_accounts.h"

#include <fmt/format.h>

#include <limits>
#include <string>
#include <utility>

#include "core/error.h"
#include "core/text.h"
#include "store/postgres/connection.h"
#include "store/postgres/pool.h"
#include "store/postgres/schema.h"

namespace assetpub::store::postgres {

using content::Instant;

namespace {

using Single = pqxx::nontransaction;
using Work = pqxx::work;

// The columns ReadUser reads, and ReadToken's (the start of their queries).
constexpr const char* kSelectUsers =
    "SELECT id, name, role, password_hash, disabled, created_at, last_login_at FROM users ";
constexpr const char* kSelectTokens =
    "SELECT id, user_id, name, hash, created_at, last_used_at, revoked_at FROM api_tokens ";

User ReadUser(const pqxx::row& row) {
  User u;
  u.id = Int(row[0]);
  u.name = Text(row[1]);
  u.role = Text(row[2]);
  u.password_hash = Text(row[3]);
  u.disabled = row[4].as<bool>();
  u.created_at = Instant{Int(row[5])};
  u.last_login_at = OptionalInstant(row[6]);
  return u;
}

ApiToken ReadToken(const pqxx::row& row) {
  ApiToken t;
  t.id = Int(row[0]);
  t.user_id = Int(row[1]);
  t.name = Text(row[2]);
  t.hash = Text(row[3]);
  t.created_at = Instant{Int(row[4])};
  t.last_used_at = OptionalInstant(row[5]);
  t.revoked_at = OptionalInstant(row[6]);
  return t;
}

void RequireUser(Tx& tx, int64_t user_id) {
  if (tx("SELECT 1 FROM users WHERE id = $1", user_id).empty()) {
    throw Error(ErrorCode::kNotFound, fmt::format("user {} does not exist", user_id));
  }
}

}  // namespace

PostgresAccounts::PostgresAccounts(const std::string& url, std::chrono::milliseconds lock_timeout)
    : pool_(std::make_unique<Pool>(url, lock_timeout, 4)) {
  bool pooled = false;
  std::unique_ptr<Connection> c = pool_->Take(pooled);
  Migrate(*c);
  pool_->Give(std::move(c));
}

PostgresAccounts::~PostgresAccounts() = default;

int64_t PostgresAccounts::AddUser(const User& user) {
  if (user.name.empty()) throw Error(ErrorCode::kInvalidInput, "a user needs a name");
  const std::string key = AsciiLower(user.name);
  return pool_->Run<Work>([&](Tx& tx) {
    // The unique name_key decides between two nodes adding one name at once; this check gives
    // the usual case its message.
    if (auto rows = tx("SELECT name FROM users WHERE name_key = $1", key); !rows.empty()) {
      throw Error(ErrorCode::kConflict, fmt::format("user '{}' already exists", Text(rows[0][0])));
    }
    return Int(tx(
        "INSERT INTO users (name, name_key, role, password_hash, disabled, created_at, "
        "last_login_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        user.name, key, user.role, user.password_hash,
        std::string(user.disabled ? "true" : "false"), user.created_at, user.last_login_at)[0][0]);
  });
}

std::optional<User> PostgresAccounts::FindUser(std::string_view name) {
  return pool_->Run<Single>([&](Tx& tx) -> std::optional<User> {
    auto rows = tx(std::string(kSelectUsers) + "WHERE name_key = $1", AsciiLower(name));
    if (rows.empty()) return std::nullopt;
    return ReadUser(rows[0]);
  });
}

std::optional<User> PostgresAccounts::GetUser(int64_t id) {
  return pool_->Run<Single>([&](Tx& tx) -> std::optional<User> {
    auto rows = tx(std::string(kSelectUsers) + "WHERE id = $1", id);
    if (rows.empty()) return std::nullopt;
    return ReadUser(rows[0]);
  });
}

std::vector<User> PostgresAccounts::ListUsers() {
  return pool_->Run<Single>([&](Tx& tx) {
    std::vector<User> out;
    for (const auto& row : tx(std::string(kSelectUsers) + "ORDER BY name COLLATE \"C\", id")) {
      out.push_back(ReadUser(row));
    }
    return out;
  });
}

void PostgresAccounts::SetPasswordHash(int64_t user_id, std::string_view password_hash) {
  pool_->Run<Work>([&](Tx& tx) {
    if (tx("UPDATE users SET password_hash = $2 WHERE id = $1", user_id, password_hash)
            .affected_rows() == 0) {
      throw Error(ErrorCode::kNotFound, fmt::format("user {} does not exist", user_id));
    }
  });
}

void PostgresAccounts::RecordLogin(int64_t user_id, Instant at) {
  pool_->Run<Work>(
      [&](Tx& tx) { tx("UPDATE users SET last_login_at = $2 WHERE id = $1", user_id, at); });
}

Accounts::DisableResult PostgresAccounts::DisableUser(int64_t user_id, Instant at) {
  return pool_->Run<Work>([&](Tx& tx) {
    if (tx("UPDATE users SET disabled = TRUE WHERE id = $1", user_id).affected_rows() == 0) {
      throw Error(ErrorCode::kNotFound, fmt::format("user {} does not exist", user_id));
    }
    DisableResult result;
    result.sessions_deleted = static_cast<int64_t>(
        tx("DELETE FROM sessions WHERE user_id = $1", user_id).affected_rows());
    result.tokens_revoked = static_cast<int64_t>(
        tx("UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
           user_id, at)
            .affected_rows());
    return result;
  });
}

int64_t PostgresAccounts::AddToken(const ApiToken& token) {
  return pool_->Run<Work>([&](Tx& tx) {
    RequireUser(tx, token.user_id);
    if (!tx("SELECT 1 FROM api_tokens WHERE hash = $1", token.hash).empty()) {
      throw Error(ErrorCode::kConflict, "a token with this hash already exists");
    }
    return Int(
        tx("INSERT INTO api_tokens (user_id, name, hash, created_at, last_used_at, "
           "revoked_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
           token.user_id, token.name, token.hash, token.created_at, token.last_used_at,
           token.revoked_at)[0][0]);
  });
}

std::optional<ApiToken> PostgresAccounts::FindTokenByHash(std::string_view hash) {
  return pool_->Run<Single>([&](Tx& tx) -> std::optional<ApiToken> {
    auto rows = tx(std::string(kSelectTokens) + "WHERE hash = $1", hash);
    if (rows.empty()) return std::nullopt;
    return ReadToken(rows[0]);
  });
}

std::optional<ApiToken> PostgresAccounts::GetToken(int64_t id) {
  return pool_->Run<Single>([&](Tx& tx) -> std::optional<ApiToken> {
    auto rows = tx(std::string(kSelectTokens) + "WHERE id = $1", id);
    if (rows.empty()) return std::nullopt;
    return ReadToken(rows[0]);
  });
}

std::vector<ApiToken> PostgresAccounts::ListTokens() {
  return pool_->Run<Single>([&](Tx& tx) {
    std::vector<ApiToken> out;
    for (const auto& row : tx(std::string(kSelectTokens) + "ORDER BY id")) {
      out.push_back(ReadToken(row));
    }
    return out;
  });
}

bool PostgresAccounts::RevokeToken(int64_t id, Instant at) {
  return pool_->Run<Work>([&](Tx& tx) {
    auto rows = tx("SELECT revoked_at IS NULL FROM api_tokens WHERE id = $1 FOR UPDATE", id);
    if (rows.empty()) throw Error(ErrorCode::kNotFound, fmt::format("token {} does not exist", id));
    if (!rows[0][0].as<bool>()) return false;
    tx("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1", id, at);
    return true;
  });
}

void PostgresAccounts::TouchToken(int64_t id, Instant at) {
  pool_->Run<Work>(
      [&](Tx& tx) { tx("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1", id, at); });
}

void PostgresAccounts::AddSession(const Session& session) {
  pool_->Run<Work>([&](Tx& tx) {
    RequireUser(tx, session.user_id);
    if (!tx("SELECT 1 FROM sessions WHERE id_hash = $1", session.id_hash).empty()) {
      throw Error(ErrorCode::kConflict, "a session with this id already exists");
    }
    tx("INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, address) "
       "VALUES ($1, $2, $3, $4, $5)",
       session.id_hash, session.user_id, session.created_at, session.last_seen_at, session.address);
  });
}

std::optional<Session> PostgresAccounts::FindSession(std::string_view id_hash) {
  return pool_->Run<Single>([&](Tx& tx) -> std::optional<Session> {
    auto rows =
        tx("SELECT id_hash, user_id, created_at, last_seen_at, address FROM sessions "
           "WHERE id_hash = $1",
           id_hash);
    if (rows.empty()) return std::nullopt;
    const auto& row = rows[0];
    return Session{Text(row[0]), Int(row[1]), Instant{Int(row[2])}, Instant{Int(row[3])},
                   Text(row[4])};
  });
}

void PostgresAccounts::TouchSession(std::string_view id_hash, Instant at) {
  pool_->Run<Work>(
      [&](Tx& tx) { tx("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1", id_hash, at); });
}

bool PostgresAccounts::DeleteSession(std::string_view id_hash) {
  return pool_->Run<Work>([&](Tx& tx) {
    return tx("DELETE FROM sessions WHERE id_hash = $1", id_hash).affected_rows() > 0;
  });
}

int64_t PostgresAccounts::DeleteExpiredSessions(Instant idle_before, Instant created_before) {
  return pool_->Run<Work>([&](Tx& tx) {
    return static_cast<int64_t>(
        tx("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2", idle_before,
           created_before)
            .affected_rows());
  });
}

void PostgresAccounts::RecordLoginFailure(const std::vector<std::string>& keys, Instant at) {
  if (keys.empty()) return;
  pool_->Run<Work>([&](Tx& tx) {
    for (const std::string& key : keys) {
      tx("INSERT INTO login_failures (key, at) VALUES ($1, $2)", key, at);
    }
  });
}

LoginFailureCount PostgresAccounts::CountLoginFailures(std::string_view key, Instant since,
                                                       int64_t limit) {
  if (limit < 1) throw Error(ErrorCode::kInvalidInput, "login failures: limit must be at least 1");
  return pool_->Run<Single>([&](Tx& tx) {
    // The newest `limit` rows only: a key's count never costs more than the limit it is held to.
    auto rows =
        tx("SELECT count(*), min(at) FROM (SELECT at FROM login_failures WHERE key = $1 AND "
           "at >= $2 ORDER BY at DESC LIMIT $3) AS newest",
           key, since, limit);
    return LoginFailureCount{Int(rows[0][0]), OptionalInstant(rows[0][1])};
  });
}

void PostgresAccounts::ClearLoginFailures(std::string_view key) {
  pool_->Run<Work>([&](Tx& tx) { tx("DELETE FROM login_failures WHERE key = $1", key); });
}

int64_t PostgresAccounts::DeleteLoginFailuresBefore(Instant before) {
  return pool_->Run<Work>([&](Tx& tx) {
    return static_cast<int64_t>(
        tx("DELETE FROM login_failures WHERE at < $1", before).affected_rows());
  });
}

int64_t PostgresAccounts::AppendAudit(const AuditEntry& entry) {
  return pool_->Run<Work>([&](Tx& tx) {
    return Int(
        tx("INSERT INTO audit_log (at, actor, action, target, address, detail) "
           "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
           entry.at, entry.actor, entry.action, entry.target, entry.address, entry.detail)[0][0]);
  });
}

AuditPage PostgresAccounts::ReadAudit(const AuditQuery& query) {
  if (query.limit < 1 || query.limit > 1000 || query.before_id < 0) {
    throw Error(ErrorCode::kInvalidInput,
                "audit: limit must be 1..1000 and before_id not negative");
  }
  return pool_->Run<Single>([&](Tx& tx) {
    AuditPage page;
    // One more than asked: whether an older page exists, without a count.
    for (const auto& row :
         tx("SELECT id, at, actor, action, target, address, detail FROM audit_log "
            "WHERE id < $1 ORDER BY id DESC LIMIT $2",
            query.before_id == 0 ? std::numeric_limits<int64_t>::max() : query.before_id,
            query.limit + 1)) {
      page.entries.push_back(AuditEntry{Int(row[0]), Instant{Int(row[1])}, Text(row[2]),
                                        Text(row[3]), Text(row[4]), Text(row[5]), Text(row[6])});
    }
    if (static_cast<int64_t>(page.entries.size()) > query.limit) {
      page.entries.pop_back();
      page.next_before_id = page.entries.back().id;
    }
    return page;
  });
}

}  // namespace assetpub::store::postgres
