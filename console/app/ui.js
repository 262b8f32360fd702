// Pieces every page uses: loading and error states, empty states that say what to do, counts
// that drill down, charts, and the filter bar that keeps its values in the address bar.
import { EP, h, ref, shallowRef, watch, onMounted, onBeforeUnmount, defineComponent, loadECharts } from './lib.js';
import { route, link, setQuery } from './router.js';
import { number, today, isoDate } from './format.js';
import { DATE_BASES } from './labels.js';
import { courts, loadCourts } from './names.js';

const { ElAlert, ElEmpty, ElSkeleton, ElSelect, ElOption, ElDatePicker, ElForm, ElFormItem, ElButton } = EP;

/** The page's title (one h1 per page) and what it shows. */
export function pageHeader(title, description, extra = null) {
  return h('header', { class: 'cf-page-header' }, [
    h('div', null, [h('h1', null, title), description ? h('p', { class: 'cf-muted' }, description) : null]),
    extra,
  ]);
}

/** An API error as the API gave it (its Chinese message), with the trace id for support. */
export function errorNotice(error, retry) {
  if (!error) return null;
  const lines = [];
  for (const [field, description] of error.violations || []) lines.push(h('li', null, `${field}：${description}`));
  return h('div', { class: 'cf-error' }, h(ElAlert, { type: 'error', showIcon: true, closable: false, title: error.message }, {
    default: () => [
      lines.length ? h('ul', null, lines) : null,
      h('p', { class: 'cf-trace' }, [
        error.status ? `HTTP ${error.status}${error.code ? ` · ${error.code}` : ''}${error.reason ? ` · ${error.reason}` : ''}` : '',
        error.traceId ? h('span', null, [' · 追踪编号 ', h('code', { 'data-testid': 'trace-id' }, error.traceId), '（联系技术支持时请提供）']) : null,
      ]),
      retry ? h(ElButton, { size: 'small', onClick: retry }, () => '重试') : null,
    ],
  }));
}

export function emptyState(description, action = null) {
  return h(ElEmpty, { description, imageSize: 80 }, action ? { default: () => action } : undefined);
}

export function loading(text = '正在加载…') {
  return h('div', { class: 'cf-loading', 'aria-busy': 'true', 'aria-live': 'polite' }, [
    h('span', { class: 'cf-sr-only' }, text), h(ElSkeleton, { rows: 4, animated: true }),
  ]);
}

/**
 * Loads data whenever `key()` changes (the route's query, usually); the latest answer wins.
 * Returns { data, error, busy, reload }.
 */
export function useLoader(key, load) {
  const data = shallowRef(null);
  const error = shallowRef(null);
  const busy = ref(true);
  let serial = 0;
  async function reload() {
    const mine = ++serial;
    busy.value = true;
    error.value = null;
    try {
      const answer = await load();
      if (mine === serial) data.value = answer;
    } catch (e) {
      if (mine === serial) { error.value = e; data.value = null; }
    } finally {
      if (mine === serial) busy.value = false;
    }
  }
  watch(key, reload, { immediate: true, deep: true });
  return { data, error, busy, reload };
}

/** A number that drills down: a link to its list, or plain text when it is zero. */
export function countLink(value, path, query, label) {
  const n = Number(value ?? 0);
  if (!n || !path) return h('span', { class: 'cf-count cf-count-zero' }, number(n));
  return link(path, query, number(n), { class: 'cf-count', 'aria-label': label ? `${label}：${number(n)}，查看明细` : undefined });
}

/** A counter card (P1): its number drills down. */
export function counterCard(title, value, path, query, tone = '') {
  const n = Number(value ?? 0);
  const body = [h('span', { class: 'cf-card-title' }, title), h('span', { class: 'cf-card-value' }, number(n))];
  return n && path
    ? link(path, query, body, { class: `cf-card cf-card-link ${tone}`, 'aria-label': `${title} ${number(n)}，查看明细` })
    : h('div', { class: `cf-card ${tone}` }, body);
}

