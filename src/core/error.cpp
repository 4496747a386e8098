#include "core/error.h"

namespace assetpub {

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kUnauthorised:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kTooLarge:
      return 413;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
    case ErrorCode::kMethodNotAllowed:
      return 405;
    case ErrorCode::kPreconditionFailed:
      return 412;
    case ErrorCode::kPreconditionRequired:
      return 428;
    case ErrorCode::kUnsupportedMediaType:
      return 415;
    case ErrorCode::kUnprocessable:
      return 422;
    case ErrorCode::kRangeNotSatisfiable:
      return 416;
    case ErrorCode::kTooManyRequests:
      return 429;
    case ErrorCode::kInsufficientStorage:
      return 507;
  }
  return 500;
}

int ExitCode(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput:
    case ErrorCode::kNotFound:
    case ErrorCode::kConflict:
    case ErrorCode::kTooLarge:
    case ErrorCode::kMethodNotAllowed:
    case ErrorCode::kPreconditionFailed:
    case ErrorCode::kPreconditionRequired:
    case ErrorCode::kUnsupportedMediaType:
    case ErrorCode::kUnprocessable:
    case ErrorCode::kRangeNotSatisfiable:
      return 1;
    case ErrorCode::kUnauthorised:
    case ErrorCode::kForbidden:
      return 3;
    case ErrorCode::kUnavailable:
    case ErrorCode::kTooManyRequests:
    case ErrorCode::kInsufficientStorage:
      return 4;
    case ErrorCode::kInternal:
      return 2;
  }
  return 2;
}

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput:
      return "invalid-input";
    case ErrorCode::kNotFound:
      return "not-found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kUnauthorised:
      return "unauthorised";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kTooLarge:
      return "too-large";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      return "internal";
    case ErrorCode::kMethodNotAllowed:
      return "method-not-allowed";
    case ErrorCode::kPreconditionFailed:
      return "stale-revision";
    case ErrorCode::kPreconditionRequired:
      return "precondition-required";
    case ErrorCode::kUnsupportedMediaType:
      return "unsupported-media-type";
    case ErrorCode::kUnprocessable:
      return "unprocessable";
    case ErrorCode::kRangeNotSatisfiable:
      return "range-not-satisfiable";
    case ErrorCode::kTooManyRequests:
      return "too-many-requests";
    case ErrorCode::kInsufficientStorage:
      return "insufficient-storage";
  }
  return "internal";
}

Error FieldErrors(ErrorCode code, std::vector<FieldError> fields) {
  std::string message;
  for (const FieldError& field : fields) {
    if (!message.empty()) message += "; ";
    message += field.field + ": " + field.message;
  }
  return Error(code, message).WithFields(std::move(fields));
}

std::string PublicMessage(const Error& error) {
  const int status = HttpStatus(error.code());
  if (status == 503) return "the service is unavailable; try again later";
  if (status == 507) return "the server has no room left to store this; nothing was changed";
  if (status >= 500) return "internal error";
  return error.what();
}

}  // namespace assetpub
