// Renderer::ItemPage: an asset's page in one language, with its additional materials and its
// metadata for search engines and social sites (JSON-LD, OpenGraph, hreflang alternates).

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "content/instant.h"
#include "content/language.h"
#include "core/error.h"
#include "core/text.h"
#include "media/media_store.h"
#include "render/json.h"
#include "render/paths.h"
#include "render/renderer.h"
#include "render/renderer_impl.h"

namespace assetpub::render {

using internal::CompareLinks;
using internal::Data;
using internal::Head;
using internal::List;
using internal::Maybe;
using internal::Object;

namespace {

// A meta description taken from the body is cut near this many bytes.
constexpr size_t kDescriptionLength = 200;

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

// "en_GB" for "en-GB": OpenGraph's locale form.
std::string OgLocale(std::string_view tag) {
  std::string locale(tag);
  std::replace(locale.begin(), locale.end(), '-', '_');
  return locale;
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
      item.set("type_label", AsciiUpper(type->extensions.front()));
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
    item.set("dir", std::string(content::TextDirection(headline.language)));
    return item;
  };
  for (const content::Related& entry : asset.related) {
    const store::Headline* headline = nullptr;
    if (entry.id != 0) {
      auto it = std::find_if(related.begin(), related.end(),
                             [&](const store::Headline& h) { return h.id == entry.id; });
      if (it != related.end() && it->status == content::Status::kPublished) headline = &*it;
    }
    // An item that is not public (a draft, scheduled, archived, gone) is left out altogether:
    // not even the title an import stored beside its id reaches the page.
    if (entry.id != 0 && headline == nullptr) continue;
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

}  // namespace assetpub::render
