#pragma once
// The SQL of Store::Select, shared by the SQL backends (sqlite/, postgres/), whose schemas have the
// same list tables (listings, list_counts and listing_terms: see sqlite/schema.cpp): the FROM,
// WHERE, ORDER BY and LIMIT a Selection asks for, with every value a bound parameter, never spliced
// into the text. A Dialect says what differs between the two: placeholders, the id-list source,
// planner hints, how titles sort. Pure functions of their arguments: thread-safe, no database
// needed (select_sql_test.cpp checks what they build). For store/'s backends only.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "content/asset.h"
#include "store/store.h"

namespace assetpub::store::sql {

// What the SQL of the two backends differs in.
struct Dialect {
  enum class Kind { kSqlite, kPostgres };
  Kind kind = Kind::kSqlite;
  // PostgreSQL: the collation titles are ordered by (SortKey::kTitle), the name of an ICU
  // collation the server has ("ru-x-icu"), chosen by the caller from the server's own list, never
  // from input. SQLite orders by listings.sort_key, a collation key made by content/collation.h.
  std::string title_collation = "und-x-icu";
};
inline const Dialect kSqlite{};

using SqlValue = std::variant<int64_t, std::string>;

// A query's text and its parameters: params[i] is bound to ?{i+1} (SQLite) or ${i+1}
// (PostgreSQL). The text uses every parameter (PostgreSQL refuses one it cannot type).
struct SqlQuery {
  std::string sql;
  std::vector<SqlValue> params;
};

// The query for a page of `selection`: the matching asset ids in the page's order (one column),
// with LIMIT and OFFSET; or, when `count`, the query counting every match (one row, one column).
// `selection` is one Select has checked (limit, offset, a language).
SqlQuery SelectSql(const Selection& selection, bool count, const Dialect& dialect = kSqlite);

// The number of listings in `language` (a primary subtag or a full tag, as Selection::language)
// with `status` (any when nullopt) and one of `kinds` (any when empty), summed from list_counts.
SqlQuery CountsSql(std::string_view language, const std::optional<content::Status>& status,
                   const std::vector<content::Kind>& kinds, const Dialect& dialect = kSqlite);

}  // namespace assetpub::store::sql
