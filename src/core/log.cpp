#include "core/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

namespace assetpub {

void InitLogging() {
  auto logger = spdlog::stderr_color_mt("assetpub");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::set_default_logger(logger);
  if (const char* level = std::getenv("ASSETPUB_LOG")) {
    spdlog::set_level(spdlog::level::from_str(level));
  }
}

}  // namespace assetpub
