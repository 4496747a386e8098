#include "importers/authored_page.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <unordered_set>
#include <utility>

#include "content/instant.h"
#include "content/language.h"
#include "content/validate.h"
#include "core/error.h"
#include "core/text.h"
#include "importers/body_formats.h"

namespace assetpub::importers {
namespace {

using content::Block;

[[noreturn]] void RejectAt(int line, const std::string& reason) {
  throw Error(ErrorCode::kInvalidInput, fmt::format("line {}: {}", line, reason));
}

// Invalid UTF-8 and NUL bytes, named by the file's line before any parser sees the text.
void CheckLines(std::string_view text) {
  int line = 1;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view raw = text.substr(start, end - start);
    if (raw.find('\0') != std::string_view::npos) {
      RejectAt(line, "binary data (a NUL byte), not a text file");
    }
    if (!content::IsValidUtf8(raw)) RejectAt(line, "invalid UTF-8");
    ++line;
    start = end + 1;
  }
}

std::string CanonicalTag(std::string_view tag, int line, std::string_view what) {
  auto canonical = content::CanonicalLanguageTag(tag);
  if (!canonical) RejectAt(line, fmt::format("{} '{}' is not a known language tag", what, tag));
  return *canonical;
}

void AddUnique(std::vector<std::string>& values, std::string value) {
  if (std::find(values.begin(), values.end(), value) == values.end()) {
    values.push_back(std::move(value));
  }
}

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "2013-06-07T16:29:00+04:00" (or Z) as written; "2013-06-07T16:29[:00]" (T or a space) in
// `zone`. nullopt when the text has neither shape; throws for an impossible date.
std::optional<content::Instant> ParseDateTime(std::string_view text, std::string_view zone) {
  if (text.size() > 19) return content::ParseIso8601(text);
  if (text.size() != 16 && text.size() != 19) return std::nullopt;
  auto part = [&](size_t pos, size_t count) -> std::optional<int> {
    const std::string_view digits = text.substr(pos, count);
    if (!AllDigits(digits)) return std::nullopt;
    return std::stoi(std::string(digits));
  };
  if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != ' ') || text[13] != ':' ||
      (text.size() == 19 && text[16] != ':')) {
    return std::nullopt;
  }
  const auto year = part(0, 4), month = part(5, 2), day = part(8, 2), hour = part(11, 2),
             minute = part(14, 2);
  const auto second = text.size() == 19 ? part(17, 2) : std::optional<int>(0);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  return content::FromLocal({*year, *month, *day, *hour, *minute, *second}, zone);
}

// Fills what every authored page needs once its fields are known.
void Finish(AuthoredPage& authored) {
  ParsedPage& page = authored.page;
  AddUnique(page.languages, page.language);
  page.kind = authored.kind ? *authored.kind : InferKind(page.title);
  page.speakers = AnswerSpeakers(page.blocks);
}

// What a value of front matter or of a <meta> loses at either end: blanks and line breaks (not
// \v or \f, which stay).
constexpr std::string_view kValueSpace = " \t\r\n";

// ---- Markdown with front matter ----

int Line(const toml::node& node, int offset) {
  return static_cast<int>(node.source().begin.line) + offset;
}

std::string String(const toml::node& node, std::string_view key, int offset) {
  const auto* value = node.as_string();
  if (value == nullptr) RejectAt(Line(node, offset), fmt::format("'{}' must be a string", key));
  return std::string(Trim(value->get(), kValueSpace));
}

std::vector<std::string> Strings(const toml::node& node, std::string_view key, int offset) {
  const auto* array = node.as_array();
  if (array == nullptr) {
    RejectAt(Line(node, offset), fmt::format("'{}' must be an array of strings", key));
  }
  // people, tags and a vocabulary's terms share one limit (content/validate.h): refused here,
  // with the line, before any work on a list that long.
  static_assert(content::kMaxPeople == content::kMaxTags &&
                content::kMaxTags == content::kMaxTermsPerVocabulary);
  if (array->size() > content::kMaxTags) {
    RejectAt(Line(node, offset), fmt::format("'{}' has {} entries; at most {} are accepted", key,
                                             array->size(), content::kMaxTags));
  }
  std::vector<std::string> values;
  std::unordered_set<std::string> seen;  // duplicates dropped in linear time
  for (const toml::node& item : *array) {
    const auto* value = item.as_string();
    std::string text =
        value == nullptr ? std::string() : std::string(Trim(value->get(), kValueSpace));
    if (text.empty()) {
      RejectAt(Line(item, offset), fmt::format("'{}' must hold non-empty strings", key));
    }
    if (seen.insert(text).second) values.push_back(std::move(text));
  }
  return values;
}

