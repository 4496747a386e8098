// Debian's headless Chromium driven by playwright-core (no browser download: the executable is
// /usr/bin/chromium), axe-core injected into a page, and full-page screenshots at the two widths
// the site is designed for.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const kChromium = process.env.ASSETPUB_E2E_CHROMIUM || '/usr/bin/chromium';
export const kDesktop = { width: 1280, height: 800 };
export const kPhone = { width: 390, height: 844 };

const kAxeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export function launchBrowser() {
  return chromium.launch({
    executablePath: kChromium,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

// A fresh context per flow. bypassCSP lets axe be injected: the site's Content-Security-Policy
// forbids inline and foreign script, as it should.
export function newContext(browser, baseURL) {
  return browser.newContext({ baseURL, viewport: kDesktop, bypassCSP: true, locale: 'en-GB' });
}

// Runs `body(page)` in a fresh context of `browser` on `baseURL`; closes it whatever happens.
export async function withPage(browser, baseURL, body) {
  const context = await newContext(browser, baseURL);
  try {
    return await body(await context.newPage());
  } finally {
    await context.close();
  }
}

/**
 * Runs axe-core on the page as it is and returns its serious and critical violations, each
 * printed (rule, impact, help, every target) so a failure says what to fix.
 * @returns {Promise<Array<{id: string, impact: string, help: string, helpUrl: string,
 *   nodes: Array<{target: string[], html: string, failureSummary: string}>}>>}
 */
export async function axeViolations(page, label) {
  await page.addScriptTag({ path: kAxeSource });
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.map(String),
        html: n.html,
        failureSummary: n.failureSummary,
      })),
    }));
  });
  for (const v of violations) {
    console.log(`axe [${label}] ${v.impact} ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const node of v.nodes) {
      const html = node.html.replace(/\s+/g, ' ').slice(0, 160);
      console.log(`    target ${node.target.join(' ')}  ${html}`);
      if (node.failureSummary) {
        console.log(`      ${node.failureSummary.replace(/\n/g, '\n      ')}`);
      }
    }
  }
  if (violations.length === 0) console.log(`axe [${label}] no violations`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

// One line per violation, for an assertion message.
export function describeViolations(violations) {
  return violations
    .map((v) => {
      const targets = v.nodes.map((n) => n.target.join(' ')).join(', ');
      return `${v.impact} ${v.id}: ${v.help} at ${targets}`;
    })
    .join('\n');
}

/**
 * At phone width (390 px): the elements that stick out past the right edge of the screen (the
 * page then scrolls sideways), as "tag.class: right edge px" strings; empty when none does.
 * Leaves the page at desktop size.
 */
export async function widerThanPhone(page) {
  await page.setViewportSize(kPhone);
  const wide = await page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= limit) return [];
    const out = [];
    for (const element of document.body.querySelectorAll('*')) {
      const box = element.getBoundingClientRect();
      if (box.width > 0 && box.right > limit + 1) {
        out.push(`${element.tagName.toLowerCase()}.${element.className}: ${Math.round(box.right)}px`);
      }
    }
    return out.length ? out.slice(0, 10) : [`the page: ${document.documentElement.scrollWidth}px`];
  });
  await page.setViewportSize(kDesktop);
  return wide;
}

/**
 * Saves `name`-desktop.png (1280 wide) and `name`-phone.png (390 wide), full page, into `dir`,
 * and leaves the page at desktop size.
 */
export async function screenshots(page, dir, name) {
  mkdirSync(dir, { recursive: true });
  for (const [size, viewport] of [['desktop', kDesktop], ['phone', kPhone]]) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: join(dir, `${name}-${size}.png`), fullPage: true });
  }
  await page.setViewportSize(kDesktop);
}
