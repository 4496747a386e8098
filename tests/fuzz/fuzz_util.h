#pragma once
// Fuzz support only: what every fuzz target shares. Quiet() silences the log (done at start-up
// in every target that includes this), Swallow() runs a parser and lets through only what
// untrusted input may make it throw, Text() views the bytes.
// Header-only. Thread-safety: none needed (libFuzzer's one thread).

#include <spdlog/spdlog.h>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "core/error.h"

namespace assetpub::fuzz {

// The log off: a fuzzer's millions of refused inputs would otherwise write millions of lines.
inline void Quiet() { spdlog::set_level(spdlog::level::off); }

// Every target that includes this header starts with the log off (before libFuzzer's main).
inline const bool kQuietFromTheStart = (Quiet(), true);

// Calls `parse()`; an Error(kInvalidInput), the contract of every parser fuzzed here for bad
// input, is swallowed; anything else (another code too: a 5xx for a bad request) propagates,
// and libFuzzer reports the abort with the exception's text on stderr.
template <typename Parse>
void Swallow(Parse&& parse) {
  try {
    std::forward<Parse>(parse)();
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput) throw;
  }
}

// The bytes as text.
inline std::string_view Text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace assetpub::fuzz
