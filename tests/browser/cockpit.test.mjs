// Browser test of the leaders' cockpit and the charts (issue 14) on the
// demo database of 2026-07-15 (server date and browser clock both that
// day): a leader lands on /cockpit with the city map of 8 counties, the
// plan's lights by chapter named, the open alarms counted and linked to
// their list; at 1920×1080 the page does not scroll, at 390 px nothing
// overflows sideways; a section's trend is on a time axis with its gaps,
// the GB 3838 class bands labelled, the target line and a date range;
// its facts and monthly classes; a chart follows its box when it resizes;
// a measure's and a unit's tasks with their lights.
// Screenshots go to tests/output/cockpit-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDatabase, startServer, launchBrowser, ready, signIn, output } from './harness.mjs';

const TODAY = '2026-07-15';
const env = { ...process.env, QINGSHUI_PWHASH: 'min', QINGSHUI_TODAY: TODAY };
let database, server, base, browser;

before(async () => {
  database = makeDatabase(env);
  database.run(['water', 'sections', 'data/water/sections_demo.csv']);
  database.run(['water', 'import', 'data/water/readings_2025-11.csv']);
  database.run(['simulate', '--stations', '24', '--register-only']);
  database.run(['demo', '--today', TODAY]);
  // three days of 2024-10 before the demo's daily history (from 2025-01-01): a gap of about three months
  const early = join(database.dir, 'early.csv');
  writeFileSync(early, 'section,time,item,value\n' + [1, 2, 3].map((d) => `陈家坡,2024-10-0${d} 08:00,CODMN,1.5\n`).join(''));
  database.run(['water', 'import', early]);
  ({ proc: server, url: base } = await startServer(database.db, env));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  database?.remove();
});

// A page of VIEWPORT whose clock is the demo's day, signed in as LOGIN;
// resolves to { page, errors, landed }.
async function pageAs(login, viewport) {
  const page = await browser.newPage({ viewport });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.clock.setFixedTime(new Date(`${TODAY}T10:00:00+08:00`));
  const password = readFileSync(`${database.db}.${login}-password`, 'utf8').trim();
  const landed = await signIn(page, base, login, password);
  return { page, errors, landed };
}

// The option of the ECharts instance in the element SELECTOR (or its map canvas).
function chartOption(page, selector) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const chart = window.echarts.getInstanceByDom(el.querySelector('.city-map-canvas') || el);
    return JSON.parse(JSON.stringify(chart.getOption()));
  }, selector);
}

const WALL = { width: 1920, height: 1080 };
const PHONE = { width: 390, height: 844 };

