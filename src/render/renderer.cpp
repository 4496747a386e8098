#include "render/renderer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <functional>
#include <initializer_list>
#include <kainjow/mustache.hpp>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <shared_mutex>
#include <utility>

#include "content/instant.h"
#include "content/language.h"
#include "content/slug.h"
#include "core/error.h"
#include "media/media_store.h"
#include "render/json.h"
#include "render/month_name.h"
#include "render/paths.h"
#include "render/resource_file.h"

#ifndef ASSETPUB_DEFAULT_RESOURCES_DIR
#define ASSETPUB_DEFAULT_RESOURCES_DIR "."
#endif

namespace assetpub::render {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

constexpr const char* kTemplateNames[] = {"layout",  "item",  "body",  "publisher",
                                          "compare", "error", "search"};
constexpr const char* kStylesheet = "/static/css/site.css";
// Error pages have their own texts for these statuses; others use "error.other".
constexpr int kErrorStatuses[] = {400, 404, 405, 500};
// The search parameters (SearchForm's fields) and SearchProblem's reasons, each with a locale text.
constexpr const char* kSearchFields[] = {"q",    "all",  "phrase",   "any",    "none",
                                         "from", "to",   "kind",     "person", "tag",
                                         "lang", "sort", "per_page", "page"};
constexpr const char* kSearchProblems[] = {"text",     "date",   "order", "choice",
                                           "repeated", "quotes", "query"};
// The facets the search page shows, in this order.
constexpr const char* kFacets[] = {"kind", "year", "language", "person"};
// A meta description taken from the body is cut near this many bytes.
constexpr size_t kDescriptionLength = 200;

Data Object() { return Data(Data::type::object); }
Data List() { return Data(Data::type::list); }
// An optional string for a {{#x}}…{{/x}} section: false when empty, so that the lookup does not
// fall through to an outer context that happens to have the same key.
Data Maybe(const std::string& text) { return text.empty() ? Data(false) : Data(text); }

// Keys the C++ code looks up itself; the templates' keys are checked by comparing every locale
// with the default language's.
std::vector<std::string> RequiredKeys() {
  std::vector<std::string> keys;
  for (content::Kind kind : content::AllKinds()) {
    keys.push_back(fmt::format("kind.{}", content::KindName(kind)));
    keys.push_back(fmt::format("kinds.{}", content::KindName(kind)));
  }
  for (int status : kErrorStatuses) {
    keys.push_back(fmt::format("error.{}.title", status));
    keys.push_back(fmt::format("error.{}.text", status));
  }
  for (const char* key :
       {"error.other.title", "error.other.text", "home.title", "home.empty", "list.empty",
        "list.count", "list.rss", "list.atom", "pager.page", "compare.title", "site.home",
        "error.missing_translation.title", "error.missing_translation.text", "search.title",
        "search.all_languages", "search.facet.kind", "search.facet.year", "search.facet.language",
        "search.facet.person"}) {
    keys.emplace_back(key);
  }
  for (const char* field : kSearchFields) keys.push_back(fmt::format("search.field.{}", field));
  for (const char* reason : kSearchProblems) {
    keys.push_back(fmt::format("search.problem.{}", reason));
  }
  for (const char* sort : kSortChoices) keys.push_back(fmt::format("search.sort.{}", sort));
  return keys;
}

// The locale's dotted keys as nested objects under "t", so templates say {{t.item.not_available}}.
Data LocaleData(const LocaleStrings& strings) {
  struct Node {
    std::map<std::string, Node> children;
    std::string value;
    bool leaf = false;
  };
  Node root;
  for (const auto& [key, value] : strings.entries()) {
    Node* node = &root;
    size_t start = 0;
    while (true) {
      const size_t dot = key.find('.', start);
      node = &node->children[key.substr(start, dot - start)];
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    node->leaf = true;
    node->value = value;
  }
  struct Convert {
    Data operator()(const Node& node) const {
      if (node.leaf) return Data(node.value);
      Data object = Object();
      for (const auto& [name, child] : node.children) object.set(name, (*this)(child));
      return object;
    }
  };
  Data top = Object();
  top.set("t", Convert{}(root));
  return top;
}

// The text of a meta description: the summary, or else the start of the first paragraph.
std::string Description(const content::Translation& translation) {
  if (!translation.summary.empty()) return translation.summary;
  for (const content::Block& block : translation.blocks) {
    std::string_view text = block.type == content::Block::Type::kParagraph ? block.text
                            : block.paragraphs.empty()                     ? std::string_view()
                                                                           : block.paragraphs[0];
    if (text.empty()) continue;
    if (text.size() <= kDescriptionLength) return std::string(text);
    // Cut at a space (ASCII, so never inside a UTF-8 sequence).
    size_t cut = text.rfind(' ', kDescriptionLength);
    if (cut == std::string_view::npos || cut == 0) {
      cut = kDescriptionLength;
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    }
    return std::string(text.substr(0, cut)) + "…";
  }
  return {};
}

struct Alternate {
  std::string hreflang;
  std::string href;
};

// What the layout needs besides the page's own content.
struct Head {
  std::string title;
  std::string description;
  std::string canonical;
  std::vector<Alternate> alternates;
  bool noindex = false;
  // The words in the header's search box (the search page's own query).
  std::string search_query;
  // For the header's language switch: the page's URL path in each site language.
  std::map<std::string, std::string> language_paths;
  // Feed links (<link rel="alternate" type=…>).
  struct Feed {
    std::string type;
    std::string title;
    std::string href;
  };
  std::vector<Feed> feeds;
  // OpenGraph, for pages that are articles: set when `og_locale` is not empty.
  std::string og_title;
  std::string og_locale;  // "en_GB"
  std::vector<std::string> og_locale_alternates;
  std::string og_published_time;
  // A JSON-LD document (already made script-safe by SafeJsonText), or empty.
  std::string json_ld;
  // The id of the publisher the page belongs to, marked as current in the navigation.
  std::string nav_current;
  // The print layout: no navigation, no search, the source URL in the footer.
  bool print_view = false;
};

// One entry of a numbered pager: page `n` at `href`, marked when it is the current one.
Data PageEntry(int64_t n, const std::string& href, bool current) {
  Data entry = Object();
  entry.set("n", std::to_string(n));
  entry.set("href", href);
  entry.set("gap", false);
  entry.set("current", current);
  entry.set("link", !current);
  return entry;
}

// The pager's mark where pages are skipped.
Data PageGap() {
  Data gap = Object();
  gap.set("gap", true);
  gap.set("current", false);
  gap.set("link", false);
  return gap;
}

// Links to the side-by-side view of `asset` at `item_path` with each of its versions in one of
// `languages` (the site's), but those whose primary subtag is one of `skip`.
Data CompareLinks(const std::vector<std::string>& languages, const content::Asset& asset,
                  const std::string& item_path, std::initializer_list<std::string_view> skip) {
  Data links = List();
  for (const std::string& tag : languages) {
    const std::string primary = content::PrimarySubtag(tag);
    if (std::find(skip.begin(), skip.end(), primary) != skip.end()) continue;
    const content::Translation* version = TranslationFor(asset, tag);
    if (version == nullptr) continue;
    Data item = Object();
    item.set("href", fmt::format("{}?compare={}", item_path, primary));
    item.set("tag", version->language);
    item.set("name", content::NativeLanguageName(version->language));
    links.push_back(item);
  }
  return links;
}

// A numbered pager in `page` ("has_pager", "pages", "previous", "next"): the first and last
// pages, two either side of the current one, and a gap mark where pages are skipped.
void SetPager(Data& page, int64_t pages, int64_t page_number,
              const std::function<std::string(int64_t)>& page_path) {
  page.set("has_pager", pages > 1);
  if (pages <= 1) return;
  Data entries = List();
  int64_t previous_shown = 0;
  for (int64_t n = 1; n <= pages; ++n) {
    const bool shown = n == 1 || n == pages || (n >= page_number - 2 && n <= page_number + 2);
    if (!shown) continue;
    if (n > previous_shown + 1) entries.push_back(PageGap());
    entries.push_back(PageEntry(n, page_path(n), n == page_number));
    previous_shown = n;
  }
  page.set("pages", entries);
  page.set("previous", page_number > 1 ? Data(page_path(page_number - 1)) : Data(false));
  page.set("next", page_number < pages ? Data(page_path(page_number + 1)) : Data(false));
}

// `text` with "{field}" replaced by `field`.
std::string WithField(std::string text, const std::string& field) {
  const size_t at = text.find("{field}");
  if (at != std::string::npos) text.replace(at, 7, field);
  return text;
}

}  // namespace

struct Renderer::Impl {
  Config config;
  // The home publisher first, then the others in configured order: the navigation.
  std::vector<publish::Publisher> publishers;
  std::vector<std::string> languages;
  // A parsed template and the copies requests render (kainjow's render() is not const, so two
  // requests never share one): copying the parse tree per render cost 8% of an item page.
  struct TemplatePool {
    explicit TemplatePool(mustache::mustache parsed_in) : parsed(std::move(parsed_in)) {}
    mustache::mustache parsed;
    std::mutex mutex;
    std::vector<std::unique_ptr<mustache::mustache>> idle;  // at most one per concurrent render
  };
  std::map<std::string, std::unique_ptr<TemplatePool>, std::less<>> templates;
  std::map<std::string, LocaleStrings, std::less<>> strings;  // by site language tag
  std::map<std::string, Data, std::less<>> locale_data;       // by site language tag

