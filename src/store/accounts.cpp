#include "store/accounts.h"

#include <fmt/format.h>

#include "core/error.h"
#include "store/sqlite/sqlite_accounts.h"

namespace assetpub::store {

std::unique_ptr<Accounts> OpenAccounts(const std::string& url) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.starts_with(kSqlite) && url.size() > kSqlite.size()) {
    return std::make_unique<sqlite::SqliteAccounts>(url.substr(kSqlite.size()));
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    throw Error(ErrorCode::kInvalidInput, "the PostgreSQL store is not built yet; use sqlite:PATH");
  }
  throw Error(ErrorCode::kInvalidInput,
              fmt::format("store URL '{}' is neither sqlite:PATH nor postgresql://…", url));
}

}  // namespace assetpub::store
