import { decodeDueIndexCursor, encodeDueIndexCursor, nextDueIndexCursor, type FanOutJob, type PlanPage } from '@budgeting/platform';
import { SUMMARY_DUE_SHARDS } from '../repository/summaries.repository';
import { sendQuietSummary, type SummaryDeps } from '../service/quiet-summary';
import { QUIET_SUMMARY_JOB, QUIET_SUMMARY_SCHEDULE, type QuietSummaryUnit } from './names';

/** Due summaries per planner page (one unit each). */
const PAGE_SIZE = 100;

/**
 * The quiet-hours summary (service/quiet-summary.ts) as a scheduled fan-out job (platform
 * jobs/fan-out.ts), every 15 minutes (QUIET_SUMMARY_SCHEDULE). Nothing waits per user: the first
 * push an occurrence of a user's quiet hours holds reserves its summary with the due index's
 * keys (holdForSummary), and each tick:
 * 1. plan: pages the index's SUMMARY_DUE_SHARDS shards (gsi1) for the reservations whose
 *    occurrence ended at or before the tick, oldest first: no scan, no loop over users; a tick
 *    with nothing due is one Query per shard;
 * 2. work (one user's occurrence, its own invocation): the summary, pushed or not, after which
 *    the reservation leaves the index (the same UpdateItem as its `pushedAt`), so the next tick
 *    does not hand it out again. A unit whose last attempt fails takes it out too before it is
 *    dead-lettered (a replayed dead letter still works: it reads the reservation, not the index),
 *    so a summary that cannot be sent is not retried every 15 minutes until its TTL.
 *
 * As of the tick's time (a late tick sends what fell due meanwhile; a tick before an
 * occurrence's end never reads it). Safe to deliver twice: the reservation's `pushedAt`.
 */
export function quietSummaryJob(deps: SummaryDeps): FanOutJob<QuietSummaryUnit> {
  async function plan(now: Date, cursor: string | undefined): Promise<PlanPage<QuietSummaryUnit>> {
    const at = decodeDueIndexCursor(cursor, QUIET_SUMMARY_JOB);
    const page = await deps.summaries.summariesDue(at.shard, now.toISOString(), PAGE_SIZE, at.key);
    const next = nextDueIndexCursor(at, page.lastKey, SUMMARY_DUE_SHARDS);
    return {
      units: page.entries.map((e) => ({ userId: e.userId, start: e.windowStart, end: e.windowEnd })),
      ...(page.entries[0] ? { oldestDueAt: page.entries[0].windowEnd } : {}),
      ...(next ? { cursor: encodeDueIndexCursor(next) } : {}),
    };
  }

  return {
    name: QUIET_SUMMARY_JOB,
    schedule: QUIET_SUMMARY_SCHEDULE,
    plan,
    async work(unit, now, ctx) {
      // Handed over by hand (or replayed) before its occurrence ended: not yet.
      if (Date.parse(unit.end) > now.getTime()) return { notDue: true };
      try {
        const outcome = await sendQuietSummary(deps, unit);
        return { done: outcome === 'pushed' ? 1 : 0, report: { [outcome]: 1 } };
      } catch (err) {
        if (ctx.lastAttempt) await deps.summaries.unindexSummary({ userId: unit.userId, windowEnd: unit.end });
        throw err;
      }
    },
    parseUnit(raw) {
      const unit = raw as Partial<QuietSummaryUnit> | null;
      const instant = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));
      if (!unit || typeof unit.userId !== 'string' || unit.userId.length === 0 || !instant(unit.start) || !instant(unit.end)) {
        throw new Error('quiet summary unit needs a userId and the ISO-8601 start and end of the quiet hours');
      }
      return { userId: unit.userId, start: unit.start!, end: unit.end! };
    },
  };
}
