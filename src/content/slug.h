#pragma once
// URL slugs from titles: transliterated to Latin ASCII with ICU (Cyrillic via BGN/PCGN), lower
// case, words joined by '-', cut on a word boundary. Thread-safe (one transliterator per thread).

#include <string>
#include <string_view>

namespace assetpub::content {

inline constexpr size_t kMaxSlugLength = 80;

// "Speech of and answers …" -> "speech-of-and-answers-…"; "Выступление …" -> "vystupleniye-…".
// Never longer than kMaxSlugLength; "item" when nothing of the title survives.
std::string MakeSlug(std::string_view title);

}  // namespace assetpub::content
