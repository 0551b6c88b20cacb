// Browser test of the water pages inside the single-page app: the real
// binary serves a database with the plan, the demo sections and readings;
// Chromium opens the overview, a section's trend chart, the monthly and
// annual tables (and the annual one in English), the alarms as the public
// and as the administrator (who acknowledges one), and the overview on a
// phone. Screenshots go to tests/output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDatabase, startServer, launchBrowser, ready, signIn, output } from './harness.mjs';

// The server's today: four days of December 2026 readings make a year in progress with too little data.
const env = { ...process.env, QINGSHUI_PWHASH: 'min', QINGSHUI_TODAY: '2026-12-04' };
let database, server, base, browser;

before(async () => {
  database = makeDatabase(env);
  database.run(['water', 'sections', 'data/water/sections_demo.csv']);
  database.run(['water', 'import', 'data/water/readings_synthetic_2024-2025.csv']);
  database.run(['water', 'import', 'data/water/readings_2025-11.csv']);
  const december = join(database.dir, 'december-2026.csv');
  writeFileSync(december, 'section,time,item,value\n' + [1, 2, 3, 4].map((d) =>
    `丹江口水库坝上中,2026-12-0${d} 08:00,NH3N,0.9\n丹江口水库坝上中,2026-12-0${d} 08:00,CODMN,2.0\n`).join(''));
  database.run(['water', 'import', december]);
  ({ proc: server, url: base } = await startServer(database.db, env));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  database?.remove();
});

async function open(page, path) {
  await page.goto(base + path);
  await ready(page, path);
}

test('water pages: overview by class, trend chart, monthly, annual (and in English), alarms', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await open(page, '/water?month=2025-11');
  assert.equal(await page.locator('.section-card').count(), 16);
  assert.match(await page.locator('.section-card', { hasText: '陶岔' }).innerText(), /Ⅱ/);
  assert.equal(await page.locator('#nav a.active').innerText(), '水质');
  assert.equal(await page.locator('.tabs a.active').innerText(), '水质概况');
  await page.screenshot({ path: join(output, 'water-overview.png'), fullPage: true });

  await page.locator('.section-card a', { hasText: '神定河口' }).click();
  await page.waitForSelector('#water-chart canvas');
  assert.match(page.url(), /\/water\/sections\/\d+$/);
  assert.equal(await page.locator('h1').innerText(), '神定河口');
  await page.screenshot({ path: join(output, 'water-trend.png') });

  await open(page, '/water/monthly?month=2025-11&rule=shiyan-2016');
  assert.ok(await page.locator('.water-table tbody tr').count() > 0);
  assert.match(await page.locator('.water-table').innerText(), /不合格/);
  await page.screenshot({ path: join(output, 'water-monthly.png'), fullPage: true });

  await open(page, '/water/assessment?year=2025&rule=shiyan-2021');
  await page.waitForSelector('.water-table details');
  assert.equal(await page.locator('h1').innerText(), '跨界断面年度考核与生态补偿 · 2025');
  await page.screenshot({ path: join(output, 'water-assessment.png'), fullPage: true });
  await page.click('#lang-toggle');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent.startsWith('Cross-boundary'));
  assert.equal(await page.locator('h1').innerText(), 'Cross-boundary assessment and compensation · 2025');
  assert.equal(await page.locator('#nav a.active').innerText(), 'Water');
  assert.match(await page.locator('.water-table thead').innerText(), /Pass rate/);
  await page.screenshot({ path: join(output, 'water-assessment-en.png'), fullPage: true });
  await page.click('#lang-toggle');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent.startsWith('跨界'));

  // The public sees the alarms but no buttons.
  await open(page, '/water/alarms');
  assert.ok(await page.locator('tr[data-alarm]').count() > 0);
  assert.equal(await page.locator('button[data-act]').count(), 0);
  assert.deepEqual(errors, []);
});

