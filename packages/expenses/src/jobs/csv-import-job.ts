import type { FanOutJob } from '@budgeting/platform';
import { CSV_IMPORT_JOB, type CsvImportService, type ImportUnit } from '../service/csv-import.service';

/**
 * CSV import as a fan-out job without a schedule: POST /expenses/import queues one unit per
 * chunk of the file, and each delivery records one chunk's rows (CsvImportService.workChunk,
 * idempotent). A chunk that runs out of its invocation's time comes back as the same unit.
 */
export function csvImportJob(service: CsvImportService): FanOutJob<ImportUnit> {
  return {
    name: CSV_IMPORT_JOB,
    async work(unit, _now, ctx) {
      const { again, imported } = await service.workChunk(unit, ctx.deadline);
      return { done: imported, ...(again ? { again: unit } : {}) };
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
