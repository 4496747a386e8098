// Browser tests of the editors' desk (/admin/) in Debian's headless Chromium against the real
// `assetpub` binary: an admin logs in, creates an item in English and Russian side by side,
// schedules it a few seconds ahead and sees it appear on the public site in both languages,
// attaches a file from the media library, switches the desk to Russian and back, and finds a
// WordPress import's old addresses on the Redirects page.
// Every admin page is checked with axe-core (no serious or critical violations) and
// photographed at desktop and phone width.
//
//   ASSETPUB_BINARY=build/release/src/cli/assetpub ASSETPUB_SOURCE_DIR=. \
//   ASSETPUB_E2E_SCREENSHOTS=build/release/e2e-screenshots node --test tests/e2e/admin.test.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import {
  axeViolations,
  describeViolations,
  launchBrowser,
  newContext,
  screenshots,
  widerThanPhone,
} from './lib/browser.mjs';
import { kBinary, kShots, kSourceDir } from './lib/env.mjs';
import { startSite } from './lib/site.mjs';

const kUser = 'e2e-admin';
const kPassword = 'e2e admin password';
const kEnglishTitle = 'Statement on the e2e <talks> in Geneva';
const kRussianTitle = 'Заявление о переговорах в Женеве';
const kEnglishBody = 'The ministers met today.';
const kRussianBody = 'Министры встретились сегодня.';

let site;
let browser;
let context;
let page;

before(async () => {
  assert.ok(kBinary, 'ASSETPUB_BINARY must name the assetpub binary (CTest sets it)');
  site = await startSite({ binary: kBinary, sourceDir: kSourceDir, corpusCount: 20 });
  // The password comes on standard input (twice: the command asks for it again).
  execFileSync(kBinary, ['--data', site.dataDir, 'user', 'add', kUser, '--role', 'admin'], {
    input: `${kPassword}\n${kPassword}\n`,
  });
  browser = await launchBrowser();
  // One context for the whole flow: the session cookie lives in it.
  context = await newContext(browser, site.baseUrl);
  page = await context.newPage();
});

after(async () => {
  await context?.close();
  await browser?.close();
  if (site) assert.equal(await site.stop(), 0, 'assetpub serve did not exit cleanly');
});

async function checkPage(name) {
  const serious = await axeViolations(page, name);
  const wide = await widerThanPhone(page);
  await screenshots(page, kShots, name);
  assert.deepEqual(serious, [], describeViolations(serious));
  assert.deepEqual(wide, [], `${name} is wider than a phone screen`);
}

test('1. without a session: the login form; a wrong password is refused', async () => {
  const response = await page.goto('/admin/');
  assert.equal(new URL(page.url()).pathname, '/admin/login');
  assert.equal(response.status(), 200);
  assert.equal(response.headers()['cache-control'], 'no-store');
  await checkPage('admin-login');

  await page.getByLabel('User name').fill(kUser);
  await page.getByLabel('Password').fill('not the password');
  const refused = await Promise.all([
    page.waitForResponse(
      (r) => r.url().endsWith('/admin/login') && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Log in' }).click(),
  ]);
  assert.equal(refused[0].status(), 401);
  await assert.doesNotReject(page.getByText('Wrong user name or password.').waitFor());
});

test('2. an admin logs in and sees the items', async () => {
  await page.getByLabel('User name').fill(kUser);
  await page.getByLabel('Password').fill(kPassword);
  await Promise.all([
    page.waitForURL('**/admin/'),
    page.getByRole('button', { name: 'Log in' }).click(),
  ]);
  await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'Items' }).waitFor());
  assert.ok((await page.locator('table.admin-table tbody tr').count()) > 0, 'no items listed');
  await checkPage('admin-items');
});

let itemId;

test('3. an item is created in English and Russian side by side', async () => {
  await page.getByRole('link', { name: 'New item' }).click();
  await page.waitForURL('**/admin/items/new');
  await checkPage('admin-new-item');
  await page.getByLabel('Type').selectOption('statement');
  await page.locator('#title-en').fill(kEnglishTitle);
  await page.locator('#place-en').fill('Geneva');
  await page.locator('#body-en').fill(`${kEnglishBody}\n\n[question: Question]\nAnd next?\n\n` +
    '[answer: Sergey Lavrov]\nWe will see.');
  await page.locator('#title-ru').fill(kRussianTitle);
  await page.locator('#place-ru').fill('Женева');
  await page.locator('#body-ru').fill(kRussianBody);
  await Promise.all([
    page.waitForURL(/\/admin\/items\/\d+\?done=created$/),
    page.getByRole('button', { name: 'Create the draft' }).click(),
  ]);
  itemId = /\/admin\/items\/(\d+)/.exec(page.url())[1];
  await assert.doesNotReject(page.getByText('The draft was created.').waitFor());
  const title = (lang) => page.locator(`section[lang="${lang}"] .admin-title`).textContent();
  assert.equal(await title('en-GB'), kEnglishTitle);
  assert.equal(await title('ru-RU'), kRussianTitle);
  await checkPage('admin-item');

  // Not public yet.
  const hidden = await fetch(`${site.baseUrl}/en/assets/${itemId}`);
  assert.equal(hidden.status, 404);
});

// `date` as the local date and time of Europe/Moscow (the site's zone), with seconds, the way
// an <input type="datetime-local" step="1"> holds it.
function moscowLocal(date) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Moscow', hourCycle: 'h23', year: 'numeric', month: '2-digit',
      day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    }).formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

// Polls `path` on the public site until it answers 200 (following redirects), or fails.
async function waitUntilPublic(path, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let status = 0;
  while (Date.now() < deadline) {
    status = (await fetch(`${site.baseUrl}${path}`)).status;
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`${path} still answers ${status} after ${timeoutMs} ms`);
}

