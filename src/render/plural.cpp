#include "render/plural.h"

#include <unicode/fmtable.h>
#include <unicode/locid.h>
#include <unicode/msgfmt.h>
#include <unicode/numfmt.h>
#include <unicode/numsys.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <array>
#include <map>
#include <memory>
#include <string>

namespace assetpub::render {
namespace {

icu::Locale LocaleOf(std::string_view language) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(
      icu::StringPiece(language.data(), static_cast<int32_t>(language.size())), status);
  return U_FAILURE(status) ? icu::Locale::getRoot() : locale;
}

std::string ToUtf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

// The formatted text, or U_FAILURE in `status`.
std::string Format(std::string_view pattern, int64_t count, std::string_view language,
                   UErrorCode& status) {
  icu::MessageFormat format(icu::UnicodeString::fromUTF8(icu::StringPiece(
                                pattern.data(), static_cast<int32_t>(pattern.size()))),
                            LocaleOf(language), status);
  if (U_FAILURE(status)) return {};
  const icu::UnicodeString names[] = {u"count"};
  const icu::Formattable values[] = {icu::Formattable(static_cast<int64_t>(count))};
  icu::UnicodeString out;
  format.format(names, values, 1, out, status);
  return U_FAILURE(status) ? std::string() : ToUtf8(out);
}

// The locale's default numbering system, when it is one of decimal digits: its name and its ten
// digits in UTF-8. Per thread, per language (bounded: languages come from the site's config).
struct Digits {
  std::string name = "latn";
  std::array<std::string, 10> digits = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
};

const Digits& DigitsOf(std::string_view language) {
  constexpr size_t kMaxLanguages = 64;
  thread_local std::map<std::string, Digits, std::less<>> cache;
  if (auto found = cache.find(language); found != cache.end()) return found->second;
  Digits digits;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::NumberingSystem> system(
      icu::NumberingSystem::createInstance(LocaleOf(language), status));
  // An algorithmic system (Hebrew, Roman…) has no ten digits to substitute: ASCII then.
  if (U_SUCCESS(status) && system != nullptr && !system->isAlgorithmic() &&
      system->getRadix() == 10 && system->getDescription().countChar32() == 10) {
    digits.name = system->getName();
    const icu::UnicodeString description = system->getDescription();
    for (int32_t i = 0, at = 0; i < 10; ++i) {
      const int32_t next = description.moveIndex32(at, 1);
      digits.digits[static_cast<size_t>(i)] = ToUtf8(description.tempSubString(at, next - at));
      at = next;
    }
  }
  if (cache.size() >= kMaxLanguages) cache.clear();
  return cache.emplace(std::string(language), std::move(digits)).first->second;
}

}  // namespace

std::string FormatDigits(int64_t number, std::string_view language) {
  const Digits& digits = DigitsOf(language);
  std::string out;
  for (const char c : std::to_string(number)) {
    out += c >= '0' && c <= '9' ? digits.digits[static_cast<size_t>(c - '0')] : std::string(1, c);
  }
  return out;
}

std::string NumberingSystemName(std::string_view language) { return DigitsOf(language).name; }

std::string FormatCount(std::string_view pattern, int64_t count, std::string_view language) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out = Format(pattern, count, language, status);
  return U_FAILURE(status) ? FormatNumber(count, language) : out;
}

std::string FormatNumber(int64_t number, std::string_view language) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::NumberFormat> format(
      icu::NumberFormat::createInstance(LocaleOf(language), status));
  if (U_FAILURE(status) || format == nullptr) return std::to_string(number);
  icu::UnicodeString out;
  format->format(static_cast<int64_t>(number), out);
  return ToUtf8(out);
}

std::string FormatPercent(int percent, std::string_view language) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::NumberFormat> format(
      icu::NumberFormat::createPercentInstance(LocaleOf(language), status));
  if (U_FAILURE(status) || format == nullptr) return std::to_string(percent) + "%";
  icu::UnicodeString out;
  format->format(static_cast<double>(percent) / 100.0, out);
  return ToUtf8(out);
}

std::string CountPatternError(std::string_view pattern, std::string_view language) {
  UErrorCode status = U_ZERO_ERROR;
  Format(pattern, 1, language, status);
  return U_FAILURE(status) ? u_errorName(status) : std::string();
}

}  // namespace assetpub::render
