#include "corpus/generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "content/asset_json.h"
#include "content/instant.h"
#include "content/slug.h"
#include "core/error.h"
#include "corpus/random.h"

namespace assetpub::corpus {
namespace {

namespace fs = std::filesystem;
using content::Asset;
using content::Block;
using content::Kind;
using content::TurnRole;

// ---------------------------------------------------------------------------------------------
// Fixed vocabularies. Changing any of these changes every corpus: do it on purpose.

struct Role {
  std::string_view en;      // "Russian Foreign Minister"
  std::string_view ru_gen;  // genitive: "Министра иностранных дел России"
  std::string_view ru_ins;  // instrumental: "Министром иностранных дел России"
};

constexpr std::array<Role, 16> kRoles{{
    {"Russian Foreign Minister", "Министра иностранных дел России",
     "Министром иностранных дел России"},
    {"Deputy Foreign Minister of Russia", "заместителя Министра иностранных дел России",
     "заместителем Министра иностранных дел России"},
    {"Official Representative of the Russian Ministry of Foreign Affairs",
     "официального представителя МИД России", "официальным представителем МИД России"},
    {"OIC Secretary General", "Генерального секретаря ОИС", "Генеральным секретарем ОИС"},
    {"UN Under-Secretary-General", "заместителя Генерального секретаря ООН",
     "заместителем Генерального секретаря ООН"},
    {"Foreign Minister of Egypt", "Министра иностранных дел Египта",
     "Министром иностранных дел Египта"},
    {"Foreign Minister of India", "Министра иностранных дел Индии",
     "Министром иностранных дел Индии"},
    {"Foreign Minister of Brazil", "Министра иностранных дел Бразилии",
     "Министром иностранных дел Бразилии"},
    {"Foreign Minister of China", "Министра иностранных дел Китая",
     "Министром иностранных дел Китая"},
    {"Foreign Minister of Germany", "Министра иностранных дел Германии",
     "Министром иностранных дел Германии"},
    {"Foreign Minister of France", "Министра иностранных дел Франции",
     "Министром иностранных дел Франции"},
    {"Foreign Minister of Turkey", "Министра иностранных дел Турции",
     "Министром иностранных дел Турции"},
    {"Foreign Minister of Kazakhstan", "Министра иностранных дел Казахстана",
     "Министром иностранных дел Казахстана"},
    {"Foreign Minister of Finland", "Министра иностранных дел Финляндии",
     "Министром иностранных дел Финляндии"},
    {"Director of the Information and Press Department",
     "директора Департамента информации и печати", "директором Департамента информации и печати"},
    {"Ambassador of Russia to the United States", "Посла России в США", "Послом России в США"},
}};

struct Person {
  std::string_view en;      // as in Asset::people and English turns: "Sergey Lavrov"
  std::string_view ru;      // Russian turns, as the site writes them: "С.В.Лавров"
  std::string_view ru_gen;  // "С.В.Лаврова"
  std::string_view ru_ins;  // "С.В.Лавровым"
  int role;                 // index into kRoles
  bool russian;             // a Russian official (answers at Russian press conferences)
};

// The seed's two people and invented ones: a synthetic corpus puts no words in real mouths
// beyond the names the sample already carries.
constexpr std::array<Person, 40> kPeople{{
    {"Sergey Lavrov", "С.В.Лавров", "С.В.Лаврова", "С.В.Лавровым", 0, true},
    {"Ekmeleddin Ihsanoglu", "Э.Ихсаноглу", "Э.Ихсаноглу", "Э.Ихсаноглу", 3, false},
    {"Mikhail Orlov", "М.А.Орлов", "М.А.Орлова", "М.А.Орловым", 1, true},
    {"Andrei Sokolov", "А.Н.Соколов", "А.Н.Соколова", "А.Н.Соколовым", 1, true},
    {"Pavel Kuznetsov", "П.С.Кузнецов", "П.С.Кузнецова", "П.С.Кузнецовым", 1, true},
    {"Igor Belov", "И.В.Белов", "И.В.Белова", "И.В.Беловым", 1, true},
    {"Dmitry Volkov", "Д.Е.Волков", "Д.Е.Волкова", "Д.Е.Волковым", 1, true},
    {"Nikolai Lebedev", "Н.П.Лебедев", "Н.П.Лебедева", "Н.П.Лебедевым", 1, true},
    {"Elena Morozova", "Е.А.Морозова", "Е.А.Морозовой", "Е.А.Морозовой", 2, true},
    {"Irina Pavlova", "И.Г.Павлова", "И.Г.Павловой", "И.Г.Павловой", 2, true},
    {"Olga Semenova", "О.Д.Семенова", "О.Д.Семеновой", "О.Д.Семеновой", 14, true},
    {"Alexander Zaitsev", "А.М.Зайцев", "А.М.Зайцева", "А.М.Зайцевым", 14, true},
    {"Viktor Golubev", "В.И.Голубев", "В.И.Голубева", "В.И.Голубевым", 15, true},
    {"Sergey Fedorov", "С.К.Федоров", "С.К.Федорова", "С.К.Федоровым", 15, true},
    {"Yuri Nikitin", "Ю.Л.Никитин", "Ю.Л.Никитина", "Ю.Л.Никитиным", 1, true},
    {"Boris Markov", "Б.Ф.Марков", "Б.Ф.Маркова", "Б.Ф.Марковым", 1, true},
    {"Anna Kovaleva", "А.С.Ковалева", "А.С.Ковалевой", "А.С.Ковалевой", 2, true},
    {"Vera Smirnova", "В.Н.Смирнова", "В.Н.Смирновой", "В.Н.Смирновой", 2, true},
    {"Grigory Ivanov", "Г.Б.Иванов", "Г.Б.Иванова", "Г.Б.Ивановым", 15, true},
    {"Ahmed Hassan", "А.Хасан", "А.Хасана", "А.Хасаном", 5, false},
    {"Karim Mansour", "К.Мансур", "К.Мансура", "К.Мансуром", 5, false},
    {"Leila Haddad", "Л.Хаддад", "Л.Хаддад", "Л.Хаддад", 5, false},
    {"Rajesh Sharma", "Р.Шарма", "Р.Шармы", "Р.Шармой", 6, false},
    {"Vikram Mehta", "В.Мехта", "В.Мехты", "В.Мехтой", 6, false},
    {"Paulo Ferreira", "П.Феррейра", "П.Феррейры", "П.Феррейрой", 7, false},
    {"Carlos Almeida", "К.Алмейда", "К.Алмейды", "К.Алмейдой", 7, false},
    {"Wang Lin", "Ван Линь", "Ван Линя", "Ван Линем", 8, false},
    {"Zhang Wei", "Чжан Вэй", "Чжан Вэя", "Чжан Вэем", 8, false},
    {"Klaus Becker", "К.Беккер", "К.Беккера", "К.Беккером", 9, false},
    {"Stefan Hoffmann", "Ш.Хоффман", "Ш.Хоффмана", "Ш.Хоффманом", 9, false},
    {"Pierre Lambert", "П.Ламбер", "П.Ламбера", "П.Ламбером", 10, false},
    {"Julien Moreau", "Ж.Моро", "Ж.Моро", "Ж.Моро", 10, false},
    {"Mehmet Yilmaz", "М.Йылмаз", "М.Йылмаза", "М.Йылмазом", 11, false},
    {"Emre Demir", "Э.Демир", "Э.Демира", "Э.Демиром", 11, false},
    {"Nurlan Abenov", "Н.Абенов", "Н.Абенова", "Н.Абеновым", 12, false},
    {"Yerlan Suleimenov", "Е.Сулейменов", "Е.Сулейменова", "Е.Сулейменовым", 12, false},
    {"Mikko Laine", "М.Лайне", "М.Лайне", "М.Лайне", 13, false},
    {"Jussi Virtanen", "Ю.Виртанен", "Ю.Виртанена", "Ю.Виртаненом", 13, false},
    {"Tomas Lindqvist", "Т.Линдквист", "Т.Линдквиста", "Т.Линдквистом", 4, false},
    {"Hamid Karimi", "Х.Карими", "Х.Карими", "Х.Карими", 3, false},
}};

struct Place {
  std::string_view en;
  std::string_view ru;
  std::string_view region;  // the "region" category term
};

constexpr std::array<Place, 32> kPlaces{{
    {"Moscow", "Москва", "Russia"},
    {"Saint Petersburg", "Санкт-Петербург", "Russia"},
    {"Kazan", "Казань", "Russia"},
    {"Sochi", "Сочи", "Russia"},
    {"Vladivostok", "Владивосток", "Russia"},
    {"Yekaterinburg", "Екатеринбург", "Russia"},
    {"Kaliningrad", "Калининград", "Russia"},
    {"Geneva", "Женева", "International organisations"},
    {"New York", "Нью-Йорк", "International organisations"},
    {"Vienna", "Вена", "International organisations"},
    {"Washington", "Вашингтон", "North America"},
    {"Paris", "Париж", "Europe"},
    {"Berlin", "Берлин", "Europe"},
    {"London", "Лондон", "Europe"},
    {"Brussels", "Брюссель", "Europe"},
    {"Helsinki", "Хельсинки", "Europe"},
    {"Beijing", "Пекин", "Asia-Pacific"},
    {"Tokyo", "Токио", "Asia-Pacific"},
    {"Hanoi", "Ханой", "Asia-Pacific"},
    {"New Delhi", "Нью-Дели", "South Asia"},
    {"Brasilia", "Бразилиа", "Latin America"},
    {"Buenos Aires", "Буэнос-Айрес", "Latin America"},
    {"Cairo", "Каир", "Middle East and North Africa"},
    {"Riyadh", "Эр-Рияд", "Middle East and North Africa"},
    {"Jeddah", "Джидда", "Middle East and North Africa"},
    {"Damascus", "Дамаск", "Middle East and North Africa"},
    {"Tehran", "Тегеран", "Middle East and North Africa"},
    {"Ankara", "Анкара", "Europe"},
    {"Astana", "Астана", "CIS"},
    {"Minsk", "Минск", "CIS"},
    {"Baku", "Баку", "CIS"},
    {"Johannesburg", "Йоханнесбург", "Sub-Saharan Africa"},
}};

struct Topic {
  std::string_view tag;    // the tag (English, on both languages) and the English text form
  std::string_view ru;     // how Russian text names it
  std::string_view topic;  // the "topic" category term
};

constexpr std::array<Topic, 52> kTopics{{
    {"Syria", "Сирия", "Regional conflicts"},
    {"OIC", "ОИС", "Multilateral diplomacy"},
    {"Middle East", "Ближний Восток", "Regional conflicts"},
    {"BRICS", "БРИКС", "Multilateral diplomacy"},
    {"SCO", "ШОС", "Multilateral diplomacy"},
    {"United Nations", "ООН", "Multilateral diplomacy"},
    {"UN Security Council", "Совет Безопасности ООН", "Multilateral diplomacy"},
    {"G20", "Группа двадцати", "Economic diplomacy"},
    {"CIS", "СНГ", "Multilateral diplomacy"},
    {"EAEU", "ЕАЭС", "Economic diplomacy"},
    {"CSTO", "ОДКБ", "International security"},
    {"NATO", "НАТО", "International security"},
    {"European Union", "Евросоюз", "Multilateral diplomacy"},
    {"OSCE", "ОБСЕ", "International security"},
    {"APEC", "АТЭС", "Economic diplomacy"},
    {"ASEAN", "АСЕАН", "Multilateral diplomacy"},
    {"Arctic", "Арктика", "Foreign policy"},
    {"Afghanistan", "Афганистан", "Regional conflicts"},
    {"Iran", "Иран", "Regional conflicts"},
    {"Iraq", "Ирак", "Regional conflicts"},
    {"Libya", "Ливия", "Regional conflicts"},
    {"Egypt", "Египет", "Foreign policy"},
    {"Palestine", "Палестина", "Regional conflicts"},
    {"Yemen", "Йемен", "Regional conflicts"},
    {"Korean Peninsula", "Корейский полуостров", "International security"},
    {"Ukraine", "Украина", "Regional conflicts"},
    {"Belarus", "Белоруссия", "Foreign policy"},
    {"Moldova", "Молдавия", "Foreign policy"},
    {"South Caucasus", "Южный Кавказ", "Regional conflicts"},
    {"Central Asia", "Центральная Азия", "Foreign policy"},
    {"Balkans", "Балканы", "Foreign policy"},
    {"Cyprus", "Кипр", "Regional conflicts"},
    {"Venezuela", "Венесуэла", "Foreign policy"},
    {"Cuba", "Куба", "Foreign policy"},
    {"Africa", "Африка", "Foreign policy"},
    {"Counter-terrorism", "борьба с терроризмом", "International security"},
    {"Arms control", "контроль над вооружениями", "International security"},
    {"Non-proliferation", "нераспространение", "International security"},
    {"Chemical weapons", "химическое оружие", "International security"},
    {"Nuclear energy", "атомная энергетика", "Economic diplomacy"},
    {"Energy security", "энергетическая безопасность", "Economic diplomacy"},
    {"Climate", "климат", "Economic diplomacy"},
    {"Human rights", "права человека", "Humanitarian issues"},
    {"Compatriots abroad", "соотечественники за рубежом", "Humanitarian issues"},
    {"Visa regime", "визовый режим", "Consular affairs"},
    {"Migration", "миграция", "Consular affairs"},
    {"Information security", "информационная безопасность", "International security"},
    {"Outer space", "космическое пространство", "International security"},
    {"Trade and investment", "торговля и инвестиции", "Economic diplomacy"},
    {"Culture", "культура", "Culture and education"},
    {"Education", "образование", "Culture and education"},
    {"Sport", "спорт", "Culture and education"},
}};

struct Outlet {
  std::string_view en;       // "Kommersant newspaper"
  std::string_view ru_dat;   // dative: "газете «Коммерсантъ»"
  std::string_view ru_prep;  // prepositional: "газете «Коммерсантъ»"
};

constexpr std::array<Outlet, 12> kOutlets{{
    {"Kommersant newspaper", "газете «Коммерсантъ»", "газете «Коммерсантъ»"},
    {"Rossiyskaya Gazeta", "«Российской газете»", "«Российской газете»"},
    {"Izvestia newspaper", "газете «Известия»", "газете «Известия»"},
    {"TASS news agency", "агентству ТАСС", "агентстве ТАСС"},
    {"RIA Novosti news agency", "агентству «РИА Новости»", "агентстве «РИА Новости»"},
    {"Russia Today TV channel", "телеканалу «Russia Today»", "телеканале «Russia Today»"},
    {"Al Arabiya TV channel", "телеканалу «Аль-Арабия»", "телеканале «Аль-Арабия»"},
    {"Russia in Global Affairs magazine", "журналу «Россия в глобальной политике»",
     "журнале «Россия в глобальной политике»"},
    {"International Affairs magazine", "журналу «Международная жизнь»",
     "журнале «Международная жизнь»"},
    {"The Hindu newspaper", "газете «Хинду»", "газете «Хинду»"},
    {"Xinhua news agency", "агентству «Синьхуа»", "агентстве «Синьхуа»"},
    {"Anadolu news agency", "агентству «Анадолу»", "агентстве «Анадолу»"},
}};

constexpr std::array<std::string_view, 12> kMonthsEn{
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 12> kMonthsRu{"января",   "февраля", "марта",  "апреля",
                                                     "мая",      "июня",    "июля",   "августа",
                                                     "сентября", "октября", "ноября", "декабря"};

// The most frequent words of each language, ranked first so the text reads like text; the
// dictionary words follow in a fixed shuffled order.
constexpr std::string_view kEnglishFunctionWords =
    "the of and to in a is that for it as was with be by on not this are or from at which but "
    "have an they we were their has would when if so no will can more other its who what about "
    "also our them these than into may only some could after then most such do over first two "
    "new any those should well because where between both each under how did same very through "
    "while further against again now just all there been one";
constexpr std::string_view kRussianFunctionWords =
    "и в не на что с по это к а как из за у то для мы от до все но о так его также при они бы "
    "или этот только еще уже наш был быть весь который свой один между после если без вопрос "
    "очень может должны будет были нас вы их там здесь сегодня когда где ни чем тем";

constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kGreetings{{
    {"Dear Ladies and Gentlemen,", "Дамы и господа,"},
    {"Colleagues,", "Уважаемые коллеги,"},
    {"Dear friends,", "Дорогие друзья,"},
    {"Mr Chairman,", "Господин председатель,"},
}};

// Where the 20 years start: 2006-01-01 as days since 1970-01-01, and how many days they have.
constexpr int64_t kFirstDay = 13149;
constexpr int64_t kDays = 7305;  // 2006-01-01 .. 2025-12-31

// ---------------------------------------------------------------------------------------------
// Zipf with exponent 1 over ranks 1..N: P(rank r) ∝ 1/r. The cumulative table is built with
// divisions and additions only (exactly rounded in IEEE 754), so it is the same everywhere.
class ZipfVocabulary {
 public:
  ZipfVocabulary(std::string_view function_words, const std::vector<std::string>& dictionary) {
    std::set<std::string, std::less<>> seen;
    size_t start = 0;
    while (start < function_words.size()) {
      size_t end = function_words.find(' ', start);
      if (end == std::string_view::npos) end = function_words.size();
      std::string word(function_words.substr(start, end - start));
      if (!word.empty() && seen.insert(word).second) words_.push_back(std::move(word));
      start = end + 1;
    }
    // The dictionary in a fixed pseudo-random order (not the corpus seed: a language's word
    // ranks are the same in every corpus), so rank does not follow the alphabet.
    std::vector<std::string> rest;
    rest.reserve(dictionary.size());
    for (const auto& word : dictionary) {
      if (!seen.contains(word)) rest.push_back(word);
    }
    Random shuffle(0x5EEDF00Dull);
    for (size_t i = rest.size(); i > 1; --i) std::swap(rest[i - 1], rest[shuffle.Below(i)]);
    for (auto& word : rest) words_.push_back(std::move(word));
    cumulative_.reserve(words_.size());
    double sum = 0;
    for (size_t r = 1; r <= words_.size(); ++r) {
      sum += 1.0 / static_cast<double>(r);
      cumulative_.push_back(sum);
    }
  }

  const std::string& Sample(Random& random) const {
    const double target = random.Unit() * cumulative_.back();
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), target);
    const size_t index = std::min(static_cast<size_t>(it - cumulative_.begin()), words_.size() - 1);
    return words_[index];
  }

