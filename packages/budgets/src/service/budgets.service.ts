import { dateInTimeZone, epochSeconds, IDEMPOTENCY_TTL_SECONDS, keyInUse, newId, normalizeTimeZone, ProblemError, problems, type Clock, type KeyCompletion, type Logger, PLATFORM_PROBLEMS } from '@budgeting/platform';
import { budgetCreated, budgetDeleted, budgetUpdated } from '../events';
import { DEFAULT_SHARE, FIRST_MEMBER_VERSION, MAX_OWNED_BUDGETS, type Budget, type BudgetForCaller, type LimitChange, type Member, type PeriodLimit } from '../model';
import type { BudgetsRepository } from '../repository/budgets.repository';
import type { MembersRepository } from '../repository/members.repository';
import type { Page } from '../repository/page';
import type { ReportScheduleRepository } from '../reports';
import type { ClearPeriodLimitsQuery, CreateBudgetInput, MoveMoneyInput, SetPeriodLimitInput, UpdateBudgetInput } from '../schemas/budgets.schemas';
import type { UserSummary, UsersFacade } from '@budgeting/users';
import { requireRole, type AccessService } from './access';
import { MEMBER_DETAILS_ATTEMPTS, memberDetailsKeptChanging } from './member-details-attempts';
import { applyCategories, toCategory } from '../domain/categories';
import { creationDateOf, firstPeriodOf, periodContaining } from '../domain/periods';
import { categoryLimitAt, LIMIT_HISTORY_CAP_MESSAGE, limitHistoryAfter, type LimitChangesApplyTo } from '../domain/limit-history';
import { clearPeriodLimits, isRefusal, isSetRefusal, limitInPeriod, moveMoney, normalizePeriodLimits, setPeriodLimit } from '../domain/period-limits';
import type { OutboxWriter } from './events';

/** Optimistic writes retried this often when others keep changing the budget meanwhile. */
const MAX_WRITE_ATTEMPTS = 5;
const ownedBudgetsLimit = () =>
  problems.limitReached('budgets', MAX_OWNED_BUDGETS, `An account can own at most ${MAX_OWNED_BUDGETS} budgets (archived ones included); delete one first.`);

/** What a change compares and budget.updated lists (`periodLimits`: dropped with their category or period kind, or moved, set, cleared). */
const SETTINGS = ['name', 'currency', 'period', 'timezone', 'limit', 'categories', 'rollover', 'alertThresholds', 'paceAlerts', 'periodLimits'] as const;

export interface BudgetsServiceDeps {
  clock: Clock;
  logger: Logger;
  budgets: BudgetsRepository;
  members: MembersRepository;
  reportSchedule: ReportScheduleRepository;
  access: AccessService;
  outbox: OutboxWriter;
  users: UsersFacade;
}

/**
 * What a copy's create (POST .../copy, copy.service.ts) adds to a create: the owner's share when
 * not the default (a copy with its members keeps the copier's share), and the per-period limits
 * the new budget starts with, given the budget with its categories (the source's, written in the
 * same transaction as the budget). Made under an Idempotency-Key, the copy also refuses an id
 * whose copy was deleted (BudgetsRepository.deletedCopyMarker).
 */
export interface CopyCreation {
  ownerShare?: number;
  periodLimitsOf(budget: Budget): PeriodLimit[];
}

/** Budget settings: create, read, list, change (owner), delete (owner). */
export class BudgetsService {
  constructor(private readonly d: BudgetsServiceDeps) {}

