import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { claimedOnce, DELIVERY_CLAIM_LEASE_SECONDS, fixedClock, ModuleStore } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withFirstAnswerLost } from '../../support/answer-lost';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * platform claimedOnce on DynamoDB Local: the claim before an effect that cannot be repeated
 * unnoticed (a mail) and the "done" mark after it, with a delivery that took the claim over past
 * its lease and gave it back (its own effect failed) while the first was still at work.
 */
let t: TestSystem;
beforeAll(async () => {
  t = await createTestSystem();
});
afterAll(() => t.destroy());

describe('claimedOnce', () => {
  it('a mark written after the claim was taken over and given back keeps the item whole and expiring', async () => {
    const store = new ModuleStore('claims', t.doc, t.tableName);
    const clock = fixedClock('2026-11-24T12:00:00Z');
    const item = { Key: { pk: store.key('claim', 'mail-1'), sk: store.key('claim') }, kind: 'claim', fields: { mailId: 'mail-1' }, retentionSeconds: 86_400 };
    const read = async () => (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: item.Key, ConsistentRead: true }))).Item;
    const ran = await claimedOnce(store, item, clock, async () => {
      // The effect outlasts its lease: a second delivery takes the claim over, its effect fails,
      // and it gives the claim back (deletes the item), all before this effect returns.
      const later = fixedClock(new Date(Date.parse('2026-11-24T12:00:00Z') + (DELIVERY_CLAIM_LEASE_SECONDS + 1) * 1000).toISOString());
      await expect(
        claimedOnce(store, item, later, async () => {
          throw new Error('mail service down');
        }),
      ).rejects.toThrow('mail service down');
      expect(await read()).toBeUndefined();
    });
    expect(ran).toBe(true);
    const marked = await read();
    // Processed (this effect ran), and still the item it was: its kind, what names it, and its expiry.
    expect(marked).toMatchObject({ processedAt: '2026-11-24T12:00:00.000Z', kind: 'claim', mailId: 'mail-1', expiresAt: Date.parse('2026-11-24T12:00:00Z') / 1000 + 86_400 });
    expect(marked).not.toHaveProperty('claimId');
    // A later delivery runs nothing.
    expect(await claimedOnce(store, item, clock, async () => expect.unreachable())).toBe(false);
  });

  it('a claim that committed but whose answer was lost (the SDK sent it again and met its own claim) runs the effect, not "another delivery holds its claim"', async () => {
    const store = new ModuleStore('claims', t.doc, t.tableName);
    const clock = fixedClock('2026-11-24T12:00:00Z');
    const mailId = `mail-${Math.random().toString(36).slice(2, 10)}`;
    const item = { Key: { pk: store.key('claim', mailId), sk: store.key('claim') }, kind: 'claim', fields: { mailId }, retentionSeconds: 86_400 };
    let sent = 0;
    const claimPut = (name: string, input: string) => name === 'PutItemCommand' && input.includes(mailId);
    const { result: ran, resent } = await withFirstAnswerLost(t.doc, claimPut, () => claimedOnce(store, item, clock, async () => void sent++));
    expect(resent).toBe(true);
    expect(ran).toBe(true);
    expect(sent).toBe(1);
    // Marked processed: a later delivery runs nothing.
    expect(await claimedOnce(store, item, clock, async () => expect.unreachable())).toBe(false);
  });
});
