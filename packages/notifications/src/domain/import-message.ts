import { localeCount, type PushMessage } from '@budgeting/platform';
import type { JobFailureCode } from '@budgeting/expenses';
import { localeMessages, type LocaleMessages, type MessageKey } from '@budgeting/platform/locale-messages';
import type { ImportNotification } from '../model';

/**
 * A failed import's reason, short: its first clause (the stored reason goes on to say what
 * stays and what to do: "...; rows recorded before stay, importing the file again adds only
 * the rest"), at most 120 characters. `missing`: what to say without a reason. A merchant
 * rename's reasons are written the same way (rename-message.ts).
 */
export function shortReason(failure: string | null, missing = 'see the import for details'): string {
  if (!failure) return missing;
  const clause = failure.split(/; | \(/)[0]!.trim();
  return clause.length > 120 ? `${clause.slice(0, 119)}…` : clause;
}

/** The catalog's keys of the failure reasons (none has a placeholder). */
type ReasonKey = Extract<MessageKey, `${string}.reason.${string}`>;

/** The catalog's name of each failure code the expenses module sets (its events' `failureCode`). */
const REASON_NAMES = { 'stalled': 'stalled', 'budget-deleted': 'budgetDeleted', 'budget-archived': 'budgetArchived', 'part-failed': 'partFailed', 'not-started': 'notStarted' } as const satisfies Record<JobFailureCode, string>;

/**
 * What a failed job's notification gives as its reason: in English the stored reason's first
 * clause (shortReason), the text before codes; in another language the catalog's words for its
 * `code` (`<job>.reason.*`: stalled, budget deleted or archived, a part failed, not started), since the
 * stored reason is English prose written by the expenses module and a body must not switch
 * language halfway; a code this module has no words for (one added later), or none (a
 * notification from before codes), says where to read it (`<job>.seeDetails`). `names`: the
 * catalog's name of each code the job sets (an import's undo has codes of its own: undo-message.ts).
 */
export function failureReason(
  words: LocaleMessages,
  job: 'import' | 'rename' | 'undo',
  failure: { failure: string | null; failureCode?: string },
  names: Readonly<Record<string, string>> = REASON_NAMES,
): string {
  const seeDetails = words.fill(`${job}.seeDetails`);
  if (words.language === 'en') return shortReason(failure.failure, seeDetails);
  const code = failure.failureCode;
  return code !== undefined && Object.hasOwn(names, code) ? words.fill(`${job}.reason.${names[code]}` as ReasonKey) : seeDetails;
}

/**
 * What an import's notification says on a device (and in the app: its `message`): its counts,
 * or why it failed. In the recipient's `locale` (their profile's): the words in its language
 * (platform locale-messages.ts: en, de, fr, es), the counts grouped as it groups them (platform
 * localeCount), singular or plural by its rules: de-DE "Ihr Import in Haushalt ist
 * abgeschlossen: 1.980 hinzugefügt, 20 Duplikate, 0 Fehler."; without one, exactly the text
 * before locales: "Your import into Household finished: 1,980 added, 20 duplicates, 0 errors."
 * An import that wrote income entries (`incomeImported` > 0) says them apart: "41 expenses and
 * 2 income entries added, ..." (each count with its own plural form).
 */
export function importText(n: ImportNotification, locale?: string | null): { title: string; body: string } {
  const words = localeMessages(locale);
  const { fill } = words;
  const budget = n.budgetName;
  if (n.status === 'failed') {
    const reason = failureReason(words, 'import', n);
    return { title: fill('import.title.failed'), body: budget ? fill('import.failedInto', { budget, reason }) : fill('import.failed', { reason }) };
  }
  const count = localeCount(locale);
  const of = (name: 'added' | 'expenses' | 'income' | 'matched' | 'duplicates' | 'errors', value: number) => fill(`import.${name}.${words.plural(value)}`, { count: count(value) });
  // `imported` counts the income entries of a credits=income import too: told apart only when
  // there are some, so every other import's message is as before.
  const income = n.incomeImported ?? 0;
  const added = income > 0 ? fill('import.addedWithIncome', { expenses: of('expenses', n.imported - income), income: of('income', income) }) : of('added', n.imported);
  const parts = { added, duplicates: of('duplicates', n.duplicates), errors: of('errors', n.errorCount) };
  // Only when some row matched a recorded bill: the message is as before otherwise.
  const counts = n.matched > 0 ? fill('import.countsMatched', { ...parts, matched: of('matched', n.matched) }) : fill('import.counts', parts);
  return { title: fill('import.title.finished'), body: budget ? fill('import.finishedInto', { budget, counts }) : fill('import.finished', { counts }) };
}

/** `budgetId` and `importId` let the app open GET /v1/budgets/{budgetId}/imports/{importId}. */
export function importPush(n: ImportNotification, deviceId: string, locale?: string | null): PushMessage {
  const { title, body } = importText(n, locale);
  return { id: `import-${n.id}-${deviceId}`, title, body, data: { notificationId: n.id, kind: n.kind, budgetId: n.budgetId, importId: n.importId, status: n.status } };
}
