#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "auth/crypto.h"
#include "auth/csrf.h"
#include "authoring/workflow.h"
#include "content/language.h"
#include "content/slug.h"
#include "core/error.h"
#include "http/cookies.h"
#include "http/multipart.h"
#include "http/params.h"
#include "render/admin_pages.h"
#include "render/paths.h"
#include "web/admin/admin_body.h"
#include "web/admin/admin_form.h"
#include "web/admin/desk.h"
#include "web/api/media_routes.h"
#include "web/api/redirect_routes.h"

namespace assetpub::web::admin {

// --- Items ---------------------------------------------------------------------------------

// The "missing" filter's value for items that lack a translation of a language they declare.
constexpr std::string_view kMissingDeclared = "declared";

struct ItemFilters {
  std::optional<content::Status> status;
  std::optional<content::Kind> kind;
  std::string language;  // a site language tag, or empty
  std::string missing;   // a site language tag, or empty
  int64_t page = 1;
};

// A query parameter that must be one of the choices; `parse` gives nullopt for a bad one.
template <typename T, typename Parse>
std::optional<T> Choice(const Request& request, std::string_view name, Parse parse) {
  const std::optional<std::string> value = request.Query(name);
  if (!value || value->empty()) return std::nullopt;
  std::optional<T> parsed = parse(*value);
  if (!parsed) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("'{}' is not a valid value for '{}'", *value, name));
  }
  return parsed;
}

ItemFilters ReadFilters(const Admin& admin, const Request& request) {
  ItemFilters filters;
  filters.status = Choice<content::Status>(request, "status", content::ParseStatus);
  filters.kind = Choice<content::Kind>(request, "kind", content::ParseKind);
  const auto language = [&](std::string_view primary) {
    return admin.context.renderer.FindLanguage(primary);
  };
  filters.language = Choice<std::string>(request, "lang", language).value_or("");
  // "declared": lacks the translation of a language it declares.
  filters.missing =
      Choice<std::string>(request, "missing", [&](std::string_view value) {
        return value == kMissingDeclared ? std::optional<std::string>(value) : language(value);
      }).value_or("");
  filters.page = http::QueryInteger(request, "page", 1, 1, kMaxPage);
  return filters;
}

std::string FilterQuery(const ItemFilters& filters, int64_t page) {
  std::string query;
  const auto add = [&](std::string_view name, std::string_view value) {
    if (value.empty()) return;
    query += query.empty() ? '?' : '&';
    query += fmt::format("{}={}", name, render::PercentEncode(value));
  };
  add("status", filters.status ? content::StatusName(*filters.status) : "");
  add("kind", filters.kind ? content::KindName(*filters.kind) : "");
  add("lang", filters.language.empty() ? "" : content::PrimarySubtag(filters.language));
  add("missing", filters.missing.empty() || filters.missing == kMissingDeclared
                     ? filters.missing
                     : content::PrimarySubtag(filters.missing));
  if (page > 1) add("page", std::to_string(page));
  return "/admin/" + query;
}

struct ItemsResult {
  std::vector<content::Asset> assets;
  int64_t total = 0;
  int64_t scanned = 0;  // > 0: the filters were applied to the newest `scanned` items only
};

bool Matches(const ItemFilters& filters, const content::Asset& asset) {
  if (filters.kind && asset.kind != *filters.kind) return false;
  if (!filters.language.empty() &&
      asset.FindTranslation(content::PrimarySubtag(filters.language)) == nullptr) {
    return false;
  }
  if (filters.missing == kMissingDeclared) {
    return std::any_of(asset.languages.begin(), asset.languages.end(), [&](const std::string& tag) {
      return asset.translations.count(tag) == 0 && asset.FindTranslation(tag) == nullptr;
    });
  }
  if (!filters.missing.empty() &&
      asset.FindTranslation(content::PrimarySubtag(filters.missing)) != nullptr) {
    return false;
  }
  return true;
}

