import { createHash } from 'node:crypto';
import { ProblemError, awsErrorToProblem, loadOnce, newId, type Clock, type ProblemBody } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { Expense, Income, RecurringExpense, RecurringIncome } from '../model';
import type { Mutation, PushInput } from '../schemas/push.schemas';
import type { ExpensesRepository } from '../repository/expenses.repository';
import type { RulesRepository } from '../repository/rules.repository';
import { TotalsLimitError } from '../repository/totals-cap';
import { recordChanges, type ChangeNumber } from '../repository/change-log';
import { WriteRacedError, isBudgetArchived } from '../domain/write-retry';
import { authorize } from './access';
import type { ChangesService } from './changes.service';
import type { ExpensesService } from './expenses.service';
import type { RuleSource } from './expense-draft';
import type { IncomeRepository } from '../repository/income.repository';
import type { RecurringRepository } from '../repository/recurring.repository';
import type { RecurringIncomeRepository } from '../repository/recurring-income.repository';
import { type IncomeService } from './income.service';
import type { RecurringService } from './recurring.service';
import type { RecurringIncomeService } from './recurring-income.service';
import { IdOfDeletedError } from '../domain/resend-tombstone';
import { CreatorCannotRecordError } from './recurring-definition';

/** What a mutation writes: its `type` (absent: an expense), also the result's field and the conflict copy's `kind`. */
export type PushKind = 'expense' | 'income' | 'recurringExpense' | 'recurringIncome';
interface StoredOf {
  expense: Expense;
  income: Income;
  recurringExpense: RecurringExpense;
  recurringIncome: RecurringIncome;
}
/** An item as stored, with the kind that tells the handler how to present it. */
export type PushedItem = { [K in PushKind]: { kind: K; item: StoredOf[K] } }[PushKind];

export type PushResult =
  /** `recorded`: what a recordNext recorded (the expense or income entry), beside the definition it moved on. */
  | { status: 'applied'; stored: PushedItem; version: number; recorded?: PushedItem }
  | { status: 'applied'; id: string; version: number }
  | { status: 'conflict'; current: PushedItem | { id: string; deleted: true } }
  | { status: 'error'; problem: ProblemBody };

export interface PushServiceDeps {
  expenses: ExpensesService;
  repository: ExpensesRepository;
  /** The budget's categorization rules: read once per batch, by its first create without a category. */
  rules: Pick<RulesRepository, 'all'>;
  changes: ChangesService;
  /** Income mutations (`type: income`): the income routes' single write path, and its reads of a conflict's server copy. */
  income: IncomeService;
  incomeRepository: Pick<IncomeRepository, 'get'>;
  /** Recurring definitions (`type: recurringExpense | recurringIncome`): their routes' services, and the reads of a conflict's server copy. */
  recurring: Pick<RecurringService, 'create' | 'update' | 'remove' | 'skip' | 'recordNext'>;
  recurringRepository: Pick<RecurringRepository, 'get'>;
  recurringIncome: Pick<RecurringIncomeService, 'create' | 'update' | 'remove' | 'skip' | 'recordNext'>;
  recurringIncomeRepository: Pick<RecurringIncomeRepository, 'get'>;
  budgets: BudgetsFacade;
  clock: Clock;
}

