#include "store/postgres/rows.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "content/asset_json.h"
#include "content/language.h"
#include "content/slug.h"
#include "core/error.h"
#include "store/sql/columns.h"

namespace assetpub::store::postgres {

using content::Asset;
using content::Instant;
using sql::AssetFromColumn;
using sql::BlocksColumn;
using sql::BlocksFromColumn;
using sql::KindFromColumn;
using sql::StatusFromColumn;

namespace {

// The columns hash, type, name, bytes, width, height, from `first` on (asset_media, media).
content::MediaFile ReadMediaFile(const pqxx::row& row, int first) {
  content::MediaFile m;
  m.hash = Text(row[first]);
  m.type = Text(row[first + 1]);
  m.name = Text(row[first + 2]);
  m.bytes = Int(row[first + 3]);
  m.width = static_cast<int>(Int(row[first + 4]));
  m.height = static_cast<int>(Int(row[first + 5]));
  return m;
}

}  // namespace

namespace {

// One statement for any number of assets: each asset's row with its child rows as JSON arrays in
// their order (one round trip to the server instead of one per table, and one snapshot without
// a transaction). $1: the ids; $2: 1 to read the translations' blocks, 0 for "[]".
constexpr const char* kLoadAssets = R"sql(
SELECT a.id, a.kind, a.status, a.published_at, a.time_zone, a.modified_at, a.expires_at,
       a.priority,
       (SELECT json_agg(x.language ORDER BY x.position) FROM asset_languages x
         WHERE x.asset_id = a.id),
       (SELECT json_agg(x.name ORDER BY x.position) FROM asset_people x WHERE x.asset_id = a.id),
       (SELECT json_agg(x.tag ORDER BY x.position) FROM asset_tags x WHERE x.asset_id = a.id),
       (SELECT json_agg(json_build_array(x.vocabulary, x.term) ORDER BY x.vocabulary, x.position)
          FROM asset_categories x WHERE x.asset_id = a.id),
       (SELECT json_agg(json_build_array(x.related_id, x.title) ORDER BY x.position)
          FROM asset_related x WHERE x.asset_id = a.id),
       (SELECT json_agg(json_build_array(x.hash, x.type, x.name, x.bytes, x.width, x.height,
                                         x.caption) ORDER BY x.position)
          FROM asset_media x WHERE x.asset_id = a.id),
       (SELECT json_agg(json_build_array(x.language, x.title, x.slug, x.place, x.summary,
                                         CASE WHEN $2 = 1 THEN x.blocks ELSE '[]' END, x.source))
          FROM translations x WHERE x.asset_id = a.id)
FROM assets a WHERE a.id = ANY(CAST($1 AS bigint[]))
)sql";

// A json_agg column: its array, or an empty one for NULL (no rows).
nlohmann::json JsonColumn(const pqxx::field& field, int64_t asset_id) {
  if (field.is_null()) return nlohmann::json::array();
  try {
    return nlohmann::json::parse(field.c_str());
  } catch (const nlohmann::json::exception& e) {
    throw Error(
        ErrorCode::kInternal,
        fmt::format("store: asset {}: a child list did not read back ({})", asset_id, e.what()));
  }
}

std::string JsonText(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : std::string();
}

}  // namespace

