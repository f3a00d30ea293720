import { ProblemError, addDays, changesNothing, keyInUse, newId, problems, type Clock, type CursorCodec, type FieldError, type KeyCompletion, PLATFORM_PROBLEMS } from '@budgeting/platform';
import type { BudgetAccess, BudgetsFacade } from '@budgeting/budgets';
import { filesUnder, inRuleOrder, ruleMatches } from '../domain/categorization';
import { todayIn } from '../domain/dates';
import { wholeListPage } from '../domain/whole-list-page';
import { SPENDING_MAX_EXPENSES } from '../domain/spending-breakdown';
import type { ExpenseQueries, RuleCandidate } from '../repository/expense-queries.repository';
import { ruleEffect, type RulePatch } from '../domain/rule-apply';
import { requireAChange } from '../domain/expense-rules';
import { patchTags, tagsField } from '../domain/tags';
import type { AmountRange, CategorizationRule, Expense, MerchantMatch, RuleSplitPart } from '../model';
import { RuleChangedError, type RulesRepository } from '../repository/rules.repository';
import {
  APPLY_MAX_WRITES,
  PREVIEW_DEFAULT_DAYS,
  PREVIEW_MAX_MATCHES,
  type ApplyRuleInput,
  type CreateRuleInput,
  type ListRulesInput,
  type PreviewRuleInput,
  type UpdateRuleInput,
} from '../schemas/rules.schemas';
import { authorize } from './access';
import { guardedItem, guardedWrite, type GuardedItem } from './guarded-write';
import { mapBounded } from './bounded';
import { BULK_WRITE_CONCURRENCY, writeFailure, type ExpenseWriteFailure } from './bulk.service';
import type { ExpensesService } from './expenses.service';
import { resumeAt } from './resume-at';
import { patchUndoEntry, type BulkUndoEntry } from '../domain/bulk-undo';
import { recordUndo, type UndoHandle, type UndoRecordDeps } from './undo-record';

export interface RulesServiceDeps {
  repository: RulesRepository;
  /** The preview's read of a range's expenses (the spending breakdown's bounded walk); the apply's BatchGetItem of those it writes. */
  expenses: Pick<ExpenseQueries, 'ruleCandidates' | 'getMany'>;
  /** The apply's write of one expense: the PATCH's (as the bulk edit's). */
  writer: Pick<ExpensesService, 'updateAuthorized'>;
  budgets: BudgetsFacade;
  clock: Clock;
  /** The apply's `cursor`: where in the range a call following it goes on. */
  cursors: CursorCodec;
  /** Where each apply that wrote anything leaves its undo record (the bulk edit's kind: BulkUndoService undoes it). */
  undo: UndoRecordDeps;
}

/**
 * CRUD of a budget's categorization rules (domain/categorization.ts), which may also rename
 * the merchant of new expenses (`renameTo`). Managed by whoever may
 * edit the budget's categories (the owner: access.ts 'categories'); listed and read by any
 * member. A rule's category must be one of the budget's when it is set (a 400 naming
 * `categoryId`, as an expense write's); one removed later stays on the rule, which is then
 * passed over when expenses are recorded. No events: rules are settings, like recurring
 * definitions, whose changes publish none either.
 */
/** A preview's answer (RulePreviewSchema). */
export interface RulePreview {
  from: string;
  to: string;
  matches: { id: string; occurredOn: string; merchant: string; amount: number; categoryId: string | null }[];
  more: boolean;
}

/** An apply's answer (RuleApplicationSchema). */
export interface RuleApplication {
  from: string;
  to: string;
  applied: ({ id: string } & RulePatch)[];
  unchanged: number;
  skipped: number;
  /** The expenses whose write failed: not changed; `more` is then true when one is `retryable` (409, 503...). */
  failed: ExpenseWriteFailure[];
  more: boolean;
  /** Where the next call goes on (resumeAt); null: from the newest. */
  cursor: string | null;
  /** This call's undo (POST .../expenses/bulk/{id}/undo), null when it wrote nothing; a call following `cursor` gets its own. */
  undo: UndoHandle;
}

/** A place in the walk's order (the date index's: newest occurredOn first, then the greatest id), as an apply's cursor holds it. */
type WalkPosition = { occurredOn: string; id: string };

