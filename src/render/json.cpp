#include "render/json.h"

#include <cassert>
#include <nlohmann/json.hpp>

#include "content/asset_json.h"
#include "content/instant.h"
#include "render/paths.h"

namespace assetpub::render {

// '<', '>' and '&' only ever occur inside JSON strings; writing them as \u escapes keeps the
// same value and makes the document safe wherever it lands (an HTML page, a sniffing client).
std::string SafeJsonText(const nlohmann::ordered_json& json) {
  const std::string text =
      json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

namespace {
std::string Dump(const nlohmann::ordered_json& json) { return SafeJsonText(json); }
}  // namespace

std::string AssetJson(const content::Asset& asset) { return Dump(content::ToJson(asset)); }

std::string AssetListJson(const store::ListPage& list, int64_t page, int64_t page_size) {
  assert(page_size >= 1);
  nlohmann::ordered_json json;
  json["items"] = nlohmann::ordered_json::array();
  for (const content::Asset& asset : list.assets) json["items"].push_back(content::ToJson(asset));
  json["page"] = page;
  json["page_size"] = page_size;
  json["total"] = list.total;
  json["pages"] = (list.total + page_size - 1) / page_size;
  return Dump(json);
}

std::string PublisherJson(const publish::Publisher& publisher, std::string_view language,
                          std::string_view default_language, const publish::PublisherPage& page) {
  nlohmann::ordered_json json;
  json["id"] = publisher.id;
  json["title"] = publisher.Title(language, default_language);
  json["language"] = language;
  json["page"] = page.page;
  json["pages"] = page.pages >= 0 ? nlohmann::ordered_json(page.pages) : nullptr;
  json["total"] = page.list.total >= 0 ? nlohmann::ordered_json(page.list.total) : nullptr;
  json["has_next"] = page.has_next;
  json["page_size"] = publisher.page_size;
  json["items"] = nlohmann::ordered_json::array();
  for (const content::Asset& asset : page.list.assets) {
    json["items"].push_back(content::ToJson(asset));
  }
  return Dump(json);
}

std::string HitPath(const search::Hit& hit) {
  std::string path = ItemPath(hit.asset_id, hit.language, hit.slug);
  if (!hit.anchor.empty()) path += "#" + hit.anchor;
  return path;
}

std::string SearchResultsJson(const search::Results& results, int64_t page, int64_t per_page,
                              std::string_view base_url) {
  assert(per_page >= 1);
  nlohmann::ordered_json json;
  json["total"] = results.total;
  json["page"] = page;
  json["per_page"] = per_page;
  json["pages"] = (results.total + per_page - 1) / per_page;
  json["hits"] = nlohmann::ordered_json::array();
  for (const search::Hit& hit : results.hits) {
    nlohmann::ordered_json item;
    item["id"] = hit.asset_id;
    item["language"] = hit.language;
    item["kind"] = content::KindName(hit.kind);
    item["title"] = hit.title;
    item["url"] = std::string(base_url) + HitPath(hit);
    item["snippet"] = hit.snippet_html;
    item["speaker"] = hit.speaker;
    item["anchor"] = hit.anchor;
    item["published_at"] = hit.time_zone.empty()
                               ? content::ToIso8601Utc(hit.published_at)
                               : content::ToIso8601(hit.published_at, hit.time_zone);
    json["hits"].push_back(std::move(item));
  }
  nlohmann::ordered_json facets = nlohmann::ordered_json::object();
  for (const char* name : {"kind", "year", "language", "person"}) {
    nlohmann::ordered_json values = nlohmann::ordered_json::array();
    if (auto it = results.facets.find(name); it != results.facets.end()) {
      for (const search::FacetValue& value : it->second) {
        values.push_back({{"value", value.value}, {"count", value.count}});
      }
    }
    facets[name] = std::move(values);
  }
  json["facets"] = std::move(facets);
  json["facets_exact"] = results.facets_exact;
  json["suggestion"] = results.suggestion.empty() ? nlohmann::ordered_json(nullptr)
                                                  : nlohmann::ordered_json(results.suggestion);
  json["index_complete"] = results.index_complete;
  // How much is searchable (IndexCoverage): items the index holds of the published ones.
  nlohmann::ordered_json index = {{"complete", results.index_complete}};
  if (results.total_items >= 0) {
    index["indexed"] = results.indexed_items;
    index["total"] = results.total_items;
    index["percent"] = results.searchable_percent;
  }
  json["index"] = std::move(index);
  return Dump(json);
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 422:
      return "Unprocessable Content";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    case 507:
      return "Insufficient Storage";
    default:
      return "Error";
  }
}

}  // namespace assetpub::render
