#pragma once
// Instant is a point in time (whole seconds since the Unix epoch, UTC). Conversions to and from
// local wall-clock time always go through the IANA zone database (ICU), never a fixed offset:
// Europe/Moscow was UTC+4 in 2013 and UTC+3 from 2014. All functions are thread-safe.

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace assetpub::content {

struct Instant {
  int64_t seconds = 0;  // since 1970-01-01T00:00:00Z
  auto operator<=>(const Instant&) const = default;
};

struct LocalDateTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// The instant at which the clocks of `zone` showed `local`. Throws Error(kInvalidInput) for an
// impossible date or time ("31 June", "25:00") or an unknown zone; the message names the value.
Instant FromLocal(const LocalDateTime& local, std::string_view zone);

// RFC 3339 with the zone's offset at that instant: "2013-06-07T16:29:00+04:00".
std::string ToIso8601(Instant instant, std::string_view zone);
// RFC 3339 in UTC: "2013-06-07T12:29:00Z".
std::string ToIso8601Utc(Instant instant);
// Parses RFC 3339 ("…Z" or "…+04:00", seconds required). Throws Error(kInvalidInput).
Instant ParseIso8601(std::string_view text);

// A date and time for people, per language, via ICU: the locale's own date pattern (Gregorian
// calendar, ICU's default digits for the tag), then the time: "7 June 2013 16:29" (en),
// "7 июня 2013 г. 16:29" (ru, genitive month), "2013年6月7日 16:29" (zh), "٧ يونيو ٢٠١٣ ١٦:٢٩"
// (ar-SA). `language` is a BCP 47 tag.
std::string FormatDateTime(Instant instant, std::string_view zone, std::string_view language);
// The same, date only: "7 June 2013".
std::string FormatDate(Instant instant, std::string_view zone, std::string_view language);
// The local year of the instant in `zone`.
int LocalYear(Instant instant, std::string_view zone);

Instant Now();

// True when `zone` names a zone of the IANA database that ICU carries ("Europe/Moscow").
bool IsKnownTimeZone(std::string_view zone);

}  // namespace assetpub::content
