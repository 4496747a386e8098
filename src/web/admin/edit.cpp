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
#include "core/text.h"
#include "http/cookies.h"
#include "http/multipart.h"
#include "http/params.h"
#include "render/admin_pages.h"
#include "render/paths.h"
#include "web/admin/admin_body.h"
#include "web/admin/admin_form.h"
#include "web/admin/desk.h"
#include "web/api/media_routes.h"

namespace assetpub::web::admin {

std::string Join(const std::vector<std::string>& values) {
  std::string joined;
  for (const std::string& value : values) joined += joined.empty() ? value : ", " + value;
  return joined;
}

json BlockView(const content::Block& block) {
  json paragraphs = json::array();
  switch (block.type) {
    case content::Block::Type::kTurn:
    case content::Block::Type::kList:
      for (const std::string& paragraph : block.paragraphs) paragraphs.push_back(paragraph);
      break;
    case content::Block::Type::kParagraph:
    case content::Block::Type::kHeading:
    case content::Block::Type::kQuote:
      paragraphs.push_back(block.text);
      break;
  }
  std::string speaker = block.speaker;
  if (!block.note.empty()) speaker += fmt::format(" ({})", block.note);
  return {{"speaker", speaker.empty() ? json(false) : json(speaker)}, {"paragraphs", paragraphs}};
}

int64_t ItemId(const Call& call) {
  const std::optional<int64_t> id = http::ParseInteger(call.params.Get("id"), 1, INT64_MAX);
  if (!id) throw Error(ErrorCode::kNotFound, fmt::format("no item '{}'", call.params.Get("id")));
  return *id;
}

// "2013-06-07T16:29" for an <input type="datetime-local">, in `zone`.
std::string LocalInputValue(content::Instant instant, const std::string& zone) {
  return content::ToIso8601(instant, zone).substr(0, 16);
}

// An <input type="datetime-local"> value ("2013-06-07T16:29", seconds optional) in the site's
// zone; nullopt when empty. Error(kInvalidInput) naming `field` when it is not one.
std::optional<content::Instant> ParseLocalInput(const Admin& admin, const std::string& value,
                                                std::string_view field) {
  if (value.empty()) return std::nullopt;
  content::LocalDateTime local;
  char t = 0;
  int consumed = 0;
  const int matched =
      std::sscanf(value.c_str(), "%4d-%2d-%2d%c%2d:%2d%n", &local.year, &local.month, &local.day,
                  &t, &local.hour, &local.minute, &consumed);
  bool ok = matched == 6 && t == 'T' && value.size() >= 16;
  if (ok && static_cast<size_t>(consumed) != value.size()) {
    int more = 0;
    ok = std::sscanf(value.c_str() + consumed, ":%2d%n", &local.second, &more) == 1 &&
         static_cast<size_t>(consumed + more) == value.size();
  }
  if (!ok) {
    throw Error(
        ErrorCode::kInvalidInput,
        fmt::format("{}: '{}' is not a date and time such as 2030-01-31T12:00", field, value));
  }
  return content::FromLocal(local, admin.context.config.time_zone);
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> values;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string_view part = std::string_view(text).substr(start, end - start);
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.front()))) {
      part.remove_prefix(1);
    }
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.back()))) {
      part.remove_suffix(1);
    }
    if (!part.empty() && std::find(values.begin(), values.end(), part) == values.end()) {
      values.emplace_back(part);
    }
    start = end + 1;
  }
  return values;
}

// The key of `asset`'s translation whose primary subtag is `primary`, or "".
std::string TranslationKey(const content::Asset& asset, const std::string& primary) {
  for (const auto& [tag, translation] : asset.translations) {
    if (content::PrimarySubtag(tag) == primary) return tag;
  }
  return "";
}

// --- Related items ("Additional materials") on the edit form -----------------------------------

constexpr size_t kRelatedResults = 20;

// An item number as an editor types it: "7" or "#7".
std::optional<int64_t> TypedItemNumber(std::string_view text) {
  if (!text.empty() && text.front() == '#') text.remove_prefix(1);
  return http::ParseInteger(text, 1, INT64_MAX);
}

std::string CaseFolded(std::string_view text) {
  std::string folded;
  icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())))
      .foldCase()
      .toUTF8String(folded);
  return folded;
}

