// Chinese search: Xapian's CJK n-grams (what assetpub does, search/cjk.h) against ICU's
// dictionary word break, on generated sentences in the register of a foreign ministry's
// statements. For each vocabulary word (2-4 characters), the documents holding it (other than
// inside a longer word that means something else: kFalseContexts) are the relevant ones; prints
// each method's index size, indexing time, precision of the top 10, recall over all matches and
// queries finding nothing, plus the queries where they differ. Run by hand:
// build/dev/bench/cjk_bench [--docs N] [--seed S] [--verbose] (bench/README.md).

#include <unicode/brkiter.h>
#include <unicode/unistr.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// Slots of the sentence templates. Some words hide others (发展中国家 holds 中国, 美国会议 holds
// 国会, 主义 is in 人道主义 and 多边主义), which is where n-grams and word break part ways.
const std::vector<std::string> kTimes = {"今天", "昨天", "上周", "本月", "近日", "今年以来"};
const std::vector<std::string> kActors = {
    "外交部发言人", "联合国秘书长", "中国政府", "美国国务院", "俄罗斯外长", "欧盟委员会",
    "安理会成员国", "中方代表团", "双方外长", "日本首相", "法国总统", "德国总理", "东盟国家",
    "非洲联盟", "发展中国家", "各国议会", "世界卫生组织",
    // Transliterated names, in no dictionary.
    "拉夫罗夫", "扎哈罗娃", "古特雷斯", "内贝恩齐亚", "博雷利"};
const std::vector<std::string> kPlaces = {"日内瓦",   "北京",   "纽约",     "莫斯科", "布鲁塞尔",
                                          "维也纳",   "东京",   "上海",     "巴黎",   "柏林",
                                          "新德里",   "开罗",   "雅加达",   "内罗毕", "哥本哈根",
                                          "阿斯塔纳", "杜尚别", "比什凯克", "明斯克", "塔什干"};
const std::vector<std::string> kVerbs = {"讨论了",   "举行了",   "签署了",   "发表了",
                                         "宣布了",   "呼吁加强", "重申支持", "表示关切",
                                         "积极推动", "共同应对"};
const std::vector<std::string> kTopics = {
    "人道主义", "气候变化", "核不扩散", "反恐合作",   "经济合作", "粮食安全", "网络安全",
    "海洋权益", "人权问题", "难民危机", "多边主义",   "自由贸易", "公共卫生", "能源转型",
    "裁军谈判", "和平进程", "地区局势", "可持续发展", "文化交流", "司法协助"};
const std::vector<std::string> kNouns = {"会议",     "协议",    "声明",         "对话",
                                         "谈判",     "倡议",    "合作伙伴关系", "框架文件",
                                         "行动计划", "联合公报"};
const std::vector<std::string> kExtras = {"会议在走廊里短暂休会。",   "记者在会场外等候。",
                                          "美国会议代表团也出席了。", "双方同意保持沟通。",
                                          "国内外媒体广泛关注。",     "议会将审议该文件。",
                                          "此次会谈富有成果。",       "中方对此表示欢迎。"};

struct Doc {
  std::string text;
};

// Where a word's characters appear without the word being meant: 国会 (Congress) in 美国会议
// (a US meeting), 中国 (China) in 发展中国家 (developing countries).
const std::vector<std::pair<std::string, std::string>> kFalseContexts = {{"国会", "美国会议"},
                                                                         {"中国", "发展中国家"}};

size_t Occurrences(const std::string& text, const std::string& word) {
  size_t count = 0;
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    ++count;
  }
  return count;
}

// Relevant: the text holds the word other than inside one of its false contexts.
bool Relevant(const Doc& doc, const std::string& word) {
  size_t count = Occurrences(doc.text, word);
  for (const auto& [hidden, context] : kFalseContexts) {
    if (hidden == word) count -= std::min(count, Occurrences(doc.text, context));
  }
  return count > 0;
}