  Impl(const Config& config_in, const publish::Publishers* publishers_in);

  const Data& LocaleDataFor(std::string_view language) const {
    auto it = locale_data.find(language);
    return it != locale_data.end() ? it->second : locale_data.find(languages[0])->second;
  }
  const LocaleStrings& StringsFor(std::string_view language) const {
    auto it = strings.find(language);
    return it != strings.end() ? it->second : strings.find(languages[0])->second;
  }
  std::optional<std::string> FindLanguage(std::string_view primary) const {
    for (const std::string& tag : languages) {
      if (content::PrimarySubtag(tag) == primary) return tag;
    }
    return std::nullopt;
  }

  // `shared`, when given, is a layer of values under `page` (looked up when `page` lacks a name).
  std::string Render(std::string_view name, const Data& page, std::string_view language,
                     const Data* shared = nullptr) const;
  // The layout's values that are the same for every page of a language with the same current
  // navigation entry (site name, paths, stylesheet, the navigation): built once, then shared by
  // every render, rather than built and deep-copied per page.
  const Data& LayoutShared(std::string_view language, std::string_view nav_current) const;
  mutable std::shared_mutex layout_shared_mutex;
  mutable std::map<std::string, std::unique_ptr<Data>, std::less<>> layout_shared;
  std::string Layout(std::string_view language, const Head& head, const std::string& content) const;
  std::string Url(const std::string& path) const { return config.base_url + path; }
  // The stylesheet's URL with a fingerprint of its bytes, so a changed stylesheet is never
  // served from a browser's cache under the old page.
  std::string stylesheet;
  Data VersionList(const content::Asset& asset, std::string_view current) const;
  // The body's blocks rendered by body.mustache; paragraph anchors are "{prefix}p1", ….
  std::string Body(const content::Translation& translation, std::string_view language,
                   const std::string& prefix) const;
  // Links to the lists of `names` (people or tags) in `language`; "last" marks the last one.
  Data TermLinks(const std::vector<std::string>& names, std::string_view language,
                 bool people) const;
  // The publisher that selects exactly `kind` and nothing else, in `language`, or nullptr.
  const publish::Publisher* KindPublisher(content::Kind kind, std::string_view language) const;
  // The site's name in `language` (Config::site_names, else Config::site_name).
  const std::string& SiteName(std::string_view language) const { return config.SiteName(language); }
  std::string Title(const publish::Publisher& publisher, std::string_view language) const {
    return publisher.Title(language, languages[0]);
  }
};

Renderer::Impl::Impl(const Config& config_in, const publish::Publishers* publishers_in)
    : config(config_in) {
  if (config.resources_dir.empty()) config.resources_dir = ASSETPUB_DEFAULT_RESOURCES_DIR;
  if (config.languages.empty()) {
    throw Error(ErrorCode::kInvalidInput, "the site has no languages (Config::languages)");
  }
  for (const std::string& tag : config.languages) {
    const std::string canonical = content::CanonicalLanguageTag(tag).value_or(tag);
    if (FindLanguage(content::PrimarySubtag(canonical))) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("languages: two site languages share the prefix '{}'",
                              content::PrimarySubtag(canonical)));
    }
    languages.push_back(canonical);
  }
  {
    const publish::Publishers defaults =
        publishers_in != nullptr ? publish::Publishers() : publish::Publishers::Defaults(config);
    const publish::Publishers& source = publishers_in != nullptr ? *publishers_in : defaults;
    publishers.push_back(source.Home());
    for (const publish::Publisher& publisher : source.all()) {
      if (!publisher.path.empty()) publishers.push_back(publisher);
    }
  }

  const std::filesystem::path template_dir = config.resources_dir / "templates";
  for (const char* name : kTemplateNames) {
    const std::filesystem::path file = template_dir / (std::string(name) + ".mustache");
    mustache::mustache parsed(ReadResourceFile(file));
    if (!parsed.is_valid()) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("{}: {}", file.string(), parsed.error_message()));
    }
    templates.emplace(name, std::make_unique<TemplatePool>(std::move(parsed)));
  }

  stylesheet = FingerprintedUrl(
      kStylesheet, ReadResourceFile(config.resources_dir / "static" / "css" / "site.css"));

  const std::filesystem::path locale_dir = config.resources_dir / "locales";
  const auto locale_file = [&](const std::string& tag) {
    return locale_dir / (content::PrimarySubtag(tag) + ".toml");
  };
  for (const std::string& tag : languages) {
    strings.emplace(tag, LocaleStrings::Load(locale_file(tag)));
  }
  const LocaleStrings& reference = strings.find(languages[0])->second;
  for (const std::string& key : RequiredKeys()) {
    if (!reference.Has(key)) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("{}: missing the key '{}'", locale_file(languages[0]).string(), key));
    }
  }
  for (const std::string& tag : languages) {
    const auto missing = strings.find(tag)->second.MissingKeys(reference);
    if (!missing.empty()) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("{}: missing the key '{}'{} that {} has", locale_file(tag).string(),
                              missing.front(),
                              missing.size() > 1 ? fmt::format(" (and {} more)", missing.size() - 1)
                                                 : std::string(),
                              locale_file(languages[0]).filename().string()));
    }
    locale_data.emplace(tag, LocaleData(strings.find(tag)->second));
  }
}