std::vector<Asset> LoadAssets(Tx& tx, const std::vector<int64_t>& ids, bool with_bodies) {
  if (ids.empty()) return {};
  std::map<int64_t, Asset> by_id;
  for (const auto& row : tx(kLoadAssets, IdArray(ids), int64_t{with_bodies ? 1 : 0})) {
    Asset a;
    a.id = Int(row[0]);
    a.kind = KindFromColumn(Text(row[1]), a.id);
    a.status = StatusFromColumn(Text(row[2]), a.id);
    a.published_at = Instant{Int(row[3])};
    a.time_zone = Text(row[4]);
    a.modified_at = OptionalInstant(row[5]);
    a.expires_at = OptionalInstant(row[6]);
    a.priority = static_cast<int>(Int(row[7]));
    try {
      for (const auto& v : JsonColumn(row[8], a.id)) a.languages.push_back(v.get<std::string>());
      for (const auto& v : JsonColumn(row[9], a.id)) a.people.push_back(v.get<std::string>());
      for (const auto& v : JsonColumn(row[10], a.id)) a.tags.push_back(v.get<std::string>());
      for (const auto& v : JsonColumn(row[11], a.id)) {
        a.categories[v.at(0).get<std::string>()].push_back(v.at(1).get<std::string>());
      }
      for (const auto& v : JsonColumn(row[12], a.id)) {
        a.related.push_back(
            content::Related{v.at(0).is_null() ? 0 : v.at(0).get<int64_t>(), JsonText(v.at(1))});
      }
      for (const auto& v : JsonColumn(row[13], a.id)) {
        content::MediaFile m;
        m.hash = v.at(0).get<std::string>();
        m.type = v.at(1).get<std::string>();
        m.name = v.at(2).get<std::string>();
        m.bytes = v.at(3).get<int64_t>();
        m.width = v.at(4).get<int>();
        m.height = v.at(5).get<int>();
        m.caption = v.at(6).get<std::string>();
        a.media.push_back(std::move(m));
      }
      for (const auto& v : JsonColumn(row[14], a.id)) {
        content::Translation t;
        t.language = v.at(0).get<std::string>();
        t.title = v.at(1).get<std::string>();
        t.slug = v.at(2).get<std::string>();
        t.place = v.at(3).get<std::string>();
        t.summary = v.at(4).get<std::string>();
        t.source = v.at(6).get<std::string>();
        t.blocks = BlocksFromColumn(v.at(5).get<std::string>(), a.id, t.language);
        a.translations.emplace(t.language, std::move(t));
      }
    } catch (const nlohmann::json::exception& e) {
      throw Error(
          ErrorCode::kInternal,
          fmt::format("store: asset {}: a child row did not read back ({})", a.id, e.what()));
    }
    by_id.emplace(a.id, std::move(a));
  }
  std::vector<Asset> out;
  out.reserve(ids.size());
  for (int64_t id : ids) {
    auto it = by_id.find(id);
    if (it != by_id.end()) out.push_back(it->second);
  }
  return out;
}

std::optional<Asset> LoadAsset(Tx& tx, int64_t id) {
  auto assets = LoadAssets(tx, {id});
  if (assets.empty()) return std::nullopt;
  return std::move(assets.front());
}

