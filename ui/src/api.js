// The one place that talks to the server. Every state-changing request
// carries the CSRF token that log-in (or /api/auth/me) returned.

import { t } from './i18n.js';

let csrf = '';

// The server's messages are English; the common ones are shown in the
// user's language, the rest as the server wrote them.
const KNOWN = [
  [/^'\w+' is required$/, 'srv.required'],
  [/^'\w+' is longer than (\d+) bytes$/, 'srv.too_long'],
  [/^'\w+' (has a value that is not allowed|is out of range|must be .*|is not valid .*|may not be null)$/, 'srv.invalid'],
  [/^the time of detection is in the future$/, 'srv.future'],
  [/^no such organisation$/, 'srv.no_org'],
  [/^no such information system$/, 'srv.no_system'],
  [/^the password is not acceptable/, 'srv.password'],
  [/^the password must have at least (\d+) characters/, 'srv.password_len'],
  [/^that user name is taken/, 'srv.username_taken'],
  [/^(the incident is closed|a closed incident cannot be .*)$/, 'srv.closed'],
  [/^every move needs a reason/, 'srv.reason'],
  [/^wrong user name or password$/, 'login.bad'],
  [/^the current password is wrong$/, 'account.wrong'],
];

function localise(message) {
  for (const [re, key] of KNOWN) {
    const m = re.exec(message);
    if (m) return t(key, { n: m[1] || '' });
  }
  return message;
}

export class ApiError extends Error {
  constructor(status, body, headers) {
    const e = (body && body.error) || {};
    super(localise(e.message || `HTTP ${status}`));
    this.status = status;
    this.code = e.code || '';
    this.field = e.field || '';
    this.retryAfter = Number(headers && headers.get('Retry-After')) || 0;
  }
}

export function setCsrf(token) { csrf = token || ''; }

export async function api(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  let payload;
  if (body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  let data = null;
  const type = res.headers.get('Content-Type') || '';
  if (type.includes('json')) data = await res.json().catch(() => null);
  if (!res.ok) {
    if (res.status === 401 && !opts.allow401 && window.csirtOnUnauthorized) window.csirtOnUnauthorized();
    throw new ApiError(res.status, data, res.headers);
  }
  return data;
}

export const get = (p, o) => api('GET', p, undefined, o);
export const post = (p, b) => api('POST', p, b === undefined ? {} : b);
export const patch = (p, b) => api('PATCH', p, b);

export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined) u.set(k, v);
  const s = u.toString();
  return s ? '?' + s : '';
}
