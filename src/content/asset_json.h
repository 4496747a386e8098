#pragma once
// The JSON shape of an asset (DESIGN.md §6): the API's, `export`'s and `import`'s. Thread-safe.

#include <nlohmann/json.hpp>
#include <string_view>

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

// An asset nests six deep (asset, translations, a translation, blocks, a turn, paragraphs).
inline constexpr int kMaxJsonNesting = 64;
// Refuses JSON text nested deeper than kMaxJsonNesting before nlohmann parses it: Error
// (kInvalidInput) "line N: arrays and objects nested more than 64 deep". Whatever comes from
// outside goes through this first: nlohmann's parser does not recurse, but merge_patch, dump and
// our readers do (a 1 MB PATCH of nested objects overflowed a server thread's stack), and 30 MB
// of '[' took the parser 18 s and 900 MB to refuse.
void CheckJsonNesting(std::string_view text);

}  // namespace assetpub::content
