import { dateInTimeZone, newId, ProblemError, problems, type Clock } from '@budgeting/platform';
import { budgetSettlementDeleted, budgetSettlementRecorded } from '../events';
import { MAX_SETTLEMENTS, SETTLEMENT_VERSION, type Settlement } from '../model';
import type { Page } from '../repository/page';
import { settlementId, type SettlementsRepository } from '../repository/settlements.repository';
import { requireRole, type AccessService } from './access';
import type { OutboxWriter } from './events';

export interface SettlementsServiceDeps {
  clock: Clock;
  access: AccessService;
  settlements: SettlementsRepository;
  outbox: OutboxWriter;
}

export interface RecordSettlementInput {
  fromUserId: string;
  toUserId: string;
  amount: number;
  paidOn?: string;
  note?: string;
}

const settlementNotFound = (id: string) => problems.notFound(`Settlement ${id} was not found.`);
const notAMember = (field: 'fromUserId' | 'toUserId') =>
  new ProblemError(422, 'unprocessable', 'Unprocessable request', 'Both people of a settle-up payment must be members of the budget.', {
    errors: [{ path: field, message: 'Not a member of this budget' }],
  });

/**
 * Recorded settle-up payments (README "Settlements"): after the balances suggest "Sam pays Kim
 * 42.00" and Sam does, a member records it, and the balances of its day's ranges count it
 * (balances.service.ts). Owner and editors record; any member reads; the owner, or the editor
 * who recorded one, deletes it. Each change is one transaction with its event.
 */
export class SettlementsService {
  constructor(private readonly d: SettlementsServiceDeps) {}

  /**
   * Records a payment. Both people must be CURRENT members (the transaction checks their
   * membership items, so a member removed meanwhile cannot be paid): a former member who is
   * still owed money is settled by re-adding them, or outside the app.
   */
  async record(budgetId: string, callerId: string, input: RecordSettlementInput): Promise<Settlement> {
    const caller = await this.d.access.require(budgetId, callerId);
    requireRole(caller, 'settlements');
    if (input.fromUserId === input.toUserId) {
      throw problems.validation([{ path: 'toUserId', message: 'Must differ from `fromUserId`: a payment is between two people' }]);
    }
    const now = this.d.clock.now();
    const paidOn = input.paidOn ?? dateInTimeZone(now, caller.budget.timezone);
    const ulid = newId(now.getTime());
    const settlement: Settlement = {
      budgetId,
      id: settlementId(paidOn, ulid),
      fromUserId: input.fromUserId,
      toUserId: input.toUserId,
      amount: input.amount,
      currency: caller.budget.currency,
      paidOn,
      ...(input.note ? { note: input.note } : {}),
      recordedBy: callerId,
      createdAt: now.toISOString(),
    };
    const event = await this.d.outbox(budgetSettlementRecorded, { ...facts(settlement), recordedBy: callerId });
    const outcome = await this.d.settlements.create(settlement, ulid, MAX_SETTLEMENTS, [event]);
    if (outcome === 'from-not-member') throw notAMember('fromUserId');
    if (outcome === 'to-not-member') throw notAMember('toUserId');
    if (outcome === 'full') throw problems.conflict(`A budget holds at most ${MAX_SETTLEMENTS} settle-up payments; delete old ones first.`);
    return settlement;
  }

  async list(budgetId: string, callerId: string, range: { from?: string; to?: string }, limit: number, startKey?: Record<string, unknown>): Promise<Page<Settlement>> {
    await this.d.access.require(budgetId, callerId);
    if (range.from && range.to && range.from > range.to) throw problems.validation([{ path: 'query.from', message: 'Must be on or before `to`' }]);
    return this.d.settlements.page(budgetId, range, limit, startKey);
  }

  async get(budgetId: string, callerId: string, id: string): Promise<Settlement> {
    await this.d.access.require(budgetId, callerId);
    const settlement = await this.d.settlements.get(budgetId, id);
    if (!settlement) throw settlementNotFound(id);
    return settlement;
  }

  /**
   * Deletes a payment (it was recorded by mistake, or never happened): the owner, or the
   * editor who recorded it. `ifMatch`: the versions the caller accepts (only 1 exists).
   */
  async remove(budgetId: string, callerId: string, id: string, ifMatch?: ReadonlySet<number>): Promise<void> {
    const caller = await this.d.access.require(budgetId, callerId);
    requireRole(caller, 'settlements');
    const settlement = await this.d.settlements.get(budgetId, id);
    if (!settlement) throw settlementNotFound(id);
    if (caller.role !== 'owner' && settlement.recordedBy !== callerId) {
      throw problems.forbidden('Only the owner, or the editor who recorded it, can delete a settle-up payment.');
    }
    if (ifMatch && !ifMatch.has(SETTLEMENT_VERSION)) throw problems.preconditionFailed();
    const event = await this.d.outbox(budgetSettlementDeleted, { ...facts(settlement), deletedBy: callerId });
    if (!(await this.d.settlements.remove(settlement, [event]))) throw settlementNotFound(id);
  }
}

const facts = (s: Settlement) => ({
  budgetId: s.budgetId,
  settlementId: s.id,
  fromUserId: s.fromUserId,
  toUserId: s.toUserId,
  amount: s.amount,
  currency: s.currency,
  paidOn: s.paidOn,
});
