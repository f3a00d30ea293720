import type { FanOutJob } from '@budgeting/platform';
import type { CsvImportService, ImportUnit } from '../service/csv-import.service';
import { CSV_IMPORT_JOB } from './names';

/**
 * CSV import as a fan-out job without a schedule: POST /expenses/import queues one unit per
 * chunk of the file, and each delivery records one chunk's rows (CsvImportService.workChunk,
 * idempotent). A chunk that runs out of its invocation's time comes back as the same unit; one
 * that fails its last attempt fails the import.
 */
export function csvImportJob(service: CsvImportService): FanOutJob<ImportUnit> {
  return {
    name: CSV_IMPORT_JOB,
    async work(unit, _now, ctx) {
      try {
        const { again, imported } = await service.workChunk(unit, ctx.deadline);
        return { done: imported, ...(again ? { again: unit } : {}) };
      } catch (err) {
        // The last attempt: the chunk goes to the dead letters, and its rows would never be
        // counted, so the import would read `running` for ever. It fails instead, saying why
        // (the rows recorded so far stay; importing the file again adds only the rest).
        if (ctx.lastAttempt) await service.failChunk(unit, err as Error);
        throw err;
      }
    },
    parseUnit(raw) {
      const unit = raw as Partial<ImportUnit> | null;
      if (!unit || typeof unit.budgetId !== 'string' || typeof unit.importId !== 'string' || !Number.isInteger(unit.chunk) || unit.chunk! < 0) {
        throw new Error('import unit needs budgetId, importId and a chunk number');
      }
      return { budgetId: unit.budgetId, importId: unit.importId, chunk: unit.chunk! };
    },
  };
}
