#include "render/renderer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <fstream>
#include <functional>
#include <kainjow/mustache.hpp>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "content/instant.h"
#include "content/language.h"
#include "core/error.h"
#include "render/json.h"
#include "render/paths.h"

#ifndef ASSETPUB_DEFAULT_RESOURCES_DIR
#define ASSETPUB_DEFAULT_RESOURCES_DIR "."
#endif

namespace assetpub::render {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

constexpr const char* kTemplateNames[] = {"layout", "item", "home", "error", "search"};
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
  }
  for (int status : kErrorStatuses) {
    keys.push_back(fmt::format("error.{}.title", status));
    keys.push_back(fmt::format("error.{}.text", status));
  }
  for (const char* key :
       {"error.other.title", "error.other.text", "home.title", "error.missing_translation.title",
        "error.missing_translation.text", "search.title", "search.all_languages",
        "search.facet.kind", "search.facet.year", "search.facet.language", "search.facet.person"}) {
    keys.emplace_back(key);
  }
  for (const char* field : kSearchFields) keys.push_back(fmt::format("search.field.{}", field));
  for (const char* reason : kSearchProblems) {
    keys.push_back(fmt::format("search.problem.{}", reason));
  }
  for (const char* sort : kSortChoices) keys.push_back(fmt::format("search.sort.{}", sort));
  return keys;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ErrorCode::kInvalidInput, fmt::format("{}: cannot read the file", path.string()));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
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
};

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
    if (n > previous_shown + 1) {
      Data gap = Object();
      gap.set("gap", true);
      gap.set("current", false);
      gap.set("link", false);
      entries.push_back(gap);
    }
    Data entry = Object();
    entry.set("n", std::to_string(n));
    entry.set("href", page_path(n));
    entry.set("gap", false);
    entry.set("current", n == page_number);
    entry.set("link", n != page_number);
    entries.push_back(entry);
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
  std::vector<std::string> languages;
  std::map<std::string, mustache::mustache, std::less<>> templates;
  std::map<std::string, LocaleStrings, std::less<>> strings;  // by site language tag
  std::map<std::string, Data, std::less<>> locale_data;       // by site language tag

  explicit Impl(const Config& config_in);

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

  std::string Render(std::string_view name, const Data& page, std::string_view language) const;
  std::string Layout(std::string_view language, const Head& head, const std::string& content) const;
  std::string Url(const std::string& path) const { return config.base_url + path; }
  // The stylesheet's URL with a fingerprint of its bytes, so a changed stylesheet is never
  // served from a browser's cache under the old page.
  std::string stylesheet;
  Data VersionList(const content::Asset& asset, std::string_view current) const;
};

