#include "importers/localised_date.h"

#include <unicode/datefmt.h>
#include <unicode/dtfmtsym.h>
#include <unicode/locid.h>
#include <unicode/smpdtfmt.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>

namespace assetpub::importers {
namespace {

struct LocaleInfo {
  std::string_view language;
  std::string_view default_tag;
  // ICU locales whose month names are read too: other countries' spellings of the language
  // ("Jänner"; the Levantine "آذار", the Maghrebi "جانفي").
  std::array<const char*, 3> more_months;
};

constexpr std::array<LocaleInfo, 6> kLocales{{
    {"fr", "fr-FR", {"fr_CA", nullptr, nullptr}},
    {"es", "es-ES", {"es_419", nullptr, nullptr}},
    {"de", "de-DE", {"de_AT", nullptr, nullptr}},
    {"pt", "pt-PT", {"pt_PT", nullptr, nullptr}},
    {"ar", "ar-SA", {"ar_SY", "ar_TN", "ar_MA"}},
    {"zh", "zh-CN", {nullptr, nullptr, nullptr}},
}};

bool IsBidiMark(UChar32 c) {
  return c == 0x200E || c == 0x200F || c == 0x061C || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

// The text case-folded, with Arabic-Indic and full-width digits as ASCII digits (and the
// full-width colon as ':'), any white space as one ' ' and bidi marks dropped, so that a line and a
// pattern compare code point by code point.
std::string Normalise(const icu::UnicodeString& text) {
  icu::UnicodeString out;
  for (int32_t i = 0; i < text.length();) {
    const UChar32 c = text.char32At(i);
    i += U16_LENGTH(c);
    if (IsBidiMark(c)) continue;
    if (c >= 0x0660 && c <= 0x0669) {
      out.append(static_cast<UChar32>('0' + (c - 0x0660)));
    } else if (c >= 0x06F0 && c <= 0x06F9) {
      out.append(static_cast<UChar32>('0' + (c - 0x06F0)));
    } else if (c >= 0xFF10 && c <= 0xFF19) {  // full-width, as in Chinese text
      out.append(static_cast<UChar32>('0' + (c - 0xFF10)));
    } else if (c == 0xFF1A) {
      out.append(static_cast<UChar32>(':'));
    } else if (c == 0xA0 || c == 0x2007 || c == 0x202F || c == '\t' || u_isUWhiteSpace(c)) {
      out.append(static_cast<UChar32>(' '));
    } else {
      out.append(c);
    }
  }
  out.foldCase();
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

std::string Normalise(std::string_view text) {
  return Normalise(icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size()))));
}

enum class Field { kLiteral, kDay, kMonthNumber, kMonthName, kYear };

struct Element {
  Field field;
  std::string literal;  // kLiteral: normalised
};

struct MonthName {
  std::string name;  // normalised
  int number;
};

struct Locale {
  std::string_view language;
  std::vector<Element> pattern;   // the long date's
  std::vector<MonthName> months;  // longest first
};

// ICU's pattern syntax: ASCII letters are fields, text in '…' is literal, '' is a quote.
// nullopt for a pattern with a field other than day, month and year.
std::optional<std::vector<Element>> ReadPattern(const icu::UnicodeString& pattern) {
  std::vector<Element> elements;
  icu::UnicodeString literal;
  auto flush = [&] {
    if (literal.isEmpty()) return;
    elements.push_back({Field::kLiteral, Normalise(literal)});
    literal.remove();
  };
  bool quoted = false;
  for (int32_t i = 0; i < pattern.length();) {
    const UChar32 c = pattern.char32At(i);
    i += U16_LENGTH(c);
    if (c == '\'') {
      if (i < pattern.length() && pattern.charAt(i) == '\'') {
        literal.append(static_cast<UChar32>('\''));
        ++i;
      } else {
        quoted = !quoted;
      }
      continue;
    }
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (quoted || !letter) {
      literal.append(c);
      continue;
    }
    int32_t count = 1;
    while (i < pattern.length() && pattern.charAt(i) == c) {
      ++count;
      ++i;
    }
    flush();
    switch (c) {
      case 'd':
        elements.push_back({Field::kDay, {}});
        break;
      case 'M':
      case 'L':
        elements.push_back({count >= 3 ? Field::kMonthName : Field::kMonthNumber, {}});
        break;
      case 'y':
        elements.push_back({Field::kYear, {}});
        break;
      default:
        return std::nullopt;
    }
  }
  flush();
  return elements;
}

// The locale's month names, wide and abbreviated, format and stand-alone, that `months` lacks.
void AddMonthNames(const icu::Locale& icu_locale, std::vector<MonthName>& months) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::DateFormatSymbols symbols(icu_locale, status);
  if (U_FAILURE(status)) return;
  for (auto context : {icu::DateFormatSymbols::FORMAT, icu::DateFormatSymbols::STANDALONE}) {
    for (auto width : {icu::DateFormatSymbols::WIDE, icu::DateFormatSymbols::ABBREVIATED}) {
      int32_t count = 0;
      const icu::UnicodeString* names = symbols.getMonths(count, context, width);
      for (int32_t m = 0; m < count && m < 12; ++m) {
        MonthName month{Normalise(names[m]), m + 1};
        if (month.name.empty()) continue;
        const bool seen = std::any_of(months.begin(), months.end(), [&](const MonthName& other) {
          return other.name == month.name;
        });
        if (!seen) months.push_back(std::move(month));
      }
    }
  }
}

