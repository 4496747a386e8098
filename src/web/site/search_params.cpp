#include "web/site/search_params.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <tuple>

#include "content/asset.h"
#include "content/instant.h"
#include "content/language.h"
#include "core/error.h"
#include "http/params.h"

namespace assetpub::web {
namespace {

using render::SearchProblem;

// The length of the UTF-8 sequence starting at text[i] if it is a well-formed one (no overlong
// forms, no surrogates, nothing past U+10FFFF), else 0. Writes the code point to `code_point`.
size_t Utf8Sequence(std::string_view text, size_t i, char32_t& code_point) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  size_t length = 0;
  char32_t min = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2;
    min = 0x80;
    code_point = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    min = 0x800;
    code_point = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    min = 0x10000;
    code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i + k) & 0x3F);
  }
  if (code_point < min || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return 0;
  }
  return length;
}

// Strict YYYY-MM-DD; nullopt for anything else (the calendar check is FromLocal's).
std::optional<content::LocalDateTime> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const auto number = [&](size_t at, size_t length) {
    int value = 0;
    for (size_t i = at; i < at + length; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  content::LocalDateTime date;
  date.year = number(0, 4);
  date.month = number(5, 2);
  date.day = number(8, 2);
  if (date.year < 1 || date.month < 1 || date.month > 12 || date.day < 1 || date.day > 31) {
    return std::nullopt;
  }
  return date;
}

// A period of the `date:` filter: YYYY, YYYY-MM or YYYY-MM-DD, as its first day or (`end`) its
// last; nullopt for anything else (the calendar check of a day is FromLocal's).
std::optional<content::LocalDateTime> ParsePeriod(std::string_view text, bool end) {
  if (text.size() == 10) return ParseDate(text);
  std::string full(text);
  if (text.size() == 4) full += end ? "-12" : "-01";
  if (full.size() != 7) return std::nullopt;
  std::optional<content::LocalDateTime> date = ParseDate(full + "-01");
  if (date && end) {
    using namespace std::chrono;
    date->day = static_cast<int>(static_cast<unsigned>(year_month_day_last{
        year{date->year}, month_day_last{month{static_cast<unsigned>(
                              date->month)}}}.day()));
  }
  return date;
}

bool Earlier(const content::LocalDateTime& a, const content::LocalDateTime& b) {
  return std::tie(a.year, a.month, a.day) < std::tie(b.year, b.month, b.day);
}

// The `date:` filters of the search box ("date:2013-01-01..2013-12-31", "date:2013",
// "date:2013-03..", "date:..2014-06-30"; each side a year, a month or a day) taken out of its
// text: the words left, and the first and last day they allow (several filters narrow each
// other). `problem` names the first filter that is not such a range.
struct BoxDates {
  std::string words;
  std::optional<content::LocalDateTime> from, to;
  std::string from_filter, to_filter;  // the filters `from` and `to` come from, as typed
  std::string problem;
};

BoxDates ExtractBoxDates(std::string_view text) {
  constexpr std::string_view kPrefix = "date:";
  BoxDates out;
  bool quoted = false;
  for (size_t i = 0; i < text.size();) {
    const bool token_start = i == 0 || text[i - 1] == ' ';
    if (!quoted && token_start && text.size() - i > kPrefix.size() &&
        std::equal(
            kPrefix.begin(), kPrefix.end(), text.begin() + static_cast<ptrdiff_t>(i),
            [](char a, char b) { return a == (b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b); })) {
      const size_t end = std::min(text.find(' ', i), text.size());
      const std::string_view range = text.substr(i + kPrefix.size(), end - i - kPrefix.size());
      const size_t dots = range.find("..");
      const std::string_view first = range.substr(0, dots);
      const std::string_view last = dots == std::string_view::npos ? range : range.substr(dots + 2);
      std::optional<content::LocalDateTime> from, to;
      if (!first.empty()) from = ParsePeriod(first, false);
      if (!last.empty()) to = ParsePeriod(last, true);
      if ((!first.empty() && !from) || (!last.empty() && !to) || (!from && !to)) {
        if (out.problem.empty()) out.problem = std::string(text.substr(i, end - i));
      }
      const std::string filter(text.substr(i, end - i));
      if (from && (!out.from || Earlier(*out.from, *from))) {
        out.from = from;
        out.from_filter = filter;
      }
      if (to && (!out.to || Earlier(*to, *out.to))) {
        out.to = to;
        out.to_filter = filter;
      }
      i = end;
      if (i < text.size() && (out.words.empty() || out.words.back() == ' ')) ++i;  // its space
      continue;
    }
    if (text[i] == '"') quoted = !quoted;
    out.words += text[i++];
  }
  while (!out.words.empty() && out.words.back() == ' ') out.words.pop_back();
  return out;
}

bool Balanced(std::string_view text) { return std::count(text.begin(), text.end(), '"') % 2 == 0; }

// The fields that take free text, and where they go in the form.
struct TextField {
  const char* name;
  std::string render::SearchForm::*member;
};
constexpr TextField kTextFields[] = {
    {"q", &render::SearchForm::q},           {"all", &render::SearchForm::all},
    {"phrase", &render::SearchForm::phrase}, {"any", &render::SearchForm::any},
    {"none", &render::SearchForm::none},     {"from", &render::SearchForm::from},
    {"to", &render::SearchForm::to},         {"person", &render::SearchForm::person},
    {"tag", &render::SearchForm::tag},       {"lang", &render::SearchForm::lang},
    {"sort", &render::SearchForm::sort},     {"per_page", &render::SearchForm::per_page},
    {"page", &render::SearchForm::page},
};

std::string JoinChoices(const std::vector<std::string>& choices) {
  std::string out;
  for (const std::string& choice : choices) out += (out.empty() ? "" : ", ") + choice;
  return out;
}

}  // namespace