const positionOf = (row: WalkPosition): WalkPosition => ({ occurredOn: row.occurredOn, id: row.id });
/** Whether `row` comes after `at` in the walk (older, or the same day with a smaller id). */
const isPast = (row: WalkPosition, at: WalkPosition) => row.occurredOn < at.occurredOn || (row.occurredOn === at.occurredOn && row.id < at.id);

const CURSOR_FIELD: FieldError = { path: 'cursor', message: 'Invalid cursor: send the `cursor` of a previous answer for the same rule (unchanged since) and range' };

type ApplyOutcome =
  | { kind: 'applied'; change: { id: string } & RulePatch; written?: BulkUndoEntry }
  | { kind: 'unchanged' }
  | { kind: 'skipped' }
  | { kind: 'gone' }
  | { kind: 'failed'; failure: ExpenseWriteFailure };

export class RulesService {
  private readonly previewMaxExpenses: number;
  private readonly applyMaxWrites: number;
  /**
   * As for expenses (guarded-write.ts guardedItem): a lost race is re-read; If-Match is checked
   * on every read. A rule's write takes no change number, so it carries the budgets module's
   * guard: an archive committed after its access read fails it (409).
   */
  private readonly rules: GuardedItem<CategorizationRule>;

  constructor(
    private readonly deps: RulesServiceDeps,
    /** Expenses a preview (or an apply) examines at most (tests lower it; production passes nothing: SPENDING_MAX_EXPENSES). */
    previewMaxExpenses?: number,
    /** Expenses an apply writes at most (tests lower it; production passes nothing: APPLY_MAX_WRITES). */
    applyMaxWrites?: number,
  ) {
    this.previewMaxExpenses = previewMaxExpenses ?? SPENDING_MAX_EXPENSES;
    this.applyMaxWrites = applyMaxWrites ?? APPLY_MAX_WRITES;
    this.rules = guardedItem(deps, 'categories', {
      notFound: 'Rule not found.',
      lostRace: (err) => err instanceof RuleChangedError,
      busyDetail: 'The rule is being changed by others right now; retry.',
    });
  }

  /**
   * POST .../rules/preview (Firefly III's "test rule"): which expenses of the range (default the
   * last 30 days, today in the budget's time zone included) the rule's conditions match, newest
   * first, at most PREVIEW_MAX_MATCHES and `more`. Whoever may create the rule (the owner), with
   * the create's checks (its category one of the budget's). Writes nothing, so it also answers
   * on an archived budget (packages/budgets/docs/budget-lifecycle.md "Archiving a budget"). Reads the access
   * BatchGetItem, then the range through the date index, as the spending breakdown: at most
   * `previewMaxExpenses` + 1 expenses, a range holding more is a 422 naming `from`. Every
   * expense of the range with a merchant is tested, whatever its category (a rule applies to
   * new expenses only; the preview shows what its conditions catch).
   */
  async preview(budgetId: string, userId: string, input: PreviewRuleInput): Promise<RulePreview> {
    // A read: answered on an archived budget too (still only for whoever may create the rule).
    const access = await authorize(this.deps.budgets, budgetId, userId, 'categories-read');
    checkRuleCategories(access, input.rule, 'rule.');
    const conditions = { merchant: merchantOf(input.rule.merchant), ...conditionsOf(input.rule) };
    const matches: RulePreview['matches'] = [];
    let more = false;
    const range = await this.walkMatches(budgetId, access.timezone, conditions, input, (row) => {
      if (matches.length === PREVIEW_MAX_MATCHES) {
        more = true;
        return;
      }
      matches.push({ id: row.id, occurredOn: row.occurredOn, merchant: row.merchant!, amount: row.amount, categoryId: row.categoryId });
    });
    return { ...range, matches, more };
  }

