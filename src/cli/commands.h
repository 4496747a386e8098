#pragma once
// The `assetpub` command line (DESIGN.md §4), built with CLI11. Run() parses argv, runs one
// command and returns the process exit code; errors are printed to stderr, never thrown.

namespace assetpub::cli {

int Run(int argc, char** argv);

}  // namespace assetpub::cli
