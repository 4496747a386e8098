#pragma once
// The SQL of Store::Select on the SQLite schema (listings, list_counts and listing_terms: see
// schema.cpp): the FROM, WHERE, ORDER BY and LIMIT a Selection asks for, with every value a bound
// parameter, never spliced into the text. Pure functions of their arguments: thread-safe, no
// database needed (select_sql_test.cpp checks what they build). Internal to store/sqlite/.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "content/asset.h"
#include "store/store.h"

namespace assetpub::store::sqlite {

class Statement;

using SqlValue = std::variant<int64_t, std::string>;

// A query's text and its parameters: params[i] is bound to ?{i+1}.
struct SqlQuery {
  std::string sql;
  std::vector<SqlValue> params;

  // Binds the parameters to `s`, a statement prepared from `sql`: those up to the highest number
  // the text uses (a numbered parameter the text does not use, such as a term set's that is read
  // from listing_terms instead of its term table, is bound all the same, to no effect).
  void BindTo(Statement& s) const;
};

// The query for a page of `selection`: the matching asset ids in the page's order (one column),
// with LIMIT and OFFSET; or, when `count`, the query counting every match (one row, one column).
// `selection` is one Select has checked (limit, offset, a language).
SqlQuery SelectSql(const Selection& selection, bool count);

// The number of listings in `language` (a primary subtag or a full tag, as Selection::language)
// with `status` (any when nullopt) and one of `kinds` (any when empty), summed from list_counts.
SqlQuery CountsSql(std::string_view language, const std::optional<content::Status>& status,
                   const std::vector<content::Kind>& kinds);

}  // namespace assetpub::store::sqlite
