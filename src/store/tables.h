#pragma once
// The tables a store's content, accounts and history are made of, as rows of text, for copying a
// whole database from one backend to another (`assetpub migrate`, store/backends/copy.h). Only
// the base tables: what list pages read (listings, list_counts, listing_terms) is derived from
// them and rebuilt by the backend when a load finishes, with its own collation. login_failures is
// not copied either: the rate limiter's counts matter for a quarter of an hour at most. Each
// backend implements Tables over its schema; the columns are the same in both.
//
// Values are text: integers in decimal, booleans as 0/1, bytes (kBlob) as they are, NULL as
// nullopt. Rows come in the
// table's key order (text keys compared bytewise), the same on every backend, so two copies of a
// table read back identically.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace assetpub::store {

using TableRow = std::vector<std::optional<std::string>>;

struct TableColumn {
  const char* name;
  enum class Type { kInt, kText, kBool, kBlob } type = Type::kText;
};

struct TableSpec {
  const char* name;
  std::vector<TableColumn> columns;
  // Columns (names from `columns`) that order the rows: the table's key.
  std::vector<const char*> key;
  // True when a column is kBlob: its rows are large (a chunk of media bytes each), so they are
  // read and copied a few at a time.
  bool HasBlobs() const;
};

// The base tables, in an order that loads without breaking a reference (assets before what
// refers to them, users before their tokens and sessions).
const std::vector<TableSpec>& BaseTables();

class Tables {
 public:
  virtual ~Tables() = default;

  // How many rows `table` has.
  virtual int64_t Count(const TableSpec& table) = 0;
  // Calls `visit` for every row of `table` in key order, its values in `table.columns`' order,
  // from one snapshot of the database.
  virtual void Read(const TableSpec& table, const std::function<void(const TableRow&)>& visit) = 0;

  // Loading into an empty database: Begin() opens one transaction, Insert() adds rows of one
  // table (in BaseTables() order), Finish() rebuilds the derived tables, moves id sequences past
  // the loaded ids and commits. Destroyed before Finish(), nothing of the load remains.
  virtual void Begin() = 0;
  virtual void Insert(const TableSpec& table, const std::vector<TableRow>& rows) = 0;
  virtual void Finish() = 0;
};

// Opens the tables of the database `url` names (as OpenStore, which it calls first so that the
// schema exists). Defined in assetpub_store_backends.
std::unique_ptr<Tables> OpenTables(const std::string& url);

}  // namespace assetpub::store