  /**
   * POST .../rules/{ruleId}/apply (Firefly III's "apply rule", Actual's "apply to all"): the
   * SAVED rule applied to the range's expenses its conditions match, bounded per call. The
   * owner only, as the preview; an unknown rule is a 404; a rule whose category the budget no
   * longer has is a 409 (the rule is passed over for new expenses too; change it first).
   *
   * The range is walked exactly as the preview's (walkMatches: the same read, matching and 422).
   * Each match is judged on the walk's row (domain/rule-apply.ts ruleEffect): already as the
   * rule makes it (`unchanged`), split under a categorizing rule (`skipped`), or in need of the
   * change. At most APPLY_MAX_WRITES (100) of the latter, newest first, are read in one BatchGetItem
   * (as the bulk edit's) and written, each by ExpensesService.updateAuthorized, the PATCH's own
   * write (version, totals, change log, expense.updated event with the rule's `ruleId`, and what it drives), the patch
   * computed again on the expense as it is when written: one changed meanwhile so that the rule
   * no longer matches it, or deleted, is left out of every count; one meanwhile already as the
   * rule makes it counts as unchanged. A write that fails otherwise (409 changed by others too
   * often, 503 throttled: bulk.service.ts itemProblem) is that expense's alone, as in the bulk
   * edit: listed in `failed` with its problem, not changed, the others still written. `more`:
   * others still need the change (past the bound, or a `retryable` failure). Since a written
   * expense is then unchanged, calling again from the newest continues with the rest; but an
   * expense whose write fails permanently (`retryable: false`: the PATCH refuses it) would take
   * one of the bound's slots on every such call, and as many of them as the bound would starve
   * the rest of the range. So the answer's `cursor` (as the category reassign's, resumeAt) is
   * the position after the last expense written, or right before the newest `retryable` failure:
   * a call with it reads the range only from there (the date index's sort key bounds the read
   * to that day and older), passes over the permanent failures and retries the retryable ones;
   * its `unchanged` and `skipped` count only what it read. The cursor is bound to the budget,
   * the rule and the range as sent (another's is a 400 naming `cursor`). Without one, a call
   * starts from the newest, as before cursors.
   */
  async apply(budgetId: string, userId: string, ruleId: string, input: ApplyRuleInput): Promise<RuleApplication> {
    // The rule's read travels in the access check's BatchGetItem (platform deferReads).
    const ruleRead = this.rules.prefetch(budgetId, ruleId);
    const access = await authorize(this.deps.budgets, budgetId, userId, 'categories');
    const rule = await this.rules.mustGet(budgetId, ruleId, ruleRead);
    if (rule.categoryId !== undefined && !access.categories.some((c) => c.id === rule.categoryId)) {
      throw problems.conflict("The rule's category is no longer one of the budget's; change the rule's categoryId first.");
    }
    if (rule.split !== undefined && !filesUnder(rule, (id) => access.categories.some((c) => c.id === id))) {
      throw problems.conflict("A category of the rule's split is no longer one of the budget's; change the rule's split first.");
    }
    // Bound to the rule's version too: an edited rule may match other expenses, and a cursor of its
    // old conditions would pass over part of the range for the new ones (a 400: start again).
    const binding = JSON.stringify(['rule-apply', budgetId, ruleId, rule.version, input.from ?? null, input.to ?? null]);
    const startKey = startOf(this.deps.cursors.decode(input.cursor, binding, CURSOR_FIELD));
    const pending: string[] = [];
    const keys: WalkPosition[] = [];
    let unchanged = 0;
    let skipped = 0;
    let more = false;
    const range = await this.walkMatches(budgetId, access.timezone, rule, input, (row) => {
      const effect = ruleEffect(rule, row);
      if (effect.kind === 'unchanged') unchanged++;
      else if (effect.kind === 'skipped') skipped++;
      else if (pending.length === this.applyMaxWrites) more = true;
      else {
        pending.push(row.id);
        keys.push(positionOf(row));
      }
    }, startKey);
    const found = pending.length > 0 ? await this.deps.expenses.getMany(budgetId, pending) : new Map<string, Expense>();
    const outcomes = await mapBounded(pending, BULK_WRITE_CONCURRENCY, (id) => this.applyOne(budgetId, userId, rule, id, found.get(id)));
    const applied: RuleApplication['applied'] = [];
    const failed: RuleApplication['failed'] = [];
    const entries: BulkUndoEntry[] = [];
    for (const outcome of outcomes) {
      if (outcome.kind === 'applied') {
        applied.push(outcome.change);
        if (outcome.written) entries.push(outcome.written);
      }
      else if (outcome.kind === 'unchanged') unchanged++;
      else if (outcome.kind === 'skipped') skipped++;
      else if (outcome.kind === 'failed') failed.push(outcome.failure);
    }
    const undo = await recordUndo(this.deps.undo, 'rule apply', budgetId, userId, entries);
    // A retryable failure still needs the change: the next call writes it again. One its PATCH
    // refuses (400/422) would be refused on every call: listed, never waited for.
    const cursor = this.deps.cursors.encode(resumeAt({ keys, ...(more ? { lastKey: keys[keys.length - 1] } : {}) }, startKey, outcomes), binding);
    return { ...range, applied, unchanged, skipped, failed, more: more || failed.some((f) => f.retryable), cursor, undo };
  }

