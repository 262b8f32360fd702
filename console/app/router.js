// A small history router: the path and query of the address bar are the app's state, so every
// view (its filters included) can be bookmarked, shared and reloaded.
import { h, reactive } from './lib.js';

export const BASE = '/console';
export const route = reactive({ path: '/', query: {} });

function sync() {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) || '/' : '/';
  route.path = path.length > 1 ? path.replace(/\/+$/, '') : '/';
  route.query = Object.fromEntries(new URLSearchParams(location.search));
}
sync();
window.addEventListener('popstate', sync);

export function href(path, query = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, value);
  }
  const text = params.toString();
  return `${BASE}${path}${text ? `?${text}` : ''}`;
}

/** Go to a view; `replace` changes the current history entry (a filter changed on the page). */
export function go(path, query = {}, { replace = false } = {}) {
  const target = href(path, query);
  if (target !== location.pathname + location.search) {
    history[replace ? 'replaceState' : 'pushState'](null, '', target);
  }
  sync();
  if (!replace) window.scrollTo(0, 0);
}

/** The current view with some query parameters changed (undefined or '' removes one). */
export function setQuery(changes, options = { replace: true }) {
  go(route.path, { ...route.query, ...changes }, options);
}

/** A link to a view: an <a href> (keyboard, middle click and "open in new tab" work as usual). */
export function link(path, query, children, attrs = {}) {
  return h('a', {
    ...attrs,
    href: href(path, query),
    onClick: (event) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      go(path, query);
    },
  }, children);
}