 private:
  std::vector<std::string> words_;
  std::vector<double> cumulative_;
};

// Upper-cases the first letter: ASCII, or Cyrillic а..я/ё in UTF-8.
void CapitaliseFirst(std::string& text) {
  if (text.empty()) return;
  auto c0 = static_cast<unsigned char>(text[0]);
  if (c0 >= 'a' && c0 <= 'z') {
    text[0] = static_cast<char>(c0 - 'a' + 'A');
    return;
  }
  if (text.size() < 2) return;
  auto c1 = static_cast<unsigned char>(text[1]);
  if (c0 == 0xD0 && c1 >= 0xB0 && c1 <= 0xBF) {  // а..п -> А..П
    text[1] = static_cast<char>(c1 - 0x20);
  } else if (c0 == 0xD1 && c1 >= 0x80 && c1 <= 0x8F) {  // р..я -> Р..Я
    text[0] = static_cast<char>(0xD0);
    text[1] = static_cast<char>(c1 + 0x20);
  } else if (c0 == 0xD1 && c1 == 0x91) {  // ё -> Ё
    text[0] = static_cast<char>(0xD0);
    text[1] = static_cast<char>(0x81);
  }
}

content::LocalDateTime CivilFromDays(int64_t days) {
  // Howard Hinnant's days_from_civil inverse (proleptic Gregorian).
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  content::LocalDateTime local;
  local.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  local.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  local.year = static_cast<int>(yoe + era * 400 + (local.month <= 2 ? 1 : 0));
  return local;
}

// Replaces each "{name}" of `text` by its value.
std::string Fill(std::string_view text,
                 const std::vector<std::pair<std::string_view, std::string>>& values) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      const size_t close = text.find('}', i);
      const std::string_view name = text.substr(i + 1, close - i - 1);
      bool found = false;
      for (const auto& [key, value] : values) {
        if (key == name) {
          out += value;
          found = true;
          break;
        }
      }
      if (found) {
        i = close + 1;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

// What an item is about; each language writes its own words for it.
struct Plan {
  Kind kind = Kind::kArticle;
  std::vector<size_t> speakers;  // answer speakers (index into kPeople); [0] is the main one
  size_t partner = 0;            // the other party of talks
  size_t place = 0;
  std::vector<size_t> topics;
  size_t outlet = 0;
  int title_form = 0;
  content::LocalDateTime local;
  bool department = false;  // a comment by the Information and Press Department
  // The body: a paragraph (speaker -1), a question (-2) or an answer by kPeople[speaker], with
  // how many paragraphs and how many sentences each.
  struct Part {
    int speaker = -1;
    std::vector<int> sentences;  // per paragraph
  };
  std::vector<Part> parts;
  int greeting = -1;  // index into kGreetings for the first paragraph, or -1
  std::vector<std::string> related;
};

constexpr int kParagraph = -1;
constexpr int kQuestion = -2;

}  // namespace

struct Generator::Impl {
  Impl(const WordLists& words, int64_t count, uint64_t seed)
      : english(kEnglishFunctionWords, words.english),
        russian(kRussianFunctionWords, words.russian),
        count(count < 1 ? 1 : count),
        random(seed) {}

