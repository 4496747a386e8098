#include "content/collation.h"

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>
#include <unicode/uversion.h>

#include <map>
#include <memory>
#include <vector>

#include "core/error.h"

namespace assetpub::content {
namespace {

// Collators are built once per language and thread: building one costs far more than a key,
// and a thread-local cache needs no lock.
const icu::Collator& CollatorFor(std::string_view language) {
  thread_local std::map<std::string, std::unique_ptr<icu::Collator>, std::less<>> cache;
  if (auto it = cache.find(language); it != cache.end()) return *it->second;
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(
      icu::StringPiece(language.data(), static_cast<int32_t>(language.size())), status);
  if (U_FAILURE(status)) locale = icu::Locale::getRoot();
  status = U_ZERO_ERROR;
  std::unique_ptr<icu::Collator> collator(icu::Collator::createInstance(locale, status));
  if (U_FAILURE(status) || !collator) {
    status = U_ZERO_ERROR;
    collator.reset(icu::Collator::createInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status) || !collator) {
      throw Error(ErrorCode::kInternal, "ICU has no root collation");
    }
  }
  return *cache.emplace(std::string(language), std::move(collator)).first->second;
}

}  // namespace

std::string CollationKey(std::string_view language, std::string_view text) {
  const icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  const icu::Collator& collator = CollatorFor(language);
  std::vector<uint8_t> key(64 + static_cast<size_t>(unicode.length()) * 4);
  int32_t size = collator.getSortKey(unicode, key.data(), static_cast<int32_t>(key.size()));
  if (size > static_cast<int32_t>(key.size())) {
    key.resize(static_cast<size_t>(size));
    size = collator.getSortKey(unicode, key.data(), size);
  }
  // The key ends with a NUL byte that adds nothing to the order: leave it out.
  if (size > 0 && key[static_cast<size_t>(size) - 1] == 0) --size;
  return std::string(reinterpret_cast<const char*>(key.data()), static_cast<size_t>(size));
}

std::string CollationVersion() {
  UVersionInfo version{};
  CollatorFor("").getVersion(version);
  char text[U_MAX_VERSION_STRING_LENGTH] = {};
  u_versionToString(version, text);
  return text;
}

}  // namespace assetpub::content
