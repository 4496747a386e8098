// Browser tests: what a reader does on the site, in Debian's headless Chromium, against the real
// `assetpub` binary serving sample-content/ (the seed transcript, English and Russian) and a
// generated corpus of 300 items. Every flow opens its own browser context; every page type is
// checked with axe-core and photographed at desktop and phone width.
//
//   ASSETPUB_BINARY=build/release/src/cli/assetpub ASSETPUB_SOURCE_DIR=. \
//   ASSETPUB_E2E_SCREENSHOTS=build/release/e2e-screenshots node --test tests/e2e/
// (CTest passes these: test e2e_browser, `make e2e`.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  axeViolations,
  describeViolations,
  launchBrowser,
  screenshots,
  withPage as withPageOf,
} from './lib/browser.mjs';
import { kBinary, kShots, kSourceDir } from './lib/env.mjs';
import { startSite } from './lib/site.mjs';

// The seed (sample-content/): one asset, English and Russian, published 7 June 2013 16:29 MSK.
const kSeedTitle = /Sergey Lavrov.*press conference|press conference.*Sergey Lavrov/i;
const kSeedQuery = 'Ihsanoglu'; // the OIC Secretary General: a word only the seed has
const kSeedEnglish = 'Today we are welcoming the Secretary General';
const kSeedRussian = 'Сегодня мы принимаем в Министерстве иностранных дел';
const kSeedAnswerEnglish = 'I would like to express some considerations';
const kSeedAnswerRussian = 'Хотел бы высказать некоторые соображения';

let site;
let browser;

before(async () => {
  assert.ok(kBinary, 'ASSETPUB_BINARY must name the assetpub binary (CTest sets it)');
  site = await startSite({ binary: kBinary, sourceDir: kSourceDir });
  browser = await launchBrowser();
  console.log(`e2e: site at ${site.baseUrl}, data in ${site.dataDir}, screenshots in ${kShots}`);
});

after(async () => {
  await browser?.close();
  if (site) {
    const code = await site.stop();
    assert.equal(code, 0, 'assetpub serve did not exit cleanly (code 0) on SIGTERM');
  }
});

// Runs `body(page)` in a fresh browser context; closes it whatever happens.
function withPage(body) {
  return withPageOf(browser, site.baseUrl, body);
}

// The site name from the data folder's config.toml (written with the defaults on first use).
// site_name = "…" or, per language, site_name = { en = "…", ru = "…" }.
function siteName() {
  const config = readFileSync(join(site.dataDir, 'config.toml'), 'utf8');
  const match = /^site_name\s*=\s*(?:"([^"]*)"|\{[^}\n]*\ben\s*=\s*"([^"]*)")/m.exec(config);
  assert.ok(match, `config.toml has no site_name for English:\n${config}`);
  return match[1] ?? match[2];
}

// Goes to `path` and asserts the HTTP status.
async function open(page, path, status = 200) {
  const response = await page.goto(path);
  assert.ok(response, `no response for ${path}`);
  assert.equal(response.status(), status,
    `GET ${path}: HTTP ${response.status()}, expected ${status}`);
  return response;
}

