#include "store/sqlite/sqlite_store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <utility>

#include "content/asset_json.h"
#include "content/language.h"
#include "core/error.h"

namespace assetpub::store::sqlite {
namespace {

using content::Asset;
using content::Instant;

// Each entry moves the schema from version i to i+1. Append only; never edit a shipped one.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE assets (
  id           INTEGER PRIMARY KEY,
  kind         TEXT    NOT NULL,
  status       TEXT    NOT NULL,
  published_at INTEGER NOT NULL,
  time_zone    TEXT    NOT NULL,
  modified_at  INTEGER,
  expires_at   INTEGER,
  priority     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX assets_by_status_date ON assets (status, published_at DESC, id DESC);
CREATE INDEX assets_by_date ON assets (published_at);

CREATE TABLE translations (
  asset_id     INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  language     TEXT    NOT NULL,
  primary_lang TEXT    NOT NULL,
  title        TEXT    NOT NULL,
  slug         TEXT    NOT NULL,
  place        TEXT    NOT NULL,
  summary      TEXT    NOT NULL,
  blocks       TEXT    NOT NULL,  -- JSON array of blocks (DESIGN.md §6)
  source       TEXT    NOT NULL,
  PRIMARY KEY (asset_id, language)
);
CREATE INDEX translations_by_title ON translations (title);
CREATE INDEX translations_by_language ON translations (primary_lang, asset_id);

CREATE TABLE asset_languages (
  asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  language TEXT    NOT NULL,
  PRIMARY KEY (asset_id, position)
);
CREATE TABLE asset_people (
  asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name     TEXT    NOT NULL,
  PRIMARY KEY (asset_id, position)
);
CREATE INDEX asset_people_by_name ON asset_people (name);
CREATE TABLE asset_tags (
  asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  tag      TEXT    NOT NULL,
  PRIMARY KEY (asset_id, position)
);
CREATE INDEX asset_tags_by_tag ON asset_tags (tag);
CREATE TABLE asset_categories (
  asset_id   INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  vocabulary TEXT    NOT NULL,
  position   INTEGER NOT NULL,
  term       TEXT    NOT NULL,
  PRIMARY KEY (asset_id, vocabulary, position)
);
CREATE TABLE asset_related (
  asset_id   INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  related_id INTEGER REFERENCES assets (id),
  title      TEXT,
  PRIMARY KEY (asset_id, position),
  CHECK ((related_id IS NULL) <> (title IS NULL))
);
CREATE INDEX asset_related_by_id ON asset_related (related_id);
CREATE INDEX asset_related_by_title ON asset_related (title);

CREATE TABLE changes (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  asset_id INTEGER NOT NULL,
  op       TEXT    NOT NULL CHECK (op IN ('put', 'delete')),
  at       INTEGER NOT NULL
);
)sql",
};

[[noreturn]] void Fail(sqlite3* db, const std::string& what) {
  const int code = sqlite3_extended_errcode(db);
  const ErrorCode error_code = (code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED ||
                                       (code & 0xff) == SQLITE_IOERR || (code & 0xff) == SQLITE_FULL
                                   ? ErrorCode::kUnavailable
                               : (code & 0xff) == SQLITE_CONSTRAINT ? ErrorCode::kConflict
                                                                    : ErrorCode::kInternal;
  throw Error(error_code, fmt::format("sqlite: {}: {}", what, sqlite3_errmsg(db)));
}

// A prepared statement, reset on destruction so the cached handle can be reused.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  Statement& Bind(int index, int64_t value) {
    Check(sqlite3_bind_int64(stmt_, index, value));
    return *this;
  }
  Statement& Bind(int index, std::string_view value) {
    Check(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                            SQLITE_TRANSIENT));
    return *this;
  }
  Statement& Bind(int index, const std::optional<Instant>& value) {
    Check(value ? sqlite3_bind_int64(stmt_, index, value->seconds)
                : sqlite3_bind_null(stmt_, index));
    return *this;
  }
  Statement& BindNull(int index) {
    Check(sqlite3_bind_null(stmt_, index));
    return *this;
  }
  // True while there is a row to read.
  bool Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Fail(db_, sqlite3_sql(stmt_));
  }
  void Run() {
    while (Step()) {
    }
  }
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::string Text(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return text ? std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)))
                : std::string();
  }

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK) Fail(db_, "bind");
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// One SQLite connection with its prepared-statement cache. Not thread-safe: one user at a time.
class Connection {
 public:
  explicit Connection(const std::filesystem::path& path) {
    const int rc =
        sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw Error(ErrorCode::kUnavailable,
                  fmt::format("cannot open database {}: {}", path.string(), message));
    }
    sqlite3_busy_timeout(db_, 10000);
    Exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;");
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }

  void Exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string text = message ? message : "unknown error";
      sqlite3_free(message);
      throw Error(ErrorCode::kInternal, fmt::format("sqlite: {}", text));
    }
  }

  Statement Prepare(const char* sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
          SQLITE_OK) {
        Fail(db_, sql);
      }
      it = cache_.emplace(sql, stmt).first;
    }
    return Statement(db_, it->second);
  }

  sqlite3* db() { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;  // keyed by the literal's address
};

