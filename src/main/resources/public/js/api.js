// The API client: every call goes to /api/v1 with the signed-in token as a Bearer header.
// The token lives in sessionStorage only (this tab), never in a URL.

const TOKEN_KEY = 'convrouter.token';

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  /** Forgets the token and everything else this tab's console kept (selected inbox, view, channel). */
  signOut: () => sessionStorage.clear(),
};

/** An error answer: {status, code, message, details} from {"error": {code, message, details}}. */
export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = error?.code ?? `http_${status}`;
    this.details = Array.isArray(error?.details) ? error.details : [];
  }
}

let onUnauthorized = () => {};

/** Called when a signed-in token is refused with 401 (revoked or renewed elsewhere). */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

export async function api(method, path, body, token = session.token()) {
  const headers = {Accept: 'application/json'};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = new ApiError(response.status, data?.error ?? {message: text});
    if (response.status === 401 && token === session.token()) onUnauthorized(error);
    throw error;
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);
export const put = (path, body) => api('PUT', path, body);
export const patch = (path, body) => api('PATCH', path, body);

/** Every item of a paged list, following nextCursor. */
export async function all(path) {
  const items = [];
  let cursor = null;
  const sep = path.includes('?') ? '&' : '?';
  do {
    const page = await get(`${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** Encodes one path segment (ids are plain, but never trust that). */
export const seg = (id) => encodeURIComponent(id);
