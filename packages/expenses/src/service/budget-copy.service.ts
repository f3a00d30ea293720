import type { BudgetContentsPort, ContentsCopy, ContentsCopyOutcome, ContentsToCopy, CopyableContents } from '@budgeting/budgets';
import { derivedId, type Clock } from '@budgeting/platform';
import { todayIn } from '../domain/dates';
import { startedHistory } from '../domain/pause-history';
import { firstOnOrAfter } from '../domain/recurrence';
import type { CategorizationRule, ImportProfile, RecurringExpense, RecurringIncome } from '../model';
import type { ImportProfilesRepository } from '../repository/import-profiles.repository';
import type { RecurringIncomeRepository } from '../repository/recurring-income.repository';
import type { RecurringRepository } from '../repository/recurring.repository';
import type { RulesRepository } from '../repository/rules.repository';
import type { TransactItems } from '../repository/expenses.repository';

export interface BudgetCopyDeps {
  rules: RulesRepository;
  recurring: RecurringRepository;
  importProfiles: ImportProfilesRepository;
  recurringIncome: RecurringIncomeRepository;
  clock: Clock;
}

/** One item's capped create, with `also` in its transaction. */
type CopyWrite = (also: TransactItems) => Promise<'created' | 'exists' | 'budget-closed' | 'full' | 'check-failed' | 'key-taken' | 'name-taken'>;

/** Definitions read per Query page when all of a budget's are read (the cap keeps it one or two pages). */
const PAGE = 500;

/**
 * The expenses module's part of a budget copy (BudgetContentsPort, asked by the budgets
 * module's POST /v1/budgets/{budgetId}/copy): its categorization rules and recurring expenses,
 * their categories mapped to the copy's, and its import profiles (names and mappings as they are:
 * a mapping names the bank file's columns, nothing of the budget), and its recurring income
 * (as the recurring expenses: from today on).
 *
 * Retry-safe by construction: a copied rule or definition gets an id DERIVED from the copy's
 * budget id and its source's id (platform derivedId: the source ULID with a hash of the
 * copy's id in its middle), so a second run after a failure computes the same ids, and each is written by the
 * capped create every create uses (the item with attribute_not_exists, the closed-budget check
 * and the count, one transaction; a profile's also claims its name): it finds what the first wrote ('exists', count untouched)
 * and writes only the rest. Ids stay unique across budgets (a client may key by id alone), and
 * the copies sort as their sources: the rules' order (position, then id) is kept.
 * One transaction an item, one after another (the count item is shared, so parallel writes
 * would conflict): at the caps, 100 rules, 500 definitions, 20 profiles and 100 recurring incomes, about 720 small transactions.
 * The LAST item's transaction also carries `alsoWithLast` (a keyed copy's lease completion, so
 * the key has its answer the moment the copy is complete: packages/budgets/docs/budget-lifecycle.md "Copying a budget").
 */
export class BudgetCopyService implements BudgetContentsPort {
  constructor(private readonly d: BudgetCopyDeps) {}

  async copyable(from: string, include: ContentsToCopy, categoryIds: readonly string[]): Promise<CopyableContents> {
    const kept = new Set(categoryIds);
    const [rules, recurring, profiles, income] = await Promise.all([
      include.rules ? this.d.rules.all(from) : Promise.resolve([]),
      include.recurringExpenses ? this.allRecurring(from) : Promise.resolve([]),
      include.importProfiles ? this.d.importProfiles.all(from) : Promise.resolve([]),
      include.recurringIncome ? this.allRecurringIncome(from) : Promise.resolve([]),
    ]);
    return {
      rules: { count: rules.filter((r) => copiedRule(r, (id) => (kept.has(id) ? id : undefined)) !== undefined).length, max: this.d.rules.maxPerBudget },
      recurringExpenses: { count: recurring.length, max: this.d.recurring.maxPerBudget },
      importProfiles: { count: profiles.length, max: this.d.importProfiles.maxPerBudget },
      recurringIncome: { count: income.length, max: this.d.recurringIncome.maxPerBudget },
    };
  }

