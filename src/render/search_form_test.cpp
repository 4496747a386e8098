#include "render/search_form.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "render/json.h"

namespace assetpub::render {
namespace {

TEST(SearchForm, QueryStringHoldsOnlySetFieldsEncoded) {
  SearchForm form;
  EXPECT_EQ(form.QueryString(), "");
  EXPECT_EQ(SearchPath("ru-RU", form), "/ru/search");
  form.q = "переговоры \"Женева\" & co";
  form.kinds = {"speech", "transcript"};
  form.from = "2013-01-01";
  form.sort = "relevance";  // the default: left out
  form.per_page = "10";     // the default: left out
  form.page = "2";
  EXPECT_EQ(
      form.QueryString(),
      "q=%D0%BF%D0%B5%D1%80%D0%B5%D0%B3%D0%BE%D0%B2%D0%BE%D1%80%D1%8B%20%22%D0%96%D0%B5%D0%"
      "BD%D0%B5%D0%B2%D0%B0%22%20%26%20co&from=2013-01-01&kind=speech&kind=transcript&page=2");
  SearchForm plus;
  plus.q = "a+b";
  EXPECT_EQ(SearchPath("en-GB", plus), "/en/search?q=a%2Bb");
}

// A form with one field set.
SearchForm With(std::string SearchForm::*field, std::string value) {
  SearchForm form;
  form.*field = std::move(value);
  return form;
}

TEST(SearchForm, AdvancedMeansAnyPanelFieldAwayFromItsDefault) {
  SearchForm defaults = With(&SearchForm::q, "x");
  defaults.page = "3";
  defaults.sort = "relevance";
  defaults.per_page = "10";
  EXPECT_FALSE(defaults.HasAdvanced());
  EXPECT_TRUE(With(&SearchForm::sort, "newest").HasAdvanced());
  EXPECT_TRUE(With(&SearchForm::per_page, "50").HasAdvanced());
  EXPECT_TRUE(With(&SearchForm::to, "2013-01-01").HasAdvanced());
  EXPECT_TRUE(With(&SearchForm::lang, "ru").HasAdvanced());
  SearchForm kinds;
  kinds.kinds = {"speech"};
  EXPECT_TRUE(kinds.HasAdvanced());
}

TEST(HitPath, LinksTheItemInTheHitsLanguageAndItsParagraph) {
  search::Hit hit;
  hit.asset_id = 7;
  hit.language = "ru-RU";
  hit.slug = "slug";
  EXPECT_EQ(HitPath(hit), "/ru/assets/7-slug");
  hit.anchor = "p12";
  EXPECT_EQ(HitPath(hit), "/ru/assets/7-slug#p12");
}

}  // namespace
}  // namespace assetpub::render
