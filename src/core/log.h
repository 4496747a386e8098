#pragma once
// Logging goes through spdlog; this sets up the one default logger (stderr, with level from
// $ASSETPUB_LOG: trace, debug, info, warn, error; default info). Call once from main.

namespace assetpub {
void InitLogging();
}  // namespace assetpub
