import { IDEMPOTENCY_KEY_SCHEMA } from './idempotency-key';
import { PROBLEM_DESCRIPTIONS } from './problem-descriptions';

/**
 * What every operation of the document shares, added in one place after the modules' routes
 * are generated (so no route can forget it, and no module repeats it):
 * - `X-Request-Id` on every response; `Retry-After` on 429 and 503; `WWW-Authenticate` on 401
 *   (its challenge, which every 401 carries); `Idempotent-Replayed` on
 *   the successes of operations that take an `Idempotency-Key` and on their 406 (a replayed
 *   answer too large to send keeps it: the app's http/answer-fit.ts), and that key's bounds
 *   (1..255 visible ASCII characters: a 400 otherwise) on its parameter;
 * - `Cache-Control` on every response (a route's own policy stays): the app answers every
 *   request with credentials `no-store` unless the route chose another (http/no-store-by-default.ts);
 * - `Vary` on every response: the app adds `Origin` to every answer when the deployment allows
 *   only some CORS origins (http/cors.ts), and `Accept-Encoding` to an answer compressed or
 *   refused for its size (http/answer-fit.ts); a route's own `Vary` (what else its answer
 *   depends on) stays, saying so too;
 * - on every operation that needs a bearer token: a 429 (the per-caller rate limit, which
 *   requireAuth applies to all of them) and `RateLimit-Policy` / `RateLimit` on each answer that
 *   got past authentication (not 401, nor the 405/413/415 answered before it);
 * - a 403 on every operation a personal access token may call that is not a GET (a `read`
 *   token gets `insufficient-scope` there: requireAuth), added or, where the route already
 *   documents a 403 (a role), said in its description;
 * - a 406 problem on every operation: any answer larger than the function may send, plain or
 *   compressed as the client accepts, is refused with `answer-too-large` (the app's http/answer-fit.ts);
 * - a 500 problem on every operation: whatever a route throws that is not a problem it chose
 *   (a defect) is answered `internal-error` by the app's error handler, its cause only logged;
 * - a 413 problem on every operation (the body limits apply to every request, a body-less one's too), and
 *   a 415 (the app's requireContentType, or the router's media-type gate on a body-taking
 *   DELETE, refuses another Content-Type) and a 400 (its validation: a body that is not JSON,
 *   or not the schema's); the 415 also on every body-less POST, PUT and PATCH, whose sent body
 *   requireContentType judges all the same;
 * - a 400 on every operation whose input is checked besides a body: a query parameter, an
 *   `If-Match` (etag.ts expectedVersion) or `Idempotency-Key` (idempotency-key.ts keyedRequest),
 *   a path parameter with a constraint (a length, a pattern...);
 * - a 401 on every operation that needs a bearer token (requireAuth refuses a missing or bad one);
 * - a 503 with Retry-After on every operation but the `storeless` ones: when DynamoDB still
 *   throttles or fails after the SDK's retries, any route that reads or writes it answers 503
 *   (aws-errors.ts), every authenticated one at least through requireAuth's account check;
 * - a 405 problem with `Allow` on every operation: a path answers any method it does not have
 *   with 405 and its own methods (OpenAPI cannot attach a response to a method a path lacks,
 *   so each of the path's operations carries it, saying so);
 * - `servers`: the origin the document was fetched from.
 * It also refuses a document in which an operation has no operationId or no security
 * declaration (`[]` for the public ones), so such a route fails every test that loads it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a generated document, walked generically
type Json = Record<string, any>;

export interface FinishOptions {
  /**
   * The operationIds of the operations that never read or write the store (e.g. GET /health):
   * the only ones without a 503. Any other is assumed to touch it, so an operation nobody
   * listed documents a 503 it may never answer rather than hide one it does.
   */
  storeless?: readonly string[];
}

const HEADERS = {
  'X-Request-Id': {
    description: "This request's id, also in every log line about it (echoes a valid incoming X-Request-Id).",
    schema: { type: 'string' },
  },
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } },
  Allow: { description: 'The methods this path has.', schema: { type: 'string' }, example: 'GET, PATCH, DELETE' },
  'RateLimit-Policy': {
    description: 'The per-caller rate limit (draft-ietf-httpapi-ratelimit-headers): `q` requests per user in each window of `w` seconds.',
    schema: { type: 'string' },
    example: '"user";q=1200;w=60',
  },
  RateLimit: {
    description: 'What is left of the rate limit: `r` requests remaining (as the serving instance knows it) until the window ends in `t` seconds.',
    schema: { type: 'string' },
    example: '"user";r=1187;t=42',
  },
  'WWW-Authenticate': {
    description: 'The challenge of a 401 (RFC 9110 section 11.6.1): `Bearer`, an access token in `Authorization: Bearer <token>` (RFC 6750).',
    schema: { type: 'string' },
    example: 'Bearer',
  },
  'Cache-Control': {
    description:
      'How caches may keep this answer: `no-store` on every answer to a request with an access token (the app\'s http/no-store-by-default.ts) and on every answer ' +
      'that holds tokens or secrets (sign-up, sign-in, refresh, two-factor set-up); `public, max-age=300` on the problem catalogue; where an operation documents a policy of its own, that one.',
    schema: { type: 'string' },
    example: 'no-store',
  },
  Vary: {
    description:
      'The request header fields this answer depends on besides the URL (RFC 9110 section 12.5.5), for caches: `Origin` on every answer when the deployment allows only some CORS origins; ' +
      '`Accept-Encoding` on an answer too large to send plain (compressed as the client accepts, or the 406 `answer-too-large`).',
    schema: { type: 'string' },
    example: 'Origin, Accept-Encoding',
  },
  'Idempotent-Replayed': {
    description: '`true` when this is the stored response of an earlier request with the same Idempotency-Key.',
    schema: { type: 'string', enum: ['true'] },
  },
};
/** Said of a route's own `Vary`, which the app may extend (HEADERS.Vary). */
const VARY_ALSO = 'The app may add `Origin` (CORS restricted to some origins) and `Accept-Encoding` (an answer compressed or refused for its size).';
const ref = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
/** Answered before requireAuth runs, or by it refusing the token: no rate-limit fields. */
const BEFORE_AUTH = ['401', '405', '413', '415'];
const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const problem = (status: number) => ({ description: PROBLEM_DESCRIPTIONS[status], content: PROBLEM });
/** Parameter schema keywords the router's validator checks (a value breaking one is a 400). */
const CONSTRAINTS = ['pattern', 'minLength', 'maxLength', 'enum', 'const', 'format', 'minimum', 'maximum'];
/** Request headers the platform parses itself, a malformed one being a 400 naming it. */
const CHECKED_HEADERS = ['if-match', 'idempotency-key'];

