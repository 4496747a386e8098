#pragma once
// Date lines of scraped pages in the languages whose long dates ICU writes for us: French,
// Spanish, German, Portuguese, Arabic and Chinese ("12 mars 201418:05", "12 de marzo de
// 201418:05", "12. März 201418:05", "12 de março de 201418:05", "12 مارس 201418:05",
// "2014年3月12日18:05"). English and Russian lines are read by scraped_page.cpp's own table.
// Thread-safe: the locales' patterns and month names are built once, on first use.

#include <string>
#include <string_view>
#include <vector>

#include "content/instant.h"

namespace assetpub::importers {

// One reading of a date line: the local date and time, and the language (primary subtag) whose
// long date it is written as.
struct LocalisedDate {
  content::LocalDateTime local;
  std::string_view language;  // "fr", "es", "de", "pt", "ar", "zh"
};

// The languages LocalisedDates reads, in the order it tries them.
const std::vector<std::string_view>& LocalisedDateLanguages();

// Every reading of `line` as "<the locale's long date (ICU's DateFormat::kLong pattern)>
// <HH:MM>", the time glued to the year as the scrape leaves it, or after white space and an
// optional comma. Month names are ICU's (DateFormatSymbols: wide and abbreviated, format and
// stand-alone, also of other countries' spellings: de_AT, ar_SY, ar_TN, ar_MA, …), matched
// case-insensitively; Arabic-Indic, extended Arabic-Indic and full-width digits count as digits
// and bidi marks are ignored. Several readings only when the line is the same in two
// languages ("12 de abril de 2014" in Spanish and Portuguese); they then agree on the date.
// Empty when the line is no date line in any of these languages; whether the date exists is
// content::FromLocal's business.
std::vector<LocalisedDate> LocalisedDates(std::string_view line);

// The same for a date without a time ("12 mars 2014"), as in a title's tail.
std::vector<LocalisedDate> LocalisedDatesWithoutTime(std::string_view text);

// The tag a page in `language` (a primary subtag of LocalisedDateLanguages) gets when its
// language line does not name one: "fr" -> "fr-FR", "es" -> "es-ES", "de" -> "de-DE",
// "pt" -> "pt-PT", "ar" -> "ar-SA", "zh" -> "zh-CN".
std::string_view DefaultTagOf(std::string_view language);

}  // namespace assetpub::importers
