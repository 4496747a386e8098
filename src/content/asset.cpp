#include "content/asset.h"

#include <utility>

#include "content/language.h"
#include "core/enum_names.h"

namespace assetpub::content {
namespace {

// What *Name() returns for a value no table lists (a cast integer).
constexpr std::string_view kUnknown = "?";

constexpr EnumName<Kind> kKinds[] = {
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
};
constexpr EnumName<Status> kStatuses[] = {
    {Status::kDraft, "draft"},         {Status::kScheduled, "scheduled"},
    {Status::kPublished, "published"}, {Status::kExpired, "expired"},
    {Status::kArchived, "archived"},
};
constexpr EnumName<TurnRole> kRoles[] = {
    {TurnRole::kQuestion, "question"},
    {TurnRole::kAnswer, "answer"},
};
constexpr EnumName<Block::Type> kBlockTypes[] = {
    {Block::Type::kParagraph, "paragraph"}, {Block::Type::kTurn, "turn"},
    {Block::Type::kHeading, "heading"},     {Block::Type::kQuote, "quote"},
    {Block::Type::kList, "list"},
};

}  // namespace

std::string_view KindName(Kind kind) { return EnumNameOf(kKinds, kind, kUnknown); }
std::optional<Kind> ParseKind(std::string_view name) { return EnumValueOf(kKinds, name); }
const std::vector<Kind>& AllKinds() {
  static const std::vector<Kind> kinds = [] {
    std::vector<Kind> all;
    for (const auto& entry : kKinds) all.push_back(entry.first);
    return all;
  }();
  return kinds;
}
std::string_view StatusName(Status status) { return EnumNameOf(kStatuses, status, kUnknown); }
std::optional<Status> ParseStatus(std::string_view name) { return EnumValueOf(kStatuses, name); }
std::string_view TurnRoleName(TurnRole role) { return EnumNameOf(kRoles, role, kUnknown); }
std::optional<TurnRole> ParseTurnRole(std::string_view name) { return EnumValueOf(kRoles, name); }
std::string_view BlockTypeName(Block::Type type) { return EnumNameOf(kBlockTypes, type, kUnknown); }
std::optional<Block::Type> ParseBlockType(std::string_view name) {
  return EnumValueOf(kBlockTypes, name);
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
