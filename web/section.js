// A water section's page (/water/sections/{id}, issue 14): its facts (river,
// county, target, the sections up- and downstream, the stations that feed
// it), the latest day's values, a table of the classes of its last twelve
// months, and the trend of one indicator on a time axis over a chosen date
// range, with its gaps, its target and the GB 3838 class bands labelled.
import { t } from './i18n.js';
import { api } from './api.js';
import { esc } from './ui.js';
import { todayChina } from './time.js';
import { showSectionStations } from './places.js';
import { mountChart, timeAxis, withGaps, classBands, targetLine } from './chart.js';
import { COLOURS, TREND_ITEMS, classLabel, classBadge, classText, itemName, legend } from './water.js';

let navigate;

export function initSectionPage(navigateFn) {
  navigate = navigateFn;
}

const HOUR_MS = 3600 * 1000;
const STEP_MS = { hour: HOUR_MS, day: 24 * HOUR_MS, month: 31 * 24 * HOUR_MS };
const HOURS_SHOWN_DAYS = 30;   // an hourly trend starts this many days back unless a range is chosen
const MONTHS_SHOWN = 12;

// A period start of the trend API ("2026-07", "2026-07-14", "2026-07-14 08")
// as a chart time (its wall clock as UTC, see time.js chartTime).
export function periodTime(start) {
  const [day, hour] = start.split(' ');
  const full = day.length === 7 ? `${day}-01` : day;
  return Date.parse(`${full}T${hour || '00'}:00:00Z`);
}

// The day DAYS before the China date DAY, 'YYYY-MM-DD'.
function daysBefore(day, days) {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * 24 * HOUR_MS).toISOString().slice(0, 10);
}

// The MONTHS_SHOWN months up to MONTH ('YYYY-MM'), oldest first.
function monthsUpTo(month) {
  const [y, m] = month.split('-').map(Number);
  return Array.from({ length: MONTHS_SHOWN }, (_, k) => {
    const d = new Date(Date.UTC(y, m - 1 - (MONTHS_SHOWN - 1 - k), 1));
    return d.toISOString().slice(0, 7);
  });
}

// The trend chart's option for TREND (GET …/trend) of PERIOD.
export function trendOption(trend, period) {
  const names = { range: t('section.band.range') };
  for (let k = 1; k <= 6; k++) names[k] = classText(k);
  const target = trend.direction !== 'range' && trend.target ? trend.bands[trend.target - 1] : null;
  const points = withGaps(trend.points.map((p) => [periodTime(p.start), p.mean]), STEP_MS[period]);
  return {
    useUTC: true,
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 56, top: 24, bottom: 60, containLabel: true },
    xAxis: timeAxis(),
    // the axis reaches the target, so that its line shows however clean the water
    yAxis: { type: 'value', scale: true, name: trend.unit, ...(target !== null ? { max: (v) => Math.max(v.max, target * 1.1) } : {}) },
    dataZoom: [{ type: 'inside' }, { type: 'slider' }],
    series: [{
      name: itemName(trend.item), type: 'line', showSymbol: false, connectNulls: false, data: points,
      lineStyle: { color: '#073f3f' }, itemStyle: { color: '#073f3f' },
      markArea: { silent: true, data: classBands(trend.bands, trend.direction, COLOURS, names) },
      ...(target !== null ? { markLine: { silent: true, symbol: 'none', data: targetLine(target, t('section.target_line', { c: classLabel(trend.target) })) } } : {}),
    }],
  };
}

function sectionLink(s) {
  return `<a href="/water/sections/${s.id}" data-link>${esc(s.name)}</a>`;
}

// The facts list of SECTION among ALL sections (GET /api/water/sections).
function facts(section, all) {
  const up = all.filter((s) => s.id === section.inflow_id);
  const down = all.filter((s) => s.inflow_id === section.id);
  const list = (xs) => (xs.length ? xs.map(sectionLink).join('、') : t('common.none'));
  return `<dl class="facts section-facts" id="section-facts">
    <dt>${t('section.river')}</dt><dd>${esc(section.river)}</dd>
    <dt>${t('water.county')}</dt><dd>${esc(section.county || section.city)}</dd>
    <dt>${t('water.target')}</dt><dd>${classText(section.target_class)}${section.target_demo ? ` <span class="demo">${t('water.demo')}</span>` : ''}</dd>
    <dt>${t('section.upstream')}</dt><dd id="section-upstream">${list(up)}</dd>
    <dt>${t('section.downstream')}</dt><dd id="section-downstream">${list(down)}</dd></dl>
    <p class="meta" id="section-stations"></p>`;
}

function latestTable(day, result) {
  if (!result) return `<p class="empty">${t('water.no_data')}</p>`;
  return `<p class="meta">${esc(day)} · ${classText(result.class)}</p>
    <div class="table-wrap"><table class="units-table" id="section-latest"><thead><tr><th>${t('water.item')}</th><th class="num">${t('station.value')}</th><th>${t('water.class')}</th></tr></thead>
    <tbody>${result.items.filter((i) => i.value !== null).map((i) => `<tr><td>${esc(itemName(i.code))}</td><td class="num">${esc(i.value)}</td><td>${i.class ? classBadge(i.class) : '—'}</td></tr>`).join('')}</tbody></table></div>`;
}

