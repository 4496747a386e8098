#pragma once
// The heading of a month in a list grouped by month ("June 2013", "Февраль 2014 г.", "2014年2月"),
// in the page's language by ICU: the locale's month-and-year pattern in the Gregorian calendar,
// capitalised. Thread-safe: a pure function.

#include <string>
#include <string_view>

namespace assetpub::render {

// "June 2013" for (2013, 6, "en-GB"); "Июнь 2013 г." for "ru-RU", "فبراير ٢٠١٤" for (2014, 2,
// "ar-SA"), "Febrero de 2014" for "es-ES". `month` is 1..12; `language` a
// BCP 47 tag. Returns "2013-06" if ICU cannot format it (an unknown language falls back to
// ICU's root locale, which still gives a name).
std::string MonthName(int year, int month, std::string_view language);

// The same for a group key "YYYY-MM" ("2013-06"); the key itself when it is not one.
std::string MonthNameOfKey(std::string_view key, std::string_view language);

// The heading of a year: "2013" in the locale's digits ("٢٠١٣" for "ar-SA"), no grouping.
std::string YearName(int year, std::string_view language);
// The same for a group key "YYYY"; the key itself when it is not one.
std::string YearNameOfKey(std::string_view key, std::string_view language);

}  // namespace assetpub::render
