// 数据一致性核查 (StatsService.VerifyIntegrity): the checks of `courtflow verify` over the caller's
// scope, for the trial management office, presidents and system administrators. Run on request (it
// reads every case and node in scope), its result said plainly: each check with its count, then
// every inconsistent object with what is wrong.
import { EP, h, ref, defineComponent } from '../lib.js';
import { get } from '../api.js';
import { pageHeader, errorNotice, emptyState } from '../ui.js';
import { number } from '../format.js';

const { ElButton, ElTable, ElTableColumn, ElResult, ElTag } = EP;
const GAP = { marginTop: '1.5rem' };

export const IntegrityPage = defineComponent({
  name: 'CfIntegrityPage',
  setup() {
    const result = ref(null);
    const error = ref(null);
    const busy = ref(false);
    async function verify() {
      busy.value = true; error.value = null;
      try { result.value = await get('/v1/courts/-/integrity:verify'); } catch (e) { error.value = e; result.value = null; } finally { busy.value = false; }
    }
    return () => {
      const r = result.value;
      const checks = r ? r.checks || [] : [];
      const titles = Object.fromEntries(checks.map((c) => [c.check, c.title]));
      const findings = r ? r.findings || [] : [];
      const col = (label, render, props = {}) => h(ElTableColumn, { label, ...props }, { default: ({ row }) => render(row) });
      return h('section', { class: 'cf-page' }, [
        pageHeader('数据一致性核查', '核对本院（或辖区、全省）各服务的数据是否一致：已立案案件是否有应开启的节点、案件与节点的锁定、计时器、审限变更与审批、重复提醒；全省范围还核对审计日志链、积压与死信事件。案件多时需要一些时间。',
          h(ElButton, { type: 'primary', loading: busy.value, onClick: verify }, () => (r ? '重新核查' : '开始核查'))),
        errorNotice(error.value),
        busy.value ? h('p', { class: 'cf-muted', 'aria-live': 'polite' }, '正在核查…') : null,
        !r && !busy.value && !error.value ? emptyState('点“开始核查”核对您权限范围内的数据。') : null,
        r ? h('section', { class: 'cf-panel', role: 'status', 'aria-live': 'polite' }, [
          h(ElResult, { icon: r.consistent ? 'success' : 'error', title: r.consistent ? '核查通过' : '发现不一致',
            subTitle: r.consistent ? '各项核查均未发现问题。' : `共 ${number(checks.reduce((n, c) => n + (c.findingCount || 0), 0))} 处不一致，逐项列于下方。` }),
          h('h2', { style: GAP }, '核查项目'),
          h(ElTable, { data: checks, border: true, rowKey: 'check', style: { width: '100%' } }, () => [
            col('项目', (c) => c.title, { minWidth: 200 }),
            col('结果', (c) => (c.findingCount ? h(ElTag, { type: 'danger' }, () => `不一致 ${number(c.findingCount)} 处`) : h(ElTag, { type: 'success' }, () => '一致')), { width: 180 }),
          ]),
          findings.length ? h('h2', { style: GAP }, '不一致的对象') : null,
          findings.length ? h(ElTable, { data: findings, border: true, stripe: true, style: { width: '100%' } }, () => [
            col('项目', (f) => titles[f.check] || f.check, { width: 170 }),
            col('对象', (f) => h('code', null, f.name), { minWidth: 320 }),
            col('问题', (f) => f.problem, { minWidth: 360 }),
          ]) : null,
        ]) : null,
      ]);
    };
  },
});
