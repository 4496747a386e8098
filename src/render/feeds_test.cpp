#include "render/feeds.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ctime>
#include <string>
#include <vector>

#include "content/instant.h"
#include "core/error.h"
#include "render/testing/seed_asset.h"
#include "render/testing/xml_doc.h"
#include "render/xml_writer.h"

namespace assetpub::render {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::XmlDoc;

constexpr const char* kRuSlug =
    "vystupleniye-i-otvety-na-voprosy-smi-ministra-inostrannykh-del-rossii-s-v-lavrova";
constexpr const char* kSeedUrl =
    "https://mid.example/en/assets/1-speech-of-and-answers-to-questions-of-mass-media-by-russian-"
    "foreign-minister";

// Every character that could turn text into markup or break the document, and Cyrillic.
const std::string kHostile =
    "<script>alert(1)</script> & \"double\" 'single' ]]> \x01\x1f bell\x07 Заявление МИД";
// What XML 1.0 can carry of it: the control characters go, everything else comes back.
const std::string kHostileAsXml =
    "<script>alert(1)</script> & \"double\" 'single' ]]>  bell Заявление МИД";

FeedInfo TestFeed() {
  FeedInfo feed;
  feed.base_url = "https://mid.example";
  feed.site_name = "Ministry of Foreign Affairs";
  feed.time_zone = "Europe/Moscow";
  feed.language = "en-GB";
  feed.title = "Transcripts and speeches";
  feed.publisher_path = "transcripts";
  feed.site_languages = {"en-GB", "ru-RU"};
  feed.alternate_languages = {"ru-RU"};
  feed.now = content::ParseIso8601("2024-03-01T12:00:00Z");
  return feed;
}

content::Asset EnglishOnly(int64_t id, std::string title, std::string summary) {
  content::Asset asset;
  asset.id = id;
  asset.kind = content::Kind::kStatement;
  asset.published_at = content::ParseIso8601("2013-06-05T10:00:00+04:00");
  asset.languages = {"en-GB"};
  content::Translation en;
  en.language = "en-GB";
  en.title = std::move(title);
  en.slug = "statement";
  en.summary = std::move(summary);
  asset.translations["en-GB"] = en;
  return asset;
}

store::ListPage SeedList() {
  store::ListPage list;
  content::Asset seed = testing::SeedAsset(1);
  seed.tags = {"Syria", "OIC"};
  seed.modified_at = content::ParseIso8601("2013-06-08T09:00:00+04:00");
  list.assets.push_back(seed);
  list.assets.push_back(EnglishOnly(2, "A statement", ""));
  content::Asset russian_only = EnglishOnly(3, "unused", "");
  russian_only.translations.clear();
  content::Translation ru;
  ru.language = "ru-RU";
  ru.title = "Только по-русски";
  ru.slug = "tolko";
  russian_only.translations["ru-RU"] = ru;
  list.assets.push_back(russian_only);
  list.total = 3;
  return list;
}

// An RFC 822 date as RSS carries it ("Fri, 07 Jun 2013 16:29:00 +0400") as an instant; nullopt
// when it does not parse.
std::optional<content::Instant> ParseRfc822(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S %z", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const long offset = tm.tm_gmtoff;  // timegm() resets it
  return content::Instant{static_cast<int64_t>(timegm(&tm)) - offset};
}

XmlDoc Rss(const std::string& text) {
  return XmlDoc(text, {{"atom", "http://www.w3.org/2005/Atom"}});
}
XmlDoc Atom(const std::string& text) {
  return XmlDoc(text, {{"a", "http://www.w3.org/2005/Atom"}});
}

TEST(Rfc822, HasTheZonesOffsetAtThatInstantAndTheRightWeekday) {
  // Moscow was UTC+4 in 2013 and UTC+3 from 26 October 2014.
  EXPECT_EQ(ToRfc822(content::ParseIso8601("2013-06-07T16:29:00+04:00"), "Europe/Moscow"),
            "Fri, 07 Jun 2013 16:29:00 +0400");
  EXPECT_EQ(ToRfc822(content::ParseIso8601("2015-01-01T00:00:00Z"), "Europe/Moscow"),
            "Thu, 01 Jan 2015 03:00:00 +0300");
  EXPECT_EQ(ToRfc822(content::ParseIso8601("2024-02-29T23:59:59Z"), "UTC"),
            "Thu, 29 Feb 2024 23:59:59 +0000");
  EXPECT_EQ(ToRfc822(content::ParseIso8601("2024-02-29T23:59:59Z"), "America/New_York"),
            "Thu, 29 Feb 2024 18:59:59 -0500");
  EXPECT_THROW(ToRfc822({0}, "Mars/Olympus"), Error);
}

TEST(XmlSafeText, DropsWhatXmlCannotCarryAndRepairsBadUtf8) {
  EXPECT_EQ(XmlSafeText("a\x01"
                        "b\x1f"
                        "c\td\ne\rf"),
            "abc\td\ne\rf");
  EXPECT_EQ(XmlSafeText("Заявление"), "Заявление");
  EXPECT_EQ(XmlSafeText("bad \xff byte"), "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(XmlSafeText("cut \xD0"), "cut \xEF\xBF\xBD");
  EXPECT_EQ(XmlSafeText("\xEF\xBF\xBF"), "");                                      // U+FFFF
  EXPECT_EQ(XmlSafeText("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(XmlSafeText("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80");                  // U+1F600
}

TEST(RssFeed, HasTheChannelElementsOfRss2) {
  const std::string text = RssFeed(TestFeed(), SeedList());
  const XmlDoc rss = Rss(text);
  ASSERT_TRUE(rss.ok()) << text;
  EXPECT_EQ(rss.One("/rss/@version"), "2.0");
  EXPECT_EQ(rss.One("/rss/channel/title"),
            "Ministry of Foreign Affairs — Transcripts and speeches");
  EXPECT_EQ(rss.One("/rss/channel/link"), "https://mid.example/en/transcripts/");
  EXPECT_THAT(rss.One("/rss/channel/description"), HasSubstr("Transcripts and speeches"));
  EXPECT_EQ(rss.One("/rss/channel/language"), "en-GB");
  EXPECT_EQ(rss.One("/rss/channel/atom:link[@rel='self']/@href"),
            "https://mid.example/en/transcripts/feed.rss");
  EXPECT_EQ(rss.One("/rss/channel/atom:link[@rel='self']/@type"), "application/rss+xml");
  // The newest change among the items: the seed's modified_at.
  EXPECT_EQ(ParseRfc822(rss.One("/rss/channel/lastBuildDate")),
            content::ParseIso8601("2013-06-08T09:00:00+04:00"));
}

TEST(RssFeed, HasAnItemPerAssetWithATranslationInTheLanguage) {
  const XmlDoc rss = Rss(RssFeed(TestFeed(), SeedList()));
  ASSERT_TRUE(rss.ok());
  EXPECT_EQ(rss.Count("/rss/channel/item"), 2u);  // the Russian-only asset is left out
  const std::string item = "/rss/channel/item[1]/";
  EXPECT_THAT(rss.One(item + "title"), HasSubstr("Speech of and answers to questions"));
  EXPECT_EQ(rss.One(item + "link"), kSeedUrl);
  EXPECT_EQ(rss.One(item + "guid"), kSeedUrl);
  EXPECT_EQ(rss.One(item + "guid/@isPermaLink"), "true");
  EXPECT_EQ(rss.One(item + "pubDate"), "Fri, 07 Jun 2013 16:29:00 +0400");
  EXPECT_EQ(ParseRfc822(rss.One(item + "pubDate")), testing::SeedAsset().published_at);
  EXPECT_EQ(rss.One(item + "description"),
            "Russia and the OIC agreed to continue regular political consultations.");
  EXPECT_THAT(rss.All(item + "category"), ElementsAre("transcript", "Syria", "OIC"));
  // No summary: no description (an item needs only a title).
  EXPECT_EQ(rss.Count("/rss/channel/item[2]/description"), 0u);
  EXPECT_EQ(rss.One("/rss/channel/item[2]/link"), "https://mid.example/en/assets/2-statement");
}

TEST(AtomFeed, HasTheFeedElementsOfRfc4287) {
  const std::string text = AtomFeed(TestFeed(), SeedList());
  const XmlDoc atom = Atom(text);
  ASSERT_TRUE(atom.ok()) << text;
  EXPECT_EQ(atom.One("/a:feed/a:id"), "https://mid.example/en/transcripts/feed.atom");
  EXPECT_EQ(atom.One("/a:feed/a:title"), "Ministry of Foreign Affairs — Transcripts and speeches");
  EXPECT_EQ(atom.One("/a:feed/a:updated"), "2013-06-08T09:00:00+04:00");
  EXPECT_EQ(atom.One("/a:feed/a:author/a:name"), "Ministry of Foreign Affairs");
  EXPECT_EQ(atom.One("/a:feed/a:link[@rel='self']/@href"),
            "https://mid.example/en/transcripts/feed.atom");
  EXPECT_EQ(atom.One("/a:feed/a:link[@rel='alternate' and @type='text/html']/@href"),
            "https://mid.example/en/transcripts/");
  // The same publisher's feed in the other language.
  EXPECT_EQ(atom.One("/a:feed/a:link[@rel='alternate' and @hreflang='ru-RU']/@href"),
            "https://mid.example/ru/transcripts/feed.atom");
  EXPECT_EQ(atom.One("/a:feed/a:link[@hreflang='ru-RU']/@type"), "application/atom+xml");
}

TEST(AtomFeed, HasAnEntryPerAssetWithItsTranslationsAsAlternates) {
  const XmlDoc atom = Atom(AtomFeed(TestFeed(), SeedList()));
  ASSERT_TRUE(atom.ok());
  EXPECT_EQ(atom.Count("/a:feed/a:entry"), 2u);
  const std::string entry = "/a:feed/a:entry[1]/";
  EXPECT_EQ(atom.One(entry + "a:id"), kSeedUrl);
  EXPECT_THAT(atom.One(entry + "a:title"), HasSubstr("Speech of and answers to questions"));
  EXPECT_EQ(atom.One(entry + "a:published"), "2013-06-07T16:29:00+04:00");
  EXPECT_EQ(content::ParseIso8601(atom.One(entry + "a:published")),
            testing::SeedAsset().published_at);
  EXPECT_EQ(atom.One(entry + "a:updated"), "2013-06-08T09:00:00+04:00");
  EXPECT_EQ(atom.One(entry + "a:link[@rel='alternate' and @hreflang='en-GB']/@href"), kSeedUrl);
  EXPECT_EQ(atom.One(entry + "a:link[@rel='alternate' and @hreflang='ru-RU']/@href"),
            std::string("https://mid.example/ru/assets/1-") + kRuSlug);
  EXPECT_EQ(atom.One(entry + "a:summary"),
            "Russia and the OIC agreed to continue regular political consultations.");
  EXPECT_THAT(atom.All(entry + "a:category/@term"), ElementsAre("transcript", "Syria", "OIC"));
  // Never modified: updated is the publication time; one version: one alternate.
  const std::string second = "/a:feed/a:entry[2]/";
  EXPECT_EQ(atom.One(second + "a:updated"), atom.One(second + "a:published"));
  EXPECT_EQ(atom.Count(second + "a:link"), 1u);
}

TEST(Feeds, HostileTextComesBackAsTheSameTextNeverAsMarkup) {
  store::ListPage list;
  content::Asset asset = EnglishOnly(7, kHostile, kHostile);
  asset.tags = {kHostile};
  list.assets.push_back(asset);
  FeedInfo feed = TestFeed();
  feed.title = kHostile;
  feed.site_name = kHostile;

  const std::string rss_text = RssFeed(feed, list);
  EXPECT_THAT(rss_text, Not(HasSubstr("<script>")));
  const XmlDoc rss = Rss(rss_text);
  ASSERT_TRUE(rss.ok()) << rss_text;
  EXPECT_EQ(rss.One("/rss/channel/item/title"), kHostileAsXml);
  // A description is HTML to feed readers: the text comes back HTML-escaped, never as markup.
  EXPECT_EQ(rss.One("/rss/channel/item/description"),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;double&quot; &#39;single&#39; "
            "]]&gt;  bell Заявление МИД");
  EXPECT_THAT(rss.All("/rss/channel/item/category"), ElementsAre("statement", kHostileAsXml));
  EXPECT_EQ(rss.One("/rss/channel/title"), kHostileAsXml + " — " + kHostileAsXml);
  EXPECT_EQ(rss.Count("//script"), 0u);

  const std::string atom_text = AtomFeed(feed, list);
  EXPECT_THAT(atom_text, Not(HasSubstr("<script>")));
  const XmlDoc atom = Atom(atom_text);
  ASSERT_TRUE(atom.ok()) << atom_text;
  EXPECT_EQ(atom.One("/a:feed/a:entry/a:title"), kHostileAsXml);
  EXPECT_EQ(atom.One("/a:feed/a:entry/a:summary"), kHostileAsXml);
  EXPECT_EQ(atom.One("/a:feed/a:author/a:name"), kHostileAsXml);
  // In an attribute value, quotes included.
  EXPECT_THAT(atom.All("/a:feed/a:entry/a:category/@term"),
              ElementsAre("statement", kHostileAsXml));
  EXPECT_EQ(atom.Count("//*[local-name()='script']"), 0u);
}

TEST(Feeds, AnEmptyPublisherGivesAValidEmptyFeedDatedNow) {
  const FeedInfo feed = TestFeed();
  const XmlDoc rss = Rss(RssFeed(feed, store::ListPage{}));
  ASSERT_TRUE(rss.ok());
  EXPECT_EQ(rss.Count("/rss/channel/item"), 0u);
  EXPECT_EQ(rss.Count("/rss/channel/title"), 1u);
  EXPECT_EQ(ParseRfc822(rss.One("/rss/channel/lastBuildDate")), feed.now);

  const XmlDoc atom = Atom(AtomFeed(feed, store::ListPage{}));
  ASSERT_TRUE(atom.ok());
  EXPECT_EQ(atom.Count("/a:feed/a:entry"), 0u);
  EXPECT_EQ(content::ParseIso8601(atom.One("/a:feed/a:updated")), feed.now);
}

TEST(Feeds, TheHomeFeedLivesAtTheLanguagesRoot) {
  FeedInfo feed = TestFeed();
  feed.publisher_path = "";
  feed.alternate_languages = {};
  const XmlDoc rss = Rss(RssFeed(feed, SeedList()));
  EXPECT_EQ(rss.One("/rss/channel/link"), "https://mid.example/en/");
  EXPECT_EQ(rss.One("/rss/channel/atom:link/@href"), "https://mid.example/en/feed.rss");
  const XmlDoc atom = Atom(AtomFeed(feed, SeedList()));
  EXPECT_EQ(atom.One("/a:feed/a:id"), "https://mid.example/en/feed.atom");
  EXPECT_EQ(atom.Count("/a:feed/a:link[@type='application/atom+xml' and @rel='alternate']"), 0u);
}

TEST(Feeds, TheRussianFeedShowsTheRussianTranslations) {
  FeedInfo feed = TestFeed();
  feed.language = "ru-RU";
  feed.title = "Стенограммы";
  feed.alternate_languages = {"en-GB"};
  const XmlDoc atom = Atom(AtomFeed(feed, SeedList()));
  ASSERT_TRUE(atom.ok());
  EXPECT_EQ(atom.Count("/a:feed/a:entry"), 2u);  // the seed and the Russian-only one
  EXPECT_THAT(atom.One("/a:feed/a:entry[1]/a:title"), HasSubstr("Выступление и ответы"));
  EXPECT_EQ(atom.One("/a:feed/a:entry[1]/a:link[@hreflang='en-GB']/@href"), kSeedUrl);
  EXPECT_EQ(atom.One("/a:feed/a:link[@hreflang='en-GB']/@href"),
            "https://mid.example/en/transcripts/feed.atom");
  EXPECT_EQ(atom.One("/a:feed/@xml:lang"), "ru-RU");
}

TEST(Feeds, MakeFeedInfoTakesThePublishersTitleAndLanguages) {
  Config config;
  config.base_url = "https://mid.example";
  publish::Publisher publisher;
  publisher.id = "interviews";
  publisher.path = "interviews";
  publisher.titles = {{"en-GB", "Interviews"}, {"ru-RU", "Интервью"}};
  publisher.languages = {"en-GB"};
  const content::Instant now{1'700'000'000};
  const FeedInfo en = MakeFeedInfo(config, publisher, "en-GB", now);
  EXPECT_EQ(en.title, "Interviews");
  EXPECT_EQ(en.site_name, config.site_name);
  EXPECT_EQ(en.publisher_path, "interviews");
  EXPECT_TRUE(en.alternate_languages.empty());  // not in Russian
  EXPECT_EQ(en.now, now);
  publisher.languages = {};
  EXPECT_THAT(MakeFeedInfo(config, publisher, "en-GB", now).alternate_languages,
              ElementsAre("ru-RU"));
  EXPECT_EQ(MakeFeedInfo(config, publisher, "ru-RU", now).title, "Интервью");
  // The site's name in the feed's language.
  EXPECT_EQ(MakeFeedInfo(config, publisher, "ru-RU", now).site_name,
            "Министерство иностранных дел");
}

}  // namespace
}  // namespace assetpub::render
