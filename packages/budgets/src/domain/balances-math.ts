/**
 * The settle-up arithmetic of a shared budget (GET /v1/budgets/{budgetId}/balances): who paid
 * what, who owes what by weight, and the transfers that square it. Pure; integer minor units.
 */

export interface Participant {
  userId: string;
  /** Weight in the split (0..100); 0: pays into the pot but owes nothing. */
  share: number;
  paid: number;
  /** Settle-up payments they made to other members (recorded with POST .../settlements); not spending. */
  sent?: number;
  /** Settle-up payments they received. */
  received?: number;
  /**
   * No longer a member (listed because they paid, sent or received in the range): share 0, and
   * never a part of a sharing set's split, even one listing them. Default false.
   */
  former?: boolean;
}

/**
 * Expenses shared by only some people (their `sharedWith`), summed per distinct set of user
 * ids: `amount` is split among those of `userIds` who are current members, by their shares.
 */
export interface SharedSet {
  userIds: readonly string[];
  amount: number;
}

/**
 * What one user owes exactly (an expense's `sharedAmounts`, summed per user over the range; a
 * refund's entries negative): owed as is, no share, no rounding.
 */
export interface ExactPart {
  userId: string;
  amount: number;
}

export interface Balance extends Participant {
  sent: number;
  received: number;
  owes: number;
  /** paid - owes + sent - received; positive: is owed money. */
  net: number;
}

export interface Settlement {
  from: string;
  to: string;
  amount: number;
}

const byUserId = (a: { userId: string }, b: { userId: string }) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);

/**
 * `total` split by `weights` in integer minor units that add up to exactly `total`
 * (largest-remainder method): each part is rounded down, then the units left over go one each
 * to the largest remainders, ties to the smaller user id, so the answer never depends on the
 * order given. Products are taken in BigInt: total x weight may pass 2^53. When every weight is
 * 0 (nobody would owe anything) the total is split equally instead, so the balances still close.
 * A negative total (refunds, money back, outweighing what was paid: the expenses module's
 * spendingOf) is split as its opposite and every part negated, so the parts still add up to it.
 */
export function allocate(total: number, weights: readonly { userId: string; share: number }[]): Map<string, number> {
  if (!Number.isSafeInteger(total)) throw new RangeError(`allocate: not an integer: ${total}`);
  if (total < 0) return new Map([...allocate(-total, weights)].map(([userId, part]) => [userId, part === 0 ? 0 : -part]));
  const anyWeight = weights.some((w) => w.share > 0);
  const parts = weights.map((w) => ({ userId: w.userId, weight: BigInt(anyWeight ? w.share : 1) }));
  const sum = parts.reduce((s, p) => s + p.weight, 0n);
  const owes = new Map<string, number>();
  if (sum === 0n) return owes; // nobody to owe anything
  const big = BigInt(total);
  const shares = parts.map((p) => ({ userId: p.userId, floor: (big * p.weight) / sum, remainder: (big * p.weight) % sum }));
  let left = big - shares.reduce((s, p) => s + p.floor, 0n);
  // Largest remainder first, then the smaller user id; only positive remainders can take a unit
  // (the units left over are fewer than the parts with a remainder).
  const order = [...shares].sort((a, b) => (a.remainder === b.remainder ? byUserId(a, b) : a.remainder > b.remainder ? -1 : 1));
  for (const part of order) {
    const extra = left > 0n && part.remainder > 0n ? 1n : 0n;
    left -= extra;
    owes.set(part.userId, Number(part.floor + extra));
  }
  return owes;
}

