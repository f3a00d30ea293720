import type { Logger } from '@aws-lambda-powertools/logger';

/** What every request carries through Hono's context, in every module. */
export type AppEnv = {
  Variables: {
    requestId: string;
    logger: Logger;
    /** Set by the auth middleware on protected routes. */
    userId: string;
  };
};
