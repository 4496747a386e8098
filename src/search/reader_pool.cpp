#include "search/reader_pool.h"

#include <chrono>
#include <string>
#include <thread>

// Why a pool: a thread that finds it empty opens a reader, and the pool keeps as many as there
// were concurrent searches. Before each search the reader is reopened: that costs one stat of
// CURRENT (a new generation means a fresh Database, Generations::Current) and Xapian's reopen()
// (a read of the version file), a few microseconds, and makes every earlier commit visible, even
// one made by another process (`assetpub reindex` while the server runs).

namespace assetpub::search::internal {

void BackOff(int attempt) {
  std::this_thread::sleep_for(std::chrono::microseconds(100 * attempt * attempt));
}

ReaderPool::Borrowed::Borrowed(ReaderPool& pool) : pool_(pool) {
  {
    std::lock_guard lock(pool_.mutex_);
    if (!pool_.readers_.empty()) {
      reader_ = std::move(pool_.readers_.back());
      pool_.readers_.pop_back();
    }
  }
  if (!reader_) reader_ = std::make_unique<Reader>();
  Refresh();
}

ReaderPool::Borrowed::~Borrowed() {
  if (!reader_) return;
  std::lock_guard lock(pool_.mutex_);
  pool_.readers_.push_back(std::move(reader_));
}

// reopen() itself may find its revision discarded by a busy writer, and a rebuild may remove the
// generation between reading CURRENT and opening it: both are retried with a fresh open.
void ReaderPool::Borrowed::Refresh() {
  for (int attempt = 1;; ++attempt) {
    const std::string current = pool_.generations_.Current();
    try {
      if (reader_->generation == current) {
        reader_->db.reopen();
      } else {
        reader_->generation.clear();
        reader_->forms.clear();
        reader_->db = Xapian::Database((pool_.generations_.dir() / current).string());
        reader_->generation = current;
        reader_->revision = reader_->db.get_revision();
        reader_->languages = SplitLanguages(reader_->db.get_metadata(kLanguagesKey));
        reader_->common_words = CommonWords::Decode(reader_->db.get_metadata(kCommonWordsKey));
      }
      if (const Xapian::rev revision = reader_->db.get_revision(); revision != reader_->revision) {
        reader_->revision = revision;
        reader_->forms.clear();
        reader_->languages = SplitLanguages(reader_->db.get_metadata(kLanguagesKey));
      }
      return;
    } catch (const Xapian::Error& e) {
      reader_->generation.clear();
      if (attempt == kSearchAttempts) {
        Unavailable("cannot open " + (pool_.generations_.dir() / current).string() + ": " +
                    e.get_msg());
      }
      BackOff(attempt);
    }
  }
}

void ReaderPool::Borrowed::Reset() {
  reader_->db = Xapian::Database();
  reader_->generation.clear();
}

}  // namespace assetpub::search::internal
