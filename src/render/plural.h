#pragma once
// Counts and numbers in the page's language, by ICU: a count sentence from a locale's
// MessageFormat pattern with a plural argument ("{count, plural, one {# result} other {# results}}"
// -> "1 result", "2 результата", "5 результатов"), and a number in the locale's own digits and
// grouping ("1,234", "1 234", "١٬٢٣٤"). Thread-safe: pure functions.

#include <cstdint>
#include <string>
#include <string_view>

namespace assetpub::render {

// `pattern` (an ICU MessageFormat pattern whose one argument is named "count") formatted with
// `count` for `language` (a BCP 47 tag), plural category chosen by ICU's rules for the language.
// Returns the number alone (FormatNumber) when the pattern does not parse or format.
std::string FormatCount(std::string_view pattern, int64_t count, std::string_view language);

// `number` with the locale's default numbering system and grouping; decimal ASCII if ICU fails.
std::string FormatNumber(int64_t number, std::string_view language);

// `percent` (0..100) as the locale writes a percentage, by ICU: "41%", "41 %" (fr, de, ru),
// "٤١٪؜" (ar); decimal ASCII and "%" if ICU fails.
std::string FormatPercent(int percent, std::string_view language);

// `number` in the locale's default digits, without grouping ("12", "١٢" for ar-SA, "১২" for
// bn-BD): for numbers that label rather than count (page, paragraph and row numbers).
std::string FormatDigits(int64_t number, std::string_view language);

// The name of ICU's default numbering system for `language` when it has ten decimal digits
// ("latn", "arab" for ar-SA, "arabext" for fa-IR, "beng"…); "latn" otherwise.
std::string NumberingSystemName(std::string_view language);

// Empty when `pattern` parses as an ICU MessageFormat for `language` and formats a count;
// otherwise ICU's error name.
std::string CountPatternError(std::string_view pattern, std::string_view language);

}  // namespace assetpub::render
