#include "corpus/prose.h"

#include <algorithm>
#include <cassert>
#include <initializer_list>
#include <string_view>
#include <tuple>

#include "corpus/vocabulary.h"

namespace assetpub::corpus {
namespace {

// A sentence in both languages. Slots: {topic} (English) and {topic.gen}, {topic.dat},
// {topic.about} (Russian); {country} and {country.gen}, {country.ins}, {country.in}; {org} and
// {org.gen}, {org.in}; {place} and {place.in}; {month} and {month.in}, {month.for}; {field},
// {mood}, {document}, {year}, {figure}, {role2} and {role2.ins}, {partner} and {partner.ins};
// {Rare}, {Rare2}, {Rare3} (capitalised) and {rare2}, {rare3} (as the dictionary writes it).
// Prose::Extended's: {field2}; {city}, {city2} and {city.in}, {city.gen}; {inst} and
// {inst.gen}; {praise}, {praise2}, {crit} (English) and {praise.FORM} … (Russian, FORM as
// RussianAdjective takes it: m, f.gen, pl.ins, …); {adverb} (both); {iverb}, {cverb} (base),
// {….past}, {….perfect} (English) and {….inf}, {….rpast}, {….future}, {….present},
// {….present3}, {….past_ipf} (Russian). Russian templates only use each slot in the case
// written, so every sentence stays grammatical.
struct Template {
  std::string_view en;
  std::string_view ru;
};

// After talks with the partner (first person plural: no gender to agree with).
constexpr std::array<Template, 30> kTalks{{
    {"Today we held talks with the {role2}, {partner}.",
     "Сегодня мы провели переговоры с {role2.ins} {partner.ins}."},
    {"The talks took place {mood}.", "Переговоры прошли {mood}."},
    {"We discussed the state of our bilateral relations and the prospects for cooperation in the "
     "field of {field}.",
     "Мы обсудили состояние двусторонних отношений и перспективы сотрудничества в области "
     "{field}."},
    {"We noted the steady growth of trade between Russia and {country}, which increased by "
     "{figure}% last year.",
     "Мы отметили устойчивый рост товарооборота между Россией и {country.ins}, который в прошлом "
     "году увеличился на {figure}%."},
    {"We exchanged views on {topic} and agreed to continue the close coordination of our "
     "approaches.",
     "Мы обменялись мнениями по {topic.dat} и договорились продолжать тесную координацию "
     "подходов."},
    {"Following the talks, we signed {document}.",
     "По итогам переговоров мы подписали {document}."},
    {"We also discussed preparations for the next meeting of the intergovernmental commission, "
     "which will take place in {month}.",
     "Мы также обсудили подготовку очередного заседания межправительственной комиссии, которое "
     "состоится {month.in}."},
    {"I would like to thank my colleague for a substantive and useful conversation.",
     "Хочу поблагодарить коллегу за содержательный и полезный разговор."},
    {"We agreed to intensify contacts at all levels, including between parliaments and civil "
     "society.",
     "Мы договорились активизировать контакты на всех уровнях, в том числе по линии парламентов и "
     "гражданского общества."},
    {"We paid special attention to cooperation within {org}.",
     "Особое внимание мы уделили взаимодействию в рамках {org.gen}."},
    {"Our positions on {topic} are close or coincide.",
     "Наши позиции по {topic.dat} близки или совпадают."},
    {"We welcomed the resumption of direct flights between Russia and {country}.",
     "Мы приветствовали возобновление прямого авиасообщения между Россией и {country.ins}."},
    {"The next round of consultations is scheduled for {month} in {place}.",
     "Следующий раунд консультаций запланирован {month.for} {place.in}."},
    {"We agreed to prepare a programme of joint events for the anniversary of our diplomatic "
     "relations.",
     "Мы договорились подготовить программу совместных мероприятий к годовщине установления "
     "дипломатических отношений."},
    {"We discussed in detail the implementation of joint projects in the field of {field}.",
     "Подробно обсудили ход реализации совместных проектов в области {field}."},
    {"My colleague and I reaffirmed our commitment to the principles of equality and mutual "
     "respect.",
     "Мы с коллегой подтвердили приверженность принципам равноправия и взаимного уважения."},
    {"The talks were {praise} and {praise2}.",
     "Переговоры были {praise.pl.ins} и {praise2.pl.ins}."},
    {"Today we {adverb} {iverb.past} the issues of {topic}.",
     "Сегодня мы {adverb} {iverb.rpast} вопросы {topic.gen}."},
    {"At the next meeting we will {iverb} the issues of cooperation in {field2}.",
     "На следующей встрече мы {iverb.future} вопросы сотрудничества в области {field2}."},
    {"We agreed to {cverb} {praise} cooperation in the field of {field}.",
     "Договорились {cverb.inf} {praise.n} сотрудничество в области {field}."},
    {"Our ministries regularly {iverb} the issues of {topic}, and today we {adverb} {iverb.past} "
     "them again.",
     "Наши министерства регулярно {iverb.present3} вопросы {topic.gen}, и сегодня мы вновь "
     "{adverb} {iverb.rpast} их."},
    {"Representatives of {inst} took part in the talks.",
     "В переговорах приняли участие представители {inst.gen}."},
    {"We welcomed the opening of a consulate general in {city}.",
     "Мы приветствовали открытие генерального консульства {city.in}."},
    {"Delegations from {city} and {city2} will meet at a business forum in {month}.",
     "Делегации из {city.gen} и {city2.gen} встретятся на деловом форуме {month.in}."},
    {"We have {cverb.perfect} our cooperation with {country} in {field} and {field2}.",
     "Мы {cverb.rpast} сотрудничество с {country.ins} в области {field} и {field2}."},
    {"We noted the {praise} nature of our contacts within {org}.",
     "Отметили {praise.m} характер наших контактов в рамках {org.gen}."},
    {"Relations between Russia and {country} are developing in a {praise} and {praise2} way.",
     "Отношения России и {country.gen} развиваются в {praise.m.prep} и {praise2.m.prep} ключе."},
    {"We are grateful to our hosts for the {praise} welcome in {place}.",
     "Благодарны хозяевам за {praise.m} прием {place.in}."},
    {"We discussed the progress of the joint project “{Rare}” in {city}.",
     "Обсудили ход реализации совместного проекта «{Rare}» {city.in}."},
    {"Our companies are preparing the “{Rare}” investment programme in the field of {field}.",
     "Наши компании готовят инвестиционную программу «{Rare}» в области {field}."},
}};

// A minister's or spokesperson's own words on policy.
constexpr std::array<Template, 40> kPolicy{{
    {"Russia consistently advocates the settlement of disputes by political and diplomatic means "
     "on the basis of international law.",
     "Россия последовательно выступает за урегулирование споров политико-дипломатическими "
     "средствами на основе международного права."},
    {"We are convinced that there is no alternative to dialogue on {topic}.",
     "Убеждены, что диалогу по {topic.dat} нет альтернативы."},
    {"Our approach to {topic} is based on the principles of the UN Charter, including respect for "
     "the sovereignty and territorial integrity of states.",
     "Наш подход к {topic.dat} основан на принципах Устава ООН, включая уважение суверенитета и "
     "территориальной целостности государств."},
    {"We are ready to continue working with all interested partners on {topic}.",
     "Мы готовы и дальше работать со всеми заинтересованными партнерами по {topic.dat}."},
    {"We call on all parties to show restraint and to refrain from steps that could lead to a "
     "further escalation of tension.",
     "Призываем все стороны проявлять сдержанность и воздерживаться от шагов, способных привести "
     "к дальнейшей эскалации напряженности."},
    {"We note with concern the attempts of certain Western countries to use the platform of {org} "
     "to promote their narrow interests.",
     "С озабоченностью отмечаем попытки ряда западных стран использовать площадку {org.gen} для "
     "продвижения своих узких интересов."},
    {"We welcome the agreements reached and hope that they will be implemented in full.",
     "Приветствуем достигнутые договоренности и надеемся, что они будут выполнены в полном "
     "объеме."},
    {"Russia will continue to contribute to strengthening the central coordinating role of the "
     "United Nations in world affairs.",
     "Россия будет и впредь содействовать укреплению центральной координирующей роли ООН в "
     "мировых делах."},
    {"We attach great importance to the further development of relations with {country} in all "
     "areas.",
     "Мы придаем большое значение дальнейшему развитию отношений с {country.ins} во всех "
     "областях."},
    {"Unilateral sanctions imposed in circumvention of the UN Security Council are illegitimate "
     "and only hinder the search for solutions.",
     "Односторонние санкции в обход Совета Безопасности ООН нелегитимны и лишь мешают поиску "
     "решений."},
    {"The situation requires collective efforts by the international community.",
     "Ситуация требует коллективных усилий международного сообщества."},
    {"We support the efforts of {org} in this area.",
     "Мы поддерживаем усилия {org.gen} на этом направлении."},
    {"The agenda of the recent meeting of {org} also included {topic}.",
     "В повестке дня недавнего заседания {org.gen} стояли и вопросы {topic.gen}."},
    {"We are open to an equal and mutually respectful dialogue with all who are ready for it.",
     "Мы открыты к равноправному и взаимоуважительному диалогу со всеми, кто к нему готов."},
    {"The parties' approaches to {topic} differ, but we are ready to look for compromise "
     "solutions.",
     "Подходы сторон к {topic.dat} различаются, но мы готовы искать компромиссные решения."},
    {"We expect our partners to fulfil in good faith the obligations they have undertaken.",
     "Рассчитываем, что наши партнеры будут добросовестно выполнять взятые на себя "
     "обязательства."},
    {"Practical cooperation in the field of {field} is developing steadily.",
     "Последовательно развивается практическое сотрудничество в области {field}."},
    {"In {year}, mutual investment between Russia and {country} exceeded the level of the "
     "previous year by {figure}%.",
     "В {year} году объем взаимных инвестиций России и {country.gen} превысил уровень "
     "предыдущего года на {figure}%."},
    {"We intend to raise this issue at the forthcoming session of the UN General Assembly.",
     "Мы намерены поднять этот вопрос на предстоящей сессии Генеральной Ассамблеи ООН."},
    {"Any agreements on {topic} must take into account the legitimate interests of all parties.",
     "Любые договоренности по {topic.dat} должны учитывать законные интересы всех сторон."},
    {"We consistently oppose double standards in international affairs.",
     "Мы последовательно выступаем против двойных стандартов в международных делах."},
    {"Russia remains committed to its international obligations.",
     "Россия остается приверженной своим международным обязательствам."},
    {"We are convinced that the future belongs to a multipolar world order based on the sovereign "
     "equality of states.",
     "Убеждены, что будущее за многополярным миропорядком, основанным на суверенном равенстве "
     "государств."},
    {"Our cooperation within {org} is not directed against third countries.",
     "Наше взаимодействие в рамках {org.gen} не направлено против третьих стран."},
    {"We intend to {cverb} {praise} dialogue with {country} on {topic}.",
     "Намерены {cverb.inf} {praise.m} диалог с {country.ins} по {topic.dat}."},
    {"We {adverb} {iverb} the issues of {topic} with our partners in {org}.",
     "Мы {adverb} {iverb.present} вопросы {topic.gen} с партнерами {org.in}."},
    {"In recent years we have {cverb.perfect} our cooperation in {field} {adverb}.",
     "В последние годы мы {adverb} {cverb.past_ipf} сотрудничество в области {field}."},
    {"We reject the {crit} accusations against Russia.",
     "Отвергаем {crit.pl} обвинения в адрес России."},
    {"Such {crit} steps only complicate the search for solutions on {topic}.",
     "Подобные {crit.pl} шаги лишь осложняют поиск решений по {topic.dat}."},
    {"We call for a {praise} and {praise2} discussion of {topic}.",
     "Выступаем за {praise.n} и {praise2.n} обсуждение {topic.gen}."},
    {"We intend to {iverb} the issues of {topic} at the forthcoming meeting of {org}.",
     "Намерены {iverb.inf} вопросы {topic.gen} на предстоящем заседании {org.gen}."},
    {"The parties {iverb} the issues of {topic} {adverb}, without politicisation.",
     "Стороны {adverb} {iverb.present3} вопросы {topic.gen}, без политизации."},
    {"We have repeatedly {iverb.perfect} the issues of {topic} with our colleagues from {country}.",
     "Мы неоднократно {iverb.past_ipf} вопросы {topic.gen} с коллегами из {country.gen}."},
    {"Success depends on {praise} work by all parties.",
     "Успех зависит от {praise.f.gen} работы всех сторон."},
    {"We count on {praise} cooperation with the partners of {inst}.",
     "Рассчитываем на {praise.n.acc} взаимодействие с партнерами {inst.gen}."},
    {"The {crit} policy of certain states on {topic} is a cause for concern.",
     "Вызывает озабоченность {crit.f} политика отдельных государств в отношении {topic.gen}."},
    {"Russia will not accept {crit} decisions taken without its participation.",
     "Россия не примет {crit.pl.gen} решений, принятых без ее участия."},
    {"We are in favour of {praise} cooperation with all countries of the region.",
     "Мы выступаем за {praise.n} сотрудничество со всеми странами региона."},
    {"Russia's initiative “{Rare}” on {topic} remains on the table.",
     "Инициатива России «{Rare}» по {topic.dat} остается в силе."},
    {"The “{Rare}” programme of the New Development Bank has financed projects in {country}.",
     "Программа Нового банка развития «{Rare}» профинансировала проекты {country.in}."},
}};

// Statements, comments and briefings.
constexpr std::array<Template, 29> kOfficial{{
    {"Moscow is closely following developments concerning {topic}.",
     "В Москве внимательно следят за развитием событий, касающихся {topic.gen}."},
    {"The Russian side expresses serious concern over the continuing deterioration of the "
     "humanitarian situation.",
     "Российская сторона выражает серьезную озабоченность продолжающимся ухудшением гуманитарной "
     "ситуации."},
    {"We regard such actions as a violation of the generally recognised norms of international "
     "law.",
     "Расцениваем подобные действия как нарушение общепризнанных норм международного права."},
    {"We strongly condemn terrorism in all its forms and manifestations.",
     "Решительно осуждаем терроризм во всех его формах и проявлениях."},
    {"Russia welcomes the agreement reached in {place} and calls on the parties to implement it "
     "consistently.",
     "Россия приветствует договоренность, достигнутую {place.in}, и призывает стороны "
     "последовательно ее выполнять."},
    {"We reaffirm our readiness to facilitate the search for mutually acceptable solutions on "
     "{topic}.",
     "Подтверждаем готовность содействовать поиску взаимоприемлемых решений по {topic.dat}."},
    {"The Russian Embassy in {country} is in constant contact with the local authorities.",
     "Посольство России {country.in} находится в постоянном контакте с местными властями."},
    {"According to the information available, there is no threat to the life and health of "
     "Russian citizens in {country}.",
     "По имеющейся информации, угрозы жизни и здоровью российских граждан {country.in} нет."},
    {"We recommend that Russian citizens staying in {country} follow the recommendations of the "
     "consular service.",
     "Рекомендуем российским гражданам, находящимся {country.in}, следовать рекомендациям "
     "консульской службы."},
    {"The Ministry will continue to provide all necessary assistance to Russian compatriots.",
     "Министерство будет и впредь оказывать всю необходимую помощь российским "
     "соотечественникам."},
    {"We consider it important that the discussion of {topic} be conducted on a depoliticised and "
     "professional basis.",
     "Считаем важным, чтобы обсуждение {topic.gen} велось на деполитизированной и "
     "профессиональной основе."},
    {"Attempts to interfere in the internal affairs of {country} are unacceptable and "
     "counterproductive.",
     "Попытки вмешательства во внутренние дела {country.gen} недопустимы и контрпродуктивны."},
    {"We are in contact with our partners in {org} and will coordinate further steps with them.",
     "Мы поддерживаем контакты с партнерами {org.in} и будем координировать с ними дальнейшие "
     "шаги."},
    {"We hope that common sense will prevail and that dialogue will be resumed.",
     "Надеемся, что возобладает здравый смысл и диалог будет возобновлен."},
    {"The relevant proposals have been handed over to the Embassy of {country} in Moscow.",
     "Соответствующие предложения переданы Посольству {country.gen} в Москве."},
    {"The Ambassador of {country} was invited to the Ministry and informed of Russia's position.",
     "Посол {country.gen} был приглашен в МИД России и проинформирован о позиции российской "
     "стороны."},
    {"The Ministry has taken note of the statements on {topic} made in {place}.",
     "В МИД России обратили внимание на заявления по {topic.dat}, прозвучавшие {place.in}."},
    {"We will continue to keep the public informed of developments.",
     "Будем и впредь информировать общественность о развитии ситуации."},
    {"We regard the {crit} statements made in {city} as an attempt to divert attention.",
     "Расцениваем {crit.pl} заявления, прозвучавшие {city.in}, как попытку отвлечь внимание."},
    {"Attempts to impose {crit} approaches on {topic} are doomed to failure.",
     "Попытки навязать {crit.pl} подходы к {topic.dat} обречены на провал."},
    {"Representatives of {inst} and the Ministry are working on the matter {adverb}.",
     "Представители {inst.gen} и МИД России {adverb} работают над этим вопросом."},
    {"The Consulate General of Russia in {city} is ready to assist Russian citizens.",
     "Генеральное консульство России {city.in} готово оказать содействие российским гражданам."},
    {"We have {adverb} {iverb.perfect} the situation with our colleagues in {org}.",
     "Мы {adverb} {iverb.rpast} ситуацию с коллегами {org.in}."},
    {"We will {iverb} the issues raised by the {crit} decision of {country}.",
     "Мы {iverb.future} вопросы, возникшие в связи с {crit.m.ins} решением {country.gen}."},
    {"We expect a {praise} response from the authorities of {country}.",
     "Ожидаем от властей {country.gen} {praise.m.gen} ответа."},
    {"The {crit} campaign around {topic} does not reflect the real state of affairs.",
     "Развернутая вокруг {topic.gen} {crit.f} кампания не отражает реального положения дел."},
    {"The Ministry has sent a note to the Embassy of {country} demanding explanations.",
     "МИД России направил Посольству {country.gen} ноту с требованием разъяснений."},
    {"A humanitarian convoy from {city} has delivered aid to {city2}.",
     "Гуманитарный конвой из {city.gen} доставил помощь {city2.in}."},
    {"The crew of the vessel “{Rare}” detained off the coast of {country} is in good health.",
     "Экипаж судна «{Rare}», задержанного у побережья {country.gen}, чувствует себя хорошо."},
}};

// The first sentence of an item: it names the item's topic, or the talks, as its title does.
constexpr std::array<Template, 2> kTalksLeads{{
    {"Today we held talks with the {role2}, {partner}.",
     "Сегодня мы провели переговоры с {role2.ins} {partner.ins}."},
    {"We have just completed our talks with the {role2}, {partner}.",
     "Только что завершились наши переговоры с {role2.ins} {partner.ins}."},
}};
constexpr std::array<Template, 4> kPolicyLeads{{
    {"Today I would like to talk about {topic}.", "Сегодня хочу поговорить {topic.about}."},
    {"Russia attaches great importance to {topic}.",
     "Россия придает большое значение {topic.dat}."},
    {"Our approach to {topic} is well known and consistent.",
     "Наш подход к {topic.dat} хорошо известен и последователен."},
    {"We are convinced that there is no alternative to dialogue on {topic}.",
     "Убеждены, что диалогу по {topic.dat} нет альтернативы."},
}};
constexpr std::array<Template, 4> kOfficialLeads{{
    {"Moscow is closely following developments concerning {topic}.",
     "В Москве внимательно следят за развитием событий, касающихся {topic.gen}."},
    {"The Ministry has taken note of the statements on {topic} made in {place}.",
     "В МИД России обратили внимание на заявления по {topic.dat}, прозвучавшие {place.in}."},
    {"We have noted the growing attention of the international community to {topic}.",
     "Отмечаем растущее внимание международного сообщества к {topic.dat}."},
    {"In connection with media enquiries about {topic}, we would like to note the following.",
     "В связи с вопросами СМИ {topic.about} хотели бы отметить следующее."},
}};

// What a journalist says before asking.
constexpr std::array<Template, 5> kQuestionLeads{{
    {"My question concerns {topic}.", "У меня вопрос {topic.about}."},
    {"There has been much discussion recently about {topic}.",
     "В последнее время много говорится {topic.about}."},
    {"Several media outlets have reported new contacts on {topic}.",
     "Ряд СМИ сообщил о новых контактах по {topic.dat}."},
    {"A meeting of {org} will be held in {month}.", "{month.in} состоится заседание {org.gen}."},
    {"Your counterpart from {country} recently spoke about {topic}.",
     "Ваш коллега из {country.gen} недавно высказался {topic.about}."},
}};

constexpr std::array<Template, 8> kQuestions{{
    {"What is Russia's position on {topic}?", "Какова позиция России по {topic.dat}?"},
    {"What can you tell us about {topic}?", "Что Вы можете сказать {topic.about}?"},
    {"Did you discuss {topic} during the recent talks?",
     "Обсуждались ли в ходе недавних переговоров вопросы {topic.gen}?"},
    {"Western media claim that Moscow is not interested in progress on {topic}. How would you "
     "respond?",
     "Западные СМИ утверждают, что Москва не заинтересована в прогрессе по {topic.dat}. Что Вы "
     "можете на это ответить?"},
    {"Will Russia seek a discussion of {topic} at the forthcoming meeting of {org}?",
     "Будет ли Россия добиваться обсуждения {topic.gen} на предстоящем заседании {org.gen}?"},
    {"What results do you expect from the consultations on {topic}?",
     "Каких результатов Вы ожидаете от консультаций по {topic.dat}?"},
    {"How does Moscow assess the latest developments regarding {topic}?",
     "Как в Москве оценивают последние события, касающиеся {topic.gen}?"},
    {"Is there any progress on {topic}?", "Есть ли прогресс по {topic.dat}?"},
}};

// The first sentence of an answer: it names what was asked about.
constexpr std::array<Template, 6> kAnswerOpeners{{
    {"As for {topic}, our position is well known and has not changed.",
     "Что касается {topic.gen}, то наша позиция хорошо известна и не изменилась."},
    {"Thank you for the question about {topic}.", "Спасибо за вопрос {topic.about}."},
    {"On {topic}, we proceed from the norms of international law and the UN Charter.",
     "По {topic.dat} мы исходим из норм международного права и Устава ООН."},
    {"We did indeed discuss {topic} in detail.",
     "Мы действительно подробно говорили {topic.about}."},
    {"Progress on {topic} depends on the political will of all the parties.",
     "Прогресс по {topic.dat} зависит от политической воли всех сторон."},
    {"We have already talked about {topic} today, but let me repeat the main points.",
     "Сегодня уже шла речь {topic.about}, но повторю главное."},
}};

// Cultural and academic news, named after rare dictionary words: the long tail of the text.
constexpr std::array<Template, 24> kCulture{{
    {"As part of the cultural programme, the exhibition “{Rare} and {Rare2}” will open in {place} "
     "in {month}.",
     "В рамках культурной программы {month.in} {place.in} откроется выставка «{Rare} и {rare2}»."},
    {"The Russian Centre for Science and Culture in {country} hosted the presentation of the book "
     "“{Rare} and {Rare2}”.",
     "В Российском центре науки и культуры {country.in} состоялась презентация книги «{Rare} и "
     "{rare2}»."},
    {"The joint research project “{Rare}” has received funding for {year}.",
     "Совместный научный проект «{Rare}» получил финансирование на {year} год."},
    {"Students from {country} took part in the youth forum “{Rare}: {Rare2}”.",
     "Студенты из {country.gen} приняли участие в молодежном форуме «{Rare}: {rare2}»."},
    {"A festival of Russian cinema in {place} opened with a screening of the film “{Rare} and "
     "{Rare2}”.",
     "Фестиваль российского кино {place.in} открылся показом фильма «{Rare} и {rare2}»."},
    {"The “{Rare}” scholarship programme for young diplomats will be continued.",
     "Программа стипендий для молодых дипломатов «{Rare}» будет продолжена."},
    {"The exhibition “{Rare}, {rare2} and {rare3}” opened in {city}.",
     "{city.in} открылась выставка «{Rare}, {rare2} и {rare3}»."},
    {"The winners of the “{Rare}” translation competition were awarded in {place}.",
     "{place.in} наградили победителей конкурса переводчиков «{Rare}»."},
    {"The joint expedition “{Rare}” will begin its work in {country} in {month}.",
     "Совместная экспедиция «{Rare}» начнет работу {country.in} {month.in}."},
    {"The theatre of {city} toured {country} with the play “{Rare} and {Rare2}”.",
     "Театр из {city.gen} гастролировал {country.in} со спектаклем «{Rare} и {rare2}»."},
    {"The anthology “{Rare} and {Rare2}” has been published in both languages.",
     "На двух языках издана антология «{Rare} и {rare2}»."},
    {"The Russian House in {city} hosted the literary evening “{Rare}, {Rare2}, {Rare3}”.",
     "В Русском доме {city.in} прошел литературный вечер «{Rare}, {rare2}, {rare3}»."},
    {"The documentary “{Rare}: {Rare2}” was shown at the embassy in {country}.",
     "В посольстве {country.in} показали документальный фильм «{Rare}: {rare2}»."},
    {"Schoolchildren from {city} won the “{Rare}” olympiad.",
     "Школьники из {city.gen} победили в олимпиаде «{Rare}»."},
    {"The “{Rare}” educational programme will include the courses “{Rare2}” and “{Rare3}”.",
     "Образовательная программа «{Rare}» включит курсы «{Rare2}» и «{Rare3}»."},
    {"A round table “{Rare}: {rare2}” was held at the Diplomatic Academy.",
     "В Дипломатической академии прошел круглый стол «{Rare}: {rare2}»."},
    {"The museum of {city} lent the collection “{Rare} and {Rare2}” to a museum in {country} for a "
     "year.",
     "Музей {city.gen} передал на год коллекцию «{Rare} и {rare2}» музею {country.in}."},
    {"The start-up “{Rare}” from {city} received a grant from {inst}.",
     "Стартап «{Rare}» из {city.gen} получил грант {inst.gen}."},
    {"The festival “{Rare} and {Rare2}” brought together musicians from {country} and Russia.",
     "Фестиваль «{Rare} и {rare2}» собрал музыкантов из {country.gen} и России."},
    {"The research vessel “{Rare}” called at the port of {city}.",
     "Научно-исследовательское судно «{Rare}» зашло в порт {city.gen}."},
    {"The company “{Rare}” from {country} will open a plant in {city}.",
     "Компания «{Rare}» из {country.gen} откроет завод {city.in}."},
    {"The joint venture “{Rare}” has begun deliveries to {country}.",
     "Совместное предприятие «{Rare}» приступило к поставкам {country.in}."},
    {"The “{Rare}” hospital ship delivered doctors and medicines to {city}.",
     "Госпитальное судно «{Rare}» доставило врачей и медикаменты {city.in}."},
    {"The international competition “{Rare}” for young scientists received applications from "
     "{city} and {city2}.",
     "На международный конкурс молодых ученых «{Rare}» поступили заявки из {city.gen} и "
     "{city2.gen}."},
}};

struct Pool {
  const Template* templates;
  size_t size;
};

template <size_t N>
constexpr Pool PoolOf(const std::array<Template, N>& templates) {
  static_assert(N <= 64, "a pool's used templates are one bit each in a uint64_t");
  return {templates.data(), N};
}

// Indexes into kPools: Prose::used_ has one word per pool.
enum PoolIndex : int {
  kTalksPool,
  kPolicyPool,
  kOfficialPool,
  kTalksLeadPool,
  kPolicyLeadPool,
  kOfficialLeadPool,
  kQuestionLeadPool,
  kQuestionPool,
  kOpenerPool,
  kCulturePool,
};
constexpr std::array<Pool, 10> kPools{
    PoolOf(kTalks),         PoolOf(kPolicy),        PoolOf(kOfficial),      PoolOf(kTalksLeads),
    PoolOf(kPolicyLeads),   PoolOf(kOfficialLeads), PoolOf(kQuestionLeads), PoolOf(kQuestions),
    PoolOf(kAnswerOpeners), PoolOf(kCulture)};

// Where the sentences of a paragraph in a register come from: the lead list for an item's first
// sentence, then `main` for `main_percent` of the others and `other` for the rest (some of them
// from kCulture instead).
struct Mix {
  int lead;
  int main;
  uint64_t main_percent;
  int other;
};

Mix MixOf(Register register_) {
  switch (register_) {
    case Register::kTalks:
      return {kTalksLeadPool, kTalksPool, 70, kPolicyPool};
    case Register::kOfficial:
      return {kOfficialLeadPool, kOfficialPool, 70, kPolicyPool};
    default:  // kPolicy, and an answer after its first sentence
      return {kPolicyLeadPool, kPolicyPool, 85, kOfficialPool};
  }
}

// The rare words: the dictionary in a fixed shuffled order (the same in every corpus, so a
// word's rank does not follow the alphabet), words of 5 to 12 letters only.
constexpr uint64_t kTailShuffleSeed = 0x5EEDF00Dull;
// The share of sentences (after a paragraph's first) from kCulture: the rare words' frequency.
constexpr int kCulturePercent = 20;
constexpr double kTailRankOffset = 200;

// Words that read as names of things: no adverbs ("-ly"), and in Russian (where hunspell's
// stems are of every part of speech and some are inflected forms) no infinitives, reflexive
// verb forms, adjectives, or nouns in the plural or instrumental, by their endings.
bool NounLike(std::string_view word) {
  constexpr std::array<std::string_view, 30> kEndings{
      "ly",  "ть",  "ться", "тись", "чь",  "чься", "ый",  "ий",  "ой",  "ая",
      "ое",  "ые",  "ся",   "сь",   "ами", "ями",  "ого", "его", "ому", "ему",
      "ыми", "ими", "ых",   "их",   "ую",  "юю",   "ски", "цки", "ем",  "ём"};
  return std::none_of(kEndings.begin(), kEndings.end(),
                      [&](std::string_view ending) { return word.ends_with(ending); });
}

void BuildTail(const std::vector<std::string>& dictionary, size_t bytes_per_letter,
               std::vector<std::string>& words, std::vector<double>& cumulative) {
  for (const auto& word : dictionary) {
    const size_t letters = word.size() / bytes_per_letter;
    if (letters >= 5 && letters <= 12 && NounLike(word)) words.push_back(word);
  }
  Random shuffle(kTailShuffleSeed);
  for (size_t i = words.size(); i > 1; --i) std::swap(words[i - 1], words[shuffle.Below(i)]);
  // Divisions and additions only (exactly rounded in IEEE 754): the same table everywhere.
  cumulative.reserve(words.size());
  double sum = 0;
  for (size_t r = 1; r <= words.size(); ++r) {
    sum += 1.0 / (static_cast<double>(r) + kTailRankOffset);
    cumulative.push_back(sum);
  }
}

const std::string& TailWord(const std::vector<std::string>& words,
                            const std::vector<double>& cumulative, double unit) {
  const double target = unit * cumulative.back();
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), target);
  return words[std::min(static_cast<size_t>(it - cumulative.begin()), words.size() - 1)];
}

