#include "search/document.h"

#include <algorithm>
#include <set>

#include "content/instant.h"
#include "content/language.h"
#include "core/error.h"
#include "search/cjk.h"

namespace assetpub::search::internal {
namespace {

// Terms longer than this are dropped: Xapian refuses terms over ~245 bytes, and nobody filters
// by a 200-byte name.
constexpr size_t kMaxBooleanTermBytes = 200;
// Gaps between fields and paragraphs, so that a phrase never spans two of them.
constexpr Xapian::termpos kFieldGap = 100;
constexpr Xapian::termpos kParagraphGap = 10;

void PutVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void PutString(std::string& out, std::string_view value) {
  PutVarint(out, value.size());
  out.append(value);
}

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  uint64_t Varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (data_.empty()) Corrupt();
      const auto byte = static_cast<unsigned char>(data_.front());
      data_.remove_prefix(1);
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    Corrupt();
  }

  std::string_view View() {
    const uint64_t size = Varint();
    if (size > data_.size()) Corrupt();
    const std::string_view value = data_.substr(0, size);
    data_.remove_prefix(size);
    return value;
  }

  size_t Left() const { return data_.size(); }

 private:
  [[noreturn]] static void Corrupt() {
    throw Error(ErrorCode::kInternal, "search index: a document's stored data is corrupt");
  }

  std::string_view data_;
};

void AddBoolean(Xapian::Document& doc, std::string_view prefix, std::string_view value) {
  if (value.empty() || value.size() > kMaxBooleanTermBytes) return;
  std::string term(prefix);
  term.append(value);
  doc.add_boolean_term(term);
}

}  // namespace

std::string EncodeStored(const StoredTranslation& stored) {
  std::string out;
  out.push_back('\x01');  // format version
  PutVarint(out, static_cast<uint64_t>(stored.asset_id));
  PutString(out, stored.language);
  PutString(out, stored.title);
  PutString(out, stored.slug);
  PutString(out, stored.kind);
  PutVarint(out, static_cast<uint64_t>(stored.published_at));
  PutString(out, stored.time_zone);
  PutString(out, stored.place);
  PutString(out, stored.summary);
  PutVarint(out, stored.paragraphs.size());
  for (const StoredParagraph& paragraph : stored.paragraphs) {
    PutVarint(out, paragraph.number);
    PutVarint(out, paragraph.first);
    PutVarint(out, paragraph.last);
    PutString(out, paragraph.speaker);
    PutString(out, paragraph.text);
  }
  return out;
}

StoredTranslationView DecodeStoredView(std::string_view data) {
  if (data.empty() || data.front() != '\x01') {
    throw Error(ErrorCode::kInternal, "search index: unknown stored data format (reindex)");
  }
  Reader reader(data.substr(1));
  StoredTranslationView stored;
  stored.asset_id = static_cast<int64_t>(reader.Varint());
  stored.language = reader.View();
  stored.title = reader.View();
  stored.slug = reader.View();
  stored.kind = reader.View();
  stored.published_at = static_cast<int64_t>(reader.Varint());
  stored.time_zone = reader.View();
  stored.place = reader.View();
  stored.summary = reader.View();
  const uint64_t count = reader.Varint();
  // Each paragraph takes at least 5 bytes: a corrupt count must not reserve gigabytes.
  stored.paragraphs.reserve(std::min<uint64_t>(count, reader.Left() / 5));
  for (uint64_t i = 0; i < count; ++i) {
    StoredParagraphView& paragraph = stored.paragraphs.emplace_back();
    paragraph.number = static_cast<uint32_t>(reader.Varint());
    paragraph.first = static_cast<Xapian::termpos>(reader.Varint());
    paragraph.last = static_cast<Xapian::termpos>(reader.Varint());
    paragraph.speaker = reader.View();
    paragraph.text = reader.View();
  }
  return stored;
}

Xapian::Stem StemmerFor(std::string_view language) {
  const std::string key = LanguageKey(language);
  // An ISO 639 code (BCP 47's primary subtags are 2 or 3 letters), never one of Xapian's
  // stemmer names ("english", "porter", "none") that a tag of that shape could spell.
  if (key.size() < 2 || key.size() > 3) return Xapian::Stem();
  try {
    return Xapian::Stem(key);
  } catch (const Xapian::InvalidArgumentError&) {
    return Xapian::Stem();  // a language Xapian has no stemmer for: words as written
  }
}

std::string LanguageKey(std::string_view language) { return content::PrimarySubtag(language); }

std::string Lower(std::string_view text) { return Xapian::Unicode::tolower(std::string(text)); }

std::vector<std::string> NameWords(std::string_view name) {
  std::vector<std::string> words;
  ForEachWord(
      name, [](unsigned) {},
      [&](const std::string& word, bool) { words.push_back(Xapian::Unicode::tolower(word)); });
  return words;
}

