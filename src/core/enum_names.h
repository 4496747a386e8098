#pragma once
// An enum's stable names (what config files, JSON and URLs spell), kept as one table per enum
// with the two look-ups over it: a constexpr array of EnumName<E> in the .cpp that owns the enum,
// e.g. `constexpr EnumName<Paging> kPagings[] = {{Paging::kSimple, "simple"}, …};`. Tables are
// searched in order (a handful of entries each). Thread-safety: constant data, pure functions.

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace assetpub {

// One entry of a table: a value and its name.
template <typename Enum>
using EnumName = std::pair<Enum, std::string_view>;

// The name of `value` in `table`, or `unknown` when the table does not list it.
template <typename Enum, size_t N>
constexpr std::string_view EnumNameOf(const EnumName<Enum> (&table)[N], Enum value,
                                      std::string_view unknown = {}) {
  for (const auto& [entry, name] : table) {
    if (entry == value) return name;
  }
  return unknown;
}

// The value whose name is exactly `name` (case matters), or nullopt.
template <typename Enum, size_t N>
constexpr std::optional<Enum> EnumValueOf(const EnumName<Enum> (&table)[N], std::string_view name) {
  for (const auto& [entry, entry_name] : table) {
    if (entry_name == name) return entry;
  }
  return std::nullopt;
}

}  // namespace assetpub
