import { credentialNotice, type QueueUnit } from './security-notices';
import type { UserSummary, UsersFacade } from '../contract';
import { normalizeEmail, toUserSummary, type User } from '../model';
import type { UsersRepository } from '../repository/users.repository';
import type { PersonalTokenAuth } from './personal-token-auth';
import { unsubscribeToken } from '../domain/unsubscribe-token';

/** What other modules may ask about users: ids, emails, names and preferences; never secrets. */
/** `personalTokens` loads the token resolver on first use (create-module.ts). */
export function createUsersFacade(
  users: UsersRepository,
  personalTokens: () => Promise<PersonalTokenAuth>,
  unsubscribe: { publicApiUrl?: string; signingKey: string },
  /** A job unit as an item of another module's transaction (platform queuedUnitPut under this module's prefix). */
  queueUnit: QueueUnit,
): UsersFacade {
  const summary = (user: User | null): UserSummary | null => (user ? toUserSummary(user) : null);
  return {
    findByEmail: async (email) => summary(await users.findByEmail(normalizeEmail(email))),
    getById: async (userId) => summary(await users.getById(userId)),
    activeById: async (userId) => {
      const user = await users.getById(userId);
      return user && !user.suspendedAt ? toUserSummary(user) : null;
    },
    accountExists: (userId, sessionEpoch, sessionId) => users.exists(userId, sessionEpoch, sessionId),
    credentialNotice: (userId, notice, at) => credentialNotice(queueUnit, userId, notice, at),
    endedSessions: (userId, sessionIds) => users.endedSessions(userId, sessionIds),
    accountCheck: (userId, expect) => users.accountCheck(userId, expect?.version),
    personalToken: async (token) => (await personalTokens()).resolve(token),
    unsubscribeUrl: (userId, kind) =>
      unsubscribe.publicApiUrl === undefined ? undefined : `${unsubscribe.publicApiUrl}/v1/unsubscribe/${unsubscribeToken(userId, kind, unsubscribe.signingKey)}`,
  };
}
