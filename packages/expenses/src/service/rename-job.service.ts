import { ProblemError, WORK_UNIT_STALLED_AFTER_MS, newId, problems, type Clock, type Logger, type WorkQueue } from '@budgeting/platform';
import { JobWatchdog, isStalled, stallMinutes, type WatchOutcome } from '@budgeting/platform/job-watchdog';
import type { BudgetAccess, BudgetsFacade } from '@budgeting/budgets';
import { RENAME_PAGE_SIZE } from '../domain/merchant-rename';
import { isBudgetArchived } from '../domain/write-retry';
import { INTERNAL_FAILURE } from '../domain/internal-failure';
import type { Expense } from '../model';
import type { UpdateExpenseInput } from '../schemas/expenses.schemas';
import type { ExpenseQueries } from '../repository/expense-queries.repository';
import type { RenamesRepository, RenameRecord, TransactItem } from '../repository/renames.repository';
import { authorize, refuseArchived } from './access';
import { guardedWrite } from './guarded-write';
import { mapBounded } from './bounded';
import { BULK_WRITE_CONCURRENCY } from './bulk.service';
import type { ExpensesService } from './expenses.service';

export interface RenameOptions {
  /** Expenses per unit (tests lower it to see paging with a few expenses; production passes nothing: RENAME_PAGE_SIZE). */
  pageSize?: number;
  /** A rename that has not moved for this long reads as failed (default WORK_UNIT_STALLED_AFTER_MS, from the job queue's figures). */
  stalledAfterMs?: number;
}

/** One unit of the rename job: page `n` of the budget's expenses, after expense id `after` (from the start without it). */
export interface RenameUnit {
  budgetId: string;
  renameId: string;
  n: number;
  after?: string;
}

/** The rename's watchdog (jobs/rename-watchdog-job.ts): one unit per started rename, held until its stall is due. */
export type RenameWatchdogUnit = {
  budgetId: string;
  renameId: string;
};

/** How a unit ended: the next page's unit when there is one (the job queues it), and the expenses renamed. */
export interface UnitOutcome {
  next?: RenameUnit;
  renamed: number;
}

export const BUDGET_DELETED_REASON = 'the budget was deleted while renaming';
/** A rename's reason when its budget was archived while it ran (failureCode `budget-archived`). */
const BUDGET_ARCHIVED_REASON = 'the budget was archived while renaming; expenses renamed before stay, renaming again after unarchiving does only the rest';

/**
 * What one kind of rename (a merchant's, a tag's) does to an expense, and its names: the rest,
 * the job's paging, counting, idempotence, stall rule and watchdog, is RenameJobService's.
 */
export interface RenameKind {
  /** What messages call it ("merchant rename"). */
  label: string;
  /** The rename's job and its watchdog's (jobs/names.ts). */
  job: string;
  watchdogJob: string;
  /**
   * The PATCH that renames `expense` as it is now, or undefined when it does not match (nothing
   * to write). Given the record once per page: build matchers there.
   */
  patchFor(record: RenameRecord): (expense: Expense) => UpdateExpenseInput | undefined;
  /** Is the expense as this rename leaves it (what a planned expense is counted renamed by)? */
  isRenamed(record: RenameRecord, expense: Expense): boolean;
}

/** The services a rename needs, whatever its kind. */
export interface RenameDeps {
  renames: RenamesRepository;
  queries: ExpenseQueries;
  expenses: ExpensesService;
  budgets: BudgetsFacade;
  clock: Clock;
  /** The units after unit 0 and the watchdog (queued by the job and after the start's commit). */
  work: WorkQueue;
  /** Unit 0 as an item of the record's own transaction (platform queuedUnitPut under the module's prefix). */
  queueUnit: (job: string, unit: unknown, tick: Date) => TransactItem;
  /** Where a watchdog that could not be queued is reported (nothing else fails for it). */
  logger?: Pick<Logger, 'warn'>;
}

