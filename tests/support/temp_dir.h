#pragma once
// Test support only: a folder of the running test's own under the system temp dir, made afresh
// and removed with the object. Thread-safety: none needed; use one object from one thread.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <string>

namespace assetpub::testing {

// The running test's "Suite.Name" flattened to one path component (a parameterised name holds
// '/'): any character but a letter, a digit, '.' or '-' becomes '_'. Outside a test (in
// SetUpTestSuite), the suite's name alone.
inline std::string TestName() {
  const ::testing::UnitTest* unit = ::testing::UnitTest::GetInstance();
  std::string name;
  if (const ::testing::TestInfo* info = unit->current_test_info(); info != nullptr) {
    name = std::string(info->test_suite_name()) + "." + info->name();
  } else if (const ::testing::TestSuite* suite = unit->current_test_suite(); suite != nullptr) {
    name = suite->name();
  }
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') c = '_';
  }
  return name;
}

// prefix + pid + "-" + TestName() under the system temp dir: the pid keeps concurrent runs
// apart. Created empty (whatever an earlier crashed run left there goes first).
class TempDir {
 public:
  explicit TempDir(const std::string& prefix)
      : path_(std::filesystem::temp_directory_path() /
              (prefix + std::to_string(::getpid()) + "-" + TestName())) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;  // a destructor must not throw
    std::filesystem::remove_all(path_, ignored);
  }

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace assetpub::testing
