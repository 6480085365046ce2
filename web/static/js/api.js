// The API client: one place that adds the token, reads the error shape
// ({"error":{"code","message","fields"}}) and forgets a dead session.

const KEY = 'agri.session';

export const session = {
  get() {
    try { return JSON.parse(localStorage.getItem(KEY)) || null; } catch { return null; }
  },
  set(s) { localStorage.setItem(KEY, JSON.stringify(s)); notify(); },
  clear() { localStorage.removeItem(KEY); notify(); },
  token() { return this.get()?.token || ''; },
  user() { return this.get()?.user || null; },
  has(role) { return !!this.user()?.roles?.includes(role); },
};

const listeners = new Set();
export function onSession(fn) { listeners.add(fn); }
function notify() { for (const fn of listeners) fn(session.user()); }

// ApiError carries the status and the contract's error code.
export class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.fields = fields || null;
  }
}

// api('GET', '/auctions', {query, body, headers, raw}) → parsed JSON.
export async function api(method, path, opts = {}) {
  const url = new URL('/api/v1' + path, location.origin);
  for (const [k, v] of Object.entries(opts.query || {})) {
    if (v !== '' && v != null) url.searchParams.set(k, v);
  }
  const headers = {...(opts.headers || {})};
  const tok = session.token();
  if (tok) headers.Authorization = 'Bearer ' + tok;
  let body;
  if (opts.raw) {
    body = opts.raw;
    headers['Content-Type'] = opts.raw.type || 'application/octet-stream';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(url, {method, headers, body});
  } catch {
    throw new ApiError(0, 'network', '');
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) {
    const e = data?.error || {};
    if (res.status === 401 && tok && !path.startsWith('/auth/')) session.clear();
    throw new ApiError(res.status, e.code || 'http_' + res.status, e.message, e.fields);
  }
  return data;
}

// A client id for Idempotency-Key and socket refs.
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Date.now().toString(36) + Math.random().toString(36).slice(2);
}
