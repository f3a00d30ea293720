import { attr, conditionFailedAt, nameKey, nameKeyBeforeNfkc, type Item, type Key, type ModuleStore } from '@budgeting/platform';
import { AMOUNT_SIGNS, TAGS_SEPARATORS, COLUMN_NAME_PARAMETERS, CSV_CHARSETS, CURRENCY_SYMBOLS, DATE_FORMATS, DECIMAL_SEPARATORS, DELIMITER_NAMES, type CsvMapping } from '../domain/csv/layout';
import { MAX_IMPORT_PROFILES_PER_BUDGET } from '../domain/import-profiles';
import { CREDITS_AS } from '../domain/import-file';
import type { ImportProfile } from '../model';
import { CappedCollection, type CappedCreateOutcome } from './capped-collection';
import type { TransactItems } from './expenses.repository';
import { importProfileKeys } from './keys';
import { transactGuarded, type WriterGuard } from './writer-guard';

const PROFILE_KIND = 'import-profile';
const PROFILE_COUNT_KIND = 'import-profile-count';
const PROFILE_NAME_KIND = 'import-profile-name';

/** The profile changed (PATCH or DELETE) since we read it. */
export class ImportProfileChangedError extends Error {
  constructor() {
    super('The import profile changed concurrently');
    this.name = 'ImportProfileChangedError';
  }
}

/** Another profile of the budget holds the name (compared by nameKey). */
export class ImportProfileNameTakenError extends Error {
  constructor() {
    super('Another import profile of the budget has this name');
    this.name = 'ImportProfileNameTakenError';
  }
}

/**
 * A budget's import profiles (saved column mappings), in the budget's expense partition (so the
 * budget.deleted cleanup removes them with the expenses, as rules), their count (the cap, moved
 * in each create's and delete's transaction: CappedCollection) and one name claim per profile
 * (`importprofile-name#<nameKey>`, Put if absent in the same transaction as the profile), so two
 * creates or renames to one name at once cannot both succeed. "All of a budget's profiles" is
 * one Query page (20 x ~0.5 KB).
 */
export class ImportProfilesRepository {
  private readonly keys: ReturnType<typeof importProfileKeys>;
  private readonly capped: CappedCollection;

  constructor(
    private readonly store: ModuleStore,
    /** Tests lower it; production passes nothing. */
    readonly maxPerBudget = MAX_IMPORT_PROFILES_PER_BUDGET,
  ) {
    this.keys = importProfileKeys(store);
    this.capped = new CappedCollection(store, this.keys.profileCount, PROFILE_COUNT_KIND, maxPerBudget);
  }

  async get(budgetId: string, id: string): Promise<ImportProfile | undefined> {
    const item = await this.store.get({ Key: this.keys.profile(budgetId, id), ConsistentRead: true });
    return item ? toProfile(item) : undefined;
  }

