// 待审批 (庭长、分管院领导、院长): the pending applications on nodes in the caller's scope
// (ListApplications of courts/-/cases/-/nodes/- with `state = PENDING`), each with the node it
// names, its supervision warnings and who the rules say must approve; approve or reject with an
// opinion (ApproveApplication / RejectApplication). An approval shows the node's new due date.
import { EP, h, ref, reactive, defineComponent } from '../lib.js';
import { route, setQuery } from '../router.js';
import { get, post } from '../api.js';
import { pageHeader, errorNotice, emptyState, loading, useLoader } from '../ui.js';
import { session } from '../session.js';
import { date } from '../format.js';
import { loadTimeLimitRules } from '../time_limits.js';
import { warningList, applicationFacts, nodeOf, courtOf, nodesOf, kindTag } from '../applications.js';
import { stateTag } from '../tables.js';

const { ElButton, ElInput, ElRadioGroup, ElRadioButton, ElAlert } = EP;

/** The caller's approval level for a node of `court` (services/node/time_limits.py approver_level). */
function callerLevel(caller, court) {
  if (caller.court === court) return { ROLE_DIVISION_HEAD: 'division_head', ROLE_VICE_PRESIDENT: 'vice_president', ROLE_PRESIDENT: 'president' }[caller.role] || '';
  if (['ROLE_PRESIDENT', 'ROLE_VICE_PRESIDENT'].includes(caller.role) && court.startsWith(caller.court) && caller.court.length < court.length) {
    return caller.court.length <= 2 ? 'high_court' : 'higher_court';
  }
  return '';
}

export const ApprovalsPage = defineComponent({
  name: 'CfApprovalsPage',
  setup() {
    const pending = () => route.query.show !== 'decided';
    const opinions = reactive({});
    const working = reactive({});
    const errors = reactive({});
    const decided = ref({});   // application name → { application, node } just decided here
    const { data, error, busy, reload } = useLoader(() => route.query.show, async () => {
      const reply = await get('/v1/courts/-/cases/-/nodes/-/applications', [['pageSize', 200], ['filter', pending() ? 'state = PENDING' : '']]);
      let rows = reply.applications || [];
      if (!pending()) rows = rows.filter((a) => !String(a.state).endsWith('PENDING') && a.approver === session.caller.user);
      rows.sort((a, b) => (pending() ? String(a.createTime).localeCompare(String(b.createTime)) : String(b.decideTime).localeCompare(String(a.decideTime))));
      // The approver levels (lowest first) and their words, as the rules of the caller's court have them.
      const [nodes, rules] = await Promise.all([nodesOf(rows), loadTimeLimitRules(session.caller.court)]);
      return { rows, nodes, rules };
    });

    async function decide(a, approve) {
      errors[a.name] = null;
      working[a.name] = approve ? 'approve' : 'reject';
      try {
        const comment = (opinions[a.name] || '').trim();
        const reply = await post(`/v1/${a.name}:${approve ? 'approve' : 'reject'}`, { comment });
        decided.value = { ...decided.value, [a.name]: reply };
      } catch (e) {
        errors[a.name] = e;
      } finally {
        working[a.name] = '';
      }
    }

    function authority(a, rules) {
      const court = courtOf(a);
      const mine = callerLevel(session.caller, court);
      if (a.applicant === session.caller.user) return h(ElAlert, { type: 'info', closable: false, showIcon: true, title: '这是您本人提出的申请，不能由您审批。' });
      if (!mine) return h(ElAlert, { type: 'info', closable: false, showIcon: true, title: '您对该节点没有审批权限（须为本庭庭长、本院院领导或上级法院院领导）。' });
      const required = a.requiredLevel || '';
      if (required && rules.levelOrder.indexOf(mine) < rules.levelOrder.indexOf(required)) {
        return h(ElAlert, { type: 'warning', closable: false, showIcon: true,
          title: `依照规定应由${a.requiredApprover || rules.levels[required]}批准，您的审批权限为${rules.levels[mine]}：批准将记录「超出审批权限」提示。` });
      }
      return null;
    }

    function card(a, node, rules) {
      const done = decided.value[a.name];
      const current = done ? done.application : a;
      const isPending = String(current.state).endsWith('PENDING');
      const title = node ? `${node.caseNumber} · ${node.displayName}` : nodeOf(a);
      return h('li', { class: 'cf-approval', key: a.name }, h('article', { 'aria-label': title }, [
        h('header', { class: 'cf-approval-head' }, [kindTag(a.kind), h('h2', null, title),
          node ? h('span', { class: 'cf-muted' }, ['节点', stateTag(node.state, node.withdrawn), ` 到期日 ${date(node.dueDate)}`]) : null]),
        h('h3', null, '监督提示'),
        warningList(current),
        applicationFacts(current, node),
        done && done.node ? h('p', { class: 'cf-decided', role: 'status' }, [
          '已批准。', `节点到期日由 ${date(current.dueDateBefore)} 改为 `, h('strong', null, date(done.node.dueDate)),
          '，节点状态：', stateTag(done.node.state)]) : null,
        done && !done.node ? h('p', { class: 'cf-decided', role: 'status' }, '已不批准，申请人会收到审批结果。') : null,
        isPending ? [authority(a, rules),
          h('div', { class: 'cf-approval-actions' }, [
            h(ElInput, { modelValue: opinions[a.name] || '', type: 'textarea', rows: 2, maxlength: 1000, ariaLabel: `审批意见：${title}`,
              placeholder: '审批意见（不批准时必须填写）', 'onUpdate:modelValue': (v) => { opinions[a.name] = v; } }),
            h('div', { class: 'cf-buttons' }, [
              h(ElButton, { type: 'primary', loading: working[a.name] === 'approve', disabled: Boolean(working[a.name]), onClick: () => decide(a, true) }, () => '批准'),
              h(ElButton, { type: 'danger', plain: true, loading: working[a.name] === 'reject', disabled: Boolean(working[a.name]) || !(opinions[a.name] || '').trim(), onClick: () => decide(a, false) }, () => '不批准'),
            ]),
          ]),
          errorNotice(errors[a.name])] : null,
      ]));
    }

    return () => {
      const d = data.value;
      return h('section', { class: 'cf-page' }, [
        pageHeader('待审批', '您可见范围内等待审批的申请，先提出的在前。每件申请列出规定的审批人和监督提示（超出审批权限、第二次变更、缺少材料等），批准或不批准时可填写审批意见。',
          h(ElButton, { onClick: reload }, () => '刷新')),
        h('div', { class: 'cf-toolbar' }, h(ElRadioGroup, { modelValue: pending() ? 'pending' : 'decided', ariaLabel: '显示', 'onUpdate:modelValue': (v) => setQuery({ show: v === 'decided' ? 'decided' : '' }) }, () => [
          h(ElRadioButton, { value: 'pending' }, () => '待审批'), h(ElRadioButton, { value: 'decided' }, () => '我已审批')])),
        errorNotice(error.value, reload),
        busy.value && !d ? loading() : null,
        d && d.rows.length ? h('ul', { class: 'cf-approvals' }, d.rows.map((a) => card(a, d.nodes[nodeOf(a)], d.rules))) : null,
        d && !d.rows.length ? emptyState(pending() ? '没有等待审批的申请。承办人提出申请后会出现在这里，您也会在“消息”中收到提醒。' : '您还没有审批过申请。') : null,
      ]);
    };
  },
});
