import { fixedClock } from '@budgeting/platform';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { asAtClock } from '../../support/actors';
import type { CallOptions } from '../../support/http';
import { runRecurringJob as runTheRecurringJob } from '../../support/recurring-job';
import { createHarness, type Budget, type Harness, type Team, type User } from './harness';

/**
 * What the recurring-expense suites share: a harness on a fixed clock reset to `start` before
 * each test, one owner, HTTP calls as the owner with a token valid at the clock's current
 * time, one run of the real recurring job, and clean-up of the definitions a test created
 * (push their URLs to `created`): the job sees every definition of the table, so each test
 * removes its own and runs stay its own. Call it at the top level of a test file. With `team`
 * (createBudget's options), the owner is that of a team (Harness.team: a budget, an editor, a
 * viewer and a stranger), read by `team()`.
 */
export function recurringSuite(start: string, o: { team?: Parameters<Harness['team']>[0] } = {}) {
  const clock = fixedClock(start);
  const created: string[] = [];
  let h: Harness | undefined;
  let owner: User | undefined;
  let team: Team | undefined;
  const harness = () => h ?? (() => { throw new Error('recurringSuite: used before its beforeAll ran'); })();

  const req = (method: string, url: string, options: { body?: unknown } = {}) => callAs(harness(), owner!, method, url, options);

  beforeAll(async () => {
    h = await createHarness({ clock });
    if (o.team) {
      team = await h.team(o.team);
      owner = team.owner;
    } else {
      owner = await h.signup('owner');
    }
  });
  beforeEach(() => clock.set(start));
  afterEach(async () => {
    clock.set(start);
    for (const url of created.splice(0)) await req('DELETE', url);
  });
  afterAll(() => h?.destroy());

  return {
    clock,
    created,
    req,
    harness,
    owner: () => owner!,
    team: () => team ?? (() => { throw new Error('recurringSuite: no team (give `team`), or used before its beforeAll ran'); })(),
    /** One run of the recurring job (the module's own, loaded as Lambda loads it). */
    run: () => runRecurringJob(harness()),
    collection: (b: Budget) => `/v1/budgets/${b.id}/recurring-expenses`,
    /** The budget's expenses (first 100), oldest first: what the job has recorded so far. */
    async expensesOf<T = Record<string, unknown>>(b: Budget): Promise<T[]> {
      const res = await req('GET', `/v1/budgets/${b.id}/expenses?limit=100`);
      expect(res.status, res.text).toBe(200);
      return (res.json.items as T[]).reverse();
    },
  };
}

/** An HTTP call as `who` with a token valid at the clock's current time (the suites move it). */
export function callAs(h: Harness, who: User, method: string, url: string, options: Omit<CallOptions, 'token'> = {}) {
  return asAtClock(h.t, who)(method, url, options);
}

/** One run of the recurring job: the module's own, loaded as Lambda loads it. */
export function runRecurringJob(h: Harness) {
  return runTheRecurringJob(h.t);
}
