import { describe, expect, it } from 'vitest';
import { holdForSummary } from './hold-for-summary';

/**
 * The summary's reservation, with a fake repository: the held push reserves the occurrence
 * (its end as the key, its start, kept 14 days past the end) and nothing else: no unit is
 * queued, the scheduled tick finds the reservation in the due index once the occurrence ends.
 */
function fakes(options: { reserved?: boolean } = {}) {
  const calls = { reserved: [] as unknown[] };
  const repository = {
    reserveSummary: async (key: unknown, start: string, expiresAt: number, check: unknown) => (calls.reserved.push({ key, start, expiresAt, check }), options.reserved ? 'taken' : 'reserved'),
  };
  // The account's check, in the reservation's transaction (an account deleted meanwhile: nothing written).
  const users = { accountCheck: (userId: string) => ({ ConditionCheck: { userId } }) };
  const deps = { summaries: repository, users } as unknown as Parameters<typeof holdForSummary>[0];
  return { deps, calls };
}

const span = { start: new Date('2026-11-24T21:00:00Z'), end: new Date('2026-11-25T06:00:00Z') };
const key = { userId: 'u1', windowEnd: '2026-11-25T06:00:00.000Z' };

describe('holdForSummary', () => {
  it('reserves the occurrence, kept 14 days past its end', async () => {
    const { deps, calls } = fakes();
    await holdForSummary(deps, 'u1', span);
    // 2026-11-25T06:00Z + 14 days = 2026-12-09T06:00Z = 1,796,796,000 s.
    expect(calls.reserved).toEqual([{ key, start: '2026-11-24T21:00:00.000Z', expiresAt: 1_796_796_000, check: { ConditionCheck: { userId: 'u1' } } }]);
  });

  it('does nothing more when the occurrence is reserved already', async () => {
    const { deps, calls } = fakes({ reserved: true });
    await expect(holdForSummary(deps, 'u1', span)).resolves.toBeUndefined();
    expect(calls.reserved).toHaveLength(1);
  });
});
