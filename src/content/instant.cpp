#include "content/instant.h"

#include <fmt/format.h>
#include <unicode/calendar.h>
#include <unicode/dtptngen.h>
#include <unicode/gregocal.h>
#include <unicode/locid.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <string_view>

#include "core/error.h"

namespace assetpub::content {
namespace {

std::unique_ptr<icu::TimeZone> Zone(std::string_view zone) {
  std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(
      icu::StringPiece(zone.data(), static_cast<int32_t>(zone.size())))));
  icu::UnicodeString id;
  tz->getID(id);
  if (id == icu::UnicodeString(u"Etc/Unknown")) {
    throw Error(ErrorCode::kInvalidInput, fmt::format("unknown time zone '{}'", zone));
  }
  return tz;
}

// createTimeZone parses the zone's rules from ICU's data (~10 µs): an item page asks for its
// offset several times. Each thread keeps the zones it built (TimeZone::getOffset is const but
// ICU does not promise it is thread-safe); bounded, since zone names come from content.
const icu::TimeZone& CachedZone(std::string_view zone) {
  constexpr size_t kMaxZones = 64;
  thread_local std::map<std::string, std::unique_ptr<icu::TimeZone>, std::less<>> cache;
  if (auto found = cache.find(zone); found != cache.end()) return *found->second;
  auto tz = Zone(zone);
  if (cache.size() >= kMaxZones) cache.clear();
  return *cache.emplace(std::string(zone), std::move(tz)).first->second;
}

int OffsetSeconds(Instant instant, const icu::TimeZone& tz) {
  int32_t raw = 0;
  int32_t dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  tz.getOffset(static_cast<UDate>(instant.seconds) * 1000.0, false, raw, dst, status);
  if (U_FAILURE(status)) throw Error(ErrorCode::kInternal, "time zone offset lookup failed");
  return (raw + dst) / 1000;
}

std::string Civil(int64_t seconds) {
  using namespace std::chrono;
  const sys_seconds tp{std::chrono::seconds{seconds}};
  const auto day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss<std::chrono::seconds> time{tp - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     time.hours().count(), time.minutes().count(), time.seconds().count());
}

// Building a SimpleDateFormat loads locale data (~0.1 ms): a list page formats dozens of dates.
// Each thread keeps the formats it built (ICU formats are not safe to share between threads),
// keyed by zone, language and skeleton; bounded, since zones and languages come from content.
icu::SimpleDateFormat& CachedFormat(std::string_view zone, std::string_view language,
                                    const char16_t* skeleton) {
  constexpr size_t kMaxFormats = 256;
  thread_local std::map<std::string, std::unique_ptr<icu::SimpleDateFormat>, std::less<>> cache;
  std::string key;
  icu::UnicodeString(skeleton).toUTF8String(key);
  key.append("|").append(zone).append("|").append(language);
  if (auto found = cache.find(key); found != cache.end()) return *found->second;
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(
      icu::StringPiece(language.data(), static_cast<int32_t>(language.size())), status);
  if (U_FAILURE(status)) throw Error(ErrorCode::kInvalidInput, "bad language tag");
  // Publication dates are Gregorian in every language (ar-SA's default calendar is the Hijri).
  locale.setKeywordValue("calendar", "gregorian", status);
  // `skeleton` names the fields; the locale's own order, words and digits come from ICU
  // ("d MMMM y", "d. MMMM y", "d 'de' MMMM 'de' y", "y年M月d日"). A time ("HHmm") follows the date.
  std::unique_ptr<icu::DateTimePatternGenerator> generator(
      icu::DateTimePatternGenerator::createInstance(locale, status));
  if (U_FAILURE(status)) throw Error(ErrorCode::kInternal, "ICU date patterns failed");
  const std::u16string_view fields(skeleton);
  const size_t time_at = fields.find(u"HH");
  icu::UnicodeString pattern = generator->getBestPattern(
      icu::UnicodeString(skeleton, static_cast<int32_t>(std::min(time_at, fields.size()))), status);
  if (time_at != std::u16string_view::npos) {
    pattern.append(u' ').append(generator->getBestPattern(
        icu::UnicodeString(skeleton + time_at, static_cast<int32_t>(fields.size() - time_at)),
        status));
  }
  if (U_FAILURE(status)) throw Error(ErrorCode::kInternal, "ICU date patterns failed");
  auto format = std::make_unique<icu::SimpleDateFormat>(pattern, locale, status);
  if (U_FAILURE(status)) throw Error(ErrorCode::kInternal, "ICU date format failed");
  format->adoptTimeZone(Zone(zone).release());
  if (cache.size() >= kMaxFormats) cache.clear();
  return *cache.emplace(std::move(key), std::move(format)).first->second;
}

