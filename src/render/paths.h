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
// "/en/transcripts/" for a publisher whose path is "transcripts"; "/en/" for the home (""). A
// path of several segments ("people/sergey-lavrov") keeps its slashes; each segment is
// percent-encoded.
std::string PublisherPath(std::string_view language, std::string_view publisher_path);
// The publisher's feeds: "/en/transcripts/feed.rss" ("/en/feed.rss" for the home); `format` is
// "rss" or "atom".
std::string FeedPath(std::string_view language, std::string_view publisher_path,
                     std::string_view format);
// "/en/people/sergey-lavrov/" and "/en/tags/syria/": the implicit lists of a person or a tag.
std::string PersonPath(std::string_view language, std::string_view slug);
std::string TagPath(std::string_view language, std::string_view slug);
// Percent-encodes everything but RFC 3986 unreserved characters (for one path segment).
std::string PercentEncode(std::string_view text);

}  // namespace assetpub::render