/** An ECharts chart with a text alternative (`label`); `option` is recomputed from reactive data. */
export const Chart = defineComponent({
  name: 'CfChart',
  props: { option: { type: Function, required: true }, label: { type: String, required: true }, height: { type: Number, default: 320 } },
  setup(props) {
    const el = ref(null);
    let chart = null;
    const failed = ref('');
    const resize = () => chart && chart.resize();
    onMounted(async () => {
      try {
        const echarts = await loadECharts();
        if (!el.value) return;
        chart = echarts.init(el.value, null, { renderer: 'canvas', locale: 'ZH' });
        chart.setOption(props.option());
        window.addEventListener('resize', resize);
      } catch (e) {
        failed.value = `图表无法加载：${e.message}`;
      }
    });
    watch(() => props.option(), (option) => chart && chart.setOption(option, true));
    onBeforeUnmount(() => { window.removeEventListener('resize', resize); chart && chart.dispose(); });
    return () => h('div', { class: 'cf-chart-wrap' }, [
      failed.value ? h('p', { class: 'cf-muted' }, failed.value) : null,
      h('div', { ref: el, class: 'cf-chart', role: 'img', 'aria-label': props.label, style: { height: `${props.height}px` } }),
    ]);
  },
});

export const CHART_FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif';

/**
 * The filter bar of the supervision pages; each value lives in the address bar's query:
 * court ("-": everything in the caller's scope), basis, from, to, asOf. `months` chooses from and
 * to as whole months (Q2: the indicator system counts by natural month, quarter and year, and
 * such a period is what the stats service keeps counted; see monthsPeriod).
 */
export const FilterBar = defineComponent({
  name: 'CfFilterBar',
  props: { fields: { type: Array, default: () => ['court', 'basis', 'range', 'asOf'] }, defaults: { type: Object, default: () => ({}) } },
  setup(props) {
    const loaded = ref(false);
    loadCourts().then(() => { loaded.value = true; }).catch(() => { loaded.value = true; });
    const value = (key) => route.query[key] ?? props.defaults[key] ?? '';
    const items = () => {
      const out = [];
      if (props.fields.includes('court')) {
        const options = Object.entries(courts()).map(([id, c]) => h(ElOption, { key: id, value: id, label: c.name }));
        out.push(h(ElFormItem, { label: '法院' }, () => h(ElSelect, {
          modelValue: value('court') || '-', ariaLabel: '法院', filterable: true, style: { width: '15rem' },
          'onUpdate:modelValue': (v) => setQuery({ court: v === '-' ? '' : v }),
        }, () => [h(ElOption, { value: '-', label: '全部（本人可见范围）' }), ...options])));
      }
      if (props.fields.includes('basis')) {
        out.push(h(ElFormItem, { label: '日期口径' }, () => h(ElSelect, {
          modelValue: value('basis') || 'FILING', ariaLabel: '日期口径', style: { width: '8rem' },
          'onUpdate:modelValue': (v) => setQuery({ basis: v }),
        }, () => Object.entries(DATE_BASES).map(([k, label]) => h(ElOption, { key: k, value: k, label })))));
      }
      if (props.fields.includes('range')) {
        const from = value('from'); const to = value('to');
        out.push(h(ElFormItem, { label: '日期范围' }, () => h(ElDatePicker, {
          type: 'daterange', modelValue: from || to ? [from || to, to || today()] : null, valueFormat: 'YYYY-MM-DD', format: 'YYYY年M月D日',
          startPlaceholder: '起始日期', endPlaceholder: '截止日期', rangeSeparator: '至', unlinkPanels: true,
          ariaLabel: '日期范围', style: { width: '20rem' },
          'onUpdate:modelValue': (v) => setQuery({ from: v ? v[0] : '', to: v ? v[1] : '' }),
        })));
      }
      if (props.fields.includes('months')) {
        const from = value('from'); const to = value('to');
        out.push(h(ElFormItem, { label: '统计月份' }, () => h(ElDatePicker, {
          type: 'monthrange', modelValue: from || to ? [(from || to).slice(0, 7), (to || today()).slice(0, 7)] : null,
          valueFormat: 'YYYY-MM', format: 'YYYY年M月', startPlaceholder: '起始月份', endPlaceholder: '截止月份',
          rangeSeparator: '至', unlinkPanels: true, ariaLabel: '统计月份', style: { width: '16rem' },
          // A month not begun yet cannot be chosen (its figures do not exist; the API refuses them).
          // Both by the system's today (format.today), whatever this device's clock says.
          disabledDate: (d) => isoDay(d).slice(0, 7) > today().slice(0, 7), defaultValue: localDay(today()),
          'onUpdate:modelValue': (v) => setQuery(v ? monthsPeriod(v[0], v[1]) : { from: '', to: '' }),
        })));
      }
      if (props.fields.includes('asOf')) {
        out.push(h(ElFormItem, { label: '统计日' }, () => h(ElDatePicker, {
          type: 'date', modelValue: value('asOf') || null, valueFormat: 'YYYY-MM-DD', format: 'YYYY年M月D日',
          placeholder: '今天', ariaLabel: '统计日（留空为今天）', style: { width: '11rem' },
          disabledDate: (d) => isoDay(d) > today(),   // the API refuses a day after today
          defaultValue: localDay(today()),            // the calendar opens on the system's month
          'onUpdate:modelValue': (v) => setQuery({ asOf: v || '' }),
        })));
      }
      return out;
    };
    return () => h('section', { class: 'cf-filters', 'aria-label': '查询条件' },
      h(ElForm, { inline: true, labelPosition: 'left', onSubmit: (e) => e.preventDefault() }, items));
  },
});

