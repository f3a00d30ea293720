import type { FanOutJob, ObjectStorage, WorkQueue } from '@budgeting/platform';
import { userExportsPrefix } from '../domain/data-export';
import { EXPORTS_CLEANUP_JOB } from './names';

export interface ExportsCleanupUnit {
  userId: string;
  /** 1: right after the deletion; 2: after any export unit still in flight then has surely ended. */
  pass: 1 | 2;
}

/** How long after the deletion the second pass runs: longer than any unit's invocation (15 minutes). */
export const SECOND_PASS_AFTER_MS = 20 * 60 * 1000;

/**
 * Account deletion's part for data exports: DELETE /v1/me deletes the export items with the
 * account's other items and queues this unit, which deletes every object under
 * `exports/{userId}/`, a page at a time until its deadline (then again). An export unit that was
 * running during the deletion may still write a page after the first pass (it stops at its
 * next read of the gone export item), so a second pass follows SECOND_PASS_AFTER_MS later.
 */
export function exportsCleanupJob(deps: { storage: ObjectStorage; work: WorkQueue }): FanOutJob<ExportsCleanupUnit> {
  return {
    name: EXPORTS_CLEANUP_JOB,
    async work(unit, now, ctx) {
      const { deleted, finished } = await deps.storage.deletePrefix(userExportsPrefix(unit.userId), ctx.deadline);
      if (!finished) return { again: unit, done: deleted };
      if (unit.pass === 1) {
        await deps.work.enqueue(EXPORTS_CLEANUP_JOB, [{ userId: unit.userId, pass: 2 }], now, { notBefore: new Date(now.getTime() + SECOND_PASS_AFTER_MS) });
      }
      return { done: deleted };
    },
    parseUnit(raw) {
      const unit = raw as Partial<ExportsCleanupUnit> | null;
      if (!unit || typeof unit.userId !== 'string' || unit.userId.length === 0 || (unit.pass !== 1 && unit.pass !== 2)) {
        throw new Error('exports cleanup unit needs a userId and a pass (1 or 2)');
      }
      return { userId: unit.userId, pass: unit.pass };
    },
  };
}
