// The tasks of a measure's and of a unit's page (issue 14): how many are of
// each light and the tasks themselves, each linked to its page; a unit's
// score in the year's assessment (leaders); the measure on cross-boundary
// water assessment links to that assessment. Signed-in accounts only (GET
// /api/tasks needs one; a unit account sees its own tasks).
import { t, lang } from './i18n.js';
import { api, currentSession } from './api.js';
import { esc } from './ui.js';
import { todayChina } from './time.js';

const LIGHTS = ['red', 'yellow', 'green', 'done'];
const LEVELS = ['anonymous', 'unit', 'leader', 'admin'];
// The plan's measure (十六) 加强跨界断面水质考核 is what /water/assessment computes.
const WATER_ASSESSMENT_TITLE = '跨界断面水质考核';

const atLeast = (level) => LEVELS.indexOf(currentSession().level) >= LEVELS.indexOf(level);

function tasksHtml(tasks) {
  const counts = LIGHTS.map((c) => [c, tasks.filter((x) => x.light?.color === c).length]).filter(([, n]) => n);
  return `<p class="stat-line" id="task-lights">${counts.map(([c, n]) =>
    `<span class="light light-${c}">${t(`light.${c}`)}</span> <b>${n}</b>`).join(' ') || t('task.none')}</p>
    ${tasks.length ? `<div class="table-wrap"><table class="tasks-table" id="page-tasks"><thead><tr><th></th><th>${t('task.title')}</th><th class="num">${t('task.due')}</th><th class="num">${t('task.progress')}</th></tr></thead>
    <tbody>${tasks.map((x) => `<tr data-task="${x.id}"><td><span class="light light-${esc(x.light?.color || 'green')}">${t(`light.${x.light?.color || 'green'}`)}</span></td>
      <td><a href="/tasks/${x.id}" data-link>${esc(x.title)}</a></td><td class="num">${esc(x.due_on)}</td><td class="num">${esc(x.percent ?? 0)}%</td></tr>`).join('')}</tbody></table></div>` : ''}`;
}

// The section of a measure M's page: its tasks, and the link to the water assessment.
export async function measureTasks(m) {
  const water = m.title.includes(WATER_ASSESSMENT_TITLE)
    ? `<p><a class="button" href="/water/assessment" data-link id="water-assessment-link">${t('plan.water_assessment')}</a></p>` : '';
  if (!atLeast('unit')) return water;
  const tasks = await api(`/api/tasks?measure=${encodeURIComponent(m.id)}`);
  return `${water}<h2>${t('plan.tasks')}</h2>${tasksHtml(tasks)}`;
}

// The section of a unit U's page: its score in this year's assessment (for
// leaders) and its tasks.
export async function unitTasks(u) {
  if (!atLeast('unit')) return '';
  const year = todayChina().slice(0, 4);
  const [tasks, assessment] = await Promise.all([api(`/api/tasks?unit=${encodeURIComponent(u.id)}`),
    atLeast('leader') ? api(`/api/assessment?year=${year}`) : null]);
  const mine = assessment?.units.find((x) => x.unit_id === u.id);
  const score = mine?.rank ? `<p class="meta" id="unit-score">${t('plan.unit_score', { year })}: <a href="/assessment?year=${year}" data-link><b>${Number(mine.score).toFixed(2)}</b></a> · ${esc(lang() === 'en' ? mine.grade_en : mine.grade)}</p>` : '';
  return `${score}<h2>${t('plan.tasks')}</h2>${tasksHtml(tasks)}`;
}
