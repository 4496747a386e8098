#include "corpus/generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <exception>
#include <fstream>
#include <mutex>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "content/asset_json.h"
#include "content/instant.h"
#include "content/slug.h"
#include "core/error.h"
#include "corpus/prose.h"
#include "corpus/random.h"
#include "corpus/vocabulary.h"

namespace assetpub::corpus {
namespace {

namespace fs = std::filesystem;
using content::Asset;
using content::Block;
using content::Kind;
using content::TurnRole;

// Where the 20 years start: 2006-01-01 as days since 1970-01-01, and how many days they have.
constexpr int64_t kFirstDay = 13149;
constexpr int64_t kDays = 7305;  // 2006-01-01 .. 2025-12-31

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
  size_t country = 0;  // index into kCountries: the partner's, or one drawn for the item
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
    size_t focus = 0;            // a question and its answer: the topic asked about (kTopics)
  };
  std::vector<Part> parts;
  int greeting = -1;  // index into kGreetings for the first paragraph, or -1
  std::vector<std::string> related;
  uint64_t text_seed = 0;  // Prose::Begin's seed: both languages' text from the same draws
};

constexpr int kParagraph = -1;
constexpr int kQuestion = -2;

// The sentences of an item's own paragraphs (not its questions and answers), by what it is.
Register OpeningRegister(const Plan& plan) {
  switch (plan.kind) {
    case Kind::kTranscript:  // after talks, at a news conference on a topic, at a briefing
      return plan.title_form == 0   ? Register::kTalks
             : plan.title_form == 1 ? Register::kPolicy
                                    : Register::kOfficial;
    case Kind::kSpeech:  // at a conference on a topic, at talks
      return plan.title_form == 1 ? Register::kTalks : Register::kPolicy;
    case Kind::kStatement:
    case Kind::kComment:
      return Register::kOfficial;
    default:
      return Register::kPolicy;
  }
}

}  // namespace

struct Generator::Impl {
  Impl(const WordLists& words, int64_t count, uint64_t seed)
      : prose(words), count(count < 1 ? 1 : count), random(seed) {}

  Prose prose;
  int64_t count;
  int64_t index = 0;
  Random random;
  std::vector<std::string> recent_titles;  // a ring of the last kRecent English titles
  static constexpr size_t kRecent = 500;

