/**
 * Whether a request carries a body, told from its headers when they say it: a declared
 * Content-Length, or Transfer-Encoding (chunked). Without either:
 * - on the local server (@hono/node-server, which puts the Node request in `env.incoming`) the
 *   request came over HTTP/1.1, where a request with neither header has no body (RFC 9112,
 *   section 6.3): `curl -X POST` without `-d` is a body-less POST, not a body of unknown type
 *   (a 415). The server still hands such a request a body stream, empty, so `req.body` cannot say.
 * - elsewhere (the Lambda adapter, in-process `Request`s in tests) `req.body` says.
 * Why not always `req.body`: on the local server touching it turns the lightweight request
 * into a full WHATWG Request with a stream over the socket, which then (a) stops the server
 * from draining an unread body (keep-alive; see conventions.ts) and (b) makes every later read
 * of the body go through that stream instead of the server's direct read (about a tenth of the
 * app's CPU per POST).
 */
export function hasBody(req: Request, env?: { incoming?: unknown }): boolean {
  if (req.headers.has('transfer-encoding')) return true;
  const length = req.headers.get('content-length');
  if (length !== null) return Number(length) > 0;
  if (env?.incoming) return false;
  return req.body !== null;
}
