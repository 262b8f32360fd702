// 审计 (auditors): 日志查询 (ListAuditRecords with its filters, paged, exported as CSV or XLSX
// through ExportAuditRecords), 使用统计 (ListAuditUsage per person, department or court) and
// 日志链校验 (VerifyAuditChain, its result said plainly). Filters live in the address bar.
import { EP, h, ref, defineComponent } from '../lib.js';
import { route, setQuery } from '../router.js';
import { get, post } from '../api.js';
import { pageHeader, errorNotice, emptyState, loading, useLoader, saveFile } from '../ui.js';
import { dateTime, number } from '../format.js';
import { AUDIT_RESULTS, CHAIN_PROBLEMS, REASONS, ROLES, word } from '../labels.js';
import { courtName, departmentName } from '../names.js';

const { ElForm, ElFormItem, ElInput, ElSelect, ElOption, ElDatePicker, ElButton, ElTable, ElTableColumn, ElTag,
  ElRadioGroup, ElRadioButton, ElResult, ElDescriptions, ElDescriptionsItem, ElProgress } = EP;

/** "2026-03-02" (a Beijing day) → its first instant; `next` → the first instant of the day after. */
function instant(day, next = false) {
  if (!day) return '';
  const t = new Date(`${day}T00:00:00+08:00`);
  if (next) t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString();
}

/** "/courtflow.node.v1.NodeService/ApproveApplication" → "NodeService/ApproveApplication" (the full name on hover and in the export). */
function shortAction(action) {
  const m = /^\/[\w.]+\.(\w+)\/(\w+)$/.exec(action || '');
  return m ? `${m[1]}/${m[2]}` : (action || '—');
}

const RESULT_TONES = { SUCCEEDED: 'success', DENIED: 'danger', FAILED: 'warning' };

/** 「拒绝：超出权限范围」: the result and the reason in words; the reason's code on hover, for support
 * (a reason without words, such as a retention run's note, is shown as recorded). */
function resultCell(r) {
  const k = String(r.operation.result).replace('AUDIT_RESULT_', '');
  const reason = r.operation.errorReason || '';
  const text = reason ? `${word(AUDIT_RESULTS, k)}：${REASONS[reason] || reason}` : word(AUDIT_RESULTS, k);
  return h(ElTag, { type: RESULT_TONES[k] || 'info', disableTransitions: true, title: reason || undefined, class: 'cf-result' }, () => text);
}

/** The records' filter (AIP-160 subset: equality terms joined by AND) from the address bar. */
function recordFilter(q) {
  const terms = [];
  const quote = (v) => `"${String(v).replace(/["\\]/g, '')}"`;
  if (q.actor) terms.push(`actor = ${quote(q.actor.startsWith('users/') ? q.actor : `users/${q.actor}`)}`);
  if (q.action) terms.push(`action = ${quote(q.action)}`);
  if (q.result) terms.push(`result = ${q.result}`);
  if (q.resource) terms.push(`resource = ${quote(q.resource)}`);
  if (q.court) terms.push(`court = ${quote(q.court)}`);
  return terms.join(' AND ');
}

function rangePicker(label = '时间范围') {
  const from = route.query.from || ''; const to = route.query.to || '';
  return h(ElFormItem, { label }, () => h(ElDatePicker, {
    type: 'daterange', modelValue: from || to ? [from || to, to || from] : null, valueFormat: 'YYYY-MM-DD', format: 'YYYY年M月D日',
    startPlaceholder: '起始日期', endPlaceholder: '截止日期', rangeSeparator: '至', unlinkPanels: true, ariaLabel: label, style: { width: '20rem' },
    'onUpdate:modelValue': (v) => setQuery({ from: v ? v[0] : '', to: v ? v[1] : '', page: '' }),
  }));
}

