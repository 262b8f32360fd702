// Q2 质效分析: the efficiency indicators (结收比、法定审限内结案率、平均审理天数、超12个月未结、延长审限率)
// per group over a period, with their definitions as the API gives them; time per stage (median
// and 90th percentile); and the node types, courts and departments whose overdue nodes keep
// coming back, with their monthly trend. Counts of cases and overdue nodes drill down.
import { EP, h, ref, defineComponent } from '../lib.js';
import { route, setQuery } from '../router.js';
import { pageHeader, errorNotice, emptyState, loading, useLoader, countLink, FilterBar, Chart, CHART_FONT } from '../ui.js';
import { filters, analyzeQuality, drillFilter, groupTerm, groupLabel, joinTerms } from '../supervision.js';
import { date, number, percent, days, isoDate } from '../format.js';
import { STAGES, DIMENSIONS, word } from '../labels.js';

const { ElTable, ElTableColumn, ElRadioGroup, ElRadioButton, ElCollapse, ElCollapseItem, ElButton } = EP;
const TOP = 10;
const GROUPS = { none: [], court: ['COURT'], department: ['DEPARTMENT'], case_type: ['CASE_TYPE'], procedure: ['PROCEDURE'] };
const LABELS = { none: '不分组', court: '按法院', department: '按部门', case_type: '按案件类型', procedure: '按审理程序' };
const INDICATORS = [
  ['closedToReceived', '结收比', 'closed_to_received'], ['withinLimitRate', '法定审限内结案率', 'within_limit_rate'],
  ['averageTrialDays', '平均审理天数', 'average_trial_days'], ['overTwelveMonthsRatio', '超12个月未结案件比', 'over_12_months_ratio'],
  ['extensionRate', '延长审限率', 'extension_rate'],
];

