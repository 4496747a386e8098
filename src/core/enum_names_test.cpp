#include "core/enum_names.h"

#include <gtest/gtest.h>

namespace assetpub {
namespace {

enum class Colour { kRed, kGreen, kBlue };
constexpr EnumName<Colour> kColours[] = {{Colour::kRed, "red"}, {Colour::kGreen, "green"}};

TEST(EnumNames, NamesAListedValueAndSaysUnknownForTheOthers) {
  EXPECT_EQ(EnumNameOf(kColours, Colour::kGreen), "green");
  EXPECT_EQ(EnumNameOf(kColours, Colour::kBlue), "");
  EXPECT_EQ(EnumNameOf(kColours, Colour::kBlue, "?"), "?");
  static_assert(EnumNameOf(kColours, Colour::kRed) == "red");
}

TEST(EnumNames, FindsTheValueOfAnExactName) {
  EXPECT_EQ(EnumValueOf(kColours, "red"), Colour::kRed);
  EXPECT_EQ(EnumValueOf(kColours, "Red"), std::nullopt);
  EXPECT_EQ(EnumValueOf(kColours, "blue"), std::nullopt);
  EXPECT_EQ(EnumValueOf(kColours, ""), std::nullopt);
  static_assert(EnumValueOf(kColours, "green") == Colour::kGreen);
}

}  // namespace
}  // namespace assetpub
