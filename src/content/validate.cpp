#include "content/validate.h"

#include <fmt/format.h>
#include <unicode/utf8.h>

#include <set>

#include "content/language.h"
#include "core/error.h"

namespace assetpub::content {
namespace {

constexpr size_t kMaxTitle = 1000;
constexpr size_t kMaxText = 200000;

class Checker {
 public:
  void Text(const std::string& field, const std::string& text, bool required, size_t max) {
    if (required && text.empty()) return Add(field, "must not be empty");
    if (text.size() > max) return Add(field, fmt::format("is longer than {} bytes", max));
    if (!IsValidUtf8(text)) return Add(field, "is not valid UTF-8");
    for (unsigned char c : text) {
      if (c < 0x20 && c != '\n' && c != '\t') return Add(field, "contains a control character");
      if (c == 0x7f) return Add(field, "contains a control character");
    }
  }
  void Add(std::string field, std::string message) {
    problems_.push_back({std::move(field), std::move(message)});
  }
  // False (and one problem naming `field` and the limit) when a list of `size` is over `max`:
  // its entries are then not checked one by one.
  bool Count(const std::string& field, size_t size, size_t max, std::string_view what) {
    if (size <= max) return true;
    Add(field, fmt::format("has {} {}; at most {} are accepted", size, what, max));
    return false;
  }
  std::vector<Problem> Take() { return std::move(problems_); }

 private:
  std::vector<Problem> problems_;
};

}  // namespace

bool IsValidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    UChar32 c = 0;
    U8_NEXT(s, i, length, c);
    if (c < 0) return false;
  }
  return true;
}