Renderer::Impl::Impl(const Config& config_in) : config(config_in) {
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

  const std::filesystem::path template_dir = config.resources_dir / "templates";
  for (const char* name : kTemplateNames) {
    const std::filesystem::path file = template_dir / (std::string(name) + ".mustache");
    mustache::mustache parsed(ReadFile(file));
    if (!parsed.is_valid()) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("{}: {}", file.string(), parsed.error_message()));
    }
    templates.emplace(name, std::move(parsed));
  }

  {
    const std::string css = ReadFile(config.resources_dir / "static" / "css" / "site.css");
    uint64_t hash = 14695981039346656037ull;  // FNV-1a: a fingerprint, not a security measure
    for (unsigned char c : css) hash = (hash ^ c) * 1099511628211ull;
    stylesheet = fmt::format("{}?v={:016x}", kStylesheet, hash);
  }

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
                                   std::string_view language) const {
  auto it = templates.find(name);
  assert(it != templates.end());
  // kainjow's render() is not const: render a copy of the parsed template, so that concurrent
  // requests never share one.
  mustache::mustache copy = it->second;
  mustache::context<std::string> context;
  context.push(&LocaleDataFor(language));
  context.push(&page);
  const std::string rendered = copy.render(context);
  if (!copy.is_valid()) {
    throw Error(ErrorCode::kInternal, fmt::format("template {}: {}", name, copy.error_message()));
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
  page.set("lang", std::string(language));
  page.set("site_name", config.site_name);
  page.set("home_path", HomePath(language));
  page.set("search_path", SearchPath(language, SearchForm{}));
  page.set("search_query", head.search_query);
  page.set("title", head.title);
  page.set("description", Maybe(head.description));
  page.set("canonical", Maybe(head.canonical));
  page.set("noindex", head.noindex);
  page.set("stylesheet", stylesheet);
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
  page.set("content", content);  // produced by our own templates: inserted raw
  return Render("layout", page, language);
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

Renderer::Renderer(const Config& config) : impl_(std::make_unique<Impl>(config)) {}
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

std::string Renderer::ItemPage(const content::Asset& asset, std::string_view language,
                               const std::vector<store::Headline>& related) const {
  const content::Translation* translation = TranslationFor(asset, language);
  if (translation == nullptr) {
    throw Error(ErrorCode::kNotFound,
                fmt::format("asset {} has no {} version", asset.id, language));
  }
  const LocaleStrings& strings = impl_->StringsFor(language);

  Data page = Object();
  page.set("id", std::to_string(asset.id));
  page.set("title", translation->title);
  page.set("place", Maybe(translation->place));
  page.set("kind", strings.Text(fmt::format("kind.{}", content::KindName(asset.kind))));
  page.set("kind_name", std::string(content::KindName(asset.kind)));
  page.set("datetime", content::ToIso8601(asset.published_at, asset.time_zone));
  page.set("date", content::FormatDateTime(asset.published_at, asset.time_zone, language));
  page.set("versions", impl_->VersionList(asset, language));

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
  for (const content::Block& block : translation->blocks) {
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
  page.set("blocks", blocks);

  Data related_list = List();
  for (const content::Related& entry : asset.related) {
    Data item = Object();
    const store::Headline* headline = nullptr;
    if (entry.id != 0) {
      auto it = std::find_if(related.begin(), related.end(),
                             [&](const store::Headline& h) { return h.id == entry.id; });
      if (it != related.end() && it->status == content::Status::kPublished) headline = &*it;
    }
    std::optional<std::string> link_language;
    if (headline) link_language = impl_->FindLanguage(content::PrimarySubtag(headline->language));
    if (headline && link_language) {
      item.set("title", headline->title);
      item.set("href", ItemPath(headline->id, *link_language, headline->slug));
      item.set("hreflang", headline->language);
    } else {
      const std::string title = headline ? headline->title : entry.title;
      if (title.empty()) continue;  // an unknown id with no title: nothing to show
      item.set("title", title);
      item.set("href", false);
    }
    related_list.push_back(item);
  }
  page.set("has_related", !related_list.is_empty_list());
  page.set("related", related_list);

  Head head;
  head.title = fmt::format("{} — {}", translation->title, impl_->config.site_name);
  head.description = Description(*translation);
  head.canonical = impl_->Url(ItemPath(asset.id, language, translation->slug));
  for (const std::string& tag : impl_->languages) {
    const content::Translation* version = TranslationFor(asset, tag);
    if (version == nullptr) continue;
    const std::string path = ItemPath(asset.id, tag, version->slug);
    head.language_paths[tag] = path;
    head.alternates.push_back({version->language, impl_->Url(path)});
    if (tag == impl_->languages[0]) head.alternates.push_back({"x-default", impl_->Url(path)});
  }
  return impl_->Layout(language, head, impl_->Render("item", page, language));
}

std::string Renderer::HomePage(std::string_view language, const store::ListPage& list,
                               int64_t page_number, int64_t page_size) const {
  const LocaleStrings& strings = impl_->StringsFor(language);
  Data page = Object();
  Data items = List();
  for (const content::Asset& asset : list.assets) {
    const content::Translation* translation = TranslationFor(asset, language);
    if (translation == nullptr) continue;  // the store filtered by language; be safe anyway
    Data item = Object();
    item.set("href", ItemPath(asset.id, language, translation->slug));
    item.set("title", translation->title);
    item.set("place", Maybe(translation->place));
    item.set("summary", Maybe(translation->summary));
    item.set("kind", strings.Text(fmt::format("kind.{}", content::KindName(asset.kind))));
    item.set("kind_name", std::string(content::KindName(asset.kind)));
    item.set("datetime", content::ToIso8601(asset.published_at, asset.time_zone));
    item.set("date", content::FormatDateTime(asset.published_at, asset.time_zone, language));
    items.push_back(item);
  }
  page.set("has_items", !items.is_empty_list());
  page.set("items", items);

  const int64_t pages = PageCount(list.total, page_size);
  const std::string home = HomePath(language);
  const auto page_path = [&](int64_t n) {
    return n == 1 ? home : fmt::format("{}?page={}", home, n);
  };
  SetPager(page, pages, page_number, page_path);

  Head head;
  head.title = page_number > 1
                   ? fmt::format("{} ({} {}) — {}", strings.Text("home.title"),
                                 strings.Text("pager.page"), page_number, impl_->config.site_name)
                   : fmt::format("{} — {}", strings.Text("home.title"), impl_->config.site_name);
  head.canonical = impl_->Url(page_path(page_number));
  if (page_number == 1) {
    for (const std::string& tag : impl_->languages) {
      head.alternates.push_back({tag, impl_->Url(HomePath(tag))});
    }
    head.alternates.push_back({"x-default", impl_->Url(HomePath(impl_->languages[0]))});
  }
  return impl_->Layout(language, head, impl_->Render("home", page, language));
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
                           impl_->config.site_name);
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
        item.set("count", std::to_string(value.count));
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
    page.set("has_facets", !facets.is_empty_list());
    page.set("facets", facets);
  } else {
    page.set("has_facets", false);
    page.set("suggestion", false);
  }

  Head head;
  const std::string shown_query = !form.q.empty() ? form.q : form.phrase;
  head.title = shown_query.empty()
                   ? fmt::format("{} — {}", strings.Text("search.title"), impl_->config.site_name)
                   : fmt::format("{} — {} — {}", shown_query, strings.Text("search.title"),
                                 impl_->config.site_name);
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
  head.title = fmt::format("{} — {}", strings.Text(key + ".title"), impl_->config.site_name);
  head.noindex = true;
  return impl_->Layout(language, head, impl_->Render("error", page, language));
}

}  // namespace assetpub::render
