#pragma once
// assetpub::Error is the one exception type of the project: an ErrorCode saying what kind of
// failure it is, a message a person can act on, and for some codes the data an answer needs
// (the fields that are wrong, the current revision, when to retry). ErrorCode maps to an HTTP
// status and a CLI exit code in exactly one place (HttpStatus, ExitCode below); web/
// error_response.h is the one place an Error becomes an HTTP answer. Thread-safe: plain values.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace assetpub {

// When adding a code: update HttpStatus(), ExitCode() and ErrorCodeName() in error.cpp (the
// compiler's -Wswitch finds them and every other switch over the codes, such as the admin UI's
// messages); web/error_response.cpp turns any code into an answer without change.
enum class ErrorCode {
  kInvalidInput,          // 400: the input is malformed or invalid (fields() may say where)
  kNotFound,              // 404
  kConflict,              // 409: the input contradicts what is stored
  kUnauthorised,          // 401: no valid credentials
  kForbidden,             // 403: valid credentials that may not do this
  kTooLarge,              // 413
  kUnavailable,           // 503: try again later (retry_after_seconds() may say when)
  kInternal,              // 500: a bug or a broken store; the message is for the log only
  kMethodNotAllowed,      // 405
  kPreconditionFailed,    // 412: a write started from a version that is no longer current
                          // (current_revision() names the current one)
  kPreconditionRequired,  // 428: a write named no version to start from
  kUnsupportedMediaType,  // 415: a body or file of a type not taken here
  kUnprocessable,         // 422: well-formed input naming what cannot be (fields() says where)
  kRangeNotSatisfiable,   // 416
  kTooManyRequests,       // 429 (retry_after_seconds() says when to try again)
  kInsufficientStorage,   // 507: no room to write (a full disk, a quota, a file size limit);
                          // what failed was not written
};

// One wrong field of the input: where (`field`: a content path such as
// "translations.en-GB.title", or a JSON Pointer such as "/related/0/id") and what is wrong, for
// a person.
struct FieldError {
  std::string field;
  std::string message;
  bool operator==(const FieldError&) const = default;
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

  // The wrong fields, in the order found (kInvalidInput, kUnprocessable); empty otherwise.
  const std::vector<FieldError>& fields() const { return fields_; }
  // The revision that is current (kPreconditionFailed).
  std::optional<int64_t> current_revision() const { return current_revision_; }
  // Seconds after which trying again may succeed (kTooManyRequests, kUnavailable).
  std::optional<int64_t> retry_after_seconds() const { return retry_after_seconds_; }

  // The same error with that data: `throw Error(...).WithFields(...)`.
  Error WithFields(std::vector<FieldError> fields) const {
    Error copy = *this;
    copy.fields_ = std::move(fields);
    return copy;
  }
  Error WithCurrentRevision(int64_t revision) const {
    Error copy = *this;
    copy.current_revision_ = revision;
    return copy;
  }
  Error WithRetryAfter(int64_t seconds) const {
    Error copy = *this;
    copy.retry_after_seconds_ = seconds;
    return copy;
  }

 private:
  ErrorCode code_;
  std::vector<FieldError> fields_;
  std::optional<int64_t> current_revision_;
  std::optional<int64_t> retry_after_seconds_;
};

// An Error of `code` naming `fields` (not empty), its message listing them all:
// "translations.en-GB.title: must not be empty; tags[1]: must not be empty".
Error FieldErrors(ErrorCode code, std::vector<FieldError> fields);

// The HTTP status for a code (400, 404, 409, 401, 403, 413, 503, 500, 405, 412, 428, 415, 422,
// 416, 429, 507).
int HttpStatus(ErrorCode code);
// The process exit code for a command that failed with `code` (1 for bad input, 2 internal, …).
int ExitCode(ErrorCode code);
// A stable machine name: "invalid-input", "not-found", … (used in problem+json `type`).
std::string_view ErrorCodeName(ErrorCode code);
// What a client may be told of `error`: its message for a client's mistake (4xx); for a server
// failure (5xx) a fixed sentence, since the message may name internals (it is for the log).
std::string PublicMessage(const Error& error);

}  // namespace assetpub
