#pragma once
// The content model (DESIGN.md §2): an Asset is one published item whatever its languages; each
// language version is a Translation; a body is a sequence of Blocks. Plain values: copy freely,
// no thread-safety concerns beyond those of std containers.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "content/instant.h"

namespace assetpub::content {

enum class Kind {
  kTranscript,
  kSpeech,
  kInterview,
  kStatement,
  kComment,
  kArticle,
  kPressRelease,
  kPhoto,
  kVideo,
  kDocument,
};
enum class Status { kDraft, kScheduled, kPublished, kExpired, kArchived };
enum class TurnRole { kQuestion, kAnswer };

// Wire names ("transcript", "press_release", "published", "question"…) and their inverses;
// the parsers return nullopt for a name the model does not have.
std::string_view KindName(Kind kind);
std::optional<Kind> ParseKind(std::string_view name);
const std::vector<Kind>& AllKinds();
std::string_view StatusName(Status status);
std::optional<Status> ParseStatus(std::string_view name);
std::string_view TurnRoleName(TurnRole role);
std::optional<TurnRole> ParseTurnRole(std::string_view name);

struct Block {
  enum class Type { kParagraph, kTurn, kHeading, kQuote, kList };
  Type type = Type::kParagraph;
  std::string text;                     // paragraph, heading, quote
  TurnRole role = TurnRole::kQuestion;  // turn
  std::string speaker;                  // turn: "Question", "Sergey Lavrov", …
  std::string note;                     // turn: a qualifier such as "translated from Norwegian"
  std::vector<std::string> paragraphs;  // turn: its paragraphs; list: its items

  static Block Paragraph(std::string text);
  static Block Turn(TurnRole role, std::string speaker, std::vector<std::string> paragraphs,
                    std::string note = {});
  bool operator==(const Block&) const = default;
};
std::string_view BlockTypeName(Block::Type type);
std::optional<Block::Type> ParseBlockType(std::string_view name);

// An "Additional materials" entry: another asset (id != 0), or a title not yet matched to one.
struct Related {
  int64_t id = 0;
  std::string title;
  bool operator==(const Related&) const = default;
};

// A file attached to an asset (DESIGN.md §2, `media`): one of the media library's files, named by
// its content. `hash` is the SHA-256 of the bytes in lower-case hex (64 characters) and, with the
// type's extension, the file's only name on disk; `name` is what the uploader called it, for
// display only (never a path). width and height are the pixel size of images, 0 otherwise.
struct MediaFile {
  std::string hash;
  std::string type;  // a MIME type on the allow-list (MediaTypes())
  std::string name;
  int64_t bytes = 0;
  int width = 0;
  int height = 0;
  std::string caption;  // optional, untrusted text like every other field
  bool operator==(const MediaFile&) const = default;
};

// The MIME types the media library accepts (images, PDF, audio, video; never SVG or HTML, which
// a browser would run), each with its file extensions, the first being the one files are stored
// under: image/jpeg {jpg, jpeg}, image/png {png}, …
struct MediaType {
  std::string_view type;
  std::vector<std::string_view> extensions;
};
const std::vector<MediaType>& MediaTypes();
// The entry for `type` (exactly as listed), or nullptr when it is not on the allow-list.
const MediaType* FindMediaType(std::string_view type);
// True for image types (those that get a thumbnail).
bool IsImageType(std::string_view type);

struct Translation {
  std::string language;  // BCP 47, canonical form ("en-GB")
  std::string title;
  std::string slug;
  std::string place;
  std::string summary;
  std::vector<Block> blocks;
  std::string source;  // where it was imported from (a file name), empty when written here
  bool operator==(const Translation&) const = default;
};

struct Asset {
  int64_t id = 0;  // 0 until the store assigns one
  Kind kind = Kind::kArticle;
  Status status = Status::kPublished;
  Instant published_at;
  std::string time_zone = "Europe/Moscow";
  std::optional<Instant> modified_at;
  std::optional<Instant> expires_at;
  int priority = 0;
  std::vector<std::string> languages;  // declared versions, including ones not imported yet
  std::vector<std::string> people;
  std::vector<std::string> tags;
  std::map<std::string, std::vector<std::string>> categories;  // vocabulary -> terms
  std::vector<Related> related;
  std::vector<MediaFile> media;                     // attached files, in the order shown
  std::map<std::string, Translation> translations;  // keyed by language tag

  bool operator==(const Asset&) const = default;

  // The translation for `language` (a full tag or a primary subtag such as "ru"), or nullptr.
  const Translation* FindTranslation(std::string_view language) const;
  // True when everything but modified_at is equal: what "unchanged" means on re-import.
  bool SameContent(const Asset& other) const;
};

}  // namespace assetpub::content