namespace {

void AppendChange(Tx& tx, int64_t asset_id, const char* op) {
  tx("INSERT INTO changes (asset_id, op, at) VALUES ($1, $2, $3)", asset_id, op, content::Now());
}

// The rows of an asset's child tables, each a JSON array of objects named as the table's columns,
// inserted by one statement (json_populate_recordset): a Put is a handful of round trips to the
// server whatever the asset holds.
struct ChildRows {
  nlohmann::json languages = nlohmann::json::array();
  nlohmann::json people = nlohmann::json::array();
  nlohmann::json tags = nlohmann::json::array();
  nlohmann::json categories = nlohmann::json::array();
  nlohmann::json related = nlohmann::json::array();
  nlohmann::json media = nlohmann::json::array();
  nlohmann::json translations = nlohmann::json::array();
  nlohmann::json listings = nlohmann::json::array();
  nlohmann::json terms = nlohmann::json::array();  // listing_terms
};

ChildRows ChildRowsOf(const Asset& asset) {
  const int64_t id = asset.id;
  ChildRows rows;
  for (size_t i = 0; i < asset.languages.size(); ++i) {
    rows.languages.push_back({{"asset_id", id}, {"position", i}, {"language", asset.languages[i]}});
  }
  for (size_t i = 0; i < asset.people.size(); ++i) {
    rows.people.push_back({{"asset_id", id},
                           {"position", i},
                           {"name", asset.people[i]},
                           {"slug", content::MakeSlug(asset.people[i])}});
  }
  for (size_t i = 0; i < asset.tags.size(); ++i) {
    rows.tags.push_back({{"asset_id", id},
                         {"position", i},
                         {"tag", asset.tags[i]},
                         {"slug", content::MakeSlug(asset.tags[i])}});
  }
  for (const auto& [vocabulary, terms] : asset.categories) {
    for (size_t i = 0; i < terms.size(); ++i) {
      rows.categories.push_back(
          {{"asset_id", id}, {"vocabulary", vocabulary}, {"position", i}, {"term", terms[i]}});
    }
  }
  for (size_t i = 0; i < asset.related.size(); ++i) {
    const auto& r = asset.related[i];
    nlohmann::json row = {{"asset_id", id}, {"position", i}};
    if (r.id != 0) {
      row["related_id"] = r.id;
    } else {
      row["title"] = r.title;
    }
    rows.related.push_back(std::move(row));
  }
  for (size_t i = 0; i < asset.media.size(); ++i) {
    const content::MediaFile& m = asset.media[i];
    rows.media.push_back({{"asset_id", id},
                          {"position", i},
                          {"hash", m.hash},
                          {"type", m.type},
                          {"name", m.name},
                          {"bytes", m.bytes},
                          {"width", m.width},
                          {"height", m.height},
                          {"caption", m.caption}});
  }
  const std::string status(content::StatusName(asset.status));
  std::set<std::string> primaries_seen;  // translations is a map: tags come in order
  for (const auto& [tag, t] : asset.translations) {
    const std::string primary = content::PrimarySubtag(tag);
    const bool lang_first = primaries_seen.insert(primary).second;
    rows.translations.push_back({{"asset_id", id},
                                 {"language", tag},
                                 {"primary_lang", primary},
                                 {"title", t.title},
                                 {"slug", t.slug},
                                 {"place", t.place},
                                 {"summary", t.summary},
                                 {"blocks", BlocksColumn(t.blocks)},
                                 {"source", t.source}});
    rows.listings.push_back({{"asset_id", id},
                             {"primary_lang", primary},
                             {"language", tag},
                             {"lang_first", lang_first ? 1 : 0},
                             {"status", status},
                             {"kind", content::KindName(asset.kind)},
                             {"published_at", asset.published_at.seconds},
                             {"title", t.title}});
    if (!lang_first) continue;
    // listing_terms: one row per term for each lang_first listing (sqlite/schema.cpp says why).
    auto term = [&](const std::string& vocabulary, const std::string& value) {
      rows.terms.push_back({{"vocabulary", vocabulary},
                            {"term", value},
                            {"lang", primary},
                            {"status", status},
                            {"published_at", asset.published_at.seconds},
                            {"asset_id", id}});
    };
    for (const auto& tag_name : asset.tags) term("tag", tag_name);
    std::set<std::string> slugs;  // names in two scripts often share one
    for (const auto& name : asset.people) {
      term("person", name);
      if (auto slug = content::MakeSlug(name); slugs.insert(slug).second) term("person-slug", slug);
    }
    for (const auto& [vocabulary, terms] : asset.categories) {
      for (const auto& value : terms) term("category:" + vocabulary, value);
    }
  }
  return rows;
}

// Deletes the rows of asset `id` in every child table (the assets row stays).
void DeleteChildren(Tx& tx, int64_t id) {
  tx("WITH a AS (DELETE FROM listing_terms WHERE asset_id = $1), "
     "b AS (DELETE FROM translations WHERE asset_id = $1), "
     "c AS (DELETE FROM listings WHERE asset_id = $1), "
     "d AS (DELETE FROM asset_languages WHERE asset_id = $1), "
     "e AS (DELETE FROM asset_people WHERE asset_id = $1), "
     "f AS (DELETE FROM asset_tags WHERE asset_id = $1), "
     "g AS (DELETE FROM asset_categories WHERE asset_id = $1), "
     "h AS (DELETE FROM asset_related WHERE asset_id = $1) "
     "DELETE FROM asset_media WHERE asset_id = $1",
     id);
}

}  // namespace

