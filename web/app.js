// The qingshui web UI: a small single-page application over the JSON API.
// This file is the shell: the session, the navigation by role, the router.
// Pages live in plan.js, supervision.js and water.js; links marked data-link are
// followed without reloading the page.
import { t, lang, setLang, translateStatic, errorText } from './i18n.js';
import { currentSession, loadSession, login, logout } from './api.js';
import { esc } from './ui.js';
import { initPlanPages, planPage, measurePage, unitsPage, unitPage, matrixPage, searchPage } from './plan.js';
import { initAdminPages, accountsPage, auditPage, passwordPage } from './admin.js';
import { initSupervisionPages, tasksPage, taskPage, dashboardPage, assessmentPage, inboxPage, newTaskPage } from './supervision.js';
import { stationsPage, stationPage } from './stations.js';
import { initWaterPages, waterOverviewPage, waterMonthlyPage, waterAssessmentPage, waterAlarmsPage } from './water.js';
import { initSectionPage, waterSectionPage } from './section.js';
import { initCockpitPage, cockpitPage, landingPage } from './cockpit.js';

const main = document.getElementById('main');

async function loginPage(params, query) {
  main.innerHTML = `<section class="login-box"><h1>${t('login.title')}</h1>
    <form id="login-form" class="form">
      <label>${t('login.login')} <input name="login" id="login-name" autocomplete="username" required></label>
      <label>${t('login.password')} <input name="password" id="login-password" type="password" autocomplete="current-password" required></label>
      <p class="error" id="login-error" role="alert" hidden></p>
      <button type="submit" class="primary" id="login-submit">${t('login.submit')}</button>
    </form></section>`;
  document.getElementById('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(e.target);
    try {
      await login(data.get('login'), data.get('password'));
      renderAccount();
      navigate(query.get('next') || landingPage());
    } catch (err) {
      const box = document.getElementById('login-error');
      box.hidden = false;
      box.textContent = errorText(err);
    }
  });
}

// Navigation entries that need a role, and the account's name with log-out.
function renderAccount() {
  const s = currentSession();
  const level = s.level;
  for (const a of document.querySelectorAll('[data-min-level]')) {
    const order = ['anonymous', 'unit', 'leader', 'admin'];
    a.hidden = order.indexOf(level) < order.indexOf(a.dataset.minLevel);
  }
  const box = document.getElementById('account');
  box.innerHTML = s.account
    ? `<span class="who" id="who">${esc(s.account.display_name)}${s.account.unit_name ? ` · ${esc(s.account.unit_name)}` : ''}</span><a href="/password" data-link class="lang" id="password-link">${t('password.title')}</a><button type="button" class="lang" id="logout">${t('login.logout')}</button>`
    : `<a href="/login" data-link class="lang" id="login-link">${t('login.title')}</a>`;
  const out = document.getElementById('logout');
  if (out) out.addEventListener('click', async () => { await logout(); renderAccount(); navigate('/'); });
}

// ---- routing -------------------------------------------------------------

const routes = [
  [/^\/login$/, loginPage, 'login'],
  [/^\/tasks$/, tasksPage, 'tasks'],
  [/^\/tasks\/new$/, newTaskPage, 'tasks'],
  [/^\/tasks\/(?<id>\d+)$/, taskPage, 'tasks'],
  [/^\/dashboard$/, dashboardPage, 'dashboard'],
  [/^\/cockpit$/, cockpitPage, 'dashboard'],
  [/^\/assessment$/, assessmentPage, 'assessment'],
  [/^\/inbox$/, inboxPage, 'inbox'],
  [/^\/accounts$/, accountsPage, 'accounts'],
  [/^\/audit$/, auditPage, 'audit'],
  [/^\/password$/, passwordPage, 'password'],
  [/^\/$/, planPage, 'plan'],
  [/^\/plans\/(?<id>\d+)$/, planPage, 'plan'],
  [/^\/measures\/(?<id>\d+)$/, measurePage, 'plan'],
  [/^\/units$/, unitsPage, 'units'],
  [/^\/units\/(?<id>\d+)$/, unitPage, 'units'],
  [/^\/matrix$/, matrixPage, 'matrix'],
  [/^\/search$/, searchPage, 'search'],
  [/^\/stations$/, stationsPage, 'stations'],
  [/^\/stations\/(?<id>\d+)$/, stationPage, 'stations'],
  [/^\/water$/, waterOverviewPage, 'water'],
  [/^\/water\/sections\/(?<id>\d+)$/, waterSectionPage, 'water'],
  [/^\/water\/monthly$/, waterMonthlyPage, 'water'],
  [/^\/water\/assessment$/, waterAssessmentPage, 'water'],
  [/^\/water\/alarms$/, waterAlarmsPage, 'water'],
];