// Checks the front matter (TOML, whose first line is the file's line `first_line`) against the
// limits of authored_page.h before toml++ parses it. We bound the input rather than parse in a
// child process: the limits make toml++'s recursion (one frame per dotted key part, per nested
// value, and per level of the table tree these build) shallow whatever the file says, they
// cost one pass over at most 64 KiB, and they let the error name the line; a child per file
// would cost a process per file of a 100,000-file import and still need limits for a useful
// message. The scan knows TOML's strings and comments, so a '.', '[' or '{' inside them does
// not count; anything it does not understand is left to toml++ to refuse.
void CheckFrontMatter(std::string_view toml, int first_line) {
  if (toml.size() > kMaxFrontMatterBytes) {
    RejectAt(first_line, fmt::format("front matter: more than {} bytes", kMaxFrontMatterBytes));
  }
  int line = first_line;
  size_t line_start = 0;
  bool key = true;         // reading a key (a line's start, or after '{' or ',' in an inline table)
  int parts = 1;           // of the key being read
  std::vector<char> open;  // the arrays and inline tables the value is inside
  auto check_parts = [&] {
    if (parts > kMaxKeyParts) {
      RejectAt(line, fmt::format("front matter: a key of more than {} dotted parts", kMaxKeyParts));
    }
  };
  auto new_line = [&](size_t at) {
    if (at - line_start > kMaxFrontMatterLineBytes) {
      RejectAt(line,
               fmt::format("front matter: a line longer than {} bytes", kMaxFrontMatterLineBytes));
    }
    ++line;
    line_start = at + 1;
  };
  // Skips the string opening at `i` (a quote), counting its lines; returns the index after it.
  auto skip_string = [&](size_t i) {
    const char quote = toml[i];
    const bool multiline = toml.substr(i, 3) == std::string(3, quote);
    size_t j = i + (multiline ? 3 : 1);
    while (j < toml.size()) {
      const char c = toml[j];
      if (c == '\\' && quote == '"') {
        j += 2;
        continue;
      }
      if (c == '\n') {
        if (!multiline) return j;  // unterminated: toml++ says so
        new_line(j);
      }
      if (c == quote && (!multiline || toml.substr(j, 3) == std::string(3, quote))) {
        return j + (multiline ? 3 : 1);
      }
      ++j;
    }
    return j;
  };
  for (size_t i = 0; i < toml.size();) {
    const char c = toml[i];
    if (c == '\n') {
      new_line(i);
      if (open.empty()) {
        key = true;
        parts = 1;
      }
      ++i;
    } else if (c == '#') {
      while (i < toml.size() && toml[i] != '\n') ++i;
    } else if (c == '"' || c == '\'') {
      i = skip_string(i);
    } else if (key && open.empty() && c == '[') {
      // A table header, [a.b] or [[a.b]]: a key up to its ']'.
      for (++i; i < toml.size() && toml[i] != ']' && toml[i] != '\n';) {
        if (toml[i] == '"' || toml[i] == '\'') {
          i = skip_string(i);
          continue;
        }
        if (toml[i] == '.') {
          ++parts;
          check_parts();
        }
        ++i;
      }
      key = false;
    } else if (key && c == '.') {
      ++parts;
      check_parts();
      ++i;
    } else if (key && c == '=') {
      key = false;
      ++i;
    } else if (!key && (c == '[' || c == '{')) {
      open.push_back(c);
      if (open.size() > static_cast<size_t>(kMaxFrontMatterNesting)) {
        RejectAt(line, fmt::format("front matter: arrays and tables nested more than {} deep",
                                   kMaxFrontMatterNesting));
      }
      if (c == '{') {
        key = true;
        parts = 1;
      }
      ++i;
    } else if (!open.empty() && (c == ']' || c == '}')) {
      open.pop_back();
      key = false;
      ++i;
    } else if (!key && c == ',' && !open.empty() && open.back() == '{') {
      key = true;
      parts = 1;
      ++i;
    } else {
      ++i;
    }
  }
  new_line(toml.size());
}

}  // namespace

