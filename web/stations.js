// The online-monitoring pages (HJ 212): the stations with their online
// state and last packet, the receiver's refused-packet counters, and one
// station with its latest values and a live chart of one pollutant.
// Live parts poll the API and stop by themselves once their element has
// left the page (the router replaces MAIN's content on navigation).
import { t } from './i18n.js';
import { api } from './api.js';
import { esc } from './ui.js';
import { mountTable } from './table.js';
import { mountChart, timeAxis, withGaps, usualStep } from './chart.js';
import { formatTime, formatLocal, chartTime } from './time.js';
import { mountStationsMap, servesLine } from './places.js';

const main = document.getElementById('main');

const LIST_REFRESH_MS = 10000;
const CHART_REFRESH_MS = 3000;
const CHART_POINTS = 300;

// Run FN every MS milliseconds while the element ID is on the page, then GONE.
function whileShown(id, ms, fn, gone = () => {}) {
  const timer = setInterval(async () => {
    if (!document.getElementById(id)) { clearInterval(timer); gone(); return; }
    try { await fn(); } catch { /* the next round tries again */ }
  }, ms);
}

// When the platform last heard the station (UTC in the API), in China
// time as the stations' DataTime beside it.
function lastPacket(at) {
  return at ? formatTime(at, { seconds: true }) : t('stations.never');
}

function stateDot(online) {
  return `<span class="light ${online ? 'light-green' : 'light-done'}">${t(online ? 'stations.online' : 'stations.offline')}</span>`;
}

// The station's system type by HJ 212 table 5 (地表水质量监测), its code ST as a detail.
function systemName(s) {
  return ` · ${s.st_name ? esc(s.st_name) : ''} <code class="sub">ST ${esc(s.st)}</code>`;
}

// The station list's columns and filters for the table component.
function stationTable() {
  return {
    id: 'station-table', className: 'units-table', empty: t('stations.none'),
    rowAttrs: (s) => `data-station="${s.id}" data-online="${s.online}"`,
    columns: [
      { key: 'online', label: t('stations.state'), value: (s) => t(s.online ? 'stations.online' : 'stations.offline'), html: (s) => stateDot(s.online) },
      { key: 'name', label: t('stations.name'), value: (s) => `${s.name} ${s.owner}`,
        html: (s) => `<a href="/stations/${s.id}" data-link>${esc(s.name)}</a><div class="sub">${esc(s.owner)}</div>` },
      { key: 'mn', label: t('stations.mn'), value: (s) => s.mn, html: (s) => `<code>${esc(s.mn)}</code>` },
      { key: 'kind', label: t('stations.kind'), value: (s) => t(`stations.kind.${s.kind}`), html: (s) => `${t(`stations.kind.${s.kind}`)}${systemName(s)}` },
      { key: 'last', label: t('stations.last_packet'), num: true, value: (s) => s.last_packet_at || '', html: (s) => esc(lastPacket(s.last_packet_at)) },
    ],
    filters: [{ key: 'kind', label: t('stations.kind'), value: (s) => s.kind, text: (k) => t(`stations.kind.${k}`) },
      { key: 'online', label: t('stations.state'), value: (s) => String(s.online), text: (v) => t(v === 'true' ? 'stations.online' : 'stations.offline') }],
  };
}

function refusedTable(r) {
  const rows = r.refused.filter((x) => x.count > 0).sort((a, b) => b.count - a.count);
  const body = rows.length
    ? `<div class="table-wrap"><table class="units-table" id="refused-table"><thead><tr><th>${t('stations.reason')}</th><th class="num">${t('stations.count')}</th></tr></thead>
      <tbody>${rows.map((x) => `<tr data-reason="${esc(x.reason)}"><td><code>${esc(x.reason)}</code><div class="sub">${esc(x.text)}</div></td><td class="num">${x.count}</td></tr>`).join('')}</tbody></table></div>`
    : `<p class="empty" id="refused-none">${t('stations.refused_none')}</p>`;
  return `<p class="sub" id="receiver-totals">${t('stations.totals', { accepted: r.accepted, committed: r.committed, connections: r.connections })}</p>${body}`;
}

function onlineCount(list) {
  return t('stations.summary', { online: list.stations.filter((s) => s.online).length, total: list.stations.length });
}

export async function stationsPage() {
  const [list, refused] = await Promise.all([api('/api/stations'), api('/api/hj212/refused')]);
  main.innerHTML = `<div class="page-head"><h1>${t('stations.title')}</h1><span class="sub" id="online-count">${onlineCount(list)}</span></div>
    <section id="stations-map"></section>
    <div id="stations"></div>
    <h2>${t('stations.refused')} <span class="count" id="refused-total">${refused.refused_total}</span></h2>
    <div id="refused">${refusedTable(refused)}</div>`;
  const table = mountTable(document.getElementById('stations'), list.stations, stationTable());
  const map = await mountStationsMap(document.getElementById('stations-map'), list);
  whileShown('stations', LIST_REFRESH_MS, async () => {
    const [l, r] = await Promise.all([api('/api/stations'), api('/api/hj212/refused')]);
    if (!document.getElementById('stations')) return;
    await map.refresh(l);
    table.update(l.stations);
    document.getElementById('online-count').textContent = onlineCount(l);
    document.getElementById('refused-total').textContent = r.refused_total;
    document.getElementById('refused').innerHTML = refusedTable(r);
  });
}

