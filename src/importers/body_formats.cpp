#include "importers/body_formats.h"

#include <cmark.h>
#include <fmt/format.h>
#include <gumbo.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <unordered_set>
#include <utility>

#include "core/error.h"
#include "core/text.h"
#include "importers/speaker_turns.h"

namespace assetpub::importers {
namespace {

using content::Block;

[[noreturn]] void Reject(const std::string& reason) {
  throw Error(ErrorCode::kInvalidInput, reason);
}

int LineAt(std::string_view text, size_t offset) {
  return 1 + static_cast<int>(std::count(
                 text.begin(), text.begin() + static_cast<ptrdiff_t>(std::min(offset, text.size())),
                 '\n'));
}

// Size, binary data and UTF-8, before any parser sees the text.
void CheckText(std::string_view text, std::string_view format) {
  if (text.size() > kMaxBodyBytes) {
    Reject(fmt::format("the {} is {} bytes, more than the {} MiB a body may have", format,
                       text.size(), kMaxBodyBytes >> 20));
  }
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  int line = 1;
  for (int32_t i = 0; i < length;) {
    if (s[i] == '\n') ++line;
    if (s[i] == 0) Reject(fmt::format("line {}: binary data (a NUL byte), not {}", line, format));
    UChar32 c = 0;
    U8_NEXT(s, i, length, c);
    if (c < 0) Reject(fmt::format("line {}: invalid UTF-8", line));
  }
}

// The text without control characters other than white space (valid UTF-8 by now), so that the
// parsers do not turn them into U+FFFD: C0 but \t \n \r \f, DEL, C1 (U+0080–U+009F).
std::string WithoutControls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f) continue;
    if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      ++i;
      continue;
    }
    out += static_cast<char>(c);
  }
  return out;
}

// ---- Nesting, estimated on the source before gumbo builds a tree ----

std::string_view Lowered(std::string_view name, std::string& buffer) {
  buffer.assign(name);
  AsciiLowerInPlace(buffer);
  return buffer;
}

bool IsVoid(std::string_view name) {
  static const std::vector<std::string_view> kVoid = {
      "area",  "base",     "br",      "col",   "embed", "hr",      "img",
      "input", "keygen",   "link",    "meta",  "param", "source",  "track",
      "wbr",   "basefont", "bgsound", "frame", "image", "menuitem"};
  return std::find(kVoid.begin(), kVoid.end(), name) != kVoid.end();
}

