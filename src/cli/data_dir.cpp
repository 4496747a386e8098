#include "cli/data_dir.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <fstream>

#include "content/language.h"
#include "core/error.h"

namespace assetpub::cli {

DataDir DataDir::Open(const std::filesystem::path& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("cannot create data directory {}: {}", path.string(), error.message()));
  }
  const auto config_path = path / "config.toml";
  if (!std::filesystem::exists(config_path)) {
    std::ofstream out(config_path);
    out << Config::DefaultText() << publish::Publishers::DefaultText();
    if (!out) {
      throw Error(ErrorCode::kUnavailable, fmt::format("cannot write {}", config_path.string()));
    }
    spdlog::info("wrote a default {}", config_path.string());
  }
  DataDir dir{path, Config::Load(config_path), {}};
  for (auto& tag : dir.config.languages) {
    const auto canonical = content::CanonicalLanguageTag(tag);
    if (!canonical) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("{}: languages: '{}' is not a BCP 47 language tag",
                              config_path.string(), tag));
    }
    tag = *canonical;
  }
  if (dir.config.resources_dir.empty()) dir.config.resources_dir = ASSETPUB_RESOURCES_DIR;
  dir.config.media_dir = path / "media";
  dir.publishers = publish::Publishers::Load(config_path, dir.config);
  return dir;
}

std::string DataDir::StoreUrl(const std::string& override_url) const {
  if (!override_url.empty()) return override_url;
  if (!config.store.empty()) return config.store;
  return "sqlite:" + (path / "assetpub.db").string();
}

}  // namespace assetpub::cli