/**
 * Offline push: the mutations a client queued, applied in order, each on its own through the
 * same write path as the single-expense routes (ExpensesService: same role checks, same
 * transaction with totals, outbox event and change-log stamp), so GET /changes and every
 * subscriber see them exactly as if they had been sent one by one.
 *
 * A stale `baseVersion` never overwrites: it is the If-Match of that write, and a 412 (or a
 * missing expense) becomes `{status: conflict, current}` with the server's copy. Problems a
 * single write would answer with 4xx/503 (a category not of the budget, an empty patch, a
 * throttled table, a create or update that would take its month's running totals past
 * 2^53 - 1: TotalsLimitError) become `{status: error, problem}` and the batch goes on: one
 * bad mutation must not strand the 99 behind it in the phone's queue.
 *
 * Retries: the route takes an Idempotency-Key, so a retry after a stored answer replays it and
 * writes nothing. If the first attempt died before answering, the retry runs again: creates
 * without a client id get ids derived from the id the key reserved (deriveId), so they are
 * found rather than made twice; updates and deletes it had applied come back as conflicts
 * showing the state they produced.
 *
 * Income mutations (`type: "income"`) go the same way through IncomeService (the income
 * routes' write path: roles, archive guard, If-Match as baseVersion, a client id or one derived
 * from the key's), each taking its change number as an expense write does; their results say
 * `income` where an expense's say `expense`.
 *
 * Recurring definitions (`type: "recurringExpense" | "recurringIncome"`) likewise, through
 * RecurringService and RecurringIncomeService (the POST, PATCH, incl. `paused`, and DELETE of
 * their routes: roles, the budgets module's guard, If-Match as baseVersion, the change number
 * on the definition's own counter). A create's id is the client's or the derived one, as the
 * routes' Idempotency-Key id is: a resend finds the caller's definition (applied, nothing
 * written); someone else's is a conflict; with a client id or one derived from the key, one
 * deleted since (its DELETE's marker, 30 days) is `{id, deleted: true}`, not created again.
 *
 * A definition's `skip` and `recordNext` go through the same services' skip and recordNext (the
 * `.../skip` and `.../record-next` routes' path: roles, guard, If-Match as baseVersion, the change
 * number in the write's own transaction), with the next occurrence the client saw: the jobs move
 * it without a new version, so another date is a conflict too (refuseOtherNext), never the date
 * after skipped or recorded instead. A resend of an applied one meets the version it produced: a
 * conflict showing the definition, nothing skipped or recorded twice. In a keyed batch a
 * recordNext's entry takes the id derived from the key's, so the retry of an attempt that died
 * after recording finds it and answers `applied` with it (the route's reservedId).
 */
export class PushService {
  constructor(private readonly deps: PushServiceDeps) {}

  /**
   * `since`: the client's current token (optional). The answered serverKnowledge then keeps that
   * token's place in a first sync's pages: a token of before income was synced (no `i`) still
   * pages through the budget's income on the next GET /changes, so a client adopting the push's
   * answer does not skip the income recorded before (packages/expenses/docs/sync.md "Offline push"). An in-sync token's
   * numbers advance only over the change numbers this push's applied mutations took
   * (recordChanges), stopping at another writer's: adopting the answer never skips a change
   * made after the token (ChangesService.pushedPosition); a retry finding its first attempt's
   * write done (a create's item, a recordNext's entry) claims that write's numbers, read from the
   * counter before the item it answers (a skip meeting its own result claims nothing: apply). Checked before any write (a bad one is
   * GET's 400 naming query.since, after the access check as there).
   */
  async push(budgetId: string, userId: string, input: PushInput, reservedId?: string, since?: string) {
    // The whole batch needs write access; each write checks again (a role may change mid-batch).
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write');
    const position = since === undefined ? undefined : this.deps.changes.position(budgetId, since);
    // Only an in-sync token's answer advances over numbers (pushedPosition): a token mid-way through
    // a first sync keeps its place, so nothing looks the push's numbers up for it (no scope, no read).
    const advancing = position !== undefined && position.snapshotAfter === undefined && position.incomeAfter === undefined;
    const results: PushResult[] = [];
    // The change numbers of the applied mutations' writes: with `since`, the answer advances over them.
    const own: ChangeNumber[] = [];
    // Read by the first create that asks a rule for its category, then shared by the batch.
    const rules = loadOnce(() => this.deps.rules.all(budgetId));
    for (const [index, mutation] of input.mutations.entries()) {
      const numbers: ChangeNumber[] = [];
      // Numbers a retry finds its first attempt took (a create finding its item): the answer holds
      // the item read after them.
      const claimed: ChangeNumber[] = [];
      const apply = () => this.apply(budgetId, userId, mutation, index, rules, reservedId, advancing ? { written: numbers, claimed } : undefined);
      // Numbers only for an answer that advances over them: without `since`, or with one mid-way
      // through a first sync, nothing looks them up (a retry's recordNext finding its entry reads no
      // counter: recurring-definition.ts foundRecording).
      const result = advancing ? await recordChanges(numbers, apply) : await apply();
      // Only what the client is told it has: an applied result carries the state its write left.
      if (result.status === 'applied') own.push(...numbers);
      own.push(...claimed);
      results.push(result);
    }
    const answered = position === undefined ? {} : this.deps.changes.pushedPosition(position, own);
    // The access read above, not another after the writes: the answer of a batch whose writes
    // committed does not hang on a read (a throttled one, a member removed mid-batch: each
    // mutation's own write checked their access already).
    const serverKnowledge = await this.deps.changes.knowledge(budgetId, userId, answered, access);
    return { results, serverKnowledge };
  }