// Items of every status whose number is `query` or one of whose titles contains it (case
// folded), but `exclude`; the newest first, at most kRelatedResults, from the newest
// kScanLimit items.
std::vector<content::Asset> FindRelatedCandidates(const Admin& admin, const std::string& query,
                                                  int64_t exclude) {
  std::vector<content::Asset> found;
  if (query.empty()) return found;
  if (const std::optional<int64_t> number = TypedItemNumber(query)) {
    if (*number != exclude) {
      if (std::optional<content::Asset> asset = admin.context.store.Get(*number)) {
        found.push_back(std::move(*asset));
      }
    }
    return found;
  }
  const std::string needle = CaseFolded(query);
  for (int64_t at = 0; at < kScanLimit && found.size() < kRelatedResults; at += kScanBatch) {
    store::ListQuery list;
    list.status = std::nullopt;
    list.offset = at;
    list.limit = kScanBatch;
    store::ListPage page = admin.context.store.List(list);
    for (content::Asset& asset : page.assets) {
      if (asset.id == exclude || found.size() >= kRelatedResults) continue;
      const bool matches =
          std::any_of(asset.translations.begin(), asset.translations.end(), [&](const auto& t) {
            return CaseFolded(t.second.title).find(needle) != std::string::npos;
          });
      if (matches) found.push_back(std::move(asset));
    }
    if (static_cast<int64_t>(page.assets.size()) < kScanBatch) break;
  }
  return found;
}

// What the edit form's remove box of a related entry sends: the item's number, or "title:" and
// the title of an entry linked to no item. By identity, not position: a form refilled into
// another editor's newer copy (the 409 page) must tick the entries this editor ticked, wherever
// they now stand.
std::string RelatedKey(const content::Related& entry) {
  return entry.id != 0 ? std::to_string(entry.id) : "title:" + entry.title;
}

// The form's related-items fields applied to `asset`: ticked entries removed, picked items and
// the "add" field added (an item number adds that item; other text, when nothing was picked,
// a title not linked to an item). Error(kInvalidInput) for a number that names no item or the
// item itself.
void ApplyRelatedFields(const Admin& admin, const Form& form, content::Asset& asset) {
  const std::vector<std::string> removed = form.All("related_remove");
  std::vector<content::Related> related;
  for (const content::Related& entry : asset.related) {
    if (std::find(removed.begin(), removed.end(), RelatedKey(entry)) == removed.end()) {
      related.push_back(entry);
    }
  }
  const auto add = [&](int64_t other) {
    if (other == asset.id) {
      throw Error(ErrorCode::kInvalidInput,
                  "additional materials: an item cannot be among its own additional materials");
    }
    if (!admin.context.store.Get(other)) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("additional materials: there is no item {}", other));
    }
    if (std::none_of(related.begin(), related.end(),
                     [&](const content::Related& r) { return r.id == other; })) {
      related.push_back({other, ""});
    }
  };
  const std::vector<std::string> picked = form.All("related_pick");
  for (const std::string& value : picked) {
    const std::optional<int64_t> id = http::ParseInteger(value, 1, INT64_MAX);
    if (!id) throw Error(ErrorCode::kInvalidInput, "additional materials: a bad item number");
    add(*id);
  }
  const std::string typed = std::string(Trim(form.Get("related_add")));
  if (!typed.empty()) {
    if (const std::optional<int64_t> number = TypedItemNumber(typed)) {
      add(*number);
    } else if (picked.empty()) {
      related.push_back({0, typed});
    }
  }
  asset.related = std::move(related);
}

