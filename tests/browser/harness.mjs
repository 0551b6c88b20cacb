// What the browser tests share: a fresh database made by the real binary,
// `qingshui serve` on a free loopback port, Debian's Chromium driven by
// playwright-core, and waiting for the single-page app to finish a page.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const root = resolve(import.meta.dirname, '../..');
export const binary = join(resolve(root, process.env.BUILD || 'build-test'), 'qingshui');
export const output = join(root, 'tests/output');

// A temporary folder with a database: `init` and the seed plan imported.
// RUN(...args) runs the binary on it (INPUT goes to standard input).
export function makeDatabase(env = process.env) {
  const dir = mkdtempSync(join(tmpdir(), 'qingshui-browser-'));
  const db = join(dir, 'q.db');
  const run = (args, input = '') => execFileSync(binary, [...args, '--db', db], { cwd: root, env, input });
  run(['init']);
  run(['plan', 'import', 'data/plans/shiyan-plan-2018-8.txt']);
  mkdirSync(output, { recursive: true });
  return { dir, db, run, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// `qingshui serve` on DB; resolves to { proc, url } once it listens.
export function startServer(db, env = process.env) {
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

// Wait until the app has rendered PATH (it sets body[data-ready] when done).
export async function ready(page, path) {
  await page.waitForFunction((p) => document.body.dataset.ready === p, path);
}

// Sign in through the log-in page; lands on the task list.
export async function signIn(page, base, login, password) {
  await page.goto(base + '/login');
  await ready(page, '/login');
  await page.fill('#login-name', login);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await ready(page, '/tasks');
}
