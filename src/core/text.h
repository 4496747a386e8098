#pragma once
// Small ASCII text helpers every module uses: trimming, case mapping, HTML escaping and
// percent-decoding. ASCII only, on purpose:
// they serve language tags, file extensions, protocol tokens and line-based formats, and leave
// every other byte as it is (so UTF-8 text passes through unharmed); Unicode case mapping is
// ICU's or, for search terms, Xapian's. Thread-safety: pure functions.

#include <optional>
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

// `text` with its %XX escapes decoded (hex digits of either case; the bytes they give are not
// checked, UTF-8 or not); with `plus_is_space` (query strings, form bodies) '+' becomes ' '.
// nullopt on a malformed escape: a '%' not followed by two hex digits.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space = false);
// PercentDecode into `out`, whose storage is reused (every request's query string); false on a
// malformed escape, `out` then holding what came before it.
bool PercentDecodeInto(std::string_view text, bool plus_is_space, std::string& out);
// PercentDecode for addresses found in documents, where a '%' may stand for itself: a malformed
// escape is kept as written and the escapes around it are still decoded. '+' stays '+'.
std::string PercentDecodeLenient(std::string_view text);

}  // namespace assetpub
