#pragma once
// assetpub::Error is the one exception type of the project: an ErrorCode saying what kind of
// failure it is, and a message a person can act on. ErrorCode maps to an HTTP status and a CLI
// exit code in exactly one place (HttpStatus, ExitCode below). Thread-safe: plain values.

#include <stdexcept>
#include <string>
#include <string_view>

namespace assetpub {

// When adding a code: update HttpStatus(), ExitCode() and ErrorCodeName() in error.cpp.
enum class ErrorCode {
  kInvalidInput,
  kNotFound,
  kConflict,
  kUnauthorised,
  kForbidden,
  kTooLarge,
  kUnavailable,
  kInternal,
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

// The HTTP status for a code (400, 404, 409, 401, 403, 413, 503, 500).
int HttpStatus(ErrorCode code);
// The process exit code for a command that failed with `code` (1 for bad input, 2 internal, …).
int ExitCode(ErrorCode code);
// A stable machine name: "invalid-input", "not-found", … (used in problem+json `type`).
std::string_view ErrorCodeName(ErrorCode code);

}  // namespace assetpub
