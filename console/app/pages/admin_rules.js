// 系统管理 (administrators and the trial management office): 节假日安排 (ListCalendarYears and
// ImportCalendarYear: a year's State Council schedule, rest days and make-up working days), 节点规则
// (ListNodeRules / UpdateNodeRule as they apply in one court: period, warning rungs, overdue
// action beside the catalogue's own; ReevaluateNodeRule to bring running nodes onto the rule in
// force, DOMAIN §6; a court's setting, NodeRule.setting, which opens no node, listed apart under
// 法院设置 with its value alone to edit) and 阶段视图 (ListStageViews / UpdateStageView: which node categories a stage
// shows on P2).
import { EP, h, ref, reactive, defineComponent } from '../lib.js';
import { route, setQuery } from '../router.js';
import { get, post, patch } from '../api.js';
import { pageHeader, errorNotice, emptyState, loading, useLoader, CourtPicker, EditorPanel } from '../ui.js';
import { session } from '../session.js';
import { STAGES, STAGE_ORDER, word } from '../labels.js';
import { date, dateTime, isoDate, number, today } from '../format.js';
import { courtName, partsOf, userName } from '../names.js';

const { ElTable, ElTableColumn, ElButton, ElForm, ElFormItem, ElInput, ElInputNumber, ElSelect, ElOption, ElTag,
  ElRadioGroup, ElRadioButton, ElSwitch, ElCheckboxGroup, ElCheckbox, ElAlert } = EP;

// ── 节假日安排 ──────────────────────────────────────────────────────────────────────────────

/** "2027-01-01" lines (or separated by spaces, commas, 、) → [{year, month, day}], or the bad entries. */
export function parseDates(text) {
  const good = []; const bad = [];
  for (const part of String(text || '').split(/[\s,，、]+/).filter(Boolean)) {
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(part);
    const t = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    if (m && t.getUTCMonth() === +m[2] - 1 && t.getUTCDate() === +m[3]) good.push({ year: +m[1], month: +m[2], day: +m[3] });
    else bad.push(part);
  }
  return { good, bad };
}

const dateList = (dates) => (dates || []).map((d) => date(d).replace(/^\d+年/, '')).join('、') || '—';

