// 申请 (承办人): on one node, apply for 延长审限、中止、恢复、扣除、解锁 or 开庭排期例外
// (NodeService.CreateApplication). The form shows what the rules allow in the node's court
// (ListTimeLimitRules, time_limits.js: the reasons, the extension step with its maximum, approver
// and lead time) and, before submitting, the
// supervision warnings the application is likely to carry; after submitting, the warnings and the
// required approver exactly as the API returned them. Below: the node's applications so far.
// 我的申请 (/applications) lists the caller's own applications.
import { EP, h, ref, reactive, watch, defineComponent } from '../lib.js';
import { route, link } from '../router.js';
import { get, post } from '../api.js';
import { pageHeader, errorNotice, emptyState, loading, useLoader } from '../ui.js';
import { session } from '../session.js';
import { date, dateTime, isoDate } from '../format.js';
import { APPLICATION_KINDS, HEARING_RULES, word } from '../labels.js';
import { loadTimeLimitRules, periodLabel, extensionStep, isTimeLimit, reasonLabel, stepText } from '../time_limits.js';
import { kindTag, applicationStateTag, warningList, applied, applicationFacts, nodeOf, caseOf, courtOf, nodesOf } from '../applications.js';
import { casePath, stateTag } from '../tables.js';

const { ElForm, ElFormItem, ElRadioGroup, ElRadioButton, ElInput, ElInputNumber, ElSelect, ElOption, ElDatePicker,
  ElButton, ElAlert, ElTable, ElTableColumn, ElDescriptions, ElDescriptionsItem } = EP;

const CLOCK_CHANGES = ['EXTENSION', 'DEDUCTION', 'SUSPENSION'];
const KIND_HELP = {
  EXTENSION: '在审限届满前申请延长，经批准后到期日顺延。',
  SUSPENSION: '自中止日起期限停止计算，恢复后中止期间不计入审限。',
  RESUMPTION: '已中止的期限自恢复日起继续计算。',
  DEDUCTION: '依照规定的扣除事由，起止日之间的期间不计入审限。',
  UNLOCK: '节点超期锁定后，经批准解除锁定，案件恢复办理。',
  HEARING_EXCEPTION: '开庭日期不符合排期规则（答辩期、举证期、提前三日通知、审限内等）时，经批准允许在该日开庭。',
};

/** "2026-03-02" → {year, month, day} (google.type.Date in JSON). */
function pbDate(text) {
  if (!text) return undefined;
  const [year, month, day] = text.split('-').map(Number);
  return { year, month, day };
}

