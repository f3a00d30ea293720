import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './app-env';
import { validationProblem } from './validation';

/**
 * Every module builds its routes on this router so invalid input is rejected the same way
 * everywhere: a problem+json 400 naming each bad field.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationProblem(result.error, result.target);
    },
  });
}

export type Router = ReturnType<typeof createRouter>;

/** OpenAPI security requirement for routes that need an access token. */
export const bearerSecurity = [{ bearerAuth: [] as string[] }];