test('a year with four days of data is not judged, a month in progress is provisional, 0 of 0 is —', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await open(page, '/water/assessment?year=2026&rule=shiyan-2016');
  const danjiangkou = page.locator('.water-table tbody tr', { hasText: '丹江口市' });
  assert.match(await danjiangkou.innerText(), /数据不足/);
  assert.match(await danjiangkou.locator('td[data-label="有数据"]').innerText(), /^1 \/ 36 个月/);
  const table = await page.locator('.water-table tbody').innerText();
  assert.doesNotMatch(table, /扣缴|返还|区域限批|不合格/);
  assert.doesNotMatch(table, /0\.0%/);
  assert.equal(await page.locator('.water-table tbody tr', { hasText: '张湾区' }).locator('td[data-label="达标率"]').innerText(), '—');
  assert.match(await page.locator('#water-withheld').innerText(), /^7 个区县数据不足，未评价$/);
  await page.screenshot({ path: join(output, 'water-assessment-insufficient.png'), fullPage: true });

  await open(page, '/water?month=2026-12');
  assert.match(await page.locator('.section-card', { hasText: '丹江口水库坝上中' }).locator('dd.coverage').innerText(), /4 \/ 31 天 进行中/);
  assert.match(await page.locator('.section-card', { hasText: '羊尾' }).innerText(), /无数据/);
  await page.screenshot({ path: join(output, 'water-overview-in-progress.png'), fullPage: true });

  await open(page, '/water/monthly?month=2026-12&rule=shiyan-2016');
  const dam = page.locator('.water-table tbody tr', { hasText: '丹江口水库坝上中' });
  assert.match(await dam.locator('td[data-label="结果"]').innerText(), /不合格（进行中）/);
  assert.match(await dam.locator('td[data-label="有数据"]').innerText(), /4 \/ 31 天 进行中/);
  const other = page.locator('.water-table tbody tr', { hasText: '羊尾' });
  assert.equal(await other.locator('td[data-label="结果"]').innerText(), '数据不足');
  await page.screenshot({ path: join(output, 'water-monthly-in-progress.png'), fullPage: true });

  // a complete year is judged as before
  await open(page, '/water/assessment?year=2025&rule=shiyan-2016');
  assert.equal(await page.locator('#water-withheld').count(), 0);
  assert.match(await page.locator('.water-table tbody').innerText(), /返还/);
  assert.deepEqual(errors, []);
});

test('the administrator acknowledges an alarm (with the CSRF token)', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, base, 'admin', readFileSync(`${database.db}.admin-password`, 'utf8').trim());
  await page.click('#nav a[data-nav=water]');
  await ready(page, '/water');
  await page.click('.tabs a[href="/water/alarms"]');
  await ready(page, '/water/alarms');
  const row = page.locator('tr[data-alarm]').first();
  const id = await row.getAttribute('data-alarm');
  await row.locator('button[data-act=acknowledge]').click();
  await page.waitForSelector(`tr[data-alarm="${id}"]`, { state: 'detached' });
  assert.equal(await page.locator('#alarm-error').isHidden(), true);
  await page.selectOption('select[name=state]', 'acknowledged');
  await ready(page, '/water/alarms?state=acknowledged');
  assert.match(await page.locator(`tr[data-alarm="${id}"]`).innerText(), /确认：\s*admin/);
  await page.screenshot({ path: join(output, 'water-alarms.png'), fullPage: true });
  assert.deepEqual(errors, []);
});

test('water pages on a phone', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await open(page, '/water?month=2025-11');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await page.screenshot({ path: join(output, 'water-phone.png'), fullPage: true });
  await open(page, '/water/monthly?month=2025-11&rule=shiyan-2016');
  await page.screenshot({ path: join(output, 'water-monthly-phone.png') });
  await open(page, '/water/assessment?year=2026&rule=shiyan-2016');
  assert.ok(await page.locator('#water-withheld').isVisible());
  assert.match(await page.locator('.water-table tbody tr', { hasText: '丹江口市' }).innerText(), /数据不足/);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(wide <= 0, `the assessment page is ${wide}px wider than the phone`);
  await page.screenshot({ path: join(output, 'water-assessment-insufficient-phone.png'), fullPage: true });
  assert.deepEqual(errors, []);
});
