#pragma once
// Config is the site's settings, read from DATA/config.toml (toml++). Every field has a default,
// so a missing file gives a working site. Immutable after loading: safe to share between threads.

#include <array>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace assetpub {

// An IP network: an address and how many of its leading bits count (all of them for one host).
struct Network {
  std::array<unsigned char, 16> bytes{};
  size_t size = 0;  // 4 or 16
  int prefix = 0;
  // Whether the client `address` (IPv4 or IPv6 text, as the server reports it; an IPv4-mapped
  // IPv6 address counts as its IPv4 address) is in the network. False for text that is not an
  // address.
  bool Contains(std::string_view address) const;
};
// "192.0.2.1", "10.0.0.0/8", "::1", "fd00::/8" as a Network; nullopt for anything else.
std::optional<Network> ParseNetwork(std::string_view text);
bool IsNetwork(std::string_view text);

// config.toml's [server] table: what `assetpub serve` bounds against floods and slow clients
// (docs/reliability.md, "Limits"). The per-address limits do not apply to `exempt_addresses`.
struct ServerLimits {
  // Connections open at once; over it a connection is answered 503 and closed. 0: three
  // quarters of the process's open-file limit (RLIMIT_NOFILE), the rest kept for files.
  int64_t max_connections = 0;
  // Connections open at once from one client address (an IPv6 client: its /64); 0: no cap.
  int64_t max_connections_per_address = 256;
  // Requests a second from one client address, with bursts up to request_burst; more get 429
  // with Retry-After. 0: no limit.
  int64_t requests_per_second = 100;
  int64_t request_burst = 400;
  // Uploads (POST /api/v1/media, /admin/media) being received at once; more get 503 with
  // Retry-After.
  int64_t max_uploads = 8;
  // Client addresses (IP text) the per-address limits leave alone: a reverse proxy in front
  // (every client then has its address) and local health checks.
  std::vector<std::string> exempt_addresses = {"127.0.0.1", "::1"};
};

struct Config {
  // The site's name in the default language, and per language (keyed by primary subtag, "ru")
  // where it differs: config.toml says `site_name = "…"` or `site_name = { en = "…", ru = "…" }`.
  std::string site_name = "Ministry of Foreign Affairs";
  std::map<std::string, std::string> site_names = {{"en", "Ministry of Foreign Affairs"},
                                                   {"ru", "Министерство иностранных дел"}};
  // IANA zone in which imported local times are read and pages show times.
  std::string time_zone = "Europe/Moscow";
  // BCP 47 tags of the site's languages, in the order the language switcher shows them;
  // the first is the default ("/" redirects to it).
  std::vector<std::string> languages = {"en-GB", "ru-RU"};
  // Public base URL, used for canonical links and hreflang alternates (no trailing slash).
  std::string base_url = "http://127.0.0.1:8080";
  std::string listen = "127.0.0.1:8080";
  // The store URL (store::OpenStore): `store = "postgresql://…"`; empty for the data folder's
  // SQLite file. The command line's --store wins.
  std::string store;
  int page_size = 20;
  // The response cache's memory bound in bytes (rendered pages with their gzip and brotli
  // variants); 0 turns the cache off.
  size_t cache_bytes = size_t{128} << 20;
  // The largest media upload accepted, in bytes (the file itself; the request may be a little
  // larger for its multipart framing). Bigger uploads get 413.
  size_t media_max_bytes = size_t{64} << 20;
  // [server]: connection, request-rate and upload limits.
  ServerLimits server;
  // Where the media library's files live: DATA/media, set by the command line (not a setting of
  // config.toml). Empty: no media library (uploads and /media/ answer 503).
  std::filesystem::path media_dir;
  // Where templates/, locales/ and static/ live; empty means "next to the binary's source tree".
  std::filesystem::path resources_dir;
  // Who may read /metrics (it shows editors' write activity): clients whose address is one of
  // these (an address, or a network as ADDRESS/PREFIX) and that did not come through a proxy,
  // or any client sending `Authorization: Bearer <metrics_token>` when that is set. Others get
  // 404. Loopback by default.
  std::vector<std::string> metrics_allow = {"127.0.0.1", "::1"};
  std::string metrics_token;

  // The site's name in `language` (a tag or primary subtag): its entry in site_names, else
  // site_name.
  const std::string& SiteName(std::string_view language) const;

  // Reads `path`. Throws Error(kInvalidInput) naming the file, line and setting on a syntax
  // error or a bad value (unknown zone, empty language list, page_size out of 1..500).
  static Config Load(const std::filesystem::path& path);
  // The text of a default config.toml with every setting and a comment on each.
  static std::string DefaultText();
};

}  // namespace assetpub
