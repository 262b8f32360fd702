// The supervision platform's queries (SummarizeSupervision, ListSupervisedCases/Nodes) as the
// pages ask them, from the filters in the address bar, and the drill-down from a number to the
// list of exactly its cases or nodes: the cell's `drillDown` query narrowed by the measure's
// term from the answer's `measureFilters`.
import { get } from './api.js';
import { route } from './router.js';
import { isoDate } from './format.js';
import { TERM_WORDS, STAGES, NODE_STATUS, CASE_TYPES, PROCEDURES } from './labels.js';
import { courtName, departmentName, userName } from './names.js';

export const DRILL = '/supervision/drill';

/** The page's filters: the address bar's, else the page's defaults. */
export function filters(defaults = {}) {
  const q = { court: '', basis: 'FILING', from: '', to: '', asOf: '', ...defaults };
  for (const key of ['court', 'basis', 'from', 'to', 'asOf']) {
    if (route.query[key] !== undefined) q[key] = route.query[key];
  }
  return q;
}

export function parent(f) {
  return `/v1/courts/${f.court || '-'}`;
}

export function joinTerms(...terms) {
  return terms.filter(Boolean).join(' AND ');
}

function queryParams(f, filter) {
  return [['query.filter', filter], ['query.dateBasis', `DATE_BASIS_${f.basis || 'FILING'}`],
    ['query.startDate', f.from], ['query.endDate', f.to], ['query.asOf', f.asOf]];
}

export function summarize(f, { filter = '', groupBy = [] } = {}) {
  return get(`${parent(f)}/supervision:summarize`,
    [...queryParams(f, filter), ...groupBy.map((d) => ['groupBy', `DIMENSION_${d}`])]);
}

export function listNodes(f, filter, { pageSize = 50, pageToken = '' } = {}) {
  return get(`${parent(f)}/supervisedNodes`, [...queryParams(f, filter), ['pageSize', pageSize], ['pageToken', pageToken]]);
}

export function listCases(f, filter, { pageSize = 50, pageToken = '' } = {}) {
  return get(`${parent(f)}/supervisedCases`, [...queryParams(f, filter), ['pageSize', pageSize], ['pageToken', pageToken]]);
}

export function analyzeQuality(f, { groupBy = [] } = {}) {
  return get(`${parent(f)}/quality:analyze`, [['query.startDate', f.from], ['query.endDate', f.to],
    ...groupBy.map((d) => ['groupBy', `DIMENSION_${d}`])]);
}

/**
 * Where a number drills down to: the drill-down page with the cell's query and the measure's term
 * (`cases.overdue`, `nodes.locked` …), listing cases or nodes as the measure counts them.
 */
export function drill(f, answer, cell, measure, title) {
  const down = (cell && cell.drillDown) || {};
  const term = (answer.measureFilters || {})[measure] || '';
  return [DRILL, {
    court: f.court, basis: (down.dateBasis || `DATE_BASIS_${f.basis}`).replace('DATE_BASIS_', ''),
    from: isoDate(down.startDate) || f.from, to: isoDate(down.endDate) || f.to, asOf: f.asOf,
    filter: joinTerms(down.filter, term), view: measure.startsWith('cases.') ? 'cases' : 'nodes', title,
  }];
}

/** The drill-down of a filter of our own (Q2's groups, the judge's nodes). */
export function drillFilter(f, filter, view, title, extra = {}) {
  return [DRILL, { court: f.court, basis: f.basis, from: f.from, to: f.to, asOf: f.asOf, filter, view, title, ...extra }];
}

/** The term that selects one group value (as the stats service writes it: enums bare, the rest quoted). */
export function groupTerm(group) {
  const field = String(group.dimension).replace('DIMENSION_', '').toLowerCase();
  if (['stage', 'case_type', 'procedure', 'status'].includes(field)) return `${field} = ${group.value}`;
  return `${field} = "${String(group.value).replaceAll('"', '\\"')}"`;
}

const VALUE_WORDS = {
  stage: (v) => STAGES[v] || v, status: (v) => NODE_STATUS[v] || v, case_type: (v) => CASE_TYPES[v] || v,
  procedure: (v) => PROCEDURES[v] || v, court: courtName, region: courtName, department: departmentName,
  handler: userName, responsible: userName,
};

/** A filter in words: `court = "440101" AND status = OVERDUE` → 法院：青山区人民法院；节点状态：超期. */
export function describe(filter) {
  if (!filter) return '全部';
  return filter.split(/\s+AND\s+/).map((part) => {
    const m = /^\s*(\w+)\s*=\s*"?(.*?)"?\s*$/.exec(part);
    if (!m) return part;
    const [, field, value] = m;
    if (value === 'true' || value === 'false') return `${TERM_WORDS[field] || field}：${value === 'true' ? '是' : '否'}`;
    return `${TERM_WORDS[field] || field}：${(VALUE_WORDS[field] || ((v) => v))(value)}`;
  }).join('；');
}

const camel = (name) => name.replace(/_(\w)/g, (_, x) => x.toUpperCase());

/** A measure ("cases.overdue_without_warning") of a cell, from its JSON (`cell.cases.overdueWithoutWarning`). */
export function cellValue(cell, measure) {
  const [kind, name] = measure.split('.');
  return Number(((cell && cell[kind]) || {})[camel(name)] || 0);
}

/** A measure of a whole answer (caseTotals, nodeTotals). */
export function totalValue(answer, measure) {
  const [kind, name] = measure.split('.');
  return Number(((answer && answer[kind === 'cases' ? 'caseTotals' : 'nodeTotals']) || {})[camel(name)] || 0);
}

/** The cell that stands for a whole answer (its drill-down: the request's query). */
export function wholeCell(answer) {
  return { drillDown: answer && answer.cells && answer.cells.length === 1 && !answer.cells[0].group?.length ? answer.cells[0].drillDown : null };
}

/** A group value's words: the API's label, or the directory's name where the label is an id. */
export function groupLabel(group) {
  const dimension = String(group.dimension || '').replace('DIMENSION_', '');
  if (group.label && group.label !== group.value) return group.label;
  if (dimension === 'COURT' || dimension === 'REGION') return courtName(group.value);
  if (dimension === 'DEPARTMENT') return departmentName(group.value);
  if (dimension === 'HANDLER') return userName(group.value);
  return group.label || group.value || '（未填）';
}
