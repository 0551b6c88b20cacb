// Browser test of the layout and the language of every page, on the demo of
// `qingshui demo --today 2026-07-15` (server and browser clock fixed to that
// day). Every route of web/app.js is visited as each role that may see it
// (anonymous, unit, leader, admin), at 390 px and 1366 px (the dashboard also
// at 1920 px), and fails when the page scrolls sideways or an element sticks
// out of the window without being inside a box of its own that scrolls; in
// Chinese mode the visible text must hold no English word (a run of two ASCII
// letters or more) outside a short list of codes and units, and raw codes
// shown as secondary detail (<code>, .code) are left out of the scan. Also:
// each page has its own window title, the 404 page is in Chinese and marks no
// navigation item, the menu button opens the navigation from the keyboard,
// in English no page scrolls sideways either (admin, 390 px),
// and the alarm list is bounded. Screenshots go to tests/output/layout-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeDatabase, startServer, launchBrowser, ready, signIn, output, root } from './harness.mjs';

const TODAY = '2026-07-15';
const env = { ...process.env, QINGSHUI_PWHASH: 'min', QINGSHUI_TODAY: TODAY };
const ROLES = { anonymous: null, unit: 'sthjj', leader: 'leader', admin: 'admin' };
const ORDER = ['anonymous', 'unit', 'leader', 'admin'];
// Latin words the Chinese UI may show: units, the standards' and formats' names.
const ALLOWED = new Set(['mg', 'pH', 'AQI', 'COD', 'GB', 'HJ', 'Excel', 'EN', 'PDF', 'km', 'kW', 'PM', 'GDP', 'CSV', 'LNG', 'BRT', 'PPP']);
let database, server, base, browser, token, pages;

// The API as the office's token sees it.
async function call(path) {
  const response = await fetch(base + path, { headers: { Authorization: `Bearer ${token}` } });
  assert.ok(response.ok, `${path}: ${response.status}`);
  return response.json();
}

before(async () => {
  database = makeDatabase(env);
  database.run(['water', 'sections', 'data/water/sections_demo.csv']);
  database.run(['water', 'import', 'data/water/readings_2025-11.csv']);
  database.run(['simulate', '--stations', '24', '--register-only']);
  database.run(['demo', '--today', TODAY]);
  token = readFileSync(`${database.db}.admin-token`, 'utf8').trim();
  ({ proc: server, url: base } = await startServer(database.db, env));
  const [plans, measures, units, tasks, stations, sections] = await Promise.all(['/api/plans', '/api/measures',
    '/api/units', '/api/tasks?year=2026', '/api/stations', '/api/water/sections'].map(call));
  const unitTask = tasks.find((task) => task.units.some((u) => ['市生态环境局', '市环保局'].includes(u.name)));
  // Each route of web/app.js with the lowest role that sees it.
  pages = [
    ['/', 'anonymous'], [`/plans/${plans[0].id}`, 'anonymous'], [`/measures/${measures[0].id}`, 'anonymous'],
    ['/units', 'anonymous'], [`/units/${units[0].id}`, 'anonymous'], ['/matrix', 'anonymous'],
    ['/search?q=%E6%B1%A1%E6%B0%B4', 'anonymous'], ['/water', 'anonymous'],
    [`/water/sections/${sections[0].id}`, 'anonymous'], ['/water/monthly', 'anonymous'],
    ['/water/assessment', 'anonymous'], ['/water/alarms', 'anonymous'], ['/login', 'anonymous'],
    ['/no/such/page', 'anonymous'],
    ['/tasks', 'unit'], [`/tasks/${unitTask.id}`, 'unit'], ['/inbox', 'unit'], ['/stations', 'unit'],
    [`/stations/${stations.stations[0].id}`, 'unit'], ['/password', 'unit'],
    ['/dashboard', 'leader'], ['/assessment', 'leader'],
    ['/tasks/new', 'admin'], ['/accounts', 'admin'], ['/audit', 'admin'],
  ];
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  database?.remove();
});