export const CalendarsPage = defineComponent({
  name: 'CfCalendarsPage',
  setup() {
    const { data, error, busy, reload } = useLoader(() => route.path, async () => {
      const years = (await get('/v1/calendarYears')).calendarYears || [];
      return years.sort((a, b) => b.year - a.year);
    });
    const form = reactive({ year: Number(today().slice(0, 4)) + 1, source: '', holidays: '', workdays: '' });
    const local = ref('');
    const saving = ref(false);
    const saveError = ref(null);
    const saved = ref('');

    async function save() {
      local.value = ''; saveError.value = null; saved.value = '';
      const holidays = parseDates(form.holidays); const workdays = parseDates(form.workdays);
      const problems = [];
      if (holidays.bad.length) problems.push(`法定节假日：${holidays.bad.join('、')} 不是日期（应为 2027-01-01）`);
      if (workdays.bad.length) problems.push(`调休上班日：${workdays.bad.join('、')} 不是日期（应为 2027-02-07）`);
      const outside = [...holidays.good, ...workdays.good].filter((d) => d.year !== form.year);
      if (outside.length) problems.push(`日期应在 ${form.year} 年内：${outside.map(isoDate).join('、')}`);
      if (problems.length) { local.value = problems.join('；'); return; }
      saving.value = true;
      try {
        const reply = await post('/v1/calendarYears', { year: form.year, source: form.source.trim(), holidays: holidays.good, workdays: workdays.good });
        saved.value = `已导入 ${reply.calendarYear.year} 年节假日安排：${reply.calendarYear.holidays?.length || 0} 个法定节假日、${reply.calendarYear.workdays?.length || 0} 个调休上班日；${number(reply.recomputedNodes)} 个运行中节点的到期日据此重新计算。`;
        reload();
      } catch (e) {
        saveError.value = e;
      } finally {
        saving.value = false;
      }
    }

    function table(years) {
      const col = (label, render, extra = {}) => h(ElTableColumn, { label, ...extra }, { default: ({ row }) => render(row) });
      return h(ElTable, { data: years, border: true, rowKey: 'name', style: { width: '100%' } }, () => [
        h(ElTableColumn, { type: 'expand', label: '日期', width: 60 }, { default: ({ row }) => h('dl', { class: 'cf-explain cf-definitions' }, [
          h('dt', null, `法定节假日（${(row.holidays || []).length} 天）`), h('dd', null, dateList(row.holidays)),
          h('dt', null, `调休上班日（${(row.workdays || []).length} 天）`), h('dd', null, dateList(row.workdays))]) }),
        col('年度', (y) => `${y.year}年`, { width: 90 }),
        col('依据', (y) => y.source, { minWidth: 280 }),
        col('法定节假日', (y) => `${(y.holidays || []).length} 天`, { width: 110, align: 'right' }),
        col('调休上班日', (y) => `${(y.workdays || []).length} 天`, { width: 110, align: 'right' }),
        col('导入', (y) => (y.importTime ? `${userName(y.importUser)} · ${dateTime(y.importTime)}` : '系统内置'), { minWidth: 200 }),
      ]);
    }

    return () => {
      const years = data.value;
      // The schedule is the province's: only a rule manager of province scope imports it.
      const may = ['ROLE_SYSTEM_ADMIN', 'ROLE_TRIAL_MANAGEMENT'].includes(session.caller.role) && String(session.caller.scope).endsWith('PROVINCE');
      return h('section', { class: 'cf-page' }, [
        pageHeader('节假日安排', '期限按国务院办公厅公布的节假日安排计算（期间届满日遇法定节假日顺延，调休上班日按工作日计）；某年未导入时只按周末计算，并在到期日说明中提示。'),
        errorNotice(error.value, reload),
        busy.value && !years ? loading() : null,
        years ? h('section', { class: 'cf-panel', 'aria-labelledby': 'cf-calendar-years' }, [
          h('h2', { id: 'cf-calendar-years' }, `已有的年度（${years.length} 个）`),
          years.length ? table(years) : emptyState('还没有任何年度的节假日安排：请在下方导入。'),
        ]) : null,
        may ? h('section', { class: 'cf-panel', 'aria-labelledby': 'cf-calendar-import' }, [
          h('h2', { id: 'cf-calendar-import' }, '导入或替换一个年度'),
          h('p', { class: 'cf-muted' }, '替换已有年度后，按旧安排计算的运行中节点立即重新计算到期日。日期每行一个或用顿号、逗号分隔，如 2027-01-01。'),
          h(ElForm, { labelPosition: 'right', labelWidth: '7rem', onSubmit: (e) => { e.preventDefault(); save(); } }, () => [
            h(ElFormItem, { label: '年度', required: true }, () => h(ElInputNumber, { modelValue: form.year, min: 2000, max: 2100, ariaLabel: '年度', 'onUpdate:modelValue': (v) => { form.year = v; } })),
            h(ElFormItem, { label: '依据', required: true }, () => h(ElInput, { modelValue: form.source, ariaLabel: '依据', maxlength: 200,
              placeholder: `国务院办公厅关于${form.year}年部分节假日安排的通知`, 'onUpdate:modelValue': (v) => { form.source = v; } })),
            h(ElFormItem, { label: '法定节假日' }, () => h(ElInput, { modelValue: form.holidays, type: 'textarea', rows: 4, ariaLabel: '法定节假日',
              placeholder: `${form.year}-01-01\n${form.year}-02-10`, 'onUpdate:modelValue': (v) => { form.holidays = v; } })),
            h(ElFormItem, { label: '调休上班日' }, () => h(ElInput, { modelValue: form.workdays, type: 'textarea', rows: 2, ariaLabel: '调休上班日',
              placeholder: `${form.year}-02-07`, 'onUpdate:modelValue': (v) => { form.workdays = v; } })),
            local.value ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: local.value }) : null,
            errorNotice(saveError.value),
            h(ElFormItem, null, () => h(ElButton, { type: 'primary', nativeType: 'submit', loading: saving.value, disabled: !form.source.trim() }, () => '导入')),
          ]),
          saved.value ? h(ElAlert, { type: 'success', showIcon: true, closable: false, title: saved.value, role: 'status' }) : null,
        ]) : h('p', { class: 'cf-muted' }, '节假日安排全省统一，由高级人民法院的系统管理员或审管办导入。'),
      ]);
    };
  },
});

