import { expect } from 'vitest';
import type { call } from './http';

type Answer = Awaited<ReturnType<typeof call>>;

/** How the rounds of a record-next vs job race ended. */
export interface RaceOutcomes {
  callRecordedIt: number;
  jobRecordedIt: number;
  callCameAfter: number;
  neither: number;
}

/**
 * record-next raced against the scheduled job for a due occurrence, `rounds` times: the race
 * tests of recurring expenses (recurring-record-next.test.ts) and of recurring income
 * (recurring-income-actions.test.ts) share it, so what each outcome must leave is written
 * once. Each round sets up a daily definition starting on `due` (the round's `amount` tells
 * its records apart), runs the job and, after a delay, the call, then checks: no date recorded
 * twice, `due` recorded, and per outcome (the call won `due`; it came after the job and
 * recorded the next date, as asked; it lost between its read and its write: 409 naming `due`,
 * nothing recorded; a transaction conflict: 503, nothing written) the dates and the
 * definition's nextOccurrenceOn and version. The job pages the due index before it reads the
 * definition, so a call sent at the same instant nearly always wins: the delay homes in on the
 * point where the winner flips. Each round's definition is removed at its end.
 */
export async function raceRecordNextWithJob(o: {
  rounds: number;
  /** The due date (the definitions' startsOn) and the two after it. */
  dates: [due: string, next: string, after: string];
  setUp(amount: number): Promise<{ url: string; recordNext: string }>;
  run(): Promise<unknown>;
  call(recordNext: string): Promise<Answer>;
  /** The date a 200 answer recorded (its expense's occurredOn, its income's receivedOn). */
  calledDate(answer: Answer): string;
  recordedDates(amount: number): Promise<string[]>;
  definition(url: string): Promise<{ nextOccurrenceOn: string | null; version: number }>;
  remove(url: string): Promise<void>;
}): Promise<RaceOutcomes> {
  const [due, next, after] = o.dates;
  const outcomes: RaceOutcomes = { callRecordedIt: 0, jobRecordedIt: 0, callCameAfter: 0, neither: 0 };
  let delay = 0;
  let step = 16;
  const aim = (callWon: boolean) => {
    if (!callWon && step === 16) step = 2; // the first flip: from now on, around it
    delay = Math.max(0, delay + (callWon ? 1 : -1) * (step + (step === 16 ? 0 : Math.floor(Math.random() * 2))));
  };
  for (let round = 0; round < o.rounds; round++) {
    const amount = 5_000 + round; // tells this round's records apart
    const { url, recordNext } = await o.setUp(amount);
    const [, called] = await Promise.all([o.run(), new Promise((r) => setTimeout(r, delay)).then(() => o.call(recordNext))]);
    const dates = await o.recordedDates(amount);
    const definition = await o.definition(url);
    // Whoever won, no date is recorded twice; the due one is recorded.
    expect(new Set(dates).size, `round ${round}: ${dates.join(', ')}`).toBe(dates.length);
    expect(dates[0], `round ${round}`).toBe(due);
    if (called.status === 200 && o.calledDate(called) === due) {
      // The call won the due occurrence: the job recorded nothing.
      expect(dates).toEqual([due]);
      expect(definition).toMatchObject({ nextOccurrenceOn: next, version: 2 });
      outcomes.callRecordedIt++;
      aim(true);
    } else if (called.status === 200) {
      // The job was done before the call read the definition: the call recorded the next one, as asked.
      expect(o.calledDate(called)).toBe(next);
      expect(dates).toEqual([due, next]);
      expect(definition).toMatchObject({ nextOccurrenceOn: after, version: 2 });
      outcomes.callCameAfter++;
      aim(false);
    } else if (called.status === 409) {
      // The job won between the call's read and its write: the call recorded nothing, not the next date instead.
      expect(called.json.detail, called.text).toMatch(new RegExp(due));
      expect(dates).toEqual([due]);
      expect(definition).toMatchObject({ nextOccurrenceOn: next, version: 1 });
      outcomes.jobRecordedIt++;
      aim(false);
    } else {
      expect(called.status, called.text).toBe(503); // a transaction conflict: nothing written by the call
      expect(definition.version).toBe(1);
      outcomes.neither++;
    }
    await o.remove(url);
  }
  return outcomes;
}
