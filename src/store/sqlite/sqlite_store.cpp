#include "store/sqlite/sqlite_store.h"

#include <fmt/format.h>

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/error.h"
#include "store/blob_chunks.h"
#include "store/sql/columns.h"
#include "store/sql/select_sql.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/schema.h"

namespace assetpub::store::sqlite {

using content::Asset;
using content::Instant;
using sql::CountsSql;
using sql::SelectSql;
using sql::SqlQuery;
using sql::StatusFromColumn;

struct SqliteStore::Impl {
  std::filesystem::path path;
  Options options;

  std::mutex writer_mutex;  // guards writer: one transaction at a time
  std::unique_ptr<Connection> writer;

  std::mutex readers_mutex;  // guards readers (the idle pool)
  std::vector<std::unique_ptr<Connection>> readers;

  // A read connection borrowed from the pool for one call, returned on destruction.
  class Reader {
   public:
    explicit Reader(Impl& impl) : impl_(impl) {
      {
        std::lock_guard lock(impl_.readers_mutex);
        if (!impl_.readers.empty()) {
          connection_ = std::move(impl_.readers.back());
          impl_.readers.pop_back();
        }
      }
      if (!connection_) connection_ = std::make_unique<Connection>(impl_.path, impl_.options);
      // One snapshot for all the queries of this read. Prepared once per connection: parsing
      // BEGIN and COMMIT with sqlite3_exec on every read was 5% of an uncached item page.
      connection_->Prepare("BEGIN").Step();
    }
    ~Reader() {
      try {
        connection_->Prepare("COMMIT").Step();
      } catch (...) {
        return;  // a broken connection is dropped rather than pooled
      }
      std::lock_guard lock(impl_.readers_mutex);
      if (impl_.readers.size() < 16) impl_.readers.push_back(std::move(connection_));
    }
    Connection& operator*() { return *connection_; }

   private:
    Impl& impl_;
    std::unique_ptr<Connection> connection_;
  };
};

namespace {

// Binds `query`'s parameters to `s`, a statement prepared from its text.
void BindQuery(Statement& s, const SqlQuery& query) {
  for (size_t i = 0; i < query.params.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    if (const auto* number = std::get_if<int64_t>(&query.params[i])) {
      s.Bind(index, *number);
    } else {
      s.Bind(index, std::get<std::string>(query.params[i]));
    }
  }
}

class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(std::mutex& mutex, Connection& c) : lock_(mutex), c_(c) {
    c_.Exec("BEGIN IMMEDIATE");
  }
  ~SqliteTransaction() override {
    if (!done_) c_.Rollback();
  }

  std::optional<Asset> Get(int64_t id) override { return LoadAsset(c_, id); }

  std::vector<Asset> FindByPublishedAt(Instant at) override {
    std::vector<int64_t> ids;
    auto s = c_.Prepare("SELECT id FROM assets WHERE published_at = ?1 ORDER BY id");
    s.Bind(1, at.seconds);
    while (s.Step()) ids.push_back(s.Int(0));
    return LoadAssets(c_, ids);
  }

  std::optional<int64_t> FindIdByTitle(std::string_view title) override {
    auto s = c_.Prepare("SELECT MIN(asset_id) FROM translations WHERE title = ?1");
    s.Bind(1, title);
    if (s.Step() && !s.IsNull(0)) return s.Int(0);
    return std::nullopt;
  }

  std::vector<int64_t> FindUnmatchedRelated(std::string_view title) override {
    std::vector<int64_t> ids;
    auto s = c_.Prepare(
        "SELECT DISTINCT asset_id FROM asset_related WHERE title = ?1 ORDER BY asset_id");
    s.Bind(1, title);
    while (s.Step()) ids.push_back(s.Int(0));
    return ids;
  }

  int64_t Put(Asset& asset) override { return PutAsset(c_, asset); }