  Plan MakePlan();
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
    // The main speaker answers, sometimes with a deputy; never the foreign guest: the transcript
    // is of "remarks and answers to questions" by the ministry's own people (as on mid.ru), and
    // every question and answer template speaks of and for Russia ("What is Russia's position
    // on …?", "our position is well known").
    const int speakers = random.Between(1, 3);
    if (speakers >= 2) plan.speakers.push_back(plan.partner);  // a draw kept: the same seed's
    if (speakers >= 3) {                                       // corpus stays the same otherwise
      const size_t third = pick_russian();
      if (third != main && third != plan.partner) plan.speakers.push_back(third);
    }
    std::erase(plan.speakers, plan.partner);
  }
  plan.place = random.Chance(0.35) ? 0 : random.Below(kPlaces.size());
  const int topics = random.Between(1, 3);
  for (int i = 0; i < topics; ++i) {
    const size_t t = random.Below(kTopics.size());
    if (std::find(plan.topics.begin(), plan.topics.end(), t) == plan.topics.end()) {
      plan.topics.push_back(t);
    }
  }
  const size_t any_country = random.Below(kCountries.size());
  const int partner_country = kRoles[static_cast<size_t>(kPeople[plan.partner].role)].country;
  plan.country = partner_country >= 0 ? static_cast<size_t>(partner_country) : any_country;
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
      const size_t focus = plan.topics[random.Below(plan.topics.size())];
      plan.parts.push_back({kQuestion, sentences(1), focus});
      budget -= 1;
      int answer = budget <= 1 ? 1 : random.Between(1, std::min(3, budget));
      if (budget - answer == 1) ++answer;  // a question needs an answer after it
      const size_t who = plan.speakers[random.Below(plan.speakers.size())];
      plan.parts.push_back({static_cast<int>(who), sentences(answer), focus});
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
  plan.text_seed = random.Below(uint64_t{1} << 32) << 32 | random.Below(uint64_t{1} << 32);
  return plan;
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

  // The body, from the plan's text seed: the same draws in both languages.
  Subject subject;
  subject.topics = plan.topics;
  subject.place = plan.place;
  subject.country = plan.country;
  subject.partner = plan.partner;
  subject.year = d.year;
  prose.Begin(plan.text_seed);
  auto paragraph = [&](Register register_, int sentences, size_t focus, bool lead = false) {
    std::string text = prose.Paragraph(subject, en, register_, sentences, focus, lead);
    // The summary: the first sentence of the first paragraph with some length to it.
    if (t.summary.empty() && text.size() >= 40) t.summary = prose.FirstSentence();
    return text;
  };
  const Register opening = OpeningRegister(plan);
  bool first = true;
  for (const Plan::Part& part : plan.parts) {
    if (part.speaker == kParagraph) {
      for (const int sentences : part.sentences) {
        if (first && plan.greeting >= 0) {
          const Phrase& greeting = kGreetings[static_cast<size_t>(plan.greeting)];
          t.blocks.push_back(Block::Paragraph(std::string(en ? greeting.en : greeting.ru)));
        }
        // One more sentence than planned: template sentences are shorter than the 8-30 random
        // words each planned sentence once had, and the text keeps about its former length.
        t.blocks.push_back(
            Block::Paragraph(paragraph(opening, sentences + 1, plan.topics[0], first)));
        first = false;
      }
      continue;
    }
    first = false;
    const bool question = part.speaker == kQuestion;
    std::vector<std::string> paragraphs;
    for (size_t i = 0; i < part.sentences.size(); ++i) {
      if (question) {
        // A journalist asks in a sentence or two, whatever the paragraph's length in the plan.
        paragraphs.push_back(
            paragraph(Register::kQuestion, std::min(part.sentences[i], 2), part.focus));
      } else {
        paragraphs.push_back(paragraph(i == 0 ? Register::kAnswer : Register::kPolicy,
                                       part.sentences[i] + 1, part.focus));
      }
    }
    const std::string speaker =
        question ? (en ? "Question" : "Вопрос")
                 : std::string(en ? kPeople[static_cast<size_t>(part.speaker)].en
                                  : kPeople[static_cast<size_t>(part.speaker)].ru);
    t.blocks.push_back(Block::Turn(question ? TurnRole::kQuestion : TurnRole::kAnswer, speaker,
                                   std::move(paragraphs)));
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
  // Then each person's Russian name: people are one list for all of an item's languages, and
  // the site shows a page the names written in its language's script (render::Renderer).
  const size_t english_names = asset.people.size();
  for (size_t i = 0; i < english_names; ++i) {
    const auto person = std::find_if(kPeople.begin(), kPeople.end(),
                                     [&](const Person& p) { return p.en == asset.people[i]; });
    asset.people.emplace_back(person->ru_full);
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

namespace {

// One file's items, in order.
struct FileBatch {
  size_t file = 0;
  std::vector<Asset> items;
};

// Writes `items` to `file` as a JSON array of id-less exports, whole to a temporary name and then
// renamed: a folder never holds half a file.
void WriteCorpusFile(const fs::path& file, const std::vector<Asset>& items) {
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const Asset& asset : items) {
    nlohmann::ordered_json item = content::ToJson(asset);
    item.erase("id");  // id-less: importing never overwrites an existing asset
    array.push_back(std::move(item));
  }
  const fs::path temp = file.string() + ".partial";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << array.dump(2) << '\n';
    out.flush();
    if (!out) throw Error(ErrorCode::kUnavailable, fmt::format("cannot write {}", temp.string()));
  }
  std::error_code error;
  fs::rename(temp, file, error);
  if (error) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("cannot write {}: {}", file.string(), error.message()));
  }
}

}  // namespace

// The items come from one generator, in order: each depends on the draws before it, which is
// what keeps a corpus the same byte for byte. Turning them into JSON and writing them, about half
// of the work (perf), goes to one writer thread per core, a file at a time, while the caller's
// thread generates the next files.
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
  std::vector<fs::path> files;
  for (int64_t first = 0; first < count; first += kAssetsPerFile) {
    files.push_back(out_dir / fmt::format("corpus-{:05}.json", first / kAssetsPerFile + 1));
  }

  std::mutex mutex;  // guards what follows
  std::condition_variable ready, room;
  std::deque<FileBatch> queue;
  bool generated = false;
  std::exception_ptr failure;
  const size_t writers = std::max(1u, std::thread::hardware_concurrency());
  const auto write = [&] {
    for (;;) {
      FileBatch batch;
      {
        std::unique_lock lock(mutex);
        ready.wait(lock, [&] { return !queue.empty() || generated || failure; });
        if (queue.empty() || failure) return;
        batch = std::move(queue.front());
        queue.pop_front();
      }
      room.notify_one();
      try {
        WriteCorpusFile(files[batch.file], batch.items);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        room.notify_all();
        return;
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t i = 0; i < writers; ++i) threads.emplace_back(write);
  try {
    Generator generator(words, count, seed);
    for (size_t file = 0; file < files.size(); ++file) {
      FileBatch batch{file, {}};
      const int64_t first = static_cast<int64_t>(file) * kAssetsPerFile;
      for (int64_t i = first; i < std::min(count, first + kAssetsPerFile); ++i) {
        batch.items.push_back(generator.Next());
        if (progress != nullptr) progress->Advance();
      }
      std::unique_lock lock(mutex);
      room.wait(lock, [&] { return queue.size() < 2 * writers || failure; });
      if (failure) break;
      queue.push_back(std::move(batch));
      ready.notify_one();
    }
  } catch (...) {
    std::lock_guard lock(mutex);
    if (!failure) failure = std::current_exception();
  }
  {
    std::lock_guard lock(mutex);
    generated = true;
  }
  ready.notify_all();
  for (std::thread& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);

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
