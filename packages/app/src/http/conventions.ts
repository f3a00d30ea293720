import { createLogger, GUARD_FIELD, problems, setAnswerHeader, withLogContext, type AppEnv, type Logger } from '@budgeting/platform';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { clientAddressOf, receivedAtOf, type RuntimeBindings } from './client-address';
import { hasBody } from './has-body';
import { loggedPath } from './logged-path';

/**
 * Request id: API Gateway's when behind it, else the client's X-Request-Id, else a new one.
 * Also records the caller's address as the runtime saw it and when the request was received
 * (see client-address.ts).
 */
export function requestContext(rootLogger: Logger) {
  return createMiddleware<AppEnv & { Bindings: RuntimeBindings | undefined }>(
    async (c, next) => {
      const incoming = c.req.header('x-request-id');
      const requestId =
        c.env?.event?.requestContext?.requestId ??
        (incoming && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : crypto.randomUUID());
      c.set('requestId', requestId);
      c.set('clientAddress', clientAddressOf(c.env));
      c.set('receivedAt', receivedAtOf(c.env, Date.now()));
      const started = performance.now();
      // Every line the request writes through any logger (a service's warning) carries its id (platform logger.ts).
      await withLogContext({ requestId }, next);
      setAnswerHeader(c, 'X-Request-Id', requestId);
      // One line per request: a refusal says why (a 429 also which guard, `refusedBy`: infra's
      // metric filters count those, infra/guard-metrics.ts), a failure carries its error (and is an ERROR).
      // The request id is an attribute of the line, not a child logger's persistent key: a
      // Powertools child is a whole Logger (options parsed, a Console built), per request.
      const outcome = c.get('outcome');
      const personalTokenId = c.get('personalTokenId');
      const line = {
        requestId,
        method: c.req.method,
        // A calendar feed's secret and an unsubscribe's MAC are in their paths: never logged (logged-path.ts).
        path: loggedPath(c.req.path),
        status: c.res.status,
        durationMs: Math.round(performance.now() - started),
        ...(outcome ? { detail: outcome.detail } : {}),
        // Which personal access token made the request (never the secret), so its owner's script can be traced.
        ...(personalTokenId ? { personalTokenId } : {}),
        ...(outcome?.refusedBy ? { [GUARD_FIELD]: outcome.refusedBy } : {}),
      };
      if (outcome?.error) rootLogger.error('request failed', { ...line, error: outcome.error });
      else rootLogger.info(outcome ? 'request refused' : 'request', line);
    },
  );
}

export const JSON_BODY_LIMIT = 1024 * 1024;
export const IMPORT_BODY_LIMIT = 5 * 1024 * 1024;

/**
 * The most a refused body may still send for its connection to be kept: the local server
 * (@hono/node-server) reads and discards an unread body for up to 500 ms, then destroys the
 * socket, so a larger body is refused with `Connection: close` instead of a reset next request.
 */
const DRAINABLE_BYTES = 16 * 1024 * 1024;

/**
 * 1 MB for JSON bodies; the CSV import route is allowed 5 MB. A declared Content-Length is
 * judged BEFORE the body is touched: once anything reads `c.req.raw.body`, the local server
 * can no longer drain an unread body and drops the keep-alive connection under the client.
 * Only a body of undeclared length (chunked) is counted while read, and cut off with
 * `Connection: close` when it grows past the limit.
 */
export function bodyLimits(largeBodyPaths: RegExp[]) {
  const cutOff = (max: number) =>
    bodyLimit({ maxSize: max, onError: () => { throw problems.payloadTooLarge(max, { closeConnection: true }); } });
  const counting = { [JSON_BODY_LIMIT]: cutOff(JSON_BODY_LIMIT), [IMPORT_BODY_LIMIT]: cutOff(IMPORT_BODY_LIMIT) };
  return createMiddleware<AppEnv>(async (c, next) => {
    const max = largeBodyPaths.some((p) => p.test(c.req.path)) ? IMPORT_BODY_LIMIT : JSON_BODY_LIMIT;
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      const length = Number(declared);
      if (!(length <= max)) throw problems.payloadTooLarge(max, { closeConnection: !(length <= DRAINABLE_BYTES) });
      return next();
    }
    return counting[max]!(c, next);
  });
}

/**
 * Requests with a body must say what it is: JSON everywhere, a file (`fileTypes`: CSV, OFX/QFX)
 * on the import route. Anything else is a 415 before any handler runs.
 *
 * A JSON Content-Type is judged by its media type alone, as RFC 9110 8.3.1 reads it: the router's
 * own gate (@hono/zod-openapi, before a route's body validator) matches the whole field against a
 * narrower pattern, and refused `application/json ; charset=UTF-8` (whitespace before ";") or
 * `application/json;` (an empty parameter) with a 415 saying "must be application/json" (until
 * 2026-12-07). Such a field is handed on as its media type (JSON has no charset: RFC 8259 8.1, and
 * requireUtf8Body checks the bytes); the usual spellings are left as they are, untouched.
 */
export function requireContentType(csvPaths: RegExp[], fileTypes: string[] = ['text/csv'], formPaths: RegExp[] = []) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const field = c.req.header('content-type');
    const type = (field ?? '').split(';')[0]!.trim().toLowerCase();
    const csv = csvPaths.some((p) => p.test(c.req.path));
    // A form route (the one-click unsubscribe, RFC 8058: the mailbox provider POSTs
    // `List-Unsubscribe=One-Click` as a form) takes the two form types besides JSON; its handler reads no body.
    if (!csv && FORM_TYPES.includes(type) && formPaths.some((p) => p.test(c.req.path))) return next();
    if (['POST', 'PUT', 'PATCH'].includes(c.req.method) && hasBody(c.req.raw, c.env as { incoming?: unknown } | undefined)) {
      const allowed = csv ? fileTypes : ['application/json'];
      if (!allowed.includes(type) && !(isJsonType(type) && !csv)) {
        throw problems.unsupportedMediaType(allowed);
      }
    }
    // Any method: the one DELETE with a body (turning off two-factor) passes the same gate.
    if (field !== undefined && !csv && isJsonType(type) && !ROUTER_READS_JSON_FIELD.test(field)) c.req.raw.headers.set('content-type', type);
    await next();
  });
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

const isJsonType = (type: string) => type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));

/** The JSON Content-Type fields the router's media-type gate accepts (@hono/zod-openapi's jsonRequestRegex). */
const ROUTER_READS_JSON_FIELD = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

export { createLogger };
