#include "store/postgres/postgres_tables.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/error.h"
#include "store/postgres/connection.h"
#include "store/postgres/postgres_store.h"
#include "store/postgres/schema.h"
#include "store/sql/list_tables.h"

namespace assetpub::store::postgres {

namespace {

// Bytes as bytea's hex input (\x0aff…): json_populate_recordset reads a string member with the
// column type's input function.
std::string HexBytea(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + 2 * bytes.size());
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0xf];
  }
  return out;
}

}  // namespace

struct PostgresTables::Impl {
  explicit Impl(const std::string& url) : c(url, std::chrono::seconds(10)) {}

  // The open transaction: a snapshot for reads, or the load.
  pqxx::transaction_base& Snapshot() {
    if (!work)
      work = std::make_unique<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(c.raw());
    return *work;
  }

  Connection c;
  std::unique_ptr<pqxx::transaction_base> work;
  bool loading = false;
};

PostgresTables::PostgresTables(const std::string& url) {
  { PostgresStore migrate(url); }
  impl_ = Translate([&] { return std::make_unique<Impl>(url); });
}

PostgresTables::~PostgresTables() {
  try {
    impl_->work.reset();  // aborts an unfinished load
  } catch (...) {
    // The connection goes with the object.
  }
}

int64_t PostgresTables::Count(const TableSpec& table) {
  return Translate([&] {
    Tx tx(impl_->c, impl_->Snapshot());
    return Int(tx(fmt::format("SELECT COUNT(*) FROM {}", table.name))[0][0]);
  });
}

void PostgresTables::Read(const TableSpec& table,
                          const std::function<void(const TableRow&)>& visit) {
  std::string columns;
  for (const auto& column : table.columns) {
    const std::string name = column.name;
    columns += (columns.empty() ? "" : ", ") +
               (column.type == TableColumn::Type::kBool ? "CAST(" + name + " AS integer)" : name);
  }
  std::string order;
  for (const char* key : table.key) {
    const auto& spec =
        *std::find_if(table.columns.begin(), table.columns.end(),
                      [&](const TableColumn& c) { return std::string(c.name) == key; });
    order += (order.empty() ? "" : ", ") + std::string(key) +
             (spec.type == TableColumn::Type::kText ? " COLLATE \"C\"" : "");
  }
  Translate([&] {
    pqxx::transaction_base& work = impl_->Snapshot();
    // A cursor, so a table of any size streams in batches instead of arriving whole.
    pqxx::stateless_cursor<pqxx::cursor_base::read_only, pqxx::cursor_base::owned> cursor(
        work, fmt::format("SELECT {} FROM {} ORDER BY {}", columns, table.name, order),
        "tables_read", false);
    TableRow row(table.columns.size());
    // A batch is one result, held whole: a few rows of 256 KiB chunks, a thousand of the others.
    const size_t kBatch = table.HasBlobs() ? 8 : 1000;
    for (size_t at = 0;; at += kBatch) {
      const pqxx::result batch =
          cursor.retrieve(static_cast<pqxx::result::difference_type>(at),
                          static_cast<pqxx::result::difference_type>(at + kBatch));
      for (const auto& r : batch) {
        for (size_t i = 0; i < table.columns.size(); ++i) {
          const auto& field = r[static_cast<int>(i)];
          if (field.is_null()) {
            row[i] = std::nullopt;
          } else if (table.columns[i].type == TableColumn::Type::kBlob) {
            row[i] = Bytes(field).str();
          } else {
            row[i] = field.c_str();
          }
        }
        visit(row);
      }
      if (batch.size() < kBatch) break;
    }
  });
}

void PostgresTables::Begin() {
  Translate([&] {
    impl_->work.reset();
    impl_->work = std::make_unique<pqxx::work>(impl_->c.raw());
    impl_->loading = true;
    Tx tx(impl_->c, *impl_->work);
    tx("SELECT pg_advisory_xact_lock($1)", kWriterLock);
    // list_counts is summed once at Finish, not row by row.
    tx.Exec("ALTER TABLE listings DISABLE TRIGGER listings_count");
  });
}

