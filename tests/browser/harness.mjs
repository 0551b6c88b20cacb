// What the browser tests share: a fresh database made by the real binary,
// `qingshui serve` on a free loopback port, Debian's Chromium driven by
// playwright-core, and waiting for the single-page app to finish a page.
//
// The date: QINGSHUI_TEST_NOW (an ISO 8601 time with its zone, e.g.
// 2028-02-29T23:30:00+08:00; default the real clock) fixes the browser's
// clock (playwright's clock API) and, as QINGSHUI_TODAY, the server's date
// (its China date): tests derive every date they use from TODAY.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const root = resolve(import.meta.dirname, '../..');
export const binary = join(resolve(root, process.env.BUILD || 'build-test'), 'qingshui');
export const output = join(root, 'tests/output');

const CHINA_OFFSET_MS = 8 * 3600 * 1000;
export const now = process.env.QINGSHUI_TEST_NOW ? Date.parse(process.env.QINGSHUI_TEST_NOW) : Date.now();
if (Number.isNaN(now)) throw new Error(`QINGSHUI_TEST_NOW=${process.env.QINGSHUI_TEST_NOW} is not an ISO 8601 time`);

// The China date DAYS days from NOW, 'YYYY-MM-DD'.
export function chinaDay(days = 0) {
  return new Date(now + CHINA_OFFSET_MS + days * 86400000).toISOString().slice(0, 10);
}
export const today = chinaDay();

// A UTC instant of the API (ISO 8601 with Z) as the pages must show it:
// China time, 'YYYY-MM-DD HH:MM' or with ':SS'.
export function chinaTime(utc, seconds = false) {
  if (!/Z$/.test(utc)) throw new Error(`not a UTC time: ${utc}`);
  return new Date(Date.parse(utc) + CHINA_OFFSET_MS).toISOString().slice(0, seconds ? 19 : 16).replace('T', ' ');
}

// The environment of every process a browser test starts: fast password
// hashing and the server's date.
export const testEnv = { ...process.env, QINGSHUI_PWHASH: 'min', QINGSHUI_TODAY: today };

// A temporary folder with a database: `init` and the seed plan imported.
// RUN(...args) runs the binary on it (INPUT goes to standard input).
export function makeDatabase(env = testEnv) {
  const dir = mkdtempSync(join(tmpdir(), 'qingshui-browser-'));
  const db = join(dir, 'q.db');
  const run = (args, input = '') => execFileSync(binary, [...args, '--db', db], { cwd: root, env, input });
  run(['init']);
  run(['plan', 'import', 'data/plans/shiyan-plan-2018-8.txt']);
  mkdirSync(output, { recursive: true });
  return { dir, db, run, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// `qingshui serve` on DB; resolves to { proc, url } once it listens.
export function startServer(db, env = testEnv) {
  return new Promise((resolveServer, reject) => {
    const proc = spawn(binary, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--hj212', 'off'],
      { cwd: root, env });
    let seen = '';
    proc.stdout.on('data', (chunk) => {
      seen += chunk;
      const m = seen.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolveServer({ proc, url: m[1] });
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${seen}`)));
  });
}

// Chromium as this machine allows it: no sandbox as root, no background traffic.
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A new page whose clock stands at NOW (timers still run, so live parts
// refresh); OPTIONS as browser.newPage takes them.
export async function newPage(browser, options) {
  const page = await browser.newPage(options);
  await page.clock.setFixedTime(now);
  return page;
}

// Wait until the app has rendered PATH (it sets body[data-ready] when done).
export async function ready(page, path) {
  await page.waitForFunction((p) => document.body.dataset.ready === p, path);
}

// Sign in through the log-in page; resolves to where the account lands
// (units on the task list, leaders and administrators on the cockpit).
export async function signIn(page, base, login, password) {
  await page.goto(base + '/login');
  await ready(page, '/login');
  await page.fill('#login-name', login);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForFunction(() => !['', '/login'].includes(document.body.dataset.ready));
  return page.evaluate(() => document.body.dataset.ready);
}