// The seed's English item path (/en/assets/{id}-{slug}), from the site's search page.
let seedPathCache;
async function seedPath() {
  if (seedPathCache) return seedPathCache;
  const html = await (await fetch(`${site.baseUrl}/en/search?q=${kSeedQuery}`)).text();
  const links = html.matchAll(/<a href="(\/en\/assets\/\d+-[^"#]+)[^"]*"[^>]*>([^<]+)</g);
  for (const [, href, title] of links) {
    if (kSeedTitle.test(title)) return (seedPathCache = href);
  }
  assert.fail(`no hit titled like ${kSeedTitle} on /en/search?q=${kSeedQuery}`);
}

// The seed's Russian item path, from the English page's language switcher.
async function seedRussianPath() {
  const en = await seedPath();
  const html = await (await fetch(`${site.baseUrl}${en}`)).text();
  const link = new RegExp(`<a href="(/ru/assets/${seedId(en)}-[^"#]+)"[^>]*hreflang="ru-RU"`);
  const match = link.exec(html);
  assert.ok(match, `${en} links no Russian version`);
  return match[1];
}

function seedId(path) {
  return /\/assets\/(\d+)-/.exec(path)[1];
}

// Item links in <main>, as absolute paths without fragment.
function itemLinks(page) {
  return page.locator('main a[href*="/assets/"]').evaluateAll((links) =>
    links.map((a) => new URL(a.href).pathname));
}

async function htmlLang(page) {
  return page.locator('html').getAttribute('lang');
}

test('1. home page: site name in the header and a list of items with links', async () => {
  await withPage(async (page) => {
    await open(page, '/en/');
    assert.equal(await htmlLang(page), 'en-GB', '<html lang> on /en/');
    const header = page.locator('header').first();
    const name = siteName();
    assert.ok((await header.innerText()).includes(name), `the header does not show "${name}"`);
    const links = await itemLinks(page);
    assert.ok(links.length >= 10, `expected at least 10 items, found ${links.length} links`);
    for (const href of links) {
      assert.match(href, /^\/en\/assets\/\d+-[a-z0-9-]+$/,
        `item link ${href} is not /en/assets/{id}-{slug}`);
    }
    const first = page.locator('main a[href*="/assets/"]').first();
    const title = (await first.innerText()).trim();
    assert.ok(title.length > 0, 'the first item link has no text');
    await first.click();
    await page.waitForURL(/\/en\/assets\/\d+-/);
    assert.equal((await page.locator('h1').first().innerText()).trim(), title,
      'the item page opened from the home page has another title than its link');
    await open(page, '/en/');
    await screenshots(page, kShots, 'home');
  });
});

test('2. the seed item: found by search, title, date, turns and paragraph anchors', async () => {
  await withPage(async (page) => {
    await open(page, '/en/');
    await page.getByRole('searchbox').first().fill(kSeedQuery);
    await page.getByRole('searchbox').first().press('Enter');
    await page.waitForURL(/\/en\/search\?/);
    const hit = page.locator('main a[href*="/assets/"]', { hasText: kSeedTitle }).first();
    assert.ok(await hit.count(), `no search hit titled like ${kSeedTitle} for "${kSeedQuery}"`);
    await hit.click();
    await page.waitForURL(/\/en\/assets\/\d+-[a-z0-9-]+/);
    assert.match(new URL(page.url()).pathname, /^\/en\/assets\/\d+-[a-z0-9-]+$/);

    const h1 = (await page.locator('h1').first().innerText()).trim();
    assert.match(h1, kSeedTitle, 'the item title');
    const time = page.locator('main time[datetime^="2013-06-07"]').first();
    assert.ok(await time.isVisible(), 'no visible <time datetime="2013-06-07…"> on the item');
    assert.match(await time.innerText(), /7 June 2013/, 'the date as shown');
    assert.ok(await page.getByText('Question', { exact: true }).first().isVisible(),
      'no visible "Question" turn');
    assert.ok(await page.getByText('Sergey Lavrov', { exact: true }).first().isVisible(),
      'no visible "Sergey Lavrov" answer');

    const ids = await page.locator('main p[id]').evaluateAll((ps) =>
      ps.map((p) => p.id).filter((id) => /^p\d+$/.test(id)));
    assert.ok(ids.length >= 10, `expected at least 10 anchored paragraphs, found ${ids.length}`);
    assert.deepEqual(ids, ids.map((_, i) => `p${i + 1}`),
      'paragraph anchors are not p1, p2, … in order');
    for (const id of ['p1', 'p3']) {
      assert.equal(await page.locator(`a[href="#${id}"]`).count(), 1, `no link to #${id}`);
    }
    // The pilcrow shows when its paragraph is hovered (or the link focused).
    await page.locator('#p3').hover();
    await page.locator('a[href="#p3"]').click();
    await page.waitForURL(/#p3$/);
    assert.ok(await page.locator('#p3').evaluate((p) => p.matches(':target')),
      '#p3 is not the :target');
    // A citation link opens the page scrolled to its paragraph.
    const cited = `${new URL(page.url()).pathname}#p${ids.length}`;
    await page.goto('about:blank'); // else only the fragment changes: no new load
    await open(page, cited);
    const inView = await page.locator(`#p${ids.length}`).evaluate((p) => {
      const box = p.getBoundingClientRect();
      return box.top >= 0 && box.top < window.innerHeight;
    });
    assert.ok(inView, `#p${ids.length} is not scrolled into view on opening ${cited}`);
  });
});

test('3. language switcher: to Russian and back to English by clicking', async () => {
  await withPage(async (page) => {
    const en = await seedPath();
    const id = seedId(en);
    await open(page, en);
    assert.equal(await htmlLang(page), 'en-GB');
    await page.locator(`main a[hreflang="ru-RU"][href^="/ru/assets/${id}-"]`).first().click();
    await page.waitForURL(new RegExp(`/ru/assets/${id}-[a-z0-9-]+$`));
    assert.equal(await htmlLang(page), 'ru-RU', '<html lang> after switching to Russian');
    assert.match(await page.locator('h1').first().innerText(), /Лаврова/, 'the Russian title');
    await page.locator(`main a[hreflang="en-GB"][href^="/en/assets/${id}-"]`).first().click();
    await page.waitForURL(new RegExp(`/en/assets/${id}-[a-z0-9-]+$`));
    assert.equal(new URL(page.url()).pathname, en, 'back to the same English URL');
    assert.equal(await htmlLang(page), 'en-GB', '<html lang> after switching back to English');
  });
});

describe('4. search', () => {
  test('Advanced settings: phrase, date range and person; the query stays in the URL', async () => {
    await withPage(async (page) => {
      const id = seedId(await seedPath());
      await open(page, '/en/search');
      const details = page.locator('details').filter({ has: page.locator('summary') }).first();
      assert.equal(await details.evaluate((d) => d.open), false,
        'Advanced settings open before a click');
      await details.locator('summary').click();
      assert.equal(await details.evaluate((d) => d.open), true, 'Advanced settings did not open');
      await page.locator('#search-phrase').fill('international humanitarian law');
      await page.locator('#search-from').fill('2013-06-01');
      await page.locator('#search-to').fill('2013-06-30');
      await page.locator('#search-person').fill('Sergey Lavrov');
      await details.locator('button[type="submit"]').click();
      await page.waitForURL(/\/en\/search\?.*phrase=/);

      const params = new URL(page.url()).searchParams;
      assert.equal(params.get('phrase'), 'international humanitarian law', 'phrase in the URL');
      assert.equal(params.get('from'), '2013-06-01', 'from in the URL');
      assert.equal(params.get('to'), '2013-06-30', 'to in the URL');
      assert.equal(params.get('person'), 'Sergey Lavrov', 'person in the URL');
      assert.equal(await page.locator('#search-phrase').inputValue(),
        'international humanitarian law',
        'the form does not keep the phrase');
      assert.equal(await page.locator('#search-from').inputValue(), '2013-06-01',
        'the form keeps from');

      const hits = page.locator('main ol li:has(a[href*="/assets/"])');
      assert.ok(await hits.count() >= 1, 'no hits for the advanced search');
      const seedHit = `main ol a[href^="/en/assets/${id}-"], main ol a[href^="/ru/assets/${id}-"]`;
      assert.ok(await page.locator(seedHit).count(),
        'the seed is not among the hits');
      const dates = await hits.locator('time').evaluateAll((ts) => ts.map((t) => t.dateTime));
      for (const date of dates) {
        assert.ok(date >= '2013-06-01' && date < '2013-07-01',
          `hit dated ${date} is outside the range`);
      }
      await screenshots(page, kShots, 'search-advanced');
    });
  });

  test('the search box: a plain query from the header lands on results', async () => {
    await withPage(async (page) => {
      await open(page, '/en/');
      const box = page.getByRole('search').first().getByRole('searchbox');
      await box.fill('Geneva conference');
      await box.press('Enter');
      await page.waitForURL(/\/en\/search\?/);
      assert.equal(new URL(page.url()).searchParams.get('q'), 'Geneva conference', 'q in the URL');
      const main = await page.locator('main').innerText();
      assert.match(main, /\b[1-9][0-9,]* results?\b/, 'a result count');
      assert.ok(await page.locator('main ol a[href*="/assets/"]').count() >= 1, 'no hits');
      assert.equal(await page.locator('main input[name="q"]').inputValue(), 'Geneva conference',
        'the search page does not show the query in its box');
      await screenshots(page, kShots, 'search-results');
    });
  });

  test('a query without hits says so', async () => {
    await withPage(async (page) => {
      await open(page, '/en/search?q=qzxwvkjhnothing');
      const hits = await page.locator('main ol a[href*="/assets/"]').count();
      assert.equal(hits, 0, 'hits for nonsense');
      const main = await page.locator('main').innerText();
      assert.match(main, /Nothing was found/, 'the no-results text');
    });
  });
});

test('5. home page paging: the next page shows other items', async () => {
  await withPage(async (page) => {
    await open(page, '/en/');
    const first = await itemLinks(page);
    await page.getByRole('navigation', { name: 'Pages' }).locator('a[rel="next"]').click();
    await page.waitForURL(/\/en\/\?page=2$/);
    const second = await itemLinks(page);
    assert.ok(second.length > 0, 'page 2 has no items');
    const repeated = second.filter((href) => first.includes(href));
    assert.deepEqual(repeated, [], 'page 2 repeats items of page 1');
    const pager = page.getByRole('navigation', { name: 'Pages' });
    assert.equal((await pager.locator('[aria-current="page"]').innerText()).trim(), '2',
      'the pager does not mark page 2 as current');
    await pager.locator('a[rel="prev"]').click();
    await page.waitForURL(/\/en\/(\?page=1)?$/);
    assert.deepEqual(await itemLinks(page), first, 'the previous page is not page 1 again');
  });
});

test('6. side-by-side view (?compare=ru) pairs English and Russian paragraphs', async () => {
  await withPage(async (page) => {
    const en = await seedPath();
    await open(page, `${en}?compare=ru`);
    for (const [english, russian] of [[kSeedEnglish, kSeedRussian],
                                      [kSeedAnswerEnglish, kSeedAnswerRussian]]) {
      const left = page.getByText(english).first();
      const right = page.getByText(russian).first();
      assert.ok(await left.isVisible(), `English text "${english}…" not visible`);
      assert.ok(await right.isVisible(), `Russian text "${russian}…" not visible`);
      const a = await left.boundingBox();
      const b = await right.boundingBox();
      const sameRow = a.y < b.y + b.height && b.y < a.y + a.height;
      assert.ok(sameRow && b.x >= a.x + a.width - 1,
        `"${english}…" and "${russian}…" are not side by side (English at x=${a.x},y=${a.y}; ` +
        `Russian at x=${b.x},y=${b.y})`);
      assert.equal(await right.evaluate((e) => e.closest('[lang]')?.lang), 'ru-RU',
        'the Russian column is not marked lang="ru-RU"');
    }
    await screenshots(page, kShots, 'compare');
  });
});

test('7. publisher page /en/transcripts/ with a numbered pager', async () => {
  await withPage(async (page) => {
    await open(page, '/en/transcripts/');
    const h1 = await page.locator('h1').first().innerText();
    assert.ok(h1.trim(), 'the publisher page has no <h1>');
    const first = await itemLinks(page);
    assert.ok(first.length > 0, 'no items on /en/transcripts/');
    const pager = page.getByRole('navigation', { name: 'Pages' });
    const two = pager.getByRole('link', { name: /^(Page )?2$/ });
    assert.ok(await two.count(), 'the numbered pager has no link to page 2');
    await two.first().click();
    await page.waitForURL(/\/en\/transcripts\/\?page=2$/);
    assert.equal((await pager.locator('[aria-current="page"]').innerText()).trim(), '2',
      'the pager does not mark page 2 as current');
    const second = await itemLinks(page);
    assert.ok(second.length > 0, 'page 2 has no items');
    assert.deepEqual(second.filter((href) => first.includes(href)), [], 'page 2 repeats page 1');
    await screenshots(page, kShots, 'publisher-page-2');
  });
});

describe('8. feeds', () => {
  // Fetches `url` in the page's context and parses it with the browser's XML parser.
  async function fetchXml(page, url) {
    const response = await page.request.get(url);
    assert.equal(response.status(), 200, `GET ${url}: HTTP ${response.status()}`);
    const text = await response.text();
    const root = await page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      const error = doc.querySelector('parsererror');
      if (error) return { error: error.textContent };
      const el = doc.documentElement;
      return { name: el.localName, ns: el.namespaceURI, version: el.getAttribute('version'),
               items: doc.querySelectorAll('item, entry').length };
    }, text);
    assert.ok(!root.error, `${url} is not well-formed XML: ${root.error}`);
    return { contentType: response.headers()['content-type'] || '', root };
  }

  test('the RSS link of /en/transcripts/ gives an RSS document', async () => {
    await withPage(async (page) => {
      await open(page, '/en/transcripts/');
      const link = page.locator('head link[rel="alternate"][type="application/rss+xml"]');
      assert.ok(await link.count(),
        'no <link rel="alternate" type="application/rss+xml"> in the head');
      // The link is absolute, on config.toml's base_url; fetch its path from the server under test.
      const linked = new URL(await link.first().getAttribute('href'), page.url());
      assert.equal(linked.pathname, '/en/transcripts/feed.rss', 'the RSS link of /en/transcripts/');
      const href = new URL(linked.pathname + linked.search, page.url()).href;
      const { contentType, root } = await fetchXml(page, href);
      assert.match(contentType, /^application\/rss\+xml/, `content-type of ${href}`);
      assert.equal(root.name, 'rss', `root element of ${href}`);
      assert.equal(root.version, '2.0', 'rss version');
      assert.ok(root.items > 0, `${href} has no <item>`);
    });
  });

  test('/en/transcripts/feed.atom is an Atom feed', async () => {
    await withPage(async (page) => {
      await open(page, '/en/');
      const atom = `${site.baseUrl}/en/transcripts/feed.atom`;
      const { contentType, root } = await fetchXml(page, atom);
      assert.match(contentType, /^application\/atom\+xml/, 'content-type of feed.atom');
      assert.equal(root.name, 'feed', 'root element of feed.atom');
      assert.equal(root.ns, 'http://www.w3.org/2005/Atom', 'Atom namespace');
      assert.ok(root.items > 0, 'feed.atom has no <entry>');
    });
  });
});

