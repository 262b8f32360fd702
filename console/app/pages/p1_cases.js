// P1 案件信息: the cases in the caller's scope accepted this year (收案日期), split into abnormal
// (any node warning, overdue or locked) and normal, with the six counters of the seed; and the
// same per court (or department). Every number lists its cases or nodes.
import { EP, h, defineComponent } from '../lib.js';
import { route } from '../router.js';
import { pageHeader, errorNotice, emptyState, loading, useLoader, counterCard, countLink, FilterBar } from '../ui.js';
import { filters, summarize, drill, cellValue, totalValue, groupLabel } from '../supervision.js';
import { date, ratio, today } from '../format.js';
import { session } from '../session.js';

const { ElTable, ElTableColumn } = EP;

function defaults() {
  const year = (route.query.asOf || today()).slice(0, 4);
  return { basis: 'RECEIVE', from: `${year}-01-01` };
}

export const CasesPage = defineComponent({
  name: 'CfCasesPage',
  setup() {
    const f = () => filters(defaults());
    const byCourt = () => ['REGION', 'PROVINCE'].some((s) => session.caller.scope.endsWith(s)) && !route.query.court;
    const { data, error, busy, reload } = useLoader(() => route.query, async () => {
      const q = f();
      const [total, groups] = await Promise.all([
        summarize(q),
        summarize(q, { groupBy: [byCourt() ? 'COURT' : 'DEPARTMENT'] }),
      ]);
      return { q, total, groups };
    });

    function counters({ q, total }) {
      const cell = { drillDown: total.cells?.[0]?.drillDown };
      const card = (title, measure, tone) => counterCard(title, totalValue(total, measure), ...drill(q, total, cell, measure, title), tone);
      return h('section', { class: 'cf-cards', 'aria-label': '案件计数' }, [
        card(q.from.endsWith('-01-01') && !q.to ? '本年收案' : '收案', 'cases.total', ''),
        card('预警', 'cases.warning', 'tone-warning'),
        card('超期', 'cases.overdue', 'tone-danger'),
        card('超期未预警', 'cases.overdue_without_warning', 'tone-danger'),
        card('锁定', 'cases.locked', 'tone-locked'),
        card('解锁', 'cases.unlocked', 'tone-ok'),
      ]);
    }

    function split({ q, total }) {
      const c = total.caseTotals || {};
      const cell = { drillDown: total.cells?.[0]?.drillDown };
      const abnormal = Number(c.abnormal || 0); const all = Number(c.total || 0);
      const width = all ? `${(abnormal / all) * 100}%` : '0%';
      return h('section', { class: 'cf-panel', 'aria-labelledby': 'cf-split' }, [
        h('h2', { id: 'cf-split' }, '异常与正常案件'),
        h('div', { class: 'cf-split-bar', role: 'img', 'aria-label': `异常 ${abnormal} 件，占 ${ratio(abnormal, all)}` },
          h('div', { class: 'cf-split-abnormal', style: { width } })),
        h('p', { class: 'cf-split-legend' }, [
          h('span', { class: 'cf-dot tone-danger' }), '异常案件（有节点预警、超期或锁定）：',
          countLink(c.abnormal, ...drill(q, total, cell, 'cases.abnormal', '异常案件'), '异常案件'), ` 件（${ratio(c.abnormal, c.total)}）　`,
          h('span', { class: 'cf-dot tone-ok' }), '正常案件：',
          countLink(c.normal, ...drill(q, total, cell, 'cases.normal', '正常案件'), '正常案件'), ` 件（${ratio(c.normal, c.total)}）`,
        ]),
      ]);
    }

    function table({ q, groups }) {
      const rows = groups.cells || [];
      const n = (measure, title) => ({ row }) => countLink(cellValue(row, measure),
        ...drill(q, groups, row, measure, `${groupLabel(row.group[0])} · ${title}`), `${groupLabel(row.group[0])}${title}`);
      const dimension = byCourt() ? '法院' : '部门';
      return h('section', { class: 'cf-panel', 'aria-labelledby': 'cf-by-group' }, [
        h('h2', { id: 'cf-by-group' }, `按${dimension}`),
        rows.length ? h(ElTable, { data: rows, border: true, stripe: true, style: { width: '100%' } }, () => [
          h(ElTableColumn, { label: dimension, minWidth: 200 }, { default: ({ row }) => groupLabel(row.group[0]) }),
          h(ElTableColumn, { label: '收案', align: 'right' }, { default: n('cases.total', '收案') }),
          h(ElTableColumn, { label: '异常', align: 'right' }, { default: n('cases.abnormal', '异常案件') }),
          h(ElTableColumn, { label: '正常', align: 'right' }, { default: n('cases.normal', '正常案件') }),
          h(ElTableColumn, { label: '预警', align: 'right' }, { default: n('cases.warning', '预警案件') }),
          h(ElTableColumn, { label: '超期', align: 'right' }, { default: n('cases.overdue', '超期案件') }),
          h(ElTableColumn, { label: '超期未预警', align: 'right' }, { default: n('cases.overdue_without_warning', '超期未预警案件') }),
          h(ElTableColumn, { label: '锁定', align: 'right' }, { default: n('cases.locked', '锁定案件') }),
          h(ElTableColumn, { label: '解锁', align: 'right' }, { default: n('cases.unlocked', '解锁案件') }),
        ]) : emptyState('所选范围内没有案件。请放宽日期范围，或在“法院”中选择“全部”。'),
      ]);
    }

    return () => {
      const d = data.value;
      return h('section', { class: 'cf-page' }, [
        pageHeader('案件信息', d ? `截至 ${date(d.total.asOf)}，${d.q.from ? `${date(d.q.from)}以来` : '全部'}按${{ RECEIVE: '收案', FILING: '立案', CLOSE: '结案', ARCHIVE: '归档' }[d.q.basis]}日期统计；点击数字查看案件和节点。` : ''),
        h(FilterBar, { defaults: defaults() }),
        errorNotice(error.value, reload),
        busy.value && !d ? loading() : null,
        d ? (Number(d.total.caseTotals?.total || 0)
          ? [counters(d), split(d), table(d)]
          : [counters(d), emptyState('所选范围内没有案件。请调整日期范围或统计日；新登记的案件会在几秒内出现在这里。')]) : null,
      ]);
    };
  },
});

