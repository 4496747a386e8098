#include "importers/wxr_import.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <numeric>
#include <optional>
#include <set>

#include "content/instant.h"
#include "content/language.h"
#include "content/slug.h"
#include "content/validate.h"
#include "core/error.h"
#include "core/text.h"
#include "importers/body_formats.h"
#include "importers/importer.h"
#include "importers/wxr_media.h"
#include "importers/wxr_text.h"

namespace assetpub::importers {
namespace {

using content::Asset;
using content::Status;
using content::Translation;

constexpr std::string_view kSourcePrefix = "wordpress:";
constexpr std::string_view kZeroDate = "0000-00-00 00:00:00";

[[noreturn]] void Reject(const std::string& reason) {
  throw Error(ErrorCode::kInvalidInput, reason);
}

// "2014-03-12 18:05:00" as a local date and time; nullopt for anything else (and the zero date).
std::optional<content::LocalDateTime> ParseWpDate(std::string_view text) {
  content::LocalDateTime local;
  if (text.size() != 19 || text == kZeroDate) return std::nullopt;
  if (std::sscanf(std::string(text).c_str(), "%4d-%2d-%2d %2d:%2d:%2d", &local.year, &local.month,
                  &local.day, &local.hour, &local.minute, &local.second) != 6) {
    return std::nullopt;
  }
  return local;
}

// What becomes of an item, before it is grouped with its language versions.
struct Plan {
  const WxrItem* item = nullptr;
  std::string skipped;   // the reason it is not an item (attachment, trash, …)
  std::string rejected;  // the reason it cannot be imported
  std::string language;  // BCP 47
  Status status = Status::kPublished;
  std::string note;  // for the report: why it is a draft
  content::Instant published_at;
  size_t group = 0;  // index of its translation group (the item's own when it has none)
  // Filled when its group is written:
  std::string outcome;  // "imported", "unchanged", "skipped: …", "rejected: …"
  int64_t asset_id = 0;
};

// The path and query of `url` ("http://host/a/b/?x=1" -> "/a/b/?x=1"); "" when it has none.
std::string PathOf(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return url.starts_with('/') ? std::string(url) : "";
  const size_t slash = url.find('/', scheme + 3);
  if (slash == std::string_view::npos) return "/";
  std::string path(url.substr(slash));
  if (const size_t fragment = path.find('#'); fragment != std::string::npos) path.resize(fragment);
  return path;
}

// The old addresses WordPress answered for `item`: its permalink and ?p=ID (?page_id=ID for a
// page), under the blog's own path.
std::vector<std::string> OldPaths(const WxrSite& site, const WxrItem& item) {
  std::vector<std::string> paths;
  if (std::string link = PathOf(item.link); !link.empty()) paths.push_back(std::move(link));
  std::string base = PathOf(site.base_blog_url.empty() ? site.link : site.base_blog_url);
  while (base.ends_with('/')) base.pop_back();
  if (item.post_id != 0) {
    paths.push_back(fmt::format("{}/?p={}", base, item.post_id));
    if (item.post_type == "page")
      paths.push_back(fmt::format("{}/?page_id={}", base, item.post_id));
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  return paths;
}

std::string TypeName(const WxrItem& item) {
  return item.post_type.empty() ? std::string("item") : item.post_type;
}

// Union-find over plan indexes, for translation groups.
class Groups {
 public:
  explicit Groups(size_t count) : parent_(count) {
    std::iota(parent_.begin(), parent_.end(), size_t{0});
  }
  size_t Find(size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void Join(size_t a, size_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);  // the earlier item leads the group
  }

 private:
  std::vector<size_t> parent_;
};

}  // namespace

std::string WxrSource(const WxrItem& item) {
  return std::string(kSourcePrefix) +
         (item.guid.empty() ? fmt::format("?p={}", item.post_id) : item.guid);
}

WxrOptions LoadWxrOptions(const std::filesystem::path& config_toml) {
  WxrOptions options;
  std::error_code error;
  if (!std::filesystem::exists(config_toml, error)) return options;
  toml::table table;
  try {
    table = toml::parse_file(config_toml.string());
  } catch (const toml::parse_error& e) {
    throw Error(ErrorCode::kInvalidInput, fmt::format("{}:{}: {}", config_toml.string(),
                                                      e.source().begin.line, e.description()));
  }
  const toml::table* section = table["wordpress"].as_table();
  if (section == nullptr) return options;
  auto bad = [&](const toml::node& node, const std::string& what) {
    throw Error(ErrorCode::kInvalidInput, fmt::format("{}:{}: [wordpress] {}", config_toml.string(),
                                                      node.source().begin.line, what));
  };
  auto kind_of = [&](const toml::node& node, const std::string& key) {
    const auto name = node.value<std::string>();
    const auto kind = name ? content::ParseKind(*name) : std::nullopt;
    if (!kind) bad(node, fmt::format("{}: not a kind (article, statement, speech, …)", key));
    return *kind;
  };
  for (auto&& [key, node] : *section) {
    const std::string name(key.str());
    if (name == "kinds" || name == "categories") {
      const toml::table* map = node.as_table();
      if (map == nullptr) bad(node, name + " must be a table, e.g. { post = \"article\" }");
      for (auto&& [entry, value] : *map) {
        const std::string label(entry.str());
        (name == "kinds" ? options.kinds_by_type : options.kinds_by_category)[label] =
            kind_of(value, name + "." + label);
      }
    } else if (name == "default_kind") {
      options.default_kind = kind_of(node, name);
    } else if (name == "time_zone") {
      const auto zone = node.value<std::string>();
      if (!zone || !content::IsKnownTimeZone(*zone)) bad(node, "time_zone: not an IANA zone");
      options.time_zone = *zone;
    } else {
      bad(node, fmt::format("unknown setting '{}'", name));
    }
  }
  return options;
}

WxrImporter::WxrImporter(store::Store& store, const Config& config, const WxrOptions& options)
    : store_(store), config_(config), options_(options) {}

WxrReport WxrImporter::Import(const WxrSite& site, std::string_view file_name) {
  const std::string zone = options_.time_zone.empty() ? config_.time_zone : options_.time_zone;
  const std::string default_language =
      config_.languages.empty() ? std::string("en-GB") : config_.languages.front();

  // What the channel declares: authors' names, Polylang's languages and translation groups.
  std::map<std::string, std::string> author_names;
  for (const WxrAuthor& author : site.authors) {
    author_names[author.login] = author.display_name.empty() ? author.login : author.display_name;
  }
  std::map<std::pair<std::string, std::string>, const WxrTerm*> terms;
  for (const WxrTerm& term : site.terms) terms[{term.taxonomy, term.slug}] = &term;
  std::map<int64_t, const WxrItem*> attachments;
  std::map<int64_t, std::vector<int64_t>> attached_to;  // post id -> its attachments, file order
  for (const WxrItem& item : site.items) {
    if (item.post_type != "attachment") continue;
    attachments[item.post_id] = &item;
    if (item.post_parent != 0) attached_to[item.post_parent].push_back(item.post_id);
  }
  // The files first, each in a transaction of the media library's own: a file stored for an
  // import that then fails is harmless (content-addressed, listed by no asset).
  const WxrMedia media = StoreWxrMedia(site, options_.uploads, options_.put_media);

  // A WordPress language code as a BCP 47 tag: Polylang's term locale ("en_GB") when declared,
  // else the code; a bare language the site has with a region ("en" on an en-GB site) is the
  // site's tag.
  auto language_tag = [&](const std::string& code, const std::string& locale) {
    std::string tag = locale.empty() ? code : locale;
    std::replace(tag.begin(), tag.end(), '_', '-');
    const std::optional<std::string> canonical = content::CanonicalLanguageTag(tag);
    if (!canonical) return std::optional<std::string>();
    if (canonical->find('-') == std::string::npos) {
      for (const std::string& site_language : config_.languages) {
        if (content::PrimarySubtag(site_language) == *canonical)
          return std::optional(site_language);
      }
    }
    return canonical;
  };
  const std::string channel_language = [&] {
    if (site.language.empty()) return default_language;
    return language_tag(site.language, "").value_or(default_language);
  }();

  std::vector<Plan> plans(site.items.size());
  std::map<int64_t, size_t> by_post_id;
  int comments = 0;
  for (size_t i = 0; i < site.items.size(); ++i) {
    const WxrItem& item = site.items[i];
    Plan& plan = plans[i];
    plan.item = &item;
    plan.group = i;
    comments += item.comments;
    if (item.post_id != 0) by_post_id.emplace(item.post_id, i);
    const bool imported_type = item.post_type == "post" || item.post_type == "page" ||
                               options_.kinds_by_type.contains(item.post_type);
    if (item.post_type == "attachment") {
      plan.skipped = "an attachment";  // the report gives what became of its file
    } else if (item.post_type == "nav_menu_item") {
      plan.skipped = "a menu item";
    } else if (!imported_type) {
      plan.skipped = fmt::format(
          "post type '{}' is not imported (name it in config.toml's [wordpress] kinds to import "
          "it)",
          item.post_type);
    } else if (item.status == "trash") {
      plan.skipped = "in the trash";
    } else if (item.status == "auto-draft" || item.status == "inherit") {
      plan.skipped = fmt::format("status '{}' (WordPress's own working copy)", item.status);
    } else if (item.status == "publish") {
      plan.status = Status::kPublished;
    } else if (item.status == "future") {
      plan.status = Status::kScheduled;
    } else if (item.status == "draft" || item.status == "pending") {
      plan.status = Status::kDraft;
    } else if (item.status == "private") {
      plan.status = Status::kDraft;
      plan.note = "private in WordPress: imported as a draft, not public";
    } else {
      plan.rejected = fmt::format("unknown status '{}'", item.status);
    }
    if (!item.post_password.empty() && plan.skipped.empty() && plan.rejected.empty()) {
      plan.status = Status::kDraft;
      plan.note = "password-protected in WordPress: imported as a draft, not public";
    }
    if (!plan.skipped.empty() || !plan.rejected.empty()) continue;

    // Language: Polylang's `language` term, WPML's export metadata, else the channel's.
    std::optional<std::string> language;
    std::string code;
    for (const WxrItemTerm& term : item.terms) {
      if (term.domain != "language") continue;
      code = term.slug.empty() ? term.name : term.slug;
      std::string locale;
      if (const auto it = terms.find({"language", term.slug}); it != terms.end()) {
        if (const auto fields = ParsePhpArray(it->second->description)) {
          if (const auto found = fields->find("locale"); found != fields->end()) {
            locale = found->second;
          }
        }
      }
      language = language_tag(code, locale);
    }
    if (code.empty()) {
      if (const auto it = item.meta.find("_wpml_import_language_code"); it != item.meta.end()) {
        code = std::string(Trim(it->second));
        language = language_tag(code, "");
      }
    }
    if (code.empty()) language = channel_language;
    if (!language) {
      plan.rejected = fmt::format("unknown language '{}'", code);
      continue;
    }
    plan.language = *language;

    // post_date_gmt is UTC; drafts have a zero one, and then post_date is local to the site.
    try {
      if (const auto gmt = ParseWpDate(item.post_date_gmt)) {
        plan.published_at = content::FromLocal(*gmt, "UTC");
      } else if (const auto local = ParseWpDate(item.post_date)) {
        plan.published_at = content::FromLocal(*local, zone);
      } else {
        plan.rejected = fmt::format("no date: post_date '{}'", item.post_date);
      }
    } catch (const Error& e) {
      plan.rejected = e.what();
    }
  }

  // Translation groups: Polylang's post_translations terms (by slug, and the ids their
  // description lists) and WPML's translation group.
  Groups groups(plans.size());
  std::map<std::string, size_t> first_of_group;
  auto join_key = [&](const std::string& key, size_t i) {
    const auto [it, inserted] = first_of_group.emplace(key, i);
    if (!inserted) groups.Join(it->second, i);
  };
  for (size_t i = 0; i < plans.size(); ++i) {
    if (!plans[i].skipped.empty() || !plans[i].rejected.empty()) continue;
    const WxrItem& item = *plans[i].item;
    for (const WxrItemTerm& term : item.terms) {
      if (term.domain != "post_translations") continue;
      join_key("pll:" + term.slug, i);
      const auto it = terms.find({"post_translations", term.slug});
      if (it == terms.end()) continue;
      if (const auto members = ParsePhpArray(it->second->description)) {
        for (const auto& [code, id] : *members) {
          const auto other = by_post_id.find(std::strtoll(id.c_str(), nullptr, 10));
          if (other != by_post_id.end() && plans[other->second].skipped.empty() &&
              plans[other->second].rejected.empty()) {
            groups.Join(i, other->second);
          }
        }
      }
    }
    if (const auto it = item.meta.find("_wpml_import_translation_group"); it != item.meta.end()) {
      join_key("wpml:" + std::string(Trim(it->second)), i);
    }
  }
  std::map<size_t, std::vector<size_t>> members;  // group leader -> plan indexes, file order
  for (size_t i = 0; i < plans.size(); ++i) {
    if (!plans[i].skipped.empty() || !plans[i].rejected.empty()) continue;
    plans[i].group = groups.Find(i);
    members[plans[i].group].push_back(i);
  }

  // Where each earlier imported item went: its source -> asset id.
  std::map<std::string, int64_t> known;
  store_.ForEachWithoutBodies([&](const Asset& asset) {
    for (const auto& [tag, translation] : asset.translations) {
      if (translation.source.starts_with(kSourcePrefix)) known[translation.source] = asset.id;
    }
  });

  WxrReport report;
  auto tx = store_.Begin();
  const content::Instant now = content::Now();
  const AttachmentUrl attachment_url = [&](int64_t id) -> std::optional<std::string> {
    const auto it = attachments.find(id);
    if (it == attachments.end() || it->second->attachment_url.empty()) return std::nullopt;
    return it->second->attachment_url;
  };

  for (auto& [leader, indexes] : members) {
    // The lead version: the site's default language (exact, then primary subtag), else the
    // first in the file. It gives the asset its status, date, kind and author.
    size_t lead = indexes.front();
    for (const size_t i : indexes) {
      if (plans[i].language == default_language) {
        lead = i;
        break;
      }
      if (content::PrimarySubtag(plans[i].language) == content::PrimarySubtag(default_language) &&
          content::PrimarySubtag(plans[lead].language) !=
              content::PrimarySubtag(default_language)) {
        lead = i;
      }
    }
    const Plan& head = plans[lead];
    const WxrItem& lead_item = *head.item;

    Asset asset;
    asset.status = head.status;
    asset.published_at = head.published_at;
    asset.time_zone = zone;
    asset.kind = options_.default_kind;
    if (const auto it = options_.kinds_by_type.find(lead_item.post_type);
        it != options_.kinds_by_type.end()) {
      asset.kind = it->second;
    }
    for (const WxrItemTerm& term : lead_item.terms) {
      if (term.domain != "category") continue;
      auto it = options_.kinds_by_category.find(term.name);
      if (it == options_.kinds_by_category.end()) it = options_.kinds_by_category.find(term.slug);
      if (it != options_.kinds_by_category.end()) {
        asset.kind = it->second;
        break;
      }
    }
    if (!lead_item.creator.empty()) {
      const auto it = author_names.find(lead_item.creator);
      asset.people.push_back(it != author_names.end() ? it->second : lead_item.creator);
    }

    std::vector<size_t> included;
    std::optional<int64_t> existing_id;
    std::vector<int64_t> used_media;  // attachments the versions' bodies name, in order
    for (const size_t i : indexes) {
      Plan& plan = plans[i];
      const WxrItem& item = *plan.item;
      if (i != lead && asset.status != Status::kDraft && plan.status != asset.status) {
        // A version must not be more public than WordPress made it.
        plan.outcome = fmt::format("skipped: {} while its {} version is {}: not imported with it",
                                   content::StatusName(plan.status), head.language,
                                   content::StatusName(asset.status));
        continue;
      }
      if (asset.translations.contains(plan.language)) {
        plan.outcome =
            fmt::format("rejected: a second {} version in its translation group", plan.language);
        continue;
      }
      try {
        Translation translation;
        translation.language = plan.language;
        translation.title = PlainText(item.title);
        if (translation.title.empty()) Reject("no title");
        translation.slug = content::MakeSlug(item.post_name);
        if (translation.slug != item.post_name)
          translation.slug = content::MakeSlug(translation.title);
        if (translation.slug.empty())
          translation.slug = fmt::format("{}-{}", item.post_type, item.post_id);
        translation.blocks = BlocksFromHtml(
            AutoParagraphs(PointAtMedia(ExpandShortcodes(item.content, attachment_url, nullptr),
                                        media, config_.base_url, used_media)));
        translation.summary = PlainText(item.excerpt);
        if (translation.summary.empty()) translation.summary = Summarise(translation.blocks);
        translation.source = WxrSource(item);
        asset.translations[plan.language] = std::move(translation);
      } catch (const Error& e) {
        plan.outcome = fmt::format("rejected: {}", e.what());
        continue;
      }
      asset.languages.push_back(plan.language);
      for (const WxrItemTerm& term : item.terms) {
        if (term.name.empty()) continue;
        if (term.domain == "post_tag" &&
            std::find(asset.tags.begin(), asset.tags.end(), term.name) == asset.tags.end()) {
          asset.tags.push_back(term.name);
        }
        if (term.domain == "category") {
          std::vector<std::string>& topics = asset.categories["topic"];
          if (std::find(topics.begin(), topics.end(), term.name) == topics.end()) {
            topics.push_back(term.name);
          }
        }
      }
      if (const auto it = known.find(WxrSource(item)); it != known.end() && !existing_id) {
        existing_id = it->second;
      }
      included.push_back(i);
    }
    if (included.empty()) continue;
    // Its files: each version's featured image, its attached files, the files its body names.
    std::vector<int64_t> files;
    for (const size_t i : included) {
      const WxrItem& item = *plans[i].item;
      if (const auto it = item.meta.find("_thumbnail_id"); it != item.meta.end()) {
        files.push_back(std::strtoll(it->second.c_str(), nullptr, 10));
      }
      if (const auto it = attached_to.find(item.post_id); it != attached_to.end()) {
        files.insert(files.end(), it->second.begin(), it->second.end());
      }
    }
    files.insert(files.end(), used_media.begin(), used_media.end());
    for (const int64_t id : files) {
      const auto stored = media.stored.find(id);
      if (stored == media.stored.end()) continue;
      content::MediaFile file = stored->second.file;
      if (file.caption.empty()) {
        try {
          file.caption = PlainText(attachments.at(id)->excerpt);  // WordPress's caption
        } catch (const Error&) {
          // A caption that is not text is left out; the file is what matters.
        }
      }
      const bool listed = std::any_of(asset.media.begin(), asset.media.end(),
                                      [&](const auto& m) { return m.hash == file.hash; });
      if (!listed) asset.media.push_back(std::move(file));
    }

    std::optional<Asset> existing;
    if (existing_id) existing = tx->Get(*existing_id);
    if (existing) asset.id = existing->id;
    try {
      content::Validate(asset);
    } catch (const Error& e) {
      for (const size_t i : included) plans[i].outcome = fmt::format("rejected: {}", e.what());
      continue;
    }
    const bool same = existing && existing->SameContent(asset);
    if (!same) {
      asset.modified_at = now;
      PutRecorded(*tx, asset, fmt::format("import {}", file_name));
    }
    // Every old address of every version leads to the version's page (a new one counts as a
    // change, so an export imported before its addresses were kept gets them).
    bool moved = false;
    for (const size_t i : included) {
      for (const std::string& path : OldPaths(site, *plans[i].item)) {
        moved = tx->PutRedirect({path, asset.id, plans[i].language}) || moved;
      }
    }
    std::string outcome = same && !moved ? "unchanged" : "imported";
    ++(same && !moved ? report.unchanged : report.written);
    report.asset_ids.push_back(asset.id);
    for (const size_t i : included) {
      plans[i].outcome = outcome;
      plans[i].asset_id = asset.id;
    }
  }
  tx->Commit();

  // One line per item, then the summary by type and outcome (imported ones by status).
  std::map<std::string, std::map<std::string, int>> counts;  // type -> outcome -> n
  for (Plan& plan : plans) {
    const WxrItem& item = *plan.item;
    if (item.post_type == "attachment") {
      plan.outcome = media.outcomes.at(item.post_id);
    } else if (!plan.skipped.empty()) {
      plan.outcome = "skipped: " + plan.skipped;
    }
    if (!plan.rejected.empty()) plan.outcome = "rejected: " + plan.rejected;
    std::string title;
    try {
      title = PlainText(item.title);
    } catch (const Error&) {
      title = item.title;  // the report shows what the file has; the item says why it failed
    }
    std::string line = fmt::format("{} {}", TypeName(item), item.post_id);
    if (!plan.language.empty()) line += " " + plan.language;
    line += fmt::format(" \"{}\": {}", title, plan.outcome);
    if (plan.asset_id != 0) line += fmt::format(" (asset {})", plan.asset_id);
    if (plan.asset_id != 0 && !plan.note.empty()) line += "; " + plan.note;
    report.lines.push_back(std::move(line));
    std::string key = plan.outcome.substr(0, plan.outcome.find(':'));
    if (key == "imported" && item.post_type != "attachment") {
      key += fmt::format(" ({})", content::StatusName(plan.status));
    }
    if (key == "rejected") ++report.rejected;
    ++counts[TypeName(item)][key];
  }
  for (const auto& [type, outcomes] : counts) {
    std::string part;
    for (const auto& [outcome, n] : outcomes) {
      part += fmt::format("{}{} {}", part.empty() ? "" : ", ", n, outcome);
    }
    report.summary += fmt::format("{}{}: {}", report.summary.empty() ? "" : "; ", type, part);
  }
  if (comments > 0) {
    report.summary +=
        fmt::format("{}{} comment(s) skipped", report.summary.empty() ? "" : "; ", comments);
  }
  if (report.summary.empty()) report.summary = "no items in the file";
  return report;
}

}  // namespace assetpub::importers
