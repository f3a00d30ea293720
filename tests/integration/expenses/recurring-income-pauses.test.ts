import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring, writeItemsOf } from '../../support/sent-commands';
import { recurringIncomeSuite } from './recurring-income-harness';

/**
 * Recurring income's pause history (packages/expenses/docs/income.md "Recurring income"), as the recurring
 * expenses' (recurring-status.test.ts): each PATCH `paused` recorded in the definition's
 * read-only `pauses` in the same write, the last 24 kept, and a definition written before the
 * history read as before (`pauses: []`). Dates are the budget's (UTC here) worked by hand.
 */
const BASE = '2026-10-05T12:00:00Z';
const suite = recurringIncomeSuite(BASE);
const { clock, req, fresh, schedule } = suite;
const on = (date: string) => clock.set(`${date}T12:00:00Z`);
const storedItem = async (id: string) => ((await suite.h.t.doc.send(new ScanCommand({ TableName: suite.h.t.tableName }))).Items ?? []).find((i) => i.kind === 'recurring-income' && i.id === id)!;

describe('recurring income: the pause history', { timeout: 120_000 }, () => {
  it('pause, resume, pause again: `pauses` lists both intervals on PATCH, GET and the list; read-only', async () => {
    const b = await fresh();
    const { url, def } = await schedule(b, { amount: 320000, source: 'Acme payroll', schedule: { frequency: 'weekly', interval: 2, startsOn: '2026-10-09' } });
    expect((def as unknown as { pauses: unknown }).pauses).toEqual([]);
    on('2026-10-12');
    expect((await req(suite.team.owner, 'PATCH', url, { body: { paused: true } })).json).toMatchObject({ paused: true, nextOccurrenceOn: null, pauses: [{ from: '2026-10-12', to: null }] });
    on('2026-11-02');
    const resumed = await req(suite.team.owner, 'PATCH', url, { body: { paused: false } });
    expect(resumed.json).toMatchObject({ paused: false, nextOccurrenceOn: '2026-11-06', pauses: [{ from: '2026-10-12', to: '2026-11-02' }] });
    // A skip keeps the history and joins it (its date, internal) in the same Put, as a recurring expense's.
    expect((await req(suite.team.owner, 'POST', `${url}/skip`)).json).toMatchObject({ nextOccurrenceOn: '2026-11-20', pauses: [{ from: '2026-10-12', to: '2026-11-02' }] });
    expect(await storedItem(def.id)).toMatchObject({ skippedDates: ['2026-11-06'], historySince: '2026-10-05' });
    on('2026-11-20');
    expect((await req(suite.team.owner, 'PATCH', url, { body: { paused: true } })).status).toBe(200);
    const both = [
      { from: '2026-10-12', to: '2026-11-02' },
      { from: '2026-11-20', to: null },
    ];
    expect((await req(suite.team.viewer, 'GET', url)).json.pauses).toEqual(both);
    const listed = await req(suite.team.viewer, 'GET', `/v1/budgets/${b.id}/recurring-income`);
    expect(listed.json.items[0].pauses).toEqual(both);
    // A second pause of a paused one adds none; a change of another field keeps the history.
    expect((await req(suite.team.owner, 'PATCH', url, { body: { amount: 330000 } })).json.pauses).toEqual(both);
    expectProblem(await req(suite.team.owner, 'PATCH', url, { body: { pauses: [] } }), 400, ['pauses']);
    // Set up paused: paused from its creation.
    const setUp = await schedule(b, { amount: 1000, schedule: { frequency: 'monthly' }, paused: true });
    expect((setUp.def as unknown as { pauses: unknown }).pauses).toEqual([{ from: '2026-11-20', to: null }]);
  });

  it('a pause is written in the same single Put as any PATCH: the same transaction, no item more', async () => {
    const b = await fresh();
    const { url } = await schedule(b, { amount: 1000, schedule: { frequency: 'monthly' } });
    const amount = await commandsSentDuring(suite.h.t.doc, () => req(suite.team.owner, 'PATCH', url, { body: { amount: 1100 } }));
    on('2026-10-08');
    const pause = await commandsSentDuring(suite.h.t.doc, () => req(suite.team.owner, 'PATCH', url, { body: { paused: true } }));
    expect(pause.result.status, pause.result.text).toBe(200);
    expect(pause.commands).toEqual(amount.commands);
    const kinds = (sent: typeof pause.sent) => (writeItemsOf(sent) as Record<string, any>[]).map((i) => Object.keys(i)[0]);
    expect(kinds(pause.sent)).toEqual(kinds(amount.sent));
    const put = (writeItemsOf(pause.sent) as Record<string, any>[])[0]!.Put.Item;
    expect(put).toMatchObject({ kind: 'recurring-income', paused: true, pauses: [{ from: '2026-10-08', to: null }], historySince: '2026-10-05' });
  });

  it('the last 24 pauses are kept; a pause resumed the day it began is not kept', async () => {
    const b = await fresh();
    const { url } = await schedule(b, { amount: 1000, schedule: { frequency: 'monthly', startsOn: '2026-10-28' } });
    on('2026-10-06');
    await req(suite.team.owner, 'PATCH', url, { body: { paused: true } });
    expect((await req(suite.team.owner, 'PATCH', url, { body: { paused: false } })).json.pauses).toEqual([]);
    // 25 pauses, each from day 2k to day 2k+1 counted from Oct 6 (Oct 6..Nov 24: day 48 is Nov 23).
    const day = (n: number) => new Date(Date.UTC(2026, 9, 6 + n)).toISOString().slice(0, 10);
    for (let k = 0; k < 25; k++) {
      on(day(2 * k));
      expect((await req(suite.team.owner, 'PATCH', url, { body: { paused: true } })).status).toBe(200);
      on(day(2 * k + 1));
      expect((await req(suite.team.owner, 'PATCH', url, { body: { paused: false } })).status).toBe(200);
    }
    const pauses = (await req(suite.team.owner, 'GET', url)).json.pauses;
    expect(pauses).toHaveLength(24);
    // The first (Oct 6 to Oct 7) dropped: the kept ones begin Oct 8.
    expect(pauses[0]).toEqual({ from: '2026-10-08', to: '2026-10-09' });
    expect(pauses[23]).toEqual({ from: '2026-11-23', to: '2026-11-24' });
    // What was dropped moves where the history begins past it.
    expect((await storedItem(url.split('/').at(-1)!)).historySince).toBe('2026-10-07');
  });

  it('a definition written before the history: no `pauses` stored, GET reads `pauses: []`; its history begins at its next pause or resume', async () => {
    const b = await fresh();
    const { url, def } = await schedule(b, { amount: 1000, schedule: { frequency: 'monthly', startsOn: '2026-10-28' } });
    const item = await storedItem(def.id);
    // A new definition's history begins on its creation; nothing else is stored (no pause yet).
    expect(item.historySince).toBe('2026-10-05');
    expect(item).not.toHaveProperty('pauses');
    await suite.h.t.doc.send(new UpdateCommand({ TableName: suite.h.t.tableName, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'REMOVE historySince' }));
    const read = await req(suite.team.owner, 'GET', url);
    expect(read.json).toMatchObject({ id: def.id, nextOccurrenceOn: '2026-10-28', paused: false, version: 1, pauses: [] });
    expect(await storedItem(def.id)).not.toHaveProperty('historySince'); // a read writes nothing
    on('2026-10-10');
    expect((await req(suite.team.owner, 'PATCH', url, { body: { paused: true } })).json.pauses).toEqual([{ from: '2026-10-10', to: null }]);

    // One paused before the history: its pause's start is not known, so a resume keeps none.
    const old = await schedule(b, { amount: 1000, schedule: { frequency: 'monthly' }, paused: true });
    const oldItem = await storedItem(old.def.id);
    await suite.h.t.doc.send(new UpdateCommand({ TableName: suite.h.t.tableName, Key: { pk: oldItem.pk, sk: oldItem.sk }, UpdateExpression: 'REMOVE historySince, pauses' }));
    expect((await req(suite.team.owner, 'GET', old.url)).json).toMatchObject({ paused: true, pauses: [] });
    on('2026-10-20');
    expect((await req(suite.team.owner, 'PATCH', old.url, { body: { paused: false } })).json).toMatchObject({ paused: false, pauses: [] });
    expect((await storedItem(old.def.id)).historySince).toBe('2026-10-20');
  });
});