int64_t PutAsset(Tx& tx, Asset& asset) {
  if (asset.id == 0) {
    asset.id = Int(tx("SELECT nextval('asset_ids')")[0][0]);
  } else {
    // A given id (an import keeps its ids): the sequence moves past it, so later new ids do not
    // collide. Writers are serialised (kWriterLock), so nothing takes an id in between.
    tx("SELECT setval('asset_ids', $1) WHERE $1 > (SELECT CASE WHEN is_called THEN last_value "
       "ELSE 0 END FROM asset_ids)",
       asset.id);
  }
  const int64_t id = asset.id;
  std::vector<int64_t> related;
  for (const auto& r : asset.related) {
    if (r.id == 0) continue;
    if (r.id == id) throw Error(ErrorCode::kInvalidInput, "an asset cannot be related to itself");
    related.push_back(r.id);
  }
  if (!related.empty()) {
    auto missing =
        tx("SELECT r FROM unnest(CAST($1 AS bigint[])) WITH ORDINALITY AS x(r, n) "
           "WHERE NOT EXISTS (SELECT 1 FROM assets WHERE id = r) ORDER BY n LIMIT 1",
           IdArray(related));
    if (!missing.empty()) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("related asset {} does not exist", Int(missing[0][0])));
    }
  }
  tx("INSERT INTO assets (id, kind, status, published_at, time_zone, modified_at, expires_at, "
     "priority) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO UPDATE SET "
     "kind = excluded.kind, status = excluded.status, published_at = excluded.published_at, "
     "time_zone = excluded.time_zone, modified_at = excluded.modified_at, "
     "expires_at = excluded.expires_at, priority = excluded.priority",
     id, content::KindName(asset.kind), content::StatusName(asset.status), asset.published_at,
     asset.time_zone, asset.modified_at, asset.expires_at, static_cast<int64_t>(asset.priority));
  DeleteChildren(tx, id);
  const ChildRows rows = ChildRowsOf(asset);
  // Data-modifying CTEs all run, whatever the final statement reads.
  tx("WITH "
     "l AS (INSERT INTO asset_languages SELECT * FROM "
     "json_populate_recordset(NULL::asset_languages, CAST($1 AS json))), "
     "p AS (INSERT INTO asset_people SELECT * FROM "
     "json_populate_recordset(NULL::asset_people, CAST($2 AS json))), "
     "g AS (INSERT INTO asset_tags SELECT * FROM "
     "json_populate_recordset(NULL::asset_tags, CAST($3 AS json))), "
     "c AS (INSERT INTO asset_categories SELECT * FROM "
     "json_populate_recordset(NULL::asset_categories, CAST($4 AS json))), "
     "r AS (INSERT INTO asset_related SELECT * FROM "
     "json_populate_recordset(NULL::asset_related, CAST($5 AS json))), "
     "m AS (INSERT INTO asset_media SELECT * FROM "
     "json_populate_recordset(NULL::asset_media, CAST($6 AS json))), "
     "t AS (INSERT INTO translations SELECT * FROM "
     "json_populate_recordset(NULL::translations, CAST($7 AS json))), "
     "s AS (INSERT INTO listings SELECT * FROM "
     "json_populate_recordset(NULL::listings, CAST($8 AS json))), "
     "d AS (INSERT INTO listing_terms SELECT * FROM "
     "json_populate_recordset(NULL::listing_terms, CAST($9 AS json)) ON CONFLICT DO NOTHING) "
     "INSERT INTO changes (asset_id, op, at) VALUES ($10, 'put', $11)",
     rows.languages.dump(), rows.people.dump(), rows.tags.dump(), rows.categories.dump(),
     rows.related.dump(), rows.media.dump(), rows.translations.dump(), rows.listings.dump(),
     rows.terms.dump(), id, content::Now());
  return id;
}

void DeleteAsset(Tx& tx, int64_t id) {
  auto doomed = LoadAsset(tx, id);
  if (!doomed) throw Error(ErrorCode::kNotFound, fmt::format("asset {} does not exist", id));
  // Assets that list this one keep the entry as a title, so nothing dangles.
  const std::string title = doomed->translations.empty()
                                ? fmt::format("#{}", id)
                                : doomed->translations.begin()->second.title;
  std::set<int64_t> referrers;  // in id order, as SQLite's store appends their changes
  for (const auto& row : tx("UPDATE asset_related SET related_id = NULL, title = $2 "
                            "WHERE related_id = $1 RETURNING asset_id",
                            id, title)) {
    referrers.insert(Int(row[0]));
  }
  referrers.erase(id);
  for (int64_t referrer : referrers) AppendChange(tx, referrer, "put");
  tx("WITH x AS (DELETE FROM listing_terms WHERE asset_id = $1) DELETE FROM assets WHERE id = $1",
     id);
  AppendChange(tx, id, "delete");
}