function addDays(d, n) {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** The kinds that fit the node as it stands (the API refuses the others, and says why). */
function kindsFor(node, rules) {
  if (node.lock && node.lock.locked) return ['UNLOCK'];
  const kinds = [];
  if (isTimeLimit(rules, node.nodeType)) {
    kinds.push(...(node.suspendedSince ? ['RESUMPTION', 'DEDUCTION'] : ['EXTENSION', 'SUSPENSION', 'DEDUCTION']));
  }
  kinds.push('HEARING_EXCEPTION');
  return kinds;
}

const ApplyForm = defineComponent({
  name: 'CfApplyForm',
  props: { node: { type: Object, required: true }, history: { type: Array, required: true }, rules: { type: Object, required: true } },
  emits: ['made'],
  setup(props, { emit }) {
    const rules = props.rules;
    const kinds = kindsFor(props.node, rules);
    const wanted = String(route.query.kind || '').toUpperCase();
    const form = reactive({ kind: kinds.includes(wanted) ? wanted : kinds[0], amount: 1, unit: 'm', reasonCode: '', start: '', end: '', notice: '', reason: '', materials: '' });
    // 开庭排期例外: the proposed date checked against the scheduling rules (ValidateHearing) as
    // soon as it is picked, so that the judge sees which rules it breaks before submitting.
    const hearing = reactive({ busy: false, answer: null, error: null, date: '' });
    let hearingSerial = 0;
    async function checkHearing() {
      const mine = ++hearingSerial;
      hearing.answer = null; hearing.error = null;
      if (form.kind !== 'HEARING_EXCEPTION' || !form.start) { hearing.busy = false; return; }
      hearing.busy = true;
      try {
        const answer = await post(`/v1/${caseOf(props.node)}:validateHearing`, { hearingDate: pbDate(form.start), noticeServedDate: pbDate(form.notice) });
        if (mine === hearingSerial) { hearing.answer = answer; hearing.date = form.start; }
      } catch (e) {
        if (mine === hearingSerial) hearing.error = e;
      } finally {
        if (mine === hearingSerial) hearing.busy = false;
      }
    }
    watch(() => [form.kind, form.start, form.notice], checkHearing, { immediate: true });
    const busy = ref(false);
    const error = ref(null);
    let requestId = crypto.randomUUID();   // a retry after a lost answer is the same request (idempotent)
    const approvedExtensions = () => props.history.filter((a) => String(a.kind).endsWith('EXTENSION') && String(a.state).endsWith('APPROVED')).length;
    const step = () => extensionStep(rules, props.node.nodeType, approvedExtensions());
    const materials = () => form.materials.split('\n').map((s) => s.trim()).filter(Boolean);

    // Defaults from the rules: the step's maximum.
    const s = step();
    if (s && s.step && s.step.max) {
      const m = /^(\d+)(d|m)$/.exec(s.step.max);
      form.amount = Number(m[1]); form.unit = m[2];
    }

    function allowed() {
      const n = props.node;
      const lines = [];
      const approver = (kind) => (rules.approvers[kind] || {}).label || '审批人';
      if (form.kind === 'EXTENSION') {
        const found = step();
        if (!found || !found.steps.length) lines.push('依照规定，该期限不得延长；仍提出申请的，将带有「超出规定」提示。');
        else {
          found.steps.forEach((st, i) => lines.push(stepText(st, i) + (i === found.index ? '（本次）' : '')));
          if (!found.step) lines.push(`该期限已延长${found.index}次，规定至多延长${found.steps.length}次。`);
          else if (n.dueDate) {
            const latest = found.step.leadDays ? addDays(n.dueDate, -found.step.leadDays) : n.dueDate;
            lines.push(`本次申请应在 ${date(latest)} 前提出（期限届满日 ${date(n.dueDate)}）。`);
          }
        }
      } else if (form.kind === 'DEDUCTION') {
        lines.push(`扣除由${approver('DEDUCTION')}批准。扣除事由及可扣除的最长期间：`);
      } else lines.push(`${word(APPLICATION_KINDS, form.kind)}由${approver(form.kind)}批准。`);
      return lines;
    }

    /** The warnings the application is likely to carry (the API decides; see services/node/time_limits.py). */
    function foreseen() {
      const n = props.node;
      const out = [];
      if (CLOCK_CHANGES.includes(form.kind)) {
        if ((n.changeCount || 0) >= 1) out.push(['SECOND_CHANGE', `该期限已经变更${n.changeCount}次，本次为第${n.changeCount + 1}次变更`]);
        if (!materials().length) out.push(['MISSING_MATERIAL', `${word(APPLICATION_KINDS, form.kind)}申请未附证明材料`]);
      }
      if (form.kind === 'EXTENSION') {
        const found = step();
        if (!found || !found.step) out.push(['EXCEEDS_RULES', '依照规定，该期限不得（再）延长']);
        else if (found.step.max) {
          const [amount, unit] = [Number(form.amount), form.unit];
          const m = /^(\d+)(d|m)$/.exec(found.step.max);
          const days = unit === 'd' ? amount : amount * 31;
          const limit = m[2] === 'd' ? Number(m[1]) : Number(m[1]) * 28;
          if ((unit === m[2] && amount > Number(m[1])) || (unit !== m[2] && days > limit)) {
            out.push(['EXCEEDS_RULES', `申请延长${periodLabel(`${amount}${unit}`)}，超过规定的${found.step.maxLabel}`]);
          }
        }
      }
      if (form.kind === 'DEDUCTION' && form.reasonCode && form.start && form.end) {
        const { max, maxLabel } = rules.reasons[form.reasonCode] || {};
        const m = /^(\d+)(d|m)$/.exec(max || '');
        if (m) {
          const s0 = pbDate(form.start);
          const longest = m[2] === 'd' ? addDays(s0, Number(m[1])) : (() => {
            const idx = s0.month - 1 + Number(m[1]);
            const year = s0.year + Math.floor(idx / 12); const month = idx % 12 + 1;
            return { year, month, day: Math.min(s0.day, new Date(Date.UTC(year, month, 0)).getUTCDate()) };
          })();
          if (isoDate(longest) < form.end) out.push(['EXCEEDS_RULES', `扣除事由「${reasonLabel(form.reasonCode)}」至多扣除${maxLabel}（至 ${date(longest)}）`]);
        }
      }
      return out;
    }

    async function submit() {
      error.value = null;
      busy.value = true;
      const application = { kind: `APPLICATION_KIND_${form.kind}`, reason: form.reason.trim(), materials: materials() };
      if (form.kind === 'EXTENSION') application.extension = `${form.amount}${form.unit}`;
      if (form.kind === 'DEDUCTION') application.reasonCode = form.reasonCode;
      if (['DEDUCTION', 'SUSPENSION', 'HEARING_EXCEPTION'].includes(form.kind)) application.startDate = pbDate(form.start);
      if (['DEDUCTION', 'RESUMPTION'].includes(form.kind)) application.endDate = pbDate(form.end);
      try {
        const made = await post(`/v1/${props.node.name}/applications?requestId=${encodeURIComponent(requestId)}`, application);
        requestId = crypto.randomUUID();
        emit('made', made.application);
      } catch (e) {
        error.value = e;
      } finally {
        busy.value = false;
      }
    }

    /** What ValidateHearing said of the proposed date: each rule it breaks in the API's words. */
    function hearingCheck() {
      const body = [];
      if (!form.start) body.push(h('p', { class: 'cf-muted' }, '选择开庭日期后，系统按排期规则（答辩期、举证期、提前三日通知、审限、开庭间隔、法定休息日）检查。'));
      else if (hearing.busy) body.push(h('p', { class: 'cf-muted', 'aria-busy': 'true' }, '正在检查排期规则…'));
      else if (hearing.error) body.push(errorNotice(hearing.error, checkHearing));
      else if (hearing.answer) {
        const violations = hearing.answer.violations || [];
        if (!violations.length) body.push(h('p', { class: 'cf-ok' }, `${date(hearing.date)}开庭符合全部排期规则，无需申请例外，可直接排期。`));
        else {
          body.push(h('p', null, `${date(hearing.date)}开庭不符合以下 ${violations.length} 项排期规则，需经批准方可在该日开庭：`));
          body.push(h('ul', { class: 'cf-warnings cf-hearing-violations' }, violations.map((v, i) => h('li', { key: `${v.rule}-${i}` }, [
            h('span', { class: 'cf-warning-code' }, word(HEARING_RULES, v.rule)), h('span', null, v.message)]))));
        }
        if (hearing.answer.exceptionApplication) body.push(h('p', { class: 'cf-muted' }, '该日期已有批准的开庭排期例外，排期时将被接受。'));
      }
      return h('div', { role: 'status', 'aria-live': 'polite' }, [h('h2', null, '排期规则检查'), ...body]);
    }

    return () => {
      const item = (label, child, extra = {}) => h(ElFormItem, { label, ...extra }, () => child);
      const picker = (key, label) => h(ElDatePicker, { type: 'date', modelValue: form[key] || null, valueFormat: 'YYYY-MM-DD', format: 'YYYY年M月D日',
        placeholder: '选择日期', ariaLabel: label, 'onUpdate:modelValue': (v) => { form[key] = v || ''; } });
      const fields = [];
      fields.push(item('申请事项', h(ElRadioGroup, { modelValue: form.kind, ariaLabel: '申请事项', 'onUpdate:modelValue': (v) => { form.kind = v; } },
        () => kinds.map((k) => h(ElRadioButton, { key: k, value: k }, () => APPLICATION_KINDS[k])))));
      if (form.kind === 'EXTENSION') {
        fields.push(item('延长期间', h('div', { class: 'cf-inline' }, [
          h(ElInputNumber, { modelValue: form.amount, min: 1, max: 999, ariaLabel: '延长期间（数量）', 'onUpdate:modelValue': (v) => { form.amount = v || 1; } }),
          h(ElSelect, { modelValue: form.unit, ariaLabel: '延长期间（单位）', style: { width: '7rem' }, 'onUpdate:modelValue': (v) => { form.unit = v; } },
            () => [h(ElOption, { value: 'm', label: '个月' }), h(ElOption, { value: 'd', label: '日' })]),
        ]), { required: true }));
      }
      if (form.kind === 'DEDUCTION') {
        fields.push(item('扣除事由', h(ElSelect, { modelValue: form.reasonCode, ariaLabel: '扣除事由', placeholder: '选择扣除事由', style: { width: '100%' },
          'onUpdate:modelValue': (v) => { form.reasonCode = v; } }, () => Object.entries(rules.reasons).map(([code, r]) =>
          h(ElOption, { key: code, value: code, label: `${r.label}${r.max ? `（至多${r.maxLabel}）` : ''}` }))), { required: true }));
      }
      if (['DEDUCTION', 'SUSPENSION'].includes(form.kind)) fields.push(item(form.kind === 'DEDUCTION' ? '扣除起始日' : '中止日', picker('start', form.kind === 'DEDUCTION' ? '扣除起始日' : '中止日'), { required: true }));
      if (form.kind === 'HEARING_EXCEPTION') {
        fields.push(item('开庭日期', picker('start', '开庭日期'), { required: true }));
        fields.push(item('传票送达日', picker('notice', '传票送达日（未送达的留空）')));
      }
      if (form.kind === 'DEDUCTION') fields.push(item('扣除终止日', picker('end', '扣除终止日'), { required: true }));
      if (form.kind === 'RESUMPTION') fields.push(item('恢复日', picker('end', '恢复日'), { required: true }));
      fields.push(item('申请理由', h(ElInput, { modelValue: form.reason, type: 'textarea', rows: 3, maxlength: 1000, showWordLimit: true, ariaLabel: '申请理由',
        placeholder: '写明申请的事实和理由', 'onUpdate:modelValue': (v) => { form.reason = v; } }), { required: true }));
      fields.push(item('证明材料', h(ElInput, { modelValue: form.materials, type: 'textarea', rows: 2, ariaLabel: '证明材料（每行一项）',
        placeholder: '每行一项，如：延长审限审批表、鉴定委托书', 'onUpdate:modelValue': (v) => { form.materials = v; } })));
      const hints = foreseen();
      return h('div', { class: 'cf-apply' }, [
        h('section', { class: 'cf-panel', 'aria-labelledby': 'cf-apply-form' }, [
          h('h2', { id: 'cf-apply-form' }, '填写申请'),
          h('p', { class: 'cf-muted' }, KIND_HELP[form.kind]),
          h(ElForm, { labelPosition: 'right', labelWidth: '7rem', onSubmit: (e) => { e.preventDefault(); submit(); } }, () => [
            ...fields,
            h(ElFormItem, null, () => h(ElButton, { type: 'primary', nativeType: 'submit', loading: busy.value, disabled: !form.reason.trim() }, () => '提交申请')),
          ]),
          errorNotice(error.value),
        ]),
        h('aside', { class: 'cf-panel cf-rules', 'aria-labelledby': 'cf-apply-rules' }, [
          h('h2', { id: 'cf-apply-rules' }, '规定允许的范围'),
          h('ul', null, allowed().map((line) => h('li', null, line))),
          form.kind === 'DEDUCTION' ? h('ul', { class: 'cf-reasons' }, Object.values(rules.reasons).map((r) =>
            h('li', null, `${r.label}：${r.max ? `至多${r.maxLabel}` : '以事由持续的期间为限'}`))) : null,
          form.kind === 'HEARING_EXCEPTION' ? hearingCheck() : null,
          h('h2', null, '提交后可能带有的监督提示'),
          hints.length ? h('ul', { class: 'cf-warnings' }, hints.map(([code, text]) => h('li', { key: code }, [
            h('span', { class: 'cf-warning-code' }, word({ SECOND_CHANGE: '第二次变更', MISSING_MATERIAL: '缺少材料', EXCEEDS_RULES: '超出规定' }, code)), h('span', null, text)])))
            : h('p', { class: 'cf-muted' }, '按目前填写的内容，预计没有监督提示。'),
          h('p', { class: 'cf-muted cf-small' }, `以上依照本院适用的审限变更规则（${rules.version} 版）；提示可以提交，审批人会看到。是否逾期提出、由谁审批，以提交后系统的判定为准。`),
        ]),
      ]);
    };
  },
});

export const ApplyPage = defineComponent({
  name: 'CfApplyPage',
  setup() {
    const made = ref(null);
    const nodeName = () => route.query.node || '';
    const { data, error, busy, reload } = useLoader(() => [route.query.node], async () => {
      if (!nodeName()) return null;
      const [found, history, rules] = await Promise.all([get(`/v1/${nodeName()}`), get(`/v1/${nodeName()}/applications`, [['pageSize', 100]]),
        loadTimeLimitRules(courtOf(nodeName()))]);
      return { node: found.node, rules, history: (history.applications || []).sort((a, b) => String(b.createTime).localeCompare(String(a.createTime))) };
    });

    function nodeFacts(n) {
      const item = (label, value) => h(ElDescriptionsItem, { label }, () => value);
      return h(ElDescriptions, { border: true, column: 3, title: '申请的节点' }, () => [
        item('案号', link(casePath(caseOf(n)), {}, n.caseNumber || caseOf(n), { class: 'cf-case-link' })),
        item('节点', n.displayName), item('状态', [stateTag(n.state, n.withdrawn), n.lock && n.lock.locked ? ' 已锁定' : '']),
        item('起算日', date(n.anchorDate)), item('到期日', date(n.dueDate)),
        item('已变更次数', `${n.changeCount || 0} 次${n.suspendedSince ? `；自 ${date(n.suspendedSince)} 起中止` : ''}`),
      ]);
    }

    function result(a) {
      return h('section', { class: 'cf-panel cf-made', 'aria-labelledby': 'cf-made', role: 'status' }, [
        h('h2', { id: 'cf-made' }, `申请已提交，等待${a.requiredApprover || '审批人'}审批`),
        warningList(a, { empty: '本申请没有监督提示。' }),
        applicationFacts(a),
      ]);
    }

    return () => {
      const d = data.value;
      return h('section', { class: 'cf-page' }, [
        pageHeader('申请', d ? `${d.node.caseNumber} · ${d.node.displayName}` : '延长审限、中止、恢复、扣除、解锁、开庭排期例外',
          link('/applications', {}, '我的申请')),
        errorNotice(error.value, reload),
        !nodeName() ? emptyState('请先在“我的节点”或案件页选择一个节点，再点“申请”。', link('/my/nodes', {}, '去我的节点')) : null,
        busy.value && !d ? loading() : null,
        d ? nodeFacts(d.node) : null,
        made.value ? result(made.value) : null,
        d && String(d.node.state).endsWith('COMPLETED') ? h(ElAlert, { type: 'info', showIcon: true, closable: false, title: '该节点已完成，不能再提出申请。' }) : null,
        d && !made.value && !String(d.node.state).endsWith('COMPLETED') ? h(ApplyForm, { key: d.node.name, node: d.node, history: d.history, rules: d.rules, onMade: (a) => { made.value = a; reload(); } }) : null,
        d ? h('section', { class: 'cf-panel', 'aria-labelledby': 'cf-history' }, [
          h('h2', { id: 'cf-history' }, `该节点的申请（${d.history.length} 件）`),
          d.history.length ? applicationsTable(d.history) : h('p', { class: 'cf-muted' }, '还没有申请。'),
        ]) : null,
      ]);
    };
  },
});

function applicationsTable(rows, nodes = null) {
  const col = (label, render, extra = {}) => h(ElTableColumn, { label, ...extra }, { default: ({ row }) => render(row) });
  return h(ElTable, { data: rows, border: true, rowKey: 'name', style: { width: '100%' } }, () => [
    h(ElTableColumn, { type: 'expand', label: '详情', width: 60 }, { default: ({ row }) => h('div', { class: 'cf-explain' }, [warningList(row), applicationFacts(row)]) }),
    col('申请事项', (a) => kindTag(a.kind), { width: 120 }),
    col('内容', applied, { minWidth: 200 }),
    nodes ? col('案号 · 节点', (a) => { const n = nodes[nodeOf(a)]; return n ? [link(casePath(caseOf(n)), {}, n.caseNumber, { class: 'cf-case-link' }), ` · ${n.displayName}`] : nodeOf(a); }, { minWidth: 240 }) : null,
    col('状态', (a) => applicationStateTag(a.state), { width: 90 }),
    col('监督提示', (a) => ((a.warnings || []).length ? `${a.warnings.length} 项` : '无'), { width: 90 }),
    col('应由谁审批', (a) => a.requiredApprover || '—', { minWidth: 120 }),
    col('提出时间', (a) => dateTime(a.createTime), { minWidth: 170 }),
    col('到期日变化', (a) => (a.dueDateAfter ? `${date(a.dueDateBefore)} → ${date(a.dueDateAfter)}` : '—'), { minWidth: 220 }),
  ]);
}

export const MyApplicationsPage = defineComponent({
  name: 'CfMyApplicationsPage',
  setup() {
    const { data, error, busy, reload } = useLoader(() => route.path, async () => {
      const me = session.caller.user;
      // The deduction reasons' words (applied()); the list shows without them, as codes, if they fail.
      loadTimeLimitRules(session.caller.court).catch(() => null);
      const reply = await get(`/v1/courts/${session.caller.court}/cases/-/nodes/-/applications`, [['pageSize', 200], ['filter', `applicant = "${me}"`]]);
      const rows = (reply.applications || []).sort((a, b) => String(b.createTime).localeCompare(String(a.createTime)));
      return { rows, nodes: await nodesOf(rows) };
    });
    return () => {
      const d = data.value;
      return h('section', { class: 'cf-page' }, [
        pageHeader('我的申请', '您提出的延长、中止、恢复、扣除、解锁和开庭排期例外申请，最新的在前；展开一行可查看监督提示和审批结果。'),
        errorNotice(error.value, reload),
        busy.value && !d ? loading() : null,
        d && d.rows.length ? applicationsTable(d.rows, d.nodes) : null,
        d && !d.rows.length ? emptyState('您还没有提出申请。在“我的节点”中选择节点，点“申请”即可提出。', link('/my/nodes', {}, '去我的节点')) : null,
      ]);
    };
  },
});


