// The org directory's names for ids that the API's rows carry (courts, departments, people),
// fetched once and only where the caller may read the directory; otherwise the id is shown.
import { reactive } from './lib.js';
import { get } from './api.js';
import { tail } from './format.js';

/**
 * A resource's path values, keyed as the API's `nameParts` are (the collection before each id,
 * singular): a resource the API answered carries them (`row.nameParts`), taken as they are; a name
 * that came without them — a reference such as a message's `case`, a case's `department`, a name in
 * the address bar — is read here, the console's one place that splits names.
 * "courts/440101/cases/0190…/nodes/trial_time_limit" → { court: '440101', case: '0190…', node: 'trial_time_limit' }.
 */
export function partsOf(resource) {
  if (resource && typeof resource === 'object') return resource.nameParts || partsOf(resource.name);
  const words = String(resource || '').split('/');
  const parts = {};
  for (let i = 0; i + 1 < words.length; i += 2) {
    const collection = words[i];
    parts[collection.endsWith('ies') ? `${collection.slice(0, -3)}y` : collection.replace(/s$/, '')] = words[i + 1];
  }
  return parts;
}

const names = reactive({ courts: {}, departments: {}, users: {} });
const asked = new Set();

function once(key, load) {
  if (asked.has(key)) return;
  asked.add(key);
  load().catch(() => {});  // no right to read the directory: ids are shown instead
}

export async function loadCourts() {
  if (asked.has('courts')) return Object.keys(names.courts);
  asked.add('courts');
  let token = '';
  do {
    const page = await get('/v1/courts', [['pageSize', 1000], ['pageToken', token]]);
    for (const court of page.courts || []) {
      names.courts[tail(court.name)] = { name: court.displayName, level: court.level, parent: tail(court.parent) };
    }
    token = page.nextPageToken || '';
  } while (token);
  return Object.keys(names.courts);
}

export function courts() {
  return names.courts;
}

/** A court just created here (CreateCourt), so that the pickers offer it without a reload. */
export function rememberCourt(court) {
  names.courts[tail(court.name)] = { name: court.displayName, level: court.level, parent: tail(court.parent) };
}

function ofCourt(court) {
  once(`departments:${court}`, async () => {
    const reply = await get(`/v1/courts/${court}/departments`);
    for (const d of reply.departments || []) names.departments[d.name] = d.displayName;
  });
  once(`users:${court}`, async () => {
    let token = '';
    do {
      const page = await get(`/v1/courts/${court}/users`, [['pageSize', 1000], ['pageToken', token]]);
      for (const u of page.users || []) names.users[u.name] = u.displayName;
      token = page.nextPageToken || '';
    } while (token);
  });
}

export function courtName(id) {
  const court = tail(id);
  return names.courts[court]?.name || court || '—';
}

/** "courts/440101/departments/440101-civil1" → 民事审判第一庭 (when the directory may be read). */
export function departmentName(name) {
  if (!name) return '—';
  ofCourt(partsOf(name).court);
  return names.departments[name] || tail(name);
}

export function userName(name, court) {
  if (!name) return '—';
  if (court) ofCourt(tail(court));
  return names.users[name] || tail(name);
}

export function remember(user, displayName) {
  if (user && displayName) names.users[user] = displayName;
}
