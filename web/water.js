// The water-quality pages over /api/water/*: the overview of all sections
// coloured by class, the monthly cross-boundary table by county, the
// annual assessment with its money and computation, and the alarms (a
// section's own page is section.js). Routes: /water,
// /water/sections/{id}, /water/monthly, /water/assessment, /water/alarms.
import { t, errorText, lang } from './i18n.js';
import { api, send, currentSession } from './api.js';
import { esc, reportSuccess } from './ui.js';
import { formatTime, formatLocal, todayChina } from './time.js';
import { mountSectionsMap } from './places.js';
import { mountTable } from './table.js';
import { bindPrint, printControls, printHead, printSignature } from './print.js';

let main;
let navigate;

export function initWaterPages(mainElement, navigateFn) {
  main = mainElement;
  navigate = navigateFn;
}

export const LABELS = ['—', 'Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ', 'Ⅴ', '劣Ⅴ'];
// The class colours of CNEMC's real-time page (Ⅰ … 劣Ⅴ), for the chart bands.
export const COLOURS = ['#eeeeee', '#CCFFFF', '#00CCFF', '#00FF00', '#FFFF00', '#FF9B00', '#FF0000'];
const RULES = ['shiyan-2016', 'shiyan-2021', 'hubei', 'example-tiered'];
export const TREND_ITEMS = ['PH', 'DO', 'CODMN', 'NH3N', 'TP', 'TN', 'WT'];

// A word the server sends in Chinese (rating, grade, money unit), in the
// UI's language when the dictionary has it, else as sent.
function word(prefix, value) {
  const key = `${prefix}.${value}`;
  const text = t(key);
  return text === key ? String(value ?? '') : text;
}

export const classLabel = (c) => (c === 6 ? t('water.class.worse') : LABELS[c || 0]);
export const classBadge = (c) => `<span class="badge-class cls-${c || 0}">${classLabel(c)}</span>`;
export const classText = (c) => (c ? t('water.class_of', { c: classLabel(c) }) : '—');
export const itemName = (code) => word('water.item', code);
const isAdmin = () => currentSession().level === 'admin';
const percent = (x) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
// A period's coverage ("4 / 31 天") and its status word: 数据不足, 进行中, or nothing when final.
const statusWord = (status) => (status === 'final' ? '' : t(`water.status.${status}`));
const coverageCell = (cov) => `${esc(cov.text)}${cov.status === 'final' ? '' : ` <span class="status-${esc(cov.status)}">${statusWord(cov.status)}</span>`}`;
// The rule's source note is the developers' (in English); in Chinese only the document it rests on, cited first.
const citations = (source) => (source.match(/[^\s:;,()（）]*〔\d+〕\d+号(《[^》]+》)?/) || [''])[0];
const minimumHint = (m) => `<p class="hint">${esc(t('water.not_judged', { month: m.month_min_days, year: m.year_min_months,
  source: lang() === 'zh' ? citations(m.source) : m.source }))}</p>`;

// The server names main pollutants with its Chinese item names, e.g.
// "高锰酸盐指数(0.22)"; put the UI's names in their place.
function mainPollutants(result) {
  let text = result.main_pollutants || '';
  for (const i of result.items || []) if (i.name) text = text.split(i.name).join(itemName(i.code));
  return text;
}

// The latest month with readings (what the overview shows by default),
// fetched once: the monthly and annual pages start from it.
let latestMonth = '';
async function defaultMonth() {
  latestMonth = latestMonth || (await api('/api/water/overview')).month || todayChina().slice(0, 7);
  return latestMonth;
}

export function tabs(active) {
  const entries = [['overview', '/water'], ['monthly', '/water/monthly'], ['assessment', '/water/assessment'], ['alarms', '/water/alarms']];
  return `<nav class="tabs" aria-label="${esc(t('nav.water'))}">${entries.map(([name, href]) =>
    `<a href="${href}" data-link class="${name === active ? 'active' : ''}"${name === active ? ' aria-current="page"' : ''}>${t(`water.tab.${name}`)}</a>`).join('')}</nav>`;
}

