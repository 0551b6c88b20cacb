// Browser test of the demo of `make run`, built for 2026-07-15 (server and
// browser clock both fixed to that day): each demo account signs in with the
// password written beside the database and finds its role's pages filled:
// the leader's dashboard with green, yellow and red and the assessment
// ranking counties and departments; a city department's and a county's
// tasks and inbox; the water overview with every section rated for the
// month. At 1366 px and at 390 px; screenshots go to tests/output/demo-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDatabase, startServer, launchBrowser, ready, signIn, output } from './harness.mjs';

const TODAY = '2026-07-15';
const env = { ...process.env, QINGSHUI_PWHASH: 'min', QINGSHUI_TODAY: TODAY };
const WIDTHS = [1366, 390];
let database, server, base, browser;

before(async () => {
  database = makeDatabase(env);
  database.run(['water', 'sections', 'data/water/sections_demo.csv']);
  database.run(['water', 'import', 'data/water/readings_2025-11.csv']);
  database.run(['simulate', '--stations', '24', '--register-only']);
  database.run(['demo', '--today', TODAY]);
  ({ proc: server, url: base } = await startServer(database.db, env));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  database?.remove();
});

// A page at WIDTH px whose clock is the demo's day, signed in as LOGIN.
async function pageAs(login, width) {
  const page = await browser.newPage({ viewport: { width, height: width > 800 ? 900 : 844 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.clock.setFixedTime(new Date(`${TODAY}T10:00:00+08:00`));
  if (login) {
    const password = readFileSync(`${database.db}.${login}-password`, 'utf8').trim();
    await signIn(page, base, login, password);
  }
  return { page, errors };
}

const count = async (page, color) => Number(await page.locator(`#count-${color}`).innerText());

for (const width of WIDTHS) {
  test(`the leader sees green, yellow and red and the ranks (${width} px)`, async () => {
    const { page, errors } = await pageAs('leader', width);
    await page.goto(base + '/dashboard');
    await ready(page, '/dashboard');
    for (const color of ['green', 'yellow', 'red', 'done']) assert.ok(await count(page, color) > 0, color);
    await page.screenshot({ path: join(output, `demo-dashboard-${width}.png`), fullPage: true });
    await page.goto(base + '/assessment');
    await ready(page, '/assessment');
    const tables = page.locator('table.assessment');
    assert.equal(await tables.count(), 2);                      // counties, departments
    const counties = await tables.nth(0).innerText();
    assert.match(counties, /丹江口市人民政府/);
    assert.match(counties, /\n1\t/);                            // someone is first
    assert.match(await tables.nth(1).innerText(), /市环保局|市生态环境局/);
    await page.screenshot({ path: join(output, `demo-assessment-${width}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`a department and a county find their tasks and inbox (${width} px)`, async () => {
    for (const login of ['sthjj', 'djk']) {
      const { page, errors } = await pageAs(login, width);   // signIn lands on /tasks
      const rows = page.locator('table.tasks-table tbody tr');
      assert.ok(await rows.count() > 0, login);
      await page.screenshot({ path: join(output, `demo-tasks-${login}-${width}.png`), fullPage: true });
      await rows.first().locator('a').first().click();
      await page.waitForSelector('#timeline');
      assert.match(await page.locator('#timeline').innerText(), /进展/);
      await page.goto(base + '/inbox');
      await ready(page, '/inbox');
      assert.ok(await page.locator('ul.inbox li').count() > 0, login);
      assert.deepEqual(errors, []);
      await page.close();
    }
  });

  test(`the water overview rates every section this month (${width} px)`, async () => {
    const { page, errors } = await pageAs(null, width);
    await page.goto(base + '/water');
    await ready(page, '/water');
    assert.match(await page.locator('h1').innerText(), /2026-07/);
    assert.equal(await page.locator('article.section-card').count(), 16);
    assert.equal(await page.locator('article.section-card.cls-edge-0').count(), 0);   // no 无数据
    await page.screenshot({ path: join(output, `demo-water-${width}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });
}