std::string Renderer::Impl::Render(std::string_view name, const Data& page,
                                   std::string_view language, const Data* shared) const {
  auto it = templates.find(name);
  assert(it != templates.end());
  TemplatePool& pool = *it->second;
  std::unique_ptr<mustache::mustache> copy;
  {
    const std::lock_guard lock(pool.mutex);
    if (!pool.idle.empty()) {
      copy = std::move(pool.idle.back());
      pool.idle.pop_back();
    }
  }
  if (!copy) copy = std::make_unique<mustache::mustache>(pool.parsed);
  mustache::context<std::string> context;
  context.push(&LocaleDataFor(language));
  if (shared != nullptr) context.push(shared);
  context.push(&page);
  const std::string rendered = copy->render(context);
  if (!copy->is_valid()) {
    // A failed render may leave the copy's error state set: it is not reused.
    throw Error(ErrorCode::kInternal, fmt::format("template {}: {}", name, copy->error_message()));
  }
  {
    const std::lock_guard lock(pool.mutex);
    pool.idle.push_back(std::move(copy));
  }
  // Sections that render nothing leave blank lines behind; drop them (no <pre> anywhere, so
  // the HTML means the same).
  std::string out;
  out.reserve(rendered.size());
  for (char c : rendered) {
    if (c == '\n' && (out.empty() || out.back() == '\n')) continue;
    out.push_back(c);
  }
  return out;
}

std::string Renderer::Impl::Layout(std::string_view language, const Head& head,
                                   const std::string& content) const {
  Data page = Object();
  page.set("search_query", head.search_query);
  page.set("title", head.title);
  page.set("description", Maybe(head.description));
  page.set("canonical", Maybe(head.canonical));
  page.set("noindex", head.noindex);
  Data alternates = List();
  for (const Alternate& alternate : head.alternates) {
    Data item = Object();
    item.set("hreflang", alternate.hreflang);
    item.set("href", alternate.href);
    alternates.push_back(item);
  }
  page.set("alternates", alternates);
  Data switcher = List();
  for (const std::string& tag : languages) {
    Data item = Object();
    auto path = head.language_paths.find(tag);
    item.set("tag", tag);
    item.set("name", content::NativeLanguageName(tag));
    item.set("href", path != head.language_paths.end() ? path->second : HomePath(tag));
    item.set("current", tag == language);
    switcher.push_back(item);
  }
  page.set("site_languages", switcher);

  Data feeds = List();
  for (const Head::Feed& feed : head.feeds) {
    Data item = Object();
    item.set("type", feed.type);
    item.set("title", feed.title);
    item.set("href", feed.href);
    feeds.push_back(item);
  }
  page.set("feeds", feeds);
  if (!head.og_locale.empty()) {
    Data og = Object();
    og.set("site_name", SiteName(language));
    og.set("type", "article");
    og.set("title", head.og_title);
    og.set("url", head.canonical);
    og.set("description", Maybe(head.description));
    og.set("locale", head.og_locale);
    Data alternates = List();
    for (const std::string& locale : head.og_locale_alternates) alternates.push_back(locale);
    og.set("locale_alternates", alternates);
    og.set("published_time", Maybe(head.og_published_time));
    page.set("og", og);
  } else {
    page.set("og", false);
  }
  page.set("json_ld", Maybe(head.json_ld));  // SafeJsonText: no '<' left to break out with
  page.set("print_view", head.print_view);
  page.set("body_class", head.print_view ? "print-view" : "screen-view");
  page.set("content", content);  // produced by our own templates: inserted raw
  return Render("layout", page, language, &LayoutShared(language, head.nav_current));
}

const Data& Renderer::Impl::LayoutShared(std::string_view language,
                                         std::string_view nav_current) const {
  std::string key = std::string(language) + '\n' + std::string(nav_current);
  {
    const std::shared_lock lock(layout_shared_mutex);
    if (auto found = layout_shared.find(key); found != layout_shared.end()) return *found->second;
  }
  auto shared = std::make_unique<Data>(Object());
  shared->set("lang", std::string(language));
  shared->set("site_name", SiteName(language));
  shared->set("home_path", HomePath(language));
  shared->set("search_path", SearchPath(language, SearchForm{}));
  shared->set("stylesheet", stylesheet);
  const LocaleStrings& strings = StringsFor(language);
  Data nav = List();
  for (const publish::Publisher& publisher : publishers) {
    if (!publisher.HasLanguage(language)) continue;
    Data item = Object();
    item.set("href", PublisherPath(language, publisher.path));
    item.set("title",
             publisher.path.empty() ? strings.Text("site.home") : Title(publisher, language));
    item.set("current", !nav_current.empty() && nav_current == publisher.id);
    nav.push_back(item);
  }
  shared->set("has_nav", !nav.is_empty_list());
  shared->set("nav", nav);
  // Keys are the site's languages times the publishers' ids and "": a few dozen. Entries are
  // never removed, so the reference stays valid for the Renderer's life. Should a caller pass
  // languages from outside that set, the map stops growing at a bound and the values go to a
  // per-thread slot, valid until this thread's next call (Layout renders at once).
  constexpr size_t kMaxShared = 256;
  const std::unique_lock lock(layout_shared_mutex);
  if (layout_shared.size() >= kMaxShared && !layout_shared.contains(key)) {
    thread_local std::unique_ptr<Data> overflow;
    overflow = std::move(shared);
    return *overflow;
  }
  return *layout_shared.try_emplace(std::move(key), std::move(shared)).first->second;
}

// The asset's language versions for the switcher: declared languages first, in their order,
// then any translation that is not declared. A version is a link when the translation exists
// and the site has its language; otherwise it is shown as not available.
Data Renderer::Impl::VersionList(const content::Asset& asset, std::string_view current) const {
  std::vector<std::string> tags = asset.languages;
  for (const auto& [tag, translation] : asset.translations) tags.push_back(tag);
  std::set<std::string> seen;  // primary subtags already listed
  Data versions = List();
  for (const std::string& tag : tags) {
    const std::string primary = content::PrimarySubtag(tag);
    if (!seen.insert(primary).second) continue;
    const std::optional<std::string> site_language = FindLanguage(primary);
    const content::Translation* translation =
        site_language ? TranslationFor(asset, *site_language) : nullptr;
    Data item = Object();
    const std::string shown_tag = translation ? translation->language : tag;
    item.set("tag", shown_tag);
    item.set("name", content::NativeLanguageName(shown_tag));
    const bool is_current = site_language && *site_language == current;
    item.set("current", is_current && translation != nullptr);
    item.set("link", !is_current && translation != nullptr);
    item.set("missing", translation == nullptr);
    item.set("href", translation ? ItemPath(asset.id, *site_language, translation->slug) : "");
    versions.push_back(item);
  }
  return versions;
}

const content::Translation* TranslationFor(const content::Asset& asset, std::string_view language) {
  if (const content::Translation* exact = asset.FindTranslation(language)) return exact;
  return asset.FindTranslation(content::PrimarySubtag(language));
}

Renderer::Renderer(const Config& config, const publish::Publishers* publishers)
    : impl_(std::make_unique<Impl>(config, publishers)) {}
Renderer::~Renderer() = default;
Renderer::Renderer(Renderer&&) noexcept = default;
Renderer& Renderer::operator=(Renderer&&) noexcept = default;

const std::filesystem::path& Renderer::resources_dir() const { return impl_->config.resources_dir; }
const std::vector<std::string>& Renderer::languages() const { return impl_->languages; }
const std::string& Renderer::default_language() const { return impl_->languages[0]; }
std::optional<std::string> Renderer::FindLanguage(std::string_view primary) const {
  return impl_->FindLanguage(primary);
}
const LocaleStrings& Renderer::Strings(std::string_view language) const {
  return impl_->StringsFor(language);
}

