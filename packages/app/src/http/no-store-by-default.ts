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
 *
 * A route's own policy lets the client's cache keep the answer, keyed by the URL alone unless
 * the answer says otherwise: `Vary: Authorization` is added to every such answer but a public
 * one (its 304 too), so it is served again only to the credentials it was asked with. Without
 * it, a phone's or a browser's cache handed the overview (`/v1/me/overview`, one URL for every
 * account) of the account signed out to the one signed in next, within max-age (until 2026-12-07).
 */
export const noStoreByDefault = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.req.header('authorization') === undefined) return;
  const policy = c.res.headers.get('Cache-Control');
  if (policy === null) setAnswerHeader(c, 'Cache-Control', 'no-store');
  // A public answer (the problem catalogue) is the same for everyone: nothing to tell apart.
  else if (!/\b(no-store|public)\b/i.test(policy)) setAnswerHeader(c, 'Vary', 'Authorization', { append: true });
});