export const QualityPage = defineComponent({
  name: 'CfQualityPage',
  setup() {
    const group = () => (GROUPS[route.query.group] ? route.query.group : 'court');
    const showAll = ref(false);
    const { data, error, busy, reload } = useLoader(() => route.query, async () => {
      const f = filters();
      return { f, q: await analyzeQuality(f, { groupBy: GROUPS[group()] }) };
    });

    function indicators(d) {
      const period = { from: isoDate(d.q.startDate), to: isoDate(d.q.endDate) };
      const rows = [...(d.q.indicators || []), { ...(d.q.totals || {}), group: [{ label: '合计' }], total: true }];
      const name = (row) => (row.total ? '合计' : (row.group || []).map(groupLabel).join(' · ') || '全部');
      const terms = (row) => (row.total ? '' : joinTerms(...(row.group || []).map(groupTerm)));
      const cases = (field, basis, title) => ({ row }) => countLink(row[field],
        ...drillFilter({ ...d.f, ...period, basis }, terms(row), 'cases', `${name(row)} · ${title}`), `${name(row)}${title}`);
      const plain = (render) => ({ row }) => render(row);
      return h('section', { class: 'cf-panel', 'aria-labelledby': 'cf-q2-indicators' }, [
        h('h2', { id: 'cf-q2-indicators' }, `审判质效指标（${date(d.q.startDate)}至${date(d.q.endDate)}）`),
        h(ElTable, { data: rows, border: true, style: { width: '100%' }, rowClassName: ({ row }) => (row.total ? 'cf-total-row' : '') }, () => [
          h(ElTableColumn, { label: group() === 'none' ? '范围' : LABELS[group()].slice(1), minWidth: 180, fixed: 'left' }, { default: plain(name) }),
          h(ElTableColumn, { label: '收案', align: 'right' }, { default: cases('received', 'RECEIVE', '收案') }),
          h(ElTableColumn, { label: '结案', align: 'right' }, { default: cases('closed', 'CLOSE', '结案') }),
          h(ElTableColumn, { label: '结收比', align: 'right' }, { default: plain((r) => percent(r.closedToReceived)) }),
          h(ElTableColumn, { label: '法定审限内结案率', align: 'right', minWidth: 130 }, { default: plain((r) => `${percent(r.withinLimitRate)}（${number(r.closedWithinLimit)}/${number(r.closedWithLimit)}）`) }),
          h(ElTableColumn, { label: '平均审理天数', align: 'right', minWidth: 110 }, { default: plain((r) => days(r.averageTrialDays)) }),
          h(ElTableColumn, { label: '未结', align: 'right' }, { default: plain((r) => number(r.open)) }),
          h(ElTableColumn, { label: '超12个月未结', align: 'right', minWidth: 120 }, { default: plain((r) => `${number(r.openOver12Months)}（${percent(r.over12MonthsRatio)}）`) }),
          h(ElTableColumn, { label: '延长审限率', align: 'right', minWidth: 100 }, { default: plain((r) => `${percent(r.extensionRate)}（${number(r.extended)}）`) }),
        ]),
        h(ElCollapse, { class: 'cf-definitions' }, () => h(ElCollapseItem, { title: '指标口径（人民法院审判质量管理指标体系）', name: 'defs' }, () =>
          h('dl', null, Object.entries(d.q.definitions || {}).flatMap(([k, v]) => {
            const known = INDICATORS.find((i) => i[2] === k || i[0] === k);
            return [h('dt', null, known ? known[1] : k), h('dd', null, v)];
          })))),
      ]);
    }

    function stageChart(d) {
      const rows = d.q.stageDurations || [];
      if (!rows.length) return h('section', { class: 'cf-panel' }, [h('h2', null, '各阶段用时'), emptyState('这一期间没有走完的阶段。请放宽日期范围。')]);
      const names = rows.map((r) => word(STAGES, r.stage, 'STAGE_'));
      return h('section', { class: 'cf-panel', 'aria-labelledby': 'cf-q2-stages' }, [
        h('h2', { id: 'cf-q2-stages' }, '各阶段用时（天）'),
        h(Chart, {
          height: 300,
          label: '各阶段用时：' + rows.map((r, i) => `${names[i]} 中位数 ${Number(r.medianDays).toFixed(1)} 天，90% 分位 ${Number(r.p90Days).toFixed(1)} 天，${r.cases} 件`).join('；'),
          option: () => ({
            textStyle: { fontFamily: CHART_FONT }, tooltip: { trigger: 'axis' }, legend: { data: ['中位数', '90% 分位'] },
            grid: { left: 48, right: 16, bottom: 40, top: 40 },
            xAxis: { type: 'category', data: names }, yAxis: { type: 'value', name: '天' },
            series: [{ name: '中位数', type: 'bar', data: rows.map((r) => Number(r.medianDays).toFixed(1)), itemStyle: { color: '#409eff' } },
              { name: '90% 分位', type: 'bar', data: rows.map((r) => Number(r.p90Days).toFixed(1)), itemStyle: { color: '#e6a23c' } }],
          }),
        }),
      ]);
    }

    function recurring(d) {
      const total = (p) => (p.monthlyOverdue || []).reduce((a, b) => a + Number(b), 0);
      const all = [...(d.q.recurringProblems || [])].sort((a, b) => b.monthsWithOverdue - a.monthsWithOverdue || total(b) - total(a));
      const problems = showAll.value ? all : all.slice(0, TOP);
      const label = (p) => `${word(DIMENSIONS, p.dimension, 'DIMENSION_')}：${groupLabel(p)}`;
      const months = d.q.months || [];
      const monthLabel = (m) => `${+m.slice(0, 4)}年${+m.slice(5)}月`;
      const term = (p) => groupTerm({ dimension: p.dimension, value: p.value });
      return h('section', { class: 'cf-panel', 'aria-labelledby': 'cf-q2-recurring' }, [
        h('h2', { id: 'cf-q2-recurring' }, '反复出现的超期问题'),
        problems.length ? [
          h(Chart, {
            height: 300,
            label: '超期节点月度趋势：' + problems.slice(0, 8).map((p) => `${label(p)}：${(p.monthlyOverdue || []).join('、')}`).join('；'),
            option: () => ({
              textStyle: { fontFamily: CHART_FONT }, tooltip: { trigger: 'axis' }, legend: { type: 'scroll', top: 0 },
              grid: { left: 48, right: 16, bottom: 40, top: 48 },
              xAxis: { type: 'category', data: months.map(monthLabel) }, yAxis: { type: 'value', minInterval: 1, name: '个' },
              series: problems.slice(0, 8).map((p) => ({ name: label(p), type: 'line', data: (p.monthlyOverdue || []).map(Number) })),
            }),
          }),
          h(ElTable, { data: problems, border: true, style: { width: '100%' } }, () => [
            h(ElTableColumn, { label: '维度', width: 90 }, { default: ({ row }) => word(DIMENSIONS, row.dimension, 'DIMENSION_') }),
            h(ElTableColumn, { label: '名称', minWidth: 180 }, { default: ({ row }) => groupLabel(row) }),
            h(ElTableColumn, { label: '有超期的月数', align: 'right', width: 120 }, { default: ({ row }) => `${row.monthsWithOverdue} / ${months.length}` }),
            ...months.map((m, i) => h(ElTableColumn, { label: monthLabel(m), align: 'right', minWidth: 90 }, { default: ({ row }) => number((row.monthlyOverdue || [])[i]) })),
            h(ElTableColumn, { label: '超期节点', align: 'right', width: 100 }, { default: ({ row }) => countLink(total(row),
              ...drillFilter({ ...d.f, from: '', to: '' }, joinTerms(term(row), 'status = OVERDUE'), 'nodes', `${groupLabel(row)} · 超期节点`), `${groupLabel(row)}超期节点`) }),
          ]),
          all.length > TOP ? h(ElButton, { text: true, type: 'primary', onClick: () => { showAll.value = !showAll.value; } },
            () => (showAll.value ? `只看前 ${TOP} 项` : `显示全部 ${all.length} 项`)) : null,
        ] : emptyState('近几个月没有反复超期的节点类型、法院或部门。'),
      ]);
    }

    return () => {
      const d = data.value;
      return h('section', { class: 'cf-page' }, [
        pageHeader('质效分析', '按人民法院审判质量管理指标体系计算的效率指标，按自然月统计；默认为今年1月至今天。'),
        h(FilterBar, { fields: ['court', 'months'] }),
        h('div', { class: 'cf-toolbar' }, h(ElRadioGroup, { modelValue: group(), 'onUpdate:modelValue': (v) => setQuery({ group: v }), ariaLabel: '分组' },
          () => Object.entries(LABELS).map(([k, label]) => h(ElRadioButton, { value: k }, () => label)))),
        errorNotice(error.value, reload),
        busy.value && !d ? loading() : null,
        d ? [indicators(d), stageChart(d), recurring(d)] : null,
      ]);
    };
  },
});