  /**
   * `claim` (an answer that advances over numbers): `written`, the numbers this mutation's writes
   * took so far (its recordChanges scope); `claimed`, where a retry puts the numbers of its first
   * attempt's write that it finds done (foundCreate).
   */
  private async apply(
    budgetId: string,
    userId: string,
    m: Mutation,
    index: number,
    rules: RuleSource,
    reservedId?: string,
    claim?: { written: readonly ChangeNumber[]; claimed: ChangeNumber[] },
  ): Promise<PushResult> {
    const id = (explicit: string | undefined) => explicit ?? (reservedId ? deriveId(reservedId, index) : newId(this.deps.clock.now().getTime()));
    // The item's id: a create's chosen once (a client id, or the one the key derives), so its
    // conflict reads and names the id it wrote to; an update's or delete's as sent.
    const target = m.op === 'create' ? id(m.id) : m.id;
    // A recordNext's entry in a keyed batch: found by a retry after the first attempt recorded it.
    const recordedId = m.op === 'recordNext' && reservedId !== undefined ? deriveId(reservedId, index) : undefined;
    try {
      // A definition's create checks its deleted marker when its id can be resent: a client's, or
      // one derived from the key (a retry after the first attempt died), as an expense's
      // derived id meets its resend tombstone. Only a fresh random id cannot name a deleted one.
      const result = await this.write(budgetId, userId, m, target, rules, m.id !== undefined || reservedId !== undefined, recordedId);
      // A create applied without a number taken found its item (a resend, a keyed retry): written before.
      if (claim && m.op === 'create' && result.status === 'applied' && claim.written.length === 0) return await this.foundCreate(budgetId, m.type ?? 'expense', target, result, claim.claimed);
      return result;
    } catch (err) {
      const problem = asProblem(err);
      try {
        return await this.refused(budgetId, userId, m, target, problem, reservedId, claim);
      } catch (readErr) {
        // The reads that answer a refusal (the server's copy of a conflict, a resent create's item)
        // failed too (the table throttled): that mutation's 503, the batch goes on. A whole batch's
        // 503 after some of its writes committed would be resent, and its creates without a client
        // id recorded twice.
        return { status: 'error', problem: asProblem(readErr).toBody() };
      }
    }
  }

  /** What a mutation refused with `problem` answers: its error, or a conflict showing the server's copy (read here). */
  private async refused(
    budgetId: string,
    userId: string,
    m: Mutation,
    target: string,
    problem: ProblemError,
    reservedId: string | undefined,
    claim: { written: readonly ChangeNumber[]; claimed: ChangeNumber[] } | undefined,
  ): Promise<PushResult> {
    // A 409 of its own: the state is not the client's to reconcile, the amount is refused; the
    // same for a recordNext whose definition's creator may no longer record (the definition
    // shown would be the client's own copy: nothing in it explains the refusal).
    if (problem instanceof TotalsLimitError || problem instanceof CreatorCannotRecordError) return { status: 'error', problem: problem.toBody() };
    // Nor is an archive that committed mid-batch (its access check, or the change counter of a
    // write already past it): the expense did not change, the budget is read-only.
    if (isBudgetArchived(problem)) return { status: 'error', problem: problem.toBody() };
    // Nor a write that met a passing change of access (a role changed and back, the budget
    // archived and unarchived, after its access read): nothing was written, and the server's copy
    // is still the one the client's baseVersion names; sent again, it may apply.
    if (problem instanceof WriteRacedError) return { status: 'error', problem: problem.toBody() };
    // A create refused for what its body names (400: a category removed since, a member it shares
    // with gone) under an id that can be resent (the client's, or one derived from the key) may be
    // the resend of one applied before: the body is checked against the budget as it is now, before
    // the id is found taken. Its item, the caller's, answers as the create found (as a keyed POST's
    // replay answers its 201: keyed-replay-body-check.test.ts), not a refusal of something that
    // exists, which a phone would let its user enter again. One GetItem, on such a refusal only.
    if (m.op === 'create' && problem.status === 400 && (m.id !== undefined || reservedId !== undefined)) {
      const found = await this.read(m.type ?? 'expense', budgetId, target);
      if (found?.item.createdBy === userId) {
        const applied: PushResult = { status: 'applied', stored: found, version: found.item.version };
        return claim ? await this.foundCreate(budgetId, found.kind, target, applied, claim.claimed) : applied;
      }
    }
    // 409: a client id taken by someone else's item, a definition paused or ended (skip,
    // recordNext) or its date recorded meanwhile; 412: stale baseVersion or another next
    // occurrence (skip, recordNext); 404: gone.
    if (problem.status === 409 || problem.status === 412 || problem.status === 404) {
      // The create's id is taken but holds no item (the service read it): the resend tombstone of
      // this expense or entry, deleted since (domain/resend-tombstone.ts), or a definition's
      // deleted marker (recurring-definitions.ts deletedMarker). Gone, not recorded again.
      if (problem instanceof IdOfDeletedError) return { status: 'conflict', current: { id: target, deleted: true } };
      // A skip meeting the version its own first attempt produced claims nothing: another member's
      // skip of the same date from the same version leaves the very same definition, and neither it
      // nor the counter says whose it is (review 56a); the next sync brings it again (harmless).
      const current = await this.read(m.type ?? 'expense', budgetId, target);
      if (current) {
        if (problem.status !== 404) return { status: 'conflict', current };
      } else if (m.op !== 'create') {
        return { status: 'conflict', current: { id: m.id, deleted: true } };
      }
    }
    return { status: 'error', problem: problem.toBody() };
  }

