#pragma once
// The site's URL paths (DESIGN.md §5), built in one place so pages, redirects and feeds agree.
// Paths are absolute ("/en/assets/12-slug"); prefix Config::base_url for a full URL.
// Thread-safe: pure functions.

#include <cstdint>
#include <string>
#include <string_view>

namespace assetpub::render {

// "/en/" for "en-GB" (or "en"): the home publisher of the language.
std::string HomePath(std::string_view language);
// "/en/assets/12-some-slug" for language "en-GB"; the slug is percent-encoded where needed.
std::string ItemPath(int64_t id, std::string_view language, std::string_view slug);
// Percent-encodes everything but RFC 3986 unreserved characters (for one path segment).
std::string PercentEncode(std::string_view text);

}  // namespace assetpub::render
