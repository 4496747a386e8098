#include "content/slug.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>

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

std::string MakeSlug(std::string_view title) {
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

}  // namespace assetpub::content