describe('9. accessibility (axe-core): no serious or critical violations', () => {
  // [name, path or a function giving it, expected status, screenshot?, text the page must show
  // (so that the right page type is checked)]
  const pages = [
    ['home', '/en/', 200, false, 'Latest publications'],
    ['item-en', seedPath, 200, true, kSeedEnglish],
    ['item-ru', seedRussianPath, 200, true, kSeedRussian],
    ['search-results', `/en/search?q=${kSeedQuery}`, 200, false, /\b[1-9][0-9,]* results?\b/],
    ['search-empty', '/en/search?q=qzxwvkjhnothing', 200, true, 'Nothing was found'],
    ['search-invalid', '/en/search?from=2013-02-31', 400, true, 'Advanced settings'],
    ['not-found', '/en/no-such-page', 404, true, 'Page not found'],
    ['compare', async () => `${await seedPath()}?compare=ru`, 200, false, kSeedRussian],
    ['publisher', '/en/transcripts/', 200, true, 'Transcript'],
  ];
  for (const [name, where, status, shoot, text] of pages) {
    test(name, async () => {
      await withPage(async (page) => {
        const path = typeof where === 'function' ? await where() : where;
        await open(page, path, status);
        assert.ok(await page.getByText(text).first().isVisible(),
          `${path} does not show "${text}"`);
        const serious = await axeViolations(page, name);
        if (shoot) await screenshots(page, kShots, name);
        assert.deepEqual(serious.map((v) => v.id), [],
          `${name} (${path}): serious/critical axe violations:\n${describeViolations(serious)}`);
      });
    });
  }
});