  ZipfVocabulary english;
  ZipfVocabulary russian;
  int64_t count;
  int64_t index = 0;
  Random random;
  std::vector<std::string> recent_titles;  // a ring of the last kRecent English titles
  static constexpr size_t kRecent = 500;

  Plan MakePlan();
  std::string Sentence(const Plan& plan, bool english_text, bool question);
  std::string Paragraph(const Plan& plan, bool english_text, int sentences, bool question);
  content::Translation Write(const Plan& plan, bool english_text);
  Asset Next();
};

Plan Generator::Impl::MakePlan() {
  Plan plan;
  // Kinds in rough proportion to a ministry's archive.
  const int k = random.Between(0, 99);
  plan.kind = k < 25   ? Kind::kTranscript
              : k < 40 ? Kind::kSpeech
              : k < 55 ? Kind::kStatement
              : k < 75 ? Kind::kComment
              : k < 85 ? Kind::kInterview
                       : Kind::kArticle;

  // The main speaker: a Russian official most of the time.
  auto pick_russian = [&] {
    for (;;) {
      const size_t p = random.Below(kPeople.size());
      if (kPeople[p].russian) return p;
    }
  };
  const size_t main = random.Chance(0.4) ? 0 : pick_russian();
  plan.speakers.push_back(main);
  // The other party of talks: a foreign guest.
  do {
    plan.partner = random.Below(kPeople.size());
  } while (kPeople[plan.partner].russian);
  if (plan.kind == Kind::kTranscript) {
    // 1-3 speakers answer: the main one, the partner, sometimes a deputy.
    const int speakers = random.Between(1, 3);
    if (speakers >= 2) plan.speakers.push_back(plan.partner);
    if (speakers >= 3) {
      const size_t third = pick_russian();
      if (third != main && third != plan.partner) plan.speakers.push_back(third);
    }
  }
  plan.place = random.Chance(0.35) ? 0 : random.Below(kPlaces.size());
  const int topics = random.Between(1, 3);
  for (int i = 0; i < topics; ++i) {
    const size_t t = random.Below(kTopics.size());
    if (std::find(plan.topics.begin(), plan.topics.end(), t) == plan.topics.end()) {
      plan.topics.push_back(t);
    }
  }
  plan.outlet = random.Below(kOutlets.size());
  plan.title_form = random.Between(0, 2);
  plan.department = plan.kind == Kind::kComment && random.Chance(0.5);

  // Dates by position: item i falls in the i-th slice of the 20 years, oldest first.
  const int64_t slot = std::min(index, count - 1);
  const int64_t day =
      kFirstDay + (slot * kDays + static_cast<int64_t>(random.Below(kDays))) / count;
  plan.local = CivilFromDays(day);
  plan.local.hour = random.Between(9, 20);
  plan.local.minute = random.Between(0, 59);

  // The body: 3..12 paragraphs, shaped per kind.
  int budget = random.Between(3, 12);
  auto sentences = [&](int paragraphs) {
    std::vector<int> out;
    for (int i = 0; i < paragraphs; ++i) out.push_back(random.Between(1, 4));
    return out;
  };
  const bool turns = plan.kind == Kind::kTranscript || plan.kind == Kind::kInterview;
  if (plan.kind == Kind::kTranscript || plan.kind == Kind::kSpeech) {
    plan.greeting = random.Chance(0.5) ? static_cast<int>(random.Below(kGreetings.size())) : -1;
  }
  if (plan.greeting >= 0) --budget;  // the greeting is a paragraph of its own
  if (!turns) {
    plan.parts.push_back({kParagraph, sentences(budget)});
  } else {
    if (plan.kind == Kind::kTranscript) {
      const int opening = random.Between(1, std::max(1, budget / 3));
      plan.parts.push_back({kParagraph, sentences(opening)});
      budget -= opening;
    }
    budget = std::max(budget, 2);
    while (budget > 0) {
      plan.parts.push_back({kQuestion, sentences(1)});
      budget -= 1;
      int answer = budget <= 1 ? 1 : random.Between(1, std::min(3, budget));
      if (budget - answer == 1) ++answer;  // a question needs an answer after it
      const size_t who = plan.speakers[random.Below(plan.speakers.size())];
      plan.parts.push_back({static_cast<int>(who), sentences(answer)});
      budget -= answer;
    }
  }

  // "Additional materials": a few earlier items, by title.
  if (!recent_titles.empty() && random.Chance(0.3)) {
    const int related = random.Between(1, 3);
    for (int i = 0; i < related; ++i) {
      const std::string& title = recent_titles[random.Below(recent_titles.size())];
      if (std::find(plan.related.begin(), plan.related.end(), title) == plan.related.end()) {
        plan.related.push_back(title);
      }
    }
  }
  return plan;
}

std::string Generator::Impl::Sentence(const Plan& plan, bool english_text, bool question) {
  const ZipfVocabulary& vocabulary = english_text ? english : russian;
  const int length = random.Between(8, 30);
  std::vector<std::string> words;
  words.reserve(static_cast<size_t>(length));
  for (int i = 0; i < length; ++i) words.push_back(vocabulary.Sample(random));
  // A sprinkling of what the item is about, so searches for its topics, place and people find
  // it: about every third sentence names one of them.
  if (random.Chance(0.35)) {
    std::string entity;
    const int what = random.Between(0, 9);
    if (what < 5) {
      const Topic& topic = kTopics[plan.topics[random.Below(plan.topics.size())]];
      entity = english_text ? topic.tag : topic.ru;
    } else if (what < 7) {
      const Place& place = kPlaces[plan.place];
      entity = english_text ? place.en : place.ru;
    } else {
      const Person& person =
          kPeople[what == 9 ? plan.partner : plan.speakers[random.Below(plan.speakers.size())]];
      entity = english_text ? person.en : person.ru;
    }
    words[random.Below(words.size())] = std::move(entity);
  }
  std::string text;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) text += ' ';
    text += words[i];
    if (i + 1 < words.size() && i > 1 && random.Chance(0.07)) text += ',';
  }
  CapitaliseFirst(text);
  text += question ? '?' : '.';
  return text;
}

