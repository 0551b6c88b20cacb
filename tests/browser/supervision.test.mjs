// Browser test of supervision: the administrator decomposes a measure into
// a task from the measure's page; a unit user signs in, submits a progress
// report with an attachment; the administrator proposes nothing but
// confirms the lead unit's completion with a rating. Every time shown (the
// timeline, the inbox, the audit log) is compared with the stored UTC time
// of the action: China time, 'YYYY-MM-DD HH:MM'. Dates come from the
// harness's TODAY (QINGSHUI_TEST_NOW). Real binary, real database,
// Debian's Chromium. Screenshots go to tests/output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDatabase, startServer, launchBrowser, newPage, ready, signIn, output, today, chinaDay, chinaTime } from './harness.mjs';

let database, server, base, browser, adminPassword;

// The month before today's, 'YYYY-MM'.
function lastMonth() {
  const [y, m] = today.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

before(async () => {
  database = makeDatabase();
  database.run(['user', 'add', 'hb', '--role', 'unit', '--unit', '市环保局', '--name', '环保局联络员'],
    'unit-password-1\n');
  adminPassword = readFileSync(`${database.db}.admin-password`, 'utf8').trim();
  ({ proc: server, url: base } = await startServer(database.db));
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
  const admin = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  admin.on('pageerror', (e) => errors.push(e.message));
  await signIn(admin, base, 'admin', adminPassword);
  // From measure (八)'s page to a new task, starting from the plan's own words.
  await admin.goto(base + '/?chapter=1');
  await ready(admin, '/?chapter=1');
  await admin.click('#m8 h3 a');
  await admin.waitForSelector('#decompose');
  await admin.click('#decompose');
  await admin.waitForSelector('#new-task-form');
  await admin.fill('#task-title', '沿江排污口整治');
  // a new task starts today by default; the year defaults to today's (the
  // browser's clock); the schedule is that of a year's task seen in
  // mid-June, wherever today is: begun 165 days ago, due in 199, a
  // milestone due in two days (a reason on the light)
  assert.equal(await admin.inputValue('#new-task-form input[name=start_on]'), today);
  assert.equal(await admin.inputValue('#new-task-form input[name=year]'), today.slice(0, 4));
  await admin.fill('#new-task-form input[name=start_on]', chinaDay(-165));
  await admin.fill('#new-task-form input[name=due_on]', chinaDay(199));
  await admin.click('#add-milestone');
  await admin.fill('input[name=m_title]', '完成排查');
  await admin.fill('input[name=m_due]', chinaDay(2));
  await admin.click('#new-task-form button[type=submit]');
  await admin.waitForSelector('#light-reasons');
  const taskUrl = admin.url();
  assert.match(taskUrl, /\/tasks\/\d+$/);
  assert.match(await admin.locator('#light-reasons').innerText(), /完成排查/);
  await admin.screenshot({ path: join(output, 'task-admin.png'), fullPage: true });

  // The unit user sees the task and reports with a file.
  const unit = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  unit.on('pageerror', (e) => errors.push(e.message));
  await signIn(unit, base, 'hb', 'unit-password-1');
  assert.match(await unit.locator('#who').innerText(), /环保局联络员 · 市生态环境局/);
  await unit.click('text=沿江排污口整治');
  await unit.waitForSelector('#report-form');
  // the period defaults to the first one the unit still owes (the API's report_period), never a later one
  const owed = await unit.evaluate(async (id) => (await (await fetch(`/api/tasks/${id}`)).json()).report_period,
    taskUrl.match(/\d+$/)[0]);
  assert.ok(owed && owed <= today.slice(0, 7), `report_period ${owed}`);
  assert.equal(await unit.inputValue('#report-form input[name=period]'), owed);
  await unit.fill('#report-form input[name=period]', lastMonth());
  await unit.fill('#report-form input[name=percent]', '40');
  await unit.fill('#report-form textarea[name=text]', '已排查入江排污口 16 个，整治 6 个');
  await unit.setInputFiles('#report-file', join(database.dir, '整治照片.png'));
  await unit.click('#report-form button[type=submit]');
  await unit.waitForSelector('#timeline a.file');
  assert.equal(await unit.locator('#timeline a.file').innerText(), '整治照片.png');
  assert.match(await unit.locator('#timeline').innerText(), /已排查入江排污口 16 个/);
  // the report's time: stored in UTC when it was sent (now), shown in China time
  const taskId = taskUrl.match(/\d+$/)[0];
  const task = await unit.evaluate(async (id) => (await fetch(`/api/tasks/${id}`)).json(), taskId);
  const submitted = task.reports[0].submitted_at;
  assert.ok(Math.abs(Date.parse(submitted) - Date.now()) < 60000, `stored ${submitted}`);
  assert.equal(await unit.locator(`#timeline time[datetime="${submitted}"]`).innerText(), chinaTime(submitted));
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
  // the decision's time in the timeline, and the proposal in the administrator's inbox
  const decided = await admin.evaluate(async (id) => (await (await fetch(`/api/tasks/${id}`)).json()).completions[0], taskId);
  assert.equal(await admin.locator(`#timeline time[datetime="${decided.proposed_at}"]`).first().innerText(), chinaTime(decided.proposed_at));
  await admin.goto(base + '/inbox?all=1');
  await ready(admin, '/inbox?all=1');
  const events = await admin.evaluate(async () => (await fetch('/api/inbox?all=1')).json());
  assert.ok(events.length > 0);
  for (const e of events) {
    assert.ok(Math.abs(Date.parse(e.at) - Date.now()) < 120000, `event at ${e.at}`);
    assert.equal(await admin.locator(`.inbox time[datetime="${e.at}"]`).first().innerText(), chinaTime(e.at));
  }
  assert.deepEqual(errors, []);
  await admin.close();
  await unit.close();
});

test('the dashboard and the assessment for a leader', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(page, base, 'admin', adminPassword);
  await page.goto(base + '/dashboard');
  await ready(page, '/dashboard');
  assert.equal(await page.locator('#count-done').innerText(), '1');
  assert.equal(await page.locator('#chapter-chart canvas').count(), 1);
  await page.screenshot({ path: join(output, 'dashboard.png'), fullPage: true });
  await page.goto(base + `/assessment?year=${today.slice(0, 4)}`);
  await ready(page, `/assessment?year=${today.slice(0, 4)}`);
  const departments = page.locator('table.assessment').last();
  assert.match(await departments.innerText(), /1\s+市生态环境局\s+\d+\.\d\d\s+良好/);
  const href = await page.locator('#excel-link').getAttribute('href');
  const response = await page.request.get(base + href);
  assert.equal(response.status(), 200);
  const book = await response.body();
  assert.equal(book.subarray(0, 2).toString(), 'PK');
  // the workbook is as of today, China's date
  writeFileSync(join(database.dir, 'assessment.xlsx'), book);
  const strings = execFileSync('unzip', ['-p', join(database.dir, 'assessment.xlsx'), 'xl/sharedStrings.xml'], { encoding: 'utf8' });
  assert.ok(strings.includes(`${today.slice(0, 4)} 年度目标责任考核（截至 ${today}；`), strings.slice(0, 300));
  await page.screenshot({ path: join(output, 'assessment.png'), fullPage: true });
  await page.close();
});

test('the administrator creates an account and finds it in the audit log', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
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
  // its time: stored in UTC just now, shown in China time with seconds
  const [entry] = await page.evaluate(async () => (await fetch('/api/audit?limit=1')).json());
  assert.ok(Math.abs(Date.parse(entry.at) - Date.now()) < 60000, `stored ${entry.at}`);
  assert.equal(await page.locator('#audit-log > li').first().locator('time').innerText(), chinaTime(entry.at, true));
  await page.screenshot({ path: join(output, 'audit.png') });
  // The new leader signs in and sees the dashboard but not the administration.
  const leader = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(leader, base, 'lingdao', 'leader-password-1');
  assert.equal(await leader.locator('nav a[data-nav="dashboard"]').isVisible(), true);
  assert.equal(await leader.locator('nav a[data-nav="accounts"]').isVisible(), false);
  await leader.close();
  await page.close();
});
