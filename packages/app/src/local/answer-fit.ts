import { defaultIsContentTypeBinary } from 'hono/aws-lambda';
import { fitAnswer, type HttpResult } from '../http/answer-fit';


/**
 * `npm start` only: the app's answers sent as the Lambda handler sends them (lambda/http-answer.ts),
 * so a large answer is compressed, or refused with the 406 problem, locally exactly as in AWS.
 * The Response becomes the result hono/aws-lambda would build (a text type as text, anything else
 * or a content-encoded body as base64), goes through the same fitAnswer, and back. The body is
 * read whole first, as the Lambda adapter reads it.
 */
export function answeringAsLambda<B extends unknown[]>(fetch: (request: Request, ...bindings: B) => Response | Promise<Response>) {
  // The bindings (@hono/node-server's `incoming`, `outgoing`: the client's address) pass on as they are.
  return async (request: Request, ...bindings: B): Promise<Response> => {
    const response = await fetch(request, ...bindings);
    if (response.status === 304) return notModifiedAsSent(response, request);
    if (!response.body) return response;
    const bytes = Buffer.from(await response.arrayBuffer());
    const result = resultOf(response, bytes);
    const fitted = fitAnswer(result, {
      method: request.method,
      acceptEncoding: request.headers.get('accept-encoding') ?? undefined,
      idempotencyKey: request.headers.has('idempotency-key'),
    });
    if (fitted === result) return new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
    const headers = new Headers(fitted.headers);
    for (const cookie of fitted.cookies ?? []) headers.append('set-cookie', cookie);
    return new Response(Buffer.from(fitted.body ?? '', fitted.isBase64Encoded ? 'base64' : 'utf8'), { status: fitted.statusCode, headers });
  };
}

/** A 304 (no body) through the same fitAnswer: its ETag in the form the 200 carried (answer-fit.ts notModified). */
function notModifiedAsSent(response: Response, request: Request): Response {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie') headers[key] = value;
  });
  const fitted = fitAnswer({ statusCode: 304, headers, body: '', isBase64Encoded: false }, {
    method: request.method,
    acceptEncoding: request.headers.get('accept-encoding') ?? undefined,
    idempotencyKey: false,
    ifNoneMatch: request.headers.get('if-none-match') ?? undefined,
  });
  const etag = fitted.headers?.etag;
  if (etag === undefined || etag === response.headers.get('etag')) return response;
  const sent = new Headers(response.headers);
  sent.set('etag', etag);
  return new Response(null, { status: 304, statusText: response.statusText, headers: sent });
}

function resultOf(response: Response, bytes: Buffer): HttpResult {
  const contentType = response.headers.get('content-type');
  const encoding = response.headers.get('content-encoding');
  const base64 = (contentType !== null && defaultIsContentTypeBinary(contentType)) || (!!encoding && !/^identity$/i.test(encoding));
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie') headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  return {
    statusCode: response.status,
    headers,
    body: base64 ? bytes.toString('base64') : bytes.toString('utf8'),
    isBase64Encoded: base64,
    ...(cookies.length > 0 ? { cookies } : {}),
  };
}
