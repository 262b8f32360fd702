// P6 被锁定案件类型统计: by region, court or department, the cases locked, the cases accepted in
// the same period (收案日期 by default), the ratio, and the same split into 民事、刑事、行政 (and the
// other case types where there are any), with a stacked bar chart. Every number lists its cases.
import { EP, h, defineComponent } from '../lib.js';
import { route, setQuery } from '../router.js';
import { pageHeader, errorNotice, emptyState, loading, useLoader, countLink, FilterBar, Chart, CHART_FONT } from '../ui.js';
import { filters, summarize, drill, cellValue, wholeCell, groupLabel } from '../supervision.js';
import { date, ratio } from '../format.js';
import { CASE_TYPES } from '../labels.js';

const { ElTable, ElTableColumn, ElRadioGroup, ElRadioButton } = EP;
const BY = { region: ['REGION', '片区'], court: ['COURT', '法院'], department: ['DEPARTMENT', '部门'] };
// The seed's three, always shown; the other types get a column when a cell has one.
const MAIN_TYPES = ['CIVIL', 'CRIMINAL', 'ADMINISTRATIVE'];
const TYPE_COLOURS = { CIVIL: '#1a5fb4', CRIMINAL: '#b33a3a', ADMINISTRATIVE: '#a35f00', EXECUTION: '#3d7a22', STATE_COMPENSATION: '#5c5f66' };

const typeOf = (group) => String(group.value || '').replace('CASE_TYPE_', '');

