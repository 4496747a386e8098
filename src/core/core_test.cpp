#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/config.h"
#include "core/error.h"

namespace assetpub {
namespace {

// A folder of the running test's own under the system temp dir, removed with this object: the
// pid keeps concurrent runs apart, and the name is flattened to one path component.
class TempDir {
 public:
  TempDir() {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(info->test_suite_name()) + "." + info->name();
    for (char& c : name) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') c = '_';
    }
    path_ = std::filesystem::temp_directory_path() /
            ("assetpub-core-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() { std::filesystem::remove_all(path_); }

  std::filesystem::path Write(const std::string& name, const std::string& text) const {
    const std::filesystem::path path = path_ / name;
    std::ofstream(path) << text;
    return path;
  }

 private:
  std::filesystem::path path_;
};

TEST(Config, DefaultTextLoadsToTheDefaults) {
  const TempDir temp;
  const Config config = Config::Load(temp.Write("assetpub-default.toml", Config::DefaultText()));
  const Config defaults;
  EXPECT_EQ(config.time_zone, defaults.time_zone);
  EXPECT_EQ(config.languages, defaults.languages);
  EXPECT_EQ(config.page_size, defaults.page_size);
}

TEST(Config, BadSettingsNameFileAndLine) {
  const TempDir temp;
  const auto path =
      temp.Write("assetpub-bad.toml", "site_name = \"x\"\ntime_zone = \"Mars/Base\"\n");
  try {
    Config::Load(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("assetpub-bad.toml:2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Mars/Base"), std::string::npos);
  }
  EXPECT_THROW(Config::Load(temp.Write("assetpub-bad2.toml", "page_size = 0\n")), Error);
  EXPECT_THROW(Config::Load(temp.Write("assetpub-bad3.toml", "colour = \"red\"\n")), Error);
  EXPECT_THROW(Config::Load(temp.Write("assetpub-bad4.toml", "languages = [\n")), Error);
}

TEST(Error, CodesMapToHttpStatuses) {
  EXPECT_EQ(HttpStatus(ErrorCode::kInvalidInput), 400);
  EXPECT_EQ(HttpStatus(ErrorCode::kNotFound), 404);
  EXPECT_EQ(HttpStatus(ErrorCode::kTooLarge), 413);
  EXPECT_EQ(ErrorCodeName(ErrorCode::kNotFound), "not-found");
}

}  // namespace
}  // namespace assetpub