// The Russian adjective `masculine` (nominative singular, the dictionary form; of a phrase,
// its last word is declined) in `form`: "m", "f", "n", "pl" (nominative; the inanimate
// accusative too), "m.gen" (and neuter), "f.gen" (and the feminine dative, instrumental and
// prepositional), "f.acc", "n.acc" (= "n"), "m.dat", "m.ins", "m.prep", "pl.gen" (and
// prepositional), "pl.dat", "pl.ins". Regular declension by the stem's last letter: hard
// (-ый, -ой), velar (-кий, -гий, -хий), sibilant (-жий, -ший, -чий, -щий) and soft (-ний).
std::string RussianAdjective(std::string_view masculine, std::string_view form) {
  // Endings per class, in the order of kForms.
  constexpr std::array<std::string_view, 14> kForms{"m",      "f",      "n",      "pl",    "m.gen",
                                                    "f.gen",  "f.acc",  "n.acc",  "m.dat", "m.ins",
                                                    "m.prep", "pl.gen", "pl.dat", "pl.ins"};
  using Endings = std::array<std::string_view, 14>;
  constexpr Endings kHard{"ый", "ая",  "ое", "ые", "ого", "ой", "ую",
                          "ое", "ому", "ым", "ом", "ых",  "ым", "ыми"};
  constexpr Endings kVelar{"ий", "ая",  "ое", "ие", "ого", "ой", "ую",
                           "ое", "ому", "им", "ом", "их",  "им", "ими"};
  constexpr Endings kSibilant{"ий", "ая",  "ее", "ие", "его", "ей", "ую",
                              "ее", "ему", "им", "ем", "их",  "им", "ими"};
  constexpr Endings kSibilantStressed{"ой", "ая",  "ое", "ие", "ого", "ой", "ую",
                                      "ое", "ому", "им", "ом", "их",  "им", "ими"};
  constexpr Endings kSoft{"ий", "яя",  "ее", "ие", "его", "ей", "юю",
                          "ее", "ему", "им", "ем", "их",  "им", "ими"};
  const size_t index =
      static_cast<size_t>(std::find(kForms.begin(), kForms.end(), form) - kForms.begin());
  assert(index < kForms.size() && masculine.size() >= 6);
  const std::string_view ending = masculine.substr(masculine.size() - 4);  // two letters
  const std::string_view stem = masculine.substr(0, masculine.size() - 4);
  const std::string_view last = stem.substr(stem.size() - 2);  // the stem's last letter
  const auto last_is = [&](std::initializer_list<std::string_view> letters) {
    return std::find(letters.begin(), letters.end(), last) != letters.end();
  };
  const bool velar = last_is({"к", "г", "х"});
  const bool sibilant = last_is({"ж", "ш", "ч", "щ"});
  const Endings& endings = ending == "ый"   ? kHard
                           : velar          ? kVelar
                           : ending == "ой" ? (sibilant ? kSibilantStressed : kHard)
                           : sibilant       ? kSibilant
                                            : kSoft;
  std::string out(stem);
  // A stressed -ой keeps it in the masculine nominative ("деловой", "большой").
  out += index == 0 ? ending : endings[index];
  return out;
}

}  // namespace