// Elements a browser closes by itself when a sibling starts ("<p>a<p>b", "<li>a<li>b",
// "<a>a<a>b").
bool ClosesItself(std::string_view name) {
  static const std::vector<std::string_view> kNames = {
      "p",    "li", "dt", "dd", "option", "optgroup", "tr",    "td",    "th",       "a",
      "nobr", "rb", "rt", "rp", "rtc",    "thead",    "tbody", "tfoot", "colgroup", "caption"};
  return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

// Elements whose content is text up to their end tag, never markup.
bool IsRawText(std::string_view name) {
  return name == "script" || name == "style" || name == "textarea" || name == "title" ||
         name == "xmp" || name == "iframe" || name == "noembed" || name == "noframes";
}

long Count(const std::map<std::string, int, std::less<>>& open, std::string_view name) {
  const auto it = open.find(name);
  return it == open.end() ? 0 : it->second;
}

// Elements of svg and math whose content is HTML again.
constexpr std::array<std::string_view, 9> kIntegrationPoints = {
    "foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext", "annotation-xml"};

// HTML start tags that end svg or math content (the HTML spec's "breakout" list).
bool BreaksOutOfForeignContent(std::string_view name) {
  static const std::vector<std::string_view> kNames = {
      "b",      "big",  "blockquote", "body",  "br",   "center", "code",    "dd",   "div",
      "dl",     "dt",   "em",         "embed", "h1",   "h2",     "h3",      "h4",   "h5",
      "h6",     "head", "hr",         "i",     "img",  "li",     "listing", "menu", "meta",
      "nobr",   "ol",   "p",          "pre",   "ruby", "s",      "small",   "span", "strong",
      "strike", "sub",  "sup",        "table", "tt",   "u",      "ul",      "var",  "font"};
  return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

// An upper bound on how deep gumbo will nest the elements of `html`, checked against
// kMaxNesting as the text is read. Every start tag opens an element until an end tag of its name
// closes one (misnested formatting elements stay open, as the HTML algorithm reopens them);
// self-closing elements such as p and li count at most a few times over the others, since they
// can only nest through another container; inside svg and math, "<path/>" closes itself, until
// an HTML element breaks out of them. The tokenizer follows HTML's: quotes delimit only
// attribute values, comments and raw-text elements hold no tags.
void CheckNesting(std::string_view html) {
  const size_t n = html.size();
  std::map<std::string, int, std::less<>> open;
  long containers = 0;    // open elements that do not close themselves
  long self_closing = 0;  // open p, li, td, …
  std::string name_buffer;
  size_t i = 0;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    const size_t tag_start = i;
    ++i;
    if (i >= n) break;
    if (html[i] == '!') {
      if (html.substr(i, 3) == "!--") {
        const size_t end = html.find("-->", i + 3);
        i = end == std::string_view::npos ? n : end + 3;
      } else {
        const size_t end = html.find('>', i);
        i = end == std::string_view::npos ? n : end + 1;
      }
      continue;
    }
    if (html[i] == '?') {
      const size_t end = html.find('>', i);
      i = end == std::string_view::npos ? n : end + 1;
      continue;
    }
    const bool closing = html[i] == '/';
    if (closing) ++i;
    if (i >= n || !std::isalpha(static_cast<unsigned char>(html[i]))) continue;
    const size_t name_start = i;
    while (i < n && html[i] != '>' && html[i] != '/' &&
           !std::isspace(static_cast<unsigned char>(html[i]))) {
      ++i;
    }
    const std::string_view name =
        Lowered(html.substr(name_start, std::min<size_t>(i - name_start, 64)), name_buffer);
    // Attributes, up to the tag's '>'.
    while (i < n && html[i] != '>') {
      if (html[i] != '=') {
        ++i;
        continue;
      }
      ++i;
      while (i < n && std::isspace(static_cast<unsigned char>(html[i]))) ++i;
      if (i < n && (html[i] == '"' || html[i] == '\'')) {
        const size_t end = html.find(html[i], i + 1);
        i = end == std::string_view::npos ? n : end + 1;
      }
    }
    const bool self_closed = i < n && i > name_start && html[i - 1] == '/';
    if (i < n) ++i;  // the '>'
    if (closing) {
      auto it = open.find(name);
      if (it != open.end() && it->second > 0) {
        --it->second;
        --(ClosesItself(name) ? self_closing : containers);
      }
      continue;
    }
    if (IsVoid(name)) continue;
    if (name == "plaintext") break;
    // Inside svg or math (but not in one of their HTML integration points), "<path/>" closes
    // itself and <title>, <style> hold markup; an HTML element such as <div> breaks out.
    const long foreign = Count(open, "svg") + Count(open, "math");
    bool in_foreign =
        foreign > 0 && !std::any_of(kIntegrationPoints.begin(), kIntegrationPoints.end(),
                                    [&](auto point) { return Count(open, point) > 0; });
    if (in_foreign && BreaksOutOfForeignContent(name)) {
      containers -= foreign;
      open["svg"] = 0;
      open["math"] = 0;
      in_foreign = false;
    }
    if (in_foreign && self_closed) continue;
    if (!in_foreign && IsRawText(name)) {
      // Skip to "</name", case-insensitively.
      const std::string end_tag = "</" + std::string(name);
      size_t at = i;
      for (;;) {
        at = html.find("</", at);
        if (at == std::string_view::npos) break;
        std::string candidate_buffer;
        if (Lowered(html.substr(at, end_tag.size()), candidate_buffer) == end_tag) break;
        at += 2;
      }
      i = at == std::string_view::npos ? n : at;
      continue;
    }
    ++open[std::string(name)];
    ++(ClosesItself(name) ? self_closing : containers);
    const long depth = containers + std::min(self_closing, 4 * (containers + 1));
    if (depth > kMaxNesting) {
      Reject(fmt::format("line {}: elements nested more than {} deep", LineAt(html, tag_start),
                         kMaxNesting));
    }
  }
}

// ---- Text ----

bool IsSpace(UChar32 c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0xA0 ||
         c == 0xFEFF || u_isUWhiteSpace(c);
}

bool IsControl(UChar32 c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// Every run of white space becomes one space, control characters go, the ends are trimmed.
std::string Normalise(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  bool space = false;
  const auto* s = reinterpret_cast<const uint8_t*>(raw.data());
  const auto length = static_cast<int32_t>(raw.size());
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(s, i, length, c);
    if (c < 0) c = 0xFFFD;  // gumbo's output is valid UTF-8; this is only a guard
    if (IsSpace(c)) {
      space = true;
      continue;
    }
    if (IsControl(c)) continue;
    if (space && !out.empty()) out += ' ';
    space = false;
    if (c == 0xFFFD && raw.substr(start, i - start) != "\xEF\xBF\xBD") {
      out += "\xEF\xBF\xBD";
    } else {
      out.append(raw.substr(start, i - start));
    }
  }
  return out;
}

// ---- The tree walk ----

bool IsDropped(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_IMAGE:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_AREA:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_OPTGROUP:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_DATALIST:
    case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_OUTPUT:
    case GUMBO_TAG_PROGRESS:
    case GUMBO_TAG_METER:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_META:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_XMP:
    case GUMBO_TAG_PLAINTEXT:
    case GUMBO_TAG_RT:
    case GUMBO_TAG_RP:
    case GUMBO_TAG_NAV:  // a site's navigation, never the body's text
      return true;
    default:
      return false;
  }
}

