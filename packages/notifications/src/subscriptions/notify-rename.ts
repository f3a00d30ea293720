import type { ExpenseMerchantRenameFinishedData } from '@budgeting/expenses';
import { renamePush, renameText } from '../domain/rename-message';
import type { MerchantRenameNotification } from '../model';
import type { LoadedDeps } from './index';
import { notifyStarter } from './notify-starter';

/**
 * A finished merchant rename's notification to the user who started it, exactly as an
 * import's: once per rename (guard `notifications#rename#<renameId>`), with its names, counts
 * and a failed one's reason; pushed unless `push.imports` is off, the switch of the bulk jobs a
 * user starts on a budget's expenses (notify-starter.ts says how and what it reads).
 */
export async function notifyRename(d: LoadedDeps, data: ExpenseMerchantRenameFinishedData): Promise<void> {
  await notifyStarter<MerchantRenameNotification>(d, {
    userId: data.startedBy,
    budgetId: data.budgetId,
    key: { userId: data.startedBy, renameId: data.renameId },
    facts: {
      kind: 'merchant-rename.finished',
      renameId: data.renameId,
      from: data.from,
      to: data.to,
      status: data.status,
      examined: data.examined,
      renamed: data.renamed,
      failure: data.failure ?? null,
      ...(data.failureCode === undefined ? {} : { failureCode: data.failureCode }),
    },
    text: renameText,
    push: renamePush,
  });
}
