// Browser test of supervision: the administrator decomposes a measure into
// a task from the measure's page; a unit user signs in, submits a progress
// report with an attachment; the administrator proposes nothing but
// confirms the lead unit's completion with a rating. Real binary, real
// database, Debian's Chromium. Screenshots go to tests/output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDatabase, startServer, launchBrowser, ready, signIn, output } from './harness.mjs';

const env = { ...process.env, QINGSHUI_PWHASH: 'min', QINGSHUI_TODAY: '2026-06-15' };
let database, server, base, browser, adminPassword;

before(async () => {
  database = makeDatabase(env);
  database.run(['user', 'add', 'hb', '--role', 'unit', '--unit', '市环保局', '--name', '环保局联络员'],
    'unit-password-1\n');
  adminPassword = readFileSync(`${database.db}.admin-password`, 'utf8').trim();
  ({ proc: server, url: base } = await startServer(database.db, env));
  writeFileSync(join(database.dir, '整治照片.png'),
    Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  database?.remove();
});

test('admin decomposes a measure, a unit reports with an attachment, admin confirms completion', async () => {
  const errors = [];
  const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  admin.on('pageerror', (e) => errors.push(e.message));
  // the browser's date is the server's (the form's defaults come from it)
  await admin.clock.setFixedTime(new Date('2026-06-15T10:00:00+08:00'));
  await signIn(admin, base, 'admin', adminPassword);
  // From measure (八)'s page to a new task, starting from the plan's own words.
  await admin.goto(base + '/?chapter=1');
  await ready(admin, '/?chapter=1');
  await admin.click('#m8 h3 a');
  await admin.waitForSelector('#decompose');
  await admin.click('#decompose');
  await admin.waitForSelector('#new-task-form');
  await admin.fill('#task-title', '沿江排污口整治');
  // a new task starts today by default; this one started with the year
  assert.equal(await admin.inputValue('input[name=start_on]'), '2026-06-15');
  await admin.fill('input[name=start_on]', '2026-01-01');
  await admin.click('#add-milestone');
  await admin.fill('input[name=m_title]', '完成排查');
  await admin.fill('input[name=m_due]', '2026-06-17');
  await admin.click('#new-task-form button[type=submit]');
  await admin.waitForSelector('#light-reasons');
  const taskUrl = admin.url();
  assert.match(taskUrl, /\/tasks\/\d+$/);
  assert.match(await admin.locator('#light-reasons').innerText(), /完成排查/);
  await admin.screenshot({ path: join(output, 'task-admin.png'), fullPage: true });

  // The unit user sees the task and reports with a file.
  const unit = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  unit.on('pageerror', (e) => errors.push(e.message));
  await signIn(unit, base, 'hb', 'unit-password-1');
  assert.match(await unit.locator('#who').innerText(), /环保局联络员 · 市生态环境局/);
  await unit.click('text=沿江排污口整治');
  await unit.waitForSelector('#report-form');
  await unit.fill('#report-form input[name=period]', '2026-05');
  await unit.fill('#report-form input[name=percent]', '40');
  await unit.fill('#report-form textarea[name=text]', '已排查入江排污口 16 个，整治 6 个');
  await unit.setInputFiles('#report-file', join(database.dir, '整治照片.png'));
  await unit.click('#report-form button[type=submit]');
  await unit.waitForSelector('#timeline a.file');
  assert.equal(await unit.locator('#timeline a.file').innerText(), '整治照片.png');
  assert.match(await unit.locator('#timeline').innerText(), /已排查入江排污口 16 个/);
  // The lead unit proposes completion.
  await unit.fill('#completion-form textarea[name=evidence]', '全部整治到位，验收报告见附件');
  await unit.click('#completion-form button[type=submit]');
  await unit.waitForFunction(() => document.querySelector('#task-state')?.textContent.includes('申请办结'));
  await unit.screenshot({ path: join(output, 'task-unit.png'), fullPage: true });

  // The administrator confirms it with a rating.
  await admin.goto(taskUrl);
  await admin.waitForSelector('#confirm-completion');
  await admin.selectOption('select[name=rating]', '4');
  await admin.click('#confirm-completion');
  await admin.waitForFunction(() => document.querySelector('#task-state')?.textContent.includes('已办结'));
  assert.match(await admin.locator('#timeline').innerText(), /★★★★/);
  assert.match(await admin.locator('.light').first().innerText(), /办结/);
  assert.deepEqual(errors, []);
  await admin.close();
  await unit.close();
});

test('the dashboard and the assessment for a leader', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(page, base, 'admin', adminPassword);
  await page.goto(base + '/dashboard');
  await ready(page, '/dashboard');
  assert.equal(await page.locator('#count-done').innerText(), '1');
  assert.equal(await page.locator('#chapter-chart canvas').count(), 1);
  await page.screenshot({ path: join(output, 'dashboard.png'), fullPage: true });
  await page.goto(base + '/assessment?year=2026');
  await ready(page, '/assessment?year=2026');
  const departments = page.locator('table.assessment').last();
  assert.match(await departments.innerText(), /1\s+市生态环境局\s+\d+\.\d\d\s+良好/);
  const href = await page.locator('#excel-link').getAttribute('href');
  const response = await page.request.get(base + href);
  assert.equal(response.status(), 200);
  assert.equal((await response.body()).subarray(0, 2).toString(), 'PK');
  await page.screenshot({ path: join(output, 'assessment.png'), fullPage: true });
  await page.close();
});

test('the administrator creates an account and finds it in the audit log', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(page, base, 'admin', adminPassword);
  await page.goto(base + '/accounts');
  await ready(page, '/accounts');
  await page.fill('#account-form input[name=login]', 'lingdao');
  await page.fill('#account-form input[name=display_name]', '分管副市长');
  await page.selectOption('#account-role', 'leader');
  await page.fill('#account-form input[name=password]', 'leader-password-1');
  await page.click('#account-form button[type=submit]');
  await page.waitForSelector('#accounts td:text("lingdao")');
  await page.goto(base + '/audit');
  await ready(page, '/audit');
  const firstRow = await page.locator('#audit-log > li').first().innerText();
  assert.match(firstRow, /管理员 admin 创建了账号 #\d+「lingdao」/);
  assert.match(firstRow, /姓名：分管副市长/);
  await page.screenshot({ path: join(output, 'audit.png') });
  // The new leader signs in and sees the dashboard but not the administration.
  const leader = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(leader, base, 'lingdao', 'leader-password-1');
  assert.equal(await leader.locator('nav a[data-nav="dashboard"]').isVisible(), true);
  assert.equal(await leader.locator('nav a[data-nav="accounts"]').isVisible(), false);
  await leader.close();
  await page.close();
});
