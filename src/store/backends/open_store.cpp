// OpenStore and OpenAccounts (declared in store.h and accounts.h): the one place that knows every
// backend. It is its own target, assetpub_store_backends, so that the interface (assetpub_store)
// depends on no backend; link it where a store is opened by URL (the binary, tests, benchmarks).
// A backend joins by one line in each function below.

#include <fmt/format.h>

#include <memory>
#include <string>

#include "core/error.h"
#include "store/accounts.h"
#include "store/postgres/postgres_accounts.h"
#include "store/postgres/postgres_store.h"
#include "store/postgres/postgres_tables.h"
#include "store/sqlite/options.h"
#include "store/sqlite/sqlite_accounts.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_tables.h"
#include "store/store.h"
#include "store/tables.h"

namespace assetpub::store {
namespace {

[[noreturn]] void Unsupported(const std::string& url) {
  throw Error(
      ErrorCode::kInvalidInput,
      fmt::format("store URL '{}' is neither sqlite:PATH nor postgresql://…", RedactUrl(url)));
}

}  // namespace

std::unique_ptr<Store> OpenStore(const std::string& url) {
  if (auto sqlite = sqlite::ParseUrl(url)) {
    return std::make_unique<sqlite::SqliteStore>(sqlite->path, sqlite->options);
  }
  if (postgres::IsUrl(url)) return std::make_unique<postgres::PostgresStore>(url);
  Unsupported(url);
}

std::unique_ptr<Accounts> OpenAccounts(const std::string& url) {
  if (auto sqlite = sqlite::ParseUrl(url)) {
    return std::make_unique<sqlite::SqliteAccounts>(sqlite->path, sqlite->options);
  }
  if (postgres::IsUrl(url)) return std::make_unique<postgres::PostgresAccounts>(url);
  Unsupported(url);
}

std::unique_ptr<Tables> OpenTables(const std::string& url) {
  if (auto sqlite = sqlite::ParseUrl(url)) {
    return std::make_unique<sqlite::SqliteTables>(sqlite->path, sqlite->options);
  }
  if (postgres::IsUrl(url)) return std::make_unique<postgres::PostgresTables>(url);
  Unsupported(url);
}

}  // namespace assetpub::store
