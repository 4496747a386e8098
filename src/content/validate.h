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

// How long an asset's lists may be. Far above what a real item has (an official text names a
// handful of people and tags; the longest transcripts in the archive have a few hundred blocks),
// and low enough that one item cannot make a page of megabytes, a list table of millions of rows
// or an import of seconds. An item over a limit is refused whole (FindProblems names the list and
// the limit), never cut.
inline constexpr size_t kMaxPeople = 100;
inline constexpr size_t kMaxTags = 100;
inline constexpr size_t kMaxVocabularies = 20;         // categories: vocabularies per asset
inline constexpr size_t kMaxTermsPerVocabulary = 100;  // categories: terms per vocabulary
inline constexpr size_t kMaxRelated = 100;
inline constexpr size_t kMaxMedia = 100;
inline constexpr size_t kMaxTranslations = 50;  // also the declared languages
inline constexpr size_t kMaxBlocks = 1000;      // per translation
inline constexpr size_t kMaxParagraphs = 1000;  // per turn or list block

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
