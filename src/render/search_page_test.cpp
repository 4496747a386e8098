// The search page and the search API's document show sampled facet counts as estimates.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "render/json.h"
#include "render/renderer.h"
#include "render/search_form.h"
#include "render/testing/site.h"

namespace assetpub::render {
namespace {

search::Results SomeResults(bool facets_exact) {
  search::Results results;
  results.total = 48'000;
  search::Hit hit;
  hit.asset_id = 7;
  hit.language = "en-GB";
  hit.title = "Press conference";
  hit.slug = "press-conference";
  hit.kind = content::Kind::kTranscript;
  results.hits.push_back(hit);
  results.facets["kind"] = {{"transcript", 31'250}, {"statement", 16'750}};
  results.facets["year"] = {{"2013", 48'000}};
  results.facets_exact = facets_exact;
  return results;
}

std::string Page(const search::Results& results, std::string_view language) {
  const Renderer renderer(testing::SiteConfig());
  SearchForm form;
  form.q = "minister";
  return renderer.SearchPage(language, form, &results, 1, 10, nullptr);
}

TEST(SearchPage, MarksSampledFacetCountsAsEstimates) {
  const std::string page = Page(SomeResults(/*facets_exact=*/false), "en-GB");
  EXPECT_NE(page.find("<span class=\"search-facet-count\">≈31,250</span>"), std::string::npos);
  EXPECT_NE(page.find("<span class=\"search-facet-count\">≈48,000</span>"), std::string::npos);
  EXPECT_NE(page.find("class=\"search-facets-note\">≈ Counts estimated from a sample"),
            std::string::npos);
  const std::string ru = Page(SomeResults(/*facets_exact=*/false), "ru-RU");
  EXPECT_NE(ru.find("class=\"search-facets-note\">≈ Число оценено по выборке"), std::string::npos);
}

TEST(SearchPage, ShowsExactFacetCountsPlain) {
  const std::string page = Page(SomeResults(/*facets_exact=*/true), "en-GB");
  EXPECT_NE(page.find("<span class=\"search-facet-count\">31,250</span>"), std::string::npos);
  EXPECT_EQ(page.find("≈"), std::string::npos);
  EXPECT_EQ(page.find("search-facets-note"), std::string::npos);
}

TEST(SearchResultsJson, SaysWhetherFacetCountsAreExact) {
  const auto sampled = nlohmann::json::parse(
      SearchResultsJson(SomeResults(/*facets_exact=*/false), 1, 10, "https://mid.example"));
  EXPECT_EQ(sampled["facets_exact"], false);
  EXPECT_EQ(sampled["facets"]["kind"][0]["count"], 31'250);
  const auto exact = nlohmann::json::parse(
      SearchResultsJson(SomeResults(/*facets_exact=*/true), 1, 10, "https://mid.example"));
  EXPECT_EQ(exact["facets_exact"], true);
}

}  // namespace
}  // namespace assetpub::render
