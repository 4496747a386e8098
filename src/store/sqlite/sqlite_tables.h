#pragma once
// store::Tables over a SQLite database (store/tables.h): the base tables read and loaded as text
// rows, for `assetpub migrate`. One connection of its own; reads share one snapshot, held from
// the first read until the object is destroyed or a load begins. Not thread-safe (one user).

#include <filesystem>
#include <memory>

#include "store/sqlite/options.h"
#include "store/tables.h"

namespace assetpub::store::sqlite {

class Connection;

class SqliteTables final : public Tables {
 public:
  // Opens (creating and migrating, as SqliteStore) the database at `path`.
  SqliteTables(const std::filesystem::path& path, const Options& options);
  ~SqliteTables() override;

  int64_t Count(const TableSpec& table) override;
  void Read(const TableSpec& table, const std::function<void(const TableRow&)>& visit) override;
  void Begin() override;
  void Insert(const TableSpec& table, const std::vector<TableRow>& rows) override;
  void Finish() override;

 private:
  void Snapshot();

  std::unique_ptr<Connection> c_;
  bool reading_ = false;  // a read transaction is open
  bool loading_ = false;  // a write transaction is open
};

}  // namespace assetpub::store::sqlite
