#include "render/xml_writer.h"

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

#include <cstdint>

#include "core/error.h"

namespace assetpub::render {
namespace {

void AppendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// XML 1.0 §2.2 Char.
bool IsXmlChar(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

const xmlChar* X(const std::string& text) { return reinterpret_cast<const xmlChar*>(text.c_str()); }

void Check(int result, const char* what) {
  if (result < 0) throw Error(ErrorCode::kInternal, std::string("writing XML failed: ") + what);
}

}  // namespace

std::string XmlSafeText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    char32_t c = 0;
    size_t length = 0;
    if (lead < 0x80) {
      c = lead;
      length = 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      c = lead & 0x1F;
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      c = lead & 0x0F;
      length = 3;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      c = lead & 0x07;
      length = 4;
    }
    bool valid = length > 0 && i + length <= text.size();
    for (size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) {
        valid = false;
      } else {
        c = (c << 6) | (next & 0x3F);
      }
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid UTF-8 too.
    if (valid && ((length == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
                  (length == 4 && (c < 0x10000 || c > 0x10FFFF)))) {
      valid = false;
    }
    if (!valid) {
      AppendUtf8(out, 0xFFFD);
      ++i;  // resynchronise on the next byte
      continue;
    }
    if (IsXmlChar(c)) out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

struct XmlWriter::Impl {
  xmlBufferPtr buffer = nullptr;
  xmlTextWriterPtr writer = nullptr;
  ~Impl() {
    if (writer != nullptr) xmlFreeTextWriter(writer);
    if (buffer != nullptr) xmlBufferFree(buffer);
  }
};

XmlWriter::XmlWriter() : impl_(std::make_unique<Impl>()) {
  // libxml2 wants its global state set up once before threads use it.
  static const bool initialised = [] {
    xmlInitParser();
    return true;
  }();
  (void)initialised;
  impl_->buffer = xmlBufferCreate();
  if (impl_->buffer == nullptr) throw Error(ErrorCode::kInternal, "libxml2: no buffer");
  impl_->writer = xmlNewTextWriterMemory(impl_->buffer, 0);
  if (impl_->writer == nullptr) throw Error(ErrorCode::kInternal, "libxml2: no writer");
  Check(xmlTextWriterSetIndent(impl_->writer, 1), "indent");
  Check(xmlTextWriterSetIndentString(impl_->writer, reinterpret_cast<const xmlChar*>(" ")),
        "indent");
  Check(xmlTextWriterStartDocument(impl_->writer, "1.0", "UTF-8", nullptr), "declaration");
}

XmlWriter::~XmlWriter() = default;

void XmlWriter::Start(std::string_view name) {
  Check(xmlTextWriterStartElement(impl_->writer, X(std::string(name))), "element");
}

void XmlWriter::Attribute(std::string_view name, std::string_view value) {
  Check(xmlTextWriterWriteAttribute(impl_->writer, X(std::string(name)), X(XmlSafeText(value))),
        "attribute");
}

void XmlWriter::Text(std::string_view text) {
  Check(xmlTextWriterWriteString(impl_->writer, X(XmlSafeText(text))), "text");
}

void XmlWriter::End() { Check(xmlTextWriterEndElement(impl_->writer), "end of element"); }

void XmlWriter::Element(std::string_view name, std::string_view text) {
  Start(name);
  Text(text);
  End();
}

std::string XmlWriter::Finish() {
  Check(xmlTextWriterEndDocument(impl_->writer), "end of document");
  // Flushes into the buffer; the writer must go before the buffer is read.
  xmlFreeTextWriter(impl_->writer);
  impl_->writer = nullptr;
  return {reinterpret_cast<const char*>(xmlBufferContent(impl_->buffer)),
          static_cast<size_t>(xmlBufferLength(impl_->buffer))};
}

}  // namespace assetpub::render
