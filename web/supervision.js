// The supervision pages: tasks (mine, or all for leaders), a task with its
// light, timeline and the forms each role may use, a new task from a
// measure, the leaders' dashboard, the annual assessment, the inbox.
import { t, lang } from './i18n.js';
import { api, send, currentSession } from './api.js';
import { esc, cnOrdinal, reportSuccess, reportFailure, confirmAction } from './ui.js';
import { mountChart } from './chart.js';
import { lightsOption, chapterName } from './cockpit.js';
import { formatTime, todayChina } from './time.js';
import { mountTable } from './table.js';
import { bindPrint, printControls, printHead, printSignature } from './print.js';

let main;
let navigate;

export function initSupervisionPages(mainElement, navigateFn) {
  main = mainElement;
  navigate = navigateFn;
}

const isAdmin = () => currentSession().level === 'admin';
const myUnit = () => currentSession().account?.unit_id || 0;

function lightDot(light) {
  const color = light?.color || 'green';
  return `<span class="light light-${color}" title="${esc(t(`light.${color}`))}">${esc(t(`light.${color}`))}</span>`;
}

// One sentence per reason the core gives for a light.
function reasonText(r) {
  const key = `reason.${r.code}`;
  const text = t(key, r);
  return text === key ? `${r.code}` : text;
}

function progressBar(percent) {
  const p = Math.max(0, Math.min(100, Number(percent) || 0));
  return `<span class="progress" role="progressbar" aria-valuenow="${p}" aria-valuemin="0" aria-valuemax="100"><span class="bar bar-${Math.round(p / 10) * 10}"></span></span><span class="pct">${p}%</span>`;
}

function unitNames(task, role) {
  return task.units.filter((u) => u.role === role).map((u) => esc(u.name)).join('、');
}

function taskRow(task) {
  return `<tr data-task="${task.id}"><td>${lightDot(task.light)}</td>
    <td><a href="/tasks/${task.id}" data-link>${esc(task.title)}</a><div class="sub">(${cnOrdinal(task.measure_ordinal)}) ${esc(task.measure_title)}</div></td>
    <td>${unitNames(task, 'lead')}</td><td class="num">${esc(task.due_on)}</td><td>${progressBar(task.percent)}</td>
    <td class="sub">${(task.light?.reasons || []).map(reasonText).map(esc).join('；')}</td></tr>`;
}

// The task list's columns and filters for the table component.
const taskTable = (q) => ({
  id: 'tasks', className: 'tasks-table', empty: t('task.none'),
  rowAttrs: (task) => `data-task="${task.id}"`,
  columns: [
    { key: 'light', label: t('task.light'), value: (task) => t(`light.${task.light?.color || 'green'}`), html: (task) => lightDot(task.light) },
    { key: 'title', label: t('task.title'), value: (task) => `${task.title} ${task.measure_title}`,
      html: (task) => `<a href="/tasks/${task.id}" data-link>${esc(task.title)}</a><div class="sub">(${cnOrdinal(task.measure_ordinal)}) ${esc(task.measure_title)}</div>` },
    { key: 'lead', label: t('role.lead'), value: (task) => task.units.filter((u) => u.role === 'lead').map((u) => u.name).join('、'), html: (task) => unitNames(task, 'lead') },
    { key: 'due', label: t('task.due'), num: true, value: (task) => task.due_on },
    { key: 'progress', label: t('task.progress'), value: (task) => Number(task.percent) || 0, html: (task) => progressBar(task.percent) },
    { key: 'why', label: t('task.why'), sortable: false, value: (task) => (task.light?.reasons || []).map(reasonText).join('；'),
      html: (task) => (task.light?.reasons || []).map(reasonText).map(esc).join('；') },
  ],
  filters: [{ key: 'unit', label: t('filter.unit'), value: (task) => task.units.map((u) => u.name) }],   // lead or support, as /api/tasks?unit=
  exportHref: (state) => {
    const e = new URLSearchParams(q);
    if (state.filters.unit) e.set('unit', state.filters.unit);
    e.set('lang', lang());
    return `/api/tasks.xlsx?${e}`;
  },
});