AuthoredPage ParseMarkdownPage(std::string_view text, std::string_view default_zone,
                               std::string_view default_language) {
  CheckLines(text);
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // BOM
  // The front matter: from a first line "+++" to the next line "+++".
  auto line_end = [&](size_t start) {
    const size_t end = text.find('\n', start);
    return end == std::string_view::npos ? text.size() : end;
  };
  auto is_fence = [&](size_t start, size_t end) {
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    return line == "+++";
  };
  if (!is_fence(0, line_end(0))) {
    RejectAt(1,
             "a .md file starts with front matter between two '+++' lines (title, language, "
             "published_at, …)");
  }
  const size_t matter_start = std::min(line_end(0) + 1, text.size());
  size_t matter_end = std::string_view::npos;
  size_t body_start = text.size();
  int body_line = 2;
  for (size_t start = matter_start; start < text.size();) {
    const size_t end = line_end(start);
    if (is_fence(start, end)) {
      matter_end = start;
      body_start = std::min(end + 1, text.size());
      break;
    }
    ++body_line;
    start = end + 1;
  }
  if (matter_end == std::string_view::npos) {
    RejectAt(1, "the front matter opened here is not closed by a '+++' line");
  }
  ++body_line;                // the closing fence
  constexpr int kOffset = 1;  // TOML's line 1 is the file's line 2

  CheckFrontMatter(text.substr(matter_start, matter_end - matter_start), 1 + kOffset);
  toml::table matter;
  try {
    matter = toml::parse(text.substr(matter_start, matter_end - matter_start));
  } catch (const toml::parse_error& e) {
    RejectAt(static_cast<int>(e.source().begin.line) + kOffset,
             fmt::format("front matter: {}", e.description()));
  }

  AuthoredPage authored;
  ParsedPage& page = authored.page;
  page.time_zone = std::string(default_zone);
  page.language = std::string(default_language);
  const toml::node* published_at = nullptr;
  std::vector<std::string> languages;
  for (auto&& [key, node] : matter) {
    const std::string name(key.str());
    const int line = Line(node, kOffset);
    if (name == "title") {
      page.title = String(node, name, kOffset);
      if (page.title.empty()) RejectAt(line, "'title' must not be empty");
    } else if (name == "language") {
      page.language = CanonicalTag(String(node, name, kOffset), line, "language");
    } else if (name == "languages") {
      for (const std::string& tag : Strings(node, name, kOffset)) {
        AddUnique(languages, CanonicalTag(tag, line, "languages:"));
      }
    } else if (name == "published_at") {
      published_at = &node;
    } else if (name == "time_zone") {
      page.time_zone = String(node, name, kOffset);
      if (!content::IsKnownTimeZone(page.time_zone)) {
        RejectAt(line, fmt::format("time_zone '{}' is not an IANA time zone", page.time_zone));
      }
    } else if (name == "kind") {
      const std::string kind = String(node, name, kOffset);
      authored.kind = content::ParseKind(kind);
      if (!authored.kind) RejectAt(line, fmt::format("unknown kind '{}'", kind));
    } else if (name == "status") {
      const std::string status = String(node, name, kOffset);
      authored.status = content::ParseStatus(status);
      if (!authored.status) RejectAt(line, fmt::format("unknown status '{}'", status));
    } else if (name == "place") {
      page.place = String(node, name, kOffset);
    } else if (name == "summary") {
      authored.summary = String(node, name, kOffset);
    } else if (name == "slug") {
      authored.slug = String(node, name, kOffset);
    } else if (name == "priority") {
      const auto value = node.value<int64_t>();
      if (!value || *value < -1000000 || *value > 1000000) {
        RejectAt(line, "'priority' must be an integer");
      }
      authored.priority = static_cast<int>(*value);
    } else if (name == "people") {
      authored.people = Strings(node, name, kOffset);
    } else if (name == "tags") {
      authored.tags = Strings(node, name, kOffset);
    } else if (name == "related") {
      page.related = Strings(node, name, kOffset);
    } else if (name == "categories") {
      const auto* table = node.as_table();
      if (table == nullptr) RejectAt(line, "'categories' must be a table: topic = [\"…\"]");
      for (auto&& [vocabulary, terms] : *table) {
        authored.categories[std::string(vocabulary.str())] =
            Strings(terms, fmt::format("categories.{}", vocabulary.str()), kOffset);
      }
    } else {
      RejectAt(line, fmt::format("unknown front matter key '{}'", name));
    }
  }

  if (published_at == nullptr) {
    RejectAt(
        1, "the front matter has no published_at (e.g. published_at = 2013-06-07T16:29:00+04:00)");
  }
  const int published_line = Line(*published_at, kOffset);
  try {
    if (const auto* date_time = published_at->as_date_time()) {
      const toml::date_time& value = date_time->get();
      const content::LocalDateTime local{value.date.year, value.date.month,  value.date.day,
                                         value.time.hour, value.time.minute, value.time.second};
      if (value.offset) {
        // Read as UTC, then undo the offset: the instant the file names, whatever the zone.
        page.published_at = content::FromLocal(local, "Etc/UTC");
        page.published_at.seconds -= int64_t{value.offset->minutes} * 60;
      } else {
        page.published_at = content::FromLocal(local, page.time_zone);
      }
    } else if (const auto* string = published_at->as_string()) {
      const auto parsed = ParseDateTime(string->get(), page.time_zone);
      if (!parsed) {
        RejectAt(published_line, fmt::format("published_at '{}' is not a date and time such as "
                                             "2013-06-07T16:29:00+04:00",
                                             string->get()));
      }
      page.published_at = *parsed;
    } else {
      RejectAt(published_line,
               "published_at must be a date and time such as 2013-06-07T16:29:00+04:00");
    }
  } catch (const Error& e) {
    if (std::string_view(e.what()).starts_with("line ")) throw;
    RejectAt(published_line, fmt::format("published_at: {}", e.what()));
  }

  try {
    page.blocks = BlocksFromMarkdown(text.substr(body_start));
  } catch (const Error& e) {
    RejectAt(body_line, e.what());
  }
  if (page.title.empty() && !page.blocks.empty() &&
      page.blocks.front().type == Block::Type::kHeading) {
    page.title = std::move(page.blocks.front().text);
    page.blocks.erase(page.blocks.begin());
  }
  if (page.title.empty()) {
    RejectAt(1, "no title: give one in the front matter (title = \"…\") or as a first '# heading'");
  }
  page.languages = std::move(languages);
  Finish(authored);
  return authored;
}

