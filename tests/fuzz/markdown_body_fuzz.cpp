// A Markdown body through cmark and our allow-list (importers/body_formats.h): never a crash,
// only blocks or an Error.
#include <cstddef>
#include <cstdint>

#include "content/asset_json.h"
#include "fuzz_util.h"
#include "importers/body_formats.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace assetpub;
  fuzz::Swallow([&] {
    for (const content::Block& block : importers::BlocksFromMarkdown(fuzz::Text(data, size))) {
      (void)content::ToJson(block).dump();
    }
  });
  return 0;
}
