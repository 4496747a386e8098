#include "web/admin/admin_body.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/text.h"

namespace assetpub::web {
namespace {

// The paragraphs of `text`: runs of non-blank lines, each line trimmed.
std::vector<std::vector<std::string>> Paragraphs(std::string_view text) {
  std::vector<std::vector<std::string>> paragraphs;
  std::vector<std::string> current;
  while (true) {
    const size_t end = text.find('\n');
    const std::string_view line = Trim(text.substr(0, end), " \t\r");
    if (line.empty()) {
      if (!current.empty()) paragraphs.push_back(std::move(current));
      current.clear();
    } else {
      current.emplace_back(line);
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  if (!current.empty()) paragraphs.push_back(std::move(current));
  return paragraphs;
}

std::string Join(const std::vector<std::string>& lines, size_t from) {
  std::string joined;
  for (size_t i = from; i < lines.size(); ++i) {
    if (!joined.empty()) joined += ' ';
    joined += lines[i];
  }
  return joined;
}

}  // namespace

std::vector<content::Block> ParseBodyText(std::string_view text) {
  std::vector<content::Block> blocks;
  bool in_turn = false;
  int number = 0;
  for (const std::vector<std::string>& lines : Paragraphs(text)) {
    ++number;
    const std::string& first = lines.front();
    if (first.starts_with("## ")) {
      content::Block block;
      block.type = content::Block::Type::kHeading;
      block.text = std::string(Trim(Join(lines, 0).substr(3), " \t\r"));
      blocks.push_back(std::move(block));
      in_turn = false;
    } else if (first.starts_with("> ")) {
      std::string quote;
      for (const std::string& line : lines) {
        const std::string_view part =
            Trim(std::string_view(line).substr(line.starts_with(">") ? 1 : 0), " \t\r");
        if (!quote.empty()) quote += ' ';
        quote += part;
      }
      content::Block block;
      block.type = content::Block::Type::kQuote;
      block.text = std::move(quote);
      blocks.push_back(std::move(block));
      in_turn = false;
    } else if (first.starts_with("- ")) {
      content::Block block;
      block.type = content::Block::Type::kList;
      for (const std::string& line : lines) {
        if (line.starts_with("- ")) {
          block.paragraphs.emplace_back(Trim(std::string_view(line).substr(2), " \t\r"));
        } else if (!block.paragraphs.empty()) {
          block.paragraphs.back() += ' ' + line;
        }
      }
      blocks.push_back(std::move(block));
      in_turn = false;
    } else if (first.starts_with('[') && first.ends_with(']') &&
               first.find(':') != std::string::npos) {
      const std::string_view inside = std::string_view(first).substr(1, first.size() - 2);
      const size_t colon = inside.find(':');
      const std::string_view role_name = Trim(inside.substr(0, colon), " \t\r");
      std::string_view speaker = Trim(inside.substr(colon + 1), " \t\r");
      std::string_view note;
      if (const size_t bar = speaker.find('|'); bar != std::string_view::npos) {
        note = Trim(speaker.substr(bar + 1), " \t\r");
        speaker = Trim(speaker.substr(0, bar), " \t\r");
      }
      const std::optional<content::TurnRole> role = content::ParseTurnRole(role_name);
      if (!role || speaker.empty()) {
        throw Error(ErrorCode::kInvalidInput,
                    fmt::format("body, paragraph {}: a turn starts with [question: Speaker] or "
                                "[answer: Speaker], not {}",
                                number, first));
      }
      std::vector<std::string> paragraphs;
      if (lines.size() > 1) paragraphs.push_back(Join(lines, 1));
      blocks.push_back(content::Block::Turn(*role, std::string(speaker), std::move(paragraphs),
                                            std::string(note)));
      in_turn = true;
    } else if (in_turn) {
      blocks.back().paragraphs.push_back(Join(lines, 0));
    } else {
      blocks.push_back(content::Block::Paragraph(Join(lines, 0)));
    }
  }
  return blocks;
}

std::string BodyText(const std::vector<content::Block>& blocks) {
  std::string text;
  const auto add = [&](const std::string& paragraph) {
    if (!text.empty()) text += "\n\n";
    text += paragraph;
  };
  for (const content::Block& block : blocks) {
    switch (block.type) {
      case content::Block::Type::kParagraph:
        add(block.text);
        break;
      case content::Block::Type::kHeading:
        add("## " + block.text);
        break;
      case content::Block::Type::kQuote:
        add("> " + block.text);
        break;
      case content::Block::Type::kList: {
        std::string list;
        for (const std::string& item : block.paragraphs) {
          if (!list.empty()) list += '\n';
          list += "- " + item;
        }
        add(list);
        break;
      }
      case content::Block::Type::kTurn: {
        std::string marker =
            fmt::format("[{}: {}", content::TurnRoleName(block.role), block.speaker);
        if (!block.note.empty()) marker += " | " + block.note;
        marker += ']';
        if (block.paragraphs.empty()) {
          add(marker);
        } else {
          add(marker + '\n' + block.paragraphs.front());
          for (size_t i = 1; i < block.paragraphs.size(); ++i) add(block.paragraphs[i]);
        }
        break;
      }
    }
  }
  return text;
}

}  // namespace assetpub::web
