#include "cli/backup_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/error.h"
#include "store/backends/copy.h"

namespace assetpub::cli {
namespace {

constexpr const char* kManifestEntry = "manifest.json";
constexpr const char* kFormatName = "assetpub-backup";
// A manifest of a few dozen entries is a few KiB; anything far larger is not one of ours.
constexpr int64_t kMaxManifestBytes = 1 << 20;
// The largest value a table entry may frame: media chunks are 256 KiB, bodies a few MiB at most.
constexpr uint64_t kMaxValueBytes = 256 << 20;

struct ArchiveWriteDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct ArchiveReadDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
struct ClosedOnExit {
  int fd;
  ~ClosedOnExit() { ::close(fd); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

nlohmann::ordered_json ToJson(const BackupManifest& m) {
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const BackupEntry& e : m.entries) {
    nlohmann::ordered_json entry = {{"name", e.name}, {"bytes", e.bytes}, {"blake2b", e.blake2b}};
    if (!e.table.empty()) {
      entry["table"] = e.table;
      entry["rows"] = e.rows;
      entry["columns"] = e.columns;
    }
    entries.push_back(std::move(entry));
  }
  return {{"format", kFormatName},
          {"format_version", m.format_version},
          {"assetpub_version", m.assetpub_version},
          {"created_at", m.created_at},
          {"store_backend", m.store_backend},
          {"change_seq", m.change_seq},
          {"entries", std::move(entries)}};
}

// The manifest's text as this version reads it: throws Error(kInvalidInput) naming `file` when
// it is not a manifest, of a newer format, or describes tables other than this version's.
BackupManifest ParseManifest(const std::string& text, const std::string& file) {
  auto fail = [&](const std::string& why) {
    return Error(ErrorCode::kInvalidInput,
                 fmt::format("{}: not a backup assetpub can restore: {}", file, why));
  };
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) throw fail("its manifest is not JSON");
  BackupManifest m;
  try {
    if (json.at("format").get<std::string>() != kFormatName) throw fail("unknown format");
    m.format_version = json.at("format_version").get<int>();
    m.assetpub_version = json.at("assetpub_version").get<std::string>();
    m.created_at = json.at("created_at").get<std::string>();
    m.store_backend = json.at("store_backend").get<std::string>();
    m.change_seq = json.at("change_seq").get<int64_t>();
    for (const auto& e : json.at("entries")) {
      BackupEntry entry;
      entry.name = e.at("name").get<std::string>();
      entry.bytes = e.at("bytes").get<uint64_t>();
      entry.blake2b = e.at("blake2b").get<std::string>();
      if (e.contains("table")) {
        entry.table = e.at("table").get<std::string>();
        entry.rows = e.at("rows").get<int64_t>();
        entry.columns = e.at("columns").get<std::vector<std::string>>();
      }
      m.entries.push_back(std::move(entry));
    }
  } catch (const nlohmann::json::exception& e) {
    throw fail(
        fmt::format("its manifest lacks a field or has one of the wrong type ({})", e.what()));
  }
  if (m.format_version > kBackupFormatVersion) {
    throw fail(
        fmt::format("format version {} is newer than this assetpub's ({}); restore it with "
                    "assetpub {} or later",
                    m.format_version, kBackupFormatVersion, m.assetpub_version));
  }
  // config.toml, then the base tables in load order, each with this version's columns.
  const auto& tables = store::BaseTables();
  if (m.entries.size() != tables.size() + 1 || m.entries[0].name != kBackupConfigEntry) {
    throw fail("its entries are not config.toml and this version's tables");
  }
  for (size_t i = 0; i < tables.size(); ++i) {
    const BackupEntry& entry = m.entries[i + 1];
    std::vector<std::string> columns;
    for (const auto& column : tables[i].columns) columns.emplace_back(column.name);
    if (entry.table != tables[i].name || entry.name != fmt::format("store/{}", entry.table) ||
        entry.columns != columns) {
      throw fail(fmt::format(
          "its table {} is not this version's {} (made by assetpub {}: restore it with that "
          "version, then upgrade)",
          entry.table, tables[i].name, m.assetpub_version));
    }
  }
  return m;
}

void WriteEntryHeader(archive* a, const std::string& name, uint64_t bytes) {
  std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
  archive_entry_set_pathname(entry.get(), name.c_str());
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(bytes));
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0600);
  archive_entry_set_mtime(entry.get(), std::time(nullptr), 0);
  if (archive_write_header(a, entry.get()) != ARCHIVE_OK) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("backup: cannot write {}: {}", name, archive_error_string(a)));
  }
}