std::string Format(Instant instant, std::string_view zone, std::string_view language,
                   const char16_t* skeleton) {
  const icu::SimpleDateFormat& format = CachedFormat(zone, language, skeleton);
  icu::UnicodeString out;
  format.format(static_cast<UDate>(instant.seconds) * 1000.0, out);
  std::string text;
  out.toUTF8String(text);
  return text;
}

}  // namespace

Instant FromLocal(const LocalDateTime& local, std::string_view zone) {
  auto tz = Zone(zone);
  UErrorCode status = U_ZERO_ERROR;
  icu::GregorianCalendar calendar(tz.release(), status);
  if (U_FAILURE(status)) throw Error(ErrorCode::kInternal, "ICU calendar failed");
  calendar.setLenient(false);
  calendar.clear();
  calendar.set(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  const UDate millis = calendar.getTime(status);
  const bool in_range = local.month >= 1 && local.month <= 12 && local.day >= 1 &&
                        local.hour >= 0 && local.hour <= 23 && local.minute >= 0 &&
                        local.minute <= 59 && local.second >= 0 && local.second <= 59 &&
                        local.year >= 1 && local.year <= 9999;
  if (U_FAILURE(status) || !in_range) {
    throw Error(
        ErrorCode::kInvalidInput,
        fmt::format("impossible date or time {:04}-{:02}-{:02} {:02}:{:02}:{:02} in {}", local.year,
                    local.month, local.day, local.hour, local.minute, local.second, zone));
  }
  return Instant{static_cast<int64_t>(std::llround(millis / 1000.0))};
}

std::string ToIso8601(Instant instant, std::string_view zone) {
  // RFC 3339 offsets are whole minutes, and a zone's local mean time before standard time was
  // not (Moscow's: +02:30:17): the time is written with the minutes, so the text is the instant.
  int offset = OffsetSeconds(instant, CachedZone(zone));
  offset -= offset % 60;
  const int magnitude = offset < 0 ? -offset : offset;
  return fmt::format("{}{}{:02}:{:02}", Civil(instant.seconds + offset), offset < 0 ? '-' : '+',
                     magnitude / 3600, magnitude % 3600 / 60);
}

std::string ToIso8601Utc(Instant instant) { return Civil(instant.seconds) + "Z"; }

Instant ParseIso8601(std::string_view text) {
  auto bad = [&]() {
    return Error(
        ErrorCode::kInvalidInput,
        fmt::format("'{}' is not an RFC 3339 date-time such as 2013-06-07T16:29:00+04:00", text));
  };
  auto digits = [&](size_t pos, size_t count) {
    if (pos + count > text.size()) throw bad();
    int value = 0;
    for (size_t i = pos; i < pos + count; ++i) {
      if (text[i] < '0' || text[i] > '9') throw bad();
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  auto expect = [&](size_t pos, char c) {
    if (pos >= text.size() || (text[pos] != c && !(c == 'T' && text[pos] == 't'))) throw bad();
  };
  const int year = digits(0, 4);
  expect(4, '-');
  const int month = digits(5, 2);
  expect(7, '-');
  const int day = digits(8, 2);
  expect(10, 'T');
  const int hour = digits(11, 2);
  expect(13, ':');
  const int minute = digits(14, 2);
  expect(16, ':');
  const int second = digits(17, 2);
  int offset = 0;
  if (text.size() == 20 && (text[19] == 'Z' || text[19] == 'z')) {
    offset = 0;
  } else if (text.size() == 25 && (text[19] == '+' || text[19] == '-')) {
    const int hours = digits(20, 2);
    expect(22, ':');
    const int minutes = digits(23, 2);
    if (hours > 23 || minutes > 59) throw bad();
    offset = (hours * 3600 + minutes * 60) * (text[19] == '-' ? -1 : 1);
  } else {
    throw bad();
  }
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year{year},
                           std::chrono::month{static_cast<unsigned>(month)},
                           std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 59) throw bad();
  const int64_t days_since_epoch = sys_days{ymd}.time_since_epoch().count();
  return Instant{days_since_epoch * 86400 + hour * 3600 + minute * 60 + second - offset};
}

std::string FormatDateTime(Instant instant, std::string_view zone, std::string_view language) {
  return Format(instant, zone, language, u"yMMMMdHHmm");
}

std::string FormatDate(Instant instant, std::string_view zone, std::string_view language) {
  return Format(instant, zone, language, u"yMMMMd");
}

int LocalYear(Instant instant, std::string_view zone) {
  const int64_t local = instant.seconds + OffsetSeconds(instant, CachedZone(zone));
  using namespace std::chrono;
  const year_month_day ymd{floor<days>(sys_seconds{std::chrono::seconds{local}})};
  return static_cast<int>(ymd.year());
}

bool IsKnownTimeZone(std::string_view zone) {
  try {
    Zone(zone);
    return true;
  } catch (const Error&) {
    return false;
  }
}

Instant Now() {
  using namespace std::chrono;
  return Instant{duration_cast<seconds>(system_clock::now().time_since_epoch()).count()};
}

}  // namespace assetpub::content
