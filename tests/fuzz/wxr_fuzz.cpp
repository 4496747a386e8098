// A WordPress export (importers/wxr_parser.h) through libxml2, then each item's fields through
// the WordPress text helpers (wxr_text.h: shortcodes, paragraphs, plain text, Polylang's PHP
// arrays) and the body sanitiser: never a crash, only values or an Error.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_util.h"
#include "importers/body_formats.h"
#include "importers/wxr_parser.h"
#include "importers/wxr_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace assetpub;
  const std::string_view text = fuzz::Text(data, size);
  (void)importers::LooksLikeWxr(text);
  fuzz::Swallow([&] {
    const importers::WxrSite site = importers::ParseWxr(text);
    const importers::AttachmentUrl attachment = [](int64_t id) -> std::optional<std::string> {
      if (id % 2 == 0) return std::nullopt;
      return "https://example.org/" + std::to_string(id) + ".jpg";
    };
    for (const importers::WxrTerm& term : site.terms) {
      (void)importers::ParsePhpArray(term.description);
    }
    for (const importers::WxrItem& item : site.items) {
      fuzz::Swallow([&] { (void)importers::PlainText(item.title); });
      fuzz::Swallow([&] { (void)importers::PlainText(item.excerpt); });
      importers::ShortcodeFindings findings;
      const std::string html = importers::AutoParagraphs(
          importers::ExpandShortcodes(item.content, attachment, &findings));
      fuzz::Swallow([&] { (void)importers::BlocksFromHtml(html); });
    }
  });
  // The helpers on the raw bytes too: an export's fields can hold anything.
  (void)importers::ParsePhpArray(text);
  importers::ShortcodeFindings findings;
  (void)importers::AutoParagraphs(importers::ExpandShortcodes(text, {}, &findings));
  return 0;
}
