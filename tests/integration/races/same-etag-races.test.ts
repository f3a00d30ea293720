import { describe, expect, it } from 'vitest';
import { addMember, as } from '../../support/actors';
import { archiveRaceSuite } from '../../support/archive-race';

/**
 * Pairs of writes of one expense sent at the same moment, round after round: two PATCHes with
 * the same If-Match (exactly one wins, the other is a 412 and changed nothing), and a PATCH
 * against a DELETE (the expense ends deleted or changed as ONE order would leave it, and the
 * budget's total is that of the expenses left).
 */
const race = archiveRaceSuite();
const ROUNDS = 10;

describe('two writes of one expense at once', { timeout: 120_000 }, () => {
  it('two PATCHes with the same If-Match: exactly one 200, the other 412, the stored expense is the winner', async () => {
    const { h, team } = race;
    const budget = await h.createBudget(team.owner, { categories: ['Groceries'] });
    await addMember(h.app, team.owner, budget.id, team.editor, 'editor');
    for (let round = 0; round < ROUNDS; round++) {
      const made = await race.call('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 100, occurredOn: '2026-11-10' } });
      expect(made.status, made.text).toBe(201);
      const url = `/v1/budgets/${budget.id}/expenses/${made.json.id}`;
      const answers = await Promise.all(
        [200 + round, 300 + round].map((amount, n) =>
          as(h.app, n === 0 ? team.owner : team.editor)('PATCH', url, { body: { amount }, headers: { 'if-match': '"1"' } }),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses, answers.map((a) => a.text).join('\n')).toEqual([200, 412]);
      const winner = answers.find((a) => a.status === 200)!;
      const stored = await race.call('GET', url);
      expect([stored.json.amount, stored.json.version]).toEqual([winner.json.amount, 2]);
    }
  });

  it('a PATCH and a DELETE at once: deleted (the PATCH applied first, or 404) and the total is the sum of what is left', async () => {
    const { h, team } = race;
    const budget = await h.createBudget(team.owner, { categories: ['Groceries'] });
    await addMember(h.app, team.owner, budget.id, team.editor, 'editor');
    for (let round = 0; round < ROUNDS; round++) {
      const made = await race.call('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 1000, occurredOn: '2026-11-12' } });
      const url = `/v1/budgets/${budget.id}/expenses/${made.json.id}`;
      const [patched, deleted] = await Promise.all([
        as(h.app, team.editor)('PATCH', url, { body: { amount: 5 } }),
        as(h.app, team.owner)('DELETE', url),
      ]);
      expect(deleted.status, deleted.text).toBe(204);
      expect([200, 404], patched.text).toContain(patched.status);
      expect((await race.call('GET', url)).status).toBe(404);
    }
    const left = await h.listExpenses(budget, team.owner.token);
    expect(left).toEqual([]);
    const summary = await race.call('GET', `/v1/budgets/${budget.id}/summary?date=2026-11-12`);
    expect(summary.json.spent).toBe(0);
  });
});
