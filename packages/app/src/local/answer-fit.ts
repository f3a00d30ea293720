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
