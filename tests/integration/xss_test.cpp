// The XSS and injection campaign: hostile strings in every free-text field of the
// model (titles, places, summaries, every block type, people, tags, categories, related titles,
// sources, media names and captions, the site's and the lists' names in config.toml), loaded
// through the real paths (`assetpub import` of a JSON file, the write API with a token, media
// uploads, the admin forms), served by `assetpub serve`, and every URL type fetched (twice: the
// second answer may come from the page cache) with hostile paths and parameters too, and checked
// structurally, not by substring:
//   - HTML is parsed with gumbo and walked: only the elements and attributes our templates
//     write, no event-handler attribute, no script but JSON-LD data, no javascript:/data:/
//     vbscript: URL, no comment; and each hostile value comes back as one text node or
//     attribute value, exactly as given (not lost, not double-escaped, not split by markup).
//   - Feeds and sitemaps are parsed with libxml2: well-formed, only the expected elements, no
//     CDATA, the hostile text back exactly (and an RSS description, which readers treat as
//     HTML, holds escaped HTML whose text is the summary).
//   - JSON is parsed with nlohmann: every hostile string round-trips exactly.
//   - Headers: CSP without 'unsafe-inline' and with frame-ancestors, nosniff, Referrer-Policy.
// Needs ASSETPUB_BINARY and ASSETPUB_SOURCE_DIR (compile definitions).

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <gumbo.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <boost/beast/http.hpp>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <tuple>
#include <utility>  // before Asio: Asio 1.74 with g++ 12 needs std::exchange (DEPENDENCIES.md)
#include <vector>

#include "support/admin_browser.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace {

namespace bhttp = boost::beast::http;
using assetpub::testing::AdminBrowser;
using assetpub::testing::Fetch;
using assetpub::testing::FormEncode;
using assetpub::testing::HiddenField;
using assetpub::testing::HttpClient;
using assetpub::testing::PercentEncode;
using assetpub::testing::Reply;
using assetpub::testing::RequestHeaders;
using assetpub::testing::RunCommand;
using assetpub::testing::ServerProcess;
using nlohmann::json;

constexpr const char* kAdminName = "xss-admin";
constexpr const char* kAdminPassword = "a long admin pass phrase";

// Every attack at once: each field's value is its marker ("QxssTitleEn": a word to search
// for, naming the field in a failure) followed by all of these.
const std::string kPayload =
    "</title><script>window.__xss=1</script>"
    " \"><img src=x onerror=window.__xss=1>"
    " ' onmouseover='window.__xss=1' x='"
    " javascript:window.__xss=1"
    " ]]></description><script>window.__xss=1</script><![CDATA["
    " &lt;script&gt;window.__xss=1&lt;/script&gt; &amp;amp; &#60;b&#62;"
    " {{mustache}} {{{triple}}} {{#s}}x{{/s}} {{>layout}} {name} %s {0}"
    " \u2028 \u2029 \u202E<svg onload=window.__xss=1>"
    " <iframe src=\"javascript:window.__xss=1\"></iframe><a "
    "href=\"javascript:window.__xss=1\">x</a>"
    " </script><script>window.__xss=1</script><!--"
    " <style>*{display:none}</style><base href=\"//evil.example/\">"
    " \xC2\x85"
    "\xC2\x9B"
    "\t<math><mi xlink:href=\"javascript:window.__xss=1\">m</mi></math>";

std::string Hostile(const std::string& marker);

// Hostile(marker) without its control characters (tab, C1): one line a form field takes.
std::string HostileLine(const std::string& marker) {
  std::string value = Hostile(marker);
  std::erase(value, '\t');
  for (const char* c1 : {"\xC2\x85", "\xC2\x9B"}) {
    for (size_t at = value.find(c1); at != std::string::npos; at = value.find(c1)) {
      value.erase(at, 2);
    }
  }
  return value;
}

std::string Hostile(const std::string& marker) {
  // A token's name is one short line (at most 100 bytes, no control character).
  if (marker == "QxssTokenName") return marker + " </td><script>window.__xss=1</script>\"'{{x}}";
  // A revision's note: at most 500 bytes.
  if (marker.ends_with("Note") && !marker.starts_with("QxssNote")) {
    return marker + " </td><script>window.__xss=1</script> \"><img src=x onerror=window.__xss=1>" +
           " ' onmouseover='window.__xss=1' {{m}} &lt;b&gt; \u2028\u202E";
  }
  return marker + " " + kPayload;
}

// A paragraph far longer than any other text: about 60 KB of markup-looking text.
std::string LongHostile() {
  std::string text = "QxssLongEn";
  while (text.size() < 60000) text += " <b>long</b> &amp; ' \" <script>window.__xss=1</script>";
  return text;
}

// --- HTML -----------------------------------------------------------------------------------

// What a page is made of, as far as the checks need: problems found while walking it, every
// text node's text, every attribute value, and the strings inside JSON-LD.
struct HtmlFacts {
  std::vector<std::string> problems;
  std::vector<std::string> texts;  // text nodes, attribute values, JSON-LD strings
  std::map<std::string, int> elements;
};

// The elements our templates write (and the media section may: img, figure, audio, video with
// their sources, checked for their URLs below).
const std::set<std::string> kAllowedElements = {
    "html",   "head",    "body",   "meta",       "title",      "link",     "script",  "a",
    "span",   "p",       "h1",     "h2",         "h3",         "h4",       "h5",      "h6",
    "header", "footer",  "main",   "nav",        "ul",         "ol",       "li",      "form",
    "label",  "input",   "button", "select",     "option",     "details",  "summary", "fieldset",
    "legend", "section", "aside",  "article",    "dl",         "dt",       "dd",      "time",
    "strong", "em",      "table",  "caption",    "colgroup",   "col",      "thead",   "tbody",
    "tr",     "th",      "td",     "div",        "blockquote", "textarea", "code",    "mark",
    "br",     "img",     "figure", "figcaption", "audio",      "video",    "source",  "del",
    "ins",    "pre",     "small",  "abbr",       "picture",    "track",    "hr"};

// Attributes whose value is a URL a browser may follow or load.
const std::set<std::string> kUrlAttributes = {"href",       "src",        "action", "formaction",
                                              "srcset",     "poster",     "data",   "cite",
                                              "background", "xlink:href", "ping",   "manifest"};

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// The scheme a browser would see in `url` (it drops ASCII whitespace and controls first), lower
// case, or "" for a relative URL.
std::string UrlScheme(const std::string& url) {
  std::string cleaned;
  for (const unsigned char c : url) {
    if (c > 0x20) cleaned += static_cast<char>(std::tolower(c));
  }
  const size_t colon = cleaned.find(':');
  if (colon == std::string::npos) return "";
  const size_t stop = cleaned.find_first_of("/?#");
  if (stop != std::string::npos && stop < colon) return "";
  return cleaned.substr(0, colon);
}

void CollectJsonStrings(const json& value, std::vector<std::string>& out) {
  if (value.is_string()) {
    out.push_back(value.get<std::string>());
  } else if (value.is_structured()) {
    for (const json& child : value) CollectJsonStrings(child, out);
  }
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) out.push_back(key);
  }
}

