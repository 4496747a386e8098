// A scraped page (importers/scraped_page.h) as ParseScrapedPage reads it in the seed's zone:
// never a crash, only the page or an Error. A page it accepts must also turn into JSON.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.h"
#include "importers/scraped_page.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace assetpub;
  fuzz::Swallow([&] {
    const importers::ParsedPage page =
        importers::ParseScrapedPage(fuzz::Text(data, size), "Europe/Moscow");
    (void)importers::ToJson(page).dump();
  });
  return 0;
}
