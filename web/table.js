// One table for every list: a keyword search, filters whose choices come
// from the rows, sortable columns (header buttons, aria-sort), the count
// (共 N 条), pages, an Excel link of what is filtered, and all of that in
// the URL's query (q, the filters' keys, sort, page) so that a filtered
// list can be sent as a link and a reload shows it again. At phone width
// the table scrolls inside its own box (.table-wrap). A printed list has
// all its filtered rows, not only the page's.
import { t } from './i18n.js';
import { esc } from './ui.js';

const PAGE_SIZE = 20;

// The values of filter F that ROW has (a filter's value may be a list: a task's units).
const filterValues = (f, row) => [].concat(f.value(row) ?? []).map(String);

// The rows of ROWS that STATE's search and filters keep, in its order.
function visibleRows(rows, spec, state) {
  const q = state.q.trim().toLowerCase();
  const kept = rows.filter((row) => (!q || spec.columns.some((c) => String(c.value(row) ?? '').toLowerCase().includes(q)))
    && spec.filters.every((f) => !state.filters[f.key] || filterValues(f, row).includes(state.filters[f.key])));
  const column = spec.columns.find((c) => c.key === state.sort.replace(/^-/, ''));
  if (!column) return kept;
  const sign = state.sort.startsWith('-') ? -1 : 1;
  const compare = (a, b) => {
    const x = column.value(a) ?? '', y = column.value(b) ?? '';
    return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN');
  };
  return kept.slice().sort((a, b) => sign * compare(a, b));
}

// The table's state as the location's query holds it.
function readState(spec) {
  const query = new URLSearchParams(location.search);
  const filters = {};
  for (const f of spec.filters) filters[f.key] = query.get(f.key) || '';
  return { q: query.get('q') || '', sort: query.get('sort') || '', page: Math.max(1, Number(query.get('page')) || 1), filters };
}

// STATE written into the location's query, keeping its other parameters.
function writeState(state) {
  const query = new URLSearchParams(location.search);
  const set = (k, v) => (v ? query.set(k, v) : query.delete(k));
  set('q', state.q);
  set('sort', state.sort);
  set('page', state.page > 1 ? String(state.page) : '');
  for (const [k, v] of Object.entries(state.filters)) set(k, v);
  const search = query.toString();
  history.replaceState(history.state, '', `${location.pathname}${search ? `?${search}` : ''}`);
}

function filterSelect(f, rows, chosen) {
  const values = [...new Set(rows.flatMap((r) => filterValues(f, r)).filter(Boolean))].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  return `<label>${esc(f.label)} <select data-filter="${esc(f.key)}"><option value="">${esc(t('table.all'))}</option>
    ${values.map((v) => `<option value="${esc(v)}" ${v === chosen ? 'selected' : ''}>${esc(f.text ? f.text(v) : v)}</option>`).join('')}</select></label>`;
}

// The order as a choice too: the headers are hidden where the rows become cards.
function sortSelect(columns) {
  const sortable = columns.filter((c) => c.sortable !== false);
  return `<label>${esc(t('table.sort'))} <select data-sort-select><option value="">—</option>
    ${sortable.map((c) => `<option value="${esc(c.key)}">${esc(c.label)} ↑</option><option value="-${esc(c.key)}">${esc(c.label)} ↓</option>`).join('')}</select></label>`;
}

function headerCell(c, sort) {
  const dir = sort === c.key ? 'ascending' : sort === `-${c.key}` ? 'descending' : 'none';
  const label = c.sortable === false ? esc(c.label)
    : `<button type="button" class="sort" data-sort="${esc(c.key)}">${esc(c.label)}<span aria-hidden="true">${dir === 'ascending' ? '▲' : dir === 'descending' ? '▼' : ''}</span></button>`;
  return `<th${c.num ? ' class="num"' : ''} aria-sort="${dir}">${label}</th>`;
}

