// Browser test of the online-monitoring pages: the real binary serves a
// fresh database with its HJ 212 receiver on; `qingshui simulate` plays
// four registered stations against it (a fifth, registered, stays silent)
// and a garbage packet is sent. The administrator signs in, sees the
// stations online and offline and the refused-packet counter, opens a
// station and watches its chart grow. Screenshots go to tests/output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { binary, root, output, makeDatabase, launchBrowser, newPage, ready, signIn, testEnv as env } from './harness.mjs';

let database, server, simulator, base, browser, adminPassword;

// `qingshui serve` with the receiver on a free port: { proc, url, hj212 }.
function startServer(db) {
  return new Promise((resolveServer, reject) => {
    const proc = spawn(binary, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--hj212', '127.0.0.1:0'], { cwd: root, env });
    let seen = '';
    proc.stdout.on('data', (chunk) => {
      seen += chunk;
      const http = seen.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      const hj212 = seen.match(/hj212 listening on 127\.0\.0\.1:(\d+)/);
      if (http && hj212) resolveServer({ proc, url: http[1], hj212: hj212[1] });
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${seen}`)));
  });
}

function sendGarbage(port) {
  return new Promise((resolveSent) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.end('not a packet\r\n', resolveSent));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  database = makeDatabase(env);
  database.run(['simulate', '--stations', '4', '--register-db', database.db, '--register-only']);
  database.run(['station', 'add', '--mn', 'QUIET_01', '--password', 'abcdef', '--st', '32', '--name', '静默排口', '--kind', 'outlet']);
  adminPassword = readFileSync(`${database.db}.admin-password`, 'utf8').trim();
  let hj212;
  ({ proc: server, url: base, hj212 } = await startServer(database.db));
  simulator = spawn(binary, ['simulate', '--stations', '4', '--interval', '1', '--duration', '120', '--progress', '0',
    '--target', `127.0.0.1:${hj212}`], { cwd: root, env, stdio: 'ignore' });
  await sendGarbage(hj212);
  await sleep(2500);   // every station has reported
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  simulator?.kill('SIGTERM');
  server?.kill('SIGTERM');
  database?.remove();
});

test('stations online and offline, refused packets, a station with a live chart', async () => {
  const errors = [];
  // a browser far from China: times are still shown in China time
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 }, timezoneId: 'America/New_York' });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await signIn(page, base, 'admin', adminPassword);
  await page.click('nav a[data-nav="stations"]');
  await ready(page, '/stations');
  assert.equal(await page.locator('#station-table tbody tr').count(), 5);
  assert.equal(await page.locator('#station-table tr[data-online="true"]').count(), 4);
  assert.match(await page.locator('#station-table tr[data-online="false"]').innerText(), /静默排口[\s\S]*从未收到/);
  assert.equal(await page.locator('#online-count').innerText(), '4 / 5 在线');
  assert.equal(await page.locator('#refused-table tr[data-reason="garbage"] td.num').innerText(), '1');
  // the system code by its name in HJ 212 table 5, the code itself as a detail
  assert.match(await page.locator('#station-table tr', { hasText: '模拟断面 1' }).innerText(), /地表水质量监测\s*ST 21/);
  await page.screenshot({ path: join(output, 'stations.png') });

  await page.locator('#station-table a', { hasText: '模拟断面 1' }).click();
  await page.waitForSelector('#latest-table');
  const path = await page.evaluate(() => location.pathname);
  await ready(page, path);
  assert.equal(await page.locator('#latest-table tbody tr').count(), 7);   // a river section's seven factors
  assert.match(await page.locator('#latest-table tr[data-code="w01001"]').innerText(), /pH值[\s\S]*pH/);
  assert.match(await page.locator('#latest-table tr[data-code="w01001"]').innerText(), /正常\s*N/);   // the flag by its name
  assert.equal(await page.locator('#station-chart canvas').count(), 1);
  // the last packet (UTC in the API) is shown in China time, as DataTime is,
  // 'YYYY-MM-DD HH:MM:SS'; the station keeps sending, so within a few seconds
  const shown = await page.locator('#last-packet').innerText();
  const api = await page.evaluate(async (p) => (await fetch(`/api${p}`)).json(), path);
  assert.match(api.last_packet_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(shown, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  const shownAt = Date.parse(`${shown.replace(' ', 'T')}+08:00`);
  assert.ok(Math.abs(shownAt - Date.parse(api.last_packet_at)) < 15000, `shown ${shown}, API ${api.last_packet_at}`);
  // DataTime is China time already: shown as the station sent it, not shifted
  const ph = api.latest.find((r) => r.code === 'w01001');
  const cell = await page.locator('#latest-table tr[data-code="w01001"] td.num').last().innerText();
  assert.ok(Math.abs(Date.parse(`${cell.replace(' ', 'T')}+08:00`) - Date.parse(`${ph.data_time.replace(' ', 'T')}+08:00`)) < 15000,
    `DataTime shown ${cell}, API ${ph.data_time}`);
  const chart = page.locator('#station-chart');
  const first = Number(await chart.getAttribute('data-points'));
  assert.ok(first >= 1, `${first} points at first`);
  // the chart follows the station: new points within a few refreshes
  await page.waitForFunction((n) => Number(document.getElementById('station-chart').dataset.points) > n, first, { timeout: 15000 });
  await page.selectOption('#chart-code', 'w21003');
  await page.waitForFunction(() => document.querySelector('#station-chart').dataset.points > 0);
  await page.screenshot({ path: join(output, 'station.png') });

  await page.click('#lang-toggle');
  await ready(page, `${path}?code=w21003`);
  assert.equal(await page.locator('#latest-table th').first().innerText(), 'Factor');
  assert.equal(await page.locator('nav a[data-nav="stations"]').innerText(), 'Stations');
  await page.evaluate(() => localStorage.removeItem('qingshui.lang'));
  assert.deepEqual(errors, []);
  await page.close();
});
