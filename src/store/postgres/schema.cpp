#include "store/postgres/schema.h"

#include <fmt/format.h>

#include <iterator>
#include <string>

#include "core/error.h"

namespace assetpub::store::postgres {
namespace {

// Each entry moves the schema from version i to i+1. Append only; never edit a shipped one.
// Version 1 is SQLite's seven migrations at once (sqlite/schema.cpp says why each table and index
// is there), with these differences:
// - ids come from sequences (asset_ids; identity columns for accounts); the changes log's seq
//   from change_seqs, in commit order because content writers hold kWriterLock (store.h);
// - listings keeps the title itself instead of a collation key: lists sorted by title use the
//   server's own ICU collations (COLLATE "ru-x-icu"), so every node orders alike whatever ICU it
//   was built with, and no node rewrites keys;
// - list_counts is kept by one PL/pgSQL trigger function.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE SEQUENCE asset_ids;
CREATE TABLE assets (
  id           BIGINT  PRIMARY KEY,
  kind         TEXT    NOT NULL,
  status       TEXT    NOT NULL,
  published_at BIGINT  NOT NULL,
  time_zone    TEXT    NOT NULL,
  modified_at  BIGINT,
  expires_at   BIGINT,
  priority     INTEGER NOT NULL DEFAULT 0,
  view_count   BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX assets_by_status_date ON assets (status, published_at DESC, id DESC);
CREATE INDEX assets_by_date ON assets (published_at);
CREATE INDEX assets_by_views ON assets (view_count DESC, published_at DESC, id DESC);
CREATE INDEX assets_by_expiry ON assets (expires_at)
  WHERE expires_at IS NOT NULL AND status = 'published';

CREATE TABLE translations (
  asset_id     BIGINT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  language     TEXT   NOT NULL,
  primary_lang TEXT   NOT NULL,
  title        TEXT   NOT NULL,
  slug         TEXT   NOT NULL,
  place        TEXT   NOT NULL,
  summary      TEXT   NOT NULL,
  blocks       TEXT   NOT NULL,
  source       TEXT   NOT NULL,
  PRIMARY KEY (asset_id, language)
);
CREATE INDEX translations_by_title ON translations (title);

CREATE TABLE asset_languages (
  asset_id BIGINT  NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  language TEXT    NOT NULL,
  PRIMARY KEY (asset_id, position)
);
CREATE TABLE asset_people (
  asset_id BIGINT  NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name     TEXT    NOT NULL,
  slug     TEXT    NOT NULL,
  PRIMARY KEY (asset_id, position)
);
CREATE INDEX asset_people_by_name ON asset_people (name, asset_id);
CREATE INDEX asset_people_by_slug ON asset_people (slug, name);
CREATE TABLE asset_tags (
  asset_id BIGINT  NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  tag      TEXT    NOT NULL,
  slug     TEXT    NOT NULL,
  PRIMARY KEY (asset_id, position)
);
CREATE INDEX asset_tags_by_tag ON asset_tags (tag, asset_id);
CREATE INDEX asset_tags_by_slug ON asset_tags (slug, tag);
CREATE TABLE asset_categories (
  asset_id   BIGINT  NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  vocabulary TEXT    NOT NULL,
  position   INTEGER NOT NULL,
  term       TEXT    NOT NULL,
  PRIMARY KEY (asset_id, vocabulary, position)
);
CREATE INDEX asset_categories_by_term ON asset_categories (vocabulary, term, asset_id);
CREATE TABLE asset_related (
  asset_id   BIGINT  NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  related_id BIGINT  REFERENCES assets (id),
  title      TEXT,
  PRIMARY KEY (asset_id, position),
  CHECK ((related_id IS NULL) <> (title IS NULL))
);
CREATE INDEX asset_related_by_related ON asset_related (related_id, asset_id);
CREATE INDEX asset_related_by_title ON asset_related (title);
CREATE TABLE asset_media (
  asset_id BIGINT  NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  hash     TEXT    NOT NULL,
  type     TEXT    NOT NULL,
  name     TEXT    NOT NULL,
  bytes    BIGINT  NOT NULL,
  width    INTEGER NOT NULL,
  height   INTEGER NOT NULL,
  caption  TEXT    NOT NULL,
  PRIMARY KEY (asset_id, position)
);
CREATE INDEX asset_media_by_hash ON asset_media (hash);

CREATE TABLE listings (
  asset_id     BIGINT  NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  primary_lang TEXT    NOT NULL,
  language     TEXT    NOT NULL,
  lang_first   INTEGER NOT NULL,
  status       TEXT    NOT NULL,
  kind         TEXT    NOT NULL,
  published_at BIGINT  NOT NULL,
  title        TEXT    NOT NULL,
  PRIMARY KEY (asset_id, primary_lang, language)
);
CREATE INDEX listings_by_primary
  ON listings (primary_lang, lang_first, status, published_at DESC, asset_id DESC);
CREATE INDEX listings_by_language ON listings (language, status, published_at DESC, asset_id DESC);
CREATE TABLE list_counts (
  lang   TEXT   NOT NULL,
  status TEXT   NOT NULL,
  kind   TEXT   NOT NULL,
  n      BIGINT NOT NULL,
  PRIMARY KEY (lang, status, kind)
);
CREATE FUNCTION listings_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    IF OLD.lang_first = 1 THEN
      UPDATE list_counts SET n = n - 1
        WHERE lang = OLD.primary_lang AND status = OLD.status AND kind = OLD.kind;
    END IF;
    IF strpos(OLD.language, '-') > 0 THEN
      UPDATE list_counts SET n = n - 1
        WHERE lang = OLD.language AND status = OLD.status AND kind = OLD.kind;
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF NEW.lang_first = 1 THEN
      INSERT INTO list_counts (lang, status, kind, n) VALUES (NEW.primary_lang, NEW.status, NEW.kind, 1)
        ON CONFLICT (lang, status, kind) DO UPDATE SET n = list_counts.n + 1;
    END IF;
    IF strpos(NEW.language, '-') > 0 THEN
      INSERT INTO list_counts (lang, status, kind, n) VALUES (NEW.language, NEW.status, NEW.kind, 1)
        ON CONFLICT (lang, status, kind) DO UPDATE SET n = list_counts.n + 1;
    END IF;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER listings_count
  AFTER INSERT OR DELETE OR UPDATE OF primary_lang, language, lang_first, status, kind
  ON listings FOR EACH ROW EXECUTE FUNCTION listings_count();

CREATE TABLE listing_terms (
  vocabulary   TEXT   NOT NULL,
  term         TEXT   NOT NULL,
  lang         TEXT   NOT NULL,
  status       TEXT   NOT NULL,
  published_at BIGINT NOT NULL,
  asset_id     BIGINT NOT NULL,
  PRIMARY KEY (vocabulary, term, lang, status, published_at, asset_id)
);
CREATE INDEX listing_terms_by_asset ON listing_terms (asset_id);

CREATE SEQUENCE change_seqs;
CREATE TABLE changes (
  seq      BIGINT PRIMARY KEY DEFAULT nextval('change_seqs'),
  asset_id BIGINT NOT NULL,
  op       TEXT   NOT NULL CHECK (op IN ('put', 'delete')),
  at       BIGINT NOT NULL
);

CREATE TABLE users (
  id            BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name          TEXT    NOT NULL,
  name_key      TEXT    NOT NULL UNIQUE,
  role          TEXT    NOT NULL,
  password_hash TEXT    NOT NULL,
  disabled      BOOLEAN NOT NULL DEFAULT FALSE,
  created_at    BIGINT  NOT NULL,
  last_login_at BIGINT
);
CREATE TABLE api_tokens (
  id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  user_id      BIGINT NOT NULL REFERENCES users (id),
  name         TEXT   NOT NULL,
  hash         TEXT   NOT NULL UNIQUE,
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at   BIGINT
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);
CREATE TABLE sessions (
  id_hash      TEXT   NOT NULL PRIMARY KEY,
  user_id      BIGINT NOT NULL REFERENCES users (id),
  created_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  address      TEXT   NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
CREATE INDEX sessions_by_created ON sessions (created_at);
CREATE TABLE audit_log (
  id      BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  at      BIGINT NOT NULL,
  actor   TEXT   NOT NULL,
  action  TEXT   NOT NULL,
  target  TEXT   NOT NULL,
  address TEXT   NOT NULL,
  detail  TEXT   NOT NULL
);
CREATE INDEX audit_log_by_actor ON audit_log (actor, id);

CREATE TABLE revisions (
  asset_id BIGINT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  number   BIGINT NOT NULL,
  at       BIGINT NOT NULL,
  author   TEXT   NOT NULL,
  note     TEXT   NOT NULL,
  asset    TEXT   NOT NULL,
  PRIMARY KEY (asset_id, number)
);
CREATE TABLE revision_heads (
  asset_id BIGINT PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
  live     BIGINT NOT NULL
);

CREATE SEQUENCE media_seqs;
CREATE TABLE media (
  hash        TEXT    NOT NULL PRIMARY KEY,
  type        TEXT    NOT NULL,
  name        TEXT    NOT NULL,
  bytes       BIGINT  NOT NULL,
  width       INTEGER NOT NULL,
  height      INTEGER NOT NULL,
  uploaded_at BIGINT  NOT NULL,
  uploaded_by TEXT    NOT NULL,
  seq         BIGINT  NOT NULL UNIQUE DEFAULT nextval('media_seqs')
);
CREATE INDEX media_by_upload ON media (uploaded_at DESC, seq DESC);
)sql",
    // Media bytes (Store::PutBlob): the tables of SQLite's "Media bytes" migration
    // (sqlite/schema.cpp says why). Chunks are stored EXTERNAL (out of line, uncompressed): uploads
    // are mostly JPEG, PNG, MP4 and PDF, already compressed, which pglz would only spend time on.
    R"sql(
CREATE TABLE media_blobs (
  key    TEXT   NOT NULL PRIMARY KEY,
  size   BIGINT NOT NULL,
  sha256 TEXT   NOT NULL
);
CREATE TABLE media_chunks (
  key   TEXT    NOT NULL REFERENCES media_blobs (key) ON DELETE CASCADE,
  seq   INTEGER NOT NULL,
  bytes BYTEA   NOT NULL,
  PRIMARY KEY (key, seq)
);
ALTER TABLE media_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL;
)sql",
    // Failed logins, as SQLite's migration of the same table (sqlite/schema.cpp says why): the
    // nodes' rate limiters count in this one table, so failures on every node add up.
    R"sql(
CREATE TABLE login_failures (
  id  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key TEXT   NOT NULL,
  at  BIGINT NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at);
CREATE INDEX login_failures_by_at ON login_failures (at);
)sql",
    // Redirects, as SQLite's migration of the same table (sqlite/schema.cpp says why).
    R"sql(
CREATE TABLE redirects (
  path     TEXT   NOT NULL PRIMARY KEY,
  asset_id BIGINT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  language TEXT   NOT NULL
);
CREATE INDEX redirects_by_asset ON redirects (asset_id);
)sql",
    // A person's slug as a list term, as SQLite's migration of the same rows (sqlite/schema.cpp
    // says why).
    R"sql(