std::string IdsJson(const std::vector<int64_t>& ids) { return nlohmann::json(ids).dump(); }

// Loads whole assets for `ids` with one query per table, whatever the number of ids (no N+1).
std::vector<Asset> LoadAssets(Connection& c, const std::vector<int64_t>& ids) {
  if (ids.empty()) return {};
  const std::string list = IdsJson(ids);
  std::map<int64_t, Asset> by_id;
  {
    auto s = c.Prepare(
        "SELECT id, kind, status, published_at, time_zone, modified_at, expires_at, priority "
        "FROM assets WHERE id IN (SELECT value FROM json_each(?1))");
    s.Bind(1, list);
    while (s.Step()) {
      Asset a;
      a.id = s.Int(0);
      a.kind = content::ParseKind(s.Text(1)).value_or(content::Kind::kArticle);
      a.status = content::ParseStatus(s.Text(2)).value_or(content::Status::kDraft);
      a.published_at = Instant{s.Int(3)};
      a.time_zone = s.Text(4);
      if (!s.IsNull(5)) a.modified_at = Instant{s.Int(5)};
      if (!s.IsNull(6)) a.expires_at = Instant{s.Int(6)};
      a.priority = static_cast<int>(s.Int(7));
      by_id.emplace(a.id, std::move(a));
    }
  }
  auto strings = [&](const char* sql, auto append) {
    auto s = c.Prepare(sql);
    s.Bind(1, list);
    while (s.Step()) {
      auto it = by_id.find(s.Int(0));
      if (it != by_id.end()) append(it->second, s);
    }
  };
  strings(
      "SELECT asset_id, language FROM asset_languages "
      "WHERE asset_id IN (SELECT value FROM json_each(?1)) ORDER BY asset_id, position",
      [](Asset& a, Statement& s) { a.languages.push_back(s.Text(1)); });
  strings(
      "SELECT asset_id, name FROM asset_people "
      "WHERE asset_id IN (SELECT value FROM json_each(?1)) ORDER BY asset_id, position",
      [](Asset& a, Statement& s) { a.people.push_back(s.Text(1)); });
  strings(
      "SELECT asset_id, tag FROM asset_tags "
      "WHERE asset_id IN (SELECT value FROM json_each(?1)) ORDER BY asset_id, position",
      [](Asset& a, Statement& s) { a.tags.push_back(s.Text(1)); });
  strings(
      "SELECT asset_id, vocabulary, term FROM asset_categories "
      "WHERE asset_id IN (SELECT value FROM json_each(?1)) ORDER BY asset_id, vocabulary, position",
      [](Asset& a, Statement& s) { a.categories[s.Text(1)].push_back(s.Text(2)); });
  strings(
      "SELECT asset_id, related_id, title FROM asset_related "
      "WHERE asset_id IN (SELECT value FROM json_each(?1)) ORDER BY asset_id, position",
      [](Asset& a, Statement& s) {
        a.related.push_back(content::Related{s.IsNull(1) ? 0 : s.Int(1), s.Text(2)});
      });
  strings(
      "SELECT asset_id, language, title, slug, place, summary, blocks, source FROM translations "
      "WHERE asset_id IN (SELECT value FROM json_each(?1)) ORDER BY asset_id, language",
      [](Asset& a, Statement& s) {
        content::Translation t;
        t.language = s.Text(1);
        t.title = s.Text(2);
        t.slug = s.Text(3);
        t.place = s.Text(4);
        t.summary = s.Text(5);
        t.source = s.Text(7);
        // The blocks column is written only by Put() from validated blocks.
        for (const auto& block : nlohmann::json::parse(s.Text(6))) {
          t.blocks.push_back(content::BlockFromJson(block));
        }
        a.translations.emplace(t.language, std::move(t));
      });
  std::vector<Asset> out;
  out.reserve(ids.size());
  for (int64_t id : ids) {
    auto it = by_id.find(id);
    if (it != by_id.end()) out.push_back(it->second);
  }
  return out;
}

