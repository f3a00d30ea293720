import { fixedClock, OperatorInputError, type Logger, type ModuleStore } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { usersKeys } from '../repository/keys';
import { SessionsRepository } from '../repository/sessions.repository';
import { UsersRepository } from '../repository/users.repository';
import { AccountSuspension } from './account-suspension';

/**
 * The operator operations users-suspend and users-unsuspend over a store stand-in: what each
 * writes (ONE transaction: the profile and the audit record that is the event), what it leaves
 * alone, and what it refuses. The real conditions are DynamoDB's: tests/integration/users/suspension.test.ts.
 */
const clock = fixedClock('2026-12-06T08:00:00Z');
const USER = '01JUSER0000000000000000000';
const EMAIL = 'someone@example.com';

type Written = Record<string, Record<string, unknown>>;

/** A profile (and its email reservation) answered by get; each transactWrite recorded, or refused by `refuse` once. */
function storeWith(profile: Record<string, unknown>) {
  const transactions: Written[][] = [];
  const state = { profile, refuse: undefined as undefined | { codes: string[]; thenProfile?: Record<string, unknown> } };
  const store = {
    key: (...parts: (string | number)[]) => `users#${parts.join('#')}`,
    get: async (input: { Key: { pk: string; sk: string } }) => {
      if (input.Key.pk === `users#email#${EMAIL}`) return { pk: input.Key.pk, sk: input.Key.sk, kind: 'email', userId: USER };
      if (input.Key.pk === `users#user#${USER}` && input.Key.sk === 'users#profile') return state.profile;
      return undefined;
    },
    transactWrite: async (items: Written[]) => {
      const refuse = state.refuse;
      if (refuse) {
        state.refuse = undefined;
        if (refuse.thenProfile) state.profile = refuse.thenProfile;
        throw Object.assign(new Error('Transaction cancelled'), { name: 'TransactionCanceledException', CancellationReasons: refuse.codes.map((Code) => ({ Code })) });
      }
      transactions.push(items);
    },
    // No sessions to mark (SessionsRepository.revokeBeforeEpoch reads them a page at a time).
    query: async () => ({ items: [] }),
  } as unknown as ModuleStore;
  return { store, transactions, state };
}

