#include "store/postgres/postgres_store.h"

#include <fmt/format.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "content/language.h"
#include "core/error.h"
#include "store/blob_chunks.h"
#include "store/postgres/connection.h"
#include "store/postgres/pool.h"
#include "store/postgres/rows.h"
#include "store/postgres/schema.h"
#include "store/sql/columns.h"
#include "store/sql/select_sql.h"

namespace assetpub::store::postgres {

using content::Asset;
using content::Instant;

namespace {

// Reads that run several statements see one snapshot; single statements need no transaction.
using Snapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;
using Single = pqxx::nontransaction;
using Work = pqxx::work;

Params ParamsOf(const sql::SqlQuery& query) {
  Params params;
  for (const auto& value : query.params) {
    if (const auto* number = std::get_if<int64_t>(&value)) {
      params.Add(*number);
    } else {
      params.Add(std::get<std::string>(value));
    }
  }
  return params;
}

// Wakes WaitForChange when a commit notifies kChangesChannel (the notification itself carries
// nothing: the waiter reads the log).
class ChangeReceiver final : public pqxx::notification_receiver {
 public:
  explicit ChangeReceiver(pqxx::connection_base& c)
      : pqxx::notification_receiver(c, kChangesChannel) {}
  void operator()(const std::string&, int) override {}
};

// A content writer's transaction: a lent connection holding kWriterLock from the start, so
// writers on every node take their turns and the changes log's seq order is its commit order.
class PostgresTransaction final : public Transaction {
 public:
  explicit PostgresTransaction(Pool& pool) : pool_(pool) {
    for (int attempt = 0;; ++attempt) {
      bool pooled = false;
      c_ = pool_.Take(pooled);
      try {
        work_ = std::make_unique<Work>(c_->raw());
        tx_ = std::make_unique<Tx>(*c_, *work_);
        (*tx_)("SELECT pg_advisory_xact_lock($1)", kWriterLock);
        return;
      } catch (const pqxx::broken_connection&) {
        tx_.reset();
        work_.reset();
        if (pooled && attempt == 0) continue;  // a stale pooled connection: once more
        RethrowTranslated();
      } catch (...) {
        tx_.reset();
        work_.reset();
        RethrowTranslated();
      }
    }
  }
  ~PostgresTransaction() override {
    tx_.reset();
    try {
      work_.reset();  // aborts, if not committed
    } catch (...) {
      c_.reset();  // a connection whose rollback failed is not lent again
    }
    pool_.Give(std::move(c_));
  }

  std::optional<Asset> Get(int64_t id) override {
    return Translate([&] { return LoadAsset(*tx_, id); });
  }

  std::vector<Asset> FindByPublishedAt(Instant at) override {
    return Translate([&] {
      std::vector<int64_t> ids;
      for (const auto& row :
           (*tx_)("SELECT id FROM assets WHERE published_at = $1 ORDER BY id", at)) {
        ids.push_back(Int(row[0]));
      }
      return LoadAssets(*tx_, ids);
    });
  }

  bool PutRedirect(const Redirect& redirect) override {
    CheckRedirect(redirect);
    return Translate([&] {
      auto stored =
          (*tx_)("SELECT asset_id, language FROM redirects WHERE path = $1", redirect.path);
      if (!stored.empty() && Int(stored[0][0]) == redirect.asset_id &&
          redirect.language == stored[0][1].c_str()) {
        return false;
      }
      if ((*tx_)("SELECT 1 FROM assets WHERE id = $1", redirect.asset_id).empty()) {
        NoSuchRedirectAsset(redirect);
      }
      (*tx_)(
          "INSERT INTO redirects (path, asset_id, language) VALUES ($1, $2, $3) ON CONFLICT "
          "(path) DO UPDATE SET asset_id = excluded.asset_id, language = excluded.language",
          redirect.path, redirect.asset_id, redirect.language);
      return true;
    });
  }

