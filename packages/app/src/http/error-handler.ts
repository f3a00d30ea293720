import { awsErrorToProblem, PLATFORM_PROBLEMS, problemResponse, problems, ProblemError, type AppEnv } from '@budgeting/platform';
import type { ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

/**
 * The last line of defence: whatever was thrown becomes a problem+json response. Known
 * problems pass through; Hono's own 4xx (e.g. malformed JSON) keep their status (a 415 is the
 * catalogue's unsupported-media-type, as requireContentType's); AWS
 * throttling becomes 503 + Retry-After; anything else is hidden behind a 500 (and logged with its stack).
 */
export const errorHandler: ErrorHandler<AppEnv> = (err, c) => {
  const requestId = c.get('requestId');
  let problem: ProblemError;
  if (err instanceof ProblemError) {
    problem = err;
  } else if (err instanceof HTTPException && err.status < 500) {
    problem =
      err.status === 400
        ? problems.badRequest(err.message || 'The request body is not valid JSON.', [{ path: 'body', message: err.message }])
        : err.status === 415
          ? // The router's media-type gate: reached only by a DELETE that reads a JSON body (disabling
            // two-factor), as requireContentType answers every POST, PUT and PATCH before it.
            problems.unsupportedMediaType(['application/json'])
          : new ProblemError(PLATFORM_PROBLEMS['http-error'], err.message || 'Request error', {}, err.status);
  } else {
    problem = awsErrorToProblem(err) ?? problems.internal();
  }
  // Logged once, in the request's access line (requestContext), with the error behind a 5xx.
  c.set('outcome', {
    detail: problem.detail,
    ...(problem.extras.refusedBy ? { refusedBy: problem.extras.refusedBy } : {}),
    ...(problem.status >= 500 ? { error: err as Error } : {}),
  });
  // A problem thrown after the route answered (requireAuth's account check, settled after the
  // route ran: a deleted account's or ended session's token) replaces that answer wholly. Left
  // in place, Hono's `set res` would copy its headers onto the problem: a 401 with the refused
  // budget's ETag, an export's Content-Disposition, a suggestions list's `private, max-age=60`.
  c.res = undefined;
  return problemResponse(problem, requestId);
};
