#include "content/asset.h"

#include <array>
#include <utility>

#include "content/language.h"

namespace assetpub::content {
namespace {

template <typename E, size_t N>
std::optional<E> Lookup(const std::array<std::pair<E, std::string_view>, N>& table,
                        std::string_view name) {
  for (const auto& [value, text] : table) {
    if (text == name) return value;
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, text] : table) {
    if (v == value) return text;
  }
  return "?";
}

constexpr std::array<std::pair<Kind, std::string_view>, 10> kKinds{{
    {Kind::kTranscript, "transcript"},
    {Kind::kSpeech, "speech"},
    {Kind::kInterview, "interview"},
    {Kind::kStatement, "statement"},
    {Kind::kComment, "comment"},
    {Kind::kArticle, "article"},
    {Kind::kPressRelease, "press_release"},
    {Kind::kPhoto, "photo"},
    {Kind::kVideo, "video"},
    {Kind::kDocument, "document"},
}};
constexpr std::array<std::pair<Status, std::string_view>, 5> kStatuses{{
    {Status::kDraft, "draft"},
    {Status::kScheduled, "scheduled"},
    {Status::kPublished, "published"},
    {Status::kExpired, "expired"},
    {Status::kArchived, "archived"},
}};
constexpr std::array<std::pair<TurnRole, std::string_view>, 2> kRoles{{
    {TurnRole::kQuestion, "question"},
    {TurnRole::kAnswer, "answer"},
}};
constexpr std::array<std::pair<Block::Type, std::string_view>, 5> kBlockTypes{{
    {Block::Type::kParagraph, "paragraph"},
    {Block::Type::kTurn, "turn"},
    {Block::Type::kHeading, "heading"},
    {Block::Type::kQuote, "quote"},
    {Block::Type::kList, "list"},
}};

}  // namespace

std::string_view KindName(Kind kind) { return NameOf(kKinds, kind); }
std::optional<Kind> ParseKind(std::string_view name) { return Lookup(kKinds, name); }
const std::vector<Kind>& AllKinds() {
  static const std::vector<Kind> kinds = [] {
    std::vector<Kind> all;
    for (const auto& entry : kKinds) all.push_back(entry.first);
    return all;
  }();
  return kinds;
}
std::string_view StatusName(Status status) { return NameOf(kStatuses, status); }
std::optional<Status> ParseStatus(std::string_view name) { return Lookup(kStatuses, name); }
std::string_view TurnRoleName(TurnRole role) { return NameOf(kRoles, role); }
std::optional<TurnRole> ParseTurnRole(std::string_view name) { return Lookup(kRoles, name); }
std::string_view BlockTypeName(Block::Type type) { return NameOf(kBlockTypes, type); }
std::optional<Block::Type> ParseBlockType(std::string_view name) {
  return Lookup(kBlockTypes, name);
}

Block Block::Paragraph(std::string text) {
  Block block;
  block.type = Type::kParagraph;
  block.text = std::move(text);
  return block;
}

Block Block::Turn(TurnRole role, std::string speaker, std::vector<std::string> paragraphs,
                  std::string note) {
  Block block;
  block.type = Type::kTurn;
  block.role = role;
  block.speaker = std::move(speaker);
  block.paragraphs = std::move(paragraphs);
  block.note = std::move(note);
  return block;
}

const std::vector<MediaType>& MediaTypes() {
  static const std::vector<MediaType> types = {
      {"image/jpeg", {"jpg", "jpeg"}}, {"image/png", {"png"}},       {"image/gif", {"gif"}},
      {"image/webp", {"webp"}},        {"application/pdf", {"pdf"}}, {"audio/mpeg", {"mp3"}},
      {"audio/ogg", {"ogg", "oga"}},   {"audio/wav", {"wav"}},       {"video/mp4", {"mp4", "m4v"}},
      {"video/webm", {"webm"}},
  };
  return types;
}

const MediaType* FindMediaType(std::string_view type) {
  for (const MediaType& entry : MediaTypes()) {
    if (entry.type == type) return &entry;
  }
  return nullptr;
}

bool IsImageType(std::string_view type) {
  return FindMediaType(type) != nullptr && type.starts_with("image/");
}

const Translation* Asset::FindTranslation(std::string_view language) const {
  if (auto it = translations.find(std::string(language)); it != translations.end()) {
    return &it->second;
  }
  for (const auto& [tag, translation] : translations) {
    if (PrimarySubtag(tag) == language) return &translation;
  }
  return nullptr;
}

bool Asset::SameContent(const Asset& other) const {
  Asset a = *this;
  Asset b = other;
  a.modified_at.reset();
  b.modified_at.reset();
  return a == b;
}

}  // namespace assetpub::content
