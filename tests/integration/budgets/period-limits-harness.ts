import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, expect } from 'vitest';
import { setClockFor, systemWithAccount } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';
import { as, signup, type Account } from './helpers';
import { tokenAtClock } from '../../support/actors';

/**
 * The set-up the per-period limit suites share (move-money.test.ts, period-limits.test.ts): a
 * test system on a fixed clock with an owner and three more accounts (to be made editor and
 * viewer, and one stranger), the clock moved with every token re-issued, and the owner's GETs.
 * `accounts` is filled by its beforeAll, which runs before the suite's own.
 */
export function periodLimitsSuite(start = '2026-09-05T09:00:00Z') {
  const clock = fixedClock(start);
  const accounts = {} as { t: TestSystem; owner: Account; editor: Account; viewer: Account; stranger: Account };
  beforeAll(async () => {
    const { t, account: owner } = await systemWithAccount(signup, 'owner', { clock });
    const [editor, viewer, stranger] = (await Promise.all(['editor', 'viewer', 'stranger'].map((l) => signup(t.app, l)))) as [Account, Account, Account];
    Object.assign(accounts, { t, owner, editor, viewer, stranger });
  });
  afterAll(() => accounts.t.destroy());

  /** Moves the clock, re-issuing every account's token (tokens live 15 minutes). */
  const setClock = async (when: string) => {
    const { t, owner, editor, viewer, stranger } = accounts;
    await setClockFor(t, clock, owner, when);
    for (const a of [editor, viewer, stranger]) a.token = await tokenAtClock(t, a);
  };
  const get = async (path: string) => {
    const res = await as(accounts.t.app, accounts.owner)('GET', path);
    expect(res.status, res.text).toBe(200);
    return res.json;
  };
  const line = (lines: { categoryId: string }[], id: string) => lines.find((l) => l.categoryId === id) as Record<string, unknown>;
  return { clock, accounts, setClock, get, line };
}
