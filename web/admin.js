// Administration pages for the leading-group office: accounts (create,
// disable, enable, reset a password, unlock) and the audit log of every
// change; and the page where anyone signed in changes their own password.
import { t } from './i18n.js';
import { api, send } from './api.js';
import { esc, reportSuccess, reportFailure } from './ui.js';
import { formatTime } from './time.js';

let main, navigate;

export function initAdminPages(mainElement, navigateTo) {
  main = mainElement;
  navigate = navigateTo;
}

export async function accountsPage(params, query) {
  const [accounts, units] = await Promise.all([api('/api/accounts'), api('/api/units')]);
  main.innerHTML = `<h1>${t('admin.accounts')}</h1>
    <div class="table-wrap"><table class="units-table" id="accounts"><thead><tr><th>${t('login.login')}</th><th>${t('admin.name')}</th>
      <th>${t('admin.role')}</th><th>${t('units.name')}</th><th>${t('admin.failed_logins')}</th><th></th></tr></thead>
    <tbody>${accounts.map((a) => `<tr class="${a.disabled ? 'not-assessed' : ''}"><td class="code">${esc(a.login)}</td><td>${esc(a.display_name)}</td>
      <td>${t(`admin.role.${a.role}`)}</td><td>${esc(a.unit_name || '')}</td><td>${a.failed_logins}</td>
      <td>${a.login === 'admin' ? '' : `<button type="button" class="small" data-login="${esc(a.login)}" data-disabled="${a.disabled}">${a.disabled ? t('admin.enable') : t('admin.disable')}</button>`}
      ${a.failed_logins ? `<button type="button" class="small" data-unlock="${esc(a.login)}">${t('admin.unlock')}</button>` : ''}</td></tr>`).join('')}</tbody></table></div>
    <form class="form card" id="reset-form"><h3>${t('admin.reset_password')}</h3>
      <label>${t('login.login')} <select name="login" required><option value="">${t('admin.choose_account')}</option>${accounts.map((a) => `<option value="${esc(a.login)}">${esc(a.login)} · ${esc(a.display_name)}</option>`).join('')}</select></label>
      <label>${t('admin.new_password')} <input name="password" type="password" minlength="8" required autocomplete="new-password"></label>
      <button type="submit" class="primary">${t('admin.reset_password')}</button></form>
    <form class="form card" id="account-form"><h3>${t('admin.new_account')}</h3>
      <label>${t('login.login')} <input name="login" required pattern="[^\\s:/]{1,64}"></label>
      <label>${t('admin.name')} <input name="display_name"></label>
      <label>${t('admin.role')} <select name="role" id="account-role">${['unit', 'leader', 'admin'].map((r) => `<option value="${r}">${t(`admin.role.${r}`)}</option>`).join('')}</select></label>
      <label>${t('units.name')} <select name="unit" id="account-unit">${units.map((u) => `<option value="${u.id}">${esc(u.name)}</option>`).join('')}</select></label>
      <label>${t('login.password')} <input name="password" type="password" minlength="8" required autocomplete="new-password"></label>
      <button type="submit" class="primary">${t('admin.create')}</button></form>`;
  const role = document.getElementById('account-role');
  role.addEventListener('change', () => { document.getElementById('account-unit').disabled = role.value !== 'unit'; });
  document.getElementById('account-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(e.target);
    const body = { login: data.get('login'), role: data.get('role'), password: data.get('password') };
    if (data.get('display_name')) body.display_name = data.get('display_name');
    if (body.role === 'unit') body.unit = data.get('unit');
    try {
      await send('POST', '/api/accounts', body);
      await accountsPage(params, query);
      reportSuccess(t('done.account'));
    } catch (err) {
      reportFailure(err, e.target);
    }
  });
  document.getElementById('reset-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(e.target);
    const login = data.get('login');
    try {
      await send('POST', `/api/accounts/${encodeURIComponent(login)}/password`, { password: data.get('password') });
      await accountsPage(params, query);
      reportSuccess(t('admin.reset_done', { login }));
    } catch (err) {
      reportFailure(err, e.target);
    }
  });
  for (const b of main.querySelectorAll('[data-login]')) b.addEventListener('click', async () => {
    const act = b.dataset.disabled === '1' ? 'enable' : 'disable';
    try {
      await send('POST', `/api/accounts/${encodeURIComponent(b.dataset.login)}/${act}`);
      await accountsPage(params, query);
      reportSuccess(t(`done.account.${act}`));
    } catch (err) {
      reportFailure(err);
    }
  });
  for (const b of main.querySelectorAll('[data-unlock]')) b.addEventListener('click', async () => {
    const login = b.dataset.unlock;
    try {
      await send('POST', `/api/accounts/${encodeURIComponent(login)}/unlock`);
      await accountsPage(params, query);
      reportSuccess(t('admin.unlocked', { login }));
    } catch (err) {
      reportFailure(err);
    }
  });
}

