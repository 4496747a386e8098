#pragma once
// Row mapping of the SQLite store: a content::Asset to and from its rows (assets, translations,
// the ordered lists of languages, people, tags, categories, related items and media, and the list
// tables Put keeps in step: listings, listing_terms), the changes log, revisions and media
// records. Functions over a Connection the caller holds; writes expect its write transaction to
// be open. Internal to store/sqlite/; thread-safety is the Connection's (one user at a time).
//
// Errors: a stored value that does not read back (a JSON column that does not parse or has the
// wrong shape, an unknown kind or status) throws Error(kInternal) naming the asset and the column:
// the database is damaged, the request is not at fault. SQL failures throw as statement.h says.

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "content/asset.h"
#include "store/store.h"

namespace assetpub::store::sqlite {

class Connection;
class Statement;

// --- Assets -----------------------------------------------------------------------------------
// The assets among `ids` that exist, whole, in the order of `ids`: one query per table whatever
// the number of ids. Without the translations' blocks when `with_bodies` is false.
std::vector<content::Asset> LoadAssets(Connection& c, const std::vector<int64_t>& ids,
                                       bool with_bodies = true);
std::optional<content::Asset> LoadAsset(Connection& c, int64_t id);
// Transaction::Put: inserts or replaces `asset` whole (id 0 gets the next id, written back) with
// its list rows, and appends a "put" change. Returns the id.
int64_t PutAsset(Connection& c, content::Asset& asset);
// Transaction::Delete: removes asset `id` and its rows; assets that list it as related keep the
// entry as its title (and get a "put" change); appends a "delete" change. Error(kNotFound) if
// absent.
void DeleteAsset(Connection& c, int64_t id);

// --- Revisions (Transaction's methods of the same names) ---------------------------------------
int64_t InsertRevision(Connection& c, Revision& revision);
std::optional<Revision> LoadRevision(Connection& c, int64_t id, int64_t number);
std::vector<Revision> ListRevisions(Connection& c, int64_t id);
RevisionHead LoadHead(Connection& c, int64_t id);
void SetLiveRevision(Connection& c, int64_t id, int64_t number);
std::vector<std::pair<int64_t, content::Instant>> LoadScheduled(Connection& c, int64_t limit);

// --- Media library ----------------------------------------------------------------------------
// The columns ReadMediaRecord reads, in its order, for a `SELECT … FROM media`.
inline constexpr const char* kMediaColumns =
    "hash, type, name, bytes, width, height, uploaded_at, uploaded_by";
MediaRecord ReadMediaRecord(const Statement& s);

}  // namespace assetpub::store::sqlite
