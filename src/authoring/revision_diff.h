#pragma once
// A readable diff between two versions of an asset (two revisions of its history): the metadata
// fields (kind, status, times, people, tags, categories, related, languages) and, per
// translation, its title, place, summary, slug and body, each as a list of lines marked equal,
// insert or delete. A body is compared as paragraph-level lines in the admin body format
// ("[answer: Sergey Lavrov]" for a turn's speaker, then its paragraphs; "## " a heading, "> " a
// quote, "- " a list item), so that a changed paragraph is one delete and one insert.
//
// Long runs of equal lines far from any change are collapsed into one entry with a count, like
// a unified diff's context. Plain values and pure functions: thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "content/asset.h"

namespace assetpub::authoring {

enum class DiffOp { kEqual, kInsert, kDelete };
// "equal", "insert", "delete".
const char* DiffOpName(DiffOp op);

struct DiffLine {
  DiffOp op = DiffOp::kEqual;
  std::string text;
  // > 0: this entry stands for `collapsed` equal lines not shown (op is kEqual, text empty).
  size_t collapsed = 0;
  bool operator==(const DiffLine&) const = default;
};

// One field of the asset or of a translation ("title", "body", "tags", …).
struct FieldDiff {
  std::string field;
  std::vector<DiffLine> lines;
  bool changed = false;  // some line is an insert or a delete
};

struct TranslationDiff {
  std::string language;  // the translation's tag
  // "changed", "unchanged", "added" (only in `to`: every line an insert) or "removed" (only in
  // `from`: every line a delete).
  std::string state;
  std::vector<FieldDiff> fields;  // title, place, summary, slug, body: always all five
};

struct AssetDiff {
  std::vector<FieldDiff> metadata;            // always every metadata field, in a fixed order
  std::vector<TranslationDiff> translations;  // the union of both sides' languages, by tag
  bool changed() const;
};

// Equal lines kept on each side of a change by default.
inline constexpr size_t kDiffContext = 3;

// The line diff of `from` → `to` (a shortest edit script; in a changed run, deletes come before
// inserts). Equal lines further than `context` lines from any change are collapsed, a run of
// them into one entry, when that hides at least two lines.
std::vector<DiffLine> DiffLines(const std::vector<std::string>& from,
                                const std::vector<std::string>& to, size_t context = kDiffContext);

// The body of a translation as the lines DiffAssets compares.
std::vector<std::string> BodyLines(const std::vector<content::Block>& blocks);

// The diff of two versions of one asset (ids are not compared; modified_at is not either: every
// save changes it).
AssetDiff DiffAssets(const content::Asset& from, const content::Asset& to,
                     size_t context = kDiffContext);

}  // namespace assetpub::authoring
