#include "importers/body_formats.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "content/asset_json.h"
#include "content/validate.h"
#include "core/error.h"

namespace assetpub::importers {
namespace {

using content::Block;
using ::testing::HasSubstr;

// Blocks as compact JSON (content::ToJson), so a table can say what it expects in one line.
std::string Json(const std::vector<Block>& blocks) {
  auto array = nlohmann::ordered_json::array();
  for (const Block& block : blocks) array.push_back(content::ToJson(block));
  return array.dump();
}

std::string P(const std::string& text) {
  return nlohmann::ordered_json{{"type", "paragraph"}, {"text", text}}.dump();
}
std::string H(const std::string& text) {
  return nlohmann::ordered_json{{"type", "heading"}, {"text", text}}.dump();
}
std::string Q(const std::string& text) {
  return nlohmann::ordered_json{{"type", "quote"}, {"text", text}}.dump();
}
std::string L(const std::vector<std::string>& items) {
  return nlohmann::ordered_json{{"type", "list"}, {"items", items}}.dump();
}
std::string T(const std::string& role, const std::string& speaker,
              const std::vector<std::string>& paragraphs) {
  return nlohmann::ordered_json{
      {"type", "turn"}, {"role", role}, {"speaker", speaker}, {"paragraphs", paragraphs}}
      .dump();
}
std::string Blocks(const std::vector<std::string>& blocks) {
  std::string out = "[";
  for (const auto& b : blocks) out += (out.size() > 1 ? "," : "") + b;
  return out + "]";
}

struct Case {
  const char* name;
  std::string input;
  std::string expected;  // Json() of the blocks
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

// ---- HTML ----

const std::vector<Case>& HtmlCases() {
  static const std::vector<Case> cases = {
      {"inline_markup_keeps_its_text", "<p>Hello <b>big</b> <em>wide</em> <span>world</span></p>",
       Blocks({P("Hello big wide world")})},
      {"script_is_dropped_with_its_content", "<p>a<script>alert(1)</script>b</p>",
       Blocks({P("ab")})},
      {"img_onerror_leaves_nothing", "<img src=x onerror=alert(1)>text", Blocks({P("text")})},
      {"javascript_link_keeps_only_its_text", "<p><a href=\"javascript:alert(1)\">click</a></p>",
       Blocks({P("click")})},
      {"event_handlers_vanish", "<p onclick=\"evil()\" style=\"x:expression(1)\">x</p>",
       Blocks({P("x")})},
      {"style_iframe_object_embed_dropped",
       "<style>p{color:red}</style><iframe src=//evil srcdoc=\"<script>x()</script>\">inner"
       "</iframe><object data=x><param name=a value=b>fallback</object><embed src=y>"
       "<p>kept</p>",
       Blocks({P("kept")})},
      {"template_noscript_svg_math_dropped",
       "<p>lead</p><template><p>t</p></template><noscript><p>n</p></noscript>"
       "<svg><script>alert(1)</script><text>s</text></svg><math><mi>m</mi></math><p>ok</p>",
       Blocks({P("lead"), P("ok")})},
      {"form_controls_dropped",
       "<form><input value=v><button>b</button><select><option>o</option></select>"
       "<textarea>t</textarea>label</form>",
       Blocks({P("label")})},
      {"comments_dropped", "<p>a<!-- secret -->b<!--[if IE]><script>x</script><![endif]--></p>",
       Blocks({P("ab")})},
      {"head_content_of_a_fragment_dropped",
       "<title>T</title><meta http-equiv=refresh content=\"0;url=//evil\"><base href=//evil>"
       "<link rel=stylesheet href=x><p>body</p>",
       Blocks({P("body")})},
      {"entities_are_decoded_as_text",
       "<p>Caf&eacute; &amp; &lt;script&gt;alert(1)&lt;/script&gt; &#x41;&nbsp;&nbsp;B</p>",
       Blocks({P("Café & <script>alert(1)</script> A B")})},
      {"white_space_runs_become_one_space", "<p>  a \n\t b\u00a0\u202f c  </p>",
       Blocks({P("a b c")})},
      {"control_characters_removed",
       "<p>a\x01"
       "b\x7f\xc2\x85\x1b"
       "c</p>",
       Blocks({P("abc")})},
      {"control_character_references_become_replacement_characters", "<p>a&#1;b&#x85;c&#0;</p>",
       Blocks({P("ab\u2026c\ufffd")})},
      {"empty_paragraphs_dropped", "<p> </p><p>&nbsp;</p><div></div>", "[]"},
      {"empty_input", "", "[]"},
      {"headings", "<h1>One</h1><h2>Two</h2><h3>Three <small>3</small></h3><h4>Four</h4>",
       Blocks({H("One"), H("Two"), H("Three 3"), H("Four")})},
      {"blockquote_gives_a_quote_per_paragraph",
       "<blockquote><p>first</p><p>second</p></blockquote><p>after</p>",
       Blocks({Q("first"), Q("second"), P("after")})},
      {"lists_flattened", "<ul><li>a</li><li>b<ol><li>b1</li><li>b2</li></ol></li></ul><p>c</p>",
       Blocks({L({"a", "b", "b1", "b2"}), P("c")})},
      {"br_splits_a_paragraph", "<p>one<br>two<br/><br>three</p>",
       Blocks({P("one"), P("two"), P("three")})},
      {"br_in_a_list_item_is_a_space", "<ul><li>one<br>two</li></ul>", Blocks({L({"one two"})})},
      {"unclosed_tags_close_as_browsers_do", "<p>one<p>two<div>three<b>four",
       Blocks({P("one"), P("two"), P("threefour")})},
      {"misnested_inline_tags", "<p><b>a<i>b</b>c</i></p>", Blocks({P("abc")})},
      {"nested_junk",
       "<div><span><font color=red><b><i><u><custom-tag x=1>deep</custom-tag></u></i></b></font>"
       "</span></div>",
       Blocks({P("deep")})},
      {"table_cells_are_paragraphs",
       "<table><caption>cap</caption><tr><th>h</th><td>a</td><td>b</td></tr></table>",
       Blocks({P("cap"), P("h"), P("a"), P("b")})},
      {"broken_script_splitting", "<<script>script>alert(1)<</script>/script><p>x</p>",
       Blocks({P("</script>"), P("x")})},
      {"transcript_turns",
       "<p>Dear colleagues,</p><p><strong>Question:</strong> Why?</p>"
       "<p><b>Sergey Lavrov:</b> Because.</p><p>And more.</p>",
       Blocks({P("Dear colleagues,"), T("question", "Question", {"Why?"}),
               T("answer", "Sergey Lavrov", {"Because.", "And more."})})},
      {"russian_turns", "<p>Вопрос:&nbsp;Почему?</p><p>С.В.Лавров: Потому что.</p>",
       Blocks({T("question", "Вопрос", {"Почему?"}), T("answer", "С.В.Лавров", {"Потому что."})})},
      {"a_heading_ends_a_turn", "<p>Question: Why?</p><h2>Part two</h2><p>Text.</p>",
       Blocks({T("question", "Question", {"Why?"}), H("Part two"), P("Text.")})},
      {"whole_document_body_only",
       "<!DOCTYPE html><html><head><title>T</title><script>x()</script></head>"
       "<body onload=evil()><p>text</p></body></html>",
       Blocks({P("text")})},
  };
  return cases;
}

class HtmlTable : public ::testing::TestWithParam<Case> {};

TEST_P(HtmlTable, GivesTheExpectedBlocks) {
  const Case& c = GetParam();
  EXPECT_EQ(Json(BlocksFromHtml(c.input)), c.expected) << c.input;
}

INSTANTIATE_TEST_SUITE_P(BodyFormats, HtmlTable, ::testing::ValuesIn(HtmlCases()),
                         [](const auto& info) { return std::string(info.param.name); });

// The message of the Error(kInvalidInput) `f` throws; fails the test when it throws nothing or
// something else.
template <typename F>
std::string Refusal(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return {};
}

TEST(BlocksFromHtml, RefusesInvalidUtf8NamingTheLine) {
  EXPECT_EQ(Refusal([] { BlocksFromHtml("<p>a</p>\n<p>b</p>\n<p>\xff</p>"); }),
            "line 3: invalid UTF-8");
  EXPECT_EQ(Refusal([] { BlocksFromHtml("\xc3\x28"); }), "line 1: invalid UTF-8");
  EXPECT_EQ(Refusal([] { BlocksFromHtml("\xed\xa0\x80"); }), "line 1: invalid UTF-8");  // surrogate
}

TEST(BlocksFromHtml, RefusesBinaryData) {
  EXPECT_THAT(Refusal([] { BlocksFromHtml(std::string("<p>a\0b</p>", 10)); }),
              HasSubstr("line 1: binary data"));
}

TEST(BlocksFromHtml, RefusesMoreThanTheLimit) {
  const std::string big(kMaxBodyBytes + 1, 'a');
  EXPECT_THAT(Refusal([&] { BlocksFromHtml(big); }), HasSubstr("more than the 16 MiB"));
  EXPECT_EQ(BlocksFromHtml(std::string(kMaxBodyBytes, 'a')).size(), 1u);
}

// Deep nesting makes gumbo quadratic (100 KB of <b> takes 40 s): megabytes of it must be refused
// by the depth check before gumbo sees them, whatever the element (were it not, this test would
// run for hours and hit ctest's timeout; no timing is asserted here: see bench/ for speed).
TEST(BlocksFromHtml, RefusesMegabytesOfNesting) {
  for (const std::string unit :
       {"<div>", "<b>", "<span>", "<i><b>", "<table>", "<ul><li>", "<blockquote>"}) {
    std::string html;
    while (html.size() < 2'000'000) html += unit;
    EXPECT_THAT(Refusal([&] { BlocksFromHtml(html); }),
                HasSubstr("line 1: elements nested more than 512 deep"))
        << unit;
  }
}

TEST(BlocksFromHtml, MisnestedFormattingCannotSlipPastTheDepthCheck) {
  // Each </b> leaves the <i> open for the parser to reopen: it nests as deep as it is long.
  std::string html;
  for (int i = 0; i < 2000; ++i) html += "<b><i id=" + std::to_string(i) + "></b>";
  EXPECT_THAT(Refusal([&] { BlocksFromHtml(html + "x"); }), HasSubstr("nested more than 512"));
}

TEST(BlocksFromHtml, MegabytesOfFlatOrSelfClosingMarkupAreFine) {
  for (const std::string unit : {"<p>x", "<li>x", "<b>x</b>", "<a>x", "<p>x</p><!-- c -->"}) {
    std::string html;
    while (html.size() < 500'000) html += unit;
    std::vector<Block> blocks;
    try {
      blocks = BlocksFromHtml(html);
    } catch (const Error& e) {
      ADD_FAILURE() << unit << ": " << e.what();
    }
    EXPECT_FALSE(blocks.empty()) << unit;
  }
}

TEST(BlocksFromHtml, NestingJustUnderTheLimitIsAccepted) {
  std::string html;
  for (int i = 0; i < 500; ++i) html += "<div>";
  html += "deep";
  for (int i = 0; i < 500; ++i) html += "</div>";
  EXPECT_EQ(Json(BlocksFromHtml(html)), Blocks({P("deep")}));
  // Closed elements do not add up, however many there are.
  std::string flat;
  for (int i = 0; i < 5000; ++i) flat += "<div><span><b>x</b></span></div>";
  EXPECT_EQ(BlocksFromHtml(flat).size(), 5000u);
  // Tags inside scripts and comments are not elements.
  std::string script = "<script>";
  for (int i = 0; i < 5000; ++i) script += "'<div>'+";
  EXPECT_EQ(Json(BlocksFromHtml(script + "''</script><!--" + script + "--><p>y</p>")),
            Blocks({P("y")}));
}

TEST(BlocksFromHtml, SelfClosedSvgElementsDoNotCountButHtmlOnesDo) {
  std::string svg = "<p>chart</p><svg>";
  for (int i = 0; i < 2000; ++i) svg += "<path d='M0 0'/>";
  EXPECT_EQ(Json(BlocksFromHtml(svg + "</svg><p>after</p>")), Blocks({P("chart"), P("after")}));
  // "<div/>" opens a div in HTML, even after an <svg> it broke out of.
  std::string divs = "<svg>";
  for (int i = 0; i < 2000; ++i) divs += "<div/>";
  EXPECT_THAT(Refusal([&] { BlocksFromHtml(divs); }), HasSubstr("nested more than 512"));
  // Nor inside an svg element whose content is HTML, and an svg <title> is no raw text.
  for (const std::string start : {"<svg><foreignObject>", "<svg><desc>", "<math><mi>"}) {
    std::string html = start;
    for (int i = 0; i < 2000; ++i) html += "<x-element/>";
    EXPECT_THAT(Refusal([&] { BlocksFromHtml(html); }), HasSubstr("nested more than 512")) << start;
  }
  std::string title = "<svg><title>";
  for (int i = 0; i < 2000; ++i) title += "<div>";
  EXPECT_THAT(Refusal([&] { BlocksFromHtml(title); }), HasSubstr("nested more than 512"));
}

// Random tag soup: whatever comes in, the result is valid text blocks or a clean refusal.
TEST(BlocksFromHtml, RandomTagSoupNeverCrashesAndGivesValidText) {
  const std::vector<std::string> pieces = {"<p>",
                                           "</p>",
                                           "<div>",
                                           "</div>",
                                           "<b>",
                                           "</b>",
                                           "<i>",
                                           "</i>",
                                           "<table>",
                                           "<tr>",
                                           "<td>",
                                           "</table>",
                                           "<script>",
                                           "</script>",
                                           "<style>",
                                           "<!--",
                                           "-->",
                                           "<svg>",
                                           "</svg>",
                                           "<br>",
                                           "<ul>",
                                           "<li>",
                                           "</ul>",
                                           "<h2>",
                                           "</h2>",
                                           "<blockquote>",
                                           "&amp;",
                                           "&#0;",
                                           "&#xD800;",
                                           "&bogus;",
                                           "<a href='javascript:x'>",
                                           "</a>",
                                           "Question: ",
                                           "Sergey Lavrov: ",
                                           "text ",
                                           "ж",
                                           "\n",
                                           "<",
                                           ">",
                                           "\"",
                                           "'",
                                           "=",
                                           "<![CDATA[",
                                           "]]>",
                                           "<template>",
                                           "<select>",
                                           "<textarea>",
                                           "<plaintext>",
                                           "<?xml ?>",
                                           "<!DOCTYPE html>",
                                           "<math>",
                                           "<noscript>"};
  std::mt19937 random(42);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  for (int round = 0; round < 3000; ++round) {
    std::string html;
    const int length = 1 + static_cast<int>(random() % 60);
    for (int i = 0; i < length; ++i) html += pieces[pick(random)];
    std::vector<Block> blocks;
    try {
      blocks = BlocksFromHtml(html);
    } catch (const Error& e) {
      ADD_FAILURE() << html << ": " << e.what();
      continue;
    }
    for (const Block& block : blocks) {
      std::vector<std::string> texts = block.paragraphs;
      texts.push_back(block.text);
      texts.push_back(block.speaker);
      for (const std::string& text : texts) {
        EXPECT_TRUE(content::IsValidUtf8(text)) << html;
        for (unsigned char c : text) EXPECT_GE(c, 0x20) << html;
        EXPECT_EQ(text.find("  "), std::string::npos) << html;
      }
    }
  }
}

// ---- Markdown ----

const std::vector<Case>& MarkdownCases() {
  static const std::vector<Case> cases = {
      {"headings_and_inline_markup", "# Title\n\nSome *em* and **strong** `code`.\n",
       Blocks({H("Title"), P("Some em and strong code.")})},
      {"raw_html_block_dropped", "<script>alert(1)</script>\n\ntext\n", Blocks({P("text")})},
      // Inline, <script> and </script> are two raw tags, each dropped; between them is text.
      {"inline_script_tags_dropped_their_content_is_text", "a<script>alert(1)</script>b\n",
       Blocks({P("aalert(1)b")})},
      {"raw_inline_html_dropped", "a <img src=x onerror=alert(1)> b <b>c</b>\n",
       Blocks({P("a b c")})},
      {"javascript_link_keeps_its_text", "[click](javascript:alert(1)) and <javascript:x()>\n",
       Blocks({P("click and javascript:x()")})},
      {"code_span_is_text", "Type `<script>` here.\n", Blocks({P("Type <script> here.")})},
      {"quote_and_list", "> quoted\n\n- a\n- b\n  1. b1\n",
       Blocks({Q("quoted"), L({"a", "b", "b1"})})},
      {"soft_and_hard_breaks", "one\ntwo  \nthree\n", Blocks({P("one two"), P("three")})},
      {"code_block_is_a_paragraph", "```\nint main() {}\n```\n", Blocks({P("int main() {}")})},
      {"transcript_turns",
       "Dear colleagues,\n\n**Question:** Why?\n\nSergey Lavrov: Because.\n\nAnd more.\n",
       Blocks({P("Dear colleagues,"), T("question", "Question", {"Why?"}),
               T("answer", "Sergey Lavrov", {"Because.", "And more."})})},
      {"entities", "Caf&eacute; &amp; &lt;b&gt;\n", Blocks({P("Café & <b>")})},
      {"empty", "", "[]"},
  };
  return cases;
}

class MarkdownTable : public ::testing::TestWithParam<Case> {};

TEST_P(MarkdownTable, GivesTheExpectedBlocks) {
  const Case& c = GetParam();
  EXPECT_EQ(Json(BlocksFromMarkdown(c.input)), c.expected) << c.input;
}

INSTANTIATE_TEST_SUITE_P(BodyFormats, MarkdownTable, ::testing::ValuesIn(MarkdownCases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(BlocksFromMarkdown, RefusesBadTextAndDeepNesting) {
  EXPECT_EQ(Refusal([] { BlocksFromMarkdown("a\n\nb\xff"); }), "line 3: invalid UTF-8");
  EXPECT_THAT(Refusal([] { BlocksFromMarkdown(std::string(kMaxBodyBytes + 1, 'a')); }),
              HasSubstr("more than the 16 MiB"));
  std::string quotes;
  while (quotes.size() < 2'000'000) quotes += "> ";
  EXPECT_EQ(Refusal([&] { BlocksFromMarkdown(quotes + "x"); }),
            "the Markdown has elements nested more than 512 deep");
}

// Linear, but 10 MB of "*a" is 27 MB of HTML for gumbo (about 20 s here): 300 KB each.
TEST(BlocksFromMarkdown, MegabytesOfPathologicalInlinesAreFine) {
  for (const std::string unit : {"*a", "[a", "`", "**_", "<a ", "&#", "[a](", "![a]["}) {
    std::string markdown;
    while (markdown.size() < 300'000) markdown += unit;
    EXPECT_NO_THROW(BlocksFromMarkdown(markdown)) << unit;
  }
}

// ---- A whole page ----

TEST(ParseHtmlDocument, ReadsHeadAndTakesTheFirstH1) {
  const auto document = ParseHtmlDocument(
      "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<title>Site &mdash; Page</title>\n"
      "<meta name=\"Published_At\" content=\" 2013-06-07T16:29:00+04:00 \">\n"
      "<meta property=\"og:title\" content=\"OG\">\n"
      "<link rel=\"alternate\" hreflang=\"ru-RU\" href=\"/ru/\">\n</head>\n"
      "<body><h1>The <em>headline</em></h1><p>Text.</p><h1>Second</h1></body></html>");
  EXPECT_EQ(document.language, "en-GB");
  EXPECT_EQ(document.title, "Site — Page");
  EXPECT_EQ(document.h1, "The headline");
  EXPECT_EQ(document.h1_line, 9);
  ASSERT_EQ(document.meta.size(), 3u);
  EXPECT_EQ(document.meta[0].name, "published_at");
  EXPECT_EQ(document.meta[0].content, "2013-06-07T16:29:00+04:00");
  EXPECT_EQ(document.meta[0].line, 5);
  EXPECT_EQ(document.meta[1].name, "og:title");
  EXPECT_EQ(document.meta[2].name, "hreflang");
  EXPECT_EQ(document.meta[2].content, "ru-RU");
  EXPECT_EQ(Json(document.blocks), Blocks({P("Text."), H("Second")}));
}

}  // namespace
}  // namespace assetpub::importers
