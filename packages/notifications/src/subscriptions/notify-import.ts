import type { ExpenseImportFinishedData } from '@budgeting/expenses';
import { importPush, importText } from '../domain/import-message';
import type { ImportNotification } from '../model';
import type { LoadedDeps } from './index';
import { notifyStarter } from './notify-starter';

/**
 * A finished import's notification to the user who started it, once per import (guard
 * `notifications#import#<importId>`), with its counts and a failed one's reason; pushed unless
 * `push.imports` is off (notify-starter.ts says how and what it reads).
 */
export async function notifyImport(d: LoadedDeps, data: ExpenseImportFinishedData): Promise<void> {
  await notifyStarter<ImportNotification>(d, {
    userId: data.userId,
    budgetId: data.budgetId,
    key: { userId: data.userId, importId: data.importId },
    facts: {
      kind: 'import.finished',
      importId: data.importId,
      status: data.status,
      total: data.total,
      imported: data.imported,
      duplicates: data.duplicates,
      matched: data.matched ?? 0,
      errorCount: data.errorCount,
      failure: data.failure ?? null,
      ...(data.failureCode === undefined ? {} : { failureCode: data.failureCode }),
      ...(data.incomeImported === undefined ? {} : { incomeImported: data.incomeImported }),
    },
    text: importText,
    push: importPush,
  });
}
