#pragma once
// How the SQLite backend opens its database: the file and the connection options, as a store URL
// gives them ("sqlite:PATH?busy_timeout_ms=N") or as code sets them. Plain values; ParseUrl is
// thread-safe.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string_view>

namespace assetpub::store::sqlite {

struct Options {
  // How long a statement waits for a lock another connection holds (a writer in another process,
  // or SqliteAccounts' connection) before it fails with Error(kUnavailable). 0: fail at once.
  std::chrono::milliseconds busy_timeout{10'000};
};

struct Url {
  std::filesystem::path path;
  Options options;
};

// Reads a store URL of this backend:
//   sqlite:/var/lib/assetpub/assetpub.db
//   sqlite:data/assetpub.db?busy_timeout_ms=250
// Everything after the first '?' is options, `name=value` joined by '&'; busy_timeout_ms (a whole
// number of milliseconds, 0 or more) is the only one. Returns nullopt when `url` does not start
// with "sqlite:" (another backend's). Throws Error(kInvalidInput) for an empty path, an unknown
// option or a value that is not a whole number in range.
std::optional<Url> ParseUrl(std::string_view url);

}  // namespace assetpub::store::sqlite
