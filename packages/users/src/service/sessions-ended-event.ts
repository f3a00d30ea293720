import { createEvent, outboxPut, type Clock, type ModuleStore } from '@budgeting/platform';
import { userSessionsEnded } from '../events';
import type { RevokeReason } from '../repository/sessions.repository';
import type { TransactItem } from '../repository/transact';

/**
 * user.sessions_ended as an item of the ending's own transaction (the outbox): `sessionId` the one
 * session ended, absent when every session of the account did (the session epoch moved).
 */
export type SessionsEndedEvent = (userId: string, reason: RevokeReason, sessionId?: string) => Promise<TransactItem>;

export function sessionsEndedEvent(store: ModuleStore, clock: Clock): SessionsEndedEvent {
  return async (userId, reason, sessionId) =>
    outboxPut(store, userSessionsEnded, await createEvent(userSessionsEnded, { userId, reason, ...(sessionId !== undefined ? { sessionId } : {}) }, clock));
}
