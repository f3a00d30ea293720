import { setAnswerHeader, type AppEnv } from '@budgeting/platform';
import { createMiddleware } from 'hono/factory';

/**
 * `Cache-Control: no-store` on every answer to a request that carries credentials (a bearer
 * token, a session's or a personal access token's) unless its route chose a policy of its own
 * (the overview's and the suggestions' short private caches, a calendar feed's). Such an answer
 * is the caller's budgets, expenses and account, or an error about them: without a policy a
 * browser's or an HTTP library's cache may keep it on disk (a shared computer, a backup), where
 * no sign-out reaches it (OWASP REST Security Cheat Sheet, "Security headers"). Shared caches
 * already store no answer to a request with `Authorization` (RFC 9111 section 3.5); this covers
 * the client's own. An ETag still works: a client that keeps it sends If-None-Match or If-Match
 * itself. Public answers (health, docs, the problem catalogue) keep theirs or none.
 */
export const noStoreByDefault = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.req.header('authorization') !== undefined && !c.res.headers.has('Cache-Control')) setAnswerHeader(c, 'Cache-Control', 'no-store');
});
