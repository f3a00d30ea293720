import type { FanOutJob } from '@budgeting/platform';
import type { ImportUndoService, ImportUndoUnit } from '../service/import-undo.service';
import { IMPORT_UNDO_JOB } from './names';

/**
 * An import's undo as a fan-out job without a schedule: POST .../imports/{id}/undo queues one
 * unit per stored chunk of the import, and each delivery removes that chunk's expenses
 * (ImportUndoService.workChunk, idempotent). A chunk out of its invocation's time comes back as
 * the same unit; one that fails its last attempt fails the undo.
 */
export function importUndoJob(service: ImportUndoService): FanOutJob<ImportUndoUnit> {
  return {
    name: IMPORT_UNDO_JOB,
    async work(unit, _now, ctx) {
      try {
        const { again, removed } = await service.workChunk(unit, ctx.deadline);
        return { done: removed, ...(again ? { again: unit } : {}) };
      } catch (err) {
        // The last attempt: the chunk would never be counted and the undo would read `running`
        // until the import expires; it fails instead, saying which part.
        if (ctx.lastAttempt) await service.failChunk(unit, err as Error);
        throw err;
      }
    },
    parseUnit(raw) {
      const unit = raw as Partial<ImportUndoUnit> | null;
      if (!unit || typeof unit.budgetId !== 'string' || typeof unit.importId !== 'string' || !Number.isInteger(unit.chunk) || unit.chunk! < 0) {
        throw new Error('import undo unit needs budgetId, importId and a chunk number');
      }
      return { budgetId: unit.budgetId, importId: unit.importId, chunk: unit.chunk! };
    },
  };
}