export const AuditRecordsPage = defineComponent({
  name: 'CfAuditRecordsPage',
  setup() {
    const draft = ref({ actor: route.query.actor || '', action: route.query.action || '', resource: route.query.resource || '', court: route.query.court || '' });
    const tokens = ref(['']);   // page tokens seen, for 上一页
    const exporting = ref('');
    const exportError = ref(null);
    const exported = ref('');
    const query = () => [['pageSize', 50], ['filter', recordFilter(route.query)], ['startTime', instant(route.query.from)],
      ['endTime', instant(route.query.to, true)], ['pageToken', route.query.page || '']];
    const { data, error, busy, reload } = useLoader(() => ({ ...route.query }), () => get('/v1/auditRecords', query()));

    function apply() {
      tokens.value = [''];
      setQuery({ ...Object.fromEntries(Object.entries(draft.value).map(([k, v]) => [k, v.trim()])), page: '' });
    }
    // A long export (up to 100,000 records) shows that it is working and for how long.
    const exportStarted = ref(0);
    const tick = ref(0);
    async function exportAs(format) {
      exportError.value = null; exported.value = ''; exporting.value = format;
      exportStarted.value = Date.now();
      const timer = setInterval(() => { tick.value += 1; }, 500);
      try {
        const reply = await post('/v1/auditRecords:export', { format: `EXPORT_FORMAT_${format}`, filter: recordFilter(route.query),
          startTime: instant(route.query.from) || undefined, endTime: instant(route.query.to, true) || undefined });
        saveFile(reply, `操作日志.${format.toLowerCase()}`);
        exported.value = `已导出 ${number(reply.recordCount)} 条记录：${reply.fileName || `操作日志.${format.toLowerCase()}`}`;
      } catch (e) {
        exportError.value = e;
      } finally {
        clearInterval(timer);
        exporting.value = '';
      }
    }
    function exportProgress() {
      if (!exporting.value) return null;
      void tick.value;   // re-render every half second: the elapsed time
      const seconds = Math.floor((Date.now() - exportStarted.value) / 1000);
      return h('section', { class: 'cf-panel', role: 'status', 'aria-live': 'polite' }, [
        h('p', null, `正在导出${exporting.value === 'XLSX' ? ' Excel' : ' CSV'} 文件（已用 ${seconds} 秒；记录越多，用时越长，至多十万条）`),
        h(ElProgress, { percentage: 100, indeterminate: true, duration: 2, strokeWidth: 10, showText: false, ariaLabel: '导出进度' }),
      ]);
    }

    return () => {
      const d = data.value;
      const rows = (d && d.auditRecords) || [];
      const text = (key, label, placeholder) => h(ElFormItem, { label }, () => h(ElInput, { modelValue: draft.value[key], ariaLabel: label, placeholder, clearable: true, style: { width: '14rem' },
        'onUpdate:modelValue': (v) => { draft.value = { ...draft.value, [key]: v }; }, onKeyup: (e) => { if (e.key === 'Enter') apply(); } }));
      const col = (label, render, extra = {}) => h(ElTableColumn, { label, ...extra }, { default: ({ row }) => render(row) });
      const page = route.query.page || '';
      return h('section', { class: 'cf-page' }, [
        pageHeader('日志查询', '登录和每一次操作的审计记录（不可篡改的哈希链），最新的在前。按条件查询后可导出为 CSV 或 Excel 文件（至多十万条）。',
          h('div', { class: 'cf-buttons' }, [
            h(ElButton, { loading: exporting.value === 'CSV', disabled: Boolean(exporting.value), onClick: () => exportAs('CSV') }, () => '导出 CSV'),
            h(ElButton, { type: 'primary', loading: exporting.value === 'XLSX', disabled: Boolean(exporting.value), onClick: () => exportAs('XLSX') }, () => '导出 Excel'),
          ])),
        h('section', { class: 'cf-filters', 'aria-label': '查询条件' }, h(ElForm, { inline: true, onSubmit: (e) => { e.preventDefault(); apply(); } }, () => [
          text('actor', '操作人', '用户名，如 judge.440101.civil1.1'),
          text('action', '操作', '如 /courtflow.node.v1.NodeService/ApproveApplication'),
          text('resource', '对象', '资源名'),
          text('court', '法院', '法院代码，如 440101'),
          h(ElFormItem, { label: '结果' }, () => h(ElSelect, { modelValue: route.query.result || '', ariaLabel: '结果', placeholder: '全部', style: { width: '8rem' },
            'onUpdate:modelValue': (v) => setQuery({ result: v, page: '' }) }, () => [h(ElOption, { value: '', label: '全部' }),
            ...Object.entries(AUDIT_RESULTS).map(([k, v]) => h(ElOption, { key: k, value: k, label: v }))])),
          rangePicker(),
          h(ElFormItem, null, () => h(ElButton, { type: 'primary', nativeType: 'submit' }, () => '查询')),
        ])),
        exportProgress(),
        exported.value ? h('p', { role: 'status', class: 'cf-muted' }, exported.value) : null,
        errorNotice(exportError.value), errorNotice(error.value, reload),
        busy.value && !d ? loading() : null,
        d && rows.length ? h(ElTable, { data: rows, border: true, stripe: true, rowKey: 'name', style: { width: '100%' } }, () => [
          h(ElTableColumn, { type: 'expand', label: '详情', width: 60 }, { default: ({ row }) => h('div', { class: 'cf-explain' }, h(ElDescriptions, { border: true, column: 2, size: 'small' }, () => [
            ['记录', row.name], ['哈希', h('code', null, row.hash)], ['前一记录哈希', h('code', null, row.previousHash)], ['追踪编号', row.operation.traceId || '—'],
            ['客户端地址', row.operation.clientAddress || '—'], ['客户端', row.operation.userAgent || '—'], ['报告组件', row.operation.reporter || '—'],
            ['变更内容', row.operation.detail || '—'],
          ].map(([label, value]) => h(ElDescriptionsItem, { label }, () => value)))) }),
          col('序号', (r) => r.sequence, { width: 80, align: 'right' }),
          col('时间', (r) => dateTime(r.operation.occurTime || r.recordTime), { minWidth: 170 }),
          col('操作人', (r) => (r.operation.actor ? `${r.operation.actorDisplayName || r.operation.actor.replace('users/', '')}（${word(ROLES, r.operation.role, 'ROLE_')}）` : '未登录'), { minWidth: 170 }),
          col('法院', (r) => (r.operation.court ? courtName(r.operation.court) : '—'), { minWidth: 160 }),
          col('操作', (r) => h('code', { class: 'cf-action', title: r.operation.action }, shortAction(r.operation.action)), { minWidth: 220 }),
          col('对象', (r) => r.operation.resource || '—', { minWidth: 200, showOverflowTooltip: true }),
          col('结果', resultCell, { width: 240, fixed: 'right' }),
        ]) : null,
        d && !rows.length ? emptyState('没有符合条件的记录。请放宽查询条件或时间范围。') : null,
        d ? h('nav', { class: 'cf-pager', 'aria-label': '翻页' }, [
          h(ElButton, { disabled: !page, onClick: () => { tokens.value = tokens.value.slice(0, -1); setQuery({ page: tokens.value[tokens.value.length - 1] || '' }); } }, () => '上一页'),
          h(ElButton, { disabled: !d.nextPageToken, onClick: () => { tokens.value = [...tokens.value, d.nextPageToken]; setQuery({ page: d.nextPageToken }); } }, () => '下一页'),
        ]) : null,
      ]);
    };
  },
});

