// A .md file: TOML front matter (our limits, then toml++) and its Markdown body
// (importers/authored_page.h): never a crash, only a page or an Error.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.h"
#include "importers/authored_page.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace assetpub;
  fuzz::Swallow([&] {
    const importers::AuthoredPage page =
        importers::ParseMarkdownPage(fuzz::Text(data, size), "Europe/Moscow", "en-GB");
    (void)importers::ToJson(page.page).dump();
  });
  return 0;
}