export async function tasksPage(params, query) {
  const year = query.get('year') || '';
  const light = query.get('light') || '';
  const q = new URLSearchParams();
  if (year) q.set('year', year);
  if (light) q.set('light', light);
  const tasks = await api(`/api/tasks?${q}`);
  const day = todayChina();
  main.innerHTML = `${await printHead(t('print.tasks', { year: year || day.slice(0, 4) }), year || day.slice(0, 4), day)}<div class="page-head"><h1>${t('nav.tasks')}</h1>
      ${isAdmin() ? `<a class="button primary" href="/tasks/new" data-link id="new-task">${t('task.new')}</a>` : ''}
      ${printControls(`/api/tasks.pdf?${q}`)}</div>
    <form class="filters" id="task-filters">
      <label>${t('task.year')} <input name="year" type="number" min="2000" max="2100" value="${esc(year)}"></label>
      <label>${t('task.light')} <select name="light"><option value="">—</option>
        ${['red', 'yellow', 'green', 'done'].map((c) => `<option value="${c}" ${c === light ? 'selected' : ''}>${t(`light.${c}`)}</option>`).join('')}</select></label>
      </form>
    <div id="task-table"></div>
    ${await printSignature(day)}`;
  mountTable(document.getElementById('task-table'), tasks, taskTable(q));
  bindPrint(main);
  document.getElementById('task-filters').addEventListener('change', (e) => {
    const data = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const [k, v] of data) if (v) next.set(k, v);
    navigate(`/tasks?${next}`);
  });
}

// A form whose submit runs ACTION(formData, button), re-renders the task
// page and says DONE(formData, button); CONFIRM(formData), if given, is the
// question asked first (the change is not sent unless the user agrees).
function bindForm(id, action, done, confirm = null) {
  const form = document.getElementById(id);
  if (!form) return;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = form.querySelector('button[type=submit]');
    const data = new FormData(form);
    if (confirm && !(await confirmAction(...confirm(data)))) return;
    button.disabled = true;
    try {
      await action(data, e.submitter);
      if (location.pathname === `/tasks/${form.dataset.task}`) await renderTask(form.dataset.task);   // unless it went elsewhere
      reportSuccess(done(data, e.submitter));
    } catch (err) {
      reportFailure(err, form);
      button.disabled = false;
    }
  });
}

// The period offered is the first one the unit still owes (the API's
// report_period), so that reporting it clears "进展未报送".
function reportForm(task, today) {
  const period = task.report_period || today.slice(0, 7);
  return `<form class="form card" id="report-form" data-task="${task.id}"><h3>${t('report.title')}</h3>
    <label>${t('report.period')} <input name="period" value="${period}" pattern="\\d{4}-(\\d{2}|Q[1-4])" required></label>
    <label>${t('report.percent')} <input name="percent" type="number" min="0" max="100" step="1" required></label>
    ${task.indicator ? `<label>${t('report.value')} (${esc(task.indicator_unit || '')}) <input name="indicator_value" type="number" step="any"></label>` : ''}
    <label class="wide">${t('report.text')} <textarea name="text" rows="3" required></textarea></label>
    <label class="wide">${t('report.file')} <input name="file" type="file" id="report-file"></label>
    <button type="submit" class="primary">${t('report.submit')}</button></form>`;
}

async function uploadTo(path, file) {
  if (!file || !file.size) return;
  await send('POST', path, file, { 'X-Filename': encodeURIComponent(file.name) });
}

