#pragma once
// An asset's old addresses (store::Redirect) in our JSON export: the asset object's "redirects"
// member, [{"path": "/2014/03/12/statement/", "language": "en-GB"}, …] by path, present only
// when it has some. `export` writes it and `import` of a .json file restores it (Importer), so a
// moved site's permalinks survive an export and import. Thread-safe: pure functions, and a Store
// read.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "store/store.h"

namespace assetpub::importers {

// The "redirects" member for `redirects` (one asset's): {"path", "language"} each, in order.
nlohmann::ordered_json RedirectsJson(const std::vector<store::Redirect>& redirects);

// The redirects of `asset` (one asset object of an export), their asset_id 0; none when it has no
// "redirects" member (or null). Throws Error(kInvalidInput) naming the member
// ("redirects[1].path") for one that is not an array of {"path", "language"} objects, a path
// store::CheckRedirect refuses, or a language that is not a BCP 47 tag (kept canonical: "en-gb" is
// "en-GB").
std::vector<store::Redirect> RedirectsFromJson(const nlohmann::json& asset);

// Every redirect in `store`, by asset id, each asset's by path: what an export writes beside the
// assets. Read a page of 1,000 at a time; held whole (an export's redirects are a few per item).
std::map<int64_t, std::vector<store::Redirect>> RedirectsByAsset(store::Store& store);

}  // namespace assetpub::importers