  bool PutRedirect(const Redirect& redirect) override {
    CheckRedirect(redirect);
    {
      auto s = c_.Prepare("SELECT asset_id, language FROM redirects WHERE path = ?1");
      s.Bind(1, redirect.path);
      if (s.Step() && s.Int(0) == redirect.asset_id && s.Text(1) == redirect.language) return false;
    }
    {
      auto s = c_.Prepare("SELECT 1 FROM assets WHERE id = ?1");
      s.Bind(1, redirect.asset_id);
      if (!s.Step()) NoSuchRedirectAsset(redirect);
    }
    c_.Prepare(
          "INSERT INTO redirects (path, asset_id, language) VALUES (?1, ?2, ?3) ON CONFLICT "
          "(path) DO UPDATE SET asset_id = excluded.asset_id, language = excluded.language")
        .Bind(1, redirect.path)
        .Bind(2, redirect.asset_id)
        .Bind(3, redirect.language)
        .Run();
    return true;
  }

  bool DeleteRedirect(std::string_view path) override {
    c_.Prepare("DELETE FROM redirects WHERE path = ?1").Bind(1, path).Run();
    return c_.Changes() > 0;
  }

  void Delete(int64_t id) override { DeleteAsset(c_, id); }

  int64_t AddRevision(Revision& revision) override { return InsertRevision(c_, revision); }
  std::optional<Revision> GetRevision(int64_t id, int64_t number) override {
    return LoadRevision(c_, id, number);
  }
  std::vector<Revision> Revisions(int64_t id) override { return ListRevisions(c_, id); }
  RevisionHead Head(int64_t id) override { return LoadHead(c_, id); }
  void SetLiveRevision(int64_t id, int64_t number) override {
    sqlite::SetLiveRevision(c_, id, number);
  }

  std::vector<std::pair<int64_t, Instant>> Scheduled(int64_t limit) override {
    return LoadScheduled(c_, limit);
  }

  void Commit() override {
    c_.Exec("COMMIT");
    done_ = true;
  }

 private:
  std::unique_lock<std::mutex> lock_;
  Connection& c_;
  bool done_ = false;
};

}  // namespace

SqliteStore::SqliteStore(const std::filesystem::path& path, const Options& options)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->options = options;
  impl_->writer = std::make_unique<Connection>(path, options);
  Migrate(*impl_->writer, path);
}

SqliteStore::~SqliteStore() = default;

// An import's writer: a page cache of 256 MiB holds the index pages every Put touches at random
// (listing_terms, the term tables), which a 32 MiB cache read back from the kernel again and
// again (at 1,000,000 items, 31% of the import's CPU was system time), and the WAL is
// checkpointed every 64 MiB rather than every 4 MiB, so that a page a run of Puts changes again
// and again is written back once. Not for serve: its writer's cache would grow to that over a
// long run of edits.
void SqliteStore::ExpectBulkWrites() {
  std::lock_guard lock(impl_->writer_mutex);
  impl_->writer->Exec("PRAGMA cache_size = -262144; PRAGMA wal_autocheckpoint = 16384;");
}

int SqliteStore::SchemaVersion() { return sqlite::SchemaVersion(); }

std::unique_ptr<Transaction> SqliteStore::Begin() {
  return std::make_unique<SqliteTransaction>(impl_->writer_mutex, *impl_->writer);
}

std::optional<Asset> SqliteStore::Get(int64_t id) {
  Impl::Reader reader(*impl_);
  return LoadAsset(*reader, id);
}

std::vector<Revision> SqliteStore::Revisions(int64_t id) {
  Impl::Reader reader(*impl_);
  return ListRevisions(*reader, id);
}

std::optional<Revision> SqliteStore::GetRevision(int64_t id, int64_t number) {
  Impl::Reader reader(*impl_);
  return LoadRevision(*reader, id, number);
}

RevisionHead SqliteStore::Head(int64_t id) {
  Impl::Reader reader(*impl_);
  return LoadHead(*reader, id);
}

std::vector<std::pair<int64_t, Instant>> SqliteStore::Scheduled(int64_t limit) {
  Impl::Reader reader(*impl_);
  return LoadScheduled(*reader, limit);
}

std::vector<int64_t> SqliteStore::Expiring(Instant now, int64_t limit) {
  std::vector<int64_t> out;
  if (limit < 1) return out;
  Impl::Reader reader(*impl_);
  auto s = (*reader).Prepare(
      // Named: left to itself, SQLite prefers assets_by_status_date and reads every published row.
      "SELECT id FROM assets INDEXED BY assets_by_expiry "
      "WHERE status = 'published' AND expires_at <= ?1 "
      "ORDER BY expires_at, id LIMIT ?2");
  s.Bind(1, now.seconds);
  s.Bind(2, limit);
  while (s.Step()) out.push_back(s.Int(0));
  return out;
}

