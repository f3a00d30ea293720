import { keyInUse, ProblemError, problems, type Clock, type FieldError, type KeyCompletion, PLATFORM_PROBLEMS } from '@budgeting/platform';
import type { BudgetContentsPort, BudgetRole } from '../contract';
import { budgetMemberAdded } from '../events';
import { FIRST_MEMBER_VERSION, MAX_MEMBERS, type Budget, type BudgetForCaller, type Member } from '../model';
import { copiedCategoryIds } from '../domain/copied-category-ids';
import { periodLimitsForCopy } from '../domain/period-limits';
import { firstPeriodOf } from '../domain/periods';
import type { TransactItem } from '../repository/keys';
import type { MembersRepository } from '../repository/members.repository';
import type { WatchersRepository } from '../repository/watchers.repository';
import type { CreateBudgetInput } from '../schemas/budgets.schemas';
import type { CopyBudgetInput } from '../schemas/copy.schemas';
import type { AccessService } from './access';
import type { BudgetsService } from './budgets.service';
import type { UsersFacade } from '@budgeting/users';
import type { OutboxWriter } from './events';
import { MEMBER_DETAILS_ATTEMPTS, memberDetailsKeptChanging } from './member-details-attempts';

export interface CopyServiceDeps {
  clock: Clock;
  access: AccessService;
  budgets: BudgetsService;
  members: MembersRepository;
  watchers: WatchersRepository;
  outbox: OutboxWriter;
  /**
   * For the copied members' account checks (UsersFacade.accountCheck, with the version of their
   * snapshot) and, when one changed since (or has no version), their current details.
   */
  users: Pick<UsersFacade, 'accountCheck' | 'getById'>;
  /** Categorization rules, recurring expenses and import profiles (the expenses module's). */
  contents: BudgetContentsPort;
}

/**
 * "Start next year's budget from this one" (POST /v1/budgets/{budgetId}/copy): a NEW budget
 * owned by the caller with the source's settings and categories (new ids), the per-period limits
 * of its first period and later (periodLimitsForCopy), and optionally its
 * categorization rules, recurring expenses, import profiles and members. Any member of the source may copy it
 * (a viewer too: the copy is theirs); strangers get the 404 of every budget route.
 *
 * How a copy stays consistent without one transaction for everything (a budget with 50
 * members, 100 rules and 500 recurring expenses is far past DynamoDB's 100 items a
 * transaction, and rules and definitions are the expenses module's items):
 * 1. Everything is read and every cap checked first: a copy over one is a 409 naming it, with
 *    nothing written.
 * 2. The budget is created exactly as POST /v1/budgets creates one (BudgetsService.create: the
 *    budget with its categories, the owner's membership and `budget.created` in ONE
 *    transaction), under the id the Idempotency-Key reserved. From then on the copy is a valid
 *    budget on its own, whatever happens next.
 * 3. Members, then rules and recurring expenses, are added one conditional write each, and
 *    each is skipped when it is already there (a membership by user id; a rule or definition
 *    by its id, which the copy derives from its source's). So a failed copy answers 5xx, and
 *    the retry with the same Idempotency-Key (which keeps the reserved id) finds the budget
 *    ('exists'), maps the categories by name (unique in a budget) and writes only what is
 *    missing, then answers the same budget. Without a key, a failure leaves a usable budget
 *    with part of the extras; the README says so.
 * 4. A keyed copy's LAST write (the last member's, the expenses module's last item, or the
 *    create's when there is nothing else) carries the key's completion with the 201 in its
 *    transaction, so a process dying after it leaves the answer stored: the retry replays it
 *    even once the copy was deleted (it would copy again under the reserved id) or changed.
 */
export class CopyService {
  constructor(private readonly d: CopyServiceDeps) {}

