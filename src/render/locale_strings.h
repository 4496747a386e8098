#pragma once
// LocaleStrings is one language's UI strings (the site's chrome: "Language versions", "Next
// page", kind names…), read from locales/<primary>.toml. Content never comes from here.
// Immutable after Load(): safe to share between threads.
//
// The fallback rule (applied by the Renderer at start-up): a site language without a locale file
// shows English strings (one warning is logged); a locale may omit admin.* keys, which then come
// from the default language's file (English for those it lacks too); every other key of the
// default language's file is required.

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace assetpub::render {

// The locale a site language without a file of its own shows: locales/en.toml.
inline constexpr std::string_view kFallbackLocale = "en";
// The prefix of the editors' desk's keys, which a locale may omit (see above).
inline constexpr std::string_view kAdminPrefix = "admin.";

class LocaleStrings {
 public:
  using Entries = std::map<std::string, std::string, std::less<>>;

  // Reads a TOML file of string values, possibly in tables; keys become dotted paths
  // ("[item] not_available = …" -> "item.not_available"). Throws Error(kInvalidInput) naming
  // the file (and line) when it is missing, does not parse, or holds a value that is not a string.
  static LocaleStrings Load(const std::filesystem::path& file);
  explicit LocaleStrings(Entries entries) : entries_(std::move(entries)) {}

  // The string for a dotted key. A key the renderer uses but the file lacks is a broken
  // start-up check (the Renderer verifies every locale has every key): asserts, and returns
  // "?" in release builds.
  const std::string& Text(std::string_view key) const;
  bool Has(std::string_view key) const { return entries_.find(key) != entries_.end(); }
  // True when some key starts with `prefix` ("admin.").
  bool HasAnyUnder(std::string_view prefix) const;
  const Entries& entries() const { return entries_; }

  // A copy in which each key of `fallback` that starts with `prefix` and that this one lacks has
  // fallback's string.
  LocaleStrings FilledFrom(const LocaleStrings& fallback, std::string_view prefix) const;

  // Keys of `reference` that this one lacks, sorted.
  std::vector<std::string> MissingKeys(const LocaleStrings& reference) const;

 private:
  Entries entries_;
};

}  // namespace assetpub::render
