import { dateInTimeZone, keyInUse, newId, ProblemError, problems, type Clock, type KeyCompletion, PLATFORM_PROBLEMS } from '@budgeting/platform';
import { budgetSettlementDeleted, budgetSettlementRecorded, budgetSettlementUpdated } from '../events';
import { MAX_SETTLEMENTS, SETTLEMENT_VERSION, type BudgetForCaller, type Settlement } from '../model';
import type { Page } from '../repository/page';
import { settlementId, type SettlementsRepository } from '../repository/settlements.repository';
import { requireActive, requireRole, type AccessService } from './access';
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

/** A PATCH: any of these (at least one, the schema checks); `note: null` or empty removes it. */
export interface ChangeSettlementInput {
  amount?: number;
  paidOn?: string;
  note?: string | null;
}

/** The fields a PATCH may change, in the order the event's `changes` lists them. */
const CHANGEABLE = ['amount', 'paidOn', 'note'] as const;

const settlementNotFound = (id: string) => problems.notFound(`Settlement ${id} was not found.`);
const notAMember = (...fields: ('fromUserId' | 'toUserId')[]) =>
  new ProblemError(PLATFORM_PROBLEMS['unprocessable'], 'Both people of a settle-up payment must be members of the budget.', {
    errors: fields.map((field) => ({ path: field, message: 'Not a member of this budget' })),
  });

/**
 * Recorded settle-up payments (docs/settle-up.md "Settle-up payments"): after the balances suggest "Sam pays Kim
 * 42.00" and Sam does, a member records it, and the balances of its day's ranges count it
 * (balances.service.ts). Owner and editors record; any member reads; the owner, or the editor
 * who recorded one, corrects (amount, day, note) or deletes it. Each change is one transaction
 * with its event.
 */
export class SettlementsService {
  constructor(private readonly d: SettlementsServiceDeps) {}

  /**
   * Records a payment. Both people must be CURRENT members (the transaction checks their
   * membership items, so a member removed meanwhile cannot be paid): a former member who is
   * still owed money is settled by re-adding them, or outside the app.
   */
  async record(budgetId: string, callerId: string, input: RecordSettlementInput, completeKey?: KeyCompletion<Settlement>): Promise<Settlement> {
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
      version: SETTLEMENT_VERSION,
    };
    const event = await this.d.outbox(budgetSettlementRecorded, { ...facts(settlement), recordedBy: callerId });
    // A keyed record's answer is committed with the payment: its id is new on every attempt, so a
    // retry after a crash between the commit and the answer would otherwise record it again.
    const outcome = await this.d.settlements.create(settlement, ulid, MAX_SETTLEMENTS, [event, ...(completeKey ? [completeKey.item(settlement)] : [])]);
    if (outcome === 'key-taken') throw keyInUse();
    if (outcome === 'created') completeKey?.committed();
    // A failed membership check is a former member or an archive committed after the access
    // read (the checks ask both): reading access again tells them apart (409 budget-archived).
    if (outcome === 'caller-refused') await this.refusedAtWrite(budgetId, callerId);
    if (outcome === 'from-not-member' || outcome === 'to-not-member' || outcome === 'neither-member') await this.stillAllowed(budgetId, callerId);
    if (outcome === 'from-not-member') throw notAMember('fromUserId');
    if (outcome === 'to-not-member') throw notAMember('toUserId');
    if (outcome === 'neither-member') throw notAMember('fromUserId', 'toUserId');
    if (outcome === 'full') throw problems.limitReached('settlements', MAX_SETTLEMENTS, `A budget holds at most ${MAX_SETTLEMENTS} settle-up payments; delete old ones first.`);
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

  /** 404 unless the payment is still there: the replay of a keyed change after its deletion (routes/replay-guards.ts), as a fresh change answers. */
  async requireStill(budgetId: string, id: string): Promise<void> {
    if (!(await this.d.settlements.get(budgetId, id))) throw settlementNotFound(id);
  }