// ---- one station ------------------------------------------------------------

function valueOf(r) { return r.rtd ?? r.avg ?? r.max ?? r.min ?? r.cou; }

function flagLabel(flag) {
  if (!flag) return '';
  const key = `stations.flag.${flag}`;
  const text = t(key);
  // the flag by its name (N → 正常), its letter as a detail
  return `<span class="state ${flag === 'N' ? '' : 'state-returned'}">${text === key ? '' : esc(text)} <code class="sub">${esc(flag)}</code></span>`;
}

function latestTable(latest) {
  if (!latest.length) return `<p class="empty">${t('station.no_data')}</p>`;
  return `<div class="table-wrap"><table class="units-table" id="latest-table"><thead><tr><th>${t('station.factor')}</th><th>${t('station.indicator')}</th>
    <th class="num">${t('station.value')}</th><th>${t('station.flag')}</th><th class="num">${t('station.data_time')}</th></tr></thead>
    <tbody>${latest.map((r) => `<tr data-code="${esc(r.code)}"><td>${esc(r.name || r.code)} <code class="sub">${esc(r.code)}</code></td>
      <td>${esc(r.indicator || '—')}</td><td class="num">${esc(valueOf(r))} <span class="sub">${esc(r.unit || '')}</span></td>
      <td>${flagLabel(r.flag)}</td><td class="num">${esc(formatLocal(r.data_time, { seconds: true }))}</td></tr>`).join('')}</tbody></table></div>`;
}

// The code charted first: a mapped indicator if there is one.
function firstCode(s) {
  const mapped = s.latest.find((r) => r.indicator);
  return (mapped || s.latest[0] || {}).code || '';
}

function stationHead(s) {
  return `<div class="page-head"><h1>${esc(s.name)}</h1>${stateDot(s.online)}</div>
    <p class="meta">${t('stations.mn')} <code>${esc(s.mn)}</code> · ${t(`stations.kind.${s.kind}`)}${systemName(s)}${s.owner ? ` · ${esc(s.owner)}` : ''}
      · ${t('stations.last_packet')} <span id="last-packet">${esc(lastPacket(s.last_packet_at))}</span></p>
    ${servesLine(s)}`;
}

function chartOption(r) {
  const step = usualStep(r.points.map((p) => [chartTime(p.data_time)]));
  const name = `${r.name || r.code}${r.unit ? ` (${r.unit})` : ''}`;
  return {
    tooltip: { trigger: 'axis' }, grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    title: { text: name, textStyle: { fontSize: 13 } },
    useUTC: true,   // the points are China wall times written as UTC: shown as they are
    xAxis: timeAxis(), yAxis: { type: 'value', scale: true },
    series: [{ name, type: 'line', showSymbol: false, connectNulls: false, itemStyle: { color: '#0b6e6e' },
      data: withGaps(r.points.map((p) => [chartTime(p.data_time), valueOf(p), p.flag]), step).map(([time, value, flag]) => ({ value: [time, value],
        ...(flag && flag !== 'N' ? { symbol: 'circle', symbolSize: 7, itemStyle: { color: '#b35c00' } } : {}) })) }],
  };
}

async function drawChart(chart, id, code) {
  const r = await api(`/api/stations/${id}/readings?code=${encodeURIComponent(code)}&limit=${CHART_POINTS}`);
  const el = document.getElementById('station-chart');
  if (!el) return;
  chart.set(chartOption(r));
  el.dataset.points = r.points.length;
  el.dataset.last = r.points.length ? r.points[r.points.length - 1].data_time : '';
}

export async function stationPage(params, query) {
  const id = params.id;
  const s = await api(`/api/stations/${id}`);
  let code = query.get('code') || firstCode(s);
  const options = s.latest.map((r) => `<option value="${esc(r.code)}" ${r.code === code ? 'selected' : ''}>${esc(r.name || r.code)} ${esc(r.code)}</option>`).join('');
  main.innerHTML = `<p><a href="/stations" data-link>← ${t('stations.title')}</a></p><div id="station-head">${stationHead(s)}</div>
    <h2>${t('station.latest')}</h2><div id="latest">${latestTable(s.latest)}</div>
    <div class="page-head"><h2>${t('station.chart')}</h2><span class="sub">${t('station.live', { s: CHART_REFRESH_MS / 1000 })}</span>
      ${options ? `<select id="chart-code" aria-label="${esc(t('station.factor'))}">${options}</select>` : ''}</div>
    <div id="station-chart" class="chart chart-small" data-points="0"></div>`;
  const chart = await mountChart(document.getElementById('station-chart'), {});
  if (code) await drawChart(chart, id, code);
  document.getElementById('chart-code')?.addEventListener('change', async (e) => {
    code = e.target.value;
    history.replaceState(null, '', `/stations/${id}?code=${encodeURIComponent(code)}`);
    await drawChart(chart, id, code);
  });
  whileShown('station-chart', CHART_REFRESH_MS, async () => {
    const now = await api(`/api/stations/${id}`);
    if (!document.getElementById('station-chart')) return;
    document.getElementById('station-head').innerHTML = stationHead(now);
    document.getElementById('latest').innerHTML = latestTable(now.latest);
    code = code || firstCode(now);
    if (code) await drawChart(chart, id, code);
  }, () => chart.dispose());
}
