import type { ExpenseImportUndoFinishedData } from '@budgeting/expenses';
import { undoPush, undoText } from '../domain/undo-message';
import type { ImportUndoNotification } from '../model';
import type { LoadedDeps } from './index';
import { notifyStarter } from './notify-starter';

/**
 * A run of an import's undo ended: a notification to the user who asked for it, exactly as an
 * import's: once per run (guard `notifications#undo#<importId>#<attempt>`: a redelivered event
 * creates nothing, while a failed undo asked again and ending again is told again), with its
 * counts and a failed one's reason; pushed unless `push.imports` is off, the switch of the bulk
 * jobs a user starts on a budget's expenses (notify-starter.ts says how and what it reads).
 */
export async function notifyUndo(d: LoadedDeps, data: ExpenseImportUndoFinishedData): Promise<void> {
  await notifyStarter<ImportUndoNotification>(d, {
    userId: data.startedBy,
    budgetId: data.budgetId,
    key: { userId: data.startedBy, importId: data.importId, undoAttempt: data.attempt },
    facts: {
      kind: 'import-undo.finished',
      importId: data.importId,
      attempt: data.attempt,
      status: data.status,
      removed: data.removed,
      kept: data.kept,
      gone: data.gone,
      total: data.total,
      failure: data.failure ?? null,
      ...(data.failureCode === undefined ? {} : { failureCode: data.failureCode }),
    },
    text: undoText,
    push: undoPush,
  });
}
