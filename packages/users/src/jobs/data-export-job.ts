import type { FanOutJob } from '@budgeting/platform';
import type { DataExportWork, ExportUnit } from '../service/data-export-work';
import { DATA_EXPORT_JOB } from './names';

/**
 * The data export as a fan-out job without a schedule (service/data-export-work.ts): POST
 * /v1/me/export queues its first units, each unit queues what follows. A unit out of time
 * comes back as its rest (`again`); one that fails its last attempt fails the export, so it
 * never reads `running` for ever and the user may start another.
 */
export function dataExportJob(work: DataExportWork): FanOutJob<ExportUnit> {
  return {
    name: DATA_EXPORT_JOB,
    async work(unit, _now, ctx) {
      try {
        const again = await work.work(unit, ctx.deadline);
        return again ? { again } : { done: 1 };
      } catch (err) {
        if (ctx.lastAttempt) await work.fail(unit, err as Error);
        throw err;
      }
    },
    parseUnit: parseExportUnit,
  };
}

const STEPS = ['account', 'plan', 'budget', 'assemble'];

export function parseExportUnit(raw: unknown): ExportUnit {
  const u = raw as Record<string, unknown> | null;
  const str = (v: unknown) => typeof v === 'string' && v.length > 0;
  const count = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
  if (!u || !str(u.userId) || !str(u.exportId) || !STEPS.includes(u.step as string)) throw new Error('export unit needs userId, exportId and a step');
  if (u.cursor !== undefined && !str(u.cursor)) throw new Error('export unit cursor must be a string');
  if ((u.step === 'account' || u.step === 'budget') && (!count(u.section) || !count(u.seq))) throw new Error('export unit needs section and seq');
  if (u.step === 'plan' && !count(u.page)) throw new Error('export plan unit needs a page');
  if (u.step === 'budget' && (!str(u.budgetId) || !count(u.index))) throw new Error('export budget unit needs budgetId and index');
  if (u.step === 'budget' && u.role !== undefined && !['owner', 'editor', 'viewer'].includes(u.role as string)) throw new Error('export budget unit role is unknown');
  if (u.step === 'assemble' && u.resume !== undefined && (typeof u.resume !== 'object' || !count((u.resume as { next?: unknown }).next))) {
    throw new Error('export assemble unit resume is malformed');
  }
  const unit: unknown = u;
  return unit as ExportUnit;
}