std::vector<Doc> Generate(int count, unsigned seed) {
  std::mt19937 rng(seed);
  const auto pick = [&](const std::vector<std::string>& list) -> const std::string& {
    return list[std::uniform_int_distribution<size_t>(0, list.size() - 1)(rng)];
  };
  std::vector<Doc> docs;
  for (int i = 0; i < count; ++i) {
    Doc doc;
    const int sentences = std::uniform_int_distribution<int>(1, 3)(rng);
    for (int s = 0; s < sentences; ++s) {
      const std::string& time = pick(kTimes);
      const std::string& actor = pick(kActors);
      const std::string& place = pick(kPlaces);
      const std::string& verb = pick(kVerbs);
      const std::string& topic = pick(kTopics);
      const std::string& noun = pick(kNouns);
      doc.text += time + "，" + actor + "在" + place + verb + topic + noun + "。";
      if (std::uniform_int_distribution<int>(0, 2)(rng) == 0) doc.text += pick(kExtras);
    }
    docs.push_back(std::move(doc));
  }
  return docs;
}

// ICU's dictionary-based word break for Chinese: the words joined by spaces, punctuation gone.
class Segmenter {
 public:
  Segmenter() {
    UErrorCode status = U_ZERO_ERROR;
    breaker_.reset(icu::BreakIterator::createWordInstance(icu::Locale("zh"), status));
    if (U_FAILURE(status)) throw std::runtime_error(u_errorName(status));
  }
  std::string operator()(const std::string& text) {
    const icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(text);
    breaker_->setText(unicode);
    std::string out;
    int32_t start = breaker_->first();
    for (int32_t end = breaker_->next(); end != icu::BreakIterator::DONE;
         start = end, end = breaker_->next()) {
      if (breaker_->getRuleStatus() == UBRK_WORD_NONE) continue;
      std::string word;
      unicode.tempSubStringBetween(start, end).toUTF8String(word);
      if (!out.empty()) out += ' ';
      out += word;
    }
    return out;
  }

 private:
  std::unique_ptr<icu::BreakIterator> breaker_;
};

uint64_t FolderBytes(const fs::path& dir) {
  uint64_t total = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) total += entry.file_size();
  }
  return total;
}

enum class Mode { kNgram, kIcu, kNone };
struct Method {
  const char* name;
  Mode mode;
  const char* folder;
};

struct Figures {
  uint64_t bytes = 0;
  Xapian::termcount terms = 0;
  double index_ms = 0;
  double precision = 0;            // mean over queries with hits, of relevant / shown in the top 10
  double recall = 0;               // mean over queries, of relevant matched / relevant
  int no_hits = 0;                 // queries with relevant documents that matched nothing
  int exact_top10 = 0;             // queries whose top 10 holds only relevant documents
  std::vector<std::string> lines;  // per query
};

Figures Run(const Method& method, const std::vector<Doc>& docs,
            const std::vector<std::string>& queries, const fs::path& dir) {
  Figures figures;
  Segmenter segment;
  const auto begin = std::chrono::steady_clock::now();
  {
    Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator generator;
    if (method.mode == Mode::kNgram) generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    for (const Doc& doc : docs) {
      Xapian::Document document;
      generator.set_document(document);
      generator.index_text(method.mode == Mode::kIcu ? segment(doc.text) : doc.text);
      db.add_document(document);
    }
    db.commit();
    figures.terms = db.get_doccount() ? db.get_avlength() * db.get_doccount() : 0;
  }
  figures.index_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count();
  figures.bytes = FolderBytes(dir);
  Xapian::Database db(dir.string());
  figures.terms = 0;
  for (auto term = db.allterms_begin(); term != db.allterms_end(); ++term) ++figures.terms;
  Xapian::QueryParser parser;
  parser.set_default_op(Xapian::Query::OP_AND);
  int with_hits = 0;
  for (const std::string& word : queries) {
    std::set<Xapian::docid> relevant;
    for (size_t i = 0; i < docs.size(); ++i) {
      if (Relevant(docs[i], word)) relevant.insert(static_cast<Xapian::docid>(i + 1));
    }
    const Xapian::Query query = method.mode == Mode::kNgram
                                    ? parser.parse_query(word, Xapian::QueryParser::FLAG_CJK_NGRAM)
                                : method.mode == Mode::kIcu ? parser.parse_query(segment(word), 0)
                                                            : parser.parse_query(word, 0);
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    const Xapian::MSet top = enquire.get_mset(0, 10);
    const Xapian::MSet all = enquire.get_mset(0, db.get_doccount());
    int good = 0;
    for (auto it = top.begin(); it != top.end(); ++it) good += relevant.count(*it) ? 1 : 0;
    int found = 0;
    for (auto it = all.begin(); it != all.end(); ++it) found += relevant.count(*it) ? 1 : 0;
    if (!top.empty()) {
      ++with_hits;
      figures.precision += static_cast<double>(good) / top.size();
      if (good == static_cast<int>(top.size())) ++figures.exact_top10;
    }
    figures.recall += relevant.empty() ? 1.0 : static_cast<double>(found) / relevant.size();
    if (all.empty() && !relevant.empty()) ++figures.no_hits;
    char line[256];
    std::snprintf(line, sizeof line, "P@10 %d/%u, recall %d/%zu, matches %u (%s)", good, top.size(),
                  found, relevant.size(), all.size(), query.get_description().c_str());
    figures.lines.push_back(line);
  }
  figures.precision /= std::max(with_hits, 1);
  figures.recall /= static_cast<double>(queries.size());
  return figures;
}

}  // namespace