bool SqliteStore::AddMedia(const MediaRecord& record) {
  std::lock_guard lock(impl_->writer_mutex);
  Connection& c = *impl_->writer;
  c.Prepare(
       "INSERT INTO media (hash, type, name, bytes, width, height, uploaded_at, uploaded_by, seq) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, (SELECT COALESCE(MAX(seq), 0) + 1 FROM media)) "
       "ON CONFLICT (hash) DO NOTHING")
      .Bind(1, record.file.hash)
      .Bind(2, record.file.type)
      .Bind(3, record.file.name)
      .Bind(4, record.file.bytes)
      .Bind(5, static_cast<int64_t>(record.file.width))
      .Bind(6, static_cast<int64_t>(record.file.height))
      .Bind(7, record.uploaded_at.seconds)
      .Bind(8, record.uploaded_by)
      .Run();
  return c.Changes() > 0;
}

std::optional<Redirect> SqliteStore::FindRedirect(std::string_view path) {
  Impl::Reader reader(*impl_);
  auto s = (*reader).Prepare("SELECT asset_id, language FROM redirects WHERE path = ?1");
  s.Bind(1, path);
  if (!s.Step()) return std::nullopt;
  return Redirect{std::string(path), s.Int(0), s.Text(1)};
}

RedirectPage SqliteStore::ListRedirects(const RedirectQuery& query) {
  CheckRedirectQuery(query);
  // Paths compare bytewise: SQLite's BINARY collation, the column's and its index's.
  Impl::Reader reader(*impl_);
  Connection& c = *reader;
  RedirectPage page;
  {
    auto s = query.asset_id ? c.Prepare("SELECT COUNT(*) FROM redirects WHERE asset_id = ?1")
                            : c.Prepare("SELECT COUNT(*) FROM redirects");
    if (query.asset_id) s.Bind(1, *query.asset_id);
    s.Step();
    page.total = s.Int(0);
  }
  auto s = query.asset_id ? c.Prepare(
                                "SELECT path, asset_id, language FROM redirects WHERE asset_id = "
                                "?3 ORDER BY path LIMIT ?1 OFFSET ?2")
                          : c.Prepare(
                                "SELECT path, asset_id, language FROM redirects ORDER BY path "
                                "LIMIT ?1 OFFSET ?2");
  s.Bind(1, query.limit).Bind(2, query.offset);
  if (query.asset_id) s.Bind(3, *query.asset_id);
  while (s.Step()) page.redirects.push_back(Redirect{s.Text(0), s.Int(1), s.Text(2)});
  return page;
}

std::optional<MediaRecord> SqliteStore::FindMedia(std::string_view hash) {
  Impl::Reader reader(*impl_);
  static const std::string sql = fmt::format("SELECT {} FROM media WHERE hash = ?1", kMediaColumns);
  auto s = (*reader).Prepare(sql.c_str());
  s.Bind(1, hash);
  if (!s.Step()) return std::nullopt;
  return ReadMediaRecord(s);
}

bool SqliteStore::IsPublicMedia(std::string_view hash) {
  Impl::Reader reader(*impl_);
  auto s = (*reader).Prepare(
      "SELECT EXISTS (SELECT 1 FROM asset_media m JOIN assets a ON a.id = m.asset_id "
      "WHERE m.hash = ?1 AND a.status = 'published')");
  s.Bind(1, hash);
  s.Step();
  return s.Int(0) != 0;
}

MediaPage SqliteStore::ListMedia(int64_t offset, int64_t limit) {
  if (limit < 1 || limit > 1000 || offset < 0) {
    throw Error(ErrorCode::kInvalidInput, "media: limit must be 1..1000 and offset not negative");
  }
  Impl::Reader reader(*impl_);
  Connection& c = *reader;
  MediaPage page;
  {
    auto s = c.Prepare("SELECT COUNT(*) FROM media");
    s.Step();
    page.total = s.Int(0);
  }
  static const std::string sql = fmt::format(
      "SELECT {} FROM media ORDER BY uploaded_at DESC, seq DESC LIMIT ?1 OFFSET ?2", kMediaColumns);
  auto s = c.Prepare(sql.c_str());
  s.Bind(1, limit).Bind(2, offset);
  while (s.Step()) page.files.push_back(ReadMediaRecord(s));
  return page;
}

