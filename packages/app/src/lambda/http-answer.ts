import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { fitAnswer, type HttpResult } from '../http/answer-fit';

/**
 * The app behind API Gateway's HTTP API: hono/aws-lambda builds the result, then every answer is
 * fitted to what Lambda can send (http/answer-fit.ts: compressed when large and accepted, a 406
 * problem when it cannot fit), for every route at once. Loaded with the adapter on the first
 * HTTP event (handler.ts), in the adapter's chunk.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the composition root's app, whatever its env
export function handleHttp(app: Hono<any>) {
  const adapter = handle(app);
  return async (event: APIGatewayProxyEventV2, context: Context): Promise<HttpResult> => {
    const result = (await adapter(event as never, context)) as HttpResult;
    // HTTP API v2 passes header names in lower case; a repeated header arrives comma-joined.
    return fitAnswer(result, {
      method: event.requestContext.http.method,
      acceptEncoding: event.headers?.['accept-encoding'],
      idempotencyKey: event.headers?.['idempotency-key'] !== undefined,
      ifNoneMatch: event.headers?.['if-none-match'],
    });
  };
}
