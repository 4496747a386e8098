#include "render/paths.h"

#include <fmt/format.h>

#include "content/language.h"

namespace assetpub::render {

std::string HomePath(std::string_view language) {
  return fmt::format("/{}/", content::PrimarySubtag(language));
}

std::string ItemPath(int64_t id, std::string_view language, std::string_view slug) {
  return fmt::format("/{}/assets/{}-{}", content::PrimarySubtag(language), id, PercentEncode(slug));
}

std::string PublisherPath(std::string_view language, std::string_view publisher_path) {
  std::string path = HomePath(language);
  size_t start = 0;
  while (start < publisher_path.size()) {
    size_t end = publisher_path.find('/', start);
    if (end == std::string_view::npos) end = publisher_path.size();
    if (end > start) {
      path += PercentEncode(publisher_path.substr(start, end - start));
      path += '/';
    }
    start = end + 1;
  }
  return path;
}

std::string FeedPath(std::string_view language, std::string_view publisher_path,
                     std::string_view format) {
  return fmt::format("{}feed.{}", PublisherPath(language, publisher_path), format);
}

std::string PersonPath(std::string_view language, std::string_view slug) {
  return fmt::format("/{}/people/{}/", content::PrimarySubtag(language), PercentEncode(slug));
}

std::string TagPath(std::string_view language, std::string_view slug) {
  return fmt::format("/{}/tags/{}/", content::PrimarySubtag(language), PercentEncode(slug));
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' ||
                            byte == '_' || byte == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0F]);
    }
  }
  return out;
}

}  // namespace assetpub::render
