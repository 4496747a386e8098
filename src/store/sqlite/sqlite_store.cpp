#include "store/sqlite/sqlite_store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <variant>

#include "content/asset_json.h"
#include "content/collation.h"
#include "content/language.h"
#include "content/slug.h"
#include "core/error.h"
#include "store/sqlite/statement.h"

namespace assetpub::store::sqlite {
namespace {

using content::Asset;
using content::Instant;

class Connection;

// Each entry moves the schema from version i to i+1: its SQL, then (if any) a step in C++ for
// what SQL cannot compute (slugs, collation keys). Append only; never edit a shipped one.
struct Migration {
  const char* sql;
  void (*fill)(Connection& c);
};

void FillSlugs(Connection& c);

const Migration kMigrations[] = {
    {R"sql(
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
     nullptr},
    // Step 3 (publishers): lists selected, sorted and paged in SQL.
    // - listings: one narrow row per translation with what lists filter and sort on (copies of
    //   the asset's status, kind and published_at, kept by Put; the title's ICU collation key;
    //   lang_first, 1 for the asset's first translation by tag of its primary language, so a
    //   list in "en" has one row per asset). Lists, their order and their counts are served
    //   from its indexes without reading the wide translations rows (bodies overflow pages).
    //   sort_key is filled in C++ on open whenever the ICU collation version changes (meta).
    // - list_counts: how many listings each (language, status, kind) has, kept by triggers on
    //   listings in the same transaction, so the total of a list filtered only by language,
    //   status and kinds is a few rows' sum instead of a count over 100,000 index entries.
    //   `lang` is a primary subtag ("en": the lang_first listings) or a full tag ("en-GB").
    // - view_count for "most read" lists (AddViews; not a change).
    // - slugs of people and tags, for /{lang}/people/{slug}/ (filled in C++: FillSlugs).
    {R"sql(
ALTER TABLE assets ADD COLUMN view_count INTEGER NOT NULL DEFAULT 0;
CREATE INDEX assets_by_views ON assets (view_count DESC, published_at DESC, id DESC);

CREATE TABLE listings (
  asset_id     INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  primary_lang TEXT    NOT NULL,
  language     TEXT    NOT NULL,
  lang_first   INTEGER NOT NULL,
  status       TEXT    NOT NULL,
  kind         TEXT    NOT NULL,
  published_at INTEGER NOT NULL,
  sort_key     BLOB    NOT NULL,
  PRIMARY KEY (asset_id, primary_lang, language)
) WITHOUT ROWID;
CREATE TABLE list_counts (
  lang   TEXT    NOT NULL,
  status TEXT    NOT NULL,
  kind   TEXT    NOT NULL,
  n      INTEGER NOT NULL,
  PRIMARY KEY (lang, status, kind)
) WITHOUT ROWID;
CREATE TRIGGER listings_count_insert AFTER INSERT ON listings BEGIN
  INSERT INTO list_counts (lang, status, kind, n)
    SELECT NEW.primary_lang, NEW.status, NEW.kind, 1 WHERE NEW.lang_first = 1
    ON CONFLICT (lang, status, kind) DO UPDATE SET n = n + 1;
  INSERT INTO list_counts (lang, status, kind, n)
    SELECT NEW.language, NEW.status, NEW.kind, 1 WHERE instr(NEW.language, '-') > 0
    ON CONFLICT (lang, status, kind) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER listings_count_delete AFTER DELETE ON listings BEGIN
  UPDATE list_counts SET n = n - 1
    WHERE OLD.lang_first = 1 AND lang = OLD.primary_lang AND status = OLD.status
      AND kind = OLD.kind;
  UPDATE list_counts SET n = n - 1
    WHERE instr(OLD.language, '-') > 0 AND lang = OLD.language AND status = OLD.status
      AND kind = OLD.kind;
END;
CREATE TRIGGER listings_count_update
  AFTER UPDATE OF primary_lang, language, lang_first, status, kind ON listings BEGIN
  UPDATE list_counts SET n = n - 1
    WHERE OLD.lang_first = 1 AND lang = OLD.primary_lang AND status = OLD.status
      AND kind = OLD.kind;
  UPDATE list_counts SET n = n - 1
    WHERE instr(OLD.language, '-') > 0 AND lang = OLD.language AND status = OLD.status
      AND kind = OLD.kind;
  INSERT INTO list_counts (lang, status, kind, n)
    SELECT NEW.primary_lang, NEW.status, NEW.kind, 1 WHERE NEW.lang_first = 1
    ON CONFLICT (lang, status, kind) DO UPDATE SET n = n + 1;
  INSERT INTO list_counts (lang, status, kind, n)
    SELECT NEW.language, NEW.status, NEW.kind, 1 WHERE instr(NEW.language, '-') > 0
    ON CONFLICT (lang, status, kind) DO UPDATE SET n = n + 1;
END;
INSERT INTO listings
  SELECT t.asset_id, t.primary_lang, t.language,
         NOT EXISTS (SELECT 1 FROM translations o WHERE o.asset_id = t.asset_id
                     AND o.primary_lang = t.primary_lang AND o.language < t.language),
         a.status, a.kind, a.published_at, x''
  FROM translations t JOIN assets a ON a.id = t.asset_id;
CREATE INDEX listings_by_primary
  ON listings (primary_lang, lang_first, status, published_at DESC, asset_id DESC);
CREATE INDEX listings_by_language ON listings (language, status, published_at DESC, asset_id DESC);
CREATE INDEX listings_by_title ON listings (primary_lang, lang_first, status, sort_key);
DROP INDEX translations_by_language;

ALTER TABLE asset_people ADD COLUMN slug TEXT NOT NULL DEFAULT '';
ALTER TABLE asset_tags ADD COLUMN slug TEXT NOT NULL DEFAULT '';
DROP INDEX asset_people_by_name;
DROP INDEX asset_tags_by_tag;
CREATE INDEX asset_people_by_name ON asset_people (name, asset_id);
CREATE INDEX asset_tags_by_tag ON asset_tags (tag, asset_id);
CREATE INDEX asset_people_by_slug ON asset_people (slug, name);
CREATE INDEX asset_tags_by_slug ON asset_tags (slug, tag);
CREATE INDEX asset_categories_by_term ON asset_categories (vocabulary, term, asset_id);
CREATE INDEX asset_related_by_related ON asset_related (related_id, asset_id);
DROP INDEX asset_related_by_id;

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql",
     FillSlugs},
    // Lists of a tag, a person or a category term in a primary language (/{lang}/…):
    // listing_terms holds one row per (term, primary language, asset) for the lang_first
    // listings, with their status and published_at (kept by Put), so such a list, its order by
    // date and its count are one index range instead of one listings lookup per asset carrying
    // the term. `vocabulary` is "tag", "person" or "category:" + the categories' vocabulary.
    // Rows go with their asset through listing_terms_by_asset (DeleteChildren).
    {R"sql(
CREATE TABLE listing_terms (
  vocabulary   TEXT    NOT NULL,
  term         TEXT    NOT NULL,
  lang         TEXT    NOT NULL,
  status       TEXT    NOT NULL,
  published_at INTEGER NOT NULL,
  asset_id     INTEGER NOT NULL,
  PRIMARY KEY (vocabulary, term, lang, status, published_at, asset_id)
) WITHOUT ROWID;
CREATE INDEX listing_terms_by_asset ON listing_terms (asset_id);
INSERT OR IGNORE INTO listing_terms (vocabulary, term, lang, status, published_at, asset_id)
  SELECT 'tag', g.tag, l.primary_lang, l.status, l.published_at, l.asset_id
    FROM listings l JOIN asset_tags g ON g.asset_id = l.asset_id WHERE l.lang_first = 1
  UNION ALL
  SELECT 'person', p.name, l.primary_lang, l.status, l.published_at, l.asset_id
    FROM listings l JOIN asset_people p ON p.asset_id = l.asset_id WHERE l.lang_first = 1
  UNION ALL
  SELECT 'category:' || c.vocabulary, c.term, l.primary_lang, l.status, l.published_at,
         l.asset_id
    FROM listings l JOIN asset_categories c ON c.asset_id = l.asset_id WHERE l.lang_first = 1;
)sql",
     nullptr},
    // Step 4 (authoring): accounts (store/accounts.h, served by SqliteAccounts). Secrets are
    // stored only as hashes (api_tokens.hash, sessions.id_hash: unique, looked up by). User names
    // are unique by name_key, the ASCII-lowercased name. The audit log names its actor by text,
    // so an entry outlives renames. None of these tables feeds the content `changes` log.
    {R"sql(
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  name          TEXT    NOT NULL,
  name_key      TEXT    NOT NULL UNIQUE,
  role          TEXT    NOT NULL,
  password_hash TEXT    NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,
  last_login_at INTEGER
);
CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users (id),
  name         TEXT    NOT NULL,
  hash         TEXT    NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);
CREATE TABLE sessions (
  id_hash      TEXT    NOT NULL PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users (id),
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  address      TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
CREATE INDEX sessions_by_created ON sessions (created_at);
CREATE TABLE audit_log (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  at      INTEGER NOT NULL,
  actor   TEXT    NOT NULL,
  action  TEXT    NOT NULL,
  target  TEXT    NOT NULL,
  address TEXT    NOT NULL,
  detail  TEXT    NOT NULL
);
CREATE INDEX audit_log_by_actor ON audit_log (actor, id);
)sql",
     nullptr},
    // Step 4 (authoring): revisions (store.h, Revision). Each saved version of an asset is its
    // whole JSON (DESIGN.md §6), so a revision reads back exactly as saved whatever the tables
    // above become. revision_heads says which revision the assets row was written from. Both go
    // with their asset (ON DELETE CASCADE); Put updates the assets row in place, never deleting.
    // The scheduler asks for the earliest scheduled assets: assets_by_status_date serves it.
    {R"sql(
CREATE TABLE revisions (
  asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  number   INTEGER NOT NULL,
  at       INTEGER NOT NULL,
  author   TEXT    NOT NULL,
  note     TEXT    NOT NULL,
  asset    TEXT    NOT NULL,
  PRIMARY KEY (asset_id, number)
) WITHOUT ROWID;
CREATE TABLE revision_heads (
  asset_id INTEGER PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
  live     INTEGER NOT NULL
);
)sql",
     nullptr},
    // Step 4 (authoring): expiry. The scheduler asks every second for the published assets whose
    // expires_at has come (Expiring); this partial index holds only published assets with an
    // expiry, so that is a few index entries rather than a scan of every published asset.
    {R"sql(
CREATE INDEX assets_by_expiry ON assets (expires_at)
  WHERE expires_at IS NOT NULL AND status = 'published';
)sql",
     nullptr},
    // Step 4 (media): asset_media holds Asset::media (the files attached to an asset, in order),
    // written and read with the rest of the asset. media is the library (Store::AddMedia): one
    // row per distinct file, keyed by the SHA-256 of its bytes, which is also its name on disk.
    // An attachment does not reference the library: an export imports into a store whose
    // library is elsewhere; the write API checks attachments against the library instead.
    {R"sql(
CREATE TABLE asset_media (
  asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  hash     TEXT    NOT NULL,
  type     TEXT    NOT NULL,
  name     TEXT    NOT NULL,
  bytes    INTEGER NOT NULL,
  width    INTEGER NOT NULL,
  height   INTEGER NOT NULL,
  caption  TEXT    NOT NULL,
  PRIMARY KEY (asset_id, position)
);
CREATE INDEX asset_media_by_hash ON asset_media (hash);
CREATE TABLE media (
  hash        TEXT    NOT NULL PRIMARY KEY,
  type        TEXT    NOT NULL,
  name        TEXT    NOT NULL,
  bytes       INTEGER NOT NULL,
  width       INTEGER NOT NULL,
  height      INTEGER NOT NULL,
  uploaded_at INTEGER NOT NULL,
  uploaded_by TEXT    NOT NULL,
  seq         INTEGER NOT NULL UNIQUE  -- upload order, for "newest first" among equal seconds
);
CREATE INDEX media_by_upload ON media (uploaded_at DESC, seq DESC);
)sql",
     nullptr},
};

