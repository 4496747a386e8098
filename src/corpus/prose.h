#pragma once
// Prose writes the paragraphs of generated items in the register of a foreign ministry's press
// office. Each sentence is a template written in English and in Russian whose slots take a
// topic, country, organisation, place, month or figure from vocabulary.h, each Russian slot in
// the case its template needs. Both languages are written from the same draws, so a Russian
// paragraph says what the English one says. Some sentences name a cultural event or project
// after words of the system word lists drawn with a Zipf distribution (rank r ∝ 1/(r + 200);
// block-listed words never), which gives searches rare words as well as the common ones.
// Not thread-safe: one Prose per Generator.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/random.h"
#include "corpus/word_lists.h"

namespace assetpub::corpus {

// What an item's sentences may name: indexes into vocabulary.h's tables.
struct Subject {
  std::vector<size_t> topics;  // kTopics; never empty
  size_t place = 0;            // kPlaces: where the item was given
  size_t country = 0;          // kCountries: the partner's country, or one of the item's
  size_t partner = 0;          // kPeople: the other party of talks
  int year = 2006;             // the item's year
};

// Which sentences a paragraph is made of.
enum class Register {
  kTalks,     // after talks with the partner: "Today we held talks with …"
  kPolicy,    // a minister's own words: "We are convinced that …"
  kOfficial,  // a statement, comment or briefing: "Moscow is closely following …"
  kQuestion,  // a journalist's question about the focus topic; the last sentence asks
  kAnswer,    // the first paragraph of an answer: its first sentence names the focus topic
};

class Prose {
 public:
  // Keeps no reference to `words`: the rare words it uses are copied (filtered) once.
  explicit Prose(const WordLists& words);

  // Starts an item's text in one language from `seed`: the same seed and the same calls give
  // the other language's text from the same draws. Within an item a template is not used twice
  // while its list has unused ones.
  void Begin(uint64_t seed);

  // One paragraph of `sentences` (at least 1) sentences, each ending with '.' or '?'.
  // `focus` (an index into kTopics) is the topic a kQuestion asks about and a kAnswer names, and
  // with `lead` (the item's first paragraph) the topic the first sentence of a kPolicy or
  // kOfficial paragraph names; a kTalks lead names the partner.
  std::string Paragraph(const Subject& subject, bool english, Register register_, int sentences,
                        size_t focus, bool lead = false);

  // The first sentence of the last Paragraph().
  const std::string& FirstSentence() const { return first_sentence_; }

 private:
  struct Slots;
  void Sentence(std::string& out, const Subject& subject, bool english, int pool, int topic);
  Slots Draw(const Subject& subject, int topic);
  // The slots of cities, institutions, adjectives, adverbs and verbs: appends the value of
  // `name` to `out`, or returns false for a name it does not know.
  static bool Extended(std::string& out, std::string_view name, const Slots& s, bool english);

  std::vector<std::string> english_tail_;
  std::vector<std::string> russian_tail_;
  std::vector<double> english_cumulative_;
  std::vector<double> russian_cumulative_;
  Random random_{0};
  std::array<uint64_t, 10> used_{};  // per template list, a bit per template used in this item
  std::string first_sentence_;
};

// Upper-cases the first letter of `text`: ASCII, or Cyrillic а..я/ё in UTF-8.
void CapitaliseFirst(std::string& text);

}  // namespace assetpub::corpus
