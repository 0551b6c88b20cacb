// The UI's words in Chinese (default) and English. Unit and measure texts
// come from the plan itself and stay as written.
const dictionary = {
  zh: {
    'app.name': '清水',
    'app.footer': '清水 · 长江经济带生态保护和绿色发展规划实施管理',
    'nav.plan': '规划', 'nav.units': '责任单位', 'nav.matrix': '责任矩阵', 'nav.search': '搜索', 'nav.menu': '菜单',
    'common.loading': '加载中…', 'common.error': '出错了', 'common.none': '无',
    'plan.none': '尚未导入规划。请运行 qingshui plan import 文件。',
    'plan.issued': '印发日期', 'plan.chapters': '章', 'plan.measures': '项措施',
    'plan.chapter': '章节', 'plan.all_chapters': '全部章节',
    'filter.unit': '单位', 'filter.any_unit': '全部单位', 'filter.role': '角色',
    'filter.any_role': '牵头或责任', 'filter.clear': '清除筛选', 'filter.shown': '显示 {n} 项措施',
    'role.lead': '牵头', 'role.support': '责任',
    'measure.targets': '目标', 'measure.full': '全文', 'measure.line': '原文第 {n} 行',
    'target.dated': '时限', 'target.quantity': '量化',
    'unit.kind.city_department': '市直部门', 'unit.kind.county_government': '县市区政府',
    'unit.kind.zone_committee': '园区管委会', 'unit.kind.collective': '集合', 'unit.kind.company': '企业',
    'unit.kind.other': '其他',
    'units.title': '责任单位', 'units.leads': '牵头', 'units.supports': '责任', 'units.kind': '类型',
    'units.name': '单位', 'units.filter': '按名称筛选', 'unit.leads': '牵头的措施', 'unit.supports': '负责的措施',
    'unit.aliases': '别名',
    'matrix.title': '责任矩阵', 'matrix.hint': '每格为该单位在该章中牵头和负责的措施数；点击查看措施。',
    'matrix.kind': '单位类型', 'matrix.all': '全部',
    'search.title': '搜索措施', 'search.placeholder': '输入关键词，如 河长制、污水、2020', 'search.results': '找到 {n} 项措施',
    'via': '经由 {name}',
    'nav.tasks': '任务', 'nav.inbox': '待办', 'nav.dashboard': '督办看板', 'nav.assessment': '年度考核', 'nav.water': '水质',
    'login.title': '登录', 'login.login': '账号', 'login.password': '密码', 'login.submit': '登录', 'login.logout': '退出',
    'light.green': '正常', 'light.yellow': '预警', 'light.red': '滞后', 'light.done': '办结',
    'task.new': '新建任务', 'task.year': '年度', 'task.title': '任务', 'task.description': '说明', 'task.start': '开始日期',
    'task.due': '完成时限', 'task.indicator': '指标', 'task.indicator_unit': '计量单位', 'task.baseline': '基数',
    'task.target': '目标值', 'task.milestones': '节点', 'task.milestone_title': '节点内容', 'task.add_milestone': '添加节点',
    'task.units': '责任单位', 'task.measure': '措施', 'task.progress': '进度', 'task.state.open': '推进中',
    'task.state.proposed': '申请办结', 'task.state.done': '已办结', 'task.create': '创建任务', 'task.starting_points': '规划中的目标（可作起点）',
    'task.none': '暂无任务', 'task.copy': '复制到下一年度', 'task.timeline': '进展记录', 'task.why': '灯色原因',
    'task.mark_done': '标记完成', 'task.rating': '评价',
    'report.title': '报送进展', 'report.period': '报送期', 'report.percent': '完成百分比', 'report.text': '进展情况',
    'report.value': '指标当前值', 'report.file': '附件', 'report.submit': '报送', 'report.accept': '通过', 'report.return': '退回修改',
    'report.comment': '意见', 'report.state.submitted': '待审核', 'report.state.returned': '已退回', 'report.state.accepted': '已通过',
    'notice.issue': '发出督办', 'notice.level': '级别', 'notice.level.cuiban': '催办', 'notice.level.duban': '督办',
    'notice.level.guapai': '挂牌督办', 'notice.deadline': '回复期限', 'notice.text': '督办内容', 'notice.unit': '督办单位',
    'notice.reply': '回复', 'notice.close': '关闭', 'notice.state.open': '待回复', 'notice.state.replied': '已回复', 'notice.state.closed': '已关闭',
    'extension.request': '申请延期', 'extension.until': '延期至', 'extension.reason': '理由', 'extension.grant': '同意',
    'extension.refuse': '不同意', 'extension.state.pending': '待审批', 'extension.state.granted': '已同意', 'extension.state.refused': '未同意',
    'completion.propose': '申请办结', 'completion.evidence': '办结材料', 'completion.confirm': '确认办结', 'completion.return': '退回',
    'completion.state.pending': '待确认', 'completion.state.confirmed': '已确认', 'completion.state.returned': '已退回',
    'dashboard.title': '督办看板', 'dashboard.by_chapter': '各章任务灯色', 'dashboard.by_unit': '各牵头单位', 'dashboard.overdue': '逾期任务',
    'dashboard.missing': '本期未报送', 'dashboard.notices': '未办结督办',
    'assessment.title': '年度考核', 'assessment.rank': '名次', 'assessment.unit': '单位', 'assessment.score': '得分', 'assessment.grade': '等次',
    'assessment.excel': '导出 Excel', 'assessment.print': '打印', 'assessment.breakdown': '计分明细',
    'inbox.title': '待办事项', 'inbox.none': '没有待办事项', 'inbox.done': '已处理', 'inbox.all': '显示已处理',
    'form.saved': '已保存', 'common.send': '提交',
    'reason.TASK_OVERDUE': '已超过完成时限 {days} 天', 'reason.MILESTONE_OVERDUE': '节点“{title}”逾期 {days} 天',
    'reason.FAR_BEHIND': '进度严重滞后：按计划应完成 {expected}%，实际 {actual}%',
    'reason.MILESTONE_DUE_SOON_BEHIND': '节点“{title}”{days} 天后到期，进度落后：应完成 {expected}%，实际 {actual}%',
    'reason.REPORT_MISSING': '{period} 进展未报送（已过期限 {days} 天）', 'reason.COMPLETED_LATE': '超期 {days} 天办结',
    'event.task.assigned': '新任务', 'event.report.submitted': '进展待审核', 'event.report.returned': '进展被退回',
    'event.report.accepted': '进展已通过', 'event.notice.issued': '收到督办', 'event.notice.replied': '督办已回复',
    'event.extension.requested': '延期申请', 'event.extension.granted': '延期已同意', 'event.extension.refused': '延期未同意',
    'event.completion.proposed': '办结申请', 'event.completion.confirmed': '已确认办结', 'event.completion.returned': '办结被退回',
  },
  en: {
    'app.name': 'Qingshui',
    'app.footer': 'Qingshui · implementing the Yangtze Economic Belt ecological-protection plan',
    'nav.plan': 'Plan', 'nav.units': 'Units', 'nav.matrix': 'Matrix', 'nav.search': 'Search', 'nav.menu': 'Menu',
    'common.loading': 'Loading…', 'common.error': 'Something went wrong', 'common.none': 'None',
    'plan.none': 'No plan imported yet. Run qingshui plan import FILE.',
    'plan.issued': 'Issued', 'plan.chapters': 'chapters', 'plan.measures': 'measures',
    'plan.chapter': 'Chapter', 'plan.all_chapters': 'All chapters',
    'filter.unit': 'Unit', 'filter.any_unit': 'All units', 'filter.role': 'Role',
    'filter.any_role': 'Lead or responsible', 'filter.clear': 'Clear filters', 'filter.shown': '{n} measures shown',
    'role.lead': 'Lead', 'role.support': 'Responsible',
    'measure.targets': 'Targets', 'measure.full': 'Full text', 'measure.line': 'line {n} of the document',
    'target.dated': 'deadline', 'target.quantity': 'quantity',
    'unit.kind.city_department': 'City department', 'unit.kind.county_government': 'County government',
    'unit.kind.zone_committee': 'Zone committee', 'unit.kind.collective': 'Collective', 'unit.kind.company': 'Company',
    'unit.kind.other': 'Other',
    'units.title': 'Units', 'units.leads': 'Leads', 'units.supports': 'Supports', 'units.kind': 'Kind',
    'units.name': 'Unit', 'units.filter': 'Filter by name', 'unit.leads': 'Measures it leads', 'unit.supports': 'Measures it supports',
    'unit.aliases': 'Aliases',
    'matrix.title': 'Responsibility matrix', 'matrix.hint': 'Each cell counts the measures of a chapter that the unit leads or supports; click to see them.',
    'matrix.kind': 'Kind of unit', 'matrix.all': 'All',
    'search.title': 'Search measures', 'search.placeholder': 'Keywords, e.g. 河长制, 污水, 2020', 'search.results': '{n} measures found',
    'via': 'via {name}',
    'nav.tasks': 'Tasks', 'nav.inbox': 'Inbox', 'nav.dashboard': 'Dashboard', 'nav.assessment': 'Assessment', 'nav.water': 'Water',
    'login.title': 'Sign in', 'login.login': 'Login', 'login.password': 'Password', 'login.submit': 'Sign in', 'login.logout': 'Sign out',
    'light.green': 'On track', 'light.yellow': 'At risk', 'light.red': 'Behind', 'light.done': 'Done',
    'task.new': 'New task', 'task.year': 'Year', 'task.title': 'Task', 'task.description': 'Description', 'task.start': 'Start',
    'task.due': 'Deadline', 'task.indicator': 'Indicator', 'task.indicator_unit': 'Unit of measure', 'task.baseline': 'Baseline',
    'task.target': 'Target', 'task.milestones': 'Milestones', 'task.milestone_title': 'Milestone', 'task.add_milestone': 'Add milestone',
    'task.units': 'Units', 'task.measure': 'Measure', 'task.progress': 'Progress', 'task.state.open': 'In progress',
    'task.state.proposed': 'Completion proposed', 'task.state.done': 'Done', 'task.create': 'Create task', 'task.starting_points': 'Targets in the plan (starting points)',
    'task.none': 'No tasks', 'task.copy': 'Copy to next year', 'task.timeline': 'Timeline', 'task.why': 'Why this light',
    'task.mark_done': 'Mark done', 'task.rating': 'Rating',
    'report.title': 'Report progress', 'report.period': 'Period', 'report.percent': 'Percent done', 'report.text': 'Progress',
    'report.value': 'Indicator value', 'report.file': 'Attachment', 'report.submit': 'Submit', 'report.accept': 'Accept', 'report.return': 'Return for correction',
    'report.comment': 'Comment', 'report.state.submitted': 'Awaiting review', 'report.state.returned': 'Returned', 'report.state.accepted': 'Accepted',
    'notice.issue': 'Issue notice', 'notice.level': 'Level', 'notice.level.cuiban': 'Reminder (催办)', 'notice.level.duban': 'Supervision (督办)',
    'notice.level.guapai': 'Listed supervision (挂牌督办)', 'notice.deadline': 'Reply by', 'notice.text': 'Notice', 'notice.unit': 'To unit',
    'notice.reply': 'Reply', 'notice.close': 'Close', 'notice.state.open': 'Awaiting reply', 'notice.state.replied': 'Replied', 'notice.state.closed': 'Closed',
    'extension.request': 'Ask for an extension', 'extension.until': 'Until', 'extension.reason': 'Reason', 'extension.grant': 'Grant',
    'extension.refuse': 'Refuse', 'extension.state.pending': 'Pending', 'extension.state.granted': 'Granted', 'extension.state.refused': 'Refused',
    'completion.propose': 'Propose completion', 'completion.evidence': 'Evidence', 'completion.confirm': 'Confirm', 'completion.return': 'Send back',
    'completion.state.pending': 'Pending', 'completion.state.confirmed': 'Confirmed', 'completion.state.returned': 'Sent back',
    'dashboard.title': 'Dashboard', 'dashboard.by_chapter': 'Lights by chapter', 'dashboard.by_unit': 'By lead unit', 'dashboard.overdue': 'Overdue',
    'dashboard.missing': 'Reports missing this period', 'dashboard.notices': 'Open notices',
    'assessment.title': 'Annual assessment', 'assessment.rank': 'Rank', 'assessment.unit': 'Unit', 'assessment.score': 'Score', 'assessment.grade': 'Grade',
    'assessment.excel': 'Export to Excel', 'assessment.print': 'Print', 'assessment.breakdown': 'Breakdown',
    'inbox.title': 'Inbox', 'inbox.none': 'Nothing waits for you', 'inbox.done': 'Done', 'inbox.all': 'Show done',
    'form.saved': 'Saved', 'common.send': 'Submit',
    'reason.TASK_OVERDUE': '{days} days past the deadline', 'reason.MILESTONE_OVERDUE': 'milestone "{title}" is {days} days late',
    'reason.FAR_BEHIND': 'far behind schedule: {expected}% expected, {actual}% done',
    'reason.MILESTONE_DUE_SOON_BEHIND': 'milestone "{title}" is due in {days} days and progress is behind: {expected}% expected, {actual}% done',
    'reason.REPORT_MISSING': 'no report for {period} ({days} days past its deadline)', 'reason.COMPLETED_LATE': 'completed {days} days late',
    'event.task.assigned': 'New task', 'event.report.submitted': 'Report to review', 'event.report.returned': 'Report returned',
    'event.report.accepted': 'Report accepted', 'event.notice.issued': 'Supervision notice', 'event.notice.replied': 'Notice answered',
    'event.extension.requested': 'Extension requested', 'event.extension.granted': 'Extension granted', 'event.extension.refused': 'Extension refused',
    'event.completion.proposed': 'Completion proposed', 'event.completion.confirmed': 'Completion confirmed', 'event.completion.returned': 'Completion sent back',
  },
};

let language = localStorage.getItem('qingshui.lang') || 'zh';

export function lang() { return language; }

export function setLang(next) {
  language = next;
  localStorage.setItem('qingshui.lang', next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
}

// The word for KEY in the current language, with {name} placeholders filled.
export function t(key, values = {}) {
  const text = dictionary[language][key] ?? dictionary.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

// Translate the static parts of the page (elements marked data-i18n).
export function translateStatic(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}
