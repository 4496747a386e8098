#pragma once
// Reading stored values back into content types, for both SQL backends: kinds and statuses by
// name, JSON columns (translations.blocks, revisions.asset). Only the stores write these columns,
// from validated values, so one that does not read back was damaged outside the store (a disk
// fault, a hand edit): Error(kInternal) naming the asset and the column, never the JSON library's
// exception or a silently guessed value. Thread-safe (pure functions).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "content/asset.h"

namespace assetpub::store::sql {

content::Kind KindFromColumn(std::string_view text, int64_t asset_id);
content::Status StatusFromColumn(std::string_view text, int64_t asset_id);
// A translation's blocks, stored as a JSON array (DESIGN.md §6).
std::vector<content::Block> BlocksFromColumn(const std::string& text, int64_t asset_id,
                                             const std::string& language);
// The blocks of a translation as stored (the inverse of BlocksFromColumn).
std::string BlocksColumn(const std::vector<content::Block>& blocks);
// Revision `number` of asset `asset_id`, stored whole as its JSON.
content::Asset AssetFromColumn(const std::string& text, int64_t asset_id, int64_t number);

}  // namespace assetpub::store::sql