// One's own password: the current one, the new one twice. The other
// sessions of the account end; this one stays.
export async function passwordPage() {
  main.innerHTML = `<section class="login-box"><h1>${t('password.title')}</h1>
    <form class="form" id="password-form">
      <label>${t('password.old')} <input name="old" type="password" required autocomplete="current-password"></label>
      <label>${t('password.new')} <input name="new" type="password" minlength="8" required autocomplete="new-password"></label>
      <label>${t('password.repeat')} <input name="repeat" type="password" minlength="8" required autocomplete="new-password"></label>
      <button type="submit" class="primary">${t('password.submit')}</button></form></section>`;
  document.getElementById('password-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(e.target);
    if (data.get('new') !== data.get('repeat')) { reportFailure({ code: 'password_mismatch' }, e.target); return; }
    try {
      await send('POST', '/api/password', { old_password: data.get('old'), new_password: data.get('new') });
      e.target.reset();
      reportSuccess(t('password.done'));
    } catch (err) {
      reportFailure(err, e.target);
    }
  });
}

// ---- the audit log, read as sentences ------------------------------------
// 谁 在何时 对什么 做了什么: each line's actor, time (China), action and object,
// and what changed as named fields (before → after). Raw codes (logins,
// unknown fields) stay visible only as <code> details.

const known = (key) => t(key) !== key;
// Fields whose values are identifiers (logins, device numbers, codes), shown as code.
const RAW_FIELDS = new Set(['login', 'mn', 'st', 'codes', 'peer', 'address', 'alias']);

// An actor as { text, code }: an account by its name, a demo unit, the command line, a token.
function actorParts(actor, names) {
  const [kind, rest] = actor.includes(':') ? [actor.slice(0, actor.indexOf(':')), actor.slice(actor.indexOf(':') + 1)] : ['', actor];
  if (kind === 'account') return { text: names.get(rest) || rest, code: rest };
  if (kind === 'demo') return { text: t('audit.actor.demo', { unit: rest }), code: '' };
  if (kind === 'cli') return { text: t('audit.actor.cli'), code: rest === 'unknown' ? '' : rest };
  if (kind === 'token') return { text: t('audit.actor.token'), code: rest };
  const at = actor.lastIndexOf('@');
  if (at > 0) return { text: names.get(actor.slice(0, at)) || actor.slice(0, at), code: actor };
  return { text: '', code: actor };
}

