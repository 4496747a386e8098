#pragma once
// The PostgreSQL implementation of store::Accounts: the users, api_tokens, sessions,
// login_failures and audit_log tables of the store's database (schema.cpp), so that every node
// sees the same users, tokens and sessions (log in on one node, save on another) and counts the
// same failed logins. A small pool of connections of its own (pool.h); each call is one
// transaction. Thread-safe as the Accounts contract says; errors as connection.h says (the server
// away: kUnavailable).

#include <chrono>
#include <memory>
#include <string>

#include "store/accounts.h"

namespace assetpub::store::postgres {

class Pool;

class PostgresAccounts final : public Accounts {
 public:
  // Connects to the database `url` names and migrates it, as PostgresStore does.
  explicit PostgresAccounts(const std::string& url,
                            std::chrono::milliseconds lock_timeout = std::chrono::seconds(10));
  ~PostgresAccounts() override;

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
  std::unique_ptr<Pool> pool_;
};

}  // namespace assetpub::store::postgres
