#include "corpus/word_count.h"

namespace assetpub::corpus {

std::string LowerCase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (c == 0xD0 && next >= 0x90 && next <= 0x9F) {  // А..П -> а..п
      out += '\xD0';
      out += static_cast<char>(next + 0x20);
      ++i;
    } else if (c == 0xD0 && next >= 0xA0 && next <= 0xAF) {  // Р..Я -> р..я
      out += '\xD1';
      out += static_cast<char>(next - 0x20);
      ++i;
    } else if (c == 0xD0 && next == 0x81) {  // Ё -> ё
      out += "\xD1\x91";
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::vector<std::string> LowerCaseWords(std::string_view text) {
  const std::string lower = LowerCase(text);
  std::vector<std::string> words;
  std::string word;
  for (size_t i = 0; i < lower.size(); ++i) {
    const auto c = static_cast<unsigned char>(lower[i]);
    if ((c >= 'a' && c <= 'z') || c == '\'') {
      word += static_cast<char>(c);
    } else if ((c == 0xD0 || c == 0xD1) && i + 1 < lower.size()) {
      word += lower.substr(i, 2);
      ++i;
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

void WordCount::Add(const content::Asset& asset) {
  for (const auto& [language, t] : asset.translations) {
    auto& counts = counts_[language];
    auto add = [&](std::string_view text) {
      for (std::string& word : LowerCaseWords(text)) ++counts[std::move(word)];
    };
    add(t.title);
    add(t.summary);
    add(t.place);
    for (const content::Block& block : t.blocks) {
      add(block.text);
      add(block.speaker);
      for (const std::string& paragraph : block.paragraphs) add(paragraph);
    }
  }
}

std::map<std::string, WordCount::Figures> WordCount::Totals() const {
  std::map<std::string, Figures> totals;
  std::unordered_map<std::string, int64_t> all;
  for (const auto& [language, counts] : counts_) {
    Figures& f = totals[language];
    for (const auto& [word, n] : counts) {
      f.words += n;
      ++f.distinct;
      f.once += n == 1 ? 1 : 0;
      all[word] += n;
    }
  }
  Figures& f = totals["all"];
  for (const auto& [word, n] : all) {
    f.words += n;
    ++f.distinct;
    f.once += n == 1 ? 1 : 0;
  }
  return totals;
}

}  // namespace assetpub::corpus
