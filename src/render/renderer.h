#pragma once
// Renderer makes the site's HTML pages (item, side-by-side, list, search, error) in each site
// language, from the templates and UI strings it reads once, at construction. Everything that
// comes from content or from the request is HTML-escaped; only HTML the renderer made itself and
// the search index's snippets (escaped by the index) are inserted raw.
// Thread-safety: immutable after construction; one Renderer serves any number of threads at once.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "content/asset.h"
#include "core/config.h"
#include "publish/publisher.h"
#include "render/locale_strings.h"
#include "render/search_form.h"
#include "search/search_index.h"
#include "store/store.h"

namespace assetpub::render {

// The translation a page in the site language `language` shows: the one with exactly that tag,
// else one with the same primary subtag ("en-US" on an "en-GB" site); nullptr when none.
const content::Translation* TranslationFor(const content::Asset& asset, std::string_view language);

// How an item page is laid out: for the screen, or for paper (?print=1).
enum class ItemView { kScreen, kPrint };

class Renderer {
 public:
  // Reads templates/*.mustache and locales/<primary>.toml for every site language from
  // config.resources_dir (the source tree's when empty). A site language without a locale file
  // gets locales/en.toml's strings (one spdlog warning names them all); a locale lacking admin.*
  // keys gets the default language's (LocaleStrings' fallback rule). Throws
  // Error(kInvalidInput) naming the file when a template is missing or does not parse, a locale
  // file does not parse, or a locale lacks another key that the default language's locale (or
  // the renderer) needs.
  // `publishers` (copied) are the site's lists: the header's navigation shows those that exist
  // in the page's language, and item pages link a kind to its list; nullptr means
  // publish::Publishers::Defaults(config).
  explicit Renderer(const Config& config, const publish::Publishers* publishers = nullptr);
  ~Renderer();
  Renderer(Renderer&&) noexcept;
  Renderer& operator=(Renderer&&) noexcept;

  // Where templates/, locales/ and static/ were found (Config::resources_dir, or the default).
  const std::filesystem::path& resources_dir() const;
  // The site's language tags, in Config order; the first is the default.
  const std::vector<std::string>& languages() const;
  const std::string& default_language() const;
  // The languages the editors' desk can be shown in: the default language, then, in Config
  // order, each site language whose own locale file has admin.* strings (a desk in any other
  // would be the default language's strings under another lang).
  const std::vector<std::string>& desk_languages() const;
  // The site language whose primary subtag is `primary` ("en" -> "en-GB"), or nullopt.
  std::optional<std::string> FindLanguage(std::string_view primary) const;
  // The UI strings of a site language (the default language's for any other tag).
  const LocaleStrings& Strings(std::string_view language) const;

  // The HTML methods take `language` as one of languages() (a full tag).
  //
  // The item page of `asset` in the site language `language`. `related` are the headlines of
  // the asset's related ids (Store::Headlines), in any order; entries of asset.related without
  // a published headline are shown as plain text. `referenced_by` are the headlines of the
  // assets that list this one (Store::ReferencedBy): "Additional materials" works both ways;
  // unpublished ones and ones already among `related` are left out. The page links the kind to
  // the publisher that selects exactly that kind (when there is one), people and tags to their
  // lists, each other site-language version to the side-by-side view, and carries JSON-LD
  // (schema.org NewsArticle) and OpenGraph metadata. ItemView::kPrint is the same page laid out
  // for paper (no navigation, no search, the source URL in the footer; not indexed). Throws
  // Error(kNotFound) when the asset has no translation in `language`.
  std::string ItemPage(const content::Asset& asset, std::string_view language,
                       const std::vector<store::Headline>& related,
                       const std::vector<store::Headline>& referenced_by = {},
                       ItemView view = ItemView::kScreen) const;

  // The side-by-side view (/{lang}/assets/{id}-{slug}?compare={other}): the `language` version
  // on the left, the `other` one on the right, in rows: blocks paired by position; two turns in
  // the same position are paired paragraph by paragraph with their speakers on both sides; a
  // block without a counterpart faces an empty cell. Rows are numbered and linkable (#row-N);
  // each cell carries its language's lang attribute. Throws Error(kNotFound) when the asset has
  // no translation in either language, or `other` is `language`.
  std::string ComparePage(const content::Asset& asset, std::string_view language,
                          std::string_view other) const;

  // Page `page.page` of `publisher` in `language` (/{lang}/{path}/; the home publisher is
  // /{lang}/): its title, the groups with their headings (a year; a month named in `language`;
  // a kind), each item as the publisher's display style says (abstracts, titles, the full
  // text, or a table) with the metadata it asks for, the pager its paging asks for, feed links
  // when it has feeds, and hreflang alternates to the same list in its other languages.
  std::string PublisherPage(const publish::Publisher& publisher, std::string_view language,
                            const publish::PublisherPage& page) const;

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