std::vector<Problem> FindProblems(const Asset& asset) {
  Checker check;
  if (asset.id < 0) check.Add("id", "must not be negative");
  if (asset.time_zone.empty()) check.Add("time_zone", "must not be empty");
  if (asset.expires_at && *asset.expires_at <= asset.published_at) {
    check.Add("expires_at", "must be after published_at");
  }
  std::set<std::string> declared;
  if (!check.Count("languages", asset.languages.size(), kMaxTranslations, "languages") ||
      !check.Count("translations", asset.translations.size(), kMaxTranslations, "translations")) {
    return check.Take();
  }
  for (size_t i = 0; i < asset.languages.size(); ++i) {
    const std::string& tag = asset.languages[i];
    const auto canonical = CanonicalLanguageTag(tag);
    const std::string field = fmt::format("languages[{}]", i);
    if (!canonical) {
      check.Add(field, fmt::format("'{}' is not a BCP 47 language tag", tag));
    } else if (*canonical != tag) {
      check.Add(field, fmt::format("'{}' should be written '{}'", tag, *canonical));
    } else if (!declared.insert(tag).second) {
      check.Add(field, fmt::format("'{}' is listed twice", tag));
    }
  }
  if (asset.translations.empty()) check.Add("translations", "an asset needs at least one");
  for (const auto& [tag, t] : asset.translations) {
    const std::string base = "translations." + tag;
    if (t.language != tag) check.Add(base + ".language", "must equal the key it is stored under");
    if (!declared.contains(tag)) {
      check.Add(base, fmt::format("'{}' is not among the asset's languages", tag));
    }
    check.Text(base + ".title", t.title, true, kMaxTitle);
    check.Text(base + ".place", t.place, false, kMaxTitle);
    check.Text(base + ".summary", t.summary, false, kMaxText);
    check.Text(base + ".source", t.source, false, kMaxTitle);
    if (t.slug.empty() || t.slug.size() > 200 ||
        t.slug.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos) {
      check.Add(base + ".slug", "must be lower-case ASCII letters, digits and '-'");
    }
    if (!check.Count(base + ".blocks", t.blocks.size(), kMaxBlocks, "blocks")) continue;
    for (size_t b = 0; b < t.blocks.size(); ++b) {
      const Block& block = t.blocks[b];
      if (!check.Count(fmt::format("{}.blocks[{}].paragraphs", base, b), block.paragraphs.size(),
                       kMaxParagraphs, "paragraphs")) {
        continue;
      }
      const std::string field = fmt::format("{}.blocks[{}]", base, b);
      switch (block.type) {
        case Block::Type::kParagraph:
        case Block::Type::kHeading:
        case Block::Type::kQuote:
          check.Text(field + ".text", block.text, true, kMaxText);
          break;
        case Block::Type::kTurn:
          check.Text(field + ".speaker", block.speaker, true, kMaxTitle);
          check.Text(field + ".note", block.note, false, kMaxTitle);
          if (block.paragraphs.empty()) check.Add(field + ".paragraphs", "a turn needs text");
          for (size_t p = 0; p < block.paragraphs.size(); ++p) {
            check.Text(fmt::format("{}.paragraphs[{}]", field, p), block.paragraphs[p], true,
                       kMaxText);
          }
          break;
        case Block::Type::kList:
          if (block.paragraphs.empty()) check.Add(field + ".paragraphs", "a list needs items");
          for (size_t p = 0; p < block.paragraphs.size(); ++p) {
            check.Text(fmt::format("{}.paragraphs[{}]", field, p), block.paragraphs[p], true,
                       kMaxText);
          }
          break;
      }
    }
  }
  if (check.Count("people", asset.people.size(), kMaxPeople, "people")) {
    for (size_t i = 0; i < asset.people.size(); ++i) {
      check.Text(fmt::format("people[{}]", i), asset.people[i], true, kMaxTitle);
    }
  }
  if (check.Count("tags", asset.tags.size(), kMaxTags, "tags")) {
    for (size_t i = 0; i < asset.tags.size(); ++i) {
      check.Text(fmt::format("tags[{}]", i), asset.tags[i], true, kMaxTitle);
    }
  }
  if (check.Count("categories", asset.categories.size(), kMaxVocabularies, "vocabularies")) {
    for (const auto& [vocabulary, terms] : asset.categories) {
      check.Text("categories", vocabulary, true, kMaxTitle);
      if (!check.Count("categories." + vocabulary, terms.size(), kMaxTermsPerVocabulary, "terms")) {
        continue;
      }
      for (size_t i = 0; i < terms.size(); ++i) {
        check.Text(fmt::format("categories.{}[{}]", vocabulary, i), terms[i], true, kMaxTitle);
      }
    }
  }
  const bool related_ok = check.Count("related", asset.related.size(), kMaxRelated, "entries");
  for (size_t i = 0; related_ok && i < asset.related.size(); ++i) {
    const Related& r = asset.related[i];
    const std::string field = fmt::format("related[{}]", i);
    if (r.id < 0 || (r.id == 0 && r.title.empty())) {
      check.Add(field, "needs an asset id or a title");
    } else if (r.id != 0 && r.id == asset.id) {
      check.Add(field, "an asset cannot be related to itself");
    } else if (r.id == 0) {
      check.Text(field + ".title", r.title, true, kMaxTitle);
    }
  }
  const bool media_ok = check.Count("media", asset.media.size(), kMaxMedia, "files");
  for (size_t i = 0; media_ok && i < asset.media.size(); ++i) {
    const MediaFile& m = asset.media[i];
    const std::string field = fmt::format("media[{}]", i);
    if (m.hash.size() != 64 || m.hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
      check.Add(field + ".hash", "must be the file's SHA-256: 64 lower-case hex digits");
    }
    if (FindMediaType(m.type) == nullptr) {
      std::string allowed;
      for (const MediaType& t : MediaTypes())
        allowed += (allowed.empty() ? "" : ", ") + std::string(t.type);
      check.Add(field + ".type", fmt::format("'{}' is not an accepted type ({})", m.type, allowed));
    }
    if (!IsValidMediaName(m.name)) {
      check.Add(field + ".name",
                "must be a file name of 1 to 255 bytes of UTF-8 without '/', '\\' or control "
                "characters");
    }
    if (m.bytes < 0) check.Add(field + ".bytes", "must not be negative");
    if (m.width < 0 || m.height < 0) check.Add(field + ".width", "must not be negative");
    check.Text(field + ".caption", m.caption, false, kMaxTitle);
  }
  return check.Take();
}

bool IsValidMediaName(std::string_view name) {
  if (name.empty() || name.size() > 255 || !IsValidUtf8(name)) return false;
  if (name == "." || name == "..") return false;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || c == '/' || c == '\\') return false;
  }
  return true;
}

void Validate(const Asset& asset) {
  std::vector<Problem> problems = FindProblems(asset);
  if (!problems.empty()) throw FieldErrors(ErrorCode::kInvalidInput, std::move(problems));
}

}  // namespace assetpub::content