// One SQLite connection with its prepared-statement cache. Not thread-safe: one user at a time.
class Connection {
 public:
  explicit Connection(const std::filesystem::path& path)
      // A larger page cache than the 2 MiB default keeps the list indexes (listings, terms) of
      // a large store in memory: a tag list probes a few thousand listings at random.
      : db_(Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                 "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; "
                 "PRAGMA cache_size = -32768;")) {}
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    for (auto& [sql, stmt] : text_cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }

  void Exec(const char* sql) { sqlite::Exec(db_, sql); }

  Statement Prepare(const char* sql) { return Cached(cache_, sql, sql); }

  // For SQL built at run time (Select): cached by its text. The cache is bounded; it is
  // emptied when full, so no Statement from PrepareText may be alive across another call.
  Statement PrepareText(const std::string& sql) {
    if (text_cache_.size() >= kMaxTextStatements && !text_cache_.contains(sql)) {
      for (auto& [text, stmt] : text_cache_) sqlite3_finalize(stmt);
      text_cache_.clear();
    }
    return Cached(text_cache_, sql, sql.c_str());
  }

  sqlite3* db() { return db_; }

 private:
  static constexpr size_t kMaxTextStatements = 256;
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;  // keyed by the literal's address
  std::unordered_map<std::string, sqlite3_stmt*> text_cache_;

  // The statement `cache` holds under `key`, prepared from `sql` the first time.
  template <typename Cache, typename Key>
  Statement Cached(Cache& cache, const Key& key, const char* sql) {
    auto it = cache.find(key);
    if (it == cache.end()) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
          SQLITE_OK) {
        Fail(db_, sql);
      }
      it = cache.emplace(key, stmt).first;
    }
    return Statement(db_, it->second);
  }
};