  /** Every profile of the budget, by id (creation order): one strongly consistent Query. */
  async all(budgetId: string): Promise<ImportProfile[]> {
    const items = await this.store.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':prefix': this.keys.profilePrefix },
      ConsistentRead: true,
    });
    return items.map(toProfile);
  }

  /**
   * As CappedCollection.create, and 'name-taken' when another profile holds the name. An
   * Idempotency-Key retry finds its own profile ('exists', which the service reads back).
   * `also`: items of the same transaction (a keyed create's lease completion); 'key-taken' when
   * one's condition failed (its lease taken over by its retry), nothing written.
   */
  async create(profile: ImportProfile, guard?: WriterGuard, also: TransactItems = []): Promise<CappedCreateOutcome | 'name-taken' | 'key-taken'> {
    if (await this.nameHeldByAnother(profile)) return 'name-taken';
    try {
      const outcome = await this.capped.createWith(profile.budgetId, profile.id, this.toItem(profile), {
        alsoWrite: [{ Put: { Item: this.nameItem(profile), ConditionExpression: 'attribute_not_exists(pk)' } }, ...also],
        ...(guard ? { guard } : {}),
      });
      if (outcome === 'check-failed') throw new Error('no check was given to the create, so none can fail');
      return outcome;
    } catch (err) {
      // The name claim is the transaction's fourth item (profile, closed check, count, claim):
      // CappedCollection names the first three and rethrows the rest.
      if (conditionFailedAt(err, 3)) return 'name-taken';
      if (also.some((_, n) => conditionFailedAt(err, 4 + n))) return 'key-taken';
      throw err;
    }
  }

  /** Replaces `previous` with `next` unless it changed since it was read; a new name moves its claim in the same transaction. */
  async replace(previous: ImportProfile, next: ImportProfile, guard?: WriterGuard): Promise<void> {
    const put = { Put: { Item: this.toItem(next), ...this.unchanged(previous) } };
    const held = await this.heldClaim(previous);
    const renamed = held !== nameKey(next.name);
    if (renamed && (await this.nameHeldByAnother(next))) throw new ImportProfileNameTakenError();
    const release = held === undefined ? [] : [{ Delete: { Key: this.keys.name(previous.budgetId, held) } }];
    try {
      await transactGuarded(this.store, [put, ...(renamed ? [...release, { Put: { Item: this.nameItem(next), ConditionExpression: 'attribute_not_exists(pk)' } }] : [])], guard);
    } catch (err) {
      if (conditionFailedAt(err, 0)) throw new ImportProfileChangedError();
      if (renamed && conditionFailedAt(err, 1 + release.length)) throw new ImportProfileNameTakenError();
      throw err;
    }
  }

  /** Deletes the profile and its name claim, giving its place back in the budget's count, in one transaction. */
  async remove(previous: ImportProfile, guard?: WriterGuard): Promise<void> {
    const held = await this.heldClaim(previous);
    await this.capped.remove(
      previous.budgetId,
      this.keys.profile(previous.budgetId, previous.id),
      this.unchanged(previous),
      () => new ImportProfileChangedError(),
      held === undefined ? [] : [{ Delete: { Key: this.keys.name(previous.budgetId, held) } }],
      guard,
    );
  }

  /**
   * The name claim the profile holds: today's nameKey of its name, or, for a profile named
   * before nameKey folded compatibility forms (2026-12-06: "❤️ Ｂａｎｋ" then claimed `❤ ｂａｎｋ`),
   * or before names dropped every invisible format character (f36c48db), the key of that time
   * (nameKeyBeforeNfkc, legacyNameKey). Read, not computed: deleting today's key of such a name
   * ("Bank" + RLM -> `bank`) deleted another profile's claim and left its own behind. A name
   * whose keys are all one (any plain name) costs one GetItem.
   */
  private async heldClaim(p: ImportProfile): Promise<string | undefined> {
    for (const key of new Set([nameKey(p.name), nameKeyBeforeNfkc(p.name), legacyNameKey(p.name)])) {
      const claim = await this.store.get({ Key: this.keys.name(p.budgetId, key), ConsistentRead: true });
      if (claim?.profileId === p.id) return key;
    }
    return undefined;
  }

  /**
   * Does another stored profile of the budget have this name (by today's nameKey)? The claims
   * alone cannot say for a profile named before (its claim is under the key of that time); the
   * claim still decides between two writers at once. One Query page (at most 20 profiles).
   */
  private async nameHeldByAnother(p: ImportProfile): Promise<boolean> {
    const key = nameKey(p.name);
    return (await this.all(p.budgetId)).some((other) => other.id !== p.id && nameKey(other.name) === key);
  }

  private unchanged(previous: ImportProfile) {
    return {
      ConditionExpression: '#version = :version',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':version': previous.version },
    };
  }

  private toItem(p: ImportProfile): Item {
    return { ...this.keys.profile(p.budgetId, p.id), kind: PROFILE_KIND, ...p };
  }

  private nameItem(p: ImportProfile): Item {
    const key: Key = this.keys.name(p.budgetId, nameKey(p.name));
    return { ...key, kind: PROFILE_NAME_KIND, profileId: p.id };
  }
}

/**
 * The claim key of a name stored before f36c48db: nameKey then only dropped U+200B, U+2060 and
 * U+FEFF, which a stored name no longer had, so its key was the stored name in NFC, lowercased.
 */
function legacyNameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

function toProfile(item: Item): ImportProfile {
  return {
    ...attr.fields(item, { id: attr.str, budgetId: attr.str, name: attr.str }),
    mapping: mappingOf(attr.map(item, 'mapping')),
    ...(item.credits === undefined ? {} : { credits: attr.oneOf(item, 'credits', CREDITS_AS) }),
    ...attr.fields(item, { createdBy: attr.str, version: attr.num, createdAt: attr.str, updatedAt: attr.str }),
  };
}

/** The stored mapping, field by field (each enumerated one checked against its values). */
function mappingOf(m: Item): CsvMapping {
  const mapping: CsvMapping = {};
  for (const parameter of COLUMN_NAME_PARAMETERS) {
    const name = attr.optionalStr(m, parameter);
    if (name !== undefined) mapping[parameter] = name;
  }
  if (m.tagsSeparator !== undefined) mapping.tagsSeparator = attr.oneOf(m, 'tagsSeparator', TAGS_SEPARATORS);
  if (m.delimiter !== undefined) mapping.delimiter = attr.oneOf(m, 'delimiter', DELIMITER_NAMES);
  if (m.dateFormat !== undefined) mapping.dateFormat = attr.oneOf(m, 'dateFormat', DATE_FORMATS);
  if (m.decimalSeparator !== undefined) mapping.decimalSeparator = attr.oneOf(m, 'decimalSeparator', DECIMAL_SEPARATORS);
  if (m.currencySymbol !== undefined) mapping.currencySymbol = attr.oneOf(m, 'currencySymbol', CURRENCY_SYMBOLS);
  if (m.amountSign !== undefined) mapping.amountSign = attr.oneOf(m, 'amountSign', AMOUNT_SIGNS);
  const skipLines = attr.nullableNum(m, 'skipLines');
  if (skipLines !== null) mapping.skipLines = skipLines;
  if (m.charset !== undefined) mapping.charset = attr.oneOf(m, 'charset', CSV_CHARSETS);
  return mapping;
}