bool SqliteStore::PutBlob(std::string_view key, const BlobInfo& info, const BlobSource& source) {
  CheckBlob(key, info);
  std::lock_guard lock(impl_->writer_mutex);
  Connection& c = *impl_->writer;
  return c.Write([&] {
    c.Prepare(
         "INSERT INTO media_blobs (key, size, sha256) VALUES (?1, ?2, ?3) "
         "ON CONFLICT (key) DO NOTHING")
        .Bind(1, key)
        .Bind(2, info.size)
        .Bind(3, info.sha256)
        .Run();
    if (c.Changes() == 0) return false;
    WriteChunks(key, info, source, [&](int64_t seq, std::string_view chunk) {
      c.Prepare("INSERT INTO media_chunks (key, seq, bytes) VALUES (?1, ?2, ?3)")
          .Bind(1, key)
          .Bind(2, seq)
          .BindBlob(3, chunk)
          .Run();
    });
    return true;
  });
}

std::optional<BlobInfo> SqliteStore::FindBlob(std::string_view key) {
  Impl::Reader reader(*impl_);
  auto s = (*reader).Prepare("SELECT size, sha256 FROM media_blobs WHERE key = ?1");
  s.Bind(1, key);
  if (!s.Step()) return std::nullopt;
  return BlobInfo{s.Int(0), s.Text(1)};
}

std::optional<BlobInfo> SqliteStore::ReadBlob(std::string_view key, const BlobSink& sink) {
  Impl::Reader reader(*impl_);
  Connection& c = *reader;
  BlobInfo info;
  {
    auto s = c.Prepare("SELECT size, sha256 FROM media_blobs WHERE key = ?1");
    s.Bind(1, key);
    if (!s.Step()) return std::nullopt;
    info = {s.Int(0), s.Text(1)};
  }
  // A step holds one row: the chunk SQLite hands over is the only one in memory.
  auto s = c.Prepare("SELECT seq, bytes FROM media_chunks WHERE key = ?1 ORDER BY seq");
  s.Bind(1, key);
  int64_t total = 0;
  bool whole = true;
  for (int64_t seq = 0; whole && s.Step(); ++seq) {
    const std::string_view chunk = s.Bytes(1);
    whole = s.Int(0) == seq && total + static_cast<int64_t>(chunk.size()) <= info.size;
    if (whole) {
      total += static_cast<int64_t>(chunk.size());
      sink(chunk);
    }
  }
  if (!whole || total != info.size) {
    throw Error(
        ErrorCode::kInternal,
        fmt::format("blob {}: the stored chunks do not add up to its {} bytes", key, info.size));
  }
  return info;
}

std::vector<Headline> SqliteStore::Headlines(const std::vector<int64_t>& ids,
                                             std::string_view language) {
  if (ids.empty()) return {};
  Impl::Reader reader(*impl_);
  // Per asset: the translation in `language` if any, else its first translation by tag.
  auto s = (*reader).Prepare(
      "SELECT a.id, t.language, t.title, t.slug, a.status FROM assets a "
      "JOIN translations t ON t.asset_id = a.id "
      "WHERE a.id IN (SELECT value FROM json_each(?1)) "
      "ORDER BY a.id, (t.language = ?2 OR t.primary_lang = ?2) DESC, t.language");
  s.Bind(1, IdsJson(ids)).Bind(2, language);
  std::map<int64_t, Headline> by_id;
  while (s.Step()) {
    const int64_t id = s.Int(0);
    if (by_id.contains(id)) continue;
    by_id[id] = Headline{id, s.Text(1), s.Text(2), s.Text(3), StatusFromColumn(s.Text(4), id)};
  }
  std::vector<Headline> out;
  for (int64_t id : ids) {
    if (auto it = by_id.find(id); it != by_id.end()) out.push_back(it->second);
  }
  return out;
}

