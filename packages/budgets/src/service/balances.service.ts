import { dateInTimeZone, dayNumber, problems, type Clock } from '@budgeting/platform';
import type { PaidByMemberPort } from '../contract';
import { balancesOf, settle, type Settlement } from '../domain/balances-math';
import { periodContaining } from '../domain/periods';
import type { MembersRepository } from '../repository/members.repository';
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
 * in the range is split by the members' shares (domain/balances-math.ts). Someone who recorded
 * expenses in the range but is no longer a member appears with share 0: they paid, and owe
 * nothing now. Reads: the access BatchGetItem, then in parallel one Query of the members (their
 * shares) and the walk of the range's expenses asked of the expenses module (PaidByMemberPort:
 * a Query page per 1 MB of expenses, at most MAX_BALANCE_EXPENSES of them).
 */
export class BalancesService {
  constructor(
    private readonly access: AccessService,
    private readonly members: Pick<MembersRepository, 'shares'>,
    private readonly spending: PaidByMemberPort,
    private readonly clock: Clock,
    /** Expenses examined at most (tests lower it). */
    private readonly maxExpenses = MAX_BALANCE_EXPENSES,
  ) {}

  async balances(budgetId: string, userId: string, range: { from?: string; to?: string }): Promise<Balances> {
    const { budget } = await this.access.require(budgetId, userId);
    const { from, to } = rangeOf(range, () => periodContaining(budget.period, dateInTimeZone(this.clock.now(), budget.timezone)));
    const [members, paid] = await Promise.all([this.members.shares(budgetId), this.spending.paidByMember(budgetId, from, to, this.maxExpenses)]);
    if (paid.tooMany) {
      throw problems.validation(
        [{ path: 'query.from', message: `More than ${this.maxExpenses} expenses fall in this range; ask for a shorter one` }],
        'Too many expenses in the range for one answer.',
      );
    }
    const current = new Set(members.map((m) => m.userId));
    const names = new Map(members.map((m) => [m.userId, m.name]));
    const participants = [
      ...members.map((m) => ({ userId: m.userId, share: m.share, paid: paid.paid[m.userId] ?? 0 })),
      // Former members who paid in the range: share 0, they owe nothing now.
      ...Object.entries(paid.paid)
        .filter(([payer]) => !current.has(payer))
        .map(([payer, amount]) => ({ userId: payer, share: 0, paid: amount })),
    ];
    const total = participants.reduce((s, p) => s + p.paid, 0);
    if (!Number.isSafeInteger(total)) {
      throw problems.validation([{ path: 'query.from', message: 'The spending of this range would exceed 2^53 - 1 minor units; ask for a shorter one' }]);
    }
    const { balances } = balancesOf(participants);
    return {
      from,
      to,
      total,
      members: balances.map((b) => {
        const name = names.get(b.userId);
        return { userId: b.userId, ...(name ? { name } : {}), share: b.share, paid: b.paid, owes: b.owes, net: b.net };
      }),
      settlements: settle(balances),
    };
  }
}

/**
 * The range asked: `from` and `to` together (on or before each other, at most MAX_BALANCE_DAYS
 * days, both included), or neither (the current period). Errors name the query parameter.
 */
function rangeOf(range: { from?: string; to?: string }, currentPeriod: () => { start: string; end: string }): { from: string; to: string } {
  if (range.from === undefined && range.to === undefined) {
    const period = currentPeriod();
    return { from: period.start, to: period.end };
  }
  if (range.from === undefined || range.to === undefined) {
    const missing = range.from === undefined ? 'from' : 'to';
    throw problems.validation([{ path: `query.${missing}`, message: 'Give both `from` and `to`, or neither for the current period' }]);
  }
  const { from, to } = range as { from: string; to: string };
  if (from > to) throw problems.validation([{ path: 'query.from', message: 'Must be on or before `to`' }]);
  if (dayNumber(to) - dayNumber(from) + 1 > MAX_BALANCE_DAYS) {
    const message = `The range may cover at most ${MAX_BALANCE_DAYS} days`;
    throw problems.validation([
      { path: 'query.from', message },
      { path: 'query.to', message },
    ]);
  }
  return { from, to };
}