std::string IdsJson(const std::vector<int64_t>& ids) { return nlohmann::json(ids).dump(); }

// Loads whole assets for `ids` with one query per table, whatever the number of ids (no N+1);
// without their translations' blocks when `with_bodies` is false. In the order of `ids`.
std::vector<Asset> LoadAssets(Connection& c, const std::vector<int64_t>& ids,
                              bool with_bodies = true) {
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
  // The ordered name lists: one column appended to one member.
  auto names = [&](const char* sql, std::vector<std::string> Asset::*member) {
    strings(sql, [member](Asset& a, Statement& s) { (a.*member).push_back(s.Text(1)); });
  };
  names(
      "SELECT asset_id, language FROM asset_languages "
      "WHERE asset_id IN (SELECT value FROM json_each(?1)) ORDER BY asset_id, position",
      &Asset::languages);
  names(
      "SELECT asset_id, name FROM asset_people "
      "WHERE asset_id IN (SELECT value FROM json_each(?1)) ORDER BY asset_id, position",
      &Asset::people);
  names(
      "SELECT asset_id, tag FROM asset_tags "
      "WHERE asset_id IN (SELECT value FROM json_each(?1)) ORDER BY asset_id, position",
      &Asset::tags);
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
      "SELECT asset_id, hash, type, name, bytes, width, height, caption FROM asset_media "
      "WHERE asset_id IN (SELECT value FROM json_each(?1)) ORDER BY asset_id, position",
      [](Asset& a, Statement& s) {
        content::MediaFile m;
        m.hash = s.Text(1);
        m.type = s.Text(2);
        m.name = s.Text(3);
        m.bytes = s.Int(4);
        m.width = static_cast<int>(s.Int(5));
        m.height = static_cast<int>(s.Int(6));
        m.caption = s.Text(7);
        a.media.push_back(std::move(m));
      });
  strings(with_bodies
              ? "SELECT asset_id, language, title, slug, place, summary, blocks, source FROM "
                "translations WHERE asset_id IN (SELECT value FROM json_each(?1)) "
                "ORDER BY asset_id, language"
              : "SELECT asset_id, language, title, slug, place, summary, '[]', source FROM "
                "translations WHERE asset_id IN (SELECT value FROM json_each(?1)) "
                "ORDER BY asset_id, language",
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

// The listing_terms rows of asset ?1, computed from its listings and terms.
#define ASSETPUB_ASSET_LISTING_TERMS                                                         \
  "SELECT 'tag', g.tag, l.primary_lang, l.status, l.published_at, l.asset_id "               \
  "FROM listings l, asset_tags g WHERE l.asset_id = ?1 AND l.lang_first = 1 "                \
  "AND g.asset_id = ?1 "                                                                     \
  "UNION ALL SELECT 'person', p.name, l.primary_lang, l.status, l.published_at, l.asset_id " \
  "FROM listings l, asset_people p WHERE l.asset_id = ?1 AND l.lang_first = 1 "              \
  "AND p.asset_id = ?1 "                                                                     \
  "UNION ALL SELECT 'category:' || c.vocabulary, c.term, l.primary_lang, l.status, "         \
  "l.published_at, l.asset_id "                                                              \
  "FROM listings l, asset_categories c WHERE l.asset_id = ?1 AND l.lang_first = 1 "          \
  "AND c.asset_id = ?1"

void DeleteChildren(Connection& c, int64_t id) {
  // First, while the listings and terms it is computed from are still there.
  // By asset_id (listing_terms_by_asset): a row-value IN over the computed terms scans the
  // whole table, which made every Put cost O(store size).
  c.Prepare("DELETE FROM listing_terms WHERE asset_id = ?1").Bind(1, id).Run();
  for (const char* sql :
       {"DELETE FROM translations WHERE asset_id = ?1", "DELETE FROM listings WHERE asset_id = ?1",
        "DELETE FROM asset_languages WHERE asset_id = ?1",
        "DELETE FROM asset_people WHERE asset_id = ?1",
        "DELETE FROM asset_tags WHERE asset_id = ?1",
        "DELETE FROM asset_categories WHERE asset_id = ?1",
        "DELETE FROM asset_related WHERE asset_id = ?1",
        "DELETE FROM asset_media WHERE asset_id = ?1"}) {
    c.Prepare(sql).Bind(1, id).Run();
  }
}

// Inserts people or tags with the slug of each name (NamesBySlug looks names up by it).
void InsertNames(Connection& c, const char* sql, int64_t id,
                 const std::vector<std::string>& items) {
  for (size_t i = 0; i < items.size(); ++i) {
    c.Prepare(sql)
        .Bind(1, id)
        .Bind(2, static_cast<int64_t>(i))
        .Bind(3, items[i])
        .Bind(4, content::MakeSlug(items[i]))
        .Run();
  }
}

void FillSlugs(Connection& c) {
  for (const char* table : {"asset_people", "asset_tags"}) {
    const std::string column = std::string(table) == "asset_people" ? "name" : "tag";
    std::vector<std::pair<int64_t, std::string>> rows;
    {
      auto s = c.PrepareText(fmt::format("SELECT rowid, {} FROM {}", column, table));
      while (s.Step()) rows.emplace_back(s.Int(0), s.Text(1));
    }
    const std::string update = fmt::format("UPDATE {} SET slug = ?2 WHERE rowid = ?1", table);
    for (const auto& [rowid, name] : rows) {
      c.PrepareText(update).Bind(1, rowid).Bind(2, content::MakeSlug(name)).Run();
    }
  }
}

// Recomputes every listing's sort_key: after the migration that added the table, and
// whenever ICU's collation version differs from the one the keys were made with.
void FillSortKeys(Connection& c) {
  std::vector<std::tuple<int64_t, std::string, std::string>> rows;
  {
    auto s = c.Prepare("SELECT asset_id, language, title FROM translations");
    while (s.Step()) rows.emplace_back(s.Int(0), s.Text(1), s.Text(2));
  }
  for (const auto& [id, language, title] : rows) {
    c.Prepare(
         "UPDATE listings SET sort_key = ?3 WHERE asset_id = ?1 AND primary_lang = ?4 AND "
         "language = ?2")
        .Bind(1, id)
        .Bind(2, language)
        .BindBlob(3, content::CollationKey(language, title))
        .Bind(4, content::PrimarySubtag(language))
        .Run();
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
  for (size_t i = 0; i < asset.languages.size(); ++i) {
    c.Prepare("INSERT INTO asset_languages (asset_id, position, language) VALUES (?1, ?2, ?3)")
        .Bind(1, id)
        .Bind(2, static_cast<int64_t>(i))
        .Bind(3, asset.languages[i])
        .Run();
  }
  InsertNames(c,
              "INSERT INTO asset_people (asset_id, position, name, slug) VALUES (?1, ?2, ?3, ?4)",
              id, asset.people);
  InsertNames(c, "INSERT INTO asset_tags (asset_id, position, tag, slug) VALUES (?1, ?2, ?3, ?4)",
              id, asset.tags);
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
  for (size_t i = 0; i < asset.media.size(); ++i) {
    const content::MediaFile& m = asset.media[i];
    c.Prepare(
         "INSERT INTO asset_media (asset_id, position, hash, type, name, bytes, width, height, "
         "caption) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .Bind(1, id)
        .Bind(2, static_cast<int64_t>(i))
        .Bind(3, m.hash)
        .Bind(4, m.type)
        .Bind(5, m.name)
        .Bind(6, m.bytes)
        .Bind(7, static_cast<int64_t>(m.width))
        .Bind(8, static_cast<int64_t>(m.height))
        .Bind(9, m.caption)
        .Run();
  }
  std::set<std::string> primaries_seen;  // translations is a map: tags come in order
  for (const auto& [tag, t] : asset.translations) {
    nlohmann::ordered_json blocks = nlohmann::ordered_json::array();
    for (const auto& block : t.blocks) blocks.push_back(content::ToJson(block));
    const std::string primary = content::PrimarySubtag(tag);
    const bool lang_first = primaries_seen.insert(primary).second;
    c.Prepare(
         "INSERT INTO translations (asset_id, language, primary_lang, title, slug, place, summary, "
         "blocks, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .Bind(1, id)
        .Bind(2, tag)
        .Bind(3, primary)
        .Bind(4, t.title)
        .Bind(5, t.slug)
        .Bind(6, t.place)
        .Bind(7, t.summary)
        .Bind(8, blocks.dump())
        .Bind(9, t.source)
        .Run();
    c.Prepare(
         "INSERT INTO listings (asset_id, primary_lang, language, lang_first, status, kind, "
         "published_at, sort_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
        .Bind(1, id)
        .Bind(2, primary)
        .Bind(3, tag)
        .Bind(4, int64_t{lang_first ? 1 : 0})
        .Bind(5, content::StatusName(asset.status))
        .Bind(6, content::KindName(asset.kind))
        .Bind(7, asset.published_at.seconds)
        .BindBlob(8, content::CollationKey(tag, t.title))
        .Run();
  }
  c.Prepare(
       "INSERT OR IGNORE INTO listing_terms (vocabulary, term, lang, status, published_at, "
       "asset_id) " ASSETPUB_ASSET_LISTING_TERMS)
      .Bind(1, id)
      .Run();
  AppendChange(c, id, "put");
  return id;
}

// --- Revisions --------------------------------------------------------------------------------

int64_t LatestRevision(Connection& c, int64_t id) {
  auto s = c.Prepare("SELECT COALESCE(MAX(number), 0) FROM revisions WHERE asset_id = ?1");
  s.Bind(1, id).Step();
  return s.Int(0);
}

RevisionHead LoadHead(Connection& c, int64_t id) {
  RevisionHead head;
  head.latest = LatestRevision(c, id);
  auto s = c.Prepare("SELECT live FROM revision_heads WHERE asset_id = ?1");
  if (s.Bind(1, id).Step()) head.live = s.Int(0);
  return head;
}

int64_t InsertRevision(Connection& c, Revision& revision) {
  if (!revision.asset) throw Error(ErrorCode::kInternal, "AddRevision: a revision needs an asset");
  {
    auto s = c.Prepare("SELECT 1 FROM assets WHERE id = ?1");
    if (!s.Bind(1, revision.asset_id).Step()) {
      throw Error(ErrorCode::kNotFound, fmt::format("asset {} does not exist", revision.asset_id));
    }
  }
  revision.number = LatestRevision(c, revision.asset_id) + 1;
  c.Prepare(
       "INSERT INTO revisions (asset_id, number, at, author, note, asset) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .Bind(1, revision.asset_id)
      .Bind(2, revision.number)
      .Bind(3, revision.at.seconds)
      .Bind(4, revision.author)
      .Bind(5, revision.note)
      .Bind(6, content::ToJson(*revision.asset).dump())
      .Run();
  return revision.number;
}

std::optional<Revision> LoadRevision(Connection& c, int64_t id, int64_t number) {
  if (number == 0) number = LatestRevision(c, id);
  auto s = c.Prepare(
      "SELECT at, author, note, asset FROM revisions WHERE asset_id = ?1 AND number = ?2");
  if (!s.Bind(1, id).Bind(2, number).Step()) return std::nullopt;
  Revision revision;
  revision.asset_id = id;
  revision.number = number;
  revision.at = Instant{s.Int(0)};
  revision.author = s.Text(1);
  revision.note = s.Text(2);
  // Written only by InsertRevision from a stored asset: a parse failure is a broken store.
  revision.asset = content::AssetFromJson(nlohmann::json::parse(s.Text(3)));
  return revision;
}

std::vector<Revision> ListRevisions(Connection& c, int64_t id) {
  std::vector<Revision> out;
  auto s = c.Prepare(
      "SELECT number, at, author, note FROM revisions WHERE asset_id = ?1 ORDER BY number DESC");
  s.Bind(1, id);
  while (s.Step()) {
    Revision revision;
    revision.asset_id = id;
    revision.number = s.Int(0);
    revision.at = Instant{s.Int(1)};
    revision.author = s.Text(2);
    revision.note = s.Text(3);
    out.push_back(std::move(revision));
  }
  return out;
}

std::vector<std::pair<int64_t, Instant>> LoadScheduled(Connection& c, int64_t limit) {
  std::vector<std::pair<int64_t, Instant>> out;
  if (limit < 1) return out;
  auto s = c.Prepare(
      "SELECT id, published_at FROM assets WHERE status = 'scheduled' "
      "ORDER BY published_at, id LIMIT ?1");
  s.Bind(1, limit);
  while (s.Step()) out.emplace_back(s.Int(0), Instant{s.Int(1)});
  return out;
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

  void Migrate() {
    Connection& c = *writer;
    c.Exec("PRAGMA journal_mode = WAL;");
    c.Exec("BEGIN IMMEDIATE");
    try {
      int64_t version = 0;
      {
        // Reset before migrating: DROP INDEX fails while a statement is still reading.
        auto s = c.Prepare("PRAGMA user_version");
        s.Step();
        version = s.Int(0);
      }
      const int64_t latest = static_cast<int64_t>(std::size(kMigrations));
      if (version > latest) {
        throw Error(ErrorCode::kInternal,
                    fmt::format("database {} has schema version {}, newer than this binary's {}",
                                path.string(), version, latest));
      }
      for (int64_t v = version; v < latest; ++v) {
        c.Exec(kMigrations[v].sql);
        if (kMigrations[v].fill != nullptr) kMigrations[v].fill(c);
        c.Exec(fmt::format("PRAGMA user_version = {}", v + 1).c_str());
      }
      // Collation keys are only comparable when made by the same ICU collation data.
      const std::string collation = content::CollationVersion();
      bool current = false;
      {
        auto stored = c.Prepare("SELECT value FROM meta WHERE key = 'collation_version'");
        current = stored.Step() && stored.Text(0) == collation;
      }
      if (!current) {
        FillSortKeys(c);
        c.Prepare(
             "INSERT INTO meta (key, value) VALUES ('collation_version', ?1) "
             "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .Bind(1, collation)
            .Run();
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

  int64_t AddRevision(Revision& revision) override { return InsertRevision(c_, revision); }
  std::optional<Revision> GetRevision(int64_t id, int64_t number) override {
    return LoadRevision(c_, id, number);
  }
  std::vector<Revision> Revisions(int64_t id) override { return ListRevisions(c_, id); }
  RevisionHead Head(int64_t id) override { return LoadHead(c_, id); }
  void SetLiveRevision(int64_t id, int64_t number) override {
    auto s = c_.Prepare("SELECT 1 FROM revisions WHERE asset_id = ?1 AND number = ?2");
    if (!s.Bind(1, id).Bind(2, number).Step()) {
      throw Error(ErrorCode::kNotFound, fmt::format("asset {} has no revision {}", id, number));
    }
    c_.Prepare(
          "INSERT INTO revision_heads (asset_id, live) VALUES (?1, ?2) "
          "ON CONFLICT (asset_id) DO UPDATE SET live = excluded.live")
        .Bind(1, id)
        .Bind(2, number)
        .Run();
  }
  std::vector<std::pair<int64_t, Instant>> Scheduled(int64_t limit) override {
    return LoadScheduled(c_, limit);
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

namespace {

constexpr const char* kMediaColumns =
    "hash, type, name, bytes, width, height, uploaded_at, uploaded_by";

MediaRecord ReadMediaRecord(const Statement& s) {
  MediaRecord r;
  r.file.hash = s.Text(0);
  r.file.type = s.Text(1);
  r.file.name = s.Text(2);
  r.file.bytes = s.Int(3);
  r.file.width = static_cast<int>(s.Int(4));
  r.file.height = static_cast<int>(s.Int(5));
  r.uploaded_at = Instant{s.Int(6)};
  r.uploaded_by = s.Text(7);
  return r;
}

}  // namespace

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
  return sqlite3_changes(c.db()) > 0;
}

std::optional<MediaRecord> SqliteStore::FindMedia(std::string_view hash) {
  Impl::Reader reader(*impl_);
  static const std::string sql = fmt::format("SELECT {} FROM media WHERE hash = ?1", kMediaColumns);
  auto s = (*reader).Prepare(sql.c_str());
  s.Bind(1, hash);
  if (!s.Step()) return std::nullopt;
  return ReadMediaRecord(s);
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

namespace {

// A query's text and its parameters, built together so each value is bound, never spliced.
class SqlBuilder {
 public:
  using Value = std::variant<int64_t, std::string>;

  // Appends `value` as a parameter and returns its placeholder ("?7").
  std::string Param(Value value) {
    params_.push_back(std::move(value));
    return fmt::format("?{}", params_.size());
  }
  std::string List(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "" : ", ") + Param(v);
    return out;
  }
  // Binds every parameter the statement uses (a query may leave some out, e.g. a term set it
  // reads from listing_terms rather than from the term table).
  void BindAll(Statement& s) const {
    for (size_t i = 0; i < params_.size() && static_cast<int>(i) < s.ParamCount(); ++i) {
      const int index = static_cast<int>(i) + 1;
      if (const auto* number = std::get_if<int64_t>(&params_[i])) {
        s.Bind(index, *number);
      } else {
        s.Bind(index, std::get<std::string>(params_[i]));
      }
    }
  }

 private:
  std::vector<Value> params_;
};

// The condition on listing `t` for "has a translation in `language`", one row per asset: a
// full tag matches that tag; a primary subtag matches the asset's first translation (by tag) of
// that language (lang_first), so an asset with en-GB and en-US counts once for "en". Plus the
// status, when given. `by_asset`: the query reaches `t` from asset ids (a term's assets, manual
// ids, assets by views), so the unary `+` keeps SQLite from preferring a list index (more
// equal columns) over the primary key (asset_id, primary_lang, language).
std::string ListingCondition(SqlBuilder& b, std::string_view language,
                             const std::optional<content::Status>& status, bool by_asset) {
  const std::string plus = by_asset ? "+" : "";
  std::string sql;
  if (language.find('-') == std::string_view::npos) {
    sql = fmt::format("t.primary_lang = {} AND {}t.lang_first = 1",
                      b.Param(content::PrimarySubtag(language)), plus);
  } else {
    const std::string tag = content::CanonicalLanguageTag(language).value_or(std::string(language));
    // The primary subtag is implied, but naming it lets a lookup by asset use the whole key.
    sql = fmt::format("t.primary_lang = {} AND t.language = {}",
                      b.Param(content::PrimarySubtag(tag)), b.Param(tag));
  }
  if (status) {
    sql += fmt::format(" AND {}t.status = {}", plus,
                       b.Param(std::string(content::StatusName(*status))));
  }
  return sql;
}

// The term set a list starts from (see TermConditions): its listing_terms vocabulary key and
// the terms, any of which qualifies.
struct Driver {
  std::string vocabulary;  // in listing_terms
  std::vector<std::string> terms;
  std::string ids_sql;  // the same set from the term table, for lists in a full language tag
  bool empty() const { return terms.empty(); }
};

// Conditions on asset `t.asset_id` for a TermFilter over `table`'s `column` (with the
// vocabulary of categories). The first positive term set of a selection (an `all` term, else the
// `any` set) becomes `driver` instead, when `driver` is still empty: the query starts from that
// term's rows of listing_terms (already limited to the list's language and status), so a list
// of a tag or a person reads only the assets carrying it.
void TermConditions(SqlBuilder& b, std::vector<std::string>& where, Driver& driver,
                    const TermFilter& filter, const std::string& table, const std::string& column,
                    const std::string& driver_vocabulary,
                    const std::optional<std::string>& vocabulary) {
  auto ids = [&](const std::string& terms) {
    return fmt::format("SELECT asset_id FROM {} WHERE {} IN ({}){}", table, column, terms,
                       vocabulary ? " AND vocabulary = " + b.Param(*vocabulary) : "");
  };
  size_t first_all = 0;
  if (driver.empty() && !filter.all.empty()) {
    driver = {driver_vocabulary, {filter.all.front()}, ids(b.Param(filter.all.front()))};
    first_all = 1;
  }
  if (!filter.any.empty()) {
    if (driver.empty()) {
      driver = {driver_vocabulary, filter.any, ids(b.List(filter.any))};
    } else {
      where.push_back("t.asset_id IN (" + ids(b.List(filter.any)) + ")");
    }
  }
  for (size_t i = first_all; i < filter.all.size(); ++i) {
    where.push_back("t.asset_id IN (" + ids(b.Param(filter.all[i])) + ")");
  }
  if (!filter.none.empty()) {
    where.push_back("t.asset_id NOT IN (" + ids(b.List(filter.none)) + ")");
  }
}

// The key of list_counts and listing_terms for a list language: a primary subtag as given
// (lower-cased), a full tag in canonical form.
std::string LangKey(std::string_view language) {
  return language.find('-') == std::string_view::npos
             ? content::PrimarySubtag(language)
             : content::CanonicalLanguageTag(language).value_or(std::string(language));
}

// content::AllKinds() order as an SQL expression over t.kind.
std::string KindOrdinal() {
  std::string sql = "CASE t.kind";
  int ordinal = 0;
  for (content::Kind kind : content::AllKinds()) {
    sql += fmt::format(" WHEN '{}' THEN {}", content::KindName(kind), ordinal++);
  }
  return sql + " END";
}

// The sum of list_counts for a list filtered by nothing but language, status and kinds.
std::pair<std::string, SqlBuilder> CountsSql(std::string_view language,
                                             const std::optional<content::Status>& status,
                                             const std::vector<content::Kind>& kinds) {
  SqlBuilder b;
  std::string sql =
      "SELECT COALESCE(SUM(n), 0) FROM list_counts WHERE lang = " + b.Param(LangKey(language));
  if (status) sql += " AND status = " + b.Param(std::string(content::StatusName(*status)));
  if (!kinds.empty()) {
    std::vector<std::string> names;
    for (content::Kind kind : kinds) names.emplace_back(content::KindName(kind));
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    sql += " AND kind IN (" + b.List(names) + ")";
  }
  return {sql, b};
}

// The SQL of a Selection, with its parameters: the page's query (ids in order, with LIMIT and
// OFFSET) or, when `count`, the query counting every match.
std::pair<std::string, SqlBuilder> SelectSql(const Selection& selection, bool count) {
  SqlBuilder b;
  std::string from = "listings t";
  std::vector<std::string> where;
  std::string order;
  bool by_asset = false;  // `t` is reached from asset ids (see ListingCondition)
  if (count && !selection.ids && selection.tags.empty() && selection.people.empty() &&
      std::all_of(selection.categories.begin(), selection.categories.end(),
                  [](const auto& entry) { return entry.second.empty(); }) &&
      !selection.from && !selection.to) {
    return CountsSql(selection.language, selection.status, selection.kinds);
  }
  if (selection.ids) {
    // Manual selection: the list's own order, each id once (its first place).
    std::vector<int64_t> unique;
    std::set<int64_t> seen;
    for (int64_t id : *selection.ids) {
      if (seen.insert(id).second) unique.push_back(id);
    }
    from = "json_each(" + b.Param(IdsJson(unique)) + ") j CROSS JOIN listings t";
    where.push_back("t.asset_id = j.value");
    by_asset = true;
    order = "j.key";
  } else {
    Driver driver;
    TermConditions(b, where, driver, selection.tags, "asset_tags", "tag", "tag", std::nullopt);
    TermConditions(b, where, driver, selection.people, "asset_people", "name", "person",
                   std::nullopt);
    for (const auto& [vocabulary, filter] : selection.categories) {
      TermConditions(b, where, driver, filter, "asset_categories", "term", "category:" + vocabulary,
                     vocabulary);
    }
    // The driver's rows of listing_terms: its terms in the list's language and status (for a
    // primary language; lists in a full tag start from the term table's asset ids instead).
    std::string terms_where;
    const bool primary = selection.language.find('-') == std::string::npos;
    if (!driver.empty() && primary) {
      terms_where = fmt::format("d.vocabulary = {} AND d.term IN ({}) AND d.lang = {}",
                                b.Param(driver.vocabulary), b.List(driver.terms),
                                b.Param(LangKey(selection.language)));
      if (selection.status) {
        terms_where +=
            " AND d.status = " + b.Param(std::string(content::StatusName(*selection.status)));
      }
      if (selection.from)
        terms_where += " AND d.published_at >= " + b.Param(selection.from->seconds);
      if (selection.to) terms_where += " AND d.published_at < " + b.Param(selection.to->seconds);
      // Nothing but the term set, newest first: listing_terms alone answers (one index range).
      const bool by_date = selection.order.empty() ||
                           (selection.order.size() == 1 &&
                            selection.order.front() == SortOrder{SortKey::kPublished, true});
      if (where.empty() && selection.kinds.empty() && by_date) {
        const bool one_term = driver.terms.size() == 1;
        if (count) {
          return {fmt::format("SELECT COUNT({}) FROM listing_terms d WHERE {}",
                              one_term ? "*" : "DISTINCT d.asset_id", terms_where),
                  b};
        }
        const std::string limit = b.Param(selection.limit);
        const std::string offset = b.Param(selection.offset);
        return {fmt::format("SELECT {} FROM listing_terms d WHERE {} ORDER BY "
                            "d.published_at DESC, d.asset_id DESC LIMIT {} OFFSET {}",
                            one_term ? "d.asset_id" : "DISTINCT d.asset_id, d.published_at",
                            terms_where, limit, offset),
                b};
      }
    }
    if (!selection.kinds.empty()) {
      std::vector<std::string> names;
      for (content::Kind kind : selection.kinds) names.emplace_back(content::KindName(kind));
      where.push_back("t.kind IN (" + b.List(names) + ")");
    }
    if (selection.from) where.push_back("t.published_at >= " + b.Param(selection.from->seconds));
    if (selection.to) where.push_back("t.published_at < " + b.Param(selection.to->seconds));

    bool needs_assets = false;  // the join to assets, only when a sort key needs it
    for (size_t k = 0; k < selection.order.size(); ++k) {
      const SortOrder& key = selection.order[k];
      // "published desc" as the last key is the tie-break's own start: written twice, SQLite
      // no longer walks the date index in order and sorts every match instead (a publisher
      // page 500 of 100k: 4 ms instead of 0.8).
      if (k + 1 == selection.order.size() && key == SortOrder{SortKey::kPublished, true}) break;
      std::string expression;
      switch (key.key) {
        case SortKey::kPublished:
          expression = "t.published_at";
          break;
        case SortKey::kModified:
          expression = "COALESCE(a.modified_at, t.published_at)";
          needs_assets = true;
          break;
        case SortKey::kTitle:
          expression = "t.sort_key";
          break;
        case SortKey::kPriority:
          expression = "a.priority";
          needs_assets = true;
          break;
        case SortKey::kViews:
          expression = "a.view_count";
          needs_assets = true;
          break;
        case SortKey::kKind:
          expression = KindOrdinal();
          break;
      }
      order += expression + (key.descending ? " DESC, " : " ASC, ");
    }
    // With assets joined, the same tie-breaks from their row, so the index on assets
    // (view_count, published_at, id) gives "most read" in order.
    order +=
        needs_assets ? "a.published_at DESC, a.id DESC" : "t.published_at DESC, t.asset_id DESC";
    if (count) needs_assets = false;  // the join to assets never changes what matches

    if (!driver.empty()) {
      // CROSS JOIN keeps SQLite from reordering: the term's assets first, then sorted.
      from = primary ? "(SELECT DISTINCT d.asset_id FROM listing_terms d WHERE " + terms_where +
                           ") d CROSS JOIN listings t"
                     : "(SELECT DISTINCT asset_id FROM (" + driver.ids_sql +
                           ")) d CROSS JOIN listings t";
      where.push_back("t.asset_id = d.asset_id");
      by_asset = true;
      if (needs_assets) from += " JOIN assets a ON a.id = t.asset_id";
    } else if (needs_assets && selection.order.front().key == SortKey::kViews) {
      // "Most read": walk assets by views and stop at the page; each asset's listing by key.
      from = "assets a CROSS JOIN listings t";
      where.push_back("t.asset_id = a.id");
      by_asset = true;
    } else if (needs_assets) {
      from += " JOIN assets a ON a.id = t.asset_id";
    }
  }
  where.push_back(ListingCondition(b, selection.language, selection.status, by_asset));
  std::string condition;
  for (const auto& w : where) condition += (condition.empty() ? "" : " AND ") + w;
  if (count) return {fmt::format("SELECT COUNT(*) FROM {} WHERE {}", from, condition), b};
  const std::string limit = b.Param(selection.limit);
  const std::string offset = b.Param(selection.offset);
  return {fmt::format("SELECT t.asset_id FROM {} WHERE {} ORDER BY {} LIMIT {} OFFSET {}", from,
                      condition, order, limit, offset),
          b};
}

}  // namespace

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
    const auto [sql, params] = SelectSql(selection, true);
    auto s = c.PrepareText(sql);
    params.BindAll(s);
    s.Step();
    page.total = s.Int(0);
  }
  std::vector<int64_t> ids;
  {
    const auto [sql, params] = SelectSql(selection, false);
    auto s = c.PrepareText(sql);
    params.BindAll(s);
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
  auto s = (*reader).Prepare(vocabulary == Vocabulary::kPeople
                                 ? "SELECT DISTINCT n.name FROM asset_people n JOIN assets a "
                                   "ON a.id = n.asset_id WHERE n.slug = ?1 AND a.status = "
                                   "'published' ORDER BY n.name"
                                 : "SELECT DISTINCT n.tag FROM asset_tags n JOIN assets a "
                                   "ON a.id = n.asset_id WHERE n.slug = ?1 AND a.status = "
                                   "'published' ORDER BY n.tag");
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
  const auto [sql, params] = CountsSql(language, content::Status::kPublished, {});
  auto s = (*reader).PrepareText(sql);
  params.BindAll(s);
  s.Step();
  return s.Int(0);
}

void SqliteStore::AddViews(const std::vector<std::pair<int64_t, int64_t>>& views) {
  if (views.empty()) return;
  std::lock_guard lock(impl_->writer_mutex);
  Connection& c = *impl_->writer;
  c.Exec("BEGIN IMMEDIATE");
  try {
    for (const auto& [id, count] : views) {
      if (count <= 0) continue;
      c.Prepare("UPDATE assets SET view_count = view_count + ?2 WHERE id = ?1")
          .Bind(1, id)
          .Bind(2, count)
          .Run();
    }
    if (sqlite3_exec(c.db(), "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      Fail(c.db(), "commit");
    }
  } catch (...) {
    sqlite3_exec(c.db(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
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