bool IsBlockBoundary(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_DIR:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_LISTING:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_CENTER:
      return true;
    default:
      return false;
  }
}

bool IsHeading(GumboTag tag) {
  return tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3 || tag == GUMBO_TAG_H4 ||
         tag == GUMBO_TAG_H5 || tag == GUMBO_TAG_H6;
}

bool IsList(GumboTag tag) {
  return tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL || tag == GUMBO_TAG_MENU ||
         tag == GUMBO_TAG_DIR;
}

std::string Attribute(const GumboElement& element, const char* name) {
  const GumboAttribute* attribute = gumbo_get_attribute(&element.attributes, name);
  return attribute == nullptr ? std::string() : std::string(attribute->value);
}

// Collects a body's blocks, depth-first without recursion (the depth is bounded by CheckNesting,
// but the walk would not need it).
class Walker {
 public:
  explicit Walker(bool take_first_h1) : take_first_h1_(take_first_h1) {}

  void Walk(const GumboNode* root) {
    struct Frame {
      const GumboNode* node;
      unsigned next;
    };
    std::vector<Frame> stack;
    if (Enter(root)) stack.push_back({root, 0});
    while (!stack.empty()) {
      Frame& frame = stack.back();
      const GumboVector& children = frame.node->v.element.children;
      if (frame.next >= children.length) {
        Exit(frame.node);
        stack.pop_back();
        continue;
      }
      const auto* child = static_cast<const GumboNode*>(children.data[frame.next++]);
      if (Enter(child)) stack.push_back({child, 0});
    }
    Flush();
  }

  std::vector<Block> TakeBlocks() { return std::move(blocks_); }
  const std::string& h1() const { return h1_; }
  int h1_line() const { return h1_line_; }

 private:
  // Handles a node on the way down; true when its children are to be visited.
  bool Enter(const GumboNode* node) {
    switch (node->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE:
      case GUMBO_NODE_CDATA:
        buffer_ += node->v.text.text;
        return false;
      case GUMBO_NODE_COMMENT:
      case GUMBO_NODE_TEMPLATE:
        return false;
      case GUMBO_NODE_DOCUMENT:
      case GUMBO_NODE_ELEMENT:
        break;
    }
    if (node->type == GUMBO_NODE_DOCUMENT) return true;
    const GumboElement& element = node->v.element;
    if (element.tag_namespace != GUMBO_NAMESPACE_HTML || IsDropped(element.tag)) return false;
    if (element.tag == GUMBO_TAG_BR) {
      if (heading_ == 0 && list_ == 0) {
        Flush();
      } else {
        buffer_ += ' ';
      }
      return false;
    }
    if (!IsBlockBoundary(element.tag)) return true;
    Flush();
    if (IsHeading(element.tag)) {
      if (heading_ == 0) {
        heading_tag_ = element.tag;
        heading_line_ = static_cast<int>(element.start_pos.line);
      }
      ++heading_;
    }
    if (element.tag == GUMBO_TAG_BLOCKQUOTE) ++quote_;
    if (IsList(element.tag)) ++list_;
    return true;
  }