// The related-items part of the edit form's view: the current list with remove boxes, the
// "add" field, and the matching items when the editor searched.
void AddRelatedView(const Admin& admin, const Call& call, const content::Asset& asset, int64_t id,
                    const Form* form, json& view) {
  const auto has = [&](std::string_view field, const std::string& value) {
    if (form == nullptr) return false;
    const std::vector<std::string> all = form->All(field);
    return std::find(all.begin(), all.end(), value) != all.end();
  };
  std::vector<int64_t> ids;
  for (const content::Related& r : asset.related) {
    if (r.id != 0) ids.push_back(r.id);
  }
  std::map<int64_t, std::string> titles;
  if (!ids.empty()) {
    for (const store::Headline& h : admin.context.store.Headlines(ids, admin.language)) {
      titles[h.id] = h.title;
    }
  }
  json related = json::array();
  for (size_t i = 0; i < asset.related.size(); ++i) {
    const content::Related& r = asset.related[i];
    std::string label = r.title;
    if (r.id != 0) {
      const auto it = titles.find(r.id);
      label = fmt::format("#{} {}", r.id, it != titles.end() ? it->second : r.title);
    }
    const std::string key = RelatedKey(r);
    related.push_back({{"index", std::to_string(i)},
                       {"key", key},
                       {"label", label},
                       {"removed", has("related_remove", key)}});
  }
  view["has_related"] = !related.empty();
  view["related"] = std::move(related);
  view["related_add"] = form != nullptr ? form->Get("related_add") : std::string();
  // A search: the form's Find button, or ?related_q= on the edit page.
  std::optional<std::string> query;
  if (form != nullptr && form->Get("do") == "related-find") {
    query = std::string(Trim(form->Get("related_add")));
  } else if (form == nullptr) {
    if (std::optional<std::string> q = call.request.Query("related_q")) {
      query = std::string(Trim(*q));
      view["related_add"] = *q;
    }
  }
  if (!query) {
    view["related_search"] = false;
    return;
  }
  json results = json::array();
  for (const content::Asset& candidate : FindRelatedCandidates(admin, *query, id)) {
    const content::Translation* t = ShownTranslation(admin, candidate);
    const std::string number = std::to_string(candidate.id);
    results.push_back(
        {{"id", number},
         {"label",
          fmt::format("#{} {}", number, t != nullptr ? t->title : admin.T("admin.items.untitled"))},
         {"lang", t != nullptr ? t->language : ""},
         {"dir", content::TextDirection(t != nullptr ? t->language : "")},
         {"status", std::string(content::StatusName(candidate.status))},
         {"status_label", admin.StatusLabel(candidate.status)},
         {"checked", has("related_pick", number)}});
  }
  view["related_search"] = json{{"related_results", std::move(results)}};
}

// --- Files from the media library on the edit form ---------------------------------------------

// How many of the library's newest files the picker lists (the rest: the media page's hash,
// through the API).
constexpr int64_t kPickerFiles = 50;

// The form's file fields applied to `asset`: captions edited (media_caption_HASH, when sent),
// ticked files removed (media_remove, by hash: by identity, not position, as RelatedKey says),
// and library files ticked (media_pick, by hash) attached with the caption beside them
// (media_pick_caption_HASH), completed from the library. UnknownMedia (kInvalidInput) for a hash
// the library does not have.
void ApplyMediaFields(const Admin& admin, const Form& form, content::Asset& asset) {
  const std::vector<std::string> removed = form.All("media_remove");
  std::vector<content::MediaFile> media;
  for (const content::MediaFile& attached : asset.media) {
    if (std::find(removed.begin(), removed.end(), attached.hash) != removed.end()) continue;
    content::MediaFile file = attached;
    const std::string caption_field = "media_caption_" + file.hash;
    if (form.Has(caption_field)) file.caption = std::string(Trim(form.Get(caption_field)));
    media.push_back(std::move(file));
  }
  const std::vector<std::string> picked = form.All("media_pick");
  for (const std::string& hash : picked) {
    if (std::any_of(media.begin(), media.end(),
                    [&](const content::MediaFile& m) { return m.hash == hash; })) {
      continue;
    }
    content::MediaFile file;
    file.hash = hash;
    file.caption = std::string(Trim(form.Get("media_pick_caption_" + hash)));
    media.push_back(std::move(file));
  }
  asset.media = std::move(media);
  if (!picked.empty()) ResolveMedia(admin.context.store, asset);
}

// The files part of the edit form's view: the attached files with a remove box and a caption
// field each, and the library's newest files (but those attached) with a box and a caption to
// attach them; no library list when the store keeps none.
void AddMediaView(const Admin& admin, const content::Asset& asset, const Form* form, json& view) {
  const auto picked = [&](const std::string& hash) {
    if (form == nullptr) return false;
    const std::vector<std::string> all = form->All("media_pick");
    return std::find(all.begin(), all.end(), hash) != all.end();
  };
  json attached = json::array();
  std::set<std::string> hashes;
  for (size_t i = 0; i < asset.media.size(); ++i) {
    const content::MediaFile& file = asset.media[i];
    hashes.insert(file.hash);
    const std::string caption_field = "media_caption_" + file.hash;
    const std::vector<std::string> removed =
        form != nullptr ? form->All("media_remove") : std::vector<std::string>();
    attached.push_back(
        {{"index", std::to_string(i)},
         {"hash", file.hash},
         {"name", file.name.empty() ? file.hash : file.name},
         {"caption",
          form != nullptr && form->Has(caption_field) ? form->Get(caption_field) : file.caption},
         {"removed", std::find(removed.begin(), removed.end(), file.hash) != removed.end()}});
  }
  view["has_media"] = !attached.empty();
  view["media"] = std::move(attached);
  store::MediaPage listed;
  try {
    listed = admin.context.store.ListMedia(0, kPickerFiles);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kUnavailable) throw;
    view["media_library"] = false;
    return;
  }
  json files = json::array();
  for (const store::MediaRecord& r : listed.files) {
    if (hashes.contains(r.file.hash)) continue;
    files.push_back({{"hash", r.file.hash},
                     {"name", r.file.name},
                     {"type", r.file.type},
                     {"caption", form != nullptr ? form->Get("media_pick_caption_" + r.file.hash)
                                                 : std::string()},
                     {"checked", picked(r.file.hash)}});
  }
  view["media_library"] = json{
      {"files", std::move(files)},
      {"more", listed.total > kPickerFiles ? json(Fill(admin.T("admin.media_pick.more"),
                                                       {{"count", std::to_string(kPickerFiles)}}))
                                           : json(false)}};
}

