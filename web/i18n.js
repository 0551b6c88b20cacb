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
