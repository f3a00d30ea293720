import { dateInTimeZone, requestedDayRange, problems, type Clock } from '@budgeting/platform';
import type { PaidByMemberPort } from '../contract';
import { balancesOf, settle, type Participant, type Settlement } from '../domain/balances-math';
import { periodContaining } from '../domain/periods';
import type { MembersRepository } from '../repository/members.repository';
import type { SettlementsRepository } from '../repository/settlements.repository';
import type { AccessService } from './access';

/** The longest range the balances cover, in days (a leap year). */
export const MAX_BALANCE_DAYS = 366;
/** The most expenses one balances request examines; a range holding more is refused (400). */
export const MAX_BALANCE_EXPENSES = 50_000;

export interface MemberBalance {
  userId: string;
  name?: string;
  share: number;
  paid: number;
  /** Settle-up payments they made in the range (recorded: POST .../settlements). */
  sent: number;
  /** Settle-up payments they received in the range. */
  received: number;
  owes: number;
  net: number;
}

export interface Balances {
  from: string;
  to: string;
  total: number;
  members: MemberBalance[];
  settlements: Settlement[];
}

/**
 * Who owes whom in a shared budget over a date range (default: the current period, as the
 * summary computes it). Each expense was paid by the member who recorded it; everything paid
 * in the range is split by the members' shares (domain/balances-math.ts), except the expenses
 * shared by only some (`sharedWith`), each set's sum split among those of its ids who are
 * members now, by their shares (none of them a member: among everyone), and the expenses split
 * by exact amounts (`sharedAmounts`), each current member owing their amounts as they are (a
 * former member's: among everyone). Someone who recorded
 * expenses in the range but is no longer a member appears with share 0: they paid, and owe
 * nothing now. Recorded settle-up payments paid in the range (by `paidOn`) move the nets of
 * the two people, never `total` or `owes`. Reads: the access BatchGetItem, then in parallel one
 * Query of the members (their shares), the walk of the range's expenses asked of the expenses
 * module (PaidByMemberPort: a Query page per 1 MB of expenses, at most MAX_BALANCE_EXPENSES of
 * them) and one Query of the range's payments (at most MAX_SETTLEMENTS a budget).
 */
export class BalancesService {
  constructor(
    private readonly access: AccessService,
    private readonly members: Pick<MembersRepository, 'shares'>,
    private readonly spending: PaidByMemberPort,
    private readonly settlements: Pick<SettlementsRepository, 'transfersBetween'>,
    private readonly clock: Clock,
    /** Expenses examined at most (tests lower it). */
    private readonly maxExpenses = MAX_BALANCE_EXPENSES,
  ) {}

  async balances(budgetId: string, userId: string, range: { from?: string; to?: string }): Promise<Balances> {
    const { budget } = await this.access.require(budgetId, userId);
    const { from, to } = requestedDayRange(range, () => periodContaining(budget.period, dateInTimeZone(this.clock.now(), budget.timezone)), MAX_BALANCE_DAYS);
    const [members, paid, transfers] = await Promise.all([
      this.members.shares(budgetId),
      this.spending.paidByMember(budgetId, from, to, this.maxExpenses),
      this.settlements.transfersBetween(budgetId, from, to),
    ]);
    if (paid.tooMany) {
      throw problems.validation(
        [{ path: 'query.from', message: `More than ${this.maxExpenses} expenses fall in this range; ask for a shorter one` }],
        'Too many expenses in the range for one answer.',
      );
    }
    const current = new Set(members.map((m) => m.userId));
    const names = new Map(members.map((m) => [m.userId, m.name]));
    const participants: Participant[] = [
      ...members.map((m) => ({ userId: m.userId, share: m.share, paid: paid.paid[m.userId] ?? 0 })),
      // Former members who paid in the range: share 0, they owe nothing now.
      ...Object.entries(paid.paid)
        .filter(([payer]) => !current.has(payer))
        .map(([payer, amount]) => ({ userId: payer, share: 0, paid: amount, former: true })),
    ];
    // Payments: sums per person. Someone in a payment of the range who is neither a member now
    // nor a payer of the range (a member removed since) is listed like a former member.
    const sent = new Map<string, number>();
    const received = new Map<string, number>();
    for (const t of transfers) {
      sent.set(t.fromUserId, (sent.get(t.fromUserId) ?? 0) + t.amount);
      received.set(t.toUserId, (received.get(t.toUserId) ?? 0) + t.amount);
    }
    const listed = new Set(participants.map((p) => p.userId));
    for (const userId of new Set([...sent.keys(), ...received.keys()])) {
      if (!listed.has(userId)) participants.push({ userId, share: 0, paid: 0, former: true });
    }
    const moved = [...sent.values()].reduce((s, n) => s + n, 0);
    const total = participants.reduce((s, p) => s + p.paid, 0);
    const owedExactly = Object.entries(paid.owedExactly ?? {}).map(([userId, amount]) => ({ userId, amount }));
    // Refunds make sums cancel: a total of 0 may hide a payer's or a sharing set's sum past
    // 2^53 - 1 (allocate throws on it; a net would be inexact). Every figure balancesOf adds up
    // (the everyone amount, each owes, each net, the transfers) is bounded by twice the sum of
    // the magnitudes it is made of, so below 2^53 that arithmetic stays exact.
    const magnitude = [...participants.map((p) => p.paid), ...paid.sharedBy.map((set) => set.amount), ...owedExactly.map((part) => part.amount)].reduce((s, n) => s + Math.abs(n), moved);
    if (!Number.isSafeInteger(2 * magnitude)) {
      throw problems.validation([{ path: 'query.from', message: 'The spending and payments of this range would exceed 2^53 - 1 minor units; ask for a shorter one' }]);
    }
    // Expenses shared by only some (`sharedWith`) are split among those of them who are members now.
    const { balances } = balancesOf(
      participants.map((p) => ({ ...p, sent: sent.get(p.userId) ?? 0, received: received.get(p.userId) ?? 0 })),
      paid.sharedBy,
      // Expenses split by exact amounts (`sharedAmounts`): each current member owes their sum as is.
      owedExactly,
    );
    return {
      from,
      to,
      total,
      members: balances.map((b) => {
        const name = names.get(b.userId);
        return { userId: b.userId, ...(name ? { name } : {}), share: b.share, paid: b.paid, sent: b.sent, received: b.received, owes: b.owes, net: b.net };
      }),
      settlements: settle(balances),
    };
  }
}
