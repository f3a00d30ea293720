import { problems } from '@budgeting/platform';

/**
 * Who owes what of an expense, by exact amounts (Splitwise's "split by exact amounts",
 * Tricount's "split unequally"): `sharedAmounts` lists `{userId, amount}` and the settle-up
 * balances (budgets' balances-math.ts) have each listed member owe exactly their amount (the
 * payer's own entry is their part), with no share and no rounding. The other way of sharing,
 * `sharedWith` (domain/shared-with.ts), splits by shares; an expense has one or the other.
 *
 * The rules every write obeys (the schemas check each entry's shape, each a 400 naming its field):
 *
 * - 1..SHARED_AMOUNTS_MAX entries, no user twice (a 400 naming `sharedAmounts`), each `userId` a
 *   user id's shape (`sharedAmounts.<n>.userId`), each `amount` an integer >= 0 in minor units
 *   (`sharedAmounts.<n>.amount`);
 * - the amounts add up to EXACTLY the expense's `amount` (else a 400 naming `sharedAmounts` with
 *   the sum and the amount): also on a PATCH of `amount` alone, whose split would no longer add
 *   up (never rescaled behind the client's back);
 * - not with `sharedWith` in the same body (a 400 naming `sharedAmounts`); a PATCH sending one
 *   removes the other from the expense, and a `null` of either removes both (every member again);
 * - every user a member when written, checked as sharedWith's (service/shared-with-checks.ts),
 *   errors naming `sharedAmounts.<n>.userId`;
 * - stored in user id order; none (a PATCH's `null`) is no attribute.
 *
 * A refund's entries count negative in the balances, as the refund itself does.
 */
export const SHARED_AMOUNTS_MAX = 50;

export interface SharedAmount {
  userId: string;
  amount: number;
}

/** What a write asks for (a create's body or a PATCH's). */
export interface SharedAmountsInput {
  sharedWith?: readonly string[] | null;
  sharedAmounts?: readonly SharedAmount[] | null;
}

/** The entries as stored: copies in user id order. */
const stored = (parts: readonly SharedAmount[]): SharedAmount[] =>
  [...parts].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0)).map((p) => ({ userId: p.userId, amount: p.amount }));

/** A body naming both ways of sharing is refused: which one did the client mean? */
function refuseBoth(input: SharedAmountsInput): void {
  if (input.sharedAmounts && input.sharedWith) {
    throw problems.validation([{ path: 'sharedAmounts', message: 'Send sharedAmounts or sharedWith, not both' }]);
  }
}

/** The amounts must add up to the expense's amount exactly. `sent`: they are the request's (else the stored ones, kept by a PATCH of amount). */
function checkSum(parts: readonly SharedAmount[], amount: number, sent: boolean): void {
  const sum = parts.reduce((s, p) => s + p.amount, 0);
  if (sum === amount) return;
  throw problems.validation([
    {
      path: 'sharedAmounts',
      message: sent
        ? `The amounts add up to ${sum}, not to amount (${amount})`
        : `The expense is shared by amounts adding up to ${sum}: send sharedAmounts adding up to the new amount (${amount}) with it`,
    },
  ]);
}

/** `{ sharedAmounts }` when sent, `{}` otherwise (absent or null), checked against the create's `amount`. */
export function createdSharedAmounts(input: SharedAmountsInput & { amount: number }): { sharedAmounts?: SharedAmount[] } {
  refuseBoth(input);
  if (!input.sharedAmounts) return {};
  checkSum(input.sharedAmounts, input.amount, true);
  return { sharedAmounts: stored(input.sharedAmounts) };
}

/**
 * A PATCH's sharing, applied to `next` (a copy being built, its `amount` already the new one):
 * `sharedAmounts` not sent keeps them (and the amount must still be their sum), a list replaces
 * them and removes `sharedWith`; a `sharedWith` list removes them (the caller applies sharedWith
 * itself). A `null` of either (without a list of the other) removes both: every member again.
 * Checked on the state it leaves.
 */
export function patchSharedAmounts(
  next: { amount: number; sharedAmounts?: SharedAmount[]; sharedWith?: string[] },
  input: SharedAmountsInput,
): void {
  refuseBoth(input);
  if (input.sharedAmounts) {
    next.sharedAmounts = stored(input.sharedAmounts);
    delete next.sharedWith;
  } else if (input.sharedAmounts === null || input.sharedWith !== undefined) {
    // A sharedWith list replaces them; either null means every member again (README), so it
    // removes both lists: a `sharedWith: null` keeping the amounts would be a no-op PATCH.
    delete next.sharedAmounts;
    if (input.sharedAmounts === null && input.sharedWith === undefined) delete next.sharedWith;
  }
  if (next.sharedAmounts) checkSum(next.sharedAmounts, next.amount, input.sharedAmounts !== undefined && input.sharedAmounts !== null);
}

/** Two sides of a change compared by value (none: null), for the events' fieldChanges. */
export const sameSharedAmounts = (a: readonly SharedAmount[] | undefined, b: readonly SharedAmount[] | undefined): boolean =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
