// The XSS campaign in a real browser: an item whose every free-text field is hostile is written
// through the write API (token from `assetpub token create`) and published; then Debian's
// headless Chromium loads its page in both languages, the side-by-side view, the home list, a
// person's list, the search results and the admin edit form and preview, and asserts that no
// payload ran: `window.__xss` stays undefined and no dialog opened. The context bypasses the
// site's Content-Security-Policy on purpose, so the escaping alone must hold (the CSP is the
// second line; tests/integration/xss_test.cpp checks it and the markup structurally).
//
//   ASSETPUB_BINARY=build/release/src/cli/assetpub ASSETPUB_SOURCE_DIR=. \
//   node --test tests/e2e/xss.test.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';

import { launchBrowser, newContext } from './lib/browser.mjs';
import { kBinary, kSourceDir } from './lib/env.mjs';
import { startSite } from './lib/site.mjs';

const kUser = 'xss-admin';
const kPassword = 'xss admin pass phrase';

// Every attack at once, after a marker naming the field.
const kPayload = [
  '</title><script>window.__xss=1</script>',
  '"><img src=x onerror="window.__xss=1;alert(1)">',
  "' onmouseover='window.__xss=1' autofocus onfocus='window.__xss=1' x='",
  'javascript:window.__xss=1',
  ']]></description><script>window.__xss=1</script>',
  '&lt;script&gt;window.__xss=1&lt;/script&gt;',
  '{{mustache}} {{{triple}}}',
  '\u2028\u2029\u202E<svg onload="window.__xss=1;alert(2)">',
  '<iframe src="javascript:window.__xss=1"></iframe><a href="javascript:window.__xss=1">x</a>',
  '</script><script>window.__xss=1;confirm(3)</script><!--',
  '</textarea><script>window.__xss=1</script>',
  '<details open ontoggle="window.__xss=1">',
].join(' ');
const hostile = (marker) => `${marker} ${kPayload}`;

function translation(p, slug) {
  return {
    title: hostile(`QxssTitle${p}`),
    slug,
    place: hostile(`QxssPlace${p}`),
    summary: hostile(`QxssSummary${p}`),
    blocks: [
      { type: 'paragraph', text: hostile(`QxssParagraph${p}`) },
      { type: 'heading', text: hostile(`QxssHeading${p}`) },
      { type: 'quote', text: hostile(`QxssQuote${p}`) },
      { type: 'list', items: [hostile(`QxssItem${p}`)] },
      { type: 'turn', role: 'question', speaker: hostile(`QxssAsker${p}`),
        paragraphs: [hostile(`QxssQuestion${p}`)] },
      { type: 'turn', role: 'answer', speaker: hostile(`QxssAnswerer${p}`),
        note: hostile(`QxssNote${p}`), paragraphs: [hostile(`QxssAnswer${p}`)] },
    ],
    source: hostile(`QxssSource${p}`),
  };
}

const kAsset = {
  kind: 'statement',
  languages: ['en-GB', 'ru-RU'],
  people: [hostile('QxssPerson')],
  tags: [hostile('QxssTag')],
  categories: { topic: [hostile('QxssTopic')] },
  related: [{ title: hostile('QxssRelated') }],
  translations: {
    'en-GB': translation('En', 'hostile-item'),
    'ru-RU': translation('Ru', 'hostile-item-ru'),
  },
};

let site;
let browser;
let token;
let itemId;

async function api(method, path, body, ifMatch) {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  if (ifMatch) headers['If-Match'] = ifMatch;
  const response = await fetch(`${site.baseUrl}${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: HTTP ${response.status}\n${text}`);
  return JSON.parse(text);
}

