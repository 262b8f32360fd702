// P5 案件锁定情况: by region, court or department: locked cases, cases accepted, locked ratio,
// unlocked cases and locked nodes, with a bar chart; and the stages of the locked cases' locked
// nodes. Every number lists its cases or nodes (P5's columns).
import { EP, h, defineComponent } from '../lib.js';
import { route, setQuery } from '../router.js';
import { pageHeader, errorNotice, emptyState, loading, useLoader, countLink, FilterBar, Chart, CHART_FONT } from '../ui.js';
import { filters, summarize, drill, cellValue, wholeCell, groupLabel } from '../supervision.js';
import { date, ratio } from '../format.js';
import { STAGES, STAGE_ORDER } from '../labels.js';

const { ElTable, ElTableColumn, ElRadioGroup, ElRadioButton } = EP;
const BY = { region: ['REGION', '片区'], court: ['COURT', '法院'], department: ['DEPARTMENT', '部门'] };

export const LocksPage = defineComponent({
  name: 'CfLocksPage',
  setup() {
    const by = () => BY[route.query.by] ? route.query.by : 'court';
    const { data, error, busy, reload } = useLoader(() => route.query, async () => {
      const f = filters({ basis: 'RECEIVE' });
      const [groups, stages] = await Promise.all([
        summarize(f, { groupBy: [BY[by()][0]] }),
        summarize(f, { filter: 'locked = true', groupBy: ['STAGE'] }),
      ]);
      return { f, groups, stages };
    });

    function table(d) {
      const rows = [...(d.groups.cells || []), { total: true, group: [{ label: '合计' }], cases: d.groups.caseTotals, nodes: d.groups.nodeTotals }];
      const name = (row) => groupLabel(row.group[0]);
      const n = (measure, title) => ({ row }) => countLink(cellValue(row, measure),
        ...drill(d.f, d.groups, row.total ? wholeCell(d.groups) : row, measure, `${name(row)} · ${title}`), `${name(row)}${title}`);
      return h(ElTable, { data: rows, border: true, style: { width: '100%' }, rowClassName: ({ row }) => (row.total ? 'cf-total-row' : '') }, () => [
        h(ElTableColumn, { label: BY[by()][1], minWidth: 200, fixed: 'left' }, { default: ({ row }) => name(row) }),
        h(ElTableColumn, { label: '锁定案件', align: 'right' }, { default: n('cases.locked', '锁定案件') }),
        h(ElTableColumn, { label: '收案数', align: 'right' }, { default: n('cases.total', '收案') }),
        h(ElTableColumn, { label: '锁定率', align: 'right' }, { default: ({ row }) => ratio(cellValue(row, 'cases.locked'), cellValue(row, 'cases.total'), 2) }),
        h(ElTableColumn, { label: '已解锁案件', align: 'right' }, { default: n('cases.unlocked', '已解锁案件') }),
        h(ElTableColumn, { label: '锁定节点', align: 'right' }, { default: n('nodes.locked', '锁定节点') }),
        h(ElTableColumn, { label: '已解锁节点', align: 'right' }, { default: n('nodes.unlocked', '已解锁节点') }),
      ]);
    }

    function chart(d) {
      const cells = (d.groups.cells || []).slice(0, 30);
      return h(Chart, {
        label: `各${BY[by()][1]}锁定案件数柱状图：` + cells.map((c) => `${groupLabel(c.group[0])} ${cellValue(c, 'cases.locked')} 件`).join('，'),
        option: () => ({
          textStyle: { fontFamily: CHART_FONT },
          tooltip: { trigger: 'axis' }, legend: { data: ['锁定案件', '已解锁案件'], top: 0 },
          grid: { left: 48, right: 16, bottom: 110, top: 48 },
          xAxis: { type: 'category', data: cells.map((c) => groupLabel(c.group[0])), axisLabel: { rotate: 35, interval: 0 } },
          yAxis: { type: 'value', minInterval: 1, name: '件' },
          series: [
            { name: '锁定案件', type: 'bar', data: cells.map((c) => cellValue(c, 'cases.locked')), itemStyle: { color: '#c45656' } },
            { name: '已解锁案件', type: 'bar', data: cells.map((c) => cellValue(c, 'cases.unlocked')), itemStyle: { color: '#529b2e' } },
          ],
        }),
      });
    }

    function stages(d) {
      const byStage = Object.fromEntries((d.stages.cells || []).map((c) => [c.group[0].value, c]));
      return h('section', { class: 'cf-panel', 'aria-labelledby': 'cf-p5-stages' }, [
        h('h2', { id: 'cf-p5-stages' }, '锁定节点所处阶段'),
        h('ul', { class: 'cf-stage-list' }, STAGE_ORDER.map((s) => h('li', { key: s }, [h('span', null, STAGES[s]),
          countLink(cellValue(byStage[s], 'nodes.locked'), ...drill(d.f, d.stages, byStage[s], 'nodes.locked', `锁定节点 · ${STAGES[s]}`), `${STAGES[s]}锁定节点`)]))),
      ]);
    }

    return () => {
      const d = data.value;
      return h('section', { class: 'cf-page' }, [
        pageHeader('案件锁定情况', d ? `截至 ${date(d.groups.asOf)}；收案数与锁定率按所选日期口径（默认收案日期）和范围统计。` : ''),
        h(FilterBar, { defaults: { basis: 'RECEIVE' } }),
        h('div', { class: 'cf-toolbar' }, h(ElRadioGroup, { modelValue: by(), 'onUpdate:modelValue': (v) => setQuery({ by: v }), ariaLabel: '统计单位' },
          () => Object.entries(BY).map(([k, [, label]]) => h(ElRadioButton, { value: k }, () => `按${label}`)))),
        errorNotice(error.value, reload),
        busy.value && !d ? loading() : null,
        d && (d.groups.cells || []).length ? [h('section', { class: 'cf-panel', 'aria-label': '锁定案件图表' }, chart(d)), table(d), stages(d)] : null,
        d && !(d.groups.cells || []).length ? emptyState('所选范围内没有案件。请放宽日期范围，或在“法院”中选择“全部”。') : null,
      ]);
    };
  },
});
