// The plan pages: overview with filters, a measure, units, a unit, the
// responsibility matrix, search. Each page renders into MAIN and calls
// NAVIGATE for in-page links that change the URL.
import { mountTable } from './table.js';
import { t, lang } from './i18n.js';
import { api, currentSession } from './api.js';
import { esc, cnOrdinal } from './ui.js';
import { mountChart } from './chart.js';
import { measureTasks, unitTasks } from './plantasks.js';

let main;
let navigate;

export function initPlanPages(mainElement, navigateFn) {
  main = mainElement;
  navigate = navigateFn;
}

function kindLabel(kind) { return t(`unit.kind.${kind}`); }

// ---- pieces shared by pages ----------------------------------------------

// Unit chips of one role. Units expanded from a collective (各县市区人民政府)
// are shown as one chip naming the collective, its members in the tooltip.
export function unitChips(units, role) {
  const mine = units.filter((u) => u.role === role);
  const seen = new Set();
  const chips = [];
  for (const u of mine) {
    if (u.via) {
      if (seen.has(u.via)) continue;
      seen.add(u.via);
      const members = mine.filter((m) => m.via === u.via);
      chips.push(`<span class="chip chip-${role} chip-collective" title="${esc(members.map((m) => m.name).join('、'))}">${esc(u.via)}<span class="count">${members.length}</span></span>`);
    } else {
      const now = u.current_name && u.current_name !== u.name ? t('unit.now', { name: u.current_name }) : '';
      chips.push(`<a class="chip chip-${role}" href="/units/${u.id}" data-link data-unit="${u.id}">${esc(u.name + now)}</a>`);
    }
  }
  if (!chips.length) return '';
  return `<div class="chips"><span class="role role-${role}">${t(`role.${role}`)}</span>${chips.join('')}</div>`;
}

