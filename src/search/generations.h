#pragma once
// The search index on disk: its folder holds CURRENT (the name of the live generation, "g<N>"),
// one Xapian database per generation and write.lock, the writers' lock; each generation keeps in
// its metadata the last store change it holds, its languages, its format and its count of assets.
// Internal to search/. Thread-safety: Generations::Current() from any number of threads; the
// other writes only under the write lock (WriteLock), which index_writer.cpp takes.

#include <sys/types.h>
#include <xapian.h>

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace assetpub::search::internal {

// The metadata keys of a generation, committed with its documents.
inline constexpr const char* kLastAppliedKey = "assetpub.last_applied";
inline constexpr const char* kLanguagesKey = "assetpub.languages";
// internal::kIndexFormat of the documents the index holds (absent: written before formats were
// recorded, i.e. format 1). CatchUp rebuilds an index of another format.
inline constexpr const char* kFormatKey = "assetpub.format";
// How many assets have documents (the published items a search can find), kept beside the
// documents at each commit so that "how much is searchable" costs a metadata read (absent:
// written before it was kept; counted once from the A terms, CountAssets).
inline constexpr const char* kAssetsKey = "assetpub.assets";

// Throws Error(kUnavailable) with "search index: " before `message`.
[[noreturn]] void Unavailable(const std::string& message);

// kLastAppliedKey of `db`: the sequence number of the last store change it holds (0 when unset).
int64_t LastAppliedOf(const Xapian::Database& db);
// The assets `db` has documents of: its distinct A terms. A walk over one term per asset, for an
// index written before kAssetsKey was kept.
int64_t CountAssets(const Xapian::Database& db);
// kAssetsKey of `db`, or nullopt when absent.
std::optional<int64_t> StoredAssets(const Xapian::Database& db);
// kLanguagesKey's value (language keys joined by commas) and back.
std::vector<std::string> SplitLanguages(const std::string& value);
std::string JoinLanguages(const std::set<std::string>& languages);

// The index's write lock: flock on write.lock, so that it is released when the process dies.
// Throws Unavailable when the file cannot be opened, or (without `wait`) when another process
// or another SearchIndex holds the lock.
class WriteLock {
 public:
  WriteLock(const std::filesystem::path& dir, bool wait);
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;
  ~WriteLock();  // closing releases the lock

 private:
  int fd_ = -1;
};

class Generations {
 public:
  // Opens the index in `dir`, creating the folder and a first generation (g1, empty) when it is
  // new. Throws Unavailable when the folder cannot be created, holds anything else than an
  // index, or names a live generation that is missing.
  explicit Generations(std::filesystem::path dir);

  const std::filesystem::path& dir() const { return dir_; }

  // The live generation's name, CURRENT re-read only when it was replaced (one stat otherwise).
  // Throws Unavailable when CURRENT is missing or damaged.
  std::string Current();

  // Opens generation `name` for writing with Xapian's `action` (DB_OPEN, …). Throws Unavailable
  // when Xapian cannot (another process holding Xapian's own lock included).
  Xapian::WritableDatabase OpenWriter(const std::string& name, int action) const;

  // Where a rebuild writes: the live generation (empty when there is none), the next one, and a
  // scratch folder for its shards, which has a generation name so that a crash leaves only
  // folders the next rebuild removes.
  struct Next {
    std::string live;
    std::string name;
    std::string scratch;
  };
  // With the write lock held: removes every generation but the live one (rebuilds that died
  // half-way) and names the next. Throws Unavailable when CURRENT is damaged.
  Next PrepareNext() const;
  // Makes `next.name` live (CURRENT replaced atomically, then fsynced) and removes the old live
  // generation; readers still holding it keep their open files. Throws Unavailable when CURRENT
  // cannot be written (the old generation then stays live).
  void Switch(const Next& next);
  // After a failed rebuild: removes what it wrote. Never throws.
  void Discard(const Next& next) const;

 private:
  std::string ReadCurrentFile() const;
  void WriteCurrent(const std::string& name);

  const std::filesystem::path dir_;
  std::mutex current_mutex_;  // guards current_*
  std::string current_name_;
  ino_t current_inode_ = 0;
  struct timespec current_mtime_ {};
};

}  // namespace assetpub::search::internal
