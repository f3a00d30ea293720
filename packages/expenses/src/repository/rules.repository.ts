import { attr, conditionFailedAt, type Item, type Key, type ModuleStore } from '@budgeting/platform';
import { MAX_RULES_PER_BUDGET } from '../domain/categorization';
import type { AmountRange, CategorizationRule, DescriptionMatch, MerchantMatch, RuleSplitPart } from '../model';
import { ruleKeys, type RuleKeys } from './keys';
import { CappedCollection, type CappedCreateOutcome } from './capped-collection';
import type { TransactItems } from './expenses.repository';
import { putGuarded, type WriterGuard } from './writer-guard';

const RULE_KIND = 'categorization-rule';
const RULE_COUNT_KIND = 'rule-count';

/** The rule changed (PATCH or DELETE) since we read it. */
export class RuleChangedError extends Error {
  constructor() {
    super('The categorization rule changed concurrently');
    this.name = 'RuleChangedError';
  }
}

/**
 * A budget's categorization rules, in the budget's expense partition (so the budget.deleted
 * cleanup removes them with the expenses), and their count, moved in each create's and
 * delete's transaction as the recurring definitions' is (RecurringRepository): concurrent
 * creates cannot pass the cap together, and "all of a budget's rules" stays one Query page
 * (100 x ~300 bytes).
 */
export class RulesRepository {
  private readonly keys: RuleKeys;
  private readonly capped: CappedCollection;

  constructor(
    private readonly store: ModuleStore,
    /** Tests lower it; production passes nothing. */
    readonly maxPerBudget = MAX_RULES_PER_BUDGET,
  ) {
    this.keys = ruleKeys(store);
    this.capped = new CappedCollection(store, this.keys.ruleCount, RULE_COUNT_KIND, maxPerBudget);
  }

  async get(budgetId: string, id: string): Promise<CategorizationRule | undefined> {
    const item = await this.store.get({ Key: this.key(budgetId, id), ConsistentRead: true });
    return item ? toRule(item) : undefined;
  }

  /**
   * Every rule of the budget, by id (creation order): ONE strongly consistent Query (the cap
   * keeps it one page; followed if a page ever ends early, e.g. rules stored past a lowered cap).
   */
  async all(budgetId: string): Promise<CategorizationRule[]> {
    const items = await this.store.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':prefix': this.keys.rulePrefix },
      ConsistentRead: true,
    });
    return items.map(toRule);
  }

  /**
   * 'exists': a rule with this id is there already (an Idempotency-Key retry); 'budget-closed':
   * the budget's data was deleted meanwhile (no rule outlives the cleanup); 'full': the budget
   * holds `maxPerBudget` rules. `also`: items of the same transaction (a keyed create's lease
   * completion); 'key-taken' when one's condition failed (its lease taken over by its retry),
   * nothing written.
   */
  async create(rule: CategorizationRule, guard?: WriterGuard, also: TransactItems = []): Promise<CappedCreateOutcome | 'key-taken'> {
    try {
      const outcome = await this.capped.createWith(rule.budgetId, rule.id, this.toItem(rule), { ...(guard ? { guard } : {}), alsoWrite: also });
      if (outcome === 'check-failed') throw new Error('no check was given to the create, so none can fail');
      return outcome;
    } catch (err) {
      // After the capped create's own three items (the rule, the closed budget's check, the count).
      if (also.some((_, n) => conditionFailedAt(err, 3 + n))) return 'key-taken';
      throw err;
    }
  }

  /** Replaces `previous` with `next` unless it changed since it was read (and `guard` holds: writer-guard.ts). */
  async replace(previous: CategorizationRule, next: CategorizationRule, guard?: WriterGuard): Promise<void> {
    if (!(await putGuarded(this.store, { Item: this.toItem(next), ...this.unchanged(previous) }, guard))) throw new RuleChangedError();
  }

  /** Deletes the rule and gives its place back in the budget's count, in one transaction. */
  async remove(previous: CategorizationRule, guard?: WriterGuard): Promise<void> {
    await this.capped.remove(previous.budgetId, this.key(previous.budgetId, previous.id), this.unchanged(previous), () => new RuleChangedError(), [], guard);
  }

  private unchanged(previous: CategorizationRule) {
    return {
      ConditionExpression: '#version = :version',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':version': previous.version },
    };
  }

  private key(budgetId: string, id: string): Key {
    return { pk: this.keys.budgetPk(budgetId), sk: this.keys.ruleSk(id) };
  }

  private toItem(r: CategorizationRule): Item {
    return { ...this.key(r.budgetId, r.id), kind: RULE_KIND, ...r };
  }
}

function toRule(item: Item): CategorizationRule {
  const tags = attr.nullableStrList(item, 'tags');
  return {
    ...attr.fields(item, { id: attr.str, budgetId: attr.str }),
    merchant: merchantMatch(item),
    ...amountRange(item),
    ...descriptionMatch(item),
    ...optional('categoryId', attr.optionalStr(item, 'categoryId')),
    ...ruleSplit(item),
    ...optional('renameTo', attr.optionalStr(item, 'renameTo')),
    ...(tags === null || tags.length === 0 ? {} : { tags }),
    ...attr.fields(item, { position: attr.num, createdBy: attr.str, version: attr.num, createdAt: attr.str, updatedAt: attr.str }),
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [k in K]?: string } {
  return value === undefined ? {} : ({ [key]: value } as { [k in K]?: string });
}

function merchantMatch(item: Item): MerchantMatch {
  const map = attr.map(item, 'merchant');
  const equals = attr.optionalStr(map, 'equals');
  return equals === undefined ? { contains: attr.str(map, 'contains') } : { equals };
}

/** The amount condition's bounds, each only when stored. */
function amountRange(item: Item): { amount?: AmountRange } {
  const map = attr.optionalMap(item, 'amount');
  if (map === undefined) return {};
  const min = attr.nullableNum(map, 'min');
  const max = attr.nullableNum(map, 'max');
  return { amount: { ...(min === null ? {} : { min }), ...(max === null ? {} : { max }) } };
}

/** A split rule's parts (a list of maps), only when stored. */
function ruleSplit(item: Item): { split?: RuleSplitPart[] } {
  if (item.split === undefined) return {};
  return { split: attr.mapList(item, 'split').map((part) => ({ categoryId: attr.str(part, 'categoryId'), percent: attr.num(part, 'percent') })) };
}

function descriptionMatch(item: Item): { description?: DescriptionMatch } {
  const map = attr.optionalMap(item, 'description');
  return map === undefined ? {} : { description: { contains: attr.str(map, 'contains') } };
}