export function legend() {
  return `<p class="legend" aria-label="${esc(t('water.legend'))}">${LABELS.slice(1).map((_, i) => classBadge(i + 1)).join('')}</p>`;
}

function ruleSelect(current) {
  return `<select name="rule">${RULES.map((id) => `<option value="${id}"${id === current ? ' selected' : ''}>${t(`water.rule.${id}`)}</option>`).join('')}</select>`;
}

// A filter form: any change, or Enter, goes to URL(formData).
function bindFilters(url) {
  const form = document.getElementById('water-filters');
  const go = (e) => { e.preventDefault(); navigate(url(new FormData(form))); };
  form.addEventListener('change', go);
  form.addEventListener('submit', go);
}

// A table cell labelled with its column's heading: phones show the rows
// as cards, each value after its label (style.css, .water-table).
function td(labelKey, html, cls = '') {
  return `<td data-label="${esc(t(labelKey))}"${cls ? ` class="${cls}"` : ''}>${html}</td>`;
}

function excelLink(href) {
  const localized = `${href}${href.includes('?') ? '&' : '?'}lang=${lang()}`;   // headings in the UI's language
  return `<a class="button" href="${esc(localized)}" download id="excel-link">${t('water.excel')}</a>`;
}

// ---- pages ----------------------------------------------------------------

function sectionCard(s) {
  const r = s.month_result || { class: 0 };
  const comp = r.compliance;
  const status = !comp ? '' : comp.met ? `<span class="ok">${t('water.met')}</span>`
    : `<span class="miss">${t('water.missed')}: ${comp.misses.map((m) => esc(itemName(m.code))).join('、')}</span>`;
  return `<article class="section-card cls-edge-${r.class}" data-section="${s.id}">
    <header><a href="/water/sections/${s.id}" data-link>${esc(s.name)}</a>${classBadge(r.class)}</header>
    <p class="place">${esc(s.river)} · ${esc(s.county || s.city)}</p>
    <dl class="facts-small">
      <dt>${t('water.target')}</dt><dd>${classText(s.target_class)}${s.target_demo ? ` <span class="demo" title="${esc(t('water.demo_hint'))}">${t('water.demo')}</span>` : ''}</dd>
      <dt>${t('water.rating')}</dt><dd>${r.rating ? esc(word('water.rating', r.rating)) : s.coverage?.have ? `<span class="status-insufficient">${t('water.status.insufficient')}</span>` : t('water.no_data')}</dd>
      ${s.coverage ? `<dt>${t('water.coverage')}</dt><dd class="coverage">${coverageCell(s.coverage)}</dd>` : ''}
      ${comp ? `<dt>${t('water.compliance')}</dt><dd>${status}</dd>` : ''}
      ${r.main_pollutants ? `<dt>${t('water.main_pollutants')}</dt><dd>${esc(mainPollutants(r))}</dd>` : ''}
      ${r.tn_class ? `<dt>${t('water.tn_alone')}</dt><dd>${classText(r.tn_class)}</dd>` : ''}
    </dl></article>`;
}

export async function waterOverviewPage(params, query) {
  const month = query.get('month') || '';
  const data = await api(`/api/water/overview${month ? `?month=${encodeURIComponent(month)}` : ''}`);
  const rated = data.sections.filter((s) => s.month_result);
  const missing = rated.filter((s) => s.month_result.compliance && !s.month_result.compliance.met).length;
  const o = data.overall;
  main.innerHTML = `<div class="page-head"><h1>${t('water.overview.title')} · ${esc(data.month)}</h1>${excelLink(`/api/water/export/overview.xlsx?month=${encodeURIComponent(data.month)}`)}</div>
    ${tabs('overview')}
    <form class="filters" id="water-filters"><label>${t('water.month')} <input name="month" type="month" value="${esc(data.month)}"></label>${legend()}</form>
    <div class="stat-cards">
      <div class="stat"><span class="n">${o.rated}</span>${t('water.stat.rated')}</div>
      <div class="stat stat-green"><span class="n">${percent(o.share_1_3)}</span>${t('water.stat.share_1_3')}</div>
      <div class="stat${o.share_worse_than_5 > 0 ? ' stat-red' : ''}"><span class="n">${percent(o.share_worse_than_5)}</span>${t('water.stat.worse_than_5')}</div>
      <div class="stat${missing ? ' stat-yellow' : ''}"><span class="n">${missing}</span>${t('water.stat.missed')}</div>
      <div class="stat"><span class="n">${esc(word('water.rating', o.rating || '—'))}</span>${t('water.stat.rating')}</div>
    </div>
    <section id="water-map"></section>
    <div class="sections">${data.sections.map(sectionCard).join('') || `<p class="empty">${t('water.no_sections')}</p>`}</div>
    <p class="hint">${t('water.method')}</p>`;
  bindFilters((f) => `/water?month=${encodeURIComponent(f.get('month'))}`);
  await mountSectionsMap(document.getElementById('water-map'), data, { colours: COLOURS, classText });
}

