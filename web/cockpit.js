// The leaders' cockpit (/cockpit, issue 14): one screen for a wall display
// (1920×1080 without scrolling) that reads on a phone too: the city map,
// the counts that need a leader (open alarms, overdue tasks, open 督办,
// this month's compliance), each linking to its list (the overdue tasks
// are listed on the dashboard; 督办 have no list of their own yet, the
// count links to the year's tasks), this month's water
// classes, and the plan's lights by chapter (named) and by lead unit for
// the chosen year. Over GET /api/dashboard, /api/plans/{id},
// /api/water/overview, /api/water/alarms and /api/units (the map adds
// /api/geo): a handful of requests, so no aggregate API.
import { t } from './i18n.js';
import { api, currentSession } from './api.js';
import { esc, cnOrdinal } from './ui.js';
import { todayChina } from './time.js';
import { mountChart } from './chart.js';
import { mountSectionsMap } from './places.js';
import { COLOURS, classBadge, classText } from './water.js';

let navigate;

export function initCockpitPage(navigateFn) {
  navigate = navigateFn;
}

// Where an account lands after signing in: leaders and administrators on
// the cockpit, units on their tasks.
export function landingPage() {
  return ['leader', 'admin'].includes(currentSession().level) ? '/cockpit' : '/tasks';
}

const LIGHTS = ['red', 'yellow', 'green', 'done'];
const LIGHT_COLOURS = { red: '#c0392b', yellow: '#e0a100', green: '#2e8b57', done: '#7f8c8d' };
const WALL_MIN_WIDTH = 1200;   // from here up the cockpit is one screen (cockpit.css)
const OVERDUE_SHOWN = 6;
const UNITS_SHOWN = 12;        // the units with most red and yellow; all on /dashboard

// The cockpit's own style sheet, linked once (the CSP allows style sheets of the site).
function linkStyle() {
  if (document.getElementById('cockpit-css')) return;
  document.head.appendChild(Object.assign(document.createElement('link'), { id: 'cockpit-css', rel: 'stylesheet', href: '/cockpit.css' }));
}

// "一、严格保护一江清水" for the chapter ORDINAL of CHAPTERS.
export function chapterName(chapters, ordinal) {
  const c = chapters.find((x) => x.ordinal === ordinal);
  return `${cnOrdinal(ordinal)}、${c ? c.title : ''}`;
}

// A stacked horizontal bar chart of lights: one bar per row of ROWS named
// by NAME(row), the names cut at LABEL_WIDTH px.
export function lightsOption(rows, name, labelWidth) {
  const names = rows.map(name);
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    legend: { data: LIGHTS.map((c) => t(`light.${c}`)), top: 0 },
    grid: { left: 8, right: 16, top: 28, bottom: 4, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: names, axisLabel: { width: labelWidth, overflow: 'truncate', fontSize: 11 } },
    series: LIGHTS.map((c) => ({ name: t(`light.${c}`), type: 'bar', stack: 'all', barMaxWidth: 16,
      itemStyle: { color: LIGHT_COLOURS[c] }, data: rows.map((r) => r[c] || 0) })),
  };
}

function statCard(id, n, label, href, tone) {
  return `<a class="stat${tone ? ` stat-${tone}` : ''}" href="${esc(href)}" data-link id="${id}"><span class="n">${esc(n)}</span>${esc(label)}</a>`;
}

// This month's sections by class (Ⅰ … 劣Ⅴ, and not rated), and compliance.
function waterSummary(overview) {
  const byClass = new Map();
  for (const s of overview.sections) {
    const c = s.month_result?.class || 0;
    byClass.set(c, (byClass.get(c) || 0) + 1);
  }
  const classes = [1, 2, 3, 4, 5, 6, 0].filter((c) => byClass.get(c));
  return `<ul class="cockpit-classes" id="cockpit-classes">${classes.map((c) =>
    `<li>${c ? classBadge(c) : `<span class="badge-class cls-0">${t('water.no_data')}</span>`}<b>${byClass.get(c)}</b></li>`).join('')}</ul>`;
}

function overdueList(tasks) {
  if (!tasks.length) return `<p class="empty">${t('common.none')}</p>`;
  return `<ul class="cockpit-list">${tasks.slice(0, OVERDUE_SHOWN).map((task) =>
    `<li><span class="light light-${esc(task.light?.color || 'red')}"></span><a href="/tasks/${task.id}" data-link>${esc(task.title)}</a> <span class="sub">${esc(task.due_on)}</span></li>`).join('')}</ul>`;
}

// On a wide screen, the cockpit takes what the window leaves below the
// page's head and above its footer, so that the page does not scroll.
function fitToWindow(box) {
  const fit = () => {
    if (!box.isConnected) { window.removeEventListener('resize', fit); return; }
    if (window.innerWidth < WALL_MIN_WIDTH) { box.style.height = ''; return; }
    const main = box.closest('main');
    const below = parseFloat(getComputedStyle(main).paddingBottom) + (document.querySelector('.footer')?.offsetHeight || 0);
    const top = box.getBoundingClientRect().top + window.scrollY;
    box.style.height = `${Math.max(480, Math.floor(window.innerHeight - top - below))}px`;
  };
  fit();
  window.addEventListener('resize', fit);
}

