// Browser tests of a site in the eight languages assetpub ships (en, ru, fr, es, de, pt, ar, zh)
// plus one without a locale file (it), serving sample-content/ (whose statement has all eight
// versions). Arabic pages are right to left; every public page type in every language fits the
// screen at phone and desktop width and says its language and direction; the right-to-left and
// the CJK pages have no serious axe violation (the others share their templates with the
// English pages site.test.mjs checks); the side-by-side view gives each column its own
// direction. Screenshots of the Arabic and Chinese pages land in ASSETPUB_E2E_SCREENSHOTS as
// i18n-<lang>-<page>-{desktop,phone}.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  axeViolations,
  describeViolations,
  kDesktop,
  kPhone,
  launchBrowser,
  screenshots,
  withPage as withPageOf,
} from './lib/browser.mjs';
import { kBinary, kShots, kSourceDir } from './lib/env.mjs';
import { startSite } from './lib/site.mjs';

const kLanguages = ['en-GB', 'ru-RU', 'fr-FR', 'es-ES', 'de-DE', 'pt-PT', 'ar-SA', 'zh-CN'];
const kConfig = `languages = [${[...kLanguages, 'it-IT'].map((tag) => `"${tag}"`).join(', ')}]
time_zone = "Europe/Moscow"
site_name.en = "Ministry of Foreign Affairs"
site_name.ru = "Министерство иностранных дел"
site_name.fr = "Ministère des Affaires étrangères"
site_name.es = "Ministerio de Asuntos Exteriores"
site_name.de = "Außenministerium"
site_name.pt = "Ministério dos Negócios Estrangeiros"
site_name.ar = "وزارة الخارجية"
site_name.zh = "外交部"
`;
// The languages whose pages axe checks and the screenshots show (the others' are only measured:
// a full axe run and two screenshots of eight page types in eight languages cost minutes).
const kLooked = new Set(['ar-SA', 'zh-CN']);
// A word of each version's second paragraph, searched for on that language's search page.
const kWords = {
  'en-GB': 'delegation', 'ru-RU': 'делегация', 'fr-FR': 'délégation', 'es-ES': 'delegación',
  'de-DE': 'Delegation', 'pt-PT': 'delegação', 'ar-SA': 'وفد', 'zh-CN': '代表团',
};

let site;
let browser;
let statement; // the eight-language item as the API gives it

before(async () => {
  assert.ok(kBinary, 'ASSETPUB_BINARY must name the assetpub binary (CTest sets it)');
  site = await startSite({
    binary: kBinary, sourceDir: kSourceDir, corpusCount: 0, config: kConfig,
  });
  browser = await launchBrowser();
  const list = await (await fetch(`${site.baseUrl}/api/v1/assets?page_size=100`)).json();
  statement = list.items.find((item) => Object.keys(item.translations).length === 8);
  assert.ok(statement, `sample-content/ has no item in eight languages: ${JSON.stringify(list)}`);
});

after(async () => {
  await browser?.close();
  if (site) assert.equal(await site.stop(), 0, 'assetpub serve did not exit cleanly on SIGTERM');
});

// Runs `body(page)` in a fresh browser context; closes it whatever happens.
function withPage(body) {
  return withPageOf(browser, site.baseUrl, body);
}

function itemPath(tag) {
  return `/${tag.slice(0, 2)}/assets/${statement.id}-${statement.translations[tag].slug}`;
}

async function open(page, path, status = 200) {
  const response = await page.goto(path);
  assert.equal(response?.status(), status, `GET ${path}: HTTP ${response?.status()}`);
}

// Elements that stick out of the screen on either side at `viewport`, and the page's scroll
// width against its client width; empty when the page fits. On a right-to-left page overflow
// goes to the left, so both edges are checked.
async function overflow(page, viewport) {
  await page.setViewportSize(viewport);
  const found = await page.evaluate(() => {
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return [];
    const out = [`scrollWidth ${root.scrollWidth} > clientWidth ${root.clientWidth}`];
    for (const element of document.body.querySelectorAll('*')) {
      const box = element.getBoundingClientRect();
      if (box.width > 0 && (box.right > root.clientWidth + 1 || box.left < -1)) {
        out.push(`${element.tagName.toLowerCase()}.${element.className}: ` +
          `${Math.round(box.left)}..${Math.round(box.right)}px`);
      }
    }
    return out.slice(0, 10);
  });
  await page.setViewportSize(kDesktop);
  return found;
}

// The public page types in `tag`'s language, as [name, path, status].
function pageTypes(tag) {
  const lang = tag.slice(0, 2);
  return [
    ['home', `/${lang}/`, 200],
    ['item', itemPath(tag), 200],
    ['compare', `${itemPath(tag)}?compare=${tag === 'en-GB' ? 'ar' : 'en'}`, 200],
    ['print', `${itemPath(tag)}?print=1`, 200],
    ['list', `/${lang}/statements/`, 200],
    ['search', `/${lang}/search?q=${encodeURIComponent(kWords[tag])}`, 200],
    ['no-results', `/${lang}/search?q=zzzqqqxyz`, 200],
    ['not-found', `/${lang}/no-such-page`, 404],
  ];
}

