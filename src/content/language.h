#pragma once
// BCP 47 language tags (RFC 5646), checked and canonicalised with ICU. Thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace assetpub::content {

// The canonical form of a well-formed tag ("en-gb" -> "en-GB", "RU-ru" -> "ru-RU"), or nullopt
// when `tag` is not a well-formed BCP 47 tag or its language is not a known ISO 639 code.
std::optional<std::string> CanonicalLanguageTag(std::string_view tag);
// The primary language subtag, lower-case: "en-GB" -> "en".
std::string PrimarySubtag(std::string_view tag);
// True when `asked` names the tag `tag`: the same tag in any ASCII case ("en-gb" for "en-GB"),
// or, when `asked` is a primary subtag alone (as in URLs), that of `tag` ("en", "EN").
bool NamesLanguage(std::string_view tag, std::string_view asked);
// True when text in the language `tag` is written right to left: its script subtag when it has
// one ("az-Arab"), else its language's usual script (ICU's likely subtags: "ar", "he", "fa",
// "ur", "ps", "yi", "dv", "ckb", "sd", "ug"…). The one rule of direction: pages, switchers and
// lists all ask here.
bool IsRightToLeft(std::string_view tag);
// "rtl" or "ltr", for HTML's dir attribute.
std::string_view TextDirection(std::string_view tag);
// True when `text` is written in one of the scripts of the language `tag` (ICU's: "ru", "sr",
// "kk" -> Cyrillic; "zh" -> Han; "ja" -> Katakana, Hiragana, Han; a script subtag wins), judged
// by its first letter (digits and punctuation are no script's). False for text without a letter.
bool WrittenInScriptOf(std::string_view text, std::string_view tag);
// The language's own name for itself, capitalised: "en-GB" -> "English", "ru-RU" -> "Русский".
std::string NativeLanguageName(std::string_view tag);

}  // namespace assetpub::content
