// 案件: one case (CaseService.GetCase) and its nodes (NodeService.ListNodes), each date with its
// explanation. The address is the case's name, /console/case/<court>/cases/<id>: a case outside
// the caller's scope is refused by the API, and the refusal is shown as it came.
import { EP, h, defineComponent } from '../lib.js';
import { route, link } from '../router.js';
import { session, STAFF } from '../session.js';
import { get } from '../api.js';
import { pageHeader, errorNotice, emptyState, loading, useLoader } from '../ui.js';
import { date, dateTime } from '../format.js';
import { CASE_STATES, CASE_TYPES, PARTY_ROLES, PROCEDURES, STAGES, word } from '../labels.js';
import { courtName, departmentName, partsOf, userName } from '../names.js';
import { stateTag } from '../tables.js';

const { ElDescriptions, ElDescriptionsItem, ElTable, ElTableColumn, ElTag, ElButton } = EP;

/** The attributes that select a case's time limits, in the words of its kind: 羁押 and 自诉 for a
 * criminal case, 涉外 otherwise (民事诉讼法涉外编: no trial limit). */
function attributes(c) {
  const yes = (v) => (v ? '是' : '否');
  return String(c.caseType).endsWith('CRIMINAL')
    ? `羁押：${yes(c.custody)}；自诉：${yes(c.privateProsecution)}`
    : `涉外：${yes(c.foreignRelated)}`;
}

/** How a node's lock ended: 解锁 only by an approved unlock application; a lock released because its
 * node was withdrawn (the limit no longer applies) was not unlocked by anyone. */
function released(node) {
  const lock = node.lock;
  if (!lock.unlockDate) return '';
  return lock.unlockApplication ? `；${date(lock.unlockDate)}解锁` : `；${date(lock.unlockDate)}随节点撤回解除`;
}

export const CasePage = defineComponent({
  name: 'CfCasePage',
  setup() {
    const name = () => `courts/${route.path.slice('/case/'.length)}`;
    const { data, error, busy, reload } = useLoader(() => route.path, async () => {
      const [found, nodes] = await Promise.all([get(`/v1/${name()}`), get(`/v1/${name()}/nodes`, [['pageSize', 1000]])]);
      return { c: found.case, nodes: nodes.nodes || [] };
    });

    function facts(c) {
      const item = (label, value) => h(ElDescriptionsItem, { label }, () => value);
      const parties = (c.parties || []).map((p) => `${word(PARTY_ROLES, p.role, 'PARTY_ROLE_')}：${p.displayName}`).join('；');
      return h(ElDescriptions, { border: true, column: 3, title: '案件信息' }, () => [
        item('案号', c.caseNumber), item('状态', [word(CASE_STATES, c.state, 'CASE_STATE_'), c.locked ? [' ', h(ElTag, { type: 'danger', effect: 'dark' }, () => '锁定')] : null]),
        item('案件类型', `${word(CASE_TYPES, c.caseType, 'CASE_TYPE_')} · ${word(PROCEDURES, c.procedure, 'PROCEDURE_')}`),
        item('案由', c.cause), item('当事人', parties || '—'), item('审理法院', courtName(partsOf(c).court)),
        item('承办部门', departmentName(c.department)), item('承办人', userName(c.handler, partsOf(c).court)),
        item('案件属性', attributes(c)),
        item('收案日期', date(c.receiveDate)), item('立案日期', date(c.filingDate)), item('宣判日期', date(c.judgmentDate)),
        item('生效日期', date(c.effectiveDate)), item('结案日期', date(c.closeDate)), item('归档日期', date(c.archiveDate)),
      ]);
    }

    function nodes(list) {
      const sorted = [...list].sort((a, b) => String(a.openTime).localeCompare(String(b.openTime)));
      const col = (label, render, extra = {}) => h(ElTableColumn, { label, ...extra }, { default: ({ row }) => render(row) });
      return h('section', { class: 'cf-panel', 'aria-labelledby': 'cf-case-nodes' }, [
        h('h2', { id: 'cf-case-nodes' }, `流程节点（${list.length} 个）`),
        list.length ? h(ElTable, { data: sorted, border: true, rowKey: 'name', style: { width: '100%' } }, () => [
          h(ElTableColumn, { type: 'expand', label: '说明', width: 60 }, { default: ({ row }) => h('div', { class: 'cf-explain' }, [
            h('h3', null, `${row.displayName}：期限的计算`),
            (row.explanation || []).length ? h('ol', null, row.explanation.map((line) => h('li', null, line))) : h('p', null, '没有计算说明。'),
            row.legalBasis ? h('p', null, `法律依据：${row.legalBasis}`) : null,
            row.lock && row.lock.lockDate ? h('p', null, `${date(row.lock.lockDate)}锁定${row.lock.reason ? `：${row.lock.reason}` : ''}${released(row)}`) : null,
          ]) }),
          col('节点', (n) => n.displayName, { minWidth: 150 }),
          col('阶段', (n) => word(STAGES, n.stage, 'STAGE_'), { width: 100 }),
          col('状态', (n) => [stateTag(n.state, n.withdrawn), n.lock && n.lock.locked ? [' ', h(ElTag, { type: 'danger', effect: 'dark' }, () => '锁定')] : null], { width: 130 }),
          col('责任人', (n) => userName(n.responsible, partsOf(n).court), { minWidth: 100 }),
          col('起算日', (n) => date(n.anchorDate), { minWidth: 130 }),
          col('到期日', (n) => date(n.dueDate), { minWidth: 130 }),
          col('完成时间', (n) => dateTime(n.completeTime), { minWidth: 170 }),
          STAFF.includes(session.caller.role) ? col('操作', (n) => (String(n.state).endsWith('COMPLETED') ? '—'
            : link('/applications/new', { node: n.name }, '申请', { 'aria-label': `申请：${n.displayName}` })), { width: 80 }) : null,
        ]) : emptyState('这个案件还没有流程节点：立案后节点会自动生成。'),
      ]);
    }

    return () => {
      const d = data.value;
      return h('section', { class: 'cf-page' }, [
        pageHeader(d ? d.c.caseNumber : '案件', d ? `${d.c.cause} · ${courtName(partsOf(d.c).court)}` : '',
          h(ElButton, { onClick: () => history.back() }, () => '返回')),
        errorNotice(error.value, reload),
        busy.value && !d ? loading() : null,
        d ? [facts(d.c), nodes(d.nodes)] : null,
      ]);
    };
  },
});