/** Whether anything of the request besides its body is validated (a bad value: 400). */
function checksParameters(op: Json): boolean {
  return (op.parameters ?? []).some(
    (p: Json) =>
      p.in === 'query' ||
      (p.in === 'header' && CHECKED_HEADERS.includes(String(p.name).toLowerCase())) ||
      (p.in === 'path' && CONSTRAINTS.some((c) => c in (p.schema ?? {}))),
  );
}

export function finishDocument(doc: Json, origin: string, options: FinishOptions = {}): Json {
  const out: Json = structuredClone(doc);
  out.servers = [{ url: origin, description: 'This deployment (the origin this document was fetched from)' }];
  out.components = { ...out.components, headers: { ...out.components?.headers, ...HEADERS } };
  const problems: string[] = [];
  for (const [path, item] of Object.entries<Json>(out.paths ?? {})) {
    for (const method of METHODS.filter((m) => item[m])) {
      const op = item[method] as Json;
      const where = `${method.toUpperCase()} ${path}`;
      if (!op.operationId) problems.push(`${where} has no operationId`);
      if (!Array.isArray(op.security)) problems.push(`${where} declares no security (use [] for a public operation)`);
      op.responses['405'] ??= {
        description: `${path} does not have the requested method (this operation's is ${method.toUpperCase()}); \`Allow\` lists the methods it has.`,
        headers: { Allow: ref('Allow') },
        content: PROBLEM,
      };
      const personalToken = Array.isArray(op.security) && op.security.some((s: Json) => 'personalAccessToken' in s);
      if (personalToken && method !== 'get') {
        const scope = 'a personal access token with the scope `read` (`insufficient-scope`: it may only GET)';
        if (op.responses['403']) op.responses['403'].description = `${op.responses['403'].description}; or ${scope}`;
        else op.responses['403'] = { description: `Refused to ${scope}`, content: PROBLEM };
      }
      // bodyLimits runs on every request, whatever its method: a body past the limit sent to an
      // operation that reads none (a GET, a body-less POST) is refused with 413 all the same.
      op.responses['413'] ??= problem(413);
      // Every answer's size as sent is checked where the Lambda result is built (app http/answer-fit.ts).
      op.responses['406'] ??= problem(406);
      // The error handler's last resort (app http/error-handler.ts): a defect answers a problem too, never a stack.
      op.responses['500'] ??= problem(500);
      // requireContentType judges any body a POST, PUT or PATCH carries, one the operation does not read too.
      if (op.requestBody || ['post', 'put', 'patch'].includes(method)) op.responses['415'] ??= problem(415);
      if (op.requestBody || checksParameters(op)) op.responses['400'] ??= problem(400);
      // A route's own 503 stays when it says more (e.g. what else makes it busy).
      if (!options.storeless?.includes(op.operationId)) op.responses['503'] ??= problem(503);
      const authenticated = Array.isArray(op.security) && op.security.length > 0;
      if (authenticated) {
        op.responses['401'] ??= problem(401);
        op.responses['429'] ??= {
          description: 'Too many requests for this account (the per-caller rate limit); see Retry-After and RateLimit',
          content: PROBLEM,
        };
      }
      const keyHeader = (op.parameters ?? []).find((p: Json) => p.in === 'header' && String(p.name).toLowerCase() === 'idempotency-key');
      const idempotent = keyHeader !== undefined;
      // The key the platform refuses with a 400 (idempotency-key.ts KEY_PATTERN), stated where a generated client reads it.
      if (keyHeader) keyHeader.schema = { ...keyHeader.schema, ...IDEMPOTENCY_KEY_SCHEMA };
      for (const [status, response] of Object.entries<Json>(op.responses)) {
        const headers: Json = { ...response.headers, 'X-Request-Id': ref('X-Request-Id') };
        if (status === '429' || status === '503') headers['Retry-After'] = ref('Retry-After');
        if (status === '401') headers['WWW-Authenticate'] = ref('WWW-Authenticate');
        // A 406 stands for an answer that could not be sent, a replayed one's field kept (answer-fit.ts).
        if (idempotent && (status.startsWith('2') || status === '406')) headers['Idempotent-Replayed'] = ref('Idempotent-Replayed');
        headers['Cache-Control'] ??= ref('Cache-Control');
        headers.Vary = headers.Vary ? { ...headers.Vary, description: `${headers.Vary.description} ${VARY_ALSO}` } : ref('Vary');
        if (authenticated && !BEFORE_AUTH.includes(status)) {
          headers['RateLimit-Policy'] = ref('RateLimit-Policy');
          headers.RateLimit = ref('RateLimit');
        }
        response.headers = headers;
      }
    }
  }
  if (problems.length > 0) throw new Error(`OpenAPI document incomplete:\n${problems.join('\n')}`);
  return out;
}
