import type { Logger } from '@aws-lambda-powertools/logger';

/** What every request carries through Hono's context, in every module. */
export type AppEnv = {
  Variables: {
    requestId: string;
    logger: Logger;
    /** Set by the auth middleware on protected routes. */
    userId: string;
    /**
     * Set by the idempotency middleware when the request carries an Idempotency-Key: the id
     * the created resource must get, so a retry after a crash finds it instead of duplicating it.
     */
    idempotentResourceId?: string;
  };
};
