// Reading [[publishers]] tables from config.toml, and the default ones.

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <limits>
#include <set>
#include <utility>

#include "content/language.h"
#include "core/error.h"
#include "publish/publisher.h"

namespace assetpub::publish {
namespace {

constexpr int kMaxPageSize = 200;
constexpr int kMinAbstractLength = 20;
constexpr int kMaxAbstractLength = 5000;
constexpr int kMaxLastDays = 36500;
constexpr size_t kMaxManualIds = 1000;
constexpr size_t kMaxIdLength = 64;

// Segments under /{lang}/ that the site's own pages use (DESIGN.md §5) or that a list's feeds
// use: a publisher there would be shadowed or would shadow them.
constexpr std::string_view kReservedPaths[] = {
    "assets", "search",   "people",    "tags",        "api",        "static",  "admin",
    "media",  "feed.rss", "feed.atom", "sitemap.xml", "robots.txt", "healthz", "metrics",
};
constexpr std::string_view kVocabularies[] = {"topic", "region", "organisation"};

bool IsIdentifier(std::string_view text) {
  return !text.empty() && text.size() <= kMaxIdLength &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
         });
}

std::string Join(const std::vector<std::string>& items) {
  return fmt::format("{}", fmt::join(items, ", "));
}

template <typename Container>
bool Contains(const Container& items, std::string_view item) {
  return std::find(std::begin(items), std::end(items), item) != std::end(items);
}

// Reads the [[publishers]] tables of one file. Every message is "SOURCE:LINE: publisher 'ID':
// SETTING: why", the line being the offending value's.
class Parser {
 public:
  // `lenient_titles`: titles in languages the site lacks are dropped instead of refused (the
  // built-in defaults name en and ru whatever the site's languages are).
  Parser(std::string source, const Config& config, bool lenient_titles)
      : source_(std::move(source)), config_(config), lenient_titles_(lenient_titles) {}