// ── 节点规则 ────────────────────────────────────────────────────────────────────────────────

const UNITS = { d: '日', wd: '个工作日', m: '个月', y: '年' };
const ACTIONS = { WARN: '预警', LOCK: '锁定' };

export function periodWords(period) {
  const m = /^(\d+)(wd|d|m|y)$/.exec(period || '');
  return m ? `${m[1]}${UNITS[m[2]]}` : '—';
}
const rungWords = (rungs) => ((rungs || []).length ? `届满前 ${rungs.join('、')} 日` : '不预警');
const actionWords = (action) => word(ACTIONS, action, 'OVERDUE_ACTION_');
const code = (rule) => partsOf(rule).nodeRule;

const RuleEditor = defineComponent({
  name: 'CfRuleEditor',
  props: { rule: Object, mode: String },
  emits: ['close', 'done'],
  setup(props, { emit }) {
    const m = /^(\d+)(wd|d|m|y)$/.exec(props.rule.period || '') || [null, '15', 'd'];
    const form = reactive({ amount: Number(m[1]), unit: m[2], rungs: (props.rule.warningRungs || []).join('、'), action: String(props.rule.overdueAction || 'OVERDUE_ACTION_WARN').replace('OVERDUE_ACTION_', '') });
    const busy = ref(false);
    const error = ref(null);
    const local = ref('');

    async function save() {
      local.value = ''; error.value = null;
      const parts = form.rungs.split(/[\s,，、]+/).filter(Boolean);
      const rungs = parts.map(Number);
      if (parts.some((p, i) => !/^\d+$/.test(p) || rungs[i] < 1 || rungs[i] > 366)) {
        local.value = '预警：应为 1 至 366 之间的整数天数，用顿号或逗号分隔，如 15、7、3'; return;
      }
      busy.value = true;
      try {
        // A court's setting opens no node: it has a value (in days) and nothing to warn of or lock.
        const reply = props.rule.setting
          ? await patch(`/v1/${props.rule.name}`, { name: props.rule.name, period: `${form.amount}d` }, ['period'])
          : await patch(`/v1/${props.rule.name}`, { name: props.rule.name, period: `${form.amount}${form.unit}`, warningRungs: rungs, overdueAction: `OVERDUE_ACTION_${form.action}` },
            ['period', 'warning_rungs', 'overdue_action']);
        const r = reply.nodeRule;
        emit('done', r.setting ? `已调整「${r.displayName}」：${periodWords(r.period)}。此后的校验即按此设置。`
          : `已调整「${r.displayName}」：期限 ${periodWords(r.period)}，${rungWords(r.warningRungs)}，超期${actionWords(r.overdueAction)}。新开节点即按此计算；运行中的节点需“重新评估”。`, r);
      } catch (e) {
        error.value = e;
      } finally {
        busy.value = false;
      }
    }

    async function reevaluate() {
      error.value = null; busy.value = true;
      try {
        const reply = await post(`/v1/${props.rule.name}:reevaluate`, {});
        emit('done', `已重新评估「${reply.nodeRule.displayName}」：${number(reply.reevaluatedNodes)} 个运行中节点采用现行规则，其中 ${number(reply.changedDueDates)} 个到期日改变。`, reply.nodeRule);
      } catch (e) {
        error.value = e;
      } finally {
        busy.value = false;
      }
    }

    return () => {
      const r = props.rule;
      const buttons = (label, onClick) => h(ElFormItem, null, () => h('div', { class: 'cf-buttons' }, [
        h(ElButton, { type: 'primary', loading: busy.value, onClick }, () => label), h(ElButton, { onClick: () => emit('close') }, () => '取消')]));
      const body = props.mode === 'reevaluate' ? [
        h('p', null, `将「${r.displayName}」的现行规则（期限 ${periodWords(r.period)}，${rungWords(r.warningRungs)}，超期${actionWords(r.overdueAction)}）适用于${courtName(partsOf(r).court)}该规则的全部运行中节点。`),
        h('p', { class: 'cf-muted' }, '各节点保留已批准的延长、扣除和中止，到期日重新推算；此操作记入审计日志。'),
        errorNotice(error.value), buttons('确认重新评估', reevaluate),
      ] : r.setting ? [h(ElForm, { labelPosition: 'right', labelWidth: '6rem', onSubmit: (e) => { e.preventDefault(); save(); } }, () => [
        h(ElFormItem, { label: '取值' }, () => h('div', { class: 'cf-inline' }, [
          h(ElInputNumber, { modelValue: form.amount, min: 1, max: 9999, ariaLabel: '取值（日）', 'onUpdate:modelValue': (v) => { form.amount = v || 1; } }),
          h('span', null, '日'), h('span', { class: 'cf-muted' }, `目录：${periodWords(r.defaultPeriod)}`)])),
        errorNotice(error.value),
        buttons('保存', save),
      ])] : [h(ElForm, { labelPosition: 'right', labelWidth: '6rem', onSubmit: (e) => { e.preventDefault(); save(); } }, () => [
        h(ElFormItem, { label: '期限' }, () => h('div', { class: 'cf-inline' }, [
          h(ElInputNumber, { modelValue: form.amount, min: 1, max: 9999, ariaLabel: '期限（数量）', 'onUpdate:modelValue': (v) => { form.amount = v || 1; } }),
          h(ElSelect, { modelValue: form.unit, ariaLabel: '期限（单位）', style: { width: '8rem' }, 'onUpdate:modelValue': (v) => { form.unit = v; } },
            () => Object.entries(UNITS).map(([k, label]) => h(ElOption, { key: k, value: k, label }))),
          h('span', { class: 'cf-muted' }, `目录：${periodWords(r.defaultPeriod)}`)])),
        h(ElFormItem, { label: '预警' }, () => h('div', { class: 'cf-inline' }, [
          h(ElInput, { modelValue: form.rungs, ariaLabel: '预警（届满前天数）', placeholder: '15、7、3', style: { width: '12rem' }, 'onUpdate:modelValue': (v) => { form.rungs = v; } }),
          h('span', { class: 'cf-muted' }, `届满前天数；目录：${(r.defaultWarningRungs || []).join('、') || '无'}`)])),
        h(ElFormItem, { label: '超期处理' }, () => h(ElRadioGroup, { modelValue: form.action, ariaLabel: '超期处理', 'onUpdate:modelValue': (v) => { form.action = v; } },
          () => Object.entries(ACTIONS).map(([k, label]) => h(ElRadioButton, { key: k, value: k }, () => label)))),
        local.value ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: local.value }) : null,
        errorNotice(error.value),
        buttons('保存', save),
      ])];
      return h(EditorPanel, { title: `${props.mode === 'reevaluate' ? '重新评估' : r.setting ? '调整设置' : '调整规则'}：${r.displayName}`, onClose: () => emit('close') }, { default: () => body });
    };
  },
});