function timelineItems(task) {
  const items = [];
  for (const r of task.reports) {
    items.push({ at: r.submitted_at, html: `<b>${t('report.title')}</b> ${esc(r.period)} · ${esc(r.unit_name)} · ${r.percent}%
      <span class="state state-${r.state}">${t(`report.state.${r.state}`)}</span><p>${esc(r.text)}</p>
      ${r.attachments.map((a) => `<a class="file" href="/api/attachments/${a.id}" download>${esc(a.name)}</a>`).join(' ')}
      ${r.comment ? `<p class="comment">${t('report.comment')}: ${esc(r.comment)}</p>` : ''}
      ${isAdmin() && r.state === 'submitted' ? `<form class="inline" id="review-${r.id}" data-task="${task.id}"><input name="comment" placeholder="${esc(t('report.comment'))}">
        <button type="submit" name="accept" value="1" class="primary">${t('report.accept')}</button><button type="submit" name="accept" value="0">${t('report.return')}</button></form>` : ''}` });
  }
  for (const n of task.notices) {
    items.push({ at: n.issued_at, html: `<b class="level-${n.level}">${t(`notice.level.${n.level}`)}</b> → ${esc(n.unit_name)} · ${t('notice.deadline')} ${esc(n.deadline)}
      <span class="state state-${n.state}">${t(`notice.state.${n.state}`)}</span><p>${esc(n.text)}</p>${n.reply ? `<p class="comment">${t('notice.reply')}: ${esc(n.reply)}</p>` : ''}
      ${n.state === 'open' && n.unit_id === myUnit() ? `<form class="inline" id="reply-${n.id}" data-task="${task.id}"><input name="text" required placeholder="${esc(t('notice.reply'))}"><button type="submit">${t('notice.reply')}</button></form>` : ''}
      ${isAdmin() && n.state !== 'withdrawn' ? `<form class="inline" id="withdraw-${n.id}" data-task="${task.id}"><input name="reason" required placeholder="${esc(t('notice.withdraw_reason'))}" aria-label="${esc(t('notice.withdraw_reason'))}"><button type="submit">${t('notice.withdraw')}</button></form>` : ''}` });
    if (n.state === 'withdrawn') {
      items.push({ at: n.withdrawn_at, html: `<b>${t('notice.withdrawn')}</b> ${t(`notice.level.${n.level}`)} → ${esc(n.unit_name)}
        <p class="comment">${t('notice.withdraw_reason')}: ${esc(n.withdraw_reason)}</p>` });
    }
  }
  for (const x of task.extensions) {
    items.push({ at: x.requested_at, html: `<b>${t('extension.request')}</b> ${esc(x.unit_name)} → ${esc(x.requested_until)}
      <span class="state state-${x.state}">${t(`extension.state.${x.state}`)}</span><p>${esc(x.reason)}</p>
      ${isAdmin() && x.state === 'pending' ? `<form class="inline" id="extension-${x.id}" data-task="${task.id}"><input name="comment" placeholder="${esc(t('report.comment'))}">
        <button type="submit" name="grant" value="1" class="primary">${t('extension.grant')}</button><button type="submit" name="grant" value="0">${t('extension.refuse')}</button></form>` : ''}` });
  }
  for (const c of task.completions) {
    items.push({ at: c.proposed_at, html: `<b>${t('completion.propose')}</b> ${esc(c.unit_name)}
      <span class="state state-${c.state}">${t(`completion.state.${c.state}`)}</span><p>${esc(c.evidence)}</p>
      ${c.attachments.map((a) => `<a class="file" href="/api/attachments/${a.id}" download>${esc(a.name)}</a>`).join(' ')}
      ${c.rating ? `<p>${t('task.rating')}: ${'★'.repeat(c.rating)}</p>` : ''}${c.comment ? `<p class="comment">${esc(c.comment)}</p>` : ''}
      ${isAdmin() && c.state === 'pending' ? `<form class="inline" id="completion-${c.id}" data-task="${task.id}">
        <label>${t('task.rating')} <select name="rating">${[5, 4, 3, 2, 1].map((n) => `<option value="${n}">${n}</option>`).join('')}</select></label>
        <input name="comment" placeholder="${esc(t('report.comment'))}">
        <button type="submit" name="confirm" value="1" class="primary" id="confirm-completion">${t('completion.confirm')}</button><button type="submit" name="confirm" value="0">${t('completion.return')}</button></form>` : ''}` });
  }
  return items.sort((a, b) => (a.at < b.at ? 1 : -1));
}