// --- Revisions --------------------------------------------------------------------------------

namespace {

int64_t LatestRevision(Tx& tx, int64_t id) {
  return Int(tx("SELECT COALESCE(MAX(number), 0) FROM revisions WHERE asset_id = $1", id)[0][0]);
}

}  // namespace

RevisionHead LoadHead(Tx& tx, int64_t id) {
  RevisionHead head;
  head.latest = LatestRevision(tx, id);
  auto live = tx("SELECT live FROM revision_heads WHERE asset_id = $1", id);
  if (!live.empty()) head.live = Int(live[0][0]);
  return head;
}

int64_t InsertRevision(Tx& tx, Revision& revision) {
  if (!revision.asset) throw Error(ErrorCode::kInternal, "AddRevision: a revision needs an asset");
  if (tx("SELECT 1 FROM assets WHERE id = $1", revision.asset_id).empty()) {
    throw Error(ErrorCode::kNotFound, fmt::format("asset {} does not exist", revision.asset_id));
  }
  revision.number = LatestRevision(tx, revision.asset_id) + 1;
  tx("INSERT INTO revisions (asset_id, number, at, author, note, asset) "
     "VALUES ($1, $2, $3, $4, $5, $6)",
     revision.asset_id, revision.number, revision.at, revision.author, revision.note,
     content::ToJson(*revision.asset).dump());
  return revision.number;
}

std::optional<Revision> LoadRevision(Tx& tx, int64_t id, int64_t number) {
  if (number == 0) number = LatestRevision(tx, id);
  auto rows =
      tx("SELECT at, author, note, asset FROM revisions WHERE asset_id = $1 AND number = $2", id,
         number);
  if (rows.empty()) return std::nullopt;
  Revision revision;
  revision.asset_id = id;
  revision.number = number;
  revision.at = Instant{Int(rows[0][0])};
  revision.author = Text(rows[0][1]);
  revision.note = Text(rows[0][2]);
  revision.asset = AssetFromColumn(Text(rows[0][3]), id, number);
  return revision;
}

std::vector<Revision> ListRevisions(Tx& tx, int64_t id) {
  std::vector<Revision> out;
  for (const auto& row : tx("SELECT number, at, author, note FROM revisions WHERE asset_id = $1 "
                            "ORDER BY number DESC",
                            id)) {
    Revision revision;
    revision.asset_id = id;
    revision.number = Int(row[0]);
    revision.at = Instant{Int(row[1])};
    revision.author = Text(row[2]);
    revision.note = Text(row[3]);
    out.push_back(std::move(revision));
  }
  return out;
}

std::vector<std::pair<int64_t, Instant>> LoadScheduled(Tx& tx, int64_t limit) {
  std::vector<std::pair<int64_t, Instant>> out;
  if (limit < 1) return out;
  for (const auto& row : tx("SELECT id, published_at FROM assets WHERE status = 'scheduled' "
                            "ORDER BY published_at, id LIMIT $1",
                            limit)) {
    out.emplace_back(Int(row[0]), Instant{Int(row[1])});
  }
  return out;
}

void SetLiveRevision(Tx& tx, int64_t id, int64_t number) {
  if (tx("SELECT 1 FROM revisions WHERE asset_id = $1 AND number = $2", id, number).empty()) {
    throw Error(ErrorCode::kNotFound, fmt::format("asset {} has no revision {}", id, number));
  }
  tx("INSERT INTO revision_heads (asset_id, live) VALUES ($1, $2) "
     "ON CONFLICT (asset_id) DO UPDATE SET live = excluded.live",
     id, number);
}

// --- Media library ----------------------------------------------------------------------------

MediaRecord ReadMediaRecord(const pqxx::row& row) {
  MediaRecord r;
  r.file = ReadMediaFile(row, 0);
  r.uploaded_at = Instant{Int(row[6])};
  r.uploaded_by = Text(row[7]);
  return r;
}

}  // namespace assetpub::store::postgres
