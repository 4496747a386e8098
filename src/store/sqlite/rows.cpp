#include "store/sqlite/rows.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "content/asset_json.h"
#include "content/collation.h"
#include "content/language.h"
#include "content/slug.h"
#include "core/error.h"
#include "store/sql/columns.h"
#include "store/sqlite/connection.h"

namespace assetpub::store::sqlite {

using content::Asset;
using content::Instant;
using sql::AssetFromColumn;
using sql::BlocksColumn;
using sql::BlocksFromColumn;
using sql::KindFromColumn;
using sql::StatusFromColumn;

namespace {

// The columns hash, type, name, bytes, width, height, from `first` on (asset_media, media).
content::MediaFile ReadMediaFile(const Statement& s, int first) {
  content::MediaFile m;
  m.hash = s.Text(first);
  m.type = s.Text(first + 1);
  m.name = s.Text(first + 2);
  m.bytes = s.Int(first + 3);
  m.width = static_cast<int>(s.Int(first + 4));
  m.height = static_cast<int>(s.Int(first + 5));
  return m;
}

}  // namespace

std::vector<Asset> LoadAssets(Connection& c, const std::vector<int64_t>& ids, bool with_bodies) {
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
      a.kind = KindFromColumn(s.Text(1), a.id);
      a.status = StatusFromColumn(s.Text(2), a.id);
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
        content::MediaFile m = ReadMediaFile(s, 1);
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
            t.blocks = BlocksFromColumn(s.Text(6), a.id, t.language);
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

namespace {

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
  "UNION ALL SELECT 'person-slug', p.slug, l.primary_lang, l.status, l.published_at, "       \
  "l.asset_id "                                                                              \
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

}  // namespace

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
        .Bind(8, BlocksColumn(t.blocks))
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

void DeleteAsset(Connection& c, int64_t id) {
  auto doomed = LoadAsset(c, id);
  if (!doomed) throw Error(ErrorCode::kNotFound, fmt::format("asset {} does not exist", id));
  // Assets that list this one keep the entry as a title, so nothing dangles.
  std::vector<int64_t> referrers;
  {
    auto s = c.Prepare("SELECT DISTINCT asset_id FROM asset_related WHERE related_id = ?1");
    s.Bind(1, id);
    while (s.Step()) referrers.push_back(s.Int(0));
  }
  const std::string title = doomed->translations.empty()
                                ? fmt::format("#{}", id)
                                : doomed->translations.begin()->second.title;
  c.Prepare("UPDATE asset_related SET related_id = NULL, title = ?2 WHERE related_id = ?1")
      .Bind(1, id)
      .Bind(2, title)
      .Run();
  for (int64_t referrer : referrers) {
    if (referrer != id) AppendChange(c, referrer, "put");
  }
  DeleteChildren(c, id);
  c.Prepare("DELETE FROM assets WHERE id = ?1").Bind(1, id).Run();
  AppendChange(c, id, "delete");
}

// --- Revisions --------------------------------------------------------------------------------

namespace {

int64_t LatestRevision(Connection& c, int64_t id) {
  auto s = c.Prepare("SELECT COALESCE(MAX(number), 0) FROM revisions WHERE asset_id = ?1");
  s.Bind(1, id).Step();
  return s.Int(0);
}

}  // namespace

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
  revision.asset = AssetFromColumn(s.Text(3), id, number);
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

void SetLiveRevision(Connection& c, int64_t id, int64_t number) {
  auto s = c.Prepare("SELECT 1 FROM revisions WHERE asset_id = ?1 AND number = ?2");
  if (!s.Bind(1, id).Bind(2, number).Step()) {
    throw Error(ErrorCode::kNotFound, fmt::format("asset {} has no revision {}", id, number));
  }
  c.Prepare(
       "INSERT INTO revision_heads (asset_id, live) VALUES (?1, ?2) "
       "ON CONFLICT (asset_id) DO UPDATE SET live = excluded.live")
      .Bind(1, id)
      .Bind(2, number)
      .Run();
}

// --- Media library ----------------------------------------------------------------------------

MediaRecord ReadMediaRecord(const Statement& s) {
  MediaRecord r;
  r.file = ReadMediaFile(s, 0);
  r.uploaded_at = Instant{s.Int(6)};
  r.uploaded_by = s.Text(7);
  return r;
}

}  // namespace assetpub::store::sqlite