INSERT INTO listing_terms (vocabulary, term, lang, status, published_at, asset_id)
  SELECT 'person-slug', p.slug, l.primary_lang, l.status, l.published_at, l.asset_id
    FROM listings l JOIN asset_people p ON p.asset_id = l.asset_id WHERE l.lang_first = 1
  ON CONFLICT DO NOTHING;
)sql",
};

int64_t StoredVersion(Tx& tx) {
  auto exists = tx("SELECT to_regclass('meta') IS NOT NULL");
  if (!exists[0][0].as<bool>()) return 0;
  auto version = tx("SELECT value FROM meta WHERE key = 'schema_version'");
  return version.empty() ? 0 : std::stoll(version[0][0].c_str());
}

}  // namespace

int SchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

void Migrate(Connection& c) {
  Translate([&] {
    pqxx::work work(c.raw());
    Tx tx(c, work);
    tx("SELECT pg_advisory_xact_lock($1)", kMigrateLock);
    const int64_t version = StoredVersion(tx);
    const int64_t latest = SchemaVersion();
    if (version > latest) {
      throw Error(ErrorCode::kInternal,
                  fmt::format("the database has schema version {}, newer than this binary's {}: "
                              "upgrade assetpub before using it",
                              version, latest));
    }
    if (version == latest) return;
    for (int64_t v = version; v < latest; ++v) tx.Exec(kMigrations[v]);
    tx("INSERT INTO meta (key, value) VALUES ('schema_version', $1) "
       "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
       std::to_string(latest));
    work.commit();
  });
}

}  // namespace assetpub::store::postgres