/**
 * Every participant's part of everything paid, and the net, in user id order. What every member
 * shares (everything paid less `sharedBy`) is split among the current members by share (allocate,
 * as before sharing sets existed; a former member owes none of it, also when every current member
 * is at share 0 and the split is equal). Each sharing set's amount is
 * split by allocate among the listed ids that are current members (not `former`), by their
 * shares renormalized among them (all of them at share 0: equally among them; a listed id that
 * is no participant, or a former member, counts with share 0); a set none of whose ids is a
 * current member is shared by everyone instead (added to the everyone amount: someone must owe
 * what was paid). Each allocation adds up to its amount exactly, so the parts add up to `total`.
 * Exact amounts (`exactly`, an expense's `sharedAmounts`) are owed as they are by a current
 * member; one of a listed id that is no current member is shared by everyone instead (as a set
 * of no member: someone must owe what was paid, and a former member owes nothing now). They
 * are taken out of the everyone amount, so the parts still add up to `total` exactly.
 * Settle-up payments are not spending: they leave `total` and `owes` alone and move only the
 * nets (a payment sent raises the payer's net, as paying an expense would; received lowers
 * it). Each payment is sent by one and received by another, so the nets still add up to zero.
 */
export function balancesOf(
  participants: readonly Participant[],
  sharedBy: readonly SharedSet[] = [],
  exactly: readonly ExactPart[] = [],
): { total: number; balances: Balance[] } {
  const total = participants.reduce((s, p) => s + p.paid, 0);
  // No "the sets hold at most the total" check any more: with refunds (negative spending) a set
  // may hold more than everything paid, the rest then shared by everyone being negative.
  const inSets = sharedBy.reduce((s, set) => s + set.amount, 0);
  const owes = new Map<string, number>();
  const add = (parts: Map<string, number>) => {
    for (const [userId, part] of parts) owes.set(userId, (owes.get(userId) ?? 0) + part);
  };
  let everyone = total - inSets;
  const current = new Set(participants.filter((p) => !p.former).map((p) => p.userId));
  for (const part of exactly) {
    // Exact integers: nothing to round. A former member's (or a stranger's) part stays in the everyone amount.
    if (current.has(part.userId)) {
      everyone -= part.amount;
      owes.set(part.userId, (owes.get(part.userId) ?? 0) + part.amount);
    }
  }
  for (const set of sharedBy) {
    const listed = new Set(set.userIds);
    const weights = participants.filter((p) => !p.former && listed.has(p.userId));
    if (weights.length === 0) everyone += set.amount;
    else add(allocate(set.amount, weights));
  }
  // Among the current members only: a former member's share 0 kept them out of a weighted split,
  // but when every current member is at share 0 allocate splits equally among whoever it is given,
  // and a former member owes nothing now. Nobody current (never in practice: the owner cannot
  // leave): everyone listed, so the parts still add up to the total.
  const members = participants.filter((p) => !p.former);
  add(allocate(everyone, members.length > 0 ? members : participants));
  const balances = [...participants].sort(byUserId).map((p) => {
    const part = owes.get(p.userId) ?? 0;
    const sent = p.sent ?? 0;
    const received = p.received ?? 0;
    const { former: _former, ...rest } = p;
    return { ...rest, sent, received, owes: part, net: p.paid - part + sent - received };
  });
  return { total, balances };
}

/**
 * Transfers that bring every net to zero (nets must add up to zero): the largest debtor pays
 * the largest creditor the smaller of the two amounts, repeated (ties to the smaller user id).
 * Each transfer settles at least one of the two, so there are fewer transfers than people with
 * a non-zero net, and they add up to the sum of the positive nets.
 */
export function settle(nets: readonly { userId: string; net: number }[]): Settlement[] {
  if (nets.reduce((s, n) => s + n.net, 0) !== 0) throw new RangeError('settle: nets do not add up to zero');
  const open = nets.filter((n) => n.net !== 0).map((n) => ({ userId: n.userId, net: n.net }));
  const largest = (sign: 1 | -1) =>
    open.reduce<(typeof open)[number] | undefined>((best, n) => {
      if (Math.sign(n.net) !== sign) return best;
      if (!best) return n;
      const [a, b] = [Math.abs(n.net), Math.abs(best.net)];
      return a > b || (a === b && n.userId < best.userId) ? n : best;
    }, undefined);
  const transfers: Settlement[] = [];
  for (;;) {
    const debtor = largest(-1);
    const creditor = largest(1);
    if (!debtor || !creditor) return transfers;
    const amount = Math.min(-debtor.net, creditor.net);
    transfers.push({ from: debtor.userId, to: creditor.userId, amount });
    debtor.net += amount;
    creditor.net -= amount;
  }
}