  /**
   * `reservedId`: the id an Idempotency-Key reserved for this creation; a retry after a crash
   * that followed the commit gets the budget already created instead of a second one.
   * `completeKey`: the POST's Idempotency-Key lease completed with its
   * 201 for the budget, an item of the create's own transaction: a retry after a crash between
   * the commit and the answer replays it, even once the budget was deleted (the reserved id alone
   * created it again then). `copy`: the create is a copy's (CopyCreation).
   */
  async create(ownerId: string, input: CreateBudgetInput, reservedId?: string, completeKey?: KeyCompletion<BudgetForCaller>, copy?: CopyCreation): Promise<BudgetForCaller> {
    // A keyed copy's key may be retried after this create while the copy is unfinished (its
    // completion rides with its last step): its budget item says until when, and a retry after the
    // copy's deletion meets the deletion's marker instead of making the copy again (deletedCopyMarker).
    const keyedCopy = copy !== undefined && reservedId !== undefined;
    // The owner's account is read again when it changed between the read and the write (its
    // check, with the version their membership's snapshot was read at, failed): member-details-attempts.ts.
    for (let attempt = 1; ; attempt++) {
      // The owner's email and name are kept on their membership for the members list, and
      // their preferences are the budget's defaults.
      const owner = await this.d.users.getById(ownerId);
      // Access tokens are checked without a read, so one outlives its deleted account by up to
      // its TTL; a budget created with it would belong to nobody and escape the account's
      // user.deleted cleanup, which has already run. The write checks it again (accountCheck):
      // the account may be deleted, and cleaned up after, between this read and the write.
      if (!owner) throw problems.accountGone();
      // Past the last attempt only after this read: a failure that was the deletion answers 401.
      if (attempt > MEMBER_DETAILS_ATTEMPTS) throw memberDetailsKeptChanging();
      const { budget, membership } = this.draft(owner, input, reservedId, copy?.ownerShare ?? DEFAULT_SHARE, copy?.periodLimitsOf);
      const created: BudgetForCaller = { budget, role: 'owner' };
      // The early refusal (before the transaction); the count's condition in it is what holds the
      // cap against creates racing at it. Read (and started) for a keyed create too, but not
      // refused early: its transaction tells a budget already created under the key ('exists')
      // from a full count.
      const owned = await this.ownedCount(ownerId);
      if (reservedId === undefined && owned >= MAX_OWNED_BUDGETS) throw ownedBudgetsLimit();
      const outcome = await this.d.budgets.create(budget, membership, this.d.users.accountCheck(ownerId, { version: owner.version }), [
        await this.d.outbox(budgetCreated, {
          budgetId: budget.id,
          ownerId,
          name: budget.name,
          currency: budget.currency,
          period: budget.period,
          timezone: budget.timezone,
          limit: budget.limit,
        }),
        ...(completeKey ? [completeKey.item(created)] : []),
      ], {
        ...this.d.reportSchedule.initialAttributes(budget),
        ...(keyedCopy ? { copyKeyUntil: epochSeconds(this.d.clock.now()) + IDEMPOTENCY_TTL_SECONDS } : {}),
      }, MAX_OWNED_BUDGETS, keyedCopy);
      // Deleted (the next read says so: its user.deleted cleanup may have run already) or
      // changed since the read above: read again.
      if (outcome === 'owner-changed') continue;
      if (outcome === 'key-taken') throw keyInUse();
      if (outcome === 'full') throw ownedBudgetsLimit();
      if (outcome === 'copy-deleted') {
        throw problems.conflict('The copy made under this Idempotency-Key was deleted before it was finished; nothing was copied again. Send the copy with a new Idempotency-Key to make another.');
      }
      if (outcome === 'exists') return this.d.access.require(budget.id, ownerId);
      completeKey?.committed();
      return created;
    }
  }

