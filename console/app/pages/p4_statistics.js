// P4 流程节点监督统计: by a date basis (收案、立案、结案、归档) and range, per court or department:
// cases (total, warning, overdue, normal) and nodes (total, warning, overdue, normal; open and
// finished), with a total row. Every number lists its cases or nodes.
import { EP, h, defineComponent } from '../lib.js';
import { route, setQuery } from '../router.js';
import { pageHeader, errorNotice, emptyState, loading, useLoader, countLink, FilterBar } from '../ui.js';
import { filters, summarize, drill, cellValue, wholeCell, groupLabel } from '../supervision.js';
import { date } from '../format.js';

const { ElTable, ElTableColumn, ElRadioGroup, ElRadioButton } = EP;
const BY = { court: ['COURT', '法院'], department: ['COURT', '部门'] };

export const StatisticsPage = defineComponent({
  name: 'CfStatisticsPage',
  setup() {
    const by = () => (route.query.by === 'department' ? 'department' : 'court');
    const { data, error, busy, reload } = useLoader(() => route.query, async () => {
      const f = filters();
      const groupBy = by() === 'department' ? ['COURT', 'DEPARTMENT'] : ['COURT'];
      const answer = await summarize(f, { groupBy });
      return { f, answer };
    });

    return () => {
      const d = data.value;
      const rows = d ? [...(d.answer.cells || []), { total: true, group: [{ label: '合计' }], cases: d.answer.caseTotals, nodes: d.answer.nodeTotals, drillDown: null }] : [];
      const name = (row) => row.group.map((g) => (row.total ? g.label : groupLabel(g))).join(' · ');
      const n = (measure, title) => ({ row }) => countLink(cellValue(row, measure),
        ...drill(d.f, d.answer, row.total ? wholeCell(d.answer) : row, measure, `${name(row)} · ${title}`), `${name(row)}${title}`);
      const col = (label, measure, title) => h(ElTableColumn, { label, align: 'right', minWidth: 78 }, { default: n(measure, title) });
      return h('section', { class: 'cf-page' }, [
        pageHeader('流程节点监督统计', d ? `截至 ${date(d.answer.asOf)}，按所选日期口径和范围统计案件与节点；点击数字查看明细。` : ''),
        h(FilterBar),
        h('div', { class: 'cf-toolbar' }, h(ElRadioGroup, { modelValue: by(), 'onUpdate:modelValue': (v) => setQuery({ by: v }), ariaLabel: '统计单位' }, () => [
          h(ElRadioButton, { value: 'court' }, () => '按法院'), h(ElRadioButton, { value: 'department' }, () => '按部门')])),
        errorNotice(error.value, reload),
        busy.value && !d ? loading() : null,
        d && (d.answer.cells || []).length ? h(ElTable, { data: rows, border: true, style: { width: '100%' }, rowClassName: ({ row }) => (row.total ? 'cf-total-row' : '') }, () => [
          h(ElTableColumn, { label: BY[by()][1], minWidth: 220, fixed: 'left' }, { default: ({ row }) => name(row) }),
          h(ElTableColumn, { label: '案件', align: 'center' }, () => [
            col('总数', 'cases.total', '案件'), col('预警', 'cases.warning', '预警案件'), col('超期', 'cases.overdue', '超期案件'),
            col('正常', 'cases.normal', '正常案件')]),
          h(ElTableColumn, { label: '节点', align: 'center' }, () => [
            col('总数', 'nodes.total', '节点'), col('预警', 'nodes.warning', '预警节点'), col('超期', 'nodes.overdue', '超期节点'),
            col('正常', 'nodes.normal', '正常节点'), col('未完成', 'nodes.open', '未完成节点'), col('已完成', 'nodes.finished', '已完成节点')]),
        ]) : null,
        d && !(d.answer.cells || []).length ? emptyState('所选日期范围内没有案件。请换一个日期口径或放宽日期范围。') : null,
      ]);
    };
  },
});
