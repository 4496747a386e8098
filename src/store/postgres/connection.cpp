#include "store/postgres/connection.h"

#include <fmt/format.h>

#include "core/error.h"

namespace assetpub::store::postgres {

Params& Params::Add(int64_t value) {
  values_.emplace_back(std::to_string(value));
  return *this;
}

Params& Params::Add(std::string_view value) {
  values_.emplace_back(std::string(value));
  return *this;
}

Params& Params::Add(const std::optional<content::Instant>& value) {
  if (!value) return AddNull();
  return Add(value->seconds);
}

Params& Params::AddNull() {
  values_.emplace_back(std::nullopt);
  return *this;
}

std::vector<const char*> Params::Pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& value : values_) out.push_back(value ? value->c_str() : nullptr);
  return out;
}

std::string IdArray(const std::vector<int64_t>& ids) {
  return fmt::format("{{{}}}", fmt::join(ids, ","));
}

Connection::Connection(const std::string& url, std::chrono::milliseconds lock_timeout,
                       std::atomic<int64_t>* live)
    : connection_(Translate([&] { return std::make_unique<pqxx::connection>(url); })) {
  Translate([&] {
    pqxx::nontransaction setup(*connection_);
    setup.exec(fmt::format("SET TIME ZONE 'UTC'; SET lock_timeout = {}; SET client_encoding = UTF8",
                           lock_timeout.count()));
  });
  live_ = live;  // counted once whole: a constructor that threw made no connection
  if (live_ != nullptr) live_->fetch_add(1, std::memory_order_relaxed);
}

Connection::~Connection() {
  if (live_ != nullptr) live_->fetch_sub(1, std::memory_order_relaxed);
}

const std::string& Connection::Prepared(const std::string& sql) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = fmt::format("s{}", prepared_.size() + 1);
    connection_->prepare(name, sql);
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  return it->second;
}

pqxx::result Tx::Run(const std::string& sql, const Params& params) {
  const std::string& name = c_.Prepared(sql);
  const std::vector<const char*> values = params.Pointers();
  return work_.exec_prepared(name, pqxx::prepare::make_dynamic_params(values));
}

pqxx::result Tx::RunWithBytes(const std::string& sql, const Params& params,
                              std::string_view bytes) {
  const std::string& name = c_.Prepared(sql);
  const std::vector<const char*> values = params.Pointers();
  return work_.exec_prepared(name, pqxx::prepare::make_dynamic_params(values),
                             pqxx::binarystring(bytes.data(), bytes.size()));
}

namespace {

// The database away or busy: worth trying again in a moment (HTTP 503 with Retry-After).
Error Unavailable(const std::string& message) {
  return Error(ErrorCode::kUnavailable, message).WithRetryAfter(2);
}

}  // namespace

void RethrowTranslated() {
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const pqxx::broken_connection&) {
    throw Unavailable("the database is unreachable; try again shortly");
  } catch (const pqxx::in_doubt_error&) {
    throw Unavailable(
        "the database connection was lost while committing; the write may not have landed");
  } catch (const pqxx::sql_error& e) {
    const std::string& state = e.sqlstate();
    const std::string first_line =
        std::string(e.what()).substr(0, std::string(e.what()).find('\n'));
    if (state == "23505") throw Error(ErrorCode::kConflict, first_line);
    if (state == "23503") throw Error(ErrorCode::kInvalidInput, first_line);
    // The server's disk is full (disk_full): the same 507 as a full disk under SQLite, so that
    // an operator is told what to free, not "internal error". Reads go on meanwhile.
    if (state == "53100") {
      throw Error(ErrorCode::kInsufficientStorage,
                  "the database server is out of disk space: " + first_line);
    }
    // Connection exceptions (08), a server shutting down or starting (57P0x), too many
    // connections (53300), lock and statement timeouts (55P03, 57014), serialization failures and
    // deadlocks (40001, 40P01), read-only transactions on a standby (25006): try again later.
    if (state.starts_with("08") || state.starts_with("57P") || state == "53300" ||
        state == "55P03" || state == "57014" || state == "40001" || state == "40P01" ||
        state == "25006") {
      throw Unavailable("the database is busy or restarting: " + first_line);
    }
    throw Error(ErrorCode::kInternal, "database: " + first_line);
  } catch (const pqxx::failure& e) {
    throw Unavailable(std::string("database: ") + e.what());
  } catch (const std::exception& e) {
    throw Error(ErrorCode::kInternal, std::string("database: ") + e.what());
  }
}

}  // namespace assetpub::store::postgres
