#pragma once
// The SQLite implementation of store::Store: one database file in WAL mode, foreign keys on,
// versioned migrations (PRAGMA user_version, schema.cpp) applied on open. One writer connection
// behind a mutex serves transactions; reads use a small pool of read connections, so readers never
// wait for a writer (WAL). Thread-safe as the Store contract says. Lists (Select, CountPublished)
// are served from tables Put keeps in step with the assets (listings, list_counts, listing_terms:
// see schema.cpp). Each connection caches up to 32 MiB of pages (at most 17 connections: the
// writer and 16 pooled readers). Errors as store.h says; a stored row that does not read back
// (damaged JSON, an unknown kind or status) is Error(kInternal) naming the asset and column.

#include <filesystem>
#include <memory>

#include "store/sqlite/options.h"
#include "store/store.h"

namespace assetpub::store::sqlite {

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) the database at `path` and migrates it to the current schema;
  // every connection it opens waits up to `options.busy_timeout` for another's lock. Throws
  // Error(kUnavailable) when the file cannot be opened (or stays locked past the busy timeout
  // while migrating), Error(kInternal) when the file's schema is newer than this binary knows.
  explicit SqliteStore(const std::filesystem::path& path, const Options& options = {});
  ~SqliteStore() override;

  std::unique_ptr<Transaction> Begin() override;
  void ExpectBulkWrites() override;
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
  std::optional<BlobInfo> ReadBlob(std::string_view key, const BlobSink& sink) override;

  // The schema version this binary creates and understands.
  static int SchemaVersion();

 private:
  struct Impl;
  static void ForEachAsset(Impl& impl, const std::function<void(const content::Asset&)>& visit,
                           bool with_bodies);
  std::unique_ptr<Impl> impl_;
};

}  // namespace assetpub::store::sqlite