  bool DeleteRedirect(std::string_view path) override {
    return Translate(
        [&] { return (*tx_)("DELETE FROM redirects WHERE path = $1", path).affected_rows() > 0; });
  }

  std::optional<int64_t> FindIdByTitle(std::string_view title) override {
    return Translate([&]() -> std::optional<int64_t> {
      auto rows = (*tx_)("SELECT MIN(asset_id) FROM translations WHERE title = $1", title);
      if (rows[0][0].is_null()) return std::nullopt;
      return Int(rows[0][0]);
    });
  }

  std::vector<int64_t> FindUnmatchedRelated(std::string_view title) override {
    return Translate([&] {
      std::vector<int64_t> ids;
      for (const auto& row : (*tx_)("SELECT DISTINCT asset_id FROM asset_related WHERE title = $1 "
                                    "ORDER BY asset_id",
                                    title)) {
        ids.push_back(Int(row[0]));
      }
      return ids;
    });
  }

  int64_t Put(Asset& asset) override {
    changed_ = true;
    return Translate([&] { return PutAsset(*tx_, asset); });
  }

  void Delete(int64_t id) override {
    changed_ = true;
    Translate([&] { DeleteAsset(*tx_, id); });
  }

  int64_t AddRevision(Revision& revision) override {
    return Translate([&] { return InsertRevision(*tx_, revision); });
  }
  std::optional<Revision> GetRevision(int64_t id, int64_t number) override {
    return Translate([&] { return LoadRevision(*tx_, id, number); });
  }
  std::vector<Revision> Revisions(int64_t id) override {
    return Translate([&] { return ListRevisions(*tx_, id); });
  }
  RevisionHead Head(int64_t id) override {
    return Translate([&] { return LoadHead(*tx_, id); });
  }
  void SetLiveRevision(int64_t id, int64_t number) override {
    Translate([&] { postgres::SetLiveRevision(*tx_, id, number); });
  }
  std::vector<std::pair<int64_t, Instant>> Scheduled(int64_t limit) override {
    return Translate([&] { return LoadScheduled(*tx_, limit); });
  }

  void Commit() override {
    Translate([&] {
      if (changed_) tx_->Exec(fmt::format("NOTIFY {}", kChangesChannel));
      work_->commit();
    });
  }

