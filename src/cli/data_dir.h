#pragma once
// The data directory (`--data DIR`, $ASSETPUB_DATA, default ./data): it holds config.toml, the
// SQLite file (unless the store is elsewhere: --store, config.toml's `store`), the node's search
// index and media cache. Opening it creates what is missing.

#include <filesystem>
#include <memory>
#include <string>

#include "core/config.h"
#include "publish/publisher.h"
#include "store/store.h"

namespace assetpub::cli {

struct DataDir {
  std::filesystem::path path;
  Config config;
  // The site's lists: config.toml's [[publishers]], or the defaults when it has none.
  publish::Publishers publishers;

  // Creates `path` and a default config.toml in it when missing, then loads the config and its
  // publishers. Throws Error(kInvalidInput) for a bad config or publisher (file and line named),
  // kUnavailable when the folder cannot be created.
  static DataDir Open(const std::filesystem::path& path);
  // The store URL to use: `override_url` when not empty, else config.toml's `store`, else
  // sqlite:DIR/assetpub.db.
  std::string StoreUrl(const std::string& override_url = {}) const;
};

}  // namespace assetpub::cli