std::string TagName(const GumboNode* node) {
  const GumboElement& element = node->v.element;
  if (element.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(element.tag);
  GumboStringPiece piece = element.original_tag;
  gumbo_tag_from_original_text(&piece);
  return Lower(std::string(piece.data, piece.length));
}

void Walk(const GumboNode* node, HtmlFacts& facts) {
  switch (node->type) {
    case GUMBO_NODE_DOCUMENT:
      for (unsigned i = 0; i < node->v.document.children.length; ++i) {
        Walk(static_cast<const GumboNode*>(node->v.document.children.data[i]), facts);
      }
      return;
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_WHITESPACE:
      facts.texts.emplace_back(node->v.text.text);
      return;
    case GUMBO_NODE_CDATA:
      facts.problems.push_back(std::string("a CDATA section: ") + node->v.text.text);
      return;
    case GUMBO_NODE_COMMENT:
      facts.problems.push_back(std::string("a comment: <!--") + node->v.text.text + "-->");
      return;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
      break;
  }
  const GumboElement& element = node->v.element;
  const std::string name = TagName(node);
  ++facts.elements[name];
  if (element.tag_namespace != GUMBO_NAMESPACE_HTML) {
    facts.problems.push_back("a foreign (SVG/MathML) element <" + name + ">");
  }
  if (!kAllowedElements.contains(name)) {
    facts.problems.push_back("an element no template writes: <" + name + ">");
  }
  std::map<std::string, std::string> attributes;
  for (unsigned i = 0; i < element.attributes.length; ++i) {
    const auto* attribute = static_cast<const GumboAttribute*>(element.attributes.data[i]);
    const std::string attribute_name = Lower(attribute->name);
    const std::string value = attribute->value;
    attributes[attribute_name] = value;
    facts.texts.push_back(value);
    if (attribute_name.starts_with("on")) {
      facts.problems.push_back("an event handler: <" + name + " " + attribute_name + "=\"" + value +
                               "\">");
    }
    if (attribute_name == "style") facts.problems.push_back("a style attribute on <" + name + ">");
    if (kUrlAttributes.contains(attribute_name)) {
      const std::string scheme = UrlScheme(value);
      if (!scheme.empty() && scheme != "http" && scheme != "https" && scheme != "mailto") {
        facts.problems.push_back("a " + scheme + ": URL in <" + name + " " + attribute_name +
                                 "=\"" + value + "\">");
      }
      if (value.starts_with("//")) {
        facts.problems.push_back("a URL to another host: <" + name + " " + attribute_name + "=\"" +
                                 value + "\">");
      }
    }
  }
  if (name == "meta" && attributes.contains("http-equiv")) {
    facts.problems.push_back("a <meta http-equiv=\"" + attributes["http-equiv"] + "\">");
  }
  if (name == "img" || name == "source" || name == "audio" || name == "video" || name == "track") {
    const std::string& src = attributes["src"];
    // Drafts' files are previewed from /admin/media/ (behind the editor's session).
    if (!src.empty() && !src.starts_with("/media/") && !src.starts_with("/static/") &&
        !src.starts_with("/admin/media/")) {
      facts.problems.push_back("<" + name + " src=\"" + src +
                               "\"> not from /media/, /admin/media/ or /static/");
    }
  }
  if (name == "script") {
    std::string inline_text;
    for (unsigned i = 0; i < element.children.length; ++i) {
      const auto* child = static_cast<const GumboNode*>(element.children.data[i]);
      if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_WHITESPACE) {
        inline_text += child->v.text.text;
      }
    }
    if (attributes["type"] == "application/ld+json" && !attributes.contains("src")) {
      try {
        CollectJsonStrings(json::parse(inline_text), facts.texts);
      } catch (const json::exception& e) {
        facts.problems.push_back("JSON-LD that does not parse (" + std::string(e.what()) +
                                 "): " + inline_text.substr(0, 300));
      }
    } else if (!attributes["src"].starts_with("/static/") || !inline_text.empty()) {
      facts.problems.push_back("a script: <script src=\"" + attributes["src"] + "\">" +
                               inline_text.substr(0, 300));
    }
    return;  // a script's text is not page text
  }
  for (unsigned i = 0; i < element.children.length; ++i) {
    Walk(static_cast<const GumboNode*>(element.children.data[i]), facts);
  }
}

HtmlFacts ParseHtml(const std::string& html) {
  HtmlFacts facts;
  GumboOutput* output = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
  Walk(output->document, facts);
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  return facts;
}