void WriteData(archive* a, std::string_view bytes) {
  if (archive_write_data(a, bytes.data(), bytes.size()) != static_cast<la_ssize_t>(bytes.size())) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("backup: write failed: {}", archive_error_string(a)));
  }
}

}  // namespace

void WriteBackupArchive(const std::filesystem::path& out, const BackupManifest& manifest,
                        const std::vector<std::filesystem::path>& files) {
  // Readable by its owner only: it holds password and token hashes, sessions and config.toml.
  const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("cannot write {}: {}", out.string(), std::strerror(errno)));
  }
  const ClosedOnExit closer{fd};
  std::unique_ptr<archive, ArchiveWriteDeleter> a(archive_write_new());
  archive_write_set_format_pax_restricted(a.get());
  // No padding of the last block to tar's 10 KiB records: the file ends with the end marker.
  archive_write_set_bytes_in_last_block(a.get(), 1);
  if (archive_write_open_fd(a.get(), fd) != ARCHIVE_OK) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("cannot write {}: {}", out.string(), archive_error_string(a.get())));
  }
  const std::string manifest_text = ToJson(manifest).dump(2) + "\n";
  WriteEntryHeader(a.get(), kManifestEntry, manifest_text.size());
  WriteData(a.get(), manifest_text);
  std::vector<char> buffer(1 << 20);
  for (size_t i = 0; i < files.size(); ++i) {
    WriteEntryHeader(a.get(), manifest.entries[i].name, manifest.entries[i].bytes);
    std::ifstream in(files[i], std::ios::binary);
    uint64_t copied = 0;
    while (in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      const auto n = static_cast<size_t>(in.gcount());
      if (n == 0) break;
      WriteData(a.get(), std::string_view(buffer.data(), n));
      copied += n;
    }
    if (copied != manifest.entries[i].bytes) {
      throw Error(ErrorCode::kUnavailable,
                  fmt::format("backup: cannot read {} back whole", files[i].string()));
    }
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("cannot write {}: {}", out.string(), archive_error_string(a.get())));
  }
  // On disk before the caller renames it into place.
  if (::fsync(fd) != 0) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("cannot flush {} to disk: {}", out.string(), std::strerror(errno)));
  }
}

