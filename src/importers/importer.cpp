#include "importers/importer.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include "content/asset_json.h"
#include "content/instant.h"
#include "content/language.h"
#include "content/slug.h"
#include "content/validate.h"
#include "core/error.h"
#include "core/text.h"
#include "importers/redirects_json.h"

namespace assetpub::importers {
namespace {

namespace fs = std::filesystem;
using content::Asset;
using content::Block;
using content::Related;
using content::Translation;

}  // namespace

// Writes `asset` (its id is set for a new one) and returns its id. An item with a history (one
// edited through the admin or the API has revisions) gets this write as its newest revision,
// which the row now holds, so that its history records every change whatever its source; an
// editor's pending working copy stays in the history (and a save from it is told it is stale).
// Items never edited keep no history, as the workflow treats them: their row is their content.
int64_t PutRecorded(store::Transaction& tx, Asset& asset, std::string_view note) {
  const int64_t id = tx.Put(asset);
  if (tx.Head(id).latest == 0) return id;
  store::Revision revision;
  revision.asset_id = id;
  revision.at = content::Now();
  revision.author = std::string(kImportAuthor);
  revision.note = std::string(note);
  revision.asset = asset;
  revision.asset->id = id;
  tx.SetLiveRevision(id, tx.AddRevision(revision));
  return id;
}

namespace {

constexpr uintmax_t kMaxFileBytes = 64u << 20;
constexpr size_t kSummaryMinimum = 100;
constexpr size_t kSummaryMaximum = 300;

[[noreturn]] void Reject(const std::string& reason) {
  throw Error(ErrorCode::kInvalidInput, reason);
}

bool Contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

size_t CodePoints(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

// The byte offset just past the first `count` code points of `text`.
size_t OffsetOfCodePoint(std::string_view text, size_t count) {
  size_t seen = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (seen == count) return i;
      ++seen;
    }
  }
  return text.size();
}

std::string ReadFile(const fs::path& path) {
  std::error_code error;
  const auto status = fs::status(path, error);
  if (error || !fs::exists(status)) Reject("no such file");
  if (!fs::is_regular_file(status)) Reject("not a regular file");
  const uintmax_t size = fs::file_size(path, error);
  if (error) Reject(fmt::format("cannot read: {}", error.message()));
  if (size > kMaxFileBytes) {
    throw Error(ErrorCode::kTooLarge,
                fmt::format("{} bytes is more than the {} MiB an import file may have", size,
                            kMaxFileBytes >> 20));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) Reject("cannot open the file");
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) Reject("cannot read the file");
  return std::move(out).str();
}

// The translation in the site's default language, exact tag first, then the same primary
// subtag; else the first translation in tag order. nullptr only for an asset without any.
const Translation* LeadTranslation(const Asset& asset, const std::string& default_language) {
  if (auto it = asset.translations.find(default_language); it != asset.translations.end()) {
    return &it->second;
  }
  if (!default_language.empty()) {
    if (const Translation* t = asset.FindTranslation(content::PrimarySubtag(default_language))) {
      return t;
    }
  }
  return asset.translations.empty() ? nullptr : &asset.translations.begin()->second;
}

// The asset the page is a language version of: same instant, declares the page's language,
// and the page's language line names every language the asset already has. An existing
// translation in the page's language must be this page (same title or same file): two items of
// the same minute in one language are two assets.
std::optional<Asset> FindVersionOf(store::Transaction& tx, const ParsedPage& page,
                                   const std::string& source) {
  for (Asset& candidate : tx.FindByPublishedAt(page.published_at)) {
    if (!Contains(candidate.languages, page.language)) continue;
    const bool names_all =
        std::all_of(candidate.translations.begin(), candidate.translations.end(),
                    [&](const auto& entry) { return Contains(page.languages, entry.first); });
    if (!names_all) continue;
    if (auto it = candidate.translations.find(page.language); it != candidate.translations.end()) {
      if (it->second.title != page.title && it->second.source != source) continue;
    }
    return std::move(candidate);
  }
  return std::nullopt;
}

