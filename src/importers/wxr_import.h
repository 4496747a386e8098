#pragma once
// WxrImporter brings a WordPress export (WXR, wxr_parser.h) into the store: posts and pages
// become assets, their Polylang or WPML language versions one asset with several translations,
// every old permalink a redirect to the item's page, and attachments files of the media library
// (wxr_media.h). One store transaction for the whole
// file; an item is found again on re-import by its WordPress GUID (kept as its translation's
// `source`, "wordpress:" + GUID), so a second import of the same file changes nothing and an
// updated export updates what changed. Not thread-safe: one per thread (the Store may be shared).

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "content/asset.h"
#include "core/config.h"
#include "importers/wxr_media.h"
#include "importers/wxr_parser.h"
#include "store/store.h"

namespace assetpub::importers {

// The [wordpress] section of config.toml:
//   [wordpress]
//   kinds = { post = "article", page = "document", speech = "speech" }  # by post type
//   categories = { Statements = "statement" }  # by category name or slug; wins over the type
//   default_kind = "article"
//   time_zone = "Europe/Moscow"  # the zone of post_date when post_date_gmt is zero (a draft's)
// Posts and pages are always imported; another post type only when `kinds` names it.
struct WxrOptions {
  std::map<std::string, content::Kind> kinds_by_type;
  std::map<std::string, content::Kind> kinds_by_category;
  content::Kind default_kind = content::Kind::kArticle;
  std::string time_zone;  // empty: Config::time_zone
  // Not from config.toml: `import --uploads DIR`, the old site's wp-content/uploads copied here,
  // and how to store a file in the media library (wxr_media.h). Without both, attachments are
  // skipped and posts keep their files' old URLs.
  std::filesystem::path uploads;
  PutMedia put_media;
};

// Reads the [wordpress] section of `config_toml` (defaults when the file or the section is
// missing). Throws Error(kInvalidInput) naming the file and line for an unknown key, kind or
// zone, or a value of the wrong type.
WxrOptions LoadWxrOptions(const std::filesystem::path& config_toml);

// The source an imported item's translation keeps: "wordpress:" + its GUID.
std::string WxrSource(const WxrItem& item);

// What an import did: one line per <item> of the file, in file order, each starting with its
// outcome ("imported", "unchanged", "skipped: reason", "rejected: reason"), and a summary by
// type and status.
struct WxrReport {
  std::vector<std::string> lines;
  std::string summary;
  std::vector<int64_t> asset_ids;  // every asset written or found unchanged, in file order
  int written = 0;                 // assets written
  int unchanged = 0;               // assets found as the file says
  int rejected = 0;                // items rejected
};

class WxrImporter {
 public:
  // Keeps references to all three: they must outlive the importer. `config.languages` map a
  // bare language ("en") to the site's tag for it ("en-GB"); `config.time_zone` is the site's.
  WxrImporter(store::Store& store, const Config& config, const WxrOptions& options);

  // Imports `site`, read from the file `file_name` (for revision notes). Items WordPress does
  // not publish as posts (attachments, menu items, trash, other post types) are skipped with
  // the reason; an item that cannot be made an asset (no title, an unknown language, two
  // versions in one language) is rejected with the reason and the rest are imported. Everything
  // written lands in one transaction. Throws Error only for what stops the whole file (the
  // store away: kUnavailable).
  WxrReport Import(const WxrSite& site, std::string_view file_name);

 private:
  store::Store& store_;
  const Config& config_;
  const WxrOptions& options_;
};

}  // namespace assetpub::importers