/** What a kind's `prepare` made before the record: the rules' ids the record names, and how to take them back when the start is refused. */
export interface Prepared {
  ruleIds?: string[];
  takeBack?: () => Promise<void>;
}

/**
 * A rename across a budget's expenses, as a fan-out job without a schedule, whatever it
 * renames (RenameKind): a merchant (POST /v1/budgets/{budgetId}/merchants/rename,
 * MerchantRenameService) or a tag (POST .../tags/rename, TagRenameService). The request checks access (owners and editors), stores
 * the rename record and queues unit 0. Each unit reads ONE page of the budget's expenses (the
 * first delta sync's Query: the base table in id order, strongly consistent, `pageSize`
 * expenses after the previous page's last id), renames the matching ones, records itself done
 * with its counts and the next page's cursor, and hands the job the next page's unit: a budget
 * of 100,000 expenses is 200 units, each its own invocation, none looping over the budget.
 *
 * Each expense is written by ExpensesService.updateAuthorized, the write of a PATCH
 * (the kind's: `{merchant: to}`, or `{tags}`; as the bulk edit's): version + 1, the change-log entry and expense.updated
 * event with its `changes`, the running totals' deltas (none: amounts, dates and categories do
 * not change), conditioned on the version read. The patch is computed on the expense as it is
 * when written: one changed meanwhile (a lost race re-reads it) is renamed only if it still
 * matches, otherwise left alone (skipped).
 *
 * Idempotent per unit: a unit delivered again re-reads its page; what is renamed no longer
 * matches, so only the rest is written, and the unit's counts go into the record in the same
 * transaction that marks it done (MerchantRenamesRepository.completeUnit), once.
 *
 * A unit whose last attempt fails runs failUnit; one killed before it can (a Lambda timeout)
 * or lost would leave the rename `running` until its record expires, so a rename that has not
 * moved for the stall window reads as failed (`current`), whether a member reads it or its
 * watchdog does (`watch`, a delayed unit per rename: platform jobs/job-watchdog.ts).
 */
export class RenameJobService<Input extends { from: string[]; to: string | null } = { from: string[]; to: string | null }> {
  private readonly pageSize: number;
  private readonly stalledAfterMs: number;
  /** The started renames' watchdog (platform jobs/job-watchdog.ts, shared with the imports'). */
  private readonly watchdog: JobWatchdog<RenameWatchdogUnit>;

  constructor(
    protected readonly kind: RenameKind,
    protected readonly deps: RenameDeps,
    options: RenameOptions = {},
  ) {
    this.pageSize = options.pageSize ?? RENAME_PAGE_SIZE;
    this.stalledAfterMs = options.stalledAfterMs ?? WORK_UNIT_STALLED_AFTER_MS;
    this.watchdog = new JobWatchdog({
      job: kind.watchdogJob,
      watched: kind.label,
      work: deps.work,
      clock: deps.clock,
      stalledAfterMs: this.stalledAfterMs,
      logger: deps.logger,
    });
  }