  void Exit(const GumboNode* node) {
    if (node->type != GUMBO_NODE_ELEMENT) return;
    const GumboTag tag = node->v.element.tag;
    if (!IsBlockBoundary(tag)) return;
    Flush();
    if (IsHeading(tag)) --heading_;
    if (tag == GUMBO_TAG_BLOCKQUOTE) --quote_;
    if (IsList(tag) && --list_ == 0 && !items_.empty()) {
      Block list;
      list.type = Block::Type::kList;
      list.paragraphs = std::move(items_);
      items_.clear();
      blocks_.push_back(std::move(list));
    }
  }

  // The text gathered since the last block boundary becomes a block of the kind its context
  // says.
  void Flush() {
    std::string text = Normalise(buffer_);
    buffer_.clear();
    if (text.empty()) return;
    if (list_ > 0) {
      items_.push_back(std::move(text));
      return;
    }
    Block block = Block::Paragraph(std::move(text));
    if (heading_ > 0) {
      if (take_first_h1_ && !h1_taken_ && heading_tag_ == GUMBO_TAG_H1) {
        h1_taken_ = true;
        h1_ = std::move(block.text);
        h1_line_ = heading_line_;
        return;
      }
      block.type = Block::Type::kHeading;
    } else if (quote_ > 0) {
      block.type = Block::Type::kQuote;
    }
    blocks_.push_back(std::move(block));
  }

  const bool take_first_h1_;
  bool h1_taken_ = false;
  std::string h1_;
  int h1_line_ = 0;
  std::string buffer_;
  std::vector<Block> blocks_;
  std::vector<std::string> items_;  // of the outermost open list
  int heading_ = 0;
  GumboTag heading_tag_ = GUMBO_TAG_UNKNOWN;
  int heading_line_ = 0;
  int quote_ = 0;
  int list_ = 0;
};

// A parse tree and the memory gumbo allocated for it. gumbo 0.10 leaks a few strings on some
// malformed input (LeakSanitizer found them in the tag-soup test): every block it asks for is
// recorded here, and whatever gumbo_destroy_output does not free is freed with the tree.
class ParsedHtml {
 public:
  explicit ParsedHtml(std::string_view html) {
    options_ = kGumboDefaultOptions;
    options_.allocator = &Allocate;
    options_.deallocator = &Deallocate;
    options_.userdata = &blocks_;
    output_ = gumbo_parse_with_options(&options_, html.data(), html.size());
    if (output_ == nullptr) throw Error(ErrorCode::kInternal, "the HTML parser failed");
  }
  ~ParsedHtml() {
    gumbo_destroy_output(&options_, output_);
    for (void* block : blocks_) std::free(block);
  }
  ParsedHtml(const ParsedHtml&) = delete;
  ParsedHtml& operator=(const ParsedHtml&) = delete;

  const GumboOutput& output() const { return *output_; }

 private:
  using Blocks = std::unordered_set<void*>;
  static void* Allocate(void* userdata, size_t size) {
    void* block = std::malloc(size == 0 ? 1 : size);
    if (block == nullptr) std::abort();  // gumbo cannot report a failure, nor can we through it
    static_cast<Blocks*>(userdata)->insert(block);
    return block;
  }
  static void Deallocate(void* userdata, void* block) {
    if (block == nullptr) return;
    static_cast<Blocks*>(userdata)->erase(block);
    std::free(block);
  }

  GumboOptions options_;
  Blocks blocks_;
  GumboOutput* output_ = nullptr;
};

std::unique_ptr<ParsedHtml> Parse(std::string_view html) {
  CheckNesting(html);
  return std::make_unique<ParsedHtml>(html);
}

const GumboNode* FindChild(const GumboNode* parent, GumboTag tag) {
  if (parent == nullptr || parent->type != GUMBO_NODE_ELEMENT) return nullptr;
  const GumboVector& children = parent->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    const auto* child = static_cast<const GumboNode*>(children.data[i]);
    if (child->type == GUMBO_NODE_ELEMENT && child->v.element.tag == tag) return child;
  }
  return nullptr;
}

std::vector<Block> BodyBlocks(const GumboOutput& output, Walker& walker) {
  // Only the body: whatever gumbo put into <head> (a pasted <title>, <style>, <meta>) is not
  // part of it.
  const GumboNode* body = FindChild(output.root, GUMBO_TAG_BODY);
  if (body != nullptr) walker.Walk(body);
  return GroupTurns(walker.TakeBlocks());
}

