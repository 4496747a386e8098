// The search as /{lang}/search and /api/v1/search run it: a query string (the bytes, after
// "?") read by http::Request::Make, checked by web::ReadSearchParams, and a query it accepts run on
// a real Xapian index of sample-content/ (search/: the query builder, Xapian's query parser,
// facets, snippets). Never a crash; an Error only for what ReadSearchParams let through and
// SearchIndex::Search refuses.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_site.h"
#include "http/message.h"
#include "web/site/search_params.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  assetpub::fuzz::FuzzSite::Get().index().SetResultCacheSize(0);  // every query runs afresh
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace assetpub;
  fuzz::FuzzSite& site = fuzz::FuzzSite::Get();
  fuzz::Swallow([&] {
    const http::Request request =
        http::Request::Make("GET", "/en/search?" + std::string(fuzz::Text(data, size)));
    const web::SearchRequest search = web::ReadSearchParams(request.query, site.config().languages,
                                                            site.config().time_zone, "en-GB");
    if (search.problem) return;
    (void)site.index().Search(search.query);
  });
  return 0;
}
