#pragma once
// Test and bench support: the variables of DIR/cluster.env as scripts/cluster writes them, one
// `NAME=value` or `NAME='value'` per line (comments and other lines skipped). A file that cannot
// be read gives an empty map.

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>

namespace assetpub::testing {

inline std::map<std::string, std::string> ReadClusterEnv(const std::filesystem::path& file) {
  std::map<std::string, std::string> env;
  std::ifstream in(file);
  std::string line;
  const std::regex assignment("([A-Z_]+)='?([^']*)'?");
  std::smatch match;
  while (std::getline(in, line)) {
    if (std::regex_match(line, match, assignment)) env[match[1]] = match[2];
  }
  return env;
}

}  // namespace assetpub::testing
