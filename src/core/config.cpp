#include "core/config.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <toml++/toml.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <memory>
#include <sstream>

#include "core/error.h"

namespace assetpub {
namespace {

[[noreturn]] void Bad(const std::filesystem::path& path, const toml::source_region& where,
                      const std::string& what) {
  throw Error(ErrorCode::kInvalidInput,
              fmt::format("{}:{}: {}", path.string(), where.begin.line, what));
}

bool IsKnownZone(const std::string& zone) {
  std::unique_ptr<icu::TimeZone> tz(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(zone)));
  icu::UnicodeString id;
  tz->getID(id);
  // ICU returns the "Etc/Unknown" zone for names it does not know.
  return id != icu::UnicodeString(u"Etc/Unknown");
}

// config.toml's [server] table into `limits`.
void ReadServerLimits(const std::filesystem::path& path, const toml::table& table,
                      ServerLimits& limits) {
  for (auto&& [key, entry] : table) {
    const std::string name(key.str());
    const toml::node& node = entry;  // a lambda may not capture a structured binding (C++20 may)
    auto count = [&](int64_t& field, int64_t max) {
      const auto value = node.value<int64_t>();
      if (!value || *value < 0 || *value > max) {
        Bad(path, node.source(),
            fmt::format("server.{} must be an integer from 0 to {}", name, max));
      }
      field = *value;
    };
    if (name == "max_connections") {
      count(limits.max_connections, 1'000'000);
    } else if (name == "max_connections_per_address") {
      count(limits.max_connections_per_address, 1'000'000);
    } else if (name == "requests_per_second") {
      count(limits.requests_per_second, 1'000'000);
    } else if (name == "request_burst") {
      count(limits.request_burst, 1'000'000);
    } else if (name == "max_uploads") {
      count(limits.max_uploads, 10'000);
      if (limits.max_uploads == 0)
        Bad(path, node.source(), "server.max_uploads must be at least 1");
    } else if (name == "exempt_addresses") {
      const toml::array* array = node.as_array();
      if (array == nullptr) Bad(path, node.source(), "server.exempt_addresses must be an array");
      limits.exempt_addresses.clear();
      for (auto&& item : *array) {
        auto address = item.value<std::string>();
        if (!address || !IsNetwork(*address)) {
          Bad(path, item.source(),
              "server.exempt_addresses: each entry must be an IP address or ADDRESS/PREFIX "
              "(\"127.0.0.1\", \"10.0.0.0/8\", \"::1\")");
        }
        limits.exempt_addresses.push_back(*address);
      }
    } else {
      Bad(path, node.source(), fmt::format("unknown setting 'server.{}'", name));
    }
  }
  if (limits.request_burst < limits.requests_per_second) {
    limits.request_burst = limits.requests_per_second;
  }
}

}  // namespace

bool IsNetwork(std::string_view text) { return ParseNetwork(text).has_value(); }

std::optional<Network> ParseNetwork(std::string_view text) {
  Network network;
  const size_t slash = text.find('/');
  const std::string address(text.substr(0, slash));
  if (inet_pton(AF_INET, address.c_str(), network.bytes.data()) == 1) {
    network.size = 4;
  } else if (inet_pton(AF_INET6, address.c_str(), network.bytes.data()) == 1) {
    network.size = 16;
  } else {
    return std::nullopt;
  }
  network.prefix = static_cast<int>(network.size) * 8;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    int prefix = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (error != std::errc() || end != digits.data() + digits.size() || digits.empty() ||
        prefix < 0 || prefix > network.prefix) {
      return std::nullopt;
    }
    network.prefix = prefix;
  }
  return network;
}

bool Network::Contains(std::string_view address) const {
  std::optional<Network> client = ParseNetwork(address);
  if (!client || client->prefix != static_cast<int>(client->size) * 8) return false;
  // An IPv4 client of a dual-stack socket reads ::ffff:a.b.c.d.
  static constexpr std::array<unsigned char, 12> kMapped = {0, 0, 0, 0, 0,    0,
                                                            0, 0, 0, 0, 0xff, 0xff};
  if (client->size == 16 && size == 4 &&
      std::equal(kMapped.begin(), kMapped.end(), client->bytes.begin())) {
    std::copy(client->bytes.begin() + 12, client->bytes.end(), client->bytes.begin());
    client->size = 4;
  }
  if (client->size != size) return false;
  const int whole = prefix / 8;
  if (!std::equal(bytes.begin(), bytes.begin() + whole, client->bytes.begin())) return false;
  const int rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (bytes[static_cast<size_t>(whole)] & mask) ==
         (client->bytes[static_cast<size_t>(whole)] & mask);
}

