#pragma once
// The SQLite implementation of store::Accounts: the users, api_tokens, sessions, login_failures
// and audit_log tables of the store's database (created by the store's migrations, see
// schema.cpp). One connection of its own behind a mutex (`mutex_`): account traffic is small
// (logins, one lookup per authenticated request), so one connection is plenty and keeps every
// call simple.
// Thread-safe as the Accounts contract says.

#include <filesystem>
#include <memory>
#include <mutex>

#include "store/accounts.h"
#include "store/sqlite/options.h"

namespace assetpub::store::sqlite {

class Connection;

class SqliteAccounts final : public Accounts {
 public:
  // Opens the database at `path` (creating it if needed), migrates it to the current schema
  // (as SqliteStore does) and keeps a connection to it, which waits up to `options.busy_timeout`
  // for another connection's lock. Throws Error(kUnavailable) when the file cannot be opened,
  // Error(kInternal) when its schema is newer than this binary knows.
  explicit SqliteAccounts(const std::filesystem::path& path, const Options& options = {});
  ~SqliteAccounts() override;

  int64_t AddUser(const User& user) override;
  std::optional<User> FindUser(std::string_view name) override;
  std::optional<User> GetUser(int64_t id) override;
  std::vector<User> ListUsers() override;
  void SetPasswordHash(int64_t user_id, std::string_view password_hash) override;
  void RecordLogin(int64_t user_id, content::Instant at) override;
  DisableResult DisableUser(int64_t user_id, content::Instant at) override;

  int64_t AddToken(const ApiToken& token) override;
  std::optional<ApiToken> FindTokenByHash(std::string_view hash) override;
  std::optional<ApiToken> GetToken(int64_t id) override;
  std::vector<ApiToken> ListTokens() override;
  bool RevokeToken(int64_t id, content::Instant at) override;
  void TouchToken(int64_t id, content::Instant at) override;

  void AddSession(const Session& session) override;
  std::optional<Session> FindSession(std::string_view id_hash) override;
  void TouchSession(std::string_view id_hash, content::Instant at) override;
  bool DeleteSession(std::string_view id_hash) override;
  int64_t DeleteExpiredSessions(content::Instant idle_before,
                                content::Instant created_before) override;

  void RecordLoginFailure(const std::vector<std::string>& keys, content::Instant at) override;
  LoginFailureCount CountLoginFailures(std::string_view key, content::Instant since,
                                       int64_t limit) override;
  void ClearLoginFailures(std::string_view key) override;
  int64_t DeleteLoginFailuresBefore(content::Instant before) override;

  int64_t AppendAudit(const AuditEntry& entry) override;
  AuditPage ReadAudit(const AuditQuery& query) override;

 private:
  std::mutex mutex_;  // guards db_: one call at a time
  std::unique_ptr<Connection> db_;
};

}  // namespace assetpub::store::sqlite
