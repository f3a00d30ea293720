/**
 * "Sudo mode" for account deletion (GitHub's sudo mode, Google's "recent sign-in required").
 * `DELETE /v1/me` has no body, so it cannot ask for the password; instead it requires that the
 * session behind the access token signed in (password, and the second factor when the account
 * has one) within this window. A stolen access token or refresh token then cannot delete the
 * account: refreshing keeps the session's original sign-in time (the `auth_time` claim), so
 * only someone who can sign in again can.
 *
 * 10 minutes: long enough for a user who has just signed in to read the warning and confirm,
 * short enough that a device left signed in, or a leaked token, is past it almost always. It
 * matches Google's and Firebase's "recent login" for sensitive changes (GitHub's sudo mode is
 * longer, but it also asks for the password at the moment).
 */
export const RECENT_SIGN_IN_SECONDS = 10 * 60;

/**
 * Whether a session that signed in at `authTime` (seconds since the epoch; undefined when the
 * token does not say: tokens from before the claim existed, personal access tokens) signed in
 * within RECENT_SIGN_IN_SECONDS of `nowSeconds`. An unknown sign-in time is never recent: such
 * a session must sign in again. A sign-in time slightly ahead of this clock (another
 * container's clock) is taken as just now; the token is ours, its signature checked.
 */
export function signedInRecently(authTime: number | undefined, nowSeconds: number): boolean {
  if (authTime === undefined) return false;
  return nowSeconds - authTime <= RECENT_SIGN_IN_SECONDS;
}