std::vector<Locale> BuildLocales() {
  std::vector<Locale> locales;
  for (const LocaleInfo& info : kLocales) {
    const icu::Locale icu_locale(std::string(info.language).c_str());
    std::unique_ptr<icu::DateFormat> format(
        icu::DateFormat::createDateInstance(icu::DateFormat::kLong, icu_locale));
    const auto* simple = dynamic_cast<const icu::SimpleDateFormat*>(format.get());
    if (simple == nullptr) continue;
    icu::UnicodeString pattern;
    simple->toPattern(pattern);
    auto elements = ReadPattern(pattern);
    if (!elements) continue;
    Locale locale{info.language, std::move(*elements), {}};
    AddMonthNames(icu_locale, locale.months);
    for (const char* more : info.more_months) {
      if (more != nullptr) AddMonthNames(icu::Locale(more), locale.months);
    }
    std::stable_sort(
        locale.months.begin(), locale.months.end(),
        [](const MonthName& a, const MonthName& b) { return a.name.size() > b.name.size(); });
    locales.push_back(std::move(locale));
  }
  return locales;
}

const std::vector<Locale>& Locales() {
  static const std::vector<Locale> locales = BuildLocales();
  return locales;
}

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ == text_.size(); }
  void SkipSpaces() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }
  bool Take(std::string_view expected) {
    if (!text_.substr(pos_).starts_with(expected)) return false;
    pos_ += expected.size();
    return true;
  }
  // Up to `max` ASCII digits, at least one; their value.
  std::optional<int> Digits(size_t min, size_t max) {
    size_t n = 0;
    int value = 0;
    while (n < max && pos_ + n < text_.size() && text_[pos_ + n] >= '0' && text_[pos_ + n] <= '9') {
      value = value * 10 + (text_[pos_ + n] - '0');
      ++n;
    }
    if (n < min) return std::nullopt;
    pos_ += n;
    return value;
  }
  // True when no letter follows (a month name is a whole word).
  bool AtWordEnd() const {
    if (AtEnd()) return true;
    const auto* s = reinterpret_cast<const uint8_t*>(text_.data());
    auto i = static_cast<int32_t>(pos_);
    UChar32 c = 0;
    U8_NEXT(s, i, static_cast<int32_t>(text_.size()), c);
    return !u_isalpha(c);
  }
  // A literal of the pattern: its spaces match any run of spaces (or none), the rest exactly.
  bool Literal(std::string_view literal) {
    for (size_t i = 0; i < literal.size(); ++i) {
      if (literal[i] == ' ') {
        SkipSpaces();
      } else if (pos_ < text_.size() && text_[pos_] == literal[i]) {
        ++pos_;
      } else {
        return false;
      }
    }
    return true;
  }
  size_t pos() const { return pos_; }
  void set_pos(size_t pos) { pos_ = pos; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// The date at the start of `reader` as `locale` writes a long date; the reader is left after it.
std::optional<content::LocalDateTime> ReadDate(const Locale& locale, Reader& reader) {
  content::LocalDateTime local;
  for (const Element& element : locale.pattern) {
    switch (element.field) {
      case Field::kLiteral:
        if (!reader.Literal(element.literal)) return std::nullopt;
        break;
      case Field::kDay: {
        auto day = reader.Digits(1, 2);
        if (!day) return std::nullopt;
        // "1er mars", "1º de marzo".
        if (*day == 1 && !reader.Take("er")) reader.Take("º");
        local.day = *day;
        break;
      }
      case Field::kMonthNumber:
      case Field::kYear: {
        const bool year = element.field == Field::kYear;
        auto value = reader.Digits(year ? 4 : 1, year ? 4 : 2);
        if (!value) return std::nullopt;
        (year ? local.year : local.month) = *value;
        break;
      }
      case Field::kMonthName: {
        const size_t start = reader.pos();
        bool found = false;
        for (const MonthName& month : locale.months) {
          reader.set_pos(start);
          if (reader.Take(month.name) && reader.AtWordEnd()) {
            local.month = month.number;
            found = true;
            break;
          }
        }
        if (!found) return std::nullopt;
        break;
      }
    }
  }
  return local;
}

// "18:05", "9:05", after optional white space and a comma.
bool ReadTime(Reader& reader, content::LocalDateTime& local) {
  reader.SkipSpaces();
  if (reader.Take(",") || reader.Take("،")) reader.SkipSpaces();
  const auto hour = reader.Digits(1, 2);
  if (!hour || !reader.Take(":")) return false;
  const auto minute = reader.Digits(2, 2);
  if (!minute) return false;
  local.hour = *hour;
  local.minute = *minute;
  return true;
}

std::vector<LocalisedDate> Read(std::string_view text, bool with_time) {
  std::vector<LocalisedDate> dates;
  if (text.size() > 200) return dates;
  const std::string normalised = Normalise(text);
  for (const Locale& locale : Locales()) {
    Reader reader(normalised);
    reader.SkipSpaces();
    auto local = ReadDate(locale, reader);
    if (!local) continue;
    if (with_time && !ReadTime(reader, *local)) continue;
    reader.SkipSpaces();
    if (!reader.AtEnd()) continue;
    dates.push_back({*local, locale.language});
  }
  return dates;
}

}  // namespace

const std::vector<std::string_view>& LocalisedDateLanguages() {
  static const std::vector<std::string_view> languages = [] {
    std::vector<std::string_view> out;
    for (const Locale& locale : Locales()) out.push_back(locale.language);
    return out;
  }();
  return languages;
}

std::vector<LocalisedDate> LocalisedDates(std::string_view line) { return Read(line, true); }

std::vector<LocalisedDate> LocalisedDatesWithoutTime(std::string_view text) {
  return Read(text, false);
}

std::string_view DefaultTagOf(std::string_view language) {
  for (const LocaleInfo& info : kLocales) {
    if (info.language == language) return info.default_tag;
  }
  return {};
}

}  // namespace assetpub::importers