  async copy(copy: ContentsCopy): Promise<ContentsCopyOutcome> {
    const now = this.d.clock.now();
    const at = now.toISOString();
    const today = todayIn(copy.timezone, now);
    // Everything is read first, so the last write (the one carrying `alsoWithLast`) is known
    // before the first: at the caps about 720 small items, bounded.
    const [rules, recurring, profiles, income] = await Promise.all([
      copy.include.rules ? this.d.rules.all(copy.from) : Promise.resolve([]),
      copy.include.recurringExpenses ? this.allRecurring(copy.from) : Promise.resolve([]),
      copy.include.importProfiles ? this.d.importProfiles.all(copy.from) : Promise.resolve([]),
      copy.include.recurringIncome ? this.allRecurringIncome(copy.from) : Promise.resolve([]),
    ]);
    const writes: CopyWrite[] = [];
    for (const rule of rules) {
      const kept = copiedRule(rule, (id) => copy.categoryIds[id]);
      if (kept === undefined) continue;
      const copied: CategorizationRule = { ...kept, id: derivedId(copy.to, rule.id), budgetId: copy.to, createdBy: copy.by, version: 1, createdAt: at, updatedAt: at };
      writes.push((also) => this.d.rules.create(copied, undefined, also));
    }
    const mapped = (id: string | null) => (id === null ? null : (copy.categoryIds[id] ?? null));
    // A copied definition (expense or income) is a new one in the copy's budget: the schedule is
    // kept (its anchor, interval and end), its first occurrence is the first on or after today,
    // as for a new definition (nothing in the past is recorded), and a paused one is copied paused
    // (no next occurrence until resumed).
    const startedAfresh = (definition: Pick<RecurringExpense, 'id' | 'paused' | 'schedule'>) => ({
      id: derivedId(copy.to, definition.id),
      budgetId: copy.to,
      nextOccurrenceOn: definition.paused ? null : firstOnOrAfter(definition.schedule, today),
      ...startedHistory({ paused: definition.paused }, today),
      // Created today in the copy's budget (the source's creation day is no fact of the copy).
      createdOn: today,
      createdBy: copy.by,
      version: 1,
      createdAt: at,
      updatedAt: at,
    });
    // A skip was of the source's dates: the copy starts afresh (as a new definition). So does
    // its pause history: the copy has no date before today (its creation) for it to explain,
    // and the source's pauses are no act in the copy's budget; a paused one is paused from today.
    for (const { skippedThrough: _skipped, skippedDates: _dates, pauses: _pauses, historySince: _since, ...definition } of recurring) {
      // Its other fields as they are: tags, foreign, and sharedWith (user ids, not the budget's).
      const copied: RecurringExpense = {
        ...definition,
        ...startedAfresh(definition),
        categoryId: mapped(definition.categoryId),
        ...(definition.splits ? { splits: definition.splits.map((p) => ({ ...p, categoryId: mapped(p.categoryId) })) } : {}),
      };
      writes.push((also) => this.d.recurring.create(copied, copy.timezone, undefined, false, also));
    }
    for (const profile of profiles) {
      const copied: ImportProfile = { ...profile, id: derivedId(copy.to, profile.id), budgetId: copy.to, createdBy: copy.by, version: 1, createdAt: at, updatedAt: at };
      // 'name-taken': the copy's owner saved a profile under this name between a failed
      // attempt and its retry (the source's names are unique, as the copy's): theirs stays.
      writes.push((also) => this.d.importProfiles.create(copied, undefined, also));
    }
    // As a recurring expense's copy (above): a skip of the source's dates and its pause history
    // left behind (the copy's history begins today).
    for (const { skippedThrough: _skipped, skippedDates: _dates, pauses: _pauses, historySince: _since, ...definition } of income) {
      const copied: RecurringIncome = { ...definition, ...startedAfresh(definition) };
      writes.push((also) => this.d.recurringIncome.create(copied, copy.timezone, undefined, false, also));
    }

    let outcome: Awaited<ReturnType<CopyWrite>> = 'exists';
    for (const [n, write] of writes.entries()) {
      outcome = await write(n === writes.length - 1 ? [...(copy.alsoWithLast ?? [])] : []);
      if (outcome === 'full' || outcome === 'budget-closed' || outcome === 'key-taken') return outcome;
    }
    // Only a last item written now committed `alsoWithLast` (one already there, a retry's, did not).
    return outcome === 'created' && (copy.alsoWithLast?.length ?? 0) > 0 ? 'carried' : 'copied';
  }

  /**
   * At most MAX_RECURRING_INCOME_PER_BUDGET (100): one Query. One more is read, so a budget past
   * the cap (stored before a lowered cap) meets the copy's cap check rather than being cut short.
   */
  private async allRecurringIncome(budgetId: string): Promise<RecurringIncome[]> {
    return (await this.d.recurringIncome.page(budgetId, this.d.recurringIncome.maxPerBudget + 1)).items;
  }

  private async allRecurring(budgetId: string): Promise<RecurringExpense[]> {
    const all: RecurringExpense[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.d.recurring.page(budgetId, PAGE, startKey);
      all.push(...page.items);
      startKey = page.lastKey;
    } while (startKey);
    return all;
  }
}

/**
 * A rule as copied, its category mapped to the copy's (`mapped`: undefined when the copy has
 * none for it), or undefined when it would do nothing there: a rule whose category the source
 * no longer has is not copied, unless it also renames (then it is copied as rename-only,
 * without its category and tags, which come with the categorization only). A split rule is
 * copied with every part's category mapped; one part without a category in the copy counts as
 * a category the source no longer has (a split cannot leave a part out: its percents add up to 100).
 */
function copiedRule(rule: CategorizationRule, mapped: (categoryId: string) => string | undefined): CategorizationRule | undefined {
  if (rule.split !== undefined) {
    const parts = rule.split.map((p) => ({ categoryId: mapped(p.categoryId), percent: p.percent }));
    if (parts.every((p): p is { categoryId: string; percent: number } => p.categoryId !== undefined)) return { ...rule, split: parts };
  }
  const categoryId = rule.categoryId === undefined ? undefined : mapped(rule.categoryId);
  if (categoryId !== undefined) return { ...rule, categoryId };
  if (rule.renameTo === undefined) return undefined;
  const { categoryId: _gone, split: _split, tags: _tags, ...renameOnly } = rule;
  return renameOnly;
}
