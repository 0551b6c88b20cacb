// Browser test of the table component (web/table.js) on the task list of
// the demo database of 2026-07-15 (server date and browser clock both that
// day), at 1366 and 390 px: the keyword search narrows the rows, a filter
// whose choices come from the data keeps only its rows, a header button
// sorts and a second press reverses, page 2 shows other rows with the count
// unchanged, the URL holds the state and a reload restores the list, the
// Excel link downloads a workbook with the filtered tasks, and at 390 px the
// page does not overflow sideways; the water alarms filter by section, sort
// by value and come back from their URL; the units filter by kind and sort
// by what they lead; the stations search by MN and page. Screenshots: tests/output/table-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
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
  ({ proc: server, url: base } = await startServer(database.db, env));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  database?.remove();
});

// The leader's page of WIDTH px at PATH, the clock on the demo's day.
async function leaderAt(path, width) {
  const page = await browser.newPage({ viewport: { width, height: 900 }, acceptDownloads: true });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.clock.setFixedTime(new Date(`${TODAY}T10:00:00+08:00`));
  const password = readFileSync(`${database.db}.leader-password`, 'utf8').trim();
  await signIn(page, base, 'leader', password);
  await page.goto(base + path);
  await ready(page, path);
  return { page, errors };
}

const rows = (page) => page.locator('#tasks tbody tr[data-task]:not(.off-page)');
const column = (page, n) => page.$$eval(`#tasks tbody tr[data-task]:not(.off-page) td:nth-child(${n})`, (cells) => cells.map((c) => c.innerText.trim()));
const count = async (page) => Number((await page.locator('#tasks-tools [data-count]').innerText()).match(/\d+/)[0]);
const ids = (page) => page.$$eval('#tasks tbody tr[data-task]:not(.off-page)', (trs) => trs.map((tr) => tr.dataset.task));