test('4. the preview is the item page; scheduled a few seconds ahead, it goes public', async () => {
  const preview = await context.newPage();
  try {
    await preview.goto(`/admin/items/${itemId}/preview?lang=ru`);
    await assert.doesNotReject(preview.getByRole('heading', { name: kRussianTitle }).waitFor());
  } finally {
    await preview.close();
  }

  const at = new Date(Date.now() + 4000);
  await page.getByLabel('Publish at').fill(moscowLocal(at));
  await Promise.all([
    page.waitForURL(/\?done=schedule$/),
    page.getByRole('button', { name: 'Schedule', exact: true }).click(),
  ]);
  await assert.doesNotReject(page.getByText('Scheduled.').waitFor());
  assert.equal((await fetch(`${site.baseUrl}/en/assets/${itemId}`)).status, 404,
    'public before its time');

  await waitUntilPublic(`/en/assets/${itemId}`, 20_000);
  const reader = await newContext(browser, site.baseUrl);
  try {
    const english = await reader.newPage();
    const response = await english.goto(`/en/assets/${itemId}`);
    assert.equal(response.status(), 200);
    await assert.doesNotReject(english.getByRole('heading', { name: kEnglishTitle }).waitFor());
    await assert.doesNotReject(english.getByText(kEnglishBody).waitFor());
    await english.goto(`/ru/assets/${itemId}`);
    await assert.doesNotReject(english.getByRole('heading', { name: kRussianTitle }).waitFor());
    await assert.doesNotReject(english.getByText(kRussianBody).waitFor());
  } finally {
    await reader.close();
  }
  await page.reload();
  await assert.doesNotReject(page.locator('dd', { hasText: /^Published$/ }).waitFor());
});

test('5. the edit form, users, tokens and audit pages pass axe', async () => {
  for (const [path, name] of [
    [`/admin/items/${itemId}/edit`, 'admin-edit'],
    ['/admin/users', 'admin-users'],
    ['/admin/tokens', 'admin-tokens'],
    ['/admin/audit', 'admin-audit'],
  ]) {
    const response = await page.goto(path);
    assert.equal(response.status(), 200, path);
    await checkPage(name);
  }
  await assert.doesNotReject(page.getByText('asset.schedule').first().waitFor());
  await assert.doesNotReject(page.getByText('asset.publish').first().waitFor());
});

test('5a. a file uploaded to the media library is attached from the edit form', async () => {
  await page.goto('/admin/media');
  await page.locator('input[type="file"]').setInputFiles({
    name: 'e2e-annex.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n' +
      '%%EOF\n'),
  });
  await Promise.all([
    page.waitForURL(/\/admin\/media\?uploaded=/),
    page.getByRole('button', { name: 'Upload' }).click(),
  ]);
  await page.goto(`/admin/items/${itemId}/edit`);
  await page.getByLabel('e2e-annex.pdf (application/pdf)').check();
  await page.locator('input[name^="media_pick_caption_"]').first().fill('The annex <in full>');
  await Promise.all([
    page.waitForURL(/\?done=saved$/),
    page.getByRole('button', { name: 'Save', exact: true }).click(),
  ]);
  await page.goto(`/admin/items/${itemId}/edit`);
  assert.equal(await page.locator('#media-caption-0').inputValue(), 'The annex <in full>');
  await assert.doesNotReject(page.getByText('Remove: e2e-annex.pdf').waitFor());
  await checkPage('admin-edit-with-file');
});

test('5b. the desk switches to Russian and back, as the site does', async () => {
  await page.goto('/admin/');
  await page.getByRole('link', { name: 'Русский' }).click();
  await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'Материалы' }).waitFor());
  assert.equal(await page.locator('html').getAttribute('lang'), 'ru-RU');
  // The choice is kept for the next page.
  await page.goto('/admin/users');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ru-RU');
  await checkPage('admin-users-ru');
  await page.getByRole('link', { name: 'English' }).click();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en-GB');
});

test('5c. the Redirects page lists an imported permalink; one is added and deleted', async () => {
  // A WordPress export imported by another process while the server runs: its old addresses.
  execFileSync(kBinary, ['--data', site.dataDir, 'import',
    join(kSourceDir, 'src/importers/testdata/wxr/site.xml')]);
  await page.goto('/admin/redirects');
  const permalink = '/2014/03/12/statement-on-the-arctic-council/';
  const row = page.locator('tr', { hasText: permalink });
  await assert.doesNotReject(row.getByText('Statement on the Arctic Council').waitFor());
  await checkPage('admin-redirects');
  const moved = await fetch(`${site.baseUrl}${permalink}`, { redirect: 'manual' });
  assert.equal(moved.status, 301);

  await page.getByLabel('Old address').fill('/e2e/old-talks.html');
  await page.getByLabel('Item number').fill(String(itemId));
  await Promise.all([
    page.waitForURL(/\/admin\/redirects\?added=/),
    page.getByRole('button', { name: 'Save the redirect' }).click(),
  ]);
  await assert.doesNotReject(page.getByText('Saved the redirect of /e2e/old-talks.html.').waitFor());
  await Promise.all([
    page.waitForURL(/\/admin\/redirects\?deleted=/),
    page.getByRole('button', { name: 'Delete the redirect of /e2e/old-talks.html' }).click(),
  ]);
  assert.equal(await page.locator('tr', { hasText: '/e2e/old-talks.html' }).count(), 0);
});

test('6. logging out ends the session', async () => {
  await page.goto('/admin/');
  await Promise.all([
    page.waitForURL('**/admin/login?logged_out=1'),
    page.getByRole('button', { name: 'Log out' }).click(),
  ]);
  await page.goto('/admin/');
  assert.equal(new URL(page.url()).pathname, '/admin/login');
});