int64_t Renderer::PageCount(int64_t total, int64_t page_size) {
  assert(page_size >= 1);
  return total <= 0 ? 0 : (total + page_size - 1) / page_size;
}

std::string Renderer::Impl::Body(const content::Translation& translation, std::string_view language,
                                 const std::string& prefix) const {
  // Paragraph anchors p1, p2, … run through the whole body in document order, so a citation
  // link stays valid whatever block a paragraph sits in.
  int paragraph_number = 0;
  const auto numbered = [&](const std::string& text) {
    Data paragraph = Object();
    paragraph.set("n", std::to_string(++paragraph_number));
    paragraph.set("text", text);
    return paragraph;
  };
  Data blocks = List();
  for (const content::Block& block : translation.blocks) {
    Data item = Object();
    item.set("paragraph", block.type == content::Block::Type::kParagraph);
    item.set("turn", block.type == content::Block::Type::kTurn);
    item.set("heading", block.type == content::Block::Type::kHeading);
    item.set("quote", block.type == content::Block::Type::kQuote);
    item.set("list", block.type == content::Block::Type::kList);
    switch (block.type) {
      case content::Block::Type::kParagraph:
      case content::Block::Type::kQuote:
        item.set("p", numbered(block.text));
        break;
      case content::Block::Type::kHeading:
        item.set("text", block.text);
        break;
      case content::Block::Type::kTurn: {
        item.set("role", std::string(content::TurnRoleName(block.role)));
        item.set("speaker", block.speaker);
        item.set("note", Maybe(block.note));
        Data paragraphs = List();
        for (const std::string& text : block.paragraphs) paragraphs.push_back(numbered(text));
        item.set("paragraphs", paragraphs);
        break;
      }
      case content::Block::Type::kList: {
        Data items = List();
        for (const std::string& text : block.paragraphs) {
          Data entry = Object();
          entry.set("text", text);
          items.push_back(entry);
        }
        item.set("items", items);
        break;
      }
    }
    blocks.push_back(item);
  }
  Data page = Object();
  page.set("blocks", blocks);
  page.set("prefix", prefix);
  return Render("body", page, language);
}

Data Renderer::Impl::TermLinks(const std::vector<std::string>& names, std::string_view language,
                               bool people) const {
  Data links = List();
  std::vector<Data> entries;
  for (const std::string& name : names) {
    const std::string slug = content::MakeSlug(name);
    if (slug.empty()) continue;  // nothing to link to: a name of punctuation only
    Data entry = Object();
    entry.set("name", name);
    entry.set("href", people ? PersonPath(language, slug) : TagPath(language, slug));
    entry.set("last", false);
    entries.push_back(std::move(entry));
  }
  if (!entries.empty()) entries.back().set("last", true);
  for (Data& entry : entries) links.push_back(entry);
  return links;
}

const publish::Publisher* Renderer::Impl::KindPublisher(content::Kind kind,
                                                        std::string_view language) const {
  for (const publish::Publisher& publisher : publishers) {
    const bool exactly_kind = publisher.kinds.size() == 1 && publisher.kinds[0] == kind &&
                              publisher.tags.empty() && publisher.people.empty() &&
                              publisher.categories.empty() && !publisher.manual_ids &&
                              publisher.window == publish::DateWindow{};
    if (exactly_kind && publisher.HasLanguage(language)) return &publisher;
  }
  return nullptr;
}

namespace {

// "en_GB" for "en-GB": OpenGraph's locale form.
std::string OgLocale(std::string_view tag) {
  std::string locale(tag);
  std::replace(locale.begin(), locale.end(), '-', '_');
  return locale;
}

// One side of a row of the side-by-side view: a block, part of a turn, or nothing.
Data CompareCell(const std::string& tag, const content::Block* block, bool show_speaker,
                 const std::vector<std::string>& paragraphs) {
  Data cell = Object();
  cell.set("tag", tag);
  cell.set("name", content::NativeLanguageName(tag));
  cell.set("speaker", false);
  cell.set("note", false);
  cell.set("heading", false);
  cell.set("has_list", false);
  Data texts = List();
  if (block != nullptr) {
    switch (block->type) {
      case content::Block::Type::kParagraph:
      case content::Block::Type::kQuote:
        texts.push_back(Data("text", block->text));
        break;
      case content::Block::Type::kHeading:
        cell.set("heading", block->text);
        break;
      case content::Block::Type::kTurn:
        if (show_speaker) {
          cell.set("speaker", block->speaker);
          cell.set("note", Maybe(block->note));
        }
        for (const std::string& text : paragraphs) texts.push_back(Data("text", text));
        break;
      case content::Block::Type::kList: {
        Data items = List();
        for (const std::string& text : block->paragraphs) items.push_back(Data("text", text));
        cell.set("has_list", true);
        cell.set("list_items", items);
        break;
      }
    }
  }
  cell.set("paragraphs", texts);
  return cell;
}

// The files attached to an asset, for "Additional materials": images as thumbnails (with their
// pixel size, so the page does not jump) linking to the file, others as links with type and size.
Data MediaList(const content::Asset& asset, const LocaleStrings& strings,
               std::string_view language) {
  Data list = List();
  for (const content::MediaFile& file : asset.media) {
    const content::MediaType* type = content::FindMediaType(file.type);
    if (type == nullptr || file.hash.size() != 64) continue;  // never stored as such
    Data item = Object();
    item.set("href", "/media/" + media::RelativePath(file.hash, file.type));
    item.set("name", file.name);
    item.set("caption", Maybe(file.caption));
    item.set("type", file.type);
    if (content::IsImageType(file.type) && file.width > 0 && file.height > 0) {
      const int width = std::min(file.width, media::kThumbnailWidth);
      const int height = std::max(1, static_cast<int>(int64_t{file.height} * width / file.width));
      item.set("thumbnail", "/media/" + media::ThumbnailPath(file.hash));
      item.set("alt", file.caption.empty() ? file.name : file.caption);
      item.set("thumb_width", std::to_string(width));
      item.set("thumb_height", std::to_string(height));
    } else {
      item.set("thumbnail", false);
      std::string label(type->extensions.front());
      for (char& c : label) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      item.set("type_label", label);
      std::string size;
      if (file.bytes >= 1024 * 1024) {
        size =
            fmt::format("{:.1f} {}", file.bytes / (1024.0 * 1024.0), strings.Text("item.media_mb"));
      } else if (file.bytes >= 1024) {
        size = fmt::format("{:.0f} {}", file.bytes / 1024.0, strings.Text("item.media_kb"));
      } else {
        size = fmt::format("{} {}", file.bytes, strings.Text("item.media_bytes"));
      }
      if (content::PrimarySubtag(language) == "ru")
        std::replace(size.begin(), size.end(), '.', ',');
      item.set("size", size);
    }
    list.push_back(item);
  }
  return list;
}

}  // namespace

