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
  event?: { requestContext?: { requestId?: string; timeEpoch?: unknown; http?: { sourceIp?: unknown } } };
  incoming?: { socket?: { remoteAddress?: unknown } };
}

export function clientAddressOf(env: RuntimeBindings | undefined): string | undefined {
  const address = env?.event?.requestContext?.http?.sourceIp ?? env?.incoming?.socket?.remoteAddress;
  return typeof address === 'string' && address.length > 0 && address.length <= 64 ? address : undefined;
}

/**
 * When the request was received (epoch ms): behind API Gateway its `requestContext.timeEpoch`, the
 * moment its 29 s timeout starts (before a cold start, before the handler ran); a value in the
 * future (clocks a little apart) is taken as now. Elsewhere `now`, the moment the app saw it.
 */
export function receivedAtOf(env: RuntimeBindings | undefined, now: number): number {
  const received = env?.event?.requestContext?.timeEpoch;
  return typeof received === 'number' && Number.isFinite(received) ? Math.min(received, now) : now;
}