// `base` with the edit form's fields applied: kind, publication time, people, tags, and one
// translation per site language (a language whose fields are all empty has none), the related
// items and the files. Fields the form does not show (categories, …) are kept.
content::Asset AssetFromForm(const Admin& admin, const Form& form, content::Asset base) {
  content::Asset asset = std::move(base);
  const std::optional<content::Kind> kind = content::ParseKind(form.Get("kind"));
  if (!kind) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("kind: '{}' is not a type", form.Get("kind")));
  }
  asset.kind = *kind;
  if (std::optional<content::Instant> at =
          ParseLocalInput(admin, form.Get("published_at"), "publication time")) {
    asset.published_at = *at;
    asset.time_zone = admin.context.config.time_zone;
  }
  asset.people = SplitCommas(form.Get("people"));
  asset.tags = SplitCommas(form.Get("tags"));
  ApplyRelatedFields(admin, form, asset);
  ApplyMediaFields(admin, form, asset);
  for (const std::string& tag : admin.context.renderer.languages()) {
    const std::string primary = content::PrimarySubtag(tag);
    const auto field = [&](std::string_view name) -> const std::string& {
      return form.Get(fmt::format("{}_{}", name, primary));
    };
    const std::string key = TranslationKey(asset, primary);
    if (field("title").empty() && field("slug").empty() && field("place").empty() &&
        field("summary").empty() && field("body").empty()) {
      if (!key.empty()) asset.translations.erase(key);
      continue;
    }
    content::Translation translation;
    if (!key.empty()) translation = asset.translations[key];
    translation.language = key.empty() ? tag : key;
    translation.title = field("title");
    translation.slug = field("slug").empty() ? content::MakeSlug(field("title")) : field("slug");
    translation.place = field("place");
    translation.summary = field("summary");
    try {
      translation.blocks = ParseBodyText(field("body"));
    } catch (const Error& e) {
      throw Error(e.code(), fmt::format("{}: {}", content::NativeLanguageName(tag), e.what()));
    }
    if (std::find(asset.languages.begin(), asset.languages.end(), translation.language) ==
        asset.languages.end()) {
      asset.languages.push_back(translation.language);
    }
    asset.translations[translation.language] = std::move(translation);
  }
  // Declared versions whose translation was just emptied out are no longer declared.
  std::erase_if(asset.languages, [&](const std::string& tag) {
    const std::string primary = content::PrimarySubtag(tag);
    return admin.context.renderer.FindLanguage(primary) && TranslationKey(asset, primary).empty();
  });
  return asset;
}

