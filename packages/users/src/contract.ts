/**
 * What other modules may know about users: a small summary and the facade to look one up.
 * Everything else of the users module (passwords, sessions) stays inside it.
 */
export interface UserSummary {
  id: string;
  email: string;
  name: string | null;
  /** The user's preferences, the defaults of the budgets they create. */
  timezone: string;
  currency: string;
  /** Email on/off per notification kind. */
  notifications: { email: { budgetAlerts: boolean } };
}

export interface UsersFacade {
  /** Finds a user by email (case-insensitive), e.g. to add them as a budget member. */
  findByEmail(email: string): Promise<UserSummary | null>;
  getById(userId: string): Promise<UserSummary | null>;
  /**
   * Whether the account still exists (the access-token check). Asked inside a request's
   * deferGuard, it costs no read of its own on a write: it rides the write's transaction.
   */
  accountExists(userId: string): Promise<boolean>;
}