Config Config::Load(const std::filesystem::path& path) {
  toml::table table;
  try {
    table = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("{}:{}: {}", path.string(), e.source().begin.line, e.description()));
  }
  Config config;
  for (auto&& entry : table) {
    // Named, not a structured binding: the lambdas below capture it.
    const auto& node = entry.second;
    const std::string name(entry.first.str());
    auto string_value = [&]() -> std::string {
      if (!node.is_string()) Bad(path, node.source(), fmt::format("'{}' must be a string", name));
      return *node.value<std::string>();
    };
    if (name == "site_name" && node.is_table()) {
      config.site_names.clear();
      std::string first;
      for (auto&& [language, value] : *node.as_table()) {
        const std::string key(language.str());
        const std::string primary = key.substr(0, key.find('-'));
        auto text = value.value<std::string>();
        if (!text || text->empty() || primary.empty()) {
          Bad(path, value.source(),
              fmt::format("site_name.{}: each name must be a non-empty string", key));
        }
        if (first.empty()) first = *text;
        config.site_names[primary] = *text;
      }
      if (first.empty()) Bad(path, node.source(), "site_name: give at least one language's name");
      config.site_name = first;
    } else if (name == "site_name") {
      config.site_name = string_value();
      config.site_names.clear();
    } else if (name == "time_zone") {
      config.time_zone = string_value();
      if (!IsKnownZone(config.time_zone)) {
        Bad(path, node.source(),
            fmt::format("time_zone '{}' is not an IANA time zone", config.time_zone));
      }
    } else if (name == "base_url") {
      config.base_url = string_value();
      while (!config.base_url.empty() && config.base_url.back() == '/') config.base_url.pop_back();
    } else if (name == "listen") {
      config.listen = string_value();
    } else if (name == "store") {
      config.store = string_value();
    } else if (name == "resources_dir") {
      config.resources_dir = string_value();
    } else if (name == "metrics_allow") {
      const toml::array* array = node.as_array();
      if (array == nullptr) Bad(path, node.source(), "metrics_allow must be an array of addresses");
      config.metrics_allow.clear();
      for (auto&& item : *array) {
        auto network = item.value<std::string>();
        if (!network || !IsNetwork(*network)) {
          Bad(path, item.source(),
              "metrics_allow: each entry must be an IP address or ADDRESS/PREFIX "
              "(\"127.0.0.1\", \"10.0.0.0/8\", \"::1\")");
        }
        config.metrics_allow.push_back(*network);
      }
    } else if (name == "metrics_token") {
      config.metrics_token = string_value();
      if (config.metrics_token.size() < 16) {
        Bad(path, node.source(), "metrics_token must be at least 16 characters (or absent)");
      }
    } else if (name == "page_size") {
      auto value = node.value<int64_t>();
      if (!value || *value < 1 || *value > 500) {
        Bad(path, node.source(), "page_size must be an integer from 1 to 500");
      }
      config.page_size = static_cast<int>(*value);
    } else if (name == "cache_bytes") {
      auto value = node.value<int64_t>();
      if (!value || *value < 0 || *value > (int64_t{1} << 40)) {
        Bad(path, node.source(), "cache_bytes must be an integer from 0 (off) to 2^40");
      }
      config.cache_bytes = static_cast<size_t>(*value);
    } else if (name == "media_max_bytes") {
      auto value = node.value<int64_t>();
      if (!value || *value < 1 || *value > (int64_t{1} << 32)) {
        Bad(path, node.source(), "media_max_bytes must be an integer from 1 to 2^32 (4 GiB)");
      }
      config.media_max_bytes = static_cast<size_t>(*value);
    } else if (name == "languages") {
      const toml::array* array = node.as_array();
      if (array == nullptr || array->empty()) {
        Bad(path, node.source(), "languages must be a non-empty array of BCP 47 tags");
      }
      config.languages.clear();
      for (auto&& item : *array) {
        auto tag = item.value<std::string>();
        if (!tag || tag->empty()) Bad(path, item.source(), "languages: each entry must be a tag");
        config.languages.push_back(*tag);
      }
    } else if (name == "server" && node.is_table()) {
      ReadServerLimits(path, *node.as_table(), config.server);
    } else if (node.is_table() || node.is_array_of_tables()) {
      // Sections ([[publishers]], [search], …) belong to later modules and are read by them.
      continue;
    } else {
      Bad(path, node.source(), fmt::format("unknown setting '{}'", name));
    }
  }
  // The default language's name, when given per language, is the plain site_name.
  if (!config.languages.empty()) {
    const std::string& tag = config.languages.front();
    const auto found = config.site_names.find(tag.substr(0, tag.find('-')));
    if (found != config.site_names.end()) config.site_name = found->second;
  }
  return config;
}