  std::vector<Publisher> ParseAll(const toml::node& node) {
    const toml::array* array = node.as_array();
    if (array == nullptr || !array->is_array_of_tables()) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("{}:{}: publishers: must be [[publishers]] tables", source_,
                              node.source().begin.line));
    }
    std::vector<Publisher> publishers;
    std::vector<int> lines;  // where each one's id is, for the duplicate messages
    for (size_t i = 0; i < array->size(); ++i) {
      const toml::table& table = *array->get(i)->as_table();
      index_ = i + 1;
      Publisher publisher = ParseOne(table);
      for (size_t j = 0; j < publishers.size(); ++j) {
        if (publishers[j].id == publisher.id) {
          Fail(*table.get("id"), "id",
               fmt::format("'{}' is already the id of the publisher at line {}", publisher.id,
                           lines[j]));
        }
        if (publishers[j].path == publisher.path) {
          const toml::node* path = table.get("path");
          Fail(path != nullptr ? *path : *table.get("id"), "path",
               fmt::format("'{}' is already the path of publisher '{}'", publisher.path,
                           publishers[j].id));
        }
      }
      lines.push_back(table.get("id")->source().begin.line);
      publishers.push_back(std::move(publisher));
    }
    return publishers;
  }

 private:
  [[noreturn]] void Fail(const toml::node& where, std::string_view setting,
                         std::string_view why) const {
    const std::string who =
        id_.empty() ? fmt::format("publisher #{}", index_) : fmt::format("publisher '{}'", id_);
    throw Error(
        ErrorCode::kInvalidInput,
        fmt::format("{}:{}: {}: {}: {}", source_, where.source().begin.line, who, setting, why));
  }

  std::string String(const toml::node& node, std::string_view setting) const {
    if (!node.is_string()) Fail(node, setting, "must be a string");
    return node.as_string()->get();
  }

  int64_t Integer(const toml::node& node, std::string_view setting, int64_t min,
                  int64_t max) const {
    if (!node.is_integer()) Fail(node, setting, "must be an integer");
    const int64_t value = node.as_integer()->get();
    if (value < min || value > max) {
      Fail(node, setting, fmt::format("must be from {} to {}, not {}", min, max, value));
    }
    return value;
  }

  const toml::array& Array(const toml::node& node, std::string_view setting) const {
    if (!node.is_array()) Fail(node, setting, "must be an array");
    return *node.as_array();
  }

  const toml::table& Table(const toml::node& node, std::string_view setting) const {
    if (!node.is_table()) Fail(node, setting, "must be a table such as { any = [\"…\"] }");
    return *node.as_table();
  }

  // Distinct non-empty strings.
  std::vector<std::string> Strings(const toml::node& node, std::string_view setting) const {
    std::vector<std::string> values;
    for (const toml::node& item : Array(node, setting)) {
      std::string value = String(item, setting);
      if (value.empty()) Fail(item, setting, "an entry is empty");
      if (Contains(values, value)) Fail(item, setting, fmt::format("'{}' is listed twice", value));
      values.push_back(std::move(value));
    }
    return values;
  }

  // The site's tags a title key or a `languages` entry names: the tag itself or its primary
  // subtag (which names every site language with that primary subtag).
  std::vector<std::string> SiteLanguages(std::string_view key) const {
    std::vector<std::string> tags;
    for (const auto& tag : config_.languages) {
      if (content::NamesLanguage(tag, key)) tags.push_back(tag);
    }
    return tags;
  }

  std::string NotASiteLanguage(std::string_view key) const {
    return fmt::format("'{}' is not one of the site's languages ({})", key,
                       Join(config_.languages));
  }

  std::map<std::string, std::string> Titles(const toml::node& node) const {
    std::map<std::string, std::string> titles;
    if (node.is_string()) {
      std::string title = String(node, "title");
      if (title.empty()) Fail(node, "title", "is empty");
      if (!config_.languages.empty()) titles[config_.languages.front()] = std::move(title);
      return titles;
    }
    if (!node.is_table()) {
      Fail(node, "title", "must be a string or a table such as { en = \"…\", ru = \"…\" }");
    }
    std::map<std::string, std::string> exact;  // a full tag's title beats its primary subtag's
    std::string first;
    for (auto&& [key, value] : *node.as_table()) {
      const std::string name(key.str());
      const std::string setting = "title." + name;
      std::string title = String(value, setting);
      if (title.empty()) Fail(value, setting, "is empty");
      if (first.empty()) first = title;
      const std::vector<std::string> tags = SiteLanguages(name);
      if (tags.empty() && !lenient_titles_) Fail(value, setting, NotASiteLanguage(name));
      for (const auto& tag : tags) {
        if (name.find('-') != std::string::npos) {
          exact[tag] = title;
        } else {
          titles[tag] = title;
        }
      }
    }
    for (auto& [tag, title] : exact) titles[tag] = std::move(title);
    if (titles.empty()) {
      if (!lenient_titles_ || first.empty()) Fail(node, "title", "has no title");
      titles[config_.languages.empty() ? std::string() : config_.languages.front()] = first;
    }
    return titles;
  }

  // `node` is the path's, or the id's when the path defaults to the id.
  std::string Path(const toml::node& node) const {
    std::string path = String(node, "path");
    if (Contains(kReservedPaths, path)) {
      Fail(node, "path", fmt::format("'{}' is reserved for the site's own pages", path));
    }
    if (!path.empty() && (!IsIdentifier(path) || path.front() == '-' || path.front() == '_')) {
      Fail(node, "path",
           fmt::format("'{}' must be one URL segment of lower-case letters, digits, '-' and '_' "
                       "(or \"\" for the home page)",
                       path));
    }
    return path;
  }

  store::TermFilter Terms(const toml::node& node, const std::string& setting) const {
    store::TermFilter filter;
    for (auto&& [key, value] : Table(node, setting)) {
      const std::string name(key.str());
      const std::string where = setting + "." + name;
      if (name == "any") {
        filter.any = Strings(value, where);
      } else if (name == "all") {
        filter.all = Strings(value, where);
      } else if (name == "none") {
        filter.none = Strings(value, where);
      } else {
        Fail(value, where, "unknown setting (any, all or none)");
      }
    }
    return filter;
  }

  // A `from` or `to`: a TOML date (midnight in the site's zone), a local date-time (in the
  // site's zone), an offset date-time, or the same as a string.
  content::Instant Date(const toml::node& node, std::string_view setting) const {
    if (const auto* text = node.as_string()) {
      // Read the string as a TOML value: it takes the same forms as an unquoted date.
      toml::table parsed;
      try {
        parsed = toml::parse("value = " + text->get());
      } catch (const toml::parse_error&) {
        parsed = {};
      }
      const toml::node* value = parsed.get("value");
      if (value == nullptr || !(value->is_date() || value->is_date_time())) {
        Fail(node, setting,
             fmt::format("'{}' is not a date such as 2013-01-01 or 2013-01-01T09:00:00+04:00",
                         text->get()));
      }
      return DateValue(*value, node, setting);
    }
    if (!node.is_date() && !node.is_date_time()) {
      Fail(node, setting, "must be a date such as 2013-01-01 or a date-time");
    }
    return DateValue(node, node, setting);
  }

  // `value` is a TOML date or date-time; `where` is the setting's node, for messages.
  content::Instant DateValue(const toml::node& value, const toml::node& where,
                             std::string_view setting) const {
    try {
      if (const auto* date = value.as_date()) {
        const toml::date& d = date->get();
        return content::FromLocal({d.year, d.month, d.day, 0, 0, 0}, config_.time_zone);
      }
      const toml::date_time& dt = value.as_date_time()->get();
      const content::LocalDateTime local{dt.date.year, dt.date.month,  dt.date.day,
                                         dt.time.hour, dt.time.minute, dt.time.second};
      if (!dt.offset) return content::FromLocal(local, config_.time_zone);
      const content::Instant wall = content::FromLocal(local, "UTC");
      return content::Instant{wall.seconds - int64_t{dt.offset->minutes} * 60};
    } catch (const Error& error) {
      if (error.code() != ErrorCode::kInvalidInput) throw;
      Fail(where, setting, error.what());
    }
  }

  std::vector<store::SortOrder> Order(const toml::node& node) const {
    std::vector<store::SortOrder> order;
    const toml::array& array = Array(node, "order");
    if (array.empty() || array.size() > 2) {
      Fail(node, "order", "must name one or two keys, such as [\"published desc\", \"title asc\"]");
    }
    for (const toml::node& item : array) {
      const std::string text = String(item, "order");
      const size_t space = text.find(' ');
      const std::string name = text.substr(0, space);
      const std::string direction = space == std::string::npos
                                        ? std::string()
                                        : text.substr(text.find_first_not_of(' ', space));
      const auto key = ParseSortKey(name);
      if (!key) {
        Fail(item, "order",
             fmt::format("unknown key '{}' (published, modified, title, priority, views, kind)",
                         name));
      }
      store::SortOrder sort{*key, *key != store::SortKey::kTitle && *key != store::SortKey::kKind};
      if (direction == "asc") {
        sort.descending = false;
      } else if (direction == "desc") {
        sort.descending = true;
      } else if (!direction.empty()) {
        Fail(item, "order", fmt::format("'{}': the direction must be asc or desc", text));
      }
      for (const auto& earlier : order) {
        if (earlier.key == sort.key) {
          Fail(item, "order", fmt::format("'{}' is ordered by twice", name));
        }
      }
      order.push_back(sort);
    }
    return order;
  }

  Metadata Show(const toml::node& node) const {
    Metadata shown{false, false, false, false, false};
    for (const toml::node& item : Array(node, "show")) {
      const std::string name = String(item, "show");
      bool* flag = name == "date"     ? &shown.date
                   : name == "place"  ? &shown.place
                   : name == "kind"   ? &shown.kind
                   : name == "people" ? &shown.people
                   : name == "tags"   ? &shown.tags
                                      : nullptr;
      if (flag == nullptr) {
        Fail(item, "show", fmt::format("unknown '{}' (date, place, kind, people, tags)", name));
      }
      if (*flag) Fail(item, "show", fmt::format("'{}' is listed twice", name));
      *flag = true;
    }
    return shown;
  }

  Publisher ParseOne(const toml::table& table) {
    id_.clear();
    const toml::node* id_node = table.get("id");
    if (id_node == nullptr) Fail(table, "id", "required");
    std::string id = String(*id_node, "id");
    if (!IsIdentifier(id)) {
      Fail(*id_node, "id",
           fmt::format("'{}' must be lower-case letters, digits, '-' and '_' (at most {})", id,
                       kMaxIdLength));
    }
    id_ = id;
    Publisher publisher;
    publisher.id = std::move(id);
    publisher.path = publisher.id;
    publisher.page_size = std::clamp(config_.page_size, 1, kMaxPageSize);

    // Where each setting of a dynamic selection is, for the "manual ids" conflicts.
    std::vector<std::pair<std::string, const toml::node*>> filters;
    const toml::node* ids_node = nullptr;
    const toml::node* order_node = nullptr;
    const toml::node* grouping_node = nullptr;
    bool has_title = false;
    for (auto&& [key, node] : table) {
      const std::string name(key.str());
      if (name == "id") {
        continue;
      } else if (name == "title") {
        publisher.titles = Titles(node);
        has_title = true;
      } else if (name == "path") {
        publisher.path = Path(node);
      } else if (name == "languages") {
        publisher.languages.clear();
        for (const toml::node& item : Array(node, name)) {
          const std::string language = String(item, name);
          const std::vector<std::string> tags = SiteLanguages(language);
          if (tags.empty()) Fail(item, name, NotASiteLanguage(language));
          for (const auto& tag : tags) {
            if (Contains(publisher.languages, tag)) {
              Fail(item, name, fmt::format("'{}' is listed twice", language));
            }
            publisher.languages.push_back(tag);
          }
        }
      } else if (name == "kinds") {
        for (const toml::node& item : Array(node, name)) {
          const std::string kind_name = String(item, name);
          const auto kind = content::ParseKind(kind_name);
          if (!kind) {
            std::vector<std::string> known;
            for (const auto k : content::AllKinds()) known.emplace_back(content::KindName(k));
            Fail(item, name, fmt::format("unknown kind '{}' ({})", kind_name, Join(known)));
          }
          if (std::find(publisher.kinds.begin(), publisher.kinds.end(), *kind) !=
              publisher.kinds.end()) {
            Fail(item, name, fmt::format("'{}' is listed twice", kind_name));
          }
          publisher.kinds.push_back(*kind);
        }
        filters.emplace_back(name, &node);
      } else if (name == "tags") {
        publisher.tags = Terms(node, name);
        filters.emplace_back(name, &node);
      } else if (name == "people") {
        publisher.people = Terms(node, name);
        filters.emplace_back(name, &node);
      } else if (name == "categories") {
        for (auto&& [vocabulary_key, filter] : Table(node, name)) {
          const std::string vocabulary(vocabulary_key.str());
          if (!Contains(kVocabularies, vocabulary)) {
            Fail(filter, name,
                 fmt::format("unknown vocabulary '{}' (topic, region, organisation)", vocabulary));
          }
          publisher.categories[vocabulary] = Terms(filter, name + "." + vocabulary);
        }
        filters.emplace_back(name, &node);
      } else if (name == "last_days") {
        publisher.window.last_days = static_cast<int>(Integer(node, name, 1, kMaxLastDays));
        filters.emplace_back(name, &node);
      } else if (name == "from") {
        publisher.window.from = Date(node, name);
        filters.emplace_back(name, &node);
      } else if (name == "to") {
        publisher.window.to = Date(node, name);
        filters.emplace_back(name, &node);
      } else if (name == "ids") {
        ids_node = &node;
        std::vector<int64_t> ids;
        for (const toml::node& item : Array(node, name)) {
          const int64_t value = Integer(item, name, 1, std::numeric_limits<int64_t>::max());
          if (std::find(ids.begin(), ids.end(), value) != ids.end()) {
            Fail(item, name, fmt::format("{} is listed twice", value));
          }
          ids.push_back(value);
        }
        if (ids.empty() || ids.size() > kMaxManualIds) {
          Fail(node, name, fmt::format("must list 1 to {} asset ids", kMaxManualIds));
        }
        publisher.manual_ids = std::move(ids);
      } else if (name == "order") {
        order_node = &node;
        publisher.order = Order(node);
      } else if (name == "grouping") {
        grouping_node = &node;
        const std::string value = String(node, name);
        const auto grouping = ParseGrouping(value);
        if (!grouping) {
          Fail(node, name,
               fmt::format("unknown grouping '{}' (none, by_year, by_month, by_kind)", value));
        }
        publisher.grouping = *grouping;
      } else if (name == "paging") {
        const std::string value = String(node, name);
        const auto paging = ParsePaging(value);
        if (!paging) {
          Fail(node, name, fmt::format("unknown paging '{}' (numbered, simple, none)", value));
        }
        publisher.paging = *paging;
      } else if (name == "page_size") {
        publisher.page_size = static_cast<int>(Integer(node, name, 1, kMaxPageSize));
      } else if (name == "display") {
        const std::string value = String(node, name);
        const auto display = ParseDisplay(value);
        if (!display) {
          Fail(node, name,
               fmt::format("unknown display '{}' (abstracts, titles, full, table)", value));
        }
        publisher.display = *display;
      } else if (name == "abstract_length") {
        publisher.abstract_length =
            static_cast<int>(Integer(node, name, kMinAbstractLength, kMaxAbstractLength));
      } else if (name == "show") {
        publisher.metadata = Show(node);
      } else if (name == "feeds") {
        if (!node.is_boolean()) Fail(node, name, "must be true or false");
        publisher.feeds = node.as_boolean()->get();
      } else {
        Fail(node, name, "unknown setting");
      }
    }

    if (!has_title) Fail(table, "title", "required, such as { en = \"…\", ru = \"…\" }");
    // The path defaults to the id: the same rules apply to it.
    if (table.get("path") == nullptr) Path(*id_node);
    const DateWindow& window = publisher.window;
    if (window.last_days && (window.from || window.to)) {
      Fail(*table.get("last_days"), "last_days", "cannot be combined with from or to");
    }
    if (window.from && window.to && *window.from >= *window.to) {
      Fail(*table.get("to"), "to", "must be later than from");
    }
    if (ids_node != nullptr) {
      if (!filters.empty()) {
        Fail(*filters.front().second, filters.front().first,
             "a manual list (ids) cannot also select by filters");
      }
      if (order_node != nullptr) {
        Fail(*order_node, "order", "a manual list (ids) keeps the order of its ids");
      }
      if (publisher.grouping != Grouping::kNone) {
        Fail(*grouping_node, "grouping", "a manual list (ids) cannot be grouped");
      }
    }
    if ((publisher.grouping == Grouping::kYear || publisher.grouping == Grouping::kMonth) &&
        publisher.order.front().key != store::SortKey::kPublished) {
      Fail(*grouping_node, "grouping",
           fmt::format("{} needs 'published' as the first order key, not '{}'",
                       GroupingName(publisher.grouping), SortKeyName(publisher.order.front().key)));
    }
    return publisher;
  }

  std::string source_;
  const Config& config_;
  bool lenient_titles_;
  size_t index_ = 0;
  std::string id_;  // the publisher being read, for messages
};

