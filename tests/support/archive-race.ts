import { afterAll, beforeAll, expect } from 'vitest';
import { createHarness, type Harness, type Team } from '../integration/expenses/harness';
import type { CallOptions } from './http';
import { holdingWrites } from './holding-writes';
import { expectProblem } from './problem';

export { holdingWrites };

/** The archive's 409 (budgets README "Archiving a budget"). */
export function expectArchived(res: { status: number; headers: Headers; json: any; text: string }) {
  expectProblem(res, 409);
  expect(res.json.type).toMatch(/budget-archived$/);
}

/**
 * The archive race tests' one preamble: an expenses harness (its `createHarness` options, e.g. a
 * clock) and a team with a Groceries budget, made before the file's tests and destroyed after;
 * requests as the team's owner; archive and unarchive; and a write held past its access check
 * while the budget is archived. `h` and `team` are read after the file's beforeAll ran.
 */
export function archiveRaceSuite(options: Parameters<typeof createHarness>[0] = {}) {
  let h: Harness | undefined;
  let team: Team | undefined;
  beforeAll(async () => {
    h = await createHarness(options);
    team = await h.team({ categories: ['Groceries'] });
  });
  afterAll(() => h?.destroy());

  const harness = () => h ?? expect.fail('archiveRaceSuite: used before its beforeAll');
  const owner = () => team ?? expect.fail('archiveRaceSuite: used before its beforeAll');
  /** A request as the team's owner. */
  const call = (method: string, url: string, opts: CallOptions = {}) => harness().call(method, url, { token: owner().owner.token, ...opts });
  const req = (method: string, url: string, body?: unknown) => call(method, url, body === undefined ? {} : { body });
  /** `req`, expecting `status`: its JSON. */
  const ok = async (method: string, url: string, status: number, body?: unknown) => {
    const res = await req(method, url, body);
    expect(res.status, res.text).toBe(status);
    return res.json;
  };
  const archive = (budgetId: string) => ok('POST', `/v1/budgets/${budgetId}/archive`, 200);
  const unarchive = (budgetId: string) => ok('POST', `/v1/budgets/${budgetId}/unarchive`, 200);
  /** `work` with every transaction naming `marker` held until the budget is archived: its result. */
  const heldOn = <T>(budgetId: string, marker: string, work: () => Promise<T>) => holdingWrites(harness().t, marker, () => archive(budgetId), work).then((r) => r.result);

  return {
    get h(): Harness {
      return harness();
    },
    get team(): Team {
      return owner();
    },
    call,
    req,
    ok,
    archive,
    unarchive,
    heldOn,
    /** holdingWrites on this file's system. */
    holding: <T>(marker: string, meanwhile: (() => Promise<unknown>) | undefined, work: () => Promise<T>) => holdingWrites(harness().t, marker, meanwhile, work),
    /** `method url` held past its access check (its transaction names `marker`) while the budget is archived: the 409; then unarchived. */
    async refusedWhileArchiving(budgetId: string, marker: string, method: string, url: string, body?: unknown) {
      const res = await heldOn(budgetId, marker, () => req(method, url, body));
      expectArchived(res);
      await unarchive(budgetId);
      return res;
    },
  };
}
