import { newId, type Clock, type Logger } from '@budgeting/platform';
import { BULK_UNDO_TTL_SECONDS, boundedEntries, type BulkUndoEntry } from '../domain/bulk-undo';
import type { BulkUndoRepository } from '../repository/bulk-undo.repository';

/** An answer's `undo` (BulkUndoHandle): the id for POST .../expenses/bulk/{id}/undo and until when. */
export type UndoHandle = { id: string; expiresAt: string } | null;

export interface UndoRecordDeps {
  undos: BulkUndoRepository;
  clock: Clock;
  logger?: Logger;
}

/**
 * The undo of one call of a write over many (a bulk edit, a category reassign, a rule apply):
 * ONE write of the record kind the bulk edit's undo reads (BulkUndoService), after the
 * writes, when any expense was written; null otherwise (and when the budget was deleted
 * meanwhile: BulkUndoRepository.put's closed-budget check). The entries are bounded to fit the
 * item (boundedEntries). The writes are each complete already, so a failed Put does not fail
 * the request: the answer reports them with `undo: null` (as a crash between the writes and
 * the Put would leave no undo).
 */
export async function recordUndo(deps: UndoRecordDeps, what: string, budgetId: string, userId: string, entries: BulkUndoEntry[]): Promise<UndoHandle> {
  if (entries.length === 0) return null;
  const now = deps.clock.now();
  const id = newId(now.getTime());
  const expiresAt = Math.floor(now.getTime() / 1000) + BULK_UNDO_TTL_SECONDS;
  try {
    // The budget deleted since the writes: no undo, as there is nothing left to undo.
    const stored = await deps.undos.put({ budgetId, bulkId: id, createdBy: userId, createdAt: now.toISOString(), expiresAt, entries: boundedEntries(entries) });
    if (stored === 'budget-closed') return null;
  } catch (err) {
    deps.logger?.warn(`${what}: undo record not written`, { budgetId, error: err instanceof Error ? err.message : String(err) });
    return null;
  }
  return { id, expiresAt: new Date(expiresAt * 1000).toISOString() };
}
