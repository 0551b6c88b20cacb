// Browser test of the print views, on the demo built for 2026-07-15 (server
// and browser clock fixed to that day), at 1366 px: printed (media print),
// the supervision assessment, the monthly water assessment and the task list
// show the letterhead (the issuing body, the title, the period, the date)
// and the signature, and hide the navigation, the filters, the year box and
// every button; on screen the letterhead is hidden and the PDF link is the
// page's own data in the UI's language. Screenshots in tests/output/print-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDatabase, startServer, launchBrowser, ready, signIn, output } from './harness.mjs';

const TODAY = '2026-07-15';
const ISSUER = '十堰市长江经济带生态保护和绿色发展领导小组办公室';
const env = { ...process.env, QINGSHUI_PWHASH: 'min', QINGSHUI_TODAY: TODAY };
let database, server, base, browser;

before(async () => {
  database = makeDatabase(env);
  database.run(['water', 'sections', 'data/water/sections_demo.csv']);
  database.run(['demo', '--today', TODAY]);
  ({ proc: server, url: base } = await startServer(database.db, env));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  database?.remove();
});

async function leaderAt(path) {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.clock.setFixedTime(new Date(`${TODAY}T10:00:00+08:00`));
  const password = readFileSync(`${database.db}.leader-password`, 'utf8').trim();
  await signIn(page, base, 'leader', password);
  await page.goto(base + path);
  await ready(page, path);
  return { page, errors };
}

// On screen: controls shown, letterhead hidden; printed: the reverse.
async function checkPrint(page, { title, period, pdf }) {
  assert.equal(await page.locator('.print-letterhead').isVisible(), false);
  assert.equal(await page.locator('[data-print]').isVisible(), true);
  const href = await page.locator('[data-pdf]').getAttribute('href');
  assert.match(href, pdf);
  assert.match(href, /lang=zh/);
  await page.emulateMedia({ media: 'print' });
  const head = page.locator('.print-letterhead');
  assert.equal(await head.isVisible(), true);
  assert.equal(await head.locator('.print-issuer').innerText(), ISSUER);
  const text = await head.innerText();
  assert.ok(text.includes(title), text);
  assert.ok(text.includes(period), text);
  assert.ok(text.includes(TODAY), text);
  assert.match(await page.locator('.print-signature').innerText(), /签发人/);
  for (const hidden of ['.topbar', '.page-head', 'form', '[data-print]', '[data-pdf]', 'nav'])
    for (const el of await page.locator(hidden).all()) assert.equal(await el.isVisible(), false, hidden);
  assert.equal(await page.locator('main table').first().isVisible(), true);
}

test('the supervision assessment prints with the letterhead and without its year box', async () => {
  const { page, errors } = await leaderAt('/assessment?year=2026');
  await checkPrint(page, { title: '2026', period: '2026', pdf: /^\/api\/assessment\.pdf\?year=2026&lang=zh$/ });
  assert.equal(await page.locator('#assessment-year input').isVisible(), false);
  await page.screenshot({ path: join(output, 'print-assessment.png'), fullPage: true });
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 1000);
  assert.deepEqual(errors, []);
});

test('the monthly water assessment prints with its month and rule', async () => {
  const { page, errors } = await leaderAt('/water/monthly?month=2026-06&rule=shiyan-2016');
  assert.equal(await page.locator('#excel-link').getAttribute('href'),
    '/api/water/export/monthly.xlsx?month=2026-06&rule=shiyan-2016&lang=zh');
  await checkPrint(page, { title: '跨界断面水质月度考核', period: '2026-06 · shiyan-2016',
    pdf: /^\/api\/water\/export\/monthly\.pdf\?month=2026-06&rule=shiyan-2016&lang=zh$/ });
  await page.screenshot({ path: join(output, 'print-water-month.png'), fullPage: true });
  assert.deepEqual(errors, []);
});

test('the task list prints with the year, and its PDF link downloads that PDF', async () => {
  const { page, errors } = await leaderAt('/tasks?year=2026');
  await checkPrint(page, { title: '2026 年度实施方案任务清单', period: '2026', pdf: /^\/api\/tasks\.pdf\?year=2026&lang=zh$/ });
  await page.emulateMedia({ media: 'screen' });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-pdf]')]);
  assert.equal(download.suggestedFilename(), '年度任务清单_2026.pdf');
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: join(output, 'print-tasks.png'), fullPage: true });
  assert.deepEqual(errors, []);
});

test('a page without a letterhead keeps its own title when printed, without its controls', async () => {
  const { page } = await leaderAt('/water?month=2026-06');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.page-head h1').isVisible(), true);
  assert.equal(await page.locator('#excel-link').isVisible(), false);
  assert.equal(await page.locator('.print-letterhead').count(), 0);
});

test('in English the letterhead and the PDF link follow the toggle', async () => {
  const { page } = await leaderAt('/assessment?year=2026');
  await page.click('#lang-toggle');
  await ready(page, '/assessment?year=2026');
  assert.match(await page.locator('[data-pdf]').getAttribute('href'), /lang=en$/);
  await page.emulateMedia({ media: 'print' });
  assert.match(await page.locator('.print-issuer').innerText(), /^Office of the Shiyan Leading Group/);
  assert.match(await page.locator('.print-signature').innerText(), /Signed:/);
});
