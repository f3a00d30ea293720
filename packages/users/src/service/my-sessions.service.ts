import { epochSeconds, type Clock, type CursorCodec } from '@budgeting/platform';
import { sessionView, type SessionView } from '../domain/session-view';
import type { SessionsRepository } from '../repository/sessions.repository';
import { sessionStateOf, type UsersRepository } from '../repository/users.repository';
import { userProblems } from './problems';
import type { SessionEnding } from './session-ending';

/**
 * The caller's own sessions (GET and DELETE /v1/me/sessions): where the account is signed
 * in, and signing one of them out. A session is a refresh-token family; its id is the
 * family id, which the access tokens of that session carry (claim `sid`).
 */
export class MySessionsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly cursors: CursorCodec,
    private readonly clock: Clock,
    private readonly ending: SessionEnding,
  ) {}

  /**
   * Active sessions, newest first. The profile is read for its session epoch (sessions a
   * password change ended are not listed even if their items were not marked yet).
   */
  async list(
    userId: string,
    currentSessionId: string | undefined,
    query: { limit: number; cursor?: string },
  ): Promise<{ items: SessionView[]; nextCursor: string | null }> {
    const binding = JSON.stringify(['users-sessions', userId]);
    const startKey = this.cursors.decode(query.cursor, binding);
    const user = await this.users.getById(userId);
    if (!user) throw userProblems.accountGone();
    const page = await this.sessions.activePage(userId, user.sessionEpoch, epochSeconds(this.clock.now()), query.limit, startKey);
    return {
      items: page.items.map((session) => sessionView(session, currentSessionId)),
      nextCursor: this.cursors.encode(page.lastKey, binding),
    };
  }

  /**
   * Signs one session out: its refresh tokens and its access tokens stop working at once
   * (SessionEnding). 404 unless it is an active session of the caller: one not found, already
   * ended, expired, or of an earlier session epoch (a password change ended it) is refused from
   * the read, with no write, so it never takes a place among the window's ended sessions again.
   * Expired means also that none of its access tokens can still verify anywhere: within the clock
   * slack after its absolute end an instance whose clock lags still accepts its last one, so it is
   * signed out then as a live session (recorded, 204), or the user could not rely on the sign-out.
   * The profile (which plans the write) and the family are read in the account check's
   * BatchGetItem: no request of its own, one more key. A session none of whose access tokens can
   * still verify (idle) is ended without a place among them (SessionEnding.endAsRead).
   */
  async end(userId: string, sessionId: string): Promise<void> {
    const { session, profile } = await this.sessions.getSessionAndProfile(userId, sessionId);
    const seen = profile ? sessionStateOf(profile) : null;
    const open = seen && session && session.revokedAt === undefined && (session.epoch ?? 0) >= seen.epoch;
    if (!open) throw userProblems.sessionNotFound();
    const expired = session.expiresAt <= epochSeconds(this.clock.now()) && this.ending.accessTokensOverAsRead(session) !== null;
    if (expired) throw userProblems.sessionNotFound();
    const outcome = await this.ending.endAsRead(session, 'signed-out', { activeOnly: true, seen });
    if (outcome !== 'ended') throw userProblems.sessionNotFound();
  }
}
