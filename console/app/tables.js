// The node and case tables of the drill-down pages (P2, P5's columns), shared by the pages.
import { EP, h } from './lib.js';
import { link } from './router.js';
import { date } from './format.js';
import { STAGES, NODE_STATES, NODE_STATUS, CASE_STATES, LOCK_TYPES, word } from './labels.js';
import { courtName, departmentName, userName } from './names.js';

const { ElTable, ElTableColumn, ElTag } = EP;

export function casePath(name) {
  return `/case/${String(name).replace(/^courts\//, '')}`;
}

export function caseLink(c) {
  return c && c.name ? link(casePath(c.name), {}, c.caseNumber || c.name, { class: 'cf-case-link' }) : '—';
}

const TAGS = { OVERDUE: 'danger', WARNING: 'warning', NORMAL: 'success', COMPLETED: 'info', RUNNING: 'success' };

export function statusTag(status) {
  const key = String(status || '').replace('NODE_STATUS_', '');
  return h(ElTag, { type: TAGS[key] || 'info', effect: 'light', disableTransitions: true }, () => word(NODE_STATUS, key));
}

/** A node's state; 已撤回 for a node the node service withdrew (completed without being done: its
 * limit no longer applies to the case), which would otherwise read as 已完成. */
export function stateTag(state, withdrawn = false) {
  if (withdrawn) {
    return h(ElTag, { type: 'info', effect: 'plain', disableTransitions: true, title: '案件属性更正或撤销结案后，本期限不再适用于该案' }, () => '已撤回');
  }
  const key = String(state || '').replace('NODE_STATE_', '');
  return h(ElTag, { type: TAGS[key] || 'info', effect: 'plain', disableTransitions: true }, () => word(NODE_STATES, key));
}

/** Supervised nodes (P2, P5): name, stage, status, who, dates, days, lock, and the case. */
export function nodeTable(rows, { columns = ['overdue', 'remaining', 'lock', 'unlock'] } = {}) {
  const col = (label, render, extra = {}) => h(ElTableColumn, { label, ...extra }, { default: ({ row }) => render(row) });
  return h(ElTable, { data: rows, border: true, stripe: true, rowKey: 'name', style: { width: '100%' } }, () => [
    col('节点', (n) => n.displayName, { minWidth: 150, fixed: 'left' }),
    col('阶段', (n) => word(STAGES, n.stage, 'STAGE_'), { width: 100 }),
    col('状态', (n) => [statusTag(n.status), String(n.state).endsWith('COMPLETED') ? [' ', stateTag(n.state, n.withdrawn)] : null, n.locked ? h(ElTag, { type: 'danger', effect: 'dark', disableTransitions: true }, () => '锁定') : null], { minWidth: 150 }),
    col('责任人', (n) => userName(n.responsible, n.case && n.case.court), { minWidth: 110 }),
    col('到期日', (n) => date(n.dueDate), { minWidth: 130 }),
    columns.includes('overdue') ? col('超期天数', (n) => (n.daysOverdue ? `${n.daysOverdue} 天` : '—'), { width: 96, align: 'right' }) : null,
    columns.includes('remaining') ? col('预警剩余天数', (n) => (String(n.status).endsWith('WARNING') ? `${n.daysRemaining ?? 0} 天` : '—'), { width: 116, align: 'right' }) : null,
    columns.includes('lock') ? col('锁定日期', (n) => date(n.lockDate), { minWidth: 130 }) : null,
    columns.includes('lock') ? col('锁定原因', (n) => [n.lockReason || '—', n.lockType && !n.lockType.endsWith('UNSPECIFIED') ? `（${word(LOCK_TYPES, n.lockType, 'LOCK_TYPE_')}）` : ''], { minWidth: 140 }) : null,
    columns.includes('unlock') ? col('解锁日期', (n) => date(n.unlockDate), { minWidth: 130 }) : null,
    col('案号', (n) => caseLink(n.case), { minWidth: 190 }),
    col('审理法院', (n) => courtName(n.case && n.case.court), { minWidth: 170 }),
    col('承办部门', (n) => departmentName(n.department), { minWidth: 130 }),
  ]);
}

/** Supervised cases (P1, P5): 案号、状态、案由、当事人、审理法院、承办部门、承办人, dates, node counts. */
export function caseTable(rows) {
  const col = (label, render, extra = {}) => h(ElTableColumn, { label, ...extra }, { default: ({ row }) => render(row) });
  return h(ElTable, { data: rows, border: true, stripe: true, rowKey: 'name', style: { width: '100%' } }, () => [
    col('案号', caseLink, { minWidth: 190, fixed: 'left' }),
    col('状态', (c) => [word(CASE_STATES, c.state, 'CASE_STATE_'), c.locked ? [' ', h(ElTag, { type: 'danger', effect: 'dark', disableTransitions: true }, () => '锁定')] : null], { minWidth: 110 }),
    col('案由', (c) => c.cause, { minWidth: 140 }),
    col('当事人', (c) => c.parties, { minWidth: 220 }),
    col('审理法院', (c) => courtName(c.court), { minWidth: 170 }),
    col('承办部门', (c) => departmentName(c.department), { minWidth: 130 }),
    col('承办人', (c) => userName(c.handler, c.court), { minWidth: 100 }),
    col('收案日期', (c) => date(c.receiveDate), { minWidth: 130 }),
    col('立案日期', (c) => date(c.filingDate), { minWidth: 130 }),
    col('预警/超期/锁定节点', (c) => `${c.warningNodes || 0} / ${c.overdueNodes || 0} / ${c.lockedNodes || 0}`, { minWidth: 150, align: 'center' }),
  ]);
}
