#include "search/generations.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include "core/error.h"
#include "search/document.h"

// Why generations: CatchUp() writes the live generation in place; Rebuild() writes g<N+1> beside
// it and renames a new CURRENT over the old one, so searches never see a half-built index and a
// crash during a rebuild leaves the old one live (index_writer.cpp).

namespace assetpub::search::internal {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCurrentFile = "CURRENT";
constexpr const char* kLockFile = "write.lock";

bool IsGenerationName(std::string_view name) {
  return name.size() >= 2 && name.front() == 'g' &&
         std::all_of(name.begin() + 1, name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int64_t GenerationNumber(std::string_view name) { return std::stoll(std::string(name.substr(1))); }

}  // namespace

void Unavailable(const std::string& message) {
  throw Error(ErrorCode::kUnavailable, "search index: " + message);
}

int64_t LastAppliedOf(const Xapian::Database& db) {
  const std::string value = db.get_metadata(kLastAppliedKey);
  return value.empty() ? 0 : std::stoll(value);
}

int64_t CountAssets(const Xapian::Database& db) {
  int64_t assets = 0;
  const std::string prefix(kAssetTerm);
  for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) ++assets;
  return assets;
}

std::optional<int64_t> StoredAssets(const Xapian::Database& db) {
  const std::string value = db.get_metadata(kAssetsKey);
  if (value.empty()) return std::nullopt;
  return std::stoll(value);
}

std::vector<std::string> SplitLanguages(const std::string& value) {
  std::vector<std::string> languages;
  std::stringstream stream(value);
  for (std::string language; std::getline(stream, language, ',');) {
    if (!language.empty()) languages.push_back(language);
  }
  return languages;
}

std::string JoinLanguages(const std::set<std::string>& languages) {
  std::string value;
  for (const std::string& language : languages) {
    if (!value.empty()) value += ',';
    value += language;
  }
  return value;
}

WriteLock::WriteLock(const fs::path& dir, bool wait) {
  fd_ = ::open((dir / kLockFile).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) Unavailable("cannot open " + (dir / kLockFile).string());
  if (::flock(fd_, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
    ::close(fd_);
    Unavailable("another process is writing the index in " + dir.string() + "; try later");
  }
}

WriteLock::~WriteLock() { ::close(fd_); }

Generations::Generations(fs::path dir) : dir_(std::move(dir)) {
  std::error_code error;
  fs::create_directories(dir_, error);
  if (error || !fs::is_directory(dir_)) {
    Unavailable("cannot create the folder " + dir_.string() + ": " + error.message());
  }
  if (fs::exists(dir_ / kCurrentFile)) {
    const std::string name = ReadCurrentFile();
    if (!fs::is_directory(dir_ / name)) {
      Unavailable(dir_.string() + " is damaged: generation " + name + " is missing (reindex)");
    }
    return;
  }
  for (const fs::directory_entry& entry : fs::directory_iterator(dir_)) {
    const std::string name = entry.path().filename().string();
    // CURRENT.tmp without CURRENT: a creation killed before its rename (WriteCurrent).
    if (name != kLockFile && name != std::string(kCurrentFile) + ".tmp" &&
        !IsGenerationName(name)) {
      Unavailable(dir_.string() + " is not a search index (it holds " + name + ")");
    }
  }
  const WriteLock lock(dir_, /*wait=*/true);
  if (fs::exists(dir_ / kCurrentFile)) return;  // another process created it meanwhile
  Xapian::WritableDatabase db = OpenWriter("g1", Xapian::DB_CREATE_OR_OVERWRITE);
  db.set_metadata(kLastAppliedKey, "0");
  db.set_metadata(kAssetsKey, "0");
  db.set_metadata(kFormatKey, std::string(kIndexFormat));
  db.commit();
  db.close();
  WriteCurrent("g1");
}

std::string Generations::ReadCurrentFile() const {
  std::ifstream in(dir_ / kCurrentFile);
  std::string name;
  if (!in || !std::getline(in, name) || !IsGenerationName(name)) {
    Unavailable(dir_.string() + " is not a search index (CURRENT is missing or damaged)");
  }
  return name;
}

std::string Generations::Current() {
  struct stat info {};
  if (::stat((dir_ / kCurrentFile).c_str(), &info) != 0) {
    Unavailable(dir_.string() + " is not a search index (no CURRENT)");
  }
  std::lock_guard lock(current_mutex_);
  if (current_name_.empty() || info.st_ino != current_inode_ ||
      info.st_mtim.tv_sec != current_mtime_.tv_sec ||
      info.st_mtim.tv_nsec != current_mtime_.tv_nsec) {
    current_name_ = ReadCurrentFile();
    current_inode_ = info.st_ino;
    current_mtime_ = info.st_mtim;
  }
  return current_name_;
}

void Generations::WriteCurrent(const std::string& name) {
  const fs::path temp = dir_ / (std::string(kCurrentFile) + ".tmp");
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) Unavailable("cannot write " + temp.string());
  const std::string line = name + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), (dir_ / kCurrentFile).c_str()) != 0) {
    Unavailable("cannot write " + (dir_ / kCurrentFile).string());
  }
  const int dir_fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

Xapian::WritableDatabase Generations::OpenWriter(const std::string& name, int action) const {
  try {
    return Xapian::WritableDatabase((dir_ / name).string(), action);
  } catch (const Xapian::DatabaseLockError& e) {
    Unavailable("another process is writing the index: " + e.get_msg());
  } catch (const Xapian::Error& e) {
    Unavailable("cannot open " + (dir_ / name).string() + " for writing: " + e.get_msg());
  }
}

Generations::Next Generations::PrepareNext() const {
  Next next;
  int64_t highest = 0;
  if (fs::exists(dir_ / kCurrentFile)) next.live = ReadCurrentFile();
  for (const fs::directory_entry& entry : fs::directory_iterator(dir_)) {
    const std::string name = entry.path().filename().string();
    if (!IsGenerationName(name)) continue;
    if (name != next.live) {
      std::error_code ignored;  // a rebuild that died half-way
      fs::remove_all(entry.path(), ignored);
    } else {
      highest = std::max(highest, GenerationNumber(name));
    }
  }
  if (!next.live.empty()) highest = std::max(highest, GenerationNumber(next.live));
  next.name = "g" + std::to_string(highest + 1);
  next.scratch = "g" + std::to_string(highest + 2);
  return next;
}

void Generations::Switch(const Next& next) {
  WriteCurrent(next.name);
  if (!next.live.empty()) {
    std::error_code ignored;  // readers still holding it keep their open files
    fs::remove_all(dir_ / next.live, ignored);
  }
}

void Generations::Discard(const Next& next) const {
  std::error_code ignored;
  fs::remove_all(dir_ / next.name, ignored);
  fs::remove_all(dir_ / next.scratch, ignored);
}

}  // namespace assetpub::search::internal