ItemsResult FindItems(const Admin& admin, const ItemFilters& filters) {
  store::Store& store = admin.context.store;
  const int64_t offset = (filters.page - 1) * kPageSize;
  ItemsResult result;
  if (filters.missing.empty() && !filters.language.empty()) {
    store::Selection selection;
    selection.status = filters.status;
    selection.language = content::PrimarySubtag(filters.language);
    if (filters.kind) selection.kinds = {*filters.kind};
    selection.offset = offset;
    selection.limit = kPageSize;
    selection.with_bodies = false;
    store::ListPage page = store.Select(selection);
    return {std::move(page.assets), page.total, 0};
  }
  if (filters.missing.empty() && !filters.kind) {
    store::ListQuery query;
    query.status = filters.status;
    query.offset = offset;
    query.limit = kPageSize;
    store::ListPage page = store.List(query);
    return {std::move(page.assets), page.total, 0};
  }
  // The store has no "lacks a translation" filter, and selects kinds only within a language:
  // read the newest items in batches and filter them here, up to kScanLimit.
  int64_t matched = 0;
  for (int64_t at = 0; at < kScanLimit; at += kScanBatch) {
    store::ListQuery query;
    query.status = filters.status;
    query.offset = at;
    query.limit = kScanBatch;
    store::ListPage page = store.List(query);
    for (content::Asset& asset : page.assets) {
      if (!Matches(filters, asset)) continue;
      if (matched >= offset && matched < offset + kPageSize) {
        result.assets.push_back(std::move(asset));
      }
      ++matched;
    }
    result.scanned = at + static_cast<int64_t>(page.assets.size());
    if (static_cast<int64_t>(page.assets.size()) < kScanBatch) {
      result.scanned = 0;  // everything was seen: the count is exact
      break;
    }
  }
  result.total = matched;
  return result;
}

// The title to show for an asset: the UI language's version, else its first translation.
const content::Translation* ShownTranslation(const Admin& admin, const content::Asset& asset) {
  const content::Translation* translation =
      asset.FindTranslation(content::PrimarySubtag(admin.language));
  if (translation == nullptr && !asset.translations.empty()) {
    translation = &asset.translations.begin()->second;
  }
  return translation;
}

json Options(const std::string& any_label, const std::string& selected,
             const std::vector<std::pair<std::string, std::string>>& choices) {
  json options =
      json::array({{{"value", ""}, {"label", any_label}, {"selected", selected.empty()}}});
  for (const auto& [value, label] : choices) {
    options.push_back({{"value", value}, {"label", label}, {"selected", value == selected}});
  }
  return options;
}

Response Items(const Admin& admin, const Call& call) {
  const ItemFilters filters = ReadFilters(admin, call.request);
  const ItemsResult found = FindItems(admin, filters);
  if (filters.page > 1 && found.assets.empty()) {
    throw Error(ErrorCode::kNotFound, fmt::format("there is no page {}", filters.page));
  }
  json view{{"title", admin.T("admin.items.title")}};

  std::vector<std::pair<std::string, std::string>> statuses;
  for (content::Status status :
       {content::Status::kDraft, content::Status::kScheduled, content::Status::kPublished,
        content::Status::kExpired, content::Status::kArchived}) {
    statuses.emplace_back(content::StatusName(status), admin.StatusLabel(status));
  }
  view["statuses"] =
      Options(admin.T("admin.status.any"),
              filters.status ? std::string(content::StatusName(*filters.status)) : "", statuses);
  std::vector<std::pair<std::string, std::string>> kinds;
  for (content::Kind kind : content::AllKinds()) {
    kinds.emplace_back(content::KindName(kind), admin.KindLabel(kind));
  }
  view["kinds"] = Options(admin.T("admin.items.any_kind"),
                          filters.kind ? std::string(content::KindName(*filters.kind)) : "", kinds);
  std::vector<std::pair<std::string, std::string>> languages;
  for (const std::string& tag : admin.context.renderer.languages()) {
    languages.emplace_back(content::PrimarySubtag(tag), content::NativeLanguageName(tag));
  }
  const auto primary = [](const std::string& tag) {
    return tag.empty() ? std::string() : content::PrimarySubtag(tag);
  };
  view["languages"] =
      Options(admin.T("admin.items.any_language"), primary(filters.language), languages);
  languages.emplace_back(kMissingDeclared, admin.T("admin.filter.missing_declared"));
  view["missing"] = Options(
      admin.T("admin.items.no_missing"),
      filters.missing == kMissingDeclared ? filters.missing : primary(filters.missing), languages);

  json items = json::array();
  for (const content::Asset& asset : found.assets) {
    const content::Translation* translation = ShownTranslation(admin, asset);
    std::string versions;
    for (const auto& [tag, unused] : asset.translations) {
      versions += versions.empty() ? tag : ", " + tag;
    }
    items.push_back(
        {{"id", std::to_string(asset.id)},
         {"href", fmt::format("/admin/items/{}", asset.id)},
         {"title", translation != nullptr && !translation->title.empty()
                       ? translation->title
                       : admin.T("admin.items.untitled")},
         {"title_lang", translation != nullptr ? translation->language : ""},
         {"title_dir", content::TextDirection(translation != nullptr ? translation->language : "")},
         {"status", std::string(content::StatusName(asset.status))},
         {"status_label", admin.StatusLabel(asset.status)},
         {"kind", admin.KindLabel(asset.kind)},
         {"date", admin.Date(asset.published_at, asset.time_zone)},
         {"languages", versions}});
  }
  view["has_items"] = !items.empty();
  view["items"] = std::move(items);
  if (found.total > 0) {
    const int64_t from = (filters.page - 1) * kPageSize + 1;
    const int64_t to = from + static_cast<int64_t>(found.assets.size()) - 1;
    view["count"] = Fill(admin.T("admin.items.count"), {{"from", std::to_string(from)},
                                                        {"to", std::to_string(to)},
                                                        {"total", std::to_string(found.total)}});
  }
  if (found.scanned > 0) {
    view["scan_note"] =
        Fill(admin.T("admin.items.scan_note"), {{"scanned", std::to_string(found.scanned)}});
  }
  json pager = json::object();
  if (filters.page > 1) pager["previous"] = FilterQuery(filters, filters.page - 1);
  if (filters.page * kPageSize < found.total) {
    pager["next"] = FilterQuery(filters, filters.page + 1);
  }
  view["pager"] = pager.empty() ? json(false) : pager;
  return Page(admin, call.request.target, 200, "items", std::move(view), &call.session);
}

