// Tests of the SQLite backend's own concerns (the shared behaviour is in
// store_conformance_test.cpp): migrating databases written by earlier versions, and rows damaged
// behind the store's back.
#include "store/sqlite/sqlite_store.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "content/asset.h"
#include "content/instant.h"
#include "core/error.h"
#include "support/temp_dir.h"

namespace assetpub::store::sqlite {
namespace {

// The schema as version 1 shipped it, kept here verbatim so the test keeps meaning what it says
// when the store's migrations move on.
constexpr const char* kVersion1Schema = R"sql(
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
  blocks       TEXT    NOT NULL,
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
PRAGMA user_version = 1;
)sql";

// Three assets as version 1 wrote them: 1 and 2 bilingual, 3 a Russian-only draft; 2 lists 1.
constexpr const char* kVersion1Rows = R"sql(
INSERT INTO assets VALUES (1, 'speech', 'published', 1370608140, 'Europe/Moscow', NULL, NULL, 0);
INSERT INTO assets VALUES (2, 'transcript', 'published', 1370694540, 'Europe/Moscow', NULL, NULL, 0);
INSERT INTO assets VALUES (3, 'comment', 'draft', 1370780940, 'Europe/Moscow', NULL, NULL, 0);
INSERT INTO translations VALUES
  (1, 'en-GB', 'en', 'Zebra crossing', 'zebra-crossing', '', '', '[]', ''),
  (1, 'ru-RU', 'ru', 'Ёлка', 'yolka', '', '', '[]', ''),
  (2, 'en-GB', 'en', 'apple harvest', 'apple-harvest', '', '', '[{"type":"paragraph","text":"Hi"}]', ''),
  (2, 'ru-RU', 'ru', 'Дом', 'dom', '', '', '[]', ''),
  (3, 'ru-RU', 'ru', 'Черновик', 'chernovik', '', '', '[]', '');
INSERT INTO asset_languages VALUES (1, 0, 'en-GB'), (1, 1, 'ru-RU'), (2, 0, 'en-GB'),
  (2, 1, 'ru-RU'), (3, 0, 'ru-RU');
INSERT INTO asset_people VALUES (1, 0, 'Sergey Lavrov'), (2, 0, 'Сергей Лавров');
INSERT INTO asset_tags VALUES (1, 0, 'Middle East'), (2, 0, 'OIC');
INSERT INTO asset_related VALUES (2, 0, 1, NULL);
INSERT INTO changes (asset_id, op, at) VALUES (1, 'put', 1), (2, 'put', 2), (3, 'put', 3);
)sql";

void Exec(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  EXPECT_EQ(rc, SQLITE_OK) << (message ? message : "");
  sqlite3_free(message);
  sqlite3_close(db);
}

int64_t UserVersion(const std::filesystem::path& file) {
  sqlite3* db = nullptr;
  sqlite3_open(file.c_str(), &db);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, nullptr);
  sqlite3_step(s);
  const int64_t version = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return version;
}

std::vector<int64_t> Ids(const ListPage& page) {
  std::vector<int64_t> ids;
  for (const auto& a : page.assets) ids.push_back(a.id);
  return ids;
}

class SqliteMigration : public ::testing::Test {
 protected:
  const assetpub::testing::TempDir temp_{"assetpub-sqlite-"};
  const std::filesystem::path file_ = temp_.path() / "assetpub.db";
};