// Drops repeated entries, keeping the first of each, in n log n (an archive page may list many;
// a search per entry made it quadratic). The set keeps copies: the entries are moved out.
void Deduplicate(std::vector<Related>& related) {
  std::set<std::pair<int64_t, std::string>> seen;
  std::vector<Related> unique;
  unique.reserve(related.size());
  for (Related& r : related) {
    if (seen.emplace(r.id, r.title).second) unique.push_back(std::move(r));
  }
  related = std::move(unique);
}

// The id of a stored asset published at the same instant whose content equals `asset` apart
// from id and modified_at; nullopt when there is none. The published_at index keeps this to a
// handful of candidates whatever the store's size.
std::optional<int64_t> FindSameContent(store::Transaction& tx, const Asset& asset) {
  for (const Asset& candidate : tx.FindByPublishedAt(asset.published_at)) {
    Asset probe = asset;
    probe.id = candidate.id;
    if (candidate.SameContent(probe)) return candidate.id;
  }
  return std::nullopt;
}

std::string JoinIds(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
  return out;
}

}  // namespace

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kImported:
      return "imported";
    case Outcome::kUnchanged:
      return "unchanged";
    case Outcome::kRejected:
      return "rejected";
  }
  return "?";
}

std::string Summarise(const std::vector<Block>& blocks) {
  const std::string* first = nullptr;
  const std::string* chosen = nullptr;
  auto consider = [&](const std::string& text) {
    if (chosen != nullptr || text.empty()) return;
    if (first == nullptr) first = &text;
    if (CodePoints(text) >= kSummaryMinimum) chosen = &text;
  };
  for (const Block& block : blocks) {
    if (block.type == Block::Type::kParagraph) consider(block.text);
    if (block.type == Block::Type::kTurn) {
      for (const auto& paragraph : block.paragraphs) consider(paragraph);
    }
  }
  if (chosen == nullptr) chosen = first;
  if (chosen == nullptr) return {};
  if (CodePoints(*chosen) <= kSummaryMaximum) return *chosen;
  // Keep whole words: cut at the last space within the limit (mid-word only if there is none),
  // then drop what would dangle before the ellipsis.
  std::string_view text(*chosen);
  const size_t limit = OffsetOfCodePoint(text, kSummaryMaximum);
  size_t cut = limit;
  if (text[limit] != ' ') {
    const size_t space = text.rfind(' ', limit);
    if (space != std::string_view::npos && space > 0) cut = space;
  }
  text = text.substr(0, cut);
  while (!text.empty() && std::string_view(" ,;:-").find(text.back()) != std::string_view::npos) {
    text.remove_suffix(1);
  }
  for (std::string_view dash : {"–", "—"}) {
    while (text.ends_with(dash)) {
      text.remove_suffix(dash.size());
      while (text.ends_with(' ')) text.remove_suffix(1);
    }
  }
  return std::string(text) + "…";
}

Importer::Importer(store::Store& store, const Config& config) : store_(store), config_(config) {}

FileResult Importer::ImportFile(const fs::path& path) { return ImportFile(path, nullptr); }

