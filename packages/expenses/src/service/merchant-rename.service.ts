import { ProblemError, newId, problems, PLATFORM_PROBLEMS } from '@budgeting/platform';
import { mayEditCategories, type BudgetAccess } from '@budgeting/budgets';
import { rememberedSpellings, renameMatcher } from '../domain/merchant-rename';
import type { CategorizationRule } from '../model';
import { RuleChangedError, type RulesRepository } from '../repository/rules.repository';
import type { RenameRecord } from '../repository/merchant-renames.repository';
import { MERCHANT_RENAME_JOB, MERCHANT_RENAME_WATCHDOG_JOB } from '../jobs/names';
import { guardedWrite } from './guarded-write';
import { RenameJobService, type Prepared, type RenameDeps, type RenameKind, type RenameOptions } from './rename-job.service';

export { BUDGET_DELETED_REASON, type RenameOptions, type RenameUnit, type RenameWatchdogUnit, type UnitOutcome } from './rename-job.service';

/**
 * The merchant rename's kind: an expense matches when its merchant is one of `from` (by
 * searchKey) and not already exactly `to` (domain/merchant-rename.ts renameMatcher); its PATCH
 * is `{merchant: to}`; it is renamed once its merchant is exactly `to`.
 */
export const MERCHANT_RENAME: RenameKind = {
  label: 'merchant rename',
  job: MERCHANT_RENAME_JOB,
  watchdogJob: MERCHANT_RENAME_WATCHDOG_JOB,
  patchFor(record) {
    const to = record.to ?? '';
    const matches = renameMatcher(record.from, to);
    return (expense) => (matches(expense.merchant) ? { merchant: to } : undefined);
  },
  isRenamed: (record, expense) => expense.merchant === record.to,
};

/**
 * Renaming a merchant across a budget's expenses (POST /v1/budgets/{budgetId}/merchants/rename):
 * the shared rename job (RenameJobService: a page of expenses per unit, each matching expense
 * written as its own PATCH `{merchant: to}`, the stall rule and the watchdog) with the merchant
 * kind, plus `remember: true`, which adds rename rules before anything is started.
 */
export class MerchantRenameService extends RenameJobService<{ from: string[]; to: string; remember?: boolean }> {
  private readonly rules: Pick<RulesRepository, 'all' | 'create' | 'remove' | 'maxPerBudget'>;

  constructor(
    deps: RenameDeps & {
      /** The budget's rules: `remember: true` adds rename rules. */
      rules: Pick<RulesRepository, 'all' | 'create' | 'remove' | 'maxPerBudget'>;
    },
    options: RenameOptions = {},
  ) {
    super(MERCHANT_RENAME, deps, options);
    this.rules = deps.rules;
  }

  /** `remember: true` adds rules: only who may manage them (the owner); checked before the archive (RenameJobService.start). */
  protected override precheck(access: BudgetAccess, input: { remember?: boolean }): void {
    if (input.remember) refuseRememberUnlessRulesManager(access.role);
  }

  protected override async prepare(budgetId: string, userId: string, access: BudgetAccess, input: { from: string[]; to: string; remember?: boolean }): Promise<Prepared> {
    if (!input.remember) return {};
    const made = await this.rememberRules(budgetId, userId, access.role, input);
    // A start refused after them (the archive or a deletion meanwhile): "nothing was started" holds.
    return { ruleIds: made.map((rule) => rule.id), takeBack: () => this.takeBack(made) };
  }

  /**
   * `remember: true`: one rename rule per `from` spelling no rule covers identically yet
   * (domain/merchant-rename.ts rememberedSpellings), created in the request, before anything
   * else is started, each by the capped create every rule uses. Rules are managed by whoever
   * may edit the categories (the owner): an editor may rename, but not remember (403 naming
   * `remember`). Past the cap: 409 naming `remember`, nothing created. A concurrent create that
   * fills the budget between the count and the writes also ends in that 409: the rules this
   * request made before it are removed again, so the answer's "nothing was started" holds (each
   * rule is its own capped transaction, so they cannot be written as one). Each carries the
   * starter's guard (guardedWrite, as a POST rules): an archive committed since the access read
   * refuses it, 409 budget-archived, and the rules made before it are taken back (feat/races18;
   * before, they were created on the archived budget).
   */
  private async rememberRules(budgetId: string, userId: string, role: Parameters<typeof mayEditCategories>[0], input: { from: string[]; to: string }): Promise<CategorizationRule[]> {
    refuseRememberUnlessRulesManager(role);
    const existing = await this.rules.all(budgetId);
    const spellings = rememberedSpellings(input.from, input.to, existing);
    const max = this.rules.maxPerBudget;
    const full = () =>
      problems.limitReached('rules', max, `Remembering this rename would take the budget past ${max} categorization rules; delete some first, or rename without remember. Nothing was started.`, [
        { path: 'remember', message: `At most ${max} rules per budget` },
      ]);
    if (existing.length + spellings.length > max) throw full();
    const made: CategorizationRule[] = [];
    for (const spelling of spellings) {
      const at = this.deps.clock.now();
      const rule: CategorizationRule = {
        id: newId(at.getTime()),
        budgetId,
        merchant: { equals: spelling },
        renameTo: input.to,
        position: 0,
        createdBy: userId,
        version: 1,
        createdAt: at.toISOString(),
        updatedAt: at.toISOString(),
      };
      const outcome = await guardedWrite(this.deps.budgets, budgetId, userId, 'categories', (guard) => this.rules.create(rule, guard)).catch(async (err: unknown) => {
        await this.takeBack(made);
        throw err;
      });
      if (outcome === 'full') {
        await this.takeBack(made);
        throw full();
      }
      if (outcome === 'budget-closed') throw problems.notFound('Budget not found.');
      made.push(rule);
    }
    return made;
  }

  /**
   * Removes the rules a refused remember made (each gives its place back). One already changed
   * by someone else (a rule is editable from the moment it exists) is theirs now and stays.
   * A removal that fails (a DynamoDB error) does not stop the others: only the rules that could
   * not be removed are left (logged), and that error is the answer (a 5xx, not the refusal:
   * "nothing was started" would not be true of the rules). They are rules the request asked
   * for; a retry finds them identical and adds none.
   */
  private async takeBack(made: CategorizationRule[]): Promise<void> {
    const left: { rule: CategorizationRule; err: unknown }[] = [];
    for (const rule of made) {
      try {
        await this.rules.remove(rule);
      } catch (err) {
        if (!(err instanceof RuleChangedError)) left.push({ rule, err });
      }
    }
    if (left.length === 0) return;
    this.deps.logger?.warn('merchant rename: remembered rules left after a refused start (their removal failed)', {
      budgetId: left[0]!.rule.budgetId,
      ruleIds: left.map(({ rule }) => rule.id),
    });
    throw left[0]!.err;
  }
}

export type { RenameRecord };

/** The 403 naming `remember` of a caller who may not manage categorization rules (who may edit the categories: the owner). */
function refuseRememberUnlessRulesManager(role: Parameters<typeof mayEditCategories>[0]): void {
  if (!mayEditCategories(role)) {
    throw new ProblemError(PLATFORM_PROBLEMS['forbidden'], `Only those who may edit the budget's categories (the owner) can add rename rules; rename without remember. Your role is ${role}.`, {
      errors: [{ path: 'remember', message: 'Needs the permission to manage categorization rules' }],
    });
  }
}