// A day N days after DAY (YYYY-MM-DD), by the calendar, whatever the time zone.
function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// The 督办 form: to the lead unit unless the office picks another (lead
// units first, each with its role), a reply due a week from today.
function noticeForm(task) {
  const units = [...task.units].sort((a, b) => (a.role === 'lead' ? 0 : 1) - (b.role === 'lead' ? 0 : 1));
  return `<form class="form card" id="notice-form" data-task="${task.id}"><h3>${t('notice.issue')}</h3>
    <label>${t('notice.unit')} <select name="unit" id="notice-unit">${units.map((u, i) => `<option value="${u.id}"${i === 0 ? ' selected' : ''}>${esc(t('notice.unit_option', { name: u.name, role: t(`role.${u.role}`) }))}</option>`).join('')}</select></label>
    <label>${t('notice.level')} <select name="level">${['cuiban', 'duban', 'guapai'].map((l) => `<option value="${l}">${t(`notice.level.${l}`)}</option>`).join('')}</select></label>
    <label>${t('notice.deadline')} <input name="deadline" type="date" value="${addDays(task.today, 7)}" required></label>
    <label class="wide">${t('notice.text')} <textarea name="text" rows="2" required></textarea></label><button type="submit">${t('notice.issue')}</button></form>`;
}

async function renderTask(id) {
  const task = await api(`/api/tasks/${id}`);
  const mine = task.units.find((u) => u.id === myUnit());
  const lead = mine && mine.role === 'lead';
  const open = task.state === 'open';
  main.innerHTML = `<article class="task">
    <p class="crumbs"><a href="/tasks" data-link>${t('nav.tasks')}</a> › <a href="/measures/${task.measure_id}" data-link>(${cnOrdinal(task.measure_ordinal)}) ${esc(task.measure_title)}</a></p>
    <div class="page-head"><h1>${esc(task.title)}</h1>${lightDot(task.light)}<span class="state state-${task.state}" id="task-state">${t(`task.state.${task.state}`)}</span></div>
    <dl class="facts"><dt>${t('task.year')}</dt><dd>${task.year}</dd><dt>${t('task.start')}</dt><dd>${esc(task.start_on)}</dd>
      <dt>${t('task.due')}</dt><dd id="task-due">${esc(task.due_on)}</dd><dt>${t('role.lead')}</dt><dd>${unitNames(task, 'lead')}</dd>
      <dt>${t('role.support')}</dt><dd>${unitNames(task, 'support') || '—'}</dd>
      ${task.indicator ? `<dt>${t('task.indicator')}</dt><dd>${esc(task.indicator)}: ${task.baseline ?? '—'} → ${task.target_value ?? '—'} ${esc(task.indicator_unit || '')}</dd>` : ''}
      <dt>${t('task.progress')}</dt><dd>${progressBar(task.percent)}</dd></dl>
    ${task.description ? `<p>${esc(task.description)}</p>` : ''}
    <section class="why card" id="light-reasons"><h2>${t('task.why')}</h2><ul>${(task.light?.reasons || []).map((r) => `<li>${esc(reasonText(r))}</li>`).join('') || `<li>${t(`light.${task.light?.color || 'green'}`)}</li>`}</ul></section>
    ${task.milestones.length ? `<h2>${t('task.milestones')}</h2><ul class="milestones">${task.milestones.map((m) => `<li class="${m.done_on ? 'done' : ''}">${esc(m.due_on)} · ${esc(m.title)} ${m.done_on ? `✓ ${esc(m.done_on)}` : (lead || isAdmin()) && open ? `<button type="button" class="small" data-milestone="${m.id}">${t('task.mark_done')}</button>` : ''}</li>`).join('')}</ul>` : ''}
    <div class="forms">
      ${mine && open ? reportForm(task, task.today) : ''}
      ${lead && open ? `<form class="form card" id="completion-form" data-task="${task.id}"><h3>${t('completion.propose')}</h3>
        <label class="wide">${t('completion.evidence')} <textarea name="evidence" rows="3" required></textarea></label>
        <label class="wide">${t('report.file')} <input name="file" type="file"></label><button type="submit" class="primary">${t('completion.propose')}</button></form>` : ''}
      ${mine && open ? `<form class="form card" id="extension-form" data-task="${task.id}"><h3>${t('extension.request')}</h3>
        <label>${t('extension.until')} <input name="until" type="date" required></label>
        <label class="wide">${t('extension.reason')} <textarea name="reason" rows="2" required></textarea></label><button type="submit">${t('extension.request')}</button></form>` : ''}
      ${isAdmin() && task.state !== 'done' ? noticeForm(task) : ''}
      ${isAdmin() ? `<form class="form card" id="copy-form" data-task="${task.id}"><h3>${t('task.copy')}</h3>
        <label>${t('task.year')} <input name="year" type="number" value="${task.year + 1}" min="2000" max="2100"></label><button type="submit">${t('task.copy')}</button></form>` : ''}
    </div>
    <h2>${t('task.timeline')}</h2><ol class="timeline" id="timeline">${timelineItems(task).map((i) => `<li><time datetime="${esc(i.at)}">${esc(formatTime(i.at))}</time>${i.html}</li>`).join('')}</ol>
  </article>`;
  document.body.dataset.ready = location.pathname + location.search;
  bindTaskForms(task);
}

