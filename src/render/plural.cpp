#include "render/plural.h"

#include <unicode/fmtable.h>
#include <unicode/locid.h>
#include <unicode/msgfmt.h>
#include <unicode/numfmt.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <memory>

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

}  // namespace

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

std::string CountPatternError(std::string_view pattern, std::string_view language) {
  UErrorCode status = U_ZERO_ERROR;
  Format(pattern, 1, language, status);
  return U_FAILURE(status) ? u_errorName(status) : std::string();
}

}  // namespace assetpub::render
