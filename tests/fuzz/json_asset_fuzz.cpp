// An asset in our JSON shape (DESIGN.md §6), as `import` reads a .json file and the write API a
// body: the nesting check, nlohmann's parser, then content::AssetFromJson and Validate. Never a
// crash and nothing but an Error for bad input; an asset that validates comes back equal through
// ToJson (what `export` writes, `import` takes back unchanged).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "content/asset.h"
#include "content/asset_json.h"
#include "content/validate.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace assetpub;
  const std::string_view text = fuzz::Text(data, size);
  nlohmann::json document;
  try {
    content::CheckJsonNesting(text);
    document = nlohmann::json::parse(text);
  } catch (const Error&) {
    return 0;  // the importer's "nested more than 64 deep"
  } catch (const nlohmann::json::exception&) {
    return 0;  // the importer's "not valid JSON" (a syntax error, or a number out of range)
  }
  fuzz::Swallow([&] {
    const content::Asset asset = content::AssetFromJson(document);
    content::Validate(asset);
    const content::Asset again = content::AssetFromJson(nlohmann::json::parse(
        content::ToJson(asset).dump(-1, ' ', false, nlohmann::json::error_handler_t::strict)));
    if (!(again == asset)) {
      std::fprintf(stderr, "json_asset: the asset changed through ToJson: %s\n  became %s\n",
                   content::ToJson(asset).dump().c_str(), content::ToJson(again).dump().c_str());
      std::abort();
    }
  });
  return 0;
}
