// The water-quality pages over /api/water/*: overview coloured by class,
// a section's trend against its class bands (ECharts), the monthly county
// table, the annual assessment with its computation, and the alarms.
// Hash routes (#/, #/section/ID, #/monthly, #/assessment, #/alarms) keep
// this page independent of the plan pages' router.

const main = document.getElementById('main');
const escapeMap = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => escapeMap[c]);
const LABELS = ['—', 'Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ', 'Ⅴ', '劣Ⅴ'];
const COLOURS = ['#eee', '#CCFFFF', '#00CCFF', '#00FF00', '#FFFF00', '#FF9B00', '#FF0000'];
const RULES = [['shiyan-2016', '十堰 2016'], ['shiyan-2021', '十堰 2021'], ['hubei', '湖北省'], ['example-tiered', '阶梯罚款示例']];

async function api(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json' } });
  const body = await r.json();
  if (!r.ok) throw new Error(`${body.error}: ${body.detail}`);
  return body;
}

// POST with the session's CSRF token (writes need an administrator).
async function post(path, body) {
  const session = await api('/api/session').catch(() => ({}));
  const headers = { 'Content-Type': 'application/json' };
  if (session.csrf) headers['X-CSRF-Token'] = session.csrf;
  const r = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body || {}) });
  const j = await r.json();
  if (!r.ok) throw new Error(`${j.error}: ${j.detail}`);
  return j;
}

function query() {
  const q = location.hash.split('?')[1] || '';
  return Object.fromEntries(new URLSearchParams(q));
}

const classBadge = (c) => `<span class="badge-class cls-${c || 0}">${LABELS[c || 0]}</span>`;
const demoTag = (s) => (s.target_demo ? ' <span class="demo" title="演示目标，非官方">示例</span>' : '');
const legend = () => `<p class="legend">${LABELS.slice(1).map((l, i) => `<span class="cls-${i + 1}">${l}</span>`).join('')}</p>`;

function ruleSelect(current) {
  return `<select name="rule">${RULES.map(([id, name]) => `<option value="${id}"${id === current ? ' selected' : ''}>${name}</option>`).join('')}</select>`;
}

// ---- pages ----------------------------------------------------------------

async function overview() {
  const q = query();
  const data = await api(`/api/water/overview${q.month ? `?month=${encodeURIComponent(q.month)}` : ''}`);
  const cards = data.sections.map((s) => {
    const r = s.month_result || { class: 0 };
    const comp = r.compliance;
    const status = comp ? (comp.met ? '<span class="ok">达标</span>'
      : `<span class="miss">未达标：${comp.misses.map((m) => esc(m.name)).join('、')}</span>`) : '';
    return `<article class="section-card">
      <header class="cls-${r.class}"><a href="#/section/${s.id}">${esc(s.name)}</a>${classBadge(r.class)}</header>
      <div class="body">${esc(s.river)} · ${esc(s.county || s.city)}<br>
        目标 ${LABELS[s.target_class || 0]}类${demoTag(s)} · ${esc(r.rating || '无数据')} ${status}
        ${r.main_pollutants ? `<br>主要污染物：${esc(r.main_pollutants)}` : ''}
        ${r.tn_class ? `<br>总氮（单独评价）：${LABELS[r.tn_class]}类` : ''}</div></article>`;
  });
  main.innerHTML = `<h2>水质概况 · ${esc(data.month)}</h2>
    <form class="filters" id="f"><label>月份 <input name="month" type="month" value="${esc(data.month)}"></label>
    <button>查看</button> <a href="/api/water/export/overview.xlsx?month=${esc(data.month)}">导出 Excel</a></form>
    <p class="meta">全部 ${data.overall.rated} 个断面（类别比例法）：Ⅰ–Ⅲ类 ${(data.overall.share_1_3 * 100).toFixed(1)}%，劣Ⅴ类 ${(data.overall.share_worse_than_5 * 100).toFixed(1)}%，${esc(data.overall.rating || '—')}</p>
    ${legend()}<div class="sections">${cards.join('')}</div>`;
  document.getElementById('f').onsubmit = (e) => { e.preventDefault(); location.hash = `#/?month=${e.target.month.value}`; };
}

function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/vendor/echarts.min.js';
    script.onload = () => resolve(window.echarts);
    script.onerror = () => reject(new Error('ECharts did not load'));
    document.head.appendChild(script);
  });
}

