#pragma once
// WordLists are the dictionaries gen-corpus draws its rare words from (the names of exhibitions,
// books and projects in otherwise curated prose): the English words of the Debian package
// wamerican and the Russian stems of hunspell-ru, both lower-case and in file order, without
// blocked words. Plain values: load once, share read-only between threads.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace assetpub::corpus {

inline const std::filesystem::path kEnglishWordList = "/usr/share/dict/american-english";
inline const std::filesystem::path kRussianDictionary = "/usr/share/hunspell/ru_RU.dic";

struct WordLists {
  std::vector<std::string> english;  // lower-case ASCII letters only (no "'s", no names)
  std::vector<std::string> russian;  // lower-case Cyrillic only, UTF-8, affix flags stripped
};

// True for a lower-case English or Russian word gen-corpus must never write: a crude, offensive,
// sexual or violent word, or one containing the root of one (so some harmless words are
// blocked too: "grape" for its "rape"; a price the rare words can pay).
bool IsBlocked(std::string_view lower_case_word);

// Reads both lists and drops blocked words. `russian_dic` is a hunspell .dic file; its encoding
// comes from the SET line of the .aff file beside it (UTF-8, KOI8-R, … converted with ICU). Throws
// Error(kUnavailable) naming the file and the Debian package to install when a list is missing,
// unreadable or has no usable word.
WordLists LoadWordLists(const std::filesystem::path& english = kEnglishWordList,
                        const std::filesystem::path& russian_dic = kRussianDictionary);

}  // namespace assetpub::corpus