FileResult Importer::ImportFile(const fs::path& path, std::future<CheckedJson>* checked) {
  FileResult result;
  result.path = path;
  try {
    const std::string extension = AsciiLower(path.extension().string());
    const bool markdown = extension == ".md" || extension == ".markdown";
    const bool html = extension == ".html" || extension == ".htm";
    if (extension != ".txt" && extension != ".json" && extension != ".xml" && !markdown && !html) {
      Reject(fmt::format(
          "'{}' is none of the files import takes: .txt (a scraped page), .html, .md (Markdown "
          "with front matter), .json (our export) or .xml (a WordPress export)",
          path.filename().string()));
    }
    if (extension == ".json") {
      return ImportJson(path, checked != nullptr ? checked->get() : CheckJson(path));
    }
    const std::string text = ReadFile(path);
    if (extension == ".xml") return ImportWxr(path, text);
    const std::string default_language =
        config_.languages.empty() ? std::string("en-GB") : config_.languages.front();
    AuthoredPage page;
    if (markdown) {
      page = ParseMarkdownPage(text, config_.time_zone, default_language);
    } else if (html) {
      page = ParseHtmlPage(text, config_.time_zone, default_language);
    } else {
      page.page = ParseScrapedPage(text, config_.time_zone);
    }
    return ImportPage(path, page);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kInsufficientStorage) {
      // Not the file's fault, and every file after it would fail alike: the batch stops here.
      throw Error(e.code(), fmt::format("{}: {}; the import stopped at this file (the files "
                                        "before it are imported)",
                                        path.string(), e.what()));
    }
    result.message = e.what();
  } catch (const std::exception& e) {
    // A file must never stop the run: whatever went wrong, this file is rejected, and its
    // transaction (if any) has been rolled back by its destructor.
    result.message = fmt::format("internal error: {}", e.what());
  }
  result.outcome = Outcome::kRejected;
  result.asset_ids.clear();
  return result;
}

// The files in order first (a folder's that cannot be listed as a rejected result). Then each is
// imported while the next .json file is read and checked on another thread: parsing and
// validating were about a fifth of an archive import's CPU (perf), and writing is one
// transaction at a time anyway. A file's result is the same either way.
std::vector<FileResult> Importer::ImportPaths(const std::vector<fs::path>& paths,
                                              const Progress& progress) {
  struct Entry {
    fs::path path;
    std::optional<FileResult> failed;  // the folder could not be listed
  };
  std::vector<Entry> entries;
  for (const fs::path& path : paths) {
    std::error_code error;
    if (!fs::is_directory(path, error)) {
      entries.push_back({path, std::nullopt});
      continue;
    }
    std::vector<fs::path> files;
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, error);
    for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      const std::string name = it->path().filename().string();
      if (name.starts_with('.')) {
        if (it->is_directory(error)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(error)) files.push_back(it->path());
    }
    if (error) {
      FileResult failed;
      failed.path = path;
      failed.message = fmt::format("cannot list the folder: {}", error.message());
      entries.push_back({path, failed});
    }
    std::sort(files.begin(), files.end());
    for (fs::path& file : files) entries.push_back({std::move(file), std::nullopt});
  }

  std::vector<FileResult> results;
  std::future<CheckedJson> ahead;  // when valid: the checks of the next entry
  for (size_t i = 0; i < entries.size(); ++i) {
    std::future<CheckedJson> checked = std::exchange(ahead, {});
    if (i + 1 < entries.size() && !entries[i + 1].failed &&
        AsciiLower(entries[i + 1].path.extension().string()) == ".json") {
      ahead =
          std::async(std::launch::async, [path = entries[i + 1].path] { return CheckJson(path); });
    }
    if (entries[i].failed) {
      results.push_back(*entries[i].failed);
    } else {
      results.push_back(ImportFile(entries[i].path, checked.valid() ? &checked : nullptr));
    }
    if (progress) progress(results.back());
  }
  return results;
}