  /**
   * The budget and its owner's membership as `owner` (just read) makes them: their preferences
   * are the budget's defaults, their email and name the membership's snapshot.
   */
  private draft(
    owner: UserSummary,
    input: CreateBudgetInput,
    reservedId: string | undefined,
    ownerShare: number,
    periodLimitsOf: ((budget: Budget) => PeriodLimit[]) | undefined,
  ): { budget: Budget; membership: Member } {
    const ownerId = owner.id;
    const now = this.d.clock.now();
    const at = now.toISOString();
    const budget: Budget = {
      id: reservedId ?? newId(now.getTime()),
      ownerId,
      name: input.name,
      currency: input.currency ?? owner.currency,
      period: input.period,
      timezone: storedZone(input.timezone ?? owner.timezone),
      limit: input.limit,
      categories: [],
      rollover: input.rollover,
      alertThresholds: input.alertThresholds,
      paceAlerts: input.paceAlerts,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    // A category created with rollover carries from the budget's first period (the one it is created in).
    const rolloverSince = firstPeriodOf(budget).start;
    budget.categories = input.categories.map((c) => toCategory(newId(now.getTime()), { ...c, rolloverSince }));
    const periodLimits = periodLimitsOf?.(budget) ?? [];
    if (periodLimits.length > 0) budget.periodLimits = periodLimits;
    const membership: Member = {
      budgetId: budget.id,
      userId: ownerId,
      role: 'owner',
      email: owner.email,
      name: owner.name ?? null,
      // As MembersService.add: a refresh that read the account before this is refused over it.
      detailsVersion: owner.version,
      addedAt: at,
      share: ownerShare,
      version: FIRST_MEMBER_VERSION,
    };
    return { budget, membership };
  }

  get(budgetId: string, userId: string): Promise<BudgetForCaller> {
    return this.d.access.require(budgetId, userId);
  }

  /**
   * A page of the budgets the user belongs to (any role), oldest first: the active ones, or with
   * `archived` only the archived ones (their memberships' index keys tell them apart).
   */
  async list(userId: string, limit: number, startKey?: Record<string, unknown>, archived = false): Promise<Page<BudgetForCaller>> {
    const page = await this.d.members.listForUser(userId, limit, startKey, archived ? 'archived' : 'active');
    const budgets = await this.d.budgets.getMany(page.items.map((m) => m.budgetId));
    const items = page.items.flatMap((m) => {
      const budget = budgets.get(m.budgetId);
      // A budget deleted between the index read and this read is simply not listed.
      return budget ? [{ budget, role: m.role }] : [];
    });
    return { items, lastKey: page.lastKey };
  }

  /**
   * Applies a partial change. The change is computed from the version just read and written
   * only if that version is still current; if someone else wrote meanwhile, it is recomputed
   * from their result (no lost update) - unless the client sent If-Match, which pins the
   * version it saw: then any other version is a 412.
   */
  async update(budgetId: string, userId: string, patch: UpdateBudgetInput, ifMatch?: ReadonlySet<number>): Promise<BudgetForCaller> {
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.d.access.require(budgetId, userId);
      requireRole(current, 'settings');
      if (ifMatch !== undefined && !ifMatch.has(current.budget.version)) throw problems.preconditionFailed();

      // One instant for the whole change: the period a category's rollover starts in, the one its
      // limit changes from and updatedAt are then the same, even at a period's edge.
      const at = this.d.clock.now();
      const next = this.applyPatch(current.budget, patch, at);
      const changed = SETTINGS.filter((f) => JSON.stringify(next[f]) !== JSON.stringify(current.budget[f]));
      if (changed.length === 0) return current;
      next.version = current.budget.version + 1;
      next.updatedAt = at.toISOString();

      // Another period kind or time zone moves the next report's due instant: the report job re-checks it.
      const recheck = changed.includes('period') || changed.includes('timezone') ? this.d.reportSchedule.recheckAttributes(budgetId) : {};
      const outcome = await this.d.budgets.updateSettings(
        next,
        current.budget.version,
        [
          await this.d.outbox(budgetUpdated, {
            budgetId,
            version: next.version,
            changed: [...changed],
            updatedBy: userId,
            changes: Object.fromEntries(changed.map((f) => [f, { before: current.budget[f] ?? null, after: next[f] ?? null }])),
          }),
        ],
        recheck,
      );
      if (outcome === 'ok') return { ...current, budget: next };
    }
    throw problems.conflict('The budget is being changed by others right now; retry.');
  }

