#pragma once
// Small ASCII text helpers every module uses: trimming, case mapping and HTML escaping. ASCII
// only, on purpose:
// they serve language tags, file extensions, protocol tokens and line-based formats, and leave
// every other byte as it is (so UTF-8 text passes through unharmed); Unicode case mapping is
// ICU's or, for search terms, Xapian's. Thread-safety: pure functions.

#include <string>
#include <string_view>

namespace assetpub {

// Space and tab: the blanks within a line (HTTP's "optional white space").
inline constexpr std::string_view kBlanks = " \t";
// Space, \t, \n, \v, \f and \r: what std::isspace accepts in the C locale.
inline constexpr std::string_view kAsciiWhitespace = " \t\n\v\f\r";

// `text` without the leading and trailing characters that are in `chars`: a view into `text`,
// empty when every character is in `chars`.
std::string_view Trim(std::string_view text, std::string_view chars = kAsciiWhitespace);

// `text` with A-Z mapped to a-z; every other byte as it is.
std::string AsciiLower(std::string_view text);
// AsciiLower in place, for a string the caller owns (no new allocation).
void AsciiLowerInPlace(std::string& text);
// `text` with a-z mapped to A-Z; every other byte as it is.
std::string AsciiUpper(std::string_view text);

// `text` as HTML text or a quoted attribute value: & < > " ' become &amp; &lt; &gt; &quot; &#39;;
// every other byte as it is. For HTML the code writes itself (feeds' descriptions, importers'
// markup for the sanitiser); templates escape their own values.
std::string EscapeHtml(std::string_view text);

}  // namespace assetpub