std::vector<Block> BlocksFromCheckedHtml(std::string_view html) {
  const auto parsed = Parse(html);
  Walker walker(false);
  return BodyBlocks(parsed->output(), walker);
}

std::string TextOf(const GumboNode* node) {
  std::string text;
  std::vector<const GumboNode*> stack{node};
  while (!stack.empty()) {
    const GumboNode* current = stack.back();
    stack.pop_back();
    if (current->type == GUMBO_NODE_TEXT || current->type == GUMBO_NODE_WHITESPACE ||
        current->type == GUMBO_NODE_CDATA) {
      text += current->v.text.text;
    } else if (current->type == GUMBO_NODE_ELEMENT) {
      const GumboVector& children = current->v.element.children;
      for (unsigned i = children.length; i > 0; --i) {
        stack.push_back(static_cast<const GumboNode*>(children.data[i - 1]));
      }
    }
  }
  return Normalise(text);
}

}  // namespace

std::vector<Block> BlocksFromHtml(std::string_view html) {
  CheckText(html, "HTML");
  return BlocksFromCheckedHtml(WithoutControls(html));
}

std::vector<Block> BlocksFromMarkdown(std::string_view markdown) {
  CheckText(markdown, "Markdown");
  const std::string clean = WithoutControls(markdown);
  markdown = clean;
  // CMARK_OPT_DEFAULT is safe in cmark 0.30: raw HTML becomes a comment, unsafe link targets
  // become empty. Neither would survive BlocksFromHtml anyway.
  std::unique_ptr<cmark_node, decltype(&cmark_node_free)> document(
      cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT), &cmark_node_free);
  if (!document) throw Error(ErrorCode::kInternal, "the Markdown parser failed");
  cmark_mem* memory = cmark_get_default_mem_allocator();
  char* rendered = cmark_render_html(document.get(), CMARK_OPT_DEFAULT);
  if (rendered == nullptr) throw Error(ErrorCode::kInternal, "the Markdown renderer failed");
  const std::string html(rendered);
  memory->free(rendered);
  document.reset();
  try {
    return BlocksFromCheckedHtml(html);
  } catch (const Error& e) {
    // The line of the HTML cmark made means nothing to the author: name the problem only.
    const std::string_view what(e.what());
    if (const size_t at = what.find("elements nested"); at != std::string_view::npos) {
      throw Error(e.code(), fmt::format("the Markdown has {}", what.substr(at)));
    }
    throw;
  }
}

HtmlDocument ParseHtmlDocument(std::string_view html) {
  CheckText(html, "HTML");
  const std::string clean = WithoutControls(html);
  const auto parsed = Parse(clean);
  const GumboOutput& output = parsed->output();
  HtmlDocument document;
  const GumboNode* root = output.root;
  if (root != nullptr && root->type == GUMBO_NODE_ELEMENT) {
    document.language = Normalise(Attribute(root->v.element, "lang"));
    document.language_line = static_cast<int>(root->v.element.start_pos.line);
  }
  if (const GumboNode* head = FindChild(root, GUMBO_TAG_HEAD)) {
    const GumboVector& children = head->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      const auto* child = static_cast<const GumboNode*>(children.data[i]);
      if (child->type != GUMBO_NODE_ELEMENT) continue;
      const GumboElement& element = child->v.element;
      const int line = static_cast<int>(element.start_pos.line);
      if (element.tag == GUMBO_TAG_TITLE && document.title.empty()) {
        document.title = TextOf(child);
      } else if (element.tag == GUMBO_TAG_META) {
        std::string name = Attribute(element, "name");
        if (name.empty()) name = Attribute(element, "property");
        if (name.empty()) continue;
        document.meta.push_back(
            {AsciiLower(Normalise(name)), Normalise(Attribute(element, "content")), line});
      } else if (element.tag == GUMBO_TAG_LINK &&
                 AsciiLower(Attribute(element, "rel")) == "alternate") {
        std::string tag = Normalise(Attribute(element, "hreflang"));
        if (!tag.empty()) document.meta.push_back({"hreflang", std::move(tag), line});
      }
    }
  }
  Walker walker(true);
  document.blocks = BodyBlocks(output, walker);
  document.h1 = walker.h1();
  document.h1_line = walker.h1_line();
  return document;
}

}  // namespace assetpub::importers