TEST_F(SqliteMigration, Version1DatabaseOpensWithListColumnsFilled) {
  Exec(file_, std::string(kVersion1Schema) + kVersion1Rows);
  ASSERT_EQ(UserVersion(file_), 1);
  {
    SqliteStore store(file_);
    using ::testing::ElementsAre;
    // Every asset reads back as it was written.
    const auto speech = store.Get(1);
    ASSERT_TRUE(speech);
    EXPECT_EQ(speech->people, std::vector<std::string>{"Sergey Lavrov"});
    EXPECT_EQ(speech->translations.at("ru-RU").title, "Ёлка");
    EXPECT_EQ(store.Get(2)->translations.at("en-GB").blocks.size(), 1u);
    EXPECT_EQ(store.LastChange(), 3);

    // status, published_at and lang_first were copied: language filters and counts work.
    Selection s;
    s.language = "ru";
    EXPECT_THAT(Ids(store.Select(s)), ElementsAre(2, 1));
    s.status.reset();
    EXPECT_THAT(Ids(store.Select(s)), ElementsAre(3, 2, 1));
    EXPECT_EQ(store.CountPublished("en"), 2);
    // Collation keys were computed: "Дом" < "Ёлка" in Russian, "apple" < "Zebra" in English
    // (bytewise, both pairs would sort the other way).
    s = Selection{};
    s.language = "ru";
    s.order = {{SortKey::kTitle, false}};
    EXPECT_THAT(Ids(store.Select(s)), ElementsAre(2, 1));
    s.language = "en";
    s.order = {{SortKey::kTitle, true}};
    EXPECT_THAT(Ids(store.Select(s)), ElementsAre(1, 2));
    // Slugs of people and tags were computed; view counts start at 0.
    EXPECT_THAT(store.NamesBySlug(Vocabulary::kPeople, "sergey-lavrov"),
                ElementsAre("Sergey Lavrov", "Сергей Лавров"));
    EXPECT_THAT(store.NamesBySlug(Vocabulary::kTags, "middle-east"), ElementsAre("Middle East"));
    EXPECT_THAT(store.ReferencedBy(1), ElementsAre(2));
    s.order = {{SortKey::kViews, true}};
    EXPECT_THAT(Ids(store.Select(s)), ElementsAre(2, 1));
    store.AddViews({{1, 4}});
    EXPECT_THAT(Ids(store.Select(s)), ElementsAre(1, 2));
    EXPECT_EQ(store.LastChange(), 3);
  }
  EXPECT_EQ(UserVersion(file_), SqliteStore::SchemaVersion());
  // Opening again migrates nothing and keeps the data.
  SqliteStore again(file_);
  EXPECT_EQ(again.CountPublished(""), 2);
}

// The migration that added the "person-slug" rows of listing_terms, on a store written before it.
TEST_F(SqliteMigration, AnOlderStoreGetsItsPeoplesSlugRows) {
  Exec(file_, std::string(kVersion1Schema) + kVersion1Rows);
  { SqliteStore store(file_); }
  Exec(file_, fmt::format("DELETE FROM listing_terms WHERE vocabulary = 'person-slug'; "
                          "PRAGMA user_version = {};",
                          SqliteStore::SchemaVersion() - 1));
  SqliteStore store(file_);
  EXPECT_EQ(UserVersion(file_), SqliteStore::SchemaVersion());
  Selection s;
  s.language = "ru";
  s.people.any = store.NamesBySlug(Vocabulary::kPeople, "sergey-lavrov");
  s.people.slug = "sergey-lavrov";
  EXPECT_THAT(Ids(store.Select(s)), ::testing::ElementsAre(2, 1));
  EXPECT_EQ(store.Select(s).total, 2);
}

TEST_F(SqliteMigration, SortKeysAreRebuiltWhenTheCollationVersionChanges) {
  Exec(file_, std::string(kVersion1Schema) + kVersion1Rows);
  { SqliteStore store(file_); }
  // As if the keys had been made by another ICU: wrong keys, another version.
  Exec(file_,
       "UPDATE listings SET sort_key = CASE asset_id WHEN 1 THEN x'01' ELSE x'02' END;"
       "UPDATE meta SET value = 'older ICU' WHERE key = 'collation_version';");
  SqliteStore store(file_);
  Selection s;
  s.language = "en";
  s.order = {{SortKey::kTitle, false}};
  EXPECT_THAT(Ids(store.Select(s)), ::testing::ElementsAre(2, 1));
}

TEST_F(SqliteMigration, NewerSchemaIsRefused) {
  Exec(file_, "CREATE TABLE t (x); PRAGMA user_version = 999;");
  try {
    SqliteStore store(file_);
    ADD_FAILURE() << "a newer schema must be refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
  }
}