ListPage SqliteStore::Select(const Selection& selection) {
  if (selection.limit < 1 || selection.limit > 1000 || selection.offset < 0) {
    throw Error(ErrorCode::kInvalidInput, "select: limit must be 1..1000 and offset not negative");
  }
  if (selection.language.empty()) {
    throw Error(ErrorCode::kInvalidInput, "select: a language is required");
  }
  Impl::Reader reader(*impl_);
  Connection& c = *reader;
  ListPage page;
  page.total = -1;
  if (selection.count_total) {
    const SqlQuery query = SelectSql(selection, true);
    auto s = c.PrepareText(query.sql);
    BindQuery(s, query);
    s.Step();
    page.total = s.Int(0);
  }
  std::vector<int64_t> ids;
  {
    const SqlQuery query = SelectSql(selection, false);
    auto s = c.PrepareText(query.sql);
    BindQuery(s, query);
    while (s.Step()) ids.push_back(s.Int(0));
  }
  page.assets = LoadAssets(c, ids, selection.with_bodies);
  return page;
}

std::vector<int64_t> SqliteStore::ReferencedBy(int64_t id) {
  Impl::Reader reader(*impl_);
  auto s = (*reader).Prepare(
      "SELECT DISTINCT asset_id FROM asset_related WHERE related_id = ?1 ORDER BY asset_id");
  s.Bind(1, id);
  std::vector<int64_t> out;
  while (s.Step()) out.push_back(s.Int(0));
  return out;
}

std::vector<std::string> SqliteStore::NamesBySlug(Vocabulary vocabulary, std::string_view slug) {
  Impl::Reader reader(*impl_);
  // Each distinct name of the slug (from the index on (slug, name)), kept when one published
  // asset carries it: the first found. Joining every row of the slug to assets made a person's
  // page cost one lookup per item of the person (50 ms of a 100,000-item store's minister).
  auto s = (*reader).Prepare(
      vocabulary == Vocabulary::kPeople
          ? "SELECT n.name FROM (SELECT DISTINCT name FROM asset_people WHERE slug = ?1) n "
            "WHERE EXISTS (SELECT 1 FROM asset_people p JOIN assets a ON a.id = p.asset_id "
            "WHERE p.slug = ?1 AND p.name = n.name AND a.status = 'published') ORDER BY n.name"
          : "SELECT n.tag FROM (SELECT DISTINCT tag FROM asset_tags WHERE slug = ?1) n "
            "WHERE EXISTS (SELECT 1 FROM asset_tags p JOIN assets a ON a.id = p.asset_id "
            "WHERE p.slug = ?1 AND p.tag = n.tag AND a.status = 'published') ORDER BY n.tag");
  s.Bind(1, slug);
  std::vector<std::string> out;
  while (s.Step()) out.push_back(s.Text(0));
  return out;
}

std::vector<UrlEntry> SqliteStore::PublishedUrls(int64_t after_id, int64_t limit) {
  if (limit < 1) return {};
  Impl::Reader reader(*impl_);
  Connection& c = *reader;
  std::vector<UrlEntry> out;
  {
    auto s = c.Prepare(
        "SELECT id, published_at, modified_at FROM assets WHERE id > ?1 AND status = ?2 "
        "ORDER BY id LIMIT ?3");
    s.Bind(1, after_id).Bind(2, content::StatusName(content::Status::kPublished)).Bind(3, limit);
    while (s.Step()) {
      UrlEntry entry;
      entry.id = s.Int(0);
      entry.published_at = Instant{s.Int(1)};
      if (!s.IsNull(2)) entry.modified_at = Instant{s.Int(2)};
      out.push_back(std::move(entry));
    }
  }
  if (out.empty()) return out;
  std::vector<int64_t> ids;
  for (const auto& entry : out) ids.push_back(entry.id);
  auto s = c.Prepare(
      "SELECT asset_id, language, slug FROM translations "
      "WHERE asset_id IN (SELECT value FROM json_each(?1)) ORDER BY asset_id, language");
  s.Bind(1, IdsJson(ids));
  size_t at = 0;  // both sides are in id order
  while (s.Step()) {
    const int64_t id = s.Int(0);
    while (at < out.size() && out[at].id < id) ++at;
    if (at < out.size() && out[at].id == id) {
      out[at].translations.emplace_back(s.Text(1), s.Text(2));
    }
  }
  return out;
}

