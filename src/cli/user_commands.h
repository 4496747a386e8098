#pragma once
// The accounts side of the `assetpub` command line: `user add NAME --role ROLE`, `user list`,
// `user disable NAME`, `token create --user NAME [--name LABEL]`, `token list` and
// `token revoke ID`. They act as the operator (auth::Authenticator::Operator(): an admin named
// "cli (USER)") from address "local", and each write lands in the audit log. Errors are thrown
// as assetpub::Error (Run() in commands.cpp prints them and picks the exit code).
// Thread-safety: none needed; the command line runs on one thread.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace assetpub::cli {

// The subcommands and options, filled in by CLI11 while parsing.
struct UserCommands {
  CLI::App* user_add = nullptr;
  CLI::App* user_list = nullptr;
  CLI::App* user_disable = nullptr;
  CLI::App* token_create = nullptr;
  CLI::App* token_list = nullptr;
  CLI::App* token_revoke = nullptr;
  std::string name;       // user add/disable NAME, token create --user NAME
  std::string role;       // user add --role
  std::string label;      // token create --name
  int64_t token_id = 0;   // token revoke ID
  std::string store_url;  // --store on each
};

// Adds `user` and `token` to `app`, with `commands` receiving their options: it must outlive the
// parse and RunUserCommand().
void AddUserCommands(CLI::App& app, UserCommands& commands);

// Runs whichever of these commands was parsed, on the data directory `data_dir`, and returns
// its exit code; nullopt when none of them was parsed. `user add` reads the password from the
// terminal without echo (asked twice), or the first line of standard input when it is not a
// terminal. Throws Error like any command (kInvalidInput for a short password or a bad role,
// kConflict for a taken name, kNotFound for an unknown user or token).
std::optional<int> RunUserCommand(const UserCommands& commands, const std::string& data_dir);

}  // namespace assetpub::cli
