#pragma once
// Pages written by people rather than scraped: a whole .html page, or a .md file with TOML front
// matter. Each parser is a pure function from a file's text to an AuthoredPage (no store, no
// I/O); the Importer merges it into an asset as it does a scraped page. Thread-safe.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "content/asset.h"
#include "importers/scraped_page.h"

namespace assetpub::importers {

// What an authored page says. `page` holds what a scraped page would (its kind inferred from the
// title unless the file names one, its speakers those of its answer turns); the rest is what
// only an authored page can say, and is applied to the asset when present.
struct AuthoredPage {
  ParsedPage page;
  std::optional<content::Kind> kind;               // given explicitly
  std::optional<content::Status> status;           // default: published
  std::optional<std::vector<std::string>> people;  // default: the answer speakers
  std::vector<std::string> tags;                   // in the file's order
  std::map<std::string, std::vector<std::string>> categories;
  std::string summary;  // empty: made from the body (Summarise)
  std::string slug;     // empty: made from the title
  std::optional<int> priority;
};

// A .md file: a front matter block between two lines of "+++" (TOML, parsed with toml++), then
// the body in Markdown (BlocksFromMarkdown). Front matter keys:
//   title (string; else the body's first "# heading", taken out of the body), language (tag;
//   default `default_language`), languages (array of tags: the declared versions; the page's own
//   is added), published_at (required: a TOML date-time, with an offset or local to time_zone,
//   or such a string), time_zone (IANA; default `default_zone`), kind, status, place, summary,
//   slug, priority (integer), people, tags, related (arrays of strings; related are titles),
//   categories (a table of string arrays: topic = ["…"]).
// The front matter is checked against the limits below before toml++ sees it (its parser
// recurses once per part of a dotted key: a key of 40,000 parts overflowed the stack).
// Throws Error(kInvalidInput) with "line N: why" (N a line of the file) for: no front matter or
// an unclosed one, front matter over a limit below, a TOML syntax error, an unknown key, a value of
// the wrong type or an unknown kind/status/language/zone, an impossible date, no title, invalid
// UTF-8 or binary data, a body BlocksFromMarkdown refuses.
inline constexpr size_t kMaxFrontMatterBytes = 64 * 1024;
inline constexpr size_t kMaxFrontMatterLineBytes = 16 * 1024;
inline constexpr int kMaxKeyParts = 16;            // "a.b.c = 1" has 3; [a.b] headers too
inline constexpr int kMaxFrontMatterNesting = 16;  // arrays and inline tables in one another
AuthoredPage ParseMarkdownPage(std::string_view text, std::string_view default_zone,
                               std::string_view default_language);

// A .html file: a whole page. Title: the body's first <h1> (taken out of the body), else
// <title>. Language: <html lang>, else `default_language`; declared versions: it and each
// <link rel="alternate" hreflang="…">. From <meta name|property=… content=…>: published_at
// (or article:published_time, or date; RFC 3339, or local to the zone when without offset;
// required), time_zone, kind, status, place, description (the summary), keywords (tags, comma-
// separated), people (comma-separated), priority. Body: BlocksFromHtml's rules.
// Throws Error(kInvalidInput) with "line N: why" for: no title, no or a bad publication time, a
// bad kind/status/language/zone/priority, and anything BlocksFromHtml refuses.
AuthoredPage ParseHtmlPage(std::string_view text, std::string_view default_zone,
                           std::string_view default_language);

}  // namespace assetpub::importers
