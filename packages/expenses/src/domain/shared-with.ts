/**
 * Who shares an expense (Splitwise's / Tricount's "split with"): `sharedWith` lists the user
 * ids among whom the settle-up balances split this expense (by their shares, renormalized among
 * them; budgets' balances-math.ts). Absent (or a write's `null`): every member, as before the
 * field existed. `[payer]` alone is a personal expense nobody else owes anything for; a list
 * without the payer means the payer paid for the others.
 *
 * The rules every write obeys (the schemas check the shape, each a 400 naming its field):
 *
 * - 1..SHARED_WITH_MAX user ids (an empty list or a longer one: a 400 naming `sharedWith`),
 *   each a user id's shape (a ULID in upper case: a bad one is a 400 naming `sharedWith.<n>`),
 *   no id twice (a 400 naming `sharedWith`);
 * - stored in user id order (the balances group expenses by the set, not by the order sent);
 * - every id must be a member of the budget when written (a 400 naming `sharedWith.<n>`
 *   otherwise): checked in the write's own transaction (service/shared-with-checks.ts); someone
 *   who leaves later stays on the expenses already stored, and at balances time a listed id
 *   that is not a current member counts with share 0 (see the packages/budgets/docs/settle-up.md, "Balances");
 * - none (a PATCH's `null`) is stored as no attribute at all, as the other optional fields are.
 *
 * Only `amount` and the balances use it: totals, summary, alerts and reports count every
 * expense whole, whoever shares it.
 */
export const SHARED_WITH_MAX = 50;

/** A user id's shape: a canonical ULID (26 Crockford base32 characters, upper case), as newId makes them. */
export const USER_ID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

/** The ids as stored: a copy in user id order. */
const stored = (ids: readonly string[]): string[] => [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** `{ sharedWith }` when sent, `{}` otherwise (absent or null: every member): what a create stores. */
export function sharedWithField(input: readonly string[] | null | undefined): { sharedWith?: string[] } {
  return input ? { sharedWith: stored(input) } : {};
}

/** A PATCH of `sharedWith`, applied to `next` (a copy being built): not sent keeps it, `null` removes it, a list replaces it. */
export function patchSharedWith(next: { sharedWith?: string[] }, input: readonly string[] | null | undefined): void {
  if (input === undefined) return;
  if (input === null) delete next.sharedWith;
  else next.sharedWith = stored(input);
}

/** Two sides of a change compared by value (none: null), for the events' fieldChanges. */
export const sameSharedWith = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
