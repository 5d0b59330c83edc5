// The JSON API client: GET and POST under /api/v1, errors as ApiError with the server's code,
// message and field (the contract of docs/openapi.json), numbers read as numbers or decimal strings.

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
  describe() {
    const f = this.field ? ` (field: ${this.field})` : '';
    return `${this.message}${f} [${this.code}, HTTP ${this.status}]`;
  }
}

/** A URL under /api/v1 with the non-empty query parameters. */
export function apiUrl(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== '') q.set(k, v);
  }
  const qs = q.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}

async function parse(res) {
  const text = await res.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const e = body && body.error;
    if (e) throw new ApiError(res.status, e.code || 'error', e.message || res.statusText, e.field || null);
    throw new ApiError(res.status, 'http_error', `${res.status} ${res.statusText}: ${text.slice(0, 200)}`, null);
  }
  if (body === null && text) throw new ApiError(res.status, 'bad_json', 'The server answered with text that is not JSON', null);
  return body;
}

export async function getJson(path, params) {
  return parse(await fetch(apiUrl(path, params), { headers: { Accept: 'application/json' } }));
}

export async function postJson(path, body) {
  return parse(await fetch(apiUrl(path), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  }));
}

/** A number from a JSON number or a decimal string; null for null, absent or empty. */
export function num(x) {
  if (x === null || x === undefined || x === '') return null;
  const n = Number(x);
  return Number.isFinite(n) ? n : null;
}
