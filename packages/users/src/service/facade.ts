import type { UserSummary, UsersFacade } from '../contract';
import { normalizeEmail, type User } from '../model';
import type { UsersRepository } from '../repository/users.repository';

/** What other modules may ask about users: ids, emails, names and preferences; never secrets. */
export function createUsersFacade(users: UsersRepository): UsersFacade {
  const summary = (user: User | null): UserSummary | null =>
    user
      ? {
          id: user.id,
          email: user.email,
          name: user.name,
          timezone: user.timezone,
          currency: user.currency,
          notifications: { email: { ...user.notifications.email } },
        }
      : null;
  return {
    findByEmail: async (email) => summary(await users.findByEmail(normalizeEmail(email))),
    getById: async (userId) => summary(await users.getById(userId)),
  };
}
