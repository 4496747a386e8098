#pragma once
// Test support only: an XML document parsed with libxml2 (well-formedness checked, no network,
// no entity expansion) and queried with XPath under registered namespace prefixes. Header-only,
// for the feed and sitemap tests. Thread-safety: one object per thread.

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <string>
#include <utility>
#include <vector>

namespace assetpub::render::testing {

class XmlDoc {
 public:
  // Parses `text` strictly (no recovery): ok() is false when it is not well-formed XML.
  // `namespaces` are (prefix, URI) pairs for XPath.
  explicit XmlDoc(const std::string& text,
                  std::vector<std::pair<std::string, std::string>> namespaces = {})
      : namespaces_(std::move(namespaces)) {
    doc_ = xmlReadMemory(text.data(), static_cast<int>(text.size()), "test.xml", nullptr,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  }
  XmlDoc(const XmlDoc&) = delete;
  XmlDoc& operator=(const XmlDoc&) = delete;
  ~XmlDoc() {
    if (doc_ != nullptr) xmlFreeDoc(doc_);
  }

  bool ok() const { return doc_ != nullptr; }

  // The string value (text content) of every node `xpath` selects, in document order; empty
  // when the document did not parse or the expression is invalid.
  std::vector<std::string> All(const std::string& xpath) const {
    std::vector<std::string> values;
    if (doc_ == nullptr) return values;
    xmlXPathContextPtr context = xmlXPathNewContext(doc_);
    for (const auto& [prefix, uri] : namespaces_) {
      xmlXPathRegisterNs(context, reinterpret_cast<const xmlChar*>(prefix.c_str()),
                         reinterpret_cast<const xmlChar*>(uri.c_str()));
    }
    xmlXPathObjectPtr result =
        xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(xpath.c_str()), context);
    if (result != nullptr && result->nodesetval != nullptr) {
      for (int i = 0; i < result->nodesetval->nodeNr; ++i) {
        xmlChar* content = xmlNodeGetContent(result->nodesetval->nodeTab[i]);
        values.emplace_back(content != nullptr ? reinterpret_cast<const char*>(content) : "");
        xmlFree(content);
      }
    }
    xmlXPathFreeObject(result);
    xmlXPathFreeContext(context);
    return values;
  }
  // The first value All() finds, or "" when none.
  std::string One(const std::string& xpath) const {
    std::vector<std::string> values = All(xpath);
    return values.empty() ? std::string() : values.front();
  }
  size_t Count(const std::string& xpath) const { return All(xpath).size(); }

 private:
  xmlDocPtr doc_ = nullptr;
  std::vector<std::pair<std::string, std::string>> namespaces_;
};

}  // namespace assetpub::render::testing
