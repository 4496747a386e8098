#include "corpus/word_lists.h"

#include <fmt/format.h>
#include <unicode/ucnv.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>
#include <string_view>

#include "core/error.h"

namespace assetpub::corpus {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path, const char* package) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("word list {} is missing: install the Debian package {} "
                            "(apt-get install {})",
                            path.string(), package, package));
  }
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

// The encoding a hunspell .aff file declares ("SET KOI8-R"); hunspell's default is ISO8859-1.
std::string AffixEncoding(const fs::path& aff) {
  std::ifstream in(aff, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with("SET ")) continue;
    std::string name = line.substr(4);
    while (!name.empty() && (name.back() == '\r' || name.back() == ' ')) name.pop_back();
    return name;
  }
  return "ISO8859-1";
}

std::string ToUtf8(const std::string& text, const std::string& encoding) {
  if (encoding == "UTF-8" || encoding == "utf-8" || encoding == "UTF8") return text;
  UErrorCode status = U_ZERO_ERROR;
  std::string out(text.size() * 3 + 16, '\0');
  const int32_t length =
      ucnv_convert("UTF-8", encoding.c_str(), out.data(), static_cast<int32_t>(out.size()),
                   text.data(), static_cast<int32_t>(text.size()), &status);
  if (U_FAILURE(status)) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("cannot convert the Russian word list from {}: {}", encoding,
                            u_errorName(status)));
  }
  out.resize(static_cast<size_t>(length));
  return out;
}

bool IsLowerAscii(std::string_view word) {
  if (word.size() < 2) return false;
  for (char c : word) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

// Lower-case Cyrillic letters only: а..я (U+0430..U+044F) and ё (U+0451), two bytes each.
bool IsLowerCyrillic(std::string_view word) {
  if (word.size() < 4 || word.size() % 2 != 0) return false;
  for (size_t i = 0; i < word.size(); i += 2) {
    const auto lead = static_cast<unsigned char>(word[i]);
    const auto trail = static_cast<unsigned char>(word[i + 1]);
    const bool a_to_p = lead == 0xD0 && trail >= 0xB0 && trail <= 0xBF;   // а..п
    const bool r_to_ya = lead == 0xD1 && trail >= 0x80 && trail <= 0x8F;  // р..я
    const bool yo = lead == 0xD1 && trail == 0x91;
    if (!a_to_p && !r_to_ya && !yo) return false;
  }
  return true;
}

template <typename Keep>
std::vector<std::string> Lines(const std::string& text, bool strip_flags, size_t skip, Keep keep) {
  std::vector<std::string> words;
  size_t line = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view word(text.data() + start, end - start);
    start = end + 1;
    if (line++ < skip) continue;
    if (!word.empty() && word.back() == '\r') word.remove_suffix(1);
    if (strip_flags) {
      // "слово/AB" and the morphological fields some dictionaries add after a tab.
      word = word.substr(0, word.find_first_of("/\t "));
    }
    if (keep(word)) words.emplace_back(word);
  }
  return words;
}

// Roots: a word containing one is blocked. Whole words: too short to be roots ("ass" is in
// "class"). Lower case; Russian in UTF-8.
constexpr std::array<std::string_view, 135> kBlockedRoots{
    "asshole", "fuck",      "shit",      "cunt",     "whore",     "slut",     "bitch",
    "bastard", "piss",      "crap",      "cock",     "dick",      "penis",    "vagin",
    "anal",    "anus",      "rape",      "rapist",   "porn",      "sex",      "nigg",
    "negro",   "fag",       "dyke",      "retard",   "harlot",    "fecal",    "faec",
    "feces",   "excrement", "urin",      "semen",    "sperm",     "orgasm",   "orgy",
    "masturb", "incest",    "pedophil",  "pervert",  "prostitut", "pimp",     "hooker",
    "kill",    "murder",    "slaughter", "massacre", "corpse",    "genocid",  "tortur",
    "suicid",  "behead",    "carcass",   "decapit",  "mutilat",   "vomit",    "puke",
    "poison",  "kidnap",    "assassin",  "strangl",  "gallows",   "noose",    "turd",
    "fart",    "nazi",      "hitler",    "kike",     "wetback",   "erotic",   "nude",
    "naked",   "хуй",       "хуя",       "хуе",      "хуё",       "пизд",     "бляд",
    "блят",    "ебат",      "ебал",      "ебан",     "ебл",       "ёб",       "мудак",
    "мудил",   "пидор",     "пидар",     "залуп",    "шлюх",      "говн",     "дерьм",
    "жоп",     "сучк",      "сучар",     "срать",    "сран",      "ссать",    "ублюд",
    "дрочи",   "порн",      "секс",      "оргазм",   "сперм",     "насил",    "убий",
    "убит",    "убива",     "труп",      "резня",    "гондон",    "гандон",   "педик",
    "гомик",   "проститу",  "манда",     "блев",     "понос",     "пердет",   "перду",
    "какашк",  "черножоп",  "чурк",      "хохл",     "хохол",     "жид",      "негр",
    "дебил",   "кретин",    "трах",      "пытк",     "казн",      "расстрел", "бомж",
    "урод",    "идиот",
};
constexpr std::array<std::string_view, 22> kBlockedWords{
    "ass",   "asses", "arse",  "tit", "tits", "titty", "cum",  "jizz", "twat", "wank", "boob",
    "boobs", "butt",  "butts", "hag", "сука", "суки",  "суке", "кал",  "кала", "ссы",  "сцать",
};

}  // namespace

bool IsBlocked(std::string_view word) {
  const auto contains = [&](std::string_view root) {
    return word.find(root) != std::string_view::npos;
  };
  return std::any_of(kBlockedRoots.begin(), kBlockedRoots.end(), contains) ||
         std::find(kBlockedWords.begin(), kBlockedWords.end(), word) != kBlockedWords.end();
}

WordLists LoadWordLists(const fs::path& english, const fs::path& russian_dic) {
  WordLists lists;
  lists.english = Lines(ReadAll(english, "wamerican"), false, 0, [](std::string_view word) {
    return IsLowerAscii(word) && !IsBlocked(word);
  });
  if (lists.english.empty()) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("word list {} has no lower-case words: reinstall the Debian package "
                            "wamerican",
                            english.string()));
  }
  fs::path aff = russian_dic;
  aff.replace_extension(".aff");
  const std::string raw = ReadAll(russian_dic, "hunspell-ru");
  // The first line of a .dic file is its approximate word count.
  lists.russian = Lines(ToUtf8(raw, AffixEncoding(aff)), true, 1, [](std::string_view word) {
    return IsLowerCyrillic(word) && !IsBlocked(word);
  });
  if (lists.russian.empty()) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("word list {} has no lower-case Russian words: reinstall the Debian "
                            "package hunspell-ru",
                            russian_dic.string()));
  }
  return lists;
}

}  // namespace assetpub::corpus