  /** One expense of an apply through the PATCH's write; `gone` when deleted or no longer matched meanwhile. */
  private async applyOne(budgetId: string, userId: string, rule: CategorizationRule, id: string, current: Expense | undefined): Promise<ApplyOutcome> {
    let outcome: ApplyOutcome = { kind: 'gone' };
    // The expense as the write that committed found it, and its patch (the undo's before-image).
    let found: { expense: Expense; patch: RulePatch } | undefined;
    try {
      const patchOf = (expense: Expense): RulePatch | undefined => {
        // Recomputed on every attempt: the expense as it is when written.
        found = undefined;
        if (expense.merchant === undefined || !ruleMatches(rule, { merchant: expense.merchant, amount: expense.amount, description: expense.description })) {
          outcome = { kind: 'gone' };
          return undefined;
        }
        const effect = ruleEffect(rule, { ...expense, split: expense.splits !== undefined });
        if (effect.kind !== 'change') {
          outcome = { kind: effect.kind };
          return undefined;
        }
        outcome = { kind: 'applied', change: { id, ...effect.patch } };
        found = { expense, patch: effect.patch };
        return effect.patch;
      };
      // Its expense.updated names the rule (`ruleId`: the activity log shows it).
      const after = await this.deps.writer.updateAuthorized(budgetId, userId, id, Promise.resolve(current), patchOf, undefined, { ruleId: rule.id });
      const w = found as typeof found;
      const o = outcome as ApplyOutcome;
      if (w && o.kind === 'applied') outcome = { ...o, written: patchUndoEntry(w.patch, w.expense, after.version) };
    } catch (err) {
      // Deleted meanwhile: no longer a match.
      if (err instanceof ProblemError && err.status === 404) return { kind: 'gone' };
      // What its PATCH would answer with a problem (409, 503, a 400 about the expense as stored)
      // is this expense's alone, as in the bulk edit; anything else (a bug) fails the request.
      return { kind: 'failed', failure: writeFailure(id, err) };
    }
    return outcome;
  }

  /**
   * The preview's and the apply's read: the range (default the last PREVIEW_DEFAULT_DAYS days,
   * today in the budget's time zone included) through the date index, at most
   * `previewMaxExpenses` + 1 expenses (a range holding more is a 422 naming `from`), `visit`
   * called for each expense with a merchant that all of `conditions` match, newest first;
   * with `after` (an apply's cursor), only those past it, the read ending on its day.
   */
  private async walkMatches(
    budgetId: string,
    timezone: string,
    conditions: Pick<CategorizationRule, 'merchant' | 'amount' | 'description'>,
    input: { from?: string; to?: string },
    visit: (row: RuleCandidate) => void,
    after?: WalkPosition,
  ): Promise<{ from: string; to: string }> {
    const today = todayIn(timezone, this.deps.clock.now());
    const from = input.from ?? addDays(today, -(PREVIEW_DEFAULT_DAYS - 1));
    const to = input.to ?? today;
    // Past the cursor only: nothing newer than its day is read (an empty read when it is before `from`).
    const readTo = after !== undefined && after.occurredOn < to ? after.occurredOn : to;
    // DynamoDB refuses a BETWEEN whose bounds are reversed.
    if (readTo < from) return { from, to };
    const read = await this.deps.expenses.ruleCandidates(budgetId, from, readTo, this.previewMaxExpenses, (rows) => {
      for (const row of rows) {
        if (after !== undefined && !isPast(row, after)) continue;
        if (row.merchant !== undefined && ruleMatches(conditions, { merchant: row.merchant, amount: row.amount, description: row.description })) visit(row);
      }
    });
    if (read.tooMany) {
      const message = `More than ${this.previewMaxExpenses.toLocaleString('en-US')} expenses fall in this range; ask for a shorter one`;
      throw new ProblemError(PLATFORM_PROBLEMS['unprocessable'], 'Too many expenses in the range to read at once; narrow the range.', {
        errors: [{ path: 'from', message }],
      });
    }
    return { from, to };
  }