namespace {

const HtmlDocument::Meta* FindMeta(const HtmlDocument& document,
                                   std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    for (const auto& meta : document.meta) {
      if (meta.name == name) return &meta;
    }
  }
  return nullptr;
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> values;
  std::unordered_set<std::string> seen;  // duplicates dropped in linear time
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string value(Trim(text.substr(start, end - start), kValueSpace));
    if (!value.empty() && seen.insert(value).second) values.push_back(std::move(value));
    start = end + 1;
  }
  return values;
}

}  // namespace

AuthoredPage ParseHtmlPage(std::string_view text, std::string_view default_zone,
                           std::string_view default_language) {
  CheckLines(text);
  const HtmlDocument document = ParseHtmlDocument(text);
  AuthoredPage authored;
  ParsedPage& page = authored.page;
  page.blocks = document.blocks;
  page.title = !document.h1.empty() ? document.h1 : document.title;
  if (page.title.empty()) RejectAt(1, "no title: the page has neither an <h1> nor a <title>");

  page.language = document.language.empty()
                      ? std::string(default_language)
                      : CanonicalTag(document.language, document.language_line, "<html lang>");
  for (const auto& meta : document.meta) {
    if (meta.name == "hreflang") {
      AddUnique(page.languages, CanonicalTag(meta.content, meta.line, "hreflang"));
    }
  }
  if (page.languages.empty() || page.languages.front() != page.language) {
    std::erase(page.languages, page.language);
    page.languages.insert(page.languages.begin(), page.language);
  }

  page.time_zone = std::string(default_zone);
  if (const auto* zone = FindMeta(document, {"time_zone"})) {
    if (!content::IsKnownTimeZone(zone->content)) {
      RejectAt(zone->line, fmt::format("time_zone '{}' is not an IANA time zone", zone->content));
    }
    page.time_zone = zone->content;
  }
  const auto* published = FindMeta(document, {"published_at", "article:published_time", "date"});
  if (published == nullptr) {
    RejectAt(1,
             "no publication time: add <meta name=\"published_at\" "
             "content=\"2013-06-07T16:29:00+04:00\">");
  }
  try {
    const auto instant = ParseDateTime(published->content, page.time_zone);
    if (!instant) {
      RejectAt(published->line, fmt::format("'{}' is not a date and time such as "
                                            "2013-06-07T16:29:00+04:00",
                                            published->content));
    }
    page.published_at = *instant;
  } catch (const Error& e) {
    if (std::string_view(e.what()).starts_with("line ")) throw;
    RejectAt(published->line, e.what());
  }

  if (const auto* kind = FindMeta(document, {"kind"})) {
    authored.kind = content::ParseKind(kind->content);
    if (!authored.kind) RejectAt(kind->line, fmt::format("unknown kind '{}'", kind->content));
  }
  if (const auto* status = FindMeta(document, {"status"})) {
    authored.status = content::ParseStatus(status->content);
    if (!authored.status) {
      RejectAt(status->line, fmt::format("unknown status '{}'", status->content));
    }
  }
  if (const auto* place = FindMeta(document, {"place"})) page.place = place->content;
  if (const auto* summary = FindMeta(document, {"description"}))
    authored.summary = summary->content;
  if (const auto* keywords = FindMeta(document, {"keywords"})) {
    authored.tags = SplitList(keywords->content);
  }
  if (const auto* people = FindMeta(document, {"people"})) {
    authored.people = SplitList(people->content);
  }
  if (const auto* priority = FindMeta(document, {"priority"})) {
    const std::string_view digits =
        std::string_view(priority->content).substr(priority->content.starts_with('-') ? 1 : 0);
    if (!AllDigits(digits) || digits.size() > 6) {
      RejectAt(priority->line, fmt::format("priority '{}' is not an integer", priority->content));
    }
    authored.priority = std::stoi(priority->content);
  }
  Finish(authored);
  return authored;
}

}  // namespace assetpub::importers