  /**
   * packages/budgets/docs/periods-and-limits.md "Move money" (POST .../move-money): in the period containing `date` (default today in the
   * budget's time zone), `from`'s limit goes down by `amount` and `to`'s up (domain/period-limits.ts
   * `moveMoney`), stored as per-period overrides on the budget item. Written by
   * `changePeriodLimits` (below). `changes.periodLimits` of budget.updated: the two categories'
   * limits in the period before and after.
   */
  moveMoney(budgetId: string, userId: string, input: MoveMoneyInput, ifMatch?: ReadonlySet<number>, completeKey?: KeyCompletion<BudgetForCaller>): Promise<BudgetForCaller> {
    return this.changePeriodLimits(budgetId, userId, ifMatch, completeKey, (budget) => {
      const period = this.periodOf(budget, input.date);
      const moved = moveMoney(budget, period.start, input.from, input.to, input.amount);
      if (isRefusal(moved)) {
        // The same category twice is a malformed request (400); the rest are about the budget's state (422).
        if (moved.field === 'to' && input.from === input.to) throw problems.validation([{ path: 'to', message: moved.message }]);
        throw unprocessable('The money cannot be moved.', moved);
      }
      const line = (c: { categoryId: string }, limit: number) => ({ periodStart: period.start, categoryId: c.categoryId, limit });
      return {
        periodLimits: moved.periodLimits,
        before: [line(moved.from, moved.from.before), line(moved.to, moved.to.before)],
        after: [line(moved.from, moved.from.after), line(moved.to, moved.to.after)],
      };
    });
  }

  /**
   * PUT .../period-limits: `categoryId`'s limit in the period containing `date` (default today in
   * the budget's time zone) becomes `limit` (domain `setPeriodLimit`; equal to the category's own
   * limit removes the override). The sum of the categories' limits for the period changes; the
   * budget's own limit does not. Nothing written when the limit already is that (no version bump,
   * no event). `changes.periodLimits`: the category's limit in the period before and after.
   */
  setPeriodLimit(budgetId: string, userId: string, input: SetPeriodLimitInput, ifMatch?: ReadonlySet<number>, completeKey?: KeyCompletion<BudgetForCaller>): Promise<BudgetForCaller> {
    return this.changePeriodLimits(budgetId, userId, ifMatch, completeKey, (budget) => {
      const period = this.periodOf(budget, input.date);
      const set = setPeriodLimit(budget, period.start, input.categoryId, input.limit);
      if (isSetRefusal(set)) throw unprocessable("The period's limit cannot be set.", set);
      const line = (limit: number) => ({ periodStart: period.start, categoryId: input.categoryId, limit });
      return { periodLimits: set.periodLimits, before: [line(set.before)], after: [line(set.after)] };
    });
  }

  /**
   * DELETE .../period-limits: removes the overrides of periods starting before `before` (all when
   * absent), of `categoryId` only when given (domain `clearPeriodLimits`). Nothing written when
   * none matches. `changes.periodLimits`: the removed overrides (`before`) and the same
   * (period, category) at the category's own limit (`after`).
   */
  clearPeriodLimits(budgetId: string, userId: string, which: ClearPeriodLimitsQuery, ifMatch?: ReadonlySet<number>): Promise<BudgetForCaller> {
    return this.changePeriodLimits(budgetId, userId, ifMatch, undefined, (budget) => {
      const cleared = clearPeriodLimits(budget.periodLimits, which);
      return {
        periodLimits: cleared.periodLimits,
        before: cleared.removed,
        // The category's limit in that period without the override (its limit then: limit history).
        // A category whose limit was removed since: its limit in that period by the limit history.
        after: cleared.removed.map((p) => ({ ...p, limit: limitInPeriod({ ...budget, periodLimits: [] }, p.categoryId, p.periodStart) ?? limitThen(budget, p) })),
      };
    });
  }

  /** The period containing `date`, default today in the budget's time zone. */
  private periodOf(budget: Budget, date: string | undefined) {
    return periodContaining(budget.period, date ?? dateInTimeZone(this.d.clock.now(), budget.timezone));
  }

