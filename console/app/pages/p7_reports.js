// P7 三级法院工作报表 (court leaders and the trial management office): choose the kind of report
// (高级、中级、基层法院), one or more courts of that level in the caller's scope, a month, quarter or
// year, the region (a high court's report only), the columns and the format; the console asks
// ExportSupervisionReport for each court in turn, shows how far it has got, and saves each file
// as the API names it (the answer carries the file's bytes, base64 in JSON). The choices are in
// the address, so a report can be bookmarked and asked again next month.
import { EP, h, ref, shallowRef, defineComponent } from '../lib.js';
import { route, setQuery } from '../router.js';
import { get } from '../api.js';
import { pageHeader, errorNotice, emptyState, saveFile } from '../ui.js';
import { session } from '../session.js';
import { number, today } from '../format.js';
import { courts, loadCourts } from '../names.js';

const { ElForm, ElFormItem, ElRadioGroup, ElRadioButton, ElSelect, ElOption, ElDatePicker, ElCheckboxGroup, ElCheckbox,
  ElButton, ElProgress, ElTable, ElTableColumn, ElAlert } = EP;

export const KINDS = {
  HIGH: ['COURT_LEVEL_HIGH', '高级法院报表', '各片区及其法院、片区小计、全省合计'],
  INTERMEDIATE: ['COURT_LEVEL_INTERMEDIATE', '中级法院报表', '本院及辖区各基层法院、合计'],
  BASIC: ['COURT_LEVEL_BASIC', '基层法院报表', '本院各审判部门、合计（庭长：本部门）'],
};
// The report's columns (services/stats/reports.py ITEMS), in its order.
export const ITEMS = {
  received: '收案数', closed: '结案数', pending: '未结案数', abnormal_cases: '异常案件', locked_cases: '锁定案件',
  unlocked_cases: '解锁案件', warning_nodes: '预警节点', overdue_nodes: '超期节点', overdue_without_warning_nodes: '超期未预警节点',
  locked_nodes: '锁定节点', closed_to_received: '结收比', abnormal_rate: '异常率',
};
const GRAINS = { month: '月报', quarter: '季报', year: '年报' };

/** The period as the API takes it ("2026-03", "2026-Q1", "2026") from the page's choices. */
export function periodOf(q) {
  const year = (q.year || today().slice(0, 4));
  if (q.grain === 'year') return year;
  if (q.grain === 'quarter') return `${year}-Q${q.quarter || 1}`;
  return q.month || today().slice(0, 7);
}

export function periodWords(period) {
  const m = /^(\d{4})(?:-(\d{2})|-Q(\d))?$/.exec(period);
  if (!m) return period;
  if (m[2]) return `${m[1]}年${Number(m[2])}月`;
  if (m[3]) return `${m[1]}年第${'一二三四'[m[3] - 1]}季度`;
  return `${m[1]}年`;
}

function levelOf(court) {
  return String((courts()[court] || {}).level || '');
}