// Everything one sentence may name, drawn before its language is known.
struct Prose::Slots {
  size_t topic = 0;
  size_t country = 0;
  size_t org = 0;
  size_t field = 0;
  size_t field2 = 0;
  size_t mood = 0;
  size_t document = 0;
  size_t month = 0;
  size_t city = 0;
  size_t city2 = 0;
  size_t institution = 0;
  size_t praise = 0;
  size_t praise2 = 0;
  size_t criticism = 0;
  size_t adverb = 0;
  size_t issue_verb = 0;
  size_t cooperation_verb = 0;
  int figure = 0;
  double rare = 0;
  double rare2 = 0;
  double rare3 = 0;
};

Prose::Prose(const WordLists& words) {
  BuildTail(words.english, 1, english_tail_, english_cumulative_);
  BuildTail(words.russian, 2, russian_tail_, russian_cumulative_);
  if (english_tail_.empty()) english_tail_.emplace_back("horizon");
  if (russian_tail_.empty()) russian_tail_.emplace_back("горизонт");
  if (english_cumulative_.empty()) english_cumulative_.push_back(1);
  if (russian_cumulative_.empty()) russian_cumulative_.push_back(1);
}

void Prose::Begin(uint64_t seed) {
  static_assert(std::tuple_size_v<decltype(used_)> == kPools.size());
  random_ = Random(seed);
  used_.fill(0);
}

