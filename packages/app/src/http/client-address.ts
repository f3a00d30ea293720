/**
 * Where a request came from, as each runtime reports it. Headers such as X-Forwarded-For are
 * ignored on purpose: any client can write them, and the address is used to throttle
 * sign-in attempts.
 *
 * - Lambda behind API Gateway (hono/aws-lambda puts the event in `env.event`): the HTTP API's
 *   `requestContext.http.sourceIp`, which API Gateway takes from the connection.
 * - The local server (@hono/node-server puts the request in `env.incoming`): the socket's peer.
 */
export interface RuntimeBindings {
  event?: { requestContext?: { requestId?: string; http?: { sourceIp?: unknown } } };
  incoming?: { socket?: { remoteAddress?: unknown } };
}

export function clientAddressOf(env: RuntimeBindings | undefined): string | undefined {
  const address = env?.event?.requestContext?.http?.sourceIp ?? env?.incoming?.socket?.remoteAddress;
  return typeof address === 'string' && address.length > 0 && address.length <= 64 ? address : undefined;
}