std::string Generator::Impl::Paragraph(const Plan& plan, bool english_text, int sentences,
                                       bool question) {
  std::string text;
  for (int s = 0; s < sentences; ++s) {
    if (s > 0) text += ' ';
    text += Sentence(plan, english_text, question && s + 1 == sentences);
  }
  return text;
}

content::Translation Generator::Impl::Write(const Plan& plan, bool en) {
  content::Translation t;
  t.language = en ? "en-GB" : "ru-RU";
  const Person& p = kPeople[plan.speakers[0]];
  const Person& p2 = kPeople[plan.partner];
  const Role& r = kRoles[static_cast<size_t>(p.role)];
  const Role& r2 = kRoles[static_cast<size_t>(p2.role)];
  const Topic& topic = kTopics[plan.topics[0]];
  const Outlet& outlet = kOutlets[plan.outlet];
  const Place& place = kPlaces[plan.place];
  const auto& d = plan.local;
  const std::string date =
      en ? fmt::format("{} {} {}", d.day, kMonthsEn[static_cast<size_t>(d.month - 1)], d.year)
         : fmt::format("{} {} {}", d.day, kMonthsRu[static_cast<size_t>(d.month - 1)], d.year);
  const std::vector<std::pair<std::string_view, std::string>> values = {
      {"R", std::string(r.en)},
      {"P", std::string(p.en)},
      {"R2", std::string(r2.en)},
      {"P2", std::string(p2.en)},
      {"Rg", std::string(r.ru_gen)},
      {"Pg", std::string(p.ru_gen)},
      {"R2i", std::string(r2.ru_ins)},
      {"P2i", std::string(p2.ru_ins)},
      {"Place", std::string(en ? place.en : place.ru)},
      {"Date", date},
      {"Topic", std::string(topic.tag)},
      {"TopicRu", std::string(topic.ru)},
      {"Outlet", std::string(outlet.en)},
      {"OutletDat", std::string(outlet.ru_dat)},
      {"OutletPrep", std::string(outlet.ru_prep)},
  };
  std::string_view form;
  switch (plan.kind) {
    case Kind::kTranscript: {
      constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kForms{{
          {"Speech of and answers to questions of mass media by {R} {P} during joint press "
           "conference summarizing the results of negotiations with {R2} {P2}, {Place}, {Date}",
           "Выступление и ответы на вопросы СМИ {Rg} {Pg} в ходе совместной пресс-конференции по "
           "итогам переговоров с {R2i} {P2i}, {Place}, {Date} года"},
          {"Speech and answers to questions from the media by {R} {P} at a news conference on "
           "{Topic}, {Place}, {Date}",
           "Выступление и ответы на вопросы СМИ {Rg} {Pg} на пресс-конференции, посвященной теме "
           "«{TopicRu}», {Place}, {Date} года"},
          {"Transcript of the briefing by {R} {P}, {Place}, {Date}",
           "Стенограмма брифинга {Rg} {Pg}, {Place}, {Date} года"},
      }};
      const auto& f = kForms[static_cast<size_t>(plan.title_form) % kForms.size()];
      form = en ? f.first : f.second;
      break;
    }
    case Kind::kSpeech: {
      constexpr std::array<std::pair<std::string_view, std::string_view>, 2> kForms{{
          {"Speech by {R} {P} at the international conference on {Topic}, {Place}, {Date}",
           "Выступление {Rg} {Pg} на международной конференции, посвященной теме «{TopicRu}», "
           "{Place}, {Date} года"},
          {"Opening remarks by {R} {P} at talks with {R2} {P2}, {Place}, {Date}",
           "Вступительное слово {Rg} {Pg} в ходе переговоров с {R2i} {P2i}, {Place}, {Date} "
           "года"},
      }};
      const auto& f = kForms[static_cast<size_t>(plan.title_form) % kForms.size()];
      form = en ? f.first : f.second;
      break;
    }
    case Kind::kStatement:
      form = en ? "Statement by {R} {P} on {Topic}" : "Заявление {Rg} {Pg} по теме «{TopicRu}»";
      break;
    case Kind::kComment:
      form = plan.department
                 ? (en ? "Comment by the Information and Press Department on {Topic}"
                       : "Комментарий Департамента информации и печати МИД России по теме "
                         "«{TopicRu}»")
                 : (en ? "Comment by {R} {P} on {Topic}"
                       : "Комментарий {Rg} {Pg} по теме «{TopicRu}»");
      break;
    case Kind::kInterview:
      form = en ? "Interview of {R} {P} to {Outlet}, {Date}"
                : "Интервью {Rg} {Pg} {OutletDat}, {Date} года";
      break;
    default:
      form = en ? "Article by {R} {P} on {Topic} published in {Outlet}"
                : "Статья {Rg} {Pg} по теме «{TopicRu}», опубликованная в {OutletPrep}";
      break;
  }
  t.title = Fill(form, values);
  CapitaliseFirst(t.title);
  t.slug = content::MakeSlug(t.title);
  t.place = en ? place.en : place.ru;

  bool first = true;
  for (const Plan::Part& part : plan.parts) {
    if (part.speaker == kParagraph) {
      for (size_t i = 0; i < part.sentences.size(); ++i) {
        if (first && plan.greeting >= 0) {
          const auto& greeting = kGreetings[static_cast<size_t>(plan.greeting)];
          t.blocks.push_back(Block::Paragraph(std::string(en ? greeting.first : greeting.second)));
        }
        first = false;
        t.blocks.push_back(Block::Paragraph(Paragraph(plan, en, part.sentences[i], false)));
      }
      continue;
    }
    first = false;
    const bool question = part.speaker == kQuestion;
    std::vector<std::string> paragraphs;
    for (size_t i = 0; i < part.sentences.size(); ++i) {
      paragraphs.push_back(Paragraph(plan, en, part.sentences[i], question && i == 0));
    }
    const std::string speaker =
        question ? (en ? "Question" : "Вопрос")
                 : std::string(en ? kPeople[static_cast<size_t>(part.speaker)].en
                                  : kPeople[static_cast<size_t>(part.speaker)].ru);
    t.blocks.push_back(Block::Turn(question ? TurnRole::kQuestion : TurnRole::kAnswer, speaker,
                                   std::move(paragraphs)));
  }
  // The summary: the first sentence of the first paragraph with some length to it.
  for (const Block& block : t.blocks) {
    const std::string& text =
        block.type == Block::Type::kTurn ? block.paragraphs.front() : block.text;
    if (text.size() < 40) continue;
    const size_t end = text.find_first_of(".?");
    t.summary = text.substr(0, end == std::string::npos ? text.size() : end + 1);
    break;
  }
  return t;
}