std::string SearchTextProblem(std::string_view text) {
  if (text.size() > kMaxSearchTextBytes) {
    return fmt::format("is too long ({} bytes; at most {})", text.size(), kMaxSearchTextBytes);
  }
  for (size_t i = 0; i < text.size();) {
    char32_t code_point = 0;
    const size_t length = Utf8Sequence(text, i, code_point);
    if (length == 0) return "is not valid UTF-8";
    if (code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F)) {
      return "contains control characters";
    }
    i += length;
  }
  return {};
}

SearchRequest ReadSearchParams(const std::vector<std::pair<std::string, std::string>>& params,
                               const std::vector<std::string>& site_languages,
                               std::string_view time_zone, std::string_view stem_language) {
  SearchRequest out;
  const auto fail = [&out](std::string field, std::string reason, std::string detail) {
    if (!out.problem) out.problem = SearchProblem{std::move(field), std::move(reason), detail};
  };
  if (params.size() > kMaxSearchParams) {
    fail(
        "", "query",
        fmt::format("too many query parameters ({}; at most {})", params.size(), kMaxSearchParams));
    return out;
  }

  // 1. Collect, refusing text that must not be echoed and repeats of single-valued fields.
  std::map<std::string, int, std::less<>> seen;
  for (const auto& [name, value] : params) {
    if (name == "kind") {
      if (const std::string problem = SearchTextProblem(value); !problem.empty()) {
        fail("kind", "text", fmt::format("query parameter 'kind' {}", problem));
      } else if (!value.empty() && std::find(out.form.kinds.begin(), out.form.kinds.end(), value) ==
                                       out.form.kinds.end()) {
        out.form.kinds.push_back(value);
      }
      continue;
    }
    const std::string_view parameter = name;  // a named variable: lambdas cannot capture a binding
    const TextField* field = std::find_if(std::begin(kTextFields), std::end(kTextFields),
                                          [&](const TextField& f) { return parameter == f.name; });
    if (field == std::end(kTextFields)) continue;  // not ours (utm_source=…): ignored
    if (const std::string problem = SearchTextProblem(value); !problem.empty()) {
      fail(field->name, "text", fmt::format("query parameter '{}' {}", field->name, problem));
      continue;
    }
    if (value.empty()) continue;
    if (++seen[name] > 1) {
      fail(field->name, "repeated",
           fmt::format("query parameter '{}' is given more than once", field->name));
      continue;
    }
    out.form.*(field->member) = value;
  }
  const render::SearchForm& form = out.form;

  // 2. Values with a fixed set of choices.
  std::vector<content::Kind> kinds;
  for (const std::string& name : form.kinds) {
    if (std::optional<content::Kind> kind = content::ParseKind(name)) {
      kinds.push_back(*kind);
    } else {
      std::vector<std::string> names;
      for (content::Kind k : content::AllKinds()) names.emplace_back(content::KindName(k));
      fail("kind", "choice",
           fmt::format("query parameter 'kind' must be one of {}; '{}' is not", JoinChoices(names),
                       name));
    }
  }
  std::string language;  // the site language `lang` names, as a full tag
  if (!form.lang.empty()) {
    std::vector<std::string> prefixes;
    for (const std::string& tag : site_languages) {
      prefixes.push_back(content::PrimarySubtag(tag));
      if (form.lang == prefixes.back() || form.lang == tag) language = tag;
    }
    if (language.empty()) {
      fail("lang", "choice",
           fmt::format("query parameter 'lang' must be one of {} (or empty for all languages)",
                       JoinChoices(prefixes)));
    }
  }
  search::Sort sort = search::Sort::kRelevance;
  if (form.sort == "newest") {
    sort = search::Sort::kNewest;
  } else if (form.sort == "oldest") {
    sort = search::Sort::kOldest;
  } else if (!form.sort.empty() && form.sort != "relevance") {
    fail("sort", "choice", "query parameter 'sort' must be one of relevance, newest, oldest");
  }
  if (!form.per_page.empty()) {
    const std::optional<int64_t> per_page = http::ParseInteger(form.per_page, 1, 100);
    if (!per_page ||
        std::find(std::begin(render::kPerPageChoices), std::end(render::kPerPageChoices),
                  *per_page) == std::end(render::kPerPageChoices)) {
      fail("per_page", "choice", "query parameter 'per_page' must be one of 10, 20, 50, 100");
    } else {
      out.per_page = *per_page;
    }
  }
  if (!form.page.empty()) {
    const std::optional<int64_t> page = http::ParseInteger(form.page, 1, kMaxSearchPage);
    if (!page) {
      fail("page", "choice",
           fmt::format("query parameter 'page' must be a whole number from 1 to {}",
                       kMaxSearchPage));
    } else {
      out.page = *page;
    }
  }

  // 3. Dates: the start of `from` and the end of `to`, in the site's zone, narrowed by the
  // box's `date:` filters.
  const auto to_instant = [&](content::LocalDateTime date,
                              bool end_of_day) -> std::optional<content::Instant> {
    if (end_of_day) {
      date.hour = 23;
      date.minute = 59;
      date.second = 59;
    }
    try {
      return content::FromLocal(date, time_zone);
    } catch (const Error&) {
      return std::nullopt;  // an impossible date such as 2013-02-30
    }
  };
  const auto read_date = [&](const char* name, const std::string& text,
                             bool end_of_day) -> std::optional<content::Instant> {
    if (text.empty()) return std::nullopt;
    if (const std::optional<content::LocalDateTime> date = ParseDate(text)) {
      if (std::optional<content::Instant> instant = to_instant(*date, end_of_day)) return instant;
    }
    fail(name, "date",
         fmt::format("query parameter '{}' must be a date YYYY-MM-DD, not '{}'", name, text));
    return std::nullopt;
  };
  const std::optional<content::Instant> from = read_date("from", form.from, false);
  const std::optional<content::Instant> to = read_date("to", form.to, true);
  if (from && to && *from > *to) {
    fail("from", "order",
         fmt::format("query parameter 'from' ({}) is later than 'to' ({})", form.from, form.to));
  }
  const BoxDates box = ExtractBoxDates(form.q);
  std::optional<content::Instant> box_from, box_to;
  if (box.from) box_from = to_instant(*box.from, false);
  if (box.to) box_to = to_instant(*box.to, true);
  const std::string& bad_filter = !box.problem.empty()    ? box.problem
                                  : box.from && !box_from ? box.from_filter
                                  : box.to && !box_to     ? box.to_filter
                                                          : box.problem;
  if (!bad_filter.empty()) {
    fail("q", "date",
         fmt::format("query parameter 'q': '{}' is not a date range such as "
                     "date:2013-01-01..2013-12-31 (each side YYYY, YYYY-MM or YYYY-MM-DD; "
                     "either may be left out)",
                     bad_filter));
  }
  const std::optional<content::Instant> query_from =
      box_from && (!from || *box_from > *from) ? box_from : from;
  const std::optional<content::Instant> query_to = box_to && (!to || *box_to < *to) ? box_to : to;
  if (query_from && query_to && *query_from > *query_to && !(from && to && *from > *to)) {
    fail("q", "order",
         "query parameter 'q': its date: range and the from/to dates leave no day between them");
  }

  // 4. Quotes: a phrase left open is a mistake to point out, not to guess at.
  for (const auto& [name, text] : {std::pair<const char*, const std::string*>{"q", &form.q},
                                   {"all", &form.all},
                                   {"any", &form.any},
                                   {"none", &form.none}}) {
    if (!Balanced(*text)) {
      fail(name, "quotes",
           fmt::format("query parameter '{}' has an unbalanced quotation mark", name));
    }
  }

  search::Query& query = out.query;
  query.text = box.words;
  query.all_words = form.all;
  query.phrase = form.phrase;
  query.any_words = form.any;
  query.none_words = form.none;
  query.from = query_from;
  query.to = query_to;
  for (content::Kind kind : kinds) query.kinds.emplace_back(content::KindName(kind));
  query.person = form.person;
  query.tag = form.tag;
  query.language = language.empty() ? std::string() : content::PrimarySubtag(language);
  query.sort = sort;
  query.page = out.page;
  query.page_size = out.per_page;
  query.stem_language = language.empty() ? std::string(stem_language) : language;
  return out;
}

}  // namespace assetpub::web
