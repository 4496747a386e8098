// The SQLite layer's error codes (statement.h): what a failure of Exec or a statement tells the
// caller it can do about it, on real database files.
#include "store/sqlite/statement.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "core/error.h"
#include "support/temp_dir.h"

namespace assetpub::store::sqlite {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The code of the Error `run` throws; nullopt when it throws none.
std::optional<ErrorCode> CodeOf(const std::function<void()>& run) {
  try {
    run();
  } catch (const Error& e) {
    return e.code();
  }
  return std::nullopt;
}

class StatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = Open(file_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "PRAGMA journal_mode = WAL;",
              std::chrono::seconds(10));
    // Busy at once: the test needs no wait to see that a second writer is refused.
    b_ = Open(file_, SQLITE_OPEN_READWRITE, "PRAGMA foreign_keys = ON;",
              std::chrono::milliseconds(0));
    Exec(a_, "CREATE TABLE t (x INTEGER UNIQUE); INSERT INTO t VALUES (1);");
  }
  void TearDown() override {
    sqlite3_close(b_);
    sqlite3_close(a_);
  }

  const assetpub::testing::TempDir temp_{"assetpub-statement-"};
  const std::filesystem::path file_ = temp_.path() / "t.db";
  sqlite3* a_ = nullptr;
  sqlite3* b_ = nullptr;
};

TEST_F(StatementTest, AConstraintIsAConflictFromExecAndFromAStatement) {
  EXPECT_EQ(CodeOf([&] { Exec(a_, "INSERT INTO t VALUES (1)"); }), ErrorCode::kConflict);
  Statement insert(a_, "INSERT INTO t VALUES (?1)");
  insert.Bind(1, int64_t{1});
  EXPECT_EQ(CodeOf([&] { insert.Run(); }), ErrorCode::kConflict);
}

TEST_F(StatementTest, ABusyWriterIsUnavailableAndTheNextTryWorks) {
  Exec(a_, "BEGIN IMMEDIATE");
  try {
    Exec(b_, "BEGIN IMMEDIATE");
    ADD_FAILURE() << "a second writer began";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnavailable);
    EXPECT_THAT(e.what(), HasSubstr("BEGIN IMMEDIATE"));
  }
  Exec(a_, "ROLLBACK");
  Exec(b_, "BEGIN IMMEDIATE");
  Exec(b_, "ROLLBACK");
}

TEST_F(StatementTest, BrokenSqlIsInternalAndNamesTheStartOfALongScript) {
  const std::string script = "CREATE TABLE u (y); " + std::string(80, ' ') + "SELEC nothing;";
  try {
    Exec(a_, script.c_str());
    ADD_FAILURE() << "broken SQL ran";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
    EXPECT_THAT(e.what(), HasSubstr("sqlite: CREATE TABLE u (y);"));
    EXPECT_THAT(e.what(), Not(HasSubstr("SELEC nothing")));
  }
  EXPECT_EQ(CodeOf([&] { Statement(a_, "SELEC 1"); }), ErrorCode::kInternal);
}

TEST_F(StatementTest, AFullDatabaseIsOutOfRoom) {
  Exec(a_, "PRAGMA max_page_count = 8");  // what the file has, about: no room for a new page
  try {
    Exec(a_, "INSERT INTO t VALUES (randomblob(100000))");
    ADD_FAILURE() << "a full database took 100 KB more";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInsufficientStorage);
    EXPECT_THAT(e.what(), HasSubstr("no room left to write the store: database or disk is full"));
  }
}

// The process's file size limit (RLIMIT_FSIZE, `ulimit -f`) while it lives, with SIGXFSZ ignored
// so that a write past it fails with EFBIG instead of ending the process; both restored after.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{bytes, saved_.rlim_max};
    setrlimit(RLIMIT_FSIZE, &limit);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit saved_{};
  sighandler_t old_handler_ = SIG_DFL;
};

// SQLite says only "disk I/O error" for a write refused with EFBIG (or EDQUOT): the message must
// say what ran out, and the connection writes again once there is room.
TEST_F(StatementTest, AFileSizeLimitIsOutOfRoomAndNamed) {
  {
    const FileSizeLimit limit(64 * 1024);
    try {
      Exec(a_, "INSERT INTO t VALUES (randomblob(1000000))");
      ADD_FAILURE() << "1 MB went past a 64 KiB file size limit";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInsufficientStorage);
      EXPECT_THAT(e.what(), HasSubstr("no room left to write the store: File too large"));
    }
  }
  Exec(a_, "INSERT INTO t VALUES (2)");
  Statement count(a_, "SELECT count(*) FROM t");
  ASSERT_TRUE(count.Step());
  EXPECT_EQ(count.Int(0), 2);  // the refused row is not there, the next one is
}

TEST(StatementOpenTest, AFileThatCannotBeOpenedIsUnavailable) {
  const assetpub::testing::TempDir temp("assetpub-statement-");
  EXPECT_EQ(CodeOf([&] {
              sqlite3* db = Open(temp.path() / "missing" / "t.db", SQLITE_OPEN_READWRITE, "",
                                 std::chrono::milliseconds(0));
              sqlite3_close(db);
            }),
            ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace assetpub::store::sqlite
