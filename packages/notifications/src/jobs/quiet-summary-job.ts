import type { FanOutJob } from '@budgeting/platform';
import { sendQuietSummary, type SummaryDeps } from '../service/quiet-summary';
import { QUIET_SUMMARY_JOB, type QuietSummaryUnit } from './names';

/**
 * The quiet-hours summary (service/quiet-summary.ts), a fan-out job without a schedule: the
 * first push an occurrence of a user's quiet hours holds queues ONE unit (holdForSummary),
 * held (WorkQueue `notBefore`, in hops of at most 15 minutes) until the occurrence ends. Safe
 * to deliver twice: the summary's push is marked on its reservation once sent.
 */
export function quietSummaryJob(deps: SummaryDeps): FanOutJob<QuietSummaryUnit> {
  return {
    name: QUIET_SUMMARY_JOB,
    async work(unit) {
      await sendQuietSummary(deps, unit);
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