int64_t SqliteStore::CountPublished(std::string_view language) {
  Impl::Reader reader(*impl_);
  if (language.empty()) {
    auto s = (*reader).Prepare("SELECT COUNT(*) FROM assets WHERE status = ?1");
    s.Bind(1, content::StatusName(content::Status::kPublished));
    s.Step();
    return s.Int(0);
  }
  const SqlQuery query = CountsSql(language, content::Status::kPublished, {});
  auto s = (*reader).PrepareText(query.sql);
  BindQuery(s, query);
  s.Step();
  return s.Int(0);
}

void SqliteStore::AddViews(const std::vector<std::pair<int64_t, int64_t>>& views) {
  if (views.empty()) return;
  std::lock_guard lock(impl_->writer_mutex);
  Connection& c = *impl_->writer;
  c.Write([&] {
    for (const auto& [id, count] : views) {
      if (count <= 0) continue;
      c.Prepare("UPDATE assets SET view_count = view_count + ?2 WHERE id = ?1")
          .Bind(1, id)
          .Bind(2, count)
          .Run();
    }
  });
}

ListPage SqliteStore::List(const ListQuery& query) {
  if (query.limit < 1 || query.limit > 1000 || query.offset < 0) {
    throw Error(ErrorCode::kInvalidInput, "list: limit must be 1..1000 and offset not negative");
  }
  Impl::Reader reader(*impl_);
  Connection& c = *reader;
  const std::string status = query.status ? std::string(content::StatusName(*query.status)) : "";
  const std::string language = query.language;
  constexpr const char* kWhere =
      " FROM assets a WHERE (?1 = '' OR a.status = ?1) AND (?2 = '' OR EXISTS ("
      "SELECT 1 FROM translations t WHERE t.asset_id = a.id AND "
      "(t.language = ?2 OR t.primary_lang = ?2)))";
  ListPage page;
  {
    static const std::string sql = std::string("SELECT COUNT(*)") + kWhere;
    auto s = c.Prepare(sql.c_str());
    s.Bind(1, status).Bind(2, language);
    s.Step();
    page.total = s.Int(0);
  }
  std::vector<int64_t> ids;
  {
    static const std::string sql = std::string("SELECT a.id") + kWhere +
                                   " ORDER BY a.published_at DESC, a.id DESC LIMIT ?3 OFFSET ?4";
    auto s = c.Prepare(sql.c_str());
    s.Bind(1, status).Bind(2, language).Bind(3, query.limit).Bind(4, query.offset);
    while (s.Step()) ids.push_back(s.Int(0));
  }
  page.assets = LoadAssets(c, ids);
  return page;
}

void SqliteStore::ForEach(const std::function<void(const Asset&)>& visit) {
  ForEachAsset(*impl_, visit, /*with_bodies=*/true);
}

void SqliteStore::ForEachWithoutBodies(const std::function<void(const Asset&)>& visit) {
  ForEachAsset(*impl_, visit, /*with_bodies=*/false);
}

void SqliteStore::ForEachAsset(Impl& impl, const std::function<void(const Asset&)>& visit,
                               bool with_bodies) {
  Impl::Reader reader(impl);
  Connection& c = *reader;
  int64_t after = 0;
  constexpr int64_t kBatch = 500;
  while (true) {
    std::vector<int64_t> ids;
    {
      auto s = c.Prepare("SELECT id FROM assets WHERE id > ?1 ORDER BY id LIMIT ?2");
      s.Bind(1, after).Bind(2, kBatch);
      while (s.Step()) ids.push_back(s.Int(0));
    }
    if (ids.empty()) return;
    for (const auto& asset : LoadAssets(c, ids, with_bodies)) visit(asset);
    after = ids.back();
  }
}

int64_t SqliteStore::LastChange() {
  Impl::Reader reader(*impl_);
  auto s = (*reader).Prepare("SELECT COALESCE(MAX(seq), 0) FROM changes");
  s.Step();
  return s.Int(0);
}

std::vector<Change> SqliteStore::ChangesSince(int64_t after, int64_t limit) {
  Impl::Reader reader(*impl_);
  auto s = (*reader).Prepare(
      "SELECT seq, asset_id, op, at FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2");
  s.Bind(1, after).Bind(2, limit);
  std::vector<Change> out;
  while (s.Step()) out.push_back(Change{s.Int(0), s.Int(1), s.Text(2), Instant{s.Int(3)}});
  return out;
}

}  // namespace assetpub::store::sqlite
