import { expect } from 'vitest';
import { expectProblem } from '../../support/problem';
import type { Harness, Team } from './harness';

/**
 * What every suggestion list (GET .../merchants, GET .../tags) answers alike: any member reads
 * the same answer (a viewer too), a stranger or an unknown budget gets 404, no token 401; a bad
 * `limit` or `q` is a 400 naming the field, an unknown parameter a 400.
 */
export async function expectSuggestionListGuards(h: Harness, team: Team, path: (budget: { id: string }, query?: string) => string): Promise<void> {
  const read = async (token: string) => {
    const res = await h.call('GET', path(team.budget), { token });
    expect(res.status, res.text).toBe(200);
    return res.json;
  };
  const owner = await read(team.owner.token);
  expect(await read(team.viewer.token)).toEqual(owner);
  expect(await read(team.editor.token)).toEqual(owner);
  expectProblem(await h.call('GET', path(team.budget), { token: team.stranger.token }), 404);
  expectProblem(await h.call('GET', path({ id: '01JDNOSUCHBUDGET0000000000' }), { token: team.owner.token }), 404);
  expectProblem(await h.call('GET', path(team.budget)), 401);

  for (const limit of ['0', '51', 'abc', '', '1e1']) {
    expectProblem(await h.call('GET', path(team.budget, `?limit=${limit}`), { token: team.owner.token }), 400, ['query.limit']);
  }
  for (const q of ['', '%20%20', '%E2%80%8B', 'x'.repeat(101)]) {
    expectProblem(await h.call('GET', path(team.budget, `?q=${q}`), { token: team.owner.token }), 400, ['query.q']);
  }
  expectProblem(await h.call('GET', path(team.budget, '?cursor=x'), { token: team.owner.token }), 400);
}
