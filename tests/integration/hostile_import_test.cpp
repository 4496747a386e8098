// Hostile files given to `assetpub import`: the real binary on a temporary data folder. A file
// built to crash a parser is rejected with its line, and the files around it in the same run are
// imported; the exit code says that something was rejected.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/process.h"
#include "support/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string Page(const std::string& title, const std::string& time, const std::string& extra) {
  return "+++\ntitle = \"" + title + "\"\npublished_at = 2015-03-02T" + time + ":00+03:00\n" +
         extra + "+++\nBody of " + title + ".\n";
}

// The file: a front matter key of 40,000 dotted parts, 80 KB, which took the process
// down with SIGSEGV inside toml++ (exit 139, nothing printed, the rest of the batch lost).
TEST(HostileImport, ACrashingFileIsRejectedAndTheBatchGoesOn) {
  const assetpub::testing::TempDir temp("assetpub-hostile-import-");
  const fs::path files = temp.path() / "files";
  std::string key = "a";
  for (int i = 1; i < 40'000; ++i) key += ".a";
  Write(files / "1-first.md", Page("First", "10:00", ""));
  Write(files / "2-dotted-key.md", Page("Dotted", "11:00", key + " = 1\n"));
  // A smaller key that still overflowed nothing but is over the parts limit, and deep nesting.
  std::string parts = "a";
  for (int i = 1; i < 1'000; ++i) parts += ".a";
  Write(files / "3-parts.md", Page("Parts", "12:00", parts + " = 1\n"));
  Write(files / "4-quotes.md",
        "+++\ntitle = \"Q\"\npublished_at = 2015-03-02T13:00:00+03:00\n+++\n" +
            std::string(100'000, '>') + " deep\n");
  Write(files / "5-nested.json", std::string(200'000, '[') + std::string(200'000, ']'));
  Write(files / "6-last.md", Page("Last", "14:00", ""));

  const auto [code, output] = assetpub::testing::RunCommand(
      {ASSETPUB_BINARY, "--data", (temp.path() / "data").string(), "import", files.string()});
  EXPECT_EQ(code, 1) << output;  // some files were rejected; the process was not killed
  EXPECT_THAT(output, HasSubstr("imported  " + (files / "1-first.md").string()));
  EXPECT_THAT(output, HasSubstr("rejected  " + (files / "2-dotted-key.md").string() +
                                ": line 2: front matter: more than 65536 bytes"));
  EXPECT_THAT(output, HasSubstr("rejected  " + (files / "3-parts.md").string() +
                                ": line 4: front matter: a key of more than 16 dotted parts"));
  EXPECT_THAT(output, HasSubstr("rejected  " + (files / "4-quotes.md").string() +
                                ": line 5: the Markdown has elements nested more than 512 deep"));
  EXPECT_THAT(output, HasSubstr("rejected  " + (files / "5-nested.json").string() +
                                ": line 1: arrays and objects nested more than 64 deep"));
  EXPECT_THAT(output, HasSubstr("imported  " + (files / "6-last.md").string()));
  EXPECT_THAT(output, HasSubstr("2 imported, 0 unchanged, 4 rejected"));
}

}  // namespace
