// P2 流程节点预警: four tabs (超期、预警、锁定、解锁) × the seven stages; a stage shows its node
// categories, and the nodes with 超期天数、预警剩余天数、锁定日期、解锁日期 and their case. The tab,
// stage and category are in the address bar with the filters.
import { EP, h, defineComponent } from '../lib.js';
import { route, setQuery, link } from '../router.js';
import { pageHeader, errorNotice, emptyState, loading, useLoader, FilterBar } from '../ui.js';
import { filters, summarize, listNodes, joinTerms, cellValue, drill } from '../supervision.js';
import { number } from '../format.js';
import { STAGES, STAGE_ORDER } from '../labels.js';
import { nodeTable } from '../tables.js';

const { ElTabs, ElTabPane, ElButton } = EP;
const TABS = [
  { key: 'overdue', title: '超期', measure: 'nodes.overdue', columns: ['overdue'] },
  { key: 'warning', title: '预警', measure: 'nodes.warning', columns: ['remaining'] },
  { key: 'locked', title: '锁定', measure: 'nodes.locked', columns: ['overdue', 'lock'] },
  { key: 'unlocked', title: '解锁', measure: 'nodes.unlocked', columns: ['lock', 'unlock'] },
];
const PAGE = 20;

export const WarningsPage = defineComponent({
  name: 'CfWarningsPage',
  setup() {
    const tab = () => TABS.find((t) => t.key === route.query.tab) || TABS[0];
    const { data, error, busy, reload } = useLoader(() => route.query, async () => {
      const f = filters();
      const t = tab();
      const stage = route.query.stage || '';
      const category = route.query.category || '';
      const stages = await summarize(f, { groupBy: ['STAGE'] });
      const term = (stages.measureFilters || {})[t.measure];
      let categories = null; let nodes = null;
      if (stage) {
        categories = await summarize(f, { filter: joinTerms(`stage = ${stage}`, term), groupBy: ['CATEGORY'] });
      }
      const filter = joinTerms(stage && `stage = ${stage}`, category && `category = "${category}"`, term);
      nodes = await listNodes(f, filter, { pageSize: PAGE });
      return { f, t, stages, categories, nodes, filter };
    });

    function stageCards({ f, t, stages }) {
      const byStage = Object.fromEntries((stages.cells || []).map((c) => [c.group[0].value, c]));
      const current = route.query.stage || '';
      return h('div', { class: 'cf-stage-cards', role: 'list', 'aria-label': `各阶段${t.title}节点数` }, STAGE_ORDER.map((s) => {
        const n = cellValue(byStage[s], t.measure);
        const selected = current === s;
        return h('div', { role: 'listitem', key: s }, h('button', {
          type: 'button', class: ['cf-stage', selected ? 'selected' : '', n ? '' : 'zero'], 'aria-pressed': String(selected),
          onClick: () => setQuery({ stage: selected ? '' : s, category: '' }),
        }, [h('span', { class: 'cf-stage-name' }, STAGES[s]), h('span', { class: 'cf-stage-count' }, number(n)), h('span', { class: 'cf-sr-only' }, `个${t.title}节点`)]));
      }));
    }

    function categoryChips({ t, categories }) {
      if (!categories) return null;
      const current = route.query.category || '';
      const cells = (categories.cells || []).filter((c) => cellValue(c, t.measure));
      return h('div', { class: 'cf-chips', role: 'group', 'aria-label': '节点类别' }, [
        h('span', { class: 'cf-muted' }, `${STAGES[route.query.stage] || ''}的节点类别：`),
        cells.length ? cells.map((c) => h(ElButton, {
          size: 'small', round: true, type: current === c.group[0].value ? 'primary' : 'default', 'aria-pressed': String(current === c.group[0].value),
          onClick: () => setQuery({ category: current === c.group[0].value ? '' : c.group[0].value }),
        }, () => `${c.group[0].label || '（未分类）'} ${number(cellValue(c, t.measure))}`)) : h('span', { class: 'cf-muted' }, '无'),
      ]);
    }

    function nodesBlock(d) {
      const rows = d.nodes.nodes || [];
      const more = d.nodes.nextPageToken;
      const [path, query] = drill(d.f, d.stages, { drillDown: { filter: joinTerms(route.query.stage && `stage = ${route.query.stage}`, route.query.category && `category = "${route.query.category}"`) } }, d.t.measure,
        `${d.t.title}节点${route.query.stage ? ` · ${STAGES[route.query.stage]}` : ''}${route.query.category ? ` · ${route.query.category}` : ''}`);
      return h('section', { class: 'cf-panel', 'aria-labelledby': 'cf-p2-nodes' }, [
        h('h2', { id: 'cf-p2-nodes' }, `${d.t.title}节点${route.query.stage ? `（${STAGES[route.query.stage]}）` : '（全部阶段）'}`),
        rows.length ? nodeTable(rows, { columns: d.t.columns }) : emptyState(`没有${d.t.title}的节点。可以换一个阶段或页签，或在上方放宽日期范围。`),
        more ? h('p', null, [`只显示前 ${PAGE} 个。`, link(path, query, '查看全部明细')]) : null,
      ]);
    }

    return () => {
      const d = data.value;
      return h('section', { class: 'cf-page' }, [
        pageHeader('流程节点预警', '按阶段查看超期、预警、锁定和解锁的节点；点击阶段查看其节点类别和节点明细。'),
        h(FilterBar),
        h(ElTabs, { modelValue: tab().key, 'onUpdate:modelValue': (v) => setQuery({ tab: v, category: '' }) },
          () => TABS.map((t) => h(ElTabPane, { name: t.key, label: d && d.t.key === t.key ? `${t.title}（${number(d.stages.nodeTotals ? Number(d.stages.nodeTotals[t.measure.split('.')[1]] || 0) : 0)}）` : t.title }))),
        errorNotice(error.value, reload),
        busy.value && !d ? loading() : null,
        d ? [stageCards(d), categoryChips(d), nodesBlock(d)] : null,
      ]);
    };
  },
});
