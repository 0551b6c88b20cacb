// Administration pages for the leading-group office: accounts (create,
// disable, enable) and the audit log of every change.
import { t } from './i18n.js';
import { api, send } from './api.js';
import { esc } from './ui.js';
import { formatTime } from './time.js';

let main;

export function initAdminPages(mainElement) {
  main = mainElement;
}

export async function accountsPage() {
  const [accounts, units] = await Promise.all([api('/api/accounts'), api('/api/units')]);
  main.innerHTML = `<h1>${t('admin.accounts')}</h1>
    <div class="table-wrap"><table class="units-table" id="accounts"><thead><tr><th>${t('login.login')}</th><th>${t('admin.name')}</th>
      <th>${t('admin.role')}</th><th>${t('units.name')}</th><th></th></tr></thead>
    <tbody>${accounts.map((a) => `<tr class="${a.disabled ? 'not-assessed' : ''}"><td>${esc(a.login)}</td><td>${esc(a.display_name)}</td>
      <td>${t(`admin.role.${a.role}`)}</td><td>${esc(a.unit_name || '')}</td>
      <td>${a.login === 'admin' ? '' : `<button type="button" class="small" data-login="${esc(a.login)}" data-disabled="${a.disabled}">${a.disabled ? t('admin.enable') : t('admin.disable')}</button>`}</td></tr>`).join('')}</tbody></table></div>
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
      await accountsPage();
    } catch (err) {
      const box = e.target.querySelector('.error') || e.target.appendChild(Object.assign(document.createElement('p'), { className: 'error' }));
      box.textContent = err.message;
    }
  });
  for (const b of main.querySelectorAll('[data-login]')) b.addEventListener('click', async () => {
    await send('POST', `/api/accounts/${encodeURIComponent(b.dataset.login)}/${b.dataset.disabled === '1' ? 'enable' : 'disable'}`);
    await accountsPage();
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
