#pragma once
// The fixed bilingual vocabulary of generated items: the people who speak, their roles, places,
// topics, outlets, countries, organisations and the short phrases sentences are built from, each
// with the English form and the Russian case forms the templates (prose.cpp) need. Changing any
// of these changes every corpus: do it on purpose. Constant data: safe to share between threads.

#include <array>
#include <string_view>

namespace assetpub::corpus {

// Fixed vocabularies. Changing any of these changes every corpus: do it on purpose.

struct Role {
  std::string_view en;      // "Russian Foreign Minister"
  std::string_view ru_gen;  // genitive: "Министра иностранных дел России"
  std::string_view ru_ins;  // instrumental: "Министром иностранных дел России"
  int country;              // index into kCountries, or -1 (Russian officials, organisations)
};

inline constexpr std::array<Role, 16> kRoles{{
    {"Russian Foreign Minister", "Министра иностранных дел России",
     "Министром иностранных дел России", -1},
    {"Deputy Foreign Minister of Russia", "заместителя Министра иностранных дел России",
     "заместителем Министра иностранных дел России", -1},
    {"Official Representative of the Russian Ministry of Foreign Affairs",
     "официального представителя МИД России", "официальным представителем МИД России", -1},
    {"OIC Secretary General", "Генерального секретаря ОИС", "Генеральным секретарем ОИС", -1},
    {"UN Under-Secretary-General", "заместителя Генерального секретаря ООН",
     "заместителем Генерального секретаря ООН", -1},
    {"Foreign Minister of Egypt", "Министра иностранных дел Египта",
     "Министром иностранных дел Египта", 0},
    {"Foreign Minister of India", "Министра иностранных дел Индии",
     "Министром иностранных дел Индии", 1},
    {"Foreign Minister of Brazil", "Министра иностранных дел Бразилии",
     "Министром иностранных дел Бразилии", 2},
    {"Foreign Minister of China", "Министра иностранных дел Китая",
     "Министром иностранных дел Китая", 3},
    {"Foreign Minister of Germany", "Министра иностранных дел Германии",
     "Министром иностранных дел Германии", 4},
    {"Foreign Minister of France", "Министра иностранных дел Франции",
     "Министром иностранных дел Франции", 5},
    {"Foreign Minister of Turkey", "Министра иностранных дел Турции",
     "Министром иностранных дел Турции", 6},
    {"Foreign Minister of Kazakhstan", "Министра иностранных дел Казахстана",
     "Министром иностранных дел Казахстана", 7},
    {"Foreign Minister of Finland", "Министра иностранных дел Финляндии",
     "Министром иностранных дел Финляндии", 8},
    {"Director of the Information and Press Department",
     "директора Департамента информации и печати", "директором Департамента информации и печати",
     -1},
    {"Ambassador of Russia to the United States", "Посла России в США", "Послом России в США", -1},
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
inline constexpr std::array<Person, 40> kPeople{{
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
  std::string_view ru_in;   // "в Москве", "во Владивостоке"
  std::string_view region;  // the "region" category term
};

inline constexpr std::array<Place, 32> kPlaces{{
    {"Moscow", "Москва", "в Москве", "Russia"},
    {"Saint Petersburg", "Санкт-Петербург", "в Санкт-Петербурге", "Russia"},
    {"Kazan", "Казань", "в Казани", "Russia"},
    {"Sochi", "Сочи", "в Сочи", "Russia"},
    {"Vladivostok", "Владивосток", "во Владивостоке", "Russia"},
    {"Yekaterinburg", "Екатеринбург", "в Екатеринбурге", "Russia"},
    {"Kaliningrad", "Калининград", "в Калининграде", "Russia"},
    {"Geneva", "Женева", "в Женеве", "International organisations"},
    {"New York", "Нью-Йорк", "в Нью-Йорке", "International organisations"},
    {"Vienna", "Вена", "в Вене", "International organisations"},
    {"Washington", "Вашингтон", "в Вашингтоне", "North America"},
    {"Paris", "Париж", "в Париже", "Europe"},
    {"Berlin", "Берлин", "в Берлине", "Europe"},
    {"London", "Лондон", "в Лондоне", "Europe"},
    {"Brussels", "Брюссель", "в Брюсселе", "Europe"},
    {"Helsinki", "Хельсинки", "в Хельсинки", "Europe"},
    {"Beijing", "Пекин", "в Пекине", "Asia-Pacific"},
    {"Tokyo", "Токио", "в Токио", "Asia-Pacific"},
    {"Hanoi", "Ханой", "в Ханое", "Asia-Pacific"},
    {"New Delhi", "Нью-Дели", "в Нью-Дели", "South Asia"},
    {"Brasilia", "Бразилиа", "в Бразилиа", "Latin America"},
    {"Buenos Aires", "Буэнос-Айрес", "в Буэнос-Айресе", "Latin America"},
    {"Cairo", "Каир", "в Каире", "Middle East and North Africa"},
    {"Riyadh", "Эр-Рияд", "в Эр-Рияде", "Middle East and North Africa"},
    {"Jeddah", "Джидда", "в Джидде", "Middle East and North Africa"},
    {"Damascus", "Дамаск", "в Дамаске", "Middle East and North Africa"},
    {"Tehran", "Тегеран", "в Тегеране", "Middle East and North Africa"},
    {"Ankara", "Анкара", "в Анкаре", "Europe"},
    {"Astana", "Астана", "в Астане", "CIS"},
    {"Minsk", "Минск", "в Минске", "CIS"},
    {"Baku", "Баку", "в Баку", "CIS"},
    {"Johannesburg", "Йоханнесбург", "в Йоханнесбурге", "Sub-Saharan Africa"},
}};

struct Topic {
  std::string_view tag;     // the tag (English, on both languages)
  std::string_view ru;      // how Russian titles name it: «Сирия»
  std::string_view topic;   // the "topic" category term
  std::string_view en;      // English prose, holding the tag: "the situation in Syria"
  std::string_view ru_gen;  // Russian prose, genitive: "ситуации в Сирии"
  std::string_view ru_dat;  // dative, after «по» and «к»: "ситуации в Сирии"
  std::string_view ru_about;  // «о» or «об» with the prepositional: "о ситуации в Сирии"
};

inline constexpr std::array<Topic, 52> kTopics{{
    {"Syria", "Сирия", "Regional conflicts", "the situation in Syria", "ситуации в Сирии",
     "ситуации в Сирии", "о ситуации в Сирии"},
    {"OIC", "ОИС", "Multilateral diplomacy", "cooperation with the OIC", "сотрудничества с ОИС",
     "сотрудничеству с ОИС", "о сотрудничестве с ОИС"},
    {"Middle East", "Ближний Восток", "Regional conflicts", "the settlement in the Middle East",
     "урегулирования на Ближнем Востоке", "урегулированию на Ближнем Востоке",
     "об урегулировании на Ближнем Востоке"},
    {"BRICS", "БРИКС", "Multilateral diplomacy", "cooperation within BRICS",
     "взаимодействия в рамках БРИКС", "взаимодействию в рамках БРИКС",
     "о взаимодействии в рамках БРИКС"},
    {"SCO", "ШОС", "Multilateral diplomacy", "cooperation within the SCO",
     "взаимодействия в рамках ШОС", "взаимодействию в рамках ШОС", "о взаимодействии в рамках ШОС"},
    {"United Nations", "ООН", "Multilateral diplomacy", "the reform of the United Nations",
     "реформы ООН", "реформе ООН", "о реформе ООН"},
    {"UN Security Council", "Совет Безопасности ООН", "Multilateral diplomacy",
     "the work of the UN Security Council", "работы Совета Безопасности ООН",
     "работе Совета Безопасности ООН", "о работе Совета Безопасности ООН"},
    {"G20", "Группа двадцати", "Economic diplomacy", "the G20 agenda",
     "повестки дня «Группы двадцати»", "повестке дня «Группы двадцати»",
     "о повестке дня «Группы двадцати»"},
    {"CIS", "СНГ", "Multilateral diplomacy", "integration within the CIS", "интеграции в СНГ",
     "интеграции в СНГ", "об интеграции в СНГ"},
    {"EAEU", "ЕАЭС", "Economic diplomacy", "Eurasian integration within the EAEU",
     "евразийской интеграции в рамках ЕАЭС", "евразийской интеграции в рамках ЕАЭС",
     "о евразийской интеграции в рамках ЕАЭС"},
    {"CSTO", "ОДКБ", "International security", "collective security within the CSTO",
     "коллективной безопасности в рамках ОДКБ", "коллективной безопасности в рамках ОДКБ",
     "о коллективной безопасности в рамках ОДКБ"},
    {"NATO", "НАТО", "International security", "the expansion of NATO", "расширения НАТО",
     "расширению НАТО", "о расширении НАТО"},
    {"European Union", "Евросоюз", "Multilateral diplomacy", "relations with the European Union",
     "отношений с Европейским союзом", "отношениям с Европейским союзом",
     "об отношениях с Европейским союзом"},
    {"OSCE", "ОБСЕ", "International security", "the work of the OSCE", "деятельности ОБСЕ",
     "деятельности ОБСЕ", "о деятельности ОБСЕ"},
    {"APEC", "АТЭС", "Economic diplomacy", "the APEC agenda", "повестки дня АТЭС",
     "повестке дня АТЭС", "о повестке дня АТЭС"},
    {"ASEAN", "АСЕАН", "Multilateral diplomacy", "dialogue with ASEAN", "диалога с АСЕАН",
     "диалогу с АСЕАН", "о диалоге с АСЕАН"},
    {"Arctic", "Арктика", "Foreign policy", "cooperation in the Arctic", "сотрудничества в Арктике",
     "сотрудничеству в Арктике", "о сотрудничестве в Арктике"},
    {"Afghanistan", "Афганистан", "Regional conflicts", "the situation in Afghanistan",
     "ситуации в Афганистане", "ситуации в Афганистане", "о ситуации в Афганистане"},
    {"Iran", "Иран", "Regional conflicts", "the situation around Iran", "ситуации вокруг Ирана",
     "ситуации вокруг Ирана", "о ситуации вокруг Ирана"},
    {"Iraq", "Ирак", "Regional conflicts", "the situation in Iraq", "ситуации в Ираке",
     "ситуации в Ираке", "о ситуации в Ираке"},
    {"Libya", "Ливия", "Regional conflicts", "the settlement in Libya", "урегулирования в Ливии",
     "урегулированию в Ливии", "об урегулировании в Ливии"},
    {"Egypt", "Египет", "Foreign policy", "relations with Egypt", "отношений с Египтом",
     "отношениям с Египтом", "об отношениях с Египтом"},
    {"Palestine", "Палестина", "Regional conflicts", "the question of Palestine",
     "палестинского вопроса", "палестинскому вопросу", "о палестинском вопросе"},
    {"Yemen", "Йемен", "Regional conflicts", "the crisis in Yemen", "кризиса в Йемене",
     "кризису в Йемене", "о кризисе в Йемене"},
    {"Korean Peninsula", "Корейский полуостров", "International security",
     "the situation on the Korean Peninsula", "ситуации на Корейском полуострове",
     "ситуации на Корейском полуострове", "о ситуации на Корейском полуострове"},
    {"Ukraine", "Украина", "Regional conflicts", "the situation in Ukraine", "ситуации на Украине",
     "ситуации на Украине", "о ситуации на Украине"},
    {"Belarus", "Белоруссия", "Foreign policy", "relations with Belarus", "отношений с Белоруссией",
     "отношениям с Белоруссией", "об отношениях с Белоруссией"},
    {"Moldova", "Молдавия", "Foreign policy", "the situation in Moldova", "ситуации в Молдавии",
     "ситуации в Молдавии", "о ситуации в Молдавии"},
    {"South Caucasus", "Южный Кавказ", "Regional conflicts", "stability in the South Caucasus",
     "стабильности на Южном Кавказе", "стабильности на Южном Кавказе",
     "о стабильности на Южном Кавказе"},
    {"Central Asia", "Центральная Азия", "Foreign policy", "security in Central Asia",
     "безопасности в Центральной Азии", "безопасности в Центральной Азии",
     "о безопасности в Центральной Азии"},
    {"Balkans", "Балканы", "Foreign policy", "the situation in the Balkans", "ситуации на Балканах",
     "ситуации на Балканах", "о ситуации на Балканах"},
    {"Cyprus", "Кипр", "Regional conflicts", "the settlement on Cyprus", "кипрского урегулирования",
     "кипрскому урегулированию", "о кипрском урегулировании"},
    {"Venezuela", "Венесуэла", "Foreign policy", "the situation in Venezuela",
     "ситуации в Венесуэле", "ситуации в Венесуэле", "о ситуации в Венесуэле"},
    {"Cuba", "Куба", "Foreign policy", "relations with Cuba", "отношений с Кубой",
     "отношениям с Кубой", "об отношениях с Кубой"},
    {"Africa", "Африка", "Foreign policy", "partnership with Africa", "партнерства с Африкой",
     "партнерству с Африкой", "о партнерстве с Африкой"},
    {"Counter-terrorism", "борьба с терроризмом", "International security",
     "counter-terrorism cooperation", "борьбы с терроризмом", "борьбе с терроризмом",
     "о борьбе с терроризмом"},
    {"Arms control", "контроль над вооружениями", "International security", "arms control",
     "контроля над вооружениями", "контролю над вооружениями", "о контроле над вооружениями"},
    {"Non-proliferation", "нераспространение", "International security",
     "the non-proliferation regime", "режима нераспространения", "режиму нераспространения",
     "о режиме нераспространения"},
    {"Chemical weapons", "химическое оружие", "International security",
     "the prohibition of chemical weapons", "запрещения химического оружия",
     "запрещению химического оружия", "о запрещении химического оружия"},
    {"Nuclear energy", "атомная энергетика", "Economic diplomacy", "cooperation in nuclear energy",
     "сотрудничества в области атомной энергетики", "сотрудничеству в области атомной энергетики",
     "о сотрудничестве в области атомной энергетики"},
    {"Energy security", "энергетическая безопасность", "Economic diplomacy", "energy security",
     "энергетической безопасности", "энергетической безопасности",
     "об энергетической безопасности"},
    {"Climate", "климат", "Economic diplomacy", "climate change", "изменения климата",
     "изменению климата", "об изменении климата"},
    {"Human rights", "права человека", "Humanitarian issues", "the protection of human rights",
     "защиты прав человека", "защите прав человека", "о защите прав человека"},
    {"Compatriots abroad", "соотечественники за рубежом", "Humanitarian issues",
     "support for compatriots abroad", "поддержки соотечественников за рубежом",
     "поддержке соотечественников за рубежом", "о поддержке соотечественников за рубежом"},
    {"Visa regime", "визовый режим", "Consular affairs", "the visa regime", "визового режима",
     "визовому режиму", "о визовом режиме"},
    {"Migration", "миграция", "Consular affairs", "migration policy", "миграционной политики",
     "миграционной политике", "о миграционной политике"},
    {"Information security", "информационная безопасность", "International security",
     "international information security", "международной информационной безопасности",
     "международной информационной безопасности", "о международной информационной безопасности"},
    {"Outer space", "космическое пространство", "International security",
     "the peaceful use of outer space", "мирного использования космического пространства",
     "мирному использованию космического пространства",
     "о мирном использовании космического пространства"},
    {"Trade and investment", "торговля и инвестиции", "Economic diplomacy", "trade and investment",
     "торговли и инвестиций", "торговле и инвестициям", "о торговле и инвестициях"},
    {"Culture", "культура", "Culture and education", "cooperation in the field of culture",
     "культурного сотрудничества", "культурному сотрудничеству", "о культурном сотрудничестве"},
    {"Education", "образование", "Culture and education", "cooperation in education",
     "сотрудничества в сфере образования", "сотрудничеству в сфере образования",
     "о сотрудничестве в сфере образования"},
    {"Sport", "спорт", "Culture and education", "sport and youth exchanges",
     "спортивных и молодежных обменов", "спортивным и молодежным обменам",
     "о спортивных и молодежных обменах"},
}};

struct Outlet {
  std::string_view en;       // "Kommersant newspaper"
  std::string_view ru_dat;   // dative: "газете «Коммерсантъ»"
  std::string_view ru_prep;  // prepositional: "газете «Коммерсантъ»"
};

inline constexpr std::array<Outlet, 12> kOutlets{{
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

// Countries prose names (the partner's, when the partner is a foreign minister: kRoles' country).
// Every Russian form takes «с» and «в» as written («во» is part of ru_in where needed).
struct Country {
  std::string_view en;      // "Egypt"
  std::string_view ru_gen;  // "Египта"
  std::string_view ru_ins;  // "Египтом" (after «с» and «между Россией и»)
  std::string_view ru_in;   // "в Египте", "во Франции"
};

inline constexpr std::array<Country, 32> kCountries{{
    {"Egypt", "Египта", "Египтом", "в Египте"},
    {"India", "Индии", "Индией", "в Индии"},
    {"Brazil", "Бразилии", "Бразилией", "в Бразилии"},
    {"China", "Китая", "Китаем", "в Китае"},
    {"Germany", "Германии", "Германией", "в Германии"},
    {"France", "Франции", "Францией", "во Франции"},
    {"Turkey", "Турции", "Турцией", "в Турции"},
    {"Kazakhstan", "Казахстана", "Казахстаном", "в Казахстане"},
    {"Finland", "Финляндии", "Финляндией", "в Финляндии"},
    {"Indonesia", "Индонезии", "Индонезией", "в Индонезии"},
    {"Vietnam", "Вьетнама", "Вьетнамом", "во Вьетнаме"},
    {"Argentina", "Аргентины", "Аргентиной", "в Аргентине"},
    {"Mexico", "Мексики", "Мексикой", "в Мексике"},
    {"South Africa", "ЮАР", "ЮАР", "в ЮАР"},
    {"Algeria", "Алжира", "Алжиром", "в Алжире"},
    {"Saudi Arabia", "Саудовской Аравии", "Саудовской Аравией", "в Саудовской Аравии"},
    {"Serbia", "Сербии", "Сербией", "в Сербии"},
    {"Hungary", "Венгрии", "Венгрией", "в Венгрии"},
    {"Italy", "Италии", "Италией", "в Италии"},
    {"Mongolia", "Монголии", "Монголией", "в Монголии"},
    {"Armenia", "Армении", "Арменией", "в Армении"},
    {"Uzbekistan", "Узбекистана", "Узбекистаном", "в Узбекистане"},
    {"Malaysia", "Малайзии", "Малайзией", "в Малайзии"},
    {"Ethiopia", "Эфиопии", "Эфиопией", "в Эфиопии"},
    {"Qatar", "Катара", "Катаром", "в Катаре"},
    {"Jordan", "Иордании", "Иорданией", "в Иордании"},
    {"Laos", "Лаоса", "Лаосом", "в Лаосе"},
    {"Norway", "Норвегии", "Норвегией", "в Норвегии"},
    {"Austria", "Австрии", "Австрией", "в Австрии"},
    {"Pakistan", "Пакистана", "Пакистаном", "в Пакистане"},
    {"Tunisia", "Туниса", "Тунисом", "в Тунисе"},
    {"Thailand", "Таиланда", "Таиландом", "в Таиланде"},
}};

struct Organisation {
  std::string_view en;      // as English prose writes it mid-sentence: "the SCO", "BRICS"
  std::string_view ru_gen;  // "ШОС", "Совета Безопасности ООН"
  std::string_view ru_in;   // "в ШОС", "в Совете Безопасности ООН"
};

inline constexpr std::array<Organisation, 18> kOrganisations{{
    {"the United Nations", "ООН", "в ООН"},
    {"the UN Security Council", "Совета Безопасности ООН", "в Совете Безопасности ООН"},
    {"BRICS", "БРИКС", "в БРИКС"},
    {"the SCO", "ШОС", "в ШОС"},
    {"the CIS", "СНГ", "в СНГ"},
    {"the UN General Assembly", "Генеральной Ассамблеи ООН", "в Генеральной Ассамблее ООН"},
    {"the EAEU", "ЕАЭС", "в ЕАЭС"},
    {"the CSTO", "ОДКБ", "в ОДКБ"},
    {"the OSCE", "ОБСЕ", "в ОБСЕ"},
    {"the G20", "«Группы двадцати»", "в «Группе двадцати»"},
    {"APEC", "АТЭС", "в АТЭС"},
    {"ASEAN", "АСЕАН", "в АСЕАН"},
    {"the African Union", "Африканского союза", "в Африканском союзе"},
    {"the League of Arab States", "Лиги арабских государств", "в Лиге арабских государств"},
    {"UNESCO", "ЮНЕСКО", "в ЮНЕСКО"},
    {"the IAEA", "МАГАТЭ", "в МАГАТЭ"},
    {"the OPCW", "ОЗХО", "в ОЗХО"},
    {"the UN Human Rights Council", "Совета ООН по правам человека",
     "в Совете ООН по правам человека"},
}};

// Short phrases that fill one slot of a sentence in both languages, in one case each.
struct Phrase {
  std::string_view en;
  std::string_view ru;
};

// Areas of cooperation: "cooperation in the field of {}", «сотрудничество в области {}» (genitive).
inline constexpr std::array<Phrase, 16> kFields{{
    {"trade", "торговли"},
    {"energy", "энергетики"},
    {"transport", "транспорта"},
    {"agriculture", "сельского хозяйства"},
    {"healthcare", "здравоохранения"},
    {"science and technology", "науки и техники"},
    {"tourism", "туризма"},
    {"education", "образования"},
    {"finance", "финансов"},
    {"digital technologies", "цифровых технологий"},
    {"industry", "промышленности"},
    {"space research", "космических исследований"},
    {"culture", "культуры"},
    {"logistics", "логистики"},
    {"emergency response", "реагирования на чрезвычайные ситуации"},
    {"fisheries", "рыболовства"},
}};

// How talks went: "The talks took place {}", «Переговоры прошли {}».
inline constexpr std::array<Phrase, 6> kMoods{{
    {"in a constructive and friendly atmosphere", "в конструктивной и дружественной атмосфере"},
    {"in a businesslike and frank manner", "в деловом и откровенном ключе"},
    {"in a spirit of mutual understanding", "в духе взаимопонимания"},
    {"in a traditionally friendly atmosphere", "в традиционно дружественной атмосфере"},
    {"in a trusting atmosphere", "в доверительной атмосфере"},
    {"in a substantive and constructive manner", "в содержательном и конструктивном ключе"},
}};

// What is signed: "we signed {}", «мы подписали {}» (accusative).
inline constexpr std::array<Phrase, 8> kDocuments{{
    {"a plan of consultations between our foreign ministries",
     "план консультаций между министерствами иностранных дел"},
    {"a joint statement", "совместное заявление"},
    {"an agreement on visa-free travel for holders of diplomatic passports",
     "соглашение о безвизовых поездках для владельцев дипломатических паспортов"},
    {"a memorandum of understanding on information security",
     "меморандум о взаимопонимании в области информационной безопасности"},
    {"a treaty on mutual legal assistance", "договор о взаимной правовой помощи"},
    {"a programme of cultural exchanges", "программу культурных обменов"},
    {"a roadmap for trade and economic cooperation",
     "дорожную карту торгово-экономического сотрудничества"},
    {"an agreement on the mutual protection of investments",
     "соглашение о взаимной защите капиталовложений"},
}};

inline constexpr std::array<std::string_view, 12> kMonthsEn{
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
inline constexpr std::array<std::string_view, 12> kMonthsRu{
    "января", "февраля", "марта",    "апреля",  "мая",    "июня",
    "июля",   "августа", "сентября", "октября", "ноября", "декабря"};
// «в марте» and «на март».
inline constexpr std::array<std::string_view, 12> kMonthsRuIn{
    "в январе", "в феврале", "в марте",    "в апреле",  "в мае",    "в июне",
    "в июле",   "в августе", "в сентябре", "в октябре", "в ноябре", "в декабре"};
inline constexpr std::array<std::string_view, 12> kMonthsRuFor{
    "на январь", "на февраль", "на март",     "на апрель",  "на май",    "на июнь",
    "на июль",   "на август",  "на сентябрь", "на октябрь", "на ноябрь", "на декабрь"};

// A speech's first paragraph. Exclamation marks as in the Russian texts, so every paragraph
// ends like a sentence.
inline constexpr std::array<Phrase, 4> kGreetings{{
    {"Ladies and gentlemen!", "Дамы и господа!"},
    {"Colleagues!", "Уважаемые коллеги!"},
    {"Dear friends!", "Дорогие друзья!"},
    {"Mr Chairman!", "Господин председатель!"},
}};

}  // namespace assetpub::corpus
