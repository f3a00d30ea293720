import type { Guard } from './guards';
import type { IdempotentWrite } from './idempotent-write';
import type { LeaseCompletion } from './idempotency';

/** What every request carries through Hono's context, in every module. */
export type AppEnv = {
  Variables: {
    requestId: string;
    /**
     * The caller's network address as the runtime saw it (API Gateway's sourceIp, the local
     * server's socket), never a client-supplied header. Undefined when the runtime has none
     * (in-process test requests).
     */
    clientAddress?: string;
    /**
     * When the request was received (epoch ms): API Gateway's `requestContext.timeEpoch` behind it,
     * which its 29 s timeout counts from (a cold start and everything before the handler included),
     * else the moment the app first saw it. Set by the request context middleware; what is left of
     * those 29 s bounds a `Prefer: wait`.
     */
    receivedAt?: number;
    /** Set by the auth middleware on protected routes. */
    userId: string;
    /**
     * Set by the auth middleware when the access token names its session (the users module's
     * refresh-token family, claim `sid`); tokens issued before that carry none.
     */
    sessionId?: string;
    /**
     * Set by the auth middleware when the access token says when its session signed in (claim
     * `auth_time`, seconds since the epoch; carried unchanged through refreshes). Absent for
     * older tokens and personal access tokens: a route that needs a recent sign-in refuses them.
     */
    authTime?: number;
    /** Set by the auth middleware when the bearer is a personal access token: its id (the access line names it). */
    personalTokenId?: string;
    /**
     * Set by the idempotency middleware when the request carries an Idempotency-Key: the id
     * the created resource must get, so a retry after a crash finds it instead of duplicating it.
     */
    idempotentResourceId?: string;
    /**
     * Set by the idempotency middleware with `idempotentResourceId`: the lease's completion as an
     * item of the handler's own transaction (idempotency.ts, LeaseCompletion).
     */
    idempotentCompletion?: LeaseCompletion;
    /**
     * Set by the error handler when the request ends in a problem response: what the one
     * access log line of the request reports (the refusal's detail, or the error behind a 5xx).
     */
    outcome?: { detail: string; error?: Error; refusedBy?: Guard };
    /**
     * Set by the in-transaction idempotency middleware (PlatformDeps.idempotentWrite) when the
     * request carries an Idempotency-Key: the record to commit with the change it guards.
     */
    idempotentWrite?: IdempotentWrite;
  };
};
