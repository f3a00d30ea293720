/** Anything that answers a Fetch request in-process (a system's Hono app). */
export type InProcessApp = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

/**
 * One API call through an in-process app, as the benches' clients make it: bearer token, JSON
 * body (a string goes as text/csv), extra headers. Throws on 4xx/5xx with the answer's text.
 */
export async function appRequest(app: InProcessApp, method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await app.request(path, {
    method,
    headers: {
      ...headers,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return {
    status: res.status,
    headers: res.headers,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies of many shapes
    json: text ? (JSON.parse(text) as Record<string, any>) : undefined,
  };
}
