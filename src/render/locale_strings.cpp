#include "render/locale_strings.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cassert>

#include "core/error.h"

namespace assetpub::render {
namespace {

void Flatten(const toml::table& table, const std::string& prefix, const std::filesystem::path& file,
             LocaleStrings::Entries& out) {
  for (auto&& [key, node] : table) {
    const std::string name = prefix + std::string(key.str());
    if (const toml::table* inner = node.as_table()) {
      Flatten(*inner, name + ".", file, out);
    } else if (auto value = node.value<std::string>(); value && node.is_string()) {
      out.emplace(name, *value);
    } else {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("{}:{}: '{}' must be a string", file.string(),
                              node.source().begin.line, name));
    }
  }
}

}  // namespace

LocaleStrings LocaleStrings::Load(const std::filesystem::path& file) {
  if (!std::filesystem::is_regular_file(file)) {
    throw Error(ErrorCode::kInvalidInput, fmt::format("{}: locale file is missing", file.string()));
  }
  toml::table table;
  try {
    table = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("{}:{}: {}", file.string(), e.source().begin.line, e.description()));
  }
  Entries entries;
  Flatten(table, "", file, entries);
  return LocaleStrings(std::move(entries));
}

const std::string& LocaleStrings::Text(std::string_view key) const {
  auto it = entries_.find(key);
  assert(it != entries_.end() && "locale key checked at start-up");
  if (it == entries_.end()) {
    static const std::string kMissing = "?";
    return kMissing;
  }
  return it->second;
}

bool LocaleStrings::HasAnyUnder(std::string_view prefix) const {
  const auto it = entries_.lower_bound(prefix);
  return it != entries_.end() && it->first.starts_with(prefix);
}

LocaleStrings LocaleStrings::FilledFrom(const LocaleStrings& fallback,
                                        std::string_view prefix) const {
  Entries entries = entries_;
  for (const auto& [key, value] : fallback.entries_) {
    if (key.starts_with(prefix)) entries.emplace(key, value);
  }
  return LocaleStrings(std::move(entries));
}

std::vector<std::string> LocaleStrings::MissingKeys(const LocaleStrings& reference) const {
  std::vector<std::string> missing;
  for (const auto& [key, value] : reference.entries_) {
    if (!Has(key)) missing.push_back(key);
  }
  return missing;
}

}  // namespace assetpub::render
