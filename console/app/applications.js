// What the application pages share: an application's facts, its supervision warnings as the API
// gave them, and the node it names (NodeService.GetNode), fetched once per page.
import { EP, h } from './lib.js';
import { get } from './api.js';
import { link } from './router.js';
import { date, dateTime } from './format.js';
import { APPLICATION_KINDS, APPLICATION_STATES, APPLICATION_WARNINGS, word } from './labels.js';
import { periodLabel, reasonLabel, levelLabel } from './time_limits.js';
import { partsOf, userName } from './names.js';
import { casePath } from './tables.js';

const { ElTag, ElDescriptions, ElDescriptionsItem } = EP;

/** The name of the node an application is of, from its `nameParts`. */
export function nodeOf(application) {
  const p = partsOf(application);
  return `courts/${p.court}/cases/${p.case}/nodes/${p.node}`;
}

/** The name of a node's case: the node as the API gave it, or its name (from the address bar). */
export function caseOf(node) {
  const p = partsOf(node);
  return `courts/${p.court}/cases/${p.case}`;
}

/** The court of a resource, or of a name. */
export function courtOf(resource) {
  return partsOf(resource).court || '';
}

const KIND_TONES = { EXTENSION: 'primary', SUSPENSION: 'warning', RESUMPTION: 'success', DEDUCTION: 'warning', UNLOCK: 'danger', HEARING_EXCEPTION: 'info' };
const STATE_TONES = { PENDING: 'warning', APPROVED: 'success', REJECTED: 'danger' };

export function kindTag(kind) {
  const key = String(kind || '').replace('APPLICATION_KIND_', '');
  return h(ElTag, { type: KIND_TONES[key] || 'info', effect: 'plain', disableTransitions: true }, () => word(APPLICATION_KINDS, key));
}

export function applicationStateTag(state) {
  const key = String(state || '').replace('APPLICATION_STATE_', '');
  return h(ElTag, { type: STATE_TONES[key] || 'info', effect: 'light', disableTransitions: true }, () => word(APPLICATION_STATES, key));
}

/** The application's supervision warnings (S4, S6), each with its tag and the API's sentence. */
export function warningList(application, { empty = '没有监督提示。' } = {}) {
  const warnings = application.warnings || [];
  if (!warnings.length) return h('p', { class: 'cf-muted cf-no-warnings' }, empty);
  return h('ul', { class: 'cf-warnings', 'aria-label': '监督提示' }, warnings.map((w) => h('li', { key: w.code }, [
    h(ElTag, { type: w.code === 'BEYOND_AUTHORITY' || w.code === 'EXCEEDS_RULES' ? 'danger' : 'warning', effect: 'dark', disableTransitions: true },
      () => word(APPLICATION_WARNINGS, w.code)),
    h('span', null, w.message),
  ])));
}

/** What was applied for: the period, the span, the reason. */
export function applied(a) {
  const kind = String(a.kind || '').replace('APPLICATION_KIND_', '');
  if (kind === 'EXTENSION') return `延长 ${periodLabel(a.extension) || a.extension}`;
  if (kind === 'DEDUCTION') return `扣除 ${date(a.startDate)} 至 ${date(a.endDate)}${a.reasonCode ? `（${reasonLabel(a.reasonCode)}）` : ''}`;
  if (kind === 'SUSPENSION') return `自 ${date(a.startDate)} 起中止`;
  if (kind === 'RESUMPTION') return `${date(a.endDate)} 恢复`;
  if (kind === 'HEARING_EXCEPTION') return `${date(a.startDate)} 开庭`;
  return '解除锁定';
}

/** The application's facts, as a description list. */
export function applicationFacts(a, node) {
  const item = (label, value) => h(ElDescriptionsItem, { label }, () => value);
  const court = courtOf(a);
  const decided = !String(a.state).endsWith('PENDING');
  return h(ElDescriptions, { border: true, column: 2, size: 'small', class: 'cf-application-facts' }, () => [
    item('申请事项', [kindTag(a.kind), ' ', applied(a)]),
    item('状态', applicationStateTag(a.state)),
    node ? item('案号', link(casePath(caseOf(a)), {}, node.caseNumber || caseOf(a), { class: 'cf-case-link' })) : null,
    node ? item('节点', `${node.displayName}（到期日 ${date(node.dueDate)}）`) : null,
    item('申请人', `${userName(a.applicant, court)} · ${dateTime(a.createTime)}`),
    item('应由谁审批', a.requiredApprover || levelLabel(a.requiredLevel) || '—'),
    item('申请理由', a.reason),
    item('证明材料', (a.materials || []).length ? a.materials.join('；') : '未附'),
    decided ? item('审批人', `${userName(a.approver, a.approverCourt || court)} · ${dateTime(a.decideTime)}`) : null,
    decided ? item('审批意见', a.decisionComment || '—') : null,
    a.dueDateAfter ? item('到期日变化', `${date(a.dueDateBefore)} → ${date(a.dueDateAfter)}`) : null,
  ]);
}

/** The nodes the applications name, by name (GetNode once each); a node that cannot be read is left out. */
export async function nodesOf(applications) {
  const names = [...new Set(applications.map(nodeOf))];
  const found = await Promise.all(names.map((n) => get(`/v1/${n}`).then((r) => r.node).catch(() => null)));
  return Object.fromEntries(names.map((n, i) => [n, found[i]]).filter(([, node]) => node));
}