std::optional<Asset> LoadAsset(Connection& c, int64_t id) {
  auto assets = LoadAssets(c, {id});
  if (assets.empty()) return std::nullopt;
  return std::move(assets.front());
}

void AppendChange(Connection& c, int64_t asset_id, const char* op) {
  auto s = c.Prepare("INSERT INTO changes (asset_id, op, at) VALUES (?1, ?2, ?3)");
  s.Bind(1, asset_id).Bind(2, op).Bind(3, content::Now().seconds).Run();
}

void DeleteChildren(Connection& c, int64_t id) {
  for (const char* sql : {"DELETE FROM translations WHERE asset_id = ?1",
                          "DELETE FROM asset_languages WHERE asset_id = ?1",
                          "DELETE FROM asset_people WHERE asset_id = ?1",
                          "DELETE FROM asset_tags WHERE asset_id = ?1",
                          "DELETE FROM asset_categories WHERE asset_id = ?1",
                          "DELETE FROM asset_related WHERE asset_id = ?1"}) {
    c.Prepare(sql).Bind(1, id).Run();
  }
}

void InsertList(Connection& c, const char* sql, int64_t id, const std::vector<std::string>& items) {
  for (size_t i = 0; i < items.size(); ++i) {
    c.Prepare(sql).Bind(1, id).Bind(2, static_cast<int64_t>(i)).Bind(3, items[i]).Run();
  }
}

int64_t PutAsset(Connection& c, Asset& asset) {
  if (asset.id == 0) {
    auto s = c.Prepare("SELECT COALESCE(MAX(id), 0) + 1 FROM assets");
    s.Step();
    asset.id = s.Int(0);
  }
  const int64_t id = asset.id;
  for (const auto& r : asset.related) {
    if (r.id == 0) continue;
    if (r.id == id) throw Error(ErrorCode::kInvalidInput, "an asset cannot be related to itself");
    auto s = c.Prepare("SELECT 1 FROM assets WHERE id = ?1");
    if (!s.Bind(1, r.id).Step()) {
      throw Error(ErrorCode::kInvalidInput, fmt::format("related asset {} does not exist", r.id));
    }
  }
  c.Prepare(
       "INSERT INTO assets (id, kind, status, published_at, time_zone, modified_at, expires_at, "
       "priority) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO UPDATE SET "
       "kind = excluded.kind, status = excluded.status, published_at = excluded.published_at, "
       "time_zone = excluded.time_zone, modified_at = excluded.modified_at, "
       "expires_at = excluded.expires_at, priority = excluded.priority")
      .Bind(1, id)
      .Bind(2, content::KindName(asset.kind))
      .Bind(3, content::StatusName(asset.status))
      .Bind(4, asset.published_at.seconds)
      .Bind(5, asset.time_zone)
      .Bind(6, asset.modified_at)
      .Bind(7, asset.expires_at)
      .Bind(8, static_cast<int64_t>(asset.priority))
      .Run();
  DeleteChildren(c, id);
  InsertList(c, "INSERT INTO asset_languages (asset_id, position, language) VALUES (?1, ?2, ?3)",
             id, asset.languages);
  InsertList(c, "INSERT INTO asset_people (asset_id, position, name) VALUES (?1, ?2, ?3)", id,
             asset.people);
  InsertList(c, "INSERT INTO asset_tags (asset_id, position, tag) VALUES (?1, ?2, ?3)", id,
             asset.tags);
  for (const auto& [vocabulary, terms] : asset.categories) {
    for (size_t i = 0; i < terms.size(); ++i) {
      c.Prepare(
           "INSERT INTO asset_categories (asset_id, vocabulary, position, term) "
           "VALUES (?1, ?2, ?3, ?4)")
          .Bind(1, id)
          .Bind(2, vocabulary)
          .Bind(3, static_cast<int64_t>(i))
          .Bind(4, terms[i])
          .Run();
    }
  }
  for (size_t i = 0; i < asset.related.size(); ++i) {
    const auto& r = asset.related[i];
    auto s = c.Prepare(
        "INSERT INTO asset_related (asset_id, position, related_id, title) VALUES (?1, ?2, ?3, "
        "?4)");
    s.Bind(1, id).Bind(2, static_cast<int64_t>(i));
    if (r.id != 0) {
      s.Bind(3, r.id).BindNull(4);
    } else {
      s.BindNull(3).Bind(4, r.title);
    }
    s.Run();
  }
  for (const auto& [tag, t] : asset.translations) {
    nlohmann::ordered_json blocks = nlohmann::ordered_json::array();
    for (const auto& block : t.blocks) blocks.push_back(content::ToJson(block));
    c.Prepare(
         "INSERT INTO translations (asset_id, language, primary_lang, title, slug, place, summary, "
         "blocks, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .Bind(1, id)
        .Bind(2, tag)
        .Bind(3, content::PrimarySubtag(tag))
        .Bind(4, t.title)
        .Bind(5, t.slug)
        .Bind(6, t.place)
        .Bind(7, t.summary)
        .Bind(8, blocks.dump())
        .Bind(9, t.source)
        .Run();
  }
  AppendChange(c, id, "put");
  return id;
}

}  // namespace