// `value` as gumbo hands it back: gumbo replaces the C1 controls (U+0080 to U+009F, which a
// browser keeps) with U+FFFD, so the expected text is compared in that form.
std::string AsGumboGivesIt(const std::string& value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    const auto next = i + 1 < value.size() ? static_cast<unsigned char>(value[i + 1]) : 0;
    if (c == 0xC2 && next >= 0x80 && next <= 0x9F) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// True when `value` is (inside) one text node or attribute value.
bool HasText(const std::vector<std::string>& texts, const std::string& value) {
  return std::any_of(texts.begin(), texts.end(), [&](const std::string& text) {
    return text.find(value) != std::string::npos;
  });
}

// The directives of a Content-Security-Policy, by name.
std::map<std::string, std::string> CspDirectives(const std::string& policy) {
  std::map<std::string, std::string> directives;
  size_t start = 0;
  while (start < policy.size()) {
    size_t end = policy.find(';', start);
    if (end == std::string::npos) end = policy.size();
    std::string directive = policy.substr(start, end - start);
    directive.erase(0, directive.find_first_not_of(' '));
    const size_t space = directive.find(' ');
    if (!directive.empty()) {
      directives[Lower(directive.substr(0, space))] =
          space == std::string::npos ? "" : directive.substr(space + 1);
    }
    start = end + 1;
  }
  return directives;
}

void ExpectSecurityHeaders(const Reply& reply, const std::string& label) {
  EXPECT_EQ(reply.Header("x-content-type-options"), "nosniff") << label;
  EXPECT_FALSE(reply.Header("referrer-policy").empty()) << label;
  const std::map<std::string, std::string> csp =
      CspDirectives(reply.Header("content-security-policy"));
  ASSERT_FALSE(csp.empty()) << label << ": no Content-Security-Policy";
  const auto script = csp.contains("script-src") ? csp.find("script-src") : csp.find("default-src");
  ASSERT_NE(script, csp.end()) << label << ": the CSP does not restrict scripts";
  for (const char* loose : {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"}) {
    EXPECT_EQ((" " + script->second + " ").find(std::string(" ") + loose + " "), std::string::npos)
        << label << ": the CSP allows scripts from " << loose;
  }
  EXPECT_TRUE(csp.contains("frame-ancestors")) << label;
}

// What `text` has around the first `marker` (for a failure's message).
std::string Around(const std::string& text, const std::string& marker) {
  const size_t at = text.find(marker);
  if (at == std::string::npos) return "(not there at all)";
  return text.substr(at < 100 ? 0 : at - 100, 900);
}

// A value the page must show, and what to call it in a failure.
using Expected = std::vector<std::pair<std::string, std::string>>;

// The structural checks on one HTML answer (see the file's comment).
void ExpectInertHtml(const Reply& reply, const std::string& label, const Expected& expected) {
  EXPECT_THAT(reply.Header("content-type"), ::testing::StartsWith("text/html")) << label;
  ExpectSecurityHeaders(reply, label);
  const HtmlFacts facts = ParseHtml(reply.body);
  for (const std::string& problem : facts.problems) ADD_FAILURE() << label << ": " << problem;
  for (const auto& [field, value] : expected) {
    EXPECT_TRUE(HasText(facts.texts, AsGumboGivesIt(value)))
        << label << ": " << field
        << " is not one text (or attribute value) as given: " << value.substr(0, 120)
        << "\nwhat the page has: " << Around(reply.body, field);
  }
}

// --- XML ------------------------------------------------------------------------------------

struct XmlFacts {
  bool well_formed = false;
  std::vector<std::string> problems;
  std::vector<std::string> texts;             // text nodes and attribute values
  std::vector<std::string> rss_descriptions;  // RSS <description> texts
};

void WalkXml(const xmlNode* node, const std::set<std::string>& allowed, XmlFacts& facts) {
  for (; node != nullptr; node = node->next) {
    switch (node->type) {
      case XML_ELEMENT_NODE: {
        std::string name = reinterpret_cast<const char*>(node->name);
        if (node->ns != nullptr && node->ns->prefix != nullptr) {
          name = std::string(reinterpret_cast<const char*>(node->ns->prefix)) + ":" + name;
        }
        if (!allowed.contains(name))
          facts.problems.push_back("an unexpected element <" + name + ">");
        for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
          xmlChar* value = xmlNodeListGetString(node->doc, a->children, 1);
          facts.texts.emplace_back(value != nullptr ? reinterpret_cast<const char*>(value) : "");
          xmlFree(value);
        }
        if (name == "description") {
          xmlChar* value = xmlNodeGetContent(node);
          facts.rss_descriptions.emplace_back(reinterpret_cast<const char*>(value));
          xmlFree(value);
        }
        WalkXml(node->children, allowed, facts);
        break;
      }
      case XML_TEXT_NODE:
        facts.texts.emplace_back(reinterpret_cast<const char*>(node->content));
        break;
      case XML_CDATA_SECTION_NODE:
        facts.problems.push_back(std::string("a CDATA section: ") +
                                 reinterpret_cast<const char*>(node->content));
        break;
      case XML_COMMENT_NODE:
        facts.problems.push_back("a comment");
        break;
      case XML_PI_NODE:
        facts.problems.push_back("a processing instruction");
        break;
      default:
        break;
    }
  }
}

XmlFacts ParseXml(const std::string& text, const std::set<std::string>& allowed) {
  XmlFacts facts;
  xmlDoc* doc = xmlReadMemory(text.data(), static_cast<int>(text.size()), "answer.xml", nullptr,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == nullptr) return facts;
  facts.well_formed = true;
  for (const xmlNode* child = doc->children; child != nullptr; child = child->next) {
    if (child->type == XML_DTD_NODE || child->type == XML_ENTITY_DECL) {
      facts.problems.push_back("a DTD or entity declaration");
    }
  }
  WalkXml(xmlDocGetRootElement(doc), allowed, facts);
  xmlFreeDoc(doc);
  return facts;
}

const std::set<std::string> kRssElements = {
    "rss",           "channel", "title", "link",    "description", "language",
    "lastBuildDate", "item",    "guid",  "pubDate", "category",    "atom:link"};
const std::set<std::string> kAtomElements = {"feed",   "id",        "title",   "updated",
                                             "author", "name",      "uri",     "link",
                                             "entry",  "published", "summary", "category"};
const std::set<std::string> kSitemapElements = {"sitemapindex", "sitemap", "loc",       "lastmod",
                                                "urlset",       "url",     "xhtml:link"};

// XML 1.0 cannot carry C0 controls other than tab, LF and CR: the feeds drop them (docs/api.md).
// Our payload has none of those, so every value comes back whole.
void ExpectXml(const Reply& reply, const std::string& label, const std::set<std::string>& allowed,
               const Expected& expected) {
  EXPECT_EQ(reply.status, 200) << label;
  EXPECT_EQ(reply.Header("x-content-type-options"), "nosniff") << label;
  const XmlFacts facts = ParseXml(reply.body, allowed);
  ASSERT_TRUE(facts.well_formed) << label << " is not well-formed XML:\n"
                                 << reply.body.substr(0, 2000);
  for (const std::string& problem : facts.problems) ADD_FAILURE() << label << ": " << problem;
  for (const auto& [field, value] : expected) {
    EXPECT_TRUE(HasText(facts.texts, value))
        << label << ": " << field << " is not one text as given: " << value.substr(0, 120);
  }
}

// An RSS <description> is HTML to every feed reader: its text, parsed as HTML, must be plain
// text (no element at all) and say exactly what the summary says.
void ExpectRssDescriptionsAreEscapedHtml(const Reply& reply, const std::string& label,
                                         const Expected& summaries) {
  const XmlFacts facts = ParseXml(reply.body, kRssElements);
  ASSERT_TRUE(facts.well_formed) << label;
  std::vector<std::string> texts;
  for (const std::string& description : facts.rss_descriptions) {
    const std::string html = "<!DOCTYPE html><html><head></head><body>" + description;
    HtmlFacts parsed = ParseHtml(html);
    for (const auto& [element, count] : parsed.elements) {
      if (element != "html" && element != "head" && element != "body") {
        ADD_FAILURE() << label << ": an RSS description holds markup <" << element
                      << ">: " << description.substr(0, 200);
      }
    }
    std::string text;
    for (const std::string& t : parsed.texts) text += t;
    texts.push_back(text);
  }
  for (const auto& [field, value] : summaries) {
    EXPECT_TRUE(HasText(texts, AsGumboGivesIt(value)))
        << label << ": " << field << " is not the text of an RSS description";
  }
}

// --- JSON -----------------------------------------------------------------------------------

void ExpectJson(const Reply& reply, const std::string& label, bool problem = false) {
  EXPECT_THAT(reply.Header("content-type"),
              ::testing::StartsWith(problem ? "application/problem+json" : "application/json"))
      << label;
  EXPECT_EQ(reply.Header("x-content-type-options"), "nosniff") << label;
  // No raw '<' at all: the JSON stays inert even when a browser sniffs or embeds it.
  EXPECT_EQ(reply.body.find('<'), std::string::npos) << label;
  EXPECT_TRUE(json::accept(reply.body)) << label << ": " << reply.body.substr(0, 300);
}

// --- Helpers --------------------------------------------------------------------------------

// A TOML basic string.
std::string TomlString(const std::string& text) {
  std::string out = "\"";
  for (const unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04X", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// The hrefs of the page's <a> elements whose path starts with `prefix`.
std::vector<std::string> Links(const std::string& html, const std::string& prefix) {
  std::vector<std::string> links;
  std::function<void(const GumboNode*)> walk = [&](const GumboNode* node) {
    if (node->type != GUMBO_NODE_ELEMENT) return;
    if (node->v.element.tag == GUMBO_TAG_A) {
      if (const GumboAttribute* href = gumbo_get_attribute(&node->v.element.attributes, "href");
          href != nullptr && std::string(href->value).starts_with(prefix)) {
        links.emplace_back(href->value);
      }
    }
    for (unsigned i = 0; i < node->v.element.children.length; ++i) {
      walk(static_cast<const GumboNode*>(node->v.element.children.data[i]));
    }
  };
  GumboOutput* output = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
  walk(output->root);
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  std::sort(links.begin(), links.end());
  links.erase(std::unique(links.begin(), links.end()), links.end());
  return links;
}

// --- The hostile site -----------------------------------------------------------------------

// Every hostile value, by the name a failure uses (made on first use).
std::map<std::string, std::string> hostile_values;

const std::string& V(const std::string& name) {
  auto [it, added] = hostile_values.try_emplace(name, "");
  if (added) it->second = name == "QxssLongEn" ? LongHostile() : Hostile(name);
  return it->second;
}

// The expectations for `names`.
Expected E(std::initializer_list<std::string> names) {
  Expected expected;
  for (const std::string& name : names) expected.emplace_back(name, V(name));
  return expected;
}

// One translation, every field hostile; `p` is the field names' suffix ("En", "Ru", "ApiEn").
json Translation(const std::string& p, const std::string& slug, bool with_long) {
  json blocks = json::array({
      {{"type", "paragraph"}, {"text", V("QxssParagraph" + p)}},
      {{"type", "heading"}, {"text", V("QxssHeading" + p)}},
      {{"type", "quote"}, {"text", V("QxssQuote" + p)}},
      {{"type", "list"}, {"items", {V("QxssListItemA" + p), V("QxssListItemB" + p)}}},
      {{"type", "turn"},
       {"role", "question"},
       {"speaker", V("QxssQuestioner" + p)},
       {"paragraphs", {V("QxssQuestion" + p)}}},
      {{"type", "turn"},
       {"role", "answer"},
       {"speaker", V("QxssAnswerer" + p)},
       {"note", V("QxssNote" + p)},
       {"paragraphs", {V("QxssAnswerA" + p), V("QxssAnswerB" + p)}}},
  });
  if (with_long) blocks.push_back({{"type", "paragraph"}, {"text", V("QxssLongEn")}});
  return json{{"title", V("QxssTitle" + p)}, {"slug", slug},
              {"place", V("QxssPlace" + p)}, {"summary", V("QxssSummary" + p)},
              {"blocks", std::move(blocks)}, {"source", V("QxssSource" + p)}};
}

// The values of Translation(p) that an item page shows (the summary only in the head).
Expected BodyExpected(const std::string& p) {
  Expected expected;
  for (const char* field :
       {"Title", "Place", "Paragraph", "Heading", "Quote", "ListItemA", "ListItemB", "Questioner",
        "Question", "Answerer", "Note", "AnswerA", "AnswerB"}) {
    const std::string name = "Qxss" + std::string(field) + p;
    expected.emplace_back(name, V(name));
  }
  return expected;
}

json ImportedAssets() {
  json one{{"id", 1},
           {"kind", "transcript"},
           {"status", "published"},
           {"published_at", "2013-06-07T16:29:00+04:00"},
           {"time_zone", "Europe/Moscow"},
           {"languages", {"en-GB", "ru-RU"}},
           {"people", {V("QxssPersonA"), V("QxssPersonB")}},
           {"tags", {V("QxssTagA"), V("QxssTagB")}},
           {"categories",
            {{"topic", {V("QxssTopicTerm")}}, {V("QxssVocabulary"), {V("QxssVocabularyTerm")}}}},
           {"related", {{{"id", 2}}, {{"title", V("QxssRelatedTitle")}}}},
           {"translations",
            {{"en-GB", Translation("En", "hostile-item", true)},
             {"ru-RU", Translation("Ru", "hostile-item-ru", false)}}}};
  json two{{"id", 2},
           {"kind", "interview"},
           {"status", "published"},
           {"published_at", "2013-06-08T10:00:00+04:00"},
           {"time_zone", "Europe/Moscow"},
           {"languages", {"en-GB"}},
           {"people", {V("QxssPersonA")}},
           {"tags", json::array()},
           {"categories", json::object()},
           {"related", {{{"id", 1}}}},
           {"translations",
            {{"en-GB",
              {{"title", V("QxssTitleTwo")},
               {"slug", "second-item"},
               {"place", ""},
               {"summary", V("QxssSummaryTwo")},
               {"blocks", {{{"type", "paragraph"}, {"text", V("QxssParagraphTwo")}}}},
               {"source", ""}}}}}};
  return json::array({one, two});
}

// The draft written through the API.
json ApiAsset() {
  return json{{"kind", "statement"},
              {"languages", {"en-GB", "ru-RU"}},
              {"people", {V("QxssApiPerson")}},
              {"tags", {V("QxssApiTag")}},
              {"categories", {{"region", {V("QxssApiRegion")}}}},
              {"related", {{{"id", 1}}, {{"title", V("QxssApiRelated")}}}},
              {"translations",
               {{"en-GB", Translation("ApiEn", "api-item", false)},
                {"ru-RU", Translation("ApiRu", "api-item-ru", false)}}}};
}

std::string ConfigToml() {
  std::string toml;
  toml += "site_name = { en = " + TomlString(V("QxssSiteNameEn")) +
          ", ru = " + TomlString(V("QxssSiteNameRu")) + " }\n";
  toml += "base_url = \"http://127.0.0.1:8080\"\n";
  const auto publisher = [&](const std::string& id, const std::string& path,
                             const std::string& settings) {
    toml += "\n[[publishers]]\nid = \"" + id +
            "\"\ntitle = { en = " + TomlString(V("QxssPublisher" + id + "En")) +
            ", ru = " + TomlString(V("QxssPublisher" + id + "Ru")) + " }\npath = \"" + path +
            "\"\n" + settings;
  };
  publisher("home", "",
            "display = \"abstracts\"\nabstract_length = 5000\n"
            "show = [\"date\", \"place\", \"kind\", \"people\", \"tags\"]\n");
  publisher("full", "full", "display = \"full\"\ngrouping = \"by_kind\"\nshow = [\"people\"]\n");
  publisher("table", "table", "display = \"table\"\n");
  publisher("titles", "titles",
            "display = \"titles\"\ngrouping = \"by_month\"\npaging = \"simple\"\n");
  publisher("topic", "topic",
            "categories = { topic = { any = [" + TomlString(V("QxssTopicTerm")) + "] } }\n");
  return toml;
}

// A media file's display name: at most 255 bytes, no control character, and no '/' or '\\'
// (the server keeps what follows the last one, as a browser sends only that); the multipart
// header carries it in quotes, so no '"' either.
std::string MediaName(const std::string& marker, const std::string& extension) {
  return marker + " <title><script>window.__xss=1<img src=x onerror=window.__xss=1>" +
         "' onmouseover='window.__xss=1' &amp; {{x}} \u2028\u202E" + extension;
}

// A multipart/form-data body with the file part `name` (`bytes`) and a caption field.
std::string Multipart(const std::string& boundary, const std::string& name,
                      const std::string& bytes, const std::string& caption) {
  return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name +
         "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n--" + boundary +
         "\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\n" + caption + "\r\n--" +
         boundary + "--\r\n";
}

class XssTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_.emplace("assetpub-xss-");
    const std::filesystem::path data = temp_->path();
    const std::string binary = ASSETPUB_BINARY;
    std::ofstream(data / "config.toml") << ConfigToml();
    const std::filesystem::path file = data / "hostile.json";
    std::ofstream(file) << ImportedAssets().dump(2);
    auto [code, output] =
        RunCommand({binary, "--data", data.string(), "import", "--wait-index", file.string()});
    setup_output_ = "import: " + output;
    if (code != 0) return;
    std::tie(code, output) =
        RunCommand({binary, "--data", data.string(), "user", "add", kAdminName, "--role", "admin"},
                   std::string(kAdminPassword) + "\n" + kAdminPassword + "\n");
    setup_output_ += "user add: " + output;
    if (code != 0) return;
    std::tie(code, token_) = RunCommand({binary, "--data", data.string(), "token", "create",
                                         "--user", kAdminName, "--name", V("QxssTokenName")},
                                        "", /*capture_stderr=*/false);
    setup_output_ += "token create: " + token_;
    if (code != 0) return;
    while (!token_.empty() && (token_.back() == '\n' || token_.back() == '\r')) token_.pop_back();
    server_ = std::make_unique<ServerProcess>(data);
    if (server_->port() == 0) return;
    const unsigned short port = server_->port();

    // Two media files with hostile names and captions: an image (tests/testdata/xss/pixel.png, a
    // 2×2 PNG) and a PDF.
    std::ifstream png_file(std::string(ASSETPUB_SOURCE_DIR) + "/tests/testdata/xss/pixel.png",
                           std::ios::binary);
    const std::string png((std::istreambuf_iterator<char>(png_file)),
                          std::istreambuf_iterator<char>());
    const std::string pdf =
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    json media = json::array();
    for (const auto& [name, bytes, caption] :
         {std::tuple{MediaName("QxssImageName", ".png"), png, HostileLine("QxssImageCaption")},
          std::tuple{MediaName("QxssPdfName", ".pdf"), pdf, HostileLine("QxssPdfCaption")}}) {
      const std::string boundary = "xss-boundary-7MA4YWxkTrZu0gW";
      const Reply uploaded = Fetch(port, "/api/v1/media",
                                   {{"Authorization", "Bearer " + token_},
                                    {"Content-Type", "multipart/form-data; boundary=" + boundary}},
                                   bhttp::verb::post, Multipart(boundary, name, bytes, caption));
      setup_output_ += "upload: " + uploaded.body.substr(0, 300) + "\n";
      if (uploaded.status != 201) return;
      media.push_back({{"hash", json::parse(uploaded.body).at("hash")}, {"caption", caption}});
    }

    // The write API: a draft, published, then edited again (a pending revision with a note).
    const auto send = [&](bhttp::verb method, const std::string& target, const json& body,
                          const std::string& if_match) {
      RequestHeaders headers = {{"Authorization", "Bearer " + token_},
                                {"Content-Type", "application/json"}};
      if (!if_match.empty()) headers.emplace_back("If-Match", if_match);
      return Fetch(port, target, headers, method, body.dump());
    };
    json draft = ApiAsset();
    draft["media"] = media;
    const Reply created = send(bhttp::verb::post, "/api/v1/assets", draft, "");
    setup_output_ += "POST: " + created.body + "\n";
    if (created.status != 201) return;
    api_id_ = json::parse(created.body).at("id").get<int64_t>();
    const std::string item = "/api/v1/assets/" + std::to_string(api_id_);
    const Reply published = send(bhttp::verb::post, item + "/publish", json::object(), "\"1\"");
    setup_output_ += "publish: " + published.body + "\n";
    if (published.status != 200) return;
    json edited = draft;
    edited["translations"]["en-GB"]["title"] = V("QxssPendingTitle");
    const Reply put = send(bhttp::verb::put, item,
                           json{{"asset", edited}, {"note", V("QxssRevisionNote")}}, "\"2\"");
    setup_output_ += "PUT: " + put.body + "\n";
    if (put.status != 200) return;
    ready_ = true;
  }
  static void TearDownTestSuite() {
    server_.reset();
    temp_.reset();
  }
  void SetUp() override {
    ASSERT_TRUE(ready_) << setup_output_
                        << (server_ ? server_->startup_output() : std::string("no server"));
  }

  static unsigned short port() { return server_->port(); }

  // GET, twice (the second answer may come from the page cache): both must pass `check`.
  static void Twice(const std::string& target, int status,
                    const std::function<void(const Reply&, const std::string&)>& check) {
    HttpClient client(port());
    for (const char* round : {" (first)", " (again)"}) {
      const Reply reply = client.Fetch(target);
      const std::string label = target.substr(0, 160) + round;
      EXPECT_EQ(reply.status, status) << label << "\n" << reply.body.substr(0, 500);
      check(reply, label);
    }
  }

  static void Html(const std::string& target, int status, const Expected& expected) {
    Twice(target, status, [&](const Reply& reply, const std::string& label) {
      ExpectInertHtml(reply, label, expected);
    });
  }

  static inline std::optional<assetpub::testing::TempDir> temp_;
  static inline std::unique_ptr<ServerProcess> server_;
  static inline std::string setup_output_;
  static inline std::string token_;
  static inline int64_t api_id_ = 0;
  static inline bool ready_ = false;
};

// --- Public pages ---------------------------------------------------------------------------

TEST_F(XssTest, TheItemPagesShowEveryFieldAsTextAndRunNothing) {
  Expected en = BodyExpected("En");
  for (const auto& e :
       E({"QxssLongEn", "QxssPersonA", "QxssPersonB", "QxssTagA", "QxssTagB", "QxssRelatedTitle",
          "QxssTitleTwo", "QxssSiteNameEn", "QxssPublisherfullEn", "QxssPublishertableEn"})) {
    en.push_back(e);
  }
  Html("/en/assets/1-hostile-item", 200, en);
  Html("/en/assets/1-hostile-item?print=1", 200, BodyExpected("En"));
  Expected ru = BodyExpected("Ru");
  for (const auto& e : E({"QxssPersonA", "QxssTagA", "QxssRelatedTitle", "QxssSiteNameRu",
                          "QxssPublisherfullRu"})) {
    ru.push_back(e);
  }
  Html("/ru/assets/1-hostile-item-ru", 200, ru);
  // The second item names the first among its related ("referenced by").
  Html("/en/assets/2-second-item", 200, E({"QxssTitleTwo", "QxssParagraphTwo", "QxssTitleEn"}));
  // The asset written through the API: its published revision, not the pending title.
  const std::string api = "/en/assets/" + std::to_string(api_id_) + "-api-item";
  Expected api_expected = BodyExpected("ApiEn");
  for (const auto& e : E({"QxssApiPerson", "QxssApiTag", "QxssApiRelated", "QxssTitleEn"})) {
    api_expected.push_back(e);
  }
  // Its media: the captions and the PDF's name as text, the image from /media/.
  api_expected.emplace_back("QxssImageCaption", HostileLine("QxssImageCaption"));
  api_expected.emplace_back("QxssPdfCaption", HostileLine("QxssPdfCaption"));
  api_expected.emplace_back("QxssPdfName", MediaName("QxssPdfName", ".pdf"));
  Html(api, 200, api_expected);
  Html("/ru/assets/" + std::to_string(api_id_) + "-api-item-ru", 200, BodyExpected("ApiRu"));
}

TEST_F(XssTest, TheSideBySideViewShowsBothVersionsAsText) {
  Expected both = BodyExpected("En");
  for (const auto& e : BodyExpected("Ru")) both.push_back(e);
  // The compare view shows the title rows but not the places.
  std::erase_if(both, [](const auto& e) { return e.first.starts_with("QxssPlace"); });
  Html("/en/assets/1-hostile-item?compare=ru", 200, both);
  Html("/ru/assets/1-hostile-item-ru?compare=en", 200, both);
}

TEST_F(XssTest, EveryListShowsTheHostileTitlesAsText) {
  const Expected home =
      E({"QxssTitleEn", "QxssTitleTwo", "QxssTitleApiEn", "QxssSummaryEn", "QxssPlaceEn",
         "QxssPersonA", "QxssTagA", "QxssApiTag", "QxssPublisherhomeEn", "QxssSiteNameEn"});
  Html("/en/", 200, home);
  Html("/en/?page=1", 200, home);
  Html("/ru/", 200, E({"QxssTitleRu", "QxssSummaryRu", "QxssPublisherhomeRu"}));
  Expected full = BodyExpected("En");
  std::erase_if(full, [](const auto& e) { return e.first == "QxssPlaceEn"; });  // not shown
  for (const auto& e : E({"QxssPublisherfullEn", "QxssLongEn", "QxssPersonA"})) full.push_back(e);
  Html("/en/full/", 200, full);
  Html("/en/table/", 200, E({"QxssTitleEn", "QxssPlaceEn", "QxssPublishertableEn"}));
  Html("/en/titles/", 200, E({"QxssTitleEn", "QxssTitleTwo", "QxssPublishertitlesEn"}));
  Html("/en/topic/", 200, E({"QxssTitleEn", "QxssPublishertopicEn"}));
  // The implicit lists of people and tags, by the links on the item page.
  const Reply item = Fetch(port(), "/en/assets/1-hostile-item");
  const std::vector<std::string> people = Links(item.body, "/en/people/");
  const std::vector<std::string> tags = Links(item.body, "/en/tags/");
  ASSERT_EQ(people.size(), 2u) << item.body.substr(0, 300);
  ASSERT_EQ(tags.size(), 2u);
  for (const std::string& link : people) Html(link, 200, E({"QxssTitleEn"}));
  for (const std::string& link : tags) Html(link, 200, E({"QxssTitleEn"}));
  // A term list's heading names the person.
  bool named = false;
  for (const std::string& link : people) {
    named = named ||
            HasText(ParseHtml(Fetch(port(), link).body).texts, AsGumboGivesIt(V("QxssPersonA")));
  }
  EXPECT_TRUE(named) << "no person list names QxssPersonA";
}

TEST_F(XssTest, SearchReflectsEveryParameterAsText) {
  // A query that parses: results with the hostile titles, the query back in the form.
  const std::string words = "QxssTitleEn <script>window.__xss=1</script> ' onmouseover=x &amp;";
  Html("/en/search?q=" + PercentEncode(words), 200, E({"QxssTitleEn"}));
  Html("/en/search?q=" + PercentEncode(words), 200, {{"q", words}});
  // The results of a word of the body: hits, and facets that name the hostile people.
  const std::string results = "/en/search?q=QxssParagraphEn";
  Html(results, 200, E({"QxssTitleEn", "QxssPersonA", "QxssPersonB"}));
  // Every facet link is inert where it leads. (A name with a control character, such as the
  // tab in these, is refused by the search form: a 400 page, see the report.)
  const std::vector<std::string> facets = Links(Fetch(port(), results).body, "/en/search?");
  EXPECT_GE(facets.size(), 4u);
  for (const std::string& link : facets) {
    const Reply reply = Fetch(port(), link);
    EXPECT_TRUE(reply.status == 200 || reply.status == 400) << link;
    ExpectInertHtml(reply, link, {});
  }
  // Every free-text parameter hostile, without control characters (those are refused before
  // anything is reflected). The payload's quotes do not pair up: a 400 page that keeps the form
  // filled in.
  const std::string hostile = HostileLine("QxssSearchParam");
  std::string target = "/en/search?q=" + PercentEncode(hostile);
  for (const char* name : {"all", "phrase", "any", "none", "person", "tag"}) {
    target += std::string("&") + name + "=" + PercentEncode(hostile);
  }
  Html(target, 400, {{"q", hostile}});
  for (const char* name : {"all", "phrase", "any", "none", "person", "tag"}) {
    const std::string one = "/en/search?q=x&" + std::string(name) + "=" + PercentEncode(hostile);
    const Reply reply = Fetch(port(), one);
    EXPECT_TRUE(reply.status == 200 || reply.status == 400) << one;
    ExpectInertHtml(reply, name, {{name, hostile}});
  }
  // Parameters that are not free text: refused, nothing reflected that could run.
  Html("/en/search?from=" + PercentEncode(hostile), 400, {});
  Html("/en/search?q=x&to=" + PercentEncode(hostile) + "&sort=" + PercentEncode(hostile) +
           "&per_page=" + PercentEncode(hostile) + "&kind=" + PercentEncode(hostile),
       400, {});
  Html("/en/search?q=x&page=" + PercentEncode(hostile), 400, {});
  Html("/en/search?q=" + PercentEncode(V("QxssSearchControl")), 400, {});
}

TEST_F(XssTest, ErrorPagesForHostilePathsAndQueriesRunNothing) {
  const std::string hostile = PercentEncode(V("QxssPath"));
  for (const std::string& target :
       {"/en/" + hostile + "/", "/en/assets/" + hostile, "/en/assets/1-" + hostile,
        "/en/people/" + hostile + "/", "/en/tags/" + hostile + "/", "/" + hostile,
        "/" + hostile + "/", "/en/" + hostile + "/feed.rss", "/static/" + hostile,
        "/en/assets/1-hostile-item?compare=" + hostile,
        std::string("/en/<script>window.__xss=1</script>/"),
        std::string("/en/\"><img src=x onerror=window.__xss=1>/")}) {
    HttpClient client(port());
    const Reply reply = client.Fetch(target);
    const std::string label = target.substr(0, 120);
    EXPECT_TRUE(reply.status == 404 || reply.status == 400 || reply.status == 301) << label;
    if (reply.status == 301) {
      EXPECT_EQ(UrlScheme(reply.Header("location")), "") << label;
      EXPECT_FALSE(reply.Header("location").starts_with("//")) << label;
      continue;
    }
    if (reply.Header("content-type").starts_with("text/plain")) {
      // A target the HTTP parser refuses: a bare reason phrase, nothing reflected.
      EXPECT_EQ(reply.status, 400) << label;
      EXPECT_EQ(reply.Header("x-content-type-options"), "nosniff") << label;
      EXPECT_EQ(reply.body.find('<'), std::string::npos) << label;
      continue;
    }
    if (target.starts_with("/static/")) continue;
    ExpectInertHtml(reply, label, {});
  }
  for (const std::string& target :
       {"/en/?page=" + hostile, "/en/assets/1-hostile-item?print=" + hostile}) {
    Html(target, 400, {});
  }
  // The canonical redirect keeps the compare parameter, encoded.
  const Reply redirect =
      Fetch(port(), "/en/assets/1?compare=" + PercentEncode("\"><script>x</script>"));
  EXPECT_EQ(redirect.status, 301);
  EXPECT_EQ(redirect.Header("location").find_first_of("<>\"' "), std::string::npos)
      << redirect.Header("location");
}

// --- Feeds and sitemaps ---------------------------------------------------------------------

TEST_F(XssTest, FeedsAreWellFormedAndCarryTheHostileTextExactly) {
  for (const std::string publisher : {"", "full/", "table/", "titles/", "topic/"}) {
    const std::string id = publisher.empty() ? "home" : publisher.substr(0, publisher.size() - 1);
    for (const std::string language : {"en", "ru"}) {
      const std::string suffix = language == "en" ? "En" : "Ru";
      Expected items = E({"QxssTitle" + suffix, "QxssTagA"});
      // The channel's title, "site — list", exactly.
      items.emplace_back("the channel's title",
                         V("QxssSiteName" + suffix) + " — " + V("QxssPublisher" + id + suffix));
      const std::string base = "/" + language + "/" + publisher;
      Twice(base + "feed.rss", 200, [&](const Reply& reply, const std::string& label) {
        EXPECT_THAT(reply.Header("content-type"), ::testing::StartsWith("application/rss+xml"));
        ExpectXml(reply, label, kRssElements, items);
        ExpectRssDescriptionsAreEscapedHtml(reply, label, E({"QxssSummary" + suffix}));
      });
      Twice(base + "feed.atom", 200, [&](const Reply& reply, const std::string& label) {
        EXPECT_THAT(reply.Header("content-type"), ::testing::StartsWith("application/atom+xml"));
        Expected atom = items;
        atom.emplace_back("QxssSummary" + suffix, V("QxssSummary" + suffix));
        ExpectXml(reply, label, kAtomElements, atom);
      });
    }
  }
}

TEST_F(XssTest, SitemapsAndRobotsAreWellFormed) {
  Twice("/sitemap.xml", 200, [&](const Reply& reply, const std::string& label) {
    ExpectXml(reply, label, kSitemapElements, {});
  });
  for (const std::string part : {"/sitemaps/en-1.xml", "/sitemaps/ru-1.xml"}) {
    Twice(part, 200, [&](const Reply& reply, const std::string& label) {
      ExpectXml(reply, label, kSitemapElements, {});
      EXPECT_NE(reply.body.find("/assets/1-hostile-item"), std::string::npos) << label;
    });
  }
  const Reply robots = Fetch(port(), "/robots.txt");
  EXPECT_EQ(robots.status, 200);
  EXPECT_THAT(robots.Header("content-type"), ::testing::StartsWith("text/plain"));
  EXPECT_EQ(robots.body.find('<'), std::string::npos);
}

// --- JSON -----------------------------------------------------------------------------------

TEST_F(XssTest, TheJsonApiGivesBackEveryHostileStringExactly) {
  const json imported = ImportedAssets();
  const Reply one = Fetch(port(), "/api/v1/assets/1");
  ExpectJson(one, "asset 1");
  const json asset = json::parse(one.body);
  for (const char* field : {"people", "tags", "categories"}) {
    EXPECT_EQ(asset[field], imported[0][field]) << field;
  }
  EXPECT_EQ(asset["related"][1], imported[0]["related"][1]);
  for (const char* language : {"en-GB", "ru-RU"}) {
    for (const char* field : {"title", "place", "summary", "blocks", "source"}) {
      EXPECT_EQ(asset["translations"][language][field],
                imported[0]["translations"][language][field])
          << language << " " << field;
    }
  }
  // The API's asset: its published revision, every field as written.
  const Reply api = Fetch(port(), "/api/v1/assets/" + std::to_string(api_id_));
  ExpectJson(api, "the API's asset");
  const json written = ApiAsset();
  const json served = json::parse(api.body);
  for (const char* field : {"people", "tags", "categories"}) {
    EXPECT_EQ(served[field], written[field]) << field;
  }
  EXPECT_EQ(served["translations"]["en-GB"]["title"], written["translations"]["en-GB"]["title"]);
  EXPECT_EQ(served["translations"]["ru-RU"]["blocks"], written["translations"]["ru-RU"]["blocks"]);

  // Its media: names and captions as uploaded; the files served as what they are, nosniff.
  ASSERT_EQ(served["media"].size(), 2u) << api.body.substr(0, 300);
  EXPECT_EQ(served["media"][0]["name"], MediaName("QxssImageName", ".png"));
  EXPECT_EQ(served["media"][0]["caption"], HostileLine("QxssImageCaption"));
  EXPECT_EQ(served["media"][1]["name"], MediaName("QxssPdfName", ".pdf"));
  EXPECT_EQ(served["media"][1]["caption"], HostileLine("QxssPdfCaption"));
  const Reply library = Fetch(port(), "/api/v1/media", {{"Authorization", "Bearer " + token_}});
  ExpectJson(library, "media library");
  // Named: a range-for over a member of a temporary would read it after its end.
  const json files = json::parse(library.body)["files"];
  ASSERT_FALSE(files.empty());
  for (const json& file : files) {
    const Reply served_file = Fetch(port(), file["url"].get<std::string>());
    EXPECT_EQ(served_file.status, 200) << file["url"];
    EXPECT_EQ(served_file.Header("content-type"), file["type"]) << file["url"];
    EXPECT_EQ(served_file.Header("x-content-type-options"), "nosniff") << file["url"];
  }

  const Reply list = Fetch(port(), "/api/v1/assets?lang=en");
  ExpectJson(list, "assets");
  std::vector<std::string> strings;
  CollectJsonStrings(json::parse(list.body), strings);
  for (const auto& [field, value] :
       E({"QxssTitleEn", "QxssTitleTwo", "QxssLongEn", "QxssNoteEn"})) {
    EXPECT_TRUE(HasText(strings, value)) << "assets: " << field;
  }
  const Reply publisher = Fetch(port(), "/api/v1/publishers/home?lang=en");
  ExpectJson(publisher, "publisher");
  const json home = json::parse(publisher.body);
  EXPECT_EQ(home["title"], V("QxssPublisherhomeEn"));

  const Reply search = Fetch(port(), "/api/v1/search?q=QxssTitleEn");
  ExpectJson(search, "search");
  const json results = json::parse(search.body);
  ASSERT_FALSE(results["hits"].empty()) << search.body.substr(0, 500);
  EXPECT_EQ(results["hits"][0]["title"], V("QxssTitleEn"));
  // The snippet is HTML: escaped text with <mark> only.
  for (const json& hit : results["hits"]) {
    const std::string snippet = hit.value("snippet", "");
    const HtmlFacts facts = ParseHtml("<!DOCTYPE html><html><head></head><body>" + snippet);
    for (const auto& [element, count] : facts.elements) {
      EXPECT_TRUE(element == "html" || element == "head" || element == "body" || element == "mark")
          << "snippet holds <" << element << ">: " << snippet.substr(0, 200);
    }
  }
  std::vector<std::string> facet_strings;
  CollectJsonStrings(results["facets"], facet_strings);
  EXPECT_TRUE(HasText(facet_strings, V("QxssPersonA")));

  // Errors are problem+json, the hostile input inert in them.
  const std::string hostile = PercentEncode(V("QxssApiParam"));
  for (const std::string& target :
       {"/api/v1/assets/" + hostile, "/api/v1/publishers/" + hostile + "?lang=en",
        "/api/v1/publishers/home?lang=" + hostile, "/api/v1/assets?page=" + hostile,
        "/api/v1/search?q=" + hostile, "/api/v1/search?q=x&from=" + hostile,
        "/api/v1/" + hostile}) {
    const Reply reply = Fetch(port(), target);
    EXPECT_GE(reply.status, 400) << target;
    EXPECT_LT(reply.status, 500) << target;
    ExpectJson(reply, target.substr(0, 100), /*problem=*/true);
  }
}

TEST_F(XssTest, AControlCharacterIsRefusedNamingTheFieldAndNothingIsWritten) {
  json asset = ApiAsset();
  asset["translations"]["en-GB"]["title"] = "QxssControl \x01 <script>window.__xss=1</script>";
  const Reply refused =
      Fetch(port(), "/api/v1/assets",
            {{"Authorization", "Bearer " + token_}, {"Content-Type", "application/json"}},
            bhttp::verb::post, asset.dump());
  EXPECT_EQ(refused.status, 400);
  ExpectJson(refused, "refused write", /*problem=*/true);
  const json problem = json::parse(refused.body);
  ASSERT_TRUE(problem.contains("errors")) << refused.body;
  EXPECT_EQ(problem["errors"][0]["pointer"], "/translations/en-GB/title");

  // The same through `assetpub import`: the file is rejected, naming the field.
  const std::filesystem::path file = temp_->path() / "control.json";
  json imported = ImportedAssets()[1];
  imported.erase("id");
  imported["translations"]["en-GB"]["summary"] = "QxssControl \x01";
  std::ofstream(file) << imported.dump();
  const auto [code, output] =
      RunCommand({ASSETPUB_BINARY, "--data", temp_->path().string(), "import", file.string()});
  EXPECT_EQ(code, 1) << output;
  EXPECT_THAT(output, ::testing::HasSubstr("control.json"));
  EXPECT_THAT(output, ::testing::HasSubstr("translations.en-GB.summary"));
  EXPECT_EQ(Fetch(port(), "/api/v1/search?q=QxssControl").body.find("QxssControl"),
            std::string::npos);
}

// --- The editors' UI ------------------------------------------------------------------------

TEST_F(XssTest, TheAdminPagesShowEveryFieldAsTextAndRunNothing) {
  AdminBrowser browser(port());
  // A failed login with a hostile name and next: the form comes back filled in, inert.
  {
    const Reply form = browser.Get("/admin/login?next=" + PercentEncode(V("QxssNext")));
    ExpectInertHtml(form, "login form", {});
    const Reply refused = browser.Post("/admin/login", {{"csrf", HiddenField(form.body, "csrf")},
                                                        {"name", V("QxssLoginName")},
                                                        {"password", "wrong"},
                                                        {"next", V("QxssNext")}});
    EXPECT_GE(refused.status, 400);
    ExpectInertHtml(refused, "refused login", {});
  }
  ASSERT_EQ(browser.LogIn(kAdminName, kAdminPassword).status, 303);

  const std::string api = std::to_string(api_id_);
  const auto page = [&](const std::string& target, int status, const Expected& expected) {
    const Reply reply = browser.Get(target);
    EXPECT_EQ(reply.status, status) << target << "\n" << reply.body.substr(0, 500);
    ExpectInertHtml(reply, target, expected);
    return reply;
  };
  // The list shows what readers see (the pending title is on the item's own page).
  page("/admin/", 200, E({"QxssTitleEn", "QxssTitleTwo", "QxssTitleApiEn"}));
  page("/admin/?status=" + PercentEncode(V("QxssFilter")) +
           "&kind=" + PercentEncode(V("QxssFilter")) + "&lang=" + PercentEncode(V("QxssFilter")) +
           "&missing=" + PercentEncode(V("QxssFilter")) + "&page=" + PercentEncode(V("QxssFilter")),
       400, {});
  Expected item = BodyExpected("En");
  for (const auto& e : BodyExpected("Ru")) item.push_back(e);
  std::erase_if(item, [](const auto& e) { return e.first.starts_with("QxssHeading"); });
  page("/admin/items/1", 200, item);
  Expected pending = E({"QxssPendingTitle", "QxssRevisionNote", "QxssTitleApiRu"});
  page("/admin/items/" + api, 200, pending);
  // The edit form: every field inside an attribute value or a textarea, exactly.
  const Reply edit =
      page("/admin/items/1/edit", 200,
           E({"QxssTitleEn", "QxssPlaceEn", "QxssSummaryEn", "QxssTitleRu", "QxssSummaryRu",
              "QxssParagraphEn", "QxssNoteEn", "QxssQuestionerRu", "QxssLongEn"}));
  page("/admin/items/" + api + "/edit", 200, E({"QxssPendingTitle", "QxssPlaceApiEn"}));
  page("/admin/items/" + api + "/preview", 200, E({"QxssPendingTitle", "QxssParagraphApiEn"}));
  page("/admin/items/" + api + "/preview?lang=ru", 200, E({"QxssTitleApiRu"}));
  page("/admin/items/new", 200, {});
  // Saving the edit form of asset 1 as it is keeps every hostile field exactly.
  std::vector<std::pair<std::string, std::string>> fields;
  {
    // Every named input, select and textarea of the form, with its value.
    std::function<void(const GumboNode*)> walk = [&](const GumboNode* node) {
      if (node->type != GUMBO_NODE_ELEMENT) return;
      const GumboElement& e = node->v.element;
      const GumboAttribute* name = gumbo_get_attribute(&e.attributes, "name");
      if (name != nullptr && (e.tag == GUMBO_TAG_INPUT || e.tag == GUMBO_TAG_TEXTAREA)) {
        std::string value;
        if (e.tag == GUMBO_TAG_TEXTAREA) {
          for (unsigned i = 0; i < e.children.length; ++i) {
            const auto* child = static_cast<const GumboNode*>(e.children.data[i]);
            if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_WHITESPACE) {
              value += child->v.text.text;
            }
          }
        } else if (const GumboAttribute* v = gumbo_get_attribute(&e.attributes, "value")) {
          value = v->value;
        }
        fields.emplace_back(name->value, value);
      }
      if (name != nullptr && e.tag == GUMBO_TAG_SELECT) {
        std::function<void(const GumboNode*)> options = [&](const GumboNode* option) {
          if (option->type != GUMBO_NODE_ELEMENT) return;
          if (option->v.element.tag == GUMBO_TAG_OPTION &&
              gumbo_get_attribute(&option->v.element.attributes, "selected") != nullptr) {
            fields.emplace_back(name->value,
                                gumbo_get_attribute(&option->v.element.attributes, "value")->value);
          }
          for (unsigned i = 0; i < option->v.element.children.length; ++i) {
            options(static_cast<const GumboNode*>(option->v.element.children.data[i]));
          }
        };
        options(node);
      }
      for (unsigned i = 0; i < e.children.length; ++i) {
        walk(static_cast<const GumboNode*>(e.children.data[i]));
      }
    };
    GumboOutput* output =
        gumbo_parse_with_options(&kGumboDefaultOptions, edit.body.data(), edit.body.size());
    walk(output->root);
    gumbo_destroy_output(&kGumboDefaultOptions, output);
  }
  for (auto& [name, value] : fields) {
    if (name == "note") value = V("QxssFormNote");
  }
  fields.emplace_back("do", "save");
  const Reply saved = browser.Post("/admin/items/1/edit", fields);
  EXPECT_EQ(saved.status, 303) << saved.body.substr(0, 1000);
  const Reply draft =
      Fetch(port(), "/api/v1/assets/1/draft", {{"Authorization", "Bearer " + token_}});
  ASSERT_EQ(draft.status, 200) << draft.body.substr(0, 300);
  const json working = json::parse(draft.body)["asset"];
  const json imported = ImportedAssets()[0];
  for (const char* language : {"en-GB", "ru-RU"}) {
    for (const char* field : {"title", "place", "summary"}) {
      // The form was read back with gumbo, which turns C1 controls into U+FFFD.
      EXPECT_EQ(working["translations"][language][field].get<std::string>(),
                AsGumboGivesIt(imported["translations"][language][field].get<std::string>()))
          << "saved through the form: " << language << " " << field;
    }
  }
  page("/admin/items/1", 200, E({"QxssFormNote"}));
  // The related-items picker: a hostile search, and results with hostile titles.
  for (auto& [name, value] : fields) {
    if (name == "do") value = "related-find";
    if (name == "related_add") value = "QxssTitleTwo";
  }
  if (std::none_of(fields.begin(), fields.end(),
                   [](const auto& f) { return f.first == "related_add"; })) {
    fields.emplace_back("related_add", "QxssTitleTwo");
  }
  const Reply picker = browser.Post("/admin/items/1/edit", fields);
  EXPECT_EQ(picker.status, 200) << picker.body.substr(0, 500);
  ExpectInertHtml(picker, "related picker", E({"QxssTitleTwo", "QxssTitleEn"}));
  for (auto& [name, value] : fields) {
    if (name == "related_add") value = HostileLine("QxssRelatedSearch");
  }
  const Reply hostile_picker = browser.Post("/admin/items/1/edit", fields);
  EXPECT_EQ(hostile_picker.status, 200) << hostile_picker.body.substr(0, 500);
  ExpectInertHtml(hostile_picker, "related picker, hostile search",
                  {{"QxssRelatedSearch", HostileLine("QxssRelatedSearch")}});
  // History and the diff between the published revision and the pending edit.
  page("/admin/items/" + api + "/history", 200, E({"QxssRevisionNote"}));
  page("/admin/items/" + api + "/diff?from=2&to=3", 200, E({"QxssPendingTitle", "QxssTitleApiEn"}));
  page("/admin/items/" + api + "/diff?from=1&to=3", 200, {});
  page("/admin/items/" + api + "/diff?from=" + PercentEncode(V("QxssFilter")) + "&to=1", 400, {});
  page("/admin/audit", 200, E({"QxssTokenName"}));
  page("/admin/tokens", 200, E({"QxssTokenName"}));
  page("/admin/users", 200, {});
  page("/admin/media", 200,
       {{"QxssImageName", MediaName("QxssImageName", ".png")},
        {"QxssPdfName", MediaName("QxssPdfName", ".pdf")}});
  page("/admin/" + PercentEncode(V("QxssAdminPath")), 404, {});
  page("/admin/items/" + PercentEncode(V("QxssAdminPath")), 404, {});
  // The Redirects page: a hostile old address (one a redirect keeps as it is: no space, no '#'),
  // beside its item's hostile title; and in the refused form, refilled.
  const std::string old_path = "/QxssRedirect\"><script>window.__xss=1</script>'onmouseover='{{x}}";
  const Reply redirects = page("/admin/redirects", 200, {});
  const Reply added = browser.Post(
      "/admin/redirects",
      {{"csrf", HiddenField(redirects.body, "csrf")}, {"path", old_path}, {"asset", "1"}});
  EXPECT_EQ(added.status, 303) << added.body.substr(0, 500);
  page("/admin/redirects", 200, {{"QxssRedirect", old_path}, {"QxssTitleEn", V("QxssTitleEn")}});
  page("/admin/items/1", 200, {{"QxssRedirect", old_path}});
  const Reply refused =
      browser.Post("/admin/redirects", {{"csrf", HiddenField(redirects.body, "csrf")},
                                        {"path", HostileLine("QxssRedirectForm")},
                                        {"asset", "1"}});
  EXPECT_EQ(refused.status, 400);
  ExpectInertHtml(refused, "refused redirect", {});
}

}  // namespace
