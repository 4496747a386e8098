// The accounts commands end to end: the real `assetpub` binary on a temporary data directory
// (`user add` with the password on standard input, `user list`, `user disable`, `token create`,
// `token list`, `token revoke`), and what they leave in the database.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "support/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class UserCli : public ::testing::Test {
 protected:
  // Runs `assetpub --data DIR ARGS` with `input` on standard input (not a terminal).
  Result Run(const std::string& args, const std::string& input = "") {
    const fs::path in = root_ / "stdin.txt";
    const fs::path err = root_ / "stderr.txt";
    std::ofstream(in, std::ios::binary) << input;
    const std::string command = std::string(ASSETPUB_BINARY) + " --data " +
                                (root_ / "data").string() + " " + args + " <" + in.string() +
                                " 2>" + err.string();
    Result result;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return result;
    std::array<char, 4096> buffer{};
    size_t n = 0;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
      result.out.append(buffer.data(), n);
    }
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.err = ReadFile(err);
    return result;
  }

  const assetpub::testing::TempDir temp_{"assetpub-user-cli-"};
  const fs::path root_ = temp_.path();
};

TEST_F(UserCli, AddListAndDisableUsers) {
  Result added = Run("user add alice --role publisher", "correct horse battery\n");
  ASSERT_EQ(added.exit_code, 0) << added.out << added.err;
  EXPECT_THAT(added.out, HasSubstr("added user alice (publisher)"));
  ASSERT_EQ(Run("user add bob --role editor", "another long password\n").exit_code, 0);

  Result listed = Run("user list");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("LAST LOGIN"));
  EXPECT_TRUE(std::regex_search(listed.out, std::regex(R"(alice\s+publisher\s+no\s+\d{4}-)")))
      << listed.out;
  EXPECT_TRUE(std::regex_search(listed.out, std::regex(R"(bob\s+editor\s+no\s+)"))) << listed.out;
  // The password hash is nobody's business on the command line.
  EXPECT_THAT(listed.out, Not(HasSubstr("argon2")));

  Result disabled = Run("user disable bob");
  ASSERT_EQ(disabled.exit_code, 0) << disabled.err;
  EXPECT_THAT(disabled.out, HasSubstr("disabled user bob"));
  EXPECT_TRUE(std::regex_search(Run("user list").out, std::regex(R"(bob\s+editor\s+yes\s+)")));
}

TEST_F(UserCli, BadInputIsRefusedByNameWithANonZeroExit) {
  Result short_password = Run("user add alice --role editor", "too short\n");
  EXPECT_NE(short_password.exit_code, 0);
  EXPECT_THAT(short_password.err, HasSubstr("password is too short"));
  EXPECT_THAT(short_password.err, HasSubstr("at least 12"));

  Result no_password = Run("user add alice --role editor", "");
  EXPECT_NE(no_password.exit_code, 0);
  EXPECT_THAT(no_password.err, HasSubstr("no password on standard input"));

  Result bad_role = Run("user add alice --role chief", "correct horse battery\n");
  EXPECT_NE(bad_role.exit_code, 0);
  EXPECT_THAT(bad_role.err, HasSubstr("unknown role 'chief'"));

  Result bad_name = Run("user add 'a b' --role editor", "correct horse battery\n");
  EXPECT_NE(bad_name.exit_code, 0);
  EXPECT_THAT(bad_name.err, HasSubstr("user name 'a b' is not valid"));

  ASSERT_EQ(Run("user add alice --role editor", "correct horse battery\n").exit_code, 0);
  Result duplicate = Run("user add ALICE --role admin", "correct horse battery\n");
  EXPECT_NE(duplicate.exit_code, 0);
  EXPECT_THAT(duplicate.err, HasSubstr("user 'alice' already exists"));

  Result unknown = Run("user disable zed");
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_THAT(unknown.err, HasSubstr("no user 'zed'"));
  Result no_token = Run("token revoke 42");
  EXPECT_NE(no_token.exit_code, 0);
  EXPECT_THAT(no_token.err, HasSubstr("no token 42"));
  Result token_for_nobody = Run("token create --user zed");
  EXPECT_NE(token_for_nobody.exit_code, 0);
  EXPECT_THAT(token_for_nobody.err, HasSubstr("no user 'zed'"));
}

TEST_F(UserCli, TokenIsPrintedOnceListedWithoutItsSecretAndRevoked) {
  ASSERT_EQ(Run("user add alice --role admin", "correct horse battery\n").exit_code, 0);
  Result created = Run("token create --user alice --name deploy");
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::smatch match;
  ASSERT_TRUE(std::regex_match(created.out, match, std::regex("(ap_[A-Za-z0-9_-]{43})\n")))
      << created.out;
  const std::string secret = match[1];
  EXPECT_THAT(created.err, HasSubstr("shown this once"));

  Result listed = Run("token list");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(std::regex_search(listed.out, std::regex(R"(\n1\s+alice\s+deploy\s+\d{4}-)")))
      << listed.out;
  EXPECT_THAT(listed.out, Not(HasSubstr(secret)));
  EXPECT_THAT(listed.out, Not(HasSubstr(secret.substr(3, 10))));
  // Nor is it anywhere in the database file.
  EXPECT_THAT(ReadFile(root_ / "data" / "assetpub.db"), Not(HasSubstr(secret.substr(3))));

  Result revoked = Run("token revoke 1");
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_THAT(revoked.out, HasSubstr("revoked token 1"));
  EXPECT_TRUE(std::regex_search(Run("token list").out,
                                std::regex(R"(\n1\s+alice\s+deploy\s+\S+\s+-\s+\d{4}-)")));
  EXPECT_THAT(Run("token revoke 1").out, HasSubstr("already revoked"));
}

TEST_F(UserCli, DisablingAUserRevokesTheirTokens) {
  ASSERT_EQ(Run("user add alice --role editor", "correct horse battery\n").exit_code, 0);
  ASSERT_EQ(Run("token create --user alice --name one").exit_code, 0);
  ASSERT_EQ(Run("token create --user alice --name two").exit_code, 0);
  Result disabled = Run("user disable alice");
  ASSERT_EQ(disabled.exit_code, 0) << disabled.err;
  EXPECT_THAT(disabled.out, HasSubstr("2 token(s) revoked"));
  const std::string listed = Run("token list").out;
  EXPECT_TRUE(std::regex_search(listed, std::regex(R"(\n1\s+alice\s+one\s+\S+\s+-\s+\d{4}-)")));
  EXPECT_TRUE(std::regex_search(listed, std::regex(R"(\n2\s+alice\s+two\s+\S+\s+-\s+\d{4}-)")));
  Result refused = Run("token create --user alice");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("disabled"));
}

}  // namespace