function bindTaskForms(task) {
  const unitName = (id) => task.units.find((u) => String(u.id) === String(id))?.name || '';
  const level = (data) => t(`notice.level.${data.get('level')}`);
  const withComment = (data, body = {}) => (data.get('comment') ? { ...body, comment: data.get('comment') } : body);
  bindForm('report-form', async (data) => {
    const body = { period: data.get('period'), text: data.get('text'), percent: Number(data.get('percent')) };
    if (data.get('indicator_value')) body.indicator_value = Number(data.get('indicator_value'));
    const report = await send('POST', `/api/tasks/${task.id}/reports`, body);
    await uploadTo(`/api/reports/${report.id}/attachments`, data.get('file'));
  }, (data) => t('done.report', { period: data.get('period') }));
  bindForm('completion-form', async (data) => {
    const c = await send('POST', `/api/tasks/${task.id}/completion`, { evidence: data.get('evidence') });
    await uploadTo(`/api/completions/${c.id}/attachments`, data.get('file'));
  }, () => t('done.completion'));
  bindForm('extension-form', (data) => send('POST', `/api/tasks/${task.id}/extensions`, { until: data.get('until'), reason: data.get('reason') }),
    () => t('done.extension'));
  bindForm('notice-form', (data) => send('POST', `/api/tasks/${task.id}/notices`,
    { unit: data.get('unit'), level: data.get('level'), deadline: data.get('deadline'), text: data.get('text') }),
  (data) => t('done.notice', { level: level(data), unit: unitName(data.get('unit')) }),
  (data) => [t('notice.confirm', { level: level(data), unit: unitName(data.get('unit')) }), t('notice.confirm_ok')]);
  bindForm('copy-form', async (data) => {
    const copy = await send('POST', `/api/tasks/${task.id}/copy`, { year: Number(data.get('year')) });
    navigate(`/tasks/${copy.id}`);
  }, (data) => t('done.copy', { year: data.get('year') }));
  for (const r of task.reports) bindForm(`review-${r.id}`, (data, button) =>
    send('POST', `/api/reports/${r.id}/${button.value === '1' ? 'accept' : 'return'}`, withComment(data)),
  (data, button) => t(button.value === '1' ? 'done.report.accept' : 'done.report.return'));
  for (const n of task.notices) {
    bindForm(`reply-${n.id}`, (data) => send('POST', `/api/notices/${n.id}/reply`, { text: data.get('text') }), () => t('done.reply'));
    bindForm(`withdraw-${n.id}`, (data) => send('POST', `/api/notices/${n.id}/withdraw`, { reason: data.get('reason') }),
      () => t('done.withdraw'),
      () => [t('notice.withdraw_confirm', { level: t(`notice.level.${n.level}`), unit: n.unit_name }), t('notice.withdraw')]);
  }
  for (const x of task.extensions) bindForm(`extension-${x.id}`, (data, button) => send('POST', `/api/extensions/${x.id}/decide`,
    withComment(data, { grant: button.value === '1' })),
  (data, button) => t(button.value === '1' ? 'done.extension.grant' : 'done.extension.refuse'));
  for (const c of task.completions) bindForm(`completion-${c.id}`, (data, button) => send('POST', `/api/completions/${c.id}/decide`,
    button.value === '1' ? withComment(data, { confirm: true, rating: Number(data.get('rating')) })
      : { confirm: false, comment: data.get('comment') || '-' }),
  (data, button) => t(button.value === '1' ? 'done.completion.confirm' : 'done.completion.return'));
  for (const b of main.querySelectorAll('[data-milestone]')) b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      await send('POST', `/api/milestones/${b.dataset.milestone}/done`);
      await renderTask(task.id);
      reportSuccess(t('done.milestone'));
    } catch (err) {
      reportFailure(err);
      b.disabled = false;
    }
  });
}

