import type { FieldError } from '@budgeting/platform';

/**
 * Foreign amounts: an expense paid in another currency keeps what was actually paid
 * (`foreign: {amount, currency}`, 8 000 JPY), while `amount` stays what the budget was charged
 * in its own currency (52.40 EUR on the card statement). Only `amount` counts anywhere (totals,
 * summary, alerts, reports, balances, search): the foreign figures are a record, nothing is
 * converted and no rate is kept or derived.
 *
 * The rules every write obeys (the schemas check the shape, each a 400 naming its field):
 *
 * - `amount`: integer minor units of that currency as ISO 4217 defines them (yen for JPY,
 *   cents for USD, fils for BHD: the platform's currencyExponent, which the CSV export uses to
 *   write it), > 0 and at most MAX_AMOUNT_MINOR, as an expense's amount;
 * - `currency`: an ISO 4217 code of the platform's list, in capitals (as a budget's currency:
 *   `jpy` is refused, not normalized), and not the budget's own currency (a 400 naming
 *   `foreign.currency`: the figure would just repeat `amount`);
 * - it describes the whole expense, also a split one (its parts split `amount` only);
 * - none (a PATCH's `null`) is stored as no attribute at all, as the other optional fields are.
 */
export interface ForeignAmount {
  amount: number;
  currency: string;
}

/** The foreign figures as stored (a copy: the stored object is never the request's). */
const stored = (f: ForeignAmount): ForeignAmount => ({ amount: f.amount, currency: f.currency });

/** `{ foreign }` when sent, `{}` otherwise: what a create stores. */
export function foreignField(input: ForeignAmount | null | undefined): { foreign?: ForeignAmount } {
  return input ? { foreign: stored(input) } : {};
}

/** A PATCH of the foreign figures, applied to `next` (a copy being built): not sent keeps them, `null` removes them, an object replaces them. */
export function patchForeign(next: { foreign?: ForeignAmount }, input: ForeignAmount | null | undefined): void {
  if (input === undefined) return;
  if (input === null) delete next.foreign;
  else next.foreign = stored(input);
}

/** The check that needs the budget: a foreign currency must not be the budget's own. */
export function foreignCurrencyProblem(input: ForeignAmount | null | undefined, budgetCurrency: string): FieldError | undefined {
  if (!input || input.currency !== budgetCurrency) return undefined;
  return { path: 'foreign.currency', message: `Must be another currency than the budget's (${budgetCurrency}): \`amount\` already holds what was paid in it` };
}

/** Two sides of a change compared by value (none: null), for the events' fieldChanges. */
export const sameForeign = (a: ForeignAmount | undefined, b: ForeignAmount | undefined): boolean =>
  (a?.amount ?? null) === (b?.amount ?? null) && (a?.currency ?? null) === (b?.currency ?? null);