export async function waterMonthlyPage(params, query) {
  const month = query.get('month') || await defaultMonth();
  const rule = query.get('rule') || RULES[0];
  const data = await api(`/api/water/monthly?month=${encodeURIComponent(month)}&rule=${encodeURIComponent(rule)}`);
  const failed = data.rows.filter((r) => r.pass === false).length;
  const result = (r) => (r.pass === null ? `<span class="status-insufficient">${t('water.status.insufficient')}</span>`
    : `<span class="${r.pass ? 'ok' : 'miss'}">${t(r.pass ? 'water.pass' : 'water.fail')}</span>${r.final ? '' : `（${t('water.status.in_progress')}）`}`);
  const rows = data.rows.map((r) => `<tr class="${r.status === 'insufficient' ? 'not-judged' : ''}">${td('water.county', esc(r.county))}${td('water.section', `<a href="/water/sections/${r.section_id}" data-link>${esc(r.section)}</a>`)}
    ${td('water.coverage', coverageCell(r.coverage), 'num')}${td('water.class', r.class ? classBadge(r.class) : '—')}${td('water.target', classLabel(r.target))}${td('water.result', result(r))}
    ${td('water.computation', esc(r.line), 'sub')}</tr>`);
  const selected = `month=${encodeURIComponent(month)}&rule=${encodeURIComponent(rule)}`;
  main.innerHTML = `${await printHead(t('print.water_month'), `${month} · ${data.rule}`, data.today)}<div class="page-head"><h1>${t('water.monthly.title')} · ${esc(month)}</h1>${excelLink(`/api/water/export/monthly.xlsx?${selected}`)}
      ${printControls(`/api/water/export/monthly.pdf?${selected}`)}</div>
    ${tabs('monthly')}
    <form class="filters" id="water-filters"><label>${t('water.month')} <input name="month" type="month" value="${esc(month)}"></label>
      <label>${t('water.rule')} ${ruleSelect(rule)}</label>
      <output>${t('water.monthly.summary', { n: data.rows.length, failed })}</output></form>
    ${rows.length ? `<div class="table-wrap"><table class="tasks-table water-table"><thead><tr><th>${t('water.county')}</th><th>${t('water.section')}</th><th class="num">${t('water.coverage')}</th><th>${t('water.class')}</th>
      <th>${t('water.target')}</th><th>${t('water.result')}</th><th>${t('water.computation')}</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`
      : `<p class="empty">${t('water.no_month')}</p>`}
    ${minimumHint(data.minimum)}${await printSignature(data.today)}`;
  bindPrint(main);
  bindFilters((f) => `/water/monthly?month=${encodeURIComponent(f.get('month'))}&rule=${encodeURIComponent(f.get('rule'))}`);
}

function money(c, unit) {
  const parts = [];
  if (c.deposit) parts.push(`${t('water.deposit')} ${esc(c.deposit.amount)} ${esc(word('water.money', unit))} ${t(`water.deposit.${c.deposit.action}`)}`);
  if (c.penalty !== undefined) parts.push(`${t('water.penalty')} ${esc(c.penalty.toFixed(2))} ${esc(word('water.money', unit))}`);
  return parts.join('<br>');
}