Response Item(const Admin& admin, const Call& call) {
  const auth::Principal& actor = call.session.principal;
  const authoring::Item item = admin.workflow->Get(actor, ItemId(call));
  const content::Asset& asset = item.working;
  json view{{"title", Fill(admin.T("admin.item.title"), {{"id", std::to_string(asset.id)}})}};
  if (const std::optional<std::string> done = call.request.Query("done")) {
    static const std::map<std::string, std::string, std::less<>> kNotices = {
        {"created", "admin.edit.created"},
        {"saved", "admin.edit.saved"},
        {"publish", "admin.edit.published_notice"},
        {"schedule", "admin.edit.scheduled_notice"},
        {"unschedule", "admin.edit.unscheduled_notice"},
        {"archive", "admin.edit.archived_notice"},
        {"restored", "admin.history.restored"}};
    if (auto it = kNotices.find(*done); it != kNotices.end()) view["notice"] = admin.T(it->second);
  }
  json meta = json::array();
  const auto add = [&](std::string_view key, std::string value) {
    if (!value.empty()) meta.push_back({{"label", admin.T(key)}, {"value", std::move(value)}});
  };
  add("admin.item.id", std::to_string(asset.id));
  add("admin.item.kind", admin.KindLabel(asset.kind));
  add("admin.item.status", admin.StatusLabel(item.status));
  add("admin.item.published", admin.Date(asset.published_at, asset.time_zone) + " (" +
                                  content::ToIso8601(asset.published_at, asset.time_zone) + ")");
  if (asset.modified_at) {
    add("admin.item.modified", admin.Date(*asset.modified_at, asset.time_zone));
  }
  add("admin.item.languages", Join(asset.languages));
  add("admin.item.people", Join(asset.people));
  add("admin.item.tags", Join(asset.tags));
  view["meta"] = std::move(meta);
  if (item.head.latest > 0) {
    view["revision_info"] = Fill(
        admin.T("admin.edit.revision_info"),
        {{"revision", std::to_string(item.head.latest)}, {"live", std::to_string(item.head.live)}});
  }
  view["pending"] = item.pending ? json(admin.T("admin.edit.pending")) : json(false);

  // One column per site language (missing ones say so), then any other translation.
  std::vector<std::string> tags;
  std::set<std::string> shown;
  for (const std::string& tag : admin.context.renderer.languages()) {
    const content::Translation* translation = asset.FindTranslation(content::PrimarySubtag(tag));
    tags.push_back(translation != nullptr ? translation->language : tag);
  }
  for (const auto& [tag, unused] : asset.translations) tags.push_back(tag);
  json columns = json::array();
  json previews = json::array();
  json publics = json::array();
  for (const std::string& tag : tags) {
    if (!shown.insert(tag).second) continue;
    const content::Translation* translation = asset.FindTranslation(tag);
    json column{{"lang", tag},
                {"dir", content::TextDirection(tag)},
                {"ui_lang", admin.language},
                {"language_name", content::NativeLanguageName(tag)}};
    if (translation != nullptr) {
      json blocks = json::array();
      for (const content::Block& block : translation->blocks) blocks.push_back(BlockView(block));
      column["present"] =
          json{{"title", translation->title},
               {"slug", translation->slug},
               {"place", translation->place.empty() ? json(false) : json(translation->place)},
               {"summary", translation->summary.empty() ? json(false) : json(translation->summary)},
               {"blocks", blocks}};
      const std::optional<std::string> site_language =
          admin.context.renderer.FindLanguage(content::PrimarySubtag(tag));
      if (site_language) {
        const std::string name = content::NativeLanguageName(tag);
        previews.push_back({{"href", fmt::format("/admin/items/{}/preview?lang={}", asset.id,
                                                 content::PrimarySubtag(tag))},
                            {"label", Fill(admin.T("admin.item.preview"), {{"language", name}})}});
        if (item.status == content::Status::kPublished) {
          publics.push_back(
              {{"href", render::ItemPath(asset.id, *site_language, translation->slug)},
               {"label", Fill(admin.T("admin.item.public"), {{"language", name}})}});
        }
      }
    } else {
      column["present"] = false;
    }
    columns.push_back(std::move(column));
  }
  view["columns"] = std::move(columns);
  view["previews"] = std::move(previews);
  view["public"] = std::move(publics);

  view["edit_href"] = actor.May(auth::Action::kEdit)
                          ? json(fmt::format("/admin/items/{}/edit", asset.id))
                          : json(false);
  json actions = json::array();
  const std::string base = std::to_string(item.head.latest);
  const std::string zone_help =
      Fill(admin.T("admin.edit.schedule_help"), {{"zone", admin.context.config.time_zone}});
  const auto action = [&](std::string_view name, std::string_view label, bool schedule) {
    actions.push_back({{"action", fmt::format("/admin/items/{}/{}", asset.id, name)},
                       {"label", admin.T(label)},
                       {"csrf", call.session.csrf},
                       {"base", base},
                       {"schedule", schedule},
                       {"zone_help", zone_help}});
  };
  if (actor.May(auth::Action::kPublish) &&
      (item.status != content::Status::kPublished || item.pending)) {
    action("publish", "admin.edit.publish", false);
  }
  if (actor.May(auth::Action::kSchedule)) {
    if (item.status == content::Status::kScheduled) {
      action("unschedule", "admin.edit.unschedule", false);
    } else if (item.status != content::Status::kPublished) {
      action("schedule", "admin.edit.schedule", true);
    }
  }
  if (actor.May(auth::Action::kArchive) && item.status != content::Status::kArchived) {
    action("archive", "admin.edit.archive", false);
  }
  view["has_actions"] = !actions.empty();
  view["actions"] = std::move(actions);

  json revisions = json::array();
  if (item.head.latest > 0) {
    for (const store::Revision& revision : admin.workflow->History(actor, asset.id)) {
      revisions.push_back({{"number", std::to_string(revision.number)},
                           {"at", admin.Date(revision.at, admin.context.config.time_zone)},
                           {"author", revision.author},
                           {"note", revision.note}});
    }
  }
  view["has_revisions"] = !revisions.empty();
  view["revisions"] = std::move(revisions);
  view["history_href"] =
      item.head.latest > 0 ? json(fmt::format("/admin/items/{}/history", asset.id)) : json(false);

  // Its old addresses (redirects.cpp manages them): the first page of them, by path.
  store::RedirectQuery redirects;
  redirects.asset_id = asset.id;
  redirects.limit = kRedirectPageSize;
  json old_paths = json::array();
  for (const store::Redirect& r : admin.context.store.ListRedirects(redirects).redirects) {
    old_paths.push_back({{"path", r.path}, {"language", r.language}});
  }
  view["has_redirects"] = !old_paths.empty();
  view["redirects"] = std::move(old_paths);
  view["redirects_href"] = fmt::format("/admin/redirects?asset={}", asset.id);
  return Page(admin, call.request.target, 200, "item", std::move(view), &call.session);
}

// The site's own item page for the item's working copy, as it would be published.
Response Preview(const Admin& admin, const Call& call) {
  const authoring::Item item = admin.workflow->Get(call.session.principal, ItemId(call));
  const std::string primary = call.request.Query("lang").value_or(
      content::PrimarySubtag(admin.context.renderer.default_language()));
  return PreviewPage(admin, item.working, primary);
}

}  // namespace assetpub::web::admin
