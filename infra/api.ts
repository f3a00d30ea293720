import { fn } from './function';

/**
 * The HTTP API: every route goes to the one function (payload format 2.0, SST's default for
 * Lambda routes). Hono does the routing, CORS, 404s and 405s, so API Gateway's own CORS is
 * off: it would answer preflights itself and overwrite the app's CORS policy.
 */
const STAGE_RATE_PER_SECOND = 5_000;
const STAGE_BURST = 2_500;

/**
 * SST's access log format without `path`: a calendar feed's URL carries its secret in the path
 * (`/v1/calendar/<ids>.<secret>.ics`, packages/expenses/docs/recurring.md "Calendar feed"), as a
 * mail's one-click unsubscribe URL its MAC (`/v1/unsubscribe/<userId>.<kind>.<mac>`), and this
 * log keeps a month of them, readable by anyone with log access. The route key, status,
 * latencies, caller and request id stay; the function's own access line has the path with the
 * secret cut out (packages/app/src/http/logged-path.ts), joined by the request id.
 */
const withoutPath = (format: string) => {
  const { path: _path, ...fields } = JSON.parse(format) as Record<string, string>;
  return JSON.stringify(fields);
};

export const api = new sst.aws.ApiGatewayV2('Api', {
  cors: false,
  accessLog: { retention: '1 month' },
  transform: {
    // Stage-wide throttling (token bucket, for all clients together): a flood beyond it is
    // refused by API Gateway with 429 before it costs a Lambda invocation. Sized from
    // docs/capacity.md ("HTTP at 1 M users"): about 2,900 requests/s at the peak hour, so the
    // rate leaves 1.7x headroom, and both stay at half the account's default API Gateway quota
    // per Region (10,000 requests/s, a 5,000-request bucket, shared by every API of the account).
    // It is a ceiling for the whole service, not fairness between clients: HTTP APIs take no
    // WAF, and the per-address sign-in limits are the users module's (packages/users/docs/throttling.md).
    stage: (args) => {
      args.defaultRouteSettings = { throttlingBurstLimit: STAGE_BURST, throttlingRateLimit: STAGE_RATE_PER_SECOND };
      const log = args.accessLogSettings;
      if (log) args.accessLogSettings = $util.output(log).apply((settings) => ({ ...settings, format: withoutPath(settings.format) }));
    },
  },
});

// Named explicitly so it shows up in API Gateway metrics; same function as everything else.
api.route('GET /health', fn.arn);
api.route('$default', fn.arn);