int main(int argc, char** argv) {
  int count = 600;
  unsigned seed = 1;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--docs") == 0 && i + 1 < argc) count = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--seed") == 0 && i + 1 < argc) seed = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--verbose") == 0) verbose = true;
  }
  const std::vector<Doc> docs = Generate(count, seed);
  size_t sentences = 0, chars = 0;
  for (const Doc& doc : docs) {
    sentences += Occurrences(doc.text, "。");
    chars += icu::UnicodeString::fromUTF8(doc.text).countChar32();
  }
  // Every slot word of 2-4 characters.
  std::vector<std::string> queries;
  for (const auto* list : {&kTimes, &kActors, &kPlaces, &kVerbs, &kTopics, &kNouns}) {
    for (const std::string& word : *list) {
      const int32_t length = icu::UnicodeString::fromUTF8(word).countChar32();
      if (length >= 2 && length <= 4) queries.push_back(word);
    }
  }
  // Words inside the slot words (a reader searches for 外长 or 伙伴 as readily as for the whole).
  for (const char* hidden :
       {"中国", "国会", "主义",   "合作",   "安全",   "走廊",   "议会",   "人道",
        "气候", "变化", "联合国", "秘书长", "外长",   "发言人", "外交部", "卫生",
        "贸易", "难民", "伙伴",   "公报",   "首相",   "总统",   "进程",   "扩散",
        "反恐", "权益", "代表团", "委员会", "成员国", "罗夫"}) {
    if (std::find(queries.begin(), queries.end(), hidden) == queries.end()) {
      queries.push_back(hidden);
    }
  }
  const fs::path work = fs::temp_directory_path() / ("cjk_bench_" + std::to_string(::getpid()));
  fs::create_directories(work);
  std::printf("%d documents, %zu CJK characters, %zu sentences, %zu queries\n", count, chars,
              sentences, queries.size());
  std::vector<Figures> results;
  const Method methods[] = {{"Xapian CJK n-grams", Mode::kNgram, "ngram"},
                            {"ICU word break (zh)", Mode::kIcu, "icu"},
                            {"neither (before)", Mode::kNone, "none"}};
  for (const Method& method : methods) {
    results.push_back(Run(method, docs, queries, work / method.folder));
    const Figures& f = results.back();
    std::printf(
        "%-20s index %7.1f KiB, %6zu distinct terms, built in %6.1f ms; P@10 %.3f (%d of %zu "
        "queries all relevant), recall %.3f, %d queries found nothing\n",
        method.name, f.bytes / 1024.0, static_cast<size_t>(f.terms), f.index_ms, f.precision,
        f.exact_top10, queries.size(), f.recall, f.no_hits);
  }
  for (size_t q = 0; q < queries.size(); ++q) {
    if (verbose || results[0].lines[q].substr(0, 30) != results[1].lines[q].substr(0, 30)) {
      std::printf("%s\n  n-gram: %s\n  ICU:    %s\n", queries[q].c_str(),
                  results[0].lines[q].c_str(), results[1].lines[q].c_str());
    }
  }
  fs::remove_all(work);
  return 0;
}