std::string Renderer::ItemPage(const content::Asset& asset, std::string_view language,
                               const std::vector<store::Headline>& related,
                               const std::vector<store::Headline>& referenced_by,
                               ItemView view) const {
  const content::Translation* translation = TranslationFor(asset, language);
  if (translation == nullptr) {
    throw Error(ErrorCode::kNotFound,
                fmt::format("asset {} has no {} version", asset.id, language));
  }
  const LocaleStrings& strings = impl_->StringsFor(language);
  const std::string item_path = ItemPath(asset.id, language, translation->slug);
  const bool print = view == ItemView::kPrint;

  Data page = Object();
  page.set("id", std::to_string(asset.id));
  page.set("title", translation->title);
  page.set("place", Maybe(translation->place));
  const std::string kind_text = strings.Text(fmt::format("kind.{}", content::KindName(asset.kind)));
  page.set("kind", kind_text);
  page.set("kind_name", std::string(content::KindName(asset.kind)));
  const publish::Publisher* kind_list = impl_->KindPublisher(asset.kind, language);
  page.set("kind_href", kind_list ? Data(PublisherPath(language, kind_list->path)) : Data(false));
  page.set("datetime", content::ToIso8601(asset.published_at, asset.time_zone));
  page.set("date", content::FormatDateTime(asset.published_at, asset.time_zone, language));
  page.set("versions", impl_->VersionList(asset, language));
  page.set("print_view", print);
  page.set("print_href", item_path + "?print=1");
  page.set("body", impl_->Body(*translation, language, ""));

  // The side-by-side view with each other version in a site language.
  page.set("compare",
           CompareLinks(impl_->languages, asset, item_path, {content::PrimarySubtag(language)}));

  const Data people = impl_->TermLinks(asset.people, language, true);
  const Data tags = impl_->TermLinks(asset.tags, language, false);
  page.set("has_people", !people.is_empty_list());
  page.set("people", people);
  page.set("has_tags", !tags.is_empty_list());
  page.set("tags", tags);
  page.set("has_terms", !people.is_empty_list() || !tags.is_empty_list());

  // "Additional materials" both ways: what this item lists, then the published items that list
  // it (each once).
  Data related_list = List();
  std::set<int64_t> listed;
  const auto link_item = [&](const store::Headline& headline) -> std::optional<Data> {
    const std::optional<std::string> link_language =
        impl_->FindLanguage(content::PrimarySubtag(headline.language));
    if (!link_language) return std::nullopt;
    Data item = Object();
    item.set("title", headline.title);
    item.set("href", ItemPath(headline.id, *link_language, headline.slug));
    item.set("hreflang", headline.language);
    return item;
  };
  for (const content::Related& entry : asset.related) {
    const store::Headline* headline = nullptr;
    if (entry.id != 0) {
      auto it = std::find_if(related.begin(), related.end(),
                             [&](const store::Headline& h) { return h.id == entry.id; });
      if (it != related.end() && it->status == content::Status::kPublished) headline = &*it;
    }
    if (headline != nullptr && !listed.insert(headline->id).second) continue;
    std::optional<Data> link = headline ? link_item(*headline) : std::nullopt;
    if (link) {
      related_list.push_back(*link);
      continue;
    }
    const std::string title = headline ? headline->title : entry.title;
    if (title.empty()) continue;  // an unknown id with no title: nothing to show
    Data item = Object();
    item.set("title", title);
    item.set("href", false);
    related_list.push_back(item);
  }
  for (const store::Headline& headline : referenced_by) {
    if (headline.status != content::Status::kPublished || headline.id == asset.id) continue;
    if (!listed.insert(headline.id).second) continue;
    if (std::optional<Data> link = link_item(headline)) related_list.push_back(*link);
  }
  page.set("has_related", !related_list.is_empty_list());
  page.set("related", related_list);
  const Data media = MediaList(asset, strings, language);
  page.set("has_media", !media.is_empty_list());
  page.set("media", media);
  page.set("has_materials", !related_list.is_empty_list() || !media.is_empty_list());

  Head head;
  head.title = fmt::format("{} — {}", translation->title, impl_->SiteName(language));
  head.description = Description(*translation);
  head.canonical = impl_->Url(item_path);
  head.print_view = print;
  head.noindex = print;                            // the canonical page is the one to index
  const content::Translation* original = nullptr;  // the first declared version there is
  for (const std::string& tag : asset.languages) {
    if ((original = asset.FindTranslation(tag)) != nullptr) break;
  }
  nlohmann::ordered_json translations = nlohmann::ordered_json::array();
  nlohmann::ordered_json original_json;
  for (const std::string& tag : impl_->languages) {
    const content::Translation* version = TranslationFor(asset, tag);
    if (version == nullptr) continue;
    const std::string path = ItemPath(asset.id, tag, version->slug);
    head.language_paths[tag] = path;
    head.alternates.push_back({version->language, impl_->Url(path)});
    if (tag == impl_->languages[0]) head.alternates.push_back({"x-default", impl_->Url(path)});
    if (version == translation) continue;
    head.og_locale_alternates.push_back(OgLocale(version->language));
    nlohmann::ordered_json work = {{"@type", "NewsArticle"},
                                   {"headline", version->title},
                                   {"inLanguage", version->language},
                                   {"url", impl_->Url(path)}};
    if (version == original) original_json = work;
    translations.push_back(std::move(work));
  }
  head.og_title = translation->title;
  head.og_locale = OgLocale(translation->language);
  head.og_published_time = content::ToIso8601(asset.published_at, asset.time_zone);

  // schema.org NewsArticle as JSON-LD: data, not script (the CSP's script-src does not apply).
  const nlohmann::ordered_json organization = {{"@type", "Organization"},
                                               {"name", impl_->SiteName(language)},
                                               {"url", impl_->Url(HomePath(language))}};
  nlohmann::ordered_json article = {
      {"@context", "https://schema.org"},
      {"@type", "NewsArticle"},
      {"headline", translation->title},
      {"inLanguage", translation->language},
      {"url", head.canonical},
      {"mainEntityOfPage", head.canonical},
      {"datePublished", content::ToIso8601(asset.published_at, asset.time_zone)},
      {"dateModified",
       content::ToIso8601(asset.modified_at.value_or(asset.published_at), asset.time_zone)},
      {"articleSection", kind_text},
      {"author", organization},
      {"publisher", organization},
  };
  if (!head.description.empty()) article["description"] = head.description;
  if (!translation->place.empty()) {
    article["contentLocation"] = {{"@type", "Place"}, {"name", translation->place}};
  }
  nlohmann::ordered_json keywords = nlohmann::ordered_json::array();
  for (const std::string& tag : asset.tags) keywords.push_back(tag);
  for (const std::string& person : asset.people) keywords.push_back(person);
  if (!keywords.empty()) article["keywords"] = keywords;
  // The first declared version is the original: it lists its translations, each of them
  // points back to it.
  if (translation == original || original == nullptr) {
    if (!translations.empty()) article["workTranslation"] = translations;
  } else if (!original_json.is_null()) {
    article["translationOfWork"] = original_json;
  }
  head.json_ld = SafeJsonText(article);
  return impl_->Layout(language, head, impl_->Render("item", page, language));
}

