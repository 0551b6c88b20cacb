// Browser test of the workflow details that used to mislead (issue 12), at
// 1366 px and at 390 px: the 督办 form offers the lead unit and asks before
// sending, a notice sent to the wrong unit is withdrawn, every form says
// whether it succeeded (in Chinese), the report form offers the period still
// missing and reporting it clears the reason, a confirmed task is at 100 %,
// and a unit user on a leaders' page reads a sentence, not the API's text.
// Today is fixed on both sides: QINGSHUI_TODAY for the server, playwright's
// clock for the browser. Screenshots go to tests/output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDatabase, startServer, launchBrowser, ready, signIn, output } from './harness.mjs';

const TODAY = '2026-06-15';
const env = { ...process.env, QINGSHUI_PWHASH: 'min', QINGSHUI_TODAY: TODAY };
const viewports = { desktop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } };
let database, server, base, browser, adminPassword, token, measureId;

before(async () => {
  database = makeDatabase(env);
  database.run(['user', 'add', 'hb', '--role', 'unit', '--unit', '市环保局', '--name', '环保局联络员'], 'unit-password-1\n');
  adminPassword = readFileSync(`${database.db}.admin-password`, 'utf8').trim();
  token = readFileSync(`${database.db}.admin-token`, 'utf8').trim();
  ({ proc: server, url: base } = await startServer(database.db, env));
  measureId = (await call('GET', '/api/measures')).find((m) => m.ordinal === 8).id;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  database?.remove();
});

