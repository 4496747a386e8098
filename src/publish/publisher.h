#pragma once
// Publishers are the site's configured lists ("Asset Publisher" widgets): the home page,
// "Transcripts and speeches", "Interviews", a list per person or tag. Each is defined in
// config.toml ([[publishers]] tables, read with toml++) by what it selects, how it orders, groups
// and pages its items and how it displays them. A Publisher turns into a store::Selection per
// page; the store (never memory) selects and pages. Immutable after loading: share freely.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "content/asset.h"
#include "content/instant.h"
#include "core/config.h"
#include "store/store.h"

namespace assetpub::publish {

enum class Grouping { kNone, kYear, kMonth, kKind };
enum class Paging { kNumbered, kSimple, kNone };
enum class Display { kAbstracts, kTitles, kFull, kTable };

// Wire names as config.toml spells them ("numbered", "abstracts", "by_year"…) and inverses.
std::string_view GroupingName(Grouping grouping);
std::optional<Grouping> ParseGrouping(std::string_view name);
std::string_view PagingName(Paging paging);
std::optional<Paging> ParsePaging(std::string_view name);
std::string_view DisplayName(Display display);
std::optional<Display> ParseDisplay(std::string_view name);
// "published", "modified", "title", "priority", "views", "kind".
std::string_view SortKeyName(store::SortKey key);
std::optional<store::SortKey> ParseSortKey(std::string_view name);

// The abstract of `summary` a list shows: the summary itself when it has at most `length`
// characters (code points), else its first `length` characters cut back to the last word
// boundary (never inside a UTF-8 sequence, trailing spaces and , ; : dropped) followed by "…".
// A first word longer than `length` is cut at `length` characters.
std::string Abstract(std::string_view summary, int length);

// Which metadata a list shows beside each title.
struct Metadata {
  bool date = true;
  bool place = true;
  bool kind = true;
  bool people = false;
  bool tags = false;
  bool operator==(const Metadata&) const = default;
};

// A date window: the last `last_days` days before now, or a fixed [from, to) range; neither
// means no limit.
struct DateWindow {
  std::optional<int> last_days;
  std::optional<content::Instant> from;
  std::optional<content::Instant> to;
  bool operator==(const DateWindow&) const = default;
};

struct Publisher {
  std::string id;  // [a-z0-9_-]+, unique
  // Title per site language tag; a language without one uses the default language's.
  std::map<std::string, std::string> titles;
  // The URL segment under /{lang}/: "transcripts" -> /en/transcripts/. Empty for the home page
  // (/{lang}/). Unique; never one of the reserved segments (assets, search, people, tags, api…).
  std::string path;
  // Site languages the list exists in (empty: all of them).
  std::vector<std::string> languages;

  // Selection: dynamic (the filters) unless `manual_ids` is set.
  std::vector<content::Kind> kinds;
  store::TermFilter tags;
  store::TermFilter people;
  std::map<std::string, store::TermFilter> categories;
  DateWindow window;
  std::optional<std::vector<int64_t>> manual_ids;

  // Ordering: primary then secondary key (the second may be absent).
  std::vector<store::SortOrder> order = {{store::SortKey::kPublished, true}};
  Grouping grouping = Grouping::kNone;
  Paging paging = Paging::kNumbered;
  int page_size = 20;  // 1..200
  Display display = Display::kAbstracts;
  int abstract_length = 300;  // characters, cut on a word boundary
  Metadata metadata;
  bool feeds = true;  // feed.rss and feed.atom exist

  // The title in `language` (falling back as described at `titles`).
  const std::string& Title(std::string_view language, std::string_view default_language) const;
  bool HasLanguage(std::string_view language) const;
  // The store selection of page `page` (1-based) in site language `language`, as of `now` (for
  // a last-days window). Grouping by kind puts kind first in the order; grouping by year or
  // month requires the primary key to be `published` (checked at load).
  store::Selection SelectionFor(std::string_view language, int64_t page,
                                content::Instant now) const;
  bool operator==(const Publisher&) const = default;
};

// A page of a publisher: the items in order, cut into groups when the publisher groups.
struct Group {
  std::string key;            // "2013", "2013-06", "transcript"; empty when not grouping
  std::vector<size_t> items;  // indexes into PublisherPage::list.assets
};
struct PublisherPage {
  int64_t page = 1;
  int64_t pages = 0;  // -1 when not counted (simple paging)
  bool has_next = false;
  store::ListPage list;
  std::vector<Group> groups;  // one group with every item when not grouping
};

class Publishers {
 public:
  // No publishers; Home() is an empty publisher. Use Load or Defaults.
  Publishers() = default;

  // The publishers of `config_file`'s [[publishers]] tables, checked against `config` (its
  // languages). Throws Error(kInvalidInput) "FILE:LINE: publisher 'ID': SETTING: why" for an
  // unknown setting, a bad value, a duplicate id or path, a reserved path. A file without
  // [[publishers]] (or no file: empty path) gives Defaults(config).
  static Publishers Load(const std::filesystem::path& config_file, const Config& config);
  // The lists a ministry's site has: Home (path "", latest of every kind), Transcripts and
  // speeches, Interviews, Statements and comments, the minister's list (by person).
  static Publishers Defaults(const Config& config);
  // The [[publishers]] part of the default config.toml, with a comment on each setting; Load of
  // it gives Defaults().
  static std::string DefaultText();

  const std::vector<Publisher>& all() const { return publishers_; }
  // The publisher with this id or path, or nullptr. FindByPath("") is Home(), never nullptr.
  const Publisher* FindById(std::string_view id) const;
  const Publisher* FindByPath(std::string_view path) const;
  // The home publisher (path ""); Defaults' home when the file defines none.
  const Publisher& Home() const;

  // The implicit lists of one person or one tag (/{lang}/people/{slug}/, /{lang}/tags/{slug}/):
  // `names` are the stored spellings NamesBySlug found.
  // Throws Error(kNotFound) when `names` is empty (no such person or tag).
  Publisher ForPerson(const std::vector<std::string>& names, std::string_view slug) const;
  Publisher ForTag(const std::vector<std::string>& names, std::string_view slug) const;

 private:
  // The publishers of a parsed file, with what the implicit lists need from `config`.
  Publishers(std::vector<Publisher> publishers, const Config& config);
  Publisher Implicit(std::string id, std::string path, const std::vector<std::string>& names,
                     store::TermFilter Publisher::*filter) const;

  std::vector<Publisher> publishers_;
  std::vector<std::string> languages_;  // the site's, for the implicit lists' titles
  int page_size_ = 20;                  // the site's page_size (at most 200)
  Publisher default_home_;              // Home() when no publisher has path ""
};

// Runs page `page` of `publisher` in `language` against `store`. Throws Error(kNotFound) for a
// page past the last (page 1 always exists, possibly empty) or a language the publisher does not
// exist in.
PublisherPage RunPublisher(const Publisher& publisher, store::Store& store,
                           std::string_view language, int64_t page, content::Instant now);

}  // namespace assetpub::publish
