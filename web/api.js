// The JSON API as the pages use it: reads, and changes carrying the
// session's CSRF token (the session cookie itself is HttpOnly).
let session = { account: null, level: 'anonymous', csrf: '' };

export function currentSession() { return session; }

async function parse(response) {
  const type = response.headers.get('Content-Type') || '';
  const body = type.startsWith('application/json') ? await response.json() : await response.text();
  if (!response.ok) {
    const error = new Error(body && body.detail ? body.detail : `HTTP ${response.status}`);
    error.status = response.status;
    error.code = body && body.error;
    error.role = body && body.role;   // with role_required: the role the route needs
    throw error;
  }
  return body;
}

export async function api(path) {
  return parse(await fetch(path, { headers: { Accept: 'application/json' } }));
}

// A change: METHOD with a JSON body, or a File/Blob sent as it is.
export async function send(method, path, body, headers = {}) {
  const isFile = body instanceof Blob;
  const response = await fetch(path, {
    method,
    headers: { Accept: 'application/json', 'X-CSRF-Token': session.csrf,
      ...(isFile ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: isFile ? body : JSON.stringify(body ?? {}),
  });
  return parse(response);
}

export async function loadSession() {
  session = await api('/api/session');
  return session;
}

export async function login(loginName, password) {
  session = await parse(await fetch('/api/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ login: loginName, password }),
  }));
  return session;
}

export async function logout() {
  await send('POST', '/api/logout');
  session = { account: null, level: 'anonymous', csrf: '' };
}