  /**
   * THE write of per-period limits (move, set, clear). Owner and editors. Like update: `change`
   * computes the new overrides from the version read, written only if that version is still
   * current (a version bump, so a concurrent change or PATCH is never lost: it is recomputed
   * from the other's result), unless If-Match pins the version seen (then another one is a 412).
   * Publishes budget.updated (`changed: ["periodLimits"]`, `changes.periodLimits` as `change`
   * says) in the same transaction. Answers the budget; unchanged overrides write nothing.
   * `completeKey`: a keyed move's or PUT's Idempotency-Key completed with its 200 in the same
   * transaction: a retry after a crash between the commit and the answer replays it instead of
   * moving the money again or setting the limit again over a later change.
   */
  private async changePeriodLimits(
    budgetId: string,
    userId: string,
    ifMatch: ReadonlySet<number> | undefined,
    completeKey: KeyCompletion<BudgetForCaller> | undefined,
    change: (budget: Budget) => { periodLimits: PeriodLimit[]; before: unknown[]; after: unknown[] },
  ): Promise<BudgetForCaller> {
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.d.access.require(budgetId, userId);
      requireRole(current, 'periodLimits');
      if (ifMatch !== undefined && !ifMatch.has(current.budget.version)) throw problems.preconditionFailed();

      const budget = current.budget;
      const changed = change(budget);
      if (JSON.stringify(changed.periodLimits) === JSON.stringify(budget.periodLimits ?? [])) return current;
      const next: Budget = { ...budget, version: budget.version + 1, updatedAt: this.d.clock.now().toISOString() };
      if (changed.periodLimits.length > 0) next.periodLimits = changed.periodLimits;
      else delete next.periodLimits;
      const changedBudget: BudgetForCaller = { ...current, budget: next };
      const outcome = await this.d.budgets.updateSettings(next, budget.version, [
        await this.d.outbox(budgetUpdated, {
          budgetId,
          version: next.version,
          changed: ['periodLimits'],
          updatedBy: userId,
          changes: { periodLimits: { before: changed.before, after: changed.after } },
        }),
        ...(completeKey ? [completeKey.item(changedBudget)] : []),
      ]);
      if (outcome === 'key-taken') throw keyInUse();
      if (outcome === 'ok') {
        completeKey?.committed();
        return changedBudget;
      }
    }
    throw problems.conflict('The budget is being changed by others right now; retry.');
  }

  /**
   * Deletes the budget with all its memberships and the budget.deleted event (one
   * transaction): the budget is gone for everyone at once. Its expenses and running totals
   * (expenses module) and threshold markers go when that event is delivered, so the request
   * does not grow with the budget's history and nothing is left behind if the process stops
   * right after the commit.
   */
  async delete(budgetId: string, userId: string, ifMatch?: ReadonlySet<number>): Promise<void> {
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.d.access.require(budgetId, userId);
      requireRole(current, 'settings', 'allowed');
      if (ifMatch !== undefined && !ifMatch.has(current.budget.version)) throw problems.preconditionFailed();

      // The membership version is read before the member list, so a change in between fails the guard.
      const item = await this.d.budgets.getItem(budgetId);
      if (!item) continue;
      const memberIds = await this.d.members.allUserIds(budgetId);
      await this.ownedCount(current.budget.ownerId);
      // A keyed copy whose key may still be retried leaves a marker, so the retry does not make it again.
      const keyLive = typeof item.copyKeyUntil === 'number' && item.copyKeyUntil > epochSeconds(this.d.clock.now());
      const outcome = await this.d.budgets.delete(
        budgetId,
        { version: current.budget.version, membershipVersion: item.membershipVersion },
        memberIds,
        [
          await this.d.outbox(budgetDeleted, { budgetId, ownerId: current.budget.ownerId, memberIds }),
          ...(keyLive ? [this.d.budgets.deletedCopyMarker(budgetId, item.copyKeyUntil!)] : []),
        ],
        current.budget.ownerId,
      );
      if (outcome === 'ok') return;
    }
    throw problems.conflict('The budget is being changed by others right now; retry.');
  }

  /**
   * How many budgets the user owns, by the count item (one GetItem); an account whose budgets
   * predate the count starts it from its memberships first (once: pages of gsi1, eventually
   * consistent, so a budget created a moment before by code older than the count may be missed).
   */
  private async ownedCount(userId: string): Promise<number> {
    const counted = await this.d.budgets.ownedCount(userId);
    if (counted !== undefined) return counted;
    let owned = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.d.members.listForUser(userId, 100, startKey);
      owned += page.items.filter((m) => m.role === 'owner').length;
      startKey = page.lastKey;
    } while (startKey);
    await this.d.budgets.startOwnedCount(userId, owned, this.d.users.accountCheck(userId));
    return (await this.d.budgets.ownedCount(userId)) ?? owned;
  }

  private applyPatch(budget: Budget, patch: UpdateBudgetInput, at: Date): Budget {
    if (patch.currency !== undefined && patch.currency !== budget.currency) {
      throw problems.validation([
        { path: 'currency', message: `The currency of a budget cannot change (it is ${budget.currency}); create a new budget` },
      ]);
    }
    const next: Budget = { ...budget, categories: budget.categories, alertThresholds: budget.alertThresholds };
    if (patch.name !== undefined) next.name = patch.name;
    if (patch.period !== undefined) next.period = patch.period;
    if (patch.timezone !== undefined) next.timezone = storedZone(patch.timezone);
    // The day it was created stays the day it was created: kept in the zone it had then, so the
    // first period (rollover, reports) does not move with the time zone (domain/periods.ts firstPeriodOf).
    if (next.timezone !== budget.timezone && next.createdOn === undefined) next.createdOn = creationDateOf(budget);
    if (patch.limit !== undefined) next.limit = patch.limit;
    if (patch.rollover !== undefined) next.rollover = patch.rollover;
    if (patch.alertThresholds !== undefined) next.alertThresholds = patch.alertThresholds;
    if (patch.paceAlerts !== undefined) next.paceAlerts = patch.paceAlerts;
    if (patch.categories !== undefined) {
      const now = at.getTime();
      // Rollover turned on now carries from the current period, in the budget's time zone and period kind after this change.
      const rolloverSince = periodContaining(next.period, dateInTimeZone(at, next.timezone)).start;
      const { categories, errors } = applyCategories(budget.categories, patch.categories, () => newId(now), rolloverSince);
      if (errors.length > 0) throw problems.validation(errors);
      next.categories = categories;
    }
    // Per-period limits follow the categories (one removed, or its limit removed or set equal to
    // an override, drops those); another period kind has other periods: all are dropped.
    next.limitHistory = this.limitHistoryOf(budget, next, patch.limitChangesApplyTo ?? 'currentPeriod', at);
    if (next.limitHistory.length === 0) delete next.limitHistory;
    // An override is compared with its period's limit then (the history just computed).
    const periodLimits = next.period === budget.period ? normalizePeriodLimits(next.categories, budget.periodLimits, next.limitHistory) : [];
    if (periodLimits.length > 0) next.periodLimits = periodLimits;
    else delete next.periodLimits;
    return next;
  }

  /**
   * The limit history after a PATCH (domain/limit-history.ts): changed limits apply from the
   * current period (today in the budget's time zone, period kind after this change) unless
   * `applyTo` is 'allPeriods'. Another period kind has other periods: dropped, as the
   * per-period limits are (the periods it dated are gone). A 422 naming `limit` past the cap.
   */
  private limitHistoryOf(budget: Budget, next: Budget, applyTo: LimitChangesApplyTo, at: Date): LimitChange[] {
    if (next.period !== budget.period) return [];
    const current = periodContaining(next.period, dateInTimeZone(at, next.timezone)).start;
    const history = limitHistoryAfter(budget, next, applyTo, current, firstPeriodOf(next).start);
    if (history === undefined) throw unprocessable('Too many earlier limits kept.', { field: 'limit', message: LIMIT_HISTORY_CAP_MESSAGE });
    return history;
  }
}

/** The 422 of a refused change of per-period limits, naming the field it is about. */
function unprocessable(detail: string, refusal: { field: string; message: string; also?: { field: string; message: string } }): ProblemError {
  const refusals = [refusal, ...(refusal.also ? [refusal.also] : [])];
  return new ProblemError(PLATFORM_PROBLEMS['unprocessable'], detail, { errors: refusals.map((r) => ({ path: r.field, message: r.message })) });
}

/** A category's limit in a period by the limit history alone, null when it had none then. */
function limitThen(budget: Budget, p: PeriodLimit): number | null {
  const category = budget.categories.find((c) => c.id === p.categoryId);
  return (category && categoryLimitAt(budget.limitHistory, category, p.periodStart)) ?? null;
}

/** The spelling to store of a zone the schema already accepted (see platform's timezones.ts). */
function storedZone(timeZone: string): string {
  return normalizeTimeZone(timeZone) ?? timeZone;
}
