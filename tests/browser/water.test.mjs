// Browser test of the water pages: the real binary serves a database with
// the demo sections and readings; Chromium opens the overview, a section's
// trend chart, the monthly and annual tables and the alarms.
// Screenshots go to tests/output/. Run: node --test tests/browser/ (BUILD env = build dir).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '../..');
const binary = join(resolve(root, process.env.BUILD || 'build-test'), 'qingshui');
const output = join(root, 'tests/output');
let dir, server, base, browser;

function startServer(db) {
  return new Promise((resolvePort, reject) => {
    const proc = spawn(binary, ['serve', '--db', db, '--listen', '127.0.0.1:0'], { cwd: root });
    let seen = '';
    proc.stdout.on('data', (chunk) => {
      seen += chunk;
      const m = seen.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolvePort({ proc, url: m[1] });
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${seen}`)));
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qingshui-water-browser-'));
  const db = join(dir, 'q.db');
  const run = (...args) => execFileSync(binary, [...args, '--db', db], { cwd: root });
  run('init');
  run('water', 'sections', 'data/water/sections_demo.csv');
  run('water', 'import', 'data/water/readings_synthetic_2024-2025.csv');
  run('water', 'import', 'data/water/readings_2025-11.csv');
  ({ proc: server, url: base } = await startServer(db));
  mkdirSync(output, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

test('water pages: overview by class, trend chart, monthly, annual, alarms', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base + '/water.html#/?month=2025-11');
  await page.waitForSelector('.section-card');
  assert.equal(await page.locator('.section-card').count(), 16);
  assert.match(await page.locator('.section-card', { hasText: '陶岔' }).innerText(), /Ⅱ/);
  await page.screenshot({ path: join(output, 'water-overview.png'), fullPage: true });
  await page.locator('.section-card a', { hasText: '神定河口' }).click();
  await page.waitForSelector('#chart canvas');
  await page.screenshot({ path: join(output, 'water-trend.png') });
  await page.goto(base + '/water.html#/monthly?month=2025-11&rule=shiyan-2016');
  await page.waitForSelector('table.water td');
  await page.goto(base + '/water.html#/assessment?year=2025&rule=shiyan-2021');
  await page.waitForSelector('table.water details');
  await page.screenshot({ path: join(output, 'water-assessment.png'), fullPage: true });
  await page.goto(base + '/water.html#/alarms');
  await page.waitForSelector('table.water');
  assert.deepEqual(errors, []);
});