  async create(budgetId: string, userId: string, input: CreateRuleInput, reservedId?: string, completeKey?: KeyCompletion<CategorizationRule>): Promise<CategorizationRule> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'categories');
    checkRuleCategories(access, input);
    const timestamp = this.deps.clock.now().toISOString();
    const rule: CategorizationRule = {
      id: reservedId ?? newId(this.deps.clock.now().getTime()),
      budgetId,
      merchant: merchantOf(input.merchant),
      ...conditionsOf(input),
      ...(input.categoryId !== undefined ? { categoryId: input.categoryId } : {}),
      ...(input.split !== undefined ? { split: splitOf(input.split) } : {}),
      ...(input.renameTo !== undefined ? { renameTo: input.renameTo } : {}),
      ...tagsField(input.tags),
      position: input.position ?? 0,
      createdBy: userId,
      version: 1,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    // A keyed create's answer is committed with the rule: a retry after a crash between the
    // commit and the answer replays it, even once the rule was changed or deleted.
    const also = completeKey ? [completeKey.item(rule)] : [];
    const outcome = await guardedWrite(this.deps.budgets, budgetId, userId, 'categories', (guard) => this.deps.repository.create(rule, guard, also));
    if (outcome === 'key-taken') throw keyInUse();
    if (outcome === 'created') {
      completeKey?.committed();
      return rule;
    }
    if (outcome === 'budget-closed') throw problems.notFound('Budget not found.');
    if (outcome === 'full') {
      const max = this.deps.repository.maxPerBudget;
      throw problems.limitReached('rules', max, `A budget can have at most ${max} categorization rules; delete one first.`);
    }
    const existing = await this.deps.repository.get(budgetId, rule.id);
    if (!existing || existing.createdBy !== userId) {
      throw problems.conflict('This Idempotency-Key already created a resource that is no longer available.');
    }
    return existing;
  }

  async get(budgetId: string, userId: string, id: string): Promise<CategorizationRule> {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    return this.rules.mustGet(budgetId, id);
  }

  /**
   * A page of the rules, in the order they are tried (read whole: the cap bounds them). The cursor
   * is the page's last rule's place in that order (position, id), bound to the budget.
   */
  async list(budgetId: string, userId: string, query: ListRulesInput) {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    const binding = `expenses:rules:${budgetId}`;
    const from = this.deps.cursors.decode(query.cursor, binding) as { p: number; i: string } | undefined;
    const isAfter = from && ((r: CategorizationRule) => r.position > from.p || (r.position === from.p && r.id > from.i));
    const page = wholeListPage(inRuleOrder(await this.deps.repository.all(budgetId)), query.limit, isAfter);
    return { items: page.items, nextCursor: this.deps.cursors.encode(page.last && { p: page.last.position, i: page.last.id }, binding) };
  }

  async update(budgetId: string, userId: string, id: string, input: UpdateRuleInput, ifMatch: ReadonlySet<number> | undefined): Promise<CategorizationRule> {
    requireAChange(input);
    const access = await authorize(this.deps.budgets, budgetId, userId, 'categories');
    return this.rules.optimistically(budgetId, userId, id, ifMatch, async (current, guard) => {
      // A category the rule files under already may be sent back (its form sent whole) though
      // removed since, as on an expense's PATCH: only one the rule would newly name must be the budget's.
      checkRuleCategories(access, { categoryId: input.categoryId ?? undefined, split: input.split ?? undefined }, '', ruleCategories(current));
      const next: CategorizationRule = {
        ...current,
        ...(input.merchant ? { merchant: merchantOf(input.merchant) } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
        version: current.version + 1,
        updatedAt: this.deps.clock.now().toISOString(),
      };
      // null clears: the field is left out of the rule.
      // A rule files under one category OR splits: setting one removes the other.
      if (input.categoryId === null) delete next.categoryId;
      else if (input.categoryId !== undefined) {
        next.categoryId = input.categoryId;
        delete next.split;
      }
      if (input.split === null) delete next.split;
      else if (input.split !== undefined) {
        next.split = splitOf(input.split);
        delete next.categoryId;
      }
      if (input.renameTo === null) delete next.renameTo;
      else if (input.renameTo !== undefined) next.renameTo = input.renameTo;
      if (input.amount === null) delete next.amount;
      else if (input.amount !== undefined) next.amount = amountOf(input.amount);
      if (input.description === null) delete next.description;
      else if (input.description !== undefined) next.description = { contains: input.description.contains };
      if (next.categoryId === undefined && next.split === undefined && next.renameTo === undefined) {
        throw problems.validation([{ path: 'categoryId', message: 'A rule needs a categoryId (or a split), a renameTo, or both' }], 'The change would leave the rule with neither a category nor a rename.');
      }
      patchTags(next, input.tags);
      // The rule as it is (a client saving a form untouched): nothing to write, no new version,
      // as an income entry's PATCH. If-Match was checked on this read.
      if (changesNothing(current, next)) return current;
      await this.deps.repository.replace(current, next, guard);
      return next;
    });
  }

  async remove(budgetId: string, userId: string, id: string, ifMatch: ReadonlySet<number> | undefined): Promise<void> {
    await authorize(this.deps.budgets, budgetId, userId, 'categories');
    await this.rules.optimistically(budgetId, userId, id, ifMatch, (current, guard) => this.deps.repository.remove(current, guard));
  }

}

