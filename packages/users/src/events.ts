import { defineEvent } from '@budgeting/platform';
import type { z } from 'zod';

/**
 * The users module's event contracts. Both are written to the outbox in the same
 * transaction as the change they announce, so they exist exactly when that change committed.
 */

/** The payload schemas, imported (with zod) on the first use of one of the contracts below. */
const schemas = () => import('./schemas/events.schemas');
export const userRegistered = defineEvent('users', 'user.registered', 1, async () => (await schemas()).userRegistered());

/** Subscribers remove what belongs to the user (memberships, budgets they alone own). */
export const userDeleted = defineEvent('users', 'user.deleted', 1, async () => (await schemas()).userDeleted());

export type UserRegisteredData = z.infer<typeof userRegistered.data>;
export type UserDeletedData = z.infer<typeof userDeleted.data>;