// A page at WIDTH px whose clock is the demo's day, signed in as ROLE's account.
async function pageAs(role, width, height = 900) {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.clock.setFixedTime(new Date(`${TODAY}T10:00:00+08:00`));
  const login = ROLES[role];
  if (login) {
    const password = readFileSync(`${database.db}.${login}-password`, 'utf8').trim();
    await signIn(page, base, login, password);
  }
  return { page, errors };
}

async function open(page, path) {
  await page.goto(base + path);
  await ready(page, path);
}

// What sticks out sideways: the document wider than the window, and every
// element whose box passes the window's right or left edge without an
// ancestor that clips or scrolls it.
function overflowProblems() {
  const width = window.innerWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width) problems.push(`document is ${document.documentElement.scrollWidth} px wide`);
  const boxed = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right <= width + 0.5 && r.left >= -0.5) continue;
    if (boxed(el)) continue;
    const name = el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + (el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : '');
    problems.push(`${name} spans ${Math.round(r.left)}..${Math.round(r.right)} px`);
    if (problems.length > 5) break;
  }
  return problems;
}

// The English words of the visible text, outside raw codes shown as detail.
function latinWords(allowed) {
  const words = new Set();
  for (const d of document.querySelectorAll('details')) d.open = true;   // what a click shows counts too
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('code, .code, script, style, [hidden], .visually-hidden')) continue;
    if (!parent.checkVisibility({ visibilityProperty: true })) continue;
    if (parent.closest('option') && !parent.closest('option').selected) continue;   // a closed list shows one choice
    for (const w of node.textContent.match(/[A-Za-z]{2,}/g) || []) if (!allowed.includes(w)) words.add(w);
  }
  return [...words];
}

function visible(role) {
  return pages.filter(([, min]) => ORDER.indexOf(role) >= ORDER.indexOf(min));
}

