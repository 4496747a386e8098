#include "store/backends/copy.h"

#include <fmt/format.h>
#include <sodium.h>

#include <array>
#include <memory>

#include "core/error.h"
#include "store/store.h"
#include "store/tables.h"

namespace assetpub::store {
namespace {

// Rows are copied this many at a time (one INSERT each on PostgreSQL), or fewer when their values
// reach kBatchBytes first (the media chunks, 256 KiB each).
constexpr size_t kBatch = 500;
constexpr size_t kBatchBytes = 4 * 1024 * 1024;

}  // namespace

struct TableChecksum::State {
  crypto_generichash_state hash;
};

TableChecksum::TableChecksum() : state_(std::make_unique<State>()) {
  if (sodium_init() < 0) throw Error(ErrorCode::kInternal, "libsodium failed to initialise");
  crypto_generichash_init(&state_->hash, nullptr, 0, 32);
}

TableChecksum::~TableChecksum() = default;

void TableChecksum::AppendFramed(const TableRow& row, std::string& out) {
  for (const auto& value : row) {
    if (!value) {
      out += 'N';
      continue;
    }
    out += fmt::format("V{}:", value->size());
    out += *value;
  }
}

void TableChecksum::AddRow(const TableRow& row) {
  framed_.clear();
  AppendFramed(row, framed_);
  AddFramed(framed_);
}

void TableChecksum::AddFramed(std::string_view bytes) {
  crypto_generichash_update(&state_->hash, reinterpret_cast<const unsigned char*>(bytes.data()),
                            bytes.size());
}

std::string TableChecksum::Hex() {
  std::array<unsigned char, 32> digest{};
  crypto_generichash_final(&state_->hash, digest.data(), digest.size());
  std::string hex;
  for (unsigned char byte : digest) hex += fmt::format("{:02x}", byte);
  return hex;
}

std::string ChecksumTable(Tables& tables, const TableSpec& table) {
  TableChecksum checksum;
  tables.Read(table, [&](const TableRow& row) { checksum.AddRow(row); });
  return checksum.Hex();
}

std::vector<TableCheck> CopyStore(const std::string& from_url, const std::string& to_url,
                                  const std::function<void(int64_t, int64_t)>& progress) {
  if (from_url == to_url) {
    throw Error(ErrorCode::kInvalidInput, "migrate: the source and the target are the same store");
  }
  if (sodium_init() < 0) throw Error(ErrorCode::kInternal, "libsodium failed to initialise");
  auto source = OpenTables(from_url);
  auto target = OpenTables(to_url);
  int64_t total = 0;
  for (const TableSpec& table : BaseTables()) {
    if (const int64_t rows = target->Count(table); rows > 0) {
      throw Error(ErrorCode::kConflict,
                  fmt::format("migrate: the target is not empty (its {} table has {} row(s)); "
                              "migrate copies into an empty database only",
                              table.name, rows));
    }
    total += source->Count(table);
  }
  target->Begin();
  int64_t done = 0;
  progress(done, total);
  for (const TableSpec& table : BaseTables()) {
    std::vector<TableRow> batch;
    size_t batch_bytes = 0;
    auto flush = [&] {
      target->Insert(table, batch);
      done += static_cast<int64_t>(batch.size());
      batch.clear();
      batch_bytes = 0;
      progress(done, total);
    };
    source->Read(table, [&](const TableRow& row) {
      batch.push_back(row);
      for (const auto& value : row) batch_bytes += value ? value->size() : 0;
      if (batch.size() >= kBatch || batch_bytes >= kBatchBytes) flush();
    });
    if (!batch.empty()) flush();
  }
  target->Finish();
  // Read back through a new connection: what was committed, not what the load's saw.
  target = OpenTables(to_url);
  std::vector<TableCheck> checks;
  for (const TableSpec& table : BaseTables()) {
    TableCheck check;
    check.table = table.name;
    check.source_rows = source->Count(table);
    check.target_rows = target->Count(table);
    check.source_checksum = ChecksumTable(*source, table);
    check.target_checksum = ChecksumTable(*target, table);
    checks.push_back(std::move(check));
  }
  return checks;
}

}  // namespace assetpub::store
