#include "importers/wxr_parser.h"

#include <fmt/format.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cstdlib>
#include <memory>

#include "core/error.h"
#include "core/text.h"

namespace assetpub::importers {
namespace {

constexpr std::string_view kWpNamespace = "http://wordpress.org/export/";
constexpr std::string_view kContentNamespace = "http://purl.org/rss/1.0/modules/content/";
constexpr std::string_view kDcNamespace = "http://purl.org/dc/elements/1.1/";

[[noreturn]] void Reject(const std::string& reason) {
  throw Error(ErrorCode::kInvalidInput, reason);
}

// The namespaces WXR uses, told apart by URI (prefixes are the writer's choice).
enum class Ns { kNone, kWp, kExcerpt, kContent, kDc, kOther };

Ns NamespaceOf(const xmlNode* node) {
  if (node->ns == nullptr || node->ns->href == nullptr) return Ns::kNone;
  const std::string_view href(reinterpret_cast<const char*>(node->ns->href));
  if (href.starts_with(kWpNamespace)) return href.ends_with("/excerpt/") ? Ns::kExcerpt : Ns::kWp;
  if (href == kContentNamespace) return Ns::kContent;
  if (href == kDcNamespace) return Ns::kDc;
  return Ns::kOther;
}

bool Is(const xmlNode* node, Ns ns, std::string_view local) {
  return node->type == XML_ELEMENT_NODE && NamespaceOf(node) == ns &&
         local == reinterpret_cast<const char*>(node->name);
}

// xmlFree is a variable of libxml2's (a function pointer), hence a deleter of our own.
struct XmlFree {
  void operator()(xmlChar* text) const { xmlFree(text); }
};

std::string Text(const xmlNode* node) {
  std::unique_ptr<xmlChar, XmlFree> content(xmlNodeGetContent(node));
  return content ? std::string(reinterpret_cast<const char*>(content.get())) : std::string();
}

// Short values (ids, dates, slugs, names) lose surrounding white space; bodies keep theirs.
std::string Trimmed(const xmlNode* node) { return std::string(Trim(Text(node))); }

std::string Attribute(const xmlNode* node, const char* name) {
  std::unique_ptr<xmlChar, XmlFree> value(xmlGetProp(node, reinterpret_cast<const xmlChar*>(name)));
  return value ? std::string(reinterpret_cast<const char*>(value.get())) : std::string();
}

int64_t Integer(const xmlNode* node) {
  const std::string text = Trimmed(node);
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  return end != nullptr && *end == '\0' && !text.empty() ? value : 0;
}

// What the parser refused on its own account (a DOCTYPE), and the first error libxml2 met (its
// context keeps only the last, which after a mismatched tag is "premature end of data").
struct Refusal {
  std::string reason;
  std::string first_error;
};

void OnError(void* data, xmlErrorPtr error) {
  auto* refusal = static_cast<Refusal*>(data);
  if (!refusal->first_error.empty() || error == nullptr || error->level < XML_ERR_ERROR) return;
  refusal->first_error =
      fmt::format("line {}: not well-formed XML: {}", error->line,
                  Trim(std::string_view(error->message != nullptr ? error->message : "")));
}

void Refuse(void* context, std::string_view what) {
  auto* parser = static_cast<xmlParserCtxtPtr>(context);
  auto* refusal = static_cast<Refusal*>(parser->_private);
  if (refusal->reason.empty()) {
    refusal->reason = fmt::format(
        "line {}: {} (a WordPress export has none; DTDs and entity declarations are refused, so "
        "no entity is expanded and nothing outside the file is read)",
        xmlSAX2GetLineNumber(context), what);
  }
  xmlStopParser(parser);
}

// SAX hooks that stop the parse at the first sign of a DTD, before its declarations are read.
void OnInternalSubset(void* context, const xmlChar*, const xmlChar*, const xmlChar*) {
  Refuse(context, "a DOCTYPE declaration");
}
void OnEntityDecl(void* context, const xmlChar*, int, const xmlChar*, const xmlChar*, xmlChar*) {
  Refuse(context, "an entity declaration");
}

struct DocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
struct ContextFree {
  void operator()(xmlParserCtxt* context) const { xmlFreeParserCtxt(context); }
};

std::unique_ptr<xmlDoc, DocFree> ParseXml(std::string_view text) {
  if (text.size() > static_cast<size_t>(INT32_MAX)) Reject("the file is too large for XML");
  xmlInitParser();
  std::unique_ptr<xmlParserCtxt, ContextFree> context(xmlNewParserCtxt());
  if (!context || context->sax == nullptr) {
    throw Error(ErrorCode::kInternal, "libxml2 could not make a parser");
  }
  Refusal refusal;
  context->_private = &refusal;
  context->sax->internalSubset = OnInternalSubset;
  context->sax->entityDecl = OnEntityDecl;
  xmlSetStructuredErrorFunc(&refusal, OnError);
  // No XML_PARSE_NOENT (entities substituted), DTDLOAD, DTDATTR or HUGE (which lifts the depth
  // and size limits): what is left is plain, bounded XML.
  const int options =
      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
  std::unique_ptr<xmlDoc, DocFree> doc(xmlCtxtReadMemory(
      context.get(), text.data(), static_cast<int>(text.size()), "wxr.xml", nullptr, options));
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  if (!refusal.reason.empty()) Reject(refusal.reason);
  if (!refusal.first_error.empty()) Reject(refusal.first_error);
  if (!doc || context->wellFormed == 0) {
    const xmlError* error = xmlCtxtGetLastError(context.get());
    if (error == nullptr || error->message == nullptr) Reject("not well-formed XML");
    Reject(fmt::format("line {}: not well-formed XML: {}", error->line,
                       Trim(std::string_view(error->message))));
  }
  return doc;
}

WxrItem ReadItem(const xmlNode* item) {
  WxrItem out;
  out.line = static_cast<int>(xmlGetLineNo(item));
  for (const xmlNode* child = item->children; child != nullptr; child = child->next) {
    if (child->type != XML_ELEMENT_NODE) continue;
    const Ns ns = NamespaceOf(child);
    const std::string_view name(reinterpret_cast<const char*>(child->name));
    if (ns == Ns::kNone) {
      if (name == "title") out.title = Text(child);
      if (name == "link") out.link = Trimmed(child);
      if (name == "guid") out.guid = Trimmed(child);
      if (name == "category") {
        out.terms.push_back(
            {Attribute(child, "domain"), Attribute(child, "nicename"), Trimmed(child)});
      }
    } else if (ns == Ns::kContent && name == "encoded") {
      out.content = Text(child);
    } else if (ns == Ns::kExcerpt && name == "encoded") {
      out.excerpt = Text(child);
    } else if (ns == Ns::kDc && name == "creator") {
      out.creator = Trimmed(child);
    } else if (ns == Ns::kWp) {
      if (name == "post_id") out.post_id = Integer(child);
      if (name == "post_parent") out.post_parent = Integer(child);
      if (name == "post_date") out.post_date = Trimmed(child);
      if (name == "post_date_gmt") out.post_date_gmt = Trimmed(child);
      if (name == "post_name") out.post_name = Trimmed(child);
      if (name == "status") out.status = Trimmed(child);
      if (name == "post_type") out.post_type = Trimmed(child);
      if (name == "post_password") out.post_password = Text(child);
      if (name == "attachment_url") out.attachment_url = Trimmed(child);
      if (name == "comment") ++out.comments;
      if (name == "postmeta") {
        std::string key;
        std::string value;
        for (const xmlNode* m = child->children; m != nullptr; m = m->next) {
          if (Is(m, Ns::kWp, "meta_key")) key = Trimmed(m);
          if (Is(m, Ns::kWp, "meta_value")) value = Text(m);
        }
        if (!key.empty()) out.meta.emplace(std::move(key), std::move(value));
      }
    }
  }
  return out;
}

// A channel-level term: <wp:term> (term_taxonomy, term_slug, term_name, term_description),
// <wp:category> (category_nicename, cat_name, category_description), <wp:tag> (tag_slug,
// tag_name, tag_description).
WxrTerm ReadTerm(const xmlNode* node, std::string_view kind) {
  WxrTerm term;
  if (kind == "category") term.taxonomy = "category";
  if (kind == "tag") term.taxonomy = "post_tag";
  for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (NamespaceOf(child) != Ns::kWp || child->type != XML_ELEMENT_NODE) continue;
    const std::string_view name(reinterpret_cast<const char*>(child->name));
    if (name == "term_taxonomy") term.taxonomy = Trimmed(child);
    if (name == "term_slug" || name == "category_nicename" || name == "tag_slug") {
      term.slug = Trimmed(child);
    }
    if (name == "term_name" || name == "cat_name" || name == "tag_name") term.name = Trimmed(child);
    if (name == "term_description" || name == "category_description" || name == "tag_description") {
      term.description = Trimmed(child);
    }
  }
  return term;
}

}  // namespace

