// Words for the rules of rules.js: a deduction reason's label, an extension step in a sentence.
import { TIME_LIMIT_RULES, LEVELS, periodLabel } from './rules.js';

export function reasonLabel(code) {
  return (TIME_LIMIT_RULES.reasons[code] || {}).label || code;
}

/** "第1次延长：至多6个月，由本院院长批准，应在期限届满10日前提出" */
export function stepText(step, index) {
  // A step either adds at most `max` or extends the limit to `to` counted from its start (刑诉法 220).
  const how = step.to ? `延长至${periodLabel(step.to)}` : step.max ? `至多${periodLabel(step.max)}` : '期限由审批机关决定';
  const parts = [`第${index + 1}次延长：${how}`, `由${LEVELS[step.approver]}批准`];
  parts.push(step.leadDays ? `应在期限届满${step.leadDays}日前提出` : '应在期限届满前提出');
  return parts.join('，');
}