std::string Renderer::ComparePage(const content::Asset& asset, std::string_view language,
                                  std::string_view other) const {
  const content::Translation* left = TranslationFor(asset, language);
  const content::Translation* right = TranslationFor(asset, other);
  if (left == nullptr || right == nullptr || left == right ||
      content::PrimarySubtag(language) == content::PrimarySubtag(other)) {
    throw Error(ErrorCode::kNotFound, fmt::format("asset {} has no {} and {} versions to compare",
                                                  asset.id, language, other));
  }
  const LocaleStrings& strings = impl_->StringsFor(language);
  const std::optional<std::string> other_site = impl_->FindLanguage(content::PrimarySubtag(other));
  const std::string item_path = ItemPath(asset.id, language, left->slug);

  Data page = Object();
  page.set("title", left->title);
  page.set("kind", strings.Text(fmt::format("kind.{}", content::KindName(asset.kind))));
  page.set("kind_name", std::string(content::KindName(asset.kind)));
  page.set("datetime", content::ToIso8601(asset.published_at, asset.time_zone));
  page.set("date", content::FormatDateTime(asset.published_at, asset.time_zone, language));
  page.set("item_href", item_path);
  const auto side = [&](const content::Translation& translation, std::string_view site_tag) {
    Data data = Object();
    data.set("tag", translation.language);
    data.set("name", content::NativeLanguageName(translation.language));
    data.set("title", translation.title);
    data.set("href", ItemPath(asset.id, site_tag, translation.slug));
    return data;
  };
  page.set("left", side(*left, language));
  page.set("right", side(*right, other_site.value_or(std::string(other))));
  page.set("others",
           CompareLinks(impl_->languages, asset, item_path,
                        {content::PrimarySubtag(language), content::PrimarySubtag(other)}));

  // Blocks pair by position; two turns in one position pair paragraph by paragraph.
  Data rows = List();
  int row_number = 0;
  const auto add_row = [&](Data left_cell, Data right_cell, const std::string& turn_class) {
    Data row = Object();
    row.set("n", std::to_string(++row_number));
    row.set("turn_class", Maybe(turn_class));
    Data cells = List();
    cells.push_back(left_cell);
    cells.push_back(right_cell);
    row.set("cells", cells);
    rows.push_back(row);
  };
  static const std::vector<std::string> kNone;
  const size_t block_count = std::max(left->blocks.size(), right->blocks.size());
  for (size_t i = 0; i < block_count; ++i) {
    const content::Block* a = i < left->blocks.size() ? &left->blocks[i] : nullptr;
    const content::Block* b = i < right->blocks.size() ? &right->blocks[i] : nullptr;
    const auto is_turn = [](const content::Block* block) {
      return block != nullptr && block->type == content::Block::Type::kTurn;
    };
    const content::Block* turn = is_turn(a) ? a : is_turn(b) ? b : nullptr;
    const std::string turn_class =
        turn ? fmt::format("compare-turn turn-{}", content::TurnRoleName(turn->role)) : "";
    if (is_turn(a) && is_turn(b)) {
      const size_t count = std::max<size_t>({a->paragraphs.size(), b->paragraphs.size(), 1});
      for (size_t j = 0; j < count; ++j) {
        const auto part = [&](const content::Block& block) {
          return j < block.paragraphs.size() ? std::vector<std::string>{block.paragraphs[j]}
                                             : std::vector<std::string>{};
        };
        add_row(CompareCell(left->language, a, j == 0, part(*a)),
                CompareCell(right->language, b, j == 0, part(*b)), turn_class);
      }
      continue;
    }
    add_row(CompareCell(left->language, a, true, a ? a->paragraphs : kNone),
            CompareCell(right->language, b, true, b ? b->paragraphs : kNone), turn_class);
  }
  page.set("rows", rows);

  Head head;
  head.title = fmt::format("{}: {} — {}", strings.Text("compare.title"), left->title,
                           impl_->SiteName(language));
  head.noindex = true;  // a view of the item pages, which are the ones to index
  for (const std::string& tag : impl_->languages) {
    const content::Translation* version = TranslationFor(asset, tag);
    if (version == nullptr) continue;
    // The same comparison from the other side: that language on the left.
    const std::string counterpart =
        tag == language
            ? std::string(other)
            : (content::PrimarySubtag(tag) == content::PrimarySubtag(other) ? std::string(language)
                                                                            : std::string(other));
    head.language_paths[tag] = fmt::format("{}?compare={}", ItemPath(asset.id, tag, version->slug),
                                           content::PrimarySubtag(counterpart));
  }
  return impl_->Layout(language, head, impl_->Render("compare", page, language));
}