  /**
   * Corrects a mistyped payment's amount, day and/or note: the owner, or the editor who
   * recorded it (as a delete). `ifMatch`: the versions the caller accepts (412 otherwise).
   * One transaction conditioned on the version read, with `budget.settlement_updated`
   * (before/after of what changed). The id never changes, a new day included (the repository
   * moves the item and keeps a pointer at the id's key). Without `If-Match`, a concurrent
   * change is read again and the change re-applied on it (as a member's change); with it, a
   * concurrent change is a 412. `completeKey`: a keyed change's Idempotency-Key completed with its
   * 200 in the change's transaction, so a retry after a crash between the commit and the answer
   * replays it instead of applying the change again over a later one.
   */
  async change(
    budgetId: string,
    callerId: string,
    id: string,
    input: ChangeSettlementInput,
    ifMatch?: ReadonlySet<number>,
    completeKey?: KeyCompletion<Settlement>,
  ): Promise<Settlement> {
    const caller = await this.d.access.require(budgetId, callerId);
    // The role, then who may change this payment, then the archive (mayChange): the order of every write's answers.
    requireRole(caller, 'settlements', 'allowed');
    for (let attempt = 1; ; attempt++) {
      const before = await this.mayChange(budgetId, callerId, caller, id, 'change');
      if (ifMatch && !ifMatch.has(before.version)) throw problems.preconditionFailed();
      const wanted = { amount: input.amount ?? before.amount, paidOn: input.paidOn ?? before.paidOn, note: input.note === undefined ? before.note : input.note || undefined };
      const changes: Record<string, { before: unknown; after: unknown }> = {};
      for (const f of CHANGEABLE) if (wanted[f] !== before[f]) changes[f] = { before: before[f] ?? null, after: wanted[f] ?? null };
      if (Object.keys(changes).length === 0) return before; // nothing to change: no write, no event
      const now = this.d.clock.now();
      const { note: _oldNote, ...kept } = before;
      const after: Settlement = {
        ...kept,
        amount: wanted.amount,
        paidOn: wanted.paidOn,
        ...(wanted.note ? { note: wanted.note } : {}),
        version: before.version + 1,
        updatedAt: now.toISOString(),
      };
      const event = await this.d.outbox(budgetSettlementUpdated, {
        ...facts(after),
        version: after.version,
        updatedBy: callerId,
        changes,
      });
      const outcome = await this.d.settlements.change(before, after, callerId, [event, ...(completeKey ? [completeKey.item(after)] : [])]);
      if (outcome === 'key-taken') throw keyInUse();
      if (outcome === 'changed') {
        completeKey?.committed();
        return after;
      }
      if (outcome === 'archived') await this.refusedAtWrite(budgetId, callerId);
      if (ifMatch) {
        // Gone (404) or changed meanwhile: the version the caller named is no longer current.
        if (!(await this.d.settlements.get(budgetId, id))) throw settlementNotFound(id);
        throw problems.preconditionFailed();
      }
      if (attempt >= 3) throw problems.conflict('The settle-up payment changed meanwhile; try again.');
    }
  }

  /**
   * Deletes a payment (it was recorded by mistake, or never happened): the owner, or the
   * editor who recorded it. `ifMatch`: the versions the caller accepts (412 otherwise); the
   * delete then holds only while the payment is still at the version read. Without it, a
   * payment moved to another day between the read and the delete (same id, another key) is
   * read again and deleted there (409 after 3 tries).
   */
  async remove(budgetId: string, callerId: string, id: string, ifMatch?: ReadonlySet<number>): Promise<void> {
    const caller = await this.d.access.require(budgetId, callerId);
    requireRole(caller, 'settlements', 'allowed');
    for (let attempt = 1; ; attempt++) {
      const settlement = await this.mayChange(budgetId, callerId, caller, id, 'delete');
      if (ifMatch && !ifMatch.has(settlement.version)) throw problems.preconditionFailed();
      const event = await this.d.outbox(budgetSettlementDeleted, { ...facts(settlement), deletedBy: callerId });
      const outcome = await this.d.settlements.remove(settlement, callerId, [event], ifMatch ? settlement.version : undefined);
      if (outcome === 'removed') return;
      if (outcome === 'archived') await this.refusedAtWrite(budgetId, callerId);
      const still = await this.d.settlements.get(budgetId, id);
      if (!still) throw settlementNotFound(id);
      if (ifMatch) throw problems.preconditionFailed();
      if (attempt >= 3) throw problems.conflict('The settle-up payment changed meanwhile; try again.');
    }
  }

  /** Reads access again after a write's membership check failed: 409 budget-archived, 403 or 404 as the first read would answer now. */
  private async stillAllowed(budgetId: string, callerId: string): Promise<void> {
    requireRole(await this.d.access.require(budgetId, callerId), 'settlements');
  }

  /**
   * The caller's writing-role check failed (an archive, a removal or a change to viewer raced the
   * write): the access answer, else (undone by the re-read: unarchived, made an editor again) a
   * 409 to retry, nothing was written.
   */
  private async refusedAtWrite(budgetId: string, callerId: string): Promise<never> {
    await this.stillAllowed(budgetId, callerId);
    throw problems.conflict('The budget was archived, or your role changed, while this was written, and changed back; nothing was written, try again.');
  }

  /**
   * The payment, when the caller may change or delete it: the owner, or the editor who recorded
   * it (else 403); then, as for every write, 409 budget-archived on an archived budget. The rule
   * comes before the archive so that an editor who may never change this payment is told so
   * (403), not that unarchiving would let them.
   */
  private async mayChange(budgetId: string, callerId: string, caller: BudgetForCaller, id: string, verb: 'change' | 'delete'): Promise<Settlement> {
    const settlement = await this.d.settlements.get(budgetId, id);
    if (!settlement) throw settlementNotFound(id);
    if (caller.role !== 'owner' && settlement.recordedBy !== callerId) {
      throw problems.forbidden(`Only the owner, or the editor who recorded it, can ${verb} a settle-up payment.`);
    }
    requireActive(caller.budget);
    return settlement;
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
  // Only when it has one (the activity log's recorded and deleted entries show it).
  ...(s.note ? { note: s.note } : {}),
});