BackupManifest ReadBackupArchive(const std::filesystem::path& file, const EntryVisitor& visit) {
  const std::string name = file.string();
  auto damaged = [&](const std::string& why) {
    return Error(ErrorCode::kInvalidInput,
                 fmt::format("{}: the backup is damaged or incomplete: {}", name, why));
  };
  std::unique_ptr<archive, ArchiveReadDeleter> a(archive_read_new());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_filename(a.get(), file.c_str(), 1 << 16) != ARCHIVE_OK) {
    throw Error(ErrorCode::kInvalidInput, fmt::format("{}: cannot read it as a backup: {}", name,
                                                      archive_error_string(a.get())));
  }
  archive_entry* header = nullptr;
  std::vector<char> buffer(1 << 16);
  // Reads the current entry's bytes, handing each piece to `piece`; returns how many there were.
  auto read_entry = [&](const std::function<void(std::string_view)>& piece) {
    uint64_t total = 0;
    for (;;) {
      const la_ssize_t n = archive_read_data(a.get(), buffer.data(), buffer.size());
      if (n < 0) throw damaged(archive_error_string(a.get()));
      if (n == 0) return total;
      total += static_cast<uint64_t>(n);
      piece(std::string_view(buffer.data(), static_cast<size_t>(n)));
    }
  };
  auto next_header = [&] {
    const int r = archive_read_next_header(a.get(), &header);
    if (r == ARCHIVE_EOF) return false;
    if (r != ARCHIVE_OK) throw damaged(archive_error_string(a.get()));
    return true;
  };

  if (!next_header() || std::string(archive_entry_pathname(header)) != kManifestEntry) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("{}: not an assetpub backup (no manifest.json first)", name));
  }
  std::string manifest_text;
  read_entry([&](std::string_view piece) {
    if (manifest_text.size() + piece.size() > kMaxManifestBytes) {
      throw damaged("its manifest is too large");
    }
    manifest_text += piece;
  });
  BackupManifest manifest = ParseManifest(manifest_text, name);

  for (const BackupEntry& entry : manifest.entries) {
    if (!next_header()) throw damaged(fmt::format("it ends before {}", entry.name));
    if (archive_entry_pathname(header) != entry.name) {
      throw damaged(
          fmt::format("{} where {} should be", archive_entry_pathname(header), entry.name));
    }
    if (visit.begin) visit.begin(entry);
    store::TableChecksum checksum;
    const uint64_t bytes = read_entry([&](std::string_view piece) {
      checksum.AddFramed(piece);
      if (visit.data) visit.data(piece);
    });
    if (bytes != entry.bytes) {
      throw damaged(
          fmt::format("{} has {} bytes, the manifest says {}", entry.name, bytes, entry.bytes));
    }
    if (checksum.Hex() != entry.blake2b) {
      throw damaged(fmt::format("{} does not match its checksum", entry.name));
    }
    if (visit.end) visit.end(entry);
  }
  if (next_header()) {
    throw damaged(fmt::format("{} follows the last entry", archive_entry_pathname(header)));
  }
  return manifest;
}

void FramedRowReader::Feed(std::string_view bytes,
                           const std::function<void(const store::TableRow&)>& row) {
  pending_ += bytes;
  size_t at = 0;  // the start of the row being read
  for (;;) {
    size_t pos = at;
    row_.assign(columns_, std::nullopt);
    bool whole = true;
    for (size_t i = 0; i < columns_ && whole; ++i) {
      if (pos >= pending_.size()) {
        whole = false;
      } else if (pending_[pos] == 'N') {
        ++pos;
      } else if (pending_[pos] == 'V') {
        const size_t colon = pending_.find(':', pos);
        if (colon == std::string::npos) {
          if (pending_.size() - pos > 21) {
            throw Error(ErrorCode::kInvalidInput, "a table entry holds a bad value length");
          }
          whole = false;
          break;
        }
        uint64_t size = 0;
        const auto [end, error] =
            std::from_chars(pending_.data() + pos + 1, pending_.data() + colon, size);
        if (error != std::errc() || end != pending_.data() + colon || size > kMaxValueBytes) {
          throw Error(ErrorCode::kInvalidInput, "a table entry holds a bad value length");
        }
        if (pending_.size() - colon - 1 < size) {
          whole = false;
          break;
        }
        row_[i] = pending_.substr(colon + 1, size);
        pos = colon + 1 + size;
      } else {
        throw Error(ErrorCode::kInvalidInput, "a table entry holds bytes that are not a value");
      }
    }
    if (!whole) break;
    row(row_);
    at = pos;
  }
  pending_.erase(0, at);
}

void FramedRowReader::Finish() const {
  if (!pending_.empty()) throw Error(ErrorCode::kInvalidInput, "a table entry ends inside a row");
}

}  // namespace assetpub::cli