export async function taskPage(params) { await renderTask(params.id); }

export async function newTaskPage(params, query) {
  const measureId = query.get('measure');
  const measures = await api('/api/measures');
  const measure = measureId ? measures.find((m) => String(m.id) === measureId) : null;
  // today in China: a new task starts when it is given (its first report falls after its start)
  const today = todayChina();
  const year = Number(today.slice(0, 4));
  main.innerHTML = `<h1>${t('task.new')}</h1>
    <form class="form card" id="new-task-form">
      <label class="wide">${t('task.measure')} <select name="measure_id" id="task-measure">${measures.map((m) => `<option value="${m.id}" ${m === measure ? 'selected' : ''}>(${cnOrdinal(m.ordinal)}) ${esc(m.title)}</option>`).join('')}</select></label>
      <div class="wide" id="starting-points"></div>
      <label>${t('task.year')} <input name="year" type="number" value="${year}" min="2000" max="2100" required></label>
      <label class="wide">${t('task.title')} <input name="title" id="task-title" required></label>
      <label class="wide">${t('task.description')} <textarea name="description" rows="2"></textarea></label>
      <label>${t('task.start')} <input name="start_on" type="date" value="${today}" required></label>
      <label>${t('task.due')} <input name="due_on" type="date" value="${year}-12-31" id="task-due-input" required></label>
      <label>${t('task.indicator')} <input name="indicator" id="task-indicator"></label>
      <label>${t('task.indicator_unit')} <input name="indicator_unit" id="task-indicator-unit"></label>
      <label>${t('task.baseline')} <input name="baseline" type="number" step="any"></label>
      <label>${t('task.target')} <input name="target_value" type="number" step="any" id="task-target"></label>
      <fieldset class="wide"><legend>${t('task.milestones')}</legend><div id="milestones"></div>
        <button type="button" id="add-milestone">${t('task.add_milestone')}</button></fieldset>
      <p class="wide sub">${t('task.units')}: <span id="task-units"></span></p>
      <button type="submit" class="primary">${t('task.create')}</button>
    </form>`;
  const select = document.getElementById('task-measure');
  const showMeasure = () => {
    const m = measures.find((x) => String(x.id) === select.value);
    document.getElementById('task-units').textContent = m.units.map((u) => `${u.name}(${t(`role.${u.role}`)})`).join('、');
    document.getElementById('starting-points').innerHTML = m.targets.length
      ? `<p class="sub">${t('task.starting_points')}</p>${m.targets.map((x, i) => `<button type="button" class="chip chip-support" data-target="${i}">${esc(x.phrase)}</button>`).join(' ')}` : '';
    for (const b of document.querySelectorAll('[data-target]')) b.addEventListener('click', () => {
      const x = m.targets[Number(b.dataset.target)];
      document.getElementById('task-title').value = x.sentence.slice(0, 120);
      if (x.kind === 'dated') document.getElementById('task-due-input').value = `${x.year}-${String(x.month || 12).padStart(2, '0')}-${x.month ? '28' : '31'}`;
      if (x.kind === 'quantity') {
        document.getElementById('task-target').value = x.value;
        document.getElementById('task-indicator-unit').value = x.measure_unit;
        document.getElementById('task-indicator').value = x.phrase;
      }
    });
  };
  select.addEventListener('change', showMeasure);
  showMeasure();
  document.getElementById('add-milestone').addEventListener('click', () => {
    const row = document.createElement('div');
    row.className = 'milestone-row';
    row.innerHTML = `<input name="m_title" placeholder="${esc(t('task.milestone_title'))}" required><input name="m_due" type="date" required>`;
    document.getElementById('milestones').appendChild(row);
  });
  document.getElementById('new-task-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(e.target);
    const body = { measure_id: Number(data.get('measure_id')), year: Number(data.get('year')), title: data.get('title'),
      description: data.get('description'), start_on: data.get('start_on'), due_on: data.get('due_on') };
    for (const k of ['indicator', 'indicator_unit']) if (data.get(k)) body[k] = data.get(k);
    for (const k of ['baseline', 'target_value']) if (data.get(k)) body[k] = Number(data.get(k));
    const titles = data.getAll('m_title'), dues = data.getAll('m_due');
    if (titles.length) body.milestones = titles.map((title, i) => ({ title, due_on: dues[i] }));
    try {
      const task = await send('POST', '/api/tasks', body);
      navigate(`/tasks/${task.id}`);
      reportSuccess(t('done.task'));
    } catch (err) {
      reportFailure(err, e.target);
    }
  });
}