test('the Arabic item page is right to left', async () => {
  await withPage(async (page) => {
    await open(page, itemPath('ar-SA'));
    assert.equal(await page.locator('html').getAttribute('lang'), 'ar-SA');
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    // The layout mirrors: the title's text starts at the right edge of its box.
    const h1 = page.locator('h1').first();
    assert.equal(await h1.evaluate((e) => getComputedStyle(e).direction), 'rtl');
    // The language switcher's Latin entries keep their own direction inside the page's.
    assert.equal(await page.locator('.site-languages [lang="en-GB"]').getAttribute('dir'), 'ltr');
  });
});

test('the side-by-side view of the Arabic and English versions gives each column its direction',
  async () => {
    await withPage(async (page) => {
      await open(page, `${itemPath('ar-SA')}?compare=en`);
      const rows = page.locator('tbody tr.compare-row');
      assert.ok(await rows.count() >= 5, 'fewer than five rows side by side');
      for (let i = 0; i < await rows.count(); ++i) {
        const cells = rows.nth(i).locator('td');
        assert.equal(await cells.count(), 2, `row ${i + 1} has not two cells`);
        const [arabic, english] = [cells.nth(0), cells.nth(1)];
        assert.equal(await arabic.getAttribute('lang'), 'ar-SA', `row ${i + 1}: first cell`);
        assert.equal(await arabic.getAttribute('dir'), 'rtl', `row ${i + 1}: first cell`);
        assert.equal(await english.getAttribute('lang'), 'en-GB', `row ${i + 1}: second cell`);
        assert.equal(await english.getAttribute('dir'), 'ltr', `row ${i + 1}: second cell`);
        assert.equal(await arabic.evaluate((e) => getComputedStyle(e).direction), 'rtl');
        assert.equal(await english.evaluate((e) => getComputedStyle(e).direction), 'ltr');
      }
      // On a right-to-left page the first column (Arabic) stands on the right.
      const a = await rows.first().locator('td').nth(0).boundingBox();
      const b = await rows.first().locator('td').nth(1).boundingBox();
      assert.ok(a.x > b.x, `the Arabic column (x=${a.x}) is not right of the English (x=${b.x})`);
    });
  });

for (const tag of kLanguages) {
  const looked = kLooked.has(tag);
  test(`every page type in ${tag}: its language and direction, fits 390 and 1280 px` +
       (looked ? ', no serious axe violation' : ''), async () => {
    await withPage(async (page) => {
      const problems = [];
      for (const [name, path, status] of pageTypes(tag)) {
        await open(page, path, status);
        const html = page.locator('html');
        if (await html.getAttribute('lang') !== tag) {
          problems.push(`${name}: <html lang> is not ${tag}`);
        }
        const dir = tag === 'ar-SA' ? 'rtl' : 'ltr';
        if (await html.getAttribute('dir') !== dir) {
          problems.push(`${name}: <html dir> is not ${dir}`);
        }
        for (const viewport of [kPhone, kDesktop]) {
          const wide = await overflow(page, viewport);
          if (wide.length) problems.push(`${name} at ${viewport.width} px: ${wide.join('; ')}`);
        }
        if (!looked) continue;
        const violations = await axeViolations(page, `${tag} ${name}`);
        if (violations.length) problems.push(`${name}: ${describeViolations(violations)}`);
        await screenshots(page, kShots, `i18n-${tag.slice(0, 2)}-${name}`);
      }
      assert.deepEqual(problems, [], problems.join('\n'));
    });
  });
}

test('a word from the middle of each version finds it on that language\'s search page',
  async () => {
    await withPage(async (page) => {
      for (const tag of kLanguages) {
        await open(page, `/${tag.slice(0, 2)}/search?q=${encodeURIComponent(kWords[tag])}`);
        const hit = page.locator(`main ol a[href="${itemPath(tag)}#p2"]`);
        assert.equal(await hit.count(), 1,
          `${tag}: "${kWords[tag]}" does not find ${itemPath(tag)}#p2`);
        assert.ok(await page.locator('main ol mark').count() >= 1, `${tag}: nothing highlighted`);
      }
    });
  });

test('a language without a locale file shows English chrome on its own empty home', async () => {
  await withPage(async (page) => {
    await open(page, '/it/');
    assert.equal(await page.locator('html').getAttribute('lang'), 'it-IT');
    const main = await page.locator('main').innerText();
    assert.match(main, /Nothing has been published in this language yet\./);
    const violations = await axeViolations(page, 'it home');
    assert.deepEqual(violations, [], describeViolations(violations));
  });
});
