#pragma once
// Collation keys: byte strings whose plain byte order (memcmp, an SQL BLOB's ORDER BY) is the
// order of the texts under a language's ICU collation rules, so a store can sort titles per
// language without calling ICU at query time. Thread-safe (collators are cached per thread).

#include <string>
#include <string_view>

namespace assetpub::content {

// The ICU sort key of `text` (UTF-8) under the collation of `language` (a BCP 47 tag such as
// "ru-RU" or "en"; an empty or unknown tag gets the root collation), default strength
// (tertiary): "apple" < "Banana" < "cherry" in English, "ёж" between "еда" and "жук" in Russian.
// Comparing two keys of the same language byte by byte orders their texts; keys of different
// languages are not comparable. Keys depend on the ICU version: a store that keeps them must
// recompute them when CollationVersion() changes. Never throws for bad UTF-8 (such bytes sort
// as U+FFFD).
std::string CollationKey(std::string_view language, std::string_view text);

// The version of ICU's collation data ("153.112-72.1"-like text): equal versions give equal keys.
std::string CollationVersion();

}  // namespace assetpub::content