constexpr std::string_view kDefaultText =
    R"(
# Publishers: the site's lists ("Asset Publisher" widgets), one [[publishers]] table each, in the
# order the site's menu shows them. Settings (all but id and title may be left out):
#
#   id               unique name: lower-case letters, digits, '-' and '_' (/api/v1/publishers/ID)
#   title            per language, keyed by a site language tag or its primary subtag:
#                    { en = "Interviews", ru = "Интервью" }; a plain string is the default
#                    language's title (other languages fall back to it)
#   path             the URL segment under /{lang}/: "interviews" is /en/interviews/; "" is the
#                    home page /{lang}/; defaults to id. Reserved: assets, search, people, tags,
#                    api, static, admin, media, feed.rss, feed.atom, sitemap.xml, robots.txt,
#                    healthz, metrics
#   languages        the site languages the list exists in, e.g. ["ru"] (default: all of them)
#
# What a list selects: published items in the page's language that pass every filter given —
#   kinds            e.g. ["transcript", "speech"] (default: every kind): transcript, speech,
#                    interview, statement, comment, article, press_release, photo, video, document
#   tags, people     { any = [...], all = [...], none = [...] }: at least one of `any`, every one
#                    of `all`, none of `none`; e.g. people = { any = ["Sergey Lavrov"] }
#   categories       the same per vocabulary (topic, region, organisation):
#                    categories = { topic = { any = ["Middle East"] }, region = { none = ["Asia"] } }
#   last_days        only items published in the last N days; or a fixed window:
#   from, to         from (inclusive) and to (exclusive): a date such as 2013-01-01 (midnight in
#                    the site's time_zone), a date-time (2013-01-01T09:00:00, in the site's zone,
#                    or with an offset: 2013-01-01T09:00:00+04:00), or either as a string
# — or exactly the items it names:
#   ids              [12, 7, 30]: these items, in this order; no filters, order or grouping
#
# How a list orders, groups and pages its items:
#   order            one or two keys, "KEY asc" or "KEY desc", the second breaking ties of the
#                    first: published, modified, title (by the language's collation), priority,
#                    views, kind. Without a direction: asc for title and kind, desc for the rest.
#                    Default ["published desc"].
#   grouping         "none" (default), "by_year", "by_month" (in the item's time zone; both need
#                    published as the first order key), "by_kind"
#   paging           "numbered" (default; page links 1 2 3 …), "simple" (newer / older links),
#                    "none" (one page of page_size items)
#   page_size        items per page, 1 to 200 (default: the site's page_size)
#
# How a list shows its items:
#   display          "abstracts" (default; title and summary), "titles", "full" (whole texts),
#                    "table"
#   abstract_length  how many characters of the summary an abstract keeps, cut on a word
#                    boundary (default 300)
#   show             what is shown beside each title: any of "date", "place", "kind", "people",
#                    "tags" (default ["date", "place", "kind"])
#   feeds            whether the list has feed.rss and feed.atom (default true)