// Horizontal bands for the class limits: upper items go up from Ⅰ, DO down.
function bandAreas(trend) {
  const b = trend.bands;
  if (trend.direction === 'range') return [[{ yAxis: b[0], itemStyle: { color: COLOURS[1], opacity: 0.3 } }, { yAxis: b[1] }]];
  const edges = trend.direction === 'lower' ? [Infinity, ...b] : [0, ...b];
  return b.map((_, k) => [{ yAxis: trend.direction === 'lower' ? b[k] : edges[k], itemStyle: { color: COLOURS[k + 1], opacity: 0.25 } },
    { yAxis: trend.direction === 'lower' ? (k ? b[k - 1] : b[0] * 1.5) : b[k] }]);
}

async function sectionPage(id) {
  const q = query();
  const item = q.item || 'CODMN';
  const period = q.period || 'day';
  const [trend, echarts] = await Promise.all([
    api(`/api/water/sections/${id}/trend?item=${encodeURIComponent(item)}&period=${period}`), loadECharts()]);
  const items = ['PH', 'DO', 'CODMN', 'NH3N', 'TP', 'TN', 'WT'];
  main.innerHTML = `<h2>${esc(trend.section_name)} · ${esc(trend.name)}（${esc(trend.unit)}）</h2>
    <form class="filters" id="f"><label>指标 <select name="item">${items.map((c) => `<option${c === item ? ' selected' : ''}>${c}</option>`).join('')}</select></label>
    <label>周期 <select name="period">${['hour', 'day', 'month'].map((p) => `<option value="${p}"${p === period ? ' selected' : ''}>${{ hour: '小时', day: '日', month: '月' }[p]}</option>`).join('')}</select></label>
    <button>查看</button></form>${legend()}<div id="chart"></div>
    <p class="meta">目标 ${LABELS[trend.target] || '—'}类；色带为 GB 3838-2002 各类限值${trend.direction === 'lower' ? '（溶解氧越高越好）' : ''}。</p>`;
  document.getElementById('f').onsubmit = (e) => {
    e.preventDefault();
    location.hash = `#/section/${id}?item=${e.target.item.value}&period=${e.target.period.value}`;
  };
  const chart = echarts.init(document.getElementById('chart'));
  chart.setOption({
    animation: false,
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: trend.points.map((p) => p.start) },
    yAxis: { type: 'value', scale: true },
    dataZoom: [{ type: 'inside' }, { type: 'slider' }],
    series: [{ name: trend.name, type: 'line', showSymbol: false, data: trend.points.map((p) => p.mean),
      markArea: { silent: true, data: bandAreas(trend) } }],
  });
}

async function monthly() {
  const q = query();
  const now = new Date();
  const month = q.month || `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
  const rule = q.rule || 'shiyan-2016';
  const data = await api(`/api/water/monthly?month=${month}&rule=${rule}`);
  const rows = data.rows.map((r) => `<tr><td>${esc(r.county)}</td><td><a href="#/section/${r.section_id}">${esc(r.section)}</a></td>
    <td class="cls-${r.class}">${r.label}</td><td>${LABELS[r.target]}</td><td class="${r.pass ? 'ok' : 'miss'}">${r.pass ? '合格' : '不合格'}</td><td>${esc(r.line)}</td></tr>`);
  main.innerHTML = `<h2>月度跨界断面考核 · ${esc(month)}</h2>
    <form class="filters" id="f"><label>月份 <input name="month" type="month" value="${esc(month)}"></label><label>办法 ${ruleSelect(rule)}</label>
    <button>查看</button> <a href="/api/water/export/monthly.xlsx?month=${esc(month)}&rule=${esc(rule)}">导出 Excel</a></form>
    <table class="water"><tr><th>区县</th><th>断面</th><th>类别</th><th>目标</th><th>结果</th><th>计算过程</th></tr>${rows.join('') || '<tr><td colspan="6">本月无数据</td></tr>'}</table>`;
  document.getElementById('f').onsubmit = (e) => { e.preventDefault(); location.hash = `#/monthly?month=${e.target.month.value}&rule=${e.target.rule.value}`; };
}