export const RulesPage = defineComponent({
  name: 'CfRulesPage',
  setup() {
    const court = () => route.query.court || session.caller.court;
    const { data, error, busy, reload } = useLoader(() => [route.query.court, route.query.stage, route.query.overridden], async () => {
      const filter = [route.query.stage && `stage = ${route.query.stage}`, route.query.overridden === 'true' && 'overridden = true'].filter(Boolean).join(' AND ');
      const rules = [];
      let token = '';
      do {
        const page = await get(`/v1/courts/${court()}/nodeRules`, [['pageSize', 1000], ['pageToken', token], ['filter', filter]]);
        rules.push(...(page.nodeRules || []));
        token = page.nextPageToken || '';
      } while (token);
      return rules;
    });
    const editing = ref(null);
    const done = ref('');
    const may = () => ['ROLE_SYSTEM_ADMIN', 'ROLE_TRIAL_MANAGEMENT'].includes(session.caller.role);

    function table(rules) {
      const col = (label, render, extra = {}) => h(ElTableColumn, { label, ...extra }, { default: ({ row }) => render(row) });
      const changed = (now, was) => (now !== was ? [h('strong', null, now), h('div', { class: 'cf-muted cf-small' }, `目录：${was}`)] : now);
      return h(ElTable, { data: rules, border: true, stripe: true, rowKey: 'name', style: { width: '100%' } }, () => [
        h(ElTableColumn, { type: 'expand', label: '依据', width: 60 }, { default: ({ row }) => h('dl', { class: 'cf-explain cf-definitions' }, [
          h('dt', null, '法律依据'), h('dd', null, row.legalBasis || '—'),
          h('dt', null, '所属流程'), h('dd', null, row.process || '—'),
          h('dt', null, '责任角色 / 超期告知'), h('dd', null, `${row.responsibleRole || '—'} / ${(row.supervisors || []).join('、') || '—'}`),
          h('dt', null, '节点目录版本'), h('dd', null, row.catalogVersion || '—')]) }),
        col('节点', (r) => [h('div', null, r.displayName), h('div', { class: 'cf-muted cf-small' }, code(r))], { minWidth: 200 }),
        col('阶段', (r) => word(STAGES, r.stage, 'STAGE_'), { width: 100 }),
        col('节点类别', (r) => r.category, { minWidth: 120 }),
        col('期限', (r) => changed(periodWords(r.period), periodWords(r.defaultPeriod)), { width: 120 }),
        col('预警', (r) => changed(rungWords(r.warningRungs), rungWords(r.defaultWarningRungs)), { minWidth: 150 }),
        col('超期处理', (r) => changed(actionWords(r.overdueAction), actionWords(r.defaultOverdueAction)), { width: 100 }),
        col('现行调整', (r) => (r.overrideCourt ? [h(ElTag, { type: 'warning', disableTransitions: true }, () => courtName(r.overrideCourt)),
          r.updateTime ? h('div', { class: 'cf-muted cf-small' }, `${userName(r.updateUser)} · ${date(r.updateTime)}`) : null] : '目录默认'), { minWidth: 170 }),
        may() ? col('操作', (r) => h('div', { class: 'cf-buttons' }, [
          h(ElButton, { size: 'small', 'aria-label': `调整 ${r.displayName}`, onClick: () => { editing.value = { rule: r, mode: 'edit' }; } }, () => '调整'),
          h(ElButton, { size: 'small', 'aria-label': `重新评估 ${r.displayName}`, onClick: () => { editing.value = { rule: r, mode: 'reevaluate' }; } }, () => '重新评估')]), { width: 180 }) : null,
      ]);
    }

    // A court's setting (hearing_minimum_interval): a value a check reads, not a node; its own table.
    function settingsTable(settings) {
      const col = (label, render, extra = {}) => h(ElTableColumn, { label, ...extra }, { default: ({ row }) => render(row) });
      return h(ElTable, { data: settings, border: true, rowKey: 'name', style: { width: '100%' } }, () => [
        h(ElTableColumn, { type: 'expand', label: '依据', width: 60 }, { default: ({ row }) => h('dl', { class: 'cf-explain cf-definitions' }, [
          h('dt', null, '依据'), h('dd', null, row.legalBasis || '—'), h('dt', null, '节点目录版本'), h('dd', null, row.catalogVersion || '—')]) }),
        col('设置', (r) => [h('div', null, r.displayName), h('div', { class: 'cf-muted cf-small' }, code(r))], { minWidth: 240 }),
        col('阶段', (r) => word(STAGES, r.stage, 'STAGE_'), { width: 100 }),
        col('类别', (r) => r.category, { minWidth: 120 }),
        col('取值', (r) => (r.period !== r.defaultPeriod ? [h('strong', null, periodWords(r.period)), h('div', { class: 'cf-muted cf-small' }, `目录：${periodWords(r.defaultPeriod)}`)]
          : periodWords(r.period)), { width: 120 }),
        col('现行调整', (r) => (r.overrideCourt ? [h(ElTag, { type: 'warning', disableTransitions: true }, () => courtName(r.overrideCourt)),
          r.updateTime ? h('div', { class: 'cf-muted cf-small' }, `${userName(r.updateUser)} · ${date(r.updateTime)}`) : null] : '目录默认'), { minWidth: 170 }),
        may() ? col('操作', (r) => h(ElButton, { size: 'small', 'aria-label': `调整 ${r.displayName}`, onClick: () => { editing.value = { rule: r, mode: 'edit' }; } }, () => '调整'), { width: 100 }) : null,
      ]);
    }

    return () => {
      const all = data.value;
      const rules = all && all.filter((r) => !r.setting);
      const settings = all ? all.filter((r) => r.setting) : [];
      const e = editing.value;
      return h('section', { class: 'cf-page' }, [
        pageHeader('节点规则', `${courtName(court())}适用的节点规则：期限、预警和超期处理；本院的调整适用于本院及下级法院此后新开的节点，运行中的节点经“重新评估”后适用。`),
        h(CourtPicker, { own: session.caller.court }),
        h('section', { class: 'cf-toolbar', 'aria-label': '筛选规则' }, h(ElForm, { inline: true, onSubmit: (ev) => ev.preventDefault() }, () => [
          h(ElFormItem, { label: '阶段' }, () => h(ElSelect, { modelValue: route.query.stage || '-', ariaLabel: '阶段', style: { width: '10rem' }, 'onUpdate:modelValue': (v) => setQuery({ stage: v === '-' ? '' : v }) },
            () => [h(ElOption, { value: '-', label: '全部阶段' }), ...STAGE_ORDER.map((s) => h(ElOption, { key: s, value: s, label: STAGES[s] }))])),
          h(ElFormItem, { label: '只看已调整' }, () => h(ElSwitch, { modelValue: route.query.overridden === 'true', ariaLabel: '只看已调整的规则', 'onUpdate:modelValue': (v) => setQuery({ overridden: v ? 'true' : '' }) })),
        ])),
        done.value ? h(ElAlert, { type: 'success', showIcon: true, title: done.value, role: 'status', onClose: () => { done.value = ''; } }) : null,
        errorNotice(error.value, reload),
        busy.value && !all ? loading() : null,
        e ? h(RuleEditor, { rule: e.rule, mode: e.mode, key: `${e.rule.name}-${e.mode}`, onClose: () => { editing.value = null; },
          onDone: (text) => { editing.value = null; done.value = text; reload(); } }) : null,
        rules && rules.length ? table(rules) : null,
        all && !all.length ? emptyState(route.query.overridden ? '本院没有调整过的规则。' : '没有符合条件的规则。') : null,
        settings.length ? h('section', { class: 'cf-panel', 'aria-labelledby': 'cf-rule-settings' }, [
          h('h2', { id: 'cf-rule-settings' }, `法院设置（${settings.length} 项）`),
          h('p', { class: 'cf-muted' }, '本院的管理设置：不开启节点，不预警也不锁定，只供校验时读取（如同案两次开庭的最短间隔）；调整适用于本院及下级法院。'),
          settingsTable(settings),
        ]) : null,
      ]);
    };
  },
});