Asset Generator::Impl::Next() {
  const Plan plan = MakePlan();
  ++index;
  Asset asset;
  asset.kind = plan.kind;
  asset.status = content::Status::kPublished;
  asset.time_zone = "Europe/Moscow";
  asset.published_at = content::FromLocal(plan.local, asset.time_zone);
  asset.languages = {"en-GB", "ru-RU"};
  if (!plan.department) {
    for (const size_t speaker : plan.speakers) asset.people.emplace_back(kPeople[speaker].en);
  }
  const bool with_partner = plan.kind == Kind::kTranscript ? plan.title_form == 0
                            : plan.kind == Kind::kSpeech   ? plan.title_form == 1
                                                           : false;
  if (with_partner) {
    const std::string partner(kPeople[plan.partner].en);
    if (std::find(asset.people.begin(), asset.people.end(), partner) == asset.people.end()) {
      asset.people.push_back(partner);
    }
  }
  std::set<std::string> topics;
  for (const size_t t : plan.topics) {
    asset.tags.emplace_back(kTopics[t].tag);
    const std::string category(kTopics[t].topic);
    if (topics.insert(category).second) asset.categories["topic"].push_back(category);
  }
  asset.categories["region"].emplace_back(kPlaces[plan.place].region);
  for (const auto& title : plan.related) asset.related.push_back({0, title});

  // Russian first or English first makes no difference to the output (translations is a map),
  // but the random draws must happen in one fixed order.
  content::Translation en = Write(plan, true);
  content::Translation ru = Write(plan, false);
  if (recent_titles.size() < kRecent) {
    recent_titles.push_back(en.title);
  } else {
    recent_titles[static_cast<size_t>(index) % kRecent] = en.title;
  }
  asset.translations.emplace(en.language, std::move(en));
  asset.translations.emplace(ru.language, std::move(ru));
  return asset;
}

