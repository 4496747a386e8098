#include "render/month_name.h"

#include <fmt/format.h>
#include <unicode/dtptngen.h>
#include <unicode/locid.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <charconv>
#include <chrono>
#include <memory>

namespace assetpub::render {

namespace {

// The 15th of `month` of `year` at noon UTC (inside the month whatever the calendar arithmetic)
// formatted with the locale's best pattern for `skeleton`, in the Gregorian calendar (ar-SA's
// default is the Hijri one), first letter capitalised; `fallback` if ICU fails.
std::string FormatSkeleton(int year, int month, const char16_t* skeleton, std::string_view language,
                           const std::string& fallback) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(
      icu::StringPiece(language.data(), static_cast<int32_t>(language.size())), status);
  if (U_FAILURE(status)) return fallback;
  locale.setKeywordValue("calendar", "gregorian", status);
  std::unique_ptr<icu::DateTimePatternGenerator> generator(
      icu::DateTimePatternGenerator::createInstance(locale, status));
  if (U_FAILURE(status)) return fallback;
  const icu::UnicodeString pattern = generator->getBestPattern(skeleton, status);
  icu::SimpleDateFormat format(pattern, locale, status);
  if (U_FAILURE(status)) return fallback;
  format.adoptTimeZone(icu::TimeZone::createTimeZone("UTC"));
  using namespace std::chrono;
  const sys_days day = year_month_day{std::chrono::year{year},
                                      std::chrono::month{static_cast<unsigned>(month)}, 15d};
  const double millis =
      static_cast<double>(duration_cast<milliseconds>(day.time_since_epoch() + 12h).count());
  icu::UnicodeString out;
  format.format(millis, out);
  // Headings start with a capital in every language (Russian, French, Spanish and Portuguese
  // month names are lower case).
  if (!out.isEmpty()) {
    const int32_t first_length = U16_IS_LEAD(out.charAt(0)) ? 2 : 1;
    icu::UnicodeString first(out, 0, first_length);
    first.toUpper(locale);
    out.replace(0, first_length, first);
  }
  std::string text;
  out.toUTF8String(text);
  return text;
}

}  // namespace

std::string MonthName(int year, int month, std::string_view language) {
  const std::string fallback = fmt::format("{:04}-{:02}", year, month);
  if (month < 1 || month > 12) return fallback;
  // The locale's month-and-year pattern: the stand-alone month where the language has one
  // (Russian "LLLL y 'г'.", nominative "февраль"), its order and words ("MMMM 'de' y",
  // "y年M月"), its digits.
  return FormatSkeleton(year, month, u"yMMMM", language, fallback);
}

std::string YearName(int year, std::string_view language) {
  return FormatSkeleton(year, 1, u"y", language, fmt::format("{}", year));
}

std::string MonthNameOfKey(std::string_view key, std::string_view language) {
  int year = 0;
  int month = 0;
  if (key.size() != 7 || key[4] != '-') return std::string(key);
  const char* begin = key.data();
  if (std::from_chars(begin, begin + 4, year).ptr != begin + 4 ||
      std::from_chars(begin + 5, begin + 7, month).ptr != begin + 7) {
    return std::string(key);
  }
  return MonthName(year, month, language);
}

std::string YearNameOfKey(std::string_view key, std::string_view language) {
  int year = 0;
  const char* begin = key.data();
  if (key.size() != 4 || std::from_chars(begin, begin + 4, year).ptr != begin + 4) {
    return std::string(key);
  }
  return YearName(year, language);
}

}  // namespace assetpub::render