std::string Renderer::PublisherPage(const publish::Publisher& publisher, std::string_view language,
                                    const publish::PublisherPage& result) const {
  const LocaleStrings& strings = impl_->StringsFor(language);
  const bool home = publisher.path.empty();
  const std::string title = impl_->Title(publisher, language);
  const std::string base = PublisherPath(language, publisher.path);
  const int64_t page_number = result.page;
  const auto page_path = [&](int64_t n) {
    return n <= 1 ? base : fmt::format("{}?page={}", base, n);
  };

  Data page = Object();
  const std::string heading = home ? strings.Text("home.title") : title;
  page.set("page_heading", heading);
  page.set("display", std::string(publish::DisplayName(publisher.display)));
  page.set("empty", strings.Text(home ? "home.empty" : "list.empty"));

  Data feeds = List();
  if (publisher.feeds) {
    for (const char* format : {"rss", "atom"}) {
      Data feed = Object();
      feed.set("href", FeedPath(language, publisher.path, format));
      feed.set("type", fmt::format("application/{}+xml", format));
      feed.set("label", strings.Text(fmt::format("list.{}", format)));
      feed.set("last", std::string_view(format) == "atom");
      feeds.push_back(feed);
    }
  }
  page.set("has_feeds", !feeds.is_empty_list());
  page.set("feeds", feeds);

  const int64_t shown = static_cast<int64_t>(result.list.assets.size());
  if (publisher.paging == publish::Paging::kNumbered && result.list.total > 0 && shown > 0) {
    const int64_t from = (page_number - 1) * publisher.page_size + 1;
    std::string count = strings.Text("list.count");
    for (const auto& [key, value] : {std::pair<std::string, int64_t>{"{from}", from},
                                     {"{to}", from + shown - 1},
                                     {"{total}", result.list.total}}) {
      const size_t at = count.find(key);
      if (at != std::string::npos) count.replace(at, key.size(), std::to_string(value));
    }
    page.set("count", count);
  } else {
    page.set("count", false);
  }

  const publish::Metadata& metadata = publisher.metadata;
  const bool table = publisher.display == publish::Display::kTable;
  const bool grouped = publisher.grouping != publish::Grouping::kNone;
  Data groups = List();
  int group_number = 0;
  bool any_item = false;
  for (const publish::Group& group : result.groups) {
    Data items = List();
    for (size_t index : group.items) {
      if (index >= result.list.assets.size()) continue;
      const content::Asset& asset = result.list.assets[index];
      const content::Translation* translation = TranslationFor(asset, language);
      if (translation == nullptr) continue;  // the store selected by language; be safe anyway
      Data item = Object();
      item.set("href", ItemPath(asset.id, language, translation->slug));
      item.set("title", translation->title);
      item.set("place", Maybe(translation->place));
      item.set("kind", strings.Text(fmt::format("kind.{}", content::KindName(asset.kind))));
      item.set("kind_name", std::string(content::KindName(asset.kind)));
      item.set("datetime", content::ToIso8601(asset.published_at, asset.time_zone));
      item.set("date", content::FormatDateTime(asset.published_at, asset.time_zone, language));
      item.set("short_date", content::FormatDate(asset.published_at, asset.time_zone, language));
      item.set("level", grouped ? "3" : "2");
      item.set("show_date", metadata.date);
      item.set("show_kind", metadata.kind);
      item.set("show_place", metadata.place);
      item.set("has_meta",
               metadata.date || metadata.kind || (metadata.place && !translation->place.empty()));
      const bool abstracts = publisher.display == publish::Display::kAbstracts;
      const bool full = publisher.display == publish::Display::kFull;
      const std::string summary =
          abstracts || (full && translation->blocks.empty())
              ? publish::Abstract(translation->summary, abstracts ? publisher.abstract_length
                                                                  : std::numeric_limits<int>::max())
              : std::string();
      item.set("summary", Maybe(summary));
      item.set("body",
               full && !translation->blocks.empty()
                   ? Data(impl_->Body(*translation, language, fmt::format("a{}-", asset.id)))
                   : Data(false));
      const Data people = metadata.people ? impl_->TermLinks(asset.people, language, true) : List();
      const Data tags = metadata.tags ? impl_->TermLinks(asset.tags, language, false) : List();
      item.set("has_people", !people.is_empty_list());
      item.set("people", people);
      item.set("has_tags", !tags.is_empty_list());
      item.set("tags", tags);
      items.push_back(item);
    }
    if (items.is_empty_list()) continue;
    any_item = true;
    std::string group_heading;
    switch (publisher.grouping) {
      case publish::Grouping::kNone:
        break;
      case publish::Grouping::kYear:
        group_heading = group.key;
        break;
      case publish::Grouping::kMonth:
        group_heading = MonthNameOfKey(group.key, language);
        break;
      case publish::Grouping::kKind:
        group_heading = content::ParseKind(group.key)
                            ? strings.Text(fmt::format("kinds.{}", group.key))
                            : group.key;
        break;
    }
    Data data = Object();
    data.set("n", std::to_string(++group_number));
    data.set("heading", Maybe(group_heading));
    data.set("caption", group_heading.empty() ? heading : group_heading);
    data.set("table", table);
    data.set("items", items);
    groups.push_back(data);
  }
  page.set("has_items", any_item);
  page.set("groups", groups);

  // Pagers: numbered (first, previous, a window of page numbers with gaps, next, last),
  // simple (previous, next) or none.
  page.set("first_page", false);
  page.set("last_page", false);
  page.set("previous", false);
  page.set("next", false);
  page.set("pages", List());
  bool has_pager = false;
  if (publisher.paging == publish::Paging::kNumbered && result.pages > 1) {
    has_pager = true;
    constexpr int64_t kWindow = 2;  // page numbers either side of the current one
    const int64_t low = std::max<int64_t>(1, page_number - kWindow);
    const int64_t high = std::min<int64_t>(result.pages, page_number + kWindow);
    Data entries = List();
    if (low > 1) entries.push_back(PageGap());
    for (int64_t n = low; n <= high; ++n) {
      entries.push_back(PageEntry(n, page_path(n), n == page_number));
    }
    if (high < result.pages) entries.push_back(PageGap());
    page.set("pages", entries);
    if (low > 1) page.set("first_page", page_path(1));
    if (high < result.pages) page.set("last_page", page_path(result.pages));
    if (page_number > 1) page.set("previous", page_path(page_number - 1));
    if (page_number < result.pages) page.set("next", page_path(page_number + 1));
  } else if (publisher.paging == publish::Paging::kSimple && (page_number > 1 || result.has_next)) {
    has_pager = true;
    if (page_number > 1) page.set("previous", page_path(page_number - 1));
    if (result.has_next) page.set("next", page_path(page_number + 1));
  }
  page.set("has_pager", has_pager);

  Head head;
  head.title = page_number > 1 ? fmt::format("{} ({} {}) — {}", heading, strings.Text("pager.page"),
                                             page_number, impl_->SiteName(language))
                               : fmt::format("{} — {}", heading, impl_->SiteName(language));
  head.canonical = impl_->Url(page_path(page_number));
  head.nav_current = publisher.id;
  for (const std::string& tag : impl_->languages) {
    if (!publisher.HasLanguage(tag)) continue;
    const std::string path = PublisherPath(tag, publisher.path);
    head.language_paths[tag] = path;
    if (page_number == 1) head.alternates.push_back({tag, impl_->Url(path)});
  }
  if (page_number == 1 && publisher.HasLanguage(impl_->languages[0])) {
    head.alternates.push_back(
        {"x-default", impl_->Url(PublisherPath(impl_->languages[0], publisher.path))});
  }
  if (publisher.feeds) {
    head.feeds.push_back({"application/rss+xml", fmt::format("{} (RSS)", title),
                          impl_->Url(FeedPath(language, publisher.path, "rss"))});
    head.feeds.push_back({"application/atom+xml", fmt::format("{} (Atom)", title),
                          impl_->Url(FeedPath(language, publisher.path, "atom"))});
  }
  return impl_->Layout(language, head, impl_->Render("publisher", page, language));
}

std::string Renderer::MissingTranslationPage(const content::Asset& asset,
                                             std::string_view language) const {
  const LocaleStrings& strings = impl_->StringsFor(language);
  Data page = Object();
  page.set("status", "404");
  page.set("home_path", HomePath(language));
  page.set("heading", strings.Text("error.missing_translation.title"));
  page.set("text", strings.Text("error.missing_translation.text"));
  Data versions = List();
  Head head;
  for (const std::string& tag : impl_->languages) {
    const content::Translation* version = TranslationFor(asset, tag);
    if (version == nullptr) continue;
    Data item = Object();
    item.set("tag", version->language);
    item.set("name", content::NativeLanguageName(version->language));
    item.set("href", ItemPath(asset.id, tag, version->slug));
    item.set("title", version->title);
    versions.push_back(item);
    head.language_paths[tag] = ItemPath(asset.id, tag, version->slug);
  }
  page.set("has_versions", !versions.is_empty_list());
  page.set("versions", versions);
  head.title = fmt::format("{} — {}", strings.Text("error.missing_translation.title"),
                           impl_->SiteName(language));
  head.noindex = true;
  return impl_->Layout(language, head, impl_->Render("error", page, language));
}

