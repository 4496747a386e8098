#pragma once
// The JSON shape of an asset (DESIGN.md §6): the API's, `export`'s and `import`'s. Thread-safe.

#include <nlohmann/json.hpp>

#include "content/asset.h"

namespace assetpub::content {

// Keys in the order of DESIGN.md §6 (ordered_json), so exports diff well.
nlohmann::ordered_json ToJson(const Asset& asset);
nlohmann::ordered_json ToJson(const Block& block);
// Reads an asset. Throws Error(kInvalidInput) naming the member
// ("translations.en-GB.blocks[2].type") when a member has the wrong type or an unknown value. Does
// not Validate().
Asset AssetFromJson(const nlohmann::json& json);
// {"hash", "type", "name", "bytes", "width", "height", "caption"}: one entry of "media".
nlohmann::ordered_json ToJson(const MediaFile& media);
// Reads one media entry (members may be left out: empty or 0); `path` prefixes error messages
// ("media[0]"). Throws Error(kInvalidInput) for a member of the wrong type. Does not Validate().
MediaFile MediaFileFromJson(const nlohmann::json& json, const std::string& path = "media");
// Reads one block; `path` prefixes error messages ("translations.en-GB.blocks[2]").
Block BlockFromJson(const nlohmann::json& json, const std::string& path = "block");

}  // namespace assetpub::content
