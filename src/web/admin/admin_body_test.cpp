#include "web/admin/admin_body.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace assetpub::web {
namespace {

using content::Block;
using content::TurnRole;

Block Typed(Block::Type type, std::string text) {
  Block block;
  block.type = type;
  block.text = std::move(text);
  return block;
}

TEST(AdminBody, ParsesEveryKindOfBlock) {
  const std::vector<Block> blocks = ParseBodyText(
      "Dear colleagues,\r\nwelcome.\r\n\r\n## The talks\n\n> A quoted\n> line\n\n- one\n- two\n\n"
      "[question: Question]\nWhat next?\n\n[answer: Sergey Lavrov | translated from Norwegian]\n"
      "First.\n\nSecond.\n\n\n");
  std::vector<Block> expected = {
      Block::Paragraph("Dear colleagues, welcome."),
      Typed(Block::Type::kHeading, "The talks"),
      Typed(Block::Type::kQuote, "A quoted line"),
  };
  Block list;
  list.type = Block::Type::kList;
  list.paragraphs = {"one", "two"};
  expected.push_back(list);
  expected.push_back(Block::Turn(TurnRole::kQuestion, "Question", {"What next?"}));
  expected.push_back(Block::Turn(TurnRole::kAnswer, "Sergey Lavrov", {"First.", "Second."},
                                 "translated from Norwegian"));
  EXPECT_EQ(blocks, expected);
}

TEST(AdminBody, TextAndBlocksRoundTrip) {
  const std::string text =
      "Opening.\n\n## Heading\n\n> Quote\n\n- a\n- b\n\n[question: Question]\nWhy?\n\n"
      "[answer: Lavrov | note]\nBecause.\n\nAnd more.";
  EXPECT_EQ(BodyText(ParseBodyText(text)), text);
  const std::vector<Block> blocks = ParseBodyText(text);
  EXPECT_EQ(ParseBodyText(BodyText(blocks)), blocks);
}

TEST(AdminBody, EmptyTextIsNoBlocks) {
  EXPECT_TRUE(ParseBodyText("").empty());
  EXPECT_TRUE(ParseBodyText(" \n\n \r\n").empty());
  EXPECT_EQ(BodyText({}), "");
}

TEST(AdminBody, ATurnMarkerWithoutSpeakerOrWithAnUnknownRoleIsRefused) {
  EXPECT_THROW(ParseBodyText("Intro.\n\n[answer: ]\nText"), Error);
  try {
    ParseBodyText("Intro.\n\n[reply: Someone]\nText");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("paragraph 2"), std::string::npos);
  }
}

}  // namespace
}  // namespace assetpub::web
