// The HTTP-JSON API as the console calls it: the access token in this module's memory only
// (never localStorage or sessionStorage, where any script of the page could read it later); the
// refresh token in an HttpOnly cookie that only /console/auth/ receives (gateway/edge/console.py).

const AUTH = '/console/auth/';
const TRACE = 'x-courtflow-trace-id';
const session = { token: '', timer: 0, pending: null };
const listeners = new Set();

/** An error as the API answered it: its Chinese message, status, reason and the trace id. */
export class ApiError extends Error {
  constructor(status, body, traceId) {
    const error = (body && body.error) || {};
    super(error.message || (status ? `请求失败（HTTP ${status}）` : '无法连接服务器，请检查网络后重试'));
    this.status = status;
    this.code = error.status || '';
    this.details = error.details || [];
    this.reason = (this.details.find((d) => String(d['@type']).endsWith('ErrorInfo')) || {}).reason || '';
    this.traceId = traceId || '';
  }

  /** [field, description] of each bad field (BadRequest details). */
  get violations() {
    return this.details.filter((d) => String(d['@type']).endsWith('BadRequest'))
      .flatMap((d) => (d.fieldViolations || []).map((v) => [v.field, v.description]));
  }
}

/** Told when the session ends (signed out, or the refresh token refused). */
export function onSignedOut(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function signedIn() {
  return Boolean(session.token);
}

function keep(answer) {
  session.token = answer.accessToken;
  clearTimeout(session.timer);
  // Refresh before the access token runs out (at 80 % of its life, by this browser's clock:
  // a duration, so that a server clock set elsewhere does not matter).
  const seconds = Math.max(10, Number(answer.expiresIn || 900) * 0.8);
  session.timer = setTimeout(() => { refresh().catch(() => {}); }, seconds * 1000);
}

function drop() {
  session.token = '';
  clearTimeout(session.timer);
  for (const listener of listeners) listener();
}

async function authCall(action, body, headers = {}) {
  let response;
  try {
    response = await fetch(AUTH + action, {
      method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: { 'Content-Type': 'application/json', 'X-CourtFlow-Console': '1', ...headers },
      body: JSON.stringify(body || {}),
    });
  } catch {
    throw new ApiError(0, null, '');
  }
  const payload = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, payload, response.headers.get(TRACE));
  return payload;
}

export async function login(username, password) {
  keep(await authCall('login', { username, password }));
}

/**
 * A new access token from the refresh cookie (a page load resumes the session this way). One at
 * a time across this browser's tabs (Web Locks, where the browser has them): the refresh token
 * works once, and two tabs presenting the same one would end the session as a copied token.
 */
export function refresh() {
  session.pending ??= (async () => {
    try {
      const run = () => authCall('refresh');
      const answer = navigator.locks ? await navigator.locks.request('courtflow-console-refresh', run) : await run();
      keep(answer);
      return true;
    } catch (error) {
      if (error.status === 401) drop();
      throw error;
    } finally {
      session.pending = null;
    }
  })();
  return session.pending;
}

export async function logout() {
  try {
    await authCall('logout', {}, session.token ? { Authorization: `Bearer ${session.token}` } : {});
  } finally {
    drop();
  }
}

function url(path, query) {
  const params = new URLSearchParams();
  for (const [key, value] of query || []) {
    if (value !== undefined && value !== null && value !== '') params.append(key, value);
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function send(method, path, { query, body, signal } = {}) {
  const headers = { Accept: 'application/json' };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    return await fetch(url(path, query), {
      method, headers, signal, credentials: 'omit', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, null, '');
  }
}

/**
 * One API call: `query` as [name, value] pairs (a name may repeat). An expired access token is
 * refreshed once from the cookie and the call made again; any other refusal is thrown as an
 * ApiError with the API's Chinese message and the trace id.
 */
export async function call(method, path, options = {}) {
  let response = await send(method, path, options);
  if (response.status === 401 && signedIn()) {
    await refresh();
    response = await send(method, path, options);
  }
  const payload = await response.json().catch(() => null);
  if (!response.ok) {
    if (response.status === 401) drop();
    throw new ApiError(response.status, payload, response.headers.get(TRACE));
  }
  return payload || {};
}

export const get = (path, query, options = {}) => call('GET', path, { ...options, query });
export const post = (path, body, options = {}) => call('POST', path, { ...options, body });
/** An update (AIP-134): `mask` names the fields the body sets, the others keep their values. */
export const patch = (path, body, mask, options = {}) => call('PATCH', path, { ...options, body, query: [['updateMask', mask.join(',')]] });

/**
 * A server stream (newline-delimited JSON): calls `onResult` with each line's result until
 * `signal` aborts it or the server ends it; resolves then, rejects with an ApiError on an error.
 */
export async function stream(path, query, onResult, signal) {
  let response = await send('GET', path, { query, signal });
  if (response.status === 401 && signedIn()) {
    await refresh();
    response = await send('GET', path, { query, signal });
  }
  if (!response.ok) {
    throw new ApiError(response.status, await response.json().catch(() => null), response.headers.get(TRACE));
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end).trim();
      buffer = buffer.slice(end + 1);
      if (!line) continue;
      const item = JSON.parse(line);
      if (item.error) throw new ApiError(item.error.code, item, response.headers.get(TRACE));
      onResult(item.result);
    }
  }
}
