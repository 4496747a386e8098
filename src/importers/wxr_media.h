#pragma once
// The media of a WordPress export: each attachment's file is looked up in a local copy of the old
// site's wp-content/uploads (`assetpub import --uploads DIR`, since the old site may be gone) and
// stored in the media library; posts then list the files they used (featured image, attached
// files, files their body names) and their bodies name the new /media/ addresses. A file that is
// not in the copy is reported, and the posts keep its old URL. Used by WxrImporter.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "content/asset.h"
#include "importers/wxr_parser.h"

namespace assetpub::importers {

// A file stored in the media library: what the asset lists, and its address on the site
// ("/media/ab/<hash>.<ext>").
struct StoredMedia {
  content::MediaFile file;
  std::string path;
};

// Stores `bytes`, named `name` by the uploader, in the media library (the command line passes
// media::MediaStore::Put). Throws Error(kInvalidInput) for a file the library refuses (a type not
// allowed, bytes that are not what the name says), other Errors when the store is away.
using PutMedia = std::function<StoredMedia(std::string_view bytes, std::string_view name)>;

// The attachments of one export, stored.
struct WxrMedia {
  std::map<int64_t, StoredMedia> stored;          // attachment post id -> its stored file
  std::map<std::string, int64_t> by_upload_path;  // "2014/03/flag.png" -> attachment post id
  std::map<int64_t, std::string> outcomes;        // attachment post id -> the report's outcome
};

// An attachment's file inside wp-content/uploads ("2014/03/flag.png"): its `_wp_attached_file`
// meta, else what follows "/wp-content/uploads/" in its URL. Empty when neither gives a relative
// path that stays inside the folder (no "..", not absolute).
std::string UploadPath(const WxrItem& attachment);

// Stores the file of each attachment of `site` found under `uploads` with `put`, in file order.
// Without `uploads` (empty) nothing is read and every attachment is reported skipped. A missing
// or unreadable file, or one the library refuses, is an outcome in the report, never an
// exception; only the store being away throws.
WxrMedia StoreWxrMedia(const WxrSite& site, const std::filesystem::path& uploads,
                       const PutMedia& put);

// `html` with each URL of an uploaded file that `media` stored ("…/wp-content/uploads/2014/03/
// flag.png", or a resized copy WordPress made of it, "flag-300x200.png") replaced by
// `base_url` + its /media/ path; the attachments named are appended to `used` (once each, in the
// order they appear). URLs of files `media` does not hold are left as they are.
std::string PointAtMedia(std::string_view html, const WxrMedia& media, std::string_view base_url,
                         std::vector<int64_t>& used);

}  // namespace assetpub::importers
