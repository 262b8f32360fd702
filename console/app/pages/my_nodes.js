// 我的节点: the caller's own open nodes (ListSupervisedNodes, `responsible` = the caller), most
// urgent first: overdue, then warning, then running, each by due date; a row opens the node's
// date explanation (NodeService.GetNode).
import { EP, h, ref, defineComponent } from '../lib.js';
import { route, setQuery, link } from '../router.js';
import { get } from '../api.js';
import { pageHeader, errorNotice, emptyState, loading, useLoader } from '../ui.js';
import { listNodes } from '../supervision.js';
import { session } from '../session.js';
import { date } from '../format.js';
import { STAGES, word } from '../labels.js';
import { caseLink, stateTag } from '../tables.js';

const { ElTable, ElTableColumn, ElRadioGroup, ElRadioButton } = EP;
const RANK = { OVERDUE: 0, WARNING: 1, RUNNING: 2 };

function key(n) {
  return [RANK[String(n.state).replace('NODE_STATE_', '')] ?? 3, n.dueDate ? n.dueDate.year * 10000 + n.dueDate.month * 100 + n.dueDate.day : 99999999];
}

export const MyNodesPage = defineComponent({
  name: 'CfMyNodesPage',
  setup() {
    const explained = ref({});
    const { data, error, busy, reload } = useLoader(() => route.query.show, async () => {
      const me = session.caller.user;
      const rows = [];
      let token = '';
      do {   // every open node of the caller, whichever date its case was filed or received
        const page = await listNodes({ basis: 'RECEIVE' }, `responsible = "${me}" AND open = true`, { pageSize: 1000, pageToken: token });
        rows.push(...(page.nodes || []));
        token = page.nextPageToken || '';
      } while (token && rows.length < 5000);
      return rows.sort((a, b) => { const [x, y] = [key(a), key(b)]; return x[0] - y[0] || x[1] - y[1]; });
    });
    async function explain(row) {
      if (explained.value[row.name]) return;
      try {
        const node = (await get(`/v1/${row.name}`)).node;
        explained.value = { ...explained.value, [row.name]: node };
      } catch (e) {
        explained.value = { ...explained.value, [row.name]: { error: e } };
      }
    }
    const show = () => route.query.show || 'all';

    return () => {
      const all = data.value || [];
      const rows = show() === 'all' ? all : all.filter((n) => String(n.state).endsWith(show().toUpperCase()));
      const count = (s) => all.filter((n) => String(n.state).endsWith(s)).length;
      const col = (label, render, extra = {}) => h(ElTableColumn, { label, ...extra }, { default: ({ row }) => render(row) });
      return h('section', { class: 'cf-page' }, [
        pageHeader('我的节点', '由您负责、尚未完成的流程节点，超期和预警的排在前面，同类按到期日排序。展开一行可查看到期日是怎样算出来的。'),
        h('div', { class: 'cf-toolbar' }, h(ElRadioGroup, { modelValue: show(), 'onUpdate:modelValue': (v) => setQuery({ show: v === 'all' ? '' : v }), ariaLabel: '显示' }, () => [
          h(ElRadioButton, { value: 'all' }, () => `全部 ${all.length}`),
          h(ElRadioButton, { value: 'overdue' }, () => `超期 ${count('OVERDUE')}`),
          h(ElRadioButton, { value: 'warning' }, () => `预警 ${count('WARNING')}`),
          h(ElRadioButton, { value: 'running' }, () => `正常 ${count('RUNNING')}`),
        ])),
        errorNotice(error.value, reload),
        busy.value && !data.value ? loading() : null,
        data.value && rows.length ? h(ElTable, { data: rows, border: true, rowKey: 'name', onExpandChange: explain, style: { width: '100%' } }, () => [
          h(ElTableColumn, { type: 'expand', label: '说明', width: 60 }, { default: ({ row }) => {
            const node = explained.value[row.name];
            if (!node) return h('p', { class: 'cf-muted' }, '正在读取…');
            if (node.error) return errorNotice(node.error);
            return h('div', { class: 'cf-explain' }, [h('h3', null, `${row.displayName}：到期日 ${date(node.dueDate)} 的计算`),
              h('ol', null, (node.explanation || []).map((line) => h('li', null, line))),
              node.legalBasis ? h('p', null, `法律依据：${node.legalBasis}`) : null]);
          } }),
          col('节点', (n) => n.displayName, { minWidth: 150 }),
          col('状态', (n) => stateTag(n.state, n.withdrawn), { width: 100 }),
          col('阶段', (n) => word(STAGES, n.stage, 'STAGE_'), { width: 100 }),
          col('到期日', (n) => date(n.dueDate), { minWidth: 130 }),
          col('超期 / 剩余', (n) => (n.daysOverdue ? `已超期 ${n.daysOverdue} 天` : String(n.state).endsWith('WARNING') ? `剩余 ${n.daysRemaining} 天` : '—'), { minWidth: 120 }),
          col('案号', (n) => caseLink(n.case), { minWidth: 190 }),
          col('案由', (n) => (n.case ? n.case.cause : '—'), { minWidth: 140 }),
          col('操作', (n) => link('/applications/new', { node: n.name }, '申请', { 'aria-label': `申请：${n.case ? n.case.caseNumber : ''} ${n.displayName}` }), { width: 80, fixed: 'right' }),
        ]) : null,
        data.value && !rows.length ? emptyState(all.length ? '这一类没有节点。选择“全部”查看其他节点。' : '您目前没有未完成的流程节点。新案件分给您后，节点会在立案时自动出现在这里。') : null,
      ]);
    };
  },
});
