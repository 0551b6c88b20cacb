// Administration pages for the leading-group office: accounts (create,
// disable, enable, reset a password, unlock) and the audit log of every
// change; and the page where anyone signed in changes their own password.
import { t } from './i18n.js';
import { api, send } from './api.js';
import { esc, reportSuccess, reportFailure } from './ui.js';
import { formatTime } from './time.js';

let main;

export function initAdminPages(mainElement) {
  main = mainElement;
}

export async function accountsPage(params, query) {
  const [accounts, units] = await Promise.all([api('/api/accounts'), api('/api/units')]);
  main.innerHTML = `<h1>${t('admin.accounts')}</h1>
    <div class="table-wrap"><table class="units-table" id="accounts"><thead><tr><th>${t('login.login')}</th><th>${t('admin.name')}</th>
      <th>${t('admin.role')}</th><th>${t('units.name')}</th><th>${t('admin.failed_logins')}</th><th></th></tr></thead>
    <tbody>${accounts.map((a) => `<tr class="${a.disabled ? 'not-assessed' : ''}"><td>${esc(a.login)}</td><td>${esc(a.display_name)}</td>
      <td>${t(`admin.role.${a.role}`)}</td><td>${esc(a.unit_name || '')}</td><td>${a.failed_logins}</td>
      <td>${a.login === 'admin' ? '' : `<button type="button" class="small" data-login="${esc(a.login)}" data-disabled="${a.disabled}">${a.disabled ? t('admin.enable') : t('admin.disable')}</button>`}
      ${a.failed_logins ? `<button type="button" class="small" data-unlock="${esc(a.login)}">${t('admin.unlock')}</button>` : ''}</td></tr>`).join('')}</tbody></table></div>
    <form class="form card" id="reset-form"><h3>${t('admin.reset_password')}</h3>
      <label>${t('login.login')} <select name="login">${accounts.map((a) => `<option value="${esc(a.login)}">${esc(a.login)} · ${esc(a.display_name)}</option>`).join('')}</select></label>
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

// What a change changed: "state: open → done" for each field that differs,
// or the fields of what was created or deleted.
function changes(before, after) {
  const show = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
  if (before && after && typeof before === 'object' && typeof after === 'object') {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    return keys.map((k) => `<div><b>${esc(k)}</b>: ${esc(show(before[k]))} → ${esc(show(after[k]))}</div>`).join('');
  }
  const whole = after || before;
  if (!whole || typeof whole !== 'object') return '—';
  return Object.entries(whole).filter(([, v]) => v !== null && v !== '').slice(0, 8)
    .map(([k, v]) => `<div><b>${esc(k)}</b>: ${esc(show(v)).slice(0, 80)}</div>`).join('');
}

export async function auditPage(params, query) {
  const before = query.get('before') || '';
  const rows = await api(`/api/audit?limit=100${before ? `&before=${encodeURIComponent(before)}` : ''}`);
  main.innerHTML = `<h1>${t('admin.audit')}</h1>
    <div class="table-wrap"><table class="units-table audit"><thead><tr><th>${t('admin.when')}</th><th>${t('admin.who')}</th><th>${t('admin.action')}</th>
      <th>${t('admin.changes')}</th></tr></thead>
    <tbody>${rows.map((r) => `<tr><td><time datetime="${esc(r.at)}">${esc(formatTime(r.at, { seconds: true }))}</time></td><td>${esc(r.actor)}</td><td>${esc(r.action)} <span class="sub">${esc(r.entity)}${r.entity_id ? ` #${r.entity_id}` : ''}</span></td>
      <td class="json">${changes(r.before, r.after)}</td></tr>`).join('')}</tbody></table></div>
    ${rows.length === 100 ? `<p><a href="/audit?before=${rows[rows.length - 1].id}" data-link>${t('admin.older')}</a></p>` : ''}`;
}
