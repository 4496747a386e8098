#pragma once
// Test support only: what the importer tests share: where their pages are, reading a file, the
// two halves of a table case (NAME.expected.json, bad-NAME.reason) and the gtest name of a case.
// Header-only; needs ASSETPUB_SOURCE_DIR (the tests' compile definition). Thread-safety: free
// functions, but ExpectMatchesJsonFile may rewrite a file (see there).

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace assetpub::importers::testing {

// This source tree.
inline std::filesystem::path SourceDir() { return ASSETPUB_SOURCE_DIR; }
// The scraped pages of the table tests: NAME.txt with NAME.expected.json, or bad-NAME.txt with
// bad-NAME.reason.
inline std::filesystem::path ScrapedPagesDir() {
  return SourceDir() / "tests" / "testdata" / "import";
}
// The authored pages (Markdown, HTML) of the table tests, likewise in pairs.
inline std::filesystem::path AuthoredPagesDir() {
  return SourceDir() / "src" / "importers" / "testdata";
}

// The file's bytes; empty when it cannot be read (the comparison that follows then fails).
inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A bad-NAME.reason file's text without the line break and blanks it may end with.
inline std::string ReadReason(const std::filesystem::path& path) {
  std::string text = ReadFile(path);
  text.erase(text.find_last_not_of(" \r\n") + 1);
  return text;
}

// A case's gtest name: its file name with every character that is not a letter or digit as '_'.
inline std::string CaseName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

// Expects `actual` (a parse result as ordered JSON, dump(2) plus "\n") to be the JSON value in
// `expected_file`, compared as values so that the file's formatting is free. With
// ASSETPUB_UPDATE_TESTDATA=1 in the environment, first writes `actual` to the file (then review
// the diff: the files are the specification).
inline void ExpectMatchesJsonFile(const std::filesystem::path& expected_file,
                                  const std::string& actual) {
  if (const char* update = std::getenv("ASSETPUB_UPDATE_TESTDATA"); update && *update == '1') {
    std::ofstream(expected_file, std::ios::binary) << actual;
  }
  ASSERT_TRUE(std::filesystem::exists(expected_file)) << expected_file;
  const auto expected = nlohmann::ordered_json::parse(ReadFile(expected_file));
  EXPECT_EQ(expected.dump(2) + "\n", actual) << "for " << expected_file;
}

}  // namespace assetpub::importers::testing