// The edit form for `asset` (a new one when `id` is 0), refilled from `form` when given.
Response EditForm(const Admin& admin, const Call& call, int status, const content::Asset& asset,
                  int64_t id, int64_t base, const std::string& error, const std::string& conflict,
                  const Form* form) {
  const auto value = [&](const std::string& name, std::string fallback) {
    return form != nullptr ? form->Get(name) : fallback;
  };
  json view{
      {"title", id == 0 ? admin.T("admin.edit.new_title")
                        : Fill(admin.T("admin.edit.edit_title"), {{"id", std::to_string(id)}})},
      {"action", id == 0 ? std::string("/admin/items") : fmt::format("/admin/items/{}/edit", id)},
      {"csrf", call.session.csrf},
      {"base", id == 0 ? json(false) : json(std::to_string(base))},
      {"submit", admin.T(id == 0 ? "admin.edit.create" : "admin.edit.save")},
      {"zone_help",
       Fill(admin.T("admin.edit.zone_help"), {{"zone", admin.context.config.time_zone}})},
      {"note", value("note", "")}};
  const std::string kind(value("kind", std::string(content::KindName(asset.kind))));
  json kinds = json::array();
  for (content::Kind k : content::AllKinds()) {
    const std::string name(content::KindName(k));
    kinds.push_back({{"value", name}, {"label", admin.KindLabel(k)}, {"selected", name == kind}});
  }
  view["kinds"] = std::move(kinds);
  view["published_at"] =
      value("published_at",
            id == 0 ? std::string() : LocalInputValue(asset.published_at, asset.time_zone));
  std::string people;
  for (const std::string& person : asset.people) people += people.empty() ? person : ", " + person;
  std::string tags;
  for (const std::string& tag : asset.tags) tags += tags.empty() ? tag : ", " + tag;
  view["people"] = value("people", people);
  view["tags"] = value("tags", tags);
  json columns = json::array();
  json previews = json::array();
  for (const std::string& tag : admin.context.renderer.languages()) {
    const std::string primary = content::PrimarySubtag(tag);
    const std::string key = TranslationKey(asset, primary);
    const content::Translation* translation =
        key.empty() ? nullptr : &asset.translations.find(key)->second;
    const auto text = [&](std::string_view name, std::string current) {
      return value(fmt::format("{}_{}", name, primary), translation != nullptr ? current : "");
    };
    const std::string shown_tag = key.empty() ? tag : key;
    columns.push_back({{"lang", shown_tag},
                       {"dir", content::TextDirection(shown_tag)},
                       {"primary", primary},
                       {"ui_lang", admin.language},
                       {"language_name", content::NativeLanguageName(shown_tag)},
                       {"title", text("title", translation ? translation->title : "")},
                       {"slug", text("slug", translation ? translation->slug : "")},
                       {"place", text("place", translation ? translation->place : "")},
                       {"summary", text("summary", translation ? translation->summary : "")},
                       {"body", text("body", translation ? BodyText(translation->blocks) : "")}});
    previews.push_back({{"value", "preview-" + primary},
                        {"label", Fill(admin.T("admin.edit.preview"),
                                       {{"language", content::NativeLanguageName(tag)}})}});
  }
  view["columns"] = std::move(columns);
  view["previews"] = std::move(previews);
  AddRelatedView(admin, call, asset, id, form, view);
  AddMediaView(admin, asset, form, view);
  if (!error.empty()) view["error"] = error;
  view["conflict"] = conflict.empty() ? json(false) : json(conflict);
  view["theirs_href"] = conflict.empty() ? json(false) : json(fmt::format("/admin/items/{}", id));
  return Page(admin, call.request.target, status, "edit", std::move(view), &call.session);
}

// The site's item page for `asset` in the site language whose primary subtag is `primary`, as
// it would look published (drafts, scheduled and unsaved versions alike).
Response PreviewPage(const Admin& admin, content::Asset asset, const std::string& primary) {
  const std::optional<std::string> language = admin.context.renderer.FindLanguage(primary);
  if (!language || render::TranslationFor(asset, *language) == nullptr) {
    throw Error(ErrorCode::kNotFound,
                fmt::format("the item has no version in '{}' to preview", primary));
  }
  asset.status = content::Status::kPublished;
  std::vector<int64_t> related_ids;
  for (const content::Related& related : asset.related) {
    if (related.id != 0) related_ids.push_back(related.id);
  }
  const std::vector<store::Headline> related =
      related_ids.empty() ? std::vector<store::Headline>()
                          : admin.context.store.Headlines(related_ids, *language);
  std::string html = admin.context.renderer.ItemPage(asset, *language, related);
  // The item's files are not public before it is: the preview links the editors' copies.
  for (size_t at = html.find("=\"/media/"); at != std::string::npos;
       at = html.find("=\"/media/", at + 8)) {
    html.insert(at + 2, "/admin");
  }
  Response response = Response::Html(200, std::move(html), *language);
  response.SetHeader("X-Robots-Tag", "noindex");
  return response;
}

// A form's "do" asking for a preview ("preview-en"): the primary subtag, else "".
std::string PreviewLanguage(const Form& form) {
  const std::string& action = form.Get("do");
  return action.starts_with("preview-") ? action.substr(8) : std::string();
}

Response NewItem(const Admin& admin, const Call& call) {
  content::Asset asset;
  asset.status = content::Status::kDraft;
  asset.time_zone = admin.context.config.time_zone;
  return EditForm(admin, call, 200, asset, 0, 0, "", "", nullptr);
}

