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

async function render() {
  // Tests wait for body[data-ready] to name the page: clear it until this render is done.
  document.body.dataset.ready = '';
  const path = location.pathname;
  const query = new URLSearchParams(location.search);
  const route = routes.find(([pattern]) => pattern.test(path));
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', route && a.dataset.nav === route[2]);
  document.getElementById('nav').classList.remove('open');
  try {
    if (!route) throw new Error(`404: ${path}`);
    await route[1](path.match(route[0]).groups || {}, query);
  } catch (err) {
    if (err.status === 401) { navigate(`/login?next=${encodeURIComponent(path + location.search)}`); return; }
    main.innerHTML = `<p class="error" role="alert" id="page-error">${esc(errorText(err))}</p>`;
  }
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
  document.title = `${t('app.name')} · ${t('nav.plan')}`;
}
langButton.addEventListener('click', () => { setLang(lang() === 'zh' ? 'en' : 'zh'); applyLanguage(); renderAccount(); render(); });
document.getElementById('menu-toggle').addEventListener('click', (e) => {
  const open = document.getElementById('nav').classList.toggle('open');
  e.currentTarget.setAttribute('aria-expanded', String(open));
});

initPlanPages(main, navigate);
initSupervisionPages(main, navigate);
initWaterPages(main, navigate);
initSectionPage(navigate);
initCockpitPage(navigate);
initAdminPages(main);
setLang(lang());
applyLanguage();
loadSession().catch(() => null).then(() => { renderAccount(); render(); });