// A row damaged outside the store (a disk fault, a hand edit): every read that meets it fails with
// Error(kInternal) naming the asset and the column, never with the JSON library's exception or a
// guessed value.
class SqliteCorruptRow : public SqliteMigration {
 protected:
  void SetUp() override {
    SqliteStore store(file_);
    content::Asset asset;
    asset.kind = content::Kind::kSpeech;
    asset.published_at = content::Instant{1370608140};
    asset.time_zone = "Europe/Moscow";
    asset.languages = {"en-GB"};
    content::Translation en;
    en.language = "en-GB";
    en.title = "Speech";
    en.slug = "speech";
    en.blocks = {content::Block::Paragraph("Dear Ladies and Gentlemen,")};
    asset.translations["en-GB"] = en;
    auto tx = store.Begin();
    id_ = tx->Put(asset);
    Revision revision;
    revision.asset_id = id_;
    revision.author = "editor";
    revision.asset = asset;
    tx->AddRevision(revision);
    tx->Commit();
  }

  // What `read` throws, as "code: message"; "" when it throws no Error.
  static std::string ErrorOf(const std::function<void()>& read) {
    try {
      read();
    } catch (const Error& e) {
      return std::string(ErrorCodeName(e.code())) + ": " + e.what();
    }
    return "";
  }

  int64_t id_ = 0;
};

TEST_F(SqliteCorruptRow, ABodyThatIsNotJsonOrNotBlocksIsAnInternalErrorNamingAssetAndColumn) {
  for (const std::string blocks :
       {"[{\"type\": \"paragraph\", \"te", "{\"type\": \"paragraph\", \"text\": \"x\"}",
        "[{\"type\": \"limerick\"}]", "[1, 2]", "null"}) {
    SCOPED_TRACE(blocks);
    Exec(file_, "UPDATE translations SET blocks = '" + blocks + "'");
    SqliteStore store(file_);
    Selection list;
    list.language = "en";
    for (const auto& read : std::vector<std::function<void()>>{
             [&] { store.Get(id_); },
             [&] { store.Select(list); },
             [&] { store.ForEach([](const content::Asset&) {}); },
         }) {
      const std::string error = ErrorOf(read);
      EXPECT_THAT(error, ::testing::StartsWith("internal: "));
      EXPECT_THAT(error, ::testing::HasSubstr("asset 1"));
      EXPECT_THAT(error, ::testing::HasSubstr("translations.blocks of en-GB"));
    }
    // Reads that leave bodies out still work: the damage is confined to the body.
    list.with_bodies = false;
    EXPECT_EQ(store.Select(list).assets.size(), 1u);
  }
}

TEST_F(SqliteCorruptRow, AnUnknownStatusOrKindIsAnInternalErrorNotAGuess) {
  Exec(file_, "UPDATE assets SET status = 'pending'");
  {
    SqliteStore store(file_);
    const std::string error = ErrorOf([&] { store.Get(id_); });
    EXPECT_THAT(error, ::testing::StartsWith("internal: "));
    EXPECT_THAT(error, ::testing::HasSubstr("asset 1: the stored assets.status 'pending'"));
    EXPECT_THAT(ErrorOf([&] { store.Headlines({id_}, "en"); }),
                ::testing::HasSubstr("assets.status"));
  }
  Exec(file_, "UPDATE assets SET status = 'published', kind = 'poem'");
  SqliteStore store(file_);
  EXPECT_THAT(ErrorOf([&] { store.Get(id_); }),
              ::testing::HasSubstr("asset 1: the stored assets.kind 'poem'"));
}

TEST_F(SqliteCorruptRow, ARevisionThatIsNotAnAssetIsAnInternalError) {
  Exec(file_, "UPDATE revisions SET asset = '{\"id\": \"one\"}'");
  SqliteStore store(file_);
  const std::string error = ErrorOf([&] { store.GetRevision(id_, 1); });
  EXPECT_THAT(error, ::testing::StartsWith("internal: "));
  EXPECT_THAT(error, ::testing::HasSubstr("asset 1: the stored revisions.asset of revision 1"));
  // The listing of revisions does not read their assets.
  EXPECT_EQ(store.Revisions(id_).size(), 1u);
}

}  // namespace
}  // namespace assetpub::store::sqlite
