#pragma once
// The SQLite store's schema: its numbered migrations (PRAGMA user_version counts those applied),
// applied in order when a store opens, and the titles' collation keys, rebuilt when ICU's
// collation data changes. The migrations (schema.cpp) are the reference for every table. Internal
// to store/sqlite/. Not thread-safe: call it on the writer connection before anyone else uses it.

#include <filesystem>

namespace assetpub::store::sqlite {

class Connection;

// The schema version this binary creates and understands: the number of migrations.
int SchemaVersion();

// Brings the database on `c` (WAL mode is set; no transaction may be open) to SchemaVersion() in
// one transaction, and recomputes the listings' title sort keys when the ICU collation version
// they were made with differs from the running one. `path` names the file in messages. Throws
// Error(kInternal) when the database's schema is newer than this binary's; any failure leaves the
// database as it was.
void Migrate(Connection& c, const std::filesystem::path& path);

// Fills the list tables (listings with their sort keys, listing_terms; list_counts through its
// triggers) from the assets' base tables, which were loaded without them (SqliteTables). The
// list tables must be empty; runs in the caller's open write transaction.
void RebuildLists(Connection& c);

}  // namespace assetpub::store::sqlite