// ── 阶段视图 ────────────────────────────────────────────────────────────────────────────────

const StageViewCard = defineComponent({
  name: 'CfStageViewCard',
  props: { view: Object, editable: Boolean },
  emits: ['saved'],
  setup(props, { emit }) {
    const chosen = ref([...(props.view.categories || [])]);
    const busy = ref(false);
    const error = ref(null);
    async function save() {
      busy.value = true; error.value = null;
      // In the catalogue's order: the stage shows its categories as P2 lays them out.
      const categories = (props.view.availableCategories || []).filter((c) => chosen.value.includes(c));
      try {
        const reply = await patch(`/v1/${props.view.name}`, { name: props.view.name, categories }, ['categories']);
        emit('saved', reply.stageView);
      } catch (e) {
        error.value = e;
      } finally {
        busy.value = false;
      }
    }
    return () => {
      const v = props.view;
      const stage = word(STAGES, v.stage, 'STAGE_');
      const id = `cf-stage-${partsOf(v).stageView}`;
      return h('section', { class: 'cf-panel', 'aria-labelledby': id }, [
        h('div', { class: 'cf-panel-head' }, [
          h('h2', { id }, stage),
          h('span', { class: 'cf-muted' }, v.overrideCourt ? `由${courtName(v.overrideCourt)}选定` : '目录默认：显示全部类别'),
        ]),
        (v.availableCategories || []).length ? h(ElCheckboxGroup, { modelValue: chosen.value, ariaLabel: `${stage}显示的节点类别`, disabled: !props.editable,
          'onUpdate:modelValue': (x) => { chosen.value = x; } }, () => v.availableCategories.map((c) => h(ElCheckbox, { key: c, value: c }, () => c)))
          : h('p', { class: 'cf-muted' }, '该阶段在目录中没有节点。'),
        errorNotice(error.value),
        props.editable && (v.availableCategories || []).length ? h('div', { class: 'cf-buttons cf-stage-save' }, [
          h(ElButton, { type: 'primary', size: 'small', loading: busy.value, onClick: save, 'aria-label': `保存${stage}` }, () => '保存'),
          h('span', { class: 'cf-muted cf-small' }, `已选 ${chosen.value.length} / ${v.availableCategories.length} 类`)]) : null,
      ]);
    };
  },
});