bool LooksLikeWxr(std::string_view text) {
  const std::string_view head = text.substr(0, 4096);
  return head.find("<rss") != std::string_view::npos &&
         head.find(kWpNamespace) != std::string_view::npos;
}

WxrSite ParseWxr(std::string_view text) {
  const auto doc = ParseXml(text);
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr || !Is(root, Ns::kNone, "rss")) {
    Reject(fmt::format("not a WordPress export (WXR): the root element is <{}>, not <rss>",
                       root != nullptr ? reinterpret_cast<const char*>(root->name) : ""));
  }
  const xmlNode* channel = nullptr;
  for (const xmlNode* child = root->children; child != nullptr; child = child->next) {
    if (Is(child, Ns::kNone, "channel")) {
      channel = child;
      break;
    }
  }
  if (channel == nullptr) Reject("not a WordPress export (WXR): <rss> has no <channel>");

  WxrSite site;
  bool wp_namespace = false;
  for (const xmlNode* child = channel->children; child != nullptr; child = child->next) {
    if (child->type != XML_ELEMENT_NODE) continue;
    const Ns ns = NamespaceOf(child);
    const std::string_view name(reinterpret_cast<const char*>(child->name));
    if (ns == Ns::kNone) {
      if (name == "title") site.title = Trimmed(child);
      if (name == "link") site.link = Trimmed(child);
      if (name == "language") site.language = Trimmed(child);
      if (name == "item") {
        if (site.items.size() == kMaxWxrItems) {
          Reject(fmt::format("more than {} items: split the export", kMaxWxrItems));
        }
        site.items.push_back(ReadItem(child));
      }
      continue;
    }
    if (ns != Ns::kWp) continue;
    wp_namespace = true;
    if (name == "wxr_version") site.version = Trimmed(child);
    if (name == "base_site_url") site.base_site_url = Trimmed(child);
    if (name == "base_blog_url") site.base_blog_url = Trimmed(child);
    if (name == "term" || name == "category" || name == "tag") {
      site.terms.push_back(ReadTerm(child, name));
    }
    if (name == "author") {
      WxrAuthor author;
      for (const xmlNode* a = child->children; a != nullptr; a = a->next) {
        if (Is(a, Ns::kWp, "author_login")) author.login = Trimmed(a);
        if (Is(a, Ns::kWp, "author_display_name")) author.display_name = Trimmed(a);
      }
      site.authors.push_back(std::move(author));
    }
  }
  if (!wp_namespace && site.version.empty()) {
    Reject("not a WordPress export (WXR): no element of the wp namespace (" +
           std::string(kWpNamespace) + "…) in the channel");
  }
  if (site.version.empty()) {
    Reject("not a WordPress export (WXR): the channel has no wp:wxr_version");
  }
  if (site.version != "1.1" && site.version != "1.2") {
    Reject(fmt::format(
        "WXR version {} is not supported (only 1.1 and 1.2, what WordPress 3.1 and later write): "
        "export the site again from a current WordPress",
        site.version));
  }
  return site;
}

}  // namespace assetpub::importers