for (const width of [1366, 390]) {
  test(`the task list searches, filters, sorts, pages, exports and keeps its state in the URL (${width} px)`, async () => {
    const { page, errors } = await leaderAt('/tasks?year=2026', width);
    const all = await page.evaluate(() => fetch('/api/tasks?year=2026').then((r) => r.json()));
    assert.ok(all.length > 20, `${all.length} tasks: too few for two pages`);
    assert.equal(await page.locator('#tasks-tools [data-count]').innerText(), `共 ${all.length} 条`);
    assert.equal(await rows(page).count(), 20);
    assert.match(await page.locator('#task-filters').innerText(), /灯色/);
    assert.doesNotMatch(await page.locator('#task-filters').innerText(), /灯色原因/);
    await page.emulateMedia({ media: 'print' });   // printed: every row, no pager
    assert.equal(await page.locator('#tasks tbody tr[data-task]:visible').count(), all.length);
    assert.equal(await page.locator('.pager').isVisible(), false);
    await page.emulateMedia({ media: 'screen' });

    // page 2: other rows, the same count
    const first = await ids(page);
    await page.click('.pager [data-page="1"]');
    const second = await ids(page);
    assert.equal(second.length, Math.min(20, all.length - 20));
    assert.ok(second.every((id) => !first.includes(id)));
    assert.equal(await count(page), all.length);
    assert.match(page.url(), /page=2/);

    // sorting by the deadline, then reversed
    if (width > 820) await page.click('#tasks button[data-sort="due"]');
    else await page.selectOption('#tasks-tools select[data-sort-select]', 'due');   // the rows are cards
    const up = await column(page, 4);
    assert.deepEqual(up, [...up].sort());
    assert.equal(await page.getAttribute('#tasks th:has(button[data-sort="due"])', 'aria-sort'), 'ascending');
    assert.equal(await page.inputValue('#tasks-tools select[data-sort-select]'), 'due');
    assert.doesNotMatch(page.url(), /page=/);   // a new order starts at page 1
    if (width > 820) await page.keyboard.press('Enter');          // the focused header button again
    else await page.selectOption('#tasks-tools select[data-sort-select]', '-due');
    const down = await column(page, 4);
    assert.deepEqual(down, [...down].sort().reverse());
    assert.equal(await page.getAttribute('#tasks th:has(button[data-sort="due"])', 'aria-sort'), 'descending');

    // a filter from the data: a unit, lead or support
    const tally = new Map();
    for (const task of all) for (const name of new Set(task.units.map((u) => u.name))) tally.set(name, (tally.get(name) || 0) + 1);
    const [unit] = [...tally].filter(([, n]) => n >= 3 && n <= 20).sort((a, b) => b[1] - a[1])[0];
    const ofUnit = all.filter((t) => t.units.some((u) => u.name === unit));
    await page.selectOption('#tasks-tools select[data-filter="unit"]', unit);
    assert.equal(await count(page), ofUnit.length);
    assert.ok(ofUnit.length < all.length);
    assert.deepEqual(new Set(await ids(page)), new Set(ofUnit.map((t) => String(t.id))));

    // the export: a workbook of the filtered tasks
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#tasks-tools [data-export]')]);
    const file = join(database.dir, `tasks-${width}.xlsx`);
    await download.saveAs(file);
    const strings = execFileSync('unzip', ['-p', file, 'xl/sharedStrings.xml'], { encoding: 'utf8' });
    for (const task of ofUnit) assert.ok(strings.includes(task.title.replace(/&/g, '&amp;')), task.title);
    const other = all.find((t) => !t.units.some((u) => u.name === unit) && !ofUnit.some((o) => o.title === t.title));
    assert.ok(!strings.includes(other.title), other.title);

    // the keyword search narrows within the filter
    const word = ofUnit[0].title.slice(0, 4);
    await page.fill('#tasks-tools input[data-q]', word);
    const found = await column(page, 2);
    assert.ok(found.length > 0 && found.length <= ofUnit.length);
    assert.ok(found.every((text) => text.includes(word)), word);
    const n = await count(page);

    // the state in the URL: a reload shows the same list
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('q'), word);
    assert.equal(url.searchParams.get('unit'), unit);
    assert.equal(url.searchParams.get('sort'), '-due');
    const shown = await ids(page);
    const path = url.pathname + url.search;
    await page.goto(base + path);
    await ready(page, path);
    assert.deepEqual(await ids(page), shown);
    assert.equal(await count(page), n);
    assert.equal(await page.inputValue('#tasks-tools input[data-q]'), word);
    assert.equal(await page.inputValue('#tasks-tools select[data-filter="unit"]'), unit);

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${overflow} px of sideways overflow`);
    await page.screenshot({ path: join(output, `table-tasks-${width}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

for (const width of [1366, 390]) {
  test(`the water alarms filter by section, sort by value and keep that in the URL (${width} px)`, async () => {
    const { page, errors } = await leaderAt('/water/alarms?state=open', width);
    const all = await page.evaluate(() => fetch('/api/water/alarms?state=open').then((r) => r.json()));
    assert.ok(all.length > 1, `${all.length} open alarms`);
    const count = async () => Number((await page.locator('#alarm-table-tools [data-count]').innerText()).match(/\d+/)[0]);
    assert.equal(await count(), all.length);
    const section = all[0].section;
    const ofSection = all.filter((a) => a.section === section);
    await page.selectOption('#alarm-table-tools select[data-filter="section"]', section);
    await page.selectOption('#alarm-table-tools select[data-sort-select]', '-value');
    assert.equal(await count(), ofSection.length);
    const shown = () => page.$$eval('#alarm-table tbody tr[data-alarm]:not(.off-page)', (trs) => trs.map((tr) => tr.dataset.alarm));
    const expected = ofSection.slice().sort((a, b) => Number(b.value) - Number(a.value)).slice(0, 20).map((a) => Number(a.value));
    const values = await page.$$eval('#alarm-table tbody tr[data-alarm]:not(.off-page) td:nth-child(5)', (cells) => cells.map((c) => Number(c.innerText.trim())));
    assert.deepEqual(values, expected);
    const before = await shown();
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('section'), section);
    const path = url.pathname + url.search;
    await page.goto(base + path);
    await ready(page, path);
    assert.deepEqual(await shown(), before);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${overflow} px of sideways overflow`);
    await page.screenshot({ path: join(output, `table-alarms-${width}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('the units filter by kind, sort by the measures they lead, and search old names', async () => {
  const { page, errors } = await leaderAt('/units', 1366);
  const all = await page.evaluate(() => fetch('/api/units').then((r) => r.json()));
  const counties = all.filter((u) => u.kind === 'county_government');
  assert.ok(counties.length > 1 && counties.length < all.length);
  await page.selectOption('#units-tools select[data-filter="kind"]', 'county_government');
  assert.equal(await page.locator('#units-tools [data-count]').innerText(), `共 ${counties.length} 条`);
  await page.click('#units button[data-sort="leads"]');
  await page.click('#units button[data-sort="leads"]');
  const leads = await page.$$eval('#units tbody tr:not(.off-page) td:nth-child(3)', (cells) => cells.map((c) => Number(c.innerText)));
  assert.deepEqual(leads, counties.map((u) => u.leads).sort((a, b) => b - a).slice(0, 20));
  assert.match(page.url(), /kind=county_government.*sort=-leads|sort=-leads.*kind=county_government/);
  await page.selectOption('#units-tools select[data-filter="kind"]', '');
  await page.fill('#units-tools input[data-q]', '市环保局');    // a former name
  assert.match(await page.locator('#units tbody tr').innerText(), /市生态环境局/);
  assert.deepEqual(errors, []);
  await page.close();
});

for (const width of [1366, 390]) {
  test(`the stations search by MN, page and keep that in the URL (${width} px)`, async () => {
    const { page, errors } = await leaderAt('/stations', width);
    const all = (await page.evaluate(() => fetch('/api/stations').then((r) => r.json()))).stations;
    assert.ok(all.length > 20, `${all.length} stations`);
    const rows = page.locator('#station-table tbody tr[data-station]:not(.off-page)');
    assert.equal(await rows.count(), 20);
    await page.click('#station-table-tools ~ .pager [data-page="1"]');
    assert.equal(await rows.count(), all.length - 20);
    assert.equal(await page.locator('#station-table-tools [data-count]').innerText(), `共 ${all.length} 条`);
    await page.fill('#station-table-tools input[data-q]', all[3].mn);
    assert.equal(await rows.count(), 1);
    assert.equal(await rows.getAttribute('data-station'), String(all[3].id));
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('q'), all[3].mn);
    const path = url.pathname + url.search;
    await page.goto(base + path);
    await ready(page, path);
    assert.equal(await rows.getAttribute('data-station'), String(all[3].id));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${overflow} px of sideways overflow`);
    assert.deepEqual(errors, []);
    await page.close();
  });
}