/**
 * The categories a rule names (its `categoryId`, or each part of its `split`) must be the budget's: a 400 naming
 * `<prefix>categoryId` / `<prefix>split.<n>.categoryId`; but for `kept`, those the rule names already (a PATCH's).
 */
function checkRuleCategories(access: BudgetAccess, rule: { categoryId?: string; split?: readonly { categoryId: string }[] }, prefix = '', kept: readonly string[] = []): void {
  const known = (id: string) => kept.includes(id) || access.categories.some((c) => c.id === id);
  const errors: FieldError[] = [];
  if (rule.categoryId !== undefined && !known(rule.categoryId)) errors.push({ path: `${prefix}categoryId`, message: 'Not a category of this budget' });
  for (const [n, part] of (rule.split ?? []).entries()) {
    if (!known(part.categoryId)) errors.push({ path: `${prefix}split.${n}.categoryId`, message: 'Not a category of this budget' });
  }
  if (errors.length > 0) throw problems.validation(errors);
}

/** A decoded apply cursor as a walk position (a 400 naming `cursor` when it holds anything else: none of ours does). */
function startOf(decoded: Record<string, unknown> | undefined): WalkPosition | undefined {
  if (decoded === undefined) return undefined;
  if (typeof decoded.occurredOn !== 'string' || typeof decoded.id !== 'string') throw problems.validation([CURSOR_FIELD]);
  return { occurredOn: decoded.occurredOn, id: decoded.id };
}

/** The parts as stored: only their category and percent. */
function splitOf(parts: readonly RuleSplitPart[]): RuleSplitPart[] {
  return parts.map((p) => ({ categoryId: p.categoryId, percent: p.percent }));
}

function merchantOf(m: { equals?: string; contains?: string }): MerchantMatch {
  return m.equals !== undefined ? { equals: m.equals } : { contains: m.contains! };
}

/** Only the bounds sent (an absent bound is no bound). */
function amountOf(a: { min?: number; max?: number }): AmountRange {
  return { ...(a.min !== undefined ? { min: a.min } : {}), ...(a.max !== undefined ? { max: a.max } : {}) };
}

/** A create's (or a preview's) optional conditions, as stored: absent when not sent. */
export function conditionsOf(input: { amount?: { min?: number; max?: number }; description?: { contains: string } }): Pick<CategorizationRule, 'amount' | 'description'> {
  return {
    ...(input.amount !== undefined ? { amount: amountOf(input.amount) } : {}),
    ...(input.description !== undefined ? { description: { contains: input.description.contains } } : {}),
  };
}

/** The categories a rule names: its own, or each part's of its split (those a PATCH may send back). */
function ruleCategories(rule: CategorizationRule): string[] {
  return [...(rule.categoryId === undefined ? [] : [rule.categoryId]), ...(rule.split ?? []).map((p) => p.categoryId)];
}
