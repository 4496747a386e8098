#include "render/resource_file.h"

#include <fmt/format.h>

#include <cstdint>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace assetpub::render {

std::string ReadResourceFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ErrorCode::kInvalidInput, fmt::format("{}: cannot read the file", path.string()));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string FingerprintedUrl(std::string_view url, std::string_view bytes) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ull;
  return fmt::format("{}?v={:016x}", url, hash);
}

}  // namespace assetpub::render
