import { problems } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { CreateOutcome } from '../repository/expenses.repository';

/**
 * A write naming `sharedWith` checks that everyone it names is a member of the budget, inside
 * the write's own transaction (BudgetsFacade.membersCheck): one ConditionCheck per named user
 * other than the writer (whose own membership the write checks already), no request more. A
 * write without `sharedWith` (or a PATCH not changing it) carries none: its transaction is as
 * before. Only the names being written are checked: someone who left keeps their id on the
 * expenses already stored (history; the balances count them with share 0, see the budgets
 * README), and a PATCH not sending `sharedWith` leaves them there.
 */
export interface SharedWithChecks {
  checks: ReturnType<BudgetsFacade['membersCheck']>;
  /** The request's field each check stands for (`paths[i]` for `checks[i]`): `sharedWith.<n>`, n its index as sent. */
  paths: string[];
}

const NO_CHECKS: SharedWithChecks = { checks: [], paths: [] };
const NOT_A_MEMBER = 'Not a member of this budget';

/**
 * The checks of `sent` (a create's or a PATCH's `sharedWith`; none when absent or null), but for
 * the ids in `unchecked` (the writer; for a PATCH also the ids already on the expense).
 */
export function sharedWithChecks(
  budgets: BudgetsFacade,
  budgetId: string,
  unchecked: readonly string[],
  sent: readonly string[] | null | undefined,
): SharedWithChecks {
  return membersChecks(budgets, budgetId, unchecked, sent, (n) => `sharedWith.${n}`);
}

/**
 * The same checks for a write's `sharedAmounts` (domain/shared-amounts.ts), the other way of
 * sharing: the ids of its entries, each error naming `sharedAmounts.<n>.userId`. A body sends
 * at most one of the two (both: a 400 before any write), so a write carries the checks of one.
 */
export function sharingChecks(
  budgets: BudgetsFacade,
  budgetId: string,
  unchecked: readonly string[],
  sent: { sharedWith?: readonly string[] | null; sharedAmounts?: readonly { userId: string }[] | null },
): SharedWithChecks {
  if (sent.sharedAmounts) {
    return membersChecks(budgets, budgetId, unchecked, sent.sharedAmounts.map((p) => p.userId), (n) => `sharedAmounts.${n}.userId`);
  }
  return sharedWithChecks(budgets, budgetId, unchecked, sent.sharedWith);
}

function membersChecks(
  budgets: BudgetsFacade,
  budgetId: string,
  unchecked: readonly string[],
  sent: readonly string[] | null | undefined,
  path: (n: number) => string,
): SharedWithChecks {
  if (!sent) return NO_CHECKS;
  const others = [...sent.entries()].filter(([, id]) => !unchecked.includes(id));
  return { checks: budgets.membersCheck(budgetId, others.map(([, id]) => id)), paths: others.map(([n]) => path(n)) };
}

/**
 * The 400 naming every `sharedWith.<n>` that is no member, when the transaction failed on those
 * checks and nothing else: `failed` are positions in the write's extra items, whose member
 * checks start at `offset`. Any other failure (access, the category) is left to the caller,
 * whose precise answer (404, 403, 422) comes first.
 */
export function refuseNonMembers(failed: readonly number[], offset: number, shared: SharedWithChecks): void {
  if (failed.length === 0 || failed.some((i) => i < offset || i >= offset + shared.checks.length)) return;
  throw problems.validation(failed.map((i) => ({ path: shared.paths[i - offset]!, message: NOT_A_MEMBER })));
}

/** The failed extra positions of a create's outcome (none unless it is `{ allFailed }`). */
export const failedExtras = (outcome: CreateOutcome): number[] => (typeof outcome === 'object' ? outcome.allFailed : []);

/**
 * The same 400 from the members read (BudgetsFacade.memberIds: one Query), before a recurring
 * definition's write (its create and PATCH read access first anyway; their transactions carry
 * sharingChecks too, for a removal after this read: refuseNonMembers on the checks that failed,
 * recurring.service.ts): every id of `sent` neither a member nor `allowed`
 * (the writer; for a PATCH the ids already on the definition) is named.
 */
function refuseStrangers(sent: readonly string[] | null | undefined, memberIds: readonly string[], allowed: readonly string[]): void {
  refuseOthers(sent, memberIds, allowed, (n) => `sharedWith.${n}`);
}

/**
 * The same for a definition's write naming `sharedWith` or `sharedAmounts` (at most one: both
 * is the domain's 400), the latter's errors naming `sharedAmounts.<n>.userId`.
 */
export function refuseStrangersSharing(
  sent: { sharedWith?: readonly string[] | null; sharedAmounts?: readonly { userId: string }[] | null },
  memberIds: readonly string[],
  allowed: readonly string[],
): void {
  if (sent.sharedAmounts) refuseOthers(sent.sharedAmounts.map((p) => p.userId), memberIds, allowed, (n) => `sharedAmounts.${n}.userId`);
  else refuseStrangers(sent.sharedWith, memberIds, allowed);
}

function refuseOthers(sent: readonly string[] | null | undefined, memberIds: readonly string[], allowed: readonly string[], path: (n: number) => string): void {
  if (!sent) return;
  const errors = [...sent.entries()]
    .filter(([, id]) => !memberIds.includes(id) && !allowed.includes(id))
    .map(([n]) => ({ path: path(n), message: NOT_A_MEMBER }));
  if (errors.length > 0) throw problems.validation(errors);
}

