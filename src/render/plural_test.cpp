#include "render/plural.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "render/locale_strings.h"

namespace assetpub::render {
namespace {

const std::filesystem::path kLocales = std::filesystem::path(ASSETPUB_SOURCE_DIR) / "locales";

std::string ResultsCount(const std::string& locale, int64_t count, const std::string& language) {
  const LocaleStrings strings = LocaleStrings::Load(kLocales / (locale + ".toml"));
  return FormatCount(strings.Text("search.results_count"), count, language);
}

TEST(FormatCount, EnglishHasOneAndOther) {
  EXPECT_EQ(ResultsCount("en", 1, "en-GB"), "1 result");
  EXPECT_EQ(ResultsCount("en", 12, "en-GB"), "12 results");
  EXPECT_EQ(ResultsCount("en", 0, "en"), "0 results");
  EXPECT_EQ(ResultsCount("en", 1234, "en"), "1,234 results");
}

TEST(FormatCount, RussianHasOneFewMany) {
  EXPECT_EQ(ResultsCount("ru", 1, "ru-RU"), "1 результат");
  EXPECT_EQ(ResultsCount("ru", 2, "ru-RU"), "2 результата");
  EXPECT_EQ(ResultsCount("ru", 5, "ru-RU"), "5 результатов");
  EXPECT_EQ(ResultsCount("ru", 11, "ru-RU"), "11 результатов");
  EXPECT_EQ(ResultsCount("ru", 21, "ru-RU"), "21 результат");
  EXPECT_EQ(ResultsCount("ru", 22, "ru"), "22 результата");
}

// ICU's default numbering system for "ar" and "ar-SA" is Arabic-Indic digits (٠١٢٣…).
TEST(FormatCount, ArabicHasSixForms) {
  EXPECT_EQ(ResultsCount("ar", 0, "ar-SA"), "لا توجد نتائج");  // zero
  EXPECT_EQ(ResultsCount("ar", 1, "ar-SA"), "نتيجة واحدة");    // one
  EXPECT_EQ(ResultsCount("ar", 2, "ar-SA"), "نتيجتان");        // two
  EXPECT_EQ(ResultsCount("ar", 3, "ar-SA"), "٣ نتائج");        // few
  EXPECT_EQ(ResultsCount("ar", 11, "ar-SA"), "١١ نتيجة");      // many
  EXPECT_EQ(ResultsCount("ar", 100, "ar-SA"), "١٠٠ نتيجة");    // other
}

TEST(FormatCount, ChineseHasOnlyOther) {
  EXPECT_EQ(ResultsCount("zh", 1, "zh-CN"), "1 条结果");
  EXPECT_EQ(ResultsCount("zh", 5, "zh-CN"), "5 条结果");
}

TEST(FormatCount, ABrokenPatternGivesTheNumber) {
  EXPECT_EQ(FormatCount("{count, plural, one {# x}", 7, "en"), "7");
  EXPECT_NE(CountPatternError("{count, plural, one {# x}", "en"), "");
  EXPECT_EQ(CountPatternError("{count, plural, one {# x} other {# xs}}", "en"), "");
}

TEST(FormatNumber, UsesTheLocalesGroupingAndDigits) {
  EXPECT_EQ(FormatNumber(1234, "en-GB"), "1,234");
  EXPECT_EQ(FormatNumber(1234, "ru-RU"), "1\u00a0234");  // a no-break space
  EXPECT_EQ(FormatNumber(1234, "fr-FR"), "1\u202f234");  // a narrow no-break space
  EXPECT_EQ(FormatNumber(1234, "de-DE"), "1.234");
  EXPECT_EQ(FormatNumber(123, "ar-SA"), "١٢٣");
  EXPECT_EQ(FormatNumber(1234, "ar-SA"), "١٬٢٣٤");
  EXPECT_EQ(FormatNumber(123, "ar-MA"), "123");  // Morocco writes Western digits
  EXPECT_EQ(FormatNumber(42, "zh-CN"), "42");
}

// Page, paragraph and row numbers: the digits FormatNumber uses, never grouped.
TEST(FormatDigits, UsesTheLocalesDigitsWithoutGrouping) {
  EXPECT_EQ(FormatDigits(1234, "en-GB"), "1234");
  EXPECT_EQ(FormatDigits(1234, "ru-RU"), "1234");
  EXPECT_EQ(FormatDigits(1234, "ar-SA"), "١٢٣٤");
  EXPECT_EQ(FormatDigits(1234, "ar-MA"), "1234");
  EXPECT_EQ(FormatDigits(1234, "fa-IR"), "۱۲۳۴");
  EXPECT_EQ(FormatDigits(-5, "ar-SA"), "-٥");
  EXPECT_EQ(FormatDigits(7, "not a tag"), "7");
}

TEST(NumberingSystemName, NamesIcusDefaultForTheLanguage) {
  EXPECT_EQ(NumberingSystemName("en-GB"), "latn");
  EXPECT_EQ(NumberingSystemName("zh-CN"), "latn");
  EXPECT_EQ(NumberingSystemName("ar-SA"), "arab");
  EXPECT_EQ(NumberingSystemName("ar-MA"), "latn");
  EXPECT_EQ(NumberingSystemName("fa-IR"), "arabext");
  EXPECT_EQ(NumberingSystemName("he-IL"), "latn");  // Hebrew numerals are algorithmic: not used
}

}  // namespace
}  // namespace assetpub::render
