import { defineEvent } from '@budgeting/platform';
import { z } from 'zod';

/**
 * The users module's event contracts. Both are written to the outbox in the same
 * transaction as the change they announce, so they exist exactly when that change committed.
 */
export const userRegistered = defineEvent(
  'users',
  'user.registered',
  1,
  () => z.object({
    userId: z.string().min(1),
    email: z.string().min(1),
    name: z.string().nullable(),
  }),
);

/** Subscribers remove what belongs to the user (memberships, budgets they alone own). */
export const userDeleted = defineEvent(
  'users',
  'user.deleted',
  1,
  () => z.object({
    userId: z.string().min(1),
  }),
);

export type UserRegisteredData = z.infer<typeof userRegistered.data>;
export type UserDeletedData = z.infer<typeof userDeleted.data>;
