#pragma once
// The Unicode text helpers the scraped-page parser and the turn rules share: walking UTF-8 by
// code point, Unicode white space, case folding, splitting on blanks. core/text.h is ASCII on
// purpose; these are for text in any script. Every function expects valid UTF-8 (the parsers
// check it first). Thread-safety: pure functions.

#include <unicode/umachine.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace assetpub::importers {

// The code point at byte `pos` of `text`; advances `pos` past it.
UChar32 NextCodePoint(std::string_view text, size_t& pos);

// The number of code points in `text`.
size_t CodePointCount(std::string_view text);

// True for white space within a line: space, \t, \r, \f, the no-break spaces (U+00A0, U+2007,
// U+202F), U+FEFF and every other Unicode white space character.
bool IsSpace(UChar32 c);

// `text` case-folded by ICU ("MARS" -> "mars", "Straße" -> "strasse").
std::string Fold(std::string_view text);

// The runs of `text` between spaces and tabs, as views into `text`; none for blank text.
std::vector<std::string_view> SplitSpaces(std::string_view text);

}  // namespace assetpub::importers