// A field's value in words: states, levels and roles by their names, actors by theirs.
function valueText(field, value, entity, names) {
  if (value === null || value === undefined || value === '') return t('audit.empty');
  if (field.endsWith('_by')) { const a = actorParts(String(value), names); return a.text || a.code; }
  const named = { state: `${entity === 'water_alarm' ? 'water.alarm' : entity}.state.${value}`, level: `notice.level.${value}`,
    role: `admin.role.${value}`, kind: entity === 'unit' ? `unit.kind.${value}` : `stations.kind.${value}` }[field];
  if (named && known(named)) return t(named);
  if (field === 'disabled') return t(value ? 'audit.yes' : 'audit.no');
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) return formatTime(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

// The fields worth showing: what differs, or (for a new record) its content without ids and stamps.
function changedFields(before, after) {
  if (before && after && typeof before === 'object' && typeof after === 'object') {
    return [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  }
  const whole = after || before;
  if (!whole || typeof whole !== 'object') return [];
  return Object.keys(whole).filter((k) => whole[k] !== null && whole[k] !== '' && k !== 'id'
    && !k.endsWith('_id') && !k.endsWith('_at') && !k.endsWith('_by')).slice(0, 6);
}

// One line as text parts: who, when, action, object, and the changes [{label, code, from, to}].
function auditLine(r, names) {
  const whole = r.after || r.before || {};
  // a session's line names its account already: no object
  const named = whole && typeof whole === 'object' && r.entity !== 'session' ? whole : {};
  const label = named.title || named.name || named.period || '';
  const code = label ? '' : named.login || named.mn || '';
  const entity = known(`audit.entity.${r.entity}`) ? t(`audit.entity.${r.entity}`) : r.entity;
  const object = [entity, r.entity_id ? `#${r.entity_id}` : ''].filter(Boolean).join(' ') + (label ? `「${label}」` : '');
  const both = r.before && r.after;
  return {
    when: formatTime(r.at, { seconds: true }), at: r.at, who: actorParts(r.actor, names),
    action: known(`audit.action.${r.action}`) ? t(`audit.action.${r.action}`) : r.action,
    object, objectCode: code,
    changes: changedFields(r.before, r.after).map((k) => ({
      label: known(`field.${k}`) ? t(`field.${k}`) : '', code: k,
      from: both ? valueText(k, r.before[k], r.entity, names) : null,
      to: valueText(k, (r.after || r.before)[k], r.entity, names), raw: RAW_FIELDS.has(k) })),
  };
}

function lineHtml(line) {
  const who = `${esc(line.who.text)}${line.who.code ? ` <code class="sub">${esc(line.who.code)}</code>` : ''}`;
  const value = (c, v) => (c.raw ? `<code>${esc(v)}</code>` : esc(v));
  const changes = line.changes.map((c) => `<li>${c.label ? esc(c.label) : `<code>${esc(c.code)}</code>`}：${c.from !== null
    ? `<del>${value(c, c.from)}</del> → <ins>${value(c, c.to)}</ins>` : value(c, c.to)}</li>`).join('');
  return `<li class="audit-line"><time datetime="${esc(line.at)}">${esc(line.when)}</time>
    <p>${t('audit.sentence', { who: `<b>${who}</b>`, action: esc(line.action), object: `<span class="object">${esc(line.object)}${line.objectCode ? `「<code>${esc(line.objectCode)}</code>」` : ''}</span>` })}</p>
    ${changes ? `<ul class="changes">${changes}</ul>` : ''}</li>`;
}

// The filtered lines as CSV (UTF-8 with a byte-order mark, which Excel reads as such).
function auditCsv(lines) {
  const cell = (v) => `"${String(v).replace(/"/g, '""')}"`;
  const head = [t('admin.when'), t('admin.who'), t('admin.action'), t('audit.filter.entity'), t('admin.changes')];
  const rows = lines.map((l) => [l.when, l.who.text + (l.who.code ? ` (${l.who.code})` : ''), l.action, l.object + (l.objectCode ? `「${l.objectCode}」` : ''),
    l.changes.map((c) => `${c.label || c.code}: ${c.from !== null ? `${c.from} → ` : ''}${c.to}`).join('; ')]);
  return '\ufeff' + [head, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

const AUDIT_FILTERS = ['actor', 'action', 'entity', 'from', 'to'];
// The actions whose first word is not their entity's name.
const ENTITY_OF_FAMILY = { station: 'hj212_station', 'water.readings': 'water_reading', 'water.sections': 'water_section', 'water.alarm': 'water_alarm' };

export async function auditPage(params, query) {
  const filter = new URLSearchParams();
  for (const k of AUDIT_FILTERS) if (query.get(k)) filter.set(k, query.get(k));
  const before = query.get('before') || '';
  const [rows, choices, accounts] = await Promise.all([
    api(`/api/audit?limit=100&${filter}${before ? `&before=${encodeURIComponent(before)}` : ''}`),
    api('/api/audit/filters'), api('/api/accounts')]);
  const names = new Map(accounts.map((a) => [a.login, a.display_name || a.login]));
  const lines = rows.map((r) => auditLine(r, names));
  const option = (name, value, text) => `<option value="${esc(value)}"${query.get(name) === value ? ' selected' : ''}>${esc(text)}</option>`;
  const select = (name, list, text) => `<label>${t(`audit.filter.${name}`)} <select name="${name}"><option value="">${t('audit.filter.any')}</option>
    ${list.map((v) => option(name, v.value, text(v.value))).join('')}</select></label>`;
  const actionText = (a) => {
    const entity = ENTITY_OF_FAMILY[a.split('.').slice(0, -1).join('.')] || a.split('.')[0];
    return `${known(`audit.action.${a}`) ? t(`audit.action.${a}`) : a}${known(`audit.entity.${entity}`) ? t(`audit.entity.${entity}`) : ''}`;
  };
  const actorText = (a) => { const p = actorParts(a, names); return p.text && p.code && p.text !== p.code ? `${p.text}（${p.code}）` : p.text || p.code; };
  main.innerHTML = `<div class="page-head"><h1>${t('admin.audit')}</h1>
      <button type="button" id="audit-export">${t('audit.export')}</button></div>
    <form class="filters" id="audit-filters">
      ${select('actor', choices.actors, actorText)}
      ${select('action', choices.actions, actionText)}
      ${select('entity', choices.entities, (e) => (known(`audit.entity.${e}`) && t(`audit.entity.${e}`)) || e)}
      <label>${t('audit.filter.from')} <input type="date" name="from" value="${esc(query.get('from') || '')}"></label>
      <label>${t('audit.filter.to')} <input type="date" name="to" value="${esc(query.get('to') || '')}"></label>
      <button type="submit" class="primary">${t('audit.filter.apply')}</button>
      <output>${t('audit.shown', { n: rows.length })}</output></form>
    ${lines.length ? `<div class="table-wrap bounded"><ol class="audit-log" id="audit-log">${lines.map(lineHtml).join('')}</ol></div>`
      : `<p class="empty">${t('audit.none')}</p>`}
    ${rows.length === 100 ? `<p><a href="/audit?${filter}${filter.size ? '&' : ''}before=${rows[rows.length - 1].id}" data-link id="audit-older">${t('admin.older')}</a></p>` : ''}`;
  document.getElementById('audit-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(e.currentTarget)) if (v) next.set(k, v);
    navigate(`/audit${next.size ? `?${next}` : ''}`);
  });
  document.getElementById('audit-export').addEventListener('click', async () => {
    try {
      const all = (await api(`/api/audit?limit=1000&${filter}`)).map((r) => auditLine(r, names));
      const link = Object.assign(document.createElement('a'), {
        href: URL.createObjectURL(new Blob([auditCsv(all)], { type: 'text/csv;charset=utf-8' })),
        download: `${t('admin.audit')}${query.get('from') ? `-${query.get('from')}` : ''}${query.get('to') ? `-${query.get('to')}` : ''}.csv` });
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (err) {
      reportFailure(err);
    }
  });
}
