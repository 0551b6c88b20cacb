// Browser test of the audit page on the demo of 2026-07-15 (server and
// browser clock fixed to that day): each line reads as a sentence (who, in
// China time, did what to which object) with the changed fields named and
// their values in words; the filters by person, action, object and day go
// to the server and into the URL; the export is a CSV of what is filtered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDatabase, startServer, launchBrowser, ready, signIn, output } from './harness.mjs';

const TODAY = '2026-07-15';
const env = { ...process.env, QINGSHUI_PWHASH: 'min', QINGSHUI_TODAY: TODAY };
let database, server, base, browser, page;

before(async () => {
  database = makeDatabase(env);
  database.run(['demo', '--today', TODAY]);
  ({ proc: server, url: base } = await startServer(database.db, env));
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  await page.clock.setFixedTime(new Date(`${TODAY}T10:00:00+08:00`));
  await signIn(page, base, 'admin', readFileSync(`${database.db}.admin-password`, 'utf8').trim());
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  database?.remove();
});

async function open(path) {
  await page.goto(base + path);
  await ready(page, path);
}

const lines = () => page.locator('#audit-log > li').allInnerTexts();

test('a line reads as a sentence with named fields, in China time', async () => {
  await open('/audit?action=notice.reply');
  const text = await lines();
  assert.ok(text.length > 0);
  // a reply by a demo unit: "2026-07-07 16:00  郧阳区人民政府（演示） 回复了督办 #9 …  状态：待回复 → 已回复"
  for (const line of text) {
    assert.match(line, /^\d{4}-\d\d-\d\d \d\d:\d\d/);
    assert.match(line, /回复了督办 #\d+/);
    assert.match(line, /状态：待回复 → 已回复/);
    assert.match(line, /回复：（空） → /);
    assert.doesNotMatch(line, /notice\.reply|replied_at|state:/);
  }
  // 2026-07-07T08:00:00Z is 16:00 in China
  assert.ok(text.some((l) => l.startsWith('2026-07-07 16:00')), text[0]);
  await page.screenshot({ path: join(output, 'audit-replies-1366.png'), fullPage: true });
});

test('the filters go to the server and into the URL', async () => {
  await open('/audit');
  await page.selectOption('select[name=actor]', 'account:sthjj');
  await page.selectOption('select[name=entity]', 'report');
  await page.fill('input[name=from]', '2026-06-01');
  await page.fill('input[name=to]', '2026-06-30');
  await page.click('#audit-filters button[type=submit]');
  await ready(page, '/audit?actor=account%3Asthjj&entity=report&from=2026-06-01&to=2026-06-30');
  const text = await lines();
  assert.ok(text.length > 0);
  for (const line of text) {
    assert.match(line, /^2026-06-\d\d/);
    assert.match(line, /市生态环境局（演示）/);
    assert.match(line, /进展报告 #\d+/);
  }
  assert.equal(await page.locator('select[name=actor]').inputValue(), 'account:sthjj');
});

test('the export is a CSV of the filtered lines', async () => {
  await open('/audit?action=notice.issue');
  const shown = (await lines()).length;
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#audit-export')]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.ok(csv.startsWith('\ufeff"时间","操作人","操作","对象"'), csv.slice(0, 40));
  const rows = csv.trim().split('\r\n');
  assert.equal(rows.length, shown + 1);
  assert.ok(rows.slice(1).every((r) => r.includes('"发出了"') && r.includes('级别:')), rows[1]);
  assert.match(download.suggestedFilename(), /^审计日志.*\.csv$/);
});
