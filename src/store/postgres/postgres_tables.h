#pragma once
// store::Tables over a PostgreSQL database (store/tables.h), for `assetpub migrate`. One
// connection of its own; reads share one REPEATABLE READ snapshot, from the first read until the
// object is destroyed or a load begins; a load is one transaction holding the writers' lock.
// Not thread-safe (one user).

#include <memory>
#include <string>

#include "store/tables.h"

namespace assetpub::store::postgres {

class PostgresTables final : public Tables {
 public:
  // Connects to (and migrates, as PostgresStore) the database `url` names.
  explicit PostgresTables(const std::string& url);
  ~PostgresTables() override;

  int64_t Count(const TableSpec& table) override;
  void Read(const TableSpec& table, const std::function<void(const TableRow&)>& visit) override;
  void Begin() override;
  void Insert(const TableSpec& table, const std::vector<TableRow>& rows) override;
  void Finish() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace assetpub::store::postgres