bool IsSpellingWord(const std::string& term) {
  if (term.size() < 2 || term.size() > 32) return false;
  const unsigned char first = static_cast<unsigned char>(term.front());
  // CJK n-grams are not words to correct towards: a one- or two-character "word" would be
  // offered for any short query.
  return !(first >= 'A' && first <= 'Z') && !HasCjk(term);
}

std::vector<Xapian::Document> BuildDocuments(const content::Asset& asset) {
  std::vector<Xapian::Document> documents;
  const std::string asset_id = std::to_string(asset.id);
  const std::string kind(content::KindName(asset.kind));
  const std::string year = std::to_string(content::LocalYear(asset.published_at, asset.time_zone));
  const std::string date_value =
      Xapian::sortable_serialise(static_cast<double>(asset.published_at.seconds));
  std::string people_value;
  for (const std::string& person : asset.people) {
    if (!people_value.empty()) people_value.push_back(kPersonSeparator);
    people_value += person;
  }

  Xapian::TermGenerator generator;
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  generator.set_flags(kTermGeneratorFlags);
  for (const auto& [tag, translation] : asset.translations) {
    Xapian::Document doc;
    const std::string language_key = LanguageKey(tag);
    AddBoolean(doc, kIdTerm, asset_id + "-" + Lower(tag));
    AddBoolean(doc, kAssetTerm, asset_id);
    AddBoolean(doc, kLanguageTerm, Lower(tag));
    if (language_key != Lower(tag)) AddBoolean(doc, kLanguageTerm, language_key);
    AddBoolean(doc, kKindTerm, kind);
    AddBoolean(doc, kYearTerm, year);
    for (const std::string& person : asset.people) {
      AddBoolean(doc, kPersonTerm, Lower(person));
      // Each word of the name, so that person:Lavrov finds "Sergey Lavrov".
      for (const std::string& word : NameWords(person)) AddBoolean(doc, kPersonWordTerm, word);
    }
    for (const std::string& tag_name : asset.tags) AddBoolean(doc, kTagTerm, Lower(tag_name));

    doc.add_value(kDateSlot, date_value);
    std::string facets = kind;
    facets += kFacetSeparator;
    facets += year;
    facets += kFacetSeparator;
    facets += tag;
    facets += kFacetSeparator;
    facets += people_value;
    doc.add_value(kFacetSlot, facets);

    generator.set_stemmer(StemmerFor(tag));
    generator.set_document(doc);
    generator.set_termpos(0);
    generator.index_text(translation.title, kTitleWeight);
    generator.increase_termpos(kFieldGap);
    generator.index_text(translation.title, 1, std::string(kTitlePrefix));
    generator.increase_termpos(kFieldGap);
    generator.index_text(translation.place);
    generator.increase_termpos(kFieldGap);
    generator.index_text(translation.summary);
    // Speakers and people once each, not once per turn, so a long interview does not rank on
    // its interviewee's name alone.
    std::set<std::string> names(asset.people.begin(), asset.people.end());
    for (const content::Block& block : translation.blocks) {
      if (block.type == content::Block::Type::kTurn) names.insert(block.speaker);
    }
    for (const std::string& name : names) {
      generator.increase_termpos(kFieldGap);
      generator.index_text(name);
    }

    StoredTranslation stored;
    stored.asset_id = asset.id;
    stored.language = tag;
    stored.title = translation.title;
    stored.slug = translation.slug;
    stored.kind = kind;
    stored.published_at = asset.published_at.seconds;
    stored.time_zone = asset.time_zone;
    stored.place = translation.place;
    stored.summary = translation.summary;
    // Numbered exactly as render/renderer.cpp numbers the item page: paragraphs, quotes and
    // every turn's paragraphs, in document order, from p1. Headings and lists are indexed but
    // carry no anchor.
    uint32_t number = 0;
    const auto add_paragraph = [&](const std::string& text, const std::string& speaker) {
      generator.increase_termpos(kParagraphGap);
      StoredParagraph paragraph;
      paragraph.number = ++number;
      paragraph.first = generator.get_termpos() + 1;
      generator.index_text(text);
      paragraph.last = generator.get_termpos();
      paragraph.speaker = speaker;
      paragraph.text = text;
      stored.paragraphs.push_back(std::move(paragraph));
    };
    for (const content::Block& block : translation.blocks) {
      switch (block.type) {
        case content::Block::Type::kParagraph:
        case content::Block::Type::kQuote:
          add_paragraph(block.text, {});
          break;
        case content::Block::Type::kTurn:
          for (const std::string& text : block.paragraphs) add_paragraph(text, block.speaker);
          break;
        case content::Block::Type::kHeading:
          generator.increase_termpos(kParagraphGap);
          generator.index_text(block.text);
          break;
        case content::Block::Type::kList:
          for (const std::string& item : block.paragraphs) {
            generator.increase_termpos(kParagraphGap);
            generator.index_text(item);
          }
          break;
      }
    }
    doc.set_data(EncodeStored(stored));
    documents.push_back(std::move(doc));
  }
  return documents;
}

}  // namespace assetpub::search::internal