FileResult Importer::ImportPage(const fs::path& path, const AuthoredPage& authored) {
  const ParsedPage& page = authored.page;
  const std::string source = path.filename().string();
  const std::string& default_language =
      config_.languages.empty() ? page.language : config_.languages.front();

  auto tx = store_.Begin();
  const std::optional<Asset> existing = FindVersionOf(*tx, page, source);
  Asset asset;
  if (existing) {
    asset = *existing;
    for (const std::string& tag : page.languages) {
      if (!Contains(asset.languages, tag)) asset.languages.push_back(tag);
    }
  } else {
    asset.status = content::Status::kPublished;
    asset.published_at = page.published_at;
    asset.time_zone = page.time_zone;
    asset.languages = page.languages;
  }
  const bool replaced = asset.translations.contains(page.language);

  Translation& translation = asset.translations[page.language];
  translation.language = page.language;
  translation.title = page.title;
  translation.slug = authored.slug.empty() ? content::MakeSlug(page.title) : authored.slug;
  translation.place = page.place;
  translation.summary = authored.summary.empty() ? Summarise(page.blocks) : authored.summary;
  translation.blocks = page.blocks;
  translation.source = source;

  // Kind and people come from one translation chosen by language, never by import order, so
  // the same person is not listed under two spellings and the result is order-independent.
  const Translation* lead = LeadTranslation(asset, default_language);
  asset.kind = InferKind(lead->title);
  if (asset.kind == content::Kind::kArticle) {
    for (const auto& [tag, t] : asset.translations) {
      if (const auto kind = InferKind(t.title); kind != content::Kind::kArticle) {
        asset.kind = kind;
        break;
      }
    }
  }
  asset.people = AnswerSpeakers(lead->blocks);
  // What an authored page states outright wins over what is inferred.
  if (authored.kind) asset.kind = *authored.kind;
  if (authored.people) asset.people = *authored.people;
  if (authored.status) asset.status = *authored.status;
  if (authored.priority) asset.priority = *authored.priority;
  if (!authored.tags.empty()) asset.tags = authored.tags;
  if (!authored.categories.empty()) asset.categories = authored.categories;

  for (const std::string& title : page.related) {
    Related entry{0, title};
    if (const auto id = tx->FindIdByTitle(title); id && *id != asset.id) entry = {*id, {}};
    asset.related.push_back(std::move(entry));
  }
  // Entries left unmatched earlier may name an asset that arrived since (by JSON, say).
  for (Related& entry : asset.related) {
    if (entry.id != 0) continue;
    if (const auto id = tx->FindIdByTitle(entry.title); id && *id != asset.id) entry = {*id, {}};
  }
  Deduplicate(asset.related);

  content::Validate(asset);

  FileResult result;
  result.path = path;
  if (existing && asset.SameContent(*existing)) {
    result.outcome = Outcome::kUnchanged;
    result.asset_ids = {asset.id};
    result.message = fmt::format("asset {}: {} unchanged", asset.id, page.language);
    return result;  // nothing written: the transaction rolls back empty
  }
  const content::Instant now = content::Now();
  asset.modified_at = now;
  PutRecorded(*tx, asset, "import " + source);

  // Back-resolution: other assets that listed one of this asset's titles as an unmatched
  // "Additional materials" entry now point at it.
  std::vector<int64_t> resolved;
  for (const auto& translation : asset.translations) {
    const Translation& t = translation.second;  // a named variable: the lambda below captures it
    for (const int64_t other_id : tx->FindUnmatchedRelated(t.title)) {
      if (other_id == asset.id) continue;
      std::optional<Asset> other = tx->Get(other_id);
      if (!other) continue;
      const auto resolve = [&](Asset& each) {
        bool changed = false;
        for (Related& entry : each.related) {
          if (entry.id == 0 && entry.title == t.title) {
            entry = {asset.id, {}};
            changed = true;
          }
        }
        if (changed) Deduplicate(each.related);
        return changed;
      };
      if (!resolve(*other)) continue;
      // An editor's pending edits (a working copy newer than the published revision) must stay
      // the working copy: read it before the live revision below becomes the newest.
      const store::RevisionHead head = tx->Head(other_id);
      std::optional<Asset> pending;
      if (head.latest != 0 && head.latest != head.live) {
        if (std::optional<store::Revision> working = tx->GetRevision(other_id, head.latest)) {
          pending = std::move(working->asset);
        }
      }
      other->modified_at = now;
      const std::string note = "import " + source + ": related item resolved";
      PutRecorded(*tx, *other, note);
      if (pending) {
        // The same link in the pending copy, saved as the newest revision (not live), so the
        // edits are neither lost from the working copy nor published.
        resolve(*pending);
        store::Revision revision;
        revision.asset_id = other_id;
        revision.at = content::Now();
        revision.author = std::string(kImportAuthor);
        revision.note = note + " (in the pending edits too)";
        revision.asset = std::move(pending);
        revision.asset->id = other_id;
        tx->AddRevision(revision);
      }
      if (std::find(resolved.begin(), resolved.end(), other_id) == resolved.end()) {
        resolved.push_back(other_id);
      }
    }
  }
  tx->Commit();

  result.outcome = Outcome::kImported;
  result.asset_ids = {asset.id};
  result.message = fmt::format("asset {}: {} {}", asset.id, page.language,
                               !existing ? "new" : (replaced ? "replaced" : "added"));
  if (!resolved.empty()) {
    result.message += fmt::format("; now related from asset(s) {}", JoinIds(resolved));
  }
  return result;
}

