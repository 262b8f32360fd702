// 明细: the cases or nodes a number counts — the drill-down of every number on the supervision
// pages. The address bar holds the query (court, filter, date basis, range, as-of), so the list
// can be bookmarked; pages are fetched with the API's page tokens.
import { EP, h, ref, defineComponent } from '../lib.js';
import { route, setQuery } from '../router.js';
import { pageHeader, errorNotice, emptyState, loading, useLoader } from '../ui.js';
import { filters, listCases, listNodes, describe } from '../supervision.js';
import { date } from '../format.js';
import { DATE_BASES } from '../labels.js';
import { courtName } from '../names.js';
import { nodeTable, caseTable } from '../tables.js';

const { ElRadioGroup, ElRadioButton, ElButton } = EP;
const PAGE = 50;

export const DrillPage = defineComponent({
  name: 'CfDrillPage',
  setup() {
    const tokens = ref(['']);    // page tokens of the pages seen, the current one last
    const view = () => (route.query.view === 'cases' ? 'cases' : 'nodes');
    const { data, error, busy, reload } = useLoader(() => [route.query, tokens.value.length], async () => {
      const f = filters();
      const token = tokens.value[tokens.value.length - 1];
      const list = view() === 'cases' ? listCases : listNodes;
      return list(f, route.query.filter || '', { pageSize: PAGE, pageToken: token });
    });
    const switchView = (v) => { tokens.value = ['']; setQuery({ view: v }); };
    const next = () => { tokens.value = [...tokens.value, data.value.nextPageToken]; };
    const previous = () => { tokens.value = tokens.value.slice(0, -1); };

    return () => {
      const f = filters();
      const d = data.value;
      const rows = d ? (view() === 'cases' ? d.cases : d.nodes) || [] : [];
      const scope = f.court ? courtName(f.court) : '本人可见范围';
      const basis = DATE_BASES[f.basis] || '立案日期';
      const period = f.from || f.to ? `${basis} ${f.from ? date(f.from) : '不限'} 至 ${f.to ? date(f.to) : '不限'}` : `${basis}不限`;
      return h('section', { class: 'cf-page' }, [
        pageHeader(route.query.title ? `明细：${route.query.title}` : '明细',
          `${scope}；${period}；${f.asOf ? `统计日 ${date(f.asOf)}` : '截至今天'}。条件：${describe(route.query.filter)}`,
          h(ElButton, { onClick: () => history.back() }, () => '返回')),
        h('div', { class: 'cf-toolbar' }, h(ElRadioGroup, { modelValue: view(), 'onUpdate:modelValue': switchView, ariaLabel: '列出' }, () => [
          h(ElRadioButton, { value: 'nodes' }, () => '节点'), h(ElRadioButton, { value: 'cases' }, () => '案件')])),
        errorNotice(error.value, reload),
        busy.value && !d ? loading() : null,
        d && rows.length ? (view() === 'cases' ? caseTable(rows) : nodeTable(rows)) : null,
        d && !rows.length ? emptyState(view() === 'cases' ? '没有符合条件的案件。请返回上一页调整条件，或改看“节点”。' : '没有符合条件的节点。请返回上一页调整条件，或改看“案件”。') : null,
        d && (tokens.value.length > 1 || d.nextPageToken) ? h('nav', { class: 'cf-pager', 'aria-label': '翻页' }, [
          h(ElButton, { disabled: tokens.value.length <= 1 || busy.value, onClick: previous }, () => '上一页'),
          h('span', null, `第 ${tokens.value.length} 页`),
          h(ElButton, { disabled: !d.nextPageToken || busy.value, onClick: next }, () => '下一页'),
        ]) : null,
      ]);
    };
  },
});
