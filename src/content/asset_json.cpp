#include "content/asset_json.h"

#include <fmt/format.h>

#include "core/error.h"

namespace assetpub::content {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

[[noreturn]] void Bad(const std::string& field, const std::string& what) {
  throw Error(ErrorCode::kInvalidInput, fmt::format("{}: {}", field, what));
}

const json* Member(const json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string String(const json& object, const char* key, const std::string& path) {
  const json* value = Member(object, key);
  if (value == nullptr) return {};
  if (!value->is_string()) Bad(path + key, "must be a string");
  return value->get<std::string>();
}

std::vector<std::string> Strings(const json& object, const char* key, const std::string& path) {
  const json* value = Member(object, key);
  if (value == nullptr) return {};
  if (!value->is_array()) Bad(path + key, "must be an array of strings");
  std::vector<std::string> out;
  for (size_t i = 0; i < value->size(); ++i) {
    if (!(*value)[i].is_string()) Bad(fmt::format("{}{}[{}]", path, key, i), "must be a string");
    out.push_back((*value)[i].get<std::string>());
  }
  return out;
}

std::optional<Instant> OptionalInstant(const json& object, const char* key) {
  const json* value = Member(object, key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) Bad(key, "must be an RFC 3339 date-time string");
  try {
    return ParseIso8601(value->get<std::string>());
  } catch (const Error& e) {
    Bad(key, e.what());
  }
}

int64_t Integer(const json& object, const char* key, const std::string& path, int64_t max) {
  const json* value = Member(object, key);
  if (value == nullptr) return 0;
  if (!value->is_number_integer() || value->get<int64_t>() < 0 || value->get<int64_t>() > max) {
    Bad(path + key, fmt::format("must be a whole number from 0 to {}", max));
  }
  return value->get<int64_t>();
}

}  // namespace

MediaFile MediaFileFromJson(const json& j, const std::string& path) {
  if (!j.is_object()) Bad(path, "must be an object with a hash");
  MediaFile m;
  const std::string prefix = path + ".";
  m.hash = String(j, "hash", prefix);
  m.type = String(j, "type", prefix);
  m.name = String(j, "name", prefix);
  m.bytes = Integer(j, "bytes", prefix, INT64_MAX);
  m.width = static_cast<int>(Integer(j, "width", prefix, 1'000'000));
  m.height = static_cast<int>(Integer(j, "height", prefix, 1'000'000));
  m.caption = String(j, "caption", prefix);
  return m;
}

ordered_json ToJson(const MediaFile& m) {
  ordered_json entry;
  entry["hash"] = m.hash;
  entry["type"] = m.type;
  entry["name"] = m.name;
  entry["bytes"] = m.bytes;
  entry["width"] = m.width;
  entry["height"] = m.height;
  entry["caption"] = m.caption;
  return entry;
}

Block BlockFromJson(const json& j, const std::string& path) {
  if (!j.is_object()) Bad(path, "must be an object");
  const std::string type_name = String(j, "type", path + ".");
  const auto type = ParseBlockType(type_name);
  if (!type) Bad(path + ".type", fmt::format("unknown block type '{}'", type_name));
  Block block;
  block.type = *type;
  switch (*type) {
    case Block::Type::kParagraph:
    case Block::Type::kHeading:
    case Block::Type::kQuote:
      block.text = String(j, "text", path + ".");
      break;
    case Block::Type::kTurn: {
      const std::string role = String(j, "role", path + ".");
      const auto parsed = ParseTurnRole(role);
      if (!parsed) Bad(path + ".role", fmt::format("must be question or answer, not '{}'", role));
      block.role = *parsed;
      block.speaker = String(j, "speaker", path + ".");
      block.note = String(j, "note", path + ".");
      block.paragraphs = Strings(j, "paragraphs", path + ".");
      break;
    }
    case Block::Type::kList:
      block.paragraphs = Strings(j, "items", path + ".");
      break;
  }
  return block;
}

ordered_json ToJson(const Block& block) {
  ordered_json j;
  j["type"] = BlockTypeName(block.type);
  switch (block.type) {
    case Block::Type::kParagraph:
    case Block::Type::kHeading:
    case Block::Type::kQuote:
      j["text"] = block.text;
      break;
    case Block::Type::kTurn:
      j["role"] = TurnRoleName(block.role);
      j["speaker"] = block.speaker;
      if (!block.note.empty()) j["note"] = block.note;
      j["paragraphs"] = block.paragraphs;
      break;
    case Block::Type::kList:
      j["items"] = block.paragraphs;
      break;
  }
  return j;
}

ordered_json ToJson(const Asset& asset) {
  ordered_json j;
  j["id"] = asset.id;
  j["kind"] = KindName(asset.kind);
  j["status"] = StatusName(asset.status);
  j["published_at"] = ToIso8601(asset.published_at, asset.time_zone);
  j["time_zone"] = asset.time_zone;
  if (asset.modified_at) j["modified_at"] = ToIso8601(*asset.modified_at, asset.time_zone);
  if (asset.expires_at) j["expires_at"] = ToIso8601(*asset.expires_at, asset.time_zone);
  j["priority"] = asset.priority;
  j["languages"] = asset.languages;
  j["people"] = asset.people;
  j["tags"] = asset.tags;
  j["categories"] = ordered_json::object();
  for (const auto& [vocabulary, terms] : asset.categories) j["categories"][vocabulary] = terms;
  j["related"] = ordered_json::array();
  for (const auto& r : asset.related) {
    ordered_json entry;
    if (r.id != 0) {
      entry["id"] = r.id;
    } else {
      entry["title"] = r.title;
    }
    j["related"].push_back(std::move(entry));
  }
  // Left out when empty, so exports of items without files stay as they were.
  if (!asset.media.empty()) {
    j["media"] = ordered_json::array();
    for (const MediaFile& m : asset.media) j["media"].push_back(ToJson(m));
  }
  j["translations"] = ordered_json::object();
  for (const auto& [tag, t] : asset.translations) {
    ordered_json tj;
    tj["title"] = t.title;
    tj["slug"] = t.slug;
    tj["place"] = t.place;
    tj["summary"] = t.summary;
    tj["blocks"] = ordered_json::array();
    for (const auto& block : t.blocks) tj["blocks"].push_back(ToJson(block));
    tj["source"] = t.source;
    j["translations"][tag] = std::move(tj);
  }
  return j;
}

Asset AssetFromJson(const json& j) {
  if (!j.is_object()) Bad("asset", "must be a JSON object");
  Asset asset;
  if (const json* id = Member(j, "id")) {
    if (!id->is_number_integer()) Bad("id", "must be an integer");
    asset.id = id->get<int64_t>();
  }
  const std::string kind = String(j, "kind", "");
  if (!kind.empty()) {
    const auto parsed = ParseKind(kind);
    if (!parsed) Bad("kind", fmt::format("unknown kind '{}'", kind));
    asset.kind = *parsed;
  }
  const std::string status = String(j, "status", "");
  if (!status.empty()) {
    const auto parsed = ParseStatus(status);
    if (!parsed) Bad("status", fmt::format("unknown status '{}'", status));
    asset.status = *parsed;
  }
  const std::string zone = String(j, "time_zone", "");
  if (!zone.empty()) asset.time_zone = zone;
  const auto published = OptionalInstant(j, "published_at");
  if (!published) Bad("published_at", "is required");
  asset.published_at = *published;
  asset.modified_at = OptionalInstant(j, "modified_at");
  asset.expires_at = OptionalInstant(j, "expires_at");
  if (const json* priority = Member(j, "priority")) {
    if (!priority->is_number_integer()) Bad("priority", "must be an integer");
    asset.priority = priority->get<int>();
  }
  asset.languages = Strings(j, "languages", "");
  asset.people = Strings(j, "people", "");
  asset.tags = Strings(j, "tags", "");
  if (const json* categories = Member(j, "categories")) {
    if (!categories->is_object()) Bad("categories", "must be an object of string arrays");
    for (const auto& [vocabulary, terms] : categories->items()) {
      asset.categories[vocabulary] = Strings(*categories, vocabulary.c_str(), "categories.");
    }
  }
  if (const json* related = Member(j, "related")) {
    if (!related->is_array()) Bad("related", "must be an array");
    for (size_t i = 0; i < related->size(); ++i) {
      const json& entry = (*related)[i];
      const std::string path = fmt::format("related[{}]", i);
      if (!entry.is_object()) Bad(path, "must be an object with id or title");
      Related r;
      if (const json* id = Member(entry, "id")) {
        if (!id->is_number_integer()) Bad(path + ".id", "must be an integer");
        r.id = id->get<int64_t>();
      }
      r.title = String(entry, "title", path + ".");
      if (r.id != 0) r.title.clear();
      asset.related.push_back(std::move(r));
    }
  }
  if (const json* media = Member(j, "media")) {
    if (!media->is_array()) Bad("media", "must be an array");
    for (size_t i = 0; i < media->size(); ++i) {
      asset.media.push_back(MediaFileFromJson((*media)[i], fmt::format("media[{}]", i)));
    }
  }
  const json* translations = Member(j, "translations");
  if (translations == nullptr || !translations->is_object()) {
    Bad("translations", "must be an object keyed by language tag");
  }
  for (const auto& [tag, tj] : translations->items()) {
    const std::string path = "translations." + tag;
    if (!tj.is_object()) Bad(path, "must be an object");
    Translation t;
    t.language = tag;
    t.title = String(tj, "title", path + ".");
    t.slug = String(tj, "slug", path + ".");
    t.place = String(tj, "place", path + ".");
    t.summary = String(tj, "summary", path + ".");
    t.source = String(tj, "source", path + ".");
    if (const json* blocks = Member(tj, "blocks")) {
      if (!blocks->is_array()) Bad(path + ".blocks", "must be an array");
      for (size_t i = 0; i < blocks->size(); ++i) {
        t.blocks.push_back(BlockFromJson((*blocks)[i], fmt::format("{}.blocks[{}]", path, i)));
      }
    }
    asset.translations.emplace(tag, std::move(t));
  }
  return asset;
}

void CheckJsonNesting(std::string_view text) {
  int depth = 0;
  int line = 1;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (in_string) {
      if (c == '\\') {
        ++i;  // an escaped character, '"' or '\\' among them
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonNesting) {
        throw Error(ErrorCode::kInvalidInput,
                    fmt::format("line {}: arrays and objects nested more than {} deep", line,
                                kMaxJsonNesting));
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
}

}  // namespace assetpub::content
