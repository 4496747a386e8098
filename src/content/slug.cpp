#include "content/slug.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>
#include <string>
#include <unordered_map>

#include "core/error.h"

namespace assetpub::content {
namespace {

icu::Transliterator& ToAscii() {
  // Transliterators are not safe to share between threads; each thread builds its own once.
  thread_local std::unique_ptr<icu::Transliterator> transliterator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
        u"Russian-Latin/BGN; Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !t) throw Error(ErrorCode::kInternal, "ICU transliterator missing");
    return t;
  }();
  return *transliterator;
}

}  // namespace

namespace {

std::string BuildSlug(std::string_view title) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(title.data(), static_cast<int32_t>(title.size())));
  ToAscii().transliterate(text);
  std::string ascii;
  text.toUTF8String(ascii);

  std::string slug;
  bool pending_dash = false;
  for (char c : ascii) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    // BGN writes ъ and ь as quote marks (”, ’ -> ASCII); like apostrophes they join, not split.
    if (c == '\'' || c == '"' || c == '`') continue;
    if (!word) {
      pending_dash = !slug.empty();
      continue;
    }
    if (pending_dash) slug.push_back('-');
    pending_dash = false;
    slug.push_back(c);
  }
  if (slug.size() > kMaxSlugLength) {
    const size_t cut = slug.rfind('-', kMaxSlugLength);
    slug.resize(cut == std::string::npos || cut == 0 ? kMaxSlugLength : cut);
  }
  return slug.empty() ? "item" : slug;
}

}  // namespace

std::string MakeSlug(std::string_view title) {
  // Transliteration costs ~10-50 µs a name, and every page links its people and tags by slug:
  // each thread keeps the slugs it made for short names (names, not whole titles), bounded.
  constexpr size_t kMaxCachedLength = 128;
  constexpr size_t kMaxSlugs = 4096;
  if (title.size() > kMaxCachedLength) return BuildSlug(title);
  thread_local std::unordered_map<std::string, std::string> slugs;
  std::string key(title);
  if (auto found = slugs.find(key); found != slugs.end()) return found->second;
  std::string slug = BuildSlug(title);
  if (slugs.size() >= kMaxSlugs) slugs.clear();
  slugs.emplace(std::move(key), slug);
  return slug;
}

}  // namespace assetpub::content
