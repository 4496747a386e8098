#pragma once
// Renderer turns assets and lists into the site's HTML pages, per language: Mustache templates
// from templates/ and UI strings from locales/, both read once at construction. Everything that
// comes from content is HTML-escaped by the templates ({{x}}); only HTML the renderer produced
// itself is inserted raw. Immutable after construction: one Renderer serves all threads at once.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "content/asset.h"
#include "core/config.h"
#include "render/locale_strings.h"
#include "render/search_form.h"
#include "search/search_index.h"
#include "store/store.h"

namespace assetpub::render {

// The translation a page in the site language `language` shows: the one with exactly that tag,
// else one with the same primary subtag ("en-US" on an "en-GB" site); nullptr when none.
const content::Translation* TranslationFor(const content::Asset& asset, std::string_view language);

class Renderer {
 public:
  // Reads templates/*.mustache and locales/<primary>.toml for every site language from
  // config.resources_dir (the source tree's when empty). Throws Error(kInvalidInput) naming the
  // file when a template is missing or does not parse, a site language has no locale file, or a
  // locale lacks a key that the default language's locale (or the renderer) needs.
  explicit Renderer(const Config& config);
  ~Renderer();
  Renderer(Renderer&&) noexcept;
  Renderer& operator=(Renderer&&) noexcept;

  // Where templates/, locales/ and static/ were found (Config::resources_dir, or the default).
  const std::filesystem::path& resources_dir() const;
  // The site's language tags, in Config order; the first is the default.
  const std::vector<std::string>& languages() const;
  const std::string& default_language() const;
  // The site language whose primary subtag is `primary` ("en" -> "en-GB"), or nullopt.
  std::optional<std::string> FindLanguage(std::string_view primary) const;
  // The UI strings of a site language (the default language's for any other tag).
  const LocaleStrings& Strings(std::string_view language) const;

  // The HTML methods take `language` as one of languages() (a full tag).
  //
  // The item page of `asset` in the site language `language`. `related` are the headlines of
  // the asset's related ids (Store::Headlines), in any order; entries of asset.related without
  // a published headline are shown as plain text. Throws Error(kNotFound) when the asset has no
  // translation in `language`.
  std::string ItemPage(const content::Asset& asset, std::string_view language,
                       const std::vector<store::Headline>& related) const;

  // The home publisher of `language`: `list` is page `page` (1-based) of the published items
  // that have a translation in it, `page_size` items a page (>= 1).
  std::string HomePage(std::string_view language, const store::ListPage& list, int64_t page,
                       int64_t page_size) const;

  // The 404 page for an asset that exists but has no `language` version: links the versions it
  // has.
  std::string MissingTranslationPage(const content::Asset& asset, std::string_view language) const;

  // The search page (/{lang}/search): the form (the query box and the Advanced settings panel,
  // open when an advanced field is set), refilled from `form`. With `results` (page `page` of
  // `page_size` hits): their count, the hits, the facets and a pager whose links keep every
  // parameter; when nothing matched, says so and links the spelling suggestion. With `problem`
  // instead (results is then nullptr): why the query was refused, in `language`.
  std::string SearchPage(std::string_view language, const SearchForm& form,
                         const search::Results* results, int64_t page, int64_t page_size,
                         const SearchProblem* problem) const;

  // The error page for an HTTP status (400, 404, 405, 500, … ; a generic text for others).
  std::string ErrorPage(std::string_view language, int status) const;

  // ceil(total / page_size), 0 when total is 0.
  static int64_t PageCount(int64_t total, int64_t page_size);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace assetpub::render