before(async () => {
  assert.ok(kBinary, 'ASSETPUB_BINARY must name the assetpub binary (CTest sets it)');
  site = await startSite({ binary: kBinary, sourceDir: kSourceDir, corpusCount: 5 });
  execFileSync(kBinary, ['--data', site.dataDir, 'user', 'add', kUser, '--role', 'admin'], {
    input: `${kPassword}\n${kPassword}\n`,
  });
  token = execFileSync(kBinary, ['--data', site.dataDir, 'token', 'create', '--user', kUser,
    '--name', 'xss'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  const created = await api('POST', '/api/v1/assets', kAsset);
  itemId = created.id;
  await api('POST', `/api/v1/assets/${itemId}/publish`, {}, '"1"');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (site) assert.equal(await site.stop(), 0, 'assetpub serve did not exit cleanly');
});

// Opens `path` in `page`, gives any payload a chance to run (hover and focus on everything,
// a moment to load), and asserts none did.
async function expectInert(page, path, dialogs, status = 200) {
  const response = await page.goto(path);
  assert.equal(response.status(), status, `GET ${path}`);
  await page.waitForLoadState('load');
  // Event-handler payloads need an event: hover every element that has a box.
  for (const element of await page.locator('main *').all()) {
    await element.hover({ timeout: 50, trial: false, force: true }).catch(() => {});
  }
  await page.waitForTimeout(200);
  const xss = await page.evaluate(() => window.__xss);
  assert.equal(xss, undefined, `${path}: a payload ran (window.__xss = ${xss})`);
  assert.deepEqual(dialogs, [], `${path}: a payload opened a dialog`);
}

// A fresh browser context (bypassing the CSP: see the file's comment) with its dialogs recorded.
async function withPage(body) {
  const context = await newContext(browser, site.baseUrl);
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss();
  });
  try {
    await body(page, dialogs, context);
  } finally {
    await context.close();
  }
}

test('the hostile item, its comparison, the lists and the search run no payload', async () => {
  await withPage(async (page, dialogs) => {
    await expectInert(page, `/en/assets/${itemId}-hostile-item`, dialogs);
    // The hostile text is on the page as text.
    await assert.doesNotReject(
      page.getByRole('heading', { level: 1, name: hostile('QxssTitleEn') }).waitFor());
    await expectInert(page, `/ru/assets/${itemId}-hostile-item-ru`, dialogs);
    await expectInert(page, `/en/assets/${itemId}-hostile-item?compare=ru`, dialogs);
    await expectInert(page, '/en/', dialogs);
    await page.goto(`/en/assets/${itemId}-hostile-item`);
    const person = await page.locator('a[href^="/en/people/"]').first().getAttribute('href');
    await expectInert(page, person, dialogs);
    // The search index follows the store: wait for the item to be found.
    const query = '/en/search?q=QxssParagraphEn';
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const body = await (await fetch(`${site.baseUrl}/api/v1/search?q=QxssParagraphEn`)).json();
      if (body.total > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await expectInert(page, query, dialogs);
    await assert.doesNotReject(page.locator('.search-hit').first().waitFor());
    // The facets name the hostile person; where their link leads is inert too.
    const facet = await page.locator('.search-facet-person a').first().getAttribute('href');
    await expectInert(page, facet, dialogs);
    // A hostile query comes back in the form, as a value.
    await expectInert(page, `/en/search?q=${encodeURIComponent(kPayload)}`, dialogs, 400);
    assert.equal(await page.locator('#search-q').inputValue(), kPayload);
    await expectInert(page, `/en/${encodeURIComponent(kPayload)}/`, dialogs, 404);
  });
});

test('the admin list, edit form and preview of the hostile item run no payload', async () => {
  await withPage(async (page, dialogs) => {
    await page.goto('/admin/login');
    await page.getByLabel('User name').fill(kUser);
    await page.getByLabel('Password').fill(kPassword);
    await Promise.all([
      page.waitForURL('**/admin/'),
      page.getByRole('button', { name: 'Log in' }).click(),
    ]);
    await expectInert(page, '/admin/', dialogs);
    await expectInert(page, `/admin/items/${itemId}`, dialogs);
    await expectInert(page, `/admin/items/${itemId}/edit`, dialogs);
    // Every field of the form holds the hostile text exactly.
    assert.equal(await page.locator('#title-en').inputValue(), hostile('QxssTitleEn'));
    assert.equal(await page.locator('#summary-ru').inputValue(), hostile('QxssSummaryRu'));
    assert.ok((await page.locator('#body-en').inputValue()).includes(hostile('QxssAnswerEn')));
    await expectInert(page, `/admin/items/${itemId}/preview`, dialogs);
    await expectInert(page, `/admin/items/${itemId}/preview?lang=ru`, dialogs);
  });
});
