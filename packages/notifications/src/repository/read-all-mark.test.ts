import type { ModuleStore, TransactItem } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { NotificationsRepository } from './notifications.repository';

/**
 * "Mark all read" moves the mark forward only, and only while the account exists. When its Put's
 * condition fails (a later mark is there) it reads the mark in force back; if that read finds
 * nothing, the partition was emptied between the two (the account deleted and its cleanup run):
 * the answer is the account's absence, not a missing mark (which the route answered with a 500).
 */
function storeWhere(transactError: Error, markAfter: Record<string, unknown> | undefined) {
  return {
    key: (...parts: (string | number)[]) => `notifications#${parts.join('#')}`,
    transactWrite: async () => {
      throw transactError;
    },
    get: async () => markAfter,
  } as unknown as ModuleStore;
}

const cancelled = (codes: string[]) => Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException', CancellationReasons: codes.map((Code) => ({ Code })) });
const accountCheck = { ConditionCheck: { Key: { pk: 'users#user#u1', sk: 'users#profile' }, ConditionExpression: 'attribute_exists(pk)' } } as unknown as TransactItem;
const mark = { upToId: '01J00000000000000000000002', at: '2026-12-06T12:00:00.000Z' };

describe('NotificationsRepository.advanceReadAll', () => {
  it('answers the mark in force when a later one is there', async () => {
    const later = { upToId: '01J00000000000000000000009', at: '2026-12-06T12:05:00.000Z' };
    const repository = new NotificationsRepository(storeWhere(cancelled(['ConditionalCheckFailed', 'None']), { pk: 'p', sk: 's', kind: 'read-all', ...later }));
    await expect(repository.advanceReadAll('u1', mark, accountCheck)).resolves.toEqual(later);
  });

  it("answers 'account-gone' when the mark's condition failed and the mark is gone by the read back (the account deleted between)", async () => {
    const repository = new NotificationsRepository(storeWhere(cancelled(['ConditionalCheckFailed', 'None']), undefined));
    await expect(repository.advanceReadAll('u1', mark, accountCheck)).resolves.toBe('account-gone');
  });

  it("answers 'account-gone' when the account check failed", async () => {
    const repository = new NotificationsRepository(storeWhere(cancelled(['None', 'ConditionalCheckFailed']), undefined));
    await expect(repository.advanceReadAll('u1', mark, accountCheck)).resolves.toBe('account-gone');
  });
});
