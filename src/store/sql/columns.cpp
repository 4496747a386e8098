#include "store/sql/columns.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "content/asset_json.h"
#include "core/error.h"

namespace assetpub::store::sql {

using content::Asset;

namespace {

// Only Put and AddRevision write these columns, from validated values; one that does not read
// back was damaged outside the store (a disk fault, a hand edit), so it is an internal error that
// names where to look, never the JSON library's exception or a silently guessed value.
[[noreturn]] void Corrupt(int64_t asset_id, std::string_view column, std::string_view what) {
  throw Error(ErrorCode::kInternal,
              fmt::format("store: asset {}: the stored {} {}", asset_id, column, what));
}

// Reads a JSON column with `read`; `column()` names it in the message of a failure (made only
// then: bodies are read by the thousand).
template <typename Column, typename Read>
auto FromJsonColumn(const std::string& text, int64_t asset_id, Column column, Read read) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    Corrupt(asset_id, column(), fmt::format("is not valid JSON ({})", e.what()));
  }
  try {
    return read(json);
  } catch (const nlohmann::json::exception& e) {
    Corrupt(asset_id, column(), fmt::format("has the wrong shape ({})", e.what()));
  } catch (const Error& e) {
    Corrupt(asset_id, column(), fmt::format("has the wrong shape ({})", e.what()));
  }
}

}  // namespace

content::Kind KindFromColumn(std::string_view text, int64_t asset_id) {
  const auto kind = content::ParseKind(text);
  if (!kind) Corrupt(asset_id, "assets.kind", fmt::format("'{}' is not a kind", text));
  return *kind;
}

std::vector<content::Block> BlocksFromColumn(const std::string& text, int64_t asset_id,
                                             const std::string& language) {
  return FromJsonColumn(
      text, asset_id, [&] { return fmt::format("translations.blocks of {}", language); },
      [](const nlohmann::json& json) {
        if (!json.is_array()) throw Error(ErrorCode::kInvalidInput, "not an array of blocks");
        std::vector<content::Block> blocks;
        blocks.reserve(json.size());
        for (const auto& block : json) blocks.push_back(content::BlockFromJson(block));
        return blocks;
      });
}

content::Status StatusFromColumn(std::string_view text, int64_t asset_id) {
  const auto status = content::ParseStatus(text);
  if (!status) Corrupt(asset_id, "assets.status", fmt::format("'{}' is not a status", text));
  return *status;
}

Asset AssetFromColumn(const std::string& text, int64_t asset_id, int64_t number) {
  return FromJsonColumn(
      text, asset_id, [&] { return fmt::format("revisions.asset of revision {}", number); },
      [](const nlohmann::json& json) { return content::AssetFromJson(json); });
}

std::string BlocksColumn(const std::vector<content::Block>& blocks) {
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  for (const auto& block : blocks) json.push_back(content::ToJson(block));
  return json.dump();
}

}  // namespace assetpub::store::sql