// Show ROWS in HOST as SPEC says: {id, columns: [{key, label, value(row),
// html(row), num, cls (its cells' class), sortable}], filters: [{key, label, value(row) (one or a list), text(v)}],
// rowAttrs(row), exportHref(state) (optional), empty (text), bounded (a
// box of its own height)}. Returns {update(rows)}: new rows (a refresh), the
// same search, filters, order and page.
export function mountTable(host, rows, spec) {
  spec = { filters: [], rowAttrs: () => '', ...spec };
  const state = readState(spec);
  host.innerHTML = `<div class="filters table-tools" id="${esc(spec.id)}-tools">
      <label>${esc(t('table.search'))} <input type="search" data-q value="${esc(state.q)}"></label>
      ${spec.filters.map((f) => filterSelect(f, rows, state.filters[f.key])).join('')}
      ${sortSelect(spec.columns)}
      <output data-count></output>${spec.exportHref ? `<a class="button" data-export download>${esc(t('table.export'))}</a>` : ''}</div>
    <div class="table-wrap${spec.bounded ? ' bounded' : ''}"><table class="${esc(spec.className || '')}" id="${esc(spec.id)}"><thead><tr></tr></thead><tbody></tbody></table></div>
    <nav class="pager no-print" aria-label="${esc(t('table.pages'))}"><button type="button" data-page="-1">${esc(t('table.prev'))}</button>
      <span data-page-of></span><button type="button" data-page="1">${esc(t('table.next'))}</button></nav>`;
  const render = () => {
    const shown = visibleRows(rows, spec, state);
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages);
    const first = (state.page - 1) * PAGE_SIZE;
    const onPage = (i) => i >= first && i < first + PAGE_SIZE;
    host.querySelector('thead tr').innerHTML = spec.columns.map((c) => headerCell(c, state.sort)).join('');
    host.querySelector('tbody').innerHTML = shown.length   // the other pages' rows too, shown only in print
      ? shown.map((r, i) => `<tr ${spec.rowAttrs(r)}${onPage(i) ? '' : ' class="off-page"'}>${spec.columns.map((c) => `<td data-label="${esc(c.label)}" class="${c.num ? 'num' : ''} ${c.cls || ''}">${c.html ? c.html(r) : esc(c.value(r))}</td>`).join('')}</tr>`).join('')
      : `<tr><td colspan="${spec.columns.length}" class="empty">${esc(spec.empty || t('common.none'))}</td></tr>`;
    host.querySelector('[data-sort-select]').value = state.sort;
    host.querySelector('[data-count]').textContent = t('common.count', { n: shown.length });
    host.querySelector('[data-page-of]').textContent = t('table.page', { page: state.page, pages });
    host.querySelector('[data-page="-1"]').disabled = state.page <= 1;
    host.querySelector('[data-page="1"]').disabled = state.page >= pages;
    const link = host.querySelector('[data-export]');
    if (link) link.href = spec.exportHref(state);
    writeState(state);
  };
  host.querySelector('[data-q]').addEventListener('input', (e) => { state.q = e.target.value; state.page = 1; render(); });
  for (const select of host.querySelectorAll('[data-filter]'))
    select.addEventListener('change', () => { state.filters[select.dataset.filter] = select.value; state.page = 1; render(); });
  host.querySelector('[data-sort-select]').addEventListener('change', (e) => { state.sort = e.target.value; state.page = 1; render(); });
  host.querySelector('thead').addEventListener('click', (e) => {
    const key = e.target.closest('[data-sort]')?.dataset.sort;
    if (!key) return;
    state.sort = state.sort === key ? `-${key}` : key;
    state.page = 1;
    render();
    host.querySelector(`[data-sort="${key}"]`).focus();
  });
  for (const button of host.querySelectorAll('[data-page]'))
    button.addEventListener('click', () => { state.page += Number(button.dataset.page); render(); });
  render();
  return { update(next) { rows = next; render(); } };
}
