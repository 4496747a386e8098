#pragma once
// The API's JSON documents: an asset (DESIGN.md §6), a page of assets, and RFC 9457 problem
// details for errors. Strings are compact UTF-8 JSON, ready to send, with '<', '>' and '&'
// written as \u003c, \u003e, \u0026 (same value, never markup); invalid UTF-8 becomes U+FFFD.
// Thread-safe: pure functions.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "content/asset.h"
#include "publish/publisher.h"
#include "search/search_index.h"
#include "store/store.h"

namespace assetpub::render {

// The asset in the shape of DESIGN.md §6 (content::ToJson).
std::string AssetJson(const content::Asset& asset);

// {"items": [asset…], "page": N, "page_size": N, "total": N, "pages": N}; `page` is 1-based and
// `pages` is ceil(total / page_size) (0 when nothing matches). Requires page_size >= 1.
std::string AssetListJson(const store::ListPage& list, int64_t page, int64_t page_size);

// A publisher's page (`/api/v1/publishers/{id}?lang=…&page=N`): {"id", "title" (in
// `language`), "language" (the site language tag), "page", "pages" (null when not counted:
// simple paging), "total" (null when not counted), "has_next", "page_size",
// "items": [asset… as AssetJson]}. `default_language` is the site's, for the title's fallback.
std::string PublisherJson(const publish::Publisher& publisher, std::string_view language,
                          std::string_view default_language, const publish::PublisherPage& page);

// The search API's document (`/api/v1/search`, `assetpub search --json`):
// {"total": N (Xapian's estimate), "page": N, "per_page": N, "pages": N,
//  "hits": [{"id", "language", "kind", "title", "url", "snippet", "speaker", "anchor",
//            "published_at"}…],
//  "facets": {"kind"|"year"|"language"|"person": [{"value", "count"}…]},
//  "facets_exact": false when the counts were made from a sample of a large match set and
//                  scaled to `total` (estimates, to be shown as such), else true,
//  "suggestion": "corrected query" or null}.
// `url` is base_url + the item's path in the hit's language + "#anchor" when there is one;
// `snippet` is HTML (text escaped, matched words in <mark>); `speaker` and `anchor` are "" when
// the match is not in a turn / has no paragraph; `published_at` is RFC 3339 in the asset's zone.
std::string SearchResultsJson(const search::Results& results, int64_t page, int64_t per_page,
                              std::string_view base_url);

// The path of a hit on the site: "/en/assets/12-slug#p4" ("#p4" only when it has an anchor).
std::string HitPath(const search::Hit& hit);

// `json` as compact text that is safe inside HTML, even inside a <script> element (JSON-LD):
// '<', '>' and '&' are written as \u003c, \u003e, \u0026, so neither "</script>" nor "<!--" can
// occur; invalid UTF-8 becomes U+FFFD.
std::string SafeJsonText(const nlohmann::ordered_json& json);

// The standard reason phrase of an HTTP status ("Not Found"); "Error" for one it does not know.
std::string_view ReasonPhrase(int status);

}  // namespace assetpub::render