  async copy(sourceId: string, callerId: string, input: CopyBudgetInput, reservedId?: string, completeKey?: KeyCompletion<BudgetForCaller>): Promise<BudgetForCaller> {
    const source = await this.d.access.require(sourceId, callerId);
    const include = includedInCopy(input);
    // At most MAX_MEMBERS members; one more is read so that a budget past the cap (stored
    // before a lowered cap) is seen as such rather than cut short.
    const [members, copyable] = await Promise.all([
      include.members ? this.d.members.list(sourceId, MAX_MEMBERS + 1).then((p) => p.items) : Promise.resolve([]),
      include.rules || include.recurringExpenses || include.importProfiles || include.recurringIncome
        ? this.d.contents.copyable(sourceId, include, source.budget.categories.map((c) => c.id))
        : Promise.resolve(null),
    ]);
    refuseOverCaps(members.length, copyable);

    const copier = members.find((m) => m.userId === callerId);
    const added = members.filter((m) => m.userId !== callerId);
    const contentsToWrite = copyable !== null && Object.values(copyable).some((c) => c.count > 0);
    // The key's completion rides with the LAST step (step 4 above): the create's transaction when
    // there is nothing else to write, else the last member's, else the expenses module's last item.
    const lastStep = contentsToWrite ? 'contents' : added.length > 0 ? 'members' : 'create';
    // Per-period limits: those of the copy's first period and later, same period kind only (periodLimitsForCopy).
    const created = await this.d.budgets.create(callerId, settingsOf(source.budget, input.name), reservedId, lastStep === 'create' ? completeKey : undefined, {
      ...(copier ? { ownerShare: copier.share } : {}),
      periodLimitsOf: (copy) => periodLimitsForCopy(source.budget, copy, firstPeriodOf(copy).start),
    });
    const copyId = created.budget.id;

    for (const [n, member] of added.entries()) {
      const carries = lastStep === 'members' && n === added.length - 1 ? completeKey : undefined;
      await this.addMember(copyId, callerId, member, carries && { item: () => carries.item(created), committed: () => carries.committed() });
    }
    // Only when the first read found something: the completion may have ridden with an earlier
    // step, and nothing may be written after it (contents added to the source since are not copied).
    if (copyable && contentsToWrite) {
      const outcome = await this.d.contents.copy({
        from: sourceId,
        to: copyId,
        include: { rules: include.rules, recurringExpenses: include.recurringExpenses, importProfiles: include.importProfiles, recurringIncome: include.recurringIncome },
        categoryIds: categoryMap(source.budget, created.budget),
        by: callerId,
        timezone: created.budget.timezone,
        ...(lastStep === 'contents' && completeKey ? { alsoWithLast: [completeKey.item(created)] } : {}),
      });
      if (outcome === 'budget-closed') throw problems.conflict(`The copy ${copyId} was deleted while it was being made.`);
      if (outcome === 'full') throw problems.conflict(`The copy ${copyId} reached a cap on rules, recurring expenses, import profiles or recurring income while it was being made.`);
      if (outcome === 'key-taken') throw keyInUse();
      if (outcome === 'carried') completeKey?.committed();
    }
    // Not carried (the last step was there already: a retry's; or the source changed between the
    // reads): the lease middleware completes the key after this, as before.
    return created;
  }

  /**
   * The source's member in the copy, with the same role and share; the source's owner (when
   * someone else copies) becomes an editor, as a budget has one owner. Already there: a retry.
   * Their name and email are the source membership's snapshot while the account is still at
   * the version it was taken at (the add's account check); else (changed since, or a snapshot
   * stored before versions were) the account's current ones, read again per attempt
   * (member-details-attempts.ts), so a refresh that ran before this membership existed is not
   * missed. Gone meanwhile: nothing added.
   */
  private async addMember(budgetId: string, callerId: string, from: Member, completeKey?: { item(): TransactItem; committed(): void }): Promise<void> {
    const role: Exclude<BudgetRole, 'owner'> = from.role === 'owner' ? 'editor' : from.role;
    // The snapshot to store and the profile version it is of; undefined: to read.
    let details = from.detailsVersion === undefined ? undefined : { email: from.email, name: from.name, version: from.detailsVersion };
    for (let attempt = 1; ; attempt++) {
      if (details === undefined) {
        const user = await this.d.users.getById(from.userId);
        // The member's account deleted since the source was read: a membership now would
        // outlive its cleanup. Nothing committed, the completion is the middleware's.
        if (!user) return;
        details = { email: user.email, name: user.name, version: user.version };
      }
      // Past the last attempt only after the read above: a failure that was the deletion skips the member.
      if (attempt > MEMBER_DETAILS_ATTEMPTS) throw memberDetailsKeptChanging();
      const now = this.d.clock.now();
      const member: Member = {
        ...from,
        email: details.email,
        name: details.name,
        detailsVersion: details.version,
        budgetId,
        role,
        addedAt: now.toISOString(),
        version: FIRST_MEMBER_VERSION,
      };
      // A fresh budget has no former members: one there is was copied by an earlier attempt and removed since.
      const outcome = await this.d.members.add(member, undefined, MAX_MEMBERS, this.d.users.accountCheck(member.userId, { version: details.version }), [
        await this.d.outbox(budgetMemberAdded, { budgetId, userId: member.userId, role, addedBy: callerId }),
        // As MembersService.add: the newcomer may watch the budget's events.
        this.d.watchers.staleItem(budgetId, now),
        ...(completeKey ? [completeKey.item()] : []),
      ]);
      if (outcome === 'account-changed') {
        // Gone or changed since: the next attempt reads the account.
        details = undefined;
        continue;
      }
      if (outcome === 'budget-gone-or-full') throw problems.conflict(`The copy ${budgetId} was deleted or filled while it was being made.`);
      if (outcome === 'key-taken') throw keyInUse();
      // 'already-member' (a retry's), or 'former-changed' (a retry's whose member the owner removed
      // from the copy since: not added back): nothing committed, the completion is the middleware's.
      if (outcome === 'ok') completeKey?.committed();
      return;
    }
  }
}