Importer::CheckedJson Importer::CheckJson(const fs::path& path) {
  const std::string text = ReadFile(path);
  content::CheckJsonNesting(text);
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    // nlohmann's message starts with "[json.exception.parse_error.101] ": keep the rest. A
    // syntax error names its line; a number too large for a double ("1E99999":
    // out_of_range.406) is as invalid but gives no position, so the line is the literal's.
    std::string_view what(e.what());
    if (const size_t end = what.find("] "); end != std::string_view::npos)
      what.remove_prefix(end + 2);
    std::string where;
    if (const size_t open = what.find('\''), close = what.rfind('\'');
        dynamic_cast<const nlohmann::json::parse_error*>(&e) == nullptr &&
        open != std::string_view::npos && close > open + 1) {
      if (const size_t at = text.find(what.substr(open + 1, close - open - 1));
          at != std::string_view::npos) {
        where = fmt::format("line {}: ", 1 + std::count(text.begin(), text.begin() + at, '\n'));
      }
    }
    Reject(fmt::format("not valid JSON: {}{}", where, what));
  }
  if (!document.is_array() && !document.is_object()) {
    Reject("a .json import must be one asset object or an array of them");
  }
  std::vector<nlohmann::json> items;
  if (document.is_object()) {
    items.push_back(std::move(document));
  } else {
    items.assign(std::make_move_iterator(document.begin()),
                 std::make_move_iterator(document.end()));
  }

  // Everything is read and validated before anything is written.
  CheckedJson checked;
  std::vector<Asset>& assets = checked.assets;
  std::vector<std::vector<store::Redirect>>& redirects = checked.redirects;
  std::set<int64_t> ids_in_file;
  std::set<std::string> redirect_paths;
  for (size_t i = 0; i < items.size(); ++i) {
    try {
      Asset asset = content::AssetFromJson(items[i]);
      content::Validate(asset);
      if (asset.id != 0 && !ids_in_file.insert(asset.id).second) {
        Reject(fmt::format("id {} appears twice in the file", asset.id));
      }
      redirects.push_back(RedirectsFromJson(items[i]));
      for (const store::Redirect& r : redirects.back()) {
        if (!redirect_paths.insert(r.path).second) {
          Reject(fmt::format("redirects: {} appears twice in the file", r.path));
        }
      }
      assets.push_back(std::move(asset));
    } catch (const Error& e) {
      throw Error(e.code(), fmt::format("asset [{}]: {}", i, e.what()));
    }
  }
  return checked;
}

