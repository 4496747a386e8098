#include "store/sqlite/schema.h"

#include <fmt/format.h>

#include <iterator>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "content/collation.h"
#include "content/language.h"
#include "content/slug.h"
#include "core/error.h"
#include "store/sql/list_tables.h"
#include "store/sqlite/connection.h"

namespace assetpub::store::sqlite {
namespace {

// Each entry moves the schema from version i to i+1: its SQL, then (if any) a step in C++ for
// what SQL cannot compute (slugs, collation keys). Append only; never edit a shipped one.
struct Migration {
  const char* sql;
  void (*fill)(Connection& c);
};

void FillSlugs(Connection& c);
void FillListingTerms(Connection& c);

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
    // Lists (publishers' pages, tags, people) selected, sorted and paged in SQL, never in memory.
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
)sql",
     FillListingTerms},
    // Accounts (store/accounts.h, served by SqliteAccounts). Secrets are stored only as hashes
    // (api_tokens.hash, sessions.id_hash: unique, looked up by). User names are unique by
    // name_key, the ASCII-lowercased name. The audit log names its actor by text, so an entry
    // outlives renames. None of these tables feeds the content `changes` log.
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
    // Revisions (store.h, Revision), for the authoring workflow. Each saved version of an asset is
    // its whole JSON (DESIGN.md §6), so a revision reads back exactly as saved whatever the tables
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
    // Expiry. The scheduler asks every second for the published assets whose expires_at has come
    // (Expiring); this partial index holds only published assets with an expiry, so that is a few
    // index entries rather than a scan of every published asset.
    {R"sql(
CREATE INDEX assets_by_expiry ON assets (expires_at)
  WHERE expires_at IS NOT NULL AND status = 'published';
)sql",
     nullptr},
    // Media: asset_media holds Asset::media (the files attached to an asset, in order), written
    // and read with the rest of the asset. media is the library (Store::AddMedia): one row per
    // distinct file, keyed by the SHA-256 of its bytes, which is also its name on disk. An
    // attachment does not reference the library: an export imports into a store whose library is
    // elsewhere; the write API checks attachments against the library instead.
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
    // Media bytes (Store::PutBlob): the files themselves, so that every node sharing a store can
    // serve every upload (DATA/media is each node's cache of them). media_blobs holds a blob's
    // size and declared SHA-256, media_chunks its bytes in chunks of kBlobChunkBytes, so neither
    // a write nor a read holds a whole file. Keyed by the file's relative path
    // ("ab/<hash>.png", "ab/<hash>-320.jpg"), not by the library's hash: a thumbnail is a blob of
    // its own. A rowid table, not WITHOUT ROWID: SQLite advises against that for large rows.
    {R"sql(
CREATE TABLE media_blobs (
  key    TEXT    NOT NULL PRIMARY KEY,
  size   INTEGER NOT NULL,
  sha256 TEXT    NOT NULL
);
CREATE TABLE media_chunks (
  key   TEXT    NOT NULL REFERENCES media_blobs (key) ON DELETE CASCADE,
  seq   INTEGER NOT NULL,
  bytes BLOB    NOT NULL,
  PRIMARY KEY (key, seq)
);
)sql",
     nullptr},
    // Failed logins (Accounts::RecordLoginFailure), counted by auth/'s rate limiter in the
    // database rather than in each process, so that every node of a store counts them together.
    // A row per failure and key (one key's failures in the same second are several rows);
    // CountLoginFailures reads a key's newest rows from login_failures_by_key, and the limiter
    // prunes the rows its window has passed through login_failures_by_at.
    {R"sql(
CREATE TABLE login_failures (
  id  INTEGER PRIMARY KEY,
  key TEXT    NOT NULL,
  at  INTEGER NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at);
CREATE INDEX login_failures_by_at ON login_failures (at);
)sql",
     nullptr},
    // Redirects (Transaction::PutRedirect, Store::FindRedirect): an item's old addresses, kept
    // when a site moves here (a WordPress import's permalinks), answered with a 301. Looked up
    // by the whole path; removed with their asset.
    {R"sql(
CREATE TABLE redirects (
  path     TEXT    NOT NULL PRIMARY KEY,
  asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  language TEXT    NOT NULL
);
CREATE INDEX redirects_by_asset ON redirects (asset_id);
)sql",
     nullptr},
    // A person's page lists the names that share its slug ("Sergey Lavrov", "Сергей Лавров"):
    // listing_terms rows of vocabulary "person-slug" make that one term, so its count is one
    // index range instead of a DISTINCT over both names' assets (docs/performance.md, "A million
    // items"). Put keeps them from now on (sql/list_tables.h).
    {R"sql(
INSERT OR IGNORE INTO listing_terms (vocabulary, term, lang, status, published_at, asset_id)
  SELECT 'person-slug', p.slug, l.primary_lang, l.status, l.published_at, l.asset_id
    FROM listings l JOIN asset_people p ON p.asset_id = l.asset_id WHERE l.lang_first = 1;
)sql",
     nullptr},
};

// Fills the slugs of people and tags (NamesBySlug looks names up by them) in rows written before
// the slug columns existed.
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

// Fills listing_terms from the listings and term tables (after the migration that added it, and
// when a copy's list tables are rebuilt).
void FillListingTerms(Connection& c) {
  c.Exec(
      fmt::format("INSERT OR IGNORE INTO {} {};", sql::kListingTermsColumns, sql::kListingTermsRows)
          .c_str());
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

}  // namespace

void RebuildLists(Connection& c) {
  c.Exec(R"sql(
INSERT INTO listings (asset_id, primary_lang, language, lang_first, status, kind, published_at,
                      sort_key)
  SELECT t.asset_id, t.primary_lang, t.language,
         NOT EXISTS (SELECT 1 FROM translations o WHERE o.asset_id = t.asset_id
                     AND o.primary_lang = t.primary_lang AND o.language < t.language),
         a.status, a.kind, a.published_at, x''
  FROM translations t JOIN assets a ON a.id = t.asset_id;
)sql");
  FillListingTerms(c);
  FillSortKeys(c);
}

int SchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

void Migrate(Connection& c, const std::filesystem::path& path) {
  c.Exec("PRAGMA journal_mode = WAL;");
  c.Write([&] {
    int64_t version = 0;
    {
      // Reset before migrating: DROP INDEX fails while a statement is still reading.
      auto s = c.Prepare("PRAGMA user_version");
      s.Step();
      version = s.Int(0);
    }
    const int64_t latest = SchemaVersion();
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
  });
}

}  // namespace assetpub::store::sqlite