Generator::Generator(const WordLists& words, int64_t count, uint64_t seed)
    : impl_(std::make_unique<Impl>(words, count, seed)) {}
Generator::~Generator() = default;
Asset Generator::Next() { return impl_->Next(); }

std::vector<fs::path> GenerateCorpus(int64_t count, uint64_t seed, const fs::path& out_dir,
                                     Progress* progress) {
  if (count < 1 || count > kMaxCount) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("gen-corpus: --count must be 1..{}, not {}", kMaxCount, count));
  }
  const WordLists words = LoadWordLists();
  std::error_code error;
  fs::create_directories(out_dir, error);
  if (error) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("cannot create {}: {}", out_dir.string(), error.message()));
  }
  Generator generator(words, count, seed);
  std::vector<fs::path> files;
  for (int64_t first = 0; first < count; first += kAssetsPerFile) {
    const int64_t n = std::min(kAssetsPerFile, count - first);
    nlohmann::ordered_json items = nlohmann::ordered_json::array();
    for (int64_t i = 0; i < n; ++i) {
      nlohmann::ordered_json item = content::ToJson(generator.Next());
      item.erase("id");  // id-less: importing never overwrites an existing asset
      items.push_back(std::move(item));
      if (progress != nullptr) progress->Advance();
    }
    const fs::path file = out_dir / fmt::format("corpus-{:05}.json", first / kAssetsPerFile + 1);
    // Written whole to a temporary name and renamed: a folder never holds half a file.
    const fs::path temp = file.string() + ".partial";
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      out << items.dump(2) << '\n';
      out.flush();
      if (!out) {
        throw Error(ErrorCode::kUnavailable, fmt::format("cannot write {}", temp.string()));
      }
    }
    fs::rename(temp, file, error);
    if (error) {
      throw Error(ErrorCode::kUnavailable,
                  fmt::format("cannot write {}: {}", file.string(), error.message()));
    }
    files.push_back(file);
  }
  // A smaller corpus over a bigger one: drop the bigger one's extra files.
  const std::regex pattern("corpus-[0-9]{5,}\\.json");
  std::vector<fs::path> stale;
  for (const auto& entry : fs::directory_iterator(out_dir, error)) {
    const std::string name = entry.path().filename().string();
    if (!std::regex_match(name, pattern)) continue;
    if (std::find(files.begin(), files.end(), entry.path()) == files.end()) {
      stale.push_back(entry.path());
    }
  }
  for (const auto& path : stale) fs::remove(path, error);
  return files;
}

}  // namespace assetpub::corpus