// The same number of draws for every sentence, whichever slots its template uses, so both
// languages stay in step.
Prose::Slots Prose::Draw(const Subject& subject, int topic) {
  Slots s;
  const size_t any_topic = subject.topics[random_.Below(subject.topics.size())];
  s.topic = topic >= 0 ? static_cast<size_t>(topic) : any_topic;
  const bool partner_country = random_.Percent(60);
  const size_t other_country = random_.Below(kCountries.size());
  s.country = partner_country ? subject.country : other_country;
  s.org = random_.Below(kOrganisations.size());
  s.field = random_.Below(kFields.size());
  s.mood = random_.Below(kMoods.size());
  s.document = random_.Below(kDocuments.size());
  s.month = random_.Below(12);
  s.figure = random_.Between(3, 40);
  s.rare = random_.Unit();
  s.rare2 = random_.Unit();
  s.rare3 = random_.Unit();
  s.field2 = random_.Below(kFields.size());
  s.city = random_.Below(kCities.size());
  s.city2 = random_.Below(kCities.size());
  s.institution = random_.Below(kInstitutions.size());
  s.praise = random_.Below(kPraise.size());
  // Another adjective than the first, in one draw.
  s.praise2 = (s.praise + 1 + random_.Below(kPraise.size() - 1)) % kPraise.size();
  s.criticism = random_.Below(kCriticism.size());
  s.adverb = random_.Below(kAdverbs.size());
  s.issue_verb = random_.Below(kIssueVerbs.size());
  s.cooperation_verb = random_.Below(kCooperationVerbs.size());
  return s;
}

