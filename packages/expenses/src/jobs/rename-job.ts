import type { FanOutJob } from '@budgeting/platform';
import type { RenameJobService, RenameUnit } from '../service/rename-job.service';

/**
 * A rename (a merchant's: MERCHANT_RENAME_JOB, a tag's: TAG_RENAME_JOB; the service's kind says
 * which) as a fan-out job without a schedule: POST /merchants/rename or /tags/rename queues unit 0,
 * and each delivery works ONE page of the budget's expenses (RenameJobService.workUnit,
 * idempotent) and hands back the next page's unit as `again`, which the runner queues for
 * another invocation: no invocation loops over the budget. A unit that fails its last attempt
 * fails the rename, so it does not read `running` for ever; one killed before it can is caught
 * by the stall rule on read and the rename's watchdog (rename-watchdog-job.ts).
 */
export function renameJob(name: string, label: string, service: Pick<RenameJobService, 'workUnit' | 'failUnit'>): FanOutJob<RenameUnit> {
  return {
    name,
    async work(unit, _now, ctx) {
      try {
        const { next, renamed } = await service.workUnit(unit, ctx.deadline);
        return { done: renamed, ...(next ? { again: next } : {}) };
      } catch (err) {
        if (ctx.lastAttempt) await service.failUnit(unit, err as Error);
        throw err;
      }
    },
    parseUnit(raw) {
      const unit = raw as Partial<RenameUnit> | null;
      if (
        !unit ||
        typeof unit.budgetId !== 'string' ||
        typeof unit.renameId !== 'string' ||
        !Number.isInteger(unit.n) ||
        unit.n! < 0 ||
        (unit.after !== undefined && typeof unit.after !== 'string')
      ) {
        throw new Error(`${label} unit needs budgetId, renameId, a page number and an optional cursor`);
      }
      return { budgetId: unit.budgetId, renameId: unit.renameId, n: unit.n!, ...(unit.after === undefined ? {} : { after: unit.after }) };
    },
  };
}
