// Browser test of accounts: a unit user changes their password on the
// password page, which ends their session in another browser; the
// administrator unlocks a locked account and resets a password from the
// accounts page. Real binary, real database, Debian's Chromium, at 1366 px
// and 390 px. Screenshots go to tests/output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDatabase, startServer, launchBrowser, ready, signIn, output } from './harness.mjs';

const env = { ...process.env, QINGSHUI_PWHASH: 'min', QINGSHUI_TODAY: '2026-06-15' };
let database, server, base, browser, adminPassword;

before(async () => {
  database = makeDatabase(env);
  for (const login of ['hb', 'zj']) {
    database.run(['user', 'add', login, '--role', 'unit', '--unit', login === 'hb' ? '市环保局' : '市住建委'],
      'unit-password-1\n');
  }
  adminPassword = readFileSync(`${database.db}.admin-password`, 'utf8').trim();
  ({ proc: server, url: base } = await startServer(database.db, env));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  database?.remove();
});

// The status of GET /api/tasks from PAGE's session.
const tasksStatus = (page) => page.evaluate(async () => (await fetch('/api/tasks')).status);

test('a unit user changes their password; their other session ends', async () => {
  const other = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const elsewhere = await other.newPage();
  await signIn(elsewhere, base, 'hb', 'unit-password-1');
  assert.equal(await tasksStatus(elsewhere), 200);

  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(page, base, 'hb', 'unit-password-1');
  await page.click('#password-link');
  await ready(page, '/password');
  await page.fill('#password-form input[name=old]', 'unit-password-1');
  await page.fill('#password-form input[name=new]', 'new-password-22');
  await page.fill('#password-form input[name=repeat]', 'other-password-22');
  await page.click('#password-form button[type=submit]');
  assert.equal(await page.locator('#password-form .error').innerText(), '两次输入的新密码不一致');
  await page.fill('#password-form input[name=repeat]', 'new-password-22');
  await page.click('#password-form button[type=submit]');
  await page.waitForSelector('#form-result:not([hidden]):not(.failed)');
  assert.match(await page.locator('#form-result').innerText(), /密码已修改/);
  await page.screenshot({ path: join(output, 'password-390.png'), fullPage: true });
  assert.equal(await tasksStatus(page), 200);          // this session stays
  assert.equal(await tasksStatus(elsewhere), 401);     // the other one ended
  await other.close();
  await page.close();
});

test('the administrator unlocks an account and resets a password', async () => {
  for (let i = 0; i < 5; i++) {
    await fetch(`${base}/api/login`, { method: 'POST', body: JSON.stringify({ login: 'zj', password: 'guess-wrong' }) });
  }
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await signIn(page, base, 'admin', adminPassword);
  await page.goto(base + '/accounts');
  await ready(page, '/accounts');
  const row = page.locator('#accounts tr', { hasText: 'zj' });
  assert.match(await row.innerText(), /\b5\b/);
  await page.screenshot({ path: join(output, 'accounts-locked.png'), fullPage: true });
  await row.locator('[data-unlock]').click();
  await page.waitForFunction(() => document.getElementById('form-result')?.textContent.includes('已解锁'));
  assert.equal(await page.locator('#form-result').innerText(), '已解锁 zj');
  assert.equal(await page.locator('#accounts tr', { hasText: 'zj' }).locator('[data-unlock]').count(), 0);

  await page.selectOption('#reset-form select[name=login]', 'zj');
  await page.fill('#reset-form input[name=password]', 'reset-password-3');
  await page.click('#reset-form button[type=submit]');
  await page.waitForFunction(() => document.getElementById('form-result')?.textContent.includes('已重置'));
  const signin = await fetch(`${base}/api/login`, { method: 'POST',
    body: JSON.stringify({ login: 'zj', password: 'reset-password-3' }) });
  assert.equal(signin.status, 200);
  await page.goto(base + '/audit');
  await ready(page, '/audit');
  const audit = await page.locator('#audit-log').innerText();
  assert.match(audit, /管理员 admin 重置了密码：账号 #\d+「zj」/);
  assert.match(audit, /管理员 admin 解锁了账号 #\d+「zj」/);
  await page.close();
});