const profileItem = (extra: Record<string, unknown> = {}) => ({
  pk: `users#user#${USER}`,
  sk: 'users#profile',
  kind: 'user',
  id: USER,
  email: EMAIL,
  name: null,
  timezone: 'UTC',
  currency: 'EUR',
  passwordHash: '$scrypt$x',
  sessionEpoch: 3,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

const quietLogger = () => {
  const warnings: Record<string, unknown>[] = [];
  const logger = { debug() {}, info() {}, error() {}, warn: (_m: string, attrs: Record<string, unknown>) => warnings.push(attrs), createChild: () => logger } as unknown as Logger;
  return { logger, warnings };
};

function suspensionOver(profile: Record<string, unknown>) {
  const s = storeWith(profile);
  const keys = usersKeys(s.store);
  const log = quietLogger();
  const suspension = new AccountSuspension({ keys, users: new UsersRepository(s.store, keys), sessions: new SessionsRepository(s.store, keys), clock, logger: log.logger });
  return { ...s, suspension, warnings: log.warnings };
}

const request = { email: ` ${EMAIL.toUpperCase()} `, reason: 'TICKET-9001: spam invitations', operator: 'support-alice' };

describe('AccountSuspension.suspend (users-suspend)', () => {
  it('refuses a blank or too long reason, no operator, a malformed or unknown email as the operator\'s input error, writing nothing', async () => {
    const { suspension, transactions } = suspensionOver(profileItem());
    for (const bad of [
      { ...request, reason: '   ' },
      { ...request, reason: 'x'.repeat(501) },
      { ...request, operator: '' },
      { ...request, email: 'not-an-address' },
      { ...request, email: 'nobody@example.com' },
    ]) {
      await expect(suspension.suspend(bad)).rejects.toThrow(OperatorInputError);
      await expect(suspension.unsuspend(bad)).rejects.toThrow(OperatorInputError);
    }
    expect(transactions).toEqual([]);
  });

  it('ONE transaction: the profile marked suspended with the next session epoch (only at the epoch read, only if not suspended), and the audit record that is the user.suspended event', async () => {
    const { suspension, transactions, warnings } = suspensionOver(profileItem({ revoked0: ['a'] }));
    const result = await suspension.suspend(request);
    expect(result).toMatchObject({ outcome: 'suspended', userId: USER, at: clock.now().toISOString(), eventId: expect.any(String) });
    expect(result).not.toHaveProperty('reason');
    expect(transactions).toHaveLength(1);
    const [profile, audit, ...more] = transactions[0]!;
    expect(more).toEqual([]);
    const update = profile!.Update!;
    expect(update.Key).toEqual({ pk: `users#user#${USER}`, sk: 'users#profile' });
    expect(update.UpdateExpression).toMatch(/^SET sessionEpoch = :nextEpoch, suspendedAt = :suspendedAt REMOVE /);
    expect(update.ConditionExpression).toBe('attribute_exists(pk) AND sessionEpoch = :epoch AND attribute_not_exists(suspendedAt)');
    expect(update.ExpressionAttributeValues).toEqual({ ':nextEpoch': 4, ':epoch': 3, ':suspendedAt': clock.now().toISOString() });
    const put = audit!.Put!;
    expect(put.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(put.Item).toMatchObject({
      pk: `users#user#${USER}`,
      kind: 'audit',
      action: 'suspended-by-operator',
      userId: USER,
      operator: 'support-alice',
      reason: 'TICKET-9001: spam invitations',
      at: clock.now().toISOString(),
      publishes: true,
      detailType: 'user.suspended',
    });
    expect(String((put.Item as { sk: string }).sk)).toBe(`users#audit#${clock.now().toISOString()}#${(result as { eventId: string }).eventId}`);
    expect(JSON.parse(String((put.Item as { detail: string }).detail))).toMatchObject({ data: { userId: USER, operator: 'support-alice', reason: 'TICKET-9001: spam invitations' } });
    // The structured line says who, why and when.
    expect(warnings).toEqual([expect.objectContaining({ audit: 'suspended-by-operator', userId: USER, operator: 'support-alice', reason: 'TICKET-9001: spam invitations' })]);
  });

  it('an account already suspended is left as it is: already-suspended, nothing written', async () => {
    const { suspension, transactions } = suspensionOver(profileItem({ suspendedAt: '2026-12-01T00:00:00.000Z' }));
    expect(await suspension.suspend(request)).toEqual({ outcome: 'already-suspended', userId: USER, suspendedAt: '2026-12-01T00:00:00.000Z' });
    expect(transactions).toEqual([]);
  });

  it('the profile moved between the read and the write (a password change; another suspension): read again, and a suspension that came first is already-suspended', async () => {
    const moved = suspensionOver(profileItem());
    moved.state.refuse = { codes: ['ConditionalCheckFailed', 'None'], thenProfile: profileItem({ sessionEpoch: 4 }) };
    expect(await moved.suspension.suspend(request)).toMatchObject({ outcome: 'suspended' });
    expect(moved.transactions[0]![0]!.Update!.ExpressionAttributeValues).toMatchObject({ ':nextEpoch': 5, ':epoch': 4 });

    const raced = suspensionOver(profileItem());
    raced.state.refuse = { codes: ['ConditionalCheckFailed', 'None'], thenProfile: profileItem({ sessionEpoch: 4, suspendedAt: '2026-12-06T07:59:59.000Z' }) };
    expect(await raced.suspension.suspend(request)).toMatchObject({ outcome: 'already-suspended' });
    expect(raced.transactions).toEqual([]);
  });

  it('a transaction cancelled by a conflict (no failed condition) is thrown on, not read as a lost race', async () => {
    const { suspension, state } = suspensionOver(profileItem());
    state.refuse = { codes: ['TransactionConflict', 'None'] };
    await expect(suspension.suspend(request)).rejects.toThrow(/cancelled/);
  });
});

describe('AccountSuspension.unsuspend (users-unsuspend)', () => {
  it('ONE transaction: the mark removed (only while there), the epoch left where it is (no session comes back), and the audit record that is user.unsuspended', async () => {
    const { suspension, transactions } = suspensionOver(profileItem({ suspendedAt: '2026-12-01T00:00:00.000Z', sessionEpoch: 4 }));
    const result = await suspension.unsuspend(request);
    expect(result).toMatchObject({ outcome: 'unsuspended', userId: USER, at: clock.now().toISOString(), eventId: expect.any(String) });
    const [profile, audit, ...more] = transactions[0]!;
    expect(more).toEqual([]);
    expect(profile!.Update!.UpdateExpression).toBe('REMOVE suspendedAt');
    expect(profile!.Update!.ConditionExpression).toBe('attribute_exists(suspendedAt)');
    expect(JSON.stringify(profile)).not.toContain('sessionEpoch');
    expect(audit!.Put!.Item).toMatchObject({ action: 'unsuspended-by-operator', operator: 'support-alice', reason: 'TICKET-9001: spam invitations', detailType: 'user.unsuspended', publishes: true });
  });

  it('an account not suspended (or lifted meanwhile) is left as it is: not-suspended, nothing written', async () => {
    const { suspension, transactions } = suspensionOver(profileItem());
    expect(await suspension.unsuspend(request)).toEqual({ outcome: 'not-suspended', userId: USER });
    expect(transactions).toEqual([]);

    const lifted = suspensionOver(profileItem({ suspendedAt: '2026-12-01T00:00:00.000Z' }));
    lifted.state.refuse = { codes: ['ConditionalCheckFailed', 'None'] };
    expect(await lifted.suspension.unsuspend(request)).toEqual({ outcome: 'not-suspended', userId: USER });
  });
});
