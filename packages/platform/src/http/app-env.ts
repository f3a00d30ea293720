import type { Logger } from '@aws-lambda-powertools/logger';
import type { IdempotentWrite } from './idempotent-write';

/** What every request carries through Hono's context, in every module. */
export type AppEnv = {
  Variables: {
    requestId: string;
    logger: Logger;
    /**
     * The caller's network address as the runtime saw it (API Gateway's sourceIp, the local
     * server's socket), never a client-supplied header. Undefined when the runtime has none
     * (in-process test requests).
     */
    clientAddress?: string;
    /** Set by the auth middleware on protected routes. */
    userId: string;
    /**
     * Set by the idempotency middleware when the request carries an Idempotency-Key: the id
     * the created resource must get, so a retry after a crash finds it instead of duplicating it.
     */
    idempotentResourceId?: string;
    /**
     * Set by the in-transaction idempotency middleware (PlatformDeps.idempotentWrite) when the
     * request carries an Idempotency-Key: the record to commit with the change it guards.
     */
    idempotentWrite?: IdempotentWrite;
  };
};