[[publishers]]
id = "home"
title = { en = "Latest", ru = "Новости" }
path = ""
order = ["published desc"]
display = "abstracts"
paging = "numbered"

[[publishers]]
id = "transcripts"
title = { en = "Transcripts and speeches", ru = "Стенограммы и выступления" }
path = "transcripts"
kinds = ["transcript", "speech"]
show = ["date", "place", "people"]

[[publishers]]
id = "interviews"
title = { en = "Interviews", ru = "Интервью" }
path = "interviews"
kinds = ["interview"]
show = ["date", "people"]

[[publishers]]
id = "statements"
title = { en = "Statements and comments", ru = "Заявления и комментарии" }
path = "statements"
kinds = ["statement", "comment"]
grouping = "by_month"
display = "titles"
show = ["date", "kind"]

[[publishers]]
id = "minister"
title = { en = "The Minister", ru = "Министр" }
path = "minister"
people = { any = ["Sergey Lavrov"] }
show = ["date", "place", "kind"]
)";

}  // namespace

Publishers Publishers::Load(const std::filesystem::path& config_file, const Config& config) {
  if (config_file.empty()) return Defaults(config);
  toml::table file;
  try {
    file = toml::parse_file(config_file.string());
  } catch (const toml::parse_error& e) {
    throw Error(ErrorCode::kInvalidInput, fmt::format("{}:{}: {}", config_file.string(),
                                                      e.source().begin.line, e.description()));
  }
  const toml::node* node = file.get("publishers");
  if (node == nullptr) return Defaults(config);
  Publishers publishers(Parser(config_file.string(), config, false).ParseAll(*node), config);
  if (publishers.FindByPath("") == &publishers.default_home_) {
    publishers.default_home_ = Defaults(config).Home();
  }
  return publishers;
}

Publishers Publishers::Defaults(const Config& config) {
  const toml::table file = toml::parse(kDefaultText, std::string_view("default publishers"));
  return Publishers(Parser("default publishers", config, true).ParseAll(*file.get("publishers")),
                    config);
}

std::string Publishers::DefaultText() { return std::string(kDefaultText); }

}  // namespace assetpub::publish
