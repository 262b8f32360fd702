// Who is signed in (GatewayService.GetCaller) and what their role may open.
import { reactive } from './lib.js';
import { get } from './api.js';
import { remember } from './names.js';
import { followSystemClock } from './format.js';

export const session = reactive({ caller: null });

export const STAFF = ['ROLE_JUDGE', 'ROLE_JUDGE_ASSISTANT', 'ROLE_CLERK'];
export const LEADERS = ['ROLE_DIVISION_HEAD', 'ROLE_VICE_PRESIDENT', 'ROLE_PRESIDENT', 'ROLE_TRIAL_MANAGEMENT'];
export const CASE_READERS = [...STAFF, ...LEADERS];
export const AUDITORS = ['ROLE_AUDITOR'];
export const PEOPLE = [...CASE_READERS, ...AUDITORS, 'ROLE_SYSTEM_ADMIN'];
// Who may approve applications (services/node/time_limits.py approver_level): the division head
// of the node's department, the court's vice presidents and president, and those of a court above.
export const APPROVERS = ['ROLE_DIVISION_HEAD', 'ROLE_VICE_PRESIDENT', 'ROLE_PRESIDENT'];
// Who changes the org directory (OrgService's writes), and who changes node rules, stage views and
// holiday calendars (gateway/access/permissions.py RULE_MANAGERS).
export const ADMINS = ['ROLE_SYSTEM_ADMIN'];
export const RULE_MANAGERS = ['ROLE_TRIAL_MANAGEMENT', 'ROLE_SYSTEM_ADMIN'];
// Who runs the integrity check (数据一致性核查, StatsService.VerifyIntegrity in permissions.py).
export const INTEGRITY_CHECKERS = ['ROLE_TRIAL_MANAGEMENT', 'ROLE_PRESIDENT', 'ROLE_VICE_PRESIDENT', 'ROLE_SYSTEM_ADMIN'];

export async function loadCaller() {
  const reply = await get('/v1/caller');
  followSystemClock(reply.currentTime);
  session.caller = reply.caller;
  remember(reply.caller.user, reply.caller.displayName);
  return reply.caller;
}

export function role() {
  return session.caller ? session.caller.role : '';
}

export function username() {
  return session.caller ? session.caller.user.replace(/^users\//, '') : '';
}