Response CreateItem(const Admin& admin, const Call& call) {
  content::Asset blank;
  blank.status = content::Status::kDraft;
  blank.time_zone = admin.context.config.time_zone;
  blank.published_at = content::Now();
  if (call.form.Get("do") == "related-find") {
    return EditForm(admin, call, 200, blank, 0, 0, "", "", &call.form);
  }
  try {
    content::Asset asset = AssetFromForm(admin, call.form, blank);
    if (const std::string preview = PreviewLanguage(call.form); !preview.empty()) {
      return PreviewPage(admin, std::move(asset), preview);
    }
    const authoring::Item item =
        admin.workflow->Create(call.session.principal, std::move(asset), call.form.Get("note"),
                               call.request.remote_address);
    return Response::Redirect(303, fmt::format("/admin/items/{}?done=created", item.working.id));
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput && e.code() != ErrorCode::kConflict) throw;
    return EditForm(admin, call, HttpStatus(e.code()), blank, 0, 0, e.what(), "", &call.form);
  }
}

Response EditItem(const Admin& admin, const Call& call) {
  const authoring::Item item = admin.workflow->Get(call.session.principal, ItemId(call));
  return EditForm(admin, call, 200, item.working, item.working.id, item.head.latest, "", "",
                  nullptr);
}

Response SaveItem(const Admin& admin, const Call& call) {
  const int64_t id = ItemId(call);
  const authoring::Item current = admin.workflow->Get(call.session.principal, id);
  const std::optional<int64_t> base = http::ParseInteger(call.form.Get("base"), 0, INT64_MAX);
  if (!base) throw Error(ErrorCode::kInvalidInput, "the form has no revision to save against");
  if (call.form.Get("do") == "related-find") {
    return EditForm(admin, call, 200, current.working, id, *base, "", "", &call.form);
  }
  try {
    content::Asset asset = AssetFromForm(admin, call.form, current.working);
    if (const std::string preview = PreviewLanguage(call.form); !preview.empty()) {
      return PreviewPage(admin, std::move(asset), preview);
    }
    if (*base != current.head.latest) {
      // Someone saved after this form was opened: never overwrite their work silently.
      return EditForm(
          admin, call, 409, current.working, id, current.head.latest, "",
          Fill(admin.T("admin.edit.conflict"), {{"revision", std::to_string(current.head.latest)}}),
          &call.form);
    }
    admin.workflow->Save(call.session.principal, id, std::move(asset), *base, call.form.Get("note"),
                         call.request.remote_address);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kConflict) {
      // Another save won the race between our check and the write: the same conflict page.
      const authoring::Item now = admin.workflow->Get(call.session.principal, id);
      if (now.head.latest != *base) {
        return EditForm(
            admin, call, 409, now.working, id, now.head.latest, "",
            Fill(admin.T("admin.edit.conflict"), {{"revision", std::to_string(now.head.latest)}}),
            &call.form);
      }
    }
    if (e.code() != ErrorCode::kInvalidInput && e.code() != ErrorCode::kConflict) throw;
    return EditForm(admin, call, HttpStatus(e.code()), current.working, id, *base, e.what(), "",
                    &call.form);
  }
  return Response::Redirect(303, fmt::format("/admin/items/{}?done=saved", id));
}

// POST /admin/items/{id}/{publish,schedule,unschedule,archive}.
Response StatusAction(const Admin& admin, const Call& call, std::string_view action) {
  const int64_t id = ItemId(call);
  const auth::Principal& actor = call.session.principal;
  const std::string& address = call.request.remote_address;
  const std::optional<int64_t> base = call.form.Get("base").empty()
                                          ? std::nullopt
                                          : http::ParseInteger(call.form.Get("base"), 0, INT64_MAX);
  if (action == "publish") {
    admin.workflow->Publish(actor, id, base, std::nullopt, address);
  } else if (action == "schedule") {
    const std::optional<content::Instant> at = ParseLocalInput(admin, call.form.Get("at"), "time");
    if (!at) throw Error(ErrorCode::kInvalidInput, "time: give the date and time to publish at");
    admin.workflow->Schedule(actor, id, base, *at, address);
  } else if (action == "unschedule") {
    admin.workflow->Unschedule(actor, id, address);
  } else {
    admin.workflow->Archive(actor, id, address);
  }
  return Response::Redirect(303, fmt::format("/admin/items/{}?done={}", id, action));
}

}  // namespace assetpub::web::admin
