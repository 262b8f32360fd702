// What the time-limit rules allow (审限变更规则), as the API gives them for a court
// (NodeService.ListTimeLimitRules): each limit's period there and its extension steps (the first
// approved extension is judged by the first step, the second by the second; the last step repeats
// when it has neither max nor to; no steps: the law allows none), the approver of each other kind
// of application, the deduction reasons with their longest span, the approver levels lowest first.
// Asked once per court and signed-in user, then kept for the session: the rules change only with a
// deployment or a court's override, and the application's warnings and approver are the API's anyway.
import { reactive } from './lib.js';
import { get } from './api.js';
import { session } from './session.js';

const asked = new Map();           // `${user} ${court}` → Promise of the rules
const known = reactive({});        // court → rules, for what renders synchronously (labels of reasons and levels)

function shaped(reply) {
  const level = (x) => ({ level: x.approverLevel, label: x.approver });
  return {
    version: reply.version || '',
    limits: Object.fromEntries((reply.timeLimitRules || []).map((r) => [r.nodeType, {
      displayName: r.displayName, period: r.period, periodLabel: r.periodLabel,
      steps: (r.extensions || []).map((s) => ({ max: s.max || '', maxLabel: s.maxLabel || '', to: s.to || '', toLabel: s.toLabel || '',
        approver: s.approverLevel, approverLabel: s.approver, leadDays: s.leadDays || 0 })),
    }])),
    approvers: Object.fromEntries((reply.applicationApprovers || []).map((a) => [String(a.kind).replace('APPLICATION_KIND_', ''), level(a)])),
    reasons: Object.fromEntries((reply.deductionReasons || []).map((r) => [r.code, { label: r.label, max: r.max || '', maxLabel: r.maxLabel || '', restarts: Boolean(r.restarts) }])),
    levels: Object.fromEntries((reply.approverLevels || []).map((l) => [l.level, l.label])),
    levelOrder: (reply.approverLevels || []).map((l) => l.level),
  };
}

/** The rules as they apply in `court` (an id, "440101"); the same promise for the rest of the session. */
export function loadTimeLimitRules(court) {
  const key = `${session.caller ? session.caller.user : ''} ${court}`;
  if (!asked.has(key)) {
    const promise = get(`/v1/courts/${court}/timeLimitRules`).then((reply) => {
      known[court] = shaped(reply);
      return known[court];
    });
    promise.catch(() => asked.delete(key));   // a failure is asked again next time, not kept
    asked.set(key, promise);
  }
  return asked.get(key);
}

/** Rules already loaded for any court (reasons and level words are the same in every court), or null. */
function anyLoaded() {
  const courts = Object.keys(known);
  return courts.length ? known[courts[0]] : null;
}

export function reasonLabel(code) {
  const rules = anyLoaded();
  return (rules && rules.reasons[code] && rules.reasons[code].label) || code;
}

export function levelLabel(level) {
  const rules = anyLoaded();
  return (rules && rules.levels[level]) || '';
}

const UNITS = { y: '年', m: '个月', d: '日', h: '小时' };

/** "6m" → 6个月, "10d" → 10日, "1m15d" → 1个月15日 (an application's own period, which the API
 * gives as written); empty or unknown → ''. */
export function periodLabel(period) {
  const m = /^(?:(\d+)(y|m))?(?:(\d+)(d|h))?$/.exec(period || '');
  if (!m || (!m[1] && !m[3])) return '';
  return (m[1] ? `${m[1]}${UNITS[m[2]]}` : '') + (m[3] ? `${m[3]}${UNITS[m[4]]}` : '');
}

export function isTimeLimit(rules, nodeType) {
  return Object.prototype.hasOwnProperty.call(rules.limits, nodeType);
}

/** The extension step that judges the next extension of a limit, after `approved` approved ones:
 * { step, index, steps } — step null when the rules allow no (further) extension; null when the
 * node is no time limit. */
export function extensionStep(rules, nodeType, approved) {
  const limit = rules.limits[nodeType];
  if (!limit) return null;   // not a time limit: nothing to extend, deduct or suspend
  const steps = limit.steps;
  if (!steps.length) return { step: null, index: 0, steps };
  if (approved < steps.length) return { step: steps[approved], index: approved, steps };
  const last = steps[steps.length - 1];
  return { step: last.max || last.to ? null : last, index: approved, steps };
}

/** "第1次延长：至多6个月，由本院院长批准，应在期限届满10日前提出" */
export function stepText(step, index) {
  // A step either adds at most `max` or extends the limit to `to` counted from its start (刑诉法 220).
  const how = step.to ? `延长至${step.toLabel}` : step.max ? `至多${step.maxLabel}` : '期限由审批机关决定';
  const parts = [`第${index + 1}次延长：${how}`, `由${step.approverLabel}批准`];
  parts.push(step.leadDays ? `应在期限届满${step.leadDays}日前提出` : '应在期限届满前提出');
  return parts.join('，');
}