std::string Renderer::SearchPage(std::string_view language, const SearchForm& form,
                                 const search::Results* results, int64_t page_number,
                                 int64_t page_size, const SearchProblem* problem) const {
  const LocaleStrings& strings = impl_->StringsFor(language);
  const std::string language_tag(language);
  Data page = Object();
  page.set("action", SearchPath(language, SearchForm{}));

  // The form, refilled. Mustache escapes every value.
  Data fields = Object();
  for (const auto& [name, value] : {std::pair<const char*, const std::string*>{"q", &form.q},
                                    {"all", &form.all},
                                    {"phrase", &form.phrase},
                                    {"any", &form.any},
                                    {"none", &form.none},
                                    {"from", &form.from},
                                    {"to", &form.to},
                                    {"person", &form.person},
                                    {"tag", &form.tag}}) {
    fields.set(name, *value);
  }
  page.set("form", fields);
  page.set("advanced_open", form.HasAdvanced());
  Data kinds = List();
  for (content::Kind kind : content::AllKinds()) {
    const std::string name(content::KindName(kind));
    Data item = Object();
    item.set("name", name);
    item.set("label", strings.Text("kind." + name));
    item.set("checked", std::find(form.kinds.begin(), form.kinds.end(), name) != form.kinds.end());
    kinds.push_back(item);
  }
  page.set("kinds", kinds);
  Data langs = List();
  {
    Data all = Object();
    all.set("value", std::string());
    all.set("label", strings.Text("search.all_languages"));
    all.set("selected", form.lang.empty());
    langs.push_back(all);
  }
  for (const std::string& tag : impl_->languages) {
    Data item = Object();
    const std::string primary = content::PrimarySubtag(tag);
    item.set("value", primary);
    item.set("label", content::NativeLanguageName(tag));
    item.set("tag", tag);
    item.set("selected", form.lang == primary || form.lang == tag);
    langs.push_back(item);
  }
  page.set("langs", langs);
  Data sorts = List();
  for (const char* sort : kSortChoices) {
    Data item = Object();
    item.set("value", std::string(sort));
    item.set("label", strings.Text(fmt::format("search.sort.{}", sort)));
    item.set("selected", form.sort == sort || (form.sort.empty() && sort == kSortChoices[0]));
    sorts.push_back(item);
  }
  page.set("sorts", sorts);
  Data per_pages = List();
  for (int64_t choice : kPerPageChoices) {
    Data item = Object();
    item.set("value", std::to_string(choice));
    item.set("selected", form.per_page == std::to_string(choice) ||
                             (form.per_page.empty() && choice == kDefaultPerPage));
    per_pages.push_back(item);
  }
  page.set("per_pages", per_pages);

  // The problem, if any, with the field it concerns marked in the form.
  Data invalid = Object();
  if (problem != nullptr) {
    const std::string field_key = "search.field." + problem->field;
    const std::string field_label =
        strings.Has(field_key) ? strings.Text(field_key) : problem->field;
    const std::string reason_key = "search.problem." + problem->reason;
    std::string message = WithField(
        strings.Text(strings.Has(reason_key) ? reason_key : "search.problem.query"), field_label);
    if (problem->reason == "query" && !problem->detail.empty()) message += " " + problem->detail;
    page.set("problem", message);
    if (!problem->field.empty()) invalid.set(problem->field, true);
  } else {
    page.set("problem", false);
  }
  page.set("invalid", invalid);

  page.set("has_results", results != nullptr);
  if (results != nullptr) {
    page.set("total", std::to_string(results->total));
    page.set("has_hits", !results->hits.empty());
    page.set("start", std::to_string((page_number - 1) * page_size + 1));
    Data hits = List();
    for (const search::Hit& hit : results->hits) {
      const std::string zone = hit.time_zone.empty() ? impl_->config.time_zone : hit.time_zone;
      const std::string kind_name(content::KindName(hit.kind));
      Data item = Object();
      item.set("href", HitPath(hit));
      item.set("title", hit.title);
      item.set("lang", hit.language);
      item.set("language_name",
               content::PrimarySubtag(hit.language) == content::PrimarySubtag(language)
                   ? Data(false)
                   : Data(content::NativeLanguageName(hit.language)));
      item.set("kind", strings.Text("kind." + kind_name));
      item.set("kind_name", kind_name);
      item.set("datetime", content::ToIso8601(hit.published_at, zone));
      item.set("date", content::FormatDate(hit.published_at, zone, language));
      item.set("speaker", Maybe(hit.speaker));
      item.set("place", Maybe(hit.place));
      item.set("snippet", hit.snippet_html);  // escaped by the index: {{{snippet}}}
      hits.push_back(item);
    }
    page.set("hits", hits);
    const int64_t pages = PageCount(results->total, page_size);
    page.set("past_last_page", results->hits.empty() && results->total > 0);
    SearchForm first = form;
    first.page.clear();
    page.set("first_page", SearchPath(language, first));
    // Nothing found: offer the spelling correction as a link that runs it.
    if (results->hits.empty() && results->total == 0 && !results->suggestion.empty()) {
      SearchForm corrected = form;
      corrected.q = results->suggestion;
      corrected.all.clear();
      corrected.any.clear();
      corrected.phrase.clear();
      corrected.none.clear();
      corrected.page.clear();
      Data suggestion = Object();
      suggestion.set("text", results->suggestion);
      suggestion.set("href", SearchPath(language, corrected));
      page.set("suggestion", suggestion);
    } else {
      page.set("suggestion", false);
    }
    SetPager(page, pages, page_number, [&](int64_t n) {
      SearchForm other = form;
      other.page = n == 1 ? std::string() : std::to_string(n);
      return SearchPath(language, other);
    });

    // Facets: each value narrows the search to it (from page 1); a value already applied is
    // shown as such, with a link that removes it.
    Data facets = List();
    for (const char* name : kFacets) {
      auto found = results->facets.find(name);
      if (found == results->facets.end() || found->second.empty()) continue;
      const std::string facet(name);
      Data values = List();
      for (const search::FacetValue& value : found->second) {
        SearchForm narrowed = form;
        narrowed.page.clear();
        SearchForm removed = narrowed;
        std::string label = value.value;
        bool link = true;
        bool selected = false;
        std::string value_lang;
        if (facet == "kind") {
          if (content::ParseKind(value.value)) {
            label = strings.Text("kind." + value.value);
          } else {
            link = false;
          }
          narrowed.kinds = {value.value};
          selected = form.kinds.size() == 1 && form.kinds[0] == value.value;
          removed.kinds.clear();
        } else if (facet == "year") {
          narrowed.from = value.value + "-01-01";
          narrowed.to = value.value + "-12-31";
          selected = form.from == narrowed.from && form.to == narrowed.to;
          removed.from.clear();
          removed.to.clear();
        } else if (facet == "language") {
          const std::string primary = content::PrimarySubtag(value.value);
          label = content::NativeLanguageName(value.value);
          value_lang = value.value;
          link = impl_->FindLanguage(primary).has_value();
          narrowed.lang = primary;
          selected = form.lang == primary;
          removed.lang.clear();
        } else {  // person
          narrowed.person = value.value;
          selected = form.person == value.value;
          removed.person.clear();
        }
        Data item = Object();
        item.set("label", label);
        item.set("lang", Maybe(value_lang));
        // Counts from a sample of a large match set are estimates: marked with "≈" (and the
        // note under the heading says why).
        item.set("count", (results->facets_exact ? "" : "≈") + std::to_string(value.count));
        item.set("selected", selected);
        item.set("link", link && !selected);
        item.set("text", !link && !selected);
        item.set("href", SearchPath(language, narrowed));
        item.set("remove_href", SearchPath(language, removed));
        values.push_back(item);
      }
      Data group = Object();
      group.set("name", facet);
      group.set("heading", strings.Text("search.facet." + facet));
      group.set("values", values);
      facets.push_back(group);
    }
    page.set("facets_approximate", !results->facets_exact);
    page.set("has_facets", !facets.is_empty_list());
    page.set("facets", facets);
  } else {
    page.set("has_facets", false);
    page.set("suggestion", false);
  }

  Head head;
  const std::string shown_query = !form.q.empty() ? form.q : form.phrase;
  head.title = shown_query.empty()
                   ? fmt::format("{} — {}", strings.Text("search.title"), impl_->SiteName(language))
                   : fmt::format("{} — {} — {}", shown_query, strings.Text("search.title"),
                                 impl_->SiteName(language));
  head.noindex = true;  // result pages are not for search engines
  head.search_query = form.q;
  for (const std::string& tag : impl_->languages) {
    head.language_paths[tag] = SearchPath(tag, form);  // the same search, in that language
  }
  return impl_->Layout(language, head, impl_->Render("search", page, language));
}

std::string Renderer::ErrorPage(std::string_view language, int status) const {
  const LocaleStrings& strings = impl_->StringsFor(language);
  const bool known = std::find(std::begin(kErrorStatuses), std::end(kErrorStatuses), status) !=
                     std::end(kErrorStatuses);
  const std::string key = known ? fmt::format("error.{}", status) : "error.other";
  Data page = Object();
  page.set("status", std::to_string(status));
  page.set("home_path", HomePath(language));
  page.set("heading", strings.Text(key + ".title"));
  page.set("text", strings.Text(key + ".text"));
  page.set("has_versions", false);
  Head head;
  head.title = fmt::format("{} — {}", strings.Text(key + ".title"), impl_->SiteName(language));
  head.noindex = true;
  return impl_->Layout(language, head, impl_->Render("error", page, language));
}

}  // namespace assetpub::render
