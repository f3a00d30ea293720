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

/**
 * OpenAPI security requirement for routes that need an access token: a session's (`bearerAuth`,
 * a JWT) or a personal access token (`personalAccessToken`, `bgt_...`; a `read` one only on
 * GET and HEAD). Either one (OpenAPI lists alternatives).
 */
export const bearerSecurity: Record<string, string[]>[] = [{ bearerAuth: [] }, { personalAccessToken: [] }];

/** For account-management routes (`/v1/me` and below): a session's access token only (requireAuth `accountManagement`). */
export const sessionSecurity: Record<string, string[]>[] = [{ bearerAuth: [] }];
