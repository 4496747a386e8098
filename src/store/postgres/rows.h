#pragma once
// Row mapping of the PostgreSQL store, as sqlite/rows.h is SQLite's: a content::Asset to and from
// its rows (the same tables), the changes log, revisions and media records. Functions over a Tx
// the caller holds; writes expect a content writer's transaction (kWriterLock held). Internal to
// store/postgres/. Errors as connection.h and sql/columns.h say.

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "content/asset.h"
#include "store/postgres/connection.h"
#include "store/store.h"

namespace assetpub::store::postgres {

// --- Assets -----------------------------------------------------------------------------------
// The assets among `ids` that exist, whole, in the order of `ids`: one query per table whatever
// the number of ids. Without the translations' blocks when `with_bodies` is false.
std::vector<content::Asset> LoadAssets(Tx& tx, const std::vector<int64_t>& ids,
                                       bool with_bodies = true);
std::optional<content::Asset> LoadAsset(Tx& tx, int64_t id);
// Transaction::Put: inserts or replaces `asset` whole (id 0 takes the next id of the sequence,
// written back; a given id moves the sequence past it) with its list rows, and appends a "put"
// change. Returns the id.
int64_t PutAsset(Tx& tx, content::Asset& asset);
// Transaction::Delete, as sqlite/rows.h's DeleteAsset.
void DeleteAsset(Tx& tx, int64_t id);

// --- Revisions (Transaction's methods of the same names) ---------------------------------------
int64_t InsertRevision(Tx& tx, Revision& revision);
std::optional<Revision> LoadRevision(Tx& tx, int64_t id, int64_t number);
std::vector<Revision> ListRevisions(Tx& tx, int64_t id);
RevisionHead LoadHead(Tx& tx, int64_t id);
void SetLiveRevision(Tx& tx, int64_t id, int64_t number);
std::vector<std::pair<int64_t, content::Instant>> LoadScheduled(Tx& tx, int64_t limit);

// --- Media library ----------------------------------------------------------------------------
// The columns ReadMediaRecord reads, in its order, for a `SELECT … FROM media`.
inline constexpr const char* kMediaColumns =
    "hash, type, name, bytes, width, height, uploaded_at, uploaded_by";
MediaRecord ReadMediaRecord(const pqxx::row& row);

}  // namespace assetpub::store::postgres