/** A picker's day (a local Date) as YYYY-MM-DD. */
function isoDay(d) {
  return isoDate({ year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() });
}

/** YYYY-MM-DD as a picker's day (a local Date): the inverse of isoDay. */
function localDay(day) {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date);
}

/**
 * Whole months as a period: from the first of `first` ("2026-09") to the last day of `last`, or to
 * the service's today (no end) when this month is among them — a day after today is refused.
 */
export function monthsPeriod(first, last) {
  const [year, month] = last.split('-').map(Number);
  const end = `${last}-${String(new Date(Date.UTC(year, month, 0)).getUTCDate()).padStart(2, '0')}`;
  return { from: `${first}-01`, to: end >= today() ? '' : end };
}

/**
 * Saves a file the API answered (`content` base64 in JSON, `contentType`, `fileName`) as a
 * download. Returns the object URL when `keep` (a link to save it again), else revokes it soon.
 */
export function saveFile(reply, fallbackName, { keep = false } = {}) {
  const bytes = Uint8Array.from(atob(reply.content || ''), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: reply.contentType || 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url; a.download = reply.fileName || fallbackName;
  document.body.append(a); a.click(); a.remove();
  if (!keep) setTimeout(() => URL.revokeObjectURL(url), 10000);
  return keep ? url : '';
}

/**
 * The one court an administration page works on (`court` in the address; default the caller's
 * own): the courts of the caller's scope, as ListCourts gives them.
 */
export const CourtPicker = defineComponent({
  name: 'CfCourtPicker',
  props: { own: { type: String, required: true } },
  setup(props) {
    const loaded = ref(false);
    loadCourts().then(() => { loaded.value = true; }).catch(() => { loaded.value = true; });
    return () => h('section', { class: 'cf-filters', 'aria-label': '选择法院' }, h(ElForm, { inline: true, onSubmit: (e) => e.preventDefault() }, () => [
      h(ElFormItem, { label: '法院' }, () => h(ElSelect, {
        modelValue: route.query.court || props.own, ariaLabel: '法院', filterable: true, style: { width: '18rem' },
        'onUpdate:modelValue': (v) => setQuery({ court: v === props.own ? '' : v }),
      }, () => Object.entries(courts()).map(([id, c]) => h(ElOption, { key: id, value: id, label: c.name })))),
    ]));
  },
});

/**
 * An editing form shown in the page (not a modal: the form stays in the document's order for
 * keyboard and screen-reader users, and nothing is hidden behind an overlay). It takes the focus
 * when it opens, so that a keyboard user lands on it; Escape closes it.
 */
export const EditorPanel = defineComponent({
  name: 'CfEditorPanel',
  props: { title: { type: String, required: true } },
  emits: ['close'],
  setup(props, { emit, slots }) {
    const el = ref(null);
    onMounted(() => {
      el.value?.scrollIntoView({ block: 'nearest' });
      el.value?.focus({ preventScroll: true });
    });
    return () => h('section', { ref: el, class: 'cf-panel cf-editor', role: 'region', 'aria-label': props.title, tabindex: '-1',
      onKeydown: (e) => { if (e.key === 'Escape') emit('close'); } }, [
      h('div', { class: 'cf-panel-head' }, [h('h2', null, props.title), h(ElButton, { size: 'small', onClick: () => emit('close') }, () => '关闭')]),
      slots.default && slots.default(),
    ]);
  },
});