const std::string& Config::SiteName(std::string_view language) const {
  const auto found = site_names.find(std::string(language.substr(0, language.find('-'))));
  return found != site_names.end() ? found->second : site_name;
}

std::string Config::DefaultText() {
  return R"(# assetpub site configuration. Every setting is optional; these are the defaults.

# The site's name, shown in every page's header: one string, or one per language (by its
# primary subtag), e.g. site_name = { en = "Ministry of Foreign Affairs", ru = "МИД" }.
site_name = { en = "Ministry of Foreign Affairs", ru = "Министерство иностранных дел" }

# IANA time zone: imported local times are read in it and pages show times in it.
time_zone = "Europe/Moscow"

# The site's languages (BCP 47); the first is the default one that "/" redirects to. Each
# language's page chrome comes from locales/<primary subtag>.toml (shipped: en, ru, fr, es, de,
# pt, ar, zh); one without a file shows English chrome. Arabic, Hebrew, Persian, Urdu… pages
# are laid out right to left. E.g. ["en-GB", "ru-RU", "fr-FR", "ar-SA", "zh-CN"].
languages = ["en-GB", "ru-RU"]

# Public base URL for canonical links and hreflang alternates.
base_url = "http://127.0.0.1:8080"

# Address `assetpub serve` listens on unless --listen says otherwise.
listen = "127.0.0.1:8080"

# Where the content, users and sessions live, unless --store says otherwise: the SQLite file
# assetpub.db in this folder by default, or a PostgreSQL database (several nodes share one):
# store = "postgresql://assetpub@db.example.org:5432/assetpub"
# (the password from PGPASSWORD or ~/.pgpass rather than here).

# Items per page in lists and in the API.
page_size = 20

# Memory bound of the response cache (rendered pages, gzip and brotli variants), in bytes;
# 0 turns it off.
cache_bytes = 134217728

# The largest media upload (image, PDF, audio, video) accepted, in bytes; larger ones get 413.
media_max_bytes = 67108864

# Who may read /metrics: clients at these addresses (or networks, "10.0.0.0/8") that did not
# come through a proxy (no X-Forwarded-For or Forwarded header); others get 404. Or set a token
# of 16 characters or more and scrape with `Authorization: Bearer <token>` from anywhere.
metrics_allow = ["127.0.0.1", "::1"]
# metrics_token = "…"

# What the server bounds against floods and slow clients (docs/reliability.md), shown with
# their defaults; uncomment the table to change them. The per-address limits leave
# exempt_addresses alone: add a reverse proxy's address there.
# [server]
# Connections open at once (0: three quarters of the open-file limit); beyond: 503 and close.
# max_connections = 0
# Connections open at once from one address (0: no cap).
# max_connections_per_address = 256
# Requests a second from one address, in bursts up to request_burst; beyond: 429 (0: no limit).
# requests_per_second = 100
# request_burst = 400
# Uploads received at once; beyond: 503 with Retry-After.
# max_uploads = 8
# exempt_addresses = ["127.0.0.1", "::1"]  # addresses or networks ("10.0.0.0/8")
)";
}

}  // namespace assetpub