struct SqliteStore::Impl {
  std::filesystem::path path;

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
      if (!connection_) connection_ = std::make_unique<Connection>(impl_.path);
      connection_->Exec("BEGIN");  // one snapshot for all the queries of this read
    }
    ~Reader() {
      try {
        connection_->Exec("COMMIT");
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

  void Migrate() {
    Connection& c = *writer;
    c.Exec("PRAGMA journal_mode = WAL;");
    c.Exec("BEGIN IMMEDIATE");
    try {
      auto s = c.Prepare("PRAGMA user_version");
      s.Step();
      const int64_t version = s.Int(0);
      const int64_t latest = static_cast<int64_t>(std::size(kMigrations));
      if (version > latest) {
        throw Error(ErrorCode::kInternal,
                    fmt::format("database {} has schema version {}, newer than this binary's {}",
                                path.string(), version, latest));
      }
      for (int64_t v = version; v < latest; ++v) {
        c.Exec(kMigrations[v]);
        c.Exec(fmt::format("PRAGMA user_version = {}", v + 1).c_str());
      }
      c.Exec("COMMIT");
    } catch (...) {
      c.Exec("ROLLBACK");
      throw;
    }
  }
};

namespace {

class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(std::mutex& mutex, Connection& c) : lock_(mutex), c_(c) {
    c_.Exec("BEGIN IMMEDIATE");
  }
  ~SqliteTransaction() override {
    if (!done_) {
      try {
        c_.Exec("ROLLBACK");
      } catch (...) {
        // Nothing more to do: SQLite rolls back an unfinished transaction itself.
      }
    }
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

  void Delete(int64_t id) override {
    auto doomed = LoadAsset(c_, id);
    if (!doomed) throw Error(ErrorCode::kNotFound, fmt::format("asset {} does not exist", id));
    // Assets that list this one keep the entry as a title, so nothing dangles.
    std::vector<int64_t> referrers;
    {
      auto s = c_.Prepare("SELECT DISTINCT asset_id FROM asset_related WHERE related_id = ?1");
      s.Bind(1, id);
      while (s.Step()) referrers.push_back(s.Int(0));
    }
    const std::string title = doomed->translations.empty()
                                  ? fmt::format("#{}", id)
                                  : doomed->translations.begin()->second.title;
    c_.Prepare("UPDATE asset_related SET related_id = NULL, title = ?2 WHERE related_id = ?1")
        .Bind(1, id)
        .Bind(2, title)
        .Run();
    for (int64_t referrer : referrers) {
      if (referrer != id) AppendChange(c_, referrer, "put");
    }
    DeleteChildren(c_, id);
    c_.Prepare("DELETE FROM assets WHERE id = ?1").Bind(1, id).Run();
    AppendChange(c_, id, "delete");
  }

  void Commit() override {
    if (sqlite3_exec(c_.db(), "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      Fail(c_.db(), "commit");
    }
    done_ = true;
  }

 private:
  std::unique_lock<std::mutex> lock_;
  Connection& c_;
  bool done_ = false;
};

}  // namespace

SqliteStore::SqliteStore(const std::filesystem::path& path) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->writer = std::make_unique<Connection>(path);
  impl_->Migrate();
}

SqliteStore::~SqliteStore() = default;

int SqliteStore::SchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

std::unique_ptr<Transaction> SqliteStore::Begin() {
  return std::make_unique<SqliteTransaction>(impl_->writer_mutex, *impl_->writer);
}

std::optional<Asset> SqliteStore::Get(int64_t id) {
  Impl::Reader reader(*impl_);
  return LoadAsset(*reader, id);
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
    by_id[id] = Headline{id, s.Text(1), s.Text(2), s.Text(3),
                         content::ParseStatus(s.Text(4)).value_or(content::Status::kDraft)};
  }
  std::vector<Headline> out;
  for (int64_t id : ids) {
    if (auto it = by_id.find(id); it != by_id.end()) out.push_back(it->second);
  }
  return out;
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
  Impl::Reader reader(*impl_);
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
    for (const auto& asset : LoadAssets(c, ids)) visit(asset);
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
