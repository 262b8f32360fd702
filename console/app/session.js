// Who is signed in (GatewayService.GetCaller) and what their role may open.
import { reactive } from './lib.js';
import { get } from './api.js';
import { remember } from './names.js';

export const session = reactive({ caller: null });

export const STAFF = ['ROLE_JUDGE', 'ROLE_JUDGE_ASSISTANT', 'ROLE_CLERK'];
export const LEADERS = ['ROLE_DIVISION_HEAD', 'ROLE_VICE_PRESIDENT', 'ROLE_PRESIDENT', 'ROLE_TRIAL_MANAGEMENT'];
export const CASE_READERS = [...STAFF, ...LEADERS];
export const PEOPLE = [...CASE_READERS, 'ROLE_AUDITOR', 'ROLE_SYSTEM_ADMIN'];

export async function loadCaller() {
  const reply = await get('/v1/caller');
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