/**
 * What a copy takes along when `include` leaves it out: the rules and the import profiles (the
 * budget's settings for categorizing and importing, which a next year's budget wants as they
 * are), not the recurring expenses, the recurring income nor the members.
 */
function includedInCopy(input: CopyBudgetInput) {
  return {
    rules: input.include?.rules ?? true,
    recurringExpenses: input.include?.recurringExpenses ?? false,
    importProfiles: input.include?.importProfiles ?? true,
    recurringIncome: input.include?.recurringIncome ?? false,
    members: input.include?.members ?? false,
  };
}

/** The source's settings and categories (without their ids) under the copy's name. */
function settingsOf(source: Budget, name: string): CreateBudgetInput {
  return {
    name,
    // Checked against ISO 4217 when the source was created, and it never changes.
    currency: source.currency as CreateBudgetInput['currency'],
    period: source.period,
    timezone: source.timezone,
    limit: source.limit,
    // Category rollover is copied, with its target; the create gives it rolloverSince = the copy's first period. Notes, hidden flags, emoji and colors too.
    categories: source.categories.map((c) => ({ name: c.name, limit: c.limit, group: c.group, rollover: c.rollover, target: c.target, note: c.note, hidden: c.hidden, emoji: c.emoji, color: c.color })),
    rollover: source.rollover,
    alertThresholds: source.alertThresholds,
    paceAlerts: source.paceAlerts === true,
  };
}

/**
 * Source category id -> the copy's, by name (copiedCategoryIds): the same on the first attempt
 * and on a retry, whose budget was created earlier with ids of its own. A category renamed in
 * the source between the two maps to nothing.
 */
function categoryMap(source: Budget, copy: Budget): Record<string, string> {
  return Object.fromEntries(copiedCategoryIds(source.categories, copy.categories));
}

/** A 409 naming every cap the copy would pass (the create routes' answer for a cap), before any write. */
function refuseOverCaps(memberCount: number, copyable: Awaited<ReturnType<BudgetContentsPort['copyable']>> | null): void {
  const errors: FieldError[] = [];
  if (memberCount > MAX_MEMBERS) {
    errors.push({ path: 'include.members', message: `The budget has ${memberCount} members; a budget can have at most ${MAX_MEMBERS}` });
  }
  if (copyable && copyable.rules.count > copyable.rules.max) {
    errors.push({
      path: 'include.rules',
      message: `The budget has ${copyable.rules.count} categorization rules; a budget can have at most ${copyable.rules.max}`,
    });
  }
  if (copyable && copyable.recurringExpenses.count > copyable.recurringExpenses.max) {
    errors.push({
      path: 'include.recurringExpenses',
      message: `The budget has ${copyable.recurringExpenses.count} recurring expenses; a budget can have at most ${copyable.recurringExpenses.max}`,
    });
  }
  if (copyable && copyable.importProfiles.count > copyable.importProfiles.max) {
    errors.push({
      path: 'include.importProfiles',
      message: `The budget has ${copyable.importProfiles.count} import profiles; a budget can have at most ${copyable.importProfiles.max}`,
    });
  }
  if (copyable && copyable.recurringIncome.count > copyable.recurringIncome.max) {
    errors.push({
      path: 'include.recurringIncome',
      message: `The budget has ${copyable.recurringIncome.count} recurring incomes; a budget can have at most ${copyable.recurringIncome.max}`,
    });
  }
  if (errors.length === 0) return;
  throw new ProblemError(PLATFORM_PROBLEMS['conflict'], `The copy would pass a cap: ${errors.map((e) => e.path).join(', ')}. Nothing was copied.`, {
    errors,
  });
}