export const ReportsPage = defineComponent({
  name: 'CfReportsPage',
  setup() {
    const loaded = ref(false);
    loadCourts().finally(() => { loaded.value = true; });
    const running = ref(null);     // { done, total, court, started }
    const results = shallowRef([]);
    const failures = shallowRef([]);
    const tick = ref(0);
    let timer = 0;

    // The caller's own court's level is the natural report (a president of a basic court: 基层).
    const defaultKind = () => Object.keys(KINDS).find((k) => KINDS[k][0] === levelOf(String(session.caller.court).replace('courts/', ''))) || 'BASIC';
    const q = () => ({
      kind: KINDS[route.query.kind] ? route.query.kind : defaultKind(), grain: GRAINS[route.query.grain] ? route.query.grain : 'month',
      month: route.query.month || '', year: route.query.year || '', quarter: route.query.quarter || '',
      courts: String(route.query.courts || '').split(',').filter(Boolean), region: route.query.region || '',
      items: route.query.items ? String(route.query.items).split(',').filter((k) => ITEMS[k]) : Object.keys(ITEMS),
      format: route.query.format === 'CSV' ? 'CSV' : 'XLSX',
    });
    const ofLevel = (kind) => Object.entries(courts()).filter(([, c]) => String(c.level) === KINDS[kind][0]);

    async function generate() {
      const choice = q();
      const period = periodOf(choice);
      const chosen = choice.courts.length ? choice.courts : ofLevel(choice.kind).slice(0, 1).map(([id]) => id);
      results.value = []; failures.value = [];
      running.value = { done: 0, total: chosen.length, court: chosen[0], started: Date.now() };
      timer = setInterval(() => { tick.value += 1; }, 500);
      try {
        for (const [i, court] of chosen.entries()) {
          running.value = { ...running.value, done: i, court, started: Date.now() };
          try {
            const reply = await get(`/v1/courts/${court}/supervision:exportReport`, [
              ['period', period], ['region', choice.kind === 'HIGH' ? choice.region : ''], ['format', `REPORT_FORMAT_${choice.format}`],
              ...(choice.items.length === Object.keys(ITEMS).length ? [] : choice.items.map((k) => ['items', k]))]);
            const url = saveFile(reply, `${courts()[court]?.name || court}工作报表-${periodWords(period)}.${choice.format.toLowerCase()}`, { keep: true });
            results.value = [...results.value, { court, fileName: reply.fileName, rows: reply.rowCount || 0, url, kind: reply.kind }];
          } catch (e) {
            failures.value = [...failures.value, { court, error: e }];
          }
        }
      } finally {
        clearInterval(timer);
        running.value = null;
      }
    }

    function form() {
      const choice = q();
      const item = (label, child) => h(ElFormItem, { label }, () => child);
      const courtOptions = ofLevel(choice.kind);
      const regions = Object.entries(courts()).filter(([, c]) => String(c.level) === KINDS.INTERMEDIATE[0]);
      const period = [];
      if (choice.grain === 'month') {
        period.push(h(ElDatePicker, { type: 'month', modelValue: choice.month || today().slice(0, 7), valueFormat: 'YYYY-MM', format: 'YYYY年M月',
          ariaLabel: '统计月份', clearable: false, style: { width: '10rem' }, 'onUpdate:modelValue': (v) => setQuery({ month: v || '' }) }));
      } else {
        period.push(h(ElDatePicker, { type: 'year', modelValue: choice.year || today().slice(0, 4), valueFormat: 'YYYY', format: 'YYYY年',
          ariaLabel: '统计年度', clearable: false, style: { width: '8rem' }, 'onUpdate:modelValue': (v) => setQuery({ year: v || '' }) }));
        if (choice.grain === 'quarter') {
          period.push(h(ElSelect, { modelValue: choice.quarter || '1', ariaLabel: '季度', style: { width: '8rem' }, 'onUpdate:modelValue': (v) => setQuery({ quarter: v }) },
            () => ['1', '2', '3', '4'].map((n) => h(ElOption, { key: n, value: n, label: `第${'一二三四'[n - 1]}季度` }))));
        }
      }
      return h('section', { class: 'cf-panel', 'aria-labelledby': 'cf-report-form' }, [
        h('h2', { id: 'cf-report-form' }, '报表条件'),
        h(ElForm, { labelPosition: 'right', labelWidth: '6rem', onSubmit: (e) => { e.preventDefault(); generate(); } }, () => [
          item('报表类别', h(ElRadioGroup, { modelValue: choice.kind, ariaLabel: '报表类别', 'onUpdate:modelValue': (v) => setQuery({ kind: v, courts: '', region: '' }) },
            () => Object.entries(KINDS).map(([k, [, label]]) => h(ElRadioButton, { key: k, value: k }, () => label)))),
          h('p', { class: 'cf-muted cf-small cf-form-note' }, `行：${KINDS[choice.kind][2]}。`),
          item('法院', h(ElSelect, { modelValue: choice.courts, multiple: true, filterable: true, ariaLabel: '法院（可多选）',
            placeholder: courtOptions.length ? `默认：${courtOptions[0][1].name}` : '本人可见范围内没有该级别的法院', style: { width: '100%' },
            'onUpdate:modelValue': (v) => setQuery({ courts: v.join(',') }) }, () => courtOptions.map(([id, c]) => h(ElOption, { key: id, value: id, label: c.name })))),
          choice.kind === 'HIGH' ? item('片区', h(ElSelect, { modelValue: choice.region || '-', ariaLabel: '片区', style: { width: '18rem' },
            'onUpdate:modelValue': (v) => setQuery({ region: v === '-' ? '' : v }) }, () => [h(ElOption, { value: '-', label: '全部片区' }),
            ...regions.map(([id, c]) => h(ElOption, { key: id, value: id, label: c.name }))])) : null,
          item('统计期间', h('div', { class: 'cf-inline' }, [
            h(ElRadioGroup, { modelValue: choice.grain, ariaLabel: '报表周期', 'onUpdate:modelValue': (v) => setQuery({ grain: v }) },
              () => Object.entries(GRAINS).map(([k, label]) => h(ElRadioButton, { key: k, value: k }, () => label))),
            ...period,
            h('span', { class: 'cf-muted' }, periodWords(periodOf(choice))),
          ])),
          item('报表项目', h(ElCheckboxGroup, { modelValue: choice.items, ariaLabel: '报表项目',
            'onUpdate:modelValue': (v) => setQuery({ items: v.length === Object.keys(ITEMS).length ? '' : Object.keys(ITEMS).filter((k) => v.includes(k)).join(',') }) },
          () => Object.entries(ITEMS).map(([k, label]) => h(ElCheckbox, { key: k, value: k }, () => label)))),
          item('文件格式', h(ElRadioGroup, { modelValue: choice.format, ariaLabel: '文件格式', 'onUpdate:modelValue': (v) => setQuery({ format: v === 'XLSX' ? '' : v }) },
            () => [h(ElRadioButton, { value: 'XLSX' }, () => 'Excel（XLSX）'), h(ElRadioButton, { value: 'CSV' }, () => 'CSV')])),
          h(ElFormItem, null, () => h(ElButton, { type: 'primary', nativeType: 'submit', loading: Boolean(running.value),
            disabled: Boolean(running.value) || !choice.items.length || !courtOptions.length }, () => '生成并下载')),
        ]),
      ]);
    }

    function progress() {
      const r = running.value;
      if (!r) return null;
      void tick.value;   // re-render every half second: the elapsed time
      const seconds = Math.floor((Date.now() - r.started) / 1000);
      const percent = Math.round((r.done / r.total) * 100);
      return h('section', { class: 'cf-panel', role: 'status', 'aria-live': 'polite', 'aria-busy': 'false' }, [
        h('p', null, `正在生成第 ${r.done + 1} / ${r.total} 份：${courts()[r.court]?.name || r.court}（已用 ${seconds} 秒）`),
        h(ElProgress, { percentage: percent, strokeWidth: 14, ariaLabel: '报表生成进度', indeterminate: r.total === 1, duration: 2 }),
      ]);
    }

    function done() {
      if (!results.value.length && !failures.value.length) return null;
      return h('section', { class: 'cf-panel', 'aria-labelledby': 'cf-report-done' }, [
        h('h2', { id: 'cf-report-done' }, `已生成 ${results.value.length} 份报表`),
        results.value.length ? h(ElTable, { data: results.value, border: true, style: { width: '100%' } }, () => [
          h(ElTableColumn, { label: '文件', minWidth: 320 }, { default: ({ row }) => h('a', { href: row.url, download: row.fileName }, row.fileName) }),
          h(ElTableColumn, { label: '报表类别', width: 140 }, { default: ({ row }) => (KINDS[String(row.kind).replace('REPORT_KIND_', '')] || [])[1] || '—' }),
          h(ElTableColumn, { label: '行数（含小计、合计）', width: 170, align: 'right' }, { default: ({ row }) => number(row.rows) }),
        ]) : null,
        ...failures.value.map((f) => h('div', { key: f.court }, [h('p', null, `${courts()[f.court]?.name || f.court}：未能生成`), errorNotice(f.error)])),
      ]);
    }

    return () => h('section', { class: 'cf-page' }, [
      pageHeader('三级法院工作报表', '按期间生成高级、中级、基层法院的工作报表（Excel 含合并表头和查询条件页），每个数字与监督平台的统计口径一致。'),
      loaded.value && !Object.keys(courts()).length ? emptyState('没有可以生成报表的法院：请联系系统管理员确认您的查看范围。') : null,
      form(),
      progress(),
      done(),
      h(ElAlert, { type: 'info', showIcon: true, closable: false, title: '已结束的期间按其最后一日的情况统计，以后再生成数字相同；当前期间按今天的情况统计。' }),
    ]);
  },
});
