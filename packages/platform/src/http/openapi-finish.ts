/**
 * What every operation of the document shares, added in one place after the modules' routes
 * are generated (so no route can forget it, and no module repeats it):
 * - `X-Request-Id` on every response; `Retry-After` on 429 and 503; `Idempotent-Replayed` on
 *   the successes of operations that take an `Idempotency-Key`;
 * - a 413 problem on every operation with a body (the body limits apply to all of them);
 * - a 405 problem with `Allow` on every operation: a path answers any method it does not have
 *   with 405 and its own methods (OpenAPI cannot attach a response to a method a path lacks,
 *   so each of the path's operations carries it, saying so);
 * - `servers`: the origin the document was fetched from.
 * It also refuses a document in which an operation has no operationId or no security
 * declaration (`[]` for the public ones), so such a route fails every test that loads it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a generated document, walked generically
type Json = Record<string, any>;

const HEADERS = {
  'X-Request-Id': {
    description: "This request's id, also in every log line about it (echoes a valid incoming X-Request-Id).",
    schema: { type: 'string' },
  },
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } },
  Allow: { description: 'The methods this path has.', schema: { type: 'string' }, example: 'GET, PATCH, DELETE' },
  'Idempotent-Replayed': {
    description: '`true` when this is the stored response of an earlier request with the same Idempotency-Key.',
    schema: { type: 'string', enum: ['true'] },
  },
};
const ref = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

export function finishDocument(doc: Json, origin: string): Json {
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
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
      if (op.requestBody && !op.responses['413']) {
        op.responses['413'] = {
          description: 'Body too large',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        };
      }
      const idempotent = (op.parameters ?? []).some((p: Json) => p.in === 'header' && String(p.name).toLowerCase() === 'idempotency-key');
      for (const [status, response] of Object.entries<Json>(op.responses)) {
        const headers: Json = { ...response.headers, 'X-Request-Id': ref('X-Request-Id') };
        if (status === '429' || status === '503') headers['Retry-After'] = ref('Retry-After');
        if (idempotent && status.startsWith('2')) headers['Idempotent-Replayed'] = ref('Idempotent-Replayed');
        response.headers = headers;
      }
    }
  }
  if (problems.length > 0) throw new Error(`OpenAPI document incomplete:\n${problems.join('\n')}`);
  return out;
}