const GROUPS = { ACTOR: '按人员', DEPARTMENT: '按部门', COURT: '按法院' };

export const AuditUsagePage = defineComponent({
  name: 'CfAuditUsagePage',
  setup() {
    const group = () => route.query.by || 'ACTOR';
    const { data, error, busy, reload } = useLoader(() => ({ ...route.query }), () => get('/v1/auditUsage', [
      ['groupBy', `USAGE_GROUPING_${group()}`], ['startTime', instant(route.query.from)], ['endTime', instant(route.query.to, true)]]));
    const name = (u) => {
      if (group() === 'ACTOR') return `${u.displayName || u.key.replace('users/', '')}（${u.key.replace('users/', '')}）`;
      if (group() === 'DEPARTMENT') return departmentName(u.key);
      return courtName(u.key);
    };
    return () => {
      const d = data.value;
      const rows = (d && d.usage) || [];
      const col = (label, render, extra = {}) => h(ElTableColumn, { label, ...extra }, { default: ({ row }) => render(row) });
      return h('section', { class: 'cf-page' }, [
        pageHeader('使用统计', '您可见范围内各人员、部门或法院的操作次数、被拒绝和失败的次数，最活跃的在前。'),
        h('section', { class: 'cf-filters', 'aria-label': '查询条件' }, h(ElForm, { inline: true, onSubmit: (e) => e.preventDefault() }, () => [
          h(ElFormItem, { label: '分组' }, () => h(ElRadioGroup, { modelValue: group(), ariaLabel: '分组', 'onUpdate:modelValue': (v) => setQuery({ by: v === 'ACTOR' ? '' : v }) },
            () => Object.entries(GROUPS).map(([k, v]) => h(ElRadioButton, { key: k, value: k }, () => v)))),
          rangePicker(),
        ])),
        errorNotice(error.value, reload),
        busy.value && !d ? loading() : null,
        d && rows.length ? h(ElTable, { data: rows, border: true, stripe: true, rowKey: 'key', style: { width: '100%' } }, () => [
          col(GROUPS[group()].slice(1), name, { minWidth: 240 }),
          col('操作次数', (u) => number(u.operations), { width: 120, align: 'right' }),
          col('被拒绝', (u) => number(u.denied), { width: 110, align: 'right' }),
          col('失败', (u) => number(u.failed), { width: 110, align: 'right' }),
          col('最近一次', (u) => dateTime(u.lastTime), { minWidth: 170 }),
        ]) : null,
        d && !rows.length ? emptyState('这段时间没有操作记录。请选择更长的时间范围。') : null,
      ]);
    };
  },
});