for (const width of [390, 1366]) {
  for (const role of ORDER) {
    test(`no page scrolls sideways and none shows English in Chinese mode (${role}, ${width} px)`, async () => {
      const { page, errors } = await pageAs(role, width, width > 800 ? 900 : 844);
      const failures = [];
      for (const [path] of visible(role)) {
        await open(page, path);
        for (const p of await page.evaluate(overflowProblems)) failures.push(`${path}: ${p}`);
        const name = path.replace(/\?.*/, '').replace(/\W+/g, '-').replace(/^-|-$/g, '') || 'plan';
        await page.screenshot({ path: join(output, `layout-${role}-${name}-${width}.png`), fullPage: true });
        for (const w of await page.evaluate(latinWords, [...ALLOWED])) failures.push(`${path}: English "${w}"`);
      }
      if (failures.length) console.log(failures.join('\n'));
      assert.deepEqual(failures, []);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
}

test('in English too no page scrolls sideways (admin, 390 px)', async () => {
  const { page, errors } = await pageAs('admin', 390, 844);
  await page.evaluate(() => localStorage.setItem('qingshui.lang', 'en'));
  const failures = [];
  for (const [path] of pages) {
    await open(page, path);
    for (const p of await page.evaluate(overflowProblems)) failures.push(`${path}: ${p}`);
  }
  assert.equal(await page.locator('#nav a[data-nav="water"]').textContent(), 'Water');
  await page.screenshot({ path: join(output, 'layout-admin-audit-en-390.png') });
  await page.evaluate(() => localStorage.removeItem('qingshui.lang'));
  assert.deepEqual(failures, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the dashboard fits a 1920 px wall screen', async () => {
  const { page, errors } = await pageAs('leader', 1920, 1080);
  await open(page, '/dashboard');
  assert.deepEqual(await page.evaluate(overflowProblems), []);
  await page.screenshot({ path: join(output, 'layout-leader-dashboard-1920.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('every page has its own window title', async () => {
  const { page } = await pageAs('admin', 1366);
  const titles = new Map();
  for (const [path] of pages) {
    await open(page, path);
    const title = await page.title();
    assert.match(title, / · 清水$/, path);
    assert.ok(!titles.has(title) || path.startsWith('/plans/'), `${path} has the title of ${titles.get(title)}: ${title}`);
    titles.set(title, path);
  }
  await page.close();
});

test('the 404 page says so in Chinese and marks no navigation item', async () => {
  const { page } = await pageAs('admin', 1366);
  await open(page, '/no/such/page');
  assert.equal(await page.locator('main h1').innerText(), '页面不存在');
  assert.equal(await page.title(), '页面不存在 · 清水');
  assert.equal(await page.locator('#nav a.active, #nav a[aria-current]').count(), 0);
  await page.close();
});

test('at 390 px the navigation is a menu that opens and closes from the keyboard', async () => {
  const { page } = await pageAs('admin', 390, 844);
  await open(page, '/water');
  const nav = page.locator('#nav');
  assert.equal(await nav.isVisible(), false);
  const button = page.locator('#menu-toggle');
  assert.equal(await button.locator('svg').count(), 1);
  await button.focus();
  await page.keyboard.press('Enter');
  assert.equal(await nav.isVisible(), true);
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.closest('#nav') !== null), true);
  assert.deepEqual(await page.evaluate(overflowProblems), []);
  await page.screenshot({ path: join(output, 'layout-menu-open-390.png') });
  await page.keyboard.press('Escape');
  assert.equal(await nav.isVisible(), false);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'menu-toggle');
  await page.close();
});

test('from 1100 px on the navigation is a bar on one line, even the office\'s twelve entries', async () => {
  const { page } = await pageAs('admin', 1366);
  for (const width of [1100, 1366, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    await open(page, '/water');
    assert.equal(await page.locator('#menu-toggle').isVisible(), false, `${width} px`);
    const tops = await page.locator('#nav a:visible').evaluateAll((links) => [...new Set(links.map((a) => a.getBoundingClientRect().top))]);
    assert.equal(tops.length, 1, `${width} px: navigation rows at ${tops}`);
    assert.equal(await page.locator('#nav a:visible').count(), 12);
  }
  await page.setViewportSize({ width: 1099, height: 900 });
  assert.equal(await page.locator('#menu-toggle').isVisible(), true);
  await page.close();
});

test('the alarm list is bounded on a phone', async () => {
  const { page } = await pageAs('admin', 390, 844);
  await open(page, '/water/alarms');
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(height < 4 * 844, `the alarm page is ${height} px long`);
  await page.close();
});

// The error codes of the C sources: the third argument of every http_reply_error call.
function apiErrorCodes() {
  const codes = new Set();
  const files = readdirSync(join(root, 'src'), { recursive: true }).filter((f) => f.endsWith('.c'));
  for (const file of files) {
    const source = readFileSync(join(root, 'src', file), 'utf8');
    for (const call of source.split('http_reply_error(').slice(1)) {
      const args = [];
      let depth = 0, arg = '';
      for (const c of call) {
        if (c === '(') depth++;
        if (c === ')' && depth-- === 0) break;
        if (c === ',' && depth === 0) { args.push(arg); arg = ''; } else arg += c;
      }
      for (const m of (args[2] || '').matchAll(/"([a-z_]+)"/g)) codes.add(m[1]);
    }
  }
  return [...codes];
}

test('the UI has a sentence for every error code the API sends', async () => {
  const codes = apiErrorCodes();
  assert.ok(codes.includes('not_found') && codes.includes('invalid_password'), codes.join(' '));
  const { page } = await pageAs(null, 1366);
  await open(page, '/');
  const missing = await page.evaluate(async (list) => {
    const { errorText, setLang } = await import('/i18n.js');
    const out = [];
    for (const lang of ['zh', 'en']) {
      setLang(lang);
      for (const code of list) {
        const text = errorText({ code, role: 'admin', status: 400, message: 'detail' });
        if (text.startsWith('出错了') || text.startsWith('Something went wrong')) out.push(`${lang}: ${code}`);
      }
    }
    setLang('zh');
    return out;
  }, codes);
  assert.deepEqual(missing, []);
  await page.close();
});
