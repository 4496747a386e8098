#include "authoring/revision_diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <dtl/dtl.hpp>
#include <set>
#include <utility>

// The only file that includes dtl (libdtl-dev, header-only): its types stay out of every header.

namespace assetpub::authoring {
namespace {

using content::Asset;
using content::Block;
using content::Translation;

// Collapses the equal lines of `lines` that are further than `context` from any change.
std::vector<DiffLine> Collapse(std::vector<DiffLine> lines, size_t context) {
  const size_t n = lines.size();
  std::vector<bool> keep(n, false);
  for (size_t i = 0; i < n; ++i) {
    if (lines[i].op == DiffOp::kEqual) continue;
    const size_t from = i >= context ? i - context : 0;
    const size_t to = std::min(n, i + context + 1);
    for (size_t k = from; k < to; ++k) keep[k] = true;
  }
  std::vector<DiffLine> out;
  size_t i = 0;
  while (i < n) {
    if (keep[i] || lines[i].op != DiffOp::kEqual) {
      out.push_back(std::move(lines[i]));
      ++i;
      continue;
    }
    size_t end = i;
    while (end < n && !keep[end] && lines[end].op == DiffOp::kEqual) ++end;
    if (end - i >= 2) {
      out.push_back(DiffLine{DiffOp::kEqual, "", end - i});
    } else {
      for (size_t k = i; k < end; ++k) out.push_back(std::move(lines[k]));
    }
    i = end;
  }
  return out;
}

FieldDiff Field(std::string name, const std::vector<std::string>& from,
                const std::vector<std::string>& to, size_t context) {
  FieldDiff field;
  field.field = std::move(name);
  field.lines = DiffLines(from, to, context);
  field.changed = std::any_of(field.lines.begin(), field.lines.end(),
                              [](const DiffLine& l) { return l.op != DiffOp::kEqual; });
  return field;
}

// A one-line value; an empty one is no line at all (so that adding it is one insert).
std::vector<std::string> One(std::string value) {
  if (value.empty()) return {};
  return {std::move(value)};
}

std::vector<std::string> CategoryLines(const Asset& asset) {
  std::vector<std::string> lines;
  for (const auto& [vocabulary, terms] : asset.categories) {
    for (const std::string& term : terms) lines.push_back(fmt::format("{}: {}", vocabulary, term));
  }
  return lines;
}

std::vector<std::string> RelatedLines(const Asset& asset) {
  std::vector<std::string> lines;
  for (const content::Related& r : asset.related) {
    if (r.id != 0) {
      lines.push_back(r.title.empty() ? fmt::format("#{}", r.id)
                                      : fmt::format("#{} {}", r.id, r.title));
    } else {
      lines.push_back(r.title);
    }
  }
  return lines;
}

std::string Time(const Asset& asset, content::Instant at) {
  return content::ToIso8601(at, asset.time_zone);
}

std::vector<std::vector<std::string>> MetadataValues(const Asset& a) {
  return {
      One(std::string(content::KindName(a.kind))),
      One(std::string(content::StatusName(a.status))),
      One(Time(a, a.published_at)),
      One(a.time_zone),
      One(a.expires_at ? Time(a, *a.expires_at) : std::string()),
      One(std::to_string(a.priority)),
      a.languages,
      a.people,
      a.tags,
      CategoryLines(a),
      RelatedLines(a),
  };
}

constexpr const char* kMetadataFields[] = {
    "kind",      "status", "published_at", "time_zone",  "expires_at", "priority",
    "languages", "people", "tags",         "categories", "related",
};

std::vector<std::vector<std::string>> TranslationValues(const Translation* t) {
  if (t == nullptr) return {{}, {}, {}, {}, {}};
  return {One(t->title), One(t->place), One(t->summary), One(t->slug), BodyLines(t->blocks)};
}

constexpr const char* kTranslationFields[] = {"title", "place", "summary", "slug", "body"};

}  // namespace

const char* DiffOpName(DiffOp op) {
  switch (op) {
    case DiffOp::kEqual:
      return "equal";
    case DiffOp::kInsert:
      return "insert";
    case DiffOp::kDelete:
      return "delete";
  }
  return "equal";
}

bool AssetDiff::changed() const {
  for (const FieldDiff& f : metadata) {
    if (f.changed) return true;
  }
  for (const TranslationDiff& t : translations) {
    if (t.state != "unchanged") return true;
  }
  return false;
}

std::vector<DiffLine> DiffLines(const std::vector<std::string>& from,
                                const std::vector<std::string>& to, size_t context) {
  std::vector<DiffLine> lines;
  if (from.empty() || to.empty()) {
    // dtl handles these too; this is the common case of an added or removed field.
    for (const std::string& line : from) lines.push_back({DiffOp::kDelete, line, 0});
    for (const std::string& line : to) lines.push_back({DiffOp::kInsert, line, 0});
    return lines;
  }
  dtl::Diff<std::string, std::vector<std::string>> diff(from, to, /*deletesFirst=*/true);
  diff.compose();
  for (const auto& [text, info] : diff.getSes().getSequence()) {
    switch (info.type) {
      case dtl::SES_ADD:
        lines.push_back({DiffOp::kInsert, text, 0});
        break;
      case dtl::SES_DELETE:
        lines.push_back({DiffOp::kDelete, text, 0});
        break;
      default:
        lines.push_back({DiffOp::kEqual, text, 0});
        break;
    }
  }
  // Within a run of changes, show what went before what came: deletes first.
  for (size_t i = 0; i < lines.size();) {
    if (lines[i].op == DiffOp::kEqual) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < lines.size() && lines[end].op != DiffOp::kEqual) ++end;
    std::stable_partition(lines.begin() + static_cast<std::ptrdiff_t>(i),
                          lines.begin() + static_cast<std::ptrdiff_t>(end),
                          [](const DiffLine& l) { return l.op == DiffOp::kDelete; });
    i = end;
  }
  return Collapse(std::move(lines), context);
}