export async function cockpitPage(params, query) {
  linkStyle();
  const thisYear = todayChina().slice(0, 4);
  const year = query.get('year') || thisYear;
  // the water of the chosen year: its latest month with data this year, its December before
  const month = year === thisYear ? '' : `${year}-12`;
  const [d, plans, overview, alarms, units] = await Promise.all([
    api(`/api/dashboard?year=${encodeURIComponent(year)}`), api('/api/plans'),
    api(`/api/water/overview${month ? `?month=${month}` : ''}`), api('/api/water/alarms?state=open'), api('/api/units')]);
  const plan = plans.length ? await api(`/api/plans/${plans[0].id}`) : { chapters: [] };
  const chapters = [...d.by_chapter].sort((a, b) => a.chapter - b.chapter);
  const byUnit = [...d.by_unit].sort((a, b) => (b.red || 0) - (a.red || 0) || (b.yellow || 0) - (a.yellow || 0) || a.unit.localeCompare(b.unit, 'zh')).slice(0, UNITS_SHOWN);
  const unitIds = new Map(units.map((u) => [u.name, u.id]));
  const rated = overview.sections.filter((s) => s.month_result?.compliance);
  const met = rated.filter((s) => s.month_result.compliance.met).length;
  const main = document.getElementById('main');
  main.innerHTML = `<div class="cockpit" id="cockpit">
    <div class="cockpit-head"><h1>${t('cockpit.title')}</h1>
      <form class="inline" id="cockpit-year"><label>${t('task.year')} <input name="year" type="number" min="2000" max="2100" value="${esc(year)}" id="cockpit-year-input"></label></form>
      <span class="meta">${t('cockpit.water_month', { month: overview.month || '—' })}</span></div>
    <div class="stat-cards cockpit-stats">
      ${statCard('cockpit-alarms', alarms.length, t('cockpit.alarms'), '/water/alarms?state=open', alarms.length ? 'red' : '')}
      ${statCard('cockpit-overdue', d.overdue.length, t('dashboard.overdue'), `/dashboard?year=${year}`, d.overdue.length ? 'red' : '')}
      ${statCard('cockpit-notices', d.open_notices, t('dashboard.notices'), `/tasks?year=${year}`, d.open_notices ? 'yellow' : '')}
      ${statCard('cockpit-compliance', `${met} / ${rated.length}`, t('cockpit.compliance'), `/water?month=${encodeURIComponent(overview.month)}`, met < rated.length ? 'yellow' : 'green')}
      ${LIGHTS.map((c) => statCard(`cockpit-light-${c}`, d.totals[c] || 0, t(`light.${c}`), `/tasks?year=${year}&light=${c}`, c)).join('')}
    </div>
    <section class="cockpit-map" id="cockpit-map"></section>
    <section class="cockpit-panel cockpit-water"><h2><a href="/water/monthly?month=${encodeURIComponent(overview.month)}" data-link>${t('cockpit.classes')}</a></h2>
      ${waterSummary(overview)}
      <h2><a href="/dashboard?year=${year}" data-link>${t('dashboard.overdue')}</a></h2>${overdueList(d.overdue)}</section>
    <section class="cockpit-panel cockpit-chapters"><h2><a href="/plans/${plans[0]?.id || ''}" data-link>${t('dashboard.by_chapter')}</a></h2><div class="cockpit-chart" id="cockpit-chapters"></div></section>
    <section class="cockpit-panel cockpit-units"><h2><a href="/dashboard?year=${year}" data-link>${t('cockpit.by_unit', { n: UNITS_SHOWN })}</a></h2><div class="cockpit-chart" id="cockpit-units"></div></section>
  </div>`;
  fitToWindow(document.getElementById('cockpit'));
  document.getElementById('cockpit-year').addEventListener('change', (e) => navigate(`/cockpit?year=${encodeURIComponent(e.target.value)}`));
  document.getElementById('cockpit-year').addEventListener('submit', (e) => { e.preventDefault(); navigate(`/cockpit?year=${encodeURIComponent(e.target.year.value)}`); });
  const labelWidth = Math.min(200, Math.round(document.getElementById('cockpit-chapters').clientWidth * 0.4));
  const chapterChart = await mountChart(document.getElementById('cockpit-chapters'), lightsOption(chapters, (c) => chapterName(plan.chapters, c.chapter), labelWidth));
  chapterChart.chart.on('click', (p) => navigate(`/plans/${plans[0].id}?chapter=${chapters[p.dataIndex].chapter}`));
  const unitChart = await mountChart(document.getElementById('cockpit-units'), lightsOption(byUnit, (u) => u.unit, labelWidth));
  unitChart.chart.on('click', (p) => { const id = unitIds.get(byUnit[p.dataIndex].unit); if (id) navigate(`/units/${id}`); });
  await mountSectionsMap(document.getElementById('cockpit-map'), overview, { colours: COLOURS, classText });
}
