#include "content/language.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uloc.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "core/text.h"

namespace assetpub::content {

std::optional<std::string> CanonicalLanguageTag(std::string_view tag) {
  if (tag.empty() || tag.size() > 64) return std::nullopt;
  for (char c : tag) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return std::nullopt;
  }
  const std::string input(tag);
  std::array<char, ULOC_FULLNAME_CAPACITY> locale_id{};
  int32_t parsed = 0;
  UErrorCode status = U_ZERO_ERROR;
  uloc_forLanguageTag(input.c_str(), locale_id.data(), locale_id.size(), &parsed, &status);
  if (U_FAILURE(status) || parsed != static_cast<int32_t>(input.size())) return std::nullopt;
  // The language subtag must name a language ICU knows (ISO 639), not just look like one.
  const icu::Locale locale(locale_id.data());
  const char* language = locale.getLanguage();
  if (language == nullptr || *language == '\0') return std::nullopt;
  if (std::string_view(locale.getISO3Language()).empty()) return std::nullopt;
  std::array<char, ULOC_FULLNAME_CAPACITY> canonical{};
  uloc_toLanguageTag(locale_id.data(), canonical.data(), canonical.size(), true, &status);
  if (U_FAILURE(status)) return std::nullopt;
  return std::string(canonical.data());
}

std::string PrimarySubtag(std::string_view tag) { return AsciiLower(tag.substr(0, tag.find('-'))); }

bool NamesLanguage(std::string_view tag, std::string_view asked) {
  const std::string lower = AsciiLower(asked);
  if (AsciiLower(tag) == lower) return true;
  return asked.find('-') == std::string_view::npos && PrimarySubtag(tag) == lower;
}

bool IsRightToLeft(std::string_view tag) {
  const std::string input(tag);
  std::array<char, ULOC_FULLNAME_CAPACITY> locale_id{};
  int32_t parsed = 0;
  UErrorCode status = U_ZERO_ERROR;
  uloc_forLanguageTag(input.c_str(), locale_id.data(), locale_id.size(), &parsed, &status);
  if (U_FAILURE(status)) return false;
  // Without a script subtag ICU looks up the language's likely script.
  return uloc_isRightToLeft(locale_id.data()) != 0;
}

std::string_view TextDirection(std::string_view tag) { return IsRightToLeft(tag) ? "rtl" : "ltr"; }

bool WrittenInScriptOf(std::string_view text, std::string_view tag) {
  UErrorCode status = U_ZERO_ERROR;
  UScriptCode script = USCRIPT_INVALID_CODE;
  for (int32_t i = 0, size = static_cast<int32_t>(text.size()); i < size;) {
    UChar32 c = 0;
    U8_NEXT(text.data(), i, size, c);
    if (c < 0) continue;  // not UTF-8
    const UScriptCode found = uscript_getScript(c, &status);
    if (U_FAILURE(status)) return false;
    if (found != USCRIPT_COMMON && found != USCRIPT_INHERITED) {
      script = found;
      break;
    }
  }
  if (script == USCRIPT_INVALID_CODE) return false;
  const std::string input(tag);
  std::array<char, ULOC_FULLNAME_CAPACITY> locale_id{};
  int32_t parsed = 0;
  uloc_forLanguageTag(input.c_str(), locale_id.data(), locale_id.size(), &parsed, &status);
  if (U_FAILURE(status) || parsed != static_cast<int32_t>(input.size())) return false;
  std::array<UScriptCode, 8> scripts{};
  const int32_t count = uscript_getCode(locale_id.data(), scripts.data(), scripts.size(), &status);
  if (U_FAILURE(status)) return false;
  return std::find(scripts.begin(), scripts.begin() + count, script) != scripts.begin() + count;
}

namespace {

std::string BuildNativeLanguageName(std::string_view tag) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Locale locale = icu::Locale::forLanguageTag(
      icu::StringPiece(tag.data(), static_cast<int32_t>(tag.size())), status);
  icu::UnicodeString name;
  locale.getDisplayLanguage(locale, name);
  if (name.isEmpty()) return std::string(tag);
  // Capitalise the first letter in the language's own rules ("русский" -> "Русский").
  icu::UnicodeString first = name.tempSubString(0, 1);
  first.toTitle(nullptr, locale);
  name.replace(0, 1, first);
  std::string out;
  name.toUTF8String(out);
  return out;
}

}  // namespace

std::string NativeLanguageName(std::string_view tag) {
  // Building the name loads locale data and a title-case break iterator (~30 µs): every page
  // names its languages in the switcher and the header. The answers are kept, shared by all
  // threads; bounded, since tags come from content.
  constexpr size_t kMaxNames = 256;
  static std::shared_mutex mutex;
  static std::unordered_map<std::string, std::string> names;
  const std::string key(tag);
  {
    const std::shared_lock lock(mutex);
    if (auto found = names.find(key); found != names.end()) return found->second;
  }
  std::string name = BuildNativeLanguageName(tag);
  const std::unique_lock lock(mutex);
  if (names.size() < kMaxNames) names.emplace(key, name);
  return name;
}

}  // namespace assetpub::content