 private:
  Pool& pool_;
  std::unique_ptr<Connection> c_;
  std::unique_ptr<Work> work_;
  std::unique_ptr<Tx> tx_;
  bool changed_ = false;  // Put or Delete appended changes: notify at commit
};

}  // namespace

bool IsUrl(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

struct PostgresStore::Impl {
  Impl(const std::string& url, std::chrono::milliseconds lock_timeout) : pool(url, lock_timeout) {}

  Pool pool;
  std::set<std::string> icu_collations;  // the server's ICU collations, by name

  // The collation titles in `language` sort by: the server's ICU collation of the full tag, else
  // of its primary subtag, else the root collation ("und-x-icu"); "C" when the server has no ICU.
  std::string CollationFor(std::string_view language) const {
    const std::string tag = content::CanonicalLanguageTag(language).value_or(std::string(language));
    for (const std::string& name :
         {tag + "-x-icu", content::PrimarySubtag(tag) + "-x-icu", std::string("und-x-icu")}) {
      if (icu_collations.contains(name)) return name;
    }
    return "C";
  }

  // WaitForChange: one caller at a time waits on the listening connection (the others wait for
  // it to come back, `generation` counting its returns).
  std::mutex listen_mutex;
  std::condition_variable listen_done;
  uint64_t generation = 0;
  bool listening = false;
  std::unique_ptr<pqxx::connection> listener;  // used only by the caller that set `listening`
  std::unique_ptr<ChangeReceiver> receiver;

  // Lead: the connection holding the leases, and the keys it holds.
  std::mutex lease_mutex;
  std::unique_ptr<Connection> lease_connection;
  std::set<int64_t> leases;
};

PostgresStore::PostgresStore(const std::string& url, std::chrono::milliseconds lock_timeout)
    : impl_(std::make_unique<Impl>(url, lock_timeout)) {
  bool pooled = false;
  std::unique_ptr<Connection> c = impl_->pool.Take(pooled);
  Migrate(*c);
  Translate([&] {
    Single read(c->raw());
    for (const auto& row :
         read.exec("SELECT collname FROM pg_collation WHERE collprovider = 'i'")) {
      impl_->icu_collations.insert(row[0].c_str());
    }
  });
  impl_->pool.Give(std::move(c));
}

PostgresStore::~PostgresStore() {
  // Leases are given back before the session closes: the server notices a closed connection only
  // when its backend gets to it, and another node should not wait for that.
  std::lock_guard lock(impl_->lease_mutex);
  if (!impl_->lease_connection || impl_->leases.empty()) return;
  try {
    pqxx::nontransaction work(impl_->lease_connection->raw());
    Tx tx(*impl_->lease_connection, work);
    tx("SELECT pg_advisory_unlock_all()");
  } catch (...) {
    // The session is gone already, and its locks with it.
  }
}

int PostgresStore::SchemaVersion() { return postgres::SchemaVersion(); }

std::unique_ptr<Transaction> PostgresStore::Begin() {
  return std::make_unique<PostgresTransaction>(impl_->pool);
}

std::optional<Asset> PostgresStore::Get(int64_t id) {
  return impl_->pool.Run<Single>([&](Tx& tx) { return LoadAsset(tx, id); });
}

std::vector<Revision> PostgresStore::Revisions(int64_t id) {
  return impl_->pool.Run<Single>([&](Tx& tx) { return ListRevisions(tx, id); });
}

std::optional<Revision> PostgresStore::GetRevision(int64_t id, int64_t number) {
  return impl_->pool.Run<Snapshot>([&](Tx& tx) { return LoadRevision(tx, id, number); });
}

RevisionHead PostgresStore::Head(int64_t id) {
  return impl_->pool.Run<Snapshot>([&](Tx& tx) { return LoadHead(tx, id); });
}

std::vector<std::pair<int64_t, Instant>> PostgresStore::Scheduled(int64_t limit) {
  return impl_->pool.Run<Single>([&](Tx& tx) { return LoadScheduled(tx, limit); });
}

std::vector<int64_t> PostgresStore::Expiring(Instant now, int64_t limit) {
  std::vector<int64_t> out;
  if (limit < 1) return out;
  impl_->pool.Run<Single>([&](Tx& tx) {
    for (const auto& row : tx("SELECT id FROM assets WHERE status = 'published' AND "
                              "expires_at <= $1 ORDER BY expires_at, id LIMIT $2",
                              now, limit)) {
      out.push_back(Int(row[0]));
    }
  });
  return out;
}

bool PostgresStore::AddMedia(const MediaRecord& record) {
  return impl_->pool.Run<Work>([&](Tx& tx) {
    return tx("INSERT INTO media (hash, type, name, bytes, width, height, uploaded_at, "
              "uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (hash) DO NOTHING",
              record.file.hash, record.file.type, record.file.name, record.file.bytes,
              record.file.width, record.file.height, record.uploaded_at, record.uploaded_by)
               .affected_rows() > 0;
  });
}

std::optional<Redirect> PostgresStore::FindRedirect(std::string_view path) {
  return impl_->pool.Run<Single>([&](Tx& tx) -> std::optional<Redirect> {
    auto rows = tx("SELECT asset_id, language FROM redirects WHERE path = $1", path);
    if (rows.empty()) return std::nullopt;
    return Redirect{std::string(path), Int(rows[0][0]), rows[0][1].c_str()};
  });
}

RedirectPage PostgresStore::ListRedirects(const RedirectQuery& query) {
  CheckRedirectQuery(query);
  // COLLATE "C": paths compare bytewise, as on SQLite, whatever the database's collation.
  return impl_->pool.Run<Snapshot>([&](Tx& tx) {
    RedirectPage page;
    pqxx::result rows;
    if (query.asset_id) {
      page.total =
          Int(tx("SELECT COUNT(*) FROM redirects WHERE asset_id = $1", *query.asset_id)[0][0]);
      rows =
          tx("SELECT path, asset_id, language FROM redirects WHERE asset_id = $3 ORDER BY path "
             "COLLATE \"C\" LIMIT $1 OFFSET $2",
             query.limit, query.offset, *query.asset_id);
    } else {
      page.total = Int(tx("SELECT COUNT(*) FROM redirects")[0][0]);
      rows =
          tx("SELECT path, asset_id, language FROM redirects ORDER BY path COLLATE \"C\" "
             "LIMIT $1 OFFSET $2",
             query.limit, query.offset);
    }
    for (const auto& row : rows) {
      page.redirects.push_back(Redirect{row[0].c_str(), Int(row[1]), row[2].c_str()});
    }
    return page;
  });
}

std::optional<MediaRecord> PostgresStore::FindMedia(std::string_view hash) {
  static const std::string sql = fmt::format("SELECT {} FROM media WHERE hash = $1", kMediaColumns);
  return impl_->pool.Run<Single>([&](Tx& tx) -> std::optional<MediaRecord> {
    auto rows = tx(sql, hash);
    if (rows.empty()) return std::nullopt;
    return ReadMediaRecord(rows[0]);
  });
}

bool PostgresStore::IsPublicMedia(std::string_view hash) {
  return impl_->pool.Run<Single>([&](Tx& tx) {
    auto rows =
        tx("SELECT EXISTS (SELECT 1 FROM asset_media m JOIN assets a ON a.id = m.asset_id "
           "WHERE m.hash = $1 AND a.status = 'published')",
           hash);
    return rows[0][0].as<bool>();
  });
}

MediaPage PostgresStore::ListMedia(int64_t offset, int64_t limit) {
  if (limit < 1 || limit > 1000 || offset < 0) {
    throw Error(ErrorCode::kInvalidInput, "media: limit must be 1..1000 and offset not negative");
  }
  static const std::string sql = fmt::format(
      "SELECT {} FROM media ORDER BY uploaded_at DESC, seq DESC LIMIT $1 OFFSET $2", kMediaColumns);
  return impl_->pool.Run<Snapshot>([&](Tx& tx) {
    MediaPage page;
    page.total = Int(tx("SELECT COUNT(*) FROM media")[0][0]);
    for (const auto& row : tx(sql, limit, offset)) page.files.push_back(ReadMediaRecord(row));
    return page;
  });
}

namespace {

// Runs `body`, a part of a Pool::Run body that has begun to use its source or sink: a connection
// lost there is reported (Error(kUnavailable)) instead of being retried by Pool::Run, whose
// second attempt would read the source from where the first stopped or hand the sink the first
// chunks twice.
template <typename Body>
void WithoutRetry(Body&& body) {
  try {
    body();
  } catch (const pqxx::broken_connection&) {
    RethrowTranslated();
  }
}

}  // namespace

bool PostgresStore::PutBlob(std::string_view key, const BlobInfo& info, const BlobSource& source) {
  CheckBlob(key, info);
  return impl_->pool.Run<Work>([&](Tx& tx) {
    // A key another writer is storing waits here for its commit (then: nothing to do) or its
    // rollback (then: ours to store).
    if (tx("INSERT INTO media_blobs (key, size, sha256) VALUES ($1, $2, $3) "
           "ON CONFLICT (key) DO NOTHING",
           key, info.size, info.sha256)
            .affected_rows() == 0) {
      return false;
    }
    WithoutRetry([&] {
      WriteChunks(key, info, source, [&](int64_t seq, std::string_view chunk) {
        tx.RunWithBytes("INSERT INTO media_chunks (key, seq, bytes) VALUES ($1, $2, $3)",
                        Params(key, seq), chunk);
      });
    });
    return true;
  });
}

std::optional<BlobInfo> PostgresStore::FindBlob(std::string_view key) {
  return impl_->pool.Run<Single>([&](Tx& tx) -> std::optional<BlobInfo> {
    auto rows = tx("SELECT size, sha256 FROM media_blobs WHERE key = $1", key);
    if (rows.empty()) return std::nullopt;
    return BlobInfo{Int(rows[0][0]), Text(rows[0][1])};
  });
}

std::optional<BlobInfo> PostgresStore::ReadBlob(std::string_view key, const BlobSink& sink) {
  return impl_->pool.Run<Snapshot>([&](Tx& tx) -> std::optional<BlobInfo> {
    auto rows = tx("SELECT size, sha256 FROM media_blobs WHERE key = $1", key);
    if (rows.empty()) return std::nullopt;
    const BlobInfo info{Int(rows[0][0]), Text(rows[0][1])};
    // One chunk a statement: a result is held whole by libpq, so a query for every chunk at once
    // would hold the whole blob. In one snapshot, so the chunks are one write's.
    int64_t total = 0;
    bool whole = true;
    WithoutRetry([&] {
      for (int64_t seq = 0; whole && total < info.size; ++seq) {
        const pqxx::result chunk =
            tx("SELECT bytes FROM media_chunks WHERE key = $1 AND seq = $2", key, seq);
        if (chunk.empty()) break;
        const pqxx::binarystring bytes = Bytes(chunk[0][0]);
        whole = total + static_cast<int64_t>(bytes.size()) <= info.size;
        if (whole) {
          total += static_cast<int64_t>(bytes.size());
          sink(std::string_view(bytes.get(), bytes.size()));
        }
      }
    });
    if (!whole || total != info.size) {
      throw Error(
          ErrorCode::kInternal,
          fmt::format("blob {}: the stored chunks do not add up to its {} bytes", key, info.size));
    }
    return info;
  });
}

std::vector<Headline> PostgresStore::Headlines(const std::vector<int64_t>& ids,
                                               std::string_view language) {
  if (ids.empty()) return {};
  // Per asset: the translation in `language` if any, else its first translation by tag.
  std::map<int64_t, Headline> by_id;
  impl_->pool.Run<Single>([&](Tx& tx) {
    for (const auto& row :
         tx("SELECT DISTINCT ON (a.id) a.id, t.language, t.title, t.slug, a.status FROM assets a "
            "JOIN translations t ON t.asset_id = a.id WHERE a.id = ANY(CAST($1 AS bigint[])) "
            "ORDER BY a.id, (t.language = $2 OR t.primary_lang = $2) DESC, t.language COLLATE "
            "\"C\"",
            IdArray(ids), language)) {
      const int64_t id = Int(row[0]);
      by_id[id] = Headline{id, Text(row[1]), Text(row[2]), Text(row[3]),
                           sql::StatusFromColumn(Text(row[4]), id)};
    }
  });
  std::vector<Headline> out;
  for (int64_t id : ids) {
    if (auto it = by_id.find(id); it != by_id.end()) out.push_back(it->second);
  }
  return out;
}

ListPage PostgresStore::Select(const Selection& selection) {
  if (selection.limit < 1 || selection.limit > 1000 || selection.offset < 0) {
    throw Error(ErrorCode::kInvalidInput, "select: limit must be 1..1000 and offset not negative");
  }
  if (selection.language.empty()) {
    throw Error(ErrorCode::kInvalidInput, "select: a language is required");
  }
  const sql::Dialect dialect{sql::Dialect::Kind::kPostgres,
                             impl_->CollationFor(selection.language)};
  return impl_->pool.Run<Snapshot>([&](Tx& tx) {
    ListPage page;
    page.total = -1;
    if (selection.count_total) {
      const sql::SqlQuery query = sql::SelectSql(selection, true, dialect);
      page.total = Int(tx.Run(query.sql, ParamsOf(query))[0][0]);
    }
    std::vector<int64_t> ids;
    const sql::SqlQuery query = sql::SelectSql(selection, false, dialect);
    for (const auto& row : tx.Run(query.sql, ParamsOf(query))) ids.push_back(Int(row[0]));
    page.assets = LoadAssets(tx, ids, selection.with_bodies);
    return page;
  });
}

std::vector<int64_t> PostgresStore::ReferencedBy(int64_t id) {
  return impl_->pool.Run<Single>([&](Tx& tx) {
    std::vector<int64_t> out;
    for (const auto& row : tx("SELECT DISTINCT asset_id FROM asset_related WHERE related_id = $1 "
                              "ORDER BY asset_id",
                              id)) {
      out.push_back(Int(row[0]));
    }
    return out;
  });
}

std::vector<std::string> PostgresStore::NamesBySlug(Vocabulary vocabulary, std::string_view slug) {
  return impl_->pool.Run<Single>([&](Tx& tx) {
    std::vector<std::string> out;
    for (const auto& row :
         tx(vocabulary == Vocabulary::kPeople  // as SQLite's (sqlite_store.cpp says why)
                ? "SELECT n.name COLLATE \"C\" FROM (SELECT DISTINCT name FROM asset_people "
                  "WHERE slug = $1) n WHERE EXISTS (SELECT 1 FROM asset_people p JOIN assets a "
                  "ON a.id = p.asset_id WHERE p.slug = $1 AND p.name = n.name AND a.status = "
                  "'published') ORDER BY 1"
                : "SELECT n.tag COLLATE \"C\" FROM (SELECT DISTINCT tag FROM asset_tags "
                  "WHERE slug = $1) n WHERE EXISTS (SELECT 1 FROM asset_tags p JOIN assets a "
                  "ON a.id = p.asset_id WHERE p.slug = $1 AND p.tag = n.tag AND a.status = "
                  "'published') ORDER BY 1",
            slug)) {
      out.push_back(Text(row[0]));
    }
    return out;
  });
}

std::vector<UrlEntry> PostgresStore::PublishedUrls(int64_t after_id, int64_t limit) {
  if (limit < 1) return {};
  return impl_->pool.Run<Snapshot>([&](Tx& tx) {
    std::vector<UrlEntry> out;
    for (const auto& row : tx("SELECT id, published_at, modified_at FROM assets WHERE id > $1 AND "
                              "status = 'published' ORDER BY id LIMIT $2",
                              after_id, limit)) {
      UrlEntry entry;
      entry.id = Int(row[0]);
      entry.published_at = Instant{Int(row[1])};
      entry.modified_at = OptionalInstant(row[2]);
      out.push_back(std::move(entry));
    }
    if (out.empty()) return out;
    std::vector<int64_t> ids;
    for (const auto& entry : out) ids.push_back(entry.id);
    size_t at = 0;  // both sides are in id order
    for (const auto& row : tx("SELECT asset_id, language, slug FROM translations WHERE asset_id = "
                              "ANY(CAST($1 AS bigint[])) ORDER BY asset_id, language COLLATE \"C\"",
                              IdArray(ids))) {
      const int64_t id = Int(row[0]);
      while (at < out.size() && out[at].id < id) ++at;
      if (at < out.size() && out[at].id == id) {
        out[at].translations.emplace_back(Text(row[1]), Text(row[2]));
      }
    }
    return out;
  });
}

int64_t PostgresStore::CountPublished(std::string_view language) {
  return impl_->pool.Run<Single>([&](Tx& tx) {
    if (language.empty()) {
      return Int(tx("SELECT COUNT(*) FROM assets WHERE status = 'published'")[0][0]);
    }
    const sql::SqlQuery query =
        sql::CountsSql(language, content::Status::kPublished, {}, {sql::Dialect::Kind::kPostgres});
    return Int(tx.Run(query.sql, ParamsOf(query))[0][0]);
  });
}

void PostgresStore::AddViews(const std::vector<std::pair<int64_t, int64_t>>& views) {
  std::vector<int64_t> ids;
  std::vector<int64_t> counts;
  for (const auto& [id, count] : views) {
    if (count <= 0) continue;
    ids.push_back(id);
    counts.push_back(count);
  }
  if (ids.empty()) return;
  // Rows are locked in id order before they are updated, so two nodes flushing their counts at
  // once wait for each other instead of deadlocking.
  impl_->pool.Run<Work>([&](Tx& tx) {
    tx("WITH v AS (SELECT id, SUM(n) AS n FROM unnest(CAST($1 AS bigint[]), "
       "CAST($2 AS bigint[])) AS x(id, n) GROUP BY id), "
       "l AS (SELECT a.id FROM assets a JOIN v ON v.id = a.id ORDER BY a.id FOR UPDATE OF a) "
       "UPDATE assets SET view_count = assets.view_count + v.n FROM v "
       "WHERE assets.id = v.id AND assets.id IN (SELECT id FROM l)",
       IdArray(ids), IdArray(counts));
  });
}

ListPage PostgresStore::List(const ListQuery& query) {
  if (query.limit < 1 || query.limit > 1000 || query.offset < 0) {
    throw Error(ErrorCode::kInvalidInput, "list: limit must be 1..1000 and offset not negative");
  }
  const std::string status = query.status ? std::string(content::StatusName(*query.status)) : "";
  constexpr const char* kWhere =
      " FROM assets a WHERE ($1 = '' OR a.status = $1) AND ($2 = '' OR EXISTS ("
      "SELECT 1 FROM translations t WHERE t.asset_id = a.id AND "
      "(t.language = $2 OR t.primary_lang = $2)))";
  static const std::string count_sql = std::string("SELECT COUNT(*)") + kWhere;
  static const std::string page_sql = std::string("SELECT a.id") + kWhere +
                                      " ORDER BY a.published_at DESC, a.id DESC LIMIT $3 OFFSET $4";
  return impl_->pool.Run<Snapshot>([&](Tx& tx) {
    ListPage page;
    page.total = Int(tx(count_sql, status, query.language)[0][0]);
    std::vector<int64_t> ids;
    for (const auto& row : tx(page_sql, status, query.language, query.limit, query.offset)) {
      ids.push_back(Int(row[0]));
    }
    page.assets = LoadAssets(tx, ids);
    return page;
  });
}

void PostgresStore::ForEach(const std::function<void(const Asset&)>& visit) {
  ForEachAsset(visit, /*with_bodies=*/true);
}

void PostgresStore::ForEachWithoutBodies(const std::function<void(const Asset&)>& visit) {
  ForEachAsset(visit, /*with_bodies=*/false);
}

void PostgresStore::ForEachAsset(const std::function<void(const Asset&)>& visit, bool with_bodies) {
  impl_->pool.Run<Snapshot>([&](Tx& tx) {
    int64_t after = 0;
    constexpr int64_t kBatch = 500;
    while (true) {
      std::vector<int64_t> ids;
      for (const auto& row :
           tx("SELECT id FROM assets WHERE id > $1 ORDER BY id LIMIT $2", after, kBatch)) {
        ids.push_back(Int(row[0]));
      }
      if (ids.empty()) return;
      for (const auto& asset : LoadAssets(tx, ids, with_bodies)) visit(asset);
      after = ids.back();
    }
  });
}

int64_t PostgresStore::LastChange() {
  return impl_->pool.Run<Single>(
      [](Tx& tx) { return Int(tx("SELECT COALESCE(MAX(seq), 0) FROM changes")[0][0]); });
}

std::vector<Change> PostgresStore::ChangesSince(int64_t after, int64_t limit) {
  return impl_->pool.Run<Single>([&](Tx& tx) {
    std::vector<Change> out;
    for (const auto& row : tx("SELECT seq, asset_id, op, at FROM changes WHERE seq > $1 "
                              "ORDER BY seq LIMIT $2",
                              after, limit)) {
      out.push_back(Change{Int(row[0]), Int(row[1]), Text(row[2]), Instant{Int(row[3])}});
    }
    return out;
  });
}

namespace {

// The advisory lock key of lease `name`: FNV-1a of the name, the same on every node and build.
int64_t LeaseKey(std::string_view name) {
  uint64_t hash = 14695981039346656037ULL;
  for (const char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return static_cast<int64_t>(hash);
}

// The lease session is ended by the server once idle this long (`idle_session_timeout`), so a
// holder that freezes (SIGSTOP, a paused VM), whose socket stays open, loses its leases too.
// Holders call Lead every second (the scheduler's rounds); a round of more than half a second
// between two calls may hand the lease over, which is harmless (writers serialise).
constexpr const char* kLeaseIdleTimeout = "1500ms";

}  // namespace

std::optional<Store::ConnectionStats> PostgresStore::Connections() {
  const Pool::Stats pool = impl_->pool.stats();
  return ConnectionStats{pool.open, pool.idle, pool.opened_total, pool.failed_total};
}

bool PostgresStore::Lead(std::string_view name) {
  Impl& impl = *impl_;
  const int64_t key = LeaseKey(name);
  std::lock_guard lock(impl.lease_mutex);
  try {
    if (!impl.lease_connection || !impl.lease_connection->is_open()) {
      impl.leases.clear();
      impl.lease_connection =
          std::make_unique<Connection>(impl.pool.url(), impl.pool.lock_timeout());
      pqxx::nontransaction setup(impl.lease_connection->raw());
      Tx(*impl.lease_connection, setup)("SELECT set_config('idle_session_timeout', $1, false)",
                                        std::string(kLeaseIdleTimeout));
    }
    Connection& c = *impl.lease_connection;
    pqxx::nontransaction work(c.raw());
    Tx tx(c, work);
    if (impl.leases.contains(key)) {
      tx("SELECT 1");  // the session, and with it the lock, is still there
      return true;
    }
    if (tx("SELECT pg_try_advisory_lock($1)", key)[0][0].as<bool>()) impl.leases.insert(key);
    return impl.leases.contains(key);
  } catch (...) {
    // The connection is gone, and the locks with it: another node may take them now.
    impl.lease_connection.reset();
    impl.leases.clear();
    return false;
  }
}

bool PostgresStore::WaitForChange(int64_t after, std::chrono::steady_clock::time_point deadline) {
  using Clock = std::chrono::steady_clock;
  // Between notifications the log is read at least this often: the safety net for a notification
  // lost with a connection.
  constexpr auto kPoll = std::chrono::seconds(1);
  Impl& impl = *impl_;
  while (true) {
    if (LastChange() > after) return true;
    const Clock::time_point now = Clock::now();
    if (now >= deadline) return false;
    const Clock::time_point until = std::min(deadline, now + kPoll);
    std::unique_lock lock(impl.listen_mutex);
    if (impl.listening) {
      const uint64_t seen = impl.generation;
      impl.listen_done.wait_until(lock, until, [&] { return impl.generation != seen; });
      continue;
    }
    impl.listening = true;
    lock.unlock();
    try {
      if (!impl.listener || !impl.listener->is_open()) {
        impl.receiver.reset();
        impl.listener = std::make_unique<pqxx::connection>(impl.pool.url());
        impl.receiver = std::make_unique<ChangeReceiver>(*impl.listener);
      }
      const auto wait = std::chrono::duration_cast<std::chrono::microseconds>(until - Clock::now());
      if (wait.count() > 0) {
        impl.listener->await_notification(static_cast<long>(wait.count() / 1'000'000),
                                          static_cast<long>(wait.count() % 1'000'000));
      }
    } catch (...) {
      // The server is away: drop the listener and fall back to polling until it is back.
      impl.receiver.reset();
      impl.listener.reset();
      std::this_thread::sleep_until(std::min(until, Clock::now() + std::chrono::milliseconds(200)));
    }
    lock.lock();
    impl.listening = false;
    ++impl.generation;
    impl.listen_done.notify_all();
  }
}

}  // namespace assetpub::store::postgres
