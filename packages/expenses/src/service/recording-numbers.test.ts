import type { ModuleStore } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { ChangeLog, RECENT_SLOTS, changeShardOf, recentSlotValue } from '../repository/change-log';
import { advancedOver } from './changes.service';

/**
 * ChangeLog.recordingNumbers (a keyed push retry's recordNext that finds its entry recorded,
 * recurring-definition.ts foundRecording) against a counter written as incrementItem writes one:
 * each change in slot r<seq % RECENT_SLOTS>. Review 55d: how far back the recording is still
 * found, and that a pair it claims which is not the recording's never moves a token past a change.
 */
const ENTRY = '01JENTRY00000000000000000A';
const DEFINITION = '01JDEFINITION0000000000000';
const SHARD = changeShardOf(ENTRY);

type Change = { id: string; income?: boolean; recurring?: boolean };
/** The counter item after `changes`, numbered 1, 2, ... in order, as the increments leave it. */
function counter(changes: Change[]) {
  const item: Record<string, unknown> = { pk: 'p', sk: 's', seq: changes.length };
  changes.forEach((c, i) => {
    const seq = i + 1;
    item[`r${seq % RECENT_SLOTS}`] = recentSlotValue(seq, c.id, false, c.income === true, c.recurring === true);
  });
  return item;
}
function logOver(item: Record<string, unknown>) {
  const reads: { ConsistentRead?: boolean }[] = [];
  const store = {
    key: (...parts: (string | number)[]) => `expenses#${parts.join('#')}`,
    get: async (input: { ConsistentRead?: boolean }) => {
      reads.push(input);
      return item;
    },
  } as unknown as ModuleStore;
  return { log: new ChangeLog(store), reads };
}
const others = (n: number): Change[] => Array.from({ length: n }, (_, i) => ({ id: `01JOTHER${String(i).padStart(18, '0')}` }));
/** A recording's two changes: the entry's, then the definition's riding on its counter. */
const recording = (income = false): Change[] => [
  { id: ENTRY, income },
  { id: DEFINITION, income, recurring: true },
];

describe('the numbers a recording took, found on its entry counter (ChangeLog.recordingNumbers)', () => {
  for (const income of [false, true]) {
    it(`${income ? 'income' : 'expense'}: found with 6 changes of the shard after it, not with 7 (its entry's slot overwritten)`, async () => {
      // Numbers: 1..3 before, the recording 4 and 5, then the shard's later changes.
      const before = others(3);
      const six = logOver(counter([...before, ...recording(income), ...others(6)]));
      expect(await six.log.recordingNumbers('B1', ENTRY, DEFINITION, income)).toEqual([
        { shard: SHARD, seq: 4 },
        { shard: SHARD, seq: 5 },
      ]);
      expect(six.reads.map((r) => r.ConsistentRead)).toEqual([true]);
      const seven = logOver(counter([...before, ...recording(income), ...others(7)]));
      expect(await seven.log.recordingNumbers('B1', ENTRY, DEFINITION, income)).toEqual([]);
      // The other kind's recording is never taken for this one.
      expect(await six.log.recordingNumbers('B1', ENTRY, DEFINITION, !income)).toEqual([]);
    });
  }

  it("a later pair it claims once the recording left the slots (another member's PATCH of the entry, then a change of the definition on that counter) never moves the token: the recording's number, not claimed, stops it", async () => {
    // The client's token: 3 on this shard. The recording took 4 and 5; then 7 changes of the shard
    // (the last two: another member's PATCH of the entry, 11, and the definition's PATCH, 12, its
    // own counter being this one).
    const { log } = logOver(counter([...others(3), ...recording(), ...others(5), { id: ENTRY }, { id: DEFINITION, recurring: true }]));
    const claimed = await log.recordingNumbers('B1', ENTRY, DEFINITION, false);
    expect(claimed).toEqual([
      { shard: SHARD, seq: 11 },
      { shard: SHARD, seq: 12 },
    ]);
    const token = Array.from({ length: 16 }, () => 0);
    token[SHARD] = 3;
    expect(advancedOver(token, claimed)).toEqual(token);
  });
});

/**
 * ChangeLog.ownNumbers (feat/push56: a push's retried create that finds its item claims its
 * first attempt's number; a skip's claim was removed by review 56a): the item's kept changes of its own
 * kind on its own counter, oldest first, deletions left out.
 */
describe("an item's numbers kept on its own counter (ChangeLog.ownNumbers)", () => {
  const ID = ENTRY;
  const kinds = [
    { name: 'expense', income: false, recurring: false },
    { name: 'income', income: true, recurring: false },
    { name: 'recurringExpense', income: false, recurring: true },
    { name: 'recurringIncome', income: true, recurring: true },
  ];
  for (const kind of kinds) {
    it(`${kind.name}: its changes oldest first, never another kind's of the same id; none once overwritten`, async () => {
      const mine: Change = { id: ID, income: kind.income, recurring: kind.recurring };
      // Another kind under the same id (ids are per kind), numbered between the item's two changes.
      const otherKind: Change = { id: ID, income: !kind.income, recurring: kind.recurring };
      const { log, reads } = logOver(counter([...others(2), mine, otherKind, ...others(1), mine]));
      expect(await log.ownNumbers('B1', ID, kind)).toEqual([
        { shard: SHARD, seq: 3 },
        { shard: SHARD, seq: 6 },
      ]);
      expect(reads.map((r) => r.ConsistentRead)).toEqual([true]);
      // RECENT_SLOTS changes of the shard after it: its slot overwritten, nothing claimed.
      expect(await logOver(counter([mine, ...others(RECENT_SLOTS)])).log.ownNumbers('B1', ID, kind)).toEqual([]);
    });
  }

  it('leaves a deletion out (a deleted item answers no create) and reads a counter never written as none', async () => {
    const item = counter([{ id: ID }, ...others(1)]);
    item[`r${3 % RECENT_SLOTS}`] = recentSlotValue(3, ID, true);
    item.seq = 3;
    expect(await logOver(item).log.ownNumbers('B1', ID, { income: false, recurring: false })).toEqual([{ shard: SHARD, seq: 1 }]);
    const none = { log: new ChangeLog({ key: (...p: (string | number)[]) => p.join('#'), get: async () => undefined } as unknown as ModuleStore) };
    expect(await none.log.ownNumbers('B1', ID, { income: false, recurring: false })).toEqual([]);
  });
});