export const LockTypesPage = defineComponent({
  name: 'CfLockTypesPage',
  setup() {
    const by = () => (BY[route.query.by] ? route.query.by : 'court');
    const { data, error, busy, reload } = useLoader(() => route.query, async () => {
      const f = filters({ basis: 'RECEIVE' });
      const [groups, split] = await Promise.all([
        summarize(f, { groupBy: [BY[by()][0]] }),
        summarize(f, { groupBy: [BY[by()][0], 'CASE_TYPE'] }),
      ]);
      // The split's cells by unit and case type: unit value → type → cell.
      const cells = new Map();
      const seen = new Set(MAIN_TYPES);
      for (const cell of split.cells || []) {
        const unit = cell.group[0].value; const type = typeOf(cell.group[1]);
        if (!cells.has(unit)) cells.set(unit, {});
        cells.get(unit)[type] = cell;
        if (type) seen.add(type);
      }
      const types = Object.keys(CASE_TYPES).filter((t) => seen.has(t));
      return { f, groups, split, cells, types };
    });

    function table(d) {
      const rows = [...(d.groups.cells || []), { total: true, group: [{ label: '合计' }], cases: d.groups.caseTotals, nodes: d.groups.nodeTotals }];
      const name = (row) => (row.total ? '合计' : groupLabel(row.group[0]));
      // A count of `row` (the cell itself, or the total row's totals) that lists what `cell`'s drill-down selects.
      const n = (answer, cell, measure, title, label, row = cell) => countLink(cellValue(row, measure), ...drill(d.f, answer, cell, measure, `${label} · ${title}`), `${label}${title}`);
      // The total row's cell of one type: the types summed over the units (its drill-down: the
      // whole query narrowed to the type).
      const typeCell = (row, type) => {
        if (!row.total) return (d.cells.get(row.group[0].value) || {})[type] || null;
        const all = [...d.cells.values()].map((byType) => byType[type]).filter(Boolean);
        const sum = (kind, key) => all.reduce((s, c) => s + cellValue(c, `${kind}.${key}`), 0);
        const whole = wholeCell(d.groups).drillDown;
        return all.length ? {
          cases: { locked: sum('cases', 'locked'), total: sum('cases', 'total') },
          drillDown: whole ? { ...whole, filter: [whole.filter, `case_type = ${type}`].filter(Boolean).join(' AND ') } : { filter: `case_type = ${type}` },
        } : null;
      };
      return h(ElTable, { data: rows, border: true, style: { width: '100%' }, rowClassName: ({ row }) => (row.total ? 'cf-total-row' : '') }, () => [
        h(ElTableColumn, { label: BY[by()][1], minWidth: 200, fixed: 'left' }, { default: ({ row }) => name(row) }),
        h(ElTableColumn, { label: '合计', align: 'center' }, () => [
          h(ElTableColumn, { label: '锁定案件', align: 'right', minWidth: 90 }, { default: ({ row }) => n(d.groups, row.total ? wholeCell(d.groups) : row, 'cases.locked', '锁定案件', name(row), row) }),
          h(ElTableColumn, { label: '收案数', align: 'right', minWidth: 80 }, { default: ({ row }) => n(d.groups, row.total ? wholeCell(d.groups) : row, 'cases.total', '收案', name(row), row) }),
          h(ElTableColumn, { label: '锁定率', align: 'right', minWidth: 80 }, { default: ({ row }) => ratio(cellValue(row, 'cases.locked'), cellValue(row, 'cases.total'), 2) }),
        ]),
        ...d.types.map((type) => h(ElTableColumn, { label: CASE_TYPES[type], align: 'center' }, () => [
          h(ElTableColumn, { label: '锁定', align: 'right', minWidth: 70 }, { default: ({ row }) => n(d.split, typeCell(row, type), 'cases.locked', `${CASE_TYPES[type]}锁定案件`, name(row)) }),
          h(ElTableColumn, { label: '收案', align: 'right', minWidth: 70 }, { default: ({ row }) => n(d.split, typeCell(row, type), 'cases.total', `${CASE_TYPES[type]}收案`, name(row)) }),
          h(ElTableColumn, { label: '锁定率', align: 'right', minWidth: 80 }, { default: ({ row }) => { const c = typeCell(row, type); return ratio(cellValue(c, 'cases.locked'), cellValue(c, 'cases.total'), 2); } }),
        ])),
      ]);
    }

    function chart(d) {
      const units = (d.groups.cells || []).slice(0, 30);
      const locked = (unit, type) => cellValue((d.cells.get(unit.group[0].value) || {})[type], 'cases.locked');
      return h(Chart, {
        label: `各${BY[by()][1]}锁定案件按案件类型的堆叠柱状图：` + units.map((u) => `${groupLabel(u.group[0])} ` +
          d.types.map((t) => `${CASE_TYPES[t]} ${locked(u, t)} 件`).join('、')).join('；'),
        option: () => ({
          textStyle: { fontFamily: CHART_FONT },
          tooltip: { trigger: 'axis' }, legend: { data: d.types.map((t) => CASE_TYPES[t]), top: 0 },
          grid: { left: 48, right: 16, bottom: 110, top: 48 },
          xAxis: { type: 'category', data: units.map((u) => groupLabel(u.group[0])), axisLabel: { rotate: 35, interval: 0 } },
          yAxis: { type: 'value', minInterval: 1, name: '件' },
          series: d.types.map((t) => ({ name: CASE_TYPES[t], type: 'bar', stack: 'locked', data: units.map((u) => locked(u, t)), itemStyle: { color: TYPE_COLOURS[t] } })),
        }),
      });
    }

    return () => {
      const d = data.value;
      return h('section', { class: 'cf-page' }, [
        pageHeader('被锁定案件类型统计', d ? `截至 ${date(d.groups.asOf)}；锁定案件、同期收案数和锁定率，分民事、刑事、行政；收案按所选日期口径（默认收案日期）和范围统计。` : ''),
        h(FilterBar, { defaults: { basis: 'RECEIVE' } }),
        h('div', { class: 'cf-toolbar' }, h(ElRadioGroup, { modelValue: by(), 'onUpdate:modelValue': (v) => setQuery({ by: v }), ariaLabel: '统计单位' },
          () => Object.entries(BY).map(([k, [, label]]) => h(ElRadioButton, { value: k }, () => `按${label}`)))),
        errorNotice(error.value, reload),
        busy.value && !d ? loading() : null,
        d && (d.groups.cells || []).length ? [h('section', { class: 'cf-panel', 'aria-label': '锁定案件类型图表' }, chart(d)), table(d)] : null,
        d && !(d.groups.cells || []).length ? emptyState('所选范围内没有案件。请放宽日期范围，或在“法院”中选择“全部”。') : null,
      ]);
    };
  },
});