  /**
   * The mutation through its kind's single-item write path; `id`: the create's chosen id, or the
   * item's; `resendable`: a definition's create checks its deleted marker; `recordedId`: a
   * recordNext's entry's id (undefined: a fresh one).
   */
  private async write(budgetId: string, userId: string, m: Mutation, id: string, rules: RuleSource, resendable: boolean, recordedId: string | undefined): Promise<PushResult> {
    const d = this.deps;
    const ifMatch = m.op === 'create' ? undefined : new Set([m.baseVersion]);
    if (m.op === 'skip') {
      const stored: PushedItem =
        m.type === 'recurringExpense'
          ? { kind: m.type, item: await d.recurring.skip(budgetId, userId, id, ifMatch, undefined, m.nextOccurrenceOn) }
          : { kind: m.type, item: await d.recurringIncome.skip(budgetId, userId, id, ifMatch, undefined, m.nextOccurrenceOn) };
      return { status: 'applied', stored, version: stored.item.version };
    }
    if (m.op === 'recordNext') {
      if (m.type === 'recurringExpense') {
        const input = m.occurredOn === undefined ? {} : { occurredOn: m.occurredOn };
        const r = await d.recurring.recordNext(budgetId, userId, id, input, ifMatch, recordedId, undefined, m.nextOccurrenceOn);
        return { status: 'applied', stored: { kind: m.type, item: r.recurringExpense }, recorded: { kind: 'expense', item: r.expense }, version: r.recurringExpense.version };
      }
      const input = m.receivedOn === undefined ? {} : { receivedOn: m.receivedOn };
      const r = await d.recurringIncome.recordNext(budgetId, userId, id, input, ifMatch, recordedId, undefined, m.nextOccurrenceOn);
      return { status: 'applied', stored: { kind: m.type, item: r.recurringIncome }, recorded: { kind: 'income', item: r.income }, version: r.recurringIncome.version };
    }
    if (m.op === 'delete') {
      const remove = { income: d.income, recurringExpense: d.recurring, recurringIncome: d.recurringIncome, expense: d.expenses }[m.type ?? 'expense'];
      await remove.remove(budgetId, userId, id, ifMatch);
      return { status: 'applied', id, version: m.baseVersion };
    }
    const stored = await (async (): Promise<PushedItem> => {
      switch (m.type) {
        case 'income':
          return {
            kind: 'income',
            // As an expense's: a client id may be resent after a deletion its tombstone no longer covers.
            item: m.op === 'create' ? await d.income.create(budgetId, userId, m.income, id, m.id !== undefined) : await d.income.update(budgetId, userId, id, m.patch, ifMatch),
          };
        case 'recurringExpense':
          return {
            kind: 'recurringExpense',
            item: m.op === 'create' ? await d.recurring.create(budgetId, userId, m.recurringExpense, id, resendable, undefined, m.id !== undefined) : await d.recurring.update(budgetId, userId, id, m.patch, ifMatch),
          };
        case 'recurringIncome':
          return {
            kind: 'recurringIncome',
            item: m.op === 'create' ? await d.recurringIncome.create(budgetId, userId, m.recurringIncome, id, resendable, undefined, m.id !== undefined) : await d.recurringIncome.update(budgetId, userId, id, m.patch, ifMatch),
          };
        default:
          return {
            kind: 'expense',
            // A client's id may be resent after a deletion its tombstone no longer covers (createWithId).
            item: m.op === 'create' ? await d.expenses.createWithId(budgetId, userId, m.expense, id, rules, m.id !== undefined) : await d.expenses.update(budgetId, userId, id, m.patch, ifMatch),
          };
      }
    })();
    return { status: 'applied', stored, version: stored.item.version };
  }