export const AuditVerifyPage = defineComponent({
  name: 'CfAuditVerifyPage',
  setup() {
    const result = ref(null);
    const error = ref(null);
    const busy = ref(false);
    async function verify() {
      busy.value = true; error.value = null;
      try { result.value = await post('/v1/auditRecords:verify', {}); } catch (e) { error.value = e; result.value = null; } finally { busy.value = false; }
    }
    return () => {
      const r = result.value;
      const item = (label, value) => h(ElDescriptionsItem, { label }, () => value);
      return h('section', { class: 'cf-page' }, [
        pageHeader('日志链校验', '逐条核对审计日志的哈希链、每条记录的哈希、每个签名检查点和链头，找出第一条被篡改、缺失或顺序被改动的记录。记录多时需要一些时间。',
          h(ElButton, { type: 'primary', loading: busy.value, onClick: verify }, () => (r ? '重新校验' : '开始校验'))),
        errorNotice(error.value),
        busy.value ? h('p', { class: 'cf-muted', 'aria-live': 'polite' }, '正在校验日志链…') : null,
        !r && !busy.value && !error.value ? emptyState('点“开始校验”核对整条审计日志链。') : null,
        r ? h('section', { class: 'cf-panel', role: 'status', 'aria-live': 'polite' }, [
          h(ElResult, { icon: r.intact ? 'success' : 'error', title: r.intact ? '校验通过' : '校验未通过',
            subTitle: r.message || (r.intact ? '日志链完整，没有发现被篡改、缺失或重排的记录。' : '') }),
          h(ElDescriptions, { border: true, column: 2, title: '校验结果' }, () => [
            item('结论', r.intact ? '完整' : `发现问题：${word(CHAIN_PROBLEMS, r.problem)}`),
            item('已核对记录', `${number(r.verifiedRecords)} 条`),
            item('链头序号', number(r.headSequence)),
            item('起始序号', number(r.firstSequence || 1)),
            item('核对一致的签名检查点', `${number(r.checkpointsVerified)} 个`),
            r.intact ? null : item('第一条有问题的记录', r.firstBadRecord || '—'),
          ]),
        ]) : null,
      ]);
    };
  },
});
