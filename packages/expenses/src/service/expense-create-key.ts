import { ProblemError, type KeyRecordOnItem } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { Expense } from '../model';
import type { ExpensesRepository } from '../repository/expenses.repository';
import { isBudgetArchived } from '../domain/write-retry';
import { authorize } from './access';

/**
 * What create() needs of the request's Idempotency-Key (platform IdempotentWrite, bound by the
 * route to the answer it gives for an expense).
 */
export interface KeyedCreate {
  /**
   * The id of the expense this key creates, the same for every retry (derived from a key that
   * carries its creation time: platform idFromKey); `undefined` for any other key, whose record
   * is then an item of its own (`recordItem`).
   */
  expenseId: string | undefined;
  /**
   * The id a key that carries its creation time names, `expenseId` or not (platform
   * keyHolderId): where the key's record is kept when the expense takes a fresh id (a tombstone
   * there), and so where every retry looks, whichever side of idFromKey's window its key time
   * falls on by then. `undefined` for a key that names no time.
   */
  holderId: string | undefined;
  /** The key's record holding the answer for `expense`, stored on the expense item. */
  recordOnItem(expense: Expense): KeyRecordOnItem;
  /** The live record of this key in an item's stored attribute, if there is one. */
  liveRecordOf(stored: unknown): KeyRecordOnItem | undefined;
  /** The key's record as an item of its own (a key naming no id, or one reused after its record expired). */
  recordItem(expense: Expense): TransactItem;
  /** Whether that record item exists and is live (one read). */
  recordItemUsed(): Promise<boolean>;
}

/**
 * create() found its Idempotency-Key used: the caller replays `held` (the record on the item
 * under the key's expense id: an expense's or a deleted one's tombstone), or, for a key reused
 * after its first record expired, the key's own record item ('key-record').
 */
export interface KeyAlreadyUsed {
  replay: KeyRecordOnItem | 'key-record';
}

type TransactItem = Parameters<ExpensesRepository['create']>[2] extends (infer T)[] | undefined ? T : never;

/** What finding a key's record reads with. */
interface KeyReads {
  repository: Pick<ExpensesRepository, 'keyRecordAt'>;
  budgets: BudgetsFacade;
}

/** The live record of `key` on the item under the id it names (strongly consistent: an expense's or a tombstone's), if any. */
export async function keyUsedAt(repository: Pick<ExpensesRepository, 'keyRecordAt'>, budgetId: string, key: KeyedCreate): Promise<KeyAlreadyUsed | undefined> {
  const held = key.liveRecordOf(await repository.keyRecordAt(budgetId, key.holderId!));
  return held && { replay: held };
}

/**
 * A keyed create refused before it found its key used (the read-first path: no day named, or
 * a checked write that failed on the archive or the category too), with 409 budget-archived
 * or a 400 of its body against the budget as it is now (a category removed, a member it
 * shares with gone): a retry of a create committed before still gets the stored answer (a
 * replay writes nothing and answers what was answered: root README "HTTP conventions"), once the
 * caller's membership and role are checked again; the body is not checked again (the stored
 * answer is the key's, and another body is the replay's 422). Reads the key's record (on the
 * expense under the key's id, else its own item) only on such a refusal (`err`).
 */
export async function replayOnRefusal(deps: KeyReads, budgetId: string, userId: string, key: KeyedCreate, err: unknown): Promise<KeyAlreadyUsed | undefined> {
  if (!isBudgetArchived(err) && !isBodyRefused(err)) return undefined;
  const used = (key.holderId !== undefined ? await keyUsedAt(deps.repository, budgetId, key) : undefined) ?? ((await key.recordItemUsed()) ? { replay: 'key-record' as const } : undefined);
  if (used) await authorize(deps.budgets, budgetId, userId, 'write', { replay: true });
  return used;
}

/** A 400 of the body: its fields against the budget as it is now (a category, a currency, a member shared with). */
const isBodyRefused = (err: unknown) => err instanceof ProblemError && err.status === 400;