// The measure's text with its target phrases highlighted and its unit list muted.
function measureText(m) {
  let html = esc(m.body);
  for (const target of m.targets) {
    const phrase = esc(target.phrase);
    html = html.replace(phrase, `<mark class="target target-${target.kind}" title="${esc(t(`target.${target.kind}`))}">${phrase}</mark>`);
  }
  return html.replace(/([（(](?:牵头单位|责任单位)[\s\S]*)$/, '<span class="units-text">$1</span>');
}

function targetList(m) {
  if (!m.targets.length) return '';
  const items = m.targets.map((target) =>
    `<li><span class="tag tag-${target.kind}">${t(`target.${target.kind}`)}</span><mark class="target target-${target.kind}">${esc(target.phrase)}</mark> <span class="sentence">${esc(target.sentence)}</span></li>`);
  return `<details class="targets"><summary>${t('measure.targets')} (${m.targets.length})</summary><ul>${items.join('')}</ul></details>`;
}

export function measureCard(m, { showChapter = false } = {}) {
  return `<article class="measure" id="m${m.ordinal}" data-measure="${m.ordinal}">
    <header><a class="ordinal" href="/measures/${m.id}" data-link>(${cnOrdinal(m.ordinal)})</a>
      <h3><a href="/measures/${m.id}" data-link>${esc(m.title)}</a></h3>
      ${showChapter ? `<span class="chapter-tag">${cnOrdinal(m.chapter)}、${esc(m.chapter_title)}</span>` : ''}
      ${m.targets.length ? `<span class="badge" title="${esc(t('measure.targets'))}">◎ ${m.targets.length}</span>` : ''}
    </header>
    ${unitChips(m.units, 'lead')}${unitChips(m.units, 'support')}
    <details class="body"><summary>${t('measure.full')}</summary><p>${measureText(m)}</p></details>
    ${targetList(m)}
  </article>`;
}

// ---- pages ---------------------------------------------------------------

let unitsCache = null;
async function allUnits() {
  unitsCache = unitsCache || await api('/api/units');
  return unitsCache;
}

export async function planPage(params, query) {
  let planId = params.id;
  if (!planId) {
    const plans = await api('/api/plans');
    if (!plans.length) { main.innerHTML = `<p class="empty">${t('plan.none')}</p>`; return; }
    planId = plans[0].id;
  }
  const [plan, units] = await Promise.all([api(`/api/plans/${planId}`), allUnits()]);
  const unit = query.get('unit') || '';
  const role = query.get('role') || '';
  const chapter = query.get('chapter') || '';
  let measures = plan.measures;
  if (unit || chapter) {
    const q = new URLSearchParams({ plan: planId });
    if (unit) q.set('unit', unit);
    if (unit && role) q.set('role', role);
    if (chapter) q.set('chapter', chapter);
    measures = await api(`/api/measures?${q}`);
  }
  const unitOptions = units.filter((u) => u.leads + u.supports > 0).map((u) =>
    `<option value="${u.id}" ${String(u.id) === unit ? 'selected' : ''}>${esc(u.name)}</option>`).join('');
  const chapterNav = plan.chapters.map((c) =>
    `<li><a href="?chapter=${c.ordinal}" data-link data-chapter="${c.ordinal}" class="${String(c.ordinal) === chapter ? 'active' : ''}">${cnOrdinal(c.ordinal)}、${esc(c.title)} <span class="count">${c.measures}</span></a></li>`).join('');
  const byChapter = plan.chapters.map((c) => {
    const list = measures.filter((m) => m.chapter === c.ordinal);
    if (!list.length) return '';
    return `<section class="chapter" id="c${c.ordinal}"><h2>${cnOrdinal(c.ordinal)}、${esc(c.title)}</h2>${list.map((m) => measureCard(m)).join('')}</section>`;
  }).join('');
  main.innerHTML = `
    <section class="plan-head">
      <p class="doc-number">${esc(plan.doc_number)}</p>
      <h1>${esc(plan.title)}</h1>
      <p class="meta">${t('plan.issued')} ${esc(plan.issued_on || '')} · ${esc(plan.issuer || '')} · ${plan.chapters.length} ${t('plan.chapters')} · ${plan.measures.length} ${t('plan.measures')}</p>
    </section>
    <div class="layout">
      <aside class="sidebar"><nav aria-label="${esc(t('plan.chapter'))}"><ul class="chapters">
        <li><a href="?" data-link class="${chapter ? '' : 'active'}">${t('plan.all_chapters')}</a></li>${chapterNav}</ul></nav></aside>
      <div class="content">
        <form class="filters" id="filters">
          <label>${t('filter.unit')} <select name="unit" id="filter-unit"><option value="">${t('filter.any_unit')}</option>${unitOptions}</select></label>
          <label>${t('filter.role')} <select name="role" id="filter-role" ${unit ? '' : 'disabled'}>
            <option value="">${t('filter.any_role')}</option>
            <option value="lead" ${role === 'lead' ? 'selected' : ''}>${t('role.lead')}</option>
            <option value="support" ${role === 'support' ? 'selected' : ''}>${t('role.support')}</option></select></label>
          ${unit || chapter ? `<a href="?" data-link class="clear">${t('filter.clear')}</a>` : ''}
          <output id="shown">${t('filter.shown', { n: measures.length })}</output>
        </form>
        ${byChapter || `<p class="empty">${t('common.none')}</p>`}
      </div>
    </div>`;
  const form = document.getElementById('filters');
  form.addEventListener('change', () => {
    const next = new URLSearchParams();
    const data = new FormData(form);
    if (chapter) next.set('chapter', chapter);
    if (data.get('unit')) next.set('unit', data.get('unit'));
    if (data.get('unit') && data.get('role')) next.set('role', data.get('role'));
    navigate(`${location.pathname}?${next}`);
  });
}

export async function measurePage(params) {
  const m = await api(`/api/measures/${params.id}`);
  main.innerHTML = `<article class="measure measure-full">
    <p class="crumbs"><a href="/plans/${m.plan_id}" data-link>${esc(m.doc_number)}</a> › <a href="/plans/${m.plan_id}?chapter=${m.chapter}" data-link>${cnOrdinal(m.chapter)}、${esc(m.chapter_title)}</a></p>
    <h1>(${cnOrdinal(m.ordinal)}) ${esc(m.title)}</h1>
    ${unitChips(m.units, 'lead')}${unitChips(m.units, 'support')}
    <p class="body-text">${measureText(m)}</p>
    <p class="meta">${t('measure.line', { n: m.source_line })}</p>
    ${currentSession().level === 'admin' ? `<p><a class="button primary" href="/tasks/new?measure=${m.id}" data-link id="decompose">${t('task.new')}</a></p>` : ''}
    ${m.targets.length ? `<h2>${t('measure.targets')}</h2><ul class="target-list">${m.targets.map((x) =>
      `<li><span class="tag tag-${x.kind}">${t(`target.${x.kind}`)}</span><mark class="target target-${x.kind}">${esc(x.phrase)}</mark><p class="sentence">${esc(x.sentence)}</p></li>`).join('')}</ul>` : ''}
    <div id="measure-tasks">${await measureTasks(m)}</div>
  </article>`;
}

export async function unitsPage() {
  const units = await allUnits();
  main.innerHTML = `<h1>${t('units.title')}</h1><div id="units-list"></div>`;
  mountTable(document.getElementById('units-list'), units, {
    id: 'units', className: 'units-table',
    columns: [
      { key: 'name', label: t('units.name'), value: (u) => [u.name, ...u.former_names, u.name_en || ''].join(' '),
        html: (u) => `<a href="/units/${u.id}" data-link>${esc(u.name)}</a>${u.former_names.length ? `<div class="former">${t('unit.former')}: ${u.former_names.map(esc).join('、')}</div>` : ''}${lang() === 'en' && u.name_en ? `<div class="en">${esc(u.name_en)}</div>` : ''}` },
      { key: 'kind', label: t('units.kind'), value: (u) => kindLabel(u.kind), html: (u) => `<span class="kind kind-${u.kind}">${kindLabel(u.kind)}</span>` },
      { key: 'leads', label: t('units.leads'), num: true, value: (u) => u.leads },
      { key: 'supports', label: t('units.supports'), num: true, value: (u) => u.supports },
    ],
    filters: [{ key: 'kind', label: t('units.kind'), value: (u) => u.kind, text: kindLabel }],
  });
}

export async function unitPage(params) {
  const u = await api(`/api/units/${params.id}`);
  const list = (measures) => measures.length ? measures.map((m) => measureCard(m, { showChapter: true })).join('') : `<p class="empty">${t('common.none')}</p>`;
  main.innerHTML = `<section class="unit-head"><h1>${esc(u.name)}</h1>
    ${u.name_en ? `<p class="en">${esc(u.name_en)}</p>` : ''}
    <p class="meta"><span class="kind kind-${u.kind}">${kindLabel(u.kind)}</span>
      · ${t('units.leads')} <strong id="lead-count">${u.leads}</strong> · ${t('units.supports')} <strong id="support-count">${u.supports}</strong>
      ${u.aliases.length ? ` · ${t('unit.aliases')}: ${u.aliases.map(esc).join('、')}` : ''}
      ${u.former_names.length ? ` · <span id="unit-former">${t('unit.former')}: ${u.names.filter((n) => n.valid_to).map((n) => `${esc(n.name)}${t('unit.until', { date: n.valid_to })}`).join('、')}</span>` : ''}
      ${u.successors.length ? ` · <span id="unit-successors">${t('unit.ended', { date: u.dissolved_on })}${u.successors.map((s) => `<a href="/units/${s.id}" data-link>${esc(s.name)}</a>`).join('、')}</span>` : ''}</p></section>
    <div id="unit-tasks">${await unitTasks(u)}</div>
    <h2>${t('unit.leads')}</h2><div id="unit-leads">${list(u.lead)}</div>
    <h2>${t('unit.supports')}</h2><div id="unit-supports">${list(u.support)}</div>`;
}

export async function matrixPage(params, query) {
  const plans = await api('/api/plans');
  if (!plans.length) { main.innerHTML = `<p class="empty">${t('plan.none')}</p>`; return; }
  const matrix = await api(`/api/plans/${plans[0].id}/matrix`);
  const kind = query.get('kind') || '';
  const kinds = [...new Set(matrix.cells.map((c) => c.kind))];
  const cells = matrix.cells.filter((c) => !kind || c.kind === kind);
  const unitTotals = new Map();
  for (const c of cells) unitTotals.set(c.unit, (unitTotals.get(c.unit) || 0) + c.lead * 2 + c.support);
  const unitsSorted = [...unitTotals.keys()].sort((a, b) => unitTotals.get(a) - unitTotals.get(b));
  const unitIds = new Map(cells.map((c) => [c.unit, c.unit_id]));
  const data = cells.map((c) => [c.chapter - 1, unitsSorted.indexOf(c.unit), c.lead + c.support, c.lead, c.support]);
  main.innerHTML = `<h1>${t('matrix.title')}</h1><p class="hint">${t('matrix.hint')}</p>
    <form class="filters"><label>${t('matrix.kind')} <select id="matrix-kind"><option value="">${t('matrix.all')}</option>
    ${kinds.map((k) => `<option value="${k}" ${k === kind ? 'selected' : ''}>${kindLabel(k)}</option>`).join('')}</select></label></form>
    <div id="matrix-chart" class="chart" role="img" aria-label="${esc(t('matrix.title'))}"></div>`;
  document.getElementById('matrix-kind').addEventListener('change', (e) => navigate(`/matrix${e.target.value ? `?kind=${e.target.value}` : ''}`));
  const el = document.getElementById('matrix-chart');
  el.style.height = `${Math.max(420, unitsSorted.length * 22 + 150)}px`;
  const chapterLabels = matrix.chapters.map((c) => `${cnOrdinal(c.ordinal)}、${c.title}`);
  const { chart } = await mountChart(el, {
    tooltip: { formatter: (p) => `${esc(unitsSorted[p.value[1]])}<br>${esc(chapterLabels[p.value[0]])}<br>${t('role.lead')} ${p.value[3]} · ${t('role.support')} ${p.value[4]}` },
    grid: { left: 8, right: 8, top: 90, bottom: 40, containLabel: true },
    xAxis: { type: 'category', data: chapterLabels.map((l) => l.length > 8 ? `${l.slice(0, 8)}…` : l), position: 'top', axisLabel: { rotate: 40, interval: 0 }, splitArea: { show: true } },
    yAxis: { type: 'category', data: unitsSorted.map((u) => u.length > 14 ? `${u.slice(0, 14)}…` : u), axisLabel: { interval: 0 }, splitArea: { show: true } },
    visualMap: { min: 0, max: Math.max(1, ...data.map((d) => d[2])), calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#e8f6f3', '#74c2b5', '#0b6e6e', '#073f3f'] } },
    series: [{ type: 'heatmap', data, label: { show: true, formatter: (p) => p.value[2] }, emphasis: { itemStyle: { borderColor: '#333', borderWidth: 1 } } }],
  });
  chart.on('click', (p) => navigate(`/?chapter=${p.value[0] + 1}&unit=${unitIds.get(unitsSorted[p.value[1]])}`));
}

export async function searchPage(params, query) {
  const q = query.get('q') || '';
  main.innerHTML = `<h1>${t('search.title')}</h1>
    <form id="search-form" class="search-form" role="search"><input type="search" name="q" id="search-q" class="search-box" value="${esc(q)}" placeholder="${esc(t('search.placeholder'))}" aria-label="${esc(t('search.title'))}"></form>
    <div id="results"></div>`;
  document.getElementById('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    navigate(`/search?q=${encodeURIComponent(document.getElementById('search-q').value.trim())}`);
  });
  if (!q) return;
  const results = await api(`/api/measures?q=${encodeURIComponent(q)}`);
  document.getElementById('results').innerHTML = `<p class="meta" id="result-count">${t('search.results', { n: results.length })}</p>` +
    results.map((m) => measureCard(m, { showChapter: true })).join('');
  for (const p of document.querySelectorAll('#results .body p')) p.innerHTML = p.innerHTML.split(esc(q)).join(`<mark class="hit">${esc(q)}</mark>`);
  for (const d of document.querySelectorAll('#results details.body')) d.open = true;
}

