#pragma once
// The PostgreSQL implementation of store::Store, for sites whose IT runs PostgreSQL and for
// several nodes on one database (DESIGN.md §4). The same tables as SQLite's (schema.cpp says
// what differs), migrated on open; a small pool of connections (pool.h), every statement prepared
// per connection with bound parameters. Content writers (Begin) hold an advisory lock until they
// commit, so the changes log becomes visible in seq order, on every node (store.h's rule); a
// commit that appended changes notifies kChangesChannel, which WaitForChange listens on. Lists
// sorted by title use the server's ICU collations (chosen per language from the server's own
// list). Thread-safe as the Store contract says. When the server is away, calls fail with
// Error(kUnavailable) and the next call after it is back succeeds (no restart needed).

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "store/store.h"

namespace assetpub::store::postgres {

// True for a URL this backend serves: "postgresql://…" or "postgres://…" (a libpq URI).
bool IsUrl(std::string_view url);

class PostgresStore final : public Store {
 public:
  // Connects to the database `url` names (a libpq URI: postgresql://user:password@host:port/db;
  // a password may instead come from PGPASSWORD or ~/.pgpass) and migrates it. Every lock wait
  // (a writer waiting for another, on any node) gives up after `lock_timeout` with
  // Error(kUnavailable). Throws Error(kUnavailable) when the server cannot be reached,
  // Error(kInternal) when the database's schema is newer than this binary's.
  explicit PostgresStore(const std::string& url,
                         std::chrono::milliseconds lock_timeout = std::chrono::seconds(10));
  ~PostgresStore() override;

  std::unique_ptr<Transaction> Begin() override;
  std::optional<content::Asset> Get(int64_t id) override;
  std::optional<Redirect> FindRedirect(std::string_view path) override;
  RedirectPage ListRedirects(const RedirectQuery& query) override;
  std::vector<Headline> Headlines(const std::vector<int64_t>& ids,
                                  std::string_view language) override;
  ListPage List(const ListQuery& query) override;
  ListPage Select(const Selection& selection) override;
  std::vector<int64_t> ReferencedBy(int64_t id) override;
  std::vector<std::string> NamesBySlug(Vocabulary vocabulary, std::string_view slug) override;
  std::vector<UrlEntry> PublishedUrls(int64_t after_id, int64_t limit) override;
  int64_t CountPublished(std::string_view language) override;
  void AddViews(const std::vector<std::pair<int64_t, int64_t>>& views) override;
  void ForEach(const std::function<void(const content::Asset&)>& visit) override;
  void ForEachWithoutBodies(const std::function<void(const content::Asset&)>& visit) override;
  int64_t LastChange() override;
  std::vector<Change> ChangesSince(int64_t after, int64_t limit) override;
  bool WaitForChange(int64_t after, std::chrono::steady_clock::time_point deadline) override;
  // A session advisory lock per name, held on a connection of its own (checked on every call:
  // when it broke, the lock went with it and is taken again if free).
  bool Lead(std::string_view name) override;
  std::optional<ConnectionStats> Connections() override;
  std::vector<Revision> Revisions(int64_t id) override;
  std::optional<Revision> GetRevision(int64_t id, int64_t number) override;
  RevisionHead Head(int64_t id) override;
  std::vector<std::pair<int64_t, content::Instant>> Scheduled(int64_t limit) override;
  std::vector<int64_t> Expiring(content::Instant now, int64_t limit) override;
  bool AddMedia(const MediaRecord& record) override;
  std::optional<MediaRecord> FindMedia(std::string_view hash) override;
  bool IsPublicMedia(std::string_view hash) override;
  MediaPage ListMedia(int64_t offset, int64_t limit) override;
  bool PutBlob(std::string_view key, const BlobInfo& info, const BlobSource& source) override;
  std::optional<BlobInfo> FindBlob(std::string_view key) override;
  // One statement per chunk, in one snapshot (libpq holds a result whole).
  std::optional<BlobInfo> ReadBlob(std::string_view key, const BlobSink& sink) override;

  // The schema version this binary creates and understands.
  static int SchemaVersion();

 private:
  struct Impl;
  void ForEachAsset(const std::function<void(const content::Asset&)>& visit, bool with_bodies);
  std::unique_ptr<Impl> impl_;
};

}  // namespace assetpub::store::postgres