FileResult Importer::ImportJson(const fs::path& path, CheckedJson checked) {
  std::vector<Asset>& assets = checked.assets;
  std::vector<std::vector<store::Redirect>>& redirects = checked.redirects;
  auto tx = store_.Begin();
  std::vector<size_t> to_write;
  std::vector<int64_t> ids(assets.size(), 0);
  for (size_t i = 0; i < assets.size(); ++i) {
    ids[i] = assets[i].id;
    if (assets[i].id != 0) {
      if (const auto stored = tx->Get(assets[i].id); stored && stored->SameContent(assets[i])) {
        continue;
      }
    } else if (const auto match = FindSameContent(*tx, assets[i])) {
      // An id-less asset (gen-corpus, hand-written files) is the stored one with the same
      // content: importing the file again changes nothing instead of duplicating it.
      ids[i] = *match;
      continue;
    }
    to_write.push_back(i);
  }

  // The store refuses a related id that does not exist yet, and an export may point forward
  // (or in a cycle): write each asset first with the related ids that exist by then, and again
  // whole once everything is in.
  std::set<int64_t> known;
  auto exists = [&](int64_t id) {
    if (known.contains(id)) return true;
    if (tx->Get(id)) {
      known.insert(id);
      return true;
    }
    return false;
  };
  std::vector<size_t> second_pass;
  for (const size_t i : to_write) {
    Asset first = assets[i];
    std::erase_if(first.related, [&](const Related& r) { return r.id != 0 && !exists(r.id); });
    if (first.related.size() != assets[i].related.size()) second_pass.push_back(i);
    try {
      // One revision per asset: the second pass records the whole one.
      ids[i] = second_pass.empty() || second_pass.back() != i
                   ? PutRecorded(*tx, first, "import " + path.filename().string())
                   : tx->Put(first);
    } catch (const Error& e) {
      throw Error(e.code(), fmt::format("asset [{}]: {}", i, e.what()));
    }
    assets[i].id = ids[i];
    known.insert(ids[i]);
  }
  for (const size_t i : second_pass) {
    try {
      PutRecorded(*tx, assets[i], "import " + path.filename().string());
    } catch (const Error& e) {
      throw Error(e.code(), fmt::format("asset [{}]: {}", i, e.what()));
    }
  }

  // Old addresses are added (or pointed at this asset); the store's others stay.
  int64_t redirects_written = 0;
  for (size_t i = 0; i < assets.size(); ++i) {
    for (store::Redirect& redirect : redirects[i]) {
      redirect.asset_id = ids[i];
      try {
        if (tx->PutRedirect(redirect)) ++redirects_written;
      } catch (const Error& e) {
        throw Error(e.code(), fmt::format("asset [{}]: redirects: {}", i, e.what()));
      }
    }
  }

  FileResult result;
  result.path = path;
  result.asset_ids = ids;
  if (to_write.empty() && redirects_written == 0) {
    result.outcome = Outcome::kUnchanged;
    result.message = assets.empty() ? "no assets in the file"
                                    : fmt::format("{} asset(s) unchanged", assets.size());
    return result;
  }
  tx->Commit();
  result.outcome = Outcome::kImported;
  result.message = fmt::format("{} asset(s) written, {} unchanged", to_write.size(),
                               assets.size() - to_write.size());
  if (redirects_written > 0) result.message += fmt::format(", {} redirect(s)", redirects_written);
  return result;
}

FileResult Importer::ImportWxr(const fs::path& path, std::string_view text) {
  if (!LooksLikeWxr(text)) {
    Reject("not a WordPress export (WXR): no <rss> with the wp namespace at its start");
  }
  const WxrSite site = ParseWxr(text);
  WxrImporter importer(store_, config_, wxr_options_);
  WxrReport report = importer.Import(site, path.filename().string());
  FileResult result;
  result.path = path;
  result.outcome = report.written > 0 ? Outcome::kImported : Outcome::kUnchanged;
  result.asset_ids = std::move(report.asset_ids);
  result.message = std::move(report.summary);
  result.items = std::move(report.lines);
  return result;
}

}  // namespace assetpub::importers
