// The parts every page shares: construction (templates, locales, their checks), rendering a
// template, the layout around each page, the body of an item, and the error pages. Each other
// page has its own file: item_page.cpp, compare_page.cpp, publisher_page.cpp, search_page.cpp.
//
// A page is a Mustache template (templates/*.mustache, kainjow) filled with data built here:
// {{x}} escapes, so content goes in that way; {{{x}}} is kept for what the renderer made itself
// (a rendered body, the page inside the layout, the JSON-LD made script-safe) and the index's
// escaped snippets. The locale's strings sit under every page's data as {{t.key}}.

#include "render/renderer.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cassert>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <utility>

#include "content/language.h"
#include "content/slug.h"
#include "core/error.h"
#include "render/paths.h"
#include "render/plural.h"
#include "render/renderer_impl.h"
#include "render/resource_file.h"

#ifndef ASSETPUB_DEFAULT_RESOURCES_DIR
#define ASSETPUB_DEFAULT_RESOURCES_DIR "."
#endif

namespace assetpub::render {

using internal::Alternate;
using internal::Data;
using internal::Head;
using internal::List;
using internal::Maybe;
using internal::Object;
using internal::SetLanguage;

namespace internal {

Data Object() { return Data(Data::type::object); }
Data List() { return Data(Data::type::list); }
Data Maybe(const std::string& text) { return text.empty() ? Data(false) : Data(text); }

Data PageEntry(int64_t n, const std::string& href, bool current, std::string_view language) {
  Data entry = Object();
  entry.set("n", FormatDigits(n, language));
  entry.set("href", href);
  entry.set("gap", false);
  entry.set("current", current);
  entry.set("link", !current);
  return entry;
}

Data PageGap() {
  Data gap = Object();
  gap.set("gap", true);
  gap.set("current", false);
  gap.set("link", false);
  return gap;
}

void SetLanguage(Data& entry, const std::string& tag) {
  entry.set("tag", tag);
  entry.set("name", content::NativeLanguageName(tag));
  entry.set("dir", std::string(content::TextDirection(tag)));
}

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
    SetLanguage(item, version->language);
    links.push_back(item);
  }
  return links;
}

}  // namespace internal

namespace {

namespace mustache = internal::mustache;

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
  for (const char* key : {"error.other.title",
                          "error.other.text",
                          "home.title",
                          "home.empty",
                          "list.empty",
                          "list.count",
                          "list.rss",
                          "list.atom",
                          "pager.page",
                          "compare.title",
                          "site.label_colon",
                          "site.home",
                          "error.missing_translation.title",
                          "error.missing_translation.text",
                          "search.title",
                          "search.results_count",
                          "search.index_building",
                          "search.index_incomplete",
                          "search.all_languages",
                          "search.facet.kind",
                          "search.facet.year",
                          "search.facet.language",
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

}  // namespace

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
  // A site language nobody has translated the chrome into yet still serves its content: its pages
  // take English strings, and the operator is told once rather than refused.
  const std::filesystem::path english_file = locale_dir / (std::string(kFallbackLocale) + ".toml");
  std::optional<LocaleStrings> english;
  const auto load_english = [&]() -> const LocaleStrings& {
    if (!english) english = LocaleStrings::Load(english_file);
    return *english;
  };
  std::vector<std::string> untranslated;
  for (const std::string& tag : languages) {
    const std::filesystem::path file = locale_file(tag);
    if (std::filesystem::exists(file)) {
      strings.emplace(tag, LocaleStrings::Load(file));
    } else {
      untranslated.push_back(tag);
      strings.emplace(tag, load_english());
    }
  }
  if (!untranslated.empty()) {
    spdlog::warn("no locale file for {} in {}: English strings are shown instead",
                 fmt::join(untranslated, ", "), locale_dir.string());
  }
  for (const std::string& tag : languages) {
    const bool translated =
        std::find(untranslated.begin(), untranslated.end(), tag) == untranslated.end() &&
        strings.find(tag)->second.HasAnyUnder(kAdminPrefix);
    if (tag == languages[0] || translated) desk_languages.push_back(tag);
  }
  // The editors' desk is translated into fewer languages than the site: a locale may omit any
  // admin.* key, which then comes from the default language's file, and from English when that
  // lacks it too. Every other key stays required.
  const std::filesystem::path reference_path = locale_file(languages[0]);
  if (content::PrimarySubtag(languages[0]) != kFallbackLocale) {
    LocaleStrings& default_strings = strings.find(languages[0])->second;
    default_strings = default_strings.FilledFrom(load_english(), kAdminPrefix);
  }
  const LocaleStrings& reference = strings.find(languages[0])->second;
  for (const std::string& key : RequiredKeys()) {
    if (!reference.Has(key)) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("{}: missing the key '{}'", reference_path.string(), key));
    }
  }
  for (const std::string& tag : languages) {
    LocaleStrings& own = strings.find(tag)->second;
    if (tag != languages[0]) own = own.FilledFrom(reference, kAdminPrefix);
    const auto missing = own.MissingKeys(reference);
    if (!missing.empty()) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("{}: missing the key '{}'{} that {} has", locale_file(tag).string(),
                              missing.front(),
                              missing.size() > 1 ? fmt::format(" (and {} more)", missing.size() - 1)
                                                 : std::string(),
                              reference_path.filename().string()));
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
    SetLanguage(item, tag);
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
  // A language written in other digits than ASCII ones says so ("digits-arab"): the stylesheet
  // numbers ordered lists in them, as FormatNumber writes the page's numbers.
  std::string body_class = head.print_view ? "print-view" : "screen-view";
  if (const std::string digits = NumberingSystemName(language); digits != "latn") {
    body_class += " digits-" + digits;
  }
  page.set("body_class", body_class);
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
  shared->set("dir", std::string(content::TextDirection(language)));
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
    SetLanguage(item, shown_tag);
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
const std::vector<std::string>& Renderer::desk_languages() const { return impl_->desk_languages; }
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
    paragraph.set("n", std::to_string(++paragraph_number));  // in the anchor: ASCII
    paragraph.set("label", FormatDigits(paragraph_number, language));
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

namespace {

// The people a page in `language` shows: an asset's people are one list for all its languages,
// and may name each person in several scripts ("Sergey Lavrov", "Сергей Лавров"). A page shows
// the names written in its language's script (content::WrittenInScriptOf: Cyrillic on ru, sr,
// kk… pages, Han on zh pages), else the Latin ones, else the list whole.
std::vector<std::string> PeopleForLanguage(const std::vector<std::string>& names,
                                           std::string_view language) {
  for (const std::string_view script_of : {language, std::string_view("en")}) {
    std::vector<std::string> shown;
    for (const std::string& name : names) {
      if (content::WrittenInScriptOf(name, script_of)) shown.push_back(name);
    }
    if (!shown.empty()) return shown;
  }
  return names;
}

}  // namespace

Data Renderer::Impl::TermLinks(const std::vector<std::string>& all_names, std::string_view language,
                               bool people) const {
  Data links = List();
  std::vector<Data> entries;
  const std::vector<std::string> names =
      people ? PeopleForLanguage(all_names, language) : all_names;
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
    SetLanguage(item, version->language);
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
