#include "content/collation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

namespace assetpub::content {
namespace {

// Sorts `texts` by their keys in `language`, as a store does with a BLOB column.
std::vector<std::string> SortedByKey(std::string_view language, std::vector<std::string> texts) {
  std::sort(texts.begin(), texts.end(), [&](const std::string& a, const std::string& b) {
    return CollationKey(language, a) < CollationKey(language, b);
  });
  return texts;
}

TEST(Collation, EnglishIgnoresCaseBeforeLetters) {
  EXPECT_THAT(SortedByKey("en-GB", {"cherry", "Banana", "apple"}),
              ::testing::ElementsAre("apple", "Banana", "cherry"));
  // Case only breaks ties: the lower-case form first, as in a dictionary.
  EXPECT_LT(CollationKey("en", "apple"), CollationKey("en", "Apple"));
}

TEST(Collation, RussianPutsYoAfterYeAndCyrillicBeforeLatin) {
  // Russian's rules reorder the scripts: Cyrillic first (root order puts Latin first).
  EXPECT_THAT(SortedByKey("ru-RU", {"жук", "ёж", "еда", "Яблоко", "абрикос", "Zebra"}),
              ::testing::ElementsAre("абрикос", "еда", "ёж", "жук", "Яблоко", "Zebra"));
  EXPECT_LT(CollationKey("en", "Zebra"), CollationKey("en", "абрикос"));
}

TEST(Collation, LanguagesDiffer) {
  // Swedish sorts "ä" after "z"; German sorts it with "a".
  EXPECT_LT(CollationKey("sv", "zebra"), CollationKey("sv", "äpple"));
  EXPECT_GT(CollationKey("de", "zebra"), CollationKey("de", "äpfel"));
}

TEST(Collation, UnknownOrEmptyLanguageUsesTheRootOrder) {
  EXPECT_EQ(CollationKey("", "abc"), CollationKey("und", "abc"));
  EXPECT_LT(CollationKey("!!", "a"), CollationKey("!!", "B"));
  EXPECT_LT(CollationKey("en", ""), CollationKey("en", "a"));
}

TEST(Collation, KeysHaveNoTrailingNulAndBadUtf8IsHarmless) {
  const std::string key = CollationKey("en", "title");
  ASSERT_FALSE(key.empty());
  EXPECT_NE(key.back(), '\0');
  EXPECT_FALSE(CollationKey("en", "\xff\xfe broken").empty());
  EXPECT_FALSE(CollationVersion().empty());
}

TEST(Collation, ThreadsGetTheSameKeys) {
  const std::string expected = CollationKey("ru-RU", "Выступление министра");
  std::vector<std::thread> threads;
  std::vector<std::string> seen(4);
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int n = 0; n < 100; ++n) seen[i] = CollationKey("ru-RU", "Выступление министра");
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& key : seen) EXPECT_EQ(key, expected);
}

}  // namespace
}  // namespace assetpub::content
