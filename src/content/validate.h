#pragma once
// Validation of assets against what the model forbids (DESIGN.md §2). Thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "content/asset.h"
#include "core/error.h"

namespace assetpub::content {

// One invalid field: `field` a path such as "translations.en-GB.title", `message` for a person.
using Problem = FieldError;

// Every problem found in `asset` (empty when it is valid).
std::vector<Problem> FindProblems(const Asset& asset);
// Throws Error(kInvalidInput) naming every problem (FieldErrors) when there is any.
void Validate(const Asset& asset);
// True when `name` is usable as a media file's display name: 1 to 255 bytes of UTF-8, not "." or
// "..", without '/', '\', NUL or other control characters. (It is never used as a path.)
bool IsValidMediaName(std::string_view name);
// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

}  // namespace assetpub::content
