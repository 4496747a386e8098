#pragma once
// The PostgreSQL store's schema: numbered migrations (schema.cpp), applied on open under an
// advisory lock so that nodes starting together migrate once. The version is meta's
// 'schema_version'. Internal to store/postgres/.

#include "store/postgres/connection.h"

namespace assetpub::store::postgres {

// The version this binary creates and understands.
int SchemaVersion();

// Brings the database to SchemaVersion(). Throws Error(kInternal) for a database whose schema is
// newer than this binary's (written by a newer assetpub), without writing anything.
void Migrate(Connection& c);

// The advisory lock keys (pg_advisory_xact_lock(bigint)) of this schema: writers of content
// (Store::Begin) hold kWriterLock until they commit, which keeps the changes log in commit order;
// Migrate holds kMigrateLock.
inline constexpr int64_t kWriterLock = 0x6173'7470'7562'0001;   // "astpub" 1
inline constexpr int64_t kMigrateLock = 0x6173'7470'7562'0002;  // "astpub" 2

// The notification channel a commit that appended changes notifies (Store::WaitForChange).
inline constexpr const char* kChangesChannel = "assetpub_changes";

}  // namespace assetpub::store::postgres