void PostgresTables::Insert(const TableSpec& table, const std::vector<TableRow>& rows) {
  if (rows.empty()) return;
  nlohmann::json json = nlohmann::json::array();
  for (const TableRow& row : rows) {
    nlohmann::json object = nlohmann::json::object();
    for (size_t i = 0; i < table.columns.size(); ++i) {
      if (!row[i]) {
        object[table.columns[i].name] = nullptr;
      } else if (table.columns[i].type == TableColumn::Type::kBlob) {
        object[table.columns[i].name] = HexBytea(*row[i]);
      } else {
        object[table.columns[i].name] = *row[i];
      }
    }
    json.push_back(std::move(object));
  }
  std::string columns;
  for (const auto& column : table.columns)
    columns += (columns.empty() ? "" : ", ") + std::string(column.name);
  Translate([&] {
    Tx tx(impl_->c, *impl_->work);
    tx(fmt::format("INSERT INTO {0} ({1}) SELECT {1} FROM json_populate_recordset(NULL::{0}, "
                   "CAST($1 AS json))",
                   table.name, columns),
       json.dump());
  });
}

void PostgresTables::Finish() {
  Translate([&] {
    Tx tx(impl_->c, *impl_->work);
    tx.Exec(R"sql(
INSERT INTO listings (asset_id, primary_lang, language, lang_first, status, kind, published_at,
                      title)
  SELECT t.asset_id, t.primary_lang, t.language,
         CASE WHEN row_number() OVER (PARTITION BY t.asset_id, t.primary_lang
                                      ORDER BY t.language COLLATE "C") = 1 THEN 1 ELSE 0 END,
         a.status, a.kind, a.published_at, t.title
  FROM translations t JOIN assets a ON a.id = t.asset_id;
INSERT INTO list_counts (lang, status, kind, n)
  SELECT primary_lang, status, kind, COUNT(*) FROM listings WHERE lang_first = 1
    GROUP BY primary_lang, status, kind
  UNION ALL
  SELECT language, status, kind, COUNT(*) FROM listings WHERE strpos(language, '-') > 0
    GROUP BY language, status, kind
  ON CONFLICT (lang, status, kind) DO UPDATE SET n = list_counts.n + excluded.n;
ALTER TABLE listings ENABLE TRIGGER listings_count;
)sql");
    tx.Exec(fmt::format("INSERT INTO {} {} ON CONFLICT DO NOTHING", sql::kListingTermsColumns,
                        sql::kListingTermsRows));
    tx.Exec(R"sql(
SELECT setval('asset_ids', GREATEST((SELECT MAX(id) FROM assets), 1),
              (SELECT MAX(id) FROM assets) IS NOT NULL);
SELECT setval('change_seqs', GREATEST((SELECT MAX(seq) FROM changes), 1),
              (SELECT MAX(seq) FROM changes) IS NOT NULL);
SELECT setval('media_seqs', GREATEST((SELECT MAX(seq) FROM media), 1),
              (SELECT MAX(seq) FROM media) IS NOT NULL);
SELECT setval(pg_get_serial_sequence('users', 'id'), GREATEST((SELECT MAX(id) FROM users), 1),
              (SELECT MAX(id) FROM users) IS NOT NULL);
SELECT setval(pg_get_serial_sequence('api_tokens', 'id'),
              GREATEST((SELECT MAX(id) FROM api_tokens), 1),
              (SELECT MAX(id) FROM api_tokens) IS NOT NULL);
SELECT setval(pg_get_serial_sequence('audit_log', 'id'),
              GREATEST((SELECT MAX(id) FROM audit_log), 1),
              (SELECT MAX(id) FROM audit_log) IS NOT NULL);
NOTIFY assetpub_changes;
)sql");
    impl_->work->commit();
    impl_->work.reset();
    impl_->loading = false;
  });
}

}  // namespace assetpub::store::postgres