  /**
   * Starts a rename: what the kind does first (`prepare`: a merchant rename's rules), then the
   * record (queued) with its first unit in one transaction, then its watchdog. The record as created.
   */
  async start(budgetId: string, userId: string, input: Input): Promise<RenameRecord> {
    // The role, then the kind's own rule (a merchant rename's `remember`), then the archive: a
    // request refused by that rule gets its 403 on an archived budget too (access.ts archiveAfterOwnRule).
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write', { archiveAfterOwnRule: true });
    this.precheck(access, input);
    refuseArchived(access, budgetId);
    const { ruleIds, takeBack } = await this.prepare(budgetId, userId, access, input);
    const now = this.deps.clock.now();
    const record: RenameRecord = {
      ...(ruleIds ? { ruleIds } : {}),
      id: newId(now.getTime()),
      budgetId,
      userId,
      status: 'queued',
      from: input.from,
      to: input.to,
      examined: 0,
      renamed: 0,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    // Unit 0 is written with the record (the table stream's relay queues it): a process that
    // dies right after the commit still renames, and the start never waits on, nor fails with,
    // the queue. (Until stop 54 it was queued after the commit: a refusal failed the rename
    // `not-started`, a crash left it queued until the stall window failed it.)
    // The starter's check too: removed or made a viewer since the access read, the rename is
    // refused (404 or 403), as its units' writes are the job's and check no member.
    const unit0 = this.deps.queueUnit(this.kind.job, { budgetId, renameId: record.id, n: 0 } satisfies RenameUnit, now);
    // The watchdog BEFORE the commit, and a refusal only logged (JobWatchdog.arm): it must not
    // decide the rename's fate (a read still fails it once stalled). It also covers a unit 0 that
    // failed every attempt, also after a process that died right after the commit (the relay
    // still queues unit 0): armed after the commit (until feat/outbox), the crash took the
    // watchdog, and such a rename read `queued` until someone read it. A rename refused below is
    // never stored: the watch of what is gone ends.
    await this.watchdog.arm({ budgetId, renameId: record.id }, record);
    const created = await guardedWrite(this.deps.budgets, budgetId, userId, 'write', (guard) => this.deps.renames.create(record, [unit0], guard)).catch(async (err: unknown) => {
      // Refused (guardedWrite's problem: archived since the access read, or the starter's access
      // changed; nothing written): what prepare made goes too. Any other error may have come after
      // the record committed (a timeout): the rename may be running, its rules stay.
      if (err instanceof ProblemError) await takeBack?.();
      throw err;
    });
    // Deleted since the access read: as had it been gone already, nothing of the rename stored or queued.
    if (created === 'budget-closed') throw problems.notFound('Budget not found.');
    return record;
  }

  /** Who may ask for this input, beyond a writing role (none by default; a merchant rename's `remember`: the owner): throws its 403. */
  protected precheck(_access: BudgetAccess, _input: Input): void {}

  /** What the kind does before the record exists (none by default; a merchant rename's `remember` rules). */
  protected prepare(_budgetId: string, _userId: string, _access: BudgetAccess, _input: Input): Promise<Prepared> {
    return Promise.resolve({});
  }

  /**
   * One delivery of the rename's watchdog (jobs/rename-watchdog-job.ts): the rename is
   * read as GET reads it (`current`: the stall rule and its conditional failStalled), then
   * JobWatchdog ends the watch (ended or gone) or re-arms it, due one window (+ the margin)
   * after the rename last moved. Redelivered or duplicated, the failure is still written once.
   */
  watch(unit: RenameWatchdogUnit): Promise<WatchOutcome> {
    return this.watchdog.watch(unit, () => this.current(unit.budgetId, unit.renameId));
  }

  /** A rename of the budget, for any member (404 when unknown or expired). */
  async get(budgetId: string, userId: string, renameId: string): Promise<RenameRecord> {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    const record = await this.current(budgetId, renameId);
    if (!record) throw problems.notFound(`${this.kind.label[0]!.toUpperCase()}${this.kind.label.slice(1)} not found.`);
    return record;
  }

  /** The record without an access check (Prefer: wait polls after start checked access). */
  peek(budgetId: string, renameId: string): Promise<RenameRecord | undefined> {
    return this.current(budgetId, renameId);
  }

  /**
   * The record as stored, except that a rename still `queued` or `running` that has not moved
   * (`updatedAt`: created, started, a page counted) for more than WORK_UNIT_STALLED_AFTER_MS (75
   * minutes: the job queue's backlog alarm's hour for a first receive, plus its 5 receives x
   * the 3-minute visibility timeout; platform jobs/work-queue-limits.ts) is failed here, saying
   * so. By then every unit still in flight has either counted a page or failed its last attempt,
   * which fails the rename itself (failUnit), unless that attempt was killed before it could (a
   * Lambda timeout) or the unit was lost: the case this catches. Found when someone looks (GET,
   * Prefer: wait) or when the rename's watchdog looks (`watch`).
   *
   * Written conditionally (still open and not moved since this read: a page counted meanwhile
   * keeps it going; of two readers at once one writes, both answer the stored record), so it
   * is final: completeUnit needs the rename open, and a unit delivered later does nothing
   * (workUnit). Expenses renamed stay; renaming again is safe, it only renames what still matches.
   */
  private async current(budgetId: string, renameId: string): Promise<RenameRecord | undefined> {
    const record = await this.deps.renames.get(budgetId, renameId);
    const now = this.deps.clock.now();
    if (!record || !isStalled(record, now, this.stalledAfterMs)) return record;
    const reason = `the rename stalled: nothing moved for ${stallMinutes(this.stalledAfterMs)} minutes (a page of the budget's expenses ended without being counted or failed, e.g. its worker was stopped on its last attempt); expenses renamed before stay, and renaming again is safe: it only renames what still matches`;
    await this.deps.renames.failStalled(record, reason, now);
    // Written by this call or another reader, or moved meanwhile: the stored record either way.
    return this.deps.renames.get(budgetId, renameId);
  }

  /**
   * One unit: page `unit.n`. Stops starting writes once `deadline` has passed; the page is then
   * cut after the last expense handled, counted as done, and the rest is the next unit's.
   */
  async workUnit(unit: RenameUnit, deadline: number): Promise<UnitOutcome> {
    const { budgetId, renameId, n } = unit;
    const [record, state] = await Promise.all([this.deps.renames.get(budgetId, renameId), this.deps.renames.unit(budgetId, renameId, n)]);
    // Gone (expired, or removed with its budget) or ended: nothing to do.
    if (!record || record.status === 'failed' || record.status === 'succeeded') return { renamed: 0 };
    // Done before (a redelivery after its commit, or a concurrent delivery won): hand on its next page again.
    if (state.done) return { ...this.nextOf(unit, state.next ?? null), renamed: 0 };
    if ((await this.deps.budgets.memberIds(budgetId)).length === 0) {
      await this.deps.renames.fail(budgetId, renameId, BUDGET_DELETED_REASON, this.deps.clock.now(), 'budget-deleted');
      return { renamed: 0 };
    }
    if (record.status === 'queued') await this.deps.renames.markRunning(budgetId, renameId, this.deps.clock.now());

    const page = await this.deps.queries.pageById(budgetId, unit.after, this.pageSize);
    const patchOf = this.kind.patchFor(record);
    const pending = page.items.filter((e) => patchOf(e) !== undefined);
    if ((await this.deps.renames.plan(budgetId, renameId, n, pending.map((e) => e.id), record.createdAt)) === 'budget-closed') {
      // Deleted since the member read: nothing planned (the record is gone or going with it).
      await this.deps.renames.fail(budgetId, renameId, BUDGET_DELETED_REASON, this.deps.clock.now(), 'budget-deleted');
      return { renamed: 0 };
    }
    const planned = new Set([...state.planned, ...pending.map((e) => e.id)]);

    // Archived after the rename started (a write's change counter says so): no write more is tried.
    let archived = false;
    const outcomes = await mapBounded(pending, BULK_WRITE_CONCURRENCY, async (expense) => {
      if (archived || Date.now() >= deadline) return 'not-started' as const;
      const outcome = await this.renameOne(record, expense, patchOf);
      if (outcome === 'archived') archived = true;
      return outcome;
    });
    if (archived) {
      await this.deps.renames.fail(budgetId, renameId, BUDGET_ARCHIVED_REASON, this.deps.clock.now(), 'budget-archived');
      return { renamed: 0 };
    }
    // The page up to the first expense not started (all of it when every one was).
    const firstLeft = outcomes.indexOf('not-started');
    const cut = firstLeft === -1 ? page.items.length : page.items.indexOf(pending[firstLeft]!);
    // Out of time before anything was handled: the same unit again, later.
    if (cut === 0 && page.items.length > 0) return { next: unit, renamed: 0 };
    const handled = page.items.slice(0, cut);
    const outcomeOf = new Map(pending.map((e, i) => [e.id, outcomes[i]]));
    // Renamed: by this delivery, or (planned, now as the rename leaves it) by an earlier one that never counted it.
    const renamed = handled.filter((e) => {
      const outcome = outcomeOf.get(e.id);
      return outcome === undefined ? planned.has(e.id) && this.kind.isRenamed(record, e) : outcome === 'renamed';
    }).length;
    const next = cut < page.items.length || page.more ? handled[handled.length - 1]!.id : null;
    const counted = await this.deps.renames.completeUnit(record, n, { examined: handled.length, renamed, next }, this.deps.clock.now());
    if (!counted) {
      // Another delivery of this unit counted it first: follow what it recorded.
      const after = await this.deps.renames.unit(budgetId, renameId, n);
      if (after.done) return { ...this.nextOf(unit, after.next ?? null), renamed: 0 };
      // Not counted, yet the rename is open: the last page's finish found the counts moved since
      // `record` was read (its event must carry the final ones). Fail the delivery: its retry
      // reads them again (what this one renamed is planned, so it is counted then).
      const latest = await this.deps.renames.get(budgetId, renameId);
      if (latest && (latest.status === 'queued' || latest.status === 'running')) throw new Error(`${this.kind.label} ${renameId}: its counts moved while page ${n + 1} was finishing it`);
      return { renamed: 0 };
    }
    return { ...this.nextOf(unit, next), renamed };
  }

  /**
   * A unit failed every attempt (it is dead-lettered): the rename fails, saying which page and
   * what to do, not the error (the runner logged it; domain/internal-failure.ts).
   */
  async failUnit(unit: RenameUnit, _err: Error): Promise<void> {
    const reason = `page ${unit.n + 1} of the budget's expenses failed every attempt (${INTERNAL_FAILURE}); expenses renamed before stay, renaming again does only the rest`;
    await this.deps.renames.fail(unit.budgetId, unit.renameId, reason, this.deps.clock.now(), 'part-failed');
  }

  /**
   * One expense through the PATCH write. 'renamed' when it is as the rename leaves it afterwards
   * (written here, or by a concurrent delivery of the unit); 'skipped' when it changed meanwhile
   * and no longer matches, is gone, or kept losing races (409); 'archived' when the budget was
   * archived since the rename started (nothing written: the rename stops).
   */
  private async renameOne(record: RenameRecord, expense: Expense, patchOf: (expense: Expense) => UpdateExpenseInput | undefined): Promise<'renamed' | 'skipped' | 'archived'> {
    try {
      // As the job (WriterKind): access was checked when the rename was asked for, not again per write.
      const after = await this.deps.expenses.updateAuthorized(record.budgetId, record.userId, expense.id, Promise.resolve(expense), patchOf, undefined, undefined, 'job');
      return this.kind.isRenamed(record, after) ? 'renamed' : 'skipped';
    } catch (err) {
      if (isBudgetArchived(err)) return 'archived';
      // Deleted meanwhile (404) or changed by others too often (409): left as it is.
      if (err instanceof ProblemError && (err.status === 404 || err.status === 409)) return 'skipped';
      // Refused by its PATCH for what it holds (400, 422: a legacy or damaged item, e.g. split
      // parts not adding up to its amount; no request makes one): every retry would meet the same
      // refusal, and the unit's failure failed the whole rename. Left as it is, as a rule apply
      // lists it (retryable: false), and said in the log.
      if (err instanceof ProblemError && (err.status === 400 || err.status === 422)) {
        this.deps.logger?.warn(`${this.kind.label}: an expense its PATCH refuses was left as it is`, { budgetId: record.budgetId, renameId: record.id, expenseId: expense.id, problem: err.toBody() });
        return 'skipped';
      }
      throw err;
    }
  }

  private nextOf(unit: RenameUnit, after: string | null): { next?: RenameUnit } {
    return after === null ? {} : { next: { budgetId: unit.budgetId, renameId: unit.renameId, n: unit.n + 1, after } };
  }
}