// The API as the office's token sees it.
async function call(method, path, body) {
  const response = await fetch(base + path, {
    method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
  return response.json();
}

// A task whose lead unit (市生态环境局, written 市环保局 in the plan) is listed after a responsible one, so
// that "the first unit" and "the lead unit" differ; its first report is for May.
function createTask(title) {
  return call('POST', '/api/tasks', { measure_id: measureId, year: 2026, title, start_on: '2026-05-01', due_on: '2026-12-31',
    units: [{ unit: '市住建委', role: 'support' }, { unit: '市环保局', role: 'lead' }] });
}

async function newPage(viewport) {
  const context = await browser.newContext({ viewport });
  await context.clock.setFixedTime(new Date(`${TODAY}T10:00:00+08:00`));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors, close: () => context.close() };
}

// The result line comes to say PATTERN (it may still show the last change's).
async function resultSays(page, pattern) {
  await page.locator('#form-result', { hasText: pattern }).waitFor({ state: 'visible' });
}

for (const [name, viewport] of Object.entries(viewports)) {
  test(`${name}: the notice form defaults to the lead unit, confirms, says it was sent; the office withdraws it`, async () => {
    const task = await createTask(`督办测试 ${name}`);
    const lead = task.units.find((u) => u.role === 'lead');
    const { page, errors, close } = await newPage(viewport);
    await signIn(page, base, 'admin', adminPassword);
    await page.goto(`${base}/tasks/${task.id}`);
    await page.waitForSelector('#notice-form');
    assert.equal(await page.locator('#notice-unit').inputValue(), String(lead.id));
    assert.match(await page.locator('#notice-unit option:checked').innerText(), /市生态环境局（牵头）/);
    assert.equal(await page.locator('#notice-form input[name=deadline]').inputValue(), '2026-06-22');
    await page.fill('#notice-form textarea[name=text]', '请于一周内报送排查清单');
    // Cancelling sends nothing.
    await page.click('#notice-form button[type=submit]');
    await page.locator('#confirm-dialog').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#confirm-message').innerText(), '确认向市生态环境局发出催办？');
    await page.screenshot({ path: join(output, `workflow-notice-confirm-${name}.png`) });
    await page.click('#confirm-cancel');
    assert.equal((await call('GET', `/api/tasks/${task.id}`)).notices.length, 0);
    // Confirming sends it and says so.
    await page.click('#notice-form button[type=submit]');
    await page.click('#confirm-ok');
    await resultSays(page, /^催办已发给市生态环境局$/);
    assert.match(await page.locator('#timeline').innerText(), /催办 → 市生态环境局[\s\S]*待回复[\s\S]*请于一周内报送排查清单/);
    const [notice] = (await call('GET', `/api/tasks/${task.id}`)).notices;
    assert.equal(notice.unit_id, lead.id);
    // Withdrawn, with the reason, after a second question.
    await page.fill(`#withdraw-${notice.id} input[name=reason]`, '发错单位');
    await page.click(`#withdraw-${notice.id} button[type=submit]`);
    assert.match(await page.locator('#confirm-message').innerText(), /确认撤回发给市生态环境局的催办/);
    await page.click('#confirm-ok');
    await resultSays(page, /^督办已撤回$/);
    const timeline = await page.locator('#timeline').innerText();
    assert.match(timeline, /撤回督办 催办 → 市生态环境局\s+撤回原因: 发错单位/);
    assert.match(timeline, /已撤回/);
    assert.equal(await page.locator(`#withdraw-${notice.id}`).count(), 0);
    await page.screenshot({ path: join(output, `workflow-withdrawn-${name}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await close();
  });

  test(`${name}: a unit reports the missing period, sees it said, then its reason gone; a confirmed task is at 100 %`, async () => {
    const task = await createTask(`报送测试 ${name}`);
    const unit = await newPage(viewport);
    await signIn(unit.page, base, 'hb', 'unit-password-1');
    await unit.page.goto(`${base}/tasks/${task.id}`);
    await unit.page.waitForSelector('#report-form');
    assert.match(await unit.page.locator('#light-reasons').innerText(), /2026-05 进展未报送/);
    assert.equal(await unit.page.locator('#report-form input[name=period]').inputValue(), '2026-05');
    await unit.page.fill('#report-form input[name=percent]', '40');
    await unit.page.fill('#report-form textarea[name=text]', '已排查入江排污口 16 个');
    await unit.page.click('#report-form button[type=submit]');
    await resultSays(unit.page, /^进展已报送（2026-05）$/);
    assert.doesNotMatch(await unit.page.locator('#light-reasons').innerText(), /进展未报送/);
    assert.equal(await unit.page.locator('#report-form input[name=period]').inputValue(), '2026-06');
    // A refusal is said in Chinese, inside the form.
    await unit.page.fill('#report-form input[name=period]', '2026-05');
    await unit.page.fill('#report-form input[name=percent]', '45');
    await unit.page.fill('#report-form textarea[name=text]', '重复报送');
    await unit.page.click('#report-form button[type=submit]');
    await unit.page.locator('#report-form .error').waitFor();
    assert.match(await unit.page.locator('#report-form .error').innerText(), /^本单位已报送过这一期的进展/);
    await resultSays(unit.page, /^本单位已报送过这一期的进展/);
    await unit.page.screenshot({ path: join(output, `workflow-report-${name}.png`), fullPage: true });
    // The lead unit proposes completion; the office confirms it: 100 % on the task and in the list.
    await unit.page.fill('#completion-form textarea[name=evidence]', '全部整治到位');
    await unit.page.click('#completion-form button[type=submit]');
    await resultSays(unit.page, /^办结申请已提交$/);
    const admin = await newPage(viewport);
    await signIn(admin.page, base, 'admin', adminPassword);
    await admin.page.goto(`${base}/tasks/${task.id}`);
    await admin.page.click('#confirm-completion');
    await resultSays(admin.page, /^已确认办结$/);
    assert.match(await admin.page.locator('.facts').innerText(), /100%/);
    await unit.page.goto(`${base}/tasks?year=2026`);
    await ready(unit.page, '/tasks?year=2026');
    assert.match(await unit.page.locator(`tr[data-task="${task.id}"]`).innerText(), /100%/);
    assert.deepEqual([...unit.errors, ...admin.errors], []);
    await unit.close();
    await admin.close();
  });

  test(`${name}: a unit user on the leaders' pages reads a sentence in Chinese`, async () => {
    const { page, errors, close } = await newPage(viewport);
    await signIn(page, base, 'hb', 'unit-password-1');
    for (const path of ['/dashboard', '/assessment']) {
      await page.goto(base + path);
      await ready(page, path);
      assert.equal(await page.locator('#page-error').innerText(), '此页面仅限市领导和领导小组办公室查看');
      assert.doesNotMatch(await page.locator('main').innerText(), /needs the|role|GET/);
    }
    await page.screenshot({ path: join(output, `workflow-leaders-only-${name}.png`) });
    assert.deepEqual(errors, []);
    await close();
  });
}
