// P3 部门预警情况: per department, its nodes in warning, overdue, locked and unlocked, with the
// nodes open; grouped by the department and, at once, by up to two more dimensions chosen on the
// page (阶段、节点类别、案件类型 …), all kept in the address (`dims=STAGE,CASE_TYPE`). A bar chart
// compares the departments; every number lists exactly its nodes.
import { EP, h, defineComponent } from '../lib.js';
import { route, setQuery } from '../router.js';
import { pageHeader, errorNotice, emptyState, loading, useLoader, countLink, FilterBar, Chart, CHART_FONT } from '../ui.js';
import { filters, summarize, drill, cellValue, wholeCell, groupLabel } from '../supervision.js';
import { date } from '../format.js';
import { DIMENSIONS } from '../labels.js';

const { ElTable, ElTableColumn, ElSelect, ElOption, ElForm, ElFormItem } = EP;
// The dimensions a department's row can be split by besides itself (SummarizeSupervision takes
// four: the court and the department, and these two).
const EXTRA = ['STAGE', 'CATEGORY', 'NODE_TYPE', 'CASE_TYPE', 'PROCEDURE', 'HANDLER', 'MONTH'];
const MEASURES = [
  ['nodes.warning', '预警节点'], ['nodes.overdue', '超期节点'], ['nodes.locked', '锁定节点'],
  ['nodes.unlocked', '已解锁节点'], ['nodes.open', '未完成节点'], ['nodes.total', '节点总数'],
];

export function extraDimensions() {
  return String(route.query.dims || '').split(',').filter((d) => EXTRA.includes(d)).slice(0, 2);
}

export const DepartmentsPage = defineComponent({
  name: 'CfDepartmentsPage',
  setup() {
    const { data, error, busy, reload } = useLoader(() => route.query, async () => {
      const f = filters();
      const dims = extraDimensions();
      const answer = await summarize(f, { groupBy: ['COURT', 'DEPARTMENT', ...dims] });
      return { f, dims, answer };
    });

    const rowName = (row) => (row.total ? '合计' : row.group.slice(0, 2).map(groupLabel).join(' · '));
    const extraName = (row, i) => (row.total ? '' : groupLabel(row.group[2 + i]));

    function table(d) {
      const rows = [...(d.answer.cells || []), { total: true, group: [], cases: d.answer.caseTotals, nodes: d.answer.nodeTotals }];
      const label = (row) => [rowName(row), ...d.dims.map((_, i) => extraName(row, i))].filter(Boolean).join(' · ');
      const n = (measure, title) => ({ row }) => countLink(cellValue(row, measure),
        ...drill(d.f, d.answer, row.total ? wholeCell(d.answer) : row, measure, `${label(row)} · ${title}`), `${label(row)}${title}`);
      return h(ElTable, { data: rows, border: true, style: { width: '100%' }, rowClassName: ({ row }) => (row.total ? 'cf-total-row' : '') }, () => [
        h(ElTableColumn, { label: '部门', minWidth: 240, fixed: 'left' }, { default: ({ row }) => rowName(row) }),
        ...d.dims.map((dim, i) => h(ElTableColumn, { label: DIMENSIONS[dim], minWidth: 130 }, { default: ({ row }) => extraName(row, i) })),
        ...MEASURES.map(([measure, title]) => h(ElTableColumn, { label: title, align: 'right', minWidth: 96 }, { default: n(measure, title) })),
      ]);
    }

    function chart(d) {
      // One bar group per department (the extra dimensions summed), the departments with most
      // problems first.
      const byDepartment = new Map();
      for (const cell of d.answer.cells || []) {
        const key = rowName(cell);
        const sum = byDepartment.get(key) || { warning: 0, overdue: 0, locked: 0 };
        sum.warning += cellValue(cell, 'nodes.warning'); sum.overdue += cellValue(cell, 'nodes.overdue'); sum.locked += cellValue(cell, 'nodes.locked');
        byDepartment.set(key, sum);
      }
      const rows = [...byDepartment].sort((a, b) => (b[1].overdue + b[1].warning) - (a[1].overdue + a[1].warning)).slice(0, 20);
      return h(Chart, {
        label: '各部门预警、超期、锁定节点数柱状图：' + rows.map(([k, s]) => `${k} 预警 ${s.warning}、超期 ${s.overdue}、锁定 ${s.locked}`).join('；'),
        option: () => ({
          textStyle: { fontFamily: CHART_FONT },
          tooltip: { trigger: 'axis' }, legend: { data: ['预警节点', '超期节点', '锁定节点'], top: 0 },
          grid: { left: 48, right: 16, bottom: 120, top: 48 },
          xAxis: { type: 'category', data: rows.map(([k]) => k), axisLabel: { rotate: 30, interval: 0 } },
          yAxis: { type: 'value', minInterval: 1, name: '个' },
          series: [
            { name: '预警节点', type: 'bar', data: rows.map(([, s]) => s.warning), itemStyle: { color: '#d08c1a' } },
            { name: '超期节点', type: 'bar', data: rows.map(([, s]) => s.overdue), itemStyle: { color: '#c45656' } },
            { name: '锁定节点', type: 'bar', data: rows.map(([, s]) => s.locked), itemStyle: { color: '#8c1c13' } },
          ],
        }),
      });
    }

    const dimensionPicker = () => h('section', { class: 'cf-toolbar', 'aria-label': '统计维度' }, h(ElForm, { inline: true, onSubmit: (e) => e.preventDefault() }, () => [
      h(ElFormItem, { label: '同时按' }, () => h(ElSelect, {
        modelValue: extraDimensions(), multiple: true, multipleLimit: 2, clearable: true, placeholder: '只按部门', ariaLabel: '同时按（至多两项）',
        style: { width: '22rem' }, 'onUpdate:modelValue': (v) => setQuery({ dims: v.join(',') }),
      }, () => EXTRA.map((k) => h(ElOption, { key: k, value: k, label: DIMENSIONS[k] })))),
    ]));

    return () => {
      const d = data.value;
      return h('section', { class: 'cf-page' }, [
        pageHeader('部门预警情况', d ? `截至 ${date(d.answer.asOf)}，各部门的预警、超期、锁定和已解锁节点；可同时按阶段、节点类别、案件类型等细分，点击数字查看节点。` : ''),
        h(FilterBar),
        dimensionPicker(),
        errorNotice(error.value, reload),
        busy.value && !d ? loading() : null,
        d && (d.answer.cells || []).length ? [h('section', { class: 'cf-panel', 'aria-label': '部门预警图表' }, chart(d)), table(d)] : null,
        d && !(d.answer.cells || []).length ? emptyState('所选范围内没有节点。请放宽日期范围，或在“法院”中选择“全部”。') : null,
      ]);
    };
  },
});
