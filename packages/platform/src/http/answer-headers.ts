import type { Context } from 'hono';

/**
 * Sets a header on the answer a route already produced, in place. Hono's `c.header()` after
 * the answer is set re-creates the Response from its body stream; on @hono/node-server that
 * turns a JSON string answer into a ReadableStream the server must read back and write in
 * pieces (headers, then body), several times the CPU of writing one string. The answers of
 * this app are built by Hono (`c.json`, `c.body`) and have mutable headers; an answer whose
 * headers are immutable (a `fetch()` response) falls back to `c.header()`.
 */
export function setAnswerHeader(c: Context, name: string, value: string, options?: { append: boolean }): void {
  try {
    if (options?.append) c.res.headers.append(name, value);
    else c.res.headers.set(name, value);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    c.header(name, value, options);
  }
}