std::vector<std::string> BodyLines(const std::vector<Block>& blocks) {
  std::vector<std::string> lines;
  for (const Block& block : blocks) {
    switch (block.type) {
      case Block::Type::kParagraph:
        lines.push_back(block.text);
        break;
      case Block::Type::kHeading:
        lines.push_back("## " + block.text);
        break;
      case Block::Type::kQuote:
        lines.push_back("> " + block.text);
        break;
      case Block::Type::kList:
        for (const std::string& item : block.paragraphs) lines.push_back("- " + item);
        break;
      case Block::Type::kTurn: {
        std::string speaker = block.speaker;
        if (!block.note.empty()) speaker += fmt::format(" ({})", block.note);
        lines.push_back(fmt::format("[{}: {}]", content::TurnRoleName(block.role), speaker));
        for (const std::string& paragraph : block.paragraphs) lines.push_back(paragraph);
        break;
      }
    }
  }
  return lines;
}

AssetDiff DiffAssets(const Asset& from, const Asset& to, size_t context) {
  AssetDiff diff;
  const auto before = MetadataValues(from);
  const auto after = MetadataValues(to);
  for (size_t i = 0; i < before.size(); ++i) {
    diff.metadata.push_back(Field(kMetadataFields[i], before[i], after[i], context));
  }
  std::set<std::string> languages;
  for (const auto& entry : from.translations) languages.insert(entry.first);
  for (const auto& entry : to.translations) languages.insert(entry.first);
  for (const std::string& language : languages) {
    const auto a = from.translations.find(language);
    const auto b = to.translations.find(language);
    const Translation* old_t = a == from.translations.end() ? nullptr : &a->second;
    const Translation* new_t = b == to.translations.end() ? nullptr : &b->second;
    TranslationDiff t;
    t.language = language;
    const auto old_values = TranslationValues(old_t);
    const auto new_values = TranslationValues(new_t);
    bool changed = false;
    for (size_t i = 0; i < old_values.size(); ++i) {
      t.fields.push_back(Field(kTranslationFields[i], old_values[i], new_values[i], context));
      changed |= t.fields.back().changed;
    }
    if (old_t == nullptr) {
      t.state = "added";
    } else if (new_t == nullptr) {
      t.state = "removed";
    } else {
      t.state = changed ? "changed" : "unchanged";
    }
    diff.translations.push_back(std::move(t));
  }
  return diff;
}

}  // namespace assetpub::authoring
