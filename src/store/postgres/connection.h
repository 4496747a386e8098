#pragma once
// Connection: one libpqxx connection to the store's PostgreSQL database, with the statements it
// has prepared, and Tx, a transaction on it that runs SQL by text with bound parameters (each
// text prepared once per connection, every value a parameter: never spliced). Internal to
// store/postgres/ (it shows pqxx). Not thread-safe: one user at a time (Pool lends it).
//
// Errors: every libpqxx failure becomes assetpub::Error (Translate): the connection lost, the
// server starting or stopping, a lock or statement timeout, a serialization failure:
// kUnavailable (retry later); a unique violation: kConflict; a foreign key: kInvalidInput;
// anything else: kInternal. Messages never carry the URL (it may hold a password).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "content/instant.h"

namespace assetpub::store::postgres {

// A statement's parameters, in text form ($1, $2, …); nullopt is NULL.
class Params {
 public:
  Params() = default;
  template <typename... Args>
  explicit Params(const Args&... args) {
    (Add(args), ...);
  }

  Params& Add(int64_t value);
  Params& Add(int value) { return Add(static_cast<int64_t>(value)); }
  Params& Add(std::string_view value);
  Params& Add(const std::string& value) { return Add(std::string_view(value)); }
  Params& Add(const char* value) { return Add(std::string_view(value)); }
  Params& Add(bool value) { return Add(int64_t{value ? 1 : 0}); }
  Params& Add(content::Instant value) { return Add(value.seconds); }
  Params& Add(const std::optional<content::Instant>& value);
  Params& AddNull();

  // Pointers to the values (nullptr for NULL), valid while this object lives unchanged.
  std::vector<const char*> Pointers() const;

 private:
  std::vector<std::optional<std::string>> values_;
};

// `ids` as a PostgreSQL array literal ("{1,2,3}"), for `= ANY(CAST($n AS bigint[]))`.
std::string IdArray(const std::vector<int64_t>& ids);

class Connection {
 public:
  // Connects to the database `url` names (a libpq URI; the password may also come from
  // PGPASSWORD or ~/.pgpass) and sets the session up: UTC, and `lock_timeout` for every lock wait
  // (the writers' advisory lock included). Throws Error(kUnavailable) when it cannot connect.
  // `live` (may be nullptr) counts the connections alive: one more from here to the destructor.
  Connection(const std::string& url, std::chrono::milliseconds lock_timeout,
             std::atomic<int64_t>* live = nullptr);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  pqxx::connection& raw() { return *connection_; }
  bool is_open() const { return connection_->is_open(); }

  // The name `sql` is prepared under on this connection, preparing it the first time.
  const std::string& Prepared(const std::string& sql);

 private:
  std::unique_ptr<pqxx::connection> connection_;
  std::atomic<int64_t>* live_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;  // text -> statement name
};

// A transaction on a Connection (the caller begins and ends the pqxx transaction `work`).
class Tx {
 public:
  Tx(Connection& connection, pqxx::transaction_base& work) : c_(connection), work_(work) {}

  // Runs `sql` ($1, $2, … bound to `params`), prepared on first use.
  pqxx::result Run(const std::string& sql, const Params& params = Params());
  template <typename... Args>
  pqxx::result operator()(const std::string& sql, const Args&... args) {
    return Run(sql, Params(args...));
  }
  // Runs `sql` with `params` as $1…$n and `bytes` as $n+1, sent in binary (a bytea value without
  // the hex text's doubling), prepared on first use.
  pqxx::result RunWithBytes(const std::string& sql, const Params& params, std::string_view bytes);
  // Runs `sql` unprepared, without parameters (DDL, NOTIFY).
  void Exec(const std::string& sql) { work_.exec(sql); }

  pqxx::transaction_base& work() { return work_; }

 private:
  Connection& c_;
  pqxx::transaction_base& work_;
};

// Runs `body` and turns what libpqxx throws into assetpub::Error as this file's top says
// (assetpub::Error passes through).
template <typename Body>
auto Translate(Body&& body) -> decltype(body());

// The Error for a libpqxx exception (the current one when called from a catch block).
[[noreturn]] void RethrowTranslated();

template <typename Body>
auto Translate(Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (...) {
    RethrowTranslated();
  }
}

// Reads a column as int64_t / text; NULL as nullopt.
inline int64_t Int(const pqxx::field& f) { return f.as<int64_t>(); }
inline std::string Text(const pqxx::field& f) { return f.is_null() ? std::string() : f.c_str(); }
// Reads a bytea column (the server sends it as hex text) as its bytes.
inline pqxx::binarystring Bytes(const pqxx::field& f) { return pqxx::binarystring(f); }
inline std::optional<content::Instant> OptionalInstant(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return content::Instant{f.as<int64_t>()};
}

}  // namespace assetpub::store::postgres
