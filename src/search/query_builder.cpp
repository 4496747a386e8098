#include "search/query_builder.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>

#include "content/asset.h"
#include "content/validate.h"
#include "core/error.h"
#include "search/cjk.h"
#include "search/document.h"

namespace assetpub::search::internal {
namespace {

constexpr size_t kMaxFieldBytes = 1000;
constexpr int64_t kMaxPage = 1000;
constexpr int64_t kMaxPageSize = 100;

[[noreturn]] void Invalid(const std::string& message) {
  throw Error(ErrorCode::kInvalidInput, message);
}

void CheckText(std::string_view field, std::string_view value) {
  if (value.size() > kMaxFieldBytes) {
    Invalid("The search field \"" + std::string(field) + "\" is too long (at most " +
            std::to_string(kMaxFieldBytes) + " bytes).");
  }
  if (!content::IsValidUtf8(value)) {
    Invalid("The search field \"" + std::string(field) + "\" is not valid UTF-8 text.");
  }
  for (Xapian::Utf8Iterator it(value.data(), value.size()), end; it != end; ++it) {
    const unsigned code = *it;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
      Invalid("The search field \"" + std::string(field) + "\" contains a control character.");
    }
  }
}

void CheckBalanced(std::string_view text) {
  if (std::count(text.begin(), text.end(), '"') % 2 != 0) {
    Invalid("The query has an unbalanced quotation mark (\"): close the phrase or remove it.");
  }
  int depth = 0;
  bool in_phrase = false;
  for (const char c : text) {
    if (c == '"') in_phrase = !in_phrase;
    if (in_phrase) continue;
    if (c == '(') ++depth;
    if (c == ')' && --depth < 0) break;
  }
  if (depth != 0) Invalid("The query has unbalanced parentheses: each ( needs a ).");
}

bool IsLanguageTagShape(std::string_view tag) {
  // Shape only (letters, digits, hyphens; a 2-8 letter first subtag): the L term does the rest.
  const size_t first_end = std::min(tag.find('-'), tag.size());
  if (first_end < 2 || first_end > 8 || tag.size() > 35 || tag.back() == '-') return false;
  for (size_t i = 0; i < tag.size(); ++i) {
    const auto c = static_cast<unsigned char>(tag[i]);
    if (i < first_end ? !std::isalpha(c) : !(std::isalnum(c) || c == '-')) return false;
  }
  return tag.find("--") == std::string_view::npos;
}

std::string Term(std::string_view prefix, std::string_view value) {
  std::string term(prefix);
  term.append(value);
  return term;
}

// person:Lavrov, person:"Sergey Lavrov": the whole name, or every word of it, in any case.
class PersonProcessor : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& value) override {
    std::vector<Xapian::Query> words;
    for (const std::string& word : NameWords(value)) {
      words.emplace_back(Term(kPersonWordTerm, word));
    }
    if (words.empty()) return Xapian::Query::MatchNothing;
    return Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(Term(kPersonTerm, Lower(value))),
                         Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end()));
  }
};

// tag:, kind:, lang:: one boolean term, matched in any case.
class LowerProcessor : public Xapian::FieldProcessor {
 public:
  explicit LowerProcessor(std::string_view prefix) : prefix_(prefix) {}
  Xapian::Query operator()(const std::string& value) override {
    return Xapian::Query(Term(prefix_, Lower(value)));
  }

 private:
  std::string prefix_;
};

