#pragma once
// WordLists are the vocabularies gen-corpus draws paragraph text from: the English words of the
// Debian package wamerican and the Russian stems of hunspell-ru, both lower-case and in file
// order. Plain values: load once, share read-only between threads.

#include <filesystem>
#include <string>
#include <vector>

namespace assetpub::corpus {

inline const std::filesystem::path kEnglishWordList = "/usr/share/dict/american-english";
inline const std::filesystem::path kRussianDictionary = "/usr/share/hunspell/ru_RU.dic";

struct WordLists {
  std::vector<std::string> english;  // lower-case ASCII letters only (no "'s", no names)
  std::vector<std::string> russian;  // lower-case Cyrillic only, UTF-8, affix flags stripped
};

// Reads both lists. `russian_dic` is a hunspell .dic file; its encoding comes from the SET line
// of the .aff file beside it (UTF-8, KOI8-R, … converted with ICU). Throws Error(kUnavailable)
// naming the file and the Debian package to install when a list is missing, unreadable or has
// no usable word.
WordLists LoadWordLists(const std::filesystem::path& english = kEnglishWordList,
                        const std::filesystem::path& russian_dic = kRussianDictionary);

}  // namespace assetpub::corpus
