#pragma once
// XmlWriter builds one XML document in memory with libxml2's xmlTextWriter, for the feeds and the
// sitemaps. The writer escapes every text and attribute value; before that, XmlSafeText drops what
// XML 1.0 cannot carry at all (control characters, U+FFFE/U+FFFF) and replaces invalid UTF-8 with
// U+FFFD, so untrusted text always comes out as the same characters, never as markup, and the
// document stays well-formed. libxml2 stays behind the pimpl. Thread-safety: one XmlWriter per
// thread; different writers may be used at once.

#include <memory>
#include <string>
#include <string_view>

namespace assetpub::render {

// `text` with invalid UTF-8 sequences replaced by U+FFFD and the characters XML 1.0 does not
// allow (everything below U+0020 but tab, LF and CR; U+FFFE, U+FFFF) removed.
std::string XmlSafeText(std::string_view text);

class XmlWriter {
 public:
  // Starts a document: the XML declaration (version 1.0, UTF-8), indented output. Throws
  // Error(kInternal) if libxml2 cannot allocate the writer.
  XmlWriter();
  ~XmlWriter();
  XmlWriter(const XmlWriter&) = delete;
  XmlWriter& operator=(const XmlWriter&) = delete;

  // Opens an element; `name` is a (possibly prefixed) name we chose, never content.
  void Start(std::string_view name);
  // An attribute of the element just opened; `value` is cleaned (XmlSafeText) and escaped.
  void Attribute(std::string_view name, std::string_view value);
  // Text inside the open element, cleaned (XmlSafeText) and escaped.
  void Text(std::string_view text);
  // Closes the innermost open element (as <x/> when it has no content).
  void End();
  // Start(name), Text(text), End().
  void Element(std::string_view name, std::string_view text);
  // Closes every open element and returns the document. The writer is spent afterwards.
  std::string Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace assetpub::render