export async function dashboardPage(params, query) {
  const year = query.get('year') || '';
  const [d, plans] = await Promise.all([api(`/api/dashboard${year ? `?year=${year}` : ''}`), api('/api/plans')]);
  const chapters = plans.length ? (await api(`/api/plans/${plans[0].id}`)).chapters : [];
  const colors = ['red', 'yellow', 'green', 'done'];
  main.innerHTML = `<h1>${t('dashboard.title')}</h1>
    <div class="stat-cards">${colors.map((c) => `<a class="stat stat-${c}" href="/tasks?light=${c}" data-link><span class="n" id="count-${c}">${d.totals[c] || 0}</span>${t(`light.${c}`)}</a>`).join('')}
      <div class="stat"><span class="n">${d.open_notices}</span>${t('dashboard.notices')}</div></div>
    <h2>${t('dashboard.by_chapter')}</h2><div id="chapter-chart" class="chart chart-small"></div>
    <div class="two-col"><section><h2>${t('dashboard.overdue')}</h2>${d.overdue.length ? `<table class="tasks-table"><tbody>${d.overdue.map(taskRow).join('')}</tbody></table>` : `<p class="empty">${t('common.none')}</p>`}</section>
    <section><h2>${t('dashboard.missing')}</h2>${d.missing_reports.length ? `<table class="tasks-table"><tbody>${d.missing_reports.map(taskRow).join('')}</tbody></table>` : `<p class="empty">${t('common.none')}</p>`}</section></div>
    <h2>${t('dashboard.by_unit')}</h2><div class="table-wrap"><table class="units-table"><thead><tr><th>${t('units.name')}</th>${colors.map((c) => `<th class="num">${t(`light.${c}`)}</th>`).join('')}</tr></thead>
    <tbody>${d.by_unit.map((u) => `<tr><td>${esc(u.unit)}</td>${colors.map((c) => `<td class="num">${u[c] || 0}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;
  const byChapter = [...d.by_chapter].sort((a, b) => a.chapter - b.chapter);
  await mountChart(document.getElementById('chapter-chart'), lightsOption(byChapter, (c) => chapterName(chapters, c.chapter), 240));
}

// The words of the API's formulas (src/supervision/score.c), longest first.
const FORMULA_TERMS = [['not assessed', 'assessment.term.not_assessed'], ['no reports due', 'assessment.term.no_reports_due'],
  ['no rated task', 'assessment.term.no_rated_task'], ['no tasks', 'assessment.term.no_tasks'], ['n/a', 'assessment.term.na'],
  ['cap', 'assessment.term.cap'], ['cuiban', 'notice.level.cuiban'], ['duban', 'notice.level.duban'], ['guapai', 'notice.level.guapai']];

// One breakdown line: "completion: 50 × 1 / 2 = 25.00" with the part and the formula's words in the UI's language.
function breakdownLine(line) {
  const [part, ...rest] = line.split(': ');
  const key = `assessment.part.${part}`;
  const formula = FORMULA_TERMS.reduce((text, [word, term]) => text.replace(new RegExp(`\\b${word}\\b`, 'g'), t(term)), rest.join(': '));
  return t(key) === key ? line : `${t(key)}：${formula}`;
}

function assessmentRows(units) {
  const ranked = [...units].sort((a, b) => (a.rank || 1e9) - (b.rank || 1e9) || a.unit.localeCompare(b.unit, 'zh'));
  return ranked.map((u) => `<tr class="${u.rank ? '' : 'not-assessed'}"><td class="num">${u.rank || '—'}</td><td>${esc(u.unit)}</td>
    <td class="num">${u.rank ? Number(u.score).toFixed(2) : '—'}</td>
    <td>${u.rank ? esc(lang() === 'en' ? u.grade_en : u.grade) : t('assessment.not_assessed')}</td>
    <td><details><summary>${t('assessment.breakdown')}</summary><ul>${u.breakdown.map((line) => `<li>${esc(breakdownLine(line))}</li>`).join('')}</ul></details></td></tr>`).join('');
}

export async function assessmentPage(params, query) {
  const year = query.get('year') || todayChina().slice(0, 4);
  const a = await api(`/api/assessment?year=${encodeURIComponent(year)}`);
  const groups = ['counties', 'departments'].map((g) => [g, a.units.filter((u) => u.group === g)]).filter(([, us]) => us.length);
  main.innerHTML = `${await printHead(`${t('assessment.title')} ${year}`, year, a.as_of)}<div class="page-head"><h1>${t('assessment.title')} ${esc(year)}</h1>
      <form class="inline" id="assessment-year"><input name="year" type="number" min="2000" max="2100" value="${esc(year)}" aria-label="${esc(t('task.year'))}"></form>
      <a class="button" href="/api/assessment.xlsx?year=${encodeURIComponent(year)}&lang=${lang()}" download id="excel-link">${t('assessment.excel')}</a>
      ${printControls(`/api/assessment.pdf?year=${encodeURIComponent(year)}`)}</div>
    <p class="sub">${t('assessment.as_of', { day: a.as_of })}</p>
    ${groups.length ? groups.map(([g, us]) => `<h2>${t(`assessment.group.${g}`)}</h2>
    <div class="table-wrap"><table class="units-table assessment"><thead><tr><th class="num">${t('assessment.rank')}</th><th>${t('assessment.unit')}</th>
      <th class="num">${t('assessment.score')}</th><th>${t('assessment.grade')}</th><th>${t('assessment.breakdown')}</th></tr></thead>
    <tbody>${assessmentRows(us)}</tbody></table></div>`).join('') : `<p class="empty">${t('task.none')}</p>`}
    ${await printSignature(a.as_of)}`;
  bindPrint(main);
  document.getElementById('assessment-year').addEventListener('change', (e) => navigate(`/assessment?year=${e.target.value}`));
}

export async function inboxPage(params, query) {
  const all = query.get('all');
  const events = await api(`/api/inbox${all ? '?all=1' : ''}`);
  main.innerHTML = `<div class="page-head"><h1>${t('inbox.title')}</h1><a href="/inbox${all ? '' : '?all=1'}" data-link>${t('inbox.all')}</a></div>
    ${events.length ? `<ul class="inbox">${events.map((e) => `<li class="${e.done_at ? 'done' : ''}"><time datetime="${esc(e.at)}">${esc(formatTime(e.at))}</time>
      <b>${esc(t(`event.${e.kind}`))}</b> <a href="/tasks/${e.task_id}" data-link>${esc(e.task_title || '')}</a> <span class="sub">${esc(e.summary)}</span>
      ${e.done_at ? '' : `<button type="button" class="small" data-event="${e.id}">${t('inbox.done')}</button>`}</li>`).join('')}</ul>` : `<p class="empty">${t('inbox.none')}</p>`}`;
  for (const b of main.querySelectorAll('[data-event]')) b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      await send('POST', `/api/inbox/${b.dataset.event}/done`);
      await inboxPage(params, query);
      reportSuccess(t('done.inbox'));
    } catch (err) {
      reportFailure(err);
      b.disabled = false;
    }
  });
}
