import { describe, expect, it } from 'vitest';
import { archiveRaceSuite, expectArchived } from '../../support/archive-race';
import { withCommandMiddleware } from '../../support/command-middleware';
import { holdingFirstWrite } from '../../support/holding-commands';

/**
 * The archive audit's holes (feat/races18; packages/budgets/docs/budget-lifecycle.md "Archiving a
 * budget", "Audit: every budget-scoped write against the archive"): each write held past its
 * access read while the budget is archived, then let go. The rest of the table is held by
 * checks the earlier archive-race-*.test.ts files prove.
 */
const race = archiveRaceSuite();
const { call } = race;

/** The budget's categorization rules, as the owner reads them (reads stay allowed while archived). */
const rules = async (budgetId: string) => (await race.ok('GET', `/v1/budgets/${budgetId}/rules`, 200)).items.map((r: { merchant: unknown; renameTo?: string }) => [r.merchant, r.renameTo]);

const rename = (budgetId: string) =>
  call('POST', `/v1/budgets/${budgetId}/merchants/rename`, { body: { from: ['Kiosk', 'KIOSK 24'], to: 'Corner shop', remember: true }, headers: { prefer: 'wait=20' } });

describe('archive audit: the writes that held nothing', { timeout: 60_000 }, () => {
  it('merchant rename with remember: its second rule held while the budget is archived: 409, that rule refused, the first taken back', async () => {
    const b = await race.h.createBudget(race.team.owner);
    // The second spelling's create (only its item names 'KIOSK 24'), after the first rule was made.
    const res = await holdingFirstWrite(race.h.t, '"KIOSK 24"', () => race.archive(b.id), () => rename(b.id));
    expectArchived(res);
    expect(await rules(b.id)).toEqual([]);
  });

  it('merchant rename with remember: the archive committed after its rules, before its record: 409, its rules taken back, the rules there before kept', async () => {
    const b = await race.h.createBudget(race.team.owner);
    // There before the request: one identical to a spelling's (so not made again), one of the other spelling to another name.
    await race.ok('POST', `/v1/budgets/${b.id}/rules`, 201, { merchant: { equals: 'Kiosk' }, renameTo: 'Corner shop' });
    await race.ok('POST', `/v1/budgets/${b.id}/rules`, 201, { merchant: { equals: 'KIOSK 24' }, renameTo: 'Station kiosk' });
    const before = await rules(b.id);
    const res = await holdingFirstWrite(race.h.t, 'expenses#rename#', () => race.archive(b.id), () => rename(b.id));
    expectArchived(res);
    expect(await rules(b.id)).toEqual(before);
  });

  it('merchant rename with remember, refused after its rules, one removal failing: 500, only that rule left (the others still removed)', async () => {
    const b = await race.h.createBudget(race.team.owner);
    let failed = 0;
    const res = await withCommandMiddleware(
      race.h.t.doc,
      'failFirstRuleRemoval',
      (next, context) => async (args) => {
        const input = JSON.stringify(args.input);
        if (failed === 0 && context.commandName === 'TransactWriteItemsCommand' && input.includes('"Delete"') && input.includes('expenses#rule#')) {
          failed++;
          throw new Error('injected: the first rule removal fails');
        }
        return next(args);
      },
      () => holdingFirstWrite(race.h.t, 'expenses#rename#', () => race.archive(b.id), () => rename(b.id)),
    );
    expect([failed, res.status]).toEqual([1, 500]);
    expect(await rules(b.id)).toEqual([[{ equals: 'Kiosk' }, 'Corner shop']]);
  });

  it('a copy FROM an archived budget is allowed (it writes only the new budget): 201, an active copy, the source archived and unchanged', async () => {
    const b = await race.h.createBudget(race.team.owner);
    const archived = await race.archive(b.id);
    const res = await call('POST', `/v1/budgets/${b.id}/copy`, { body: { name: 'Next year' } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.archivedAt).toBeUndefined();
    expect(res.json.categories.map((c: { name: string }) => c.name)).toEqual(['Groceries', 'Transport']);
    const source = await race.ok('GET', `/v1/budgets/${b.id}`, 200);
    expect([source.version, source.archivedAt]).toEqual([archived.version, archived.archivedAt]);
  });
});
