// Browser test of the plan pages: the real binary serves a fresh database
// with the seed plan; Debian's Chromium, driven by playwright-core, opens
// the plan, filters by a unit, switches language and opens the matrix.
// Screenshots go to tests/output/. Run: node --test tests/browser/ (BUILD env = build dir).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeDatabase, startServer, launchBrowser, newPage, ready, output } from './harness.mjs';

let database, server, base, browser;

before(async () => {
  database = makeDatabase();
  ({ proc: server, url: base } = await startServer(database.db));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  database?.remove();
});

test('the plan page shows chapters, measures, unit chips and highlighted targets', async () => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(base + '/');
  await ready(page, '/');
  assert.match(await page.locator('.plan-head h1').innerText(), /十堰市推进落实湖北长江经济带生态保护和绿色发展总体规划实施方案/);
  assert.equal(await page.locator('.chapter').count(), 10);
  assert.equal(await page.locator('article.measure').count(), 72);
  const m7 = page.locator('#m7');
  assert.equal(await m7.locator('.chip-lead').count(), 4);
  assert.match(await m7.locator('.chip-collective').first().innerText(), /各县市区人民政府\s*8/);
  await m7.locator('details.body summary').click();
  assert.deepEqual(await m7.locator('details.body mark.target').allInnerTexts(), ['在2018年9月前', '七个水生生物保护区']);
  await page.screenshot({ path: join(output, 'plan.png'), fullPage: false });
  assert.deepEqual(errors, []);
  await page.close();
});

test('filtering by a unit and role shows only what it leads', async () => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 900 } });
  await page.goto(base + '/');
  await ready(page, '/');
  // The plan of 2018 names 市环保局; the filter lists the unit by today's name.
  const unitId = await page.locator('#filter-unit option', { hasText: '市生态环境局' }).getAttribute('value');
  await page.selectOption('#filter-unit', unitId);
  await ready(page, `/?unit=${unitId}`);
  await page.selectOption('#filter-role', 'lead');
  await ready(page, `/?unit=${unitId}&role=lead`);
  assert.equal(await page.locator('article.measure').count(), 13);
  assert.equal(await page.locator('#shown').innerText(), '显示 13 项措施');
  for (const card of await page.locator('article.measure').all())
    assert.ok((await card.locator('.chip-lead').allInnerTexts()).includes('市环保局（现市生态环境局）'));
  await page.screenshot({ path: join(output, 'plan-filtered.png') });
  // The unit's own page lists the same 13 measures it leads.
  await page.locator('#m8 a.chip-lead', { hasText: '市环保局' }).click();
  await ready(page, `/units/${unitId}`);
  assert.equal(await page.locator('#lead-count').innerText(), '13');
  assert.equal(await page.locator('#unit-leads article.measure').count(), 13);
  assert.equal(await page.locator('#unit-former').innerText(), '曾用名: 市环保局（至 2019-01-01）');
  await page.close();
});

test("today's unit names: the units page and the search find a unit by its old and new name", async () => {
  for (const width of [1366, 390]) {
    const page = await browser.newPage({ viewport: { width, height: 844 } });
    await page.goto(base + '/units');
    await ready(page, '/units');
    await page.fill('#units-tools input[data-q]', '市环保局');
    const rows = page.locator('#units tbody tr');
    assert.equal(await rows.count(), 1);
    assert.match(await rows.innerText(), /^市生态环境局\s+曾用名: 市环保局/);
    // The plan's text names 市环保局 only; searching today's name finds its 30 measures.
    await page.goto(base + '/search?q=' + encodeURIComponent('生态环境局'));
    await ready(page, '/search?q=' + encodeURIComponent('生态环境局'));
    assert.equal(await page.locator('#result-count').innerText(), '找到 30 项措施');
    assert.ok(await page.locator('#results .chip', { hasText: '市环保局（现市生态环境局）' }).count() >= 30);
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scroll <= width, `page is ${scroll}px wide at ${width}px`);
    await page.screenshot({ path: join(output, `units-today-${width}.png`) });
    await page.close();
  }
});

test('English, the matrix heat map, search, and a phone screen', async () => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 900 } });
  await page.goto(base + '/matrix');
  await ready(page, '/matrix');
  assert.equal(await page.locator('#matrix-chart canvas').count(), 1);
  await page.click('#lang-toggle');
  await ready(page, '/matrix');
  assert.equal(await page.locator('nav a[data-nav="plan"]').innerText(), 'Plan');
  assert.equal(await page.locator('h1').innerText(), 'Responsibility matrix');
  await page.screenshot({ path: join(output, 'matrix-en.png') });
  await page.goto(base + '/search?q=' + encodeURIComponent('河长制'));
  await ready(page, '/search?q=' + encodeURIComponent('河长制'));
  assert.match(await page.locator('#result-count').innerText(), /^\d+ measures found$/);
  assert.ok(await page.locator('#results mark.hit').count() >= 1);
  await page.evaluate(() => localStorage.removeItem('qingshui.lang'));
  await page.close();

  const phone = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true });
  await phone.goto(base + '/');
  await ready(phone, '/');
  assert.equal(await phone.locator('#nav').isVisible(), false);
  await phone.click('#menu-toggle');
  assert.equal(await phone.locator('#nav').isVisible(), true);
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `page is ${width}px wide on a 390px phone`);
  await phone.screenshot({ path: join(output, 'plan-phone.png') });
  await phone.close();
});