void Prose::Sentence(std::string& out, const Subject& subject, bool english, int pool, int topic) {
  const Pool& p = kPools[static_cast<size_t>(pool)];
  uint64_t& used = used_[static_cast<size_t>(pool)];
  size_t pick = random_.Below(p.size);
  // A few tries for a template not used in this item yet; bounded, and a repeat is allowed.
  for (int attempt = 0; attempt < 6 && (used >> pick & 1) != 0; ++attempt) {
    pick = random_.Below(p.size);
  }
  used |= uint64_t{1} << pick;
  const Slots s = Draw(subject, topic);
  const std::string_view text = english ? p.templates[pick].en : p.templates[pick].ru;

  const size_t start = out.size();
  const Topic& t = kTopics[s.topic];
  const Country& c = kCountries[s.country];
  const Organisation& o = kOrganisations[s.org];
  const Place& place = kPlaces[subject.place];
  const Person& partner = kPeople[subject.partner];
  const Role& role = kRoles[static_cast<size_t>(partner.role)];
  auto rare = [&](double unit, bool capitalise) {
    std::string word = english ? TailWord(english_tail_, english_cumulative_, unit)
                               : TailWord(russian_tail_, russian_cumulative_, unit);
    if (capitalise) CapitaliseFirst(word);
    out += word;
  };
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find('{', i);
    if (open == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, open - i));
    const size_t close = text.find('}', open);
    assert(close != std::string_view::npos);
    const std::string_view name = text.substr(open + 1, close - open - 1);
    i = close + 1;
    if (name == "topic") {
      out += t.en;
    } else if (name == "topic.gen") {
      out += t.ru_gen;
    } else if (name == "topic.dat") {
      out += t.ru_dat;
    } else if (name == "topic.about") {
      out += t.ru_about;
    } else if (name == "country") {
      out += c.en;
    } else if (name == "country.gen") {
      out += c.ru_gen;
    } else if (name == "country.ins") {
      out += c.ru_ins;
    } else if (name == "country.in") {
      out += c.ru_in;
    } else if (name == "org") {
      out += o.en;
    } else if (name == "org.gen") {
      out += o.ru_gen;
    } else if (name == "org.in") {
      out += o.ru_in;
    } else if (name == "place") {
      out += place.en;
    } else if (name == "place.in") {
      out += place.ru_in;
    } else if (name == "month") {
      out += kMonthsEn[s.month];
    } else if (name == "month.in") {
      out += kMonthsRuIn[s.month];
    } else if (name == "month.for") {
      out += kMonthsRuFor[s.month];
    } else if (name == "field") {
      out += english ? kFields[s.field].en : kFields[s.field].ru;
    } else if (name == "mood") {
      out += english ? kMoods[s.mood].en : kMoods[s.mood].ru;
    } else if (name == "document") {
      out += english ? kDocuments[s.document].en : kDocuments[s.document].ru;
    } else if (name == "year") {
      out += std::to_string(subject.year);
    } else if (name == "figure") {
      out += std::to_string(s.figure);
    } else if (name == "role2") {
      out += role.en;
    } else if (name == "role2.ins") {
      out += role.ru_ins;
    } else if (name == "partner") {
      out += partner.en;
    } else if (name == "partner.ins") {
      out += partner.ru_ins;
    } else if (name == "Rare") {
      rare(s.rare, true);
    } else if (name == "Rare2") {
      rare(s.rare2, true);
    } else if (name == "rare2") {
      rare(s.rare2, false);
    } else if (name == "Rare3") {
      rare(s.rare3, true);
    } else if (name == "rare3") {
      rare(s.rare3, false);
    } else if (!Extended(out, name, s, english)) {
      assert(false && "a template names an unknown slot");
      out += '{';  // in a release build, visible to the tests (no text has braces)
      out += name;
      out += '}';
    }
  }
  // A template may begin with a slot ("{month.in} состоится …").
  std::string first = out.substr(start, 4);
  CapitaliseFirst(first);
  out.replace(start, first.size(), first);
}

