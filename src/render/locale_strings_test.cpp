#include "render/locale_strings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "render/plural.h"

namespace assetpub::render {
namespace {

using ::testing::IsEmpty;

const std::filesystem::path kLocales = std::filesystem::path(ASSETPUB_SOURCE_DIR) / "locales";

// The {placeholders} of a string, with repeats, in order of name.
std::multiset<std::string> Placeholders(const std::string& text) {
  static const std::regex placeholder("\\{[a-z_]+\\}");
  std::multiset<std::string> found;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), placeholder);
       it != std::sregex_iterator(); ++it) {
    found.insert(it->str());
  }
  return found;
}

// Every locale shipped in locales/ (the file's primary subtag), English included.
std::vector<std::string> ShippedLocales() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(kLocales)) {
    if (entry.path().extension() == ".toml") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ShippedLocales, AreTheIssuesEightLanguagesAtLeast) {
  const std::vector<std::string> shipped = ShippedLocales();
  for (const char* name : {"ar", "de", "en", "es", "fr", "pt", "ru", "zh"}) {
    EXPECT_NE(std::find(shipped.begin(), shipped.end(), name), shipped.end()) << name;
  }
}

// A new locale is one file in locales/: this test reads each of them, no code to add.
TEST(ShippedLocales, HaveEveryPublicKeyOfEnglishWithItsPlaceholdersAndNoOtherKey) {
  const LocaleStrings english = LocaleStrings::Load(kLocales / "en.toml");
  for (const std::string& name : ShippedLocales()) {
    SCOPED_TRACE(name + ".toml");
    const LocaleStrings strings = LocaleStrings::Load(kLocales / (name + ".toml"));
    std::vector<std::string> missing;
    for (const std::string& key : strings.MissingKeys(english)) {
      if (!key.starts_with(kAdminPrefix)) missing.push_back(key);
    }
    EXPECT_THAT(missing, IsEmpty());
    std::vector<std::string> unknown = english.MissingKeys(strings);
    EXPECT_THAT(unknown, IsEmpty()) << "keys English does not have: a typo?";
    for (const auto& [key, text] : strings.entries()) {
      if (!english.Has(key)) continue;
      EXPECT_EQ(Placeholders(text), Placeholders(english.Text(key))) << key;
      EXPECT_FALSE(text.empty()) << key;
      // ICU MessageFormat patterns ("{count, plural, …}") must parse for the locale's language.
      if (text.find(", plural,") != std::string::npos) {
        EXPECT_EQ(CountPatternError(text, name), "") << key;
      }
    }
  }
}

TEST(LocaleStrings, FilledFromTakesOnlyTheMissingKeysUnderThePrefix) {
  const LocaleStrings own(LocaleStrings::Entries{{"admin.a", "own a"}, {"site.home", "Accueil"}});
  const LocaleStrings fallback(LocaleStrings::Entries{
      {"admin.a", "fallback a"}, {"admin.b", "fallback b"}, {"site.title", "Home"}});
  const LocaleStrings filled = own.FilledFrom(fallback, kAdminPrefix);
  EXPECT_EQ(filled.Text("admin.a"), "own a");
  EXPECT_EQ(filled.Text("admin.b"), "fallback b");
  EXPECT_FALSE(filled.Has("site.title"));
  EXPECT_EQ(filled.Text("site.home"), "Accueil");
}

}  // namespace
}  // namespace assetpub::render
