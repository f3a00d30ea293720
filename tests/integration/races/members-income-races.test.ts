import { describe, expect, it } from 'vitest';
import { addMember, as, signUp } from '../../support/actors';
import { expectProblem } from '../../support/problem';
import { archiveRaceSuite } from '../../support/archive-race';
import { withCommandMiddleware } from '../../support/command-middleware';

/**
 * A write naming other members (`sharedWith`, `sharedAmounts`: packages/budgets/docs/settle-up.md)
 * whose transaction is held until one of the named members was removed (the removal answered,
 * the owner having read what is stored). Removal first, the write is a 400 naming the entry
 * (`sharedWith.<n>`, `sharedAmounts.<n>.userId`) and stores nothing; the raced write must end
 * the same way: nothing naming someone who was no member when it was written is stored (no
 * recurring definition whose every future occurrence owes a former member money).
 */
const race = archiveRaceSuite();

/** A budget with the team's editor (the writer) and a mate (the member removed). */
async function household() {
  const { h, team } = race;
  const budget = await h.createBudget(team.owner, { categories: ['Groceries'] });
  await addMember(h.app, team.owner, budget.id, team.editor, 'editor');
  const mate = await signUp(h.app, 'mate');
  await addMember(h.app, team.owner, budget.id, mate, 'editor');
  return { budget, mate };
}

const editor = () => as(race.h.app, race.team.editor);
const recurring = (budgetId: string) => `/v1/budgets/${budgetId}/recurring-expenses`;
const removing = (budgetId: string, userId: string) => async () => expect((await race.req('DELETE', `/v1/budgets/${budgetId}/members/${userId}`)).status).toBe(204);
/** What is stored of the budget's definitions, as the owner lists them. */
const definitions = async (budgetId: string) => {
  const res = await race.req('GET', recurring(budgetId));
  expect(res.status, res.text).toBe(200);
  return res.json.items.map((d: any) => ({ amount: d.amount, sharedWith: d.sharedWith ?? null, sharedAmounts: d.sharedAmounts ?? null }));
};

describe('a write naming members against one of them being removed', { timeout: 120_000 }, () => {
  it('a recurring definition created sharing with a member removed meanwhile: the 400 naming sharedWith.1, nothing stored', async () => {
    const { budget, mate } = await household();
    const note = `def-create-${budget.id}`;
    const body = { amount: 1_200, description: note, sharedWith: [race.team.owner.id, mate.id], schedule: { frequency: 'monthly' } };
    let seen: unknown[] = ['not read'];
    const { result: created } = await race.holding(
      note,
      async () => {
        await removing(budget.id, mate.id)();
        seen = await definitions(budget.id);
      },
      () => editor()('POST', recurring(budget.id), { body }),
    );
    expect(seen).toEqual([]);
    expectProblem(created, 400);
    expect(created.json.errors).toEqual([{ path: 'sharedWith.1', message: 'Not a member of this budget' }]);
    expect(await definitions(budget.id)).toEqual([]);
    // Sent again after the removal (no race): the same 400.
    const again = await editor()('POST', recurring(budget.id), { body });
    expectProblem(again, 400);
    expect(again.json.errors).toEqual(created.json.errors);
  });

  it('a keyed recurring definition create failing on a removed member, added back before any re-read: the 400 of the failed check, not "key in use"; the key free for its retry', async () => {
    const { budget, mate } = await household();
    const note = `def-keyed-${budget.id}`;
    const body = { amount: 900, description: note, sharedWith: [mate.id], schedule: { frequency: 'monthly' } };
    const send = () => editor()('POST', recurring(budget.id), { body, headers: { 'Idempotency-Key': `k-${budget.id}` } });
    // The write's transaction runs with the mate removed, and the mate is back as soon as it failed.
    const created = await withCommandMiddleware(
      race.h.t.doc,
      'removedDuringTheWrite',
      (next, context) => async (args) => {
        if (context.commandName !== 'TransactWriteItemsCommand' || !JSON.stringify(args.input).includes(note)) return next(args);
        await removing(budget.id, mate.id)();
        try {
          return await next(args);
        } finally {
          await addMember(race.h.app, race.team.owner, budget.id, mate, 'editor');
        }
      },
      send,
    );
    // The membership was gone when the write committed: as an expense's write, the 400 naming the
    // entry; this attempt's lease was never taken over, nothing may say another attempt holds it.
    expectProblem(created, 400);
    expect(created.json.errors).toEqual([{ path: 'sharedWith.0', message: 'Not a member of this budget' }]);
    expect(await definitions(budget.id)).toEqual([]);
    const retried = await send();
    expect(retried.status, retried.text).toBe(201);
    expect(await definitions(budget.id)).toEqual([{ amount: 900, sharedWith: [mate.id], sharedAmounts: null }]);
  });

  it('a recurring definition PATCHed to owe a member removed meanwhile (sharedAmounts): the 400 naming sharedAmounts.1.userId, unchanged', async () => {
    const { budget, mate } = await household();
    const made = await editor()('POST', recurring(budget.id), { body: { amount: 1_000, schedule: { frequency: 'monthly' } } });
    expect(made.status, made.text).toBe(201);
    const note = `def-patch-${budget.id}`;
    const sharedAmounts = [{ userId: race.team.editor.id, amount: 400 }, { userId: mate.id, amount: 600 }];
    const { result: patched } = await race.holding(note, removing(budget.id, mate.id), () =>
      editor()('PATCH', `${recurring(budget.id)}/${made.json.id}`, { body: { description: note, sharedAmounts } }),
    );
    expectProblem(patched, 400);
    expect(patched.json.errors).toEqual([{ path: 'sharedAmounts.1.userId', message: 'Not a member of this budget' }]);
    expect(await definitions(budget.id)).toEqual([{ amount: 1_000, sharedWith: null, sharedAmounts: null }]);
  });

  it('an expense created owing a member removed meanwhile (sharedAmounts, the one-request create): the 400, nothing recorded (held)', async () => {
    const { budget, mate } = await household();
    const note = `exp-create-${budget.id}`;
    const sharedAmounts = [{ userId: race.team.editor.id, amount: 300 }, { userId: mate.id, amount: 200 }];
    const { result: created } = await race.holding(note, removing(budget.id, mate.id), () =>
      editor()('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 500, occurredOn: '2026-11-10', description: note, sharedAmounts } }),
    );
    expectProblem(created, 400);
    expect(created.json.errors).toEqual([{ path: 'sharedAmounts.1.userId', message: 'Not a member of this budget' }]);
    expect(await race.h.listExpenses(budget, race.team.owner.token)).toEqual([]);
  });
});