// Xapian's parser leaves a capitalised word unstemmed (taking it for a name), but names inflect
// in Russian (Сирия, Сирии) and people capitalise the first word they type. So the words of the
// box are lower-cased first, except the operators (AND, OR, NOT, XOR, NEAR, ADJ), field names
// (the word before a ':') and quoted phrases, which stay exactly as typed.
std::string LowerWords(std::string_view text) {
  static const std::set<std::string, std::less<>> kOperators = {"AND", "OR",   "NOT",
                                                                "XOR", "NEAR", "ADJ"};
  std::string out;
  out.reserve(text.size());
  bool in_phrase = false;
  ForEachWord(
      text,
      [&](unsigned c) {
        if (c == '"') in_phrase = !in_phrase;
        Xapian::Unicode::append_utf8(out, c);
      },
      [&](const std::string& word, bool field_name) {
        if (in_phrase || field_name || kOperators.count(word) != 0) {
          out += word;
        } else {
          out += Xapian::Unicode::tolower(word);
        }
      });
  return out;
}

// Xapian reads a box made only of exclusions ("-minsk") as the word itself; the user means
// everything but. So "-a -b" becomes "NOT a NOT b" (FLAG_PURE_NOT makes that match all but).
std::string ExclusionsAsNot(const std::string& text) {
  std::vector<std::string> tokens;
  std::string token;
  bool in_phrase = false;
  for (const char c : text) {
    if (c == '"') in_phrase = !in_phrase;
    if (c == ' ' && !in_phrase) {
      if (!token.empty()) tokens.push_back(std::move(token));
      token.clear();
    } else {
      token += c;
    }
  }
  if (!token.empty()) tokens.push_back(std::move(token));
  if (tokens.empty()) return text;
  std::string rewritten;
  for (const std::string& word : tokens) {
    if (word.size() < 2 || word.front() != '-') return text;  // something positive: as typed
    rewritten += (rewritten.empty() ? "NOT " : " NOT ") + word.substr(1);
  }
  return rewritten;
}

Xapian::QueryParser BoxParser(const Xapian::Stem& stemmer) {
  Xapian::QueryParser parser;
  parser.set_stemmer(stemmer);
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_default_op(Xapian::Query::OP_AND);
  parser.add_prefix("title", std::string(kTitlePrefix));
  parser.add_boolean_prefix("person", (new PersonProcessor)->release());
  parser.add_boolean_prefix("tag", (new LowerProcessor(kTagTerm))->release());
  parser.add_boolean_prefix("kind", (new LowerProcessor(kKindTerm))->release());
  parser.add_boolean_prefix("lang", (new LowerProcessor(kLanguageTerm))->release());
  parser.add_boolean_prefix("language", (new LowerProcessor(kLanguageTerm))->release());
  parser.add_boolean_prefix("year", std::string(kYearTerm));
  return parser;
}

constexpr unsigned kBoxFlags =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_PURE_NOT | kQueryParserFlags;

Xapian::Query Parse(Xapian::QueryParser& parser, const std::string& text, unsigned flags) {
  try {
    return parser.parse_query(text, flags | kQueryParserFlags);
  } catch (const Xapian::QueryParserError& e) {
    Invalid("The query could not be understood (" + e.get_msg() +
            "): check the quotation marks, brackets and operators.");
  }
}

// The Advanced fields are words only: no operators, no prefixes.
Xapian::Query ParseWords(const Xapian::Stem& stemmer, const std::string& text,
                         Xapian::Query::op default_op, unsigned flags = 0) {
  Xapian::QueryParser parser;
  parser.set_stemmer(stemmer);
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_default_op(default_op);
  return Parse(parser, text, flags);
}

bool HasWords(const Query& query) {
  return !query.text.empty() || !query.all_words.empty() || !query.phrase.empty() ||
         !query.any_words.empty() || !query.none_words.empty();
}

