// Renderer::ComparePage: two language versions of an asset side by side, row by row.

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "content/instant.h"
#include "content/language.h"
#include "core/error.h"
#include "render/paths.h"
#include "render/plural.h"
#include "render/renderer.h"
#include "render/renderer_impl.h"

namespace assetpub::render {

using internal::CompareLinks;
using internal::Data;
using internal::Head;
using internal::List;
using internal::Maybe;
using internal::Object;
using internal::SetLanguage;

namespace {

// One side of a row of the side-by-side view: a block, part of a turn, or nothing.
Data CompareCell(const std::string& tag, const content::Block* block, bool show_speaker,
                 const std::vector<std::string>& paragraphs) {
  Data cell = Object();
  SetLanguage(cell, tag);
  cell.set("speaker", false);
  cell.set("note", false);
  cell.set("heading", false);
  cell.set("has_list", false);
  Data texts = List();
  if (block != nullptr) {
    switch (block->type) {
      case content::Block::Type::kParagraph:
      case content::Block::Type::kQuote:
        texts.push_back(Data("text", block->text));
        break;
      case content::Block::Type::kHeading:
        cell.set("heading", block->text);
        break;
      case content::Block::Type::kTurn:
        if (show_speaker) {
          cell.set("speaker", block->speaker);
          cell.set("note", Maybe(block->note));
        }
        for (const std::string& text : paragraphs) texts.push_back(Data("text", text));
        break;
      case content::Block::Type::kList: {
        Data items = List();
        for (const std::string& text : block->paragraphs) items.push_back(Data("text", text));
        cell.set("has_list", true);
        cell.set("list_items", items);
        break;
      }
    }
  }
  cell.set("paragraphs", texts);
  return cell;
}

}  // namespace

std::string Renderer::ComparePage(const content::Asset& asset, std::string_view language,
                                  std::string_view other) const {
  const content::Translation* left = TranslationFor(asset, language);
  const content::Translation* right = TranslationFor(asset, other);
  if (left == nullptr || right == nullptr || left == right ||
      content::PrimarySubtag(language) == content::PrimarySubtag(other)) {
    throw Error(ErrorCode::kNotFound, fmt::format("asset {} has no {} and {} versions to compare",
                                                  asset.id, language, other));
  }
  const LocaleStrings& strings = impl_->StringsFor(language);
  const std::optional<std::string> other_site = impl_->FindLanguage(content::PrimarySubtag(other));
  const std::string item_path = ItemPath(asset.id, language, left->slug);

  Data page = Object();
  page.set("title", left->title);
  page.set("kind", strings.Text(fmt::format("kind.{}", content::KindName(asset.kind))));
  page.set("kind_name", std::string(content::KindName(asset.kind)));
  page.set("datetime", content::ToIso8601(asset.published_at, asset.time_zone));
  page.set("date", content::FormatDateTime(asset.published_at, asset.time_zone, language));
  page.set("item_href", item_path);
  const auto side = [&](const content::Translation& translation, std::string_view site_tag) {
    Data data = Object();
    SetLanguage(data, translation.language);
    data.set("title", translation.title);
    data.set("href", ItemPath(asset.id, site_tag, translation.slug));
    return data;
  };
  page.set("left", side(*left, language));
  page.set("right", side(*right, other_site.value_or(std::string(other))));
  page.set("others",
           CompareLinks(impl_->languages, asset, item_path,
                        {content::PrimarySubtag(language), content::PrimarySubtag(other)}));

  // Blocks pair by position; two turns in one position pair paragraph by paragraph.
  Data rows = List();
  int row_number = 0;
  const auto add_row = [&](Data left_cell, Data right_cell, const std::string& turn_class) {
    Data row = Object();
    row.set("n", std::to_string(++row_number));  // in the row's id: ASCII
    row.set("label", FormatDigits(row_number, language));
    row.set("turn_class", Maybe(turn_class));
    Data cells = List();
    cells.push_back(left_cell);
    cells.push_back(right_cell);
    row.set("cells", cells);
    rows.push_back(row);
  };
  static const std::vector<std::string> kNone;
  const size_t block_count = std::max(left->blocks.size(), right->blocks.size());
  for (size_t i = 0; i < block_count; ++i) {
    const content::Block* a = i < left->blocks.size() ? &left->blocks[i] : nullptr;
    const content::Block* b = i < right->blocks.size() ? &right->blocks[i] : nullptr;
    const auto is_turn = [](const content::Block* block) {
      return block != nullptr && block->type == content::Block::Type::kTurn;
    };
    const content::Block* turn = is_turn(a) ? a : is_turn(b) ? b : nullptr;
    const std::string turn_class =
        turn ? fmt::format("compare-turn turn-{}", content::TurnRoleName(turn->role)) : "";
    if (is_turn(a) && is_turn(b)) {
      const size_t count = std::max<size_t>({a->paragraphs.size(), b->paragraphs.size(), 1});
      for (size_t j = 0; j < count; ++j) {
        const auto part = [&](const content::Block& block) {
          return j < block.paragraphs.size() ? std::vector<std::string>{block.paragraphs[j]}
                                             : std::vector<std::string>{};
        };
        add_row(CompareCell(left->language, a, j == 0, part(*a)),
                CompareCell(right->language, b, j == 0, part(*b)), turn_class);
      }
      continue;
    }
    add_row(CompareCell(left->language, a, true, a ? a->paragraphs : kNone),
            CompareCell(right->language, b, true, b ? b->paragraphs : kNone), turn_class);
  }
  page.set("rows", rows);

  Head head;
  head.title =
      fmt::format("{}{}{} — {}", strings.Text("compare.title"), strings.Text("site.label_colon"),
                  left->title, impl_->SiteName(language));
  head.noindex = true;  // a view of the item pages, which are the ones to index
  for (const std::string& tag : impl_->languages) {
    const content::Translation* version = TranslationFor(asset, tag);
    if (version == nullptr) continue;
    // The same comparison from the other side: that language on the left.
    const std::string counterpart =
        tag == language
            ? std::string(other)
            : (content::PrimarySubtag(tag) == content::PrimarySubtag(other) ? std::string(language)
                                                                            : std::string(other));
    head.language_paths[tag] = fmt::format("{}?compare={}", ItemPath(asset.id, tag, version->slug),
                                           content::PrimarySubtag(counterpart));
  }
  return impl_->Layout(language, head, impl_->Render("compare", page, language));
}

}  // namespace assetpub::render