bool Prose::Extended(std::string& out, std::string_view name, const Slots& s, bool english) {
  const size_t dot = name.find('.');
  const std::string_view head = name.substr(0, dot);
  const std::string_view form = dot == std::string_view::npos ? "" : name.substr(dot + 1);
  if (head == "field2") {
    out += english ? kFields[s.field2].en : kFields[s.field2].ru;
  } else if (head == "city" || head == "city2") {
    const City& city = kCities[head == "city" ? s.city : s.city2];
    out += form.empty() ? city.en : form == "in" ? city.ru_in : city.ru_gen;
  } else if (head == "inst") {
    out += form.empty() ? kInstitutions[s.institution].en : kInstitutions[s.institution].ru_gen;
  } else if (head == "praise" || head == "praise2" || head == "crit") {
    const Adjective& adjective = head == "praise"    ? kPraise[s.praise]
                                 : head == "praise2" ? kPraise[s.praise2]
                                                     : kCriticism[s.criticism];
    if (form.empty()) {
      out += adjective.en;
    } else {
      out += RussianAdjective(adjective.ru, form);
    }
  } else if (head == "adverb") {
    out += english ? kAdverbs[s.adverb].en : kAdverbs[s.adverb].ru;
  } else if (head == "iverb" || head == "cverb") {
    const Verb& verb =
        head == "iverb" ? kIssueVerbs[s.issue_verb] : kCooperationVerbs[s.cooperation_verb];
    out += form.empty()         ? verb.en
           : form == "past"     ? verb.en_past
           : form == "perfect"  ? verb.en_perfect
           : form == "inf"      ? verb.ru_inf
           : form == "rpast"    ? verb.ru_past
           : form == "future"   ? verb.ru_future
           : form == "present"  ? verb.ru_present
           : form == "present3" ? verb.ru_present3
                                : verb.ru_past_ipf;
  } else {
    return false;
  }
  return true;
}

