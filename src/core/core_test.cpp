#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/error.h"
#include "support/temp_dir.h"

namespace assetpub {
namespace {

// The running test's own temp folder, with a way to write a file into it.
class TempDir : public assetpub::testing::TempDir {
 public:
  TempDir() : assetpub::testing::TempDir("assetpub-core-") {}

  std::filesystem::path Write(const std::string& name, const std::string& text) const {
    const std::filesystem::path file = path() / name;
    std::ofstream(file) << text;
    return file;
  }
};

TEST(Config, DefaultTextLoadsToTheDefaults) {
  const TempDir temp;
  const Config config = Config::Load(temp.Write("assetpub-default.toml", Config::DefaultText()));
  const Config defaults;
  EXPECT_EQ(config.time_zone, defaults.time_zone);
  EXPECT_EQ(config.languages, defaults.languages);
  EXPECT_EQ(config.page_size, defaults.page_size);
  EXPECT_EQ(config.site_name, defaults.site_name);
  EXPECT_EQ(config.site_names, defaults.site_names);
  EXPECT_EQ(config.media_max_bytes, defaults.media_max_bytes);
}

TEST(Config, MediaMaxBytes) {
  const TempDir temp;
  EXPECT_EQ(Config().media_max_bytes, size_t{64} << 20);
  EXPECT_EQ(Config::Load(temp.Write("media.toml", "media_max_bytes = 1000\n")).media_max_bytes,
            1000u);
  EXPECT_THROW(Config::Load(temp.Write("media0.toml", "media_max_bytes = 0\n")), Error);
  EXPECT_THROW(Config::Load(temp.Write("media1.toml", "media_max_bytes = \"big\"\n")), Error);
}

TEST(Config, ServerLimits) {
  const TempDir temp;
  const Config defaults;
  EXPECT_EQ(defaults.server.max_connections, 0);
  EXPECT_EQ(defaults.server.exempt_addresses, (std::vector<std::string>{"127.0.0.1", "::1"}));
  const Config config =
      Config::Load(temp.Write("server.toml",
                              "[server]\nmax_connections = 500\nmax_connections_per_address = 20\n"
                              "requests_per_second = 5\nrequest_burst = 10\nmax_uploads = 2\n"
                              "exempt_addresses = [\"10.0.0.1\", \"fd00::/8\"]\n"));
  EXPECT_EQ(config.server.max_connections, 500);
  EXPECT_EQ(config.server.max_connections_per_address, 20);
  EXPECT_EQ(config.server.requests_per_second, 5);
  EXPECT_EQ(config.server.request_burst, 10);
  EXPECT_EQ(config.server.max_uploads, 2);
  EXPECT_EQ(config.server.exempt_addresses, (std::vector<std::string>{"10.0.0.1", "fd00::/8"}));
  for (const char* bad : {"[server]\nmax_uploads = 0\n", "[server]\nmax_connections = -1\n",
                          "[server]\nrequests_per_second = \"many\"\n", "[server]\nmaxconn = 1\n",
                          "[server]\nexempt_addresses = [\"proxy.example\"]\n"}) {
    EXPECT_THROW(Config::Load(temp.Write("bad-server.toml", bad)), Error) << bad;
  }
}

TEST(Config, LeavesTablesAndArraysOfTablesToTheirModules) {
  const TempDir temp;
  const Config config = Config::Load(
      temp.Write("sections.toml", "page_size = 7\n[search]\nx = 1\n[[publishers]]\nid = \"a\"\n"));
  EXPECT_EQ(config.page_size, 7);
}

TEST(Config, SiteNameIsOneStringOrOnePerLanguage) {
  const TempDir temp;
  const Config one = Config::Load(temp.Write("one.toml", "site_name = \"Parliament\"\n"));
  EXPECT_EQ(one.SiteName("en-GB"), "Parliament");
  EXPECT_EQ(one.SiteName("ru-RU"), "Parliament");

  const Config each = Config::Load(temp.Write(
      "each.toml",
      "languages = [\"ru-RU\", \"en-GB\"]\nsite_name = { en = \"Ministry\", ru = \"МИД\" }\n"));
  EXPECT_EQ(each.SiteName("en-GB"), "Ministry");
  EXPECT_EQ(each.SiteName("ru"), "МИД");
  EXPECT_EQ(each.SiteName("fr-FR"), "МИД");  // the default language's name: ru-RU comes first
  EXPECT_EQ(each.site_name, "МИД");

  EXPECT_THROW(Config::Load(temp.Write("empty.toml", "site_name = { en = \"\" }\n")), Error);
}

TEST(Config, BadSettingsNameFileAndLine) {
  const TempDir temp;
  const auto path =
      temp.Write("assetpub-bad.toml", "site_name = \"x\"\ntime_zone = \"Mars/Base\"\n");
  try {
    Config::Load(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("assetpub-bad.toml:2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Mars/Base"), std::string::npos);
  }
  EXPECT_THROW(Config::Load(temp.Write("assetpub-bad2.toml", "page_size = 0\n")), Error);
  EXPECT_THROW(Config::Load(temp.Write("assetpub-bad3.toml", "colour = \"red\"\n")), Error);
  EXPECT_THROW(Config::Load(temp.Write("assetpub-bad4.toml", "languages = [\n")), Error);
}

TEST(Config, MetricsAllowTakesAddressesAndNetworks) {
  const TempDir temp;
  EXPECT_EQ(Config().metrics_allow, (std::vector<std::string>{"127.0.0.1", "::1"}));
  const Config config = Config::Load(temp.Write("metrics.toml",
                                                "metrics_allow = [\"10.0.0.0/8\", \"fd00::/8\"]\n"
                                                "metrics_token = \"0123456789abcdef\"\n"));
  EXPECT_EQ(config.metrics_allow, (std::vector<std::string>{"10.0.0.0/8", "fd00::/8"}));
  EXPECT_EQ(config.metrics_token, "0123456789abcdef");
  EXPECT_THROW(Config::Load(temp.Write("m1.toml", "metrics_allow = [\"localhost\"]\n")), Error);
  EXPECT_THROW(Config::Load(temp.Write("m2.toml", "metrics_allow = [\"10.0.0.0/33\"]\n")), Error);
  EXPECT_THROW(Config::Load(temp.Write("m3.toml", "metrics_token = \"short\"\n")), Error);
}

TEST(Network, ContainsItsAddressesOnly) {
  const Network ten = *ParseNetwork("10.0.0.0/8");
  EXPECT_TRUE(ten.Contains("10.1.2.3"));
  EXPECT_TRUE(ten.Contains("::ffff:10.1.2.3"));  // an IPv4 client of a dual-stack socket
  EXPECT_FALSE(ten.Contains("11.0.0.1"));
  EXPECT_FALSE(ten.Contains(""));
  EXPECT_FALSE(ten.Contains("10.0.0.0/8"));
  const Network host = *ParseNetwork("127.0.0.1");
  EXPECT_TRUE(host.Contains("127.0.0.1"));
  EXPECT_FALSE(host.Contains("127.0.0.2"));
  const Network odd = *ParseNetwork("192.168.4.0/22");
  EXPECT_TRUE(odd.Contains("192.168.7.255"));
  EXPECT_FALSE(odd.Contains("192.168.8.0"));
  const Network six = *ParseNetwork("::1");
  EXPECT_TRUE(six.Contains("::1"));
  EXPECT_FALSE(six.Contains("127.0.0.1"));
  EXPECT_FALSE(ParseNetwork("10.0.0.0/"));
  EXPECT_FALSE(ParseNetwork("host"));
}

TEST(Error, CodesMapToHttpStatuses) {
  EXPECT_EQ(HttpStatus(ErrorCode::kInvalidInput), 400);
  EXPECT_EQ(HttpStatus(ErrorCode::kNotFound), 404);
  EXPECT_EQ(HttpStatus(ErrorCode::kTooLarge), 413);
  EXPECT_EQ(ErrorCodeName(ErrorCode::kNotFound), "not-found");
}

TEST(Error, NoRoomToWriteIs507AndSaysSoInPublic) {
  const Error full(ErrorCode::kInsufficientStorage, "sqlite: COMMIT: out of room (/srv/data)");
  EXPECT_EQ(HttpStatus(full.code()), 507);
  EXPECT_EQ(ExitCode(full.code()), 4);  // like unavailable: try again once there is room
  EXPECT_EQ(ErrorCodeName(full.code()), "insufficient-storage");
  EXPECT_EQ(PublicMessage(full),
            "the server has no room left to store this; nothing was changed");  // no path
}

}  // namespace
}  // namespace assetpub
