#pragma once
// The readers searches borrow (reader.h): a Xapian::Database must not be used by two threads at
// once, so each search takes a reader from the pool, brought up to the live generation's last
// commit, and gives it back. Internal to search/. Thread-safety: Borrowed from any number of
// threads at once; one Borrowed is used by one thread.

#include <memory>
#include <mutex>
#include <vector>

#include "search/generations.h"
#include "search/reader.h"

namespace assetpub::search::internal {

// Glass keeps the last two revisions: a reader overtaken by two commits must start again. Under
// a burst of commits (a CatchUp per write) that can repeat, so reads retry this many times with
// a short back-off (BackOff) before giving up.
inline constexpr int kSearchAttempts = 10;
// Waits before the next of kSearchAttempts: 100 µs times `attempt` squared.
void BackOff(int attempt);

class ReaderPool {
 public:
  // `generations` must outlive the pool.
  explicit ReaderPool(Generations& generations) : generations_(generations) {}

  // A reader lent by the pool (or opened, when the pool has none free) and given back when
  // destroyed. Refreshed on construction: throws Unavailable when the live generation cannot be
  // opened.
  class Borrowed {
   public:
    explicit Borrowed(ReaderPool& pool);
    Borrowed(const Borrowed&) = delete;
    Borrowed& operator=(const Borrowed&) = delete;
    ~Borrowed();

    // Brings the reader up to the last commit of the live generation, clearing what it keeps
    // for an older revision (reader.h). Throws Unavailable after kSearchAttempts failures.
    void Refresh();
    // Drops the Database (after an error): the next Refresh() opens a fresh one.
    void Reset();
    Xapian::Database& db() { return reader_->db; }
    Reader& reader() { return *reader_; }

   private:
    ReaderPool& pool_;
    std::unique_ptr<Reader> reader_;
  };

 private:
  Generations& generations_;
  std::mutex mutex_;  // guards readers_
  std::vector<std::unique_ptr<Reader>> readers_;
};

}  // namespace assetpub::search::internal
