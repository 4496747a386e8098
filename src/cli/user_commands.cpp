#include "cli/user_commands.h"

#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "auth/authenticator.h"
#include "cli/data_dir.h"
#include "core/error.h"
#include "store/accounts.h"

namespace assetpub::cli {
namespace {

constexpr std::string_view kLocal = "local";  // the audit log's address for the command line

// Turns the terminal's echo off for its lifetime (restored even when an exception unwinds).
class NoEcho {
 public:
  NoEcho() {
    if (::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  NoEcho(const NoEcho&) = delete;
  NoEcho& operator=(const NoEcho&) = delete;
  ~NoEcho() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }

 private:
  termios saved_{};
  bool active_ = false;
};

// One line from standard input without its line ending; nullopt at end of input.
std::optional<std::string> ReadLine() {
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string AskPassword(const std::string& prompt) {
  fmt::print(stderr, "{}", prompt);
  std::fflush(stderr);
  std::optional<std::string> line;
  {
    NoEcho no_echo;
    line = ReadLine();
  }
  fmt::print(stderr, "\n");
  if (!line) throw Error(ErrorCode::kInvalidInput, "no password given");
  return *line;
}

// On a terminal: asked twice without echo, checked against the policy before the second
// prompt. Otherwise: the first line of standard input.
std::string ReadNewPassword(const std::string& user) {
  if (::isatty(STDIN_FILENO) != 1) {
    auto line = ReadLine();
    if (!line || line->empty()) {
      throw Error(ErrorCode::kInvalidInput,
                  "no password on standard input (give it as the first line)");
    }
    return *line;
  }
  std::string password = AskPassword(fmt::format("Password for {}: ", user));
  auth::CheckPasswordPolicy(password);
  if (AskPassword("Repeat the password: ") != password) {
    throw Error(ErrorCode::kInvalidInput, "the two passwords differ; nothing was changed");
  }
  return password;
}

std::string When(const std::optional<content::Instant>& at) {
  return at ? content::ToIso8601Utc(*at) : "-";
}

auth::Role ParseRoleOrThrow(const std::string& name) {
  if (auto role = auth::ParseRole(name)) return *role;
  throw Error(ErrorCode::kInvalidInput,
              fmt::format("unknown role '{}': use editor, publisher or admin", name));
}

}  // namespace

void AddUserCommands(CLI::App& app, UserCommands& c) {
  auto store_option = [&](CLI::App* command) {
    command->add_option("--store", c.store_url, "sqlite:PATH or postgresql://…");
  };
  auto* user = app.add_subcommand("user", "manage the people who write: add, list, disable");
  user->require_subcommand(1);
  c.user_add = user->add_subcommand(
      "add",
      "add a user; the password (at least 12 characters) is asked on the terminal, or read "
      "from the first line of standard input");
  c.user_add->add_option("name", c.name, "user name: letters, digits, '.', '_', '-', '@'")
      ->required();
  c.user_add->add_option("--role", c.role, "editor, publisher or admin")->required();
  store_option(c.user_add);
  c.user_list =
      user->add_subcommand("list", "list users: name, role, disabled, created, last login");
  store_option(c.user_list);
  c.user_disable = user->add_subcommand(
      "disable", "disable a user: ends their sessions and revokes their API tokens");
  c.user_disable->add_option("name", c.name, "user name")->required();
  store_option(c.user_disable);

  auto* token = app.add_subcommand("token", "manage API tokens: create, list, revoke");
  token->require_subcommand(1);
  c.token_create = token->add_subcommand(
      "create", "make an API token for a user and print it: it is shown this once only");
  c.token_create->add_option("--user", c.name, "the user the token acts as")->required();
  c.token_create->add_option("--name", c.label, "a label, e.g. what uses the token");
  store_option(c.token_create);
  c.token_list = token->add_subcommand("list", "list API tokens (never their secrets)");
  store_option(c.token_list);
  c.token_revoke = token->add_subcommand("revoke", "revoke an API token by its id");
  c.token_revoke->add_option("id", c.token_id, "the token's id (see token list)")->required();
  store_option(c.token_revoke);
}

std::optional<int> RunUserCommand(const UserCommands& c, const std::string& data_dir) {
  const bool any = c.user_add->parsed() || c.user_list->parsed() || c.user_disable->parsed() ||
                   c.token_create->parsed() || c.token_list->parsed() || c.token_revoke->parsed();
  if (!any) return std::nullopt;
  // Checked before anything is opened or asked.
  std::optional<auth::Role> role;
  if (c.user_add->parsed()) role = ParseRoleOrThrow(c.role);

  DataDir dir = DataDir::Open(data_dir);
  auto accounts = store::OpenAccounts(dir.StoreUrl(c.store_url));
  auth::Authenticator authenticator(*accounts);
  const auth::Principal me = auth::Authenticator::Operator();

  if (c.user_add->parsed()) {
    if (const auto existing = accounts->FindUser(c.name)) {  // say so before asking
      throw Error(ErrorCode::kConflict, fmt::format("user '{}' already exists", existing->name));
    }
    const std::string password = ReadNewPassword(c.name);
    const store::User user = authenticator.AddUser(me, c.name, *role, password, kLocal);
    fmt::print("added user {} ({})\n", user.name, user.role);
    return 0;
  }
  if (c.user_list->parsed()) {
    const auto users = authenticator.ListUsers(me);
    fmt::print("{:<24} {:<10} {:<9} {:<21} {}\n", "NAME", "ROLE", "DISABLED", "CREATED",
               "LAST LOGIN");
    for (const auto& u : users) {
      fmt::print("{:<24} {:<10} {:<9} {:<21} {}\n", u.name, u.role, u.disabled ? "yes" : "no",
                 content::ToIso8601Utc(u.created_at), When(u.last_login_at));
    }
    return 0;
  }
  if (c.user_disable->parsed()) {
    const auto result = authenticator.DisableUser(me, c.name, kLocal);
    fmt::print("disabled user {}: {} session(s) ended, {} token(s) revoked\n", c.name,
               result.sessions_deleted, result.tokens_revoked);
    return 0;
  }
  if (c.token_create->parsed()) {
    const auth::NewToken made = authenticator.CreateToken(me, c.name, c.label, kLocal);
    // The secret alone on standard output, so a script can capture it; the rest on stderr.
    fmt::print("{}\n", made.secret);
    std::fflush(stdout);
    fmt::print(stderr,
               "token {} for user {}: shown this once only, keep it now (send it as "
               "\"Authorization: Bearer TOKEN\")\n",
               made.token.id, c.name);
    return 0;
  }
  if (c.token_list->parsed()) {
    const auto tokens = authenticator.ListTokens(me);
    fmt::print("{:<6} {:<24} {:<24} {:<21} {:<21} {}\n", "ID", "USER", "NAME", "CREATED",
               "LAST USED", "REVOKED");
    for (const auto& [t, user_name] : tokens) {
      fmt::print("{:<6} {:<24} {:<24} {:<21} {:<21} {}\n", t.id, user_name,
                 t.name.empty() ? "-" : t.name, content::ToIso8601Utc(t.created_at),
                 When(t.last_used_at), When(t.revoked_at));
    }
    return 0;
  }
  // token revoke
  if (authenticator.RevokeToken(me, c.token_id, kLocal)) {
    fmt::print("revoked token {}\n", c.token_id);
  } else {
    fmt::print("token {} was already revoked\n", c.token_id);
  }
  return 0;
}

}  // namespace assetpub::cli