  /**
   * A create that found its item (written by an earlier attempt or send): the number that create
   * took is claimed when its own counter still keeps it (ONE strongly consistent GetItem), and the
   * item is read again after that counter, so the answer holds the change it claims (one GetItem
   * more). Only while the item is at version 1: a member's later change of it (a PATCH, whose
   * If-Match the version is) makes another version, so the earliest change kept is then never one
   * that took the create's place in the slots (RECENT_SLOTS changes of the shard since) and that the
   * client's token may stand right before. A change that keeps the version (the jobs' move of a
   * definition's date) is the system's, and the answer read after it holds it. Nothing kept, a later
   * version, or the item deleted meanwhile: claiming nothing.
   */
  private async foundCreate(budgetId: string, kind: PushKind, id: string, found: PushResult, claimed: ChangeNumber[]): Promise<PushResult> {
    const [first] = await this.deps.repository.changes.ownNumbers(budgetId, id, flagsOf(kind));
    if (first === undefined) return found;
    const current = await this.read(kind, budgetId, id);
    if (current === undefined) return found;
    // Changed since its create (another member's PATCH, ...): the earliest kept change may be that
    // one, its create's having left the slots; claimed, a token right before it would skip it.
    if (current.item.version !== 1) return { status: 'applied', stored: current, version: current.item.version };
    claimed.push(first);
    return { status: 'applied', stored: current, version: current.item.version };
  }

  /** The server's copy of a conflict (strongly consistent, as the writes read it). */
  private async read(kind: PushKind, budgetId: string, id: string): Promise<PushedItem | undefined> {
    const d = this.deps;
    switch (kind) {
      case 'income': {
        const item = await d.incomeRepository.get(budgetId, id);
        return item && { kind, item };
      }
      case 'recurringExpense': {
        const item = await d.recurringRepository.get(budgetId, id);
        return item && { kind, item };
      }
      case 'recurringIncome': {
        const item = await d.recurringIncomeRepository.get(budgetId, id);
        return item && { kind, item };
      }
      case 'expense': {
        const item = await d.repository.get(budgetId, id);
        return item && { kind, item };
      }
    }
  }
}

/** `err` as the problem it answers (a ProblemError, or an AWS error's 4xx/503); anything else (a bug) is thrown again: it fails the request. */
function asProblem(err: unknown): ProblemError {
  const problem = err instanceof ProblemError ? err : awsErrorToProblem(err);
  if (!problem) throw err;
  return problem;
}

/** A kind's flags in the change log's slots (change-log.ts recentSlotValue). */
function flagsOf(kind: PushKind | undefined): { income: boolean; recurring: boolean } {
  return { income: kind === 'income' || kind === 'recurringIncome', recurring: kind === 'recurringExpense' || kind === 'recurringIncome' };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID for the index-th create of a batch: the reserved id's time part and 80 bits of
 * sha256(reservedId, index), so the same key always names the same ids and ids of one batch
 * still sort by creation time.
 */
export function deriveId(reservedId: string, index: number): string {
  const digest = createHash('sha256').update(`${reservedId}#${index}`).digest();
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[digest[i]! & 31];
  return reservedId.slice(0, 10) + random;
}
