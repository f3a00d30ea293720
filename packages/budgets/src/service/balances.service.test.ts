import { fixedClock, ProblemError } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import type { PaidByMember } from '../contract';
import { testBudget } from '../domain/test-budget';
import type { AccessService } from './access';
import { BalancesService } from './balances.service';

/**
 * The 2^53 bound of GET .../balances (docs/settle-up.md "Balances", Validation) on figures the
 * expenses module's walk can return: 10^12 is a multiple of 4,096, so its sums stay exact as
 * doubles far past 2^53 - 1, and 9,008 such expenses reach 9,008 x 10^12 > 2^53 - 1.
 */
const PAST_SAFE = 9_008 * 1_000_000_000_000;

function balancesWith(paid: PaidByMember) {
  const budget = testBudget();
  const access = { require: async () => ({ budget, role: 'owner' as const }) } as unknown as AccessService;
  const members = { shares: async () => [{ userId: 'a', name: null, share: 1 }, { userId: 'b', name: null, share: 1 }] };
  const port = { paidByMember: async () => paid };
  const settlements = { transfersBetween: async () => [] };
  return new BalancesService(access, members, port, settlements, fixedClock('2026-03-20T12:00:00Z')).balances('b1', 'a', { from: '2026-03-01', to: '2026-03-31' });
}

describe('BalancesService: sums past 2^53 - 1 that cancel out in the total', () => {
  it('a sharing set past 2^53 - 1 offset by refunds is the 400 naming query.from, never an error', async () => {
    // a paid PAST_SAFE shared with [a, b] and got PAST_SAFE back on refunds shared by everyone: the total is 0.
    const paid: PaidByMember = { paid: { a: 0 }, sharedBy: [{ userIds: ['a', 'b'], amount: PAST_SAFE }], examined: 18_016, tooMany: false };
    const answer = await balancesWith(paid).catch((err: unknown) => err);
    expect(answer).toBeInstanceOf(ProblemError);
    expect((answer as ProblemError).status).toBe(400);
    expect((answer as ProblemError).extras.errors?.map((e) => e.path)).toContain('query.from');
  });

  it("a payer's sum past 2^53 - 1 offset by another's refunds is the 400, never a net past 2^53 - 1", async () => {
    const paid: PaidByMember = { paid: { a: PAST_SAFE, b: -PAST_SAFE }, sharedBy: [], examined: 18_016, tooMany: false };
    const answer = await balancesWith(paid).catch((err: unknown) => err);
    expect(answer).toBeInstanceOf(ProblemError);
    expect((answer as ProblemError).status).toBe(400);
  });
});