// A path no route knows: said in the UI's language, no navigation item marked.
function notFoundPage() {
  main.innerHTML = `<section class="not-found"><h1>${t('page.not_found')}</h1>
    <p>${t('page.not_found_hint')}</p><p><a href="/" data-link>${t('page.home')}</a></p></section>`;
}

// The window's title: the page's heading (or its navigation label), then the app.
function setTitle(route) {
  const heading = main.querySelector('h1');
  const label = heading ? heading.textContent.trim() : t(`nav.${route ? route[2] : 'plan'}`);
  document.title = `${label} · ${t('app.name')}`;
}

async function render() {
  // Tests wait for body[data-ready] to name the page: clear it until this render is done.
  document.body.dataset.ready = '';
  const path = location.pathname;
  const query = new URLSearchParams(location.search);
  const route = routes.find(([pattern]) => pattern.test(path));
  for (const a of document.querySelectorAll('[data-nav]')) {
    const active = Boolean(route) && a.dataset.nav === route[2];
    a.classList.toggle('active', active);
    if (active) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  closeMenu();
  try {
    if (route) await route[1](path.match(route[0]).groups || {}, query);
    else notFoundPage();
  } catch (err) {
    if (err.status === 401) { navigate(`/login?next=${encodeURIComponent(path + location.search)}`); return; }
    main.innerHTML = `<h1 class="visually-hidden">${esc(t('common.error'))}</h1><p class="error" role="alert" id="page-error">${esc(errorText(err))}</p>`;
  }
  setTitle(route);
  document.body.dataset.ready = path + location.search;
}

function navigate(url) {
  history.pushState(null, '', url);
  render();
  window.scrollTo(0, 0);
}

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-link]');
  if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', render);

const langButton = document.getElementById('lang-toggle');
function applyLanguage() {
  translateStatic();
  langButton.textContent = lang() === 'zh' ? 'EN' : '中文';
  langButton.setAttribute('aria-label', lang() === 'zh' ? 'Switch to English' : '切换到中文');
}
langButton.addEventListener('click', () => { setLang(lang() === 'zh' ? 'en' : 'zh'); applyLanguage(); renderAccount(); render(); });
// The menu button of narrow windows: opens and closes the navigation; Escape
// closes it and gives the focus back to the button.
const menuButton = document.getElementById('menu-toggle');
const nav = document.getElementById('nav');
function closeMenu() {
  nav.classList.remove('open');
  menuButton.setAttribute('aria-expanded', 'false');
}
menuButton.addEventListener('click', () => {
  const open = nav.classList.toggle('open');
  menuButton.setAttribute('aria-expanded', String(open));
  if (open) nav.querySelector('a:not([hidden])')?.focus();
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && nav.classList.contains('open')) { closeMenu(); menuButton.focus(); }
});

initPlanPages(main, navigate);
initSupervisionPages(main, navigate);
initWaterPages(main, navigate);
initSectionPage(navigate);
initCockpitPage(navigate);
initAdminPages(main, navigate);
setLang(lang());
applyLanguage();
loadSession().catch(() => null).then(() => { renderAccount(); render(); });