std::string Prose::Paragraph(const Subject& subject, bool english, Register register_,
                             int sentences, size_t focus, bool lead) {
  std::string text;
  first_sentence_.clear();
  const int focus_topic = static_cast<int>(focus);
  for (int n = 0; n < sentences; ++n) {
    if (n > 0) text += ' ';
    const size_t start = text.size();
    const bool first = n == 0;
    const bool last = n + 1 == sentences;
    // Both draws every time, so that both languages stay in step.
    const uint64_t mix = random_.Below(100);
    const bool culture = random_.Percent(kCulturePercent) && !first;
    int pool = kPolicyPool;
    int topic = -1;  // any of the item's
    if (register_ == Register::kQuestion) {
      pool = last ? kQuestionPool : kQuestionLeadPool;
      topic = focus_topic;
    } else if (register_ == Register::kAnswer && first) {
      pool = kOpenerPool;
      topic = focus_topic;
    } else {
      const Mix m = MixOf(register_);
      if (first && lead) {
        pool = m.lead;
        topic = focus_topic;
      } else {
        pool = culture ? kCulturePool : mix < m.main_percent ? m.main : m.other;
      }
    }
    Sentence(text, subject, english, pool, topic);
    if (first) first_sentence_ = text.substr(start);
  }
  return text;
}

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

}  // namespace assetpub::corpus