export const StageViewsPage = defineComponent({
  name: 'CfStageViewsPage',
  setup() {
    const court = () => route.query.court || session.caller.court;
    const { data, error, busy, reload } = useLoader(() => [route.query.court], async () => {
      const views = (await get(`/v1/courts/${court()}/stageViews`)).stageViews || [];
      return views.sort((a, b) => STAGE_ORDER.indexOf(String(a.stage).replace('STAGE_', '')) - STAGE_ORDER.indexOf(String(b.stage).replace('STAGE_', '')));
    });
    const saved = ref('');
    const editable = () => ['ROLE_SYSTEM_ADMIN', 'ROLE_TRIAL_MANAGEMENT'].includes(session.caller.role);
    return () => {
      const views = data.value;
      return h('section', { class: 'cf-page' }, [
        pageHeader('阶段视图', `${courtName(court())}“流程节点预警”页面每个阶段显示的节点类别；选择适用于本院及下级法院（下级法院另行选择的除外）。`),
        h(CourtPicker, { own: session.caller.court }),
        saved.value ? h(ElAlert, { type: 'success', showIcon: true, title: saved.value, role: 'status', onClose: () => { saved.value = ''; } }) : null,
        errorNotice(error.value, reload),
        busy.value && !views ? loading() : null,
        views ? h('div', { class: 'cf-stage-views' }, views.map((v) => h(StageViewCard, { key: `${v.name}-${(v.categories || []).join('|')}`, view: v, editable: editable(),
          onSaved: (x) => { saved.value = `已保存「${word(STAGES, x.stage, 'STAGE_')}」显示的节点类别：${(x.categories || []).join('、') || '（无）'}`; reload(); } }))) : null,
      ]);
    };
  },
});