// The words of `query` parsed with `stemmer` (the box, all, phrase, any, none), or MatchAll.
Xapian::Query WordsQuery(const Query& query, const Xapian::Stem& stemmer) {
  std::vector<Xapian::Query> positive;
  if (!query.text.empty()) {
    Xapian::QueryParser parser = BoxParser(stemmer);
    Xapian::Query parsed = Parse(parser, ExclusionsAsNot(LowerWords(query.text)), kBoxFlags);
    if (!parsed.empty()) positive.push_back(parsed);
  }
  if (!query.all_words.empty()) {
    Xapian::Query parsed = ParseWords(stemmer, Lower(query.all_words), Xapian::Query::OP_AND);
    if (!parsed.empty()) positive.push_back(parsed);
  }
  if (!query.phrase.empty()) {
    std::string phrase = query.phrase;
    std::replace(phrase.begin(), phrase.end(), '"', ' ');
    Xapian::Query parsed = ParseWords(stemmer, "\"" + phrase + "\"", Xapian::Query::OP_AND,
                                      Xapian::QueryParser::FLAG_PHRASE);
    if (!parsed.empty()) positive.push_back(parsed);
  }
  if (!query.any_words.empty()) {
    Xapian::Query parsed = ParseWords(stemmer, Lower(query.any_words), Xapian::Query::OP_OR);
    if (!parsed.empty()) positive.push_back(parsed);
  }
  Xapian::Query result =
      positive.empty() ? Xapian::Query::MatchAll
                       : Xapian::Query(Xapian::Query::OP_AND, positive.begin(), positive.end());
  if (!query.none_words.empty()) {
    Xapian::Query none = ParseWords(stemmer, Lower(query.none_words), Xapian::Query::OP_OR);
    if (!none.empty()) result = Xapian::Query(Xapian::Query::OP_AND_NOT, result, none);
  }
  return result;
}

Xapian::Query Filters(const Query& query) {
  std::vector<Xapian::Query> filters;
  if (!query.kinds.empty()) {
    std::vector<Xapian::Query> kinds;
    for (const std::string& kind : query.kinds) kinds.emplace_back(Term(kKindTerm, kind));
    filters.emplace_back(Xapian::Query::OP_OR, kinds.begin(), kinds.end());
  }
  if (!query.person.empty()) filters.emplace_back(Term(kPersonTerm, Lower(query.person)));
  if (!query.tag.empty()) filters.emplace_back(Term(kTagTerm, Lower(query.tag)));
  if (!query.language.empty()) filters.emplace_back(Term(kLanguageTerm, Lower(query.language)));
  const auto serialise = [](const content::Instant& instant) {
    return Xapian::sortable_serialise(static_cast<double>(instant.seconds));
  };
  if (query.from && query.to) {
    filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, kDateSlot, serialise(*query.from),
                         serialise(*query.to));
  } else if (query.from) {
    filters.emplace_back(Xapian::Query::OP_VALUE_GE, kDateSlot, serialise(*query.from));
  } else if (query.to) {
    filters.emplace_back(Xapian::Query::OP_VALUE_LE, kDateSlot, serialise(*query.to));
  }
  if (filters.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end());
}

}  // namespace

void ValidateQuery(const Query& query) {
  CheckText("query", query.text);
  CheckText("all these words", query.all_words);
  CheckText("this exact phrase", query.phrase);
  CheckText("any of these words", query.any_words);
  CheckText("none of these words", query.none_words);
  CheckText("person", query.person);
  CheckText("tag", query.tag);
  CheckBalanced(query.text);
  for (const std::string& kind : query.kinds) {
    CheckText("kind", kind);
    if (!content::ParseKind(kind)) Invalid("Unknown kind \"" + kind + "\".");
  }
  for (const auto& [field, tag] :
       {std::pair<const char*, const std::string&>{"language", query.language},
        {"stem language", query.stem_language}}) {
    CheckText(field, tag);
    if (!tag.empty() && !IsLanguageTagShape(tag)) {
      Invalid("\"" + tag + "\" is not a language tag (such as en or ru-RU).");
    }
  }
  if (query.from && query.to && *query.from > *query.to) {
    Invalid("The date range is empty: \"from\" is after \"to\".");
  }
  if (query.page < 1 || query.page > kMaxPage) {
    Invalid("The page number must be between 1 and " + std::to_string(kMaxPage) + ".");
  }
  if (query.page_size < 1 || query.page_size > kMaxPageSize) {
    Invalid("Results per page must be between 1 and " + std::to_string(kMaxPageSize) + ".");
  }
}