function monthsTable(rows) {
  return `<div class="table-wrap"><table class="units-table" id="section-months"><thead><tr><th>${t('water.month')}</th><th>${t('water.class')}</th><th>${t('water.compliance')}</th><th>${t('water.coverage')}</th></tr></thead>
    <tbody>${rows.map(({ month, e }) => {
    const r = e.result;
    const comp = r?.compliance ? `<span class="${r.compliance.met ? 'ok' : 'miss'}">${t(r.compliance.met ? 'water.met' : 'water.missed')}</span>` : '—';
    return `<tr data-month="${month}"><td>${month}</td><td>${r ? classBadge(r.class) : '—'}</td><td>${comp}</td><td>${esc(e.coverage?.text || t('water.no_data'))}</td></tr>`;
  }).join('')}</tbody></table></div>`;
}

export async function waterSectionPage(params, query) {
  const item = query.get('item') || 'CODMN';
  const period = query.get('period') || 'day';
  const to = query.get('to') || '';
  const from = query.get('from') || (period === 'hour' ? daysBefore(to || todayChina(), HOURS_SHOWN_DAYS) : '');
  const range = new URLSearchParams({ item, period });
  if (from) range.set('from', from);
  if (to) range.set('to', to);
  const whole = (p) => api(`/api/water/sections/${params.id}/trend?item=${encodeURIComponent(item)}&period=${p}`);
  const [trend, sections, days, monthsWithData] = await Promise.all([
    api(`/api/water/sections/${params.id}/trend?${range}`), api('/api/water/sections'), whole('day'), whole('month')]);
  const section = sections.find((s) => String(s.id) === String(params.id));
  const lastDay = days.points.length ? days.points[days.points.length - 1].start : '';
  // a period without values is a 404 (no_data): a row without a class
  // (months without the item's values are not asked for)
  const evaluation = (period) => api(`/api/water/sections/${params.id}/evaluation?period=${encodeURIComponent(period)}`)
    .catch((err) => { if (err.code === 'no_data') return { result: null }; throw err; });
  const months = lastDay ? monthsUpTo(lastDay.slice(0, 7)) : [];
  const measured = new Set(monthsWithData.points.map((p) => p.start));
  const [latest, ...monthly] = await Promise.all([lastDay ? evaluation(lastDay) : null,
    ...months.map((m) => (measured.has(m) ? evaluation(m) : { result: null }))]);
  const main = document.getElementById('main');
  main.innerHTML = `<p class="crumbs"><a href="/water" data-link>${t('water.tab.overview')}</a> › ${esc(trend.section_name)}</p>
    <div class="page-head"><h1>${esc(trend.section_name)}</h1><span class="meta">${t('water.target')} ${classText(trend.target)}</span></div>
    <div class="two-col section-top"><section>${section ? facts(section, sections) : ''}</section>
      <section><h2>${t('section.latest')}</h2>${latestTable(lastDay, latest?.result)}</section></div>
    <form class="filters" id="water-filters">
      <label>${t('water.item')} <select name="item">${TREND_ITEMS.map((c) => `<option value="${c}"${c === item ? ' selected' : ''}>${esc(itemName(c))}</option>`).join('')}</select></label>
      <label>${t('water.period')} <select name="period">${['hour', 'day', 'month'].map((p) => `<option value="${p}"${p === period ? ' selected' : ''}>${t(`water.period.${p}`)}</option>`).join('')}</select></label>
      <label>${t('section.from')} <input type="date" name="from" id="trend-from" value="${esc(from)}"></label>
      <label>${t('section.to')} <input type="date" name="to" id="trend-to" value="${esc(to)}"></label>
      ${legend()}</form>
    <h2>${esc(itemName(trend.item))} (${esc(trend.unit)})</h2>
    ${trend.points.length ? `<div id="water-chart" class="chart" role="img" aria-label="${esc(`${trend.section_name} · ${itemName(trend.item)}`)}"></div>` : `<p class="empty">${t('water.no_data')}</p>`}
    <p class="hint">${t('water.bands')} ${t('section.gaps')}${trend.direction === 'lower' ? ` ${t('water.do_higher')}` : ''}</p>
    <h2>${t('section.months')}</h2>${months.length ? monthsTable(months.map((month, k) => ({ month, e: monthly[k] }))) : `<p class="empty">${t('water.no_data')}</p>`}`;
  if (section) await showSectionStations(document.getElementById('section-stations'), params.id);
  const form = document.getElementById('water-filters');
  const go = (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    // an hourly trend's default start is not carried to another period
    const defaultFrom = !query.get('from') && e.target.name !== 'from';
    for (const [k, v] of new FormData(form)) if (v && !(k === 'from' && defaultFrom)) next.set(k, v);
    navigate(`/water/sections/${params.id}?${next}`);
  };
  form.addEventListener('change', go);
  form.addEventListener('submit', go);
  if (trend.points.length) await mountChart(document.getElementById('water-chart'), trendOption(trend, period));
}
