import type { App } from '../../packages/app/src/http/create-app';

/** Small helpers over Hono's app.request() so tests read like HTTP calls. */
export interface CallOptions {
  token?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent as it is: a string (as UTF-8) or bytes (a file in another charset). */
  rawBody?: string | Uint8Array<ArrayBuffer>;
  /** What the runtime hands the app (e.g. the Lambda event: see fromAddress). */
  env?: object;
}

/** The runtime bindings of a request that API Gateway received from `sourceIp`. */
export function fromAddress(sourceIp: string): object {
  return { event: { requestContext: { http: { sourceIp } } } };
}

export async function call(app: App, method: string, path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await app.request(path, { method, headers, body }, options.env);
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}