export async function waterAssessmentPage(params, query) {
  const year = query.get('year') || (await defaultMonth()).slice(0, 4);
  const rule = query.get('rule') || RULES[0];
  const data = await api(`/api/water/assessment?year=${encodeURIComponent(year)}&rule=${encodeURIComponent(rule)}`);
  // 数据不足: no grade; 进行中: a provisional grade; neither moves money (the server sends none)
  const grade = (c) => (c.grade === null ? `<span class="status-insufficient">${t('water.status.insufficient')}</span>`
    : `${esc(word('water.grade', c.grade))}${c.final ? '' : `（${t('water.provisional')}）`}`);
  const withheld = { insufficient: 0, in_progress: 0 };
  for (const c of data.counties) if (c.status in withheld) withheld[c.status]++;
  const rows = data.counties.map((c) => `<tr class="${c.freeze ? 'frozen' : c.status === 'insufficient' ? 'not-judged' : ''}">${td('water.county', esc(c.county))}${td('water.coverage', coverageCell(c.coverage), 'num')}
    ${td('water.months_passed', c.months ? `${esc(c.passed)} / ${esc(c.months)}` : '—', 'num')}
    ${td('water.rate', percent(c.rate), 'num')}${td('water.points', c.points !== undefined ? esc(c.points.toFixed(2)) : '—', 'num')}
    ${td('water.grade', `${grade(c)}${c.freeze ? ` <span class="freeze" title="${esc(t('water.freeze_hint'))}">${t('water.freeze')}</span>` : ''}`)}
    ${td('water.money', money(c, data.unit))}
    ${td('water.computation', `<details><summary>${t('water.lines', { n: c.lines.length })}</summary><ol class="lines">${c.lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ol></details>`)}</tr>`);
  main.innerHTML = `<div class="page-head"><h1 id="water-assessment-title">${t('water.assessment.title')} · ${esc(year)}</h1>${excelLink(`/api/water/export/assessment.xlsx?year=${encodeURIComponent(year)}&rule=${encodeURIComponent(rule)}`)}</div>
    ${tabs('assessment')}
    <form class="filters" id="water-filters"><label>${t('water.year')} <input name="year" type="number" min="2000" max="2100" value="${esc(year)}"></label>
      <label>${t('water.rule')} ${ruleSelect(rule)}</label></form>
    <p class="meta">${esc(data.rule_name)}</p>
    ${withheld.insufficient || withheld.in_progress ? `<p class="notice" id="water-withheld">${esc(Object.entries(withheld).filter(([, n]) => n)
    .map(([status, n]) => t(`water.summary.${status}`, { n })).join('；'))}</p>` : ''}
    ${rows.length ? `<div class="table-wrap"><table class="tasks-table water-table"><thead><tr><th>${t('water.county')}</th><th class="num">${t('water.coverage')}</th><th class="num">${t('water.months_passed')}</th>
      <th class="num">${t('water.rate')}</th><th class="num">${t('water.points')}</th><th>${t('water.grade')}</th><th>${t('water.money')}</th><th>${t('water.computation')}</th></tr></thead>
      <tbody>${rows.join('')}</tbody></table></div>` : `<p class="empty">${t('water.no_year')}</p>`}
    ${minimumHint(data.minimum)}
    <p class="hint">${t('water.computation_hint')}</p>`;
  bindFilters((f) => `/water/assessment?year=${encodeURIComponent(f.get('year'))}&rule=${encodeURIComponent(f.get('rule'))}`);
}

// Who moved an alarm and when: "account:admin", "2026-11-29T02:42:55Z" → "admin 2026-11-29 10:42" (China time).
const actorAt = (by, at) => `${esc(String(by).replace(/^account:/, ''))} <time datetime="${esc(at || '')}">${esc(formatTime(at))}</time>`;

// The alarm list's columns and filters for the table component.
function alarmTable() {
  const who = (a) => [a.acknowledged_by ? `${t('water.alarm.acknowledged_by')} ${actorAt(a.acknowledged_by, a.acknowledged_at)}` : '',
    a.closed_by ? `${t('water.alarm.closed_by')} ${actorAt(a.closed_by, a.closed_at)}` : ''].filter(Boolean).join('<br>');
  const actions = (a) => `${a.state === 'open' ? `<button type="button" class="small" data-act="acknowledge" data-id="${a.id}">${t('water.alarm.acknowledge')}</button>` : ''}${a.state !== 'closed' ? ` <button type="button" class="small" data-act="close" data-id="${a.id}">${t('water.alarm.close')}</button>` : ''}`;
  const columns = [
    { key: 'id', label: t('water.alarm.id'), num: true, value: (a) => a.id },
    { key: 'section', label: t('water.section'), value: (a) => a.section,
      html: (a) => `<a href="/water/sections/${a.section_id}?item=${encodeURIComponent(a.item)}&period=hour" data-link>${esc(a.section)}</a>` },
    { key: 'item', label: t('water.item'), value: (a) => itemName(a.item) },
    { key: 'at', label: t('water.alarm.at'), value: (a) => a.at, html: (a) => esc(formatLocal(a.at)) },
    { key: 'value', label: t('water.alarm.value'), num: true, value: (a) => Number(a.value) },
    { key: 'class', label: t('water.class'), value: (a) => a.class, html: (a) => classBadge(a.class) },
    { key: 'target', label: t('water.target'), value: (a) => a.target_class, html: (a) => classLabel(a.target_class) },
    { key: 'state', label: t('water.alarm.state'), sortable: false, value: (a) => t(`water.alarm.state.${a.state}`),
      html: (a) => `<span class="state alarm-${esc(a.state)}">${t(`water.alarm.state.${a.state}`)}</span>${who(a) ? `<div class="sub">${who(a)}</div>` : ''}` },
  ];
  if (isAdmin()) columns.push({ key: 'actions', label: '', cls: 'actions', sortable: false, value: () => '', html: actions });
  return {
    id: 'alarm-table', className: 'tasks-table water-table', bounded: true, empty: t('water.alarm.none'),
    rowAttrs: (a) => `data-alarm="${a.id}"`, columns,
    filters: [{ key: 'section', label: t('water.section'), value: (a) => a.section },
      { key: 'item', label: t('water.item'), value: (a) => itemName(a.item) }],
  };
}

export async function waterAlarmsPage(params, query) {
  const state = query.get('state') || 'open';
  const list = await api(`/api/water/alarms?state=${encodeURIComponent(state)}`);
  main.innerHTML = `<div class="page-head"><h1>${t('water.alarms.title')}</h1>${excelLink('/api/water/export/alarms.xlsx')}</div>
    ${tabs('alarms')}
    <form class="filters" id="water-filters"><label>${t('water.alarm.state')} <select name="state">${['open', 'acknowledged', 'closed'].map((s) =>
      `<option value="${s}"${s === state ? ' selected' : ''}>${t(`water.alarm.state.${s}`)}</option>`).join('')}</select></label>
      </form>
    <p class="error" id="alarm-error" role="alert" hidden></p>
    <div id="alarm-list"></div>
    ${isAdmin() ? '' : `<p class="hint">${t('water.alarm.admin_only')}</p>`}`;
  mountTable(document.getElementById('alarm-list'), list, alarmTable());
  bindFilters((f) => `/water/alarms?state=${encodeURIComponent(f.get('state'))}`);
  document.getElementById('alarm-list').addEventListener('click', async (e) => {
    const b = e.target.closest('button[data-act]');
    if (!b) return;
    b.disabled = true;
    try {
      await send('POST', `/api/water/alarms/${b.dataset.id}/${b.dataset.act}`);
      await waterAlarmsPage(params, query);
      reportSuccess(t(`done.alarm.${b.dataset.act}`));
    } catch (err) {
      const box = document.getElementById('alarm-error');
      box.hidden = false;
      box.textContent = errorText(err);
      b.disabled = false;
    }
  });
}