async function assessment() {
  const q = query();
  const year = q.year || String(new Date().getFullYear() - 1);
  const rule = q.rule || 'shiyan-2016';
  const data = await api(`/api/water/assessment?year=${year}&rule=${rule}`);
  const rows = data.counties.map((c) => `<tr><td>${esc(c.county)}</td><td>${c.passed} / ${c.months}</td><td>${(c.rate * 100).toFixed(1)}%</td>
    <td>${c.points !== undefined ? c.points.toFixed(2) : ''}</td><td>${esc(c.grade)} ${c.freeze ? '<span class="freeze">区域限批</span>' : ''}</td>
    <td>${c.deposit ? `${c.deposit.amount} ${esc(data.unit)} ${c.deposit.action === 'forfeit' ? '扣缴' : '返还'}` : ''}${c.penalty !== undefined ? ` 罚款 ${c.penalty.toFixed(2)}` : ''}</td>
    <td><details><summary>${c.lines.length} 行</summary><ol class="lines">${c.lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ol></details></td></tr>`);
  main.innerHTML = `<h2>年度考核 · ${esc(year)} · ${esc(data.rule_name)}</h2>
    <form class="filters" id="f"><label>年份 <input name="year" type="number" min="2000" max="2100" value="${esc(year)}"></label><label>办法 ${ruleSelect(rule)}</label>
    <button>查看</button> <a href="/api/water/export/assessment.xlsx?year=${esc(year)}&rule=${esc(rule)}">导出 Excel</a></form>
    <table class="water"><tr><th>区县</th><th>合格月数</th><th>达标率</th><th>得分</th><th>等级</th><th>资金</th><th>计算过程</th></tr>${rows.join('')}</table>`;
  document.getElementById('f').onsubmit = (e) => { e.preventDefault(); location.hash = `#/assessment?year=${e.target.year.value}&rule=${e.target.rule.value}`; };
}

async function alarms() {
  const q = query();
  const state = q.state || 'open';
  const list = await api(`/api/water/alarms?state=${state}`);
  const rows = list.map((a) => `<tr><td>${a.id}</td><td><a href="#/section/${a.section_id}?item=${a.item}&period=hour">${esc(a.section)}</a></td>
    <td>${esc(a.item)}</td><td>${esc(a.at)}</td><td>${a.value}</td><td class="cls-${a.class}">${LABELS[a.class]}</td><td>${LABELS[a.target_class]}</td>
    <td>${esc(a.state)}${a.acknowledged_by ? `<br>确认：${esc(a.acknowledged_by)} ${esc(a.acknowledged_at)}` : ''}${a.closed_by ? `<br>关闭：${esc(a.closed_by)} ${esc(a.closed_at)}` : ''}</td>
    <td>${a.state === 'open' ? `<button data-act="acknowledge" data-id="${a.id}">确认</button>` : ''}${a.state !== 'closed' ? `<button data-act="close" data-id="${a.id}">关闭</button>` : ''}</td></tr>`);
  main.innerHTML = `<h2>告警</h2><form class="filters" id="f"><label>状态 <select name="state">${['open', 'acknowledged', 'closed'].map((s) => `<option${s === state ? ' selected' : ''}>${s}</option>`).join('')}</select></label>
    <button>查看</button> <a href="/api/water/export/alarms.xlsx">导出 Excel</a> <span id="msg" class="miss"></span></form>
    <table class="water"><tr><th>编号</th><th>断面</th><th>指标</th><th>时间</th><th>值</th><th>类别</th><th>目标</th><th>状态</th><th></th></tr>${rows.join('') || '<tr><td colspan="9">无</td></tr>'}</table>`;
  document.getElementById('f').onsubmit = (e) => { e.preventDefault(); location.hash = `#/alarms?state=${e.target.state.value}`; };
  for (const b of main.querySelectorAll('button[data-act]')) {
    b.onclick = () => post(`/api/water/alarms/${b.dataset.id}/${b.dataset.act}`).then(render)
      .catch((err) => { document.getElementById('msg').textContent = `${err.message}（需要管理员登录）`; });
  }
}

// ---- router ---------------------------------------------------------------

const routes = [
  [/^#?\/?$/, overview, 'overview'],
  [/^#\/section\/(\d+)$/, (m) => sectionPage(m[1]), 'overview'],
  [/^#\/monthly$/, monthly, 'monthly'],
  [/^#\/assessment$/, assessment, 'assessment'],
  [/^#\/alarms$/, alarms, 'alarms'],
];

async function render() {
  const path = location.hash.split('?')[0];
  const route = routes.find(([re]) => re.test(path)) || routes[0];
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === route[2]);
  try {
    await route[1](path.match(route[0]));
  } catch (err) {
    main.innerHTML = `<p class="miss">${esc(err.message)}</p>`;
  }
}

window.addEventListener('hashchange', render);
render();
