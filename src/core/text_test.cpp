#include "core/text.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

namespace assetpub {
namespace {

TEST(Trim, DropsAsciiWhitespaceAtBothEndsByDefault) {
  EXPECT_EQ(Trim("  \t\r\n\v\fword and word \n\r"), "word and word");
  EXPECT_EQ(Trim("word"), "word");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim(" \t\r\n "), "");
}

TEST(Trim, DropsOnlyTheCharactersItIsGiven) {
  EXPECT_EQ(Trim("\t a b \t", kBlanks), "a b");
  EXPECT_EQ(Trim("\r\n a \r\n", kBlanks), "\r\n a \r\n");
  EXPECT_EQ(Trim("\f a \f", " \t\r\n"), "\f a \f");
  EXPECT_EQ(Trim("--a-b--", "-"), "a-b");
}

TEST(Trim, LeavesNonAsciiWhitespaceAlone) {
  // NBSP (U+00A0) is two bytes, neither of them ASCII white space.
  EXPECT_EQ(Trim("\u00a0word\u00a0"), "\u00a0word\u00a0");
}

TEST(Trim, ReturnsAViewIntoItsArgument) {
  const std::string text = "  inner  ";
  const std::string_view trimmed = Trim(text);
  EXPECT_EQ(trimmed.data(), text.data() + 2);
  EXPECT_EQ(trimmed.size(), 5u);
  // All white space: an empty view at the end, still inside the argument.
  const std::string blank = "   ";
  EXPECT_EQ(Trim(blank).data(), blank.data() + blank.size());
}

TEST(AsciiLower, MapsOnlyAToZ) {
  EXPECT_EQ(AsciiLower("En-GB.JPEG"), "en-gb.jpeg");
  EXPECT_EQ(AsciiLower("already lower 123 @[`{"), "already lower 123 @[`{");
  EXPECT_EQ(AsciiLower("ÄБВ Straße"), "ÄБВ straße");  // non-ASCII bytes untouched
  EXPECT_EQ(AsciiLower(""), "");
}

TEST(AsciiLower, InPlaceMatchesTheCopy) {
  std::string text = "Content-Type: TEXT/Html; Charset=UTF-8";
  const std::string copy = AsciiLower(text);
  AsciiLowerInPlace(text);
  EXPECT_EQ(text, copy);
  EXPECT_EQ(text, "content-type: text/html; charset=utf-8");
}

TEST(AsciiUpper, MapsOnlyAToZ) {
  EXPECT_EQ(AsciiUpper("pdf"), "PDF");
  EXPECT_EQ(AsciiUpper("mp3 @[`{ é"), "MP3 @[`{ é");
}

TEST(EscapeHtml, EscapesTheFiveCharactersOfMarkupAndKeepsTheRest) {
  EXPECT_EQ(EscapeHtml(R"(<a href="x">Tom & Jerry's</a>)"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  EXPECT_EQ(EscapeHtml("Лавров: «да» 中文"), "Лавров: «да» 中文");
  EXPECT_EQ(EscapeHtml("&amp;"), "&amp;amp;");
  EXPECT_EQ(EscapeHtml(""), "");
}

TEST(PercentDecode, DecodesEscapesAndOptionallyPlus) {
  EXPECT_EQ(PercentDecode("a%20b+c"), "a b+c");
  EXPECT_EQ(PercentDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(PercentDecode("%D0%BC%d0%b8"), "ми");
  EXPECT_EQ(PercentDecode("%"), std::nullopt);
  EXPECT_EQ(PercentDecode("%x1"), std::nullopt);
}

TEST(PercentDecode, RefusesAnEscapeCutShortAtTheEnd) {
  EXPECT_EQ(PercentDecode("ab%4"), std::nullopt);
  EXPECT_EQ(PercentDecode("ab%41"), "abA");
  EXPECT_EQ(PercentDecode(""), "");
}

TEST(PercentDecodeInto, ReusesItsStringAndSaysWhetherTheTextWasWellFormed) {
  std::string out = "left over from the last request";
  EXPECT_TRUE(PercentDecodeInto("q=%D0%BC+x", true, out));
  EXPECT_EQ(out, "q=м x");
  EXPECT_FALSE(PercentDecodeInto("a%zz", true, out));
  EXPECT_TRUE(PercentDecodeInto("", false, out));
  EXPECT_EQ(out, "");
}

TEST(PercentDecodeLenient, KeepsAMalformedEscapeAndDecodesTheOthers) {
  EXPECT_EQ(PercentDecodeLenient("2014/03/%D1%84.png"), "2014/03/ф.png");
  EXPECT_EQ(PercentDecodeLenient("50%off%20sale.jpg"), "50%off sale.jpg");
  EXPECT_EQ(PercentDecodeLenient("100%"), "100%");
  EXPECT_EQ(PercentDecodeLenient("a%4"), "a%4");
  EXPECT_EQ(PercentDecodeLenient("%%41"), "%A");
  EXPECT_EQ(PercentDecodeLenient("a+b"), "a+b");
}

}  // namespace
}  // namespace assetpub