test('a leader lands on the cockpit: map, named chapters, alarms linked; one screen at 1920×1080', async () => {
  const { page, errors, landed } = await pageAs('leader', WALL);
  assert.equal(landed, '/cockpit');
  await page.waitForSelector('#cockpit-map .city-map-canvas canvas');
  const counties = await page.evaluate(() => window.echarts.getMap('十堰').geoJSON.features.length);
  assert.equal(counties, 8);
  const map = await chartOption(page, '#cockpit-map');
  assert.equal(map.series.find((s) => s.id === 'points').data.length, 16);   // every demo section placed
  const chapters = await chartOption(page, '#cockpit-chapters');
  assert.equal(chapters.yAxis[0].data[0], '一、严格保护一江清水');
  assert.ok(chapters.yAxis[0].data.every((name) => /^[一二三四五六七八九十]+、\S/.test(name)), chapters.yAxis[0].data.join());
  assert.equal(chapters.xAxis[0].type, 'value');
  const units = await chartOption(page, '#cockpit-units');
  assert.ok(units.yAxis[0].data.length > 0);
  // the counts are the APIs' and each links to its list
  const alarms = await page.evaluate(async () => (await (await fetch('/api/water/alarms?state=open')).json()).length);
  assert.ok(alarms > 0);
  assert.equal(Number(await page.locator('#cockpit-alarms .n').innerText()), alarms);
  const dashboard = await page.evaluate(async () => (await (await fetch('/api/dashboard?year=2026')).json()));
  assert.equal(Number(await page.locator('#cockpit-overdue .n').innerText()), dashboard.overdue.length);
  assert.equal(Number(await page.locator('#cockpit-notices .n').innerText()), dashboard.open_notices);
  assert.equal(Number(await page.locator('#cockpit-light-red .n').innerText()), dashboard.totals.red);
  assert.match(await page.locator('#cockpit-classes').innerText(), /Ⅱ/);
  // a wall display: nothing to scroll
  const size = await page.evaluate(() => ({ doc: document.documentElement.scrollHeight, view: window.innerHeight,
    wide: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(size.doc <= size.view, `document ${size.doc} px high in a ${size.view} px window`);
  assert.ok(size.wide <= size.width, `document ${size.wide} px wide`);
  await page.screenshot({ path: join(output, 'cockpit-1920.png') });
  await page.click('#cockpit-overdue');
  await ready(page, '/dashboard?year=2026');
  assert.equal(await page.locator('h2', { hasText: '逾期任务' }).locator('xpath=..').locator('tr[data-task]').count(), dashboard.overdue.length);
  await page.goBack();
  await ready(page, '/cockpit');
  await page.click('#cockpit-alarms');
  await ready(page, '/water/alarms?state=open');
  assert.equal(await page.locator('tr[data-alarm]').count(), alarms);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the cockpit\'s year picker shows the chosen year', async () => {
  const { page, errors } = await pageAs('admin', WALL);
  await page.fill('#cockpit-year-input', '2025');
  await page.press('#cockpit-year-input', 'Enter');
  await ready(page, '/cockpit?year=2025');
  const totals = await page.evaluate(async () => (await (await fetch('/api/dashboard?year=2025')).json()).totals);
  assert.equal(Number(await page.locator('#cockpit-light-green .n').innerText()), totals.green || 0);
  assert.match(await page.locator('.cockpit-head').innerText(), /2025-12/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the cockpit reads on a phone: no horizontal overflow at 390 px, in Chinese and in English', async () => {
  const { page, errors, landed } = await pageAs('leader', PHONE);
  assert.equal(landed, '/cockpit');
  await page.waitForSelector('#cockpit-units canvas');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= PHONE.width, `document ${wide} px wide`);
  await page.screenshot({ path: join(output, 'cockpit-390.png'), fullPage: true });
  // in English when toggled
  await page.click('#lang-toggle');
  await ready(page, '/cockpit');
  await page.waitForSelector('#cockpit-chapters canvas');
  assert.equal(await page.locator('.cockpit h1').innerText(), 'Leaders\' cockpit');
  assert.match(await page.locator('#cockpit-alarms').innerText(), /Open water alarms/);
  const legend = (await chartOption(page, '#cockpit-chapters')).legend[0].data;
  assert.deepEqual(legend, ['Behind', 'At risk', 'On track', 'Done']);
  await page.screenshot({ path: join(output, 'cockpit-390-en.png'), fullPage: true });
  await page.click('#lang-toggle');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a section: facts, latest values, monthly classes, a time-axis trend with bands, target, gaps and a range', async () => {
  const { page, errors } = await pageAs('leader', { width: 1366, height: 900 });
  const sections = await page.evaluate(async () => (await (await fetch('/api/water/sections')).json()));
  const chen = sections.find((s) => s.name === '陈家坡');
  await page.goto(`${base}/water/sections/${chen.id}`);
  await ready(page, `/water/sections/${chen.id}`);
  assert.match(await page.locator('#section-facts').innerText(), /汉江[\s\S]*郧阳区[\s\S]*Ⅱ类/);
  assert.match(await page.locator('#section-upstream').innerText(), /羊尾/);
  const down = sections.filter((s) => s.inflow_id === chen.id).map((s) => s.name);
  for (const name of down) assert.match(await page.locator('#section-downstream').innerText(), new RegExp(name));
  assert.match(await page.locator('#section-stations').innerText(), /模拟断面 2/);
  assert.ok(await page.locator('#section-latest tbody tr').count() >= 5);
  assert.match(await page.locator('#section-latest').innerText(), /高锰酸盐指数/);
  assert.equal(await page.locator('#section-months tbody tr').count(), 12);
  assert.equal(await page.locator('#section-months tr[data-month="2026-06"]').innerText().then((s) => /Ⅱ|Ⅰ|Ⅲ/.test(s)), true);
  const option = await chartOption(page, '#water-chart');
  assert.equal(option.xAxis[0].type, 'time');
  const line = option.series[0];
  assert.equal(line.connectNulls, false);
  // a null point after 2024-10-03 breaks the line; none elsewhere unless the history has a gap
  const gaps = line.data.filter((p) => p[1] === null).length;
  const at = line.data.findIndex((p) => p[1] === null);
  assert.equal(new Date(line.data[at - 1][0]).toISOString().slice(0, 10), '2024-10-03');
  assert.equal(new Date(line.data[at + 1][0]).toISOString().slice(0, 10), '2025-01-01');
  const points = await page.evaluate(async (id) => (await (await fetch(`/api/water/sections/${id}/trend?item=CODMN&period=day`)).json()).points, chen.id);
  const expected = points.slice(1).filter((p, k) => Date.parse(p.start) - Date.parse(points[k].start) > 1.5 * 86400000).length;
  assert.ok(expected >= 1);
  assert.equal(gaps, expected);
  assert.equal(line.data.length, points.length + expected);
  const bands = line.markArea.data.map((b) => b[0].name);
  assert.deepEqual(bands, ['Ⅰ类', 'Ⅱ类', 'Ⅲ类', 'Ⅳ类', 'Ⅴ类']);
  assert.equal(line.markArea.data[1][0].yAxis, 2);
  assert.equal(line.markArea.data[1][1].yAxis, 4);
  assert.equal(line.markArea.data[0][0].label.show, true);
  assert.equal(line.markLine.data[0].yAxis, 4);                 // target Ⅱ: CODMN ≤ 4
  assert.match(line.markLine.data[0].name, /目标 Ⅱ类/);
  await page.screenshot({ path: join(output, 'cockpit-section-trend.png'), fullPage: true });
  // a date range: only its days are drawn
  await page.fill('#trend-from', '2026-07-01');                 // fill sends the change
  await ready(page, `/water/sections/${chen.id}?item=CODMN&period=day&from=2026-07-01`);
  assert.equal(page.url(), `${base}/water/sections/${chen.id}?item=CODMN&period=day&from=2026-07-01`);
  const ranged = await chartOption(page, '#water-chart');
  const days = ranged.series[0].data.map((p) => new Date(p[0]).toISOString().slice(0, 10));
  assert.equal(days[0], '2026-07-01');
  assert.equal(days[days.length - 1], '2026-07-14');
  // the chart follows its box, not only the first window resize
  for (const width of [1000, 800]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForFunction((w) => {
      const el = document.getElementById('water-chart');
      return Math.abs(window.echarts.getInstanceByDom(el).getWidth() - el.clientWidth) <= 1 && el.clientWidth < w;
    }, width);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('a measure and a unit show their tasks and lights; a unit its score; measure (十六) links to the water assessment', async () => {
  const { page, errors } = await pageAs('leader', PHONE);
  const plan = await page.evaluate(async () => (await (await fetch('/api/plans/1')).json()));
  const sixteen = plan.measures.find((m) => m.ordinal === 16);
  const tasks = await page.evaluate(async (id) => (await (await fetch(`/api/tasks?measure=${id}`)).json()), sixteen.id);
  await page.goto(`${base}/measures/${sixteen.id}`);
  await ready(page, `/measures/${sixteen.id}`);
  assert.equal(await page.locator('#page-tasks tbody tr').count(), tasks.length);
  for (const task of tasks) {
    assert.equal(await page.locator(`#page-tasks tr[data-task="${task.id}"] .light`).getAttribute('class'), `light light-${task.light.color}`);
  }
  await page.click('#water-assessment-link');
  await ready(page, '/water/assessment');
  const first = plan.measures.find((m) => m.ordinal === 1);
  await page.goto(`${base}/measures/${first.id}`);
  await ready(page, `/measures/${first.id}`);
  assert.equal(await page.locator('#water-assessment-link').count(), 0);
  assert.ok(await page.locator('#page-tasks tbody tr').count() > 0);

  const assessment = await page.evaluate(async () => (await (await fetch('/api/assessment?year=2026')).json()));
  const unit = assessment.units.find((u) => u.unit === '丹江口市人民政府');
  const unitTasks = await page.evaluate(async (id) => (await (await fetch(`/api/tasks?unit=${id}`)).json()), unit.unit_id);
  await page.goto(`${base}/units/${unit.unit_id}`);
  await ready(page, `/units/${unit.unit_id}`);
  assert.match(await page.locator('#unit-score').innerText(), new RegExp(Number(unit.score).toFixed(2).replace('.', '\\.')));
  assert.equal(await page.locator('#page-tasks tbody tr').count(), unitTasks.length);
  const reds = unitTasks.filter((x) => x.light.color === 'red').length;
  assert.ok(reds > 0);
  assert.match(await page.locator('#task-lights').innerText(), new RegExp(`滞后 ${reds}`));
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= PHONE.width, `document ${wide} px wide`);
  await page.screenshot({ path: join(output, 'cockpit-unit-390.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});
