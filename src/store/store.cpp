#include "store/store.h"

#include <fmt/format.h>

#include "core/error.h"
#include "store/sqlite/sqlite_store.h"

namespace assetpub::store {

std::vector<Revision> Store::Revisions(int64_t id) { return Begin()->Revisions(id); }

std::optional<Revision> Store::GetRevision(int64_t id, int64_t number) {
  return Begin()->GetRevision(id, number);
}

RevisionHead Store::Head(int64_t id) { return Begin()->Head(id); }

std::vector<std::pair<int64_t, content::Instant>> Store::Scheduled(int64_t limit) {
  return Begin()->Scheduled(limit);
}

std::unique_ptr<Store> OpenStore(const std::string& url) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.starts_with(kSqlite) && url.size() > kSqlite.size()) {
    return std::make_unique<sqlite::SqliteStore>(url.substr(kSqlite.size()));
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    throw Error(ErrorCode::kInvalidInput, "the PostgreSQL store is not built yet; use sqlite:PATH");
  }
  throw Error(ErrorCode::kInvalidInput,
              fmt::format("store URL '{}' is neither sqlite:PATH nor postgresql://…", url));
}

}  // namespace assetpub::store