std::string QueryStemLanguage(const Query& query) {
  return LanguageKey(query.language.empty() ? query.stem_language : query.language);
}

Xapian::Query BuildQuery(const Query& query, const std::vector<std::string>& languages) {
  Xapian::Query words;
  if (!HasWords(query) || !query.language.empty() || languages.empty()) {
    words = WordsQuery(query, StemmerFor(QueryStemLanguage(query)));
  } else {
    // Each language's translations with that language's stemmer, so that `переговоры` finds
    // `переговорах` from the English page too. The branches differ only in their Z terms.
    std::vector<Xapian::Query> per_language;
    per_language.reserve(languages.size());
    for (const std::string& language : languages) {
      per_language.push_back(WordsQuery(query, StemmerFor(language)));
    }
    // When every stemmer gives the same terms ("with", "lavrov", "2013": words no stemmer
    // changes), the branches would match the same term lists twice, each behind a language
    // filter: the same documents (every document's language is in `languages`) with the same
    // weights as the words alone, at 2-2.5x the matching cost (measured at 100,000 items). Only
    // Hit::percent differs: Xapian counted every branch's terms, so no hit got over 50%.
    const std::string first = per_language.front().get_description();
    const bool same = std::all_of(
        per_language.begin() + 1, per_language.end(),
        [&first](const Xapian::Query& branch) { return branch.get_description() == first; });
    if (same) {
      words = per_language.front();
    } else {
      std::vector<Xapian::Query> branches;
      for (size_t i = 0; i < languages.size(); ++i) {
        branches.emplace_back(Xapian::Query::OP_FILTER, per_language[i],
                              Xapian::Query(Term(kLanguageTerm, languages[i])));
      }
      words = Xapian::Query(Xapian::Query::OP_OR, branches.begin(), branches.end());
    }
  }
  Xapian::Query filters = Filters(query);
  if (filters.empty()) return words;
  return Xapian::Query(Xapian::Query::OP_FILTER, words, filters);
}

std::string SuggestSpelling(const Query& query, const Xapian::Database& db,
                            const std::vector<std::string>& languages) {
  // Xapian's parser can propose a whole corrected query, but it "corrects" words the index
  // holds too (syria -> syrian). So: only words found in no form in any language are replaced,
  // each by Xapian's suggestion for it; operators, field names and filter values stay.
  const std::string text = !query.text.empty() ? LowerWords(query.text) : Lower(query.all_words);
  std::vector<Xapian::Stem> stemmers;
  stemmers.push_back(StemmerFor(QueryStemLanguage(query)));
  for (const std::string& language : languages) stemmers.push_back(StemmerFor(language));
  const auto known = [&](const std::string& word) {
    if (db.term_exists(word)) return true;
    return std::any_of(stemmers.begin(), stemmers.end(), [&](const Xapian::Stem& stemmer) {
      return db.term_exists("Z" + stemmer(word));
    });
  };
  std::string corrected;
  bool changed = false;
  unsigned previous = 0;  // the character just before the word, 0 after a word
  ForEachWord(
      text,
      [&](unsigned c) {
        previous = c;
        Xapian::Unicode::append_utf8(corrected, c);
      },
      [&](const std::string& word, bool field_name) {
        const bool field_value = previous == ':';
        std::string suggestion;
        // Not CJK: its "words" are n-grams, and the dictionary holds none (IsSpellingWord).
        if (!field_name && !field_value && word.size() >= 3 && !HasCjk(word) && !known(word)) {
          suggestion = db.get_spelling_suggestion(word);
        }
        corrected += suggestion.empty() ? word : suggestion;
        changed = changed || !suggestion.empty();
        previous = 0;
      });
  return changed ? corrected : std::string();
}

}  // namespace assetpub::search::internal
