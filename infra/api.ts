import { fn } from './function';

/**
 * The HTTP API: every route goes to the one function (payload format 2.0, SST's default for
 * Lambda routes). Hono does the routing, CORS, 404s and 405s, so API Gateway's own CORS is
 * off: it would answer preflights itself and overwrite the app's CORS policy.
 */
export const api = new sst.aws.ApiGatewayV2('Api', {
  cors: false,
  accessLog: { retention: '1 month' },
  transform: {
    // Stage-wide throttling (token bucket, for all clients together): a flood is refused by
    // API Gateway with 429 before it costs a Lambda invocation. The per-address sign-in limits
    // are the users module's (packages/users/README.md).
    stage: (args) => {
      args.defaultRouteSettings = { throttlingBurstLimit: 200, throttlingRateLimit: 100 };
    },
  },
});

// Named explicitly so it shows up in API Gateway metrics; same function as everything else.
api.route('GET /health', fn.arn);
api.route('$default', fn.arn);
