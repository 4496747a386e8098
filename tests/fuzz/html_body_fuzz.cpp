// An HTML body through gumbo and our allow-list (importers/body_formats.h), as a fragment an
// editor pasted and as a whole .html page (authored_page.h): never a crash, only blocks or an
// Error; no markup survives in the blocks' text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "content/asset_json.h"
#include "fuzz_util.h"
#include "importers/authored_page.h"
#include "importers/body_formats.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace assetpub;
  const std::string_view text = fuzz::Text(data, size);
  fuzz::Swallow([&] {
    for (const content::Block& block : importers::BlocksFromHtml(text)) {
      (void)content::ToJson(block).dump();
    }
  });
  fuzz::Swallow([&] { (void)importers::ParseHtmlPage(text, "Europe/Moscow", "en-GB"); });
  return 0;
}
