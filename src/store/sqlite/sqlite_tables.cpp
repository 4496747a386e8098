#include "store/sqlite/sqlite_tables.h"

#include <fmt/format.h>

#include <string>

#include "core/error.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_store.h"

namespace assetpub::store::sqlite {

namespace {

std::string ColumnList(const TableSpec& table) {
  std::string out;
  for (const auto& column : table.columns)
    out += (out.empty() ? "" : ", ") + std::string(column.name);
  return out;
}

}  // namespace

SqliteTables::SqliteTables(const std::filesystem::path& path, const Options& options) {
  { SqliteStore migrate(path, options); }
  c_ = std::make_unique<Connection>(path, options);
}

SqliteTables::~SqliteTables() { c_->Rollback(); }

void SqliteTables::Snapshot() {
  if (reading_ || loading_) return;
  c_->Exec("BEGIN");
  reading_ = true;
}

int64_t SqliteTables::Count(const TableSpec& table) {
  Snapshot();
  auto s = c_->PrepareText(fmt::format("SELECT COUNT(*) FROM {}", table.name));
  s.Step();
  return s.Int(0);
}

void SqliteTables::Read(const TableSpec& table, const std::function<void(const TableRow&)>& visit) {
  Snapshot();
  std::string order;
  for (const char* key : table.key) order += (order.empty() ? "" : ", ") + std::string(key);
  auto s = c_->PrepareText(
      fmt::format("SELECT {} FROM {} ORDER BY {}", ColumnList(table), table.name, order));
  TableRow row(table.columns.size());
  while (s.Step()) {
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const int column = static_cast<int>(i);
      if (s.IsNull(column)) {
        row[i] = std::nullopt;
      } else if (table.columns[i].type == TableColumn::Type::kBlob) {
        row[i] = std::string(s.Bytes(column));
      } else {
        row[i] = s.Text(column);
      }
    }
    visit(row);
  }
}

void SqliteTables::Begin() {
  if (reading_) c_->Exec("COMMIT");
  reading_ = false;
  c_->Exec("BEGIN IMMEDIATE");
  loading_ = true;
}

void SqliteTables::Insert(const TableSpec& table, const std::vector<TableRow>& rows) {
  std::string placeholders;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    placeholders += fmt::format("{}?{}", i == 0 ? "" : ", ", i + 1);
  }
  const std::string sql =
      fmt::format("INSERT INTO {} ({}) VALUES ({})", table.name, ColumnList(table), placeholders);
  for (const TableRow& row : rows) {
    auto s = c_->PrepareText(sql);
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      if (!row[i]) {
        s.BindNull(index);
      } else if (table.columns[i].type == TableColumn::Type::kText) {
        s.Bind(index, *row[i]);
      } else if (table.columns[i].type == TableColumn::Type::kBlob) {
        s.BindBlob(index, *row[i]);
      } else {
        s.Bind(index, int64_t{std::stoll(*row[i])});
      }
    }
    s.Run();
  }
}

void SqliteTables::Finish() {
  RebuildLists(*c_);
  c_->Exec("COMMIT");
  loading_ = false;
}

}  // namespace assetpub::store::sqlite
